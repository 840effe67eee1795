// anySignal (src/core/engine/abort.ts) on a long-lived parent — the collector's `closing`, the CLI's --refresh stop —
// must leave nothing on it once the child settles: no listener, and no WeakRef in Node's set of dependent signals,
// which AbortSignal.any adds per call and (Node 20) keeps while the parent lives (issue 25: ~80 a refresh).
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { anySignal } from '../../src/core/engine/abort';

/** Node's WeakRefs to the signals AbortSignal.any made from this one (lib/internal/abort_controller.js). */
function dependants(signal: AbortSignal): number {
  const symbol = Object.getOwnPropertySymbols(signal).find((s) => s.description === 'kDependantSignals');
  const set = symbol ? (signal as unknown as Record<symbol, Set<unknown> | undefined>)[symbol] : undefined;
  return set?.size ?? 0;
}

describe('anySignal', () => {
  it('1,000 links to a long-lived parent, each released, leave no listener and no dependent signal on it', () => {
    const parent = new AbortController();
    for (let i = 0; i < 1000; i++) {
      const deadline = new AbortController();
      const linked = anySignal([parent.signal, deadline.signal]);
      if (i % 2) deadline.abort(new Error('deadline'));
      linked.release();
    }
    assert.equal(getEventListeners(parent.signal, 'abort').length, 0);
    assert.equal(dependants(parent.signal), 0);
  });

  it('(what AbortSignal.any leaves, for comparison: one dependent signal per call)', () => {
    const parent = new AbortController();
    const kept: AbortSignal[] = [];
    for (let i = 0; i < 100; i++) kept.push(AbortSignal.any([parent.signal, new AbortController().signal]));
    // Skipped where Node no longer keeps such a set (a later Node prunes it); on Node 20 it holds all 100.
    if (Object.getOwnPropertySymbols(parent.signal).some((s) => s.description === 'kDependantSignals'))
      assert.equal(dependants(parent.signal), 100);
  });

  it('aborts with the reason of whichever parent aborts, then leaves the others', () => {
    const a = new AbortController();
    const b = new AbortController();
    const linked = anySignal([a.signal, b.signal]);
    const reason = new Error('b gave up');
    b.abort(reason);
    assert.ok(linked.signal.aborted);
    assert.equal(linked.signal.reason, reason);
    assert.equal(getEventListeners(a.signal, 'abort').length, 0);
    linked.release();
  });

  it('a released child no longer follows its parents', () => {
    const a = new AbortController();
    const linked = anySignal([a.signal, new AbortController().signal]);
    linked.release();
    a.abort(new Error('late'));
    assert.equal(linked.signal.aborted, false);
  });

  it('an already aborted parent gives an aborted signal with its reason, nothing to release', () => {
    const reason = new Error('before');
    const linked = anySignal([AbortSignal.abort(reason), new AbortController().signal]);
    assert.ok(linked.signal.aborted);
    assert.equal(linked.signal.reason, reason);
    linked.release();
  });

  it('one signal is passed through as it is; none gives a signal that never aborts', () => {
    const only = new AbortController().signal;
    assert.equal(anySignal([undefined, only]).signal, only);
    assert.equal(anySignal([undefined]).signal.aborted, false);
  });
});
