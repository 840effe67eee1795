// The overview's two charts, drawn by uPlot (MIT, ~50 KB, canvas; no eval, no inline script or style attribute — it
// styles through the CSSOM and its stylesheet is bundled into dashboard.css, so the panel's strict CSP holds):
//   SpendChart    — GPU spend per hour over the last 24 h, stacked by cloud, a point per refresh;
//   ResourceChart — the selected row's GPU utilization, GPU memory, CPU and memory over its history.
// Colours are the theme's chart colours (--vscode-charts-*), read again when the theme changes. Each chart has a text
// alternative: a summary line beside it, its legend showing the values under the cursor, and an aria-label.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatPricePerHour } from '../src/core/model/describe';
import { CLOUD_IDS, CLOUD_NAMES, type CloudId } from '../src/core/model/model';
import type { DashboardHistory, ResourceHistoryMessage } from '../src/dashboard/protocol';
import { el } from './dom';

/** The theme's chart colours, one per cloud in CLOUD_IDS order (fallbacks for a page outside VS Code). */
const CLOUD_COLOURS: readonly [string, string][] = [
  ['--vscode-charts-orange', '#d18616'],
  ['--vscode-charts-red', '#f14c4c'],
  ['--vscode-charts-blue', '#3794ff'],
  ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-purple', '#b180d7'],
  ['--vscode-charts-yellow', '#cca700'],
  ['--vscode-charts-foreground', '#cccccc'],
];

function themeColour(variable: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(variable).trim() || fallback;
}

export function cloudColour(cloud: CloudId): string {
  const [variable, fallback] = CLOUD_COLOURS[CLOUD_IDS.indexOf(cloud) % CLOUD_COLOURS.length];
  return themeColour(variable, fallback);
}

function axes(yLabel: string, format: (v: number) => string): uPlot.Axis[] {
  const stroke = themeColour('--vscode-descriptionForeground', '#999999');
  const grid = { stroke: themeColour('--vscode-charts-lines', 'rgba(128,128,128,0.25)'), width: 1 };
  return [
    { stroke, grid, ticks: grid },
    { stroke, grid, ticks: grid, label: yLabel, size: 60, values: (_u, splits) => splits.map(format) },
  ];
}

const clock = (t: number) => new Date(t).toTimeString().slice(0, 5);

/** Cumulative sums by cloud (bottom first), so each band's top is its cloud's share stacked on those below it. */
export function stack(rows: readonly (readonly (number | null)[])[]): (number | null)[][] {
  const out: (number | null)[][] = [];
  let below: (number | null)[] | undefined;
  for (const row of rows) {
    const sum = row.map((v, i) => (v === null && (below?.[i] ?? null) === null ? null : (v ?? 0) + (below?.[i] ?? 0)));
    out.push(sum);
    below = sum;
  }
  return out;
}

/** "GPU spend, last 24 h (12 refreshes): now $23.50/h, highest $31.00/h at 14:05." */
export function spendSummary(history: DashboardHistory['spend']): string {
  const n = history.t.length;
  if (n === 0) return 'GPU spend, last 24 h: no refresh recorded yet.';
  const totals = history.t.map((_, i) => Object.values(history.clouds).reduce((sum, values) => sum + (values?.[i] ?? 0), 0));
  let peak = 0;
  totals.forEach((v, i) => {
    if (v > totals[peak]) peak = i;
  });
  return `GPU spend, last 24 h (${n} refresh${n === 1 ? '' : 'es'}): now ${formatPricePerHour(totals[n - 1])}, highest ${formatPricePerHour(totals[peak])} at ${clock(history.t[peak])}.`;
}

abstract class Chart {
  readonly element: HTMLElement;
  protected readonly summary = el('p', { class: 'chart-summary' });
  protected readonly plotBox = el('div', { class: 'chart-plot', role: 'img' });
  protected plot: uPlot | undefined;
  private signature = '';

  constructor(className: string, heading: string) {
    this.element = el('section', { class: `chart ${className}`, 'aria-label': heading }, el('h2', {}, heading), this.summary, this.plotBox);
  }

  protected width(): number {
    return Math.max(300, Math.min(1200, this.element.clientWidth || document.body.clientWidth - 40));
  }

  /** Draws anew when the series or the theme changed; otherwise only the data. */
  protected draw(options: () => uPlot.Options, data: uPlot.AlignedData, signature: string): void {
    const key = `${signature}|${document.body.className}`;
    if (this.plot && key === this.signature) {
      this.plot.setData(data);
      return;
    }
    this.plot?.destroy();
    this.signature = key;
    this.plot = new uPlot(options(), data, this.plotBox);
  }

  /** The window was resized or the tab shown: fit the width. */
  resize(): void {
    this.plot?.setSize({ width: this.width(), height: this.plot.height });
  }

  /** The theme changed: colours are read again at the next draw. */
  themeChanged(): void {
    this.signature = '';
  }
}

export class SpendChart extends Chart {
  private last: DashboardHistory['spend'] | undefined;

  constructor() {
    super('spend-chart', 'GPU spend per hour, last 24 h');
  }

  update(history: DashboardHistory['spend']): void {
    this.last = history;
    const clouds = CLOUD_IDS.filter((c) => history.clouds[c]?.some((v) => v !== null && v > 0));
    const text = spendSummary(history);
    this.summary.textContent = text;
    this.plotBox.setAttribute('aria-label', text);
    this.element.setAttribute('data-points', String(history.t.length));
    const raw = clouds.map((c) => history.clouds[c]!);
    const stacked = stack(raw);
    // uPlot paints series in order: the top of the stack first, so each lower band paints over the one above it.
    const order = clouds.map((_, i) => i).reverse();
    const data: uPlot.AlignedData = [history.t.map((t) => t / 1000), ...order.map((i) => stacked[i])];
    this.draw(
      () => ({
        width: this.width(),
        height: 220,
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: axes('$/h', (v) => `$${v.toFixed(v < 10 ? 2 : 0)}`),
        cursor: { drag: { x: false, y: false } },
        series: [
          { value: (_u, v) => (v === null ? '—' : new Date(v * 1000).toLocaleTimeString()) },
          ...order.map((i) => ({
            label: CLOUD_NAMES[clouds[i]],
            stroke: cloudColour(clouds[i]),
            fill: cloudColour(clouds[i]),
            width: 1,
            points: { show: history.t.length < 60 },
            // The legend shows the cloud's own spend at the cursor, not the stacked height.
            value: (_u: uPlot, _v: number | null, _s: number, idx: number | null) => {
              const v = idx === null ? null : (this.last?.clouds[clouds[i]]?.[idx] ?? null);
              return v === null ? '—' : formatPricePerHour(v);
            },
          })),
        ],
      }),
      data,
      clouds.join(),
    );
  }
}

const RESOURCE_SERIES = [
  { field: 'gpu', label: 'GPU utilization', colour: ['--vscode-charts-blue', '#3794ff'] },
  { field: 'gpuMem', label: 'GPU memory', colour: ['--vscode-charts-purple', '#b180d7'] },
  { field: 'cpu', label: 'CPU', colour: ['--vscode-charts-green', '#89d185'] },
  { field: 'mem', label: 'Memory', colour: ['--vscode-charts-orange', '#d18616'] },
] as const;

export class ResourceChart extends Chart {
  constructor() {
    super('resource-chart', 'Utilization over time');
  }

  update(message: ResourceHistoryMessage, name: string): void {
    const shown = RESOURCE_SERIES.filter((s) => message.values[s.field].some((v) => v !== null));
    const gpu = message.values.gpu.filter((v): v is number => v !== null);
    const text =
      message.t.length === 0
        ? `${name}: no history yet; it starts with the next refresh.`
        : `${name}, ${message.t.length} point${message.t.length === 1 ? '' : 's'} since ${clock(message.t[0])}` +
          (gpu.length
            ? `: GPU utilization ${Math.round(Math.min(...gpu))}–${Math.round(Math.max(...gpu))} %, latest ${Math.round(gpu[gpu.length - 1])} %.`
            : '.');
    this.summary.textContent = text;
    this.plotBox.setAttribute('aria-label', text);
    this.element.setAttribute('data-resource', `${message.cloud}:${message.id}`);
    this.element.setAttribute('data-points', String(message.t.length));
    const data: uPlot.AlignedData = [message.t.map((t) => t / 1000), ...shown.map((s) => [...message.values[s.field]])];
    this.draw(
      () => ({
        width: this.width(),
        height: 200,
        scales: { x: { time: true }, y: { range: [0, 100] } },
        axes: axes('%', (v) => `${v} %`),
        cursor: { drag: { x: false, y: false } },
        series: [
          { value: (_u, v) => (v === null ? '—' : new Date(v * 1000).toLocaleTimeString()) },
          ...shown.map((s) => ({
            label: s.label,
            stroke: themeColour(s.colour[0], s.colour[1]),
            width: 2,
            points: { show: message.t.length < 60 },
            value: (_u: uPlot, v: number | null) => (v === null ? '—' : `${Math.round(v)} %`),
          })),
        ],
      }),
      data,
      shown.map((s) => s.field).join(),
    );
  }
}
