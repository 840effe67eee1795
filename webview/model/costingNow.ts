// "Costing now": one cross-cloud list of every billed GPU resource — the snapshot's GPU spend lines, the same rule
// the status bar and the totals use (src/core/model/spend.ts computeTotals: running, or billed while paused, with a
// price) — sorted by price per hour, most expensive first: cloud, name, GPUs, utilization now with its sparkline, the
// idle flag, since when it runs where the cloud says, and what it has cost since then (an estimate: price × hours).
import { formatMoney, formatPricePerHour, plainText } from '../../src/core/model/describe';
import { CLOUD_NAMES, type CloudId, type GpuSpendLine, type Resource, type Snapshot } from '../../src/core/model/model';
import type { DashboardHistory } from '../../src/dashboard/protocol';
import { textKey, type Column, type TableData, type TableRow } from './table';
import { formatDuration } from './time';

export const COSTING_COLUMNS: readonly Column[] = [
  { id: 'cloud', label: 'Cloud', numeric: false },
  { id: 'name', label: 'Name', numeric: false },
  { id: 'gpu', label: 'GPU', numeric: false, description: 'GPU count × model' },
  { id: 'util', label: 'GPU utilization', numeric: true, description: 'Average over the last metrics window, and its history' },
  { id: 'idle', label: 'Idle', numeric: false, description: 'GPU utilization under the idle threshold through the window' },
  { id: 'since', label: 'Running since', numeric: true, description: 'Where the cloud says when it started (or was created)' },
  { id: 'cost', label: 'Cost since (est.)', numeric: true, description: 'Estimate: price per hour × hours since then' },
  { id: 'price', label: 'Price', numeric: true, description: 'USD per hour' },
  { id: 'actions', label: 'Actions', numeric: false },
];

/** Rows are keyed `cloud:id` (the id may hold colons; the cloud never does). */
export const rowKey = (cloud: CloudId, id: string) => `${cloud}:${id}`;
export function parseRowKey(key: string): { cloud: CloudId; id: string } {
  const at = key.indexOf(':');
  return { cloud: key.slice(0, at) as CloudId, id: key.slice(at + 1) };
}

export interface RunningSince {
  readonly at: number;
  /** How the time is known, said beside it: a start time is exact, a creation time bounds the run from above. */
  readonly basis: 'started' | 'created';
}

/**
 * When the resource started running, where the cloud says: RunPod's uptime (details.uptimeSec, counted back from when
 * the cloud answered), a start time (details.startedAt), else its creation time (Resource.createdAt — Vast.ai's
 * start_date, the VM clouds' creation time: a stop and start since then is not known, so the estimate is a ceiling).
 */
export function runningSince(resource: Resource, fetchedAt: number): RunningSince | undefined {
  const uptime = resource.details?.uptimeSec;
  if (typeof uptime === 'number' && Number.isFinite(uptime) && uptime >= 0) return { at: fetchedAt - uptime * 1000, basis: 'started' };
  const started = resource.details?.startedAt;
  const startedAt = typeof started === 'string' ? Date.parse(started) : NaN;
  if (Number.isFinite(startedAt)) return { at: startedAt, basis: 'started' };
  const created = resource.createdAt ? Date.parse(resource.createdAt) : NaN;
  return Number.isFinite(created) ? { at: created, basis: 'created' } : undefined;
}

export interface CostingRow {
  readonly key: string;
  readonly line: GpuSpendLine;
  readonly resource: Resource | undefined;
  readonly utilization: number | undefined;
  readonly spark: readonly (number | null)[];
  readonly since: RunningSince | undefined;
  readonly costSince: number | undefined;
}

export function costingRows(snapshot: Snapshot, history: DashboardHistory | undefined, now: number): CostingRow[] {
  const sparks = new Map<string, readonly (number | null)[]>();
  for (const s of history?.sparks ?? []) sparks.set(rowKey(s.cloud, s.id), s.gpu);
  return snapshot.totals.gpuSpend.map((line) => {
    const outcome = snapshot.outcomes[line.cloud];
    const resource = outcome?.resources.find((r) => r.id === line.resourceId);
    const fetchedAt = outcome?.fetchedAt ? Date.parse(outcome.fetchedAt) : now;
    const since = resource ? runningSince(resource, fetchedAt) : undefined;
    const hours = since ? Math.max(0, now - since.at) / 3_600_000 : undefined;
    const key = rowKey(line.cloud, line.resourceId);
    return {
      key,
      line,
      resource,
      utilization: outcome?.metrics[line.resourceId]?.gpu?.utilizationPercent?.avg,
      spark: sparks.get(key) ?? [],
      since,
      costSince: hours !== undefined ? line.pricePerHour * hours : undefined,
    };
  });
}

/** "1 × H100-SXM-80GB" */
export function gpuText(line: GpuSpendLine): string {
  return line.gpu ? `${line.gpu.count} × ${plainText(line.gpu.key ?? line.gpu.model, 60)}` : '—';
}

export function costingTable(rows: readonly CostingRow[], now: number, stoppable: ReadonlySet<CloudId>): TableData {
  const tableRows: TableRow[] = rows.map((row) => {
    const { line } = row;
    const name = plainText(line.name, 200);
    const age = row.since ? now - row.since.at : undefined;
    const sinceText = row.since && age !== undefined ? `${row.since.basis === 'created' ? 'created ' : ''}${formatDuration(age)} ago` : '—';
    return {
      id: row.key,
      cells: () => [
        { text: CLOUD_NAMES[line.cloud] },
        { text: name, title: `${name} (${plainText(line.resourceId, 200)})` },
        { text: gpuText(line) },
        {
          text: row.utilization !== undefined ? `${Math.round(row.utilization)} %` : 'not reported',
          ...(row.utilization === undefined ? { mark: 'muted' as const } : {}),
          spark: row.spark,
        },
        line.idle
          ? { text: 'idle', mark: 'idle' as const, title: 'GPU utilization stayed under the idle threshold' }
          : { text: '—', mark: 'muted' as const },
        row.since
          ? {
              text: sinceText,
              title: `${row.since.basis === 'created' ? 'Created' : 'Running since'} ${new Date(row.since.at).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
            }
          : { text: 'not reported', mark: 'muted' as const, title: `${CLOUD_NAMES[line.cloud]} does not say when it started` },
        row.costSince !== undefined
          ? row.since?.basis === 'created'
            ? {
                // From the creation time the cloud gives, not a start: any time it spent stopped since then is not
                // known, so this is a ceiling, and says so.
                text: `≤ ${formatMoney(row.costSince)}`,
                title: 'Estimate, at most: price × hours since it was created (the cloud does not say when it last started)',
              }
            : { text: `≈ ${formatMoney(row.costSince)}`, title: 'Estimate: price × hours since it started' }
          : { text: '—', mark: 'muted' as const },
        { text: formatPricePerHour(line.pricePerHour) },
        {
          text: '',
          actions: [
            ...(stoppable.has(line.cloud) ? [{ id: 'stop', label: 'Stop', title: `Stop ${name} (asks first)` }] : []),
            { id: 'show', label: 'Show', title: `Show ${name} in the ${CLOUD_NAMES[line.cloud]} view` },
          ],
        },
      ],
      keys: [
        textKey(CLOUD_NAMES[line.cloud]),
        textKey(name),
        textKey(gpuText(line)),
        row.utilization,
        line.idle ? 1 : 0,
        age,
        row.costSince,
        line.pricePerHour,
        undefined,
      ],
      haystack: [CLOUD_NAMES[line.cloud], name, gpuText(line), line.idle ? 'idle' : ''].join('\n').toLowerCase(),
    };
  });
  return { columns: COSTING_COLUMNS, rows: tableRows };
}

/** "4 GPU instances cost $23.50/h now across 3 clouds; 1 idle" — the list's text summary. */
export function costingSummary(rows: readonly CostingRow[]): string {
  if (rows.length === 0) return 'No billed GPU resource right now.';
  const total = rows.reduce((sum, r) => sum + r.line.pricePerHour, 0);
  const clouds = new Set(rows.map((r) => r.line.cloud)).size;
  const idle = rows.filter((r) => r.line.idle).length;
  return `${rows.length} billed GPU resource${rows.length === 1 ? '' : 's'} cost ${formatPricePerHour(total)} now across ${clouds} cloud${clouds === 1 ? '' : 's'}${idle ? `; ${idle} idle` : ''}.`;
}
