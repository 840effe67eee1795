// Credential checks shared by cloud modules. The accepted keys live in the cloud's state (not here), so a
// test can rotate them mid-run and the very next request sees the change.
import type { AuthResult, SimAuth, SimRequest, SimResponse, SimState } from './types';

export type AuthFailure = 'missing' | 'invalid';

export interface BearerAuthOptions<S extends SimState> {
  /** Also accept the key as this query parameter (Vast.ai's legacy CLI, RunPod's GraphQL docs: `api_key`). */
  readonly queryParam?: string;
  /** The cloud's 401 (or whatever it really sends for a missing or wrong key). */
  unauthorized(req: SimRequest<S>, why: AuthFailure): SimResponse;
  /** The cloud's 403 for a key listed in `state.forbiddenKeys`. Default: the unauthorized response. */
  forbidden?(req: SimRequest<S>): SimResponse;
}

/** Reads `Authorization: Bearer <token>` (scheme case-insensitive), else the query parameter if allowed. */
export function presentedBearer(req: SimRequest<SimState>, queryParam?: string): string | undefined {
  const header = req.headers.authorization;
  const m = typeof header === 'string' ? /^bearer\s+(.+)$/i.exec(header.trim()) : null;
  if (m) return m[1].trim();
  const fromQuery = queryParam ? req.query.get(queryParam) : null;
  return fromQuery ?? undefined;
}

export function bearerAuth<S extends SimState>(options: BearerAuthOptions<S>): SimAuth<S> {
  return (req): AuthResult => checkKey(req, presentedBearer(req, options.queryParam), options);
}

/** The decision every key-based scheme shares; custom schemes (header pairs, signatures) reuse it. */
export function checkKey<S extends SimState>(
  req: SimRequest<S>,
  key: string | undefined,
  options: Pick<BearerAuthOptions<S>, 'unauthorized' | 'forbidden'>,
): AuthResult {
  if (!key) return { ok: false, response: options.unauthorized(req, 'missing') };
  if (req.state.keys.includes(key)) return { ok: true, credential: key };
  if (req.state.forbiddenKeys?.includes(key)) {
    return { ok: false, response: (options.forbidden ?? ((r) => options.unauthorized(r, 'invalid')))(req) };
  }
  return { ok: false, response: options.unauthorized(req, 'invalid') };
}
