import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CloudtopApi } from '../../../src/extension';

const EXTENSION_ID = 'cloudtop.cloudtop';
const VIEWS: Record<string, string> = {
  'cloudtop.cloudflare': 'Cloudflare',
  'cloudtop.oci': 'Oracle Cloud',
  'cloudtop.azure': 'Azure',
  'cloudtop.gcp': 'Google Cloud',
  'cloudtop.neon': 'Neon',
  'cloudtop.vastai': 'Vast.ai',
  'cloudtop.runpod': 'RunPod',
};

describe('Cloudtop extension', () => {
  let extension: vscode.Extension<CloudtopApi>;
  let api: CloudtopApi;

  before(async () => {
    const found = vscode.extensions.getExtension<CloudtopApi>(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is installed in the extension host`);
    extension = found;
    api = await extension.activate();
  });

  it('activates', () => {
    assert.equal(extension.isActive, true);
  });

  it('registers every command it contributes', async () => {
    const contributed = (extension.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map(
      (c) => c.command,
    );
    assert.ok(contributed.length >= 10, `package.json contributes ${contributed.length} commands`);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((command) => !registered.has(command)),
      [],
      'contributed but not registered',
    );
  });

  it('runs Cloudtop: Refresh: a new snapshot with an outcome for every cloud', async () => {
    const before = api.monitor.snapshot;
    await vscode.commands.executeCommand('cloudtop.refresh');
    const after = api.monitor.snapshot;
    assert.ok(after && after !== before, 'the command produced a new snapshot');
    const clouds = Object.keys(api.monitor.catalogue);
    assert.deepEqual(Object.keys(after.outcomes).sort(), [...clouds].sort(), 'every catalogued cloud has an outcome');
    assert.ok(Object.values(after.outcomes).every((o) => ['ok', 'error', 'unconfigured', 'disabled'].includes(o.state)));
  });

  it('opens the dashboard as a webview panel', async () => {
    await vscode.commands.executeCommand('cloudtop.openDashboard');
    const findTab = () =>
      vscode.window.tabGroups.all
        .flatMap((group) => group.tabs)
        .find((tab) => tab.input instanceof vscode.TabInputWebview && tab.label === 'Cloudtop Dashboard');
    // The tab model catches up with the new panel asynchronously.
    for (let i = 0; i < 50 && !findTab(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    const dashboard = findTab();
    assert.ok(dashboard, `a "Cloudtop Dashboard" webview tab is open (tabs: ${tabs.map((t) => t.label).join(', ')})`);
    const input = dashboard.input as vscode.TabInputWebview;
    assert.match(input.viewType, /cloudtop\.dashboard$/);
  });

  it('contributes the Cloudtop container with a Get Started welcome and all seven views', () => {
    const contributes = (
      extension.packageJSON as {
        contributes: {
          viewsContainers: { activitybar: { id: string; title: string }[] };
          views: Record<string, { id: string; name: string }[]>;
        };
      }
    ).contributes;
    assert.deepEqual(
      contributes.viewsContainers.activitybar.map((c) => [c.id, c.title]),
      [['cloudtop', 'Cloudtop']],
    );
    const views = contributes.views.cloudtop.map((v) => [v.id, v.name]);
    assert.deepEqual(views, [['cloudtop.welcome', 'Get Started'], ...Object.entries(VIEWS)]);
  });

  it('can reveal each view, and each has its Cloudtop tree behind it', async () => {
    for (const id of Object.keys(VIEWS)) {
      const tree = api.trees.find((t) => `cloudtop.${t.cloud}` === id);
      assert.ok(tree, `a tree provider is registered for ${id}`);
      // A cloud's view is hidden until it is the user's: "Show <cloud>" (cloudtop.showCloud) shows and focuses it.
      await vscode.commands.executeCommand('cloudtop.showCloud', tree.cloud);
      for (let i = 0; i < 30 && !tree.view.visible; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(tree.view.visible, true, `focusing ${id} shows the tree Cloudtop created for it`);
    }
  });

  it('declares refreshInterval with default 60', () => {
    const config = vscode.workspace.getConfiguration('cloudtop');
    assert.equal(config.get('refreshInterval'), 60);
    const inspected = config.inspect('refreshInterval');
    assert.equal(inspected?.defaultValue, 60);
  });
});
