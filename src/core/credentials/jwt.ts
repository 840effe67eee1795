// The claims of a JSON Web Token, read without verifying it: a front end's sign-in (VS Code's Microsoft account)
// hands over a bare access token, and Cloudtop needs only to know when it expires and for which tenant it is.
// The cloud verifies the token; nothing here trusts a claim for anything but those two readings.

/** The payload of a JWT, or undefined when the token is not one (an opaque token). */
export function jwtClaims(token: string): Readonly<Record<string, unknown>> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === '') return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** When the token expires (epoch ms, from `exp`), or undefined when it does not say. */
export function jwtExpiresAt(token: string): number | undefined {
  const exp = jwtClaims(token)?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
}
