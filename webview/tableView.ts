// A sortable, filterable, optionally virtualized table over TableData. A plain <table> keeps the semantics
// screen readers know (column headers, aria-sort, aria-rowcount/rowindex for the rows not in the DOM);
// sorting is a <button> in each header, so mouse, Enter and Space all work and focus is visible. In
// virtual mode only the rows in view (plus some either side) exist in the DOM; spacer rows keep the
// scroll height, so 5,000 rows cost as much to render as 50.
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { el, srOnly } from './dom';
import { sparkline } from './sparkline';
import { nextSort, TableQuery, visibleRange, type Cell, type SortState, type TableData } from './model/table';

export interface TableViewOptions {
  /** Accessible name of the table and its scroll region. */
  readonly label: string;
  readonly virtual: boolean;
  /** Noun for the count line: "12 of 5,000 resources". */
  readonly noun: string;
  /** Present: the table gets its own filter field. */
  readonly filterLabel?: string;
  readonly sort?: SortState;
  readonly filter?: string;
  readonly onSort?: (sort: SortState) => void;
  readonly onFilter?: (filter: string) => void;
  /** A button of a cell (Cell.actions) was activated. */
  readonly onAction?: (rowId: string, action: string) => void;
  /** Present: clicking a row (or Enter on it) selects it. */
  readonly onSelect?: (rowId: string) => void;
}

/** Fallback until a real row has been measured. */
const DEFAULT_ROW_HEIGHT = 22;

export class TableView {
  readonly element: HTMLElement;
  private readonly scroller: HTMLDivElement;
  private readonly table: HTMLTableElement;
  private readonly thead: HTMLTableSectionElement;
  private readonly tbody: HTMLTableSectionElement;
  private readonly count: HTMLElement;
  private readonly query = new TableQuery();
  private data: TableData = { columns: [], rows: [] };
  private order: number[] = [];
  private sort: SortState | undefined;
  private filter: string;
  private rowHeight = 0;
  private rendered = { start: -1, end: -1 };
  private frame = 0;
  private headerSignature = '';
  private selected: string | undefined;

  constructor(private readonly options: TableViewOptions) {
    this.sort = options.sort;
    this.filter = options.filter ?? '';
    this.thead = el('thead');
    this.tbody = el('tbody');
    this.table = el('table', { class: options.virtual ? 'data virtual' : 'data', 'aria-label': options.label }, this.thead, this.tbody);
    // Focusable so the keyboard can scroll it; named so a screen reader says what it is.
    this.scroller = el('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': options.label }, this.table);
    this.count = el('span', { class: 'count muted', role: 'status' });
    const toolbar = el('div', { class: 'toolbar' });
    if (options.filterLabel) {
      const field = document.createElement('vscode-textfield');
      field.className = 'filter';
      field.placeholder = 'Filter…';
      field.label = options.filterLabel;
      field.value = this.filter;
      field.addEventListener('input', () => this.setFilter(field.value));
      toolbar.append(field);
    }
    toolbar.append(this.count);
    this.element = el('div', { class: 'table-block' }, toolbar, this.scroller);
    if (options.virtual) this.scroller.addEventListener('scroll', () => this.schedule(), { passive: true });
  }

  /** Marks the selected row (aria-selected), without a redraw of the others. */
  select(rowId: string | undefined): void {
    this.selected = rowId;
    this.tbody.querySelectorAll('tr.row').forEach((tr) => {
      const on = tr.getAttribute('data-id') === rowId;
      tr.classList.toggle('selected', on);
      tr.setAttribute('aria-selected', String(on));
    });
  }

  setData(data: TableData): void {
    this.data = data;
    this.refresh(false);
  }

  /** Re-derives the order and redraws; the header only when the columns or sort changed. */
  private refresh(resetScroll: boolean): void {
    this.order = this.query.run(this.data, this.sort, this.filter);
    this.renderHeader();
    if (resetScroll) this.scroller.scrollTop = 0;
    this.rendered = { start: -1, end: -1 };
    this.renderBody();
    const total = this.data.rows.length;
    this.count.textContent =
      this.order.length === total ? `${total} ${this.options.noun}` : `${this.order.length} of ${total} ${this.options.noun}`;
  }

  private setFilter(filter: string): void {
    this.filter = filter;
    this.options.onFilter?.(filter);
    this.refresh(true);
  }

  private activate(columnIndex: number): void {
    const column = this.data.columns[columnIndex];
    if (!column) return;
    this.sort = nextSort(this.sort, column);
    this.options.onSort?.(this.sort);
    this.refresh(false);
  }

  private renderHeader(): void {
    this.table.setAttribute('aria-rowcount', String(this.order.length + 1));
    const columnsSignature = JSON.stringify(this.data.columns);
    if (columnsSignature !== this.headerSignature) {
      this.headerSignature = columnsSignature;
      const cells = this.data.columns.map((c, i) => {
        const button = el(
          'button',
          { type: 'button', class: 'sort', title: c.description ? `${c.description} — sort` : `Sort by ${c.label}`, 'data-column': c.id },
          c.label,
          el('span', { class: 'sort-indicator', 'aria-hidden': 'true' }),
        );
        button.addEventListener('click', () => this.activate(i));
        return el('th', { scope: 'col', class: c.numeric ? 'num' : undefined }, button);
      });
      this.thead.replaceChildren(el('tr', { 'aria-rowindex': '1' }, ...cells));
    }
    // The sort is shown in place, so the header buttons — and the keyboard focus on one — stay put.
    this.thead.querySelectorAll('th').forEach((th, i) => {
      const sorted = this.sort?.column === this.data.columns[i]?.id ? (this.sort.descending ? 'descending' : 'ascending') : 'none';
      if (th.getAttribute('aria-sort') === sorted) return;
      th.setAttribute('aria-sort', sorted);
      const indicator = th.querySelector('.sort-indicator');
      if (indicator) indicator.textContent = sorted === 'ascending' ? ' ▲' : sorted === 'descending' ? ' ▼' : '';
    });
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderBody();
    });
  }

  /** Call when the table became visible (a tab switch): virtual mode needs the real viewport height. */
  relayout(): void {
    this.rendered = { start: -1, end: -1 };
    this.renderBody();
  }

  private renderBody(): void {
    const total = this.order.length;
    if (total === 0) {
      const message = this.data.rows.length === 0 ? `No ${this.options.noun}.` : `No ${this.options.noun} match “${this.filter}”.`;
      this.tbody.replaceChildren(
        el('tr', {}, el('td', { class: 'empty muted', colspan: String(Math.max(1, this.data.columns.length)) }, message)),
      );
      return;
    }
    let { start, end } = { start: 0, end: total };
    if (this.options.virtual) {
      const height = this.rowHeight || DEFAULT_ROW_HEIGHT;
      const offset = Math.max(0, this.scroller.scrollTop - this.thead.offsetHeight);
      ({ start, end } = visibleRange(offset, this.scroller.clientHeight, height, total));
      if (start === this.rendered.start && end === this.rendered.end) return;
    }
    this.rendered = { start, end };
    const rows: HTMLTableRowElement[] = [];
    for (let i = start; i < end; i++) rows.push(this.renderRow(this.order[i], i));
    if (this.options.virtual) {
      const height = this.rowHeight || DEFAULT_ROW_HEIGHT;
      this.tbody.replaceChildren(this.spacer(start * height), ...rows, this.spacer((total - end) * height));
      if (!this.rowHeight && rows.length > 0) this.measure(rows, height);
    } else this.tbody.replaceChildren(...rows);
  }

  /**
   * Measures the rendered rows once for real (fonts and zoom differ; the first row alone can be half a pixel off,
   * which 5,000 rows turn into a screen). It may happen only after a scroll (a tab laid out late): the row at the top
   * stays at the top, so a jump to the end still ends at the last row.
   */
  private measure(rows: readonly HTMLTableRowElement[], guessed: number): void {
    const first = rows[0].getBoundingClientRect();
    const last = rows[rows.length - 1].getBoundingClientRect();
    const measured = (last.bottom - first.top) / rows.length;
    if (!(measured > 0)) return;
    this.rowHeight = measured;
    if (Math.abs(measured - guessed) <= 0.1) return;
    const header = this.thead.offsetHeight;
    const offset = Math.max(0, this.scroller.scrollTop - header);
    const atEnd = this.scroller.scrollTop + this.scroller.clientHeight >= this.scroller.scrollHeight - guessed;
    this.relayout();
    this.scroller.scrollTop = atEnd ? this.scroller.scrollHeight : header + (offset / guessed) * measured;
  }

  private spacer(px: number): HTMLTableRowElement {
    const td = el('td', { colspan: String(this.data.columns.length) });
    td.style.height = `${px}px`; // CSSOM, not a style attribute: allowed by the CSP
    return el('tr', { class: 'spacer', 'aria-hidden': 'true' }, td);
  }

  private renderRow(index: number, position: number): HTMLTableRowElement {
    const row = this.data.rows[index];
    const tr = el('tr', { class: 'row', 'aria-rowindex': String(position + 2), 'data-id': row.id });
    row
      .cells()
      .forEach((cell, c) => tr.append(this.renderCell(cell, c === 0 ? 'th' : 'td', this.data.columns[c]?.numeric ?? false, row.id)));
    const onSelect = this.options.onSelect;
    if (onSelect) {
      const on = row.id === this.selected;
      tr.classList.toggle('selected', on);
      tr.setAttribute('aria-selected', String(on));
      tr.tabIndex = 0;
      tr.addEventListener('click', (event) => {
        if (!(event.target as Element).closest('button')) onSelect(row.id);
      });
      tr.addEventListener('keydown', (event) => {
        if (event.target === tr && (event.key === 'Enter' || event.key === ' ')) {
          event.preventDefault();
          onSelect(row.id);
        }
      });
    }
    return tr;
  }

  private renderCell(cell: Cell, tag: 'th' | 'td', numeric: boolean, rowId: string): HTMLElement {
    const classes = [numeric ? 'num' : '', cell.mark ? `mark-${cell.mark}` : ''].filter(Boolean).join(' ');
    const node = el(tag, { class: classes || undefined, title: cell.title, scope: tag === 'th' ? 'row' : undefined }, cell.text);
    if (cell.srText) node.append(srOnly(cell.srText));
    if (cell.secondary) node.append(' ', el('span', { class: 'secondary' }, cell.secondary));
    for (const line of cell.lines ?? []) node.append(el('div', { class: 'line' }, line));
    if (cell.mark === 'stale' && !cell.text.includes('stale')) node.append(srOnly(' (stale)'));
    if (cell.spark) node.append(' ', sparkline(cell.spark));
    for (const action of cell.actions ?? []) {
      const button = el('button', { type: 'button', class: 'row-action', title: action.title, 'data-action': action.id }, action.label);
      button.addEventListener('click', () => this.options.onAction?.(rowId, action.id));
      node.append(button);
    }
    return node;
  }
}
