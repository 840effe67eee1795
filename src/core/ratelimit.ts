// One request budget per cloud and account: a token bucket (burst tokens, refilled at perSecond) built on
// bottleneck's reservoir. With Redis configured the buckets live in Redis, so every window and teammate
// pointing at the same server shares one budget; without it (or while Redis is down) each process keeps its
// own. A job never waits longer than maxWaitMs: it fails with a rate-limit error instead of hanging a refresh.
//
// bottleneck cannot remove a queued job, so a job that is aborted, times out or moves to the other limiter
// stays queued and, when its turn comes, gives its token straight back (incrementReservoir) instead of running.
import Bottleneck from 'bottleneck';
import { CloudtopError } from './errors';
import { silentLogger, type Logger } from './log';
import { CLOUD_NAMES, type CloudId } from './model';
import { RedisBuckets } from './ratelimit-redis';

export interface RateLimitConfig {
  /** Sustained requests per second. */
  perSecond: number;
  /** Requests that may start at once when the budget is full. */
  burst: number;
  /** Longest a request may wait for its turn before it fails with a rate-limit error. */
  maxWaitMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = { perSecond: 4, burst: 10, maxWaitMs: 30_000 };

export interface RateLimiter {
  /** Runs `fn` once the budget allows; rejects with a rate-limit CloudtopError past maxWaitMs, or on abort. */
  schedule<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export interface RateLimitersOptions {
  /** Share the budgets through Redis (`redis://…`); keys are named `b_<prefix>ratelimit:…` by bottleneck. */
  readonly redis?: { readonly url: string; readonly prefix?: string };
  readonly log?: Logger;
}

/** Shortest refill step: a faster rate refills several tokens per step rather than waking up more often. */
const MIN_STEP_MS = 50;

/** Refill `amount` tokens every `intervalMs`: the integer step closest to perSecond, never faster. */
export function refillStep(perSecond: number): { amount: number; intervalMs: number } {
  const amount = Math.max(1, Math.ceil((perSecond * MIN_STEP_MS) / 1000));
  return { amount, intervalMs: Math.ceil((amount * 1000) / perSecond) };
}

function resolveConfig(partial: Partial<RateLimitConfig> = {}): RateLimitConfig {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const config: RateLimitConfig = { ...DEFAULT_RATE_LIMIT, ...defined };
  if (!(config.perSecond > 0 && Number.isFinite(config.perSecond))) throw new RangeError(`perSecond must be > 0, got ${config.perSecond}`);
  if (!(Number.isInteger(config.burst) && config.burst >= 1)) throw new RangeError(`burst must be an integer ≥ 1, got ${config.burst}`);
  if (!(config.maxWaitMs >= 0 && Number.isFinite(config.maxWaitMs))) throw new RangeError(`maxWaitMs must be ≥ 0, got ${config.maxWaitMs}`);
  return config;
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms)} ms`;
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

interface Job {
  state: 'waiting' | 'started' | 'settled';
  /** Identifies the submission allowed to start the job; a stale one (moved, cancelled) refunds instead. */
  ticket: object;
  viaRedis: boolean;
  start(): boolean;
  fail(error: Error): void;
}

class CloudLimiter implements RateLimiter {
  private local: Bottleneck | undefined;
  private clustered: Bottleneck | undefined;
  private readonly waiting = new Set<Job>();
  private readonly step: { amount: number; intervalMs: number };
  private closed = false;

  constructor(
    private readonly cloud: CloudId,
    private readonly account: string,
    private readonly config: RateLimitConfig,
    private readonly redis: RedisBuckets | undefined,
  ) {
    this.step = refillStep(config.perSecond);
  }

  schedule<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.closed) return Promise.reject(new DOMException('Cloudtop is shutting down', 'AbortError'));
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    // Fail at once when even a full bucket could not serve the queue ahead within maxWait: the tokens
    // beyond the burst arrive one step at a time.
    const ahead = this.waiting.size;
    const atLeastMs = Math.max(0, ahead - this.config.burst) * (1000 / this.config.perSecond);
    if (atLeastMs > this.config.maxWaitMs) {
      return Promise.reject(this.exhausted(`would wait at least ${seconds(atLeastMs)}`, ahead));
    }
    return new Promise<T>((resolve, reject) => {
      const settle = (state: 'started' | 'settled') => {
        job.state = state;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiting.delete(job);
      };
      const job: Job = {
        state: 'waiting',
        ticket: {},
        viaRedis: false,
        start: () => {
          if (job.state !== 'waiting') return false;
          settle('started');
          Promise.resolve().then(fn).then(resolve, reject);
          return true;
        },
        fail: (error: Error) => {
          if (job.state !== 'waiting') return;
          settle('settled');
          reject(error);
        },
      };
      const timer = setTimeout(() => job.fail(this.exhausted(`waited ${seconds(this.config.maxWaitMs)}`, this.waiting.size - 1)), this.config.maxWaitMs);
      const onAbort = () => job.fail(abortReason(signal!));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.add(job);
      void this.submit(job, false);
    });
  }

  /** Redis went away: jobs queued in the shared bucket move to the local one (their old slots refund). */
  failover(): void {
    for (const job of this.waiting) if (job.viaRedis) void this.submit(job, true);
  }

  close(): Bottleneck[] {
    this.closed = true;
    for (const job of this.waiting) job.fail(new DOMException('Cloudtop is shutting down', 'AbortError'));
    if (this.local) void this.local.disconnect(false);
    return this.clustered ? [this.clustered] : [];
  }

  private async submit(job: Job, forceLocal: boolean): Promise<void> {
    const viaRedis = !forceLocal && this.redis !== undefined && (await this.redis.usable());
    if (job.state !== 'waiting') return;
    const limiter = viaRedis ? this.clusteredLimiter() : this.localLimiter();
    const ticket = {};
    job.ticket = ticket;
    job.viaRedis = viaRedis;
    // The scheduled function only starts the job and returns: bottleneck meters starts, not durations.
    limiter
      .schedule(() => {
        if (job.ticket !== ticket || !job.start()) limiter.incrementReservoir(1).catch(() => undefined);
        return Promise.resolve();
      })
      .catch((error: unknown) => {
        // Only bottleneck's own machinery can fail here (a Redis script on a dropped connection).
        if (job.ticket !== ticket || job.state !== 'waiting') return;
        if (!viaRedis) return job.fail(asError(error));
        this.redis?.failed(error, true);
        void this.submit(job, true);
      });
  }

  private bucket(): Bottleneck.ConstructorOptions {
    const { burst } = this.config;
    return { reservoir: burst, reservoirIncreaseAmount: this.step.amount, reservoirIncreaseMaximum: burst };
  }

  private localLimiter(): Bottleneck {
    // bottleneck's local store refills at most once per heartbeat tick (default 250 ms, which silently caps
    // the rate at 4 steps/s) and only when a whole interval has passed since the last refill *as measured
    // at the tick*, so a tick landing a millisecond early skips a step. Make the heartbeat the clock — one
    // tick per step — and check half an interval, so every tick refills.
    this.local ??= withPromptYields(
      new Bottleneck({
        ...this.bucket(),
        reservoirIncreaseInterval: Math.max(1, Math.floor(this.step.intervalMs / 2)),
        heartbeatInterval: this.step.intervalMs, // (not in bottleneck's typings, but a documented store option)
      }),
    );
    return this.local;
  }

  private clusteredLimiter(): Bottleneck {
    if (this.clustered) return this.clustered;
    // In Redis the refill is computed from elapsed whole intervals (exact), but queued jobs only notice it
    // on the heartbeat's broadcast: the default 5 s heartbeat would stall them, so beat once per step.
    const settings = { ...this.bucket(), reservoirIncreaseInterval: this.step.intervalMs };
    const limiter = this.redis!.limiter(this.cloud, this.account, { ...settings, heartbeatInterval: this.step.intervalMs });
    limiter.on('error', (error: unknown) => this.redis?.failed(error, true));
    // Its setup (the init script) may fail if Redis drops at that moment; jobs then move on via failover.
    limiter.ready().catch((error: unknown) => this.redis?.failed(error, true));
    // The bucket may already exist with another process's (older) parameters: adopt ours, but leave its
    // current reservoir alone, or every process start would hand out a fresh burst.
    const { reservoir: _, ...refill } = settings;
    // (bottleneck's typings say updateSettings returns the limiter; it returns a promise.)
    Promise.resolve(limiter.updateSettings(refill) as unknown).catch(() => undefined);
    this.clustered = limiter;
    return limiter;
  }

  private exhausted(detail: string, ahead: number): CloudtopError {
    return new CloudtopError({
      message: `${CLOUD_NAMES[this.cloud]}: local rate limit budget exhausted; ${detail}`,
      category: 'rate-limit',
      cloud: this.cloud,
      code: 'LOCAL_RATE_LIMIT',
      retryAfterMs: Math.ceil(((Math.max(0, ahead) + 1) * 1000) / this.config.perSecond),
    });
  }
}

export class RateLimiters {
  private readonly limiters = new Map<string, CloudLimiter>();
  private readonly redis: RedisBuckets | undefined;

  constructor(options: RateLimitersOptions = {}) {
    const log = options.log ?? silentLogger;
    if (options.redis) {
      this.redis = new RedisBuckets(options.redis.url, options.redis.prefix ?? 'cloudtop:', log, () => {
        for (const limiter of this.limiters.values()) limiter.failover();
      });
    }
  }

  /** The limiter of one cloud and account; the first call's config wins for the life of this object. */
  forCloud(cloud: CloudId, account: string, config?: Partial<RateLimitConfig>): RateLimiter {
    const key = `${cloud}\n${account}`;
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new CloudLimiter(cloud, account, resolveConfig(config), this.redis);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }

  /** Rejects waiting jobs, stops the refill timers and closes the Redis connection. */
  async disconnect(): Promise<void> {
    const clustered = [...this.limiters.values()].flatMap((limiter) => limiter.close());
    this.limiters.clear();
    await this.redis?.close(clustered);
  }
}

/**
 * bottleneck's local store imitates Redis' asynchrony by yielding with `setTimeout(0)` around every store
 * operation — four or five of them per job, each clamped to at least 1 ms by Node, about 5 ms per call
 * (measured). On a refresh whose calls run one after another (list pages) that adds up. Yielding with
 * setImmediate keeps the store asynchronous, and fair to I/O, without the clamp.
 */
function withPromptYields(limiter: Bottleneck): Bottleneck {
  const store = (limiter as unknown as { _store?: { yieldLoop?: (t?: number) => Promise<void> } })._store;
  if (store && typeof store.yieldLoop === 'function') {
    store.yieldLoop = (t = 0) => new Promise<void>((resolve) => (t > 0 ? setTimeout(resolve, t) : setImmediate(resolve)));
  }
  return limiter;
}
