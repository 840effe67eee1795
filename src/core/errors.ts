// Every failure Cloudtop shows or acts on is a CloudtopError with one of seven categories. The category drives
// the retry policy and the words the user sees, so it is derived only from data the error carries (status codes,
// error codes, fields): class and constructor names are minified away in the bundles.
import type { CloudId, ErrorCategory } from './model';
import { redact } from './redact';
import { parseRetryAfter } from './duration';
import { cleanCloudMessage, describeFailure, MALFORMED_RESPONSE, RESPONSE_TOO_LARGE, type FailureFacts } from './error-messages';

export { cleanCloudMessage, describeFailure, MALFORMED_RESPONSE, RESPONSE_TOO_LARGE, type FailureFacts };

export const ERROR_CATEGORIES: readonly ErrorCategory[] = [
  'auth', 'permission', 'rate-limit', 'network', 'not-found', 'config', 'unknown',
];

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

const GRPC: Readonly<Record<number, ErrorCategory>> = {
  3: 'config', // INVALID_ARGUMENT
  4: 'network', // DEADLINE_EXCEEDED
  5: 'not-found',
  7: 'permission',
  8: 'rate-limit', // RESOURCE_EXHAUSTED
  9: 'config', // FAILED_PRECONDITION
  10: 'network', // ABORTED: a concurrency conflict, Google says retry
  11: 'config', // OUT_OF_RANGE
  13: 'network', // INTERNAL, gRPC's 500
  14: 'network', // UNAVAILABLE
  16: 'auth',
};
const GRPC_NAMES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL',
  'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];

function table(category: ErrorCategory, codes: string): Array<[string, ErrorCategory]> {
  return codes.split(/\s+/).filter(Boolean).map((code) => [code, category]);
}

// String codes from Node, undici, Azure RestError `.code`, OCI `serviceCode` and gRPC status names. They win
// over the HTTP status because they are more precise: Azure storage answers 403 AuthenticationFailed for a bad
// key (auth, not permission); OCI answers 404 NotAuthorizedOrNotFound when a policy is missing.
const CODES = new Map<string, ErrorCategory>([
  ...table('auth', `UNAUTHENTICATED NotAuthenticated AuthenticationFailed InvalidAuthenticationToken
    InvalidAuthenticationTokenTenant InvalidAuthenticationTokenAudience ExpiredAuthenticationToken`),
  ...table('permission', `PERMISSION_DENIED AuthorizationFailed LinkedAuthorizationFailed
    AuthorizationPermissionMismatch NotAuthorizedOrNotFound`),
  ...table('not-found', 'NOT_FOUND ResourceNotFound ResourceGroupNotFound SubscriptionNotFound ParentResourceNotFound'),
  ...table('rate-limit', `RESOURCE_EXHAUSTED TooManyRequests SubscriptionRequestsThrottled ResourceRequestsThrottled
    TenantRequestsThrottled`),
  ...table('config', `INVALID_ARGUMENT FAILED_PRECONDITION OUT_OF_RANGE InvalidParameter MissingParameter
    InvalidSubscriptionId InvalidApiVersionParameter CannotParseRequest MissingSubscriptionRegistration
    ERR_INVALID_URL UND_ERR_INVALID_ARG CERT_HAS_EXPIRED DEPTH_ZERO_SELF_SIGNED_CERT SELF_SIGNED_CERT_IN_CHAIN
    UNABLE_TO_VERIFY_LEAF_SIGNATURE UNABLE_TO_GET_ISSUER_CERT_LOCALLY ERR_TLS_CERT_ALTNAME_INVALID`),
  // Malformed or truncated JSON counts as network: in practice it is a transfer cut short or a proxy/gateway
  // error page in place of the API's answer, both of which the next attempt usually does not repeat. A cloud
  // that truly sends broken JSON costs three quick retries, which is cheap; Azure reports it as PARSE_ERROR.
  ...table('network', `UNAVAILABLE DEADLINE_EXCEEDED ABORTED INTERNAL ECONNRESET ECONNREFUSED ECONNABORTED ETIMEDOUT
    ESOCKETTIMEDOUT ENOTFOUND EAI_AGAIN EPIPE EHOSTUNREACH EHOSTDOWN ENETUNREACH ENETDOWN ENETRESET
    ERR_STREAM_PREMATURE_CLOSE ERR_SOCKET_CONNECTION_TIMEOUT REQUEST_SEND_ERROR PARSE_ERROR EOPENBREAKER
    ${MALFORMED_RESPONSE}`),
  ...table('unknown', `UND_ERR_INVALID_RETURN_VALUE UND_ERR_NOT_SUPPORTED UND_ERR_RES_EXCEEDED_MAX_SIZE
    ${RESPONSE_TOO_LARGE}`),
]);

type Fields = Record<string, unknown>;

function asFields(value: unknown): Fields | undefined {
  return value !== null && typeof value === 'object' ? (value as Fields) : undefined;
}

function asStatus(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

/** The HTTP status wherever a client library put it (gax 5 puts it in `.code`, gax 6 in `.httpStatusCode`). */
function statusOf(e: Fields): number | undefined {
  const response = asFields(e.response);
  const metadata = asFields(e.$metadata);
  return asStatus(e.status) ?? asStatus(e.statusCode) ?? asStatus(e.httpStatusCode) ?? asStatus(response?.status)
    ?? asStatus(response?.statusCode) ?? asStatus(metadata?.httpStatusCode) ?? asStatus(e.code);
}

function stringCodeOf(e: Fields): string | undefined {
  for (const value of [e.code, e.serviceCode, e.status]) {
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
  for (const code of [e.code, e.serviceCode, e.status]) {
    if (typeof code !== 'string') continue;
    const known = CODES.get(code);
    if (known) return known;
    if (code.startsWith('UND_ERR_')) return 'network'; // undici's socket, timeout and length-mismatch errors
  }
  const status = statusOf(e);
  if (status !== undefined) return categoryFromStatus(status);
  if (typeof e.code === 'number' && GRPC[e.code]) return GRPC[e.code];
  // OCI SDK transport failures are plain objects: a request endpoint but no status.
  if (typeof e.requestEndpoint === 'string' && e.statusCode === undefined) return 'network';
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

function headerOf(headers: unknown, name: string): string | undefined {
  const h = asFields(headers);
  if (!h) return undefined;
  const value = typeof h.get === 'function' ? (h.get as (n: string) => unknown).call(h, name) : h[name];
  return typeof value === 'string' ? value : undefined;
}

/** Retry-After from our own field, an SDK's response headers, or Google's RetryInfo detail. */
function retryAfterOf(e: Fields, now: number): number | undefined {
  if (typeof e.retryAfterMs === 'number' && e.retryAfterMs >= 0) return e.retryAfterMs;
  const header = headerOf(asFields(e.response)?.headers, 'retry-after') ?? headerOf(e.headers, 'retry-after');
  const fromHeader = parseRetryAfter(header, now);
  if (fromHeader !== undefined) return fromHeader;
  if (Array.isArray(e.statusDetails)) {
    for (const detail of e.statusDetails) {
      const delay = asFields(detail)?.retryDelay;
      const seconds = typeof delay === 'string' ? Number(delay.replace(/s$/, '')) : Number(asFields(delay)?.seconds);
      if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
    }
  }
  return undefined;
}

export interface ErrorContext {
  /** Clock for an HTTP-date Retry-After (tests inject one). */
  readonly now?: number;
  /** What Cloudtop was doing, when the error does not say (`.operation`). */
  readonly operation?: string;
}

/**
 * A CloudtopError another bundle made (a provider's) becomes one of this bundle's. Its text was redacted there
 * with that bundle's copy of the secret registry, which is empty: only the main bundle registers secrets.
 */
function adopt(foreign: CloudtopError): CloudtopError {
  const { category, cloud, status, code, retryAfterMs, operation, cause } = foreign;
  const adopted = new CloudtopError({
    message: foreign.message, category, cloud, status, code, retryAfterMs, operation, cause,
    cloudMessage: cleanCloudMessage(foreign.cloudMessage),
  });
  if (foreign.stack !== undefined) adopted.stack = redact(foreign.stack);
  return adopted;
}

/** Wraps anything thrown into a CloudtopError with a user-facing message; a CloudtopError passes through. */
export function toCloudtopError(error: unknown, cloud?: CloudId, context: ErrorContext = {}): CloudtopError {
  if (error instanceof CloudtopError) return ordinaryInstanceOf(CloudtopError, error) ? error : adopt(error);
  const now = context.now ?? Date.now();
  const category = classify(error);
  const status = firstInChain(error, statusOf);
  const code = firstInChain(error, (e) => stringCodeOf(e) ?? (typeof e.code === 'number' ? GRPC_NAMES[e.code] : undefined));
  const retryAfterMs = firstInChain(error, (e) => retryAfterOf(e, now));
  const e = asFields(error);
  // An SDK's HTTP error message is the cloud's own text (Azure, OCI). An unexpected failure's message helps
  // as a detail. A network error's message only repeats host and code, so it is left to the log.
  const cloudMessage = cleanCloudMessage(e?.cloudMessage ?? (status !== undefined ? e?.message : undefined));
  const detail = category === 'unknown' && cloudMessage === undefined
    ? cleanCloudMessage(typeof error === 'string' ? error : e?.message)
    : undefined;
  const operation = typeof e?.operation === 'string' ? e.operation : context.operation;
  const facts: FailureFacts = { category, cloud, status, code, retryAfterMs, cloudMessage, operation };
  return new CloudtopError({ ...facts, message: describeFailure({ ...facts, detail }) });
}
