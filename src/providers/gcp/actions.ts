// What Google Cloud's Compute Engine VMs take: stop and start (instances.stop / instances.start, each answered with a
// zone Operation; provider.ts `act`), and what a stop keeps costing and loses. SDK-free, in the main bundle through the
// catalogue (CloudEntry.actions).
//
// Sources:
//  - cloud.google.com/compute/docs/reference/rest/v1/instances/stop and /start: POST …/zones/{zone}/instances/
//    {instance}/stop | /start, no body, an Operation back; `discardLocalSsd` is required when the VM has Local SSDs.
//  - cloud.google.com/compute/docs/instances/stop-start-instance: a stopped VM is not charged for its vCPUs, memory or
//    GPUs; its persistent disks and any static external IP stay billed; an ephemeral external IP is released; starting
//    it again may fail while the zone has no free resources (GPUs). Local SSD data is discarded unless the stop asks to
//    preserve it (cloud.google.com/compute/docs/disks/local-ssd#stop_instance), which bills the preserved data.
//  - cloud.google.com/compute/docs/instances/instance-life-cycle: RUNNING → STOPPING → TERMINATED; start: TERMINATED →
//    PROVISIONING → STAGING → RUNNING; SUSPENDED is left with instances.resume, a different call.
//  - A managed instance group (GKE's node pools are ones) recreates or resizes what is stopped under it
//    (cloud.google.com/compute/docs/instance-groups/suspended-and-stopped-vms-in-mig: stop them through the group).
//  - Reservation-bound (calendar mode) VMs run in a reservation billed for its whole term whether its VMs run or not
//    (cloud.google.com/compute/docs/instances/reservations-overview), and are deleted when it ends.
import type { CloudActions, ResourceAction } from '../../core/engine/provider';
import type { Resource } from '../../core/model/model';

/**
 * The details a Compute Engine VM's mapping (mapping.ts) writes and these actions read. Declared here, not in a file of
 * their own: the main bundle may hold a cloud's actions.ts, never its mapping code (test/integration/provider-bundles).
 */
export const INSTANCE_DETAILS = {
  /** Who runs the VM instead of its user: "instance group <name>" (a MIG member) or "GKE" (a node without created-by). */
  managedBy: 'managed by',
  /** Scheduling.provisioningModel as mapping.ts reads it: STANDARD, SPOT, FLEX_START or RESERVATION_BOUND. */
  provisioning: 'provisioning',
  /** How many Local SSD disks (attachedDisk type SCRATCH) it has. */
  localSsds: 'local SSDs',
  /** Its persistent disks: "2 (200 GB)". */
  persistentDisks: 'persistent disks',
  externalIp: 'external IP',
} as const;

// The services mapping.ts files VMs under (SERVICES.gpu and SERVICES.vm there; test/unit/gcp-actions.test.ts keeps them
// equal), named here so the main bundle holds no mapping code.
const VM_SERVICES: ReadonlySet<string> = new Set(['GPU', 'Compute Engine']);
/** Raw statuses a start cannot leave: a suspended VM is resumed (instances.resume), not started. */
const RESUMED_NOT_STARTED: ReadonlySet<string> = new Set(['SUSPENDED', 'SUSPENDING']);

/** A detail as the mapping wrote it (a string or a number), else undefined. */
const detail = (r: Resource, key: string): string | number | undefined => {
  const value = r.details?.[key];
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
};
const isVm = (r: Resource) => r.cloud === 'gcp' && (r.kind === 'instance' || r.kind === 'gpu-instance') && VM_SERVICES.has(r.service);

export const gcpActions: CloudActions = {
  subjects:
    'standalone Compute Engine VMs — not GKE nodes or managed instance group members (stop those through their group or node pool), and a suspended VM is resumed (gcloud compute instances resume), not started',
  supports: (resource: Resource, action: ResourceAction) =>
    isVm(resource) &&
    detail(resource, INSTANCE_DETAILS.managedBy) === undefined &&
    !(action === 'start' && RESUMED_NOT_STARTED.has(resource.rawStatus ?? '')),
  stopTerms: (resource) => {
    const disks = detail(resource, INSTANCE_DETAILS.persistentDisks);
    const localSsds = detail(resource, INSTANCE_DETAILS.localSsds);
    const ip = detail(resource, INSTANCE_DETAILS.externalIp);
    const reservation = detail(resource, INSTANCE_DETAILS.provisioning) === 'RESERVATION_BOUND';
    const loses = [
      'its memory and running processes (Google shuts it down cleanly; its vCPU, memory and GPU charges stop)',
      ...(typeof localSsds === 'number' && localSsds > 0
        ? [
            `the data on its ${localSsds} Local SSD${localSsds === 1 ? '' : 's'}: Cloudtop stops with discardLocalSsd=true (to keep it, stop it with \`gcloud compute instances stop --discard-local-ssd=false\`, which bills the preserved data)`,
          ]
        : []),
      ...(ip !== undefined
        ? [`its external IP ${ip} unless it is a reserved static address: an ephemeral one is released, and it gets a new one on start`]
        : []),
      ...(resource.gpu
        ? [`its hold on the GPUs: starting it again needs free ${resource.gpu.model} in ${resource.region ?? 'its zone'}`]
        : []),
    ];
    return {
      keepsBilling: [
        `its persistent disks${disks !== undefined ? ` (${disks})` : ''}, billed while the VM is stopped`,
        'a static (reserved) external IP address, if it has one',
      ],
      loses,
      ...(reservation
        ? {
            stillBilled:
              'stopping does not stop the charge of the calendar-mode reservation it runs in: Google bills a reservation for its whole term whether or not its VMs run (and deletes the VM when the reservation ends)',
          }
        : {}),
    };
  },
};
