// Aligned text columns shared by the resource and price tables. Widths are measured on sanitized text and
// bounded per column (long names end in "…"), colour is applied after padding so escape codes never count
// as width, and trailing spaces are trimmed so piped output diffs cleanly.
import { displayWidth, pad, truncate, type Paint } from './terminal';

export interface GridColumn<Row> {
  readonly header: string;
  /** Widest the column may grow; longer values are cut with "…". */
  readonly max: number;
  /** Narrowest it may shrink to when the terminal is too narrow (default: never shrinks). */
  readonly min?: number;
  readonly align?: 'left' | 'right';
  /** Already sanitized text (terminalText) for one cell. */
  readonly value: (row: Row) => string;
  /** Colour for one cell, applied after padding. */
  readonly paint?: (row: Row) => Paint | undefined;
}

export const GAP = '  ';

/** Column widths: the widest cell or header, within [min, max], shrunk (widest shrinkable first) to fit `totalWidth`. */
export function columnWidths<Row>(columns: readonly GridColumn<Row>[], rows: readonly Row[], totalWidth?: number): number[] {
  const widths = columns.map((column) =>
    Math.min(column.max, Math.max(displayWidth(column.header), ...rows.map((row) => displayWidth(column.value(row))))),
  );
  if (totalWidth === undefined) return widths;
  let excess = widths.reduce((a, b) => a + b, 0) + GAP.length * (columns.length - 1) - totalWidth;
  while (excess > 0) {
    let widest = -1;
    columns.forEach((column, i) => {
      if (column.min !== undefined && widths[i] > column.min && (widest < 0 || widths[i] > widths[widest])) widest = i;
    });
    if (widest < 0) break;
    widths[widest]--;
    excess--;
  }
  return widths;
}

export function renderHeader<Row>(columns: readonly GridColumn<Row>[], widths: readonly number[], paint: Paint): string {
  return join(columns.map((column, i) => paint(pad(truncate(column.header, widths[i]), widths[i], column.align))));
}

export function renderRow<Row>(columns: readonly GridColumn<Row>[], widths: readonly number[], row: Row): string {
  return join(
    columns.map((column, i) => {
      const cell = pad(truncate(column.value(row), widths[i]), widths[i], column.align);
      const paint = column.paint?.(row);
      return paint ? paint(cell) : cell;
    }),
  );
}

function join(cells: readonly string[]): string {
  return cells.join(GAP).replace(/ +$/, '');
}
