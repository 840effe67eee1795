// Autostop in the real extension host against the simulated Vast.ai, with `cloudtop.idleGpu.autoStopMinutes` at 1 and
// a fake clock driving the countdown (AutoStop.useClock; test/support/fake-clock.ts): an idle GPU instance gets the
// countdown notification and, unanswered, exactly one stop write when it ends; "Keep running" sends none; an instance
// whose GPU utilization the cloud does not report gets no countdown and no write, however long; with
// `cloudtop.actions.enabled` off there is no autostop at all. The notification is
// observed and answered by wrapping `vscode.window.showWarningMessage`; writes are read from the simulator's log.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { realClock } from '../../../src/core/transport/clock';
import type { CloudtopApi } from '../../../src/extension';
import { COUNTDOWN_MS, KEEP_RUNNING, NOT_TODAY, STOP_NOW } from '../../../src/vscode/autoStop';
import { createRegisteredClouds } from '../../sim/clouds';
import { startSim, type Sim } from '../../sim/server';
import type { VastState } from '../../sim/vastai';
import type { VastSimInstance } from '../../sim/vastai-data';
import { FakeClock } from '../../support/fake-clock';

const config = () => vscode.workspace.getConfiguration('cloudtop');
const MINUTE = 60_000;
type Warn = (...args: unknown[]) => Thenable<unknown>;
const win = vscode.window as unknown as { showWarningMessage: Warn };

/** Waits (real time) until `check` holds. */
async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('Autostop (cloudtop.idleGpu.autoStopMinutes = 1, fake clock)', function () {
  this.timeout(60_000);
  let sim: Sim;
  let api: CloudtopApi;
  let clock: FakeClock;
  /** Each test's clock starts a day after the last one's, so no "Not today" carries over (nor a time that ran backwards). */
  let day = 0;
  let asked: unknown[][];
  let answer: () => Thenable<unknown>;
  let idle: VastSimInstance;
  let unknown: VastSimInstance;
  const originalWarning = win.showWarningMessage;

  const writes = () => sim.state<VastState>('vastai').writes;
  const refresh = () => vscode.commands.executeCommand('cloudtop.refresh');
  const key = (i: VastSimInstance) => `vastai/${i.id}`;
  const countdowns = () => asked.filter((args) => String(args[0]).startsWith('Stopping '));

  before(async () => {
    sim = await startSim({ clouds: createRegisteredClouds() });
    api = await vscode.extensions.getExtension<CloudtopApi>('cloudtop.cloudtop')!.activate();
    await config().update('vastai.endpoint', sim.endpoint('vastai'), vscode.ConfigurationTarget.Global);
    await config().update('rateLimit.vastai', { perSecond: 50, burst: 50 }, vscode.ConfigurationTarget.Global);
    await config().update('idleGpu.autoStopMinutes', 1, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    api.autoStop.useClock(realClock);
    win.showWarningMessage = originalWarning;
    delete process.env.VAST_API_KEY;
    await config().update('idleGpu.autoStopMinutes', undefined, vscode.ConfigurationTarget.Global);
    await sim?.close();
  });

  beforeEach(() => {
    sim.reset();
    process.env.VAST_API_KEY = sim.keys().vastai;
    const state = sim.state<VastState>('vastai');
    state.pollsToSettle = 1;
    // The cloud's own readings (gpu_util, a percentage; null where the docs allow it): one running GPU instance idle,
    // one whose utilization Vast.ai does not report, every other running one busy.
    const running = state.instances.filter((i) => i.actual_status === 'running' && i.num_gpus > 0 && i.dph_total > 0);
    assert.ok(running.length >= 2, 'the sim has two running GPU instances');
    [idle, unknown] = running;
    for (const i of running) i.gpu_util = 60;
    idle.gpu_util = 0.4;
    unknown.gpu_util = null;
    asked = [];
    answer = () => new Promise(() => undefined); // the user does not answer
    win.showWarningMessage = (...args: unknown[]) => {
      asked.push(args);
      // Only autostop's countdown is answered; the idle alert (Show / Stop / Don't Warn Again) is dismissed.
      return String(args[0]).startsWith('Stopping ') ? answer() : Promise.resolve(undefined);
    };
    clock = new FakeClock(Date.now() + ++day * 24 * 60 * MINUTE);
    api.autoStop.useClock(clock);
  });

  afterEach(async () => {
    win.showWarningMessage = originalWarning;
    await Promise.all([...api.actions.following]);
  });

  it('an idle instance, unanswered, is stopped once when the countdown ends; the unknown one is not', async () => {
    await refresh();
    await until(() => api.autoStop.counting.includes(key(idle)), 'the countdown');
    assert.deepEqual(api.autoStop.counting, [key(idle)], 'no countdown for the instance of unknown utilization');
    const [message, ...buttons] = countdowns()[0];
    assert.match(String(message), /^Stopping .+ on Vast\.ai in 5 min: idle \d+ min, \$\d+\.\d\d\/h$/);
    assert.deepEqual(buttons, [STOP_NOW, KEEP_RUNNING, NOT_TODAY]);

    await clock.advance(COUNTDOWN_MS - MINUTE);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(writes(), [], 'nothing before the countdown ends');

    await clock.advance(MINUTE);
    await until(() => writes().length > 0, 'the stop');
    await Promise.all([...api.actions.following]);
    assert.deepEqual(
      writes().map((w) => [w.method, w.path, w.body, w.status]),
      [['PUT', `/api/v0/instances/${idle.id}/`, { state: 'stopped' }, 200]],
      'exactly one stop, for the idle instance',
    );
    assert.equal(idle.actual_status, 'stopped');
    assert.deepEqual(api.autoStop.counting, []);
  });

  it('"Keep running" sends nothing, even long after the countdown', async () => {
    answer = () => Promise.resolve(KEEP_RUNNING);
    await refresh();
    await until(() => countdowns().length > 0, 'the countdown notification');
    await new Promise((resolve) => setTimeout(resolve, 200)); // the answer is taken
    await clock.advance(COUNTDOWN_MS + 10 * MINUTE);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // room for a stop, were one sent
    assert.deepEqual(writes(), []);
    assert.deepEqual(api.autoStop.counting, []);
    assert.equal(idle.actual_status, 'running');
  });

  it('with cloudtop.actions.enabled off, an idle instance gets no countdown and no write', async () => {
    await config().update('actions.enabled', false, vscode.ConfigurationTarget.Global);
    try {
      await refresh();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await clock.advance(COUNTDOWN_MS + MINUTE);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(countdowns(), []);
      assert.deepEqual(api.autoStop.counting, []);
      assert.deepEqual(writes(), []);
    } finally {
      await config().update('actions.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('an instance whose GPU utilization is unknown never gets a countdown or a write', async () => {
    idle.gpu_util = 60; // only the unknown one is left not busy
    for (let hour = 0; hour < 3; hour++) {
      await refresh();
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(api.autoStop.counting, []);
      await clock.advance(60 * MINUTE);
    }
    assert.deepEqual(countdowns(), []);
    assert.deepEqual(writes(), []);
    assert.equal(unknown.actual_status, 'running');
  });
});
