// The overview: one row per cloud in the snapshot — state, resource counts, GPU spend per hour, age of the
// data, and its problem if any (an error, or parts not updated) — as sortable table data, plus the totals
// line above it.
import { carriedNote, failedScopes, formatPricePerHour, plainText, scopeName, warningPhrase } from '../../src/core/model/describe';
import { unpricedSuffix } from '../../src/core/model/spend';
import { CLOUD_IDS, CLOUD_NAMES, type OutcomeWarning, type ProviderOutcome, type Snapshot } from '../../src/core/model/model';
import { textKey, type Cell, type Column, type TableData, type TableRow } from './table';
import { ageOf, formatDuration } from './time';

const STATE_WORDS: Readonly<Record<ProviderOutcome['state'], string>> = {
  ok: 'ok',
  error: 'error',
  unconfigured: 'not connected',
  disabled: 'turned off',
};

export function stateText(o: ProviderOutcome): string {
  const word = STATE_WORDS[o.state];
  if (o.stale) return `${word} · stale`;
  if (o.warnings?.length) return `${word} · partial`;
  if (o.fromCache) return `${word} · cached`;
  return word;
}

export const OVERVIEW_COLUMNS: readonly Column[] = [
  { id: 'cloud', label: 'Cloud', numeric: false },
  { id: 'state', label: 'State', numeric: false },
  { id: 'resources', label: 'Resources', numeric: true, description: 'Resources, and how many of them run' },
  { id: 'spend', label: 'GPU spend', numeric: true, description: 'USD per hour of running GPU instances' },
  { id: 'age', label: 'Data age', numeric: true, description: 'How long ago the cloud answered' },
  { id: 'problem', label: 'Problem', numeric: false, description: 'Why the last refresh failed, or which parts it could not update' },
];

/** "metrics not updated (permission): … · showing values from 2 min ago" — a part of a cloud's data that kept
 * its last good values, with their age when they are shown. */
export function warningText(w: OutcomeWarning, o: ProviderOutcome, now: number, max = 300): string {
  const note = carriedNote(w, o, now);
  return `${warningPhrase(w.part)} (${w.category}): ${plainText(w.message, max)}${note ? ` · ${note}` : ''}`;
}

export function overviewTable(snapshot: Snapshot, now: number): TableData {
  const spend = new Map<string, number>();
  for (const line of snapshot.totals.gpuSpend) spend.set(line.cloud, (spend.get(line.cloud) ?? 0) + line.pricePerHour);
  const unpriced = new Map<string, number>();
  for (const line of snapshot.totals.unpricedGpu) unpriced.set(line.cloud, (unpriced.get(line.cloud) ?? 0) + 1);
  const rows: TableRow[] = [];
  for (const cloud of CLOUD_IDS) {
    const o = snapshot.outcomes[cloud];
    if (!o) continue;
    const running = o.resources.filter((r) => r.status === 'running').length;
    const cost = spend.get(cloud);
    const age = ageOf(o.fetchedAt, now);
    // A cloud that failed as a whole says why; one whose scopes failed in part names each of them.
    const scopeErrors = failedScopes(o).map(
      (scope) => `${scopeName(scope)}: ${scope.error!.category}: ${plainText(scope.error!.message, 300)}`,
    );
    const error = o.error
      ? `${o.error.category}: ${plainText(o.error.message, 300)}`
      : scopeErrors.length > 0
        ? scopeErrors.join('; ')
        : undefined;
    const warning = !error && o.warnings?.length ? o.warnings.map((w) => warningText(w, o, now)).join('; ') : undefined;
    const problem = error ?? warning;
    const cells: Cell[] = [
      { text: CLOUD_NAMES[cloud] },
      {
        text: stateText(o),
        ...(o.state === 'error'
          ? { mark: 'error' as const }
          : o.stale
            ? { mark: 'stale' as const }
            : warning
              ? { mark: 'warning' as const }
              : {}),
      },
      { text: `${o.resources.length} (${running} running)` },
      unpriced.has(cloud)
        ? {
            text: `${formatPricePerHour(cost ?? 0)}${unpricedSuffix(unpriced.get(cloud)!)}`,
            mark: 'warning' as const,
            title: snapshot.totals.unpricedGpu
              .filter((l) => l.cloud === cloud)
              .map((l) => `${plainText(l.name, 80)}: price unknown: ${plainText(l.reason, 300)}`)
              .join('\n'),
          }
        : cost !== undefined
          ? { text: formatPricePerHour(cost) }
          : { text: '—', mark: 'muted' },
      age !== undefined
        ? {
            text: formatDuration(age),
            ...(o.stale ? { mark: 'stale' as const, title: 'the last good data; the newest attempt failed' } : {}),
          }
        : { text: '—', mark: 'muted' },
      error
        ? { text: error, title: o.error ? plainText(o.error.message, 1000) : error, mark: 'error' }
        : warning
          ? { text: warning, title: o.warnings!.map((w) => warningText(w, o, now, 1000)).join('\n'), mark: 'warning' }
          : { text: '—', mark: 'muted' },
    ];
    rows.push({
      id: cloud,
      cells: () => cells,
      keys: [textKey(CLOUD_NAMES[cloud]), stateText(o), o.resources.length, cost, age, problem ? textKey(problem) : undefined],
      haystack: [CLOUD_NAMES[cloud], stateText(o), problem].filter(Boolean).join('\n').toLowerCase(),
    });
  }
  return { columns: OVERVIEW_COLUMNS, rows };
}

/**
 * "GPU spend $12.34/h + 1 GPU instance unpriced across 6 running GPUs · stopped GPUs keep paying $0.20/h for storage"
 */
export function totalsLine(snapshot: Snapshot): string {
  const t = snapshot.totals;
  const parts = [
    `GPU spend ${formatPricePerHour(t.gpuSpendPerHour)}${unpricedSuffix(t.unpricedGpuCount)} across ${t.runningGpuCount} running GPU${t.runningGpuCount === 1 ? '' : 's'}`,
  ];
  const idle = t.gpuSpend.filter((l) => l.idle).length;
  if (idle > 0) parts.push(`${idle} idle instance${idle === 1 ? '' : 's'} still billing`);
  if (t.stoppedStoragePerHour > 0)
    parts.push(`stopped GPU instances keep paying ${formatPricePerHour(t.stoppedStoragePerHour)} for storage`);
  return parts.join(' · ');
}
