import assert from 'node:assert/strict';
import { CloudtopError } from '../../src/core/errors/errors';
import { sleep, withRetry, type RetryInfo, type RetryOptions } from '../../src/core/transport/retry';
import { ociErrors } from '../../src/providers/oci/errors';

/** Records every wait instead of waiting, so the policy is asserted exactly and the tests take no time. */
function harness(extra: Partial<RetryOptions> = {}) {
  const sleeps: number[] = [];
  const retries: RetryInfo[] = [];
  const options: RetryOptions = {
    cloud: 'vastai',
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    onRetry: (info) => retries.push(info),
    ...extra,
  };
  return { sleeps, retries, options };
}

/** fn that throws the given errors in turn, then returns 'ok'. */
function failing(...errors: unknown[]) {
  const state = { calls: 0 };
  const fn = (attempt: number) => {
    state.calls++;
    assert.equal(attempt, state.calls);
    // Non-Error throwables are part of what the policy must handle (OCI throws plain objects).
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    return state.calls <= errors.length ? Promise.reject(errors[state.calls - 1]) : Promise.resolve('ok');
  };
  return { fn, state };
}

const withStatus = (status: number, code: string) => Object.assign(new Error('x'), { status, code });
const always = (error: unknown) => failing(...Array<unknown>(10).fill(error));
const headers = (value: string) => ({ 'retry-after': value });

describe('withRetry', () => {
  it('backs off 1 s, 2 s, 4 s on a 5xx, then fails after 3 retries with a CloudtopError', async () => {
    const { sleeps, options } = harness();
    const { fn, state } = always({ status: 503 });
    await assert.rejects(withRetry(fn, options), (error: unknown) => {
      assert.ok(error instanceof CloudtopError);
      assert.equal(error.category, 'network');
      assert.equal(error.status, 503);
      assert.equal(error.cloud, 'vastai');
      return true;
    });
    assert.deepEqual(sleeps, [1000, 2000, 4000]);
    assert.equal(state.calls, 4);
  });

  it('retries a network error and returns the value', async () => {
    const { sleeps, options } = harness();
    const { fn, state } = failing(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    assert.equal(await withRetry(fn, options), 'ok');
    assert.equal(state.calls, 2);
    assert.deepEqual(sleeps, [1000]);
  });

  it('returns the value after 2 failures and reports each retry', async () => {
    const { sleeps, retries, options } = harness();
    const { fn, state } = failing({ status: 502 }, { code: 'ETIMEDOUT' });
    assert.equal(await withRetry(fn, options), 'ok');
    assert.equal(state.calls, 3);
    assert.deepEqual(sleeps, [1000, 2000]);
    assert.deepEqual(
      retries.map(({ attempt, category, delayMs }) => ({ attempt, category, delayMs })),
      [
        { attempt: 1, category: 'network', delayMs: 1000 },
        { attempt: 2, category: 'network', delayMs: 2000 },
      ],
    );
    assert.ok(retries.every((r) => r.error instanceof CloudtopError));
  });

  it('waits the Retry-After seconds of a 429', async () => {
    const { sleeps, options } = harness();
    const { fn } = failing({ status: 429, response: { headers: headers('7') } });
    assert.equal(await withRetry(fn, options), 'ok');
    assert.deepEqual(sleeps, [7000]);
  });

  it('waits retryAfterMs already parsed into a CloudtopError (as http.ts throws it)', async () => {
    const { sleeps, options } = harness();
    const { fn } = failing(new CloudtopError({ category: 'rate-limit', status: 429, retryAfterMs: 2500, message: 'slow' }));
    assert.equal(await withRetry(fn, options), 'ok');
    assert.deepEqual(sleeps, [2500]);
  });

  it('waits until an HTTP-date Retry-After, measured with the injected clock', async () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    const { sleeps, options } = harness({ now: () => now });
    const { fn } = failing({ status: 429, response: { headers: headers('Tue, 01 Jan 2030 00:00:12 GMT') } });
    assert.equal(await withRetry(fn, options), 'ok');
    assert.deepEqual(sleeps, [12_000]);
  });

  it('backs off on a 429 without Retry-After, at most 3 retries', async () => {
    const { sleeps, options } = harness();
    const { fn, state } = always({ status: 429 });
    await assert.rejects(withRetry(fn, options), { category: 'rate-limit', status: 429 });
    assert.deepEqual(sleeps, [1000, 2000, 4000]);
    assert.equal(state.calls, 4);
  });

  it('fails at once when Retry-After exceeds the cap, carrying the wait', async () => {
    const { sleeps, options } = harness();
    const { fn, state } = always({ status: 429, response: { headers: headers('120') } });
    await assert.rejects(withRetry(fn, options), (error: unknown) => {
      assert.ok(error instanceof CloudtopError);
      assert.equal(error.category, 'rate-limit');
      assert.equal(error.retryAfterMs, 120_000);
      assert.match(error.message, /try again in 2 min/);
      return true;
    });
    assert.equal(state.calls, 1);
    assert.deepEqual(sleeps, []);
  });

  it('honours a configured cap', async () => {
    const { sleeps, options } = harness({ maxRetryAfterMs: 200_000 });
    const { fn } = failing({ status: 429, response: { headers: headers('120') } });
    assert.equal(await withRetry(fn, options), 'ok');
    assert.deepEqual(sleeps, [120_000]);
  });

  it('honours configured retries and base delay', async () => {
    const { sleeps, options } = harness({ retries: 1, baseDelayMs: 10 });
    const { fn, state } = always({ status: 500 });
    await assert.rejects(withRetry(fn, options), { category: 'network' });
    assert.deepEqual(sleeps, [10]);
    assert.equal(state.calls, 2);
  });

  const never: ReadonlyArray<readonly [string, unknown]> = [
    ['auth (401)', { status: 401 }],
    ['permission (403)', { status: 403 }],
    ['not-found (404)', { status: 404 }],
    ['config (400)', { status: 400 }],
    ['config (422)', { status: 422 }],
    ['unknown (a bug)', new TypeError('x is not a function')],
  ];
  for (const [label, thrown] of never) {
    it(`never retries ${label}`, async () => {
      const { sleeps, options } = harness();
      const { fn, state } = always(thrown);
      await assert.rejects(withRetry(fn, options), (error: unknown) => error instanceof CloudtopError);
      assert.equal(state.calls, 1);
      assert.deepEqual(sleeps, []);
    });
  }

  it("retries a non-Error throwable the cloud's hook reads as network (OCI network failures are plain objects)", async () => {
    const { options } = harness({ cloud: 'oci', hook: ociErrors });
    const { fn, state } = failing({ message: 'fetch failed', requestEndpoint: 'GET http://x' });
    assert.equal(await withRetry(fn, options), 'ok');
    assert.equal(state.calls, 2);
  });

  describe("the cloud's error hook decides inside the loop", () => {
    it('a permission error by the hook is tried once, whatever the status says', async () => {
      const { sleeps, options } = harness({ cloud: 'oci', hook: ociErrors });
      const { fn, state } = always({ statusCode: 404, serviceCode: 'NotAuthorizedOrNotFound' });
      await assert.rejects(withRetry(fn, options), (e: unknown) => e instanceof CloudtopError && e.category === 'permission');
      assert.equal(state.calls, 1, 'never retried');
      assert.deepEqual(sleeps, []);
    });

    it('a throttle by the hook is always retried, with the wait the hook reads', async () => {
      const hook = {
        classify: ({ code }: { code?: string }) =>
          code === 'SlowDown' ? { category: 'rate-limit' as const, retryAfterMs: 1500 } : undefined,
      };
      const { sleeps, options } = harness({ hook });
      const { fn, state } = failing(withStatus(400, 'SlowDown'), withStatus(400, 'SlowDown'));
      assert.equal(await withRetry(fn, options), 'ok');
      assert.equal(state.calls, 3, 'a 400 the cloud calls a throttle is retried');
      assert.deepEqual(sleeps, [1500, 1500]);
    });
  });

  describe('abort', () => {
    it('stops during a wait and rethrows the reason', async () => {
      const controller = new AbortController();
      const reason = new Error('deadline');
      const { fn, state } = always({ status: 503 });
      const options: RetryOptions = {
        signal: controller.signal,
        sleep: (_ms, signal) => {
          controller.abort(reason);
          return Promise.reject(signal?.reason as Error);
        },
      };
      await assert.rejects(withRetry(fn, options), (error: unknown) => error === reason);
      assert.equal(state.calls, 1);
    });

    it('stops the default timer-based wait at once (a 60 s backoff never elapses)', async () => {
      const controller = new AbortController();
      const { fn, state } = always({ status: 503 });
      const run = withRetry(fn, { signal: controller.signal, baseDelayMs: 60_000, onRetry: () => controller.abort('stop') });
      await assert.rejects(run, (error: unknown) => error === 'stop');
      assert.equal(state.calls, 1);
    });

    it('rethrows the reason when fn fails because of the abort', async () => {
      const controller = new AbortController();
      const reason = new Error('cancelled');
      const { options, sleeps } = harness({ signal: controller.signal });
      let calls = 0;
      const fn = () => {
        calls++;
        controller.abort(reason);
        return Promise.reject(Object.assign(new Error('aborted'), { code: 'UND_ERR_ABORTED' }));
      };
      await assert.rejects(withRetry(fn, options), (error: unknown) => error === reason);
      assert.equal(calls, 1);
      assert.deepEqual(sleeps, []);
    });

    it('never calls fn when already aborted', async () => {
      const controller = new AbortController();
      controller.abort(new Error('early'));
      let calls = 0;
      await assert.rejects(
        withRetry(() => Promise.resolve(++calls), { signal: controller.signal }),
        { message: 'early' },
      );
      assert.equal(calls, 0);
    });
  });
});

describe('sleep', () => {
  it('resolves after the delay', async () => {
    assert.equal(await sleep(1), undefined);
  });

  it('rejects with the reason when aborted, before or during', async () => {
    const early = new AbortController();
    early.abort('before');
    await assert.rejects(sleep(10, early.signal), (error: unknown) => error === 'before');
    const late = new AbortController();
    const pending = sleep(60_000, late.signal);
    late.abort('during');
    await assert.rejects(pending, (error: unknown) => error === 'during');
  });
});
