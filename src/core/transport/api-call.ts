// The shape of the collector's per-call wrapper (limiter + retry), here rather than in the provider contract because
// the HTTP client and the SDK transports take one: transport sits below the engine and imports nothing of it.

/**
 * Runs one API call through the collector's rate limiter and retry policy.
 * `signal` is the caller's (the provider method's) signal; `fn` receives the signal to pass on to the SDK
 * or HTTP request, which also fires when the cloud's refresh deadline passes.
 */
export type ApiCall = <T>(operation: string, fn: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal) => Promise<T>;
