// The official `cloudflare` SDK (7.3.0), built the one way Cloudtop allows, its every HTTP request on Cloudtop's
// transport (core/transport/transport.ts, from ctx.http.transport(): the collector's limiter and retry per request, the
// cloud's error hook, Retry-After, per-attempt timeout, size cap, origin guard, redaction):
//  - tree-shakable client with only the six resources used (about 37 KB minified instead of the whole 670 KB SDK);
//  - `baseURL` always the endpoint Cloudtop resolved, `maxRetries: 0` (the transport retries, and only it),
//    `logLevel: 'off'`, and `apiKey`/`apiEmail`/`userServiceKey` pinned to null so CLOUDFLARE_API_KEY & co. in the
//    environment never add a second credential; the transport drops credential headers that are not ours
//    (CLOUDFLARE_CUSTOM_HEADERS is read by the SDK constructor and cannot be turned off);
//  - answers are read as raw envelopes (`.asResponse()`), because the SDK unwraps `result` without looking at
//    `success` (a 200 with `success:false` would read as an empty list) and drops R2's `result_info.cursor`; the
//    transport judges `success:false` and GraphQL `errors` inside its retry loop (a 971 rate limit is retried).
import { createClient } from 'cloudflare/tree-shakable';
import type { APIPromise } from 'cloudflare/core/api-promise';
import { APIConnectionTimeoutError, APIError } from 'cloudflare/core/error';
import { BaseAccounts } from 'cloudflare/resources/accounts/accounts';
import { BaseModels } from 'cloudflare/resources/ai/models/models';
import { BaseDatabase } from 'cloudflare/resources/d1/database/database';
import { BaseNamespaces } from 'cloudflare/resources/kv/namespaces/namespaces';
import { BaseBuckets } from 'cloudflare/resources/r2/buckets/buckets';
import { BaseScripts } from 'cloudflare/resources/workers/scripts/scripts';
import { parseRetryAfter } from '../../core/model/duration';
import { CloudtopError, cleanCloudMessage, toCloudtopError } from '../../core/errors/errors';
import type { ProviderContext } from '../../core/engine/provider';
import type { FetchLike, SdkTransportOptions } from '../../core/transport/transport';
import { envelopeFailure, firstError, graphqlFailure, unreadable } from './errors';

const RESOURCES = [BaseAccounts, BaseScripts, BaseBuckets, BaseDatabase, BaseNamespaces, BaseModels] as const;
/** Credential headers only a misconfigured environment (CLOUDFLARE_CUSTOM_HEADERS) could add to our requests. */
const FOREIGN_CREDENTIALS = ['x-auth-key', 'x-auth-email', 'x-auth-user-service-key'];
/** The SDK's own timer spans one SDK request, the transport's retries included: the transport times each attempt. */
export const SDK_TIMEOUT_MS = 2_147_483_647;

/** `fetch`: the transport's (every request the SDK makes goes through it). A `endpoint` that is not a URL throws. */
export function createCloudflareClient(apiToken: string, endpoint: string, fetch: FetchLike) {
  new URL(endpoint); // an endpoint that is not a URL fails here, where the provider words it
  return createClient({
    apiToken,
    apiKey: null,
    apiEmail: null,
    userServiceKey: null,
    baseURL: endpoint,
    maxRetries: 0,
    timeout: SDK_TIMEOUT_MS,
    logLevel: 'off',
    fetch,
    resources: RESOURCES,
  });
}

/** What the transport checks on Cloudflare's answers, inside its retry loop. */
export const CLOUDFLARE_TRANSPORT: SdkTransportOptions = {
  expectJson: true,
  dropHeaders: FOREIGN_CREDENTIALS,
  inspect(body, url, operation) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
    const { errors, success } = body as Record<string, unknown>;
    const listed = Array.isArray(errors) && errors.length > 0;
    if (/\/graphql$/.test(url.pathname)) return listed ? graphqlFailure(errors, operation) : undefined;
    return success === false || (success !== true && listed) ? envelopeFailure(errors, operation) : undefined;
  },
};

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
  rest<T>(
    operation: string,
    request: (client: CloudflareClient, signal: AbortSignal) => APIPromise<unknown>,
    signal: AbortSignal,
  ): Promise<Envelope<T>>;
  /** One GraphQL Analytics query (`POST /graphql`); resolves to `data` once `errors` is empty. */
  graphql<T>(operation: string, body: GraphqlBody, signal: AbortSignal): Promise<T>;
}

/** The SDK client on this context's transport. Throws when the endpoint is not a URL. */
export function cloudflareApi(ctx: ProviderContext, apiToken: string): CloudflareApi {
  const transport = ctx.http.transport(CLOUDFLARE_TRANSPORT);
  const client = createCloudflareClient(apiToken, ctx.endpoint, transport.fetch);

  // The SDK adds an abort listener to the signal it is given and never removes it; a refresh's one signal would
  // collect one per request. Each request gets its own child signal instead, unhooked when the body has been read.
  async function send(
    operation: string,
    request: (signal: AbortSignal) => APIPromise<unknown>,
    signal: AbortSignal,
  ): Promise<Record<string, unknown>> {
    const child = new AbortController();
    const forward = () => child.abort(signal.reason);
    if (signal.aborted) forward();
    else signal.addEventListener('abort', forward, { once: true });
    try {
      let response: Response;
      try {
        response = await transport.run(operation, () => request(child.signal).asResponse());
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw toCloudflareError(error, operation, ctx.now());
      }
      // The transport read the body under its size cap and checked that it is JSON.
      const body: unknown = JSON.parse((await response.text()) || 'null');
      if (body === null || typeof body !== 'object' || Array.isArray(body)) throw unreadable(operation, 'a JSON object');
      return body as Record<string, unknown>;
    } finally {
      signal.removeEventListener('abort', forward);
    }
  }

  return {
    async rest<T>(operation: string, request: (client: CloudflareClient, signal: AbortSignal) => APIPromise<unknown>, signal: AbortSignal) {
      const envelope: Envelope<T> = await send(operation, (s) => request(client, s), signal);
      return envelope;
    },
    async graphql<T>(operation: string, query: GraphqlBody, signal: AbortSignal) {
      const body = await send(operation, (s) => client.post('/graphql', { body: query, signal: s }), signal);
      if (body.data === null || typeof body.data !== 'object') throw unreadable(operation, 'data');
      return body.data as T;
    },
  };
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
    return toCloudtopError(
      {
        status: error.status,
        ...(code !== undefined ? { code } : {}),
        ...(cloudMessage !== undefined ? { cloudMessage } : {}),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        operation,
      },
      'cloudflare',
      { now },
    );
  }
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof CloudtopError) return cause;
  if (error instanceof APIConnectionTimeoutError) return toCloudtopError({ code: 'ETIMEDOUT' }, 'cloudflare', { operation });
  // APIUserAbortError: the collector's retry sees its own aborted signal first and rethrows that reason.
  const converted = toCloudtopError(cause ?? error, 'cloudflare', { operation, now });
  return converted.category === 'unknown' ? toCloudtopError({ code: 'ECONNRESET' }, 'cloudflare', { operation }) : converted;
}
