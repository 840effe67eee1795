// What a rate budget is made of, read from settings and the catalogue: the windows a cloud documents ("700 a minute",
// "40 a second per route", "1,200 per 5 minutes"), or the older form of one token bucket (`perSecond`, `burst`),
// and how each is metered in process (token-bucket.ts) and in Redis (one bottleneck bucket per window).
import { realClock, type Clock } from './clock';
import { SlidingWindow, TokenBucket, type Budget } from './token-bucket';

/** At most `limit` requests in any `perMs` milliseconds. */
export interface RateWindow {
  readonly limit: number;
  readonly perMs: number;
}

export interface RateLimitConfig {
  /**
   * The older form, one token bucket: sustained requests per second. Set (or `burst` set), it replaces the windows,
   * as it replaced the cloud's default before windows existed.
   */
  perSecond?: number;
  /** Requests that may start at once when the token bucket is full. */
  burst?: number;
  /** The cloud's documented windows; a request waits until every one has room. */
  windows?: readonly RateWindow[];
  /** Longest a request may wait for its turn before it fails with a rate-limit error. */
  maxWaitMs: number;
  /**
   * For a route's own budget (a catalogue endpoint limit): its requests count against the cloud's budget too, as
   * Neon meters 40 a second per route within 700 a minute per account. Without it a route's budget stands alone
   * (Vast.ai meters each endpoint apart).
   */
  withinCloudBudget?: boolean;
}

/** A cloud without documented limits of its own. */
export const DEFAULT_RATE_LIMIT = { perSecond: 4, burst: 10, maxWaitMs: 30_000 } as const;

/**
 * Each start counts in its window this much longer than the window: the cloud counts arrivals, which the network can
 * bunch closer together than the starts were.
 */
export const WINDOW_GUARD_MS = 100;

export type BudgetSpec =
  { readonly kind: 'bucket'; readonly perSecond: number; readonly burst: number } | ({ readonly kind: 'window' } & RateWindow);

export interface ResolvedRateLimit {
  readonly budgets: readonly BudgetSpec[];
  readonly maxWaitMs: number;
  readonly withinCloudBudget: boolean;
}

export function resolveRateLimit(partial: Partial<RateLimitConfig> = {}): ResolvedRateLimit {
  const maxWaitMs = partial.maxWaitMs ?? DEFAULT_RATE_LIMIT.maxWaitMs;
  if (!(maxWaitMs >= 0 && Number.isFinite(maxWaitMs))) throw new RangeError(`maxWaitMs must be ≥ 0, got ${maxWaitMs}`);
  const withinCloudBudget = partial.withinCloudBudget ?? false;
  if (partial.perSecond !== undefined || partial.burst !== undefined || !partial.windows?.length) {
    const perSecond = partial.perSecond ?? DEFAULT_RATE_LIMIT.perSecond;
    const burst = partial.burst ?? DEFAULT_RATE_LIMIT.burst;
    if (!(perSecond > 0 && Number.isFinite(perSecond))) throw new RangeError(`perSecond must be > 0, got ${perSecond}`);
    if (!(Number.isInteger(burst) && burst >= 1)) throw new RangeError(`burst must be an integer ≥ 1, got ${burst}`);
    return { budgets: [{ kind: 'bucket', perSecond, burst }], maxWaitMs, withinCloudBudget };
  }
  for (const w of partial.windows) {
    if (!(Number.isInteger(w.limit) && w.limit >= 1)) throw new RangeError(`a window's limit must be an integer ≥ 1, got ${w.limit}`);
    if (!(w.perMs > 0 && Number.isFinite(w.perMs))) throw new RangeError(`a window's perMs must be > 0, got ${w.perMs}`);
  }
  return { budgets: partial.windows.map((w) => ({ kind: 'window', limit: w.limit, perMs: w.perMs })), maxWaitMs, withinCloudBudget };
}

export function localBudget(spec: BudgetSpec, now: () => number = () => realClock.now()): Budget {
  return spec.kind === 'bucket'
    ? new TokenBucket(spec.perSecond, spec.burst, now)
    : new SlidingWindow(spec.limit, spec.perMs, WINDOW_GUARD_MS, now);
}

/** Shortest refill step in Redis: a faster rate refills several tokens per step rather than waking up more often. */
const MIN_STEP_MS = 50;

/** Redis refill: `amount` tokens every `intervalMs`, the integer step closest to perSecond, never faster. */
export function refillStep(perSecond: number): { amount: number; intervalMs: number } {
  const amount = Math.max(1, Math.ceil((perSecond * MIN_STEP_MS) / 1000));
  return { amount, intervalMs: Math.ceil((amount * 1000) / perSecond) };
}

/**
 * The token bucket Redis meters a budget with (bottleneck's reservoir). A window becomes a bucket that can never
 * exceed it: half the window as burst, the rest refilled over the window (plus the guard), so no span of the
 * window's length holds more than its limit — at the price of a slower sustained pace than in process.
 */
export function redisBucket(spec: BudgetSpec): { perSecond: number; burst: number; name: string } {
  if (spec.kind === 'bucket') return { perSecond: spec.perSecond, burst: spec.burst, name: '' };
  const burst = Math.ceil(spec.limit / 2);
  const perSecond = (Math.max(1, spec.limit - burst) * 1000) / (spec.perMs + WINDOW_GUARD_MS);
  return { perSecond, burst, name: `${spec.limit}per${spec.perMs}ms` };
}

/** "40/s", "700/min", "1200 per 5 min": a window as people write it. */
export function describeWindow(w: RateWindow): string {
  if (w.perMs === 1000) return `${w.limit}/s`;
  if (w.perMs === 60_000) return `${w.limit}/min`;
  if (w.perMs % 60_000 === 0) return `${w.limit} per ${w.perMs / 60_000} min`;
  return `${w.limit} per ${w.perMs / 1000} s`;
}

/** When jobs of a cloud were waiting for its budget: the time any of them waited, summed without overlaps. */
export class WaitClock {
  private waiting = 0;
  private since = 0;
  private total = 0;
  constructor(private readonly clock: Pick<Clock, 'now'> = realClock) {}
  enter(): void {
    if (this.waiting++ === 0) this.since = this.clock.now();
  }
  leave(): void {
    if (--this.waiting === 0) this.total += this.elapsed();
  }
  waitedMs(): number {
    return this.total + (this.waiting > 0 ? this.elapsed() : 0);
  }
  /** Since the first waiting job entered; never negative, should the wall clock step back. */
  private elapsed(): number {
    return Math.max(0, this.clock.now() - this.since);
  }
}
