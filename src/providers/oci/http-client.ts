// The OCI clients' `httpClient`: every request is signed by oci-common's own DefaultRequestSigner, then sent through
// Cloudtop's transport (core/transport/transport.ts) rather than oci-common's FetchHttpClient. Why not the SDK's:
//  - its requests go to the process-wide fetch, whose dispatcher another module may have replaced (npm undici 7,
//    which Cloudtop's HTTP client uses, installs its Agent as the global one, and that Agent refuses the
//    Content-Length header FetchHttpClient passes on a POST: "invalid content-length header");
//  - the SDK hides the response headers of an error (OciError carries no Retry-After: oci-common 2.139.1
//    lib/error.js); the transport sees them, and retries with the collector's policy, limiter and deadline;
//  - its circuit breaker lives in FetchHttpClient: with this client there is none to trip.
// The signature covers Content-Length; fetch sets the same value from the body, so the header is left to fetch.
// The SDK's calls take no AbortSignal: api.ts gives each call a client of its own whose http client carries the call's
// signal (`signal` below), so a deadline or a closing extension stops its requests, their limiter waits and retries.
import type { DefaultRequestSigner, HttpClient, HttpRequest } from 'oci-common';

/** DefaultRequestSigner's signing (async: it may read a delegation token); the RequestSigner interface says void. */
export type Signer = Pick<DefaultRequestSigner, 'signHttpRequest'>;
import type { Transport } from '../../core/transport/transport';

const FETCH_OWNED = ['content-length'];

/** Signs each request and sends it through the transport, under `signal` (the call's: the refresh's deadline). */
export function signedTransportClient(signer: Signer | undefined, transport: Transport, signal?: AbortSignal): HttpClient {
  return {
    async send(req: HttpRequest, forceExcludeBody = false): Promise<Response> {
      // Cloudtop sends JSON bodies only (SummarizeMetricsData); the SDK serialised them to a string already.
      const body = typeof req.body === 'string' && req.body !== '' ? req.body : undefined;
      if (signer) await signer.signHttpRequest({ method: req.method, headers: req.headers, uri: req.uri, body }, forceExcludeBody);
      const headers = new Headers(req.headers);
      for (const name of FETCH_OWNED) headers.delete(name);
      return transport.fetch(req.uri, { method: req.method, headers, body, ...(signal ? { signal } : {}) });
    },
  };
}
