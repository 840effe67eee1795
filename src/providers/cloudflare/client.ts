// The official `cloudflare` SDK (7.3.0), built the one way Cloudtop allows and wrapped so every call goes through the
// collector's limiter and retry (`ctx.call`) with the caller's AbortSignal:
//  - tree-shakable client with only the six resources used (about 37 KB minified instead of the whole 670 KB SDK);
//  - `baseURL` always the endpoint Cloudtop resolved, `maxRetries: 0` (the collector retries), `logLevel: 'off'`,
//    and `apiKey`/`apiEmail`/`userServiceKey` pinned to null so CLOUDFLARE_API_KEY & co. in the environment never add
//    a second credential; the fetch it uses refuses any other origin and drops credential headers that are not ours
//    (CLOUDFLARE_CUSTOM_HEADERS is read by the SDK constructor and cannot be turned off);
//  - answers are read as raw envelopes (`.asResponse()`), because the SDK unwraps `result` without looking at
//    `success` (a 200 with `success:false` would read as an empty list) and drops R2's `result_info.cursor`.
import { createClient } from 'cloudflare/tree-shakable';
import type { APIPromise } from 'cloudflare/core/api-promise';
import { APIConnectionTimeoutError, APIError } from 'cloudflare/core/error';
import { BaseAccounts } from 'cloudflare/resources/accounts/accounts';
import { BaseModels } from 'cloudflare/resources/ai/models/models';
import { BaseDatabase } from 'cloudflare/resources/d1/database/database';
import { BaseNamespaces } from 'cloudflare/resources/kv/namespaces/namespaces';
import { BaseBuckets } from 'cloudflare/resources/r2/buckets/buckets';
import { BaseScripts } from 'cloudflare/resources/workers/scripts/scripts';
import { parseRetryAfter } from '../../core/duration';
import { CloudtopError, MALFORMED_RESPONSE, RESPONSE_TOO_LARGE, cleanCloudMessage, toCloudtopError } from '../../core/errors';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS } from '../../core/http-defaults';
import type { ProviderContext } from '../../core/provider';
import { envelopeFailure, firstError, graphqlFailure, unreadable } from './errors';

const RESOURCES = [BaseAccounts, BaseScripts, BaseBuckets, BaseDatabase, BaseNamespaces, BaseModels] as const;
/** Credential headers only a misconfigured environment (CLOUDFLARE_CUSTOM_HEADERS) could add to our requests. */
const FOREIGN_CREDENTIALS = ['x-auth-key', 'x-auth-email', 'x-auth-user-service-key'];

export function createCloudflareClient(apiToken: string, endpoint: string, timeoutMs = DEFAULT_TIMEOUT_MS) {
  const origin = new URL(endpoint).origin;
  const guarded = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin !== origin) {
      return Promise.reject(new CloudtopError({ category: 'config', cloud: 'cloudflare', code: 'ERR_INVALID_URL', message: `Refused to send credentials to ${url.origin}, which is not ${origin}.` }));
    }
    const headers = new Headers(init?.headers);
    for (const name of FOREIGN_CREDENTIALS) headers.delete(name);
    return fetch(input, { ...init, headers });
  };
  return createClient({
    apiToken,
    apiKey: null,
    apiEmail: null,
    userServiceKey: null,
    baseURL: endpoint,
    maxRetries: 0,
    timeout: timeoutMs,
    logLevel: 'off',
    fetch: guarded,
    resources: RESOURCES,
  });
}

export type CloudflareClient = ReturnType<typeof createCloudflareClient>;

/** A REST v4 answer: `result` is what the call returns; `result_info` carries paging. */
export interface Envelope<T> {
  readonly success?: unknown;
  readonly errors?: unknown;
  readonly result?: T | null;
  readonly result_info?: Readonly<Record<string, unknown>> | null;
}

export interface GraphqlBody {
  readonly query: string;
  readonly variables: Readonly<Record<string, unknown>>;
}

export interface CloudflareApi {
  /** One REST call through the limiter and retry; resolves to the envelope once it says success. */
  rest<T>(operation: string, request: (client: CloudflareClient, signal: AbortSignal) => APIPromise<unknown>, signal: AbortSignal): Promise<Envelope<T>>;
  /** One GraphQL Analytics query (`POST /graphql`); resolves to `data` once `errors` is empty. */
  graphql<T>(operation: string, body: GraphqlBody, signal: AbortSignal): Promise<T>;
}

export function cloudflareApi(ctx: ProviderContext, client: CloudflareClient): CloudflareApi {
  // The SDK adds an abort listener to the signal it is given and never removes it; a refresh's one signal would
  // collect one per request. Each request gets its own child signal instead, unhooked when the body has been read.
  async function send(operation: string, request: (signal: AbortSignal) => APIPromise<unknown>, signal: AbortSignal): Promise<Record<string, unknown>> {
    const child = new AbortController();
    const forward = () => child.abort(signal.reason);
    if (signal.aborted) forward();
    else signal.addEventListener('abort', forward, { once: true });
    try {
      return await sendOnce(operation, () => request(child.signal));
    } finally {
      signal.removeEventListener('abort', forward);
    }
  }

  async function sendOnce(operation: string, request: () => APIPromise<unknown>): Promise<Record<string, unknown>> {
    let response: Response;
    const started = ctx.now();
    try {
      response = await request().asResponse();
    } catch (error) {
      const converted = toCloudflareError(error, operation, ctx.now());
      ctx.log.debug(`cloudflare ${operation} failed: ${converted.message}`);
      throw converted;
    }
    ctx.log.debug(`cloudflare ${operation} → ${response.status} in ${ctx.now() - started} ms`);
    const text = await readCapped(response, operation);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw toCloudtopError({ code: MALFORMED_RESPONSE, operation }, 'cloudflare');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw unreadable(operation, 'a JSON object');
    return body as Record<string, unknown>;
  }

  return {
    async rest<T>(operation: string, request: (client: CloudflareClient, signal: AbortSignal) => APIPromise<unknown>, signal: AbortSignal) {
      return ctx.call(operation, async (callSignal) => {
        const body = await send(operation, (s) => request(client, s), callSignal);
        const listed = Array.isArray(body.errors) && body.errors.length > 0;
        if (body.success === false || (body.success !== true && listed)) throw envelopeFailure(body.errors, operation);
        const envelope: Envelope<T> = body;
        return envelope;
      }, signal);
    },
    async graphql<T>(operation: string, query: GraphqlBody, signal: AbortSignal) {
      return ctx.call(operation, async (callSignal) => {
        const body = await send(operation, (s) => client.post('/graphql', { body: query, signal: s }), callSignal);
        if (Array.isArray(body.errors) && body.errors.length > 0) throw graphqlFailure(body.errors, operation);
        if (body.data === null || typeof body.data !== 'object') throw unreadable(operation, 'data');
        return body.data as T;
      }, signal);
    },
  };
}

/** The body as text, reading no further than the size cap (a runaway answer is stopped, not buffered). */
async function readCapped(response: Response, operation: string, maxBytes = DEFAULT_MAX_BYTES): Promise<string> {
  const tooLarge = () => new CloudtopError({ category: 'unknown', cloud: 'cloudflare', code: RESPONSE_TOO_LARGE, operation, message: `Cloudflare sent a response larger than ${Math.round(maxBytes / (1024 * 1024))} MB for ${operation}; Cloudtop stopped reading it.` });
  if (Number(response.headers.get('content-length')) > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * An SDK error → CloudtopError, from fields only: `.status` and the envelope's `errors[0]` (not the SDK's
 * `"403 {json…}"` message), `retry-after` from the response headers; connection-level errors (no status) are network.
 */
export function toCloudflareError(error: unknown, operation: string, now: number): CloudtopError {
  if (error instanceof CloudtopError) return error;
  if (!(error instanceof APIError)) return toCloudtopError(error, 'cloudflare', { operation, now });
  if (typeof error.status === 'number') {
    const { code, message } = firstError(error.errors);
    // A non-JSON error body (a proxy's HTML page) is the SDK message after the status.
    const fallback = error.error === undefined ? error.message.replace(/^\d{3}\s*/, '').replace(/<[^>]*>/g, ' ') : undefined;
    const cloudMessage = cleanCloudMessage(message ?? fallback);
    const headers = error.headers as { get(name: string): string | null } | undefined;
    const retryAfterMs = parseRetryAfter(headers?.get('retry-after'), now);
    return toCloudtopError({
      status: error.status,
      ...(code !== undefined ? { code } : {}),
      ...(cloudMessage !== undefined ? { cloudMessage } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      operation,
    }, 'cloudflare', { now });
  }
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof CloudtopError) return cause;
  if (error instanceof APIConnectionTimeoutError) return toCloudtopError({ code: 'ETIMEDOUT' }, 'cloudflare', { operation });
  // APIUserAbortError: the collector's retry sees its own aborted signal first and rethrows that reason.
  const converted = toCloudtopError(cause ?? error, 'cloudflare', { operation, now });
  return converted.category === 'unknown' ? toCloudtopError({ code: 'ECONNRESET' }, 'cloudflare', { operation }) : converted;
}
