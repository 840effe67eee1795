// How Google's client libraries turn their own retries off (npm google-gax build/src/fallback.js; retry codes in each
// client's *_client_config.json; observed running google-gax 6.17 against a loopback server), as a small typed function
// over plain option objects: no SDK is imported here. With it, a request is retried by the transport alone: never by
// two layers. (google-auth-library's token requests take the transport in src/providers/gcp/auth.ts; Monitoring's
// fetch is in metrics.ts.)

/**
 * google-gax per-call options: `retry: {retryCodes: []}` makes one attempt and keeps the real error code
 * (`maxRetries: 0` would rewrap it as code 4 "Exceeded maximum number of retries").
 */
export function gaxCallOptions<T extends object>(options: T = {} as T): T & { retry: { retryCodes: never[] } } {
  return { ...options, retry: { retryCodes: [] } };
}
