// `cloudtop stop|start` on Azure beyond the shared cases (actions-cli.test.ts): a VM powered off but still allocated is
// billed, so Stop deallocates it; a Uniform scale set's instance takes its own deallocate; an AKS node is left to its
// cluster; Azure's 409 OperationNotAllowed is shown in Azure's words; a write is sent once after a 503 and again only
// after a 429; what a stop keeps billing and loses. The built dist/cli.js against the simulated Azure; what was sent is
// read from the simulator's own log of writes, where the VM ended up from its state.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { ActionsDocument } from '../../src/cli/act';
import type { JsonDocument } from '../../src/cli/format/json';
import type { Resource } from '../../src/core/model/model';
import { azureCloud, type AzureState } from '../sim/azure';
import { startSim, type Sim } from '../sim/server';
import { buildCli, cliEnv, removeBuiltCli, runCli, tempHome } from '../support/cli';
import { assertNoSecrets } from '../support/secrets';

describe('cloudtop stop | start on Azure: deallocation, scale sets, AKS nodes, conflicts, retries', function () {
  this.timeout(60_000);
  let sim: Sim;
  let home: ReturnType<typeof tempHome>;
  let state: AzureState;

  before(async function () {
    this.timeout(120_000);
    buildCli();
    sim = await startSim({ clouds: [azureCloud()] });
  });
  after(async () => {
    removeBuiltCli();
    await sim?.close();
  });
  beforeEach(() => {
    sim.reset();
    state = sim.state<AzureState>('azure');
    home = tempHome();
  });
  afterEach(() => rmSync(home.home, { recursive: true, force: true }));

  const env = () => cliEnv(sim, home, { extra: { CLOUDTOP_CACHE: 'memory' } });
  const run = (args: string[]) => runCli([...args, '-p', 'azure', '--cache', 'memory'], env(), { timeoutMs: 45_000 });
  const listed = async (): Promise<Resource[]> => {
    const result = await run(['--json']);
    assert.equal(result.code, 0, result.stderr);
    return (JSON.parse(result.stdout) as JsonDocument).providers.azure!.resources as Resource[];
  };
  const writes = () => state.writes.map((w) => `${w.method} ${w.path}`);
  const vmOf = (id: string) =>
    Object.values(state.vms)
      .flat()
      .find((v) => v.id.toLowerCase() === id.toLowerCase())!;

  it('a VM powered off but still allocated (billed) is not skipped: Stop deallocates it, and --wait ends deallocated', async () => {
    const allocated = (await listed()).find((r) => r.rawStatus === 'VM stopped' && r.details?.['power state'] === 'stopped')!;
    assert.ok(allocated, 'the sim has a VM in PowerState/stopped');
    assert.equal(allocated.status, 'stopped');
    assert.equal(allocated.chargedWhilePaused, true, 'a stopped-but-allocated VM is billed');
    const result = await run(['stop', allocated.id, '--yes', '--wait', '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(writes(), [`POST ${allocated.id}/deallocate`]);
    assert.equal(vmOf(allocated.id).power, 'deallocated');
    assert.equal((JSON.parse(result.stdout) as ActionsDocument).actions[0].result, 'accepted');
    // Deallocated now: a second stop sends nothing.
    const again = await run(['stop', allocated.id, '--yes', '--json']);
    assert.equal((JSON.parse(again.stdout) as ActionsDocument).actions[0].result, 'skipped');
    assert.equal(state.writes.length, 1);
  });

  it("a Uniform scale set's instance is deallocated through its own path, and started again", async () => {
    const all = await listed();
    const instance = all.find((r) => r.details?.['scale set'] === 'vmss-a100-batch' && r.status === 'running')!;
    assert.ok(instance, 'a running instance of the non-AKS GPU scale set');
    const stop = await run(['stop', instance.id, '--yes', '--wait']);
    assert.equal(stop.code, 0, stop.stderr);
    assert.match(instance.id, /\/virtualMachineScaleSets\/vmss-a100-batch\/virtualMachines\/\d+$/);
    assert.deepEqual(writes(), [`POST ${instance.id}/deallocate`]);
    const set = Object.values(state.scaleSets)
      .flat()
      .find((s) => s.name === 'vmss-a100-batch')!;
    const wire = set.instances.find((i) => instance.id.endsWith(`/virtualMachines/${i.instanceId}`))!;
    assert.equal(wire.power, 'deallocated');
    const start = await run(['start', instance.id, '--yes']);
    assert.equal(start.code, 0, start.stderr);
    assert.deepEqual(writes(), [`POST ${instance.id}/deallocate`, `POST ${instance.id}/start`]);
  });

  it('an AKS node is not stopped one by one: exit 2, saying to stop its cluster, nothing sent', async () => {
    const node = (await listed()).find((r) => r.details?.['AKS cluster'] !== undefined && r.status === 'running')!;
    assert.ok(node, 'an AKS node pool instance is listed');
    const result = await run(['stop', node.id, '--yes']);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /not AKS nodes: stop their cluster instead/);
    assert.deepEqual(writes(), []);
  });

  it("Azure's 409 OperationNotAllowed fails once, in one line with Azure's own words", async () => {
    const running = (await listed()).find((r) => r.service === 'GPU' && r.status === 'running' && !r.details?.['scale set'])!;
    state.deletingVms.push(running.id.toLowerCase());
    const result = await run(['stop', running.id, '--yes', '--json']);
    assert.equal(result.code, 1, result.stderr);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0], /Azure refused to stop .*Operation 'deallocate' is not allowed on VM .* marked for deletion/);
    assert.equal(state.writes.length, 1, 'not retried');
    assert.equal((JSON.parse(result.stdout) as ActionsDocument).actions[0].result, 'failed');
    assert.equal(vmOf(running.id).power, 'running');
    // Neither the client secret nor a bearer token the sim issued reaches the output.
    assertNoSecrets([result.stdout, result.stderr], [...Object.values(sim.keys()), ...Object.keys(state.issuedTokens)], "the CLI's output");
  });

  it('a 503 on the deallocate is not sent again (neither by the SDK pipeline nor the transport); a 429 is, after its Retry-After', async () => {
    const running = (await listed()).filter((r) => r.service === 'GPU' && r.status === 'running' && !r.details?.['scale set']);
    const posts = () => sim.log.entries().filter((e) => e.cloud === 'azure' && e.method === 'POST' && e.path.endsWith('/deallocate'));
    const route = 'POST /subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Compute/virtualMachines/:name/:action';
    sim.faults.add('azure', route, { status: 503, times: 3 });
    const failed = await run(['stop', running[0].id, '--yes', '--json']);
    assert.equal(failed.code, 1, failed.stderr);
    assert.equal(posts().length, 1);
    assert.equal((JSON.parse(failed.stdout) as ActionsDocument).actions[0].error?.category, 'network');
    sim.faults.clear();
    sim.faults.add('azure', route, { status: 429, times: 1, headers: { 'Retry-After': '1' } });
    const accepted = await run(['stop', running[1].id, '--yes', '--json']);
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.equal(posts().length, 3);
    assert.deepEqual(writes(), [`POST ${running[1].id}/deallocate`]);
  });

  it('--dry-run says what stays billed (disks, a static IP) and what is lost (the temporary disk), and sends nothing', async () => {
    const running = (await listed()).find(
      (r) => r.service === 'GPU' && r.status === 'running' && r.details?.size === 'Standard_NC24ads_A100_v4' && !r.details?.['scale set'],
    )!;
    const result = await run(['stop', running.id, '--dry-run']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /still billed: its managed disks — the OS disk \(256 GB Premium_LRS\)/);
    assert.match(result.stdout, /still billed: a static public IP address.*a dynamic one is released/);
    assert.match(result.stdout, /lost: everything on its temporary disk \(64 GB\)/);
    assert.deepEqual(writes(), []);
    assertNoSecrets([result.stdout, result.stderr], Object.values(sim.keys()), "the CLI's output");
  });
});
