// Every failure Cloudtop shows or acts on is a CloudtopError with one of seven categories. The category drives
// the retry policy and the words the user sees, so it is derived only from data the error carries (status codes,
// error codes, fields): class and constructor names are minified away in the bundles.
import { ERROR_CATEGORIES, type CloudId, type ErrorCategory } from '../model/model';
import { redact } from './redact';
import { parseRetryAfter } from '../model/duration';
import {
  cleanCloudMessage,
  describeFailure,
  MALFORMED_RESPONSE,
  RESPONSE_TOO_LARGE,
  TLS_TRUST_CODES,
  type FailureFacts,
} from './error-messages';

export { cleanCloudMessage, describeFailure, MALFORMED_RESPONSE, RESPONSE_TOO_LARGE, type FailureFacts };

export interface CloudtopErrorInit {
  /** Redacted on the way in, whatever it contains. */
  readonly message: string;
  readonly category: ErrorCategory;
  readonly cloud?: CloudId;
  readonly status?: number;
  readonly code?: string;
  readonly retryAfterMs?: number;
  /** The cloud's own words, already cleaned by cleanCloudMessage(). */
  readonly cloudMessage?: string;
  readonly operation?: string;
  /** Only pass a cause that carries no request data: SDK errors often hold the request headers. */
  readonly cause?: unknown;
}

// Every bundle has its own copy of this class: extension.js or cli.js, and each provider bundle
// dist/providers/<cloud>.js (see esbuild.mjs). `instanceof CloudtopError` must hold for an error made by any
// copy, so it checks a brand every copy puts on its prototype under the same registered symbol, not the class.
const BRAND = Symbol.for('cloudtop.CloudtopError');
/** `value instanceof ctor` by the prototype chain alone: made by this bundle's copy of the class. */
const ordinaryInstanceOf = (ctor: abstract new (...args: never[]) => unknown, value: unknown): boolean =>
  Function.prototype[Symbol.hasInstance].call(ctor, value);

export class CloudtopError extends Error {
  static {
    Object.defineProperty(this.prototype, BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): value is CloudtopError {
    // A subclass, should one appear, keeps the ordinary prototype check.
    if (this !== CloudtopError) return ordinaryInstanceOf(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  readonly category: ErrorCategory;
  readonly cloud?: CloudId;
  readonly status?: number;
  readonly code?: string;
  readonly retryAfterMs?: number;
  readonly cloudMessage?: string;
  readonly operation?: string;

  constructor(options: CloudtopErrorInit) {
    super(redact(options.message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CloudtopError';
    this.category = options.category;
    this.cloud = options.cloud;
    this.status = options.status;
    this.code = options.code;
    this.retryAfterMs = options.retryAfterMs;
    this.cloudMessage = options.cloudMessage;
    this.operation = options.operation;
  }
}

export function isRetryable(category: ErrorCategory): boolean {
  return category === 'network' || category === 'rate-limit';
}

function table(category: ErrorCategory, codes: string): Array<[string, ErrorCategory]> {
  return codes
    .split(/\s+/)
    .filter(Boolean)
    .map((code) => [code, category]);
}

// Node's and undici's own codes: every cloud's transport meets them. A cloud's service codes (Azure's
// AuthorizationFailed, OCI's NotAuthorizedOrNotFound, gRPC status names) live in its folder's error hook
// (src/providers/<cloud>/errors.ts), applied through ErrorContext.hook.
const CODES = new Map<string, ErrorCategory>([
  ...table('config', `ERR_INVALID_URL UND_ERR_INVALID_ARG ${TLS_TRUST_CODES.join(' ')}`),
  // Malformed or truncated JSON counts as network: in practice it is a transfer cut short or a proxy/gateway
  // error page in place of the API's answer, both of which the next attempt usually does not repeat. A cloud
  // that truly sends broken JSON costs three quick retries, which is cheap.
  ...table(
    'network',
    `ECONNRESET ECONNREFUSED ECONNABORTED ETIMEDOUT ESOCKETTIMEDOUT ENOTFOUND EAI_AGAIN EPIPE
    EHOSTUNREACH EHOSTDOWN ENETUNREACH ENETDOWN ENETRESET ERR_STREAM_PREMATURE_CLOSE ERR_SOCKET_CONNECTION_TIMEOUT
    ${MALFORMED_RESPONSE}`,
  ),
  ...table(
    'unknown',
    `UND_ERR_INVALID_RETURN_VALUE UND_ERR_NOT_SUPPORTED UND_ERR_RES_EXCEEDED_MAX_SIZE
    ${RESPONSE_TOO_LARGE}`,
  ),
]);

/** What an error says about itself: from an HTTP answer, or read off an SDK's error object by a cloud's hook. */
export interface ErrorFacts {
  readonly status?: number;
  /** The cloud's or SDK's code (Azure `code`, OCI `serviceCode`, a gRPC status name). */
  readonly code?: string;
  /** The cloud's own words. */
  readonly message?: string;
  /** The parsed error body, when the error is an HTTP answer. */
  readonly body?: unknown;
  /** Response headers, lower-case names. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly retryAfterMs?: number;
}

/** A cloud's reading of an error; every field is optional, an absent one keeps the generic answer. */
export interface ErrorVerdict {
  readonly category?: ErrorCategory;
  /** What to do next, in the cloud's terms; appended to the message. */
  readonly hint?: string;
  readonly retryAfterMs?: number;
}

/**
 * A cloud's error knowledge (CloudEntry.errors). Applied where an error is made, inside the retry loop, so
 * its category decides whether the request is tried again. Hooks are in the main bundle: tiny, no SDK.
 */
export interface CloudErrorHook {
  /** Reads an SDK's error object (its status, service code, message, Retry-After) before the generic fields. */
  readonly read?: (error: unknown) => ErrorFacts | undefined;
  /** The cloud's error envelope → message and code; default: the common shapes (transport-response.ts defaultDescribeError). */
  readonly describe?: (status: number, body: unknown, text: string) => { message?: string; code?: string } | undefined;
  /** The cloud's own meaning of an error, e.g. OCI's 404 NotAuthorizedOrNotFound is a missing permission. */
  readonly classify?: (facts: ErrorFacts) => ErrorVerdict | undefined;
}

type Fields = Record<string, unknown>;

function asFields(value: unknown): Fields | undefined {
  return value !== null && typeof value === 'object' ? (value as Fields) : undefined;
}

function asStatus(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

/** The HTTP status where Node HTTP clients put it (an SDK's own field is its cloud's hook's business). */
function statusOf(e: Fields): number | undefined {
  const response = asFields(e.response);
  return asStatus(e.status) ?? asStatus(e.statusCode) ?? asStatus(response?.status) ?? asStatus(response?.statusCode);
}

function stringCodeOf(e: Fields): string | undefined {
  for (const value of [e.code, e.status]) {
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

export function categoryFromStatus(status: number): ErrorCategory {
  if (status === 401) return 'auth';
  if (status === 403) return 'permission';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limit';
  // 423 Locked: the resource is busy with another operation (Neon documents it as safe to retry).
  if (status === 408 || status === 423 || (status >= 500 && status <= 599)) return 'network';
  if (status === 400 || status === 422) return 'config';
  return 'unknown';
}

function classifyAt(value: unknown, depth: number): ErrorCategory | undefined {
  const e = asFields(value);
  if (!e || depth > 8) return undefined;
  if (typeof e.category === 'string' && (ERROR_CATEGORIES as readonly string[]).includes(e.category)) {
    return e.category as ErrorCategory;
  }
  // AbortSignal.timeout() rejects with a DOMException named TimeoutError; builtin names survive minification.
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'network';
  for (const code of [e.code, e.status]) {
    if (typeof code !== 'string') continue;
    const known = CODES.get(code);
    if (known) return known;
    if (code.startsWith('UND_ERR_')) return 'network'; // undici's socket, timeout and length-mismatch errors
  }
  const status = statusOf(e);
  if (status !== undefined) return categoryFromStatus(status);
  const fromCause = classifyAt(e.cause, depth + 1);
  if (fromCause) return fromCause;
  // AggregateError (happy-eyeballs connects) and GraphQL-style error lists.
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors.slice(0, 5)) {
      const found = classifyAt(inner, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

export function classify(error: unknown): ErrorCategory {
  return classifyAt(error, 0) ?? 'unknown';
}

/** Walks the cause chain for the first value `pick` finds. */
function firstInChain<T>(error: unknown, pick: (e: Fields) => T | undefined): T | undefined {
  let current = asFields(error);
  for (let depth = 0; current && depth < 8; depth++) {
    const found = pick(current);
    if (found !== undefined) return found;
    current = asFields(current.cause);
  }
  return undefined;
}

/** One header from a Headers-like object (`get`) or a plain record. */
export function headerOf(headers: unknown, name: string): string | undefined {
  const h = asFields(headers);
  if (!h) return undefined;
  const value = typeof h.get === 'function' ? (h.get as (n: string) => unknown).call(h, name) : h[name];
  return typeof value === 'string' ? value : undefined;
}

/** The wait a response asks for: Azure's millisecond headers first, then Retry-After (seconds or an HTTP date). */
export function retryAfterFromHeaders(headers: unknown, now: number): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = Number(headerOf(headers, name));
    if (headerOf(headers, name) !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  }
  return parseRetryAfter(headerOf(headers, 'retry-after'), now);
}

/** Retry-After from our own field or a client library's response headers. */
function retryAfterOf(e: Fields, now: number): number | undefined {
  if (typeof e.retryAfterMs === 'number' && e.retryAfterMs >= 0) return e.retryAfterMs;
  return retryAfterFromHeaders(asFields(e.response)?.headers, now) ?? retryAfterFromHeaders(e.headers, now);
}

export interface ErrorContext {
  /** Clock for an HTTP-date Retry-After (tests inject one). */
  readonly now?: number;
  /** What Cloudtop was doing, when the error does not say (`.operation`). */
  readonly operation?: string;
  /** The cloud's error knowledge (CloudEntry.errors). */
  readonly hook?: CloudErrorHook;
  /** The HTTP answer the error came from, for the hook. */
  readonly response?: Pick<ErrorFacts, 'body' | 'headers'>;
}

/**
 * A CloudtopError another bundle made (a provider's) becomes one of this bundle's. Its text was redacted there
 * with that bundle's copy of the secret registry, which is empty: only the main bundle registers secrets.
 */
function adopt(foreign: CloudtopError): CloudtopError {
  const { category, cloud, status, code, retryAfterMs, operation, cause } = foreign;
  const adopted = new CloudtopError({
    message: foreign.message,
    category,
    cloud,
    status,
    code,
    retryAfterMs,
    operation,
    cause,
    cloudMessage: cleanCloudMessage(foreign.cloudMessage),
  });
  if (foreign.stack !== undefined) adopted.stack = redact(foreign.stack);
  return adopted;
}

/**
 * Wraps anything thrown into a CloudtopError with a user-facing message; a CloudtopError passes through (its
 * maker already applied the cloud's hook). The hook reads SDK fields first and has the last word on the category.
 */
export function toCloudtopError(error: unknown, cloud?: CloudId, context: ErrorContext = {}): CloudtopError {
  if (error instanceof CloudtopError) return ordinaryInstanceOf(CloudtopError, error) ? error : adopt(error);
  const now = context.now ?? Date.now();
  const { hook } = context;
  const read = hook?.read ? firstInChain(error, (e) => hook.read!(e)) : undefined;
  const status = read?.status ?? firstInChain(error, statusOf);
  const code = read?.code ?? firstInChain(error, stringCodeOf);
  const e = asFields(error);
  const headers = context.response?.headers;
  const retryAfterMs = read?.retryAfterMs ?? firstInChain(error, (f) => retryAfterOf(f, now));
  const fromRead = read
    ? ((code !== undefined ? CODES.get(code) : undefined) ?? (status !== undefined ? categoryFromStatus(status) : undefined))
    : undefined;
  // An SDK's HTTP error message is the cloud's own text (Azure, OCI). An unexpected failure's message helps
  // as a detail. A network error's message only repeats host and code, so it is left to the log.
  const cloudMessage = cleanCloudMessage(read?.message ?? e?.cloudMessage ?? (status !== undefined ? e?.message : undefined));
  const verdict = hook?.classify?.({ status, code, message: cloudMessage, body: context.response?.body, headers, retryAfterMs });
  const category = verdict?.category ?? fromRead ?? classify(error);
  const detail =
    category === 'unknown' && cloudMessage === undefined ? cleanCloudMessage(typeof error === 'string' ? error : e?.message) : undefined;
  const operation = typeof e?.operation === 'string' ? e.operation : context.operation;
  const facts: FailureFacts = {
    category,
    cloud,
    status,
    code,
    retryAfterMs: verdict?.retryAfterMs ?? retryAfterMs,
    cloudMessage,
    operation,
    hint: verdict?.hint,
  };
  return new CloudtopError({ ...facts, message: describeFailure({ ...facts, detail }) });
}
