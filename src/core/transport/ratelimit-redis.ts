// The Redis side of the rate limiters: one connection shared by every clustered bottleneck limiter of a
// process, the decision whether a job should use the shared bucket right now, and the one warning per outage.
// Kept apart from ratelimit.ts, which only knows "shared bucket or local one".
import { createHash } from 'node:crypto';
import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';
import type { Logger } from '../model/log';
import type { CloudId } from '../model/model';
import { realClock, type Clock } from './clock';
import { closeRedis, createRedisClient, describeRedisError, describeRedisUrl, firstConnection } from './redis-connection';
import { RedisStatus } from './redis-status';

/** A shared bucket nobody used for this long is removed from Redis (it would be full again anyway). */
const REDIS_IDLE_EXPIRY_MS = 3_600_000;
/** After a Redis script fails on a connection that still looks open, use the local limiter this long. */
const SKIP_AFTER_FAILURE_MS = 5_000;

/** The Redis connection all clustered limiters share, and whether to use it right now. */
export class RedisBuckets {
  readonly client: Redis;
  private connection: Bottleneck.IORedisConnection | undefined;
  private readonly connected: Promise<boolean>;
  private readonly where: string;
  private readonly status: RedisStatus;
  private down = false;
  private closing = false;
  private skipUntil = 0;

  constructor(
    url: string,
    readonly prefix: string,
    private readonly log: Logger,
    private readonly onDown: () => void,
    private readonly clock: Pick<Clock, 'now'> = realClock,
    status?: RedisStatus,
  ) {
    // Without an engine's shared status, the limiters say their own changes in their log.
    this.status = status ?? new RedisStatus();
    if (!status) this.status.onChange((change) => (change.available ? log.info(change.message) : log.warn(change.message)));
    this.where = describeRedisUrl(url);
    this.client = createRedisClient(url);
    this.client.on('error', (error: unknown) => this.failed(error));
    this.client.on('close', () => this.failed('connection closed'));
    this.client.on('ready', () => {
      this.skipUntil = 0;
      if (!this.down) return;
      this.down = false;
      this.log.debug(`Rate limits: Redis at ${this.where} is reachable again; budgets are shared again.`);
      this.status.recovered();
    });
    this.connected = firstConnection(this.client, undefined, this.status).then((ok) => {
      if (!ok) this.failed('no answer within the connect timeout');
      return ok;
    });
  }

  /** Whether a job submitted now should use the shared bucket; waits for the first connection attempt only. */
  async usable(): Promise<boolean> {
    await this.connected;
    return !this.closing && this.client.status === 'ready' && this.clock.now() >= this.skipUntil;
  }

  /** One warning per outage, then every waiting job moves to its local limiter. */
  failed(error: unknown, scriptFailed = false): void {
    if (this.closing) return;
    if (scriptFailed && this.client.status === 'ready') this.skipUntil = this.clock.now() + SKIP_AFTER_FAILURE_MS;
    if (!this.down) {
      this.down = true;
      const reason = typeof error === 'string' ? error : describeRedisError(error);
      // Said once per process for the limiters and the cache together (RedisStatus); this line is the detail.
      this.log.debug(
        `Rate limits: Redis at ${this.where} failed (${reason}); each Cloudtop process keeps its own budget until it answers again.`,
      );
      this.status.failed(this.where, reason);
    }
    this.onDown();
  }

  limiter(cloud: CloudId, account: string, bucket: string, options: Bottleneck.ConstructorOptions): Bottleneck {
    // Pass the client and the ioredis class: bottleneck would otherwise require('ioredis') through a hidden
    // eval that a bundle cannot resolve.
    this.connection ??= withRedis7Errors(new Bottleneck.IORedisConnection({ client: this.client, Redis }));
    const hash = createHash('sha256').update(account).digest('hex').slice(0, 16);
    return new Bottleneck({
      ...options,
      // Stable across processes and restarts: the id names the shared bucket.
      id: `${this.prefix}ratelimit:${cloud}${bucket ? `:${bucket}` : ''}:${hash}`,
      datastore: 'ioredis',
      connection: this.connection,
      Redis,
      clearDatastore: false,
      timeout: REDIS_IDLE_EXPIRY_MS,
    });
  }

  async close(limiters: Bottleneck[]): Promise<void> {
    this.closing = true;
    const flush = this.client.status === 'ready';
    if (this.connection) {
      // First the connection (it marks itself terminated), so the limiters do not try to unsubscribe on a
      // dead socket — bottleneck does that in a promise nobody awaits.
      await this.connection.disconnect(flush).catch(() => this.connection?.disconnect(false));
      for (const limiter of limiters) void limiter.disconnect(false);
    }
    await closeRedis(this.client, !this.connection && flush);
  }
}

/**
 * bottleneck heals itself when its bucket vanished from Redis (restart, flush, idle expiry) or when other
 * clients dropped this one as unresponsive (laptop asleep > 10 s): its Lua scripts answer
 * `error_reply('SETTINGS_KEY_NOT_FOUND')` / `('UNKNOWN_CLIENT')` and it re-initializes on exactly those
 * messages. Redis 7 prefixes such replies with "ERR ", so the check never matches and the limiter stays
 * broken for good. Strip the prefix from those replies (a private hook, but bottleneck 2.19.5 is final).
 */
function withRedis7Errors(connection: Bottleneck.IORedisConnection): Bottleneck.IORedisConnection {
  type Callback = (error: Error | null, replies: unknown) => void;
  const internal = connection as unknown as { __scriptFn__(name: string): (...args: unknown[]) => unknown };
  const original = internal.__scriptFn__.bind(connection);
  internal.__scriptFn__ = (name) => {
    const run = original(name);
    return (...args) => {
      const done = args.pop() as Callback;
      return run(...args, (error: Error | null, replies: unknown) => {
        if (error && /^ERR (SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT|OVERWEIGHT:)/.test(error.message)) {
          error.message = error.message.slice(4);
        }
        done(error, replies);
      });
    };
  };
  return connection;
}
