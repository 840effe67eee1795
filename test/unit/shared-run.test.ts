import assert from 'node:assert/strict';
import { shared, SharedRuns } from '../../src/core/engine/shared-run';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('shared-run: one run for every caller in flight', () => {
  it('callers that ask while a run is in flight share it; a later ask starts a new one', async () => {
    let starts = 0;
    const gate = deferred<string>();
    const get = shared(() => (starts++, gate.promise));
    const both = Promise.all([get(new AbortController().signal), get()]);
    gate.resolve('token');
    assert.deepEqual(await both, ['token', 'token']);
    assert.equal(starts, 1);
    await get().catch(() => undefined);
    assert.equal(starts, 2);
  });

  it("one caller's abort rejects that caller only; the run goes on for the others", async () => {
    const runs = new SharedRuns<string>();
    const gate = deferred<string>();
    let runSignal: AbortSignal | undefined;
    const first = new AbortController();
    const second = new AbortController();
    const a = runs.join('k', (signal) => ((runSignal = signal), gate.promise), first.signal);
    const b = runs.join('k', () => Promise.reject(new Error('not started twice')), second.signal);
    first.abort(new Error('first deadline'));
    await assert.rejects(a, /first deadline/);
    assert.equal(runSignal?.aborted, false);
    gate.resolve('price list');
    assert.equal(await b, 'price list');
  });

  it('when every caller has given up, the run is aborted with the last reason, and its failure is nobody’s', async () => {
    const runs = new SharedRuns<string>();
    let runSignal: AbortSignal | undefined;
    const one = new AbortController();
    const two = new AbortController();
    const start = (signal: AbortSignal) => {
      runSignal = signal;
      return new Promise<string>((_, reject) => signal.addEventListener('abort', () => reject(new Error('run aborted'))));
    };
    const a = runs.join('k', start, one.signal);
    const b = runs.join('k', start, two.signal);
    one.abort(new Error('one'));
    await assert.rejects(a, /one/);
    two.abort(new Error('two'));
    await assert.rejects(b, /two/);
    assert.equal(runSignal?.aborted, true);
    assert.match(String((runSignal?.reason as Error).message), /two/);
    // The run's own rejection ("run aborted") reached nobody and is handled: the unhandled-rejection guard would fail this test.
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('keys are separate runs; a failed run rejects every caller and is not kept', async () => {
    const runs = new SharedRuns<string>();
    let starts = 0;
    const fail = () => (starts++, Promise.reject(new Error('401')));
    const results = await Promise.allSettled([runs.join('tenant-a', fail), runs.join('tenant-a', fail), runs.join('tenant-b', fail)]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected', 'rejected'],
    );
    assert.equal(starts, 2);
    await runs.join('tenant-a', fail).catch(() => undefined);
    assert.equal(starts, 3);
  });

  it('an already aborted signal rejects at once without starting anything', async () => {
    let starts = 0;
    const get = shared(() => (starts++, Promise.resolve('x')));
    const aborted = new AbortController();
    aborted.abort(new Error('gone'));
    await assert.rejects(get(aborted.signal), /gone/);
    assert.equal(starts, 0);
  });
});
