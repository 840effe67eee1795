// The in-process token bucket behind every local rate limiter: `burst` tokens, refilled continuously at
// `perSecond`. Taking a token is synchronous, so a request that finds budget starts in the same tick — a
// refresh whose calls run one after another (list pages) pays nothing per call for the limiter.

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.updatedAt = now();
  }

  /** Takes a token and returns 0, or leaves the bucket alone and returns the ms until a token is due. */
  take(): number {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    // At least 1 ms: a timer for "0.3 ms" would fire before the token exists and spin.
    return Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.perSecond));
  }

  private refill(): void {
    const now = this.now();
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.perSecond) / 1000);
    this.updatedAt = now;
  }
}
