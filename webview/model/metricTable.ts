// One cloud's resources × metrics as table data. Nothing here knows a cloud: the columns are whatever the
// resources and their metrics carry. Known metrics get their label and unit from core/model/describe (the same
// words as the trees and the CLI); a metric describe does not know yet still gets a column, labelled from
// its field name. A metric whose window average equals its maximum on every row (a cloud that reports one
// reading, not a series) gets one column; otherwise "avg" and "max" columns.
import {
  formatBytes,
  formatPricePerHour,
  metricRows,
  plainText,
  priceUnknownText,
  statusWord,
  type MetricRow,
} from '../../src/core/model/describe';
import { CLOUD_NAMES, type ProviderOutcome, type Resource, type ResourceMetrics, type Stat } from '../../src/core/model/model';
import { textKey, type Cell, type Column, type SortKey, type TableData, type TableRow } from './table';
import { ageOf, formatDuration } from './time';

/** How one metric reads: its key, label and unit, from describe or from its field name. */
export interface MetricInfo {
  readonly family: string;
  readonly field: string;
  readonly key: string;
  readonly label: string;
  readonly format: (v: number) => string;
}

/** Turns `diskUsedPercent` into "Disk used" and picks a unit from the name's suffix. */
function fallbackInfo(family: string, field: string): MetricInfo {
  const words = field
    .replace(/(Percent|BytesPerSec|PerSec|Ms|Sec|C|W)$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  const label = words.charAt(0).toUpperCase() + words.slice(1);
  const round = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));
  const format = field.endsWith('Percent')
    ? (v: number) => `${Math.round(v)}%`
    : field.endsWith('BytesPerSec')
      ? (v: number) => `${formatBytes(v)}/s`
      : field.endsWith('PerSec')
        ? (v: number) => `${round(v)}/s`
        : field.endsWith('Ms')
          ? (v: number) => `${round(v)} ms`
          : round;
  return { family, field, key: `${family}.${field}`, label: label || field, format };
}

type MetricsByFamily = Readonly<Record<string, Readonly<Record<string, Stat>> | undefined>>;

/**
 * The metrics reported by any of the resources: describe's known ones in its order (with its labels and
 * units), then any others in the order first seen. One pass over the keys; no per-row formatting objects.
 */
export function discoverMetrics(all: readonly (ResourceMetrics | undefined)[]): MetricInfo[] {
  const probe: Record<string, Record<string, Stat>> = {};
  const seen: [string, string][] = [];
  for (const metrics of all) {
    if (!metrics) continue;
    for (const [family, fields] of Object.entries(metrics as MetricsByFamily)) {
      // `missing` says why a family is absent (text), not a column.
      if (!fields || family === 'missing') continue;
      const target = (probe[family] ??= {});
      for (const field of Object.keys(fields)) {
        if (target[field]) continue;
        target[field] = fields[field];
        seen.push([family, field]);
      }
    }
  }
  const known: MetricInfo[] = metricRows(probe as ResourceMetrics).map((r: MetricRow) => {
    const [family, field] = r.key.split('.');
    return { family, field, key: r.key, label: r.label, format: r.format };
  });
  const knownKeys = new Set(known.map((k) => k.key));
  return [...known, ...seen.filter(([f, x]) => !knownKeys.has(`${f}.${x}`)).map(([f, x]) => fallbackInfo(f, x))];
}

const statOf = (metrics: ResourceMetrics | undefined, info: MetricInfo): Stat | undefined =>
  (metrics as MetricsByFamily | undefined)?.[info.family]?.[info.field];

interface FixedColumn {
  readonly column: Column;
  readonly cell: (r: Resource) => Cell | undefined;
  readonly key: (r: Resource) => SortKey;
}

const gpuText = (r: Resource) => (r.gpu ? `${r.gpu.count}× ${plainText(r.gpu.key ?? r.gpu.model, 60)}` : undefined);
const statusText = (r: Resource) => plainText(statusWord(r), 40);

const FIXED: readonly FixedColumn[] = [
  {
    column: { id: 'name', label: 'Name', numeric: false },
    cell: (r) => ({ text: plainText(r.name, 200), title: plainText(r.name, 600) }),
    key: (r) => textKey(plainText(r.name, 200)),
  },
  { column: { id: 'status', label: 'Status', numeric: false }, cell: (r) => ({ text: statusText(r) }), key: (r) => statusText(r) },
  {
    column: { id: 'service', label: 'Service', numeric: false },
    cell: (r) => ({ text: plainText(r.service, 60) }),
    key: (r) => textKey(r.service),
  },
  {
    column: { id: 'region', label: 'Region', numeric: false },
    cell: (r) => (r.region ? { text: plainText(r.region, 60) } : undefined),
    key: (r) => (r.region ? textKey(r.region) : undefined),
  },
  {
    column: { id: 'gpu', label: 'GPU', numeric: false },
    cell: (r) => (r.gpu ? { text: gpuText(r)!, title: plainText(r.gpu.model, 120) } : undefined),
    key: (r) => (r.gpu ? textKey(gpuText(r)!) : undefined),
  },
  {
    column: { id: 'note', label: 'Note', numeric: false, description: 'What the cloud adds: cluster, shared project, usage this month' },
    cell: (r) => (r.note ? { text: plainText(r.note, 80), title: plainText(r.note, 300) } : undefined),
    key: (r) => (r.note ? textKey(plainText(r.note, 80)) : undefined),
  },
  {
    column: { id: 'price', label: 'Price', numeric: true, description: 'USD per hour while running' },
    cell: (r) => {
      if (r.pricePerHour !== undefined) return { text: formatPricePerHour(r.pricePerHour) };
      const unknown = priceUnknownText(r);
      return unknown ? { text: 'price unknown', title: plainText(unknown, 300), mark: 'warning' } : undefined;
    },
    key: (r) => r.pricePerHour,
  },
];

/** Which fixed columns the data fills: Name and Status always; Service only when it tells rows apart. */
function fixedColumns(resources: readonly Resource[]): FixedColumn[] {
  const services = new Set(resources.map((r) => r.service));
  return FIXED.filter(({ column, cell }) => {
    if (column.id === 'name' || column.id === 'status') return true;
    if (column.id === 'service') return services.size > 1;
    return resources.some((r) => cell(r) !== undefined);
  });
}

interface MetricColumn {
  readonly column: Column;
  readonly info: MetricInfo;
  readonly pick: 'avg' | 'max';
}

function metricColumns(infos: readonly MetricInfo[], all: readonly (ResourceMetrics | undefined)[]): MetricColumn[] {
  return infos.flatMap((info): MetricColumn[] => {
    const { key, label } = info;
    const spread = all.some((m) => {
      const s = statOf(m, info);
      return s !== undefined && s.avg !== s.max;
    });
    if (!spread)
      return [{ column: { id: `m:${key}`, label, numeric: true, description: `${label}, the latest reading` }, info, pick: 'avg' }];
    return [
      {
        column: { id: `m:${key}:avg`, label: `${label} avg`, numeric: true, description: `${label}, average over the metrics window` },
        info,
        pick: 'avg',
      },
      {
        column: { id: `m:${key}:max`, label: `${label} max`, numeric: true, description: `${label}, maximum over the metrics window` },
        info,
        pick: 'max',
      },
    ];
  });
}

const NOT_REPORTED: Cell = { text: '—', mark: 'muted', title: 'not reported' };

/** The table of one cloud. `now` dates stale values ("stale, 4 min old"). */
export function metricTable(outcome: ProviderOutcome, now: number): TableData {
  const resources = outcome.resources;
  const fixed = fixedColumns(resources);
  const all = resources.map((r) => outcome.metrics[r.id]);
  const metrics = metricColumns(discoverMetrics(all), all);
  const age = ageOf(outcome.fetchedAt, now);
  const staleTitle = outcome.stale
    ? `stale: the last refresh failed; this value is ${age !== undefined ? `${formatDuration(age)} old` : 'from an earlier refresh'}`
    : undefined;

  // Sort keys and the filter text are computed now for every row; display text only when a row is drawn
  // (a virtual table draws about 50 of 5,000), which is most of the cost of formatting.
  const rows: TableRow[] = resources.map((r, i) => {
    const keys: SortKey[] = fixed.map((f) => f.key(r));
    for (const m of metrics) keys.push(statOf(all[i], m.info)?.[m.pick]);
    const cells = (): Cell[] => {
      const out: Cell[] = fixed.map((f) => {
        const cell = f.cell(r) ?? NOT_REPORTED;
        return f.column.id === 'status' && staleTitle ? { text: `${cell.text} (stale)`, title: staleTitle, mark: 'stale' } : cell;
      });
      metrics.forEach((m, c) => {
        const value = keys[fixed.length + c] as number | undefined;
        if (value === undefined) out.push(NOT_REPORTED);
        else out.push(staleTitle ? { text: m.info.format(value), title: staleTitle, mark: 'stale' } : { text: m.info.format(value) });
      });
      return out;
    };
    const haystack = [r.name, r.id, r.status, r.rawStatus, r.region, r.service, r.kind, r.gpu?.key, r.gpu?.model]
      .filter(Boolean)
      .join('\n')
      .toLowerCase();
    return { id: r.id, cells, keys, haystack };
  });
  return { columns: [...fixed.map((f) => f.column), ...metrics.map((m) => m.column)], rows };
}

/** The line above a cloud's table: how many resources, how old the data, stale or cached. */
export function tableCaption(outcome: ProviderOutcome, now: number): string {
  const age = ageOf(outcome.fetchedAt, now);
  const parts = [`${CLOUD_NAMES[outcome.cloud]}: ${outcome.resources.length} resource${outcome.resources.length === 1 ? '' : 's'}`];
  if (age !== undefined) parts.push(`data ${formatDuration(age)} old${outcome.fromCache ? ' (cached)' : ''}`);
  if (outcome.stale) parts.push('STALE: the last refresh failed, showing the last good data');
  else if (outcome.state === 'error') parts.push('the last refresh failed');
  return parts.join(' · ');
}
