// One transport for SDKs: Cloudtop's per-request policy plugged into an SDK's own HTTP hook. SDKs page and
// retry inside themselves, so wrapping a whole SDK call in the retry would repeat a whole listing for a 429 on
// one page; here each HTTP request the SDK makes runs limiter → attempt → classify (with the cloud's error
// hook) → retry or fail, through the collector's ApiCall (the same limiter and retry core/transport/http.ts uses), with
// Retry-After honoured, a per-attempt timeout under the caller's deadline, a size cap, an origin guard and
// every error redacted. The SDK's own retries must be off (each cloud's adapter beside it: src/providers/azure/sdk-http.ts,
// src/providers/gcp/sdk-options.ts, src/providers/oci/sdk-config.ts), so no request is retried twice.
//
// A failure is thrown to the SDK, which wraps or replaces it in its own error (Cloudflare's APIConnectionError,
// OCI's plain objects); run() gives the transport's own CloudtopError back to the provider.
import { AsyncLocalStorage } from 'node:async_hooks';
import { CLOUD_NAMES, type CloudId } from '../model/model';
import type { ApiCall, CallOptions } from './api-call';
import { silentLogger, type Logger } from '../model/log';
import { CloudtopError, MALFORMED_RESPONSE, toCloudtopError, type CloudErrorHook } from '../errors/errors';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS } from './http-defaults';
import { redact } from '../errors/redact';
import { sleep } from './retry';
import { ERROR_BODY_BYTES, refusedOrigin, registerHeaderSecrets, responseError, tooLarge, tryJson } from './transport-response';

/** The WHATWG fetch signature: Cloudflare's SDK `fetch` option, gaxios' `fetchImplementation`, a global fetch. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** One HTTP exchange as the transport sends it: lower-case headers, a body it can send again. */
export interface NetworkRequest {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: TransportRequest['body'];
  readonly signal: AbortSignal;
}

/** An answer whose body is not read yet. Redirects are never followed: a 3xx comes back as it is. */
export interface WireResponse {
  readonly status: number;
  readonly statusText: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as bytes, reading no further than `limit`; undefined when it is larger and `truncate` is off. */
  read(limit: number, truncate: boolean): Promise<Uint8Array | undefined>;
  /** Drops the rest of the body. */
  cancel(): Promise<void>;
}

/** What goes to the network: core/transport/http.ts's undici request on its pool, or any fetch (fetchNetwork). */
export type Network = (url: URL, init: NetworkRequest) => Promise<WireResponse>;

/** What a provider chooses for its SDK's transport; the policy (limiter, retry, hook) is the collector's. */
export interface SdkTransportOptions {
  /** Origins requests may go to (credentials ride on them); default the endpoint's. */
  readonly origins?: readonly string[];
  /** Per successful body; default 20 MiB. */
  readonly maxBytes?: number;
  /** Per attempt, under the caller's deadline; default 15 s. */
  readonly timeoutMs?: number;
  /** A 2xx body must be JSON: one that is not is a malformed answer (network, retried). */
  readonly expectJson?: boolean;
  /** A 2xx answer that is a failure all the same (Cloudflare's 200 `success:false`), judged inside the retry loop. */
  readonly inspect?: (body: unknown, url: URL, operation: string) => CloudtopError | undefined;
  /** Request headers removed before sending: credentials the environment could add behind Cloudtop's back. */
  readonly dropHeaders?: readonly string[];
  /**
   * Reads a cloud's "requests left" headers (Azure's x-ms-ratelimit-remaining-*): a pause before the next request
   * of the same budget (`key`, e.g. the subscription), so a nearly spent server-side budget refills instead of
   * answering 429. Undefined: no pause.
   */
  readonly pace?: Pace;
}

export interface Pace {
  /** The server-side budget a request counts against (Azure: its subscription, or the tenant). */
  key(url: URL): string;
  /** How long that budget's next request should wait after an answer with these (lower-case) headers, and why. */
  pause(headers: Readonly<Record<string, string>>): { readonly ms: number; readonly why: string } | undefined;
}

export interface TransportPolicy extends SdkTransportOptions {
  readonly cloud: CloudId;
  readonly origins: readonly string[];
  /** The collector's limiter + retry for one operation (ProviderContext.call); default runs the attempt once. */
  readonly call?: ApiCall;
  readonly hook?: CloudErrorHook;
  readonly log?: Logger;
  readonly now?: () => number;
  /** What goes to the network (core/transport/http.ts: undici's request on the client's pool). */
  readonly network?: Network;
  /** Or a fetch that goes to the network (a test's); default the global one. */
  readonly fetch?: FetchLike;
}

/** One request as Cloudtop's own code hands it to the transport (core/transport/http.ts, token requests). */
export interface TransportRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers?: HeadersInit;
  /** Sent again on each attempt: a string or bytes, never a stream. */
  readonly body?: string | Uint8Array<ArrayBuffer> | ArrayBuffer | URLSearchParams | Blob;
  /** The caller's signal (the refresh's deadline); each attempt also listens on the limiter's. */
  readonly signal?: AbortSignal;
  /** Names the request in logs, errors and the rate limiter. */
  readonly operation: string;
  /** Per attempt, under the caller's signal; default the policy's. */
  readonly timeoutMs?: number;
  /** Per successful body; default the policy's. */
  readonly maxBytes?: number;
  /** A 2xx body must be JSON (or empty): parsed into `json`, a malformed one is a network error (retried). */
  readonly json?: boolean;
  /** A write (a stop or a start): retried only after a 429 (CallOptions.write). */
  readonly write?: boolean;
}

/** A successful (2xx, or a 3xx the caller reads itself) answer, its body read within the size cap. */
export interface TransportAnswer {
  readonly status: number;
  readonly statusText: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly bytes: Uint8Array;
  /** The parsed body when the request or the policy asked for JSON and the body was not empty. */
  readonly json?: { readonly value: unknown };
}

export interface Transport {
  /** For the SDK's HTTP hook: every request it makes goes through the policy. */
  readonly fetch: FetchLike;
  /**
   * Runs one SDK call: its requests are named `operation` (limiter budgets, messages), and if it fails because
   * a request failed, the transport's CloudtopError is thrown instead of the SDK's wrapper around it.
   */
  run<T>(operation: string, sdkCall: () => Promise<T>, options?: CallOptions): Promise<T>;
}

/** What createTransport makes: the SDK hook and, for Cloudtop's own requests, the pipeline without a Response to wrap. */
export interface TransportPipeline extends Transport {
  send(request: TransportRequest): Promise<TransportAnswer>;
}

interface RunContext {
  readonly operation: string;
  /** The SDK call is a write: each of its requests is (CallOptions.write). */
  readonly write?: boolean;
  failure?: unknown;
}

const runs = new AsyncLocalStorage<RunContext>();
const direct: ApiCall = (_operation, fn, signal) => fn(signal ?? new AbortController().signal);
// A Response may not carry a body with these statuses.
const NULL_BODY = new Set([101, 204, 205, 304]);

function isReplayable(body: unknown): boolean {
  return (
    body === undefined ||
    body === null ||
    typeof body === 'string' ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof URLSearchParams ||
    body instanceof Blob
  );
}

/** A fetch as the transport's network: redirects come back as they are, the body is read within a cap. */
export function fetchNetwork(fetchImpl: FetchLike): Network {
  return async (url, init) => {
    const response = await fetchImpl(url, {
      method: init.method,
      headers: init.headers,
      body: init.body,
      signal: init.signal,
      redirect: 'manual',
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    return {
      status: response.status,
      statusText: response.statusText,
      headers,
      read: (limit, truncate) => readCapped(response, limit, truncate),
      cancel: async () => {
        await response.body?.cancel().catch(() => undefined);
      },
    };
  };
}

async function readCapped(response: Response, limit: number, truncate: boolean): Promise<Uint8Array | undefined> {
  if (!truncate && Number(response.headers.get('content-length')) > limit) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (!response.body) return new Uint8Array();
  const body = response.body;
  // Node's web streams are async iterable (the DOM typings say otherwise).
  return collectCapped(body as unknown as AsyncIterable<Uint8Array>, limit, truncate, () => body.cancel().catch(() => undefined));
}

/**
 * A body's chunks as bytes, reading no further than `limit`: past it, `stop` drops the rest and the answer is the first
 * `limit` bytes (`truncate`, for error bodies) or undefined. Both networks read through it.
 */
export async function collectCapped(
  chunks: AsyncIterable<Uint8Array>,
  limit: number,
  truncate: boolean,
  stop: () => Promise<unknown>,
): Promise<Uint8Array | undefined> {
  const kept: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    if (size + chunk.byteLength > limit) {
      await stop();
      if (!truncate) return undefined;
      kept.push(chunk.subarray(0, limit - size));
      size = limit;
      break;
    }
    size += chunk.byteLength;
    kept.push(chunk);
  }
  return Buffer.concat(kept, size);
}

/** Request headers as one lower-case record, whatever form the caller (an SDK) gave them in. */
function headerRecord(init: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!init) return out;
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    out[key] = key in out ? `${out[key]}, ${value}` : String(value);
  };
  if (typeof (init as Headers).forEach === 'function' && !Array.isArray(init)) (init as Headers).forEach((value, name) => add(name, value));
  else {
    const entries: Iterable<readonly [string, string]> = Array.isArray(init) ? init : Object.entries(init as Record<string, string>);
    for (const [name, value] of entries) add(name, value);
  }
  return out;
}

export function createTransport(policy: TransportPolicy): TransportPipeline {
  const { cloud, origins, hook } = policy;
  const call = policy.call ?? direct;
  const log = policy.log ?? silentLogger;
  const now = policy.now ?? Date.now;
  const maxBytes = policy.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = policy.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const network = policy.network ?? fetchNetwork(policy.fetch ?? ((input, init) => fetch(input, init)));
  /** By pace key: no request of that budget starts before this time. */
  const heldUntil = new Map<string, number>();

  /**
   * A redirect is never followed: credentials ride on the request, and a token endpoint's answer names where the
   * next one goes. To another origin it is refused in so many words (config: the endpoint or credential file names a
   * host that sends Cloudtop elsewhere); on the same origin too, since the request already went where it was sent.
   */
  function redirected(url: URL, location: string, operation: string): CloudtopError {
    let target: URL | undefined;
    try {
      target = new URL(location, url);
    } catch {
      target = undefined;
    }
    const where = target ? target.origin : 'an unreadable location';
    const elsewhere = !target || !origins.includes(target.origin);
    return new CloudtopError({
      category: 'config',
      cloud,
      code: 'REDIRECT_REFUSED',
      operation,
      message: elsewhere
        ? `${CLOUD_NAMES[cloud]}: ${url.origin} answered ${operation} with a redirect to ${where}; Cloudtop sends requests only to ${origins.join(' or ')} and does not follow it. Check the endpoint setting or the credential's token endpoint.`
        : `${CLOUD_NAMES[cloud]}: ${url.origin} answered ${operation} with a redirect to ${target!.pathname}, which Cloudtop does not follow.`,
    });
  }

  /** Waits out a pause the server's remaining-budget headers asked for (pace), under the caller's signal. */
  async function waitForPace(url: URL, signal: AbortSignal): Promise<void> {
    if (!policy.pace || heldUntil.size === 0) return;
    const wait = (heldUntil.get(policy.pace.key(url)) ?? 0) - now();
    if (wait > 0) await sleep(wait, signal);
  }

  function notePace(headers: Record<string, string>, url: URL): void {
    const pause = policy.pace?.pause(headers);
    if (!pause || pause.ms <= 0) return;
    const key = policy.pace!.key(url);
    const until = now() + pause.ms;
    const held = heldUntil.get(key) ?? 0;
    if (until <= held) return;
    heldUntil.set(key, until);
    // Once per pause, not for every answer that extends it.
    if (held <= now()) log.info(`${CLOUD_NAMES[cloud]}: ${pause.why}; the next requests wait ${Math.ceil(pause.ms)} ms.`);
  }

  interface Attempt {
    readonly url: URL;
    readonly init: Omit<NetworkRequest, 'signal'>;
    readonly operation: string;
    readonly timeoutMs: number;
    readonly maxBytes: number;
    readonly json: boolean;
  }

  /** One attempt: the only place a request reaches the network, is timed, logged, capped and classified. */
  async function attempt(a: Attempt, signal: AbortSignal): Promise<TransportAnswer> {
    const { url, init, operation } = a;
    await waitForPace(url, signal);
    const timeout = AbortSignal.timeout(a.timeoutMs);
    const started = now();
    try {
      // No hidden redirects (the network follows none): one could carry the credential headers to another host.
      const response = await network(url, { ...init, signal: AbortSignal.any([signal, timeout]) });
      const headers = response.headers;
      log.debug(`${cloud} ${init.method} ${redact(url.pathname)} → ${response.status} in ${now() - started} ms`);
      notePace(headers, url);
      if (response.status >= 300 && response.status < 400 && headers.location !== undefined) {
        await response.cancel();
        throw redirected(url, headers.location, operation);
      }
      if (response.status < 200 || response.status >= 300) {
        const bytes = await response.read(ERROR_BODY_BYTES, true);
        throw responseError(
          cloud,
          { status: response.status, headers, text: Buffer.from(bytes!).toString('utf8'), operation },
          hook,
          now(),
        );
      }
      const bytes = await response.read(a.maxBytes, false);
      if (bytes === undefined) throw tooLarge(cloud, a.maxBytes, operation);
      let json: { value: unknown } | undefined;
      if (a.json || policy.inspect) {
        const text = Buffer.from(bytes).toString('utf8');
        json = text.trim() === '' ? undefined : tryJson(text);
        if (!json && a.json && text.trim() !== '') throw toCloudtopError({ code: MALFORMED_RESPONSE, operation }, cloud);
        const failure = json && policy.inspect?.(json.value, url, operation);
        if (failure) throw failure;
      }
      return { status: response.status, statusText: response.statusText, headers, bytes, json };
    } catch (error) {
      if (error instanceof CloudtopError) throw error;
      if (signal.aborted) throw signal.reason;
      log.debug(`${cloud} ${init.method} ${redact(url.pathname)} failed: ${redact(String((error as Error)?.message))}`);
      if (timeout.aborted) throw toCloudtopError({ code: 'ETIMEDOUT' }, cloud, { operation });
      // fetch never connects to the ports the Fetch standard blocks (9, 6000, 6665–6669, 10080 …).
      if ((error as { cause?: { message?: unknown } })?.cause?.message === 'bad port')
        throw new CloudtopError({
          category: 'config',
          cloud,
          code: 'ERR_BAD_PORT',
          operation,
          message: `${CLOUD_NAMES[cloud]}: port ${url.port} of ${url.hostname} is one fetch never connects to (the Fetch standard's blocked ports); use another port.`,
        });
      throw toCloudtopError(error, cloud, { operation, hook });
    }
  }

  /** Origin guard, secrets registered, then limiter → attempt → classify → retry through the collector's call. */
  async function send(request: TransportRequest): Promise<TransportAnswer> {
    const { url, operation } = request;
    const context = runs.getStore();
    const caller = request.signal;
    try {
      const refused = refusedOrigin(cloud, url, origins, operation);
      if (refused) throw refused;
      const headers = headerRecord(request.headers);
      for (const name of policy.dropHeaders ?? []) delete headers[name.toLowerCase()];
      registerHeaderSecrets(headers);
      const one: Attempt = {
        url,
        init: { method: request.method.toUpperCase(), headers, body: request.body },
        operation,
        timeoutMs: request.timeoutMs ?? timeoutMs,
        maxBytes: request.maxBytes ?? maxBytes,
        json: request.json ?? policy.expectJson ?? false,
      };
      const write = request.write ?? context?.write ?? false;
      return await call(
        operation,
        (callSignal) => attempt(one, caller && caller !== callSignal ? AbortSignal.any([caller, callSignal]) : callSignal),
        caller,
        write ? { write } : undefined,
      );
    } catch (error) {
      if (context && !caller?.aborted) context.failure = error;
      throw error;
    }
  }

  const transportFetch: FetchLike = async (input, init = {}) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : input instanceof URL ? input.href : (input as string));
    const method = (init.method ?? request?.method ?? 'GET').toUpperCase();
    const operation = runs.getStore()?.operation ?? `${method} ${url.pathname}`;
    // Each attempt sends the body again: a stream is read once, up front.
    const raw = init.body ?? (request && request.body ? await request.arrayBuffer() : undefined);
    const body = isReplayable(raw) ? (raw ?? undefined) : await new Response(raw).arrayBuffer();
    const answer = await send({
      url,
      method,
      headers: init.headers ?? request?.headers,
      body: body as TransportRequest['body'],
      signal: init.signal ?? request?.signal ?? undefined,
      operation,
    });
    const bytes = NULL_BODY.has(answer.status) ? null : (answer.bytes as Uint8Array<ArrayBuffer>);
    return new Response(bytes, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
  };

  return {
    fetch: transportFetch,
    send,
    async run<T>(operation: string, sdkCall: () => Promise<T>, options?: CallOptions): Promise<T> {
      const context: RunContext = { operation, ...(options?.write ? { write: true } : {}) };
      try {
        return await runs.run(context, sdkCall);
      } catch (error) {
        throw context.failure ?? error;
      }
    },
  };
}
