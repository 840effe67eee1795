// The Redis cache and the clustered rate limiters against a real redis-server (Debian's), started per run on
// a free loopback port. Every server, client and child process started here is stopped, also on failure.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { RedisCache } from '../../src/core/cache/redis';
import { RateLimiters } from '../../src/core/transport/ratelimit';
import { captureLog } from '../support/capture-log';
import { startRedis, type RedisServer } from '../support/redis-server';
import { worstExcess } from '../support/rate-window';

const repoRoot = resolve(__dirname, '../..');
const workerScript = join(__dirname, 'fixtures', 'ratelimit-worker.ts');

async function eventually(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Redis (real redis-server)', function () {
  this.timeout(30_000);
  let server: RedisServer;
  let raw: Redis;
  let prefix: string;

  before(async () => {
    server = await startRedis();
    raw = new Redis(server.url, { maxRetriesPerRequest: 1 });
    raw.on('error', () => undefined);
  });
  after(async () => {
    raw?.disconnect();
    await server?.stop();
  });
  beforeEach(() => {
    prefix = `test-${randomUUID().slice(0, 8)}:`;
  });

  it('fails with install instructions when redis-server is missing', async () => {
    await assert.rejects(startRedis({ binary: '/nonexistent/redis-server' }), /apt-get install redis-server/);
  });

  describe('rate limits', () => {
    it('two processes share one budget and never exceed it together', async () => {
      const perSecond = 10;
      const burst = 5;
      const children: ChildProcess[] = [];
      try {
        const runs = [0, 1].map(() => {
          const child = spawn(
            process.execPath,
            ['--import', 'tsx', workerScript, server.url, prefix, '30', String(perSecond), String(burst)],
            {
              cwd: repoRoot,
              stdio: ['pipe', 'pipe', 'pipe'],
            },
          );
          children.push(child);
          let out = '';
          let err = '';
          child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
          const ready = new Promise<void>((done) =>
            child.stdout.on('data', (chunk: Buffer) => {
              out += chunk.toString();
              if (out.startsWith('ready\n')) done();
            }),
          );
          const exit = new Promise<number[]>((done, fail) =>
            child.once('exit', (code) => {
              if (code !== 0) return fail(new Error(`worker exited with ${code}: ${err}`));
              done(JSON.parse(out.split('\n')[1]) as number[]);
            }),
          );
          return { child, ready, exit, stderr: () => err };
        });
        await Promise.all(runs.map((run) => run.ready));
        for (const run of runs) run.child.stdin.write('go\n');
        const [a, b] = await Promise.all(runs.map((run) => run.exit));
        const merged = [...a, ...b].sort((x, y) => x - y);
        const t0 = merged[0];
        const detail = `A: ${a.map((t) => t - t0).join(' ')}\nB: ${b.map((t) => t - t0).join(' ')}`;
        assert.equal(worstExcess(merged, perSecond, burst), 0, `the two processes together exceeded the budget\n${detail}`);
        // 60 jobs on one 10/s bucket with a burst of 5 need ≥ 5.4 s; two separate budgets would finish in ~2.5 s.
        assert.ok(merged[merged.length - 1] - t0 >= 5000, `finished in ${merged[merged.length - 1] - t0} ms: not one budget\n${detail}`);
        const overlap = Math.min(Math.max(...a), Math.max(...b)) - Math.max(Math.min(...a), Math.min(...b));
        assert.ok(overlap > 2000, `the workers ran one after the other (overlap ${overlap} ms)\n${detail}`);
        assert.deepEqual(
          runs.map((run) => run.stderr()),
          ['', ''],
          'no warnings: Redis was up throughout',
        );
      } finally {
        for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      }
    });

    it('moves queued jobs to local limiters when Redis stops mid-run (one warning), and shares again once it is back', async () => {
      const own = await startRedis({ password: 'limiter-pass-123' });
      let restarted: RedisServer | undefined;
      const log = captureLog();
      const limiters = new RateLimiters({ redis: { url: own.url, prefix }, log });
      const bucketKeys = async (url: string) => {
        const client = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
        client.on('error', () => undefined);
        try {
          return await client.keys(`b_${prefix}ratelimit:runpod:*_settings`);
        } finally {
          client.disconnect();
        }
      };
      try {
        const limiter = limiters.forCloud('runpod', 'acct', { perSecond: 5, burst: 2, maxWaitMs: 20_000 });
        const ran = new Array<number>(12).fill(0);
        const jobs = ran.map((_, i) => limiter.schedule(() => Promise.resolve(++ran[i])));
        await eventually(() => Promise.resolve(ran.filter(Boolean).length >= 3), 5000, 'three jobs ran');
        assert.equal((await bucketKeys(own.url)).length, 1, 'the jobs went through the shared bucket');
        await own.stop();
        assert.deepEqual(await Promise.all(jobs), new Array<number>(12).fill(1), 'every job ran exactly once');
        assert.equal(await limiter.schedule(() => Promise.resolve('after')), 'after');
        await sleep(1000); // the reconnect loop keeps failing meanwhile
        assert.equal(log.at('warn').length, 1, log.text());
        assert.doesNotMatch(log.text(), /limiter-pass-123/);

        // A restarted Redis has lost the bucket: bottleneck must re-create it (see withRedis7Errors).
        restarted = await startRedis({ password: 'limiter-pass-123', port: own.port });
        await eventually(
          async () => {
            await limiter.schedule(() => Promise.resolve());
            return (await bucketKeys(restarted!.url)).length === 1;
          },
          15_000,
          'the limiter shared its budget through the restarted Redis',
        );
        assert.ok(
          log.at('info').some((line) => /reachable again/.test(line)),
          log.text(),
        );
        assert.equal(log.at('warn').length, 1, log.text());
      } finally {
        await limiters.disconnect();
        await own.stop();
        await restarted?.stop();
      }
    });
  });

  describe('cache', () => {
    const subscribers = (channel: string) => raw.pubsub('NUMSUB', channel).then((reply) => Number((reply as [string, number])[1]));

    it('stores values under its prefix with a PX expiry, and ignores foreign values', async () => {
      const cache = new RedisCache({ url: server.url, prefix });
      try {
        assert.equal(cache.kind, 'redis');
        await cache.set('neon:Postgres:all:h', { projects: ['p1'] }, 5000);
        const ttl = await raw.pttl(`${prefix}neon:Postgres:all:h`);
        assert.ok(ttl > 0 && ttl <= 5000, `PTTL ${ttl}`);
        assert.deepEqual(await cache.get('neon:Postgres:all:h'), { projects: ['p1'] });
        await raw.set(`${prefix}foreign`, 'not json at all');
        await raw.set(`${prefix}other-format`, JSON.stringify({ format: 'someone-else', value: 1 }));
        assert.equal(await cache.get('foreign'), undefined);
        assert.equal(await cache.get('other-format'), undefined);
      } finally {
        await cache.close();
      }
    });

    it("an invalidation published by one instance clears the other's local view", async () => {
      const a = new RedisCache({ url: server.url, prefix });
      const b = new RedisCache({ url: server.url, prefix });
      try {
        const envelope = (value: unknown) => JSON.stringify({ format: 'cloudtop-cache/1', value });
        // b answers from its local view (here: what it wrote itself) only once it listens for invalidations.
        await eventually(
          async () => {
            await b.set('probe', 'local', 60_000);
            await raw.set(`${prefix}probe`, envelope('changed-behind'), 'PX', 60_000);
            return (await b.get('probe')) === 'local';
          },
          5000,
          'b listening and answering from its local view',
        );
        assert.equal(await subscribers(`${prefix}invalidate`), 2);
        // A value read from Redis is kept in the local view too (with Redis's remaining TTL).
        await raw.set(`${prefix}k-read`, envelope('from-redis'), 'PX', 60_000);
        assert.equal(await b.get('k-read'), 'from-redis');
        await raw.set(`${prefix}k-read`, envelope('changed-behind'), 'PX', 60_000);
        assert.equal(await b.get('k-read'), 'from-redis');
        for (const key of ['k-del', 'k-set', 'k-clear']) {
          await b.set(key, 'v1', 60_000);
          // Behind both instances' backs: b keeps answering from its local view, which is what needs invalidating.
          await raw.set(prefix + key, envelope('changed-behind'), 'PX', 60_000);
          assert.equal(await b.get(key), 'v1', 'b reads its local view');
        }
        await a.delete('k-del');
        await eventually(async () => (await b.get('k-del')) === undefined, 2000, 'delete reached b');
        await a.set('k-set', 'v2', 60_000);
        await eventually(async () => (await b.get('k-set')) === 'v2', 2000, 'set reached b');
        await a.clear();
        await eventually(async () => (await b.get('k-clear')) === undefined, 2000, 'clear reached b');
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it('clear removes only keys under its own prefix, with SCAN across many keys', async () => {
      const globby = `t[1]*${prefix}`; // glob characters in a prefix are literal
      const cache = new RedisCache({ url: server.url, prefix: globby });
      try {
        const pipeline = raw.pipeline();
        for (let i = 0; i < 1200; i++) pipeline.set(`${globby}k${i}`, '1');
        pipeline.set(`t1x${prefix}survivor`, '1'); // would match the prefix read as a glob pattern
        pipeline.set(`${prefix}other`, '1');
        await pipeline.exec();
        await cache.clear();
        assert.equal((await raw.keys(`${globby.replace(/[*?[\]]/g, '\\$&')}*`)).length, 0);
        assert.equal(await raw.exists(`t1x${prefix}survivor`, `${prefix}other`), 2);
      } finally {
        await cache.close();
      }
    });

    it('falls back to memory when Redis stops mid-run: nothing throws, one warning, and it reconnects', async () => {
      const own = await startRedis({ password: 'cache-pass-456' });
      const log = captureLog();
      const cache = new RedisCache({ url: own.url, prefix, log });
      let restarted: RedisServer | undefined;
      try {
        await cache.set('warm', { v: 1 }, 60_000);
        assert.deepEqual(await cache.get('warm'), { v: 1 });
        await own.stop();
        // Every operation during the outage resolves; what this process saw or wrote is still served.
        assert.deepEqual(await cache.get('warm'), { v: 1 });
        await cache.set('during', 'x', 60_000);
        assert.equal(await cache.get('during'), 'x');
        assert.equal(await cache.get('never-set'), undefined);
        await cache.delete('warm');
        assert.equal(await cache.get('warm'), undefined);
        await sleep(1200); // several failed reconnect attempts
        await cache.set('later', 'y', 60_000);
        await cache.clear();
        assert.equal(await cache.get('later'), undefined);
        assert.equal(log.at('warn').length, 1, log.text());
        assert.match(log.at('warn')[0], /127\.0\.0\.1/);
        assert.doesNotMatch(log.text(), /cache-pass-456/);

        restarted = await startRedis({ password: 'cache-pass-456', port: own.port });
        const check = new Redis(restarted.url, { maxRetriesPerRequest: 1 });
        check.on('error', () => undefined);
        try {
          await eventually(
            async () => {
              await cache.set('back', 'z', 60_000);
              return (await check.get(`${prefix}back`)) !== null;
            },
            15_000,
            'the cache wrote to Redis again',
          );
        } finally {
          check.disconnect();
        }
        assert.equal(log.at('warn').length, 1, log.text());
        assert.ok(
          log.at('info').some((line) => /reachable again/.test(line)),
          log.text(),
        );
      } finally {
        await cache.close();
        await own.stop();
        await restarted?.stop();
      }
    });

    it('answers a get from Redis in well under a few milliseconds at the median (sanity)', async () => {
      const writer = new RedisCache({ url: server.url, prefix });
      const reader = new RedisCache({ url: server.url, prefix });
      try {
        for (let i = 0; i < 200; i++) await writer.set(`p${i}`, { i, name: `resource-${i}` }, 60_000);
        await reader.get('warm-up');
        const times: number[] = [];
        for (let i = 0; i < 200; i++) {
          const start = performance.now();
          const value = await reader.get<{ i: number }>(`p${i}`); // a first read: always a round trip
          times.push(performance.now() - start);
          assert.equal(value?.i, i);
        }
        times.sort((x, y) => x - y);
        const p50 = times[100];
        console.log(`      Redis get p50 ${p50.toFixed(3)} ms, p95 ${times[190].toFixed(3)} ms (200 reads)`);
        assert.ok(p50 < 20, `p50 ${p50} ms`);
      } finally {
        await Promise.all([writer.close(), reader.close()]);
      }
    });
  });
});
