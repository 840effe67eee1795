// OCI answers → the model. Field names from the oci-core / oci-containerengine / oci-database 2.139.1 models
// (lib/model/*.d.ts); dates arrive as strings (the SDK never converts them: oci-common 2.139.1 lib/helper.js
// composeResponse, observed against a loopback server), display names exactly as sent (escaping is the views' job), ids
// are the OCIDs.
import { priceFields, type PriceBook } from '../../core/model/price';
import type { ShapeQuery } from './prices';
import { normalizeGpu } from '../../core/model/gpu';
import type { GpuSpec, Resource, ResourceGroup, ResourceStatus } from '../../core/model/model';
import { finite, text } from '../../core/transport/wire';
import { BILLED_WHILE_STOPPED } from './actions';

export const SERVICES = { gpu: 'GPU', compute: 'Compute', oke: 'Kubernetes (OKE)', adb: 'Autonomous Database' } as const;
export const OCI_SERVICES: readonly string[] = [SERVICES.gpu, SERVICES.compute, SERVICES.oke, SERVICES.adb];

/** Compute Instance.LifecycleState; TERMINATED instances are gone and not listed. */
const INSTANCE_STATUS: Readonly<Record<string, ResourceStatus>> = {
  RUNNING: 'running',
  STARTING: 'starting',
  PROVISIONING: 'starting',
  MOVING: 'starting',
  STOPPING: 'stopping',
  TERMINATING: 'stopping',
  STOPPED: 'stopped',
};
/** Container Engine ClusterLifecycleState. */
const CLUSTER_STATUS: Readonly<Record<string, ResourceStatus>> = {
  ACTIVE: 'running',
  CREATING: 'starting',
  UPDATING: 'starting',
  DELETING: 'stopping',
  FAILED: 'error',
};
/** Database AutonomousDatabaseSummary.LifecycleState (the maintenance states keep serving: running). */
const ADB_STATUS: Readonly<Record<string, ResourceStatus>> = {
  AVAILABLE: 'running',
  AVAILABLE_NEEDS_ATTENTION: 'running',
  BACKUP_IN_PROGRESS: 'running',
  SCALE_IN_PROGRESS: 'running',
  UPDATING: 'running',
  MAINTENANCE_IN_PROGRESS: 'running',
  ROLE_CHANGE_IN_PROGRESS: 'running',
  UPGRADING: 'running',
  PROVISIONING: 'starting',
  STARTING: 'starting',
  RESTORE_IN_PROGRESS: 'starting',
  RECREATING: 'starting',
  STOPPING: 'stopping',
  TERMINATING: 'stopping',
  STOPPED: 'stopped',
  UNAVAILABLE: 'error',
  RESTORE_FAILED: 'error',
  INACCESSIBLE: 'error',
};
export const GONE = new Set(['TERMINATED', 'DELETED']);

const CONSOLE = 'https://cloud.oracle.com';
const consoleUrl = (path: string, id: string, region: string) =>
  `${CONSOLE}/${path}/${encodeURIComponent(id)}?region=${encodeURIComponent(region)}`;

export interface MapContext {
  readonly account: string;
  readonly region: string;
  readonly group: ResourceGroup;
  /** Oracle's price list (or why it could not be read). */
  readonly prices: PriceBook<ShapeQuery>;
}

type Wire = Record<string, unknown>;

/**
 * Whether a stopped instance of this GPU shape is still billed. Oracle's "Resource Billing for Stopped Instances"
 * (docs.oracle.com/en-us/iaas/Content/Compute/Tasks/resource-billing-stopped-instances.htm): stopping a VM.GPU.A10
 * instance pauses its billing; every other GPU shape keeps billing while stopped (its GPUs stay reserved for it).
 */
export function billedWhileStopped(shape: string): boolean {
  return !/^VM\.GPU\.A10\./i.test(shape);
}

/** Why a stopped GPU instance counts in the spend, as every view's note says it. */
export const STOPPED_BILLED_NOTE = 'Oracle bills stopped GPU shapes';

/** GPU shapes: `VM.GPU.*`, `BM.GPU*` (BM.GPU4.8), or any shape whose config counts GPUs. */
export function isGpuShape(shape: string, gpus: number | undefined): boolean {
  return /^(?:VM|BM)\.GPU/i.test(shape) || (gpus ?? 0) > 0;
}

/**
 * The GPU key from the shape first (it says variant and memory: BM.GPU4.8 is A100 SXM 40 GB, BM.GPU.A100-v2.8 the
 * 80 GB part, H100T stays apart from H100), else from the description OCI sends (`NVIDIA® A10`).
 */
export function gpuOfShape(shape: string, gpus: number, description: string | undefined): GpuSpec {
  const fromShape = normalizeGpu(shape);
  // A shape the normalizer knows no memory for (BM.GPU.H100T.8) keeps its own model; the description adds the memory.
  const described = description ? normalizeGpu(description) : undefined;
  const identity =
    fromShape.memoryGb === undefined && described?.memoryGb !== undefined ? normalizeGpu(shape, described.memoryGb) : fromShape;
  return {
    key: identity.key,
    model: description ?? identity.displayName,
    count: gpus,
    ...(identity.memoryGb !== undefined ? { memoryGb: identity.memoryGb } : {}),
  };
}

export function mapInstance(wire: Wire, ctx: MapContext): Resource | undefined {
  const id = text(wire.id);
  const state = text(wire.lifecycleState) ?? 'UNKNOWN';
  if (!id || GONE.has(state)) return undefined;
  const shape = text(wire.shape) ?? '';
  const config = (wire.shapeConfig ?? {}) as Wire;
  const gpus = finite(config.gpus);
  const gpu = isGpuShape(shape, gpus) ? gpuOfShape(shape, gpus ?? 1, text(config.gpuDescription)) : undefined;
  const status = INSTANCE_STATUS[state] ?? 'unknown';
  const ocpus = finite(config.ocpus);
  const memory = finite(config.memoryInGBs);
  // Preemptible capacity (Instance.preemptibleInstanceConfig, oci-core lib/model/instance.d.ts) bills at its own rate.
  const preemptible = wire.preemptibleInstanceConfig !== null && typeof wire.preemptibleInstanceConfig === 'object';
  // Billed though not running: a GPU instance STOPPING (it still runs until stopped), and on a shape billed while
  // stopped also STOPPED and STARTING (resource-billing-stopped-instances.htm, above).
  const stoppedBilled =
    gpu !== undefined && (state === 'STOPPING' || ((state === 'STOPPED' || state === 'STARTING') && billedWhileStopped(shape)));
  const price = gpu
    ? ctx.prices.price({
        shape,
        gpus: gpu.count,
        ...(ocpus !== undefined ? { ocpus } : {}),
        ...(memory !== undefined ? { memoryGb: memory } : {}),
        ...(preemptible ? { preemptible } : {}),
      })
    : undefined;
  const details: Record<string, string | number | boolean> = { shape, compartment: ctx.group.label };
  if (preemptible) details.capacity = 'preemptible';
  // What a stop would leave billed (actions.ts reads it: the confirmation warns before stopping a shape that bills on).
  if (gpu) details[BILLED_WHILE_STOPPED] = billedWhileStopped(shape);
  if (ocpus !== undefined) details.ocpus = ocpus;
  if (memory !== undefined) details['memory (GB)'] = memory;
  const ad = text(wire.availabilityDomain);
  if (ad) details['availability domain'] = ad;
  return {
    id,
    cloud: 'oci',
    account: ctx.account,
    kind: gpu ? 'gpu-instance' : 'instance',
    group: ctx.group,
    service: gpu ? SERVICES.gpu : SERVICES.compute,
    name: typeof wire.displayName === 'string' ? wire.displayName : id,
    region: ctx.region,
    status,
    rawStatus: state,
    ...(text(wire.timeCreated) ? { createdAt: text(wire.timeCreated) } : {}),
    ...priceFields(price),
    ...(stoppedBilled ? { chargedWhilePaused: true } : {}),
    ...(gpu ? { gpu } : {}),
    consoleUrl: consoleUrl('compute/instances', id, ctx.region),
    note: [shape, preemptible ? 'preemptible' : '', stoppedBilled && state !== 'STOPPING' ? STOPPED_BILLED_NOTE : '']
      .filter(Boolean)
      .join(' · '),
    details,
  };
}

export function mapCluster(wire: Wire, ctx: MapContext): Resource | undefined {
  const id = text(wire.id);
  const state = text(wire.lifecycleState) ?? 'UNKNOWN';
  if (!id || GONE.has(state)) return undefined;
  const version = text(wire.kubernetesVersion);
  const metadata = (wire.metadata ?? {}) as Wire;
  return {
    id,
    cloud: 'oci',
    account: ctx.account,
    kind: 'cluster',
    group: ctx.group,
    service: SERVICES.oke,
    name: typeof wire.name === 'string' ? wire.name : id,
    region: ctx.region,
    status: CLUSTER_STATUS[state] ?? 'unknown',
    rawStatus: state,
    ...(text(metadata.timeCreated) ? { createdAt: text(metadata.timeCreated) } : {}),
    consoleUrl: consoleUrl('containers/clusters', id, ctx.region),
    ...(version ? { note: `Kubernetes ${version}` } : {}),
    details: { compartment: ctx.group.label, ...(text(wire.type) ? { type: text(wire.type)! } : {}) },
  };
}

export function mapAutonomousDatabase(wire: Wire, ctx: MapContext): Resource | undefined {
  const id = text(wire.id);
  const state = text(wire.lifecycleState) ?? 'UNKNOWN';
  if (!id || GONE.has(state)) return undefined;
  const details: Record<string, string | number | boolean> = { compartment: ctx.group.label };
  const workload = text(wire.dbWorkload);
  const model = text(wire.computeModel);
  const count = finite(wire.computeCount);
  const storage = finite(wire.dataStorageSizeInTBs);
  if (text(wire.dbName)) details['database name'] = text(wire.dbName)!;
  if (workload) details.workload = workload;
  if (model && count !== undefined) details.compute = `${count} ${model}`;
  if (storage !== undefined) details['storage (TB)'] = storage;
  if (wire.isFreeTier === true) details['always free'] = true;
  return {
    id,
    cloud: 'oci',
    account: ctx.account,
    kind: 'database',
    group: ctx.group,
    service: SERVICES.adb,
    name: typeof wire.displayName === 'string' ? wire.displayName : (text(wire.dbName) ?? id),
    region: ctx.region,
    status: ADB_STATUS[state] ?? 'unknown',
    rawStatus: state,
    ...(text(wire.timeCreated) ? { createdAt: text(wire.timeCreated) } : {}),
    consoleUrl: consoleUrl('db/adbs', id, ctx.region),
    ...(workload ? { note: workload } : {}),
    details,
  };
}

/**
 * The region an OCID names (`ocid1.<type>.<realm>.<region>.<unique>`: a region key such as `iad`, or a region id);
 * '' for global resources (compartments, tenancies).
 */
export function ocidRegion(id: string): string {
  return id.split('.')[3] ?? '';
}
