// What every transport (core/transport/http.ts's undici client, core/transport/transport.ts's fetch for SDKs) does the same way with an
// answer: the origin guard, the size cap's error, secrets in headers, and a failed answer → CloudtopError through
// the cloud's error hook. One copy, so both paths classify, word and redact alike.
import { CLOUD_NAMES, type CloudId } from '../model/model';
import {
  CloudtopError,
  RESPONSE_TOO_LARGE,
  cleanCloudMessage,
  retryAfterFromHeaders,
  toCloudtopError,
  type CloudErrorHook,
} from '../errors/errors';
import { registerSecret } from '../errors/redact';

/** Enough of an error body for its message; the rest is not read. */
export const ERROR_BODY_BYTES = 64 * 1024;
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-auth-key',
  'x-auth-user-service-key',
  'x-api-key',
  'api-key',
  'cookie',
]);

/**
 * A value made afresh for each request: OCI's `Authorization: Signature version="1",keyId=…,signature="…"`
 * (src/providers/oci/http-client.ts signs every request). Registering it would grow the registry by one secret per
 * request for as long as the process runs (issue 25); src/core/errors/redact.ts redacts it by its shape instead.
 */
const PER_REQUEST = /^signature\s/i;

/**
 * Credentials in headers join the redaction registry, so a server echoing one back cannot leak it. A credential's
 * value is the same on every request (a key, a token until it is renewed), so the registry holds it once.
 */
export function registerHeaderSecrets(headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (!SECRET_HEADERS.has(name.toLowerCase()) || PER_REQUEST.test(value)) continue;
    registerSecret(value);
    const token = /^\S+\s+(\S+)$/.exec(value)?.[1];
    if (token) registerSecret(token);
  }
}

/** Requests carry credentials: a URL outside the allowed origins (a link in a response) is refused, not sent. */
export function refusedOrigin(cloud: CloudId, url: URL, allowed: readonly string[], operation: string): CloudtopError | undefined {
  if (allowed.includes(url.origin)) return undefined;
  return new CloudtopError({
    category: 'config',
    cloud,
    code: 'ERR_INVALID_URL',
    operation,
    message: `Refused to send credentials to ${url.origin}, which is not ${allowed.join(' or ')}.`,
  });
}

function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
}

export function tooLarge(cloud: CloudId, maxBytes: number, operation: string): CloudtopError {
  return new CloudtopError({
    category: 'unknown',
    cloud,
    code: RESPONSE_TOO_LARGE,
    operation,
    message: `${CLOUD_NAMES[cloud]} sent a response larger than ${sizeText(maxBytes)} for ${operation}; Cloudtop stopped reading it.`,
  });
}

export function tryJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

const pick = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' ? String(value) : undefined;

/** Finds the message in the envelopes our clouds use: Neon, Vast.ai, RunPod problem+json, Azure/Google, GraphQL, OAuth. */
export function defaultDescribeError(body: unknown, text: string, contentType = ''): { message?: string; code?: string } {
  if (body !== null && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const inner = asRecord(b.error);
    const listed = Array.isArray(b.errors) ? (b.errors[0] as unknown) : undefined;
    const first = asRecord(listed);
    const message =
      pick(b.message) ??
      pick(b.msg) ??
      pick(b.detail) ??
      pick(b.title) ??
      pick(inner?.message) ??
      pick(first?.message) ??
      pick(listed) ??
      // OAuth 2.0 token endpoints (RFC 6749 §5.2): {error: "invalid_grant", error_description: "…"}.
      pick(b.error_description) ??
      pick(b.error);
    // Vast.ai puts a code word in `error` beside its `msg`; Google's `error.status` beats its numeric `error.code`.
    const code =
      pick(b.code) ?? (message !== b.error ? pick(b.error) : undefined) ?? pick(inner?.status) ?? pick(inner?.code) ?? pick(first?.code);
    return { message, code };
  }
  // Vast.ai's plain-text 429 ("API requests too frequent"); an HTML error page from a proxy loses its tags.
  return { message: /html/i.test(contentType) ? text.replace(/<[^>]*>/g, ' ') : text };
}

export interface FailedAnswer {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Record<string, string>;
  /** The error body, at most ERROR_BODY_BYTES of it. */
  readonly text: string;
  readonly operation: string;
}

/** A non-2xx answer → CloudtopError: the cloud's hook reads its envelope and has the last word on the category. */
export function responseError(cloud: CloudId, answer: FailedAnswer, hook: CloudErrorHook | undefined, now: number): CloudtopError {
  const { status, headers, text, operation } = answer;
  const contentType = headers['content-type'] ?? '';
  const parsed = /json/i.test(contentType) || /^\s*[[{]/.test(text) ? tryJson(text) : undefined;
  const described = hook?.describe?.(status, parsed?.value, text) ?? defaultDescribeError(parsed?.value, text, contentType);
  return toCloudtopError(
    {
      status,
      code: described.code,
      cloudMessage: cleanCloudMessage(described.message),
      retryAfterMs: retryAfterFromHeaders(headers, now),
      operation,
    },
    cloud,
    { hook, now, response: { body: parsed?.value, headers } },
  );
}
