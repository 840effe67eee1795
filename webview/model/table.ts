// The data behind every dashboard table, independent of the DOM: columns, rows of display text with a
// precomputed sort key per cell and a precomputed lower-case haystack per row, so sorting 5,000 rows
// compares numbers or short strings and filtering is one `includes` per row.

export type SortKey = number | string | undefined;

export interface Column {
  readonly id: string;
  readonly label: string;
  /** Numbers align right and sort largest first on the first click. */
  readonly numeric: boolean;
  /** Longer text for the header's tooltip and accessible name. */
  readonly description?: string;
}

export type CellMark = 'stale' | 'best' | 'idle' | 'error' | 'warning' | 'muted' | 'mine';

export interface Cell {
  /** Display text; the DOM layer sets it with textContent only. */
  readonly text: string;
  /** Extra lines under the first (price cells). */
  readonly lines?: readonly string[];
  /** A smaller second figure on the same line (a spot price, "you run 3"). */
  readonly secondary?: string;
  /** Said to a screen reader after the text, where a glyph alone carries the meaning (★ → "cheapest"). */
  readonly srText?: string;
  readonly title?: string;
  readonly mark?: CellMark;
  /** A sparkline after the text: values 0–100, null for a gap (drawn by webview/sparkline.ts). */
  readonly spark?: readonly (number | null)[];
  /** Buttons in the cell; activating one calls TableViewOptions.onAction with the row id and the action id. */
  readonly actions?: readonly CellAction[];
}

export interface CellAction {
  readonly id: string;
  readonly label: string;
  readonly title: string;
}

export interface TableRow {
  readonly id: string;
  /** Display cells, one per column; a function so big tables format only the rows they draw. */
  readonly cells: () => readonly Cell[];
  /** One per column; undefined (not reported) always sorts last. */
  readonly keys: readonly SortKey[];
  /** Lower-case text the filter searches. */
  readonly haystack: string;
}

export interface TableData {
  readonly columns: readonly Column[];
  readonly rows: readonly TableRow[];
}

export interface SortState {
  readonly column: string;
  readonly descending: boolean;
}

/** The next sort after activating a column header: a new column starts descending for numbers, then toggles. */
export function nextSort(current: SortState | undefined, column: Column): SortState {
  if (current?.column === column.id) return { column: column.id, descending: !current.descending };
  return { column: column.id, descending: column.numeric };
}

/** Lower-case string key, so comparisons need no locale-aware collation per pair. */
export const textKey = (s: string): string => s.toLowerCase();

/**
 * Row order for a sort: indices into data.rows. Undefined keys go last in both directions; equal keys keep
 * the data's order (Array.prototype.sort is stable), so a re-sort never shuffles ties.
 */
export function sortOrder(data: TableData, sort: SortState | undefined): number[] {
  const order = data.rows.map((_, i) => i);
  const col = sort ? data.columns.findIndex((c) => c.id === sort.column) : -1;
  if (!sort || col < 0) return order;
  const keys = data.rows.map((r) => r.keys[col]);
  const dir = sort.descending ? -1 : 1;
  order.sort((a, b) => {
    const ka = keys[a];
    const kb = keys[b];
    if (ka === kb) return 0;
    if (ka === undefined) return 1;
    if (kb === undefined) return -1;
    if (typeof ka === typeof kb) return (ka < kb ? -1 : 1) * dir;
    return (typeof ka === 'number' ? -1 : 1) * dir; // mixed: numbers before text
  });
  return order;
}

/** Every whitespace-separated term of the filter must occur in the row's haystack. */
export function filterOrder(data: TableData, order: readonly number[], filter: string): number[] {
  const terms = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [...order];
  return order.filter((i) => {
    const hay = data.rows[i].haystack;
    return terms.every((t) => hay.includes(t));
  });
}

/**
 * Sort once per (data, sort), filter on every keystroke: a query object remembers the last order so
 * typing in the filter box never re-sorts 5,000 rows.
 */
export class TableQuery {
  private sortedFor: { data: TableData; key: string } | undefined;
  private sorted: number[] = [];

  run(data: TableData, sort: SortState | undefined, filter: string): number[] {
    const key = sort ? `${sort.column}:${sort.descending}` : '';
    if (this.sortedFor?.data !== data || this.sortedFor.key !== key) {
      this.sorted = sortOrder(data, sort);
      this.sortedFor = { data, key };
    }
    return filterOrder(data, this.sorted, filter);
  }
}

/** The slice of rows a virtualized table renders: what is in view plus some rows either side. */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  total: number,
  overscan = 10,
): { start: number; end: number } {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  // A viewport not laid out yet (hidden tab) still shows a first page rather than nothing.
  const inView = Math.ceil((viewportHeight > 0 ? viewportHeight : 600) / rowHeight);
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const start = Math.max(0, Math.min(first, total - 1) - overscan);
  const end = Math.min(total, first + inView + overscan);
  return { start, end: Math.max(end, start) };
}
