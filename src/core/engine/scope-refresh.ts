// One (cloud, scope) unit of a refresh: its resources and metrics from the cache while they are fresh (each part with
// its own TTL), else from the cloud under the scope's own deadline; its last good data when the cloud fails. The
// collector runs one of these per selected scope, concurrently, and merges them into the cloud's outcome.
import { setMaxListeners } from 'node:events';
import { anySignal, raceAbort } from './abort';
import type { Cache } from '../cache/cache';
import { CloudtopError, toCloudtopError } from '../errors/errors';
import type { Logger } from '../model/log';
import { CLOUD_NAMES, type CloudId, type OutcomeWarning, type Resource } from '../model/model';
import { childrenDue, fetchChildren, withChildren, type ChildrenByParent } from './children-part';
import { fetchScopeData, type ScopeData } from './parts';
import type { Provider, ResourceFilter } from './provider';
import type { Scope } from '../model/scope';

export interface ScopeResult {
  readonly scope: Scope;
  /** What the scope shows: fresh, cached, or (after a failure) its last good data. */
  readonly data: ScopeData | undefined;
  readonly fromCache: boolean;
  readonly error?: CloudtopError;
}

export interface ScopeRefreshOptions {
  readonly cache: Cache;
  readonly resourcesTtlMs: number;
  readonly metricsTtlMs: number;
  readonly now: () => number;
  readonly log: Logger;
  readonly windowMinutes?: number;
  /** How long a parent's children are reused (Provider.listChildren); the resources' TTL when absent. */
  readonly childrenTtlMs?: number;
  /** Reads how long this cloud's requests have waited for Cloudtop's rate budget, for the deadline's message. */
  readonly waitedMs?: () => number;
}

export interface ScopeRequest {
  readonly cloud: CloudId;
  readonly scope: Scope;
  readonly provider: Provider;
  /** Cache key of the scope without its part: the part's name is appended. */
  readonly key: string;
  readonly filter: ResourceFilter;
  /** Bypass the resource and metric caches (a manual refresh). */
  readonly force: boolean;
  /** With `force`: cached parts fetched after this time (epoch ms) are still taken (RefreshOptions.newerThan). */
  readonly newerThan?: number;
  readonly deadlineMs: number;
  readonly signal?: AbortSignal;
  readonly last: ScopeData | undefined;
  /** Called before the scope is fetched from the cloud (not when it is served from the cache). */
  readonly onFetch?: () => void;
}

interface CachedResources {
  readonly list: ScopeData['resources'];
  readonly fetchedAt: string;
}

type CachedMetrics = Pick<ScopeData, 'metrics' | 'metricsAt' | 'warnings'>;

export async function refreshScope(options: ScopeRefreshOptions, request: ScopeRequest): Promise<ScopeResult> {
  const { cloud, scope, key, provider } = request;
  const { cache } = options;
  const { force, newerThan } = request;
  const read = <T>(part: string, always = false) =>
    force && !always && newerThan === undefined ? Promise.resolve(undefined) : cache.get<T>(`${key}:${part}`).catch(() => undefined);
  // A forced refresh takes a cached part only when it was fetched after `newerThan` (another watcher's fetch).
  const newEnough = <T>(part: T | undefined, at: (part: T) => string | undefined): T | undefined => {
    if (!part || !force) return part;
    const fetched = Date.parse(at(part) ?? '');
    return newerThan !== undefined && fetched > newerThan ? part : undefined;
  };
  // Children are read on a manual refresh too: the old ones show until each is renewed.
  const [cachedResources, cachedMetrics, known] = await Promise.all([
    read<CachedResources>('resources'),
    read<CachedMetrics>('metrics'),
    provider.listChildren ? read<ChildrenByParent>('children', true) : undefined,
  ]);
  const resources = newEnough(cachedResources, (r) => r.fetchedAt);
  const metrics = newEnough(cachedMetrics, (m) => m.metricsAt);
  const childrenTtlMs = options.childrenTtlMs ?? options.resourcesTtlMs;
  const cached = resources && metrics ? { resources: resources.list, fetchedAt: resources.fetchedAt, ...metrics } : undefined;
  const noChildrenDue =
    !provider.listChildren ||
    (cached && childrenDue(cached.resources, known ?? {}, childrenTtlMs, options.now(), force, newerThan).length === 0);
  if (cached && noChildrenDue) return { scope, data: withKnownChildren(cached, known), fromCache: true };

  request.onFetch?.();
  const label = scope.id ? `${CLOUD_NAMES[cloud]} (${scope.label})` : CLOUD_NAMES[cloud];
  const waitedAtStart = options.waitedMs?.() ?? 0;
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(deadlineError(cloud, label, request.deadlineMs, (options.waitedMs?.() ?? 0) - waitedAtStart)),
    request.deadlineMs,
  );
  const linked = anySignal([request.signal, deadline.signal]);
  const signal = linked.signal;
  // Every request in flight listens on this signal; a cloud that fans out (a call per project) is normal.
  setMaxListeners(200, signal);
  const write = (part: string, value: unknown, ttlMs: number) =>
    cache
      .set(`${key}:${part}`, value, ttlMs)
      .catch((error: unknown) => options.log.warn(`cache write failed for ${label}: ${String(error)}`));
  let listedSoFar: readonly Resource[] = [];
  try {
    const fresh =
      cached ??
      (await raceAbort(
        fetchScopeData(provider, {
          cloud,
          scope,
          filter: request.filter,
          signal,
          last: request.last,
          now: options.now,
          log: options.log,
          windowMinutes: options.windowMinutes,
          onListed: (soFar) => (listedSoFar = soFar),
          ...(resources ? { resources } : {}),
        }),
        signal,
      ));
    await Promise.all([
      resources
        ? undefined
        : write('resources', { list: fresh.resources, fetchedAt: fresh.fetchedAt } satisfies CachedResources, options.resourcesTtlMs),
      // Carried-over metrics are cached with their warning: within the TTL an automatic refresh says the same instead of
      // retrying a failing call every time.
      cached
        ? undefined
        : write(
            'metrics',
            {
              metrics: fresh.metrics,
              metricsAt: fresh.metricsAt,
              ...(fresh.warnings ? { warnings: fresh.warnings } : {}),
            } satisfies CachedMetrics,
            options.metricsTtlMs,
          ),
    ]);
    if (!provider.listChildren) return { scope, data: fresh, fromCache: false };
    // The deadline stops the children, never the scope: what arrived is kept, the rest is named and continued.
    const children = await fetchChildren({
      cloud,
      scope,
      provider,
      filter: request.filter,
      parents: fresh.resources,
      known: known ?? {},
      ttlMs: childrenTtlMs,
      force,
      ...(newerThan !== undefined ? { newerThan } : {}),
      signal,
      now: options.now,
      log: options.log,
    });
    if (request.signal?.aborted) throw request.signal.reason;
    if (children.fetched) await write('children', children.byParent, CHILDREN_KEPT_MS);
    const warnings = [...(fresh.warnings ?? []), ...(children.warning ? [children.warning] : [])];
    return {
      scope,
      data: { ...withKnownChildren(fresh, children.byParent), ...(warnings.length > 0 ? { warnings } : {}) },
      fromCache: false,
    };
  } catch (caught) {
    // After an abort (deadline, fail-fast, the caller) the abort's reason says what happened, not the AbortError
    // the interrupted request threw.
    const error = toCloudtopError(signal.aborted ? (signal.reason ?? caught) : caught, cloud);
    options.log.warn(`${label}: ${error.category}: ${error.message}`);
    // A deadline in the middle of a paged listing, with no complete listing to show instead: what was listed is shown
    // (not cached), the rest named; the next refresh lists again.
    const lastComplete = request.last && !request.last.warnings?.some((w) => w.part === 'resources');
    if (deadline.signal.aborted && !request.signal?.aborted && !lastComplete && listedSoFar.length > 0) {
      return { scope, data: partialListing(listedSoFar, error, scope, options.now()), fromCache: false };
    }
    return { scope, data: request.last, fromCache: false, error };
  } finally {
    clearTimeout(timer);
    linked.release();
  }
}

function partialListing(listed: readonly Resource[], error: CloudtopError, scope: Scope, now: number): ScopeData {
  const message = `Only ${listed.length} resources were listed before the deadline; the rest are listed on the next refresh. ${error.message}`;
  const warning: OutcomeWarning = { part: 'resources', category: error.category, message, ...(scope.id ? { scope: scope.id } : {}) };
  return { resources: listed, metrics: {}, fetchedAt: new Date(now).toISOString(), warnings: [warning] };
}

/** Children are kept far longer than their TTL: old ones show (and are renewed) until a refresh gets to them. */
const CHILDREN_KEPT_MS = 24 * 3_600_000;

function withKnownChildren(data: ScopeData, known: ChildrenByParent | undefined): ScopeData {
  return known ? { ...data, resources: withChildren(data.resources, known) } : data;
}

/**
 * The deadline's error. When most of the time went to Cloudtop's own rate budget, it says so instead of blaming the
 * cloud for a slow answer.
 */
function deadlineError(cloud: CloudId, label: string, deadlineMs: number, waitedMs: number): CloudtopError {
  const limit = Math.round(deadlineMs / 1000);
  if (waitedMs >= Math.min(1000, deadlineMs / 4)) {
    return new CloudtopError({
      category: 'rate-limit',
      cloud,
      code: 'LOCAL_RATE_LIMIT',
      message: `${label} did not finish within ${limit} s: it waited ${Math.round(waitedMs / 1000)} s for Cloudtop's rate budget (not for ${CLOUD_NAMES[cloud]}). It continues on the next refresh.`,
    });
  }
  return new CloudtopError({
    category: 'network',
    cloud,
    message: `${label} did not answer within ${limit} s. It will be tried again on the next refresh.`,
  });
}

/** The part keys of a scope, for forgetting them when the cloud's credentials or endpoint change. */
export function scopePartKeys(key: string): string[] {
  return [`${key}:resources`, `${key}:metrics`, `${key}:children`];
}
