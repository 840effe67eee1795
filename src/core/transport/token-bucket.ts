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
  /**
   * Counts one request as started now. Call only after every budget of the limiter said 0. Answers what to call when
   * the request has settled (its answer arrived or it failed).
   */
  take(): () => void;
  /** The mean spacing of requests this budget sustains, ms. */
  readonly intervalMs: number;
  /** How many requests may start at once when the budget is untouched. */
  readonly capacity: number;
}

const NOTHING = (): void => undefined;

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

  take(): () => void {
    this.refill();
    this.tokens -= 1;
    return NOTHING;
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
 * At most `limit` requests within any `spanMs` (a sliding window: the strictest reading of "N per minute", so it holds
 * whether the cloud counts in fixed or sliding windows). The cloud counts arrivals, which a busy event loop or the
 * network can bunch closer together than our starts: so a request counts from its start until `spanMs` (+ `guardMs`)
 * after it SETTLED. Its arrival lies between the two, so two requests a window apart here are a window apart there too,
 * however late the first one arrived; a request in flight counts until it settles.
 */
export class SlidingWindow implements Budget {
  /** Each counted request: when it settled (or started, while in flight), oldest start first. */
  private slots: { at: number; open: boolean }[] = [];

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
    // Settled requests leave once their window has passed; the list stays about `limit` long.
    if (this.slots.length >= this.limit) this.slots = this.slots.filter((s) => s.open || s.at > now - span);
    if (this.slots.length < this.limit) return 0;
    // Full: room comes when the earliest settled request leaves the window; while all are in flight, soon after one settles.
    let earliest = Number.POSITIVE_INFINITY;
    for (const slot of this.slots) if (!slot.open && slot.at < earliest) earliest = slot.at;
    return Number.isFinite(earliest) ? Math.max(1, Math.ceil(earliest + span - now)) : Math.max(1, Math.min(50, this.intervalMs));
  }

  take(): () => void {
    // A clock that steps backwards must not let a request leave the window early.
    const last = this.slots[this.slots.length - 1]?.at ?? Number.NEGATIVE_INFINITY;
    const slot = { at: Math.max(this.now(), last), open: true };
    this.slots.push(slot);
    return () => {
      if (!slot.open) return;
      slot.open = false;
      slot.at = Math.max(slot.at, this.now());
    };
  }
}
