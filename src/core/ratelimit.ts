// One request budget per cloud and account (and per endpoint, where a cloud meters one apart): a token
// bucket of `burst` tokens refilled at perSecond. Without Redis (or while Redis is down) the bucket is
// in-process (token-bucket.ts) and a request that finds a token starts at once; with Redis configured the
// buckets live in Redis through bottleneck, so every window and teammate pointing at the same server shares
// one budget. A job never waits longer than maxWaitMs: it fails with a rate-limit error instead of hanging a
// refresh.
//
// bottleneck cannot remove a queued job, so a job that is aborted, times out or moves to the local bucket
// stays queued in Redis and, when its turn comes, gives its token straight back (incrementReservoir)
// instead of running. The local queue is ours: a job leaving it simply never takes a token.
import type Bottleneck from 'bottleneck';
import { CloudtopError } from './errors';
import { silentLogger, type Logger } from './log';
import { CLOUD_NAMES, type CloudId } from './model';
import type { RedisBuckets } from './ratelimit-redis';
import { TokenBucket } from './token-bucket';

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

/** Shortest refill step in Redis: a faster rate refills several tokens per step rather than waking up more often. */
const MIN_STEP_MS = 50;

/** Redis refill: `amount` tokens every `intervalMs`, the integer step closest to perSecond, never faster. */
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

interface Job {
  state: 'waiting' | 'started' | 'settled';
  /** Identifies the submission allowed to start the job; a stale one (moved, cancelled) refunds instead. */
  ticket: object;
  viaRedis: boolean;
  start(): boolean;
  fail(error: Error): void;
}

class CloudLimiter implements RateLimiter {
  private readonly bucket: TokenBucket;
  /** Jobs waiting for a local token, oldest first; settled or moved ones are skipped when reached. */
  private readonly localQueue: Job[] = [];
  private wakeUp: NodeJS.Timeout | undefined;
  private clustered: Bottleneck | undefined;
  private shared: RedisBuckets | undefined;
  private readonly waiting = new Set<Job>();
  private closed = false;

  constructor(
    private readonly cloud: CloudId,
    private readonly account: string,
    private readonly bucketName: string,
    private readonly config: RateLimitConfig,
    /** Set when budgets are shared through Redis; resolves once its module (ioredis, bottleneck) has loaded. */
    private readonly redis: Promise<RedisBuckets> | undefined,
  ) {
    this.bucket = new TokenBucket(config.perSecond, config.burst);
  }

  schedule<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.closed) return Promise.reject(new DOMException('Cloudtop is shutting down', 'AbortError'));
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    // Fail at once when the queue ahead could not drain within maxWait. A job waiting for the local bucket
    // holds no token, so each one ahead needs a refill; in Redis the burst may still serve some of them.
    const ahead = this.waiting.size;
    const atLeastMs = Math.max(0, ahead - (this.redis ? this.config.burst : 0)) * (1000 / this.config.perSecond);
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
      if (this.redis) void this.submitShared(job);
      else this.enqueueLocal(job);
    });
  }

  /** Redis went away: jobs queued in the shared bucket move to the local one (their old slots refund). */
  failover(): void {
    for (const job of this.waiting) if (job.viaRedis) this.enqueueLocal(job);
  }

  close(): Bottleneck[] {
    this.closed = true;
    clearTimeout(this.wakeUp);
    for (const job of this.waiting) job.fail(new DOMException('Cloudtop is shutting down', 'AbortError'));
    return this.clustered ? [this.clustered] : [];
  }

  private enqueueLocal(job: Job): void {
    job.ticket = {};
    job.viaRedis = false;
    this.localQueue.push(job);
    this.drainLocal();
  }

  /** Starts queued jobs while tokens last, then sleeps until the next token is due. */
  private drainLocal(): void {
    if (this.wakeUp !== undefined) return; // a wake-up for the head of the queue is already set
    while (this.localQueue.length > 0) {
      const head = this.localQueue[0];
      if (head.state !== 'waiting') {
        this.localQueue.shift();
        continue;
      }
      const dueInMs = this.bucket.take();
      if (dueInMs > 0) {
        this.wakeUp = setTimeout(() => {
          this.wakeUp = undefined;
          this.drainLocal();
        }, dueInMs);
        return;
      }
      this.localQueue.shift();
      head.start();
    }
  }

  private async submitShared(job: Job): Promise<void> {
    const redis = (this.shared ??= await this.redis!);
    const viaRedis = await redis.usable();
    if (job.state !== 'waiting') return;
    if (!viaRedis) return this.enqueueLocal(job);
    const limiter = this.clusteredLimiter(redis);
    const ticket = {};
    job.ticket = ticket;
    job.viaRedis = true;
    // The scheduled function only starts the job and returns: bottleneck meters starts, not durations.
    limiter
      .schedule(() => {
        if (job.ticket !== ticket || !job.start()) limiter.incrementReservoir(1).catch(() => undefined);
        return Promise.resolve();
      })
      .catch((error: unknown) => {
        // Only bottleneck's own machinery can fail here (a Redis script on a dropped connection).
        if (job.ticket !== ticket || job.state !== 'waiting') return;
        redis.failed(error, true);
        this.enqueueLocal(job);
      });
  }

  private clusteredLimiter(redis: RedisBuckets): Bottleneck {
    if (this.clustered) return this.clustered;
    // In Redis the refill is computed from elapsed whole intervals (exact), but queued jobs only notice it
    // on the heartbeat's broadcast: the default 5 s heartbeat would stall them, so beat once per step.
    const step = refillStep(this.config.perSecond);
    const { burst } = this.config;
    const settings = { reservoir: burst, reservoirIncreaseAmount: step.amount, reservoirIncreaseMaximum: burst, reservoirIncreaseInterval: step.intervalMs };
    const limiter = redis.limiter(this.cloud, this.account, this.bucketName, { ...settings, heartbeatInterval: step.intervalMs });
    limiter.on('error', (error: unknown) => redis.failed(error, true));
    // Its setup (the init script) may fail if Redis drops at that moment; jobs then move on via failover.
    limiter.ready().catch((error: unknown) => redis.failed(error, true));
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
      message: `${CLOUD_NAMES[this.cloud]}: local rate limit budget${this.bucketName ? ` for ${this.bucketName}` : ''} exhausted; ${detail}`,
      category: 'rate-limit',
      cloud: this.cloud,
      code: 'LOCAL_RATE_LIMIT',
      retryAfterMs: Math.ceil(((Math.max(0, ahead) + 1) * 1000) / this.config.perSecond),
    });
  }
}

export class RateLimiters {
  private readonly limiters = new Map<string, CloudLimiter>();
  private readonly redis: Promise<RedisBuckets> | undefined;

  constructor(options: RateLimitersOptions = {}) {
    const log = options.log ?? silentLogger;
    const shared = options.redis;
    if (shared) {
      // ioredis and bottleneck load only when budgets are shared: they are a large part of every start.
      this.redis = import('./ratelimit-redis').then(
        ({ RedisBuckets }) =>
          new RedisBuckets(shared.url, shared.prefix ?? 'cloudtop:', log, () => {
            for (const limiter of this.limiters.values()) limiter.failover();
          }),
      );
    }
  }

  /**
   * The limiter of one cloud and account — or of one of its endpoints, when the cloud meters it apart (`bucket`
   * names it). The first call's config wins for the life of this object.
   */
  forCloud(cloud: CloudId, account: string, config?: Partial<RateLimitConfig>, bucket = ''): RateLimiter {
    const key = `${cloud}\n${account}\n${bucket}`;
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new CloudLimiter(cloud, account, bucket, resolveConfig(config), this.redis);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }

  /** Rejects waiting jobs, stops the refill timers and closes the Redis connection. */
  async disconnect(): Promise<void> {
    const clustered = [...this.limiters.values()].flatMap((limiter) => limiter.close());
    this.limiters.clear();
    await (await this.redis)?.close(clustered);
  }
}
