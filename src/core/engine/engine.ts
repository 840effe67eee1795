// Builds the engine both front ends share: registry, credential resolver, cache, rate limiters and the
// collector over them. The extension and the CLI differ only in what they pass in (SecretStorage vs the
// config file, a LogOutputChannel vs stderr, settings vs flags).
import { createCache, type Cache, type CacheOptions } from '../cache/cache';
import { Collector, type CloudConfig, type CollectorOptions } from './collector';
import { CredentialResolver, type CredentialPrompt, type CredentialStore } from '../credentials/credentials';
import { silentLogger, type Logger } from '../model/log';
import type { CloudId } from '../model/model';
import { RateLimiters } from '../transport/ratelimit';
import { RedisStatus, type RedisStatusChange } from '../transport/redis-status';
import type { SnapshotNotice } from '../model/model';
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
  /**
   * Redis became unavailable (the shared cache and budgets are local now) or available again: once per change and
   * process, for the front end to say (stderr, the log, the view description). Never called without Redis configured.
   */
  onSharedCacheChange(listener: (change: RedisStatusChange) => void): { dispose(): void };
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
  const redisUrl = options.cache.backend === 'redis' ? options.cache.redisUrl : undefined;
  // One view of Redis' health for the cache and the limiters: one line per outage, one connect timeout per run.
  const redisStatus = redisUrl ? new RedisStatus() : undefined;
  const cache = createCache({ ...options.cache, log, ...(redisStatus ? { redisStatus } : {}) });
  // With the Redis cache, the limiters share their budgets through the same Redis.
  const limiters = new RateLimiters({ log, ...(redisUrl ? { redis: { url: redisUrl, status: redisStatus } } : {}) });
  const notices = (): readonly SnapshotNotice[] => {
    const message = redisStatus?.message;
    return message ? [{ kind: 'shared-cache', message }] : [];
  };
  const collector = new Collector({
    registry,
    credentials,
    cache,
    limiters,
    config: options.config,
    log,
    signIns: options.signIns,
    notices,
    ...options.collector,
  });
  return {
    registry,
    credentials,
    collector,
    cache,
    onSharedCacheChange: (listener) => redisStatus?.onChange(listener) ?? { dispose: () => undefined },
    async dispose() {
      await collector.dispose();
      await limiters.disconnect();
      await cache.close();
    },
  };
}
