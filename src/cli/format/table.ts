// The resource table: one group per cloud, one row per resource, with the metric columns of the families the
// group reports (compute and GPU, function, database). `--wide` adds ID, type, region, network and created
// columns. Numbers read exactly as in the trees and the dashboard (core/model/describe.ts formats them);
// a value the cloud did not report shows as "-", never as 0.
import { formatMoney, metricRows, priceUnknownText, statusWord } from '../../core/model/describe';
import { formatAge } from '../../core/model/duration';
import {
  CLOUD_NAMES,
  type CloudId,
  type ProviderOutcome,
  type Resource,
  type ResourceMetrics,
  type Snapshot,
} from '../../core/model/model';
import { billedAtRunningPrice, isUnpricedGpu } from '../../core/model/spend';
import { columnWidths, renderHeader, renderRow, type GridColumn } from './grid';
import { terminalText, type Paint, type Style } from './terminal';

export interface ResourceRow {
  readonly resource: Resource;
  readonly metrics: ResourceMetrics | undefined;
}

export const ABSENT = '-';
/** Refreshes a `--refresh --wide` sparkline shows: the newest, one character each. */
export const SPARK_COLUMN = 20;
const INDENT = '  ';

/** One metric's window average, formatted by the shared formatter, or "-" when the cloud did not report it. */
export function metricCell(metrics: ResourceMetrics | undefined, key: string): string {
  const row = metricRows(metrics).find((r) => r.key === key);
  return row ? row.format(row.stat.avg) : ABSENT;
}

/** What the resource costs per hour in its current state: the running price, or the storage a stopped one keeps paying. */
export function costCell(resource: Resource): string {
  const usd = billedAtRunningPrice(resource)
    ? resource.pricePerHour
    : resource.status === 'stopped'
      ? resource.storagePricePerHour
      : undefined;
  if (usd === undefined) return isUnpricedGpu(resource) ? 'unknown' : ABSENT;
  return formatCost(usd);
}

/** The Note column: the resource's note, and why a billed GPU has no price (`price unknown: …`). */
export function noteCell(resource: Resource): string {
  const notes = [priceUnknownText(resource), resource.note].filter((n): n is string => n !== undefined);
  return notes.length > 0 ? terminalText(notes.join(' · ')) : ABSENT;
}

/** USD, where a fraction of a cent (stopped storage often costs that an hour) reads "<$0.01", not "$0.00" = free. */
export function formatCost(usd: number): string {
  return usd > 0 && usd < 0.005 ? '<$0.01' : formatMoney(usd);
}

export function statusCell(resource: Resource): string {
  return terminalText(statusWord(resource));
}

/** GPU instances say what they carry ("2× H100-SXM-80GB", the normalized key that compares across clouds); the rest say what they are. */
export function typeCell(resource: Resource): string {
  return terminalText(resource.gpu ? `${resource.gpu.count}× ${resource.gpu.key ?? resource.gpu.model}` : resource.kind);
}

/** `2026-10-05 14:03` (UTC) from an ISO time; "-" when absent or not a time. */
export function createdCell(resource: Resource): string {
  const ms = resource.createdAt ? Date.parse(resource.createdAt) : NaN;
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 16).replace('T', ' ') : ABSENT;
}

function statusPaint(style: Style): (row: ResourceRow) => Paint | undefined {
  return ({ resource }) => {
    switch (resource.status) {
      case 'running':
        return style.green;
      case 'error':
        return style.red;
      case 'starting':
      case 'stopping':
        return style.yellow;
      case 'stopped':
        return style.dim;
      default:
        return undefined;
    }
  };
}

/** The metric columns a group shows: those of the families its resources report, so a Workers group shows
 * requests and errors, a GPU group CPU, memory and GPU, and a group with no metrics at all none. */
type MetricSet = 'compute' | 'function' | 'database';

export function metricSets(rows: readonly ResourceRow[]): MetricSet[] {
  const reported = (test: (m: ResourceMetrics) => unknown) => rows.some((r) => r.metrics !== undefined && test(r.metrics));
  const sets: MetricSet[] = [];
  // GPU instances keep their columns while stopped (no metrics then), so a group's layout does not jump.
  if (reported((m) => m.compute ?? m.gpu) || rows.some((r) => r.resource.gpu)) sets.push('compute');
  if (reported((m) => m.function)) sets.push('function');
  if (reported((m) => m.database)) sets.push('database');
  return sets;
}

/** The GPU utilization sparkline of a resource (`--refresh --wide`), or undefined for one that is no GPU instance. */
export type GpuSpark = (resource: Resource) => string | undefined;

export function resourceColumns(
  wide: boolean,
  style: Style,
  sets: readonly MetricSet[] = ['compute'],
  notes = false,
  spark?: GpuSpark,
): GridColumn<ResourceRow>[] {
  const name: GridColumn<ResourceRow> = { header: 'Name', max: 40, min: 12, value: (r) => terminalText(r.resource.name) };
  const status: GridColumn<ResourceRow> = { header: 'Status', max: 20, value: (r) => statusCell(r.resource), paint: statusPaint(style) };
  const metric = (header: string, key: string): GridColumn<ResourceRow> => ({
    header,
    max: 10,
    align: 'right',
    value: (r) => metricCell(r.metrics, key),
  });
  const columnsOf: Record<MetricSet, GridColumn<ResourceRow>[]> = {
    compute: [metric('CPU%', 'compute.cpuPercent'), metric('Memory%', 'compute.memoryPercent'), metric('GPU%', 'gpu.utilizationPercent')],
    // Per minute: the metrics window's granularity.
    function: [metric('Req/min', 'function.invocations'), metric('Err/min', 'function.errors'), metric('Duration', 'function.durationMs')],
    database: [metric('Conns', 'database.connections'), metric('Queries', 'database.queriesPerSec')],
  };
  const usage = sets.flatMap((set) => columnsOf[set]);
  const cost: GridColumn<ResourceRow> = { header: '$/h', max: 10, align: 'right', value: (r) => costCell(r.resource) };
  if (!wide) return [name, status, ...usage, cost];
  const network = sets.includes('compute')
    ? [
        {
          header: 'Net In',
          max: 12,
          align: 'right',
          value: (r: ResourceRow) => metricCell(r.metrics, 'compute.networkInBytesPerSec'),
        } as const,
        {
          header: 'Net Out',
          max: 12,
          align: 'right',
          value: (r: ResourceRow) => metricCell(r.metrics, 'compute.networkOutBytesPerSec'),
        } as const,
      ]
    : [];
  return [
    name,
    { header: 'ID', max: 24, min: 8, value: (r) => terminalText(r.resource.id) },
    { header: 'Type', max: 24, min: 8, value: (r) => typeCell(r.resource) },
    { header: 'Region', max: 16, min: 6, value: (r) => terminalText(r.resource.region ?? ABSENT) },
    status,
    ...usage,
    // Plain characters, no colour: the same with NO_COLOR and in a pipe.
    ...(spark && sets.includes('compute')
      ? [{ header: 'GPU% history', max: SPARK_COLUMN, min: 4, value: (r: ResourceRow) => spark(r.resource) ?? ABSENT }]
      : []),
    ...network,
    cost,
    { header: 'Created', max: 16, value: (r) => createdCell(r.resource) },
    // The cloud's one short fact (cluster, shared project, usage), only for a group that has any.
    ...(notes ? [{ header: 'Note', max: 32, min: 8, value: (r: ResourceRow) => noteCell(r.resource) }] : []),
  ];
}

/** Clouds whose resources can be shown: answered now, or failed with last good data kept (stale). */
export function shownOutcomes(snapshot: Snapshot, clouds: readonly CloudId[]): ProviderOutcome[] {
  return clouds
    .map((c) => snapshot.outcomes[c])
    .filter((o): o is ProviderOutcome => o !== undefined && (o.state === 'ok' || (o.state === 'error' && o.stale)));
}

/** "3 resources · fetched 12 s ago (cache)" — every number has a source and an age. */
export function groupCaption(outcome: ProviderOutcome, now: number, gpu: boolean): string {
  const count = outcome.resources.length;
  const noun = gpu ? 'GPU resource' : 'resource';
  const parts = [`${count} ${noun}${count === 1 ? '' : 's'}`];
  const fetched = outcome.fetchedAt ? Date.parse(outcome.fetchedAt) : NaN;
  if (Number.isFinite(fetched)) parts.push(`fetched ${formatAge(now - fetched)} ago${outcome.fromCache ? ' (cache)' : ''}`);
  if (outcome.stale) parts.push('STALE: the last refresh failed');
  return parts.join(' · ');
}

export interface ResourceTableOptions {
  readonly wide: boolean;
  readonly gpu: boolean;
  readonly style: Style;
  /** Terminal columns to fit into, when known (a TTY); the Name and text columns shrink first. */
  readonly width?: number;
  /** `--refresh --wide`: a column of each GPU instance's utilization over the refreshes so far. */
  readonly gpuSpark?: GpuSpark;
}

export function renderResources(snapshot: Snapshot, clouds: readonly CloudId[], options: ResourceTableOptions): string[] {
  const { style } = options;
  const now = Date.parse(snapshot.timestamp);
  const lines: string[] = [];
  for (const outcome of shownOutcomes(snapshot, clouds)) {
    if (lines.length > 0) lines.push('');
    const caption = groupCaption(outcome, now, options.gpu);
    lines.push(`${style.bold(CLOUD_NAMES[outcome.cloud])}  ${outcome.stale ? style.yellow(caption) : style.dim(caption)}`);
    const rows: ResourceRow[] = outcome.resources.map((resource) => ({ resource, metrics: outcome.metrics[resource.id] }));
    if (rows.length === 0) continue;
    const columns = resourceColumns(
      options.wide,
      style,
      metricSets(rows),
      rows.some((r) => r.resource.note !== undefined || isUnpricedGpu(r.resource)),
      rows.some((r) => r.resource.gpu) ? options.gpuSpark : undefined,
    );
    const widths = columnWidths(columns, rows, options.width === undefined ? undefined : options.width - INDENT.length);
    lines.push(INDENT + renderHeader(columns, widths, style.bold));
    for (const row of rows) lines.push(INDENT + renderRow(columns, widths, row));
  }
  return lines;
}
