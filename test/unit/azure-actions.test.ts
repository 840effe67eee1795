// Azure's stop and start rules (src/providers/azure/actions.ts) on resources as mapping.ts makes them from ARM's
// shapes (Azure/azure-rest-api-specs Microsoft.Compute examples, properties flattened as the SDK hands them): which
// resources take the actions, when one is already there — deallocated, not merely stopped —, what a stop keeps billing
// and loses, and the refusal that names the missing permission.
import assert from 'node:assert/strict';
import { planAction, stopTermsOf } from '../../src/core/engine/actions';
import { toCloudtopError } from '../../src/core/errors/errors';
import { unreadPriceBook } from '../../src/core/model/price';
import type { Resource } from '../../src/core/model/model';
import { azureErrors } from '../../src/providers/azure/errors';
import {
  MANAGED_BY_DETAIL,
  mapCluster,
  mapFunctionApp,
  mapScaleSetVm,
  mapVm,
  POWER_DETAIL,
  SERVICES,
  TEMP_DISK_DETAIL,
  type MapContext,
} from '../../src/providers/azure/mapping';
import type { VmQuery } from '../../src/providers/azure/prices';
import { catalogue } from '../../src/providers/index';

const SUB = '/subscriptions/00000000-0000-4000-8000-000000000001';
const ctx: MapContext = {
  account: '',
  tenantId: undefined,
  prices: unreadPriceBook<VmQuery>('no prices in this test'),
  sku: (_location, size) =>
    size.toLowerCase() === 'standard_nc24ads_a100_v4'
      ? { name: 'Standard_NC24ads_A100_v4', gpus: 1, memoryGb: 220, tempDiskGb: 64 }
      : size.toLowerCase() === 'standard_d2s_v5'
        ? { name: 'Standard_D2s_v5', memoryGb: 8, tempDiskGb: 0 }
        : undefined,
};

/** A VM as `virtualMachines.listAll({statusOnly: 'true'})` hands it (flattened), in one power state. */
const vm = (power: string, over: Record<string, unknown> = {}): Resource =>
  mapVm(
    {
      id: `${SUB}/resourceGroups/RG-ML/providers/Microsoft.Compute/virtualMachines/train-${power}`,
      name: `train-${power}`,
      location: 'eastus',
      hardwareProfile: { vmSize: 'Standard_NC24ads_A100_v4' },
      storageProfile: {
        osDisk: { osType: 'Linux', diskSizeGB: 256, managedDisk: { storageAccountType: 'Premium_LRS' } },
        dataDisks: [{ diskSizeGB: 1024 }, { diskSizeGB: 512 }],
      },
      provisioningState: 'Succeeded',
      instanceView: {
        statuses: [
          { code: 'ProvisioningState/succeeded', displayStatus: 'Provisioning succeeded' },
          { code: `PowerState/${power}`, displayStatus: `VM ${power}` },
        ],
      },
      ...over,
    },
    ctx,
  )!;

const scaleSet = (tags: Record<string, string>) => ({
  id: `${SUB}/resourceGroups/MC_rg_aks_eastus/providers/Microsoft.Compute/virtualMachineScaleSets/aks-gpu-12345678-vmss`,
  name: 'aks-gpu-12345678-vmss',
  location: 'eastus',
  sku: { name: 'Standard_NC24ads_A100_v4', capacity: 1 },
  tags,
  virtualMachineProfile: { storageProfile: { osDisk: { osType: 'Linux', diskSizeGB: 128 } } },
});
const instance = (set: ReturnType<typeof scaleSet>, pool?: { cluster: string; pool: string }) =>
  mapScaleSetVm(
    {
      id: `${set.id}/virtualMachines/0`,
      name: `${set.name}_0`,
      instanceId: '0',
      location: 'eastus',
      instanceView: { statuses: [{ code: 'PowerState/running', displayStatus: 'VM running' }] },
    },
    set,
    pool,
    ctx,
  )!;

const actions = catalogue.azure!.actions!;

describe('Azure actions: deallocate and start', () => {
  it('names the services and details mapping.ts files its VMs under', () => {
    const r = vm('running');
    assert.deepEqual([SERVICES.gpu, SERVICES.vm], ['GPU', 'Virtual Machines']);
    assert.equal(r.details?.[POWER_DETAIL], 'running');
    assert.equal(r.details?.[TEMP_DISK_DETAIL], '64 GB');
    assert.equal(POWER_DETAIL, 'power state');
    assert.equal(MANAGED_BY_DETAIL, 'managed by');
    assert.equal(TEMP_DISK_DETAIL, 'temporary disk');
  });

  it('a VM powered off but still allocated is billed and not stopped: Stop deallocates it; deallocated is stopped', () => {
    const allocated = vm('stopped');
    assert.equal(allocated.status, 'stopped');
    assert.equal(allocated.chargedWhilePaused, true);
    assert.deepEqual(planAction(catalogue.azure, allocated, 'stop'), { decision: 'send' });
    assert.deepEqual(planAction(catalogue.azure, allocated, 'start'), { decision: 'send' });
    const deallocated = vm('deallocated');
    assert.equal(planAction(catalogue.azure, deallocated, 'stop').decision, 'skip');
    assert.deepEqual(planAction(catalogue.azure, deallocated, 'start'), { decision: 'send' });
    assert.equal(planAction(catalogue.azure, vm('running'), 'start').decision, 'skip');
    assert.deepEqual(planAction(catalogue.azure, vm('deallocating'), 'stop'), { decision: 'send' });
  });

  it('a failed provisioning is judged by its power state: deallocated is already stopped, running already started', () => {
    const failed = (power: string) =>
      vm(power, {
        provisioningState: 'Failed',
        instanceView: {
          statuses: [
            { code: 'ProvisioningState/failed/AllocationFailed', displayStatus: 'Provisioning failed' },
            { code: `PowerState/${power}`, displayStatus: `VM ${power}` },
          ],
        },
      });
    assert.equal(failed('deallocated').status, 'error');
    assert.equal(planAction(catalogue.azure, failed('deallocated'), 'stop').decision, 'skip');
    assert.equal(planAction(catalogue.azure, failed('running'), 'start').decision, 'skip');
    assert.deepEqual(planAction(catalogue.azure, failed('running'), 'stop'), { decision: 'send' });
  });

  it("takes VMs and non-AKS scale-set instances; an AKS node (tagged, even when its cluster was not listed), a cluster and a function app are not Cloudtop's to stop", () => {
    assert.equal(actions.supports(vm('running'), 'stop'), true);
    assert.equal(actions.supports(instance(scaleSet({ team: 'ml' })), 'stop'), true);
    const tagged = instance(scaleSet({ 'aks-managed-poolName': 'gpu' }));
    assert.equal(tagged.details?.[MANAGED_BY_DETAIL], 'AKS');
    assert.equal(planAction(catalogue.azure, tagged, 'stop').decision, 'unsupported');
    assert.match((planAction(catalogue.azure, tagged, 'stop') as { why: string }).why, /not AKS nodes: stop their cluster instead/);
    assert.equal(actions.supports(instance(scaleSet({}), { cluster: 'aks-ml', pool: 'gpu' }), 'start'), false);
    const aksVm = vm('running', { tags: { 'aks-managed-poolName': 'gpuvms' } });
    assert.equal(aksVm.details?.[MANAGED_BY_DETAIL], 'AKS');
    assert.equal(actions.supports(aksVm, 'stop'), false, 'a plain VM that AKS runs as a node');
    const cluster = mapCluster(
      { id: `${SUB}/resourcegroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-ml`, name: 'aks-ml' },
      ctx,
    )!;
    const site = mapFunctionApp(
      { id: `${SUB}/resourceGroups/rg/providers/Microsoft.Web/sites/func-a`, name: 'func-a', kind: 'functionapp', state: 'Running' },
      ctx,
    )!;
    assert.equal(actions.supports(cluster, 'stop'), false);
    assert.equal(actions.supports(site, 'stop'), false);
  });

  it('a stop keeps billing the managed disks and a static IP, releases a dynamic IP, and loses the temporary disk', () => {
    const terms = stopTermsOf(catalogue.azure, vm('running'))!;
    assert.match(terms.keepsBilling[0], /OS disk \(256 GB Premium_LRS\) and data disks \(2, 1536 GB in all\).*billed|bills them/);
    assert.match(terms.keepsBilling[1], /static public IP address.*dynamic one is released/);
    assert.deepEqual(terms.loses.length, 1);
    assert.match(terms.loses[0], /temporary disk \(64 GB\)/);
    assert.equal(terms.stillBilled, undefined);
    const small = mapVm(
      {
        id: `${SUB}/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/web`,
        name: 'web',
        location: 'eastus',
        hardwareProfile: { vmSize: 'Standard_D2s_v5' },
        instanceView: { statuses: [{ code: 'PowerState/running' }] },
      },
      ctx,
    )!;
    assert.deepEqual(stopTermsOf(catalogue.azure, small)!.loses, [], 'a size without a temporary disk loses nothing');
    const priced = stopTermsOf(catalogue.azure, { ...vm('running'), storagePricePerHour: 0.05 })!;
    assert.match(priced.keepsBilling[0], /\$0\.05\/h/);
  });

  it("a 403 AuthorizationFailed names the missing permission in full, however long ARM's message", () => {
    const body = {
      error: {
        code: 'AuthorizationFailed',
        message: `The client '${'c'.repeat(36)}' with object id '${'o'.repeat(36)}' does not have authorization to perform action 'Microsoft.Compute/virtualMachines/deallocate/action' over scope '${SUB}/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/train' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      },
    };
    const e = toCloudtopError({ status: 403, code: 'AuthorizationFailed', cloudMessage: body.error.message.slice(0, 150) }, 'azure', {
      hook: azureErrors,
      response: { body },
    });
    assert.equal(e.category, 'permission');
    assert.match(
      e.message,
      /The missing permission: Microsoft\.Compute\/virtualMachines\/deallocate\/action \(the Virtual Machine Contributor role grants it\)/,
    );
  });
});
