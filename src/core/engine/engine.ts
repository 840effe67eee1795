// Builds the engine both front ends share: registry, credential resolver, cache, rate limiters and the
// collector over them. The extension and the CLI differ only in what they pass in (SecretStorage vs the
// config file, a LogOutputChannel vs stderr, settings vs flags).
import { createCache, type Cache, type CacheOptions } from '../cache/cache';
import { Collector, type CloudConfig, type CollectorOptions } from './collector';
import { CredentialResolver, type CredentialPrompt, type CredentialStore } from '../credentials/credentials';
import { silentLogger, type Logger } from '../model/log';
import type { CloudId } from '../model/model';
import { RateLimiters } from '../transport/ratelimit';
import { ProviderRegistry, type Catalogue } from './registry';
import type { SignIn } from './provider';

export interface EngineOptions {
  readonly catalogue: Catalogue;
  readonly config: (cloud: CloudId) => CloudConfig;
  readonly cache: CacheOptions;
  readonly env?: NodeJS.ProcessEnv;
  readonly store?: CredentialStore;
  readonly prompt?: CredentialPrompt;
  /** Sign-ins the front end owns, by cloud (VS Code's Microsoft account for Azure): after the cloud's CLI login. */
  readonly signIns?: Readonly<Partial<Record<CloudId, SignIn>>>;
  readonly log?: Logger;
  readonly collector?: Partial<Omit<CollectorOptions, 'registry' | 'credentials' | 'cache' | 'limiters' | 'config'>>;
}

export interface Engine {
  readonly registry: ProviderRegistry;
  readonly credentials: CredentialResolver;
  readonly collector: Collector;
  readonly cache: Cache;
  dispose(): Promise<void>;
}

export function createEngine(options: EngineOptions): Engine {
  const log = options.log ?? silentLogger;
  const registry = new ProviderRegistry(options.catalogue);
  const credentials = new CredentialResolver({
    catalogue: options.catalogue,
    env: options.env,
    store: options.store,
    prompt: options.prompt,
    signIns: options.signIns,
  });
  const cache = createCache({ ...options.cache, log });
  // With the Redis cache, the limiters share their budgets through the same Redis.
  const limiters = new RateLimiters({
    log,
    ...(options.cache.backend === 'redis' && options.cache.redisUrl ? { redis: { url: options.cache.redisUrl } } : {}),
  });
  const collector = new Collector({
    registry,
    credentials,
    cache,
    limiters,
    config: options.config,
    log,
    signIns: options.signIns,
    ...options.collector,
  });
  return {
    registry,
    credentials,
    collector,
    cache,
    async dispose() {
      await collector.dispose();
      await limiters.disconnect();
      await cache.close();
    },
  };
}
