// Flags + config file + environment → the shared engine, configured the way the extension configures it from
// settings: which clouds, their endpoints (CLOUDTOP_<CLOUD>_ENDPOINT > config file > default), the credential
// store (the config file), the cache and the per-cloud deadline. Every configuration mistake is a ConfigError
// found here, before any cloud is called.
import type { CacheOptions } from '../core/cache/cache';
import { defaultCliCacheDir } from '../core/cache/file';
import type { CloudConfig } from '../core/engine/collector';
import { createEngine, type Engine } from '../core/engine/engine';
import type { Logger } from '../core/model/log';
import type { CloudId } from '../core/model/model';
import type { Catalogue } from '../core/engine/registry';
import type { ShowOptions } from './args';
import { endpointProblem, readConfig, type CliConfig } from './config';
import { ConfigError } from './errors';
import { ConfigCredentialStore } from './store';

export interface CliEngine {
  readonly engine: Engine;
  /** The clouds this run shows, in catalogue order (or the order given to --provider). */
  readonly clouds: readonly CloudId[];
  readonly warnings: readonly string[];
}

export interface EngineDeps {
  readonly catalogue: Catalogue;
  readonly env: NodeJS.ProcessEnv;
  readonly configPath: string;
  readonly log: Logger;
}

export function endpointEnvVar(cloud: CloudId): string {
  return `CLOUDTOP_${cloud.toUpperCase()}_ENDPOINT`;
}

/** The endpoint override for a cloud, or undefined for the catalogue default. */
export function endpointFor(cloud: CloudId, config: CliConfig, env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = env[endpointEnvVar(cloud)]?.trim();
  if (fromEnv) {
    const problem = endpointProblem(fromEnv);
    if (problem) throw new ConfigError(`${endpointEnvVar(cloud)} ${problem}`);
    return fromEnv;
  }
  return config.endpoints[cloud];
}

/** --provider names clouds explicitly (and so overrides `enabled: false`); --all takes every cloud not disabled. */
export function selectClouds(options: ShowOptions, config: CliConfig, catalogue: Catalogue): CloudId[] {
  if (options.clouds) return [...options.clouds];
  return (Object.keys(catalogue) as CloudId[]).filter((cloud) => config.clouds[cloud]?.enabled !== false);
}

export function cacheOptions(options: ShowOptions, env: NodeJS.ProcessEnv, log: Logger): CacheOptions {
  if (options.cache !== 'redis') return { backend: options.cache, dir: defaultCliCacheDir(env), log };
  const redisUrl = options.redisUrl ?? env.CLOUDTOP_REDIS_URL?.trim();
  if (!redisUrl) throw new ConfigError('--cache redis needs --redis-url or CLOUDTOP_REDIS_URL (redis://host:6379)');
  let protocol: string;
  try {
    protocol = new URL(redisUrl).protocol;
  } catch {
    protocol = '';
  }
  // Never quote the URL: it may carry the Redis password.
  if (protocol !== 'redis:' && protocol !== 'rediss:') throw new ConfigError('the Redis URL must start with redis:// or rediss://');
  return { backend: 'redis', redisUrl, log };
}

export async function buildEngine(options: ShowOptions, deps: EngineDeps): Promise<CliEngine> {
  const { catalogue, env, log } = deps;
  const { config, warnings } = await readConfig(deps.configPath, catalogue);
  const clouds = selectClouds(options, config, catalogue);
  const configs = new Map<CloudId, CloudConfig>();
  for (const cloud of Object.keys(catalogue) as CloudId[]) {
    const endpoint = endpointFor(cloud, config, env);
    const { scopes, rateLimit } = config.clouds[cloud] ?? {};
    configs.set(cloud, {
      enabled: clouds.includes(cloud),
      ...(endpoint ? { endpoint } : {}),
      ...(scopes?.length ? { scopes } : {}),
      ...(rateLimit ? { rateLimit } : {}),
    });
  }
  const cache = cacheOptions(options, env, log);
  let engine: Engine;
  try {
    engine = createEngine({
      catalogue,
      env,
      store: new ConfigCredentialStore(deps.configPath, catalogue, config),
      log,
      cache,
      config: (cloud) => configs.get(cloud) ?? { enabled: false },
      collector: options.timeoutMs !== undefined ? { deadlineMs: options.timeoutMs } : {},
    });
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  return { engine, clouds, warnings };
}
