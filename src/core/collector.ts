// One refresh: every enabled cloud concurrently, each through cache → rate limiter → call → retry → cache
// store, each with its own deadline, each ending in an outcome. A failing or slow cloud never delays or
// breaks the others; its last good data stays, marked stale. Listeners hear each cloud as it finishes,
// so views fill as clouds answer instead of waiting for the slowest.
import type { Cache } from './cache/cache';
import { cacheKey } from './cache/cache';
import type { CredentialResolver } from './credentials';
import { fetchCloudData, type CloudData } from './cloud-data';
import { CloudtopError, toCloudtopError } from './errors';
import { silentLogger, type Logger } from './log';
import { CLOUD_NAMES, type CloudId, type ErrorCategory, type ProviderOutcome, type Snapshot } from './model';
import type { ResourceFilter } from './provider';
import type { RateLimitConfig, RateLimiters } from './ratelimit';
import type { ProviderRegistry } from './registry';
import type { RetryOptions } from './retry';
import { LiveProviders } from './live-providers';
import { computeTotals, DEFAULT_IDLE_GPU_PERCENT } from './spend';
import { anySignal, raceAbort } from './abort';
import { setMaxListeners } from 'node:events';

export interface CloudConfig {
  readonly enabled: boolean;
  /** Base URL override (application-scoped setting or CLOUDTOP_<CLOUD>_ENDPOINT). */
  readonly endpoint?: string;
  readonly account?: string;
  readonly rateLimit?: Partial<RateLimitConfig>;
  readonly settings?: Readonly<Record<string, unknown>>;
}

export interface CollectorOptions {
  readonly registry: ProviderRegistry;
  readonly credentials: CredentialResolver;
  readonly cache: Cache;
  readonly limiters: RateLimiters;
  /** Read on every refresh, so changed settings apply without a restart. */
  readonly config: (cloud: CloudId) => CloudConfig;
  readonly ttlMs?: number;
  /** Per-cloud deadline for one refresh, retries included. */
  readonly deadlineMs?: number;
  readonly retry?: Omit<RetryOptions, 'signal' | 'cloud' | 'onRetry'>;
  readonly idleGpuPercent?: number;
  readonly windowMinutes?: number;
  readonly now?: () => number;
  readonly log?: Logger;
}

export interface RefreshOptions {
  /** Clouds to refresh; every cloud in the catalogue when absent. */
  readonly clouds?: readonly CloudId[];
  /** Bypass the cache (a manual refresh). */
  readonly force?: boolean;
  /** Stop at the first failing cloud and reject with its error. */
  readonly failFast?: boolean;
  readonly filter?: ResourceFilter;
  readonly signal?: AbortSignal;
}

export type CollectorEvent =
  | { readonly type: 'started'; readonly cloud: CloudId }
  | { readonly type: 'retrying'; readonly cloud: CloudId; readonly category: ErrorCategory; readonly delayMs: number; readonly attempt: number }
  | { readonly type: 'outcome'; readonly outcome: ProviderOutcome };

export const DEFAULT_TTL_MS = 60_000;
export const DEFAULT_DEADLINE_MS = 30_000;

export class Collector {
  private readonly providers: LiveProviders;
  private readonly lastGood = new Map<CloudId, CloudData>();
  private readonly inflight = new Map<CloudId, Promise<ProviderOutcome>>();
  private readonly listeners = new Set<(event: CollectorEvent) => void>();
  private readonly now: () => number;
  private readonly log: Logger;
  private latest: Snapshot | undefined;

  constructor(private readonly options: CollectorOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? silentLogger;
    this.providers = new LiveProviders({
      registry: options.registry,
      limiters: options.limiters,
      retry: options.retry,
      log: this.log,
      now: this.now,
      onRetry: (cloud, { attempt, category, delayMs }) => this.emit({ type: 'retrying', cloud, category, delayMs, attempt }),
    });
  }

  get snapshot(): Snapshot | undefined {
    return this.latest;
  }

  onEvent(listener: (event: CollectorEvent) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  async refresh(options: RefreshOptions = {}): Promise<Snapshot> {
    const started = this.now();
    const clouds = options.clouds ?? this.options.registry.clouds();
    const failFast = options.failFast ? new AbortController() : undefined;
    const signal = anySignal([options.signal, failFast?.signal]);

    const outcomes = await Promise.all(
      clouds.map(async (cloud) => {
        const outcome = await this.refreshCloud(cloud, { ...options, signal });
        if (failFast && outcome.state === 'error' && !failFast.signal.aborted) failFast.abort(new CloudtopError({ category: 'unknown', message: CANCELLED }));
        return outcome;
      }),
    );
    // A refresh of some clouds keeps the others' latest outcomes, so the snapshot always covers every cloud
    // seen so far (e.g. after one cloud's credentials changed).
    const byCloud: Partial<Record<CloudId, ProviderOutcome>> = { ...this.latest?.outcomes };
    for (const outcome of outcomes) byCloud[outcome.cloud] = outcome;

    if (failFast) {
      const failed = outcomes.find((o) => o.state === 'error' && o.error?.message !== CANCELLED);
      if (failed?.error) {
        throw new CloudtopError({ category: failed.error.category, message: failed.error.message, cloud: failed.cloud, retryAfterMs: failed.error.retryAfterMs });
      }
    }

    const snapshot: Snapshot = Object.freeze({
      timestamp: new Date(this.now()).toISOString(),
      durationMs: this.now() - started,
      outcomes: Object.freeze(byCloud),
      totals: computeTotals(byCloud, this.options.idleGpuPercent ?? DEFAULT_IDLE_GPU_PERCENT),
    });
    this.latest = snapshot;
    return snapshot;
  }

  /** One cloud; concurrent calls for the same cloud share one in-flight refresh. */
  refreshCloud(cloud: CloudId, options: RefreshOptions = {}): Promise<ProviderOutcome> {
    let pending = this.inflight.get(cloud);
    if (!pending) {
      pending = this.collect(cloud, options).finally(() => this.inflight.delete(cloud));
      this.inflight.set(cloud, pending);
    }
    return pending;
  }

  /** Forget a cloud's cached data and provider (its credentials or endpoint changed). */
  async invalidate(cloud: CloudId): Promise<void> {
    const closing = this.providers.forget(cloud); // forgotten at once, so no refresh from now on reuses it
    this.lastGood.delete(cloud);
    const config = this.options.config(cloud);
    await this.options.cache.delete(this.cacheKeyFor(cloud, config, {}));
    await closing;
  }

  dispose(): Promise<void> {
    return this.providers.dispose();
  }

  private emit(event: CollectorEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.log.error(`collector listener failed: ${String(error)}`);
      }
    }
  }

  private async collect(cloud: CloudId, options: RefreshOptions): Promise<ProviderOutcome> {
    const started = this.now();
    const entry = this.options.registry.entry(cloud);
    const config = this.options.config(cloud);
    const finish = (outcome: Omit<ProviderOutcome, 'cloud' | 'durationMs'>): ProviderOutcome => {
      const full: ProviderOutcome = Object.freeze({ cloud, durationMs: this.now() - started, ...outcome });
      this.emit({ type: 'outcome', outcome: full });
      return full;
    };
    const empty = { resources: [], metrics: {}, offers: [], fromCache: false, stale: false };
    if (!entry || !config.enabled) return finish({ state: 'disabled', ...empty });

    const resolved = await this.options.credentials.resolve(cloud).catch(() => undefined);
    if (!resolved) return finish({ state: 'unconfigured', ...empty });

    const key = this.cacheKeyFor(cloud, config, options.filter ?? {});
    if (!options.force) {
      const cached = await this.options.cache.get<CloudData>(key).catch(() => undefined);
      if (cached) {
        this.lastGood.set(cloud, cached);
        return finish({ state: 'ok', ...data(cached), fromCache: true, stale: false, credentialSource: resolved.source });
      }
    }

    this.emit({ type: 'started', cloud });
    // A deadline the user chose wins; otherwise a cloud's floor (slow documented limits) lifts the default.
    const deadlineMs = this.options.deadlineMs ?? Math.max(DEFAULT_DEADLINE_MS, entry.minDeadlineMs ?? 0);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new CloudtopError({ category: 'network', cloud, message: `${CLOUD_NAMES[cloud]} did not answer within ${Math.round(deadlineMs / 1000)} s. It will be tried again on the next refresh.` })), deadlineMs);
    const signal = anySignal([options.signal, deadline.signal]);
    // Every request in flight listens on this signal; a cloud that fans out (a call per project) is normal.
    setMaxListeners(200, signal);
    try {
      const fetching = this.providers.get(cloud, config, resolved.credentials).then((provider) =>
        fetchCloudData(provider, {
          cloud,
          filter: options.filter ?? {},
          signal,
          last: this.lastGood.get(cloud),
          now: this.now,
          windowMinutes: this.options.windowMinutes,
          offersMinIntervalMs: entry.offersMinIntervalMs,
          log: this.log,
        }),
      );
      const fresh = await raceAbort(fetching, signal);
      await this.options.cache.set(key, fresh, this.options.ttlMs ?? DEFAULT_TTL_MS).catch((error: unknown) => this.log.warn(`cache write failed for ${cloud}: ${String(error)}`));
      this.lastGood.set(cloud, fresh);
      return finish({ state: 'ok', ...data(fresh), fromCache: false, stale: false, credentialSource: resolved.source });
    } catch (caught) {
      // After an abort (deadline, fail-fast, the caller) the abort's reason says what happened, not the
      // AbortError the interrupted request threw.
      const error = toCloudtopError(signal.aborted ? (signal.reason ?? caught) : caught, cloud);
      this.log.warn(`${CLOUD_NAMES[cloud]}: ${error.category}: ${error.message}`);
      const last = this.lastGood.get(cloud);
      return finish({
        state: 'error',
        ...(last ? data(last) : empty),
        fromCache: false,
        stale: last !== undefined,
        error: { category: error.category, message: error.message, ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}) },
        credentialSource: resolved.source,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  private cacheKeyFor(cloud: CloudId, config: CloudConfig, filter: ResourceFilter): string {
    const endpoint = config.endpoint || this.options.registry.entry(cloud)?.endpoint || '';
    const filterKey = [filter.gpuOnly ? 'gpu' : 'all', ...(filter.services ?? [])].join(',');
    return cacheKey(cloud, 'snapshot', filterKey, { account: config.account ?? '', endpoint });
  }
}

const CANCELLED = 'Cancelled because another cloud failed (--fail-fast).';

function data(cached: CloudData): Pick<ProviderOutcome, 'resources' | 'metrics' | 'offers' | 'fetchedAt' | 'warnings' | 'metricsFetchedAt'> {
  const carried = cached.warnings?.some((w) => w.part === 'metrics') && Object.keys(cached.metrics).length > 0 && cached.metricsAt;
  return {
    resources: cached.resources,
    metrics: cached.metrics,
    offers: cached.offers,
    fetchedAt: cached.fetchedAt,
    ...(cached.warnings ? { warnings: cached.warnings } : {}),
    ...(carried ? { metricsFetchedAt: carried } : {}),
  };
}
