// Oracle Cloud's compartment level in its real tree: the collector (the real OCI provider and SDK against the
// simulated OCI APIs) feeds the extension's view state as the extension wires it. The tree shows a node per
// compartment, a refused compartment's warning under its own node with its last resources, and a GPU instance
// whose GPU plugin sends nothing says so instead of showing a value.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CloudtopApi } from '../../../src/extension';
import type { CloudTree } from '../../../src/vscode/cloudTree';
import type { CloudNode } from '../../../src/vscode/treeNodes';
import { ociCloud, type OciState } from '../../sim/oci';
import { startProviderHarness, type ProviderHarness } from '../../support/providerHarness';

describe('Oracle Cloud compartments in the tree', function () {
  this.timeout(60_000);
  let api: CloudtopApi;
  let tree: CloudTree;
  let h: ProviderHarness<'oci', OciState>;

  before(async () => {
    api = await vscode.extensions.getExtension<CloudtopApi>('cloudtop.cloudtop')!.activate();
    tree = api.trees.find((t) => t.cloud === 'oci')!;
    h = await startProviderHarness<'oci', OciState>({
      real: { cloud: 'oci', sim: ociCloud({ count: 24, compartments: 3, gpuPlugin: false }) },
    });
    h.collector.onEvent((event) => api.monitor.states.apply(event));
  });

  after(async () => {
    await h?.close();
    await api.monitor.refresh(true, ['oci']);
  });

  const label = (node: CloudNode) => {
    const item = tree.getTreeItem(node);
    return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  };

  it('shows a node per compartment; a refused one shows its warning under its node and keeps its resources', async () => {
    await h.collector.refresh({ force: true });
    const state = h.state();
    const refused = state.compartments[0];
    const before = tree.getChildren().find((n) => n.kind === 'group' && n.group.id === refused.id);
    assert.ok(before && before.kind === 'group', 'the compartment is a node');
    const count = before.resources.length;
    assert.ok(count > 0, 'it holds resources');
    assert.ok(
      tree.getChildren().some((n) => n.kind === 'group' && label(n) === 'sim-tenancy (root)'),
      'the tenancy is the root compartment',
    );

    state.refusedCompartments = [refused.id];
    await h.collector.refresh({ force: true });
    const roots = tree.getChildren();
    assert.ok(
      roots.every((n) => n.kind === 'group'),
      `only compartment nodes at the top: ${roots.map((n) => n.kind).join(', ')}`,
    );
    const node = roots.find((n) => n.kind === 'group' && n.group.id === refused.id)!;
    assert.equal(tree.getTreeItem(node).description, `permission denied · ${count}`);
    const [warning, ...services] = tree.getChildren(node);
    assert.equal(warning.kind, 'warning', 'its warning comes first');
    assert.match(String(tree.getTreeItem(warning).description), new RegExp(refused.name));
    assert.ok(services.length > 0 && services.every((s) => s.kind === 'service'), 'its last resources stay');
    const resource = tree.getChildren(services[0])[0];
    assert.equal(tree.getParent(resource)?.id, services[0].id);
    assert.equal(tree.getParent(services[0])?.id, node.id, 'reveal finds its way through the compartment');
  });

  it('a GPU instance whose GPU plugin sends nothing says so, with what to enable, and shows no GPU value', async () => {
    await h.collector.refresh({ force: true });
    const resources = tree
      .getChildren()
      .flatMap((g) => tree.getChildren(g))
      .filter((s) => s.kind === 'service')
      .flatMap((s) => tree.getChildren(s));
    const gpu = resources.find((n) => n.kind === 'resource' && n.resource.gpu && n.resource.status === 'running');
    assert.ok(gpu, 'a running GPU instance');
    const rows = tree.getChildren(gpu);
    const notice = rows.find((r) => r.kind === 'notice' && r.label === 'GPU metrics: none received');
    assert.ok(notice && notice.kind === 'notice', 'the notice row');
    assert.match(String(notice.tooltip), /Compute RDMA GPU Monitoring/);
    assert.ok(!rows.some((r) => r.kind === 'metric' && r.row.family === 'gpu'), 'no GPU metric row');
    assert.ok(
      rows.some((r) => r.kind === 'metric' && r.row.family === 'compute'),
      'the agent metrics are there',
    );
  });
});
