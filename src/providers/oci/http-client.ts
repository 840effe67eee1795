// The OCI clients' `httpClient`: every request is signed by oci-common's own DefaultRequestSigner, then sent through
// Cloudtop's transport (core/transport/transport.ts) rather than oci-common's FetchHttpClient. Why not the SDK's:
//  - its requests go to the process-wide fetch, whose dispatcher another module may have replaced (npm undici 7,
//    which Cloudtop's HTTP client uses, installs its Agent as the global one, and that Agent refuses the
//    Content-Length header FetchHttpClient passes on a POST: "invalid content-length header");
//  - the SDK hides the response headers of an error (OciError carries no Retry-After: oci-common 2.139.1
//    lib/error.js); the transport sees them, and retries with the collector's policy, limiter and deadline;
//  - its circuit breaker lives in FetchHttpClient: with this client there is none to trip.
// The signature covers Content-Length; fetch sets the same value from the body, so the header is left to fetch.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DefaultRequestSigner, HttpClient, HttpRequest } from 'oci-common';

/** DefaultRequestSigner's signing (async: it may read a delegation token); the RequestSigner interface says void. */
export type Signer = Pick<DefaultRequestSigner, 'signHttpRequest'>;
import type { Transport } from '../../core/transport/transport';

const FETCH_OWNED = ['content-length'];

// The SDK's calls take no AbortSignal; the refresh's is carried to each of its requests this way, so a deadline or a
// closing extension stops them (their limiter waits and retries included).
const signals = new AsyncLocalStorage<AbortSignal>();

/** Runs an SDK call whose requests listen on `signal`. */
export function withSignal<T>(signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
  return signal ? signals.run(signal, call) : call();
}

export function signedTransportClient(signer: Signer | undefined, transport: Transport): HttpClient {
  return {
    async send(req: HttpRequest, forceExcludeBody = false): Promise<Response> {
      // Cloudtop sends JSON bodies only (SummarizeMetricsData); the SDK serialised them to a string already.
      const body = typeof req.body === 'string' && req.body !== '' ? req.body : undefined;
      if (signer) await signer.signHttpRequest({ method: req.method, headers: req.headers, uri: req.uri, body }, forceExcludeBody);
      const headers = new Headers(req.headers);
      for (const name of FETCH_OWNED) headers.delete(name);
      const signal = signals.getStore();
      return transport.fetch(req.uri, { method: req.method, headers, body, ...(signal ? { signal } : {}) });
    },
  };
}
