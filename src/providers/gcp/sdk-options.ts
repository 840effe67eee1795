// How Google's client libraries take Cloudtop's transport and turn their own retries off (npm google-gax
// build/src/fallback.js; retry codes in each client's *_client_config.json; observed running google-gax 6.17 against a
// loopback server), as small typed functions over plain option objects: no SDK is imported here. With these, a request
// is retried by the transport alone: never by two layers.
import type { FetchLike, Transport } from '../../core/transport/transport';

/**
 * google-gax per-call options (observed with google-gax 6.17 against a loopback server): `retry: {retryCodes: []}`
 * makes one attempt and keeps the real error code (`maxRetries: 0` would rewrap it as code 4 "Exceeded maximum number
 * of retries").
 */
export function gaxCallOptions<T extends object>(options: T = {} as T): T & { retry: { retryCodes: never[] } } {
  return { ...options, retry: { retryCodes: [] } };
}

/** gaxios (google-auth-library's requests, `auth.fetch`): our fetch, its own retry off. */
export function gaxiosOptions<T extends object>(
  transport: Transport,
  options: T = {} as T,
): T & { fetchImplementation: FetchLike; retry: false } {
  return { ...options, fetchImplementation: transport.fetch, retry: false };
}
