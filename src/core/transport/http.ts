// The HTTP client for clouds without an SDK (Cloudflare GraphQL, Neon, Vast.ai, RunPod, price lists).
// undici's `request` rather than global fetch: a keep-alive pool per client that we size and close ourselves,
// the body as a stream so a size cap stops reading instead of buffering a runaway response, and no hidden
// redirects that could carry an Authorization header to another host.
import { Agent, request, type Dispatcher } from 'undici';
import type { CloudId } from '../model/model';
import type { ApiCall } from './api-call';
import { silentLogger, type Logger } from '../model/log';
import { CloudtopError, MALFORMED_RESPONSE, toCloudtopError, type CloudErrorHook } from '../errors/errors';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS } from './http-defaults';
import { redact } from '../errors/redact';
import { createTransport, type SdkTransportOptions, type Transport } from './transport';
import { ERROR_BODY_BYTES, refusedOrigin, registerHeaderSecrets, responseError, tooLarge, tryJson } from './transport-response';

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
   * The same policy (this client's limiter + retry, the cloud's error hook, the endpoint's origin) as a transport
   * for an SDK's own HTTP hook (core/transport/transport.ts), so SDK requests and ours share one retry layer and one limiter path.
   */
  transport(options?: SdkTransportOptions): Transport;
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

async function readBody(body: Dispatcher.ResponseData['body'], limit: number, truncate: boolean): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (size + chunk.length > limit) {
      body.destroy();
      if (!truncate) return undefined;
      chunks.push(chunk.subarray(0, limit - size));
      return Buffer.concat(chunks);
    }
    size += chunk.length;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function createHttpClient(options: HttpClientOptions): HttpClient & { close(): Promise<void> } {
  const { cloud } = options;
  const ownAgent = options.dispatcher ? undefined : new Agent({ keepAliveTimeout: 30_000, connections: 16 });
  const dispatcher: Dispatcher = options.dispatcher ?? ownAgent!;
  const log = options.log ?? silentLogger;
  const now = options.now ?? Date.now;
  const fail = (code: string, message: string, operation: string, category: 'config' | 'network' | 'unknown') =>
    new CloudtopError({ category, cloud, code, operation, message });

  function endpointOrigin(): string {
    try {
      return new URL(options.baseUrl).origin;
    } catch {
      throw fail(
        'ERR_INVALID_URL',
        `The endpoint setting cloudtop.${cloud}.endpoint is not a valid URL: "${options.baseUrl}".`,
        'transport',
        'config',
      );
    }
  }

  function buildUrl(req: HttpRequest, operation: string): URL {
    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch {
      throw fail(
        'ERR_INVALID_URL',
        `The endpoint setting cloudtop.${cloud}.endpoint is not a valid URL: "${options.baseUrl}".`,
        operation,
        'config',
      );
    }
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

  async function send<T>(
    req: HttpRequest,
    headers: Record<string, string>,
    operation: string,
    signal: AbortSignal | undefined,
  ): Promise<HttpResponse<T>> {
    const method = req.method ?? 'GET';
    const url = buildUrl(req, operation);
    const timeoutMs = req.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxBytes = req.maxBytes ?? options.maxBytes ?? DEFAULT_MAX_BYTES;
    const extra = lowerKeys(req.headers);
    registerHeaderSecrets(extra);
    const timeout = AbortSignal.timeout(timeoutMs);
    const started = now();
    try {
      const res = await request(url, {
        method,
        dispatcher,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        headers: { ...headers, ...extra, ...(req.json !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: req.json !== undefined ? JSON.stringify(req.json) : undefined,
      });
      const status = res.statusCode;
      const resHeaders = flattenHeaders(res.headers);
      const ok = status >= 200 && status < 300;
      const declared = Number(resHeaders['content-length']);
      if (ok && declared > maxBytes) res.body.destroy();
      const bytes = ok && declared > maxBytes ? undefined : await readBody(res.body, ok ? maxBytes : ERROR_BODY_BYTES, !ok);
      log.debug(`${cloud} ${method} ${redact(url.pathname)} → ${status} in ${now() - started} ms`);
      if (bytes === undefined) {
        throw tooLarge(cloud, maxBytes, operation);
      }
      const text = bytes.toString('utf8');
      if (!ok) throw httpError(status, resHeaders, text, operation);
      if (text.trim() === '') return { status, headers: resHeaders, body: undefined as T };
      const parsed = tryJson(text);
      if (!parsed) throw toCloudtopError({ code: MALFORMED_RESPONSE, operation }, cloud);
      return { status, headers: resHeaders, body: parsed.value as T };
    } catch (error) {
      if (error instanceof CloudtopError) throw error;
      if (signal?.aborted) throw signal.reason;
      log.debug(`${cloud} ${method} ${redact(url.pathname)} failed: ${redact(String((error as Error)?.message))}`);
      if (timeout.aborted) throw toCloudtopError({ code: 'ETIMEDOUT' }, cloud, { operation });
      throw toCloudtopError(error, cloud, { operation });
    }
  }

  function httpError(status: number, headers: Record<string, string>, text: string, operation: string): CloudtopError {
    return responseError(cloud, { status, headers, text, operation }, options.errorHook, now());
  }

  function make(extra: Record<string, string>): HttpClient {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': options.userAgent ?? 'cloudtop',
      ...lowerKeys(options.headers),
      ...lowerKeys(extra),
    };
    registerHeaderSecrets(headers);
    const client: HttpClient = {
      request<T>(req: HttpRequest, signal?: AbortSignal): Promise<HttpResponse<T>> {
        const operation = req.operation ?? `${req.method ?? 'GET'} ${req.path.replace(/[?#].*$/, '')}`;
        if (!options.call) return send<T>(req, headers, operation, signal);
        // The limiter's signal also fires at the cloud's deadline; the caller's may be a different one.
        return options.call(
          operation,
          (callSignal) => {
            const combined = signal && signal !== callSignal ? AbortSignal.any([signal, callSignal]) : callSignal;
            return send<T>(req, headers, operation, combined);
          },
          signal,
        );
      },
      async getJson<T>(path: string, query?: HttpRequest['query'], signal?: AbortSignal): Promise<T> {
        return (await client.request<T>({ path, query }, signal)).body;
      },
      withHeaders: (more) => make({ ...extra, ...more }),
      transport: (sdk = {}) =>
        createTransport({
          cloud,
          call: options.call,
          hook: options.errorHook,
          log,
          now,
          timeoutMs: options.timeoutMs,
          maxBytes: options.maxBytes,
          ...sdk,
          origins: sdk.origins ?? [endpointOrigin()],
        }),
    };
    return client;
  }

  return Object.assign(make({}), {
    close: async () => {
      await ownAgent?.close();
    },
  });
}
