// The details a Compute Engine VM's mapping (mapping.ts) writes and its actions (actions.ts) read. SDK-free and tiny:
// the catalogue's actions are in the main bundle, which holds no mapping code.

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
