// The VS Code surface inside the real extension host, against simulated clouds started in this same
// process: tree contents in every state, credentials through the command, the refresh timer and visibility.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import * as vscode from 'vscode';
import type { CloudtopApi } from '../../../src/extension';
import type { CloudTree } from '../../../src/vscode/cloudTree';
import type { CloudNode } from '../../../src/vscode/treeNodes';
import { createRegisteredClouds } from '../../sim/clouds';
import type { RunpodState } from '../../sim/runpod';
import { startSim, type Sim } from '../../sim/server';
import type { VastState } from '../../sim/vastai';
import { runFiles } from './index';
import { assertNoSecrets } from '../../support/secrets';

const config = () => vscode.workspace.getConfiguration('cloudtop');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

describe('Cloudtop surface against simulated clouds', function () {
  this.timeout(60_000);
  let sim: Sim;
  let api: CloudtopApi;
  let vast: CloudTree;
  let runpod: CloudTree;

  const roots = (tree: CloudTree) => tree.getChildren();
  const items = (tree: CloudTree, nodes: CloudNode[]) => nodes.map((n) => tree.getTreeItem(n));
  const labelOf = (item: vscode.TreeItem) => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));
  const resources = (tree: CloudTree) =>
    roots(tree)
      .filter((n) => n.kind === 'service')
      .flatMap((n) => tree.getChildren(n));
  const refresh = () => vscode.commands.executeCommand('cloudtop.refresh');

  before(async () => {
    sim = await startSim({ clouds: createRegisteredClouds() });
    const extension = vscode.extensions.getExtension<CloudtopApi>('cloudtop.cloudtop')!;
    api = await extension.activate();
    vast = api.trees.find((t) => t.cloud === 'vastai')!;
    runpod = api.trees.find((t) => t.cloud === 'runpod')!;
    await config().update('vastai.endpoint', sim.endpoint('vastai'), vscode.ConfigurationTarget.Global);
    await config().update('runpod.endpoint', sim.endpoint('runpod'), vscode.ConfigurationTarget.Global);
    await config().update('rateLimit.vastai', { perSecond: 50, burst: 50 }, vscode.ConfigurationTarget.Global);
    process.env.VAST_API_KEY = sim.keys().vastai;
    process.env.RUNPOD_API_KEY = sim.keys().runpod;
  });

  after(async () => {
    delete process.env.VAST_API_KEY;
    delete process.env.RUNPOD_API_KEY;
    await sim?.close();
  });

  beforeEach(() => {
    sim.reset();
    process.env.VAST_API_KEY = sim.keys().vastai;
    process.env.RUNPOD_API_KEY = sim.keys().runpod;
  });

  it('ok: lists each instance under its service with status, key figures and metric rows', async () => {
    await refresh();
    const state = sim.state<VastState>('vastai');
    const nodes = resources(vast);
    assert.equal(nodes.length, state.instances.length);
    assert.equal(vast.state, 'ok');
    const running = nodes.find((n) => n.kind === 'resource' && n.resource.status === 'running' && n.resource.pricePerHour !== undefined);
    assert.ok(running && running.kind === 'resource');
    const item = vast.getTreeItem(running);
    assert.match(String(item.description), /^running · .*\$\d+\.\d\d\/h/);
    assert.ok(item.contextValue?.split(';').includes('resource'));
    assert.ok(item.iconPath instanceof vscode.ThemeIcon);
    const metrics = vast.getChildren(running);
    assert.ok(metrics.length > 0 && metrics.every((m) => m.kind === 'metric'), 'metric rows under a running instance');
    assert.equal(vast.view.description, 'key from environment');
    const pods = sim.state<RunpodState>('runpod');
    assert.equal(
      resources(runpod).length,
      pods.pods.length + pods.endpoints.length + pods.networkVolumes.length,
      'every pod, endpoint and network volume',
    );
  });

  it('unconfigured: no key anywhere shows the welcome view (an empty tree and its context key)', async () => {
    delete process.env.RUNPOD_API_KEY;
    await vscode.commands.executeCommand('cloudtop.signOut', 'runpod');
    await refresh();
    assert.equal(runpod.state, 'unconfigured');
    assert.deepEqual(roots(runpod), []);
    assert.equal(vast.state, 'ok', 'the other cloud is unaffected');
  });

  it('auth error: a rejected key shows an error node while the other cloud keeps its data', async () => {
    process.env.VAST_API_KEY = 'sim-wrong-key';
    await refresh();
    const [error] = roots(vast);
    assert.equal(error.kind, 'error');
    const item = vast.getTreeItem(error);
    assert.equal(item.label, 'Authentication failed');
    assert.match(String(item.description), /401/);
    assert.ok(!String(item.description).includes('sim-wrong-key'));
    assert.match(item.contextValue ?? '', /\berror\b/);
    assert.ok(resources(runpod).length > 0);
  });

  it('rate-limited: shows "rate limited, retrying in N s" while it waits, then the data', async () => {
    sim.faults.add('runpod', 'GET /pods', { status: 429, headers: { 'Retry-After': '3' } });
    const pending = refresh();
    let notice: string | undefined;
    for (let i = 0; i < 40 && !notice; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      notice = items(runpod, roots(runpod))
        .map((it) => labelOf(it))
        .find((label) => /^rate limited, retrying in \d+ s$/.test(label));
    }
    assert.ok(notice, 'the tree said it is rate limited and when it retries');
    await pending;
    assert.equal(runpod.state, 'ok');
    assert.ok(!items(runpod, roots(runpod)).some((it) => labelOf(it).startsWith('rate limited')), 'the notice is gone once data arrived');
  });

  it('stale: a failing refresh keeps the last good data, marked with its age', async () => {
    await refresh();
    const before = resources(vast).length;
    sim.faults.add('vastai', '*', { status: 403, times: Infinity });
    await refresh();
    const labels = items(vast, roots(vast)).map((it) => labelOf(it));
    assert.equal(labels[0], 'Permission denied');
    assert.ok(
      labels.some((l) => /^data from .* ago$/.test(l)),
      `a stale notice among ${labels.join(', ')}`,
    );
    assert.equal(resources(vast).length, before);
    assert.ok(resources(vast).every((n) => String(vast.getTreeItem(n).description).endsWith('· stale')));
  });

  // GPU offers keep their own 15-minute age through a refresh; Retry on a RunPod row searches them again.
  const failPriceSearch = async () => {
    await refresh();
    sim.faults.add('runpod', 'GET /catalog/gpus', { status: 403, times: Infinity });
    await vscode.commands.executeCommand('cloudtop.retry', roots(runpod)[0]);
    return roots(runpod);
  };

  it('partial: a failed GPU price search shows a warning row while the pods stay current', async () => {
    const [first] = await failPriceSearch();
    assert.equal(runpod.state, 'ok');
    assert.equal(first.kind, 'warning');
    const item = runpod.getTreeItem(first);
    assert.equal(item.label, 'GPU prices not updated');
    assert.match(String(item.description), /403/);
    assert.match(item.contextValue ?? '', /^warning;permission$/);
    assert.ok(item.iconPath instanceof vscode.ThemeIcon && item.iconPath.id === 'warning');
    const pods = resources(runpod);
    assert.ok(pods.length > 0);
    assert.ok(
      pods.every((n) => !String(runpod.getTreeItem(n).description).endsWith('· stale')),
      'the pods are current, not stale',
    );
  });

  it('partial: failed Workers analytics keep the last metrics with their age under a warning row', async () => {
    const cloudflare = api.trees.find((t) => t.cloud === 'cloudflare')!;
    await config().update('cloudflare.endpoint', sim.endpoint('cloudflare'), vscode.ConfigurationTarget.Global);
    process.env.CLOUDFLARE_API_TOKEN = sim.keys().cloudflare;
    try {
      await refresh();
      assert.equal(cloudflare.state, 'ok', api.monitor.snapshot?.outcomes.cloudflare?.error?.message);
      const workers = () =>
        roots(cloudflare)
          .filter((n) => n.kind === 'service' && n.service === 'Workers')
          .flatMap((n) => cloudflare.getChildren(n));
      const withMetrics = workers().filter((n) => cloudflare.getChildren(n).some((m) => m.kind === 'metric'));
      assert.ok(withMetrics.length > 0, 'Workers carry metric rows');
      sim.faults.add('cloudflare', 'POST /graphql', {
        status: 200,
        body: { data: null, errors: [{ message: 'not authorized for that account' }] },
        times: Infinity,
      });
      await refresh();
      assert.equal(cloudflare.state, 'ok', api.monitor.snapshot?.outcomes.cloudflare?.error?.message);
      const [first] = roots(cloudflare);
      assert.equal(first.kind, 'warning');
      const item = cloudflare.getTreeItem(first);
      assert.equal(item.label, 'Metrics not updated');
      assert.match(String(item.description), /^showing values from \d+ s ago · .*not authorized for that account/);
      assert.equal(
        workers().filter((n) => cloudflare.getChildren(n).some((m) => m.kind === 'metric')).length,
        withMetrics.length,
        'the last metrics stay',
      );
    } finally {
      delete process.env.CLOUDFLARE_API_TOKEN;
      await config().update('cloudflare.endpoint', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('Retry on a warning row refreshes that cloud only, bypassing its cache', async () => {
    const [warning] = await failPriceSearch();
    assert.equal(warning.kind, 'warning');
    sim.log.clear();
    await vscode.commands.executeCommand('cloudtop.retry', warning);
    assert.ok(sim.log.count('runpod', 'GET /pods') > 0, 'RunPod was fetched again within its cache TTL');
    assert.ok(sim.log.count('runpod', 'GET /catalog/gpus') > 0, 'the failed price search was tried again');
    assert.equal(sim.log.count('vastai'), 0, 'Vast.ai was left alone');
    assert.equal(sim.log.count(), sim.log.count('runpod'), 'no other cloud was called');
  });

  it("the idle-GPU alert's Show selects the idle instance in its view", async () => {
    const state = sim.state<VastState>('vastai');
    const gpus = state.instances.filter((i) => i.actual_status === 'running' && i.num_gpus > 0);
    assert.ok(gpus.length > 1, 'the simulator has running GPU instances');
    for (const instance of gpus) instance.gpu_util = 60;
    const idle = gpus[gpus.length - 1];
    idle.gpu_util = 0;
    const window = vscode.window as { showWarningMessage: (...args: unknown[]) => Thenable<unknown> };
    const original = window.showWarningMessage;
    const alerts: string[] = [];
    window.showWarningMessage = (message: unknown) => {
      alerts.push(String(message));
      return Promise.resolve(/has been idle/.test(String(message)) ? 'Show' : undefined);
    };
    await config().update('idleGpu.minutes', 1, vscode.ConfigurationTarget.Global);
    try {
      await refresh();
      const selected = () => vast.view.selection.map((node) => (node.kind === 'resource' ? node.resource.id : node.id));
      for (let i = 0; i < 50 && !selected().some((id) => id.endsWith(String(idle.id))); i++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(alerts.filter((a) => /has been idle/.test(a)).length, 1, `one idle alert (${alerts.join(' | ')})`);
      assert.deepEqual(
        selected().map((id) => id.endsWith(String(idle.id))),
        [true],
        `the idle instance is selected (selection: ${selected().join(', ')})`,
      );
      assert.equal(vast.view.visible, true, 'its view is shown');
    } finally {
      window.showWarningMessage = original;
      await config().update('idleGpu.minutes', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a Redis cache that cannot be reached: every view says "shared cache unavailable", the clouds stay listed', async () => {
    // A port nobody listens on: connection refused, the way a stopped Redis answers.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as AddressInfo;
        server.close(() => resolve(free));
      });
    });
    const global = vscode.ConfigurationTarget.Global;
    try {
      await config().update('redis.url', `redis://127.0.0.1:${port}`, global);
      await config().update('cache.backend', 'redis', global);
      await refresh();
      const deadline = Date.now() + 20_000;
      while (!String(vast.view.description).includes('shared cache') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.equal(vast.view.description, 'key from environment · shared cache unavailable: using a local one');
      assert.equal(runpod.view.description, 'key from environment · shared cache unavailable: using a local one');
      assert.equal(vast.state, 'ok');
      assert.equal(resources(vast).length, sim.state<VastState>('vastai').instances.length);
    } finally {
      await config().update('cache.backend', undefined, global);
      await config().update('redis.url', undefined, global);
    }
    // Back on the local cache: the notice goes with the engine that had it.
    await refresh();
    assert.equal(vast.view.description, 'key from environment');
  });

  it('Set Credentials… stores the key in SecretStorage only — never settings.json, globalState or the log', async () => {
    const secret = sim.keys().runpod;
    delete process.env.RUNPOD_API_KEY;
    const window = vscode.window as { showInputBox: typeof vscode.window.showInputBox };
    const original = window.showInputBox;
    window.showInputBox = () => Promise.resolve(secret);
    try {
      await vscode.commands.executeCommand('cloudtop.setCredentials', 'runpod');
    } finally {
      window.showInputBox = original;
    }
    for (let i = 0; i < 50 && runpod.state !== 'ok'; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(runpod.state, 'ok', 'the stored key loads the cloud');
    assert.equal(runpod.view.description, 'key in secret storage');
    const stored = await api.monitor.store.get('runpod');
    assert.deepEqual(stored, { apiKey: secret });
    const { userDataDir } = runFiles();
    for (const file of [path.join(userDataDir, 'User', 'settings.json'), ...walk(path.join(userDataDir, 'logs'))]) {
      assertNoSecrets(readFileSync(file, 'utf8'), [secret], file);
    }
    const globalStorage = path.join(userDataDir, 'User', 'globalStorage');
    for (const file of walk(globalStorage).filter((f) => !f.endsWith('.vscdb-journal'))) {
      // state.vscdb is SQLite; secrets are stored encrypted there, so the plain key must not appear.
      assertNoSecrets(readFileSync(file), [secret], `${file} (in clear)`);
    }
    await vscode.commands.executeCommand('cloudtop.signOut', 'runpod');
    assert.equal(await api.monitor.store.get('runpod'), undefined);
  });

  it('runs the refresh timer only while a Cloudtop view is visible', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors'); // the dashboard counts as visible too
    await vscode.commands.executeCommand('workbench.view.extension.cloudtop');
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (!vscode.window.state.focused) api.refreshManager.setFocused(true); // headless browsers may not report focus
    assert.equal(api.refreshManager.timerArmed, true, 'visible views: timer armed');
    await vscode.commands.executeCommand('workbench.view.explorer');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(api.refreshManager.timerArmed, false, 'views hidden: no polling');
    await vscode.commands.executeCommand('workbench.view.extension.cloudtop');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(api.refreshManager.timerArmed, true);
  });
});
