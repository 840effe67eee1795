// Virtual machine scale sets of the simulated Azure: the Uniform scale sets behind each AKS node pool (in the cluster's
// node resource group, tagged `aks-managed-poolName` as AKS tags them; kubernetes/autoscaler
// cluster-autoscaler/cloudprovider/azure/azure_cache.go reads that tag), a Uniform GPU fleet of its own (a Batch-like
// pool), and a Flexible scale set (whose instances are ordinary VMs: learn.microsoft.com/azure/virtual-machine-scale-sets/
// orchestration-modes-api-comparison). Shapes from Azure/azure-rest-api-specs specification/compute/resource-manager/
// Microsoft.Compute/ComputeRP/stable/2024-07-01/examples/virtualMachineScaleSetExamples/
// (VirtualMachineScaleSet_ListAll_MaximumSet_Gen.json, VirtualMachineScaleSetVM_List_MaximumSet_Gen.json): properties
// not flattened, `sku {name, tier, capacity}`, instances `{instanceId, sku, properties {instanceView {statuses}}}`.
//   GET /subscriptions/:sub/providers/Microsoft.Compute/virtualMachineScaleSets
//   GET /subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Compute/virtualMachineScaleSets/:name/virtualMachines[?$expand=instanceView]
import { simUuid, type AzurePowerState } from './azure-data';

export interface AzureScaleSetVm {
  readonly instanceId: string;
  power: AzurePowerState;
  readonly computerName: string;
}

export interface AzureScaleSet {
  readonly id: string;
  readonly name: string;
  readonly resourceGroup: string;
  readonly location: string;
  /** Absent on a Flexible scale set made without a VM profile. */
  readonly size?: string;
  readonly orchestrationMode: 'Uniform' | 'Flexible';
  readonly tags: Record<string, string>;
  readonly priority: 'Regular' | 'Spot';
  instances: AzureScaleSetVm[];
}

const POWER_DISPLAY: Readonly<Record<AzurePowerState, string>> = {
  running: 'VM running',
  deallocated: 'VM deallocated',
  stopped: 'VM stopped',
  starting: 'VM starting',
  deallocating: 'VM deallocating',
  stopping: 'VM stopping',
};

/** AKS names a node pool's nodes `<scale set><instance in base 36, six digits>` (aks-gpu-12345678-vmss000000). */
const aksComputerName = (set: string, n: number) => `${set}${n.toString(36).padStart(6, '0')}`;

interface Pool {
  readonly name: string;
  readonly count: number;
  readonly vmSize: string;
}

/** The scale sets of a subscription: one per AKS node pool (instances while the cluster runs), and the seeded fleets. */
export function generateScaleSets(
  seed: number,
  sub: string,
  clusters: readonly Record<string, unknown>[],
  first: boolean,
): AzureScaleSet[] {
  const sets: AzureScaleSet[] = [];
  for (const cluster of clusters) {
    const props = cluster.properties as {
      nodeResourceGroup: string;
      powerState: { code: string };
      agentPoolProfiles: Pool[];
      currentKubernetesVersion: string;
    };
    const running = props.powerState.code === 'Running';
    const suffix = String(100_000_00 + (parseInt(simUuid(seed, String(cluster.name)).slice(0, 6), 16) % 89_999_999));
    for (const pool of props.agentPoolProfiles) {
      const name = `aks-${pool.name}-${suffix}-vmss`;
      const count = running ? pool.count : 0;
      sets.push({
        id: `/subscriptions/${sub}/resourceGroups/${props.nodeResourceGroup}/providers/Microsoft.Compute/virtualMachineScaleSets/${name}`,
        name,
        resourceGroup: props.nodeResourceGroup,
        location: String(cluster.location),
        size: pool.vmSize,
        orchestrationMode: 'Uniform',
        priority: 'Regular',
        tags: {
          'aks-managed-createOperationID': simUuid(seed, name, 'op'),
          'aks-managed-creationSource': `vmssclient-${name}`,
          'aks-managed-kubeletIdentityClientID': simUuid(seed, String(cluster.name), 'kubelet'),
          'aks-managed-orchestrator': `Kubernetes:${props.currentKubernetesVersion}`,
          'aks-managed-poolName': pool.name,
          'aks-managed-resourceNameSuffix': suffix,
        },
        instances: Array.from({ length: count }, (_, i) => ({
          instanceId: String(i),
          power: 'running',
          computerName: aksComputerName(name, i),
        })),
      });
    }
  }
  if (first) {
    // A Uniform GPU fleet of its own (not AKS): one instance running, one starting (billed), one deallocated (not).
    const name = 'vmss-a100-batch';
    const rg = 'RG-ML-TRAINING-EASTUS';
    const powers: AzurePowerState[] = ['running', 'starting', 'deallocated'];
    sets.push({
      id: `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachineScaleSets/${name}`,
      name,
      resourceGroup: rg,
      location: 'eastus',
      size: 'Standard_NC24ads_A100_v4',
      orchestrationMode: 'Uniform',
      priority: 'Regular',
      tags: { team: 'ml' },
      instances: powers.map((power, i) => ({ instanceId: String(i), power, computerName: `vmss-a100${String(i).padStart(6, '0')}` })),
    });
    // A Flexible scale set made without a VM profile: no sku, its VMs are listed by virtualMachines.listAll.
    sets.push({
      id: `/subscriptions/${sub}/resourceGroups/RG-PLATFORM-EASTUS/providers/Microsoft.Compute/virtualMachineScaleSets/vmss-flex-web`,
      name: 'vmss-flex-web',
      resourceGroup: 'RG-PLATFORM-EASTUS',
      location: 'eastus',
      orchestrationMode: 'Flexible',
      priority: 'Regular',
      tags: {},
      instances: [],
    });
  }
  return sets;
}

/** A scale set as `virtualMachineScaleSets.listAll` answers it. */
export function scaleSetBody(seed: number, set: AzureScaleSet): object {
  const capacity = set.instances.length;
  const common = { id: set.id, name: set.name, type: 'Microsoft.Compute/virtualMachineScaleSets', location: set.location, tags: set.tags };
  if (set.orchestrationMode === 'Flexible')
    return {
      ...common,
      properties: {
        orchestrationMode: 'Flexible',
        platformFaultDomainCount: 1,
        singlePlacementGroup: false,
        provisioningState: 'Succeeded',
        uniqueId: simUuid(seed, set.id),
        timeCreated: '2026-10-02T09:00:00.0000000+00:00',
      },
    };
  return {
    ...common,
    sku: { name: set.size, tier: 'Standard', capacity },
    properties: {
      orchestrationMode: 'Uniform',
      singlePlacementGroup: false,
      upgradePolicy: { mode: 'Manual' },
      virtualMachineProfile: {
        osProfile: {
          computerNamePrefix: set.name,
          adminUsername: 'azureuser',
          linuxConfiguration: { disablePasswordAuthentication: true, provisionVMAgent: true },
          secrets: [],
        },
        storageProfile: {
          osDisk: {
            osType: 'Linux',
            createOption: 'FromImage',
            caching: 'ReadOnly',
            managedDisk: { storageAccountType: 'Premium_LRS' },
            diskSizeGB: 128,
          },
          imageReference: { publisher: 'microsoft-aks', offer: 'aks', sku: 'aks-ubuntu-2204gen2containerd-2024', version: '202410.27.0' },
        },
        networkProfile: { networkInterfaceConfigurations: [] },
        priority: set.priority,
      },
      provisioningState: 'Succeeded',
      overprovision: false,
      doNotRunExtensionsOnOverprovisionedVMs: false,
      uniqueId: simUuid(seed, set.id),
      platformFaultDomainCount: 1,
      timeCreated: '2026-10-02T09:00:00.0000000+00:00',
    },
  };
}

/** A Uniform scale set's instance as `virtualMachineScaleSetVMs.list` answers it (the instance view with `$expand`). */
export function scaleSetVmBody(seed: number, set: AzureScaleSet, vm: AzureScaleSetVm, expand: boolean): object {
  const statuses = [
    {
      code: 'ProvisioningState/succeeded',
      level: 'Info',
      displayStatus: 'Provisioning succeeded',
      time: '2026-10-02T09:04:00.0000000+00:00',
    },
    { code: `PowerState/${vm.power}`, level: 'Info', displayStatus: POWER_DISPLAY[vm.power] },
  ];
  return {
    name: `${set.name}_${vm.instanceId}`,
    id: `${set.id}/virtualMachines/${vm.instanceId}`,
    type: 'Microsoft.Compute/virtualMachineScaleSets/virtualMachines',
    location: set.location,
    tags: set.tags,
    instanceId: vm.instanceId,
    sku: { name: set.size, tier: 'Standard' },
    properties: {
      latestModelApplied: true,
      vmId: simUuid(seed, set.id, vm.instanceId),
      ...(expand
        ? {
            instanceView: {
              platformUpdateDomain: 0,
              platformFaultDomain: 0,
              computerName: vm.computerName,
              osName: 'ubuntu',
              osVersion: '22.04',
              vmAgent: { vmAgentVersion: '2.11.1.12', statuses: [] },
              hyperVGeneration: 'V2',
              statuses,
            },
          }
        : {}),
      storageProfile: {
        osDisk: { osType: 'Linux', name: `${set.name}_${vm.instanceId}_OsDisk`, createOption: 'FromImage', diskSizeGB: 128 },
      },
      osProfile: { computerName: vm.computerName, adminUsername: 'azureuser', secrets: [] },
      networkProfile: { networkInterfaces: [] },
      provisioningState: 'Succeeded',
      timeCreated: '2026-10-02T09:04:00.0000000+00:00',
    },
  };
}
