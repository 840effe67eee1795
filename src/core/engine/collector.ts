// One refresh: every enabled cloud concurrently, and within a cloud every selected scope (account, organization,
// subscription, project, region) concurrently, each through cache → rate limiter → call → retry → cache store, each
// with its own deadline, each ending in an outcome. A failing or slow cloud or scope never delays or breaks the
// others; its last good data stays, marked stale. Listeners hear each cloud as it finishes, so views fill as clouds
// answer instead of waiting for the slowest.
import type { Cache } from '../cache/cache';
import { cacheKey } from '../cache/cache';
import type { CredentialResolver } from '../credentials/credentials';
import { CloudtopError, toCloudtopError } from '../errors/errors';
import { silentLogger, type Logger } from '../model/log';
import { CLOUD_NAMES, type CloudId, type ErrorCategory, type ProviderOutcome, type Snapshot, type SnapshotNotice } from '../model/model';
import type { ResourceAction, ResourceFilter, SignIn } from './provider';
import type { Resource } from '../model/model';
import type { RateLimitConfig, RateLimiters } from '../transport/ratelimit';
import type { ProviderRegistry } from './registry';
import type { RetryOptions } from '../transport/retry';
import { LiveProviders } from './live-providers';
import { computeTotals, DEFAULT_IDLE_GPU_PERCENT } from '../model/spend';
import { anySignal, raceAbort } from './abort';
import { CloudScopes } from './cloud-scopes';
import { mergeScopes, outcomeError, withMoneyWarnings } from './merge-outcome';
import { OffersPart } from './offers-part';
import { ReferenceStore } from './reference';
import { CLOUD_SCOPES, missingScopeError, selectScopes, type ScopeChoice } from '../model/scope';
import { inScope } from './scope-context';
import { refreshScope, scopePartKeys, type ScopeResult } from './scope-refresh';
import { partWarning, type ScopeData } from './parts';
import type { OffersResult } from './merge-outcome';

export interface CloudConfig {
  readonly enabled: boolean;
  /** Base URL override (application-scoped setting or CLOUDTOP_<CLOUD>_ENDPOINT). */
  readonly endpoint?: string;
  readonly account?: string;
  readonly rateLimit?: Partial<RateLimitConfig>;
  readonly settings?: Readonly<Record<string, unknown>>;
  /** The scopes to show: ids, `all`, or none for the cloud's defaults (every scope the credential reads). */
  readonly scopes?: ScopeChoice;
}

export interface CollectorOptions {
  readonly registry: ProviderRegistry;
  readonly credentials: CredentialResolver;
  readonly cache: Cache;
  readonly limiters: RateLimiters;
  /** Read on every refresh, so changed settings apply without a restart. */
  readonly config: (cloud: CloudId) => CloudConfig;
  /** How long cached resources and metrics are reused by an automatic refresh. */
  readonly ttlMs?: number;
  /** How long GPU offers are reused, by every refresh (a cloud's catalogue entry may set its own). */
  readonly offersTtlMs?: number;
  /** Per-cloud (and per-scope) deadline for one refresh, retries included. */
  readonly deadlineMs?: number;
  readonly retry?: Omit<RetryOptions, 'signal' | 'cloud' | 'onRetry'>;
  readonly idleGpuPercent?: number;
  /** What holds for the whole run (Redis unavailable), read into each snapshot. */
  readonly notices?: () => readonly SnapshotNotice[];
  readonly windowMinutes?: number;
  readonly now?: () => number;
  readonly log?: Logger;
  /** Front-end sign-ins by cloud (the resolver's too): their tokens reach the provider. */
  readonly signIns?: Readonly<Partial<Record<CloudId, SignIn>>>;
}

export interface RefreshOptions {
  /** Clouds to refresh; every cloud in the catalogue when absent. */
  readonly clouds?: readonly CloudId[];
  /** Bypass the resource and metric caches (a manual refresh). GPU offers keep their own age. */
  readonly force?: boolean;
  /**
   * With `force`: still take the cached resources and metrics fetched after this time (epoch ms). A `--refresh` watcher
   * passes the end of its last frame, so what another watcher fetched since through the shared cache (Redis) is shown
   * instead of fetched again: eight watchers on one account cost about one fetch per interval, not eight, and none
   * starves the others of the cloud's budget. A lone watcher's own data is never newer than its last frame.
   */
  readonly newerThan?: number;
  /**
   * A cloud with no credential whose catalogue entry declares `publicOffers` still lists its public GPU offers (the
   * dashboard's price tab before any key). Its outcome stays `unconfigured`, with those offers.
   */
  readonly publicOffers?: boolean;
  /** Search GPU offers again too (`cloudtop --no-cache`). */
  readonly forceOffers?: boolean;
  /**
   * Read the clouds' reference data again (price lists, compartments, sizes …) however young it is: Cloudtop: Refresh,
   * Retry, `cloudtop --no-cache`. An automatic refresh or a `--refresh` frame uses it while it is within its TTL.
   */
  readonly renewReference?: boolean;
  /** Stop at the first failing cloud and reject with its error. */
  readonly failFast?: boolean;
  readonly filter?: ResourceFilter;
  readonly signal?: AbortSignal;
}

export type CollectorEvent =
  | { readonly type: 'started'; readonly cloud: CloudId }
  | {
      readonly type: 'retrying';
      readonly cloud: CloudId;
      readonly category: ErrorCategory;
      readonly delayMs: number;
      readonly attempt: number;
    }
  | { readonly type: 'outcome'; readonly outcome: ProviderOutcome };

export const DEFAULT_TTL_MS = 60_000;
/** Public price catalogues change daily: a quarter of an hour is fresh. */
export const DEFAULT_OFFERS_TTL_MS = 15 * 60_000;
export const DEFAULT_DEADLINE_MS = 30_000;

export class Collector {
  private readonly providers: LiveProviders;
  /** Each scope's last good data, by `cloud/scope`. */
  private readonly lastGood = new Map<string, ScopeData>();
  private readonly scopes: CloudScopes;
  private readonly offers: OffersPart;
  private readonly reference: ReferenceStore;
  private readonly inflight = new Map<CloudId, Promise<ProviderOutcome>>();
  private readonly listeners = new Set<(event: CollectorEvent) => void>();
  private readonly now: () => number;
  private readonly log: Logger;
  private latest: Snapshot | undefined;

  constructor(private readonly options: CollectorOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? silentLogger;
    // A reference load gets half a cloud's deadline: a hung price list costs its warning, not the listing that needs it.
    this.reference = new ReferenceStore({
      cache: options.cache,
      now: this.now,
      log: this.log,
      loadTimeoutMs: (cloud) => this.deadlineFor(cloud) / 2,
    });
    this.providers = new LiveProviders({
      reference: this.reference,
      registry: options.registry,
      limiters: options.limiters,
      retry: options.retry,
      log: this.log,
      now: this.now,
      signIns: options.signIns,
      onRetry: (cloud, { attempt, category, delayMs }) => this.emit({ type: 'retrying', cloud, category, delayMs, attempt }),
    });
    this.scopes = new CloudScopes(options.cache, this.log);
    this.offers = new OffersPart(options.cache, this.now, this.log);
  }

  private readonly closing = new AbortController();

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
    const linked = anySignal([options.signal, failFast?.signal]);
    const signal = linked.signal;

    const outcomes = await Promise.all(
      clouds.map(async (cloud) => {
        const outcome = await this.refreshCloud(cloud, { ...options, signal });
        if (failFast && outcome.state === 'error' && !failFast.signal.aborted)
          failFast.abort(new CloudtopError({ category: 'unknown', message: CANCELLED }));
        return outcome;
      }),
    ).finally(linked.release);
    // A refresh of some clouds keeps the others' latest outcomes, so the snapshot always covers every cloud
    // seen so far (e.g. after one cloud's credentials changed).
    const byCloud: Partial<Record<CloudId, ProviderOutcome>> = { ...this.latest?.outcomes };
    for (const outcome of outcomes) byCloud[outcome.cloud] = outcome;

    if (failFast) {
      const failed = outcomes.find((o) => o.state === 'error' && o.error?.message !== CANCELLED);
      if (failed?.error) {
        throw new CloudtopError({
          category: failed.error.category,
          message: failed.error.message,
          cloud: failed.cloud,
          retryAfterMs: failed.error.retryAfterMs,
        });
      }
    }

    const notices = this.options.notices?.() ?? [];
    const snapshot: Snapshot = Object.freeze({
      timestamp: new Date(this.now()).toISOString(),
      durationMs: this.now() - started,
      outcomes: Object.freeze(byCloud),
      totals: computeTotals(byCloud, this.options.idleGpuPercent ?? DEFAULT_IDLE_GPU_PERCENT),
      ...(notices.length ? { notices: Object.freeze([...notices]) } : {}),
    });
    this.latest = snapshot;
    return snapshot;
  }

  /** One cloud; concurrent calls for the same cloud share one in-flight refresh. */
  refreshCloud(cloud: CloudId, options: RefreshOptions = {}): Promise<ProviderOutcome> {
    let pending = this.inflight.get(cloud);
    if (!pending) {
      // Linked to the long-lived `closing` signal only while this refresh runs (abort.ts: nothing stays on it).
      const linked = anySignal([options.signal, this.closing.signal]);
      pending = this.collect(cloud, { ...options, signal: linked.signal }).finally(() => {
        linked.release();
        this.inflight.delete(cloud);
      });
      this.inflight.set(cloud, pending);
    }
    return pending;
  }

  /**
   * Asks the resource's cloud to stop or start it: the provider's `act` (one write, marked so — never retried but
   * after a 429), under the cloud's deadline and in the resource's scope (its rate budget). Resolves when the cloud
   * accepted it; rejects with the cloud's CloudtopError when it refused. Decide first with planAction (actions.ts).
   */
  async act(resource: Resource, action: ResourceAction, signal: AbortSignal = new AbortController().signal): Promise<void> {
    const cloud = resource.cloud;
    const config = this.options.config(cloud);
    const deadlineMs = this.deadlineFor(cloud);
    const linked = anySignal([signal, this.closing.signal]);
    try {
      const resolved = await this.withDeadline(cloud, deadlineMs, linked.signal, () => this.options.credentials.resolve(cloud));
      if (!resolved)
        throw new CloudtopError({ category: 'config', cloud, message: `${CLOUD_NAMES[cloud]} is not configured: no credentials found.` });
      const provider = await this.withDeadline(cloud, deadlineMs, linked.signal, () =>
        this.providers.get(cloud, config, resolved.credentials),
      );
      if (!provider.act)
        throw new CloudtopError({ category: 'config', cloud, message: `${CLOUD_NAMES[cloud]}: Cloudtop cannot ${action} its resources.` });
      const act = provider.act.bind(provider);
      this.log.info(`${CLOUD_NAMES[cloud]}: ${action} ${resource.name} (${resource.id}) requested`);
      await this.withDeadline(cloud, deadlineMs, linked.signal, (s) =>
        resource.scope ? inScope(resource.scope, () => act(resource, action, s)) : act(resource, action, s),
      );
      this.log.info(`${CLOUD_NAMES[cloud]}: ${action} ${resource.name} (${resource.id}) accepted`);
    } catch (caught) {
      const error = toCloudtopError(caught, cloud);
      this.log.warn(`${CLOUD_NAMES[cloud]}: ${action} ${resource.name} (${resource.id}) failed: ${error.category}: ${error.message}`);
      throw error;
    } finally {
      linked.release();
    }
  }

  /** Forget a cloud's cached data and provider (its credentials or endpoint changed). */
  async invalidate(cloud: CloudId): Promise<void> {
    const closing = this.providers.forget(cloud); // forgotten at once, so no refresh from now on reuses it
    const config = this.options.config(cloud);
    const base = this.cacheKeyFor(cloud, config, {}, 'parts');
    const known = this.scopes.forget(cloud);
    const references = this.reference.forget(cloud);
    for (const key of [...this.lastGood.keys()]) if (key.startsWith(`${cloud}/`)) this.lastGood.delete(key);
    const keys = [
      ...known.flatMap((scope) => scopePartKeys(`${base}:${scope}`)),
      this.cacheKeyFor(cloud, config, {}, 'scopes'),
      this.cacheKeyFor(cloud, config, {}, 'offers'),
      this.cacheKeyFor(cloud, config, {}, 'public-offers'),
      ...references,
    ];
    this.offers.forget(cloud);
    await Promise.all(keys.map((key) => this.options.cache.delete(key).catch(() => undefined)));
    await closing;
  }

  /**
   * Stops every refresh in flight (its deadline timers and waits with it), lets them settle, then closes the
   * providers: nothing of this collector keeps the process alive afterwards (an extension's deactivate()).
   */
  async dispose(): Promise<void> {
    this.closing.abort(new CloudtopError({ category: 'unknown', message: 'Cancelled: Cloudtop is closing.' }));
    await Promise.allSettled([...this.inflight.values()]);
    await this.providers.dispose();
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
      const told =
        outcome.state === 'ok' || outcome.state === 'error' ? withMoneyWarnings(outcome, this.reference.warnings(cloud)) : outcome;
      const full: ProviderOutcome = Object.freeze({ cloud, durationMs: this.now() - started, ...told });
      this.emit({ type: 'outcome', outcome: full });
      return full;
    };
    const empty = { resources: [], metrics: {}, offers: [], fromCache: false, stale: false };
    if (!entry || !config.enabled) return finish({ state: 'disabled', ...empty });

    const deadlineMs = this.deadlineFor(cloud);
    const signal = options.signal ?? new AbortController().signal;
    // Credentials are read (local files, a front end's sign-in) under the cloud's deadline too: a credential file
    // that never ends costs this cloud an error, never the refresh. A file there but unusable is that cloud's error.
    let resolved;
    try {
      resolved = await this.withDeadline(
        cloud,
        deadlineMs,
        signal,
        () => this.options.credentials.resolve(cloud),
        () =>
          new CloudtopError({
            category: 'config',
            cloud,
            message: `Reading ${CLOUD_NAMES[cloud]}'s credentials took longer than ${Math.round(deadlineMs / 1000)} s: is a credential or config file a pipe or on a hung file system?`,
          }),
      );
    } catch (caught) {
      const error = toCloudtopError(caught, cloud);
      this.log.warn(`${CLOUD_NAMES[cloud]}: ${error.category}: ${error.message}`);
      return finish({ state: 'error', ...empty, error: outcomeError(error) });
    }
    if (!resolved) {
      const offers = options.publicOffers && entry.publicOffers ? await this.publicOffers(cloud, config, options, signal) : undefined;
      return finish({
        state: 'unconfigured',
        ...empty,
        ...(offers?.data ? { offers: offers.data.offers } : {}),
        ...(offers?.warning ? { warnings: [offers.warning] } : {}),
      });
    }

    const filter = options.filter ?? {};
    // Reference data is read again only by a refresh that fetches everything anew.
    if (options.renewReference) this.reference.renew(cloud, started);
    const force = (options.force ?? false) || (options.renewReference ?? false);
    const cached = !force && (await this.scopes.cached(this.cacheKeyFor(cloud, config, filter, 'scopes')));
    let announced = false;
    const fetching = () => {
      if (!announced) this.emit({ type: 'started', cloud });
      announced = true;
    };
    if (!cached) fetching();
    let listing;
    try {
      const provider = await this.withDeadline(cloud, deadlineMs, signal, () => this.providers.get(cloud, config, resolved.credentials));
      // A GPU-only view of a cloud that rents no GPUs needs no call at all, not even the scope list.
      if (filter.gpuOnly && !provider.capabilities.has('gpu')) return finish({ state: 'ok', ...empty, credentialSource: resolved.source });
      listing = {
        provider,
        scopes: cached || (await this.withDeadline(cloud, deadlineMs, signal, (s) => this.scopes.list(provider, CLOUD_NAMES[cloud], s))),
      };
      if (!cached)
        await this.scopes.store(
          this.cacheKeyFor(cloud, config, filter, 'scopes'),
          cloud,
          listing.scopes,
          this.options.ttlMs ?? DEFAULT_TTL_MS,
        );
    } catch (caught) {
      // No provider or no scope list: the cloud fails whole, showing every scope's last good data.
      const error = toCloudtopError(caught, cloud);
      this.log.warn(`${CLOUD_NAMES[cloud]}: ${error.category}: ${error.message}`);
      const results: ScopeResult[] = this.scopes
        .known(cloud)
        .map((scope) => ({ scope, data: this.lastGood.get(`${cloud}/${scope.id}`), fromCache: false, error }));
      const merged = mergeScopes({
        results,
        missing: [],
        available: results.length,
        offers: this.offers.last(cloud),
        credentialSource: resolved.source,
      });
      const shown = results.some((r) => r.data);
      return finish({ ...merged, state: 'error', error: outcomeError(error), stale: shown, fromCache: false });
    }

    const names = CLOUD_SCOPES[cloud];
    const selection = selectScopes(listing.scopes, config.scopes);
    const chosen = new Set(selection.selected.map((scope) => scope.id));
    const hidden = listing.scopes.filter((scope) => !chosen.has(scope.id)).map((scope) => scope.id);
    const base = this.cacheKeyFor(cloud, config, filter, 'parts');
    const offers = this.offers.get({
      cloud,
      provider: listing.provider,
      key: this.cacheKeyFor(cloud, config, filter, 'offers'),
      ttlMs: entry.offersTtlMs ?? this.options.offersTtlMs ?? DEFAULT_OFFERS_TTL_MS,
      force: options.forceOffers ?? false,
      filter,
      deadlineMs,
      signal,
    });
    const ttlMs = this.options.ttlMs ?? DEFAULT_TTL_MS;
    const scopeOptions = {
      cache: this.options.cache,
      resourcesTtlMs: ttlMs,
      metricsTtlMs: ttlMs,
      childrenTtlMs: ttlMs,
      now: this.now,
      log: this.log,
      windowMinutes: this.options.windowMinutes,
    };
    const results = await Promise.all(
      selection.selected.map((scope) =>
        inScope(scope.id, () =>
          refreshScope(
            { ...scopeOptions, waitedMs: () => this.options.limiters.waitedMs(cloud) },
            {
              cloud,
              scope,
              provider: listing.provider,
              key: `${base}:${scope.id}`,
              filter,
              force,
              ...(force && options.newerThan !== undefined ? { newerThan: options.newerThan } : {}),
              deadlineMs,
              signal,
              last: this.lastGood.get(`${cloud}/${scope.id}`),
              onFetch: fetching,
            },
          ),
        ),
      ),
    );
    for (const result of results) if (!result.error && result.data) this.lastGood.set(`${cloud}/${result.scope.id}`, result.data);
    const missing = selection.missing.map((id) => ({
      id,
      label: id,
      kind: names?.kind ?? 'account',
      state: 'error' as const,
      error: missingScopeError(id, names?.noun ?? 'scope'),
      fromCache: false,
      stale: false,
      resourceCount: 0,
      unknown: true,
    }));
    return finish(
      mergeScopes({ results, missing, available: selection.available, hidden, offers: await offers, credentialSource: resolved.source }),
    );
  }

  /**
   * The public GPU offers of a cloud nobody connected: a provider made without credentials (initializePublic), through
   * the same offers part (its cache, TTL, deadline and last good offers) under a key of their own. A failure is a
   * warning of the `offers` part, never the cloud's error: the cloud is still only "not connected".
   */
  private async publicOffers(cloud: CloudId, config: CloudConfig, options: RefreshOptions, signal: AbortSignal): Promise<OffersResult> {
    const entry = this.options.registry.entry(cloud)!;
    const deadlineMs = this.deadlineFor(cloud);
    try {
      const provider = await this.withDeadline(cloud, deadlineMs, signal, () => this.providers.get(cloud, config, {}, true));
      return await this.offers.get({
        cloud,
        provider,
        key: this.cacheKeyFor(cloud, config, {}, 'public-offers'),
        ttlMs: entry.offersTtlMs ?? this.options.offersTtlMs ?? DEFAULT_OFFERS_TTL_MS,
        force: options.forceOffers ?? false,
        filter: {},
        deadlineMs,
        signal,
      });
    } catch (caught) {
      return { ...this.offers.last(cloud), warning: partWarning(cloud, 'offers', caught, this.log) };
    }
  }

  /** A deadline the user chose wins; otherwise a cloud's floor (slow documented limits) lifts the default. */
  private deadlineFor(cloud: CloudId): number {
    return this.options.deadlineMs ?? Math.max(DEFAULT_DEADLINE_MS, this.options.registry.entry(cloud)?.minDeadlineMs ?? 0);
  }

  /** Runs `work` under the cloud's deadline (provider start-up and the scope list). */
  private async withDeadline<T>(
    cloud: CloudId,
    deadlineMs: number,
    outer: AbortSignal,
    work: (signal: AbortSignal) => Promise<T>,
    timeoutError: () => CloudtopError = () =>
      new CloudtopError({
        category: 'network',
        cloud,
        message: `${CLOUD_NAMES[cloud]} did not answer within ${Math.round(deadlineMs / 1000)} s. It will be tried again on the next refresh.`,
      }),
  ): Promise<T> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(timeoutError()), deadlineMs);
    const linked = anySignal([outer, deadline.signal]);
    const signal = linked.signal;
    try {
      return await raceAbort(work(signal), signal);
    } catch (caught) {
      throw signal.aborted ? (signal.reason ?? caught) : caught;
    } finally {
      clearTimeout(timer);
      linked.release();
    }
  }

  private cacheKeyFor(
    cloud: CloudId,
    config: CloudConfig,
    filter: ResourceFilter,
    part: 'parts' | 'scopes' | 'offers' | 'public-offers',
  ): string {
    const endpoint = config.endpoint || this.options.registry.entry(cloud)?.endpoint || '';
    const filterKey = [filter.gpuOnly ? 'gpu' : 'all', ...(filter.services ?? [])].join(',');
    return cacheKey(cloud, part, filterKey, { account: config.account ?? '', endpoint });
  }
}

const CANCELLED = 'Cancelled because another cloud failed (--fail-fast).';
