// The Azure provider end to end: the real catalogue entry and the real Azure SDK clients (@azure/identity,
// arm-compute, arm-containerservice, arm-appservice, arm-resources-subscriptions, monitor-query-metrics), every
// request sent through Cloudtop's transport, through the collector, against the simulated Azure APIs over HTTPS
// (test/sim/azure.ts; its certificate trusted through NODE_EXTRA_CA_CERTS, set by .mocharc.integration.cjs). The
// example cloud mounted as `vastai` runs beside it.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloudtopError } from '../../src/core/errors/errors';
import type { ProviderOutcome, Resource } from '../../src/core/model/model';
import {
  AZURE_CLI_TOKEN,
  AZURE_GUEST_TENANT_ID,
  AZURE_GUEST_TOKEN,
  AZURE_MFA_TENANT_ID,
  AZURE_TENANT_ID,
  AZURE_CLIENT_SECRET,
  azureCloud,
  azureMetricInterval,
  azureVmListedPrice,
  azureVmPrices,
  azureVmSize,
  installFakeAz,
  type AzureCloudOptions,
  type AzureState,
  type AzureVm,
} from '../sim/azure';
import type { LogEntry } from '../sim/log';
import { startProviderHarness, type ProviderHarness, type ProviderHarnessOptions } from '../support/providerHarness';
import { assertNoSecrets } from '../support/secrets';

type AzureHarness = ProviderHarness<'azure', AzureState>;

const start = (options: { azure?: AzureCloudOptions } & Partial<ProviderHarnessOptions<'azure'>> = {}): Promise<AzureHarness> => {
  const { azure, ...harness } = options;
  return startProviderHarness<'azure', AzureState>({
    real: { cloud: 'azure', sim: azureCloud({ pageSize: 4, ...azure }) },
    examples: ['vastai'],
    exampleCount: 3,
    ...harness,
  });
};

const byId = (outcome: ProviderOutcome) => new Map(outcome.resources.map((r) => [r.id.toLowerCase(), r] as const));
const allVms = (state: AzureState): AzureVm[] => Object.values(state.vms).flat();
const requests = (h: AzureHarness, route: string): LogEntry[] =>
  h.sim.log.entries().filter((e) => e.cloud === 'azure' && e.route === route);
const VM_LIST = '/subscriptions/:sub/providers/Microsoft.Compute/virtualMachines';
const METRICS = '/subscriptions/:sub/metrics:getBatch';
const TOKEN = '/:tenant/oauth2/v2.0/token';

/** What a view, a log or the JSON output could show of a refresh: the outcome and the log. */
const shown = (h: AzureHarness, outcome: ProviderOutcome): string[] => [JSON.stringify(outcome), h.log.text()];

/** `secrets`, and the bearer tokens the sim issued, which are credentials too. */
const azureSecrets = (h: AzureHarness, secrets: readonly string[] = [AZURE_CLIENT_SECRET]): string[] => [
  ...secrets,
  ...Object.keys(h.state().issuedTokens),
  AZURE_CLI_TOKEN,
];

describe('Azure provider against the simulated Azure APIs (real SDK, HTTPS)', function () {
  this.timeout(30_000);
  let h: AzureHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('lists every subscription and every page of VMs with their power states, AKS clusters and function apps (not web apps)', async () => {
    h = await start();
    const { azure } = await h.refresh();
    assert.equal(azure.state, 'ok', azure.error?.message);
    const state = h.state();
    assert.deepEqual(
      azure.scopes?.map((s) => s.id).sort(),
      state.subscriptions.map((s) => s.subscriptionId).sort(),
      'each subscription is a scope',
    );
    assert.ok(
      azure.scopes?.every((s) => s.state === 'ok'),
      JSON.stringify(azure.scopes),
    );
    // Pages of 4: every page of each subscription's VM list was read, with the instance views in the same listing.
    for (const sub of state.subscriptions) {
      const vms = state.vms[sub.subscriptionId];
      const pages: LogEntry[] = requests(h, VM_LIST).filter((e) => e.path.includes(sub.subscriptionId));
      assert.equal(pages.length, Math.ceil(vms.length / 4), `${sub.subscriptionId}: one request per page`);
      assert.ok(
        pages.every((e) => /statusOnly=true/i.test(e.query)),
        'power states come with the list (statusOnly), not per VM',
      );
    }
    assert.equal(
      requests(h, '/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Compute/virtualMachines/:name/instanceView').length,
      0,
      'no per-VM instance view call',
    );

    const resources = byId(azure);
    const expected: Record<string, Resource['status']> = {
      running: 'running',
      deallocated: 'stopped',
      stopped: 'stopped',
      starting: 'starting',
      deallocating: 'stopping',
      stopping: 'stopping',
    };
    for (const vm of allVms(state)) {
      const r = resources.get(vm.id.toLowerCase());
      assert.ok(r, `VM ${vm.name} listed`);
      assert.equal(r.name, vm.name);
      assert.equal(r.region, vm.location);
      assert.equal(r.scope, vm.id.split('/')[2], 'in its subscription');
      assert.equal(r.status, vm.failed ? 'error' : expected[vm.power], `${vm.name}: ${vm.power}${vm.failed ? ' (failed)' : ''}`);
      const gpus = azureVmSize(vm.body.properties.hardwareProfile.vmSize)?.gpus ?? 0;
      assert.equal(r.kind, gpus > 0 ? 'gpu-instance' : 'instance', `${vm.name} kind`);
      if (gpus > 0) assert.equal(r.gpu?.count, gpus, `${vm.name}: GPUs of ${vm.body.properties.hardwareProfile.vmSize}`);
      assert.match(r.consoleUrl ?? '', /^https:\/\/portal\.azure\.com\/#@[^/]+\/resource\/subscriptions\//, 'a portal link');
    }
    const gpuKeys = new Map(azure.resources.filter((r) => r.gpu).map((r) => [String(r.details?.size), r.gpu!.key]));
    assert.equal(gpuKeys.get('Standard_NC24ads_A100_v4'), 'A100-PCIe-80GB');
    assert.equal(gpuKeys.get('Standard_ND96asr_v4'), 'A100-SXM-40GB');
    assert.equal(gpuKeys.get('Standard_ND96amsr_A100_v4'), 'A100-SXM-80GB');
    assert.equal(gpuKeys.get('Standard_ND96isr_H100_v5'), 'H100-SXM-80GB');
    assert.equal(gpuKeys.get('Standard_NC4as_T4_v3'), 'T4-16GB');

    const clusters = azure.resources.filter((r) => r.kind === 'cluster');
    const seededClusters = Object.values(state.clusters).flat();
    assert.equal(clusters.length, seededClusters.length, 'every AKS cluster');
    for (const c of seededClusters) {
      const r = resources.get(String(c.id).toLowerCase());
      const power = (c.properties as { powerState: { code: string } }).powerState.code;
      assert.equal(
        r?.status,
        power === 'Running'
          ? (c.properties as { provisioningState: string }).provisioningState === 'Succeeded'
            ? 'running'
            : r?.status
          : 'stopped',
        `${String(c.name)} status`,
      );
    }
    const sites = Object.values(state.sites).flat();
    const functionApps = sites.filter((s) => String(s.kind).split(',').includes('functionapp'));
    assert.deepEqual(
      azure.resources
        .filter((r) => r.kind === 'function')
        .map((r) => r.name)
        .sort(),
      functionApps.map((s) => String(s.name)).sort(),
      'function apps, and no web app',
    );
    const stoppedFn = functionApps.find((s) => (s.properties as { state: string }).state === 'Stopped');
    if (stoppedFn) assert.equal(resources.get(String(stoppedFn.id).toLowerCase())?.status, 'stopped');
    // GPU scale sets' instances (AKS GPU pools, the GPU fleet) beside the VMs; non-GPU scale sets are the clusters' pools.
    const gpuInstances = Object.values(state.scaleSets)
      .flat()
      .filter((s) => s.orchestrationMode === 'Uniform' && (azureVmSize(s.size ?? '')?.gpus ?? 0) > 0)
      .flatMap((s) => s.instances);
    assert.equal(
      azure.resources.length,
      allVms(state).length + gpuInstances.length + seededClusters.length + functionApps.length,
      'nothing else, nothing twice',
    );
    assertNoSecrets(shown(h, azure), azureSecrets(h));
  });

  it('prices GPU VMs from the retail price list: pay-as-you-go, Spot and Windows; a stopped (allocated) VM is still billed', async () => {
    h = await start();
    const { azure, snapshot } = await h.refresh();
    const prices = requests(h, '/api/retail/prices');
    assert.ok(prices.length > 0 && prices.every((e) => e.authOk === null), 'the retail price list is read as a public API');
    const state = h.state();
    for (const vm of allVms(state)) {
      const size = vm.body.properties.hardwareProfile.vmSize;
      const r = byId(azure).get(vm.id.toLowerCase())!;
      if (r.kind !== 'gpu-instance') continue;
      const spot = vm.body.properties.priority === 'Spot';
      const listed = azureVmListedPrice(vm)!;
      if (['running', 'starting', 'stopping', 'stopped'].includes(vm.power)) {
        assert.ok(
          r.pricePerHour !== undefined && Math.abs(r.pricePerHour - listed) < 1e-6,
          `${vm.name} (${size}, ${vm.location}${spot ? ', Spot' : ''}): ${r.pricePerHour} ≠ ${listed}`,
        );
      }
      if (vm.power === 'stopped') assert.equal(r.chargedWhilePaused, true, `${vm.name}: "stopped" keeps the VM allocated and billed`);
      if (vm.power === 'deallocated' || vm.power === 'deallocating')
        assert.ok(!r.chargedWhilePaused && r.pricePerHour === undefined, `${vm.name}: ${vm.power} stops the compute meter`);
    }
    const billed = azure.resources.filter((r) => r.gpu && (r.status === 'running' || r.chargedWhilePaused));
    assert.ok(
      billed.some((r) => r.status === 'starting') && billed.some((r) => r.status === 'error'),
      'starting and failed-but-running VMs are billed',
    );
    const spend = snapshot.totals.gpuSpend.filter((l) => l.cloud === 'azure');
    assert.deepEqual(
      spend.map((l) => l.resourceId).sort(),
      billed.map((r) => r.id).sort(),
      'every running (or stopped but allocated) GPU VM counts in the GPU spend',
    );

    // The comparison: one on-demand and one Spot offer per GPU model and region, per GPU-hour.
    assert.ok(azure.offers.length > 0, 'Azure GPU offers');
    const a100 = azure.offers.filter((o) => o.gpuKey === 'A100-SXM-80GB' && o.region === 'eastus');
    const listed = azureVmPrices('Standard_ND96amsr_A100_v4', 'eastus')!;
    assert.ok(
      a100.some((o) => o.pricing === 'on-demand' && Math.abs(o.pricePerGpuHour - listed.linux / 8) < 1e-6),
      `8×A100 on demand per GPU-hour: ${JSON.stringify(a100)}`,
    );
    assert.ok(
      a100.some((o) => o.pricing === 'spot' && Math.abs(o.pricePerGpuHour - listed.linuxSpot / 8) < 1e-6),
      'and Spot',
    );
    assert.ok(
      azure.offers.every((o) => o.cloud === 'azure' && o.pricePerGpuHour > 0 && o.gpuCount >= 1),
      'whole GPUs, positive prices',
    );
  });

  describe('on real accounts: every size priced, billed power states, scale sets', () => {
    const SKUS = '/subscriptions/:sub/providers/Microsoft.Compute/skus';
    const SCALE_SETS = '/subscriptions/:sub/providers/Microsoft.Compute/virtualMachineScaleSets';
    const SCALE_SET_VMS =
      '/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Compute/virtualMachineScaleSets/:name/virtualMachines';
    const vmOfSize = (state: AzureState, size: string) => allVms(state).find((vm) => vm.body.properties.hardwareProfile.vmSize === size)!;

    it("prices every size whatever its casing: standard_nc48ads_a100_v4 and Standard_NC64as_T4_V3 through the location's Resource SKUs", async () => {
      h = await start();
      const { azure } = await h.refresh();
      assert.equal(azure.state, 'ok', azure.error?.message);
      const state = h.state();
      for (const typed of ['standard_nc48ads_a100_v4', 'Standard_NC64as_T4_V3']) {
        const vm = vmOfSize(state, typed);
        const r = byId(azure).get(vm.id.toLowerCase())!;
        assert.ok(
          r.pricePerHour !== undefined && Math.abs(r.pricePerHour - azureVmListedPrice(vm)!) < 1e-6,
          `${typed}: ${r.pricePerHour} (${r.priceUnknown ?? ''})`,
        );
        assert.equal(r.details?.size, azureVmSize(typed)!.name, `${typed} is shown by its canonical name`);
        assert.equal(r.gpu?.count, azureVmSize(typed)!.gpus, `${typed}: the GPUs capability`);
      }
      // The SKUs are reference data: one listing per subscription and location, none per VM.
      const locations = state.subscriptions.map((s) => new Set([...state.vms[s.subscriptionId].map((vm) => vm.location)]).size);
      assert.ok(requests(h, SKUS).length <= locations.reduce((a, b) => a + b + 2, 0), 'a listing per subscription and location');
      assert.ok(
        requests(h, SKUS).every((e) => /location(%20|\+| )eq/i.test(e.query)),
        'filtered by location',
      );
      assert.equal(
        requests(h, '/subscriptions/:sub/providers/Microsoft.Compute/locations/:location/vmSizes').length,
        0,
        'no deprecated vmSizes',
      );
      const read = requests(h, SKUS).length;
      await h.refresh();
      assert.equal(requests(h, SKUS).length, read, 'kept a day: the next refresh reads no SKUs');
    });

    it('bills by power state: a Starting and a Stopping GPU VM count, Deallocating does not; a running VM whose provisioning failed shows its error and is billed', async () => {
      h = await start();
      const { azure, snapshot } = await h.refresh();
      const state = h.state();
      const spendIds = new Set(snapshot.totals.gpuSpend.filter((l) => l.cloud === 'azure').map((l) => l.resourceId.toLowerCase()));
      const starting = allVms(state).find(
        (vm) => vm.power === 'starting' && (azureVmSize(vm.body.properties.hardwareProfile.vmSize)?.gpus ?? 0) > 0,
      )!;
      const stopping = allVms(state).find(
        (vm) => vm.power === 'stopping' && (azureVmSize(vm.body.properties.hardwareProfile.vmSize)?.gpus ?? 0) > 0,
      )!;
      for (const vm of [starting, stopping]) {
        const r = byId(azure).get(vm.id.toLowerCase())!;
        assert.equal(r.chargedWhilePaused, true, `${vm.power}: billed`);
        assert.ok(Math.abs((r.pricePerHour ?? 0) - azureVmListedPrice(vm)!) < 1e-6, `${vm.power}: priced`);
        assert.ok(spendIds.has(vm.id.toLowerCase()), `a ${vm.power} GPU VM counts in the GPU spend`);
      }
      const failed = allVms(state).find((vm) => vm.failed === 'VMExtensionProvisioningError')!;
      const r = byId(azure).get(failed.id.toLowerCase())!;
      assert.equal(r.status, 'error');
      assert.match(r.rawStatus ?? '', /^failed · VM running$/);
      assert.match(String(r.details?.error), /NvidiaGpuDriverLinux/, 'the failure is shown');
      assert.ok(Math.abs((r.pricePerHour ?? 0) - azureVmListedPrice(failed)!) < 1e-6, 'priced');
      assert.ok(spendIds.has(failed.id.toLowerCase()), 'and counted: it runs, so it is billed');
      const allocationFailed = allVms(state).find((vm) => vm.failed === 'AllocationFailed')!;
      assert.ok(!spendIds.has(allocationFailed.id.toLowerCase()), 'a failed VM that is deallocated is not billed');
      // Azure Hybrid Benefit: a Windows VM with licenseType Windows_Server pays the Linux price.
      const hybrid = allVms(state).find((vm) => vm.body.properties.licenseType === 'Windows_Server')!;
      const hr = byId(azure).get(hybrid.id.toLowerCase())!;
      const listed = azureVmPrices(hybrid.body.properties.hardwareProfile.vmSize, hybrid.location)!;
      assert.ok(Math.abs((hr.pricePerHour ?? 0) - listed.linux) < 1e-6, `Hybrid Benefit: ${hr.pricePerHour} = Linux ${listed.linux}`);
      assert.match(String(hr.details?.licence), /Hybrid Benefit/);
    });

    it('reads GPUs from the Resource SKUs: ND GB200 v6 counts 4 GPUs, an NCC (confidential H100) size is a GPU VM; the table stands in when the SKUs fail', async () => {
      for (const failing of [false, true]) {
        h = await start();
        if (failing) h.sim.faults.add('azure', `GET ${SKUS}`, { status: 500, times: Infinity });
        const { azure } = await h.refresh();
        const state = h.state();
        const gb200 = byId(azure).get(vmOfSize(state, 'Standard_ND128isr_NDR_GB200_v6').id.toLowerCase())!;
        assert.equal(gb200.kind, 'gpu-instance');
        assert.equal(gb200.gpu?.count, 4, `ND GB200 v6: 4 GPUs${failing ? ' (table)' : ''}`);
        assert.equal(gb200.gpu?.key, 'GB200');
        const ncc = byId(azure).get(vmOfSize(state, 'Standard_NCC40ads_H100_v5').id.toLowerCase())!;
        assert.equal(ncc.kind, 'gpu-instance', 'NCC is a GPU VM');
        assert.equal(ncc.gpu?.count, 1);
        assert.equal(ncc.gpu?.key, 'H100-NVL-94GB');
        if (failing) {
          assert.ok(
            azure.warnings?.some((w) => w.part === 'reference' && /Resource SKUs/.test(w.message)),
            JSON.stringify(azure.warnings),
          );
          assert.equal(azure.state, 'ok', 'the VMs still show');
        }
        await h.close();
        h = undefined;
      }
    });

    it('lists Uniform scale-set instances: the AKS GPU pool and a GPU fleet, priced and counted in the GPU spend, one call per scale set and page', async () => {
      h = await start();
      const { azure, snapshot } = await h.refresh();
      assert.equal(azure.state, 'ok', azure.error?.message);
      const state = h.state();
      const spendIds = new Set(snapshot.totals.gpuSpend.filter((l) => l.cloud === 'azure').map((l) => l.resourceId.toLowerCase()));
      const sets = Object.values(state.scaleSets).flat();
      const gpuSets = sets.filter(
        (s) => s.orchestrationMode === 'Uniform' && (azureVmSize(s.size ?? '')?.gpus ?? 0) > 0 && s.instances.length > 0,
      );
      const aksGpu = gpuSets.find((s) => s.tags['aks-managed-poolName'] === 'gpu' && s.location === 'eastus')!;
      assert.ok(aksGpu && aksGpu.instances.length > 0, 'the sim holds an AKS GPU pool');
      for (const set of gpuSets)
        for (const vm of set.instances) {
          const r = byId(azure).get(`${set.id}/virtualMachines/${vm.instanceId}`.toLowerCase());
          assert.ok(r, `${set.name} instance ${vm.instanceId} listed`);
          assert.equal(r.kind, 'gpu-instance');
          assert.equal(r.name, vm.computerName, 'named as its node');
          assert.equal(r.gpu?.count, azureVmSize(set.size!)!.gpus);
          assert.equal(r.details?.['scale set'], set.name);
          const billed = ['running', 'starting', 'stopping', 'stopped'].includes(vm.power);
          const price = azureVmPrices(set.size!, set.location)!.linux;
          if (billed) {
            assert.ok(Math.abs((r.pricePerHour ?? 0) - price) < 1e-6, `${r.name} priced`);
            assert.ok(spendIds.has(r.id.toLowerCase()), `${r.name} (${vm.power}) counts in the GPU spend`);
          } else assert.ok(!spendIds.has(r.id.toLowerCase()), `${r.name} (${vm.power}) is not billed`);
          if (set === aksGpu) {
            assert.equal(r.details?.['AKS cluster'], 'aks-ml-prod');
            assert.equal(r.details?.['node pool'], 'gpu');
            assert.match(r.note ?? '', /AKS aks-ml-prod · pool gpu/);
          }
        }
      // Their metrics: a batch of their own resource type (a batch holds one), ⌈N/50⌉ per region like the VMs'.
      const running = gpuSets.flatMap((set) =>
        set.instances.filter((vm) => vm.power === 'running').map((vm) => `${set.id}/virtualMachines/${vm.instanceId}`),
      );
      for (const id of running) assert.ok(azure.metrics[byId(azure).get(id.toLowerCase())!.id]?.compute?.cpuPercent, `CPU of ${id}`);
      const setBatches = state.metricBatches.filter((b) => b.namespace === 'Microsoft.Compute/virtualMachineScaleSets/virtualMachines');
      assert.ok(setBatches.length > 0 && setBatches.every((b) => b.status === 200), JSON.stringify(state.metricBatches));
      assert.equal(
        setBatches.reduce((a, b) => a + b.ids, 0),
        running.length,
        'every running instance, in its own namespace',
      );
      // Non-GPU pools' instances are not listed one by one; Flexible scale sets' VMs are listAll's.
      const instanceCalls = requests(h, SCALE_SET_VMS);
      const pages = (n: number) => Math.max(1, Math.ceil(n / 4));
      assert.equal(
        instanceCalls.length,
        gpuSets.reduce((a, s) => a + pages(s.instances.length), 0),
        'one call per GPU scale set and page, none per instance',
      );
      assert.ok(
        instanceCalls.every((e) => /%24expand=instanceView|\$expand=instanceView/i.test(e.query)),
        'instance views expanded',
      );
      assert.equal(
        requests(h, SCALE_SETS).length,
        state.subscriptions.reduce((a, s) => a + pages(state.scaleSets[s.subscriptionId].length), 0),
      );
    });
  });

  it('a failing scale-set listing is a warning: the VMs stay current and the last instances stay shown', async () => {
    h = await start({ azure: { subscriptions: 1 } });
    const first = (await h.refresh()).azure;
    const instances = first.resources.filter((r) => r.details?.['scale set'] !== undefined).map((r) => r.id);
    assert.ok(instances.length > 0);
    h.sim.faults.add('azure', 'GET /subscriptions/:sub/providers/Microsoft.Compute/virtualMachineScaleSets', {
      status: 500,
      times: Infinity,
    });
    const vms = h.state().vms[h.state().subscriptions[0].subscriptionId];
    const vm = vms[0];
    vm.name = vm.body.name = 'renamed-while-scale-sets-fail';
    // A VM deleted meanwhile stays gone: the failing listing keeps its own resources only.
    const deleted = vms.pop()!;
    const { azure } = await h.refresh();
    assert.equal(azure.state, 'ok', azure.error?.message);
    assert.ok(
      azure.warnings?.some((w) => w.part === 'resources' && /Scale sets not listed/.test(w.message)),
      JSON.stringify(azure.warnings),
    );
    assert.ok(
      azure.resources.some((r) => r.name === 'renamed-while-scale-sets-fail'),
      'the VMs are current',
    );
    assert.ok(!azure.resources.some((r) => r.id.toLowerCase() === deleted.id.toLowerCase()), 'a deleted VM is not kept');
    assert.deepEqual(
      azure.resources
        .filter((r) => r.details?.['scale set'] !== undefined)
        .map((r) => r.id)
        .sort(),
      [...instances].sort(),
      'the last scale-set instances stay',
    );
  });

  it('reads metrics in batches of at most 50 VMs per region: 56 running VMs in one region take 2 calls, not 56', async () => {
    h = await start({ azure: { subscriptions: 1, count: 3, extraVms: { region: 'eastus', count: 63 } } });
    const { azure } = await h.refresh();
    assert.equal(azure.state, 'ok', azure.error?.message);
    const state = h.state();
    const vmBatches = state.metricBatches.filter((b) => b.namespace === 'Microsoft.Compute/virtualMachines');
    // VMs (scale-set instances are batched in their own namespace).
    const running = azure.resources.filter(
      (r) => (r.kind === 'instance' || r.kind === 'gpu-instance') && r.status === 'running' && r.details?.['scale set'] === undefined,
    );
    const regions = new Map<string, number>();
    for (const r of running) regions.set(r.region!, (regions.get(r.region!) ?? 0) + 1);
    assert.ok((regions.get('eastus') ?? 0) > 50, `more than 50 running in eastus (${regions.get('eastus')})`);
    const expected = [...regions.values()].reduce((n, count) => n + Math.ceil(count / 50), 0);
    assert.equal(vmBatches.length, expected, `one call per 50 VMs per region: ${JSON.stringify([...regions])}`);
    assert.ok(
      vmBatches.every((b) => b.status === 200 && b.ids <= 50),
      'each call within the 50-id limit',
    );
    assert.equal(
      vmBatches.reduce((n, b) => n + b.ids, 0),
      running.length,
      'each running VM asked for once; stopped ones not at all',
    );
    assert.ok(
      vmBatches.every((b) => b.metricnames.includes('Percentage CPU') && b.metricnames.includes('Available Memory Bytes')),
      'all metric names in one call',
    );

    // The values are the sim's points over the window the request named (avg of averages, max of maxima).
    const call = requests(h, METRICS).find((e) => /metricnamespace=Microsoft\.Compute/i.test(e.query))!;
    const q = new URLSearchParams(call.query);
    const stepMin = Number(/PT(\d+)M/.exec(q.get('interval') ?? '')?.[1] ?? 1);
    const step = stepMin * 60_000;
    const startMs = Date.parse(q.get('starttime')!);
    const endMs = Date.parse(q.get('endtime')!);
    const vm = running.find((r) => r.region === 'eastus')!;
    const points: ReturnType<typeof azureMetricInterval>[] = [];
    let n = 0;
    for (let t = Math.floor(startMs / step) * step; t < endMs; t += step) n++;
    // The sim numbers its points from the window's end (test/sim/azure-metrics.ts).
    for (let k = n - 1; k >= 0; k--) points.push(azureMetricInterval(state.seed, vm.id, 'Percentage CPU', k * stepMin, stepMin));
    const cpu = azure.metrics[vm.id]?.compute?.cpuPercent;
    assert.ok(cpu, `CPU for ${vm.name}`);
    const avg = points.reduce((s, p) => s + p.average, 0) / points.length;
    assert.ok(Math.abs(cpu.avg - avg) < 1e-9, `avg ${cpu.avg} ≠ ${avg}`);
    assert.equal(cpu.max, Math.max(...points.map((p) => p.maximum)));
    assert.equal(cpu.min, Math.min(...points.map((p) => p.minimum)));
    const memory = azure.metrics[vm.id]?.compute?.memoryPercent;
    assert.ok(
      memory && memory.min >= 0 && memory.min <= memory.avg && memory.avg <= memory.max && memory.max <= 100,
      `memory in use, percent: ${JSON.stringify(memory)}`,
    );
    const gpuVm = running.find((r) => r.gpu);
    if (gpuVm)
      assert.ok(
        gpuVm.unreportedMetrics?.includes('gpu'),
        'Azure Monitor has no GPU metric for a VM: the view says so instead of showing 0',
      );
    const stopped = azure.resources.find((r) => r.kind === 'instance' && r.status === 'stopped');
    if (stopped) assert.equal(azure.metrics[stopped.id]?.compute?.cpuPercent, undefined, 'no invented value for a stopped VM');
  });

  it("shows a Flex Consumption app's executions (OnDemand + AlwaysReady); a Consumption app in the same region keeps its FunctionExecutionCount", async () => {
    h = await start({ azure: { subscriptions: 1 } });
    const { azure } = await h.refresh();
    assert.equal(azure.state, 'ok', azure.error?.message);
    const state = h.state();
    const sites = Object.values(state.sites).flat();
    const flex = sites.find((s) => (s.properties as { sku: string }).sku === 'FlexConsumption')!;
    const consumption = sites.find((s) => (s.properties as { sku: string }).sku === 'Dynamic' && s.location === 'East US')!;
    assert.ok(flex && consumption, 'the sim holds both plans in eastus');
    const batches = state.metricBatches.filter((b) => b.namespace === 'Microsoft.Web/sites');
    assert.ok(
      batches.every((b) => b.status === 200),
      JSON.stringify(batches),
    );
    assert.ok(
      batches.every((b) => !(b.metricnames.includes('FunctionExecutionCount') && b.metricnames.includes('OnDemandFunctionExecutionCount'))),
      "one plan's names never ride in the other's batch",
    );
    // The expected values: the sim's points over the window the request named.
    const call = requests(h, METRICS).find((e) => /metricnamespace=Microsoft\.Web/i.test(e.query))!;
    const q = new URLSearchParams(call.query);
    const stepMin = Number(/PT(\d+)M/.exec(q.get('interval') ?? '')?.[1] ?? 1);
    const step = stepMin * 60_000;
    let n = 0;
    for (let t = Math.floor(Date.parse(q.get('starttime')!) / step) * step; t < Date.parse(q.get('endtime')!); t += step) n++;
    const totals = (id: string, names: string[]) =>
      Array.from({ length: n }, (_, i) =>
        names.reduce((sum, m) => sum + azureMetricInterval(state.seed, id, m, (n - 1 - i) * stepMin, stepMin).total, 0),
      );
    const flexExpected = totals(String(flex.id), ['OnDemandFunctionExecutionCount', 'AlwaysReadyFunctionExecutionCount']);
    const flexShown = azure.metrics[String(flex.id)]?.function?.invocations;
    assert.ok(flexShown, `the Flex Consumption app shows its executions: ${JSON.stringify(azure.metrics[String(flex.id)])}`);
    assert.ok(Math.abs(flexShown.avg - flexExpected.reduce((a, b) => a + b, 0) / n) < 1e-9, `${flexShown.avg}`);
    assert.equal(flexShown.max, Math.max(...flexExpected));
    const consumptionExpected = totals(String(consumption.id), ['FunctionExecutionCount']);
    const consumptionShown = azure.metrics[String(consumption.id)]?.function?.invocations;
    assert.ok(consumptionShown, 'the Consumption app keeps its invocations');
    assert.ok(Math.abs(consumptionShown.avg - consumptionExpected.reduce((a, b) => a + b, 0) / n) < 1e-9);
  });

  it('a subscription the principal may not read shows its error; the other subscription stays current', async () => {
    h = await start();
    const first = (await h.refresh()).azure;
    const [kept, refused] = h.state().subscriptions.map((s) => s.subscriptionId);
    const before = first.resources
      .filter((r) => r.scope === refused)
      .map((r) => r.id)
      .sort();
    assert.ok(before.length > 0);
    h.state().refusedSubscriptions = [refused];
    const renamed = h.state().vms[kept][0];
    renamed.name = renamed.body.name = 'renamed-after-first-refresh';
    const { azure, snapshot } = await h.refresh();
    assert.equal(azure.state, 'ok', 'one refused subscription does not fail Azure');
    const scope = azure.scopes?.find((s) => s.id === refused);
    assert.equal(scope?.state, 'error', JSON.stringify(azure.scopes));
    assert.equal(scope?.error?.category, 'permission', 'AuthorizationFailed reads as a missing role');
    assert.deepEqual(
      azure.resources
        .filter((r) => r.scope === refused)
        .map((r) => r.id)
        .sort(),
      before,
      'its last resources stay',
    );
    assert.ok(
      azure.resources.some((r) => r.name === 'renamed-after-first-refresh'),
      'the other subscription is current',
    );
    assert.equal(snapshot.outcomes.vastai?.state, 'ok');
  });

  it('AZURE_SUBSCRIPTION_ID narrows Azure to that subscription', async () => {
    h = await start({ env: (sim) => ({ AZURE_SUBSCRIPTION_ID: sim.state<AzureState>('azure').subscriptions[1].subscriptionId }) });
    const { azure } = await h.refresh();
    const wanted = h.state().subscriptions[1].subscriptionId;
    assert.deepEqual(
      azure.scopes?.map((s) => s.id),
      [wanted],
    );
    assert.ok(azure.resources.length > 0 && azure.resources.every((r) => r.scope === wanted));
    assert.equal(requests(h, VM_LIST).filter((e) => !e.path.includes(wanted)).length, 0, 'the other subscription is not read');
  });

  it('signs in a service principal from the environment for the ARM scope; a wrong secret is an auth error that names the fix', async () => {
    h = await start();
    await h.refresh();
    assert.ok(
      h.state().tokenScopes.length > 0 && h.state().tokenScopes.every((s) => s === 'https://management.azure.com/.default'),
      `scopes asked: ${JSON.stringify(h.state().tokenScopes)}`,
    );
    assert.ok(h.state().tokenScopes.length <= 2, `one token, shared by every client, not one per client (${h.state().tokenScopes.length})`);
    await h.close();

    const wrong = 'wrong-secret-0123456789abcdef';
    h = await start({ env: { AZURE_CLIENT_SECRET: wrong } });
    const { azure, snapshot } = await h.refresh();
    assert.equal(azure.state, 'error');
    assert.equal(azure.error?.category, 'auth', azure.error?.message);
    assert.match(azure.error?.message ?? '', /secret|credential|sign/i, 'says what to check');
    assert.match(azure.error?.message ?? '', /AADSTS7000215: Invalid client secret provided\./, "in Entra ID's own words");
    assert.equal(snapshot.outcomes.vastai?.state, 'ok', 'the other cloud keeps working');
    assertNoSecrets(shown(h, azure), azureSecrets(h, [wrong, AZURE_CLIENT_SECRET]));
  });

  it('uses the Azure CLI login (az account get-access-token) when no service principal is set', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cloudtop-az-login-'));
    const saved = process.env.PATH;
    try {
      const configDir = path.join(dir, 'azure');
      mkdirSync(configDir);
      const bin = path.join(dir, 'bin');
      mkdirSync(bin);
      h = await start({
        unconfigured: ['azure'],
        env: (sim) => {
          const subs = sim.state<AzureState>('azure').subscriptions;
          // The CLI writes its profile with a byte-order mark.
          writeFileSync(
            path.join(configDir, 'azureProfile.json'),
            `\uFEFF${JSON.stringify({ installationId: 'x', subscriptions: subs.map((s, i) => ({ id: s.subscriptionId, name: s.displayName, state: 'Enabled', user: { name: 'dev@example.invalid', type: 'user' }, isDefault: i === 0, tenantId: s.tenantId, environmentName: 'AzureCloud', homeTenantId: s.tenantId, managedByTenants: [] })) })}`,
          );
          return { AZURE_CONFIG_DIR: configDir };
        },
      });
      const az = installFakeAz(bin, {
        token: AZURE_CLI_TOKEN,
        tenantId: h.state().tenantId,
        subscriptionId: h.state().subscriptions[0].subscriptionId,
      });
      // AzureCliCredential runs `az` from the process's PATH.
      process.env.PATH = `${bin}${path.delimiter}${saved ?? ''}`;
      const { azure } = await h.refresh();
      assert.equal(azure.state, 'ok', azure.error?.message);
      assert.equal(azure.scopes?.length, h.state().subscriptions.length, 'every subscription the login reads');
      assert.ok(azure.resources.length > 0);
      const calls = az.calls();
      assert.ok(calls.length >= 1, 'az was asked for a token');
      assert.deepEqual(calls[0].slice(0, 2), ['account', 'get-access-token']);
      assert.ok(calls[0].includes('https://management.azure.com'), `for ARM: ${calls[0].join(' ')}`);
      assert.equal(h.state().tokenScopes.length, 0, 'no service-principal sign-in');
      assertNoSecrets(shown(h, azure), azureSecrets(h));

      // Signed out: the error says to run az login.
      await h.close();
      h = undefined;
      installFakeAz(bin, { token: 'x', tenantId: 'x', loggedIn: false });
      h = await start({ unconfigured: ['azure'], env: { AZURE_CONFIG_DIR: configDir } });
      const out = (await h.refresh()).azure;
      assert.equal(out.state, 'error');
      assert.equal(out.error?.category, 'auth', out.error?.message);
      assert.match(out.error?.message ?? '', /az login/);
    } finally {
      process.env.PATH = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("lists every tenant's subscriptions with that tenant's token; a tenant that wants a fresh sign-in (MFA) is one failing scope that says so", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cloudtop-az-tenants-'));
    const saved = process.env.PATH;
    try {
      const configDir = path.join(dir, 'azure');
      mkdirSync(configDir);
      const bin = path.join(dir, 'bin');
      mkdirSync(bin);
      h = await start({
        azure: { tenants: 3 },
        unconfigured: ['azure'],
        env: (sim) => {
          const home = sim.state<AzureState>('azure').subscriptions.filter((s) => s.tenantId === AZURE_TENANT_ID);
          // The profile of a default `az login`: the home tenant's subscriptions (Azure CLI azureProfile.json).
          writeFileSync(
            path.join(configDir, 'azureProfile.json'),
            JSON.stringify({
              subscriptions: home.map((s, i) => ({
                id: s.subscriptionId,
                isDefault: i === 0,
                tenantId: s.tenantId,
                homeTenantId: s.tenantId,
              })),
            }),
          );
          return { AZURE_CONFIG_DIR: configDir };
        },
      });
      const az = installFakeAz(bin, {
        token: AZURE_CLI_TOKEN,
        tenantId: AZURE_TENANT_ID,
        tenants: { [AZURE_GUEST_TENANT_ID]: AZURE_GUEST_TOKEN },
        mfaTenants: [AZURE_MFA_TENANT_ID],
      });
      process.env.PATH = `${bin}${path.delimiter}${saved ?? ''}`;
      const { azure } = await h.refresh();
      assert.equal(azure.state, 'ok', azure.error?.message);
      const state = h.state();
      const guest = state.subscriptions.find((s) => s.tenantId === AZURE_GUEST_TENANT_ID)!;
      const scope = azure.scopes?.find((s) => s.id === guest.subscriptionId);
      assert.equal(scope?.state, 'ok', `the guest tenant's subscription is listed and read: ${JSON.stringify(azure.scopes)}`);
      assert.equal(scope?.label, 'Fabrikam GPU Lab');
      for (const vm of state.vms[guest.subscriptionId]) {
        const r = byId(azure).get(vm.id.toLowerCase());
        assert.ok(r, `${vm.name} of the guest tenant listed`);
        assert.match(r.consoleUrl ?? '', new RegExp(`#@${AZURE_GUEST_TENANT_ID}/`), 'its portal link opens its directory');
      }
      assert.ok(
        az.calls().some((c) => c.includes('--tenant') && c.includes(AZURE_GUEST_TENANT_ID)),
        'a token asked for the guest tenant',
      );
      // Its requests carried its own tenant's token (the sim answers 401 InvalidAuthenticationTokenTenant otherwise).
      assert.ok(
        h.sim.log
          .entries()
          .filter((e) => e.cloud === 'azure' && e.path.includes(guest.subscriptionId))
          .every((e) => e.status === 200),
        'no wrong-issuer answer',
      );
      const mfa = azure.scopes?.find((s) => s.id.includes(AZURE_MFA_TENANT_ID));
      assert.equal(mfa?.state, 'error', 'the tenant that wants MFA is one failing scope');
      assert.equal(mfa?.error?.category, 'auth');
      assert.match(mfa?.error?.message ?? '', /Northwind Traders/);
      assert.match(mfa?.error?.message ?? '', new RegExp(`az login --tenant ${AZURE_MFA_TENANT_ID}`), 'says what to run');
      assert.ok(
        azure.scopes?.filter((s) => s.state === 'ok').length === state.subscriptions.length,
        'every readable subscription of every tenant is fine',
      );
      assertNoSecrets(shown(h, azure), [...azureSecrets(h), AZURE_GUEST_TOKEN]);
    } finally {
      process.env.PATH = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("registers every tenant's access token for redaction: echoed by Resource Manager, none reaches the outcome, the JSON or any log line", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cloudtop-az-redact-'));
    const saved = process.env.PATH;
    try {
      const configDir = path.join(dir, 'azure');
      mkdirSync(configDir);
      const bin = path.join(dir, 'bin');
      mkdirSync(bin);
      h = await start({
        azure: { tenants: 2 },
        unconfigured: ['azure'],
        env: (sim) => {
          const home = sim.state<AzureState>('azure').subscriptions.filter((s) => s.tenantId === AZURE_TENANT_ID);
          writeFileSync(
            path.join(configDir, 'azureProfile.json'),
            JSON.stringify({ subscriptions: home.map((s, i) => ({ id: s.subscriptionId, isDefault: i === 0, tenantId: s.tenantId })) }),
          );
          return { AZURE_CONFIG_DIR: configDir };
        },
      });
      installFakeAz(bin, { token: AZURE_CLI_TOKEN, tenantId: AZURE_TENANT_ID, tenants: { [AZURE_GUEST_TENANT_ID]: AZURE_GUEST_TOKEN } });
      process.env.PATH = `${bin}${path.delimiter}${saved ?? ''}`;
      assert.equal((await h.refresh()).azure.state, 'ok');
      // Resource Manager echoes the bearer tokens in an error body (each tenant's subscription its own token).
      h.sim.faults.add('azure', `GET ${VM_LIST}`, {
        status: 403,
        body: {
          error: {
            code: 'AuthorizationFailed',
            message: `The tokens ${AZURE_CLI_TOKEN} and ${AZURE_GUEST_TOKEN} may not list virtual machines.`,
          },
        },
        times: Infinity,
      });
      const { azure, snapshot } = await h.refresh();
      assert.ok(
        azure.scopes?.some((s) => s.state === 'error' && /\[REDACTED\] and \[REDACTED\]/.test(s.error?.message ?? '')),
        `the error keeps its words, not the tokens: ${JSON.stringify(azure.scopes)}`,
      );
      assert.ok(h.log.at('debug').length + h.log.at('warn').length > 0, 'the refresh was logged');
      assertNoSecrets(
        [...shown(h, azure), JSON.stringify(snapshot)],
        [AZURE_CLI_TOKEN, AZURE_GUEST_TOKEN],
        'the outcome, the snapshot or the log',
      );
    } finally {
      process.env.PATH = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("when x-ms-ratelimit-remaining-subscription-reads runs low, that subscription's next requests wait for the bucket to refill", async () => {
    h = await start({ azure: { subscriptions: 1 } });
    const sub = h.state().subscriptions[0].subscriptionId;
    // The next answer says 9 reads are left: under a second's refill (25), so the next requests wait (25 - 9) / 25 s.
    h.state().readsRemaining[sub] = 10;
    const { azure } = await h.refresh();
    assert.equal(azure.state, 'ok', azure.error?.message);
    assert.match(
      h.log.text(),
      /Resource Manager has \d+ requests left \(x-ms-ratelimit-remaining-subscription-reads\)/,
      'the pause is logged with its reason',
    );
    // Resource Manager's requests (the metrics data plane has budgets of its own).
    const ofSub = h.sim.log
      .entries()
      .filter((e) => e.cloud === 'azure' && e.path.includes(sub) && e.route !== METRICS)
      .sort((a, b) => a.seq - b.seq);
    // The requests already in flight when the low answer came still arrive; the ones after it wait: a gap of 640 ms
    // in a refresh that otherwise takes a few tens of milliseconds.
    const gaps = ofSub.slice(1).map((e, i) => e.at - ofSub[i].at);
    assert.ok(
      gaps.some((gap) => gap >= 600),
      `a pause between requests: ${JSON.stringify(gaps)}`,
    );
    assert.equal(h.sim.log.entries().filter((e) => e.status === 429).length, 0, 'and earned no 429');
  });

  it("uses a front end's own sign-in (VS Code's Microsoft account) when neither a service principal nor az login is there", async () => {
    const asked: string[][] = [];
    let signedIn = true;
    h = await start({
      unconfigured: ['azure'],
      signIns: {
        azure: {
          probe: () =>
            Promise.resolve(
              signedIn ? { login: 'vscode', tenantId: h!.state().tenantId, clientId: 'aebc6443-996d-45c2-90f0-388ff96faa56' } : undefined,
            ),
          tokens: (scopes) => {
            asked.push([...scopes]);
            return Promise.resolve({ token: AZURE_CLI_TOKEN, expiresOnTimestamp: Date.now() + 3600_000 });
          },
        },
      },
    });
    const { azure } = await h.refresh();
    assert.equal(azure.state, 'ok', azure.error?.message);
    assert.equal(azure.credentialSource, 'sign-in');
    assert.equal(azure.scopes?.length, h.state().subscriptions.length);
    assert.ok(
      asked.length >= 1 && asked.every((s) => s.length === 1 && s[0] === 'https://management.azure.com/.default'),
      `tokens for ARM only: ${JSON.stringify(asked)}`,
    );
    assert.ok(asked.length <= 2, `one token shared by every client (${asked.length} asked)`);
    assert.equal(h.state().tokenScopes.length, 0, 'no service-principal sign-in');
    assertNoSecrets(shown(h, azure), azureSecrets(h));
    // Signed out: Azure is unconfigured again (its welcome view), not an error.
    signedIn = false;
    await h.collector.invalidate('azure');
    const out = (await h.refresh()).azure;
    assert.equal(out.state, 'unconfigured', out.error?.message);
  });

  it("reads every tenant through VS Code's Microsoft account (VSCODE_TENANT:<id>); a tenant without a session is one failing scope that says so", async () => {
    const asked: string[][] = [];
    h = await start({
      azure: { tenants: 3 },
      unconfigured: ['azure'],
      signIns: {
        azure: {
          probe: () => Promise.resolve({ login: 'vscode', tenantId: AZURE_TENANT_ID, clientId: 'aebc6443-996d-45c2-90f0-388ff96faa56' }),
          tokens: (scopes) => {
            asked.push([...scopes]);
            const tenant = scopes.find((s) => s.startsWith('VSCODE_TENANT:'))?.slice('VSCODE_TENANT:'.length);
            if (tenant === AZURE_GUEST_TENANT_ID)
              return Promise.resolve({ token: AZURE_GUEST_TOKEN, expiresOnTimestamp: Date.now() + 3600_000 });
            if (tenant)
              return Promise.reject(
                new CloudtopError({ category: 'auth', cloud: 'azure', message: 'You are no longer signed in to Microsoft in VS Code.' }),
              );
            return Promise.resolve({ token: AZURE_CLI_TOKEN, expiresOnTimestamp: Date.now() + 3600_000 });
          },
        },
      },
    });
    const { azure } = await h.refresh();
    assert.equal(azure.state, 'ok', azure.error?.message);
    const guest = h.state().subscriptions.find((s) => s.tenantId === AZURE_GUEST_TENANT_ID)!;
    assert.equal(azure.scopes?.find((s) => s.id === guest.subscriptionId)?.state, 'ok', JSON.stringify(azure.scopes));
    assert.ok(
      asked.some((s) => s.includes(`VSCODE_TENANT:${AZURE_GUEST_TENANT_ID}`)),
      JSON.stringify(asked),
    );
    const mfa = azure.scopes?.find((s) => s.id.includes(AZURE_MFA_TENANT_ID));
    assert.equal(mfa?.state, 'error');
    assert.match(mfa?.error?.message ?? '', /no Microsoft sign-in for the directory \(tenant\).*az login --tenant/);
  });

  it("a stop sent before any listing carries the VM's own tenant's token (a guest tenant's subscription), and is accepted", async () => {
    h = await start({
      azure: { tenants: 2 },
      unconfigured: ['azure'],
      signIns: {
        azure: {
          probe: () => Promise.resolve({ login: 'vscode', tenantId: AZURE_TENANT_ID, clientId: 'aebc6443-996d-45c2-90f0-388ff96faa56' }),
          tokens: (scopes) => {
            const tenant = scopes.find((s) => s.startsWith('VSCODE_TENANT:'))?.slice('VSCODE_TENANT:'.length);
            const token = tenant === AZURE_GUEST_TENANT_ID ? AZURE_GUEST_TOKEN : AZURE_CLI_TOKEN;
            return Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3600_000 });
          },
        },
      },
    });
    const state = h.state();
    const guest = state.subscriptions.find((s) => s.tenantId === AZURE_GUEST_TENANT_ID)!;
    const vm = state.vms[guest.subscriptionId].find((v) => v.power === 'running')!;
    const resource: Resource = {
      id: vm.id,
      cloud: 'azure',
      account: '',
      scope: guest.subscriptionId,
      kind: 'gpu-instance',
      service: 'GPU',
      name: vm.name,
      status: 'running',
    };
    await h.collector.act(resource, 'stop');
    assert.deepEqual(
      state.writes.map((w) => [w.path, w.status]),
      [[`${vm.id}/deallocate`, 202]],
    );
    assert.equal(vm.power, 'deallocating');
  });

  it("a 429 with Retry-After is waited out by Cloudtop's transport (the SDK does not retry)", async () => {
    h = await start({ azure: { subscriptions: 1 } });
    h.sim.faults.add('azure', `GET ${VM_LIST}`, { status: 429, times: 1, headers: { 'Retry-After': '2' } });
    const { azure } = await h.refresh();
    assert.equal(azure.state, 'ok', azure.error?.message);
    assert.ok(
      h.sleeps.some((ms) => ms >= 2000),
      `waited Retry-After: ${JSON.stringify(h.sleeps)}`,
    );
    const vmCalls = requests(h, VM_LIST);
    assert.equal(vmCalls.filter((e) => e.status === 429).length, 1);
    assert.equal(
      vmCalls.length,
      Math.ceil(h.state().vms[h.state().subscriptions[0].subscriptionId].length / 4) + 1,
      'the throttled page once more, nothing else',
    );
  });

  describe("the service principal's token requests go through Cloudtop's transport", () => {
    it('a redirect from the token endpoint to another origin is refused: nothing reaches that origin', async () => {
      let reached = 0;
      const elsewhere = createServer((_req, res) => {
        reached++;
        res.end('{}');
      });
      await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
      try {
        const to = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/token`;
        h = await start({ azure: { subscriptions: 1 } });
        const redirect = h.sim.faults.add('azure', `POST ${TOKEN}`, { kind: 'redirect', to, status: 307, times: Infinity });
        const { azure } = await h.refresh();
        assert.ok(redirect.hits > 0, 'the token endpoint was asked');
        assert.equal(azure.state, 'error');
        assert.equal(azure.error?.category, 'config', azure.error?.message);
        assert.match(azure.error?.message ?? '', /redirect to http:\/\/127\.0\.0\.1:\d+/, 'names where it was sent');
        assert.equal(reached, 0, 'no request reached the other origin');
        assert.deepEqual(h.sleeps, [], 'a redirect is not retried');
      } finally {
        await new Promise((resolve) => elsewhere.close(resolve));
      }
    });

    it("a 429 with Retry-After from the token endpoint is retried once, after it, by the transport alone (the SDK's retries are off)", async () => {
      h = await start({ azure: { subscriptions: 1 } });
      h.sim.faults.add('azure', `POST ${TOKEN}`, { status: 429, headers: { 'Retry-After': '1' }, times: 1 });
      const { azure } = await h.refresh();
      assert.equal(azure.state, 'ok', azure.error?.message);
      const asked = requests(h, TOKEN);
      assert.deepEqual(
        asked.map((e) => e.status),
        [429, 200],
        'the throttled token request once more, nothing else',
      );
      // The harness's retry records its waits instead of sleeping them.
      assert.ok(
        h.sleeps.some((ms) => ms >= 1000),
        `the transport waited Retry-After (1 s) before the second: ${JSON.stringify(h.sleeps)}`,
      );
    });

    it('no issued access token reaches a log line: not echoed by Resource Manager, not in a token answer the client refuses', async () => {
      h = await start({ azure: { subscriptions: 1 } });
      assert.equal((await h.refresh()).azure.state, 'ok');
      const [token] = Object.keys(h.state().issuedTokens);
      assert.ok(token, 'a token was issued');
      h.sim.faults.add('azure', `GET ${VM_LIST}`, {
        status: 403,
        body: { error: { code: 'AuthorizationFailed', message: `The client with token ${token} may not list virtual machines.` } },
        times: Infinity,
      });
      await h.refresh();
      assert.ok(
        h.log.lines.some((line) => /The client with token \[REDACTED\] may not list/.test(line.message)),
        `the echo was logged, redacted: ${h.log.text().slice(-2000)}`,
      );
      await h.close();

      // A token answer MSAL refuses (it names an error too), whose words repeat the token it carries: that token never
      // rode in a header, so only reading the answer registers it.
      h = await start({ azure: { subscriptions: 1 } });
      const refused = 'sim-azure-at-refused-answer-token-0';
      h.sim.faults.add('azure', `POST ${TOKEN}`, {
        status: 200,
        body: {
          token_type: 'Bearer',
          access_token: refused,
          expires_in: 3599,
          error: 'invalid_request',
          error_description: `AADSTS50000: The token ${refused} could not be issued.`,
        },
        times: 1,
      });
      const { azure } = await h.refresh();
      assert.equal(azure.state, 'error');
      assert.ok(h.log.text().length > 0, 'the refresh was logged');
      assertNoSecrets(shown(h, azure), [...azureSecrets(h), refused]);
    });
  });
});
