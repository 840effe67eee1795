// The parts of a cloud's data, each fetched, cached and aged on its own: a scope's resources, their metrics in one
// batch round, and the cloud's GPU offers (a public price catalogue, renewed every 15 minutes rather than on every
// refresh). When only metrics or offers fail (a token without the analytics permission, a price search that times
// out), the resources still show, that part keeps its last good values, and a warning says what happened. A
// rejected key or an abort fails the whole scope.
import { toCloudtopError } from '../errors/errors';
import { PART_NAMES } from '../model/describe';
import type { Logger } from '../model/log';
import {
  CLOUD_NAMES,
  DEFAULT_WINDOW_MINUTES,
  defaultWindow,
  type CloudId,
  type GpuOffer,
  type OutcomeWarning,
  type Resource,
  type ResourceMetrics,
} from '../model/model';
import type { Provider, ResourceFilter } from './provider';
import type { Scope } from '../model/scope';

/** One scope's resources and metrics: what the collector caches per scope and keeps as its last good data. */
export interface ScopeData {
  readonly resources: readonly Resource[];
  readonly metrics: Readonly<Record<string, ResourceMetrics>>;
  /** When the resources were listed. */
  readonly fetchedAt: string;
  /** When the metrics were fetched: earlier than fetchedAt when they are carried over from a refresh before. */
  readonly metricsAt?: string;
  readonly warnings?: readonly OutcomeWarning[];
}

/** A cloud's GPU offers and when they were searched. */
export interface OffersData {
  readonly offers: readonly GpuOffer[];
  readonly fetchedAt: string;
}

export interface ScopeFetch {
  readonly cloud: CloudId;
  readonly scope: Scope;
  readonly filter: ResourceFilter;
  readonly signal: AbortSignal;
  /** The scope's last good data, for the metrics when they fail. */
  readonly last: ScopeData | undefined;
  /** Resources still fresh in the cache: only their metrics are fetched. */
  readonly resources?: { readonly list: readonly Resource[]; readonly fetchedAt: string };
  readonly now: () => number;
  readonly windowMinutes?: number;
  readonly log: Logger;
  /** Told what the listing has produced so far, page by page (Provider.listResources' `listed`). */
  readonly onListed?: (soFar: readonly Resource[]) => void;
}

/** The warning for a part that failed while the rest did not; rethrows what must fail the scope instead. */
export function partFailure(
  cloud: CloudId,
  part: OutcomeWarning['part'],
  error: unknown,
  signal: AbortSignal,
  log: Logger,
  scope?: Scope,
): OutcomeWarning {
  const reason = toCloudtopError(error, cloud);
  if (signal.aborted || reason.category === 'auth') throw reason;
  return partWarning(cloud, part, reason, log, scope);
}

export function partWarning(cloud: CloudId, part: OutcomeWarning['part'], error: unknown, log: Logger, scope?: Scope): OutcomeWarning {
  const reason = toCloudtopError(error, cloud);
  log.warn(`${CLOUD_NAMES[cloud]}${scope?.id ? ` (${scope.label})` : ''}: ${PART_NAMES[part]} not updated: ${reason.message}`);
  return { part, category: reason.category, message: reason.message, ...(scope?.id ? { scope: scope.id } : {}) };
}

export async function fetchScopeData(provider: Provider, context: ScopeFetch): Promise<ScopeData> {
  const { cloud, scope, signal, last, now } = context;
  const warnings: OutcomeWarning[] = [];
  const onListed = context.onListed && ((soFar: readonly Resource[]) => context.onListed?.(stamp(soFar, scope)));
  const resources = context.resources?.list ?? stamp(await listing(provider, context, onListed, warnings), scope);
  const listed = context.resources ? Date.parse(context.resources.fetchedAt) : now();
  const fetchedMetricsAt = now();
  let metrics: Record<string, ResourceMetrics> = {};
  let metricsAt = fetchedMetricsAt;
  if (resources.length > 0) {
    const windowMinutes = context.windowMinutes ?? DEFAULT_WINDOW_MINUTES;
    try {
      metrics = await provider.getMetrics({ resources, window: defaultWindow(fetchedMetricsAt, windowMinutes), scope }, signal);
    } catch (error) {
      warnings.push(partFailure(cloud, 'metrics', error, signal, context.log, scope));
      // Last good metrics describe "the last N minutes" only while they are younger than that window; older
      // ones would show a load, or an idle GPU, that may be long gone: they are dropped, not carried.
      const lastAt = last?.metricsAt ? Date.parse(last.metricsAt) : Number.NaN;
      const recent = lastAt >= fetchedMetricsAt - windowMinutes * 60_000;
      metrics = recent ? metricsOf(resources, last) : {};
      if (recent) metricsAt = lastAt;
    }
  }
  return {
    resources,
    metrics,
    fetchedAt: new Date(listed).toISOString(),
    metricsAt: new Date(metricsAt).toISOString(),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/**
 * The scope's resources. What the provider could not read (ResourceListing.problems) — a group (an OCI compartment) or
 * one listing of several (RunPod's network volumes) — each gets a `resources` warning naming it and keeps its last
 * good resources: a refused compartment shows its error, not an empty folder; a failing volume list hides no pod.
 */
async function listing(
  provider: Provider,
  context: ScopeFetch,
  onListed: ((soFar: readonly Resource[]) => void) | undefined,
  warnings: OutcomeWarning[],
): Promise<readonly Resource[]> {
  const { cloud, scope, filter, signal, last } = context;
  const answer = await provider.listResources(filter, signal, scope, onListed);
  if (Array.isArray(answer)) return answer;
  const { resources, problems } = answer;
  const listed = new Set(resources.map((r) => r.id));
  const kept: Resource[] = [];
  for (const problem of problems) {
    const reason = toCloudtopError(problem.error, cloud);
    if (reason.category === 'auth') throw reason;
    const previous = (last?.resources ?? []).filter(
      (r) =>
        !listed.has(r.id) &&
        (!problem.group || r.group?.id === problem.group.id) &&
        (!('listing' in problem) || (problem.services.includes(r.service) && (!problem.keeps || problem.keeps(r)))),
    );
    for (const r of previous) listed.add(r.id);
    kept.push(...previous);
    const where = scope.id ? ` (${scope.label})` : '';
    const scoped = scope.id ? { scope: scope.id } : {};
    if (!('listing' in problem)) {
      const { group } = problem;
      const shown = previous.length > 0 ? ` Its ${previous.length} resources are from the last refresh.` : '';
      context.log.warn(`${CLOUD_NAMES[cloud]}${where}: ${group.kind} ${group.label} not listed: ${reason.message}`);
      warnings.push({
        part: 'resources',
        category: reason.category,
        message: `${group.kind === 'compartment' ? 'Compartment' : 'Group'} ${group.label}: ${reason.message}${shown}`,
        group,
        ...scoped,
      });
    } else {
      const { group, listing: name } = problem;
      const shown = previous.length > 0 ? ` The ${previous.length} shown are from the last refresh.` : '';
      const inGroup = group ? `${group.kind === 'compartment' ? 'Compartment' : 'Group'} ${group.label}: ` : '';
      context.log.warn(`${CLOUD_NAMES[cloud]}${where}: ${inGroup}${name} not listed: ${reason.message}`);
      warnings.push({
        part: 'resources',
        category: reason.category,
        message: `${inGroup}${name} not listed: ${reason.message}${shown}`,
        listing: name,
        ...(group ? { group } : {}),
        ...scoped,
      });
    }
  }
  return [...resources, ...kept];
}

/** The cloud's GPU offers (capability `gpu`), or undefined when it has none to search. */
export async function fetchOffers(
  provider: Provider,
  filter: ResourceFilter,
  signal: AbortSignal,
  now: () => number,
): Promise<OffersData | undefined> {
  if (!provider.capabilities.has('gpu') || !provider.listGpuOffers || filter.services) return undefined;
  const started = now();
  return { offers: await provider.listGpuOffers(signal), fetchedAt: new Date(started).toISOString() };
}

/** Every resource of a scope carries the scope's id, so views can group and cache by it. */
function stamp(resources: readonly Resource[], scope: Scope): readonly Resource[] {
  return scope.id ? resources.map((r) => (r.scope === scope.id ? r : { ...r, scope: scope.id })) : resources;
}

/** The last good metrics of the resources still listed. */
function metricsOf(resources: readonly Resource[], last: ScopeData | undefined): Record<string, ResourceMetrics> {
  const out: Record<string, ResourceMetrics> = {};
  for (const resource of resources) {
    const metrics = last?.metrics[resource.id];
    if (metrics) out[resource.id] = metrics;
  }
  return out;
}
