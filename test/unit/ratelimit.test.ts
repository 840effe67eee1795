// The rate limiter on a fake clock (test/support/fake-clock.ts): every start time is exact, no real time passes.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { CloudtopError } from '../../src/core/errors/errors';
import { RateLimiters, refillStep, type RateLimiter } from '../../src/core/transport/ratelimit';
import type { RedisBuckets } from '../../src/core/transport/ratelimit-redis';
import { captureLog } from '../support/capture-log';
import { FakeClock } from '../support/fake-clock';
import { freePort } from '../support/processes';
import { worstExcess } from '../support/rate-window';

/** When (on `clock`) each of `count` jobs started. */
function startTimes(clock: FakeClock, limiter: RateLimiter, count: number): Promise<number[]> {
  return Promise.all(Array.from({ length: count }, () => limiter.schedule(() => Promise.resolve(clock.now()))));
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the promise to reject');
}

function isRateLimit(error: unknown): error is CloudtopError {
  return error instanceof CloudtopError && error.category === 'rate-limit';
}

describe('rate limiter', () => {
  let clock: FakeClock;
  let limiters: RateLimiters;
  beforeEach(() => {
    clock = new FakeClock();
    limiters = new RateLimiters({ clock });
  });
  afterEach(() => limiters.disconnect());

  it('lets a burst start at once, then spaces jobs at perSecond, never exceeding the bucket', async () => {
    const perSecond = 10;
    const burst = 5;
    const limiter = limiters.forCloud('neon', 'acct', { perSecond, burst });
    const starts = await clock.run(startTimes(clock, limiter, 20));
    // The burst at once, then one job per refilled token, every 100 ms.
    assert.deepEqual(starts, [0, 0, 0, 0, 0, ...Array.from({ length: 15 }, (_, i) => (i + 1) * 100)]);
    assert.equal(worstExcess(starts, perSecond, burst, 0), 0, 'in no window did more jobs start than the bucket allows');
  });

  it('with several windows, a job waits until every one has room, and no window is ever exceeded', async () => {
    // 4 in any 200 ms and 6 in any 1 s (each plus the 100 ms guard): 12 jobs need two long windows.
    const limiter = limiters.forCloud('neon', 'acct', {
      windows: [
        { limit: 4, perMs: 200 },
        { limit: 6, perMs: 1000 },
      ],
    });
    const starts = await clock.run(startTimes(clock, limiter, 12));
    // 4 at once; 2 more when those leave the short window (200 + 100 ms), which fills the long one; 4 more when the
    // first four leave it (1000 + 100 ms); the last 2 when the two of 300 ms do.
    assert.deepEqual(starts, [0, 0, 0, 0, 300, 300, 1100, 1100, 1100, 1100, 1400, 1400]);
    const most = (span: number) => Math.max(...starts.map((s) => starts.filter((t) => t >= s && t < s + span).length));
    assert.equal(most(200), 4, 'never 5 within 200 ms');
    assert.equal(most(1000), 6, 'never 7 within 1 s');
  });

  it("counts a route's own budget against the cloud's when it is within it, and not otherwise", async () => {
    const cloud = limiters.forCloud('neon', 'acct', { windows: [{ limit: 3, perMs: 1000 }] });
    const route = limiters.forCloud('neon', 'acct', { windows: [{ limit: 10, perMs: 1000 }], withinCloudBudget: true }, 'branches');
    const apart = limiters.forCloud('neon', 'acct', { windows: [{ limit: 10, perMs: 1000 }] }, 'apart');
    const [viaRoute, viaCloud, viaApart] = await clock.run(
      Promise.all([startTimes(clock, route, 2), startTimes(clock, cloud, 2), startTimes(clock, apart, 5)]),
    );
    assert.deepEqual([...viaRoute, ...viaCloud], [0, 0, 0, 1100], "the cloud's 3 per second hold the route's calls too");
    assert.deepEqual(viaApart, [0, 0, 0, 0, 0], "a budget apart does not wait for the cloud's");
  });

  it('old keys (perSecond, burst) replace the windows; maxWaitMs alone keeps them', async () => {
    const bucket = limiters.forCloud('neon', 'a', { windows: [{ limit: 1, perMs: 60_000 }], perSecond: 1000, burst: 50 });
    assert.deepEqual(await clock.run(startTimes(clock, bucket, 20)), Array(20).fill(0), 'the token bucket of the old keys applies');
    const windows = limiters.forCloud('neon', 'b', { windows: [{ limit: 1, perMs: 60_000 }], maxWaitMs: 0 });
    await windows.schedule(() => Promise.resolve());
    const error = await clock.run(rejection(windows.schedule(() => Promise.resolve())));
    assert.ok(isRateLimit(error) && /1\/min/.test(error.message), `the window applies and is named: ${String(error)}`);
  });

  it('tells how long requests of a cloud waited for its budget', async () => {
    const limiter = limiters.forCloud('runpod', 'acct', { windows: [{ limit: 1, perMs: 300 }] });
    assert.equal(limiters.waitedMs('runpod'), 0);
    const both = Promise.all([limiter.schedule(() => Promise.resolve()), limiter.schedule(() => Promise.resolve())]);
    await clock.advance(150);
    assert.equal(limiters.waitedMs('runpod'), 150, 'the second job is still waiting');
    await clock.run(both);
    assert.equal(limiters.waitedMs('runpod'), 400, 'the second job waited for the window and its guard');
    await clock.advance(1000);
    assert.equal(limiters.waitedMs('runpod'), 400, 'nobody waited since');
    assert.equal(limiters.waitedMs('neon'), 0, 'another cloud waited nothing');
  });

  it('starts a job that finds a token at once, without waiting for a timer', async () => {
    const limiter = limiters.forCloud('neon', 'fast', { perSecond: 1, burst: 3 });
    let ran = 0;
    const jobs = [1, 2, 3, 4].map(() => limiter.schedule(() => Promise.resolve(++ran)));
    await Promise.resolve(); // one microtask turn: no timer, no I/O
    assert.equal(ran, 3, 'the three with a token ran; the fourth waits for a refill');
    assert.deepEqual((await clock.run(Promise.all(jobs))).sort(), [1, 2, 3, 4]);
    assert.equal(clock.now(), 1000, 'the fourth ran when its token came');
  });

  it('fails a job that waited maxWaitMs with a rate-limit error, and its slot goes to the next job', async () => {
    const limiter = limiters.forCloud('vastai', 'acct', { perSecond: 1, burst: 1, maxWaitMs: 700 });
    await limiter.schedule(() => Promise.resolve('first'));
    let secondRan = false;
    const second = limiter.schedule(() => {
      secondRan = true;
      return Promise.resolve();
    });
    const error = await clock.run(rejection(second)); // the next token comes at 1000 ms, after its 700 ms budget
    assert.equal(clock.now(), 700);
    assert.ok(isRateLimit(error), `got ${String(error)}`);
    assert.equal(error.cloud, 'vastai');
    assert.match(error.message, /^Vast\.ai: Cloudtop's own rate budget is used up \(1\/s, burst 1\); waited 700 ms$/);
    assert.ok(error.retryAfterMs !== undefined && error.retryAfterMs > 0);
    // Scheduled at 700 ms with a deadline at 1400 ms: it only makes it if the timed-out job's token
    // (due at 1000 ms) is handed on instead of being spent on nothing (the next one is due at 2000 ms).
    assert.equal(await clock.run(limiter.schedule(() => Promise.resolve(`third at ${clock.now()}`))), 'third at 1000');
    assert.equal(secondRan, false, 'a job that timed out must never run');
  });

  it('fails at once when the queue ahead could not drain within maxWaitMs', async () => {
    const limiter = limiters.forCloud('gcp', 'acct', { perSecond: 1, burst: 2, maxWaitMs: 500 });
    const settled: string[] = [];
    const track = (name: string, promise: Promise<unknown>) =>
      promise.then(
        () => settled.push(`${name} ran`),
        (error: unknown) => settled.push(`${name} ${isRateLimit(error) ? error.message : String(error)}`),
      );
    const jobs = ['a', 'b', 'c', 'd'].map((name) =>
      track(
        name,
        limiter.schedule(() => Promise.resolve()),
      ),
    );
    await clock.run(Promise.all(jobs));
    // a and b take the burst at once; c waits for a refill due at 1000 ms; d, behind c, could not start
    // before 2000 ms and is refused at once, before a and b have even settled; c times out at 500 ms.
    assert.equal(clock.now(), 500);
    assert.deepEqual(settled, [
      "d Google Cloud: Cloudtop's own rate budget is used up (1/s, burst 2); would wait at least 1 s",
      'a ran',
      'b ran',
      "c Google Cloud: Cloudtop's own rate budget is used up (1/s, burst 2); waited 500 ms",
    ]);
  });

  it('removes an aborted job: it never runs, rejects with the abort reason, and its slot goes to the next', async () => {
    const limiter = limiters.forCloud('runpod', 'acct', { perSecond: 2, burst: 1, maxWaitMs: 800 });
    await limiter.schedule(() => Promise.resolve());
    const controller = new AbortController();
    let abortedRan = false;
    const aborted = limiter.schedule(() => {
      abortedRan = true;
      return Promise.resolve();
    }, controller.signal);
    clock.setTimeout(() => controller.abort(), 50);
    const error = await clock.run(rejection(aborted));
    assert.equal((error as Error).name, 'AbortError');
    assert.equal(clock.now(), 50);
    // Due at 500 ms (the aborted job's token) within its 800 ms budget; without the hand-over, 1000 ms.
    assert.equal(await clock.run(limiter.schedule(() => Promise.resolve(`next at ${clock.now()}`))), 'next at 500');
    assert.equal(abortedRan, false);

    const reason = new Error('refresh cancelled');
    let preAbortedRan = false;
    const pre = limiter.schedule(() => {
      preAbortedRan = true;
      return Promise.resolve();
    }, AbortSignal.abort(reason));
    assert.equal(await rejection(pre), reason);
    assert.equal(preAbortedRan, false);
  });

  it('gives the same cloud and account one limiter, and other accounts and clouds their own budget', async () => {
    const a = limiters.forCloud('azure', 'sub-a', { perSecond: 1, burst: 1, maxWaitMs: 300 });
    assert.equal(limiters.forCloud('azure', 'sub-a'), a);
    assert.equal(limiters.forCloud('azure', 'sub-a', { perSecond: 100 }), a, 'the first config wins');
    const b = limiters.forCloud('azure', 'sub-b', { perSecond: 1, burst: 1, maxWaitMs: 300 });
    const other = limiters.forCloud('oci', 'sub-a', { perSecond: 1, burst: 1, maxWaitMs: 300 });
    assert.notEqual(b, a);
    assert.notEqual(other, a);
    const endpoint = limiters.forCloud('azure', 'sub-a', { perSecond: 1, burst: 1 }, 'search');
    assert.notEqual(endpoint, a, 'an endpoint metered apart has its own budget');
    assert.equal(limiters.forCloud('azure', 'sub-a', {}, 'search'), endpoint);

    await a.schedule(() => Promise.resolve());
    const order: string[] = [];
    const aSecond = a
      .schedule(() => Promise.resolve())
      .catch((error: unknown) => {
        order.push(isRateLimit(error) ? 'a refused' : String(error));
      });
    // a's bucket is empty, b's and oci's are full: both run at once, long before a's job times out.
    await b.schedule(() => Promise.resolve(order.push('b ran')));
    await other.schedule(() => Promise.resolve(order.push('oci ran')));
    await clock.run(aSecond);
    assert.deepEqual(order, ['b ran', 'oci ran', 'a refused']);
    assert.equal(clock.now(), 300, "a's job was refused at its maxWaitMs");
  });

  it("passes the job's result and errors through unchanged", async () => {
    const limiter = limiters.forCloud('cloudflare', '');
    assert.deepEqual(await limiter.schedule(() => Promise.resolve({ ok: 1 })), { ok: 1 });
    const failure = new Error('boom');
    assert.equal(await rejection(limiter.schedule(() => Promise.reject(failure))), failure);
    const thrown = new Error('thrown synchronously');
    assert.equal(
      await rejection(
        limiter.schedule(() => {
          throw thrown;
        }),
      ),
      thrown,
    );
  });

  it('rejects an invalid configuration', () => {
    assert.throws(() => limiters.forCloud('neon', 'x', { perSecond: 0 }), RangeError);
    assert.throws(() => limiters.forCloud('neon', 'y', { burst: 0.5 }), RangeError);
    assert.throws(() => limiters.forCloud('neon', 'z', { maxWaitMs: -1 }), RangeError);
  });

  it('refills in whole tokens, never faster than perSecond, waking at most every 50 ms', () => {
    assert.deepEqual(refillStep(4), { amount: 1, intervalMs: 250 });
    assert.deepEqual(refillStep(20), { amount: 1, intervalMs: 50 });
    assert.deepEqual(refillStep(100), { amount: 5, intervalMs: 50 });
    assert.deepEqual(refillStep(0.5), { amount: 1, intervalMs: 2000 });
    for (const perSecond of [0.1, 1, 3, 4, 7, 11.67, 33, 250, 1000]) {
      const { amount, intervalMs } = refillStep(perSecond);
      assert.ok(Number.isInteger(amount) && amount >= 1);
      assert.ok(intervalMs >= 50, `${perSecond}/s wakes every ${intervalMs} ms`);
      assert.ok((amount * 1000) / intervalMs <= perSecond, `${perSecond}/s refills at ${(amount * 1000) / intervalMs}/s`);
      assert.ok((amount * 1000) / intervalMs > perSecond * 0.9, `${perSecond}/s refills at only ${(amount * 1000) / intervalMs}/s`);
    }
  });

  it('rejects waiting and new jobs once disconnected', async () => {
    const limiter = limiters.forCloud('neon', 'acct', { perSecond: 1, burst: 1 });
    await limiter.schedule(() => Promise.resolve());
    const waiting = limiter.schedule(() => Promise.resolve());
    await limiters.disconnect();
    assert.equal(((await rejection(waiting)) as Error).name, 'AbortError');
    assert.equal(((await rejection(limiter.schedule(() => Promise.resolve()))) as Error).name, 'AbortError');
  });

  it('falls back to local limiters with one warning, and no password in it, when Redis is unreachable', async function () {
    this.timeout(8000);
    const log = captureLog();
    const port = await freePort(); // nothing listens there
    const clustered = new RateLimiters({ redis: { url: `redis://:hunter2-secret@127.0.0.1:${port}` }, log, clock });
    try {
      const results = await Promise.all([
        clustered.forCloud('neon', 'a').schedule(() => Promise.resolve(1)),
        clustered.forCloud('neon', 'a').schedule(() => Promise.resolve(2)),
        clustered.forCloud('vastai', 'b').schedule(() => Promise.resolve(3)),
      ]);
      assert.deepEqual(results, [1, 2, 3]);
      // Let ioredis' reconnect loop (its own timers, not the limiter's clock) fail twice more: still one warning.
      const { client } = await (clustered as unknown as { redis: Promise<RedisBuckets> }).redis;
      for (let attempt = 0; attempt < 2; attempt++) await once(client, 'error');
      assert.equal(await clustered.forCloud('vastai', 'b').schedule(() => Promise.resolve(4)), 4);
      assert.equal(log.at('warn').length, 1, log.text());
      assert.match(log.at('warn')[0], new RegExp(`127\\.0\\.0\\.1:${port}`));
      assert.doesNotMatch(log.text(), /hunter2/);
    } finally {
      await clustered.disconnect();
    }
  });
});
