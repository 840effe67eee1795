// What Azure's VMs take: stop — a deallocation, never a power-off only — and start, and what a stop keeps costing and
// loses. SDK-free, in the main bundle through the catalogue (CloudEntry.actions); the writes are provider.ts `act`:
// `POST …/virtualMachines/{vm}/deallocate` and `…/start` (learn.microsoft.com/rest/api/compute/virtual-machines/
// deallocate and /start), and for a Uniform scale set's instance `POST …/virtualMachineScaleSets/{set}/
// virtualMachines/{instanceId}/deallocate` and `…/start` (learn.microsoft.com/rest/api/compute/
// virtual-machine-scale-set-vms/deallocate and /start). A Flexible scale set's members are ordinary VMs.
//
// Billing (learn.microsoft.com/azure/virtual-machines/states-billing, "States and billing status of Azure Virtual
// Machines"): a VM powered off from inside, or through the power-off API, is "Stopped" and still allocated — its
// compute is billed as if it ran; only "Deallocated" is not. So a stopped-but-allocated VM is not already stopped here:
// Stop deallocates it. Deallocated, its managed OS and data disks stay billed; a static public IP address stays billed;
// a dynamic one is released and the VM gets another on start (learn.microsoft.com/azure/virtual-network/ip-services/
// public-ip-addresses, "IP address assignment"); the temporary disk's data is lost (learn.microsoft.com/azure/
// virtual-machines/managed-disks-overview, "Temporary disk").
//
// An AKS node pool's instances are AKS's to run: stopping one behind its back is undone or breaks the pool. The user
// stops the cluster instead (`az aks stop`, learn.microsoft.com/azure/aks/start-stop-cluster).
import { formatMoney } from '../../core/model/describe';
import type { CloudActions, ResourceAction } from '../../core/engine/provider';
import type { Resource } from '../../core/model/model';

// The services and detail names mapping.ts files these resources under (SERVICES, POWER_DETAIL, MANAGED_BY_DETAIL,
// TEMP_DISK_DETAIL there; test/unit/azure-actions.test.ts keeps them equal), named here so the main bundle holds no
// mapping code.
const VM_SERVICES: readonly string[] = ['GPU', 'Virtual Machines'];
const POWER_DETAIL = 'power state';
const MANAGED_BY_DETAIL = 'managed by';
const TEMP_DISK_DETAIL = 'temporary disk';

/** An ARM id of a VM, or of a scale set's instance. */
const VM_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Compute\/virtualMachines\/[^/]+$/i;
const SCALE_SET_VM_ID =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Compute\/virtualMachineScaleSets\/[^/]+\/virtualMachines\/[^/]+$/i;

const isAksNode = (r: Resource) => r.details?.[MANAGED_BY_DETAIL] === 'AKS' || r.details?.['AKS cluster'] !== undefined;

const isMachine = (r: Resource) =>
  r.cloud === 'azure' &&
  (r.kind === 'instance' || r.kind === 'gpu-instance') &&
  VM_SERVICES.includes(r.service) &&
  (VM_ID.test(r.id) || SCALE_SET_VM_ID.test(r.id));

/** The `PowerState/<code>` code the listing saw ('' when it had none). */
const powerOf = (r: Resource) => String(r.details?.[POWER_DETAIL] ?? '').toLowerCase();

const detail = (r: Resource, name: string) => (typeof r.details?.[name] === 'string' ? r.details[name] : undefined);

export const azureActions: CloudActions = {
  subjects: 'virtual machines and scale-set instances (not AKS nodes: stop their cluster instead)',
  supports: (resource) => isMachine(resource) && !isAksNode(resource),
  stopTerms: (resource) => {
    const os = detail(resource, 'OS disk');
    const data = detail(resource, 'data disks');
    const temp = detail(resource, TEMP_DISK_DETAIL);
    const priced = resource.storagePricePerHour !== undefined ? `: ${formatMoney(resource.storagePricePerHour)}/h` : '';
    const keeps = [
      `its managed disks — the OS disk${os ? ` (${os})` : ''}${data ? ` and data disks (${data})` : ' and any data disks'}${priced}: Azure bills them while the VM is deallocated`,
      'a static public IP address, if it has one (a dynamic one is released: the VM gets a new address when it starts)',
    ];
    return {
      keepsBilling: keeps,
      loses:
        temp === '0 GB'
          ? []
          : [`everything on its temporary disk${temp ? ` (${temp})` : ''}: Azure does not keep it across a deallocation`],
    };
  },
  // Stop means deallocated: a VM that is stopped but still allocated is billed its compute, and Stop deallocates it.
  // Without a power code (a failed listing's shape), the model's status decides, a billed "stopped" not counting.
  inTargetState: (resource: Resource, action: ResourceAction) => {
    const power = powerOf(resource);
    if (power) return action === 'stop' ? power === 'deallocated' : power === 'running';
    return action === 'stop' ? resource.status === 'stopped' && !resource.chargedWhilePaused : resource.status === 'running';
  },
};
