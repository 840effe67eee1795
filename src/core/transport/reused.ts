// One answer shared by every caller for a while: listings a cloud's scopes all need (OCI's compartments and
// subscribed regions, Azure's subscriptions), and catalogues that change rarely (price lists, VM sizes).
// Stateless apart from the closure each call makes, so a provider bundle may carry its own copy.

/**
 * The first caller's answer is every caller's for `ttlMs` (concurrent refreshes ask at once); a failed one is not
 * kept, so the next caller asks again. A shared listing listens on the signal of the caller that started it.
 */
export function reused<T>(
  ttlMs: number,
  now: () => number,
  load: (signal: AbortSignal) => Promise<T>,
): (signal: AbortSignal) => Promise<T> {
  let kept: { readonly at: number; readonly value: Promise<T> } | undefined;
  return (signal) => {
    if (kept && now() - kept.at < ttlMs) return kept.value;
    const value = load(signal);
    const entry = { at: now(), value };
    kept = entry;
    value.catch(() => {
      if (kept === entry) kept = undefined;
    });
    return value;
  };
}
