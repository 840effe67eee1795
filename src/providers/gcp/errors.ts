// Google Cloud's error knowledge, SDK-free (it is in the main bundle through the catalogue). Shapes from npm google-gax
// 5.0.8 / 6.17.0 build/src/{googleError,fallbackServiceStub}.js and googleapis/gax-nodejs#1803: gax 6 throws
// `GoogleError {code: gRPC number, httpStatusCode, statusDetails}`, gax 5 a `GaxiosError {code: HTTP status,
// response}`; REST bodies are `{error: {code, message, status, details}}` with a RetryInfo `retryDelay` detail.
// Normalised for both majors (googleapis/gax-nodejs#1803): httpStatusCode ?? response.status ?? code.
import type { CloudErrorHook, ErrorFacts } from '../../core/errors/errors';
import type { ErrorCategory } from '../../core/model/model';

const GRPC_NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

const STATUS_NAMES: ReadonlyMap<string, ErrorCategory> = new Map([
  ['INVALID_ARGUMENT', 'config'],
  ['FAILED_PRECONDITION', 'config'],
  ['OUT_OF_RANGE', 'config'],
  ['DEADLINE_EXCEEDED', 'network'],
  ['ABORTED', 'network'],
  ['INTERNAL', 'network'],
  ['UNAVAILABLE', 'network'],
  ['NOT_FOUND', 'not-found'],
  ['PERMISSION_DENIED', 'permission'],
  ['RESOURCE_EXHAUSTED', 'rate-limit'],
  ['UNAUTHENTICATED', 'auth'],
  // An API the project never enabled: the provider reads it as "this project does not use that service".
  ['SERVICE_DISABLED', 'config'],
]);

/** ErrorInfo reasons that say more than the status (PERMISSION_DENIED because the API is off, not for want of a role). */
const REASONS = new Set(['SERVICE_DISABLED']);

type Fields = Record<string, unknown>;
const asFields = (v: unknown): Fields | undefined => (v !== null && typeof v === 'object' ? (v as Fields) : undefined);
const httpStatus = (v: unknown): number | undefined => (typeof v === 'number' && v >= 100 && v <= 599 ? v : undefined);

/** RetryInfo's delay: "30s" in JSON, `{seconds, nanos}` once gax has decoded it. */
function retryDelayMs(details: unknown): number | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    const delay = asFields(detail)?.retryDelay;
    const seconds = typeof delay === 'string' ? Number(delay.replace(/s$/, '')) : Number(asFields(delay)?.seconds);
    if (delay !== undefined && Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  }
  return undefined;
}

export const gcpErrors: CloudErrorHook = {
  read(error): ErrorFacts | undefined {
    const e = asFields(error);
    if (!e) return undefined;
    const grpc = typeof e.code === 'number' && e.code < 100 ? GRPC_NAMES[e.code] : undefined;
    const status = httpStatus(e.httpStatusCode) ?? httpStatus(asFields(e.response)?.status) ?? httpStatus(e.code);
    const code = grpc ?? (typeof e.status === 'string' && STATUS_NAMES.has(e.status) ? e.status : undefined);
    if (status === undefined && code === undefined) return undefined;
    return { status, code, retryAfterMs: retryDelayMs(e.statusDetails), message: typeof e.message === 'string' ? e.message : undefined };
  },
  describe(_status, body) {
    const error = asFields(asFields(body)?.error);
    if (!error) return undefined;
    const details = Array.isArray(error.details) ? error.details : [];
    const reason = details.map((d) => asFields(d)?.reason).find((r): r is string => typeof r === 'string' && REASONS.has(r));
    return {
      message: typeof error.message === 'string' ? error.message : undefined,
      code: reason ?? (typeof error.status === 'string' ? error.status : undefined),
    };
  },
  classify({ code, body, retryAfterMs: fromHeader }) {
    const category = code === undefined ? undefined : STATUS_NAMES.get(code);
    // Google sends both and they agree; where they differ (a proxy's Retry-After), HTTP's own header is the answer.
    const retryAfterMs = fromHeader === undefined ? retryDelayMs(asFields(asFields(body)?.error)?.details) : undefined;
    if (!category && retryAfterMs === undefined) return undefined;
    return { ...(category ? { category } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  },
};
