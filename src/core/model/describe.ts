// How resources and metrics read as text, shared by the trees, the dashboard and the CLI so every surface
// says the same thing the same way. Absent values stay absent: nothing here turns "not reported" into 0.
import { formatAge } from './duration';
import { CLOUD_SCOPES, type ScopeOutcome } from './scope';
import { billedAtRunningPrice, isUnpricedGpu, unpricedReason } from './spend';
import type { CloudId, MetricFamily, OutcomeWarning, ProviderOutcome, Resource, ResourceMetrics, Stat } from './model';
import { LINE_BREAKS, UNSAFE_CHARACTERS } from './unsafe-text';

export interface MetricRow {
  readonly family: MetricFamily;
  /** Stable key, e.g. `gpu.utilizationPercent`. */
  readonly key: string;
  readonly label: string;
  readonly stat: Stat;
  readonly format: (value: number) => string;
}

const percent = (v: number) => `${Math.round(v)}%`;
const celsius = (v: number) => `${Math.round(v)} °C`;
const watts = (v: number) => `${Math.round(v)} W`;
const count = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));
const perSecond = (v: number) => `${v < 10 ? v.toFixed(1) : Math.round(v)}/s`;
const millis = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`);
const seconds = (v: number) => `${v.toFixed(1)} s`;

export function formatBytes(v: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = v;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
const bytesPerSecond = (v: number) => `${formatBytes(v)}/s`;

const FIELDS: readonly [MetricFamily, string, string, (v: number) => string][] = [
  ['compute', 'cpuPercent', 'CPU', percent],
  ['compute', 'memoryPercent', 'Memory', percent],
  ['compute', 'diskReadBytesPerSec', 'Disk read', bytesPerSecond],
  ['compute', 'diskWriteBytesPerSec', 'Disk write', bytesPerSecond],
  ['compute', 'diskUsedPercent', 'Disk used', percent],
  ['compute', 'networkInBytesPerSec', 'Network in', bytesPerSecond],
  ['compute', 'networkOutBytesPerSec', 'Network out', bytesPerSecond],
  ['gpu', 'utilizationPercent', 'GPU utilization', percent],
  ['gpu', 'memoryPercent', 'GPU memory', percent],
  ['gpu', 'temperatureC', 'GPU temperature', celsius],
  ['gpu', 'powerW', 'GPU power', watts],
  ['function', 'invocations', 'Invocations', count],
  ['function', 'durationMs', 'Duration', millis],
  ['function', 'durationP99Ms', 'Duration p99', millis],
  ['function', 'errors', 'Errors', count],
  ['function', 'subrequests', 'Subrequests', count],
  ['database', 'connections', 'Connections', count],
  ['database', 'queriesPerSec', 'Queries', perSecond],
  ['database', 'replicationLagSec', 'Replication lag', seconds],
];

/** Every metric the cloud reported for a resource, in a fixed order. */
export function metricRows(metrics: ResourceMetrics | undefined): MetricRow[] {
  if (!metrics) return [];
  const rows: MetricRow[] = [];
  for (const [family, field, label, format] of FIELDS) {
    const stat = (metrics[family] as Record<string, Stat | undefined> | undefined)?.[field];
    if (stat) rows.push({ family, key: `${family}.${field}`, label, stat, format });
  }
  return rows;
}

export function formatStat(row: MetricRow): string {
  return row.stat.avg === row.stat.max ? row.format(row.stat.avg) : `avg ${row.format(row.stat.avg)} · max ${row.format(row.stat.max)}`;
}

export function formatMoney(usd: number): string {
  return `$${usd.toFixed(2)}`;
}

export function formatPricePerHour(usd: number): string {
  return `${formatMoney(usd)}/h`;
}

/**
 * The status word a view shows: the normalized one, except where it alone would mislead and the cloud's own word
 * says more: a status Cloudtop cannot place (`unknown`, so a new word from the cloud stays visible), and a paused
 * resource still billed its running price ("frozen", not "stopped").
 */
export function statusWord(resource: Resource): string {
  const raw = resource.rawStatus;
  return raw && (resource.status === 'unknown' || resource.chargedWhilePaused) ? raw : resource.status;
}

/** The one-line summary beside a resource: "running · GPU 87% · $2.39/h · cluster train-01". */
export function describeResource(resource: Resource, metrics: ResourceMetrics | undefined): string {
  const parts: string[] = [statusWord(resource)];
  const gpu = metrics?.gpu?.utilizationPercent;
  const cpu = metrics?.compute?.cpuPercent;
  const invocations = metrics?.function?.invocations;
  const connections = metrics?.database?.connections;
  if (gpu) parts.push(`GPU ${percent(gpu.avg)}`);
  else if (cpu) parts.push(`CPU ${percent(cpu.avg)}`);
  if (invocations) parts.push(`${count(invocations.avg)} req`);
  if (connections) parts.push(`${count(connections.avg)} conn`);
  if (billedAtRunningPrice(resource) && resource.pricePerHour !== undefined) parts.push(formatPricePerHour(resource.pricePerHour));
  else if (isUnpricedGpu(resource)) parts.push('price unknown');
  else if (resource.status === 'stopped' && resource.storagePricePerHour)
    parts.push(`storage ${formatPricePerHour(resource.storagePricePerHour)}`);
  if (resource.note) parts.push(resource.note);
  return parts.join(' · ');
}

/** What a warning's part is called on every surface: "<name> not updated". */
export const PART_NAMES: Readonly<Record<OutcomeWarning['part'], string>> = {
  resources: 'resource list',
  metrics: 'metrics',
  offers: 'GPU prices',
  children: 'per-resource listings',
  reference: 'reference data',
  prices: 'GPU instance prices',
};

/** What a warning says of its part: "metrics not updated", "GPU instance prices unknown". */
export function warningPhrase(part: OutcomeWarning['part']): string {
  return `${PART_NAMES[part]} ${part === 'prices' ? 'unknown' : 'not updated'}`;
}

/** How a warning's row is titled: "Metrics not updated", "GPU instance prices unknown". */
export function warningTitle(part: OutcomeWarning['part']): string {
  const phrase = warningPhrase(part);
  return `${phrase[0].toUpperCase()}${phrase.slice(1)}`;
}

/** "price unknown: Oracle's price list could not be read …" for a billed GPU resource without a price. */
export function priceUnknownText(resource: Resource): string | undefined {
  return isUnpricedGpu(resource) ? `price unknown: ${unpricedReason(resource)}` : undefined;
}

/** "showing values from 2 min ago" when a metrics warning's values are carried over from an earlier refresh. */
export function carriedNote(warning: OutcomeWarning, outcome: ProviderOutcome, now: number): string | undefined {
  const at = warning.part === 'metrics' && outcome.metricsFetchedAt ? Date.parse(outcome.metricsFetchedAt) : Number.NaN;
  return Number.isFinite(at) ? `showing values from ${formatAge(Math.max(0, now - at))} ago` : undefined;
}

/**
 * Cloud-provided text made safe for one line of plain text: whole escape sequences and control characters
 * removed, line and tab breaks turned into spaces, bidi overrides and invisible characters dropped.
 */
export function plainText(value: string, maxLength = 200): string {
  const cleaned = value
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g, '')
    .replace(LINE_BREAKS, ' ')
    .replace(UNSAFE_CHARACTERS, '');
  return cleaned.length > maxLength ? `${cleaned.slice(0, maxLength - 1)}…` : cleaned;
}

/** "3 of 5 subscriptions" (narrowed by the user) or "5 subscriptions"; undefined for a cloud of one scope. */
export function scopeSummary(outcome: ProviderOutcome, plural: string): string | undefined {
  const shown = outcome.scopes?.filter((scope) => !scope.unknown).length ?? 0;
  const available = outcome.scopesAvailable ?? shown;
  if (available <= 1 && shown <= 1) return undefined;
  return shown < available ? `${shown} of ${available} ${plural}` : `${available} ${plural}`;
}

/**
 * "2 subscribed regions not shown: …": for a cloud that shows some scopes by default only (CLOUD_SCOPES
 * narrowByDefault), how many the credential reads beyond those shown, and how to show them; undefined when none.
 */
export function hiddenScopesHint(cloud: CloudId, outcome: ProviderOutcome): string | undefined {
  const names = CLOUD_SCOPES[cloud];
  if (!names?.narrowByDefault || outcome.scopesAvailable === undefined) return undefined;
  const shown = outcome.scopes?.filter((scope) => !scope.unknown).length ?? 0;
  const hidden = outcome.scopesAvailable - shown;
  if (hidden <= 0) return undefined;
  const named = outcome.scopesHidden?.length
    ? ` (${outcome.scopesHidden.map((id) => plainText(id, 40)).join(', ')}${hidden > outcome.scopesHidden.length ? ', …' : ''})`
    : '';
  return `${hidden} more ${hidden === 1 ? names.noun : `${names.noun}s`}${named} not shown: set cloudtop.${cloud}.${names.setting} (or "${names.setting}" under clouds.${cloud} in the config file) to ["all"], or list the ones you want.`;
}

/** The scopes that failed while their cloud did not: each shows its error beside the others' data. */
export function failedScopes(outcome: ProviderOutcome): readonly ScopeOutcome[] {
  if (outcome.state === 'error') return [];
  return (outcome.scopes ?? []).filter((scope) => scope.state === 'error' && scope.error);
}

/** "subscription Dev (1f0c…)": how a scope is named in messages. Its label comes from the cloud: plain text. */
export function scopeName(scope: Pick<ScopeOutcome, 'kind' | 'label' | 'id'>): string {
  const label = plainText(scope.label, 80);
  return scope.label === scope.id ? `${scope.kind} ${label}` : `${scope.kind} ${label} (${plainText(scope.id, 40)})`;
}
