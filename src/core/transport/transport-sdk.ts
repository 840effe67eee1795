// How each SDK takes the transport and turns its own retries off (docs/providers/sdk-apis.md), as small typed
// functions over plain option objects: no SDK is imported here; a provider passes the SDK's own pieces in.
// With these, a request is retried by the transport alone: never by two layers.
import type { FetchLike, Transport } from './transport';

/** What core-rest-pipeline's HttpHeaders offers (the part an HttpClient's answer needs). */
export interface PipelineHeadersLike extends Iterable<[string, string]> {
  get(name: string): string | undefined;
  has(name: string): boolean;
  set(name: string, value: string | number | boolean): void;
  delete(name: string): void;
  toJSON(options?: { preserveCase?: boolean }): Record<string, string>;
}

/** The fields of Azure's PipelineRequest the transport reads (string bodies: Cloudtop only reads). */
export interface PipelineRequestLike {
  url: string;
  method: string;
  headers: { toJSON(options?: { preserveCase?: boolean }): Record<string, string> };
  body?: unknown;
  /** core-rest-pipeline's AbortSignalLike: in Node a real AbortSignal, though the type does not promise it. */
  abortSignal?: { readonly aborted: boolean };
}

export interface PipelineResponseLike<R> {
  request: R;
  status: number;
  headers: PipelineHeadersLike;
  bodyAsText?: string | null;
}

/** Azure core-rest-pipeline's `HttpClient` (`sendRequest`): runs after every policy, so the bearer check still sees https. */
export interface PipelineHttpClientLike {
  sendRequest<R extends PipelineRequestLike>(request: R): Promise<PipelineResponseLike<R>>;
}

function pipelineHeaders(from: Headers): PipelineHeadersLike {
  const headers = new Headers(from);
  return {
    get: (name) => headers.get(name) ?? undefined,
    has: (name) => headers.has(name),
    set: (name, value) => headers.set(name, String(value)),
    delete: (name) => headers.delete(name),
    toJSON: () => Object.fromEntries(headers),
    [Symbol.iterator]: () => headers.entries(),
  };
}

/** A real AbortSignal for an AbortSignalLike (one that is not gets a controller that follows it). */
function nativeSignal(like: PipelineRequestLike['abortSignal']): AbortSignal | undefined {
  if (!like || like instanceof AbortSignal) return like;
  const follower = like as {
    aborted: boolean;
    addEventListener?: (type: 'abort', listener: () => void, options?: { once: boolean }) => void;
  };
  const controller = new AbortController();
  if (follower.aborted) controller.abort();
  else follower.addEventListener?.('abort', () => controller.abort(), { once: true });
  return controller.signal;
}

/** The transport as Azure's `httpClient` client option. */
export function pipelineHttpClient(transport: Transport): PipelineHttpClientLike {
  return {
    async sendRequest<R extends PipelineRequestLike>(request: R): Promise<PipelineResponseLike<R>> {
      const response = await transport.fetch(request.url, {
        method: request.method,
        headers: request.headers.toJSON(),
        body: request.body as BodyInit | undefined,
        signal: nativeSignal(request.abortSignal),
      });
      return { request, status: response.status, headers: pipelineHeaders(response.headers), bodyAsText: await response.text() };
    },
  };
}

/** Azure client options (§2.3, §2.5): our httpClient, and the pipeline's retry policy off (`maxRetries: 0`). */
export function azureClientOptions<T extends object>(
  transport: Transport,
  options: T = {} as T,
): T & {
  httpClient: PipelineHttpClientLike;
  retryOptions: { maxRetries: 0 };
} {
  const retryOptions = (options as { retryOptions?: object }).retryOptions;
  return { ...options, httpClient: pipelineHttpClient(transport), retryOptions: { ...retryOptions, maxRetries: 0 } };
}

/** The pieces of oci-common the OCI client configuration needs (pass `common` itself). */
export interface OciCommonLike<R, B> {
  readonly NoRetryConfigurationDetails: R;
  readonly CircuitBreaker: new (config: { disableClientCircuitBreaker: boolean }) => B;
}

/**
 * OCI's second constructor argument (§1.8): no retries (some operations default to 8 attempts) and no circuit
 * breaker (it opens after 10 failures and refuses calls for 30 s, which would defeat Cloudtop's own backoff).
 */
export function ociClientConfiguration<R, B>(common: OciCommonLike<R, B>): { retryConfiguration: R; circuitBreaker: B } {
  return {
    retryConfiguration: common.NoRetryConfigurationDetails,
    circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
  };
}

/**
 * google-gax per-call options (§3.4): `retry: {retryCodes: []}` makes one attempt and keeps the real error code
 * (`maxRetries: 0` would rewrap it as code 4 "Exceeded maximum number of retries").
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
