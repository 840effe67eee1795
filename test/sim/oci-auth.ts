// OCI request signing, checked the way OCI checks it: an HTTP signature (draft-cavage, with OCI's `version="1"` prefix)
// over the headers the SDK signs — `x-date (request-target) host` for every request, plus `content-type content-length
// x-content-sha256` for POST/PUT/PATCH (oci-common lib/signer.js) — made with the private key of the API key whose
// keyId is `<tenancy>/<user>/<fingerprint>` (oci-common lib/auth/auth.js getKeyId). A missing, malformed or wrong
// signature is 401 NotAuthenticated, as OCI answers. The clock skew check OCI also makes (x-date within 5 minutes) is
// left out: the sim's answers must not depend on the clock.
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { SIM_EPOCH } from './seed';
import type { AuthResult, SimRequest, SimResponse, SimState } from './types';

export interface OciCredentials {
  readonly tenancy: string;
  readonly user: string;
  /** MD5 of the DER public key as colon-separated hex, as the OCI console shows it. */
  readonly fingerprint: string;
  /** PKCS#8 PEM, for SimpleAuthenticationDetailsProvider (a test key, generated per process, never a real one). */
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
  /** `${tenancy}/${user}/${fingerprint}` */
  readonly keyId: string;
}

export interface OciAuthState extends SimState {
  /** keyId → public key PEM of every API key the tenancy knows; `keys` lists the keyIds allowed everything. */
  publicKeys: Record<string, string>;
  /**
   * Session tokens Oracle has issued and not yet expired (`oci session authenticate` / `oci session refresh`), each with
   * the public half of the session key it was issued for: a request signed with keyId `ST$<token>` (oci-common lib/auth/
   * session-auth-details-provider.js getKeyId) and that key passes. An expired token is removed: 401 NotAuthenticated.
   */
  sessionTokens?: Record<string, string>;
}

let cached: OciCredentials | undefined;

/** A fresh RSA key pair (generated once per process: 2048-bit generation costs ~100 ms). */
export function ociTestCredentials(): OciCredentials {
  if (cached) return cached;
  cached = makeOciCredentials(
    'ocid1.tenancy.oc1..aaaaaaaasimulatedtenancy0000000000000000000000000000000000',
    'ocid1.user.oc1..aaaaaaaasimulateduser000000000000000000000000000000000000000',
  );
  return cached;
}

export function makeOciCredentials(tenancy: string, user: string): OciCredentials {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const der = createPublicKey(publicKey).export({ type: 'spki', format: 'der' });
  const fingerprint = createHash('md5').update(der).digest('hex').match(/../g)!.join(':');
  return { tenancy, user, fingerprint, privateKeyPem: privateKey, publicKeyPem: publicKey, keyId: `${tenancy}/${user}/${fingerprint}` };
}

let sessions = 0;

/**
 * A session token as Oracle issues one: a JWT (RFC 7519) whose claims name the user, the tenancy and an expiry, and
 * carry the session's public key (`jwk`), for that session key alone. Its signature is Oracle's: the sim, the issuer,
 * recognises its tokens by keeping them in `sessionTokens` rather than by checking it.
 */
export function makeOciSessionToken(creds: Pick<OciCredentials, 'tenancy' | 'user' | 'publicKeyPem'>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const jwk = createPublicKey(creds.publicKeyPem).export({ format: 'jwk' });
  const issued = Math.floor(SIM_EPOCH / 1000) + ++sessions;
  const claims = {
    sub: creds.user,
    tenant: creds.tenancy,
    iat: issued,
    exp: issued + 3600,
    jti: `sim-${sessions}`,
    jwk: JSON.stringify(jwk),
  };
  return [
    part({ kid: 'asw', alg: 'RS256', typ: 'JWT' }),
    part(claims),
    Buffer.from(`sim-signature-${sessions}`).toString('base64url'),
  ].join('.');
}

/** Parses `Signature version="1",keyId="…",algorithm="rsa-sha256",headers="…",signature="…"`. */
export function parseSignature(header: string | undefined): Record<string, string> | undefined {
  const m = header ? /^Signature\s+(.*)$/i.exec(header.trim()) : null;
  if (!m) return undefined;
  const fields: Record<string, string> = {};
  for (const part of m[1].matchAll(/([A-Za-z]+)="([^"]*)"/g)) fields[part[1]] = part[2];
  return fields;
}

const BODY_HEADERS = ['content-type', 'content-length', 'x-content-sha256'];

/** Why a request's signature does not hold, or undefined when it does (then `keyId` is who signed). */
export function signatureProblem(req: SimRequest<OciAuthState>, requestTarget: string): { why: string } | { keyId: string } {
  const sig = parseSignature(typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined);
  if (!sig) return { why: 'missing or malformed authorization header' };
  if (sig.algorithm !== 'rsa-sha256' || !sig.keyId || !sig.signature || !sig.headers) return { why: 'incomplete signature' };
  const publicKey = sig.keyId.startsWith('ST$') ? req.state.sessionTokens?.[sig.keyId.slice(3)] : req.state.publicKeys[sig.keyId];
  if (!publicKey) return { why: 'unknown keyId' };
  const signed = sig.headers.toLowerCase().split(/\s+/);
  const needed = ['(request-target)', 'host', ...(['POST', 'PUT', 'PATCH'].includes(req.method) ? BODY_HEADERS : [])];
  if (!needed.every((h) => signed.includes(h)) || !(signed.includes('x-date') || signed.includes('date')))
    return { why: 'required headers not signed' };
  if (signed.includes('x-content-sha256')) {
    const digest = createHash('sha256').update(req.rawBody, 'utf8').digest('base64');
    if (req.headers['x-content-sha256'] !== digest) return { why: 'x-content-sha256 does not match the body' };
  }
  const lines: string[] = [];
  for (const name of signed) {
    if (name === '(request-target)') lines.push(`(request-target): ${req.method.toLowerCase()} ${requestTarget}`);
    else {
      const value = req.headers[name];
      if (typeof value !== 'string') return { why: `signed header ${name} missing` };
      lines.push(`${name}: ${value}`);
    }
  }
  let ok = false;
  try {
    ok = verify('RSA-SHA256', Buffer.from(lines.join('\n')), publicKey, Buffer.from(sig.signature, 'base64'));
  } catch {
    ok = false;
  }
  return ok ? { keyId: sig.keyId } : { why: 'signature does not verify' };
}

/**
 * The sim's auth hook: a verified keyId in `keys` passes; one in `forbiddenKeys` authenticates but gets OCI's
 * authorization answer, 404 NotAuthorizedOrNotFound (OCI does not tell "forbidden" from "absent").
 */
export function ociSignatureAuth<S extends OciAuthState>(
  requestTarget: (req: SimRequest<S>) => string,
  error: (req: SimRequest<S>, status: number, message?: string) => SimResponse,
): (req: SimRequest<S>) => AuthResult {
  return (req) => {
    const result = signatureProblem(req, requestTarget(req));
    if ('why' in result) return { ok: false, response: error(req, 401) };
    if (result.keyId.startsWith('ST$')) return { ok: true, credential: 'session token' };
    if (req.state.keys.includes(result.keyId)) return { ok: true, credential: result.keyId };
    return { ok: false, response: error(req, req.state.forbiddenKeys?.includes(result.keyId) ? 404 : 401) };
  };
}
