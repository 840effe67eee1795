// One (cloud, scope) unit of a refresh: its resources and metrics from the cache while they are fresh (each part with
// its own TTL), else from the cloud under the scope's own deadline; its last good data when the cloud fails. The
// collector runs one of these per selected scope, concurrently, and merges them into the cloud's outcome.
import { setMaxListeners } from 'node:events';
import { anySignal, raceAbort } from './abort';
import type { Cache } from './cache/cache';
import { CloudtopError, toCloudtopError } from './errors';
import type { Logger } from './log';
import { CLOUD_NAMES, type CloudId } from './model';
import { fetchScopeData, type ScopeData } from './parts';
import type { Provider, ResourceFilter } from './provider';
import type { Scope } from './scope';

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
  const { cloud, scope, key } = request;
  const { cache } = options;
  const read = <T>(part: string) => (request.force ? Promise.resolve(undefined) : cache.get<T>(`${key}:${part}`).catch(() => undefined));
  const [resources, metrics] = await Promise.all([read<CachedResources>('resources'), read<CachedMetrics>('metrics')]);
  if (resources && metrics) {
    return { scope, data: { resources: resources.list, fetchedAt: resources.fetchedAt, ...metrics }, fromCache: true };
  }

  request.onFetch?.();
  const label = scope.id ? `${CLOUD_NAMES[cloud]} (${scope.label})` : CLOUD_NAMES[cloud];
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new CloudtopError({ category: 'network', cloud, message: `${label} did not answer within ${Math.round(request.deadlineMs / 1000)} s. It will be tried again on the next refresh.` })),
    request.deadlineMs,
  );
  const signal = anySignal([request.signal, deadline.signal]);
  // Every request in flight listens on this signal; a cloud that fans out (a call per project) is normal.
  setMaxListeners(200, signal);
  try {
    const fresh = await raceAbort(
      fetchScopeData(request.provider, {
        cloud,
        scope,
        filter: request.filter,
        signal,
        last: request.last,
        now: options.now,
        log: options.log,
        windowMinutes: options.windowMinutes,
        ...(resources ? { resources } : {}),
      }),
      signal,
    );
    const write = (part: string, value: unknown, ttlMs: number) =>
      cache.set(`${key}:${part}`, value, ttlMs).catch((error: unknown) => options.log.warn(`cache write failed for ${label}: ${String(error)}`));
    await Promise.all([
      resources ? undefined : write('resources', { list: fresh.resources, fetchedAt: fresh.fetchedAt } satisfies CachedResources, options.resourcesTtlMs),
      // Carried-over metrics are cached with their warning: within the TTL an automatic refresh says the same instead of
      // retrying a failing call every time.
      write('metrics', { metrics: fresh.metrics, metricsAt: fresh.metricsAt, ...(fresh.warnings ? { warnings: fresh.warnings } : {}) } satisfies CachedMetrics, options.metricsTtlMs),
    ]);
    return { scope, data: fresh, fromCache: false };
  } catch (caught) {
    // After an abort (deadline, fail-fast, the caller) the abort's reason says what happened, not the AbortError
    // the interrupted request threw.
    const error = toCloudtopError(signal.aborted ? (signal.reason ?? caught) : caught, cloud);
    options.log.warn(`${label}: ${error.category}: ${error.message}`);
    return { scope, data: request.last, fromCache: false, error };
  } finally {
    clearTimeout(timer);
  }
}

/** The part keys of a scope, for forgetting them when the cloud's credentials or endpoint change. */
export function scopePartKeys(key: string): string[] {
  return [`${key}:resources`, `${key}:metrics`];
}
