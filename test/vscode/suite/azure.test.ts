// Azure in the extension's own engine inside the real extension host, where nobody is signed in to Microsoft: with no
// credential at all the welcome state is reached although the silent Microsoft-account probe runs on the refresh,
// and the welcome view's sign-in command exists. The Azure view with data is the UI tests' (test/e2e/surface.test.ts):
// in this host VS Code's own https and fetch leave NODE_EXTRA_CA_CERTS out, so the HTTPS simulator is not trusted.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CloudtopApi } from '../../../src/extension';
import type { CloudTree } from '../../../src/vscode/cloudTree';
import { azureCloud } from '../../sim/azure';
import { startSim, type Sim } from '../../sim/server';

const AZURE_ENV = ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_AUTHORITY_HOST', 'AZURE_CONFIG_DIR'];

describe('Azure in the real extension host', function () {
  this.timeout(60_000);
  let sim: Sim;
  let tree: CloudTree;
  const config = () => vscode.workspace.getConfiguration('cloudtop');
  let api: CloudtopApi;
  // The extension's own refresh of Azure (the command refreshes the views on screen; Azure's is not).
  const refresh = () => api.monitor.refresh(true, ['azure']);

  before(async () => {
    sim = await startSim({ clouds: [azureCloud({ subscriptions: 2 })] });
    api = await vscode.extensions.getExtension<CloudtopApi>('cloudtop.cloudtop')!.activate();
    tree = api.trees.find((t) => t.cloud === 'azure')!;
    await config().update('azure.endpoint', sim.endpoint('azure'), vscode.ConfigurationTarget.Global);
    // No az login of the machine's: the CLI profile is looked for in an empty folder.
    process.env.AZURE_CONFIG_DIR = '/nonexistent-cloudtop-azure-config';
    // The endpoint change started a refresh of Azure without credentials: let it end, so the tests' own refreshes
    // are not joined to it.
    await refresh();
  });

  after(async () => {
    for (const name of AZURE_ENV) delete process.env[name];
    await config().update('azure.endpoint', undefined, vscode.ConfigurationTarget.Global);
    await sim?.close();
  });

  it('without any credential shows the welcome state; the Microsoft-account probe is silent and does not hold the refresh', async () => {
    const started = Date.now();
    await refresh();
    assert.equal(tree.state, 'unconfigured', 'nobody is signed in to Microsoft here');
    assert.deepEqual(tree.getChildren(), []);
    assert.ok(Date.now() - started < 30_000, 'the refresh ended');
    assert.ok(
      (await vscode.commands.getCommands(true)).includes('cloudtop.azure.signIn'),
      "the welcome view's Sign In with Microsoft command",
    );
  });
});
