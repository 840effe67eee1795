// Stop and Start in the real extension host against the simulated Vast.ai: the command from a resource node asks
// (the modal's text checked, its answer given through the ResourceActions seam), shows `stopping…` at once, follows the
// instance to `stopped` with refreshes and the status-bar spend drops by its price; Cancel sends nothing; with
// cloudtop.actions.enabled off the menus hide the actions and the command sends nothing; a read-only key's refusal
// leaves the instance as it was. Writes are read from the simulator's own log of write calls.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CloudtopApi } from '../../../src/extension';
import type { CloudTree } from '../../../src/vscode/cloudTree';
import type { CloudNode } from '../../../src/vscode/treeNodes';
import { createRegisteredClouds } from '../../sim/clouds';
import { startSim, type Sim } from '../../sim/server';
import type { VastState } from '../../sim/vastai';
import { IdleAlerts } from '../../../src/vscode/idleAlerts';
import type { Snapshot } from '../../../src/core/model/model';

const config = () => vscode.workspace.getConfiguration('cloudtop');
type ResourceNode = Extract<CloudNode, { kind: 'resource' }>;

describe('Stop and Start on a resource', function () {
  this.timeout(60_000);
  let sim: Sim;
  let api: CloudtopApi;
  let vast: CloudTree;
  let asked: { message: string; detail: string; button: string }[];
  let answer: boolean;

  const resources = (): ResourceNode[] =>
    vast
      .getChildren()
      .filter((n) => n.kind === 'service')
      .flatMap((n) => vast.getChildren(n))
      .filter((n): n is ResourceNode => n.kind === 'resource');
  const node = (id: string) => resources().find((n) => n.resource.id === id)!;
  const writes = () => sim.state<VastState>('vastai').writes;
  const refresh = () => vscode.commands.executeCommand('cloudtop.refresh');
  /** A running GPU instance with a price, whose GPU is busy (so the idle alert stays out of the way). */
  const runningGpu = (): ResourceNode => {
    const found = resources().find((n) => n.resource.status === 'running' && n.resource.gpu && n.resource.pricePerHour !== undefined);
    assert.ok(found, 'the sim has a running, priced GPU instance');
    return found;
  };

  before(async () => {
    sim = await startSim({ clouds: createRegisteredClouds() });
    api = await vscode.extensions.getExtension<CloudtopApi>('cloudtop.cloudtop')!.activate();
    vast = api.trees.find((t) => t.cloud === 'vastai')!;
    await config().update('vastai.endpoint', sim.endpoint('vastai'), vscode.ConfigurationTarget.Global);
    await config().update('rateLimit.vastai', { perSecond: 50, burst: 50 }, vscode.ConfigurationTarget.Global);
    api.actions.confirm = (message, detail, button) => {
      asked.push({ message, detail, button });
      return Promise.resolve(answer);
    };
  });

  after(async () => {
    delete process.env.VAST_API_KEY;
    await config().update('actions.enabled', undefined, vscode.ConfigurationTarget.Global);
    await sim?.close();
  });

  // A follow-up a failed test left running must not reach into the next one.
  afterEach(() => Promise.all([...api.actions.following]));

  beforeEach(async () => {
    sim.reset();
    process.env.VAST_API_KEY = sim.keys().vastai;
    asked = [];
    answer = true;
    await refresh();
  });

  it('Stop from the context menu asks, shows stopping… at once, then stopped, and the spend drops by its price', async () => {
    const target = runningGpu();
    const { id, name, pricePerHour } = target.resource;
    const tokens = vast.getTreeItem(target).contextValue!.split(';');
    assert.ok(tokens.includes('canStop') && tokens.includes('gpu'), `Stop is offered, inline too (GPU): ${tokens.join(';')}`);
    assert.ok(!tokens.includes('canStart'));
    const spendBefore = api.monitor.snapshot!.totals.gpuSpendPerHour;

    await vscode.commands.executeCommand('cloudtop.stop', target);
    assert.equal(asked.length, 1);
    assert.equal(asked[0].message, `Stop ${name} on Vast.ai?`);
    assert.equal(asked[0].button, 'Stop');
    assert.match(asked[0].detail, new RegExp(`\\$${pricePerHour!.toFixed(2)}/h while running`));
    assert.match(asked[0].detail, /Still billed while stopped:\n• its disk: \$\d+\.\d\d\/h/);
    assert.match(asked[0].detail, /Lost by stopping:/);
    assert.deepEqual(
      writes().map((w) => [w.method, w.path, w.body]),
      [['PUT', `/api/v0/instances/${id}/`, { state: 'stopped' }]],
    );
    assert.equal(vast.getTreeItem(node(id)).description, 'stopping…', 'shown at once, before any refresh');

    await Promise.all([...api.actions.following]);
    assert.equal(sim.state<VastState>('vastai').instances.find((i) => String(i.id) === id)!.actual_status, 'stopped');
    assert.match(String(vast.getTreeItem(node(id)).description), /^stopped/);
    const spendAfter = api.monitor.snapshot!.totals.gpuSpendPerHour;
    assert.equal(Math.round((spendBefore - spendAfter) * 100), Math.round(pricePerHour! * 100));
    assert.equal(api.statusBar.item.text.includes(`$${spendAfter.toFixed(2)}/h`) || spendAfter === 0, true);
    // Now stopped: Start is offered, Stop is not.
    const after = vast.getTreeItem(node(id)).contextValue!.split(';');
    assert.ok(after.includes('canStart') && !after.includes('canStop'), after.join(';'));
    assert.equal(writes().length, 1);
  });

  it('Cancel sends nothing', async () => {
    answer = false;
    const target = runningGpu();
    await vscode.commands.executeCommand('cloudtop.stop', target);
    assert.equal(asked.length, 1);
    assert.deepEqual(writes(), []);
    assert.equal(api.actions.following.size, 0);
    assert.match(String(vast.getTreeItem(node(target.resource.id)).description), /^running/);
  });

  it('with cloudtop.actions.enabled off, every action is hidden and the command sends nothing', async () => {
    const menus = (
      vscode.extensions.getExtension('cloudtop.cloudtop')!.packageJSON as {
        contributes: { menus: Record<string, { command: string; when: string }[]> };
      }
    ).contributes.menus;
    const actionItems = Object.entries(menus).flatMap(([where, items]) =>
      items
        .filter((i) => ['cloudtop.stop', 'cloudtop.start', 'cloudtop.toggleAutostop'].includes(i.command))
        .map((i) => ({ where, when: i.when })),
    );
    assert.ok(actionItems.length >= 7);
    for (const item of actionItems)
      assert.ok(item.when === 'false' || /\bconfig\.cloudtop\.actions\.enabled\b/.test(item.when), `${item.where}: ${item.when}`);

    await config().update('actions.enabled', false, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('cloudtop.stop', runningGpu());
      assert.deepEqual(asked, [], 'not even asked');
      assert.deepEqual(writes(), []);
    } finally {
      await config().update('actions.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it("a read-only key's refusal is sent once and leaves the instance as it was, not stopping…", async () => {
    const target = runningGpu();
    sim.state<VastState>('vastai').readOnlyKeys.push(sim.keys().vastai);
    await vscode.commands.executeCommand('cloudtop.stop', target);
    assert.equal(writes().length, 1);
    assert.equal(writes()[0].status, 403);
    assert.equal(api.actions.following.size, 0);
    assert.match(String(vast.getTreeItem(node(target.resource.id)).description), /^running/);
  });

  it('the idle-GPU notification offers Stop beside Show (not when actions are off), which runs the confirmed stop', async () => {
    const shown: unknown[][] = [];
    const window = vscode.window as { showWarningMessage: (...args: unknown[]) => Thenable<unknown> };
    const original = window.showWarningMessage;
    window.showWarningMessage = (...args: unknown[]) => {
      shown.push(args);
      return Promise.resolve('Stop');
    };
    const idle: Snapshot = {
      timestamp: new Date().toISOString(),
      durationMs: 1,
      outcomes: {},
      totals: {
        gpuSpendPerHour: 23.5,
        runningGpuCount: 8,
        stoppedStoragePerHour: 0,
        unpricedGpuCount: 0,
        unpricedGpu: [],
        gpuSpend: [
          { cloud: 'vastai', resourceId: 'i-9', name: 'train-01', pricePerHour: 23.5, idle: true, gpu: { model: 'H100', count: 8 } },
        ],
      },
    };
    try {
      let enabled = true;
      const stopped: string[] = [];
      const memento = { keys: () => [], get: <T>(_k: string, fallback?: T) => fallback as T, update: () => Promise.resolve() };
      const alerts = new IdleAlerts(
        memento,
        () => 1,
        () => undefined,
        () => 10 * 60_000,
        {
          enabled: () => enabled,
          run: (cloud, id) => stopped.push(`${cloud}/${id}`),
        },
      );
      alerts.update(idle);
      await new Promise((resolve) => setTimeout(resolve, 10));
      assert.deepEqual(shown[0].slice(1), ['Show', 'Stop', "Don't Warn Again"]);
      assert.deepEqual(stopped, ['vastai/i-9']);
      enabled = false;
      const quiet = new IdleAlerts(
        memento,
        () => 1,
        () => undefined,
        () => 10 * 60_000,
        { enabled: () => enabled, run: () => undefined },
      );
      quiet.update(idle);
      assert.deepEqual(shown[1].slice(1), ['Show', "Don't Warn Again"]);
    } finally {
      window.showWarningMessage = original;
    }
  });
});
