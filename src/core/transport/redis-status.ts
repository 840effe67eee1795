// Redis' health as one process sees it, apart from redis-connection.ts so the engine and the front ends can hold it
// without loading ioredis (a large module only a Redis user needs).

/** What a front end says while Redis is unavailable (stderr, the log, the view description, the JSON's notices). */
export const SHARED_CACHE_UNAVAILABLE = 'shared cache unavailable: using a local one';
export const SHARED_CACHE_BACK = 'shared cache reachable again: cache and rate budgets are shared again';

export interface RedisStatusChange {
  readonly available: boolean;
  /** One line for people: SHARED_CACHE_UNAVAILABLE with where and why, or SHARED_CACHE_BACK. */
  readonly message: string;
}

/**
 * Redis' health as one process sees it, shared by the cache and the rate limiters (their own connections): a loss is
 * told once for both, not once per subsystem, and recovery once; and the first verdict is shared, so a Redis that
 * never answers costs a run one connect timeout, not one per connection that waits for it.
 */
export class RedisStatus {
  private down = false;
  private reason = '';
  private readonly listeners = new Set<(change: RedisStatusChange) => void>();
  private readonly downWaiters = new Set<() => void>();

  get available(): boolean {
    return !this.down;
  }

  /** While unavailable: the message a front end shows (with where and why). */
  get message(): string | undefined {
    return this.down ? `${SHARED_CACHE_UNAVAILABLE} (${this.reason})` : undefined;
  }

  onChange(listener: (change: RedisStatusChange) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** A connection failed (or never answered): said once until recovered(). */
  failed(where: string, reason: string): void {
    if (this.down) return;
    this.down = true;
    this.reason = `Redis at ${where}: ${reason}`;
    for (const wake of this.downWaiters) wake();
    this.downWaiters.clear();
    this.emit({ available: false, message: this.message! });
  }

  recovered(): void {
    if (!this.down) return;
    this.down = false;
    this.emit({ available: true, message: SHARED_CACHE_BACK });
  }

  /** Calls `wake` once when Redis is (or becomes) known unavailable; returns a function that cancels it. */
  whenDown(wake: () => void): () => void {
    if (this.down) {
      wake();
      return () => undefined;
    }
    this.downWaiters.add(wake);
    return () => this.downWaiters.delete(wake);
  }

  private emit(change: RedisStatusChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // a front end's listener must not break the connection's event handling
      }
    }
  }
}
