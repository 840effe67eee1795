// The CLI's config file, `$XDG_CONFIG_HOME/cloudtop/config.json` (default `~/.config/cloudtop/config.json`):
//
//   { "credentials": { "vastai": { "apiKey": "…" } },        stored keys (`cloudtop login`), one object per cloud
//     "endpoints":   { "vastai": "https://proxy.example" },  base URL overrides (CLOUDTOP_<CLOUD>_ENDPOINT wins)
//     "clouds":      { "runpod": { "enabled": false },        skip a cloud under --all
//                      "oci": { "rateLimit": { "perSecond": 10, "burst": 20 } } } }   a budget of its own, as the
//                                                             setting cloudtop.rateLimit.<cloud> gives VS Code
//
// It holds secrets, so it is written owner-only (file 0600, directory 0700) and atomically (a temp file renamed
// over it: a crash mid-write never leaves half a file), and a warning goes to stderr when others can read it.
// It is validated strictly: a typo is an error (exit 2) rather than a setting silently ignored. No message
// ever quotes the file's content, which may be a key.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { isCloudId, type CloudId } from '../core/model/model';
import type { Credentials } from '../core/engine/provider';
import type { Catalogue } from '../core/engine/registry';
import { CLOUD_SCOPES } from '../core/model/scope';
import { resolveRateLimit, type RateLimitConfig } from '../core/transport/rate-budget';
import { ConfigError } from './errors';

export interface CliConfig {
  readonly credentials: Readonly<Partial<Record<CloudId, Credentials>>>;
  readonly endpoints: Readonly<Partial<Record<CloudId, string>>>;
  readonly clouds: Readonly<Partial<Record<CloudId, CloudSection>>>;
}

/** `clouds.<cloud>`: whether `--all` shows it, and which of its scopes (the config file names them as the setting does). */
export interface CloudSection {
  readonly enabled?: boolean;
  /** From `clouds.<cloud>.<accounts | organizations | subscriptions | projects | regions>`. */
  readonly scopes?: readonly string[];
  /** `clouds.<cloud>.rateLimit`: `{ perSecond, burst, maxWaitMs }` or `{ windows }`, over the cloud's default budget. */
  readonly rateLimit?: Partial<RateLimitConfig>;
}

export const EMPTY_CONFIG: CliConfig = { credentials: {}, endpoints: {}, clouds: {} };

/** `$XDG_CONFIG_HOME/cloudtop/config.json`, else `~/.config/cloudtop/config.json` (a relative XDG path is ignored, per the spec). */
export function configPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.config'), 'cloudtop', 'config.json');
}

export interface LoadedConfig {
  readonly config: CliConfig;
  /** Problems worth a line on stderr that do not stop the run (a group- or world-readable file). */
  readonly warnings: readonly string[];
}

/** Reads and validates the file; a missing file is an empty config. Throws ConfigError for anything else wrong. */
export async function readConfig(path: string, catalogue: Catalogue): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { config: EMPTY_CONFIG, warnings: [] };
    throw new ConfigError(
      `cannot read ${path}: ${code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (code ?? 'unknown error')}`,
    );
  }
  const warnings: string[] = [];
  const mode = (await stat(path)).mode;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    warnings.push(`${path} holds credentials and is readable by other users (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${path}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    // V8's message may quote the text around the error, and the text may be a key: keep only the position.
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    throw new ConfigError(`${path} is not valid JSON${position ? ` (at position ${position})` : ''}`);
  }
  return { config: validateConfig(raw, catalogue, path), warnings };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function validateConfig(raw: unknown, catalogue: Catalogue, path = 'config'): CliConfig {
  const fail = (where: string, problem: string): never => {
    throw new ConfigError(`${path}: ${where} ${problem}`);
  };
  if (!isObject(raw)) return fail('the file', 'must hold a JSON object');
  for (const key of Object.keys(raw)) {
    if (!['credentials', 'endpoints', 'clouds'].includes(key)) fail(`"${key}"`, 'is not a known section (credentials, endpoints, clouds)');
  }
  const section = (name: string): Record<string, unknown> => {
    const value = raw[name] ?? {};
    if (!isObject(value)) fail(`"${name}"`, 'must be an object keyed by cloud id');
    for (const cloud of Object.keys(value)) if (!isCloudId(cloud)) fail(`${name}.${cloud}`, 'is not a cloud id');
    return value as Record<string, unknown>;
  };

  const credentials: Partial<Record<CloudId, Credentials>> = {};
  for (const [cloud, value] of Object.entries(section('credentials')) as [CloudId, unknown][]) {
    if (!isObject(value)) fail(`credentials.${cloud}`, 'must be an object of fields, e.g. { "apiKey": "…" }');
    const fields = catalogue[cloud]?.credentialFields.map((f) => f.key);
    for (const [field, v] of Object.entries(value as object)) {
      if (fields && !fields.includes(field))
        fail(`credentials.${cloud}.${field}`, `is not a field of ${cloud} (fields: ${fields.join(', ')})`);
      if (typeof v !== 'string') fail(`credentials.${cloud}.${field}`, 'must be a string');
    }
    credentials[cloud] = value as Credentials;
  }

  const endpoints: Partial<Record<CloudId, string>> = {};
  for (const [cloud, value] of Object.entries(section('endpoints')) as [CloudId, unknown][]) {
    const problem = typeof value === 'string' ? endpointProblem(value) : 'must be a URL string';
    if (problem) fail(`endpoints.${cloud}`, problem);
    endpoints[cloud] = (value as string).trim();
  }

  const clouds: Partial<Record<CloudId, CloudSection>> = {};
  for (const [cloud, value] of Object.entries(section('clouds')) as [CloudId, unknown][]) {
    if (!isObject(value)) fail(`clouds.${cloud}`, 'must be an object, e.g. { "enabled": false }');
    const scopeKey = CLOUD_SCOPES[cloud]?.setting;
    const known = ['enabled', 'rateLimit', ...(scopeKey ? [scopeKey] : [])];
    const parsed: { enabled?: boolean; scopes?: string[]; rateLimit?: Partial<RateLimitConfig> } = {};
    for (const [key, v] of Object.entries(value as object)) {
      if (!known.includes(key)) fail(`clouds.${cloud}.${key}`, `is not a known setting (${known.join(', ')})`);
      if (key === 'enabled') {
        if (typeof v !== 'boolean') fail(`clouds.${cloud}.enabled`, 'must be true or false');
        parsed.enabled = v as boolean;
      } else if (key === 'rateLimit') {
        if (!isObject(v)) fail(`clouds.${cloud}.rateLimit`, 'must be an object, e.g. { "perSecond": 10, "burst": 20 }');
        try {
          resolveRateLimit(v as Partial<RateLimitConfig>); // the limiter's own check: a bad budget is an error here, not later
        } catch (error) {
          fail(`clouds.${cloud}.rateLimit`, error instanceof Error ? error.message : 'is not a rate limit');
        }
        parsed.rateLimit = v as Partial<RateLimitConfig>;
      } else {
        if (!Array.isArray(v) || !v.every((id) => typeof id === 'string'))
          fail(`clouds.${cloud}.${key}`, `must be a list of ids, or ["all"]`);
        parsed.scopes = (v as string[]).map((id) => id.trim()).filter(Boolean);
      }
    }
    clouds[cloud] = parsed;
  }
  return { credentials, endpoints, clouds };
}

/** Why a base URL is unusable, or undefined when it is fine. Never quotes the URL (it may carry a password). */
export function endpointProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return 'is not a valid URL (e.g. https://proxy.example.com)';
  }
  return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : 'must be an http:// or https:// URL';
}

/** Writes the whole file atomically with mode 0600 in a 0700 directory. */
export async function writeConfig(path: string, config: CliConfig): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // The directory is Cloudtop's own and holds secrets: owner-only even if it existed with a wider mode.
  await chmod(dir, 0o700);
  const temp = join(dir, `.config.json.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    // 'wx': never follow or reuse an existing file; 0600 from the first byte, not chmod'ed afterwards.
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(config, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new ConfigError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`);
  }
}
