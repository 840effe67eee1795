// The HTTP client for clouds without an SDK (Cloudflare GraphQL, Neon, Vast.ai, RunPod, price lists), and the maker of
// the transports SDKs send through. It owns the connection pool (an undici Agent per client, sized and closed here)
// and the request's shape (base URL, query, default headers, a JSON body); everything a request goes through on its
// way — limiter, timeout, size cap, redirect refusal, debug log, redaction, error mapping, retry — is
// core/transport/transport.ts, the one pipeline, whose network is undici's fetch on this client's Agent.
import { Agent, fetch as undiciFetch, type Dispatcher } from 'undici';
import type { CloudId } from '../model/model';
import type { ApiCall } from './api-call';
import { silentLogger, type Logger } from '../model/log';
import { CloudtopError, type CloudErrorHook } from '../errors/errors';
import { createTransport, type FetchLike, type SdkTransportOptions, type TransportPipeline } from './transport';
import { refusedOrigin } from './transport-response';

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Appended to baseUrl, or an absolute URL on the same origin (a pagination link). */
  path: string;
  query?: Record<string, string | number | boolean | undefined | null>;
  headers?: Record<string, string>;
  json?: unknown;
  timeoutMs?: number;
  maxBytes?: number;
  /** Names the call in logs, errors and the rate limiter; default `METHOD /path`. */
  operation?: string;
  /** A write (a stop or a start): same limiter, retried only after a 429 (core/transport/api-call.ts CallOptions). */
  write?: boolean;
}

export interface HttpResponse<T> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

export interface HttpClient {
  request<T = unknown>(req: HttpRequest, signal?: AbortSignal): Promise<HttpResponse<T>>;
  getJson<T = unknown>(path: string, query?: HttpRequest['query'], signal?: AbortSignal): Promise<T>;
  withHeaders(headers: Record<string, string>): HttpClient;
  /**
   * The same policy (this client's limiter + retry, the cloud's error hook, the endpoint's origin, this client's
   * connection pool) as a transport for an SDK's own HTTP hook or a request of Cloudtop's to another origin (a token
   * endpoint), so every request shares one retry layer and one limiter path.
   */
  transport(options?: SdkTransportOptions): TransportPipeline;
}

export interface HttpClientOptions {
  cloud: CloudId;
  baseUrl: string;
  headers?: Record<string, string>;
  /** Per request, connecting and reading the body included. Default 15 s. */
  timeoutMs?: number;
  /** Default 20 MiB. */
  maxBytes?: number;
  /** Wraps each request in the limiter and retry; default runs it directly. */
  call?: ApiCall;
  /** The cloud's error knowledge (CloudEntry.errors): its envelope, its codes; applied to every failed answer. */
  errorHook?: CloudErrorHook;
  dispatcher?: Dispatcher;
  userAgent?: string;
  log?: Logger;
  now?: () => number;
}

function lowerKeys(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

export function createHttpClient(options: HttpClientOptions): HttpClient & { close(): Promise<void> } {
  const { cloud } = options;
  const ownAgent = options.dispatcher ? undefined : new Agent({ keepAliveTimeout: 30_000, connections: 16 });
  const dispatcher: Dispatcher = options.dispatcher ?? ownAgent!;
  // undici's own fetch (not the global one, which another module may have re-pointed) on this client's pool.
  const network: FetchLike = (input, init) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    }) as unknown as Promise<Response>;
  const log = options.log ?? silentLogger;
  const now = options.now ?? Date.now;

  function endpoint(operation: string): URL {
    try {
      return new URL(options.baseUrl);
    } catch {
      throw new CloudtopError({
        category: 'config',
        cloud,
        code: 'ERR_INVALID_URL',
        operation,
        message: `The endpoint setting cloudtop.${cloud}.endpoint is not a valid URL: "${options.baseUrl}".`,
      });
    }
  }

  const transport = (sdk: SdkTransportOptions = {}): TransportPipeline =>
    createTransport({
      cloud,
      call: options.call,
      hook: options.errorHook,
      log,
      now,
      fetch: network,
      timeoutMs: options.timeoutMs,
      maxBytes: options.maxBytes,
      ...sdk,
      origins: sdk.origins ?? [endpoint('transport').origin],
    });
  // The client's own requests: made on first use, so an invalid endpoint setting fails the request, not the client.
  let own: TransportPipeline | undefined;

  function buildUrl(req: HttpRequest, operation: string): URL {
    const base = endpoint(operation);
    const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(req.path);
    const url = absolute ? new URL(req.path) : new URL(`${base.href.replace(/\/+$/, '')}/${req.path.replace(/^\/+/, '')}`);
    // Default headers carry credentials: never let a link in a response send them to another host.
    const refused = refusedOrigin(cloud, url, [base.origin], operation);
    if (refused) throw refused;
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.append(key, String(value));
    }
    return url;
  }

  function make(extra: Record<string, string>): HttpClient {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': options.userAgent ?? 'cloudtop',
      ...lowerKeys(options.headers),
      ...lowerKeys(extra),
    };
    const client: HttpClient = {
      async request<T>(req: HttpRequest, signal?: AbortSignal): Promise<HttpResponse<T>> {
        const method = req.method ?? 'GET';
        const operation = req.operation ?? `${method} ${req.path.replace(/[?#].*$/, '')}`;
        const url = buildUrl(req, operation);
        own ??= transport();
        const answer = await own.send({
          url,
          method,
          operation,
          signal,
          headers: { ...headers, ...lowerKeys(req.headers), ...(req.json !== undefined ? { 'content-type': 'application/json' } : {}) },
          body: req.json !== undefined ? JSON.stringify(req.json) : undefined,
          timeoutMs: req.timeoutMs,
          maxBytes: req.maxBytes,
          json: true,
          ...(req.write ? { write: true } : {}),
        });
        return { status: answer.status, headers: { ...answer.headers }, body: answer.json?.value as T };
      },
      async getJson<T>(path: string, query?: HttpRequest['query'], signal?: AbortSignal): Promise<T> {
        return (await client.request<T>({ path, query }, signal)).body;
      },
      withHeaders: (more) => make({ ...extra, ...more }),
      transport,
    };
    return client;
  }

  return Object.assign(make({}), {
    close: async () => {
      await ownAgent?.close();
    },
  });
}
