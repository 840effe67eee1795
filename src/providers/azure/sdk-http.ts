// How the Azure SDK takes Cloudtop's transport and turns its own retries off (@azure/core-rest-pipeline
// policies/bearerTokenAuthenticationPolicy.js; Azure/azure-sdk-for-js#25206; core-rest-pipeline `defaultRetryPolicy`):
// the transport as core-rest-pipeline's `HttpClient`, typed over plain objects (no SDK is imported here). With it, a
// request is retried by the transport alone: never by two layers.
import type { Transport } from '../../core/transport/transport';

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

/**
 * Azure client options (core-rest-pipeline `httpClient`, `retryOptions`): our httpClient, and the pipeline's retry
 * policy off (`maxRetries: 0`).
 */
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
