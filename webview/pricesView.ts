// The GPU prices tab: filters by model and GPU memory, the comparison table (one row per GPU key, one
// column per cloud, one line per cell; the cheapest cell marked with a ★ and a colour, and "cheapest" for a screen
// reader; the GPUs the user runs marked "you run N" and listed first), a legend naming the clouds that report no
// availability, and "you pay $X/h; the cheapest equivalent now is $Y/h on Z" for every running GPU instance.
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { plainText } from '../src/core/model/describe';
import { CLOUD_NAMES, type CloudId, type Snapshot } from '../src/core/model/model';
import { el } from './dom';
import {
  cloudsWithoutAvailability,
  comparePrices,
  equivalents,
  equivalentSentence,
  filterPrices,
  priceTable,
  youRun,
  type PriceComparison,
  type YouRun,
} from './model/priceTable';
import type { SortState } from './model/table';
import { TableView } from './tableView';

export interface PricesViewOptions {
  readonly model: string;
  readonly minMemoryGb: number;
  readonly sort?: SortState;
  readonly onChange: (filters: { model: string; minMemoryGb: number }) => void;
  readonly onSort: (sort: SortState) => void;
}

export class PricesView {
  readonly element: HTMLElement;
  private readonly table: TableView;
  private readonly memory: HTMLElement & { value: string };
  private readonly equivalentList: HTMLElement;
  private readonly availabilityNote: HTMLElement;
  private readonly sources: HTMLElement;
  private comparison: PriceComparison = { clouds: [], rows: [] };
  private mine: ReadonlyMap<string, YouRun> = new Map();
  private model: string;
  private minMemoryGb: number;
  private memoryOptions = '';

  constructor(private readonly options: PricesViewOptions) {
    this.model = options.model;
    this.minMemoryGb = options.minMemoryGb;
    const modelField = document.createElement('vscode-textfield');
    modelField.className = 'price-model';
    modelField.placeholder = 'GPU model, e.g. H100 or 4090';
    modelField.label = 'Filter GPU prices by model';
    modelField.value = this.model;
    modelField.addEventListener('input', () => {
      this.model = modelField.value;
      this.changed();
    });
    this.memory = document.createElement('vscode-single-select');
    this.memory.className = 'price-memory';
    this.memory.setAttribute('label', 'Minimum GPU memory');
    this.memory.addEventListener('change', () => {
      this.minMemoryGb = Number(this.memory.value) || 0;
      this.changed();
    });
    this.table = new TableView({
      label: 'GPU prices per GPU-hour by cloud',
      virtual: false,
      noun: 'GPU models',
      ...(options.sort ? { sort: options.sort } : {}),
      onSort: options.onSort,
    });
    this.equivalentList = el('ul', { class: 'equivalents' });
    this.element = el(
      'section',
      { class: 'prices', 'aria-label': 'GPU prices' },
      el(
        'div',
        { class: 'toolbar' },
        el('span', { class: 'muted' }, 'Model'),
        modelField,
        el('span', { class: 'muted' }, 'Memory'),
        this.memory,
      ),
      el(
        'p',
        { class: 'muted legend' },
        'Prices per GPU-hour in USD: on demand, then spot in smaller figures. ',
        el('span', { class: 'best-sample' }, '★'),
        ' marks the cheapest on-demand price of each GPU (spot when nobody sells it on demand); “you run N” marks the GPUs you are billed for. ',
        (this.availabilityNote = el('span', { class: 'availability-note' })),
      ),
      (this.sources = el('p', { class: 'muted sources', hidden: '' })),
      this.table.element,
      el('h2', {}, 'Your running GPUs'),
      this.equivalentList,
    );
  }

  update(snapshot: Snapshot): void {
    this.comparison = comparePrices(snapshot);
    this.mine = youRun(snapshot);
    const silent = cloudsWithoutAvailability(this.comparison);
    this.availabilityNote.textContent =
      silent.length > 0
        ? `Availability is shown where the cloud reports it; ${names(silent)} ${silent.length === 1 ? 'reports' : 'report'} none.`
        : 'Availability is shown where the cloud reports it.';
    // Before any key: the prices come from the clouds' public catalogues, and the line says so.
    const publicOnly = this.comparison.clouds.filter((c) => snapshot.outcomes[c]?.state === 'unconfigured');
    this.sources.hidden = publicOnly.length === 0;
    this.sources.textContent =
      publicOnly.length > 0
        ? `${names(publicOnly)}: public price ${publicOnly.length === 1 ? 'list' : 'lists'}, read without a key. Connect a cloud to see what you run there.`
        : '';
    this.renderMemoryOptions();
    this.renderTable();
    const items = equivalents(snapshot).map((e) =>
      el(
        'li',
        { 'data-id': `${e.cloud}:${e.resourceId}` },
        el(
          'span',
          { class: 'who' },
          `${plainText(e.name, 120)} (${e.gpuCount}× ${plainText(e.gpuKey ?? 'GPU', 60)} on ${CLOUD_NAMES[e.cloud]})`,
        ),
        ': ',
        el(
          'span',
          { class: e.cheapest && e.cheapest.pricePerHour < e.pricePerHour ? 'sentence saving' : 'sentence' },
          equivalentSentence(e),
        ),
      ),
    );
    this.equivalentList.replaceChildren(
      ...(items.length > 0 ? items : [el('li', { class: 'muted' }, 'No running GPU instance with a known price.')]),
    );
  }

  private changed(): void {
    this.options.onChange({ model: this.model, minMemoryGb: this.minMemoryGb });
    this.renderTable();
  }

  private renderTable(): void {
    const rows = filterPrices(this.comparison.rows, { model: this.model, minMemoryGb: this.minMemoryGb });
    this.table.setData(priceTable(this.comparison, rows, this.mine));
  }

  /** Memory sizes come from the data; rebuilt only when they change so an open dropdown is left alone. */
  private renderMemoryOptions(): void {
    const sizes = new Set(this.comparison.rows.map((r) => r.memoryGb).filter((m): m is number => m !== undefined));
    if (this.minMemoryGb > 0) sizes.add(this.minMemoryGb);
    const sorted = [...sizes].sort((a, b) => a - b);
    const signature = sorted.join(',');
    if (signature === this.memoryOptions) return;
    this.memoryOptions = signature;
    const option = (value: number, text: string) => {
      const o = el('vscode-option', { value: String(value) }, text);
      if (value === this.minMemoryGb) o.setAttribute('selected', '');
      return o;
    };
    this.memory.replaceChildren(option(0, 'Any memory'), ...sorted.map((gb) => option(gb, `≥ ${gb} GB`)));
  }
}

function names(clouds: readonly CloudId[]): string {
  const list = clouds.map((c) => CLOUD_NAMES[c]);
  return list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}
