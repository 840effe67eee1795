// Dashboard front end (browser bundle): header with the refresh line and button, tabs for the overview,
// each cloud's metric table and the GPU prices. Messages from the host are validated before use; the UI
// state (tab, sorts, filters) goes to vscode.setState so it survives hide/show and window reloads.
// Every string from a cloud reaches the DOM through textContent (see dom.ts), never as markup.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import './dashboard.css';
import { CLOUD_IDS, CLOUD_NAMES, type CloudId, type Snapshot } from '../src/core/model/model';
import { isHostMessage, type DashboardHistory, type DashboardTiming, type WebviewMessage } from '../src/dashboard/protocol';
import { parseRowKey } from './model/costingNow';
import { el } from './dom';
import { clockOffset, refreshLine } from './model/time';
import { readViewState, withFilter, withSort, type DashboardViewState } from './model/viewState';
import { PricesView } from './pricesView';
import { CloudView, OverviewView, type TableCallbacks } from './views';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: DashboardViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let state = readViewState(vscode.getState());
let snapshot: Snapshot | undefined;
let timing: DashboardTiming | undefined;
/** What the overview's pictures are drawn from; sent with each snapshot while the dashboard is visible. */
let history: DashboardHistory | undefined;
let stoppable = new Set<CloudId>();
/** Webview clock minus host clock, measured when a timing arrived. */
let offset = 0;

const save = (next: DashboardViewState) => {
  state = next;
  vscode.setState(state);
};
const callbacks = (table: string): TableCallbacks => ({
  ...(state.sorts[table] ? { sort: state.sorts[table] } : {}),
  filter: state.filters[table] ?? '',
  onSort: (sort) => save(withSort(state, table, sort)),
  onFilter: (filter) => save(withFilter(state, table, filter)),
});

const refreshText = el('span', { class: 'refresh-line muted', id: 'refresh-line' }, 'waiting for the first refresh');
const announcer = el('span', { class: 'sr-only', role: 'status' });
const refreshButton = document.createElement('vscode-button');
refreshButton.id = 'refresh';
refreshButton.textContent = 'Refresh';
refreshButton.title = 'Refresh every cloud now (Cloudtop: Refresh)';
refreshButton.addEventListener('click', () => {
  vscode.postMessage({ type: 'refresh' });
  if (timing) timing = { ...timing, refreshing: true };
  tick();
});

const noData = el('p', { class: 'muted', id: 'no-data' }, 'No cloud data yet. Connect a cloud, then press Refresh.');
const tabs = document.createElement('vscode-tabs');
const overview = new OverviewView(callbacks('overview'), {
  ...callbacks('costing'),
  onAction: (rowKey, action) => {
    // The host asks first (its modal) for a stop; nothing here acts on its own.
    if (action === 'stop' || action === 'show') vscode.postMessage({ type: action, ...parseRowKey(rowKey) });
  },
  onSelect: (rowKey) => {
    overview.select(rowKey);
    vscode.postMessage({ type: 'history', ...parseRowKey(rowKey) });
  },
});
const prices = new PricesView({
  model: state.priceModel,
  minMemoryGb: state.priceMinMemoryGb,
  ...(state.sorts.prices ? { sort: state.sorts.prices } : {}),
  onChange: ({ model, minMemoryGb }) => save({ ...state, priceModel: model, priceMinMemoryGb: minMemoryGb }),
  onSort: (sort) => save(withSort(state, 'prices', sort)),
});
const clouds = new Map<CloudId, CloudView>();
let tabIds: string[] = [];
/** Which snapshot each tab last rendered, so a hidden tab renders when it is shown, not on every refresh. */
const renderedFor = new Map<string, Snapshot>();

function hostNow(): number {
  return Date.now() - offset;
}

/** Clouds worth a tab: those that answered or failed; unconnected and disabled ones live in the overview. */
function cloudTabs(s: Snapshot): CloudId[] {
  return CLOUD_IDS.filter((c) => {
    const o = s.outcomes[c];
    return o !== undefined && (o.state === 'ok' || o.state === 'error' || o.resources.length > 0);
  });
}

function viewOf(id: string): { element: HTMLElement } {
  if (id === 'overview') return overview;
  if (id === 'prices') return prices;
  const cloud = id.slice('cloud:'.length) as CloudId;
  let view = clouds.get(cloud);
  if (!view) {
    view = new CloudView(cloud, callbacks(id));
    clouds.set(cloud, view);
  }
  return view;
}

function buildTabs(ids: string[]): void {
  tabIds = ids;
  const headers = ids.map((id) => {
    const header = el('vscode-tab-header', { slot: 'header', 'data-tab': id });
    header.textContent = id === 'overview' ? 'Overview' : id === 'prices' ? 'GPU prices' : CLOUD_NAMES[id.slice(6) as CloudId];
    return header;
  });
  const panels = ids.map((id) => el('vscode-tab-panel', { 'data-tab': id }, viewOf(id).element));
  tabs.replaceChildren(...headers, ...panels);
  const index = Math.max(0, ids.indexOf(state.tab));
  tabs.selectedIndex = index;
}

function activeTab(): string {
  return tabIds[tabs.selectedIndex] ?? 'overview';
}

function renderActive(): void {
  if (!snapshot) return;
  const id = activeTab();
  const now = hostNow();
  if (renderedFor.get(id) !== snapshot) {
    renderedFor.set(id, snapshot);
    if (id === 'overview') overview.update(snapshot, now, history, stoppable);
    else if (id === 'prices') prices.update(snapshot);
    else {
      const cloud = id.slice(6) as CloudId;
      const outcome = snapshot.outcomes[cloud];
      if (outcome) clouds.get(cloud)?.update(outcome, now);
    }
  }
  if (id.startsWith('cloud:')) clouds.get(id.slice(6) as CloudId)?.relayout();
  if (id === 'overview') overview.relayout();
}

function showSnapshot(next: Snapshot): void {
  snapshot = next;
  noData.hidden = true;
  const ids = ['overview', ...cloudTabs(next).map((c) => `cloud:${c}`), 'prices'];
  if (ids.join() !== tabIds.join()) buildTabs(ids);
  renderActive();
  announcer.textContent = 'Cloud data updated';
}

function tick(): void {
  refreshText.textContent = refreshLine(timing, hostNow());
  const id = activeTab();
  if (snapshot && id === 'overview') overview.update(snapshot, hostNow(), history, stoppable);
  else if (id.startsWith('cloud:')) clouds.get(id.slice(6) as CloudId)?.tick(hostNow());
}

/** The prices tab in view: the host reads the public price catalogues (and their SDK bundles) only from then on. */
function pricesShown(): void {
  if (activeTab() === 'prices') vscode.postMessage({ type: 'pricesShown' });
}

tabs.addEventListener('vsc-tabs-select', () => {
  save({ ...state, tab: activeTab() });
  renderActive();
  pricesShown();
});
// vscode-tabs selects with Enter; Space should too (a tab is a button-like control).
tabs.addEventListener('keydown', (event) => {
  const header = (event.target as Element | null)?.closest?.('vscode-tab-header');
  if (event.key !== ' ' || !header) return;
  event.preventDefault();
  (header as HTMLElement).click();
});

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isHostMessage(message)) return; // malformed or foreign: ignored
  if (message.type === 'showPrices') {
    tabs.selectedIndex = Math.max(0, tabIds.indexOf('prices'));
    save({ ...state, tab: 'prices' });
    renderActive();
    pricesShown();
    return;
  }
  if (message.type === 'resourceHistory') {
    overview.showResource(message);
    return;
  }
  timing = message.timing;
  offset = clockOffset(message.timing, Date.now());
  if (message.type === 'snapshot') {
    history = message.history;
    stoppable = new Set(message.stoppable ?? []);
    showSnapshot(message.snapshot);
    // The selected row's chart follows the refreshes.
    const selected = overview.selection;
    if (selected) vscode.postMessage({ type: 'history', ...parseRowKey(selected) });
  }
  tick();
});

const root = document.getElementById('cloudtop-dashboard');
if (root) {
  const header = el('header', { class: 'top' }, el('h1', {}, 'Cloudtop'), refreshText, refreshButton, announcer);
  root.replaceChildren(header, noData, tabs);
  buildTabs(['overview', 'prices']);
}
setInterval(tick, 1000);
// Charts follow the window's width and the theme (VS Code swaps the body's theme class).
let resizeFrame = 0;
window.addEventListener('resize', () => {
  cancelAnimationFrame(resizeFrame);
  resizeFrame = requestAnimationFrame(() => overview.relayout());
});
new MutationObserver(() => {
  overview.spendChart.themeChanged();
  overview.resourceChart.themeChanged();
  if (snapshot && activeTab() === 'overview') {
    renderedFor.delete('overview');
    overview.spendChart.update(history?.spend ?? { t: [], clouds: {} });
  }
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });
vscode.postMessage({ type: 'ready' });
pricesShown();
