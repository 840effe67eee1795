// A cloud of three scopes in its real tree: the collector (against the example cloud with three accounts, mounted as
// Neon) feeds the extension's view state exactly as the extension wires it, and the Neon tree shows a scope level, the
// view description counts the scopes, and a failing scope shows its error under its own node.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CloudtopApi } from '../../../src/extension';
import type { CloudTree } from '../../../src/vscode/cloudTree';
import type { CloudNode } from '../../../src/vscode/treeNodes';
import type { ExampleState } from '../../sim/example-cloud';
import { startProviderHarness, type ProviderHarness } from '../../support/providerHarness';

describe('a cloud of several scopes in its tree', function () {
  this.timeout(30_000);
  let api: CloudtopApi;
  let tree: CloudTree;
  let h: ProviderHarness;

  before(async () => {
    api = await vscode.extensions.getExtension<CloudtopApi>('cloudtop.cloudtop')!.activate();
    tree = api.trees.find((t) => t.cloud === 'neon')!;
    h = await startProviderHarness({ examples: ['neon'], exampleAccounts: { neon: 3 }, exampleCount: 9 });
    h.collector.onEvent((event) => api.monitor.states.apply(event));
  });

  after(async () => {
    await h?.close();
    // Hand the view back to the extension's own engine.
    await api.monitor.refresh(true, ['neon']);
  });

  const label = (node: CloudNode) => {
    const item = tree.getTreeItem(node);
    return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  };

  it('shows a scope level, the scope count in the description, and a failing scope’s error under its node', async () => {
    const accounts = h.sim.state<ExampleState>('neon').accounts;
    const failing = accounts[1];
    h.sim.faults.add('neon', `GET /accounts/${failing.id}/resources`, { status: 403, times: Infinity });
    await h.collector.refresh();
    const roots = tree.getChildren();
    assert.deepEqual(
      roots.map((n) => n.kind),
      ['scope', 'scope', 'scope'],
    );
    assert.deepEqual(
      roots.map(label),
      accounts.map((a) => a.name),
    );
    assert.equal(tree.view.description, 'key from environment · 3 organizations');

    const bad = roots[1];
    const badItem = tree.getTreeItem(bad);
    assert.equal(badItem.description, 'permission denied');
    assert.ok(badItem.iconPath instanceof vscode.ThemeIcon && badItem.iconPath.id === 'error');
    const [error] = tree.getChildren(bad);
    assert.equal(error.kind, 'error');
    assert.equal(label(error), 'Permission denied');

    for (const [i, scope] of [0, 2].map((i) => [i, roots[i]] as const)) {
      const services = tree.getChildren(scope);
      assert.deepEqual(
        services.map((n) => n.kind),
        ['service'],
      );
      const resources = services.flatMap((s) => tree.getChildren(s));
      const owned = h.sim.state<ExampleState>('neon').resources.filter((r) => r.account_id === accounts[i].id);
      assert.deepEqual(resources.map((n) => (n.kind === 'resource' ? n.resource.id : '')).sort(), owned.map((r) => r.id).sort());
      assert.equal(tree.getTreeItem(scope).description, String(owned.length));
      // getParent leads from a resource back through its service to its scope, so reveal works at any depth.
      assert.equal(tree.getParent(resources[0])?.id, services[0].id);
      assert.equal(tree.getParent(services[0])?.id, scope.id);
    }
  });
});
