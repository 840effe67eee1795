// Autostop with a fake clock: an idle GPU instance is stopped after the countdown unless the user answers Keep running
// or Not today; never one whose utilization is unknown (or from a failing cloud: the same `idle: false`), never an
// excluded one, never with the setting at 0; the idle time survives a window reload (the extension's state).
import assert from 'node:assert/strict';
import type { Snapshot } from '../../src/core/model/model';
import { silentLogger } from '../../src/core/model/log';
import { AutoStop, IDLE_SINCE_KEY, KEEP_RUNNING, NOT_TODAY, STOP_NOW, type AutoStopDeps } from '../../src/vscode/autoStop';
import { FakeClock, settle } from '../support/fake-clock';

type MementoLike = AutoStopDeps['memento'];

class Memento implements MementoLike {
  private readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, fallback?: T): T {
    return (this.values.has(key) ? this.values.get(key) : fallback) as T;
  }
  update(key: string, value: unknown): Promise<void> {
    this.values.set(key, structuredClone(value));
    return Promise.resolve();
  }
}

const MINUTE = 60_000;
/** One Vast.ai GPU instance at $23.50/h; `idle` as the engine computes it (false without GPU metrics or when stale). */
const snapshot = (idle: boolean): Snapshot => ({
  timestamp: '2026-12-07T12:00:00Z',
  durationMs: 1,
  outcomes: {
    vastai: { cloud: 'vastai', state: 'ok', resources: [], metrics: {}, offers: [], fromCache: false, stale: false, durationMs: 1 },
  },
  totals: {
    gpuSpendPerHour: 23.5,
    runningGpuCount: 8,
    stoppedStoragePerHour: 0,
    unpricedGpuCount: 0,
    unpricedGpu: [],
    gpuSpend: [{ cloud: 'vastai', resourceId: 'i-9', name: 'train-01', pricePerHour: 23.5, idle, gpu: { model: 'H100', count: 8 } }],
  },
});

describe('autostop (cloudtop.idleGpu.autoStopMinutes)', () => {
  let clock: FakeClock;
  let memento: Memento;
  let asked: string[];
  let answer: (choice: string | undefined) => void;
  let stopped: string[];
  let minutes: number;
  const make = () =>
    new AutoStop({
      memento,
      clock,
      minutes: () => minutes,
      enabled: () => true,
      ask: (message) => {
        asked.push(message);
        return new Promise((resolve) => (answer = resolve));
      },
      stop: (cloud, id) => {
        stopped.push(`${cloud}/${id}`);
        return Promise.resolve();
      },
      log: silentLogger,
    });

  beforeEach(() => {
    clock = new FakeClock(Date.parse('2026-12-07T12:00:00Z'));
    memento = new Memento();
    asked = [];
    stopped = [];
    minutes = 1;
  });

  it('stops an idle instance when the countdown ends without an answer', async () => {
    const auto = make();
    await auto.update(snapshot(true));
    // Idle through the whole 5-minute metrics window already: over the 1-minute setting at once.
    assert.deepEqual(asked, ['Stopping train-01 on Vast.ai in 5 min: idle 5 min, $23.50/h']);
    await clock.advance(4 * MINUTE);
    assert.deepEqual(stopped, [], 'not before the countdown ends');
    await clock.advance(1 * MINUTE);
    await settle();
    assert.deepEqual(stopped, ['vastai/i-9']);
  });

  it('Keep running cancels it and starts the idle time again; Stop now stops at once', async () => {
    const auto = make();
    await auto.update(snapshot(true));
    answer(KEEP_RUNNING);
    await settle();
    await clock.advance(10 * MINUTE);
    assert.deepEqual(stopped, []);
    assert.equal(memento.get<Record<string, number>>(IDLE_SINCE_KEY)['vastai/i-9'], Date.parse('2026-12-07T12:00:00Z'));
    await auto.update(snapshot(true)); // idle 10 min since Keep running: counts down again
    assert.equal(asked.length, 2);
    answer(STOP_NOW);
    await settle();
    assert.deepEqual(stopped, ['vastai/i-9']);
  });

  it('Not today: no countdown again the same day', async () => {
    const auto = make();
    await auto.update(snapshot(true));
    answer(NOT_TODAY);
    await settle();
    await clock.advance(30 * MINUTE);
    await auto.update(snapshot(true));
    assert.equal(asked.length, 1);
    assert.deepEqual(stopped, []);
  });

  it('never stops an instance whose utilization is unknown (or whose cloud is failing)', async () => {
    const auto = make();
    for (let i = 0; i < 24; i++) {
      await auto.update(snapshot(false));
      await clock.advance(60 * MINUTE);
    }
    assert.deepEqual(asked, []);
    assert.deepEqual(stopped, []);
  });

  it('never one marked Never Autostop, nor with the setting at 0', async () => {
    const auto = make();
    assert.equal(await auto.toggleExcluded('vastai', 'i-9'), true);
    await auto.update(snapshot(true));
    minutes = 0;
    await auto.update(snapshot(true));
    await clock.advance(60 * MINUTE);
    assert.deepEqual(asked, []);
    assert.deepEqual(stopped, []);
  });

  it("never one whose stop would not stop its bill (the front end's refusal): no countdown, no stop, said once in the log", async () => {
    const lines: string[] = [];
    const auto = new AutoStop({
      memento,
      clock,
      minutes: () => minutes,
      enabled: () => true,
      ask: (message) => {
        asked.push(message);
        return Promise.resolve(undefined);
      },
      refuses: () => "stopping it would save nothing: stopping does not stop Oracle's GPU charge; terminate it to stop paying",
      stop: (cloud, id) => {
        stopped.push(`${cloud}/${id}`);
        return Promise.resolve();
      },
      log: { ...silentLogger, info: (line: string) => lines.push(line) },
    });
    for (let i = 0; i < 3; i++) {
      await auto.update(snapshot(true));
      await clock.advance(30 * MINUTE);
    }
    await settle();
    assert.deepEqual([asked, stopped], [[], []]);
    assert.equal(lines.filter((l) => l.includes('would save nothing')).length, 1);
  });

  it('busy again during the countdown: not stopped', async () => {
    const auto = make();
    await auto.update(snapshot(true));
    await clock.advance(2 * MINUTE);
    await auto.update(snapshot(false));
    await clock.advance(10 * MINUTE);
    assert.deepEqual(stopped, []);
  });

  it('the idle time survives a window reload (kept in the extension state)', async () => {
    minutes = 60;
    await make().update(snapshot(true)); // first seen idle at 12:00 (idle since 11:55)
    await clock.advance(56 * MINUTE);
    const reloaded = make(); // a new window: the same globalState, no memory of its own
    await reloaded.update(snapshot(true));
    assert.deepEqual(asked, ['Stopping train-01 on Vast.ai in 5 min: idle 61 min, $23.50/h']);
  });
});
