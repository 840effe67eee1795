// The OAuth token `wrangler login` saved, so a developer already logged in to wrangler needs no second step.
// Where wrangler keeps it (cloudflare/workers-sdk packages/workers-utils/src/global-wrangler-config-path.ts and
// xdg-app-paths.ts, packages/workers-auth/src/credential-store/file-store.ts): `<config>/config/default.toml`,
// where <config> is `~/.wrangler` when that directory exists (the legacy location), else the XDG config directory
// + `.wrangler`: `$XDG_CONFIG_HOME` or `~/.config` on Linux, `~/Library/Preferences` on macOS,
// `%APPDATA%\xdg.config` on Windows. The file is TOML with `oauth_token`, `refresh_token`, `expiration_time`
// (ISO 8601) and `scopes` (workers-auth config-file/auth.ts). Wrangler treats the token as expired when now ≥
// expiration_time, and a token without expiration_time as expired (workers-auth state.ts, flow.ts); Cloudtop does
// the same with a minute's margin and never refreshes it (that is wrangler's job), so an expired login reads as
// "not configured". The deprecated wrangler-v1 `api_token` field is ignored, as wrangler ignores it; keyring and
// encrypted stores are not read. CLOUDFLARE_ACCOUNT_ID, which wrangler honours too, is passed along.
// Tiny and SDK-free: the catalogue imports it eagerly. A missing file is no login; one that is there but not a small
// regular file is a `config` error naming it (core/credentials/config-files.ts readSmallFile).
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readSmallFile, tomlTopLevel } from '../../core/credentials/config-files';
import type { Credentials } from '../../core/engine/provider';

/** A token this close to its expiry would die in the middle of a refresh. */
const EXPIRY_MARGIN_MS = 60_000;

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Wrangler's auth file for this environment, resolved as wrangler resolves it. Only the passed env is read. */
export async function wranglerAuthFile(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): Promise<string | undefined> {
  const home = (platform === 'win32' ? env.USERPROFILE || env.HOME : env.HOME || env.USERPROFILE)?.trim();
  const legacy = home ? join(home, '.wrangler') : undefined;
  if (legacy && (await isDirectory(legacy))) return join(legacy, 'config', 'default.toml');
  let base = env.XDG_CONFIG_HOME?.trim() || undefined;
  if (!base && home) {
    if (platform === 'darwin') base = join(home, 'Library', 'Preferences');
    else if (platform === 'win32') base = join(env.APPDATA?.trim() || join(home, 'AppData', 'Roaming'), 'xdg.config');
    else base = join(home, '.config');
  }
  return base ? join(base, '.wrangler', 'config', 'default.toml') : undefined;
}

/** The token in a wrangler auth file's text, when it is present and not (about to be) expired at `now`. */
export function tokenFromWranglerToml(text: string, now: number): string | undefined {
  const token = tomlTopLevel(text, 'oauth_token')?.trim();
  if (!token) return undefined;
  const expires = Date.parse(tomlTopLevel(text, 'expiration_time') ?? '');
  if (!Number.isFinite(expires) || now + EXPIRY_MARGIN_MS >= expires) return undefined;
  return token;
}

export async function readWranglerTokenAt(
  env: NodeJS.ProcessEnv,
  now: number,
  platform: NodeJS.Platform = process.platform,
): Promise<Credentials | undefined> {
  const file = await wranglerAuthFile(env, platform);
  const text = file ? await readSmallFile(file, { cloud: 'cloudflare', what: "Wrangler's config file" }) : undefined;
  const apiToken = text === undefined ? undefined : tokenFromWranglerToml(text, now);
  if (!apiToken) return undefined;
  const accountId = env.CLOUDFLARE_ACCOUNT_ID?.trim();
  return accountId ? { apiToken, accountId } : { apiToken };
}

export function readWranglerToken(env: NodeJS.ProcessEnv): Promise<Credentials | undefined> {
  return readWranglerTokenAt(env, Date.now());
}
