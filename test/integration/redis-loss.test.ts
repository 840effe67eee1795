// Issue 25, failure 6: losing Redis is said once and budgeted. A real redis-server (test/support/redis-server.ts) is
// stopped mid-run; an unreachable one is a TCP server that accepts and never answers.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { RedisCache } from '../../src/core/cache/redis';
import { RateLimiters } from '../../src/core/transport/ratelimit';
import { RedisStatus, SHARED_CACHE_UNAVAILABLE, type RedisStatusChange } from '../../src/core/transport/redis-status';
import { startRedis } from '../support/redis-server';

describe('Redis loss (real redis-server)', function () {
  this.timeout(30_000);

  it('local budgets that take over start from what this process spent through Redis: the window holds across the switch', async () => {
    const own = await startRedis();
    const status = new RedisStatus();
    const changes: RedisStatusChange[] = [];
    status.onChange((change) => changes.push(change));
    const limiters = new RateLimiters({ redis: { url: own.url, prefix: `test-${randomUUID().slice(0, 8)}:`, status } });
    const window = { limit: 10, perMs: 3_000 };
    try {
      const limiter = limiters.forCloud('runpod', 'acct', { windows: [window], maxWaitMs: 25_000 });
      const starts: number[] = [];
      const jobs = Array.from({ length: 24 }, () => limiter.schedule(() => Promise.resolve(starts.push(Date.now()))));
      const deadline = Date.now() + 10_000;
      while (starts.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.ok(starts.length >= 5, 'the shared bucket let its burst through');
      await own.stop();
      await Promise.all(jobs);
      const sorted = [...starts].sort((a, b) => a - b);
      let worst = 0;
      for (let i = 0; i < sorted.length; i++) {
        let j = i;
        while (j < sorted.length && sorted[j] - sorted[i] < window.perMs) j++;
        worst = Math.max(worst, j - i);
      }
      assert.ok(worst <= window.limit, `at most ${window.limit} starts in any ${window.perMs} ms, saw ${worst}`);
      assert.deepEqual(
        changes.map((c) => c.available),
        [false],
        'said once',
      );
      assert.ok(changes[0].message.startsWith(SHARED_CACHE_UNAVAILABLE), changes[0].message);
    } finally {
      await limiters.disconnect();
      await own.stop();
    }
  });

  it('an unreachable Redis costs one connect timeout, not one per subsystem, and is said once', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `redis://127.0.0.1:${(silent.address() as { port: number }).port}`;
    const status = new RedisStatus();
    const changes: RedisStatusChange[] = [];
    status.onChange((change) => changes.push(change));
    const cache = new RedisCache({ url, status });
    let limiters: RateLimiters | undefined;
    try {
      const started = Date.now();
      assert.equal(await cache.get('k'), undefined);
      const afterCache = Date.now() - started;
      // The limiters connect only now: without the shared verdict they would wait out a timeout of their own.
      limiters = new RateLimiters({ redis: { url, prefix: 'test:', status } });
      const limiter = limiters.forCloud('runpod', 'acct', { perSecond: 10, burst: 5, maxWaitMs: 10_000 });
      assert.equal(await limiter.schedule(() => Promise.resolve('ran')), 'ran');
      const total = Date.now() - started;
      assert.ok(afterCache >= 1_500, `the cache waited for the connect timeout (${afterCache} ms)`);
      assert.ok(total - afterCache < 1_000, `the limiters did not wait again (${total - afterCache} ms more)`);
      assert.deepEqual(
        changes.map((c) => c.available),
        [false],
      );
    } finally {
      await limiters?.disconnect();
      await cache.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
