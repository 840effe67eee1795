// The one clock of the code that waits: the rate limiters (ratelimit.ts and their budgets) and the refresh timer
// (src/vscode/refreshManager.ts) read the time and set their timers through it, so a test hands them a fake one
// (test/support/fake-clock.ts) and never waits for real time.

/** An opaque timer handle, as `setTimeout` returned it. */
export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds since the epoch, as `Date.now()`. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  /** Cancels a timer of this clock; `undefined` is ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/** Node's own: `Date.now()` and the global timers. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout | undefined),
};
