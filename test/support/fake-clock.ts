// A clock whose time moves only when the test moves it (src/core/transport/clock.ts): timers fire in order of their
// due time as the test advances, with the promise jobs they start settled in between. No real time passes.
import type { Clock, TimerHandle } from '../../src/core/transport/clock';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/** Lets every promise job (and everything they queue in turn) run: one turn of the event loop, no timer. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class FakeClock implements Clock {
  private timers: Timer[] = [];
  private seq = 0;

  constructor(public time = 0) {}

  now = (): number => this.time;

  setTimeout = (fn: () => void, ms: number): TimerHandle => {
    const timer: Timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return timer;
  };

  clearTimeout = (handle: TimerHandle): void => {
    this.timers = this.timers.filter((t) => t !== handle);
  };

  /** Timers set and not yet fired or cleared. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves the time on by `ms`, firing each timer due by then at its own time, oldest first. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await settle();
    for (let next = this.next(target); next; next = this.next(target)) {
      this.fire(next);
      await settle();
    }
    this.time = target;
  }

  /**
   * Fires timers, one after the other at their due times, until `promise` settles; returns its outcome. Fails when
   * the promise still waits and no timer is left (it would never settle).
   */
  async run<T>(promise: Promise<T>): Promise<T> {
    let done = false;
    const watched = promise.finally(() => (done = true));
    watched.catch(() => undefined);
    for (;;) {
      await settle();
      if (done) return watched;
      const next = this.next(Infinity);
      if (!next) throw new Error('FakeClock.run: the promise waits for something other than this clock');
      this.fire(next);
    }
  }

  private next(until: number): Timer | undefined {
    let first: Timer | undefined;
    for (const t of this.timers) if (t.at <= until && (!first || t.at < first.at || (t.at === first.at && t.seq < first.seq))) first = t;
    return first;
  }

  private fire(timer: Timer): void {
    this.timers = this.timers.filter((t) => t !== timer);
    this.time = Math.max(this.time, timer.at);
    timer.fn();
  }
}
