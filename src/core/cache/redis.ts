// Cache in Redis, shared by every Cloudtop process that points at the same server (several windows, a
// teammate's CLI). Redis holds the truth, with its own expiry (SET … PX). In front of it sits a small local
// view (an in-memory LRU) for two reasons: repeated reads in one refresh cost no round trip, and when Redis
// goes away the process keeps serving what it last saw instead of starting cold.
//
// A local view is only correct if it learns about changes made elsewhere, so every set/delete/clear publishes
// an invalidation on a channel, and every instance subscribed drops its copy. Pub/sub delivery is reliable
// only while the subscriber is connected, so the local view is bypassed while it is not, and emptied when it
// reconnects (whatever it missed in between is gone with it).
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { silentLogger, type Logger } from '../model/log';
import { closeRedis, createRedisClient, describeRedisError, describeRedisUrl, firstConnection } from '../transport/redis-connection';
import { RedisStatus } from '../transport/redis-status';
import type { Cache } from './cache';
import { MemoryCache } from './memory';
import { normalizeTtl } from './ttl';

export const DEFAULT_REDIS_PREFIX = 'cloudtop:';
/** Format marker inside every value; anything else under our prefix (another version, another tool) is a miss. */
const FORMAT = 'cloudtop-cache/1';
/** After a command times out on a connection that still looks open, Redis is skipped for this long. */
const SKIP_AFTER_FAILURE_MS = 5_000;
const SCAN_COUNT = 500;

interface Invalidation {
  /** The instance that published it: an instance ignores its own. */
  readonly from: string;
  /** One key (without prefix); absent means everything. */
  readonly key?: string;
}

export interface RedisCacheOptions {
  readonly url: string;
  readonly prefix?: string;
  /** Size of the local view (default 500). */
  readonly maxEntries?: number;
  readonly now?: () => number;
  readonly log?: Logger;
  /** Redis' health shared with the rate limiters (one warning per outage, one connect timeout per run). */
  readonly status?: RedisStatus;
}

export class RedisCache implements Cache {
  readonly kind = 'redis' as const;
  private readonly client: Redis;
  private readonly subscriber: Redis;
  private readonly local: MemoryCache;
  private readonly prefix: string;
  private readonly channel: string;
  private readonly id = randomUUID();
  private readonly where: string;
  private readonly log: Logger;
  private readonly connected: Promise<boolean>;
  private readonly status: RedisStatus;
  private down = false;
  private listening = false;
  private listenedBefore = false;
  private skipUntil = 0;
  /** Reads on their way back from Redis; an invalidation marks them stale so they do not refill the local view. */
  private readonly inflight = new Set<{ readonly key: string; stale: boolean }>();
  private closed = false;

  constructor(options: RedisCacheOptions) {
    this.prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
    this.channel = `${this.prefix}invalidate`;
    this.where = describeRedisUrl(options.url);
    this.log = options.log ?? silentLogger;
    this.status = options.status ?? ownStatus(this.log);
    this.local = new MemoryCache({ maxEntries: options.maxEntries, now: options.now });

    this.client = createRedisClient(options.url);
    this.client.on('error', (error: unknown) => this.markDown(error));
    this.client.on('close', () => this.markDown('connection closed'));
    this.client.on('ready', () => this.markUp());

    // A subscribed connection can run no other command, hence a second one.
    this.subscriber = createRedisClient(options.url);
    this.subscriber.on('error', (error: unknown) => this.log.debug(`Redis cache subscriber: ${describeRedisError(error)}`));
    this.subscriber.on('close', () => {
      this.listening = false;
    });
    this.subscriber.on('ready', () => {
      this.subscriber.subscribe(this.channel).then(
        () => {
          // Invalidations published while the subscriber was away are lost: after a reconnect, start the
          // local view afresh. (Before the first subscription it only holds this process's own writes.)
          if (this.listenedBefore) this.invalidate();
          this.listening = true;
          this.listenedBefore = true;
        },
        (error: unknown) => this.log.debug(`Redis cache: could not subscribe: ${describeRedisError(error)}`),
      );
    });
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.onInvalidation(message);
    });

    this.connected = firstConnection(this.client, undefined, this.status).then((ok) => {
      if (!ok) this.markDown('no answer within the connect timeout');
      return ok;
    });
  }

  async get<T>(key: string): Promise<T | undefined> {
    const reachable = await this.reachable();
    // Down: the local view is all there is. Up: trust it only while invalidations can reach it.
    if (!reachable || this.listening) {
      const hit = this.local.read<T>(key);
      if (hit !== undefined || !reachable) return hit;
    }
    const read = { key, stale: false };
    this.inflight.add(read);
    const found = await this.attempt(async () => {
      const replies = await this.client
        .pipeline()
        .get(this.prefix + key)
        .pttl(this.prefix + key)
        .exec();
      const [[getError, raw], [, pttl]] = replies ?? [
        [new Error('no reply'), null],
        [null, -2],
      ];
      if (getError) throw getError;
      return { value: decode(raw), pttl };
    }).finally(() => this.inflight.delete(read));
    if (!found) return this.local.read<T>(key); // Redis failed just now: fall back like any other outage
    // Only while listening: a value kept without hearing of its changes could stay stale until it expires.
    if (found.value !== undefined && this.listening && !read.stale && typeof found.pttl === 'number' && found.pttl > 0) {
      this.local.write(key, found.value, found.pttl);
    }
    return found.value as T | undefined;
  }

  async set<T>(key: string, value: T, ttlMs: number): Promise<void> {
    const ttl = normalizeTtl(ttlMs);
    if (ttl === undefined || value === undefined) return this.delete(key);
    this.invalidate(key);
    this.local.write(key, value, ttl);
    let text: string;
    try {
      text = JSON.stringify({ format: FORMAT, value });
    } catch (error) {
      this.log.debug(`Redis cache: value for ${key} is not serializable: ${describeRedisError(error)}`);
      return;
    }
    await this.attempt(async () => {
      await this.client.set(this.prefix + key, text, 'PX', ttl);
      await this.publish({ from: this.id, key });
    });
  }

  async delete(key: string): Promise<void> {
    this.invalidate(key);
    await this.attempt(async () => {
      await this.client.del(this.prefix + key);
      await this.publish({ from: this.id, key });
    });
  }

  /** Removes every key under this cache's prefix (SCAN, never KEYS: it would block a shared server). */
  async clear(): Promise<void> {
    this.invalidate();
    await this.attempt(async () => {
      const pattern = `${this.prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
      let cursor = '0';
      do {
        const [next, keys] = await this.client.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
        if (keys.length > 0) await this.client.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
      await this.publish({ from: this.id });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.local.removeAll();
    await Promise.all([closeRedis(this.client), closeRedis(this.subscriber)]);
  }

  /** Waits for the first connection attempt (bounded by the connect timeout), then says whether to use Redis. */
  private async reachable(): Promise<boolean> {
    if (this.closed) return false;
    await this.connected;
    return !this.closed && this.client.status === 'ready' && Date.now() >= this.skipUntil;
  }

  /** Runs Redis commands, or nothing when Redis is down; a failure marks it down instead of throwing. */
  private async attempt<R>(operation: () => Promise<R>): Promise<R | undefined> {
    if (!(await this.reachable())) return undefined;
    try {
      const result = await operation();
      if (this.down) this.markUp(); // answered again on the same connection (after a timeout or an error reply)
      return result;
    } catch (error) {
      this.markDown(error, true);
      return undefined;
    }
  }

  private async publish(message: Invalidation): Promise<void> {
    await this.client.publish(this.channel, JSON.stringify(message));
  }

  private onInvalidation(message: string): void {
    let parsed: Partial<Invalidation>;
    try {
      parsed = JSON.parse(message) as Partial<Invalidation>;
    } catch {
      return;
    }
    if (parsed.from === this.id) return;
    this.invalidate(typeof parsed.key === 'string' ? parsed.key : undefined);
  }

  /** Drops one key (or, without a key, everything) from the local view, including reads still in flight. */
  private invalidate(key?: string): void {
    for (const read of this.inflight) if (key === undefined || read.key === key) read.stale = true;
    if (key === undefined) this.local.removeAll();
    else this.local.remove(key);
  }

  /** One warning per outage; the reconnect loop's repeated errors go nowhere. */
  private markDown(error: unknown, commandFailed = false): void {
    if (this.closed) return;
    // A failed command on a connection that still claims to be ready (a hung server) would fail again:
    // skip Redis for a while so each refresh pays for at most one timeout.
    if (commandFailed && this.client.status === 'ready') this.skipUntil = Date.now() + SKIP_AFTER_FAILURE_MS;
    if (this.down) return;
    this.down = true;
    const reason = typeof error === 'string' ? error : describeRedisError(error);
    // Said once per process for the cache and the limiters together (RedisStatus); this line is the detail.
    this.log.debug(`Redis cache at ${this.where} failed (${reason}); using an in-memory cache until it answers again.`);
    this.status.failed(this.where, reason);
  }

  private markUp(): void {
    this.skipUntil = 0;
    if (!this.down) return;
    this.down = false;
    // What this process saw during the outage may be older than what others wrote to Redis meanwhile.
    this.invalidate();
    this.log.debug(`Redis cache at ${this.where} is reachable again.`);
    this.status.recovered();
  }
}

function decode(raw: unknown): unknown {
  if (typeof raw !== 'string') return undefined;
  try {
    const data = JSON.parse(raw) as { format?: unknown; value?: unknown } | null;
    return data && data.format === FORMAT ? data.value : undefined;
  } catch {
    return undefined;
  }
}

/** Without an engine's shared status, the cache says its own changes in its log. */
function ownStatus(log: Logger): RedisStatus {
  const status = new RedisStatus();
  status.onChange((change) => (change.available ? log.info(change.message) : log.warn(change.message)));
  return status;
}
