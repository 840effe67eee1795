// The HTTP client for clouds without an SDK (Cloudflare GraphQL, Neon, Vast.ai, RunPod, price lists), and the maker of
// the transports SDKs send through. It owns the connection pool (an undici Agent per client, sized and closed here)
// and the request's shape (base URL, query, default headers, a JSON body); everything a request goes through on its
// way — limiter, timeout, size cap, redirect refusal, debug log, redaction, error mapping, retry — is
// core/transport/transport.ts, the one pipeline, whose network is undici's request on this client's Agent
// (undiciNetwork below).
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { pipeline } from 'node:stream';
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import type { CloudId } from '../model/model';
import type { ApiCall } from './api-call';
import { silentLogger, type Logger } from '../model/log';
import { CloudtopError, type CloudErrorHook } from '../errors/errors';
import {
  collectCapped,
  createTransport,
  type Network,
  type NetworkRequest,
  type SdkTransportOptions,
  type TransportPipeline,
} from './transport';
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
  const network = undiciNetwork(options.dispatcher ?? ownAgent!);
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
      network,
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

/**
 * undici's `request` on this client's pool (not the global fetch, which another module may have re-pointed): a third
 * of fetch's CPU per request (no WHATWG Request, Headers or stream objects), which a refresh of many small requests
 * spends on its critical path (bench: refresh.criticalPathRatio). It follows no redirect. Bodies are asked for
 * compressed and decompressed here, as fetch does (price lists are megabytes of JSON); the cap counts decompressed bytes.
 */
function undiciNetwork(dispatcher: Dispatcher): Network {
  return async (url, init) => {
    const { body, type } = await requestBody(init.body);
    const headers = {
      'accept-encoding': 'gzip, deflate, br',
      ...(type && !init.headers['content-type'] ? { 'content-type': type } : {}),
      ...init.headers,
    };
    const answer = await undiciRequest(url, {
      method: init.method,
      headers,
      body,
      signal: init.signal,
      dispatcher,
    });
    const flat: Record<string, string> = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    const decoder = decoderFor(flat['content-encoding']);
    if (decoder) {
      // What the caller reads is the decoded body: its length and encoding are no longer the headers'.
      delete flat['content-encoding'];
      delete flat['content-length'];
    }
    const drop = () => {
      // Destroying the body rejects its reader with an AbortError: heard here, so it is never an uncaught one.
      answer.body.on('error', () => undefined);
      answer.body.destroy();
      decoder?.destroy();
      return Promise.resolve();
    };
    return {
      status: answer.statusCode,
      statusText: answer.statusText ?? '',
      headers: flat,
      cancel: drop,
      async read(limit, truncate) {
        if (!truncate && Number(flat['content-length']) > limit) return drop().then(() => undefined);
        const source: AsyncIterable<Buffer> = decoder ? pipeline(answer.body, decoder, () => undefined) : answer.body;
        return collectCapped(source, limit, truncate, drop);
      },
    };
  };
}

/** The decompressor for a response's Content-Encoding (the ones requested); none for identity or an unknown one. */
function decoderFor(encoding: string | undefined) {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined;
  }
}

/** A body undici's request takes, and the content type fetch would have given it when the caller set none. */
async function requestBody(body: NetworkRequest['body']): Promise<{ body?: string | Uint8Array; type?: string }> {
  if (body === undefined || body === null) return {};
  if (typeof body === 'string') return { body, type: 'text/plain;charset=UTF-8' };
  if (body instanceof URLSearchParams) return { body: body.toString(), type: 'application/x-www-form-urlencoded;charset=UTF-8' };
  if (body instanceof Blob) return { body: new Uint8Array(await body.arrayBuffer()), ...(body.type ? { type: body.type } : {}) };
  if (body instanceof ArrayBuffer) return { body: new Uint8Array(body) };
  return { body };
}
