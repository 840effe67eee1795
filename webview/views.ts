// The overview tab and the per-cloud tabs. Each view owns its TableView and rebuilds its table data from
// a snapshot; the DOM work is the table's. The overview leads with "Costing now" (every billed GPU resource across
// clouds, most expensive first, with sparklines and Stop / Show), the selected row's utilization chart and the
// 24 h spend chart; the per-cloud table stays below.
import { plainText } from '../src/core/model/describe';
import { CLOUD_NAMES, type CloudId, type ProviderOutcome, type Snapshot } from '../src/core/model/model';
import type { DashboardHistory, ResourceHistoryMessage } from '../src/dashboard/protocol';
import { ResourceChart, SpendChart } from './charts';
import { el } from './dom';
import { costingRows, costingSummary, costingTable, type CostingRow } from './model/costingNow';
import { metricTable, tableCaption } from './model/metricTable';
import { overviewTable, totalsLine, warningText } from './model/overview';
import type { SortState } from './model/table';
import { TableView } from './tableView';

export interface TableCallbacks {
  readonly sort?: SortState;
  readonly filter?: string;
  readonly onSort: (sort: SortState) => void;
  readonly onFilter: (filter: string) => void;
}

export interface CostingCallbacks extends TableCallbacks {
  readonly onAction: (rowKey: string, action: string) => void;
  readonly onSelect: (rowKey: string) => void;
}

export class OverviewView {
  readonly element: HTMLElement;
  private readonly totals = el('p', { class: 'totals' });
  private readonly table: TableView;
  private readonly costingSummary = el('p', { class: 'costing-summary' });
  /** Made when the overview first shows data: its filter field (a custom element) costs nothing on another tab. */
  private costingTable: TableView | undefined;
  private readonly costingSection: HTMLElement;
  readonly spendChart = new SpendChart();
  readonly resourceChart = new ResourceChart();
  private rows: readonly CostingRow[] = [];
  private selected: string | undefined;
  private drawn: { snapshot: Snapshot; history: DashboardHistory | undefined } | undefined;

  constructor(
    callbacks: TableCallbacks,
    private readonly costingCallbacks: CostingCallbacks,
  ) {
    this.table = new TableView({ label: 'Clouds overview', virtual: false, noun: 'clouds', ...callbacks });
    this.costingSection = el(
      'section',
      { class: 'costing', 'aria-label': 'Costing now' },
      el('h2', {}, 'Costing now'),
      this.costingSummary,
    );
    this.resourceChart.element.hidden = true;
    this.element = el(
      'section',
      { class: 'overview', 'aria-label': 'Overview' },
      this.totals,
      this.costingSection,
      this.resourceChart.element,
      this.spendChart.element,
      el('section', { class: 'clouds', 'aria-label': 'Clouds' }, el('h2', {}, 'Clouds'), this.table.element),
    );
  }

  private costing(): TableView {
    if (!this.costingTable) {
      this.costingTable = new TableView({
        label: 'Costing now: billed GPU resources by price',
        virtual: true,
        noun: 'billed GPU resources',
        filterLabel: 'Filter billed GPU resources',
        ...this.costingCallbacks,
        sort: this.costingCallbacks.sort ?? { column: 'price', descending: true },
      });
      this.costingSection.append(this.costingTable.element);
    }
    return this.costingTable;
  }

  /** A new snapshot (or history): everything; the same one again (the clock): the cloud table's ages only. */
  update(snapshot: Snapshot, now: number, history?: DashboardHistory, stoppable: ReadonlySet<CloudId> = new Set()): void {
    this.totals.textContent = totalsLine(snapshot);
    this.table.setData(overviewTable(snapshot, now));
    if (this.drawn?.snapshot === snapshot && this.drawn.history === history) return;
    this.drawn = { snapshot, history };
    this.rows = costingRows(snapshot, history, now);
    this.costingSummary.textContent = costingSummary(this.rows);
    this.costing().setData(costingTable(this.rows, now, stoppable));
    this.spendChart.update(history?.spend ?? { t: [], clouds: {} });
  }

  /** The row whose chart is shown (its history is asked of the host by the caller). */
  select(rowKey: string | undefined): void {
    this.selected = rowKey;
    this.costingTable?.select(rowKey);
    if (!rowKey) this.resourceChart.element.hidden = true;
  }

  get selection(): string | undefined {
    return this.selected;
  }

  showResource(message: ResourceHistoryMessage): void {
    const row = this.rows.find((r) => r.line.cloud === message.cloud && r.line.resourceId === message.id);
    if (!row || row.key !== this.selected) return;
    this.resourceChart.element.hidden = false;
    this.resourceChart.update(message, `${CLOUD_NAMES[row.line.cloud]} ${plainText(row.line.name, 120)}`);
  }

  relayout(): void {
    this.costingTable?.relayout();
    this.spendChart.resize();
    this.resourceChart.resize();
  }
}

export class CloudView {
  readonly element: HTMLElement;
  private readonly caption = el('p', { class: 'caption' });
  private readonly error = el('p', { class: 'error-banner' });
  private readonly warning = el('p', { class: 'warning-banner' });
  private readonly table: TableView;
  private outcome: ProviderOutcome | undefined;

  constructor(
    readonly cloud: CloudId,
    callbacks: TableCallbacks,
  ) {
    const name = CLOUD_NAMES[cloud];
    this.table = new TableView({
      label: `${name} resources and metrics`,
      virtual: true,
      noun: 'resources',
      filterLabel: `Filter ${name} resources`,
      ...callbacks,
    });
    this.error.hidden = true;
    this.warning.hidden = true;
    this.element = el(
      'section',
      { class: 'cloud', 'aria-label': name, 'data-cloud': cloud },
      this.caption,
      this.error,
      this.warning,
      this.table.element,
    );
  }

  /** Rebuilds the table data only when the outcome object changed (snapshots are immutable). */
  update(outcome: ProviderOutcome, now: number): void {
    if (outcome !== this.outcome) {
      this.outcome = outcome;
      this.table.setData(metricTable(outcome, now));
      const error = outcome.error;
      this.error.hidden = !error;
      this.error.textContent = error ? `Last refresh failed (${error.category}): ${plainText(error.message, 500)}` : '';
      // Parts the last refresh could not update; the rest of the table is current.
      this.warning.hidden = error !== undefined || !outcome.warnings?.length;
      this.element.classList.toggle('stale', outcome.stale);
    }
    this.tick(now);
  }

  /** The caption and the warning carry the data's age, so they are redrawn on the clock without the table. */
  tick(now: number): void {
    const outcome = this.outcome;
    if (!outcome) return;
    this.caption.textContent = tableCaption(outcome, now);
    if (!this.warning.hidden) {
      this.warning.textContent = (outcome.warnings ?? [])
        .map((w) => warningText(w, outcome, now, 500))
        .join(' · ')
        .replace(/^./, (c) => c.toUpperCase());
    }
  }

  relayout(): void {
    this.table.relayout();
  }
}
