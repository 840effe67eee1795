// The HTTP client for clouds without an SDK (Cloudflare GraphQL, Neon, Vast.ai, RunPod, price lists).
// undici's `request` rather than global fetch: a keep-alive pool per client that we size and close ourselves,
// the body as a stream so a size cap stops reading instead of buffering a runaway response, and no hidden
// redirects that could carry an Authorization header to another host.
import { Agent, request, type Dispatcher } from 'undici';
import { CLOUD_NAMES, type CloudId } from './model';
import type { ApiCall } from './provider';
import { silentLogger, type Logger } from './log';
import { CloudtopError, MALFORMED_RESPONSE, RESPONSE_TOO_LARGE, cleanCloudMessage, retryAfterFromHeaders, toCloudtopError, type CloudErrorHook } from './errors';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS } from './http-defaults';
import { redact, registerSecret } from './redact';

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

/** Enough of an error body for its message; the rest is not read. */
const ERROR_BODY_BYTES = 64 * 1024;
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-auth-key', 'x-auth-user-service-key',
  'x-api-key', 'api-key', 'cookie']);

/** Credentials in headers join the redaction registry, so a server echoing one back cannot leak it. */
function registerHeaderSecrets(headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (!SECRET_HEADERS.has(name.toLowerCase())) continue;
    registerSecret(value);
    const token = /^\S+\s+(\S+)$/.exec(value)?.[1];
    if (token) registerSecret(token);
  }
}

function lowerKeys(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

const pick = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' ? String(value) : undefined;

/** Finds the message in the envelopes our clouds use: Neon, Vast.ai, RunPod problem+json, Azure/Google, GraphQL. */
export function defaultDescribeError(body: unknown, text: string, contentType = ''): { message?: string; code?: string } {
  if (body !== null && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const inner = asRecord(b.error);
    const listed = Array.isArray(b.errors) ? (b.errors[0] as unknown) : undefined;
    const first = asRecord(listed);
    const message = pick(b.message) ?? pick(b.msg) ?? pick(b.detail) ?? pick(b.title) ?? pick(inner?.message)
      ?? pick(first?.message) ?? pick(listed) ?? pick(b.error);
    // Vast.ai puts a code word in `error` beside its `msg`; Google's `error.status` beats its numeric `error.code`.
    const code = pick(b.code) ?? (message !== b.error ? pick(b.error) : undefined)
      ?? pick(inner?.status) ?? pick(inner?.code) ?? pick(first?.code);
    return { message, code };
  }
  // Vast.ai's plain-text 429 ("API requests too frequent"); an HTML error page from a proxy loses its tags.
  return { message: /html/i.test(contentType) ? text.replace(/<[^>]*>/g, ' ') : text };
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

function tryJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

export function createHttpClient(options: HttpClientOptions): HttpClient & { close(): Promise<void> } {
  const { cloud } = options;
  const ownAgent = options.dispatcher ? undefined : new Agent({ keepAliveTimeout: 30_000, connections: 16 });
  const dispatcher: Dispatcher = options.dispatcher ?? ownAgent!;
  const log = options.log ?? silentLogger;
  const now = options.now ?? Date.now;
  const fail = (code: string, message: string, operation: string, category: 'config' | 'network' | 'unknown') =>
    new CloudtopError({ category, cloud, code, operation, message });

  function buildUrl(req: HttpRequest, operation: string): URL {
    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch {
      throw fail('ERR_INVALID_URL', `The endpoint setting cloudtop.${cloud}.endpoint is not a valid URL: "${options.baseUrl}".`, operation, 'config');
    }
    const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(req.path);
    const url = absolute ? new URL(req.path) : new URL(`${base.href.replace(/\/+$/, '')}/${req.path.replace(/^\/+/, '')}`);
    // Default headers carry credentials: never let a link in a response send them to another host.
    if (url.origin !== base.origin) {
      throw fail('ERR_INVALID_URL', `Refused to send credentials to ${url.origin}, which is not ${base.origin}.`, operation, 'config');
    }
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.append(key, String(value));
    }
    return url;
  }

  async function send<T>(req: HttpRequest, headers: Record<string, string>, operation: string, signal: AbortSignal | undefined): Promise<HttpResponse<T>> {
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
        throw fail(RESPONSE_TOO_LARGE, `${CLOUD_NAMES[cloud]} sent a response larger than ${sizeText(maxBytes)} for ${operation}; Cloudtop stopped reading it.`, operation, 'unknown');
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
    const contentType = headers['content-type'] ?? '';
    const parsed = /json/i.test(contentType) || /^\s*[[{]/.test(text) ? tryJson(text) : undefined;
    const hook = options.errorHook;
    const described = hook?.describe?.(status, parsed?.value, text) ?? defaultDescribeError(parsed?.value, text, contentType);
    return toCloudtopError({
      status,
      code: described.code,
      cloudMessage: cleanCloudMessage(described.message),
      retryAfterMs: retryAfterFromHeaders(headers, now()),
      operation,
    }, cloud, { hook, response: { body: parsed?.value, headers } });
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
        return options.call(operation, (callSignal) => {
          const combined = signal && signal !== callSignal ? AbortSignal.any([signal, callSignal]) : callSignal;
          return send<T>(req, headers, operation, combined);
        }, signal);
      },
      async getJson<T>(path: string, query?: HttpRequest['query'], signal?: AbortSignal): Promise<T> {
        return (await client.request<T>({ path, query }, signal)).body;
      },
      withHeaders: (more) => make({ ...extra, ...more }),
    };
    return client;
  }

  return Object.assign(make({}), {
    close: async () => {
      await ownAgent?.close();
    },
  });
}
