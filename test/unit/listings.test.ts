// listings() (src/core/engine/provider.ts): a scope's listings run concurrently; a failing secondary one is a problem,
// not a failed scope; an abort, a rejected key, the primary's failure or every listing's fails the scope.
import assert from 'node:assert/strict';
import { listings } from '../../src/core/engine/provider';
import { CloudtopError } from '../../src/core/errors/errors';
import type { ErrorCategory } from '../../src/core/model/model';

const failing = (category: ErrorCategory, message = `${category} failure`) =>
  Promise.reject(new CloudtopError({ category, cloud: 'runpod', message }));
/** A listing that answers only when its signal aborts, rejecting with the signal's reason. */
const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));

describe('listings(): one listing of several may fail', () => {
  it('answers every listing by name, and a failing secondary one as a problem naming it and its services', async () => {
    const got = await listings('runpod', new AbortController().signal, {
      Pods: { services: ['Pods'], primary: true, list: () => Promise.resolve([1, 2]) },
      'Network volumes': { services: ['Network Volumes'], list: () => failing('not-found') },
      Skipped: undefined,
    });
    assert.deepEqual(got.values.Pods, [1, 2]);
    assert.equal(got.values['Network volumes'], undefined);
    assert.equal(got.problems.length, 1);
    const [problem] = got.problems;
    assert.ok('listing' in problem);
    assert.equal(problem.listing, 'Network volumes');
    assert.deepEqual(problem.services, ['Network Volumes']);
    assert.equal((problem.error as CloudtopError).category, 'not-found');
  });

  it('a failing primary listing fails the scope and aborts the others', async () => {
    let aborted = false;
    await assert.rejects(
      listings('runpod', new AbortController().signal, {
        Pods: { services: ['Pods'], primary: true, list: () => failing('network', 'pods down') },
        Serverless: {
          services: ['Serverless'],
          list: (s) => untilAborted(s).finally(() => (aborted = s.aborted)),
        },
      }),
      /pods down/,
    );
    assert.ok(aborted, 'the other listing was cancelled');
  });

  it('a rejected key in any listing fails the scope', async () => {
    await assert.rejects(
      listings('runpod', new AbortController().signal, {
        Pods: { services: ['Pods'], primary: true, list: (s) => untilAborted(s) },
        'Network volumes': { services: ['Network Volumes'], list: () => failing('auth', 'key rejected') },
      }),
      (e: unknown) => e instanceof CloudtopError && e.category === 'auth',
    );
  });

  it('every listing failing fails the scope with the first one’s error', async () => {
    await assert.rejects(
      listings('runpod', new AbortController().signal, {
        Serverless: { services: ['Serverless'], list: () => failing('network', 'first') },
        'Network volumes': { services: ['Network Volumes'], list: () => failing('not-found', 'second') },
      }),
      /first/,
    );
  });

  it('the caller’s abort fails the scope and reaches every listing', async () => {
    const caller = new AbortController();
    const pending = listings('runpod', caller.signal, {
      Serverless: { services: ['Serverless'], list: (s) => untilAborted(s) },
      'Network volumes': { services: ['Network Volumes'], list: () => Promise.resolve([]) },
    });
    caller.abort(new Error('deadline'));
    await assert.rejects(pending, /deadline/);
  });

  it('leaves no listener on the caller’s signal', async () => {
    const caller = new AbortController();
    let added = 0;
    let removed = 0;
    const add = caller.signal.addEventListener.bind(caller.signal);
    const remove = caller.signal.removeEventListener.bind(caller.signal);
    caller.signal.addEventListener = ((...args: Parameters<typeof add>) => (added++, add(...args))) as typeof add;
    caller.signal.removeEventListener = ((...args: Parameters<typeof remove>) => (removed++, remove(...args))) as typeof remove;
    await listings('runpod', caller.signal, { Pods: { services: ['Pods'], list: () => Promise.resolve([]) } });
    assert.equal(added, 1);
    assert.equal(removed, 1);
  });
});
