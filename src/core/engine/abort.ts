// Abort plumbing the collector needs: one signal from several, and a race that settles on abort even
// when the work ignores its signal (a hung SDK call).

/** A signal that follows its parents until `release()`; see anySignal. */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** Detaches from the parents (idempotent). Call it when the work under `signal` has settled. */
  readonly release: () => void;
}

const NOTHING_TO_RELEASE = () => undefined;

/**
 * One signal that aborts when any of the given ones does, detached from them by `release()`.
 * Not AbortSignal.any: Node keeps a WeakRef to every signal it makes in each parent's set of dependants and (Node 20)
 * never prunes that set while the parent lives (https://github.com/nodejs/node/issues/48951, lib/internal/abort_controller.js),
 * so one on the collector's long-lived `closing` signal per refresh grew by the scopes' and requests' count each
 * refresh (issue 25: ~80 WeakRefs a refresh). Here a child controller listens on each parent, and the listeners go
 * when the child aborts or is released: a parent holds nothing of a settled refresh.
 */
export function anySignal(signals: readonly (AbortSignal | undefined)[]): LinkedSignal {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length === 1) return { signal: present[0], release: NOTHING_TO_RELEASE };
  const child = new AbortController();
  const aborted = present.find((s) => s.aborted);
  if (aborted || present.length === 0) {
    if (aborted) child.abort(aborted.reason);
    return { signal: child.signal, release: NOTHING_TO_RELEASE };
  }
  const onAbort = (event: Event) => {
    release();
    child.abort((event.target as AbortSignal).reason);
  };
  const release = () => {
    for (const parent of present) parent.removeEventListener('abort', onAbort);
  };
  for (const parent of present) parent.addEventListener('abort', onAbort, { once: true });
  return { signal: child.signal, release };
}

/** Settles as soon as the signal aborts, even if the provider ignores it (a hung SDK call). */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on what the provider threw
        reject(error);
      },
    );
  });
}
