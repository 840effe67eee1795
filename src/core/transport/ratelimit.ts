// One request budget per cloud and account (and per endpoint, where a cloud meters one apart): the windows the
// cloud documents (rate-budget.ts), each of which must have room before a request starts. Without Redis (or while
// Redis is down) the budgets are in-process (token-bucket.ts) and a request that finds room starts at once; with
// Redis configured each budget is a bucket in Redis through bottleneck, so every window and teammate pointing at
// the same server shares one budget. A job never waits longer than maxWaitMs: it fails with a rate-limit error instead of hanging a
// refresh.
//
// bottleneck cannot remove a queued job, so a job that is aborted, times out or moves to the local bucket
// stays queued in Redis and, when its turn comes, gives its token straight back (incrementReservoir)
// instead of running. The local queue is ours: a job leaving it simply never takes a token.
import type Bottleneck from 'bottleneck';
import { CloudtopError } from '../errors/errors';
import { silentLogger, type Logger } from '../model/log';
import { CLOUD_NAMES, type CloudId } from '../model/model';
import { realClock, type Clock, type TimerHandle } from './clock';
import type { RedisBuckets } from './ratelimit-redis';
import type { RedisStatus } from './redis-status';
import {
  describeWindow,
  localBudget,
  redisBucket,
  refillStep,
  resolveRateLimit,
  type BudgetSpec,
  type RateLimitConfig,
  type ResolvedRateLimit,
  WaitClock,
} from './rate-budget';
import type { Budget } from './token-bucket';

export { DEFAULT_RATE_LIMIT, refillStep, type RateLimitConfig, type RateWindow } from './rate-budget';

export interface RateLimiter {
  /** Runs `fn` once the budget allows; rejects with a rate-limit CloudtopError past maxWaitMs, or on abort. */
  schedule<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export interface RateLimitersOptions {
  /** Share the budgets through Redis (`redis://…`); keys are named `b_<prefix>ratelimit:…` by bottleneck. */
  readonly redis?: { readonly url: string; readonly prefix?: string; readonly status?: RedisStatus };
  readonly log?: Logger;
  /** The time and timers of every budget, wait and timeout (Redis' own aside); the real clock by default. */
  readonly clock?: Clock;
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
  /** Starts the job; `settled` runs when its function has settled (the budgets' slots close then). */
  start(settled?: () => void): boolean;
  fail(error: Error): void;
}

class CloudLimiter implements RateLimiter {
  /** Its own budgets, then (a route's budget within the cloud's) the cloud's: a job starts when all have room. */
  private readonly budgets: readonly Budget[];
  /** Jobs waiting for the local budgets, oldest first; settled or moved ones are skipped when reached. */
  private readonly localQueue: Job[] = [];
  private wakeUp: TimerHandle;
  private clustered: Bottleneck[] | undefined;
  private shared: RedisBuckets | undefined;
  private readonly waiting = new Set<Job>();
  private closed = false;
  /** Mean spacing of jobs the tightest budget sustains, and how many may start at once. */
  private readonly intervalMs: number;
  private readonly capacity: number;

  constructor(
    private readonly cloud: CloudId,
    private readonly account: string,
    private readonly bucketName: string,
    private readonly config: ResolvedRateLimit,
    /** Set when budgets are shared through Redis; resolves once its module (ioredis, bottleneck) has loaded. */
    private readonly redis: Promise<RedisBuckets> | undefined,
    private readonly waitClock: WaitClock,
    private readonly clock: Clock,
    /** The cloud's own limiter, whose budgets a route's budget counts against too. */
    private readonly within?: CloudLimiter,
  ) {
    this.budgets = [...config.budgets.map((spec) => localBudget(spec, () => clock.now())), ...(within?.budgets ?? [])];
    this.intervalMs = Math.max(...this.budgets.map((b) => b.intervalMs));
    this.capacity = Math.min(...this.budgets.map((b) => b.capacity));
  }

  schedule<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.closed) return Promise.reject(new DOMException('Cloudtop is shutting down', 'AbortError'));
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    // Fail at once when the queue ahead could not drain within maxWait. A job waiting for the local budget
    // holds none of it, so each one ahead needs room to come; in Redis the burst may still serve some of them.
    const ahead = this.waiting.size;
    const atLeastMs = Math.max(0, ahead - (this.redis ? this.capacity : 0)) * this.intervalMs;
    if (atLeastMs > this.config.maxWaitMs) {
      return Promise.reject(this.exhausted(`would wait at least ${seconds(atLeastMs)}`, ahead));
    }
    return new Promise<T>((resolve, reject) => {
      const settle = (state: 'started' | 'settled') => {
        job.state = state;
        this.clock.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (this.waiting.delete(job)) this.waitClock.leave();
      };
      const job: Job = {
        state: 'waiting',
        ticket: {},
        viaRedis: false,
        start: (settled?: () => void) => {
          if (job.state !== 'waiting') return false;
          settle('started');
          Promise.resolve()
            .then(fn)
            .finally(() => settled?.())
            .then(resolve, reject);
          return true;
        },
        fail: (error: Error) => {
          if (job.state !== 'waiting') return;
          settle('settled');
          reject(error);
        },
      };
      const timer = this.clock.setTimeout(
        () => job.fail(this.exhausted(`waited ${seconds(this.config.maxWaitMs)}`, this.waiting.size - 1)),
        this.config.maxWaitMs,
      );
      const onAbort = () => job.fail(abortReason(signal!));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.add(job);
      this.waitClock.enter();
      if (this.redis) void this.submitShared(job);
      else this.enqueueLocal(job);
    });
  }

  /** Redis went away: jobs queued in the shared buckets move to the local budgets (their old slots refund). */
  failover(): void {
    for (const job of this.waiting) if (job.viaRedis) this.enqueueLocal(job);
  }

  close(): Bottleneck[] {
    this.closed = true;
    this.clock.clearTimeout(this.wakeUp);
    for (const job of this.waiting) job.fail(new DOMException('Cloudtop is shutting down', 'AbortError'));
    return this.clustered ?? [];
  }

  private enqueueLocal(job: Job): void {
    job.ticket = {};
    job.viaRedis = false;
    this.localQueue.push(job);
    this.drainLocal();
  }

  /** Starts queued jobs while every budget has room, then sleeps until the last of them has. */
  private drainLocal(): void {
    if (this.wakeUp !== undefined) return; // a wake-up for the head of the queue is already set
    while (this.localQueue.length > 0) {
      const head = this.localQueue[0];
      if (head.state !== 'waiting') {
        this.localQueue.shift();
        continue;
      }
      const dueInMs = Math.max(...this.budgets.map((b) => b.dueIn()));
      if (dueInMs > 0) {
        this.wakeUp = this.clock.setTimeout(() => {
          this.wakeUp = undefined;
          this.drainLocal();
        }, dueInMs);
        return;
      }
      const slots = this.budgets.map((budget) => budget.take());
      this.localQueue.shift();
      head.start(() => {
        for (const close of slots) close();
      });
    }
  }

  private async submitShared(job: Job): Promise<void> {
    const redis = (this.shared ??= await this.redis!);
    const viaRedis = await redis.usable();
    if (job.state !== 'waiting') return;
    if (!viaRedis) return this.enqueueLocal(job);
    const limiters = this.clusteredLimiters(redis);
    const ticket = {};
    job.ticket = ticket;
    job.viaRedis = true;
    // One shared bucket after the other: a slot taken in one while the next is still full is spent, never
    // exceeded. Each scheduled function only passes the job on and returns: bottleneck meters starts, not durations.
    const pass = (index: number): void => {
      const limiter = limiters[index];
      limiter
        .schedule(() => {
          const current = job.ticket === ticket && job.state === 'waiting';
          if (!current) limiter.incrementReservoir(1).catch(() => undefined);
          else if (index + 1 < limiters.length) pass(index + 1);
          else if (job.state === 'waiting') job.start(this.countShared());
          return Promise.resolve();
        })
        .catch((error: unknown) => {
          // Only bottleneck's own machinery can fail here (a Redis script on a dropped connection).
          if (job.ticket !== ticket || job.state !== 'waiting') return;
          redis.failed(error, true);
          this.enqueueLocal(job);
        });
    };
    pass(0);
  }

  /**
   * A job started through Redis counts in the local budgets too, so that when Redis goes away the local budgets that
   * take over start from what this process is known to have spent in the current windows, not from empty (which
   * let RunPod see 102 requests in 60 s against its 60 at the switch). Other processes' share is unknown here:
   * without Redis each process has its own budget, as the README says.
   */
  private countShared(): () => void {
    const slots = this.budgets.map((budget) => budget.take());
    return () => {
      for (const close of slots) close();
    };
  }

  /** The shared buckets of this limiter's budgets, then of the cloud's (a route's budget within it). */
  private clusteredLimiters(redis: RedisBuckets): Bottleneck[] {
    if (this.clustered) return this.clustered;
    const own = this.config.budgets.map((spec) => this.clusteredLimiter(redis, spec));
    this.clustered = [...own, ...(this.within?.clusteredLimiters(redis) ?? [])];
    return this.clustered;
  }

  private clusteredLimiter(redis: RedisBuckets, spec: BudgetSpec): Bottleneck {
    const bucket = redisBucket(spec);
    // In Redis the refill is computed from elapsed whole intervals (exact), but queued jobs only notice it
    // on the heartbeat's broadcast: the default 5 s heartbeat would stall them, so beat once per step.
    const step = refillStep(bucket.perSecond);
    const { burst } = bucket;
    const settings = {
      reservoir: burst,
      reservoirIncreaseAmount: step.amount,
      reservoirIncreaseMaximum: burst,
      reservoirIncreaseInterval: step.intervalMs,
    };
    const name = [this.bucketName, bucket.name].filter(Boolean).join(':');
    const limiter = redis.limiter(this.cloud, this.account, name, { ...settings, heartbeatInterval: step.intervalMs });
    limiter.on('error', (error: unknown) => redis.failed(error, true));
    // Its setup (the init script) may fail if Redis drops at that moment; jobs then move on via failover.
    limiter.ready().catch((error: unknown) => redis.failed(error, true));
    // The bucket may already exist with another process's (older) parameters: adopt ours, but leave its
    // current reservoir alone, or every process start would hand out a fresh burst.
    const { reservoir: _, ...refill } = settings;
    // (bottleneck's typings say updateSettings returns the limiter; it returns a promise.)
    Promise.resolve(limiter.updateSettings(refill) as unknown).catch(() => undefined);
    return limiter;
  }

  private exhausted(detail: string, ahead: number): CloudtopError {
    return new CloudtopError({
      message: `${CLOUD_NAMES[this.cloud]}: Cloudtop's own rate budget${this.bucketName ? ` for ${this.bucketName}` : ''} is used up (${this.describeBudget()}); ${detail}`,
      category: 'rate-limit',
      cloud: this.cloud,
      code: 'LOCAL_RATE_LIMIT',
      retryAfterMs: Math.ceil((Math.max(0, ahead) + 1) * this.intervalMs),
    });
  }

  private describeBudget(): string {
    const specs = [...this.config.budgets, ...(this.within?.config.budgets ?? [])];
    return specs.map((s) => (s.kind === 'bucket' ? `${s.perSecond}/s, burst ${s.burst}` : describeWindow(s))).join(' and ');
  }
}

export class RateLimiters {
  private readonly limiters = new Map<string, CloudLimiter>();
  private readonly clocks = new Map<CloudId, WaitClock>();
  private readonly redis: Promise<RedisBuckets> | undefined;
  private readonly clock: Clock;

  constructor(options: RateLimitersOptions = {}) {
    const log = options.log ?? silentLogger;
    this.clock = options.clock ?? realClock;
    const shared = options.redis;
    if (shared) {
      // ioredis and bottleneck load only when budgets are shared: they are a large part of every start.
      this.redis = import('./ratelimit-redis').then(
        ({ RedisBuckets }) =>
          new RedisBuckets(
            shared.url,
            shared.prefix ?? 'cloudtop:',
            log,
            () => {
              for (const limiter of this.limiters.values()) limiter.failover();
            },
            this.clock,
            shared.status,
          ),
      );
    }
  }

  /**
   * The limiter of one cloud and account — or of one of its endpoints, when the cloud meters it apart (`bucket`
   * names it; with `withinCloudBudget` its calls also count against the cloud's limiter, which must exist by then).
   * The first call's config wins for the life of this object.
   */
  forCloud(cloud: CloudId, account: string, config?: Partial<RateLimitConfig>, bucket = ''): RateLimiter {
    const key = `${cloud}\n${account}\n${bucket}`;
    let limiter = this.limiters.get(key);
    if (!limiter) {
      const resolved = resolveRateLimit(config);
      const within = bucket && resolved.withinCloudBudget ? this.limiters.get(`${cloud}\n${account}\n`) : undefined;
      let waitClock = this.clocks.get(cloud);
      if (!waitClock) this.clocks.set(cloud, (waitClock = new WaitClock(this.clock)));
      limiter = new CloudLimiter(cloud, account, bucket, resolved, this.redis, waitClock, this.clock, within);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }

  /**
   * How long, in ms since this object was made, requests of `cloud` were kept waiting by Cloudtop's own budgets:
   * the time any of them waited, overlaps counted once. A refresh compares two readings to tell its deadline
   * went to the limiter rather than to the cloud.
   */
  waitedMs(cloud: CloudId): number {
    return this.clocks.get(cloud)?.waitedMs() ?? 0;
  }

  /** Rejects waiting jobs, stops the refill timers and closes the Redis connection. */
  async disconnect(): Promise<void> {
    const clustered = [...new Set([...this.limiters.values()].flatMap((limiter) => limiter.close()))];
    this.limiters.clear();
    await (await this.redis)?.close(clustered);
  }
}
