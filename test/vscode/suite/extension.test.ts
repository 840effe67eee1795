import assert from 'node:assert/strict';
import * as vscode from 'vscode';

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
  let extension: vscode.Extension<unknown>;

  before(async () => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is installed in the extension host`);
    extension = found;
    await extension.activate();
  });

  it('activates', () => {
    assert.equal(extension.isActive, true);
  });

  it('registers both commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('cloudtop.refresh'), 'cloudtop.refresh registered');
    assert.ok(commands.includes('cloudtop.openDashboard'), 'cloudtop.openDashboard registered');
  });

  it('runs Cloudtop: Refresh without error', async () => {
    await vscode.commands.executeCommand('cloudtop.refresh');
  });

  it('opens the dashboard as a webview panel', async () => {
    await vscode.commands.executeCommand('cloudtop.openDashboard');
    const findTab = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((tab) => tab.input instanceof vscode.TabInputWebview && tab.label === 'Cloudtop Dashboard');
    // The tab model catches up with the new panel asynchronously.
    for (let i = 0; i < 50 && !findTab(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    const dashboard = findTab();
    assert.ok(dashboard, `a "Cloudtop Dashboard" webview tab is open (tabs: ${tabs.map((t) => t.label).join(', ')})`);
    const input = dashboard.input as vscode.TabInputWebview;
    assert.match(input.viewType, /cloudtop\.dashboard$/);
  });

  it('contributes the Cloudtop container with all seven views', () => {
    const contributes = (extension.packageJSON as { contributes: { viewsContainers: { activitybar: { id: string; title: string }[] }; views: Record<string, { id: string; name: string }[]> } }).contributes;
    assert.deepEqual(contributes.viewsContainers.activitybar.map((c) => [c.id, c.title]), [['cloudtop', 'Cloudtop']]);
    const views = contributes.views.cloudtop.map((v) => [v.id, v.name]);
    assert.deepEqual(views, Object.entries(VIEWS));
  });

  it('can reveal each view (the views are registered with tree providers)', async () => {
    for (const id of Object.keys(VIEWS)) {
      // `<viewId>.focus` exists only for contributed views; focusing one with no provider would fail.
      await vscode.commands.executeCommand(`${id}.focus`);
    }
  });

  it('declares refreshInterval with default 60', () => {
    const config = vscode.workspace.getConfiguration('cloudtop');
    assert.equal(config.get('refreshInterval'), 60);
    const inspected = config.inspect('refreshInterval');
    assert.equal(inspected?.defaultValue, 60);
  });
});
