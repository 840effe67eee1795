// The one place that decides how Cloudtop talks to Redis (the shared cache and the clustered rate limiters).
// Redis is an optional accelerator: a dead or unreachable server must never stall or fail a refresh, so every
// connection fails fast (short connect timeout, no offline queue, one try per command) and keeps reconnecting
// quietly in the background.
import { Redis, type RedisOptions } from 'ioredis';
import { redact, registerSecret } from '../errors/redact';
import type { RedisStatus } from './redis-status';

/** Connect timeout, and how long the first command waits for the first connection attempt. */
export const REDIS_CONNECT_TIMEOUT_MS = 2_000;
/** How long a closing connection waits for the server's side of the socket (ioredis' disconnectTimeout). */
const REDIS_DISCONNECT_TIMEOUT_MS = 300;

/**
 * The URL without user name or password, for log lines: a Redis URL may carry a password
 * (`redis://:secret@host:6379`), and that must never reach a log or an error message.
 */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return 'the configured Redis server';
  }
}

/**
 * Registers the URL's password with the redactor, so it is masked in every message and log line from here on
 * (ioredis errors do not normally carry it, but a URL echoed in an error would).
 */
export function registerRedisPassword(url: string): void {
  try {
    const raw = new URL(url).password;
    if (raw) registerSecret(decodeURIComponent(raw));
  } catch {
    // not a URL (or a malformed escape): nothing we could recognise later either
  }
}

/** A log-safe sentence fragment for a Redis failure: the error's code or message, redacted. */
export function describeRedisError(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  const text = typeof e?.code === 'string' ? e.code : typeof e?.message === 'string' ? e.message : String(error);
  return redact(text);
}

export function redisClientOptions(extra: RedisOptions = {}): RedisOptions {
  return {
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    // A command on a dead connection fails at once instead of queueing until the server is back.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // A server that accepts the connection but never answers (a blackholed host) still cannot stall a refresh.
    commandTimeout: 2_000,
    // Reconnect forever, quickly at first and then every 10 s, so a restarted Redis is picked up by itself.
    retryStrategy: (times: number) => Math.min(250 * 2 ** Math.min(times - 1, 6), 10_000),
    connectionName: 'cloudtop',
    // How long disconnect() waits for the server to close its side before destroying the socket. ioredis' 2 s default
    // is a timer that also outlives a socket already gone (refused, between attempts), holding a CLI run's exit open:
    // a refused Redis made `cloudtop` 4.7 s slower, one such timer per connection.
    disconnectTimeout: REDIS_DISCONNECT_TIMEOUT_MS,
    ...extra,
  };
}

/** A client with the fail-fast options; attach an 'error' listener at once (else ioredis prints every error). */
export function createRedisClient(url: string, extra: RedisOptions = {}): Redis {
  registerRedisPassword(url);
  return new Redis(url, redisClientOptions(extra));
}

/**
 * Resolves true once the client is ready, false as soon as the first attempt fails or the connect timeout
 * passes — whichever comes first — or as soon as `status` learns from another connection that Redis is unavailable
 * (so the cache and the limiters do not each wait out a timeout). Never rejects.
 */
export function firstConnection(client: Redis, timeoutMs = REDIS_CONNECT_TIMEOUT_MS + 250, status?: RedisStatus): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    let cancel: () => void = () => undefined;
    const done = (ok: boolean) => {
      cancel();
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('error', onFail);
      client.off('end', onFail);
      resolve(ok);
    };
    const onReady = () => done(true);
    const onFail = () => done(false);
    const timer = setTimeout(onFail, timeoutMs);
    timer.unref();
    client.once('ready', onReady);
    client.once('error', onFail);
    client.once('end', onFail);
    if (status) cancel = status.whenDown(onFail);
  });
}

/** Longer than the clients' disconnectTimeout, after which ioredis destroys a half-closed socket itself. */
const REDIS_CLOSE_WAIT_MS = REDIS_DISCONNECT_TIMEOUT_MS + 500;
/** A client that never got (or lost) its connection has no reply to wait for: its socket, if any, goes at once. */
const REDIS_DROP_WAIT_MS = REDIS_DISCONNECT_TIMEOUT_MS;

/**
 * Closes the client and resolves once its socket is gone: QUIT first when connected (pending replies arrive first),
 * then the socket dropped. ioredis half-closes on disconnect() and keeps a timer (its disconnectTimeout) until the
 * server closes its side; waiting for 'end' means a caller that awaits this (deactivate()) leaves nothing behind.
 * A client that is not connected (refused, between attempts, or talking to a server that never answers) has nothing to
 * flush: its socket is destroyed at once instead of waited for, so an unreachable Redis does not hold a run's exit open
 * (the CLI took 4.7 s longer with a refused Redis). Never throws.
 */
export async function closeRedis(client: Redis, quit = true): Promise<void> {
  if (client.status === 'end') return;
  const ready = client.status === 'ready';
  let timer: NodeJS.Timeout | undefined;
  const ended = new Promise<void>((resolve) => {
    client.once('end', () => resolve());
    // Past ioredis' own destroy timer, in case 'end' never comes; unref'd, so it holds nothing open itself.
    timer = setTimeout(resolve, ready ? REDIS_CLOSE_WAIT_MS : REDIS_DROP_WAIT_MS);
    timer.unref();
  });
  if (quit && ready) await client.quit().catch(() => undefined);
  client.disconnect(); // also clears a pending reconnect
  if (!ready) (client as unknown as { stream?: { destroy(): void } }).stream?.destroy();
  await ended;
  clearTimeout(timer);
}
