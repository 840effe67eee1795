// OCI's error knowledge, SDK-free (it is in the main bundle through the catalogue). Shapes from npm oci-common 2.139.1
// lib/error.js and lib/circuit-breaker.js (observed against a loopback server): `OciError {statusCode, serviceCode,
// message, opcRequestId}`; transport failures are plain objects `{code, message: 'fetch failed', requestEndpoint}` with
// no status; an open circuit breaker throws `{code: 'EOPENBREAKER'}` (the breaker is turned off by ociNoRetry(), this
// only names it if it slips back).
import type { CloudErrorHook, ErrorFacts, ErrorVerdict } from '../../core/errors/errors';
import type { ErrorCategory } from '../../core/model/model';

type Fields = Record<string, unknown>;
const asFields = (v: unknown): Fields | undefined => (v !== null && typeof v === 'object' ? (v as Fields) : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' && v !== 'None' ? v : undefined);

// OCI answers 404 NotAuthorizedOrNotFound when an IAM policy is missing: a permission problem more often than not.
const SERVICE_CODES: ReadonlyMap<string, ErrorCategory> = new Map([
  ['NotAuthenticated', 'auth'],
  ['NotAuthorizedOrNotFound', 'permission'],
  ['NotAuthorized', 'permission'],
  ['NotFound', 'not-found'],
  ['TooManyRequests', 'rate-limit'],
  ['InvalidParameter', 'config'],
  ['MissingParameter', 'config'],
  ['CannotParseRequest', 'config'],
  ['EOPENBREAKER', 'network'],
]);

export const ociErrors: CloudErrorHook = {
  read(error): ErrorFacts | undefined {
    const e = asFields(error);
    if (!e) return undefined;
    const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
    const code = text(e.serviceCode) ?? (e.code === 'EOPENBREAKER' ? 'EOPENBREAKER' : undefined);
    // A transport failure: a request endpoint but no status. Its code is often undefined under undici.
    if (status === undefined && code === undefined && typeof e.requestEndpoint === 'string') return { code: text(e.code) ?? 'ECONNRESET' };
    if (status === undefined && code === undefined) return undefined;
    return { status, code, message: text(e.message) };
  },
  classify({ code }): ErrorVerdict | undefined {
    const category = code === undefined ? undefined : SERVICE_CODES.get(code);
    if (!category) return undefined;
    return code === 'NotAuthorizedOrNotFound'
      ? { category, hint: 'OCI says this for a missing IAM policy as well as a missing resource.' }
      : { category };
  },
};
