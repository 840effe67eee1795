// Reference data: what a provider needs besides resources, metrics and offers — compartments, subscribed regions,
// price lists, VM sizes, machine types, organizations. It changes slowly and is shared by every scope and every
// process, so the engine owns it rather than each provider: it lives in the one Cache (memory, file or Redis, so a
// second `cloudtop` run or a teammate's editor reuses it within its TTL), concurrent asks share one load, a refresh
// that renews reference data (Cloudtop: Refresh, Retry, `--no-cache`) reads it again, and a failed load keeps the last
// good value under a `reference` warning that says what is stale and since when. SkyPilot keeps its catalogues behind
// one freshness rule for the same reason (skypilot-org/skypilot sky/catalog/common.py).
import { anySignal, raceAbort } from './abort';
import { SharedRuns } from './shared-run';
import { cacheKey, MAX_TTL_MS, type Cache, type CacheScope } from '../cache/cache';
import { CloudtopError, toCloudtopError } from '../errors/errors';
import { formatAge } from '../model/duration';
import type { Logger } from '../model/log';
import { CLOUD_NAMES, type CloudId, type OutcomeWarning } from '../model/model';

export interface ReferenceSpec<T> {
  /** What it is, as a warning names it: "Oracle's price list". */
  readonly label: string;
  /** How long a loaded value is used before it is read again. */
  readonly ttlMs: number;
  /**
   * `cloud` (the default): one value for every scope, or one per `key` the provider passes. `scope`: the key is the
   * scope's id, and a failed load warns in that scope.
   */
  readonly per?: 'cloud' | 'scope';
  /**
   * A public catalogue (a price list): the same for every credential, so every account and teammate reading the same
   * endpoint shares one copy. Otherwise the value is the credential's own (compartments, subscriptions …).
   */
  readonly shared?: boolean;
  /** What the user misses while no value could ever be read: "GPU instances show no price". */
  readonly withoutIt?: string;
  /** Reads the value from the cloud; it must be JSON-serializable (it is cached like any other part). */
  readonly load: (signal: AbortSignal, key: string) => Promise<T>;
}

export interface Reference<T> {
  /**
   * The value: from memory or the cache while younger than its TTL, else loaded (one load for every concurrent ask).
   * A failed load answers the last good value under a warning; with none it rejects with the failure.
   */
  get(signal: AbortSignal, key?: string): Promise<T>;
  /**
   * The same, for data a listing can do without (a price list): a failure is the answer's `error` (the warning is
   * raised all the same) instead of a rejection. A rejected key and the caller's own abort still reject: they fail
   * the refresh, not only this part.
   */
  tryGet(signal: AbortSignal, key?: string): Promise<ReferenceAnswer<T>>;
}

export type ReferenceAnswer<T> =
  { readonly value: T; readonly error?: undefined } | { readonly value?: undefined; readonly error: CloudtopError };

interface Stored<T> {
  readonly value: T;
  /** ISO 8601: when the load that produced it started. */
  readonly fetchedAt: string;
}

interface Problem {
  readonly cloud: CloudId;
  readonly label: string;
  readonly scope?: string;
  readonly error: CloudtopError;
  readonly lastGoodAt?: number;
  readonly withoutIt?: string;
}

export interface ReferenceStoreOptions {
  readonly cache: Cache;
  readonly now: () => number;
  readonly log: Logger;
  /**
   * How long one load may take before it counts as failed (the last good value is then used): shorter than a scope's
   * deadline, so a hung price list costs its warning, not the listing that needed it.
   */
  readonly loadTimeoutMs: (cloud: CloudId) => number;
}

/** Last good values are kept well past their TTL: after a failed load they are what is shown, with their age. */
const KEPT_MS = 7 * 24 * 3_600_000;

export class ReferenceStore {
  /** Every value seen, by cache key: the fallback when the cache is cold or cannot be read. */
  private readonly memory = new Map<string, Stored<unknown>>();
  private readonly loading = new SharedRuns<Stored<unknown>>();
  /** The failed loads of each cloud, by cache key, until a load of the same data succeeds. */
  private readonly problems = new Map<string, Problem>();
  /** Values fetched before this time are read again (the cloud's last renewing refresh). */
  private readonly renewBefore = new Map<CloudId, number>();

  constructor(private readonly options: ReferenceStoreOptions) {}

  /**
   * The handle a provider keeps for one piece of reference data (ProviderContext.reference). `who`: the credential's
   * non-secret identity, part of the key of data that is not `shared`.
   */
  declare<T>(cloud: CloudId, owner: CacheScope & { readonly who: string }, name: string, spec: ReferenceSpec<T>): Reference<T> {
    const identity: CacheScope = spec.shared
      ? { account: '', endpoint: owner.endpoint }
      : { account: JSON.stringify([owner.account, owner.who]), endpoint: owner.endpoint };
    const get = (signal: AbortSignal, key = '') => this.get(cloud, identity, name, key, spec, signal);
    return {
      get,
      tryGet: async (signal, key) => {
        try {
          return { value: await get(signal, key) };
        } catch (caught) {
          const error = toCloudtopError(caught, cloud);
          if (signal.aborted || error.category === 'auth') throw signal.aborted ? (signal.reason ?? error) : error;
          return { error };
        }
      },
    };
  }

  /** The next ask for any of the cloud's reference data reads it again (a manual refresh, Retry, `--no-cache`). */
  renew(cloud: CloudId, at = this.options.now()): void {
    this.renewBefore.set(cloud, at);
  }

  /** One `reference` warning per piece of the cloud's reference data whose newest load failed. */
  warnings(cloud: CloudId): OutcomeWarning[] {
    const now = this.options.now();
    return [...this.problems.values()]
      .filter((p) => p.cloud === cloud)
      .map((p) => {
        const kept =
          p.lastGoodAt !== undefined
            ? ` Using the copy read ${formatAge(now - p.lastGoodAt)} ago.`
            : p.withoutIt
              ? ` No earlier copy: ${p.withoutIt}.`
              : '';
        return {
          part: 'reference',
          category: p.error.category,
          message: `${p.label} could not be read: ${sentence(p.error.message)}${kept}`,
          ...(p.scope ? { scope: p.scope } : {}),
        } satisfies OutcomeWarning;
      });
  }

  /** Forgets the cloud's reference data (its credentials or endpoint changed); returns the cache keys it held. */
  forget(cloud: CloudId): string[] {
    const prefix = `${cloud}:reference:`;
    const keys = [...this.memory.keys()].filter((k) => k.startsWith(prefix));
    for (const key of keys) this.memory.delete(key);
    for (const [key, problem] of this.problems) if (problem.cloud === cloud) this.problems.delete(key);
    this.renewBefore.delete(cloud);
    return keys;
  }

  private async get<T>(
    cloud: CloudId,
    identity: CacheScope,
    name: string,
    key: string,
    spec: ReferenceSpec<T>,
    signal: AbortSignal,
  ): Promise<T> {
    const k = cacheKey(cloud, 'reference', key ? `${name}/${key}` : name, identity);
    const known = (this.memory.get(k) as Stored<T> | undefined) ?? (await this.fromCache<T>(k));
    if (known && this.fresh(cloud, known, spec.ttlMs)) return known.value;
    try {
      const stored = (await this.shared(k, key, spec, this.options.loadTimeoutMs(cloud), signal)) as Stored<T>;
      this.problems.delete(k);
      return stored.value;
    } catch (caught) {
      const error = toCloudtopError(signal.aborted ? (signal.reason ?? caught) : caught, cloud);
      // The caller's abort is not the data's failure; a rejected key fails the whole refresh anyway.
      if (signal.aborted || error.category === 'auth') throw error;
      const last = (this.memory.get(k) as Stored<T> | undefined) ?? known;
      const lastGoodAt = last ? Date.parse(last.fetchedAt) : undefined;
      this.problems.set(k, {
        cloud,
        label: spec.label,
        error,
        withoutIt: spec.withoutIt,
        ...(spec.per === 'scope' && key ? { scope: key } : {}),
        ...(lastGoodAt !== undefined ? { lastGoodAt } : {}),
      });
      this.options.log.warn(`${CLOUD_NAMES[cloud]}: ${spec.label} not read: ${error.message}${last ? ' (using the last good copy)' : ''}`);
      if (last) return last.value;
      // The caller's own messages (a price "unknown: …", an offers warning) then say what could not be read.
      throw new CloudtopError({
        category: error.category,
        cloud,
        message: `${spec.label} could not be read: ${sentence(error.message)}`,
        ...(error.code ? { code: error.code } : {}),
        ...(error.status !== undefined ? { status: error.status } : {}),
        ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
      });
    }
  }

  private fresh(cloud: CloudId, stored: Stored<unknown>, ttlMs: number): boolean {
    const at = Date.parse(stored.fetchedAt);
    return this.options.now() - at < ttlMs && at >= (this.renewBefore.get(cloud) ?? Number.NEGATIVE_INFINITY);
  }

  private async fromCache<T>(k: string): Promise<Stored<T> | undefined> {
    const stored = await this.options.cache.get<Stored<T>>(k).catch(() => undefined);
    if (!stored || typeof stored.fetchedAt !== 'string' || !('value' in stored)) return undefined;
    this.memory.set(k, stored);
    return stored;
  }

  /**
   * One load for every concurrent ask (shared-run.ts). It runs under a signal of its own that aborts when its time is
   * up or when every caller waiting for it has gone, so one caller's deadline does not fail the others.
   */
  private shared<T>(k: string, key: string, spec: ReferenceSpec<T>, timeoutMs: number, signal: AbortSignal): Promise<Stored<unknown>> {
    const load = async (shared: AbortSignal): Promise<Stored<unknown>> => {
      const started = this.options.now();
      const deadline = new AbortController();
      const timer = setTimeout(() => {
        deadline.abort(new CloudtopError({ category: 'network', message: `no answer within ${Math.round(timeoutMs / 1000)} s` }));
      }, timeoutMs);
      const linked = anySignal([shared, deadline.signal]);
      try {
        // Raced against its own signal: a load that ignores it (a hung SDK call) still ends on time.
        const value = await raceAbort(spec.load(linked.signal, key), linked.signal);
        const stored: Stored<T> = { value, fetchedAt: new Date(started).toISOString() };
        this.memory.set(k, stored);
        await this.options.cache
          .set(k, stored, Math.min(MAX_TTL_MS, Math.max(KEPT_MS, spec.ttlMs * 2)))
          .catch((error: unknown) => this.options.log.warn(`cache write failed for ${spec.label}: ${String(error)}`));
        return stored;
      } catch (error) {
        throw linked.signal.aborted ? (linked.signal.reason ?? error) : error;
      } finally {
        clearTimeout(timer);
        linked.release();
      }
    };
    return this.loading.join(k, load, signal);
  }
}

/** A message as a sentence: it ends with a full stop unless it already ends with punctuation. */
function sentence(message: string): string {
  return /[.!?)]$/.test(message.trim()) ? message.trim() : `${message.trim()}.`;
}
