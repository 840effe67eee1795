// The login neonctl saved, so a user who ran `neon auth` needs no second step. neonctl keeps its OAuth token set in
// `$XDG_CONFIG_HOME/neonctl/credentials.json` (default `~/.config/neonctl/`; neondatabase/neonctl src/config.ts,
// src/commands/auth.ts), written as the token endpoint's answer plus `expires_at` and `user_id`. neonctl sends its
// `access_token` as the API key (`Authorization: Bearer`). Since openid-client 6 (neonctl, October 2025) `expires_at`
// is in milliseconds; before, openid-client 5's TokenSet wrote seconds. Both are read. An expired token is ignored:
// only neonctl can refresh it (it holds the OAuth client), and Cloudtop never writes neonctl's file. A token set
// without `expires_at` is used, as openid-client 5 did; a 401 then says to log in again.
// A missing or unparseable file means "no key here"; one that is there but unreadable, not a small regular file, is
// a `config` error naming it (core/credentials/config-files.ts readSmallFile).
import { join } from 'node:path';
import { readSmallFile } from '../../core/credentials/config-files';
import type { Credentials } from '../../core/engine/provider';

/** A token this close to expiry would fail during the refresh that uses it. */
const EXPIRY_MARGIN_MS = 30_000;
/** `expires_at` below this is in seconds: as seconds it reaches the year 5138, as milliseconds only 1973. */
const SECONDS_BELOW = 1e11;

/** neonctl's credentials file for this environment (neonctl: `XDG_CONFIG_HOME || ~/.config`, then `neonctl`). */
export function neonctlCredentialsPath(env: NodeJS.ProcessEnv): string | undefined {
  const home = env.HOME?.trim() || env.USERPROFILE?.trim();
  const configHome = env.XDG_CONFIG_HOME?.trim() || (home ? join(home, '.config') : undefined);
  return configHome ? join(configHome, 'neonctl', 'credentials.json') : undefined;
}

/** The access token of a neonctl token set, unless it is missing or expired at `now`. */
export function neonctlAccessToken(text: string, now: number): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const { access_token: token, expires_at: expiresAt } = parsed as Record<string, unknown>;
  if (typeof token !== 'string' || token.trim() === '') return undefined;
  if (typeof expiresAt === 'number' && Number.isFinite(expiresAt)) {
    const expiresMs = expiresAt < SECONDS_BELOW ? expiresAt * 1000 : expiresAt;
    if (expiresMs - EXPIRY_MARGIN_MS <= now) return undefined;
  }
  return token.trim();
}

export async function readNeonctlKey(env: NodeJS.ProcessEnv): Promise<Credentials | undefined> {
  const path = neonctlCredentialsPath(env);
  if (!path) return undefined;
  const text = await readSmallFile(path, { cloud: 'neon', what: "neonctl's credentials file" });
  const apiKey = text === undefined ? undefined : neonctlAccessToken(text, Date.now());
  return apiKey ? { apiKey } : undefined;
}
