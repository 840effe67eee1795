// Sparklines from a history: a series squeezed to a width (means of equal runs of points), and its text form for a
// terminal (▁▂▃▄▅▆▇█, as btop and `spark` draw them). Values are percent (0–100); a gap (null) stays a gap.

export const SPARK_BLOCKS = '▁▂▃▄▅▆▇█';

/** At most `width` values: runs of consecutive points averaged (gaps ignored; a run of gaps stays null). */
export function squeeze(values: readonly (number | null)[], width: number): (number | null)[] {
  if (width <= 0) return [];
  if (values.length <= width) return [...values];
  const out: (number | null)[] = [];
  for (let i = 0; i < width; i++) {
    const from = Math.floor((i * values.length) / width);
    const to = Math.floor(((i + 1) * values.length) / width);
    let sum = 0;
    let n = 0;
    for (let j = from; j < to; j++) {
      const v = values[j];
      if (v !== null) {
        sum += v;
        n++;
      }
    }
    out.push(n > 0 ? sum / n : null);
  }
  return out;
}

/** "▁▂▅▇█" for 0–100 % (fixed scale, so an idle GPU reads low, not a full-height line of noise); a gap is a space. */
export function sparkText(values: readonly (number | null)[], width: number): string {
  return squeeze(values, width)
    .map((v) => (v === null ? ' ' : SPARK_BLOCKS[Math.min(7, Math.max(0, Math.floor((v / 100) * 8)))]))
    .join('');
}
