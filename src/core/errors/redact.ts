// The one place that keeps secrets out of messages, log lines and errors. Two layers, because either alone
// leaks: the registry catches a known secret wherever it shows up (even echoed back bare in a cloud's error
// body), and the patterns catch credentials Cloudtop never saw (a token in a proxy's error page, a password
// in a URL a user typed).

export const REDACTED = '[REDACTED]';

/** Values shorter than this are too likely to collide with ordinary text to redact safely. */
const MIN_SECRET_LENGTH = 4;
/**
 * The registry's bound. Secrets are registered once per credential (a key, a password, a token a cloud issued,
 * renewed hourly at most), never per request: a per-request value (OCI's signature) is redacted by its shape below.
 * Should something register per request all the same, the oldest entries go first (an old token has expired), so
 * memory and the matcher stay bounded over a day of refreshes.
 */
export const MAX_SECRETS = 1024;

/** Registered secrets in registration order (a Set keeps it), so the oldest is the first to go past the bound. */
const secrets = new Set<string>();
/**
 * One regular expression over every secret's encoded forms, longest first (a secret inside another goes second).
 * Built on use, and only after the registry changed: registering is a Set insert, so a burst of registrations
 * costs one build at the next redaction, not a full rebuild and sort each (issue 25: 40,000 a day did).
 */
let matcher: RegExp | undefined;
let stale = false;

function encodedForms(value: string): string[] {
  const forms = [value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)];
  // A secret inside a JSON document (a service-account key, an echoed request body) appears escaped.
  forms.push(JSON.stringify(value).slice(1, -1));
  return forms;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function currentMatcher(): RegExp | undefined {
  if (stale) {
    const all = new Set<string>();
    for (const secret of secrets) for (const form of encodedForms(secret)) all.add(form);
    const needles = [...all].sort((a, b) => b.length - a.length);
    matcher = needles.length > 0 ? new RegExp(needles.map(escapeRegExp).join('|'), 'g') : undefined;
    stale = false;
  }
  return matcher;
}

export function registerSecret(value: string): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || secrets.has(value)) return;
  secrets.add(value);
  if (secrets.size > MAX_SECRETS) secrets.delete(secrets.values().next().value as string);
  stale = true;
}

/** How many secrets the registry holds (tests and the soak: it must not grow per request). */
export function secretCountForTests(): number {
  return secrets.size;
}

export function clearSecretsForTests(): void {
  secrets.clear();
  matcher = undefined;
  stale = false;
}

// Header names whose value is a credential. Matched in "Name: value" text (logs, dumped requests).
const SECRET_HEADERS =
  'authorization|proxy-authorization|x-auth-key|x-auth-user-service-key|x-api-key|api-key|' + 'ocp-apim-subscription-key|cookie|set-cookie';
// Query and form parameter names whose value is a credential.
const SECRET_PARAMS =
  'api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|id[_-]?token|token|key|secret|client[_-]?secret|' +
  'password|passwd|pwd|sig|signature|auth';
// JSON field names whose string value is a credential.
const SECRET_FIELDS =
  'authorization|x-auth-key|x-api-key|api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|id[_-]?token|' +
  'token|secret|client[_-]?secret|password|passwd|private[_-]?key|privatekey|pass[_-]?phrase';

const PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  // PEM private keys, also JSON-escaped ones and blocks cut off before their END line by truncation.
  [/-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?(?:-----END ([A-Z0-9]+ )*PRIVATE KEY-----|$)/g, REDACTED],
  // "authorization": "…" and friends inside JSON.
  [new RegExp(`("(?:${SECRET_FIELDS})"\\s*:\\s*")(?:[^"\\\\]|\\\\.)*(")`, 'gi'), `$1${REDACTED}$2`],
  // Header lines: the whole value, whatever its scheme (Bearer, Basic, OCI's multi-part Signature …).
  [new RegExp(`(^|[\\s"'{,(])((?:${SECRET_HEADERS})\\s*:\\s*)(?:signature\\s[^\\r\\n]*|[^\\r\\n"]*)`, 'gim'), `$1$2${REDACTED}`],
  // A per-request HTTP signature by its shape, wherever it shows up without its header name: OCI's
  // `Signature version="1",keyId="…",algorithm="rsa-sha256",headers="…",signature="…"`
  // (https://docs.oracle.com/en-us/iaas/Content/API/Concepts/signingrequests.htm, after
  // https://datatracker.ietf.org/doc/html/draft-cavage-http-signatures). It is never registered: each request has its own.
  [/\b(signature)(\s+)[a-z][a-z0-9-]*\s*=\s*"[^"]*"(?:\s*,\s*[a-z][a-z0-9-]*\s*=\s*"[^"]*")*/gi, `$1$2${REDACTED}`],
  // A bare scheme and token anywhere else ("bearer abc" in a sentence). "Basic" is an ordinary word, so only
  // a base64-looking run after it counts.
  // Ordinary words after "bearer" ("missing bearer token", "invalid bearer token") are prose, not a credential.
  [/\b(bearer)(\s+)(?!(?:token|tokens|auth|authentication|header|credentials?|scheme)\b)[A-Za-z0-9\-._~+/]+=*/gi, `$1$2${REDACTED}`],
  [/\b(basic)(\s+)(?=[A-Za-z0-9+/]*(?:[0-9+/=]|[a-z][A-Z]))[A-Za-z0-9+/]{8,}={0,2}/gi, `$1$2${REDACTED}`],
  // ?api_key=…, &token=…, key=… in URLs, form bodies and log text; quoted values too (OCI's signature="…").
  [new RegExp(`(^|[?&;\\s"'(,])((?:${SECRET_PARAMS})=)(?:"[^"]*"|'[^']*'|(?!\\[REDACTED\\])[^&#\\s"',;)]*)`, 'gi'), `$1$2${REDACTED}`],
  // scheme://user:password@host — keep the user and host, they help diagnose which account was used.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)[^@/?#\s]+(@)/gi, `$1${REDACTED}$2`],
];

/** Replaces every registered secret and every credential-looking fragment with `[REDACTED]`. */
export function redact(text: string): string {
  let out = String(text);
  const known = currentMatcher();
  if (known) out = out.replace(known, REDACTED);
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

// Fields worth logging from non-Error throwables (OCI's network failures are plain objects). Everything
// else is left out on purpose: SDK errors often carry the request, headers included.
const SAFE_FIELDS = ['name', 'code', 'status', 'statusCode', 'serviceCode', 'message'] as const;

function describe(value: unknown, depth: number): string {
  if (value instanceof Error) {
    const raw = (value as { code?: unknown }).code;
    const code = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : undefined;
    const head = value.stack ?? `${value.name}: ${value.message}`;
    let text = code !== undefined && !head.includes(code) ? `${head} [code ${code}]` : head;
    if (value.cause !== undefined && depth < 4) text += `\n  caused by: ${describe(value.cause, depth + 1)}`;
    return text;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const parts = SAFE_FIELDS.filter((key) => ['string', 'number'].includes(typeof record[key])).map(
      (key) => `${key}=${record[key] as string | number}`,
    );
    return parts.length > 0 ? `{${parts.join(', ')}}` : '[object]';
  }
  return String(value);
}

/** A log-ready description of anything thrown: stack, code and cause chain, redacted. */
export function redactError(error: unknown): string {
  return redact(describe(error, 0));
}
