// How the OCI SDK's clients turn their own retries and circuit breaker off (npm oci-common 2.139.1 lib/retrier.js,
// lib/circuit-breaker.js, lib/client.js), typed over plain objects: no SDK is imported here; api.ts passes oci-common
// itself. With it, a request is retried by the transport alone: never by two layers.

/** The pieces of oci-common the OCI client configuration needs (pass `common` itself). */
export interface OciCommonLike<R, B> {
  readonly NoRetryConfigurationDetails: R;
  readonly CircuitBreaker: new (config: { disableClientCircuitBreaker: boolean }) => B;
}

/**
 * OCI's second constructor argument (oci-common lib/retrier.js, lib/circuit-breaker.js): no retries (some operations
 * default to 8 attempts) and no circuit breaker (it opens after 10 failures and refuses calls for 30 s, which would
 * defeat Cloudtop's own backoff).
 */
export function ociClientConfiguration<R, B>(common: OciCommonLike<R, B>): { retryConfiguration: R; circuitBreaker: B } {
  return {
    retryConfiguration: common.NoRetryConfigurationDetails,
    circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
  };
}
