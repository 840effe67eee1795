// One run of a slow thing (a token exchange, a price list) for every caller that asks while it is in flight. The run
// has a signal of its own: it is aborted only when every caller waiting for it has given up, so one refresh's deadline
// never fails another refresh that shares the run; each caller stops waiting at its own signal, with its own reason.
// No module state (a provider bundle may hold its own copy: test/integration/provider-bundles.test.ts, AUDITED_CORE).

interface Run<T> {
  readonly promise: Promise<T>;
  readonly controller: AbortController;
  waiting: number;
}

/** In-flight runs by key (a price list per endpoint, a token per tenant). */
export class SharedRuns<T> {
  private readonly runs = new Map<string, Run<T>>();

  /** Joins the run of `key` in flight, or starts one with `start`. Rejects at once with the reason of an aborted `signal`. */
  join(key: string, start: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    let run = this.runs.get(key);
    if (!run) {
      const controller = new AbortController();
      // Started at once (a caller may count on its first step having run, as with an async function), a throw as a rejection.
      let started: Promise<T>;
      try {
        started = start(controller.signal);
      } catch (error) {
        started = Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      const promise = started.finally(() => {
        if (this.runs.get(key) === current) this.runs.delete(key);
      });
      // Every caller may have left (each rejected with its own abort): the run's own failure is then nobody's.
      promise.catch(() => undefined);
      const current: Run<T> = { promise, controller, waiting: 0 };
      this.runs.set(key, current);
      run = current;
    }
    return wait(run, signal);
  }
}

/** The one-key form: a function that shares `start`'s run between the callers that ask while it is in flight. */
export function shared<T>(start: (signal: AbortSignal) => Promise<T>): (signal?: AbortSignal) => Promise<T> {
  const runs = new SharedRuns<T>();
  return (signal) => runs.join('', start, signal);
}

function wait<T>(run: Run<T>, signal: AbortSignal | undefined): Promise<T> {
  run.waiting++;
  if (!signal) return run.promise;
  return new Promise<T>((resolve, reject) => {
    let waiting = true;
    const leave = (): boolean => {
      if (!waiting) return false;
      waiting = false;
      signal.removeEventListener('abort', onAbort);
      run.waiting--;
      return true;
    };
    const onAbort = () => {
      if (!leave()) return;
      if (run.waiting === 0) run.controller.abort(signal.reason);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    run.promise.then(
      (value) => leave() && resolve(value),
      (error: unknown) => leave() && reject(error as Error),
    );
  });
}
