// The in-process budgets behind every local rate limiter. A limiter holds one or more, and a request starts only when
// every one of them has room (`dueIn()` is 0 for all), then takes from all of them (`take()`): a cloud documenting
// "700 a minute and 40 a second" is two sliding windows; the older form, `perSecond` with a `burst`, is a token
// bucket. Checking and taking are synchronous, so a request that finds budget starts in the same tick — a refresh
// whose calls run one after another (list pages) pays nothing per call for the limiter. The time is the limiter's
// clock's (clock.ts), the real one unless a test hands in its own.
import { realClock } from './clock';

export interface Budget {
  /** 0 when a request may start now, else the ms until this budget has room (at least 1). */
  dueIn(): number;
  /** Counts one request as started now. Call only after every budget of the limiter said 0. */
  take(): void;
  /** The mean spacing of requests this budget sustains, ms. */
  readonly intervalMs: number;
  /** How many requests may start at once when the budget is untouched. */
  readonly capacity: number;
}

/** `burst` tokens, refilled continuously at `perSecond`. */
export class TokenBucket implements Budget {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => realClock.now(),
  ) {
    this.tokens = burst;
    this.updatedAt = now();
  }

  get intervalMs(): number {
    return 1000 / this.perSecond;
  }

  get capacity(): number {
    return this.burst;
  }

  dueIn(): number {
    this.refill();
    // At least 1 ms: a timer for "0.3 ms" would fire before the token exists and spin.
    return this.tokens >= 1 ? 0 : Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.perSecond));
  }

  take(): void {
    this.refill();
    this.tokens -= 1;
  }

  /** dueIn() and, when 0, take(): the bucket on its own. */
  takeNow(): number {
    const due = this.dueIn();
    if (due === 0) this.take();
    return due;
  }

  private refill(): void {
    const now = this.now();
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.perSecond) / 1000);
    this.updatedAt = now;
  }
}

/**
 * At most `limit` starts within any `spanMs` (a sliding window: the strictest reading of "N per minute", so it holds
 * whether the cloud counts in fixed or sliding windows). Each start is remembered for spanMs + guardMs: the cloud
 * counts arrivals, which the network can bunch a little closer together than our starts.
 */
export class SlidingWindow implements Budget {
  /** Start times, oldest first, from `head` on (older slots are dropped lazily). */
  private starts: number[] = [];
  private head = 0;

  constructor(
    readonly limit: number,
    readonly spanMs: number,
    private readonly guardMs = 0,
    private readonly now: () => number = () => realClock.now(),
  ) {}

  get intervalMs(): number {
    return this.spanMs / this.limit;
  }

  get capacity(): number {
    return this.limit;
  }

  dueIn(): number {
    const now = this.now();
    const span = this.spanMs + this.guardMs;
    while (this.head < this.starts.length && this.starts[this.head] <= now - span) this.head++;
    if (this.head > 1024 && this.head * 2 > this.starts.length) {
      this.starts = this.starts.slice(this.head);
      this.head = 0;
    }
    if (this.starts.length - this.head < this.limit) return 0;
    // Full: room comes when the oldest start still counted leaves the window.
    return Math.max(1, Math.ceil(this.starts[this.head] + span - now));
  }

  take(): void {
    // A clock that steps backwards must not let a start leave the window early.
    const last = this.starts[this.starts.length - 1];
    this.starts.push(Math.max(this.now(), last ?? -Infinity));
  }
}
