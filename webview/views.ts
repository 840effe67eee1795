// The overview tab and the per-cloud tabs. Each view owns its TableView and rebuilds its table data from
// a snapshot; the DOM work is the table's.
import { plainText } from '../src/core/model/describe';
import { CLOUD_NAMES, type CloudId, type ProviderOutcome, type Snapshot } from '../src/core/model/model';
import { el } from './dom';
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

export class OverviewView {
  readonly element: HTMLElement;
  private readonly totals = el('p', { class: 'totals' });
  private readonly table: TableView;

  constructor(callbacks: TableCallbacks) {
    this.table = new TableView({ label: 'Clouds overview', virtual: false, noun: 'clouds', ...callbacks });
    this.element = el('section', { class: 'overview', 'aria-label': 'Overview' }, this.totals, this.table.element);
  }

  update(snapshot: Snapshot, now: number): void {
    this.totals.textContent = totalsLine(snapshot);
    this.table.setData(overviewTable(snapshot, now));
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
