// The shape of the collector's per-call wrapper (limiter + retry), here rather than in the provider contract because
// the HTTP client and the SDK transports take one: transport sits below the engine and imports nothing of it.

/**
 * Runs one API call through the collector's rate limiter and retry policy.
 * `signal` is the caller's (the provider method's) signal; `fn` receives the signal to pass on to the SDK
 * or HTTP request, which also fires when the cloud's refresh deadline passes.
 */
export type ApiCall = <T>(
  operation: string,
  fn: (signal: AbortSignal) => Promise<T>,
  signal?: AbortSignal,
  options?: CallOptions,
) => Promise<T>;

export interface CallOptions {
  /**
   * The call changes something at the cloud (stops, starts): it shares the reads' limiter, but is tried again only
   * after a rate limit (a 429 says the cloud did nothing). A refused key or permission (401, 403, OCI's 404
   * NotAuthorizedOrNotFound) is never retried — no call is — and neither is a reset or a 5xx, after which the write may
   * have been done: the caller reports it and the user decides.
   */
  readonly write?: boolean;
}
