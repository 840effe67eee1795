// The one cache interface the collector uses, whichever backend sits behind it: memory (one window), file
// (survives restarts, shared by the CLI runs of one user) or Redis (shared by a team). A cache is an
// accelerator, never a dependency: backends do not throw from get/set/delete/clear for backend failures
// (a broken disk or a dead Redis is a miss and a log line), so a refresh never fails because of its cache.
import { createHash } from 'node:crypto';
import { CloudtopError } from '../errors/errors';
import type { Logger } from '../model/log';
import type { CloudId } from '../model/model';
import { FileCache, defaultCliCacheDir } from './file';
import { MemoryCache } from './memory';
import type { RedisCacheOptions } from './redis';
import type { RedisStatus } from '../transport/redis-status';

export { MAX_TTL_MS, normalizeTtl } from './ttl';

export type CacheKind = 'memory' | 'file' | 'redis';

export interface Cache {
  /** The value stored under `key`, or undefined when absent, expired or unreadable. */
  get<T>(key: string): Promise<T | undefined>;
  /** Stores a JSON-serializable value for `ttlMs` milliseconds; a TTL that is not positive stores nothing. */
  set<T>(key: string, value: T, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Removes every entry of this cache (only Cloudtop's own entries where the store is shared). */
  clear(): Promise<void>;
  /** Releases connections and timers; the cache must not be used afterwards. */
  close(): Promise<void>;
  readonly kind: CacheKind;
}

export interface CacheScope {
  readonly account: string;
  readonly endpoint: string;
}

/**
 * `cloud:service:filter:hash`. The hash covers account and endpoint, so two accounts (or the real cloud and a
 * simulator) never share an entry, and neither appears in clear text in a shared Redis. It never covers a
 * secret: rotating an API key must not empty the cache, and a key in a hash input is one dictionary attack
 * away from being a key in the store. Service and filter are URI-encoded so a `:` in them cannot make two
 * different keys collide.
 */
export function cacheKey(cloud: CloudId, service: string, filter: string, scope: CacheScope): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([scope.account, scope.endpoint]))
    .digest('hex')
    .slice(0, 16);
  return `${cloud}:${encodeURIComponent(service)}:${encodeURIComponent(filter)}:${hash}`;
}

export interface CacheOptions {
  readonly backend: CacheKind;
  /** File backend: the directory (the extension's globalStorage path; the CLI's defaultCliCacheDir()). */
  readonly dir?: string;
  /** Redis backend: `redis://[user:password@]host:port[/db]` or `rediss://…`. */
  readonly redisUrl?: string;
  /** Redis backend: key prefix, default `cloudtop:`. */
  readonly prefix?: string;
  /** Memory backend, and the Redis backend's local layer: most entries kept (default 500). */
  readonly maxEntries?: number;
  readonly log?: Logger;
  /** Redis backend: the health shared with the rate limiters (the engine makes one). */
  readonly redisStatus?: RedisStatus;
  /** Clock for expiry, injectable for tests. */
  readonly now?: () => number;
}

export function createCache(options: CacheOptions): Cache {
  switch (options.backend) {
    case 'memory':
      return new MemoryCache({ maxEntries: options.maxEntries, now: options.now });
    case 'file':
      return new FileCache({ dir: options.dir ?? defaultCliCacheDir(), now: options.now, log: options.log });
    case 'redis':
      if (!options.redisUrl) {
        throw new CloudtopError({ category: 'config', message: 'The Redis cache needs a Redis URL (redis://host:6379).' });
      }
      return lazyRedisCache({
        url: options.redisUrl,
        prefix: options.prefix,
        maxEntries: options.maxEntries,
        now: options.now,
        log: options.log,
        ...(options.redisStatus ? { status: options.redisStatus } : {}),
      });
    default:
      throw new CloudtopError({
        category: 'config',
        message: `Unknown cache backend "${String(options.backend)}": use memory, file or redis.`,
      });
  }
}

/**
 * The Redis cache behind a loader: ioredis is a large module that only a Redis user needs, so it is loaded on
 * the first call rather than when the engine starts (about 100 ms of every CLI start and extension activation).
 */
function lazyRedisCache(options: RedisCacheOptions): Cache {
  let loading: Promise<Cache> | undefined;
  const cache = () => (loading ??= import('./redis').then(({ RedisCache }) => new RedisCache(options)));
  return {
    kind: 'redis',
    get: <T>(key: string) => cache().then((c) => c.get<T>(key)),
    set: <T>(key: string, value: T, ttlMs: number) => cache().then((c) => c.set(key, value, ttlMs)),
    delete: (key: string) => cache().then((c) => c.delete(key)),
    clear: () => cache().then((c) => c.clear()),
    // Nothing to close when it never connected.
    close: () => (loading ? loading.then((c) => c.close()) : Promise.resolve()),
  };
}
