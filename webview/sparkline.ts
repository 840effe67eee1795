// A sparkline as a tiny inline SVG: one <polyline> on a fixed 0–100 % scale, coloured by CSS (stroke from the theme's
// chart colour, so it follows the theme without a redraw), with a <title> giving the numbers. Not uPlot: a uPlot
// instance per row is a canvas, a DOM subtree and a resize observer each — 1,000 rows would cost a second — while a
// polyline is one element the browser draws with the row; the charts that need axes and hover use uPlot (charts.ts).
const SVG = 'http://www.w3.org/2000/svg';
export const SPARK_W = 80;
export const SPARK_H = 16;

/** Polyline points for values on 0–100, gaps split into separate runs. */
export function sparkRuns(values: readonly (number | null)[], width = SPARK_W, height = SPARK_H): string[] {
  const runs: string[] = [];
  let run: string[] = [];
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  values.forEach((v, i) => {
    if (v === null) {
      if (run.length) runs.push(run.join(' '));
      run = [];
      return;
    }
    const x = values.length > 1 ? i * step : width / 2;
    const y = height - 1 - (Math.min(100, Math.max(0, v)) / 100) * (height - 2);
    run.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  });
  if (run.length) runs.push(run.join(' '));
  return runs;
}

/** "GPU utilization, 12 refreshes: 0 % to 87 %, now 42 %" — the sparkline's text alternative. */
export function sparkSummary(values: readonly (number | null)[]): string {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return 'No GPU utilization history yet';
  const round = (v: number) => `${Math.round(v)} %`;
  return `GPU utilization history (${known.length} point${known.length === 1 ? '' : 's'}): ${round(Math.min(...known))} to ${round(Math.max(...known))}, latest ${round(known[known.length - 1])}`;
}

export function sparkline(values: readonly (number | null)[]): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('width', String(SPARK_W));
  svg.setAttribute('height', String(SPARK_H));
  svg.setAttribute('viewBox', `0 0 ${SPARK_W} ${SPARK_H}`);
  svg.setAttribute('role', 'img');
  const summary = sparkSummary(values);
  svg.setAttribute('aria-label', summary);
  svg.setAttribute('data-points', String(values.filter((v) => v !== null).length));
  const title = document.createElementNS(SVG, 'title');
  title.textContent = summary;
  svg.append(title);
  for (const points of sparkRuns(values)) {
    const line = document.createElementNS(SVG, points.includes(' ') ? 'polyline' : 'circle');
    if (points.includes(' ')) line.setAttribute('points', points);
    else {
      const [x, y] = points.split(',');
      line.setAttribute('cx', x);
      line.setAttribute('cy', y);
      line.setAttribute('r', '1.5');
    }
    svg.append(line);
  }
  return svg;
}
