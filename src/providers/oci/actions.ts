// What Oracle Cloud's Compute instances take: stop and start through Core Services `InstanceAction`
// (`POST /20160918/instances/{instanceId}?action=…`, https://docs.oracle.com/iaas/api/#/en/iaas/20160918/Instance/InstanceAction;
// npm oci-core 2.139.1 ComputeClient.instanceAction), sent by provider.ts `act`. SDK-free, in the main bundle through
// the catalogue (CloudEntry.actions): it reads only what mapping.ts put on the resource.
//
// Which power action (the InstanceAction reference above):
//  - stop a running instance: SOFTSTOP, "gracefully shuts down the instance by sending a shutdown command to the
//    operating system. After waiting 15 minutes for the OS to shut down, the instance is powered off";
//  - stop an instance that is already STOPPING (a graceful stop that hangs, for up to those 15 minutes): STOP, which
//    "powers off the instance" at once — the "then STOP if asked" of a graceful stop, asked by stopping it again;
//  - start: START ("powers on the instance").
// Oracle answers each with the Instance, lifecycleState STOPPING or STARTING, and moves it on to STOPPED or RUNNING.
//
// What a stop costs (docs.oracle.com/en-us/iaas/Content/Compute/Tasks/resource-billing-stopped-instances.htm): the
// boot volume and block volumes stay billed; a stopped GPU instance other than VM.GPU.A10 keeps billing its GPUs
// ("billing continues for stopped instances because GPU resources are preserved. … To halt billing …, you must
// terminate the instance") — mapping.ts marks those (BILLED_WHILE_STOPPED). A preemptible instance cannot be
// stopped or started at all (docs.oracle.com/en-us/iaas/Content/Compute/Concepts/preemptible.htm: "After you create a
// preemptible instance, you cannot start, stop, or reboot the instance").
import { formatMoney } from '../../core/model/describe';
import type { CloudActions, ResourceAction } from '../../core/engine/provider';
import type { Resource } from '../../core/model/model';

// The services mapping.ts files instances under (SERVICES.gpu and SERVICES.compute there; test/unit/oci-actions.test.ts
// keeps them equal), named here so the main bundle holds no mapping code.
const INSTANCE_SERVICES: ReadonlySet<string> = new Set(['GPU', 'Compute']);

/**
 * The detail mapping.ts sets on a GPU instance: true when Oracle keeps billing its shape while stopped (every GPU
 * shape but VM.GPU.A10), false when a stop pauses it.
 */
export const BILLED_WHILE_STOPPED = 'billed while stopped';

/** The InstanceAction `action` values Cloudtop sends. */
export type OciPowerAction = 'SOFTSTOP' | 'STOP' | 'START';

const isInstance = (r: Resource) =>
  r.cloud === 'oci' && (r.kind === 'instance' || r.kind === 'gpu-instance') && INSTANCE_SERVICES.has(r.service);
const isPreemptible = (r: Resource) => r.details?.capacity === 'preemptible';

/** SOFTSTOP, or STOP for an instance whose graceful stop is already under way; START. */
export function ociPowerAction(resource: Resource, action: ResourceAction): OciPowerAction {
  if (action === 'start') return 'START';
  return resource.rawStatus === 'STOPPING' ? 'STOP' : 'SOFTSTOP';
}

/** Oracle keeps billing this instance's GPUs while it is stopped. */
export function gpuBilledWhileStopped(resource: Resource): boolean {
  return resource.gpu !== undefined && resource.details?.[BILLED_WHILE_STOPPED] === true;
}

export const ociActions: CloudActions = {
  subjects: 'Compute instances (not preemptible ones, which Oracle cannot stop or start; not terminating ones)',
  supports: (resource) => isInstance(resource) && !isPreemptible(resource) && resource.rawStatus !== 'TERMINATING',
  stopTerms: (resource) => {
    const force = ociPowerAction(resource, 'stop') === 'STOP';
    const billed = gpuBilledWhileStopped(resource);
    const shape = typeof resource.details?.shape === 'string' ? resource.details.shape : 'this shape';
    const price = resource.pricePerHour !== undefined ? `: ${formatMoney(resource.pricePerHour)}/h` : '';
    return {
      keepsBilling: [
        'its boot volume and attached block volumes — Oracle bills Block Volume storage until they are deleted',
        ...(billed
          ? [
              `the instance itself${price} — Oracle keeps billing a stopped ${shape}, as every GPU shape but VM.GPU.A10: its GPUs stay reserved`,
            ]
          : []),
      ],
      loses: force
        ? [
            'it is already stopping gracefully; this forces it off (Oracle STOP): unsaved data in memory is lost, and programs still shutting down stop uncleanly',
          ]
        : [
            'what is only in memory: Oracle asks the OS to shut down (SOFTSTOP) and powers it off after 15 minutes, whether or not programs have finished; stop it again to force it off sooner',
          ],
      ...(billed ? { stillBilled: "stopping does not stop Oracle's GPU charge; terminate it to stop paying" } : {}),
    };
  },
};
