// The simulated Azure driven by the REAL azure-sdk-for-js clients (arm-compute, arm-containerservice, arm-appservice,
// arm-resources-subscriptions, monitor-query-metrics, identity): HTTPS on the sim's own port with the test certificate
// (trusted through NODE_EXTRA_CA_CERTS, set by .mocharc.integration.cjs), paging, errors and the wire shapes as the
// SDKs hand them to a caller (Azure/azure-sdk-for-js). Run: npx mocha --config .mocharc.integration.cjs <this file>
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ComputeManagementClient } from '@azure/arm-compute';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { WebSiteManagementClient } from '@azure/arm-appservice';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { AzureCliCredential, ClientSecretCredential } from '@azure/identity';
import { MetricsClient } from '@azure/monitor-query-metrics';
import { isRestError, type RestError } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/core-auth';
import {
  ARM_SCOPE,
  AZURE_CLI_TOKEN,
  AZURE_GUEST_TENANT_ID,
  AZURE_GUEST_TOKEN,
  AZURE_VM_SIZES,
  azureCloud,
  azureMetricMinute,
  azureVmPrices,
  installFakeAz,
  type AzureState,
} from '../azure';
import { HOSTILE_NAMES } from '../hostile';
import { startSim, type Sim } from '../server';

const cliCredential = (token = AZURE_CLI_TOKEN): TokenCredential => ({
  getToken: () => Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3600e3 }),
});
const noRetry = { retryOptions: { maxRetries: 0 } };

async function all<T>(iter: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iter) out.push(item);
  return out;
}

async function rejection(fn: () => Promise<unknown>): Promise<RestError> {
  try {
    await fn();
  } catch (err) {
    assert.ok(isRestError(err), `expected a RestError, got ${String(err)}`);
    return err;
  }
  assert.fail('the call should have failed');
}

describe('simulated Azure with the real Azure SDKs', function () {
  this.timeout(20_000);
  let sim: Sim;
  let state: AzureState;
  let endpoint: string;
  const compute = (sub: string, cred: TokenCredential = cliCredential()) =>
    new ComputeManagementClient(cred, sub, { endpoint, ...noRetry });
  const subs = () => state.subscriptions.map((s) => s.subscriptionId);

  before(async () => {
    sim = await startSim({ clouds: [azureCloud({ pageSize: 4 })] });
    endpoint = sim.endpoint('azure');
  });
  after(() => sim.close());
  beforeEach(() => {
    sim.reset();
    state = sim.state<AzureState>('azure');
  });

  it('serves https at its own port root and lists two subscriptions through SubscriptionClient', async () => {
    assert.match(endpoint, /^https:\/\/127\.0\.0\.1:\d+$/, 'the azure endpoint is an https origin');
    const client = new SubscriptionClient(cliCredential(), { endpoint, credentialScopes: [ARM_SCOPE], ...noRetry });
    const list = await all(client.subscriptions.list());
    assert.deepEqual(
      list.map((s) => s.displayName),
      ['Cloudtop Sim Production', 'Cloudtop Sim Research'],
    );
    assert.match(
      list[0].subscriptionId ?? '',
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      'GUID subscription id',
    );
    assert.equal(list[0].state, 'Enabled');
    assert.equal(list[0].tenantId, state.tenantId);
  });

  it('pages listAll({statusOnly}) with https nextLinks and gives every VM its instance view statuses', async () => {
    const [first, second] = subs();
    const vms = await all(compute(first).virtualMachines.listAll({ statusOnly: 'true' }));
    assert.equal(vms.length, state.vms[first].length, 'every VM of the subscription');
    assert.equal(vms.length, 20);
    assert.ok(
      sim.log.count('azure', 'GET /subscriptions/:sub/providers/Microsoft.Compute/virtualMachines') >= 3,
      'several pages of 4 were fetched',
    );
    const powers = vms.map((vm) => vm.instanceView?.statuses?.find((s) => s.code?.startsWith('PowerState/'))?.code);
    for (const p of ['running', 'deallocated', 'stopped', 'starting', 'deallocating', 'stopping'])
      assert.ok(powers.includes(`PowerState/${p}`), `power state ${p} present`);
    const failed = vms.find((vm) => vm.provisioningState === 'Failed');
    assert.ok(failed, 'one VM failed provisioning');
    const failedStatus = failed.instanceView?.statuses?.[0];
    assert.match(failedStatus?.code ?? '', /^ProvisioningState\/failed\/AllocationFailed$/);
    assert.equal(failedStatus?.level, 'Error');
    const spot = vms.find((vm) => vm.priority === 'Spot');
    assert.ok(spot, 'a Spot VM');
    assert.equal(spot.hardwareProfile?.vmSize, 'Standard_NC24ads_A100_v4');
    assert.ok(vms[0].timeCreated instanceof Date, 'timeCreated deserialized as a Date');
    const gpuOnly = await all(compute(second).virtualMachines.listAll({ statusOnly: 'true' }));
    assert.equal(gpuOnly.length, 6);
    assert.ok(
      gpuOnly.every((vm) => /^Standard_N/.test(vm.hardwareProfile?.vmSize ?? '')),
      'the second subscription holds GPU VMs only',
    );
    assert.equal(
      sim.log.count('azure', 'GET /subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Compute/virtualMachines/:name/instanceView'),
      0,
      'no per-VM call',
    );
  });

  it('leaves the instance view out without statusOnly and answers the per-VM instanceView call', async () => {
    const [first] = subs();
    const vms = await all(compute(first).virtualMachines.listAll());
    assert.equal(vms.length, state.vms[subs()[0]].length);
    assert.ok(
      vms.every((vm) => vm.instanceView === undefined),
      'no instanceView without statusOnly',
    );
    const vm = state.vms[first][3];
    const view = await compute(first).virtualMachines.instanceView(vm.resourceGroup, vm.name);
    assert.equal(view.statuses?.[1]?.code, `PowerState/${vm.power}`);
  });

  it('carries the ARM headers: request ids and a per-subscription reads counter going down', async () => {
    const [first] = subs();
    const client = compute(first);
    const seen: (string | undefined)[] = [];
    const ids: (string | undefined)[] = [];
    for (let i = 0; i < 2; i++) {
      await client.virtualMachines
        .listAll({
          onResponse: (r) => {
            seen.push(r.headers.get('x-ms-ratelimit-remaining-subscription-reads'));
            ids.push(r.headers.get('x-ms-request-id'));
          },
        })
        .byPage()
        .next();
    }
    assert.deepEqual(seen, ['11999', '11998']);
    assert.match(ids[0] ?? '', /^[0-9a-f-]{36}$/, 'uuid request id');
  });

  it('lists VM sizes with real cores and memory', async () => {
    const sizes = await all(compute(subs()[0]).virtualMachineSizes.list('eastus'));
    assert.equal(sizes.length, AZURE_VM_SIZES.length);
    const a100 = sizes.find((s) => s.name === 'Standard_NC24ads_A100_v4');
    assert.equal(a100?.numberOfCores, 24);
    assert.equal(a100?.memoryInMB, 225280);
  });

  it('lists AKS clusters flattened by the modular SDK, with their pools and power state', async () => {
    const [first, second] = subs();
    const client = new ContainerServiceClient(cliCredential(), first, { endpoint, ...noRetry });
    const clusters = await all(client.managedClusters.list());
    assert.equal(clusters.length, 2);
    const running = clusters.find((c) => c.powerState?.code === 'Running');
    assert.ok(running, 'a running cluster');
    assert.deepEqual(
      running.agentPoolProfiles?.map((p) => [p.name, p.count, p.vmSize, p.mode]),
      [
        ['system', 3, 'Standard_D4s_v5', 'System'],
        ['gpu', 2, 'Standard_NC24ads_A100_v4', 'User'],
      ],
    );
    assert.equal(clusters.find((c) => c !== running)?.powerState?.code, 'Stopped');
    const other = await all(new ContainerServiceClient(cliCredential(), second, { endpoint, ...noRetry }).managedClusters.list());
    assert.deepEqual(
      other.map((c) => c.provisioningState),
      ['Updating'],
    );
  });

  it('lists function apps and web apps through webApps.list', async () => {
    const client = new WebSiteManagementClient(cliCredential(), subs()[0], { endpoint, ...noRetry });
    const sites = await all(client.webApps.list());
    assert.equal(sites.length, 6, 'two pages of 4');
    const functions = sites.filter((s) => s.kind?.includes('functionapp'));
    assert.equal(functions.length, 4);
    assert.deepEqual(functions.map((s) => s.state).sort(), ['Running', 'Running', 'Running', 'Stopped']);
    assert.equal(functions.find((s) => s.sku === 'FlexConsumption')?.location, 'East US', 'a Flex Consumption app');
    assert.deepEqual(
      sites.filter((s) => !s.kind?.includes('functionapp')).map((s) => s.kind),
      ['app,linux', 'app,linux,container'],
    );
    assert.equal(sites[0].location, 'East US');
    assert.match(sites[0].defaultHostName ?? '', /\.azurewebsites\.net$/);
  });

  it('answers metrics:getBatch through MetricsClient with deterministic values', async () => {
    const [first] = subs();
    const vms = state.vms[first].filter((vm) => vm.location === 'eastus');
    const running = vms.find((vm) => vm.power === 'running')!;
    const off = vms.find((vm) => vm.power === 'deallocated')!;
    const client = new MetricsClient(endpoint, cliCredential(), noRetry);
    const startTime = new Date('2026-11-01T11:00:00Z');
    const endTime = new Date('2026-11-01T11:05:00Z');
    const results = await client.queryResources(
      [running.id, off.id, `/subscriptions/${first}/resourceGroups/nope/providers/Microsoft.Compute/virtualMachines/ghost`],
      ['Percentage CPU', 'Available Memory Bytes'],
      'Microsoft.Compute/virtualMachines',
      { startTime, endTime, interval: 'PT1M', aggregation: 'Average,Maximum,Minimum' },
    );
    assert.equal(results.length, 3);
    assert.equal(results[0].resourceRegion, 'eastus');
    const cpu = results[0].metrics.find((m) => m.name === 'Percentage CPU');
    const data = cpu?.timeseries[0]?.data ?? [];
    assert.equal(data.length, 5, 'one point per minute');
    // Points are numbered from the window's end: the first of five is minute 4 back.
    assert.equal(data[0].average, azureMetricMinute(state.seed, running.id, 'Percentage CPU', 4).average);
    assert.equal(data[4].average, azureMetricMinute(state.seed, running.id, 'Percentage CPU', 0).average);
    assert.ok(data[0].timeStamp instanceof Date, 'timeStamp is a Date');
    assert.equal(data[0].total, undefined, 'only the aggregations asked for');
    const mem = results[0].metrics.find((m) => m.name === 'Available Memory Bytes')?.timeseries[0]?.data?.[0];
    const sizeMb = AZURE_VM_SIZES.find((s) => s.name === running.body.properties.hardwareProfile.vmSize)!.memoryMb;
    assert.ok((mem?.maximum ?? Infinity) < sizeMb * 1048576, 'available memory below the size memory');
    const offData = results[1].metrics[0].timeseries[0].data ?? [];
    assert.equal(offData.length, 5);
    assert.equal(offData[0].average, undefined, 'a deallocated VM has timeStamps only');
    assert.deepEqual(
      results[2].metrics.map((m) => m.timeseries.length),
      [0, 0],
      'an unknown id gets empty timeseries',
    );
    assert.deepEqual(
      state.metricBatches.map((b) => [b.ids, b.namespace, b.metricnames.join('|')]),
      [[3, 'Microsoft.Compute/virtualMachines', 'Percentage CPU|Available Memory Bytes']],
    );
  });

  it('refuses metrics batches of 51 ids, of mixed regions and of unknown metrics with 400', async () => {
    const [first] = subs();
    const client = new MetricsClient(endpoint, cliCredential(), noRetry);
    const opts = { startTime: new Date('2026-11-01T11:00:00Z'), endTime: new Date('2026-11-01T11:05:00Z'), interval: 'PT1M' };
    const ids = Array.from(
      { length: 51 },
      (_, i) => `/subscriptions/${first}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm${i}`,
    );
    const tooMany = await rejection(() => client.queryResources(ids, ['Percentage CPU'], 'Microsoft.Compute/virtualMachines', opts));
    assert.equal(tooMany.statusCode, 400);
    const east = state.vms[first].find((vm) => vm.location === 'eastus')!;
    const west = state.vms[first].find((vm) => vm.location === 'westeurope')!;
    const mixed = await rejection(() =>
      client.queryResources([east.id, west.id], ['Percentage CPU'], 'Microsoft.Compute/virtualMachines', opts),
    );
    assert.equal(mixed.statusCode, 400);
    assert.match(mixed.message, /same region/);
    const unknown = await rejection(() => client.queryResources([east.id], ['GPU Utilization'], 'Microsoft.Compute/virtualMachines', opts));
    assert.match(unknown.message, /Failed to find metric configuration/);
  });

  it('answers Resource SKUs by location with the GPUs capability, in canonical casing, and refuses other filters', async () => {
    const [first] = subs();
    const skus = await all(compute(first).resourceSkus.list({ filter: "location eq 'eastus'" }));
    const vmSkus = skus.filter((s) => s.resourceType === 'virtualMachines');
    assert.ok(
      skus.some((s) => s.resourceType === 'disks'),
      'other resource types beside the VM sizes',
    );
    const gb200 = vmSkus.find((s) => s.name?.toLowerCase() === 'standard_nd128isr_ndr_gb200_v6');
    assert.equal(gb200?.name, 'Standard_ND128isr_NDR_GB200_v6');
    assert.equal(gb200?.capabilities?.find((c) => c.name === 'GPUs')?.value, '4');
    assert.equal(
      vmSkus.find((s) => s.name === 'Standard_D2s_v5')?.capabilities?.find((c) => c.name === 'GPUs'),
      undefined,
      'no GPUs capability without GPUs',
    );
    const bad = await rejection(() => all(compute(first).resourceSkus.list({ filter: "name eq 'Standard_D2s_v5'" })));
    assert.equal(bad.statusCode, 400);
  });

  it('lists Uniform scale sets (AKS node pools tagged with their pool) and their instances with instance views on $expand', async () => {
    const [first] = subs();
    const sets = await all(compute(first).virtualMachineScaleSets.listAll());
    const gpuPool = sets.find((s) => s.tags?.['aks-managed-poolName'] === 'gpu')!;
    assert.equal(gpuPool.orchestrationMode, 'Uniform');
    assert.equal(gpuPool.sku?.name, 'Standard_NC24ads_A100_v4');
    assert.ok((gpuPool.sku?.capacity ?? 0) > 0);
    assert.ok(
      sets.some((s) => s.orchestrationMode === 'Flexible'),
      'a Flexible scale set too',
    );
    const rg = /\/resourceGroups\/([^/]+)/i.exec(gpuPool.id ?? '')![1];
    const plain = await all(compute(first).virtualMachineScaleSetVMs.list(rg, gpuPool.name!));
    assert.equal(plain[0].instanceView, undefined, 'no instance view unless expanded');
    const vms = await all(compute(first).virtualMachineScaleSetVMs.list(rg, gpuPool.name!, { expand: 'instanceView' }));
    assert.equal(vms.length, gpuPool.sku?.capacity);
    assert.equal(vms[0].instanceView?.statuses?.[1]?.code, 'PowerState/running');
    assert.match(vms[0].osProfile?.computerName ?? '', /^aks-gpu-\d+-vmss\d{6}$/);
  });

  it("lists every tenant of a user; a token lists its own tenant's subscriptions, and another tenant's is refused (wrong issuer)", async () => {
    await sim.close();
    sim = await startSim({ clouds: [azureCloud({ pageSize: 4, tenants: 2 })] });
    endpoint = sim.endpoint('azure');
    state = sim.state<AzureState>('azure');
    const client = (token?: string) =>
      new SubscriptionClient(cliCredential(token), { endpoint, credentialScopes: [ARM_SCOPE], ...noRetry });
    const tenants = await all(client().tenants.list());
    assert.deepEqual(tenants.map((t) => t.tenantId).sort(), [AZURE_GUEST_TENANT_ID, state.tenantId].sort());
    const home = await all(client().subscriptions.list());
    assert.ok(home.every((s) => s.tenantId === state.tenantId));
    const guest = await all(client(AZURE_GUEST_TOKEN).subscriptions.list());
    assert.deepEqual(
      guest.map((s) => s.displayName),
      ['Fabrikam GPU Lab'],
    );
    const refused = await rejection(() => all(compute(guest[0].subscriptionId!).virtualMachines.listAll()));
    assert.equal(refused.statusCode, 401);
    assert.equal(refused.code, 'InvalidAuthenticationTokenTenant');
    const read = await all(compute(guest[0].subscriptionId!, cliCredential(AZURE_GUEST_TOKEN)).virtualMachines.listAll());
    assert.ok(read.length > 0);
    await sim.close();
    sim = await startSim({ clouds: [azureCloud({ pageSize: 4 })] });
    endpoint = sim.endpoint('azure');
  });

  it("serves Flex Consumption's execution counts; FunctionExecutionCount of a Flex app has no values", async () => {
    const [first] = subs();
    const flex = state.sites[first].find((s) => (s.properties as { sku: string }).sku === 'FlexConsumption')!;
    const client = new MetricsClient(endpoint, cliCredential(), noRetry);
    const opts = {
      startTime: new Date('2026-11-01T11:00:00Z'),
      endTime: new Date('2026-11-01T11:05:00Z'),
      interval: 'PT1M',
      aggregation: 'Total',
    };
    const [answer] = await client.queryResources(
      [String(flex.id)],
      ['FunctionExecutionCount', 'OnDemandFunctionExecutionCount', 'AlwaysReadyFunctionExecutionCount'],
      'Microsoft.Web/sites',
      opts,
    );
    const byName = new Map(answer.metrics.map((m) => [m.name, m.timeseries.flatMap((t) => t.data ?? [])]));
    assert.ok(
      byName.get('FunctionExecutionCount')!.every((p) => p.total === undefined),
      'no FunctionExecutionCount on Flex',
    );
    assert.ok(byName.get('OnDemandFunctionExecutionCount')!.some((p) => p.total !== undefined));
  });

  it('surfaces a 429 fault as a RestError with Retry-After', async () => {
    sim.faults.add('azure', 'GET /subscriptions/:sub/providers/Microsoft.Compute/virtualMachines', {
      status: 429,
      headers: { 'Retry-After': '7' },
    });
    const err = await rejection(() => all(compute(subs()[0]).virtualMachines.listAll()));
    assert.equal(err.statusCode, 429);
    assert.equal(err.code, 'TooManyRequests');
    assert.equal(err.response?.headers.get('retry-after'), '7');
  });

  it('answers 403 AuthorizationFailed for a refused subscription and 404 for an unknown one', async () => {
    const [first] = subs();
    state.refusedSubscriptions.push(first);
    const err = await rejection(() => all(compute(first).virtualMachines.listAll()));
    assert.equal(err.statusCode, 403);
    assert.equal(err.code, 'AuthorizationFailed');
    const missing = await rejection(() => all(compute('11111111-2222-4333-8444-555555555555').virtualMachines.listAll()));
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.code, 'SubscriptionNotFound');
    const listed = await all(
      new SubscriptionClient(cliCredential(), { endpoint, credentialScopes: [ARM_SCOPE], ...noRetry }).subscriptions.list(),
    );
    assert.equal(listed.length, 2, 'the refused subscription is still listed');
  });

  it('rejects an unknown bearer token with 401 and WWW-Authenticate', async () => {
    const err = await rejection(() => all(compute(subs()[0], cliCredential('not-a-token')).virtualMachines.listAll()));
    assert.equal(err.statusCode, 401);
    assert.equal(err.code, 'InvalidAuthenticationToken');
    assert.match(
      err.response?.headers.get('www-authenticate') ?? '',
      new RegExp(`^Bearer authorization_uri="https://login.microsoftonline.com/${state.tenantId}", error="invalid_token"`),
    );
  });

  it('issues tokens to the real ClientSecretCredential, records the ARM scope, and revokes with the secret', async () => {
    const cred = new ClientSecretCredential(state.tenantId, state.clientId, sim.keys().azure, {
      authorityHost: endpoint,
      disableInstanceDiscovery: true,
    });
    const vms = await all(compute(subs()[0], cred).virtualMachines.listAll());
    assert.equal(vms.length, state.vms[subs()[0]].length);
    assert.deepEqual(state.tokenScopes, [ARM_SCOPE]);
    assert.deepEqual(
      sim.log
        .entries()
        .filter((e) => !e.path.startsWith('/subscriptions'))
        .map((e) => `${e.method} ${e.route ?? e.path}`),
      ['GET /:tenant/v2.0/.well-known/openid-configuration', 'POST /:tenant/oauth2/v2.0/token'],
      'all MSAL asks for',
    );
    assert.equal(Object.keys(state.issuedTokens).length, 1);
    state.keys.splice(0);
    const revoked = await rejection(() => all(compute(subs()[0], cred).virtualMachines.listAll()));
    assert.equal(revoked.statusCode, 401, 'a token of a removed secret stops working');
    const wrong = new ClientSecretCredential(state.tenantId, state.clientId, 'wrong', {
      authorityHost: endpoint,
      disableInstanceDiscovery: true,
    });
    await assert.rejects(wrong.getToken(ARM_SCOPE), /AADSTS7000215/);
  });

  it("runs the SDK's long-running deallocate and start to the end: Azure-AsyncOperation polled, the VM deallocated, then running", async () => {
    const sub = subs()[0];
    const vm = state.vms[sub].find((v) => v.power === 'stopped')!;
    const client = compute(sub);
    // The SDK's own polling, to the end: every URL it follows must be one the sim answers as ARM does.
    await client.virtualMachines.beginDeallocateAndWait(vm.resourceGroup, vm.name, { updateIntervalInMs: 10 });
    assert.equal(vm.power, 'deallocated');
    assert.equal(vm.body.properties.provisioningState, 'Succeeded');
    const poller = await client.virtualMachines.beginStart(vm.resourceGroup, vm.name, { updateIntervalInMs: 10 });
    assert.equal(vm.power, 'starting', 'accepted: the poller holds the initial answer, nothing polled yet');
    assert.equal(poller.isDone(), false);
    await poller.pollUntilDone();
    assert.equal(vm.power, 'running');
    const set = state.scaleSets[sub].find((s) => s.name === 'vmss-a100-batch')!;
    const instance = set.instances.find((i) => i.power === 'running')!;
    await client.virtualMachineScaleSetVMs.beginDeallocateAndWait(set.resourceGroup, set.name, instance.instanceId, {
      updateIntervalInMs: 10,
    });
    assert.equal(instance.power, 'deallocated');
    assert.deepEqual(
      state.writes.map((w) => [w.path.replace(/^.*\/providers\/Microsoft\.Compute\//, ''), w.status, w.apiVersion, w.body]),
      [
        [`virtualMachines/${vm.name}/deallocate`, 202, '2026-03-01', ''],
        [`virtualMachines/${vm.name}/start`, 202, '2026-03-01', ''],
        [`virtualMachineScaleSets/${set.name}/virtualMachines/${instance.instanceId}/deallocate`, 202, '2026-03-01', ''],
      ],
    );
  });

  it('refuses a read-only principal with 403 AuthorizationFailed and a VM marked for deletion with 409 OperationNotAllowed', async () => {
    const sub = subs()[0];
    const vm = state.vms[sub].find((v) => v.power === 'running')!;
    state.readOnlyKeys.push(AZURE_CLI_TOKEN);
    const refused = await rejection(() => compute(sub).virtualMachines.beginDeallocate(vm.resourceGroup, vm.name));
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.code, 'AuthorizationFailed');
    assert.match(refused.message, /'Microsoft\.Compute\/virtualMachines\/deallocate\/action'/);
    state.readOnlyKeys = [];
    state.deletingVms.push(vm.id.toLowerCase());
    const conflict = await rejection(() => compute(sub).virtualMachines.beginStart(vm.resourceGroup, vm.name));
    assert.equal(conflict.statusCode, 409);
    assert.equal(conflict.code, 'OperationNotAllowed');
    assert.equal(vm.power, 'running');
  });

  it('answers 403 for a token issued for a forbidden secret', async () => {
    state.forbiddenKeys = ['sim-forbidden'];
    const cred = new ClientSecretCredential(state.tenantId, state.clientId, 'sim-forbidden', {
      authorityHost: endpoint,
      disableInstanceDiscovery: true,
    });
    const err = await rejection(() => all(compute(subs()[0], cred).virtualMachines.listAll()));
    assert.equal(err.statusCode, 403);
    assert.equal(err.code, 'AuthorizationFailed');
  });

  it('serves the Retail Prices API: filter, case sensitivity, NextPageLink paging', async () => {
    const get = async (url: string) =>
      (await fetch(url)).json() as Promise<{ Items: Record<string, unknown>[]; NextPageLink: string | null; Count: number }>;
    const q = (filter: string) => `${endpoint}/api/retail/prices?api-version=2023-01-01-preview&$filter=${encodeURIComponent(filter)}`;
    const one = await get(
      q(
        "serviceName eq 'Virtual Machines' and armRegionName eq 'westeurope' and armSkuName eq 'Standard_NC24ads_A100_v4' and priceType eq 'Consumption'",
      ),
    );
    const expected = azureVmPrices('Standard_NC24ads_A100_v4', 'westeurope')!;
    const linux = one.Items.find((i) => i.skuName === 'NC24ads A100 v4' && !String(i.productName).endsWith('Windows'));
    assert.equal(linux?.retailPrice, expected.linux);
    assert.equal(
      one.Items.find((i) => i.meterName === 'NC24ads A100 v4 Spot' && !String(i.productName).endsWith('Windows'))?.retailPrice,
      expected.linuxSpot,
    );
    assert.ok(expected.linuxSpot < expected.linux && expected.windows > expected.linux, 'spot < on-demand < windows');
    assert.equal(one.Count, 6, 'Linux and Windows: on-demand, Spot, Low Priority');
    assert.equal(one.NextPageLink, null);
    const lower = await get(q("serviceName eq 'virtual machines' and armRegionName eq 'westeurope'"));
    assert.equal(lower.Count, 0, 'values are case-sensitive');
    const pages: number[] = [];
    let url: string | null = q("armRegionName eq 'eastus' or armRegionName eq 'westus2'");
    while (url) {
      assert.ok(url.startsWith(endpoint), `NextPageLink ${url} on the sim origin`);
      const p = await get(url);
      pages.push(p.Count);
      url = p.NextPageLink;
    }
    const rows = AZURE_VM_SIZES.length * 2 * 9;
    assert.deepEqual(
      pages,
      [...Array<number>(Math.floor(rows / 100)).fill(100), rows % 100],
      `${AZURE_VM_SIZES.length} sizes × 2 regions × 9 rows in pages of 100`,
    );
  });

  it('drives the real AzureCliCredential through the az stand-in', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cloudtop-az-'));
    const saved = process.env.PATH;
    try {
      const az = installFakeAz(dir, { token: AZURE_CLI_TOKEN, tenantId: state.tenantId, subscriptionId: subs()[0] });
      process.env.PATH = `${dir}${path.delimiter}${saved ?? ''}`;
      const cred = new AzureCliCredential();
      const token = await cred.getToken(ARM_SCOPE);
      assert.equal(token.token, AZURE_CLI_TOKEN);
      assert.ok(token.expiresOnTimestamp > Date.now(), 'expires in the future');
      const vms = await all(compute(subs()[0], cred).virtualMachines.listAll());
      assert.equal(vms.length, state.vms[subs()[0]].length);
      const calls = az.calls();
      assert.ok(calls.length >= 1, 'az was called');
      assert.deepEqual(calls[0].slice(0, 6), [
        'account',
        'get-access-token',
        '--output',
        'json',
        '--resource',
        'https://management.azure.com',
      ]);
      const signedOut = installFakeAz(mkdtempSync(path.join(tmpdir(), 'cloudtop-az-')), {
        token: 'x',
        tenantId: state.tenantId,
        loggedIn: false,
      });
      process.env.PATH = `${path.dirname(signedOut.bin)}${path.delimiter}${saved ?? ''}`;
      await assert.rejects(new AzureCliCredential().getToken(ARM_SCOPE), /az login/);
      rmSync(path.dirname(signedOut.bin), { recursive: true, force: true });
    } finally {
      process.env.PATH = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('adds extraVms to the first subscription and honours an empty-page fault', async () => {
    const big = await startSim({ clouds: [azureCloud({ extraVms: { region: 'eastus', count: 55 } })] });
    try {
      const s = big.state<AzureState>('azure');
      const client = new ComputeManagementClient(cliCredential(), s.subscriptions[0].subscriptionId, {
        endpoint: big.endpoint('azure'),
        ...noRetry,
      });
      const vms = await all(client.virtualMachines.listAll({ statusOnly: 'true' }));
      assert.equal(vms.length, 20 + 55);
      assert.ok(vms.filter((vm) => vm.location === 'eastus').length >= 55, '55 extra VMs in eastus');
      assert.equal(new Set(vms.map((vm) => vm.name)).size, vms.length, 'unique names');
      big.faults.add('azure', 'GET /subscriptions/:sub/providers/Microsoft.Compute/virtualMachines', { kind: 'empty-page' });
      assert.equal((await all(client.virtualMachines.listAll())).length, 0, 'an empty page ends the listing');
    } finally {
      await big.close();
    }
  });

  it('puts hostile names only in free-text fields', async () => {
    const hostile = await startSim({ clouds: [azureCloud({ hostile: true })] });
    try {
      const s = hostile.state<AzureState>('azure');
      const list = await all(
        new SubscriptionClient(cliCredential(), {
          endpoint: hostile.endpoint('azure'),
          credentialScopes: [ARM_SCOPE],
          ...noRetry,
        }).subscriptions.list(),
      );
      assert.equal(list[0].displayName, HOSTILE_NAMES[0]);
      const vms = await all(
        new ComputeManagementClient(cliCredential(), s.subscriptions[0].subscriptionId, {
          endpoint: hostile.endpoint('azure'),
          ...noRetry,
        }).virtualMachines.listAll(),
      );
      assert.ok(
        vms.every((vm) => /^[A-Za-z0-9._-]{1,64}$/.test(vm.name ?? '')),
        'VM names stay valid Azure names',
      );
      assert.ok(
        vms.some((vm) => HOSTILE_NAMES.includes(vm.tags?.owner ?? '')),
        'hostile tag values',
      );
    } finally {
      await hostile.close();
    }
  });
});
