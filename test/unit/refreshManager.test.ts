import assert from 'node:assert/strict';
import { RefreshManager } from '../../src/vscode/refreshManager';
import { FakeClock, settle } from '../support/fake-clock';
import { startProviderHarness } from '../support/providerHarness';

/** Lets the promise jobs of a refresh run. */
const flush = settle;

describe('RefreshManager', () => {
  let clock: FakeClock;
  let runs: boolean[];
  let interval: number;
  let release: (() => void) | undefined;
  let hold: boolean;
  let manager: RefreshManager;

  beforeEach(() => {
    clock = new FakeClock();
    runs = [];
    interval = 60;
    hold = false;
    manager = new RefreshManager(
      (manual) => {
        runs.push(manual);
        if (!hold) return Promise.resolve();
        return new Promise<void>((resolve) => (release = resolve));
      },
      () => interval,
      clock,
    );
  });
  afterEach(() => manager.dispose());

  it('polls only while a Cloudtop surface is visible and the window focused', async () => {
    assert.equal(manager.timerArmed, false, 'nothing visible: no timer');
    manager.setVisible('vastai', true);
    assert.equal(manager.timerArmed, true);
    await clock.advance(0);
    assert.deepEqual(runs, [false], 'first refresh at once');
    await clock.advance(60_000);
    assert.deepEqual(runs, [false, false], 'then every interval');
    manager.setFocused(false);
    assert.equal(manager.timerArmed, false, 'unfocused window: no timer');
    await clock.advance(600_000);
    assert.equal(runs.length, 2);
    manager.setFocused(true);
    await clock.advance(0);
    assert.equal(runs.length, 3, 'overdue refresh runs when focus returns');
    manager.setVisible('vastai', false);
    assert.equal(manager.timerArmed, false, 'hidden views: no timer');
    await clock.advance(600_000);
    assert.equal(runs.length, 3);
  });

  it('keeps polling while any one surface is visible', () => {
    manager.setVisible('vastai', true);
    manager.setVisible('dashboard', true);
    manager.setVisible('vastai', false);
    assert.equal(manager.timerArmed, true);
  });

  it('interval 0 turns the timer off; a changed interval applies at once', async () => {
    manager.setVisible('runpod', true);
    await clock.advance(0);
    interval = 0;
    manager.reconfigure();
    assert.equal(manager.timerArmed, false);
    interval = 10;
    manager.reconfigure();
    await clock.advance(10_000);
    assert.deepEqual(runs, [false, false]);
  });

  it('a manual refresh runs at once, even with no view visible', async () => {
    await manager.refreshNow();
    assert.deepEqual(runs, [true]);
  });

  it('a manual refresh reaches its caller when it fails; the timer keeps going after its own failures', async () => {
    let fail = true;
    const failing = new RefreshManager(
      (manual) => {
        runs.push(manual);
        return fail ? Promise.reject(new Error('cache backend broken')) : Promise.resolve();
      },
      () => interval,
      clock,
    );
    try {
      await assert.rejects(failing.refreshNow(), /cache backend broken/);
      failing.setVisible('vastai', true);
      await clock.advance(60_000);
      assert.deepEqual(runs, [true, false], 'the timer ran after the failed manual refresh');
      await clock.advance(60_000);
      assert.deepEqual(runs, [true, false, false], 'and again after its own failure');
      fail = false;
      await failing.refreshNow();
    } finally {
      failing.dispose();
    }
  });

  it('against a real collector: the timer is served from the cache, a manual refresh calls the cloud', async function () {
    this.timeout(20_000);
    const h = await startProviderHarness({ examples: ['vastai'], exampleCount: 3 });
    // The extension's wiring: Monitor.refresh(manual) asks the collector for `force: manual`.
    let last: Promise<unknown> = Promise.resolve();
    const real = new RefreshManager(
      (manual) => (last = h.collector.refresh({ force: manual })),
      () => interval,
      clock,
    );
    try {
      real.setVisible('vastai', true);
      await clock.advance(0);
      await real.refreshNow(); // settles the first automatic run too
      const afterFirst = h.sim.log.count('vastai');
      assert.ok(afterFirst > 0, 'the first refresh fetched');
      const before = last;
      await clock.advance(60_000);
      assert.notEqual(last, before, 'the timer started a refresh');
      await last;
      assert.equal(h.sim.log.count('vastai'), afterFirst, 'the automatic refresh within the TTL made no API call');
      await real.refreshNow();
      assert.ok(h.sim.log.count('vastai') > afterFirst, 'the manual refresh bypassed the cache');
    } finally {
      real.dispose();
      await h.close();
    }
  });

  it('never overlaps refreshes: a manual refresh waits for the running one, repeated clicks coalesce', async () => {
    hold = true;
    manager.setVisible('vastai', true);
    await clock.advance(0);
    assert.deepEqual(runs, [false]);
    const a = manager.refreshNow();
    const b = manager.refreshNow();
    await flush();
    assert.deepEqual(runs, [false], 'manual waits while the automatic refresh runs');
    await clock.advance(120_000);
    assert.deepEqual(runs, [false], 'no timer refresh while one is running');
    release!();
    await flush();
    assert.deepEqual(runs, [false, true], 'then one manual refresh');
    release!();
    await Promise.all([a, b]);
    assert.deepEqual(runs, [false, true]);
  });
});
