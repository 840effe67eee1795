// Cloudflare's two failure shapes the core cannot see by itself, turned into CloudtopErrors. SDK-free and pure.
//  - REST v4 envelope `{success:false, errors:[{code, message, error_chain?}], result:null}`: a non-2xx status says
//    the category (the SDK throws with `.status`); a **200** with `success:false` says nothing, so the error codes do.
//  - GraphQL Analytics: every answer carries `errors` (null on success) and "a 200 response can contain an error"
//    (cloudflare-docs analytics/graphql-api/errors.mdx); the message words map to the documented statuses.
import { CloudtopError, cleanCloudMessage, describeFailure, type FailureFacts } from '../../core/errors/errors';
import type { ErrorCategory } from '../../core/model/model';
import { record, text } from '../../core/transport/wire';

export interface CloudflareErrorItem {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly error_chain?: unknown;
}

/** Cloudflare pads some codes and messages: read trimmed. */
const trimmed = (v: unknown): string | undefined => text(v)?.trim();
const codeText = (v: unknown): string | undefined => (typeof v === 'number' && Number.isFinite(v) ? String(v) : trimmed(v));

/** The first error of an `errors` list: its code and its message, with the first `error_chain` cause appended. */
export function firstError(errors: unknown): { code?: string; message?: string } {
  const first = Array.isArray(errors) ? record(errors[0]) : undefined;
  if (!first) return {};
  const chained = Array.isArray(first.error_chain) ? trimmed(record(first.error_chain[0])?.message) : undefined;
  const message = trimmed(first.message);
  const code = codeText(first.code);
  return {
    ...(code !== undefined ? { code } : {}),
    ...(message !== undefined ? { message: chained ? `${message}: ${chained}` : message } : {}),
  };
}

// Envelope codes with a known meaning. Sources: 10000 "Authentication error" (hieunc229/mailflare#1 and the docs'
// 403 example); 6003/6111 malformed Authorization header (jeessy2/ddns-go#916); 9106 missing auth headers and
// 9109 invalid access token (wrangler packages/workers-auth factory.ts handles 9106; 9109 is common in the wild);
// 7000/7003 no route / "perhaps your object identifier is invalid" (api-schemas common.yaml example);
// 971 the 1,200-requests-per-5-minutes limit (message quoted in lablabs/cloudflare-exporter#74 and lfaoro/flares#24,
// code UNCONFIRMED).
const CODE_CATEGORIES: ReadonlyMap<string, ErrorCategory> = new Map([
  ['10000', 'auth'],
  ['6003', 'auth'],
  ['6111', 'auth'],
  ['9106', 'auth'],
  ['9109', 'auth'],
  ['7000', 'not-found'],
  ['7003', 'not-found'],
  ['971', 'rate-limit'],
]);

/** Category of a `success:false` envelope that came with HTTP 200: from its error codes, else unknown (not retried). */
export function categoryFromCodes(errors: unknown): ErrorCategory {
  if (!Array.isArray(errors)) return 'unknown';
  for (const item of errors.slice(0, 5)) {
    const found = CODE_CATEGORIES.get(codeText(record(item)?.code) ?? '');
    if (found) return found;
  }
  return 'unknown';
}

function failure(facts: FailureFacts): CloudtopError {
  return new CloudtopError({ ...facts, message: describeFailure(facts) });
}

/** A 200 whose envelope says `success:false` (the SDK does not throw on it). */
export function envelopeFailure(errors: unknown, operation: string): CloudtopError {
  const { code, message } = firstError(errors);
  const cloudMessage = cleanCloudMessage(message);
  return failure({
    category: categoryFromCodes(errors),
    cloud: 'cloudflare',
    operation,
    ...(code !== undefined ? { code } : {}),
    ...(cloudMessage !== undefined ? { cloudMessage } : {}),
  });
}

/** GraphQL message → category and wait, per the status table of analytics/graphql-api/errors.mdx. */
export function graphqlCategory(message: string): { category: ErrorCategory; retryAfterMs?: number } {
  if (/rate limiter budget depleted/i.test(message)) {
    // "rate limiter budget depleted, try again after 5 minutes" (429)
    const minutes = /after (\d+) minutes?/i.exec(message);
    return { category: 'rate-limit', ...(minutes ? { retryAfterMs: Number(minutes[1]) * 60_000 } : {}) };
  }
  // "too many queries in progress, please try again later" (503): a concurrency limit, gone after a short backoff.
  if (/too many queries in progress/i.test(message)) return { category: 'rate-limit' };
  if (/not authorized|does not have access/i.test(message)) return { category: 'permission' };
  if (/^unauthori[sz]ed|authentication/i.test(message)) return { category: 'auth' };
  if (
    /cannot request data older|unknown (field|argument|type)|error parsing|parsing error|syntax error|cannot query field/i.test(message)
  ) {
    return { category: 'config' };
  }
  if (/internal server error|temporar/i.test(message)) return { category: 'network' };
  return { category: 'unknown' };
}

/** A GraphQL answer with a non-empty `errors` list (typically HTTP 200 with `data: null`). */
export function graphqlFailure(errors: unknown, operation: string): CloudtopError {
  const { message } = firstError(errors);
  const { category, retryAfterMs } = graphqlCategory(message ?? '');
  const cloudMessage = cleanCloudMessage(message);
  return failure({
    category,
    cloud: 'cloudflare',
    operation,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(cloudMessage !== undefined ? { cloudMessage } : {}),
  });
}

/** A 2xx body Cloudtop cannot read as the expected shape (not JSON, or no result where one is required). */
export function unreadable(operation: string, what: string): CloudtopError {
  return new CloudtopError({
    category: 'unknown',
    cloud: 'cloudflare',
    operation,
    message: `Cloudflare answered ${operation} without ${what}; Cloudtop cannot read this response. If this persists, check cloudtop.cloudflare.endpoint.`,
  });
}
