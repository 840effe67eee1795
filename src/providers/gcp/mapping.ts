// Google Cloud REST answers → the model: Compute Engine instances (aggregated list), GKE clusters, Cloud Functions v2
// (1st and 2nd gen), Cloud Run services (Admin API v2). Enums arrive as their names (REST without `$alt=json;enum-encoding=int`); int64s as strings, and
// instance ids stay strings (they exceed 2^53). Names exactly as sent: escaping is the views' job.
import { priceFields, unpriced, type PriceBook } from '../../core/model/price';
import type { ProvisioningModel, VmQuery } from './prices';
import { normalizeGpu } from '../../core/model/gpu';
import type { GpuSpec, Resource, ResourceStatus } from '../../core/model/model';
import { finite, record, text } from '../../core/transport/wire';
import { consoleUrl } from './hosts';
import { acceleratorsOfType, familyOf, lastSegment, regionOfZone, type Accelerators } from './machine-types';
import { INSTANCE_DETAILS } from './actions';

export const SERVICES = {
  gpu: 'GPU',
  vm: 'Compute Engine',
  gke: 'Kubernetes Engine',
  functions: 'Cloud Functions',
  run: 'Cloud Run',
} as const;
export const GCP_SERVICES: readonly string[] = [SERVICES.gpu, SERVICES.vm, SERVICES.gke, SERVICES.functions, SERVICES.run];

type Wire = Record<string, unknown>;

const GKE_NODE_LABEL = 'goog-gke-node';
const GKE_CLUSTER_LABEL = 'goog-k8s-cluster-name';
/** The detail naming the GKE cluster a node VM belongs to (metrics.ts joins its GPU metrics on the node's name). */
export const GKE_CLUSTER_DETAIL = 'GKE cluster';

/** Instance.status (cloud.google.com/compute/docs/instances/instance-life-cycle). */
const INSTANCE_STATUS: Readonly<Record<string, ResourceStatus>> = {
  PROVISIONING: 'starting',
  STAGING: 'starting',
  RUNNING: 'running',
  STOPPING: 'stopping',
  SUSPENDING: 'stopping',
  SUSPENDED: 'stopped',
  TERMINATED: 'stopped',
  // Google is moving the VM off a failed host; it needs no action but is not serving.
  REPAIRING: 'error',
};
/** States in which Compute Engine bills a VM's cores, memory and GPUs. */
const BILLED = new Set(['RUNNING', 'STOPPING', 'SUSPENDING', 'REPAIRING']);
/** Whether Google bills the VM's machine and GPUs in its state (a TERMINATED or SUSPENDED VM pays for disks only). */
export const isBilled = (instance: Wire): boolean => BILLED.has(text(instance.status)?.toUpperCase() ?? '');
/** Cluster.Status of GKE v1. */
const CLUSTER_STATUS: Readonly<Record<string, ResourceStatus>> = {
  PROVISIONING: 'starting',
  RUNNING: 'running',
  RECONCILING: 'starting',
  STOPPING: 'stopping',
  ERROR: 'error',
  DEGRADED: 'error',
};
/** Function.State of Cloud Functions v2. */
const FUNCTION_STATUS: Readonly<Record<string, ResourceStatus>> = {
  ACTIVE: 'running',
  DEPLOYING: 'starting',
  FAILED: 'error',
  DELETING: 'stopping',
  UNKNOWN: 'unknown',
};

export interface MachineShape {
  readonly guestCpus: number;
  readonly memoryMb: number;
}

export interface MapContext {
  readonly account: string;
  readonly project: string;
  /** The Billing Catalog's prices (or why they could not be read); spot: the Preemptible SKU. */
  readonly prices: PriceBook<VmQuery>;
  /** The machine type's vCPUs and memory (machineTypes.get), when read. */
  readonly shapeOf: (machineType: string) => MachineShape | undefined;
}

/** An instance's GPUs: its guestAccelerators, else what its accelerator-optimized machine type carries. */
export function acceleratorsOf(instance: Wire): Accelerators | undefined {
  const listed = (Array.isArray(instance.guestAccelerators) ? instance.guestAccelerators : []) as Wire[];
  const byType = new Map<string, number>();
  for (const a of listed) {
    const type = lastSegment(text(a?.acceleratorType) ?? '');
    const count = finite(Number(a?.acceleratorCount)) ?? 0;
    if (type && count > 0) byType.set(type, (byType.get(type) ?? 0) + count);
  }
  const ofType = acceleratorsOfType(lastSegment(text(instance.machineType) ?? ''));
  // One accelerator type per VM is all Compute Engine allows. A G4 vGPU slice lists one whole GPU: its type says the share.
  const [first] = byType;
  if (first)
    return { type: first[0], count: first[1], ...(ofType?.fraction && ofType.type === first[0] ? { fraction: ofType.fraction } : {}) };
  return ofType;
}

/** The model as Google names the type (nvidia-a100-80gb), and the normalized key that keeps 40 and 80 GB apart. */
export function gpuSpec(accelerators: Accelerators): GpuSpec {
  const identity = normalizeGpu(accelerators.type);
  return {
    key: identity.key,
    model: accelerators.type,
    count: accelerators.count,
    ...(identity.memoryGb !== undefined ? { memoryGb: identity.memoryGb } : {}),
  };
}

const MODELS: readonly ProvisioningModel[] = ['STANDARD', 'SPOT', 'FLEX_START', 'RESERVATION_BOUND'];
/**
 * Scheduling.provisioningModel (cloud.google.com/compute/docs/reference/rest/v1/instances): SPOT, or a legacy
 * preemptible VM (preemptible: true, which Google bills at the Spot SKUs); FLEX_START (Dynamic Workload Scheduler) and
 * RESERVATION_BOUND (calendar mode, a reservation) pay SKUs of their own; anything else is STANDARD.
 */
export function provisioningOf(instance: Wire): ProvisioningModel {
  const scheduling = record(instance.scheduling);
  const model = text(scheduling?.provisioningModel)?.toUpperCase() as ProvisioningModel | undefined;
  if (model && MODELS.includes(model) && model !== 'STANDARD') return model;
  return scheduling?.preemptible === true ? 'SPOT' : 'STANDARD';
}
export const isSpot = (instance: Wire): boolean => provisioningOf(instance) === 'SPOT';
/** How a VM's note names its provisioning model. */
const MODEL_NOTE: Readonly<Record<ProvisioningModel, string>> = {
  STANDARD: '',
  SPOT: ' · Spot',
  FLEX_START: ' · Flex-start',
  RESERVATION_BOUND: ' · Reservation-bound',
};

/**
 * Who runs a VM on its user's behalf: a managed instance group names itself in the VM's read-only `created-by` metadata
 * ("projects/123/zones/us-central1-a/instanceGroupManagers/web", cloud.google.com/compute/docs/metadata/predefined-metadata-keys),
 * and GKE labels its nodes `goog-gke-node` (GKE's nodes are MIG members too). The group recreates or resizes what
 * is stopped under it, so Cloudtop does not stop such a VM by itself (actions.ts).
 */
export function managerOf(instance: Wire): string | undefined {
  const items = (Array.isArray(record(instance.metadata)?.items) ? record(instance.metadata)!.items : []) as unknown[];
  const createdBy = items.map(record).find((i) => i?.key === 'created-by');
  const by = text(createdBy?.value);
  if (by && /\/instanceGroupManagers\//.test(by)) return `instance group ${lastSegment(by)}`;
  if (by) return by;
  const labels = record(instance.labels);
  return labels && GKE_NODE_LABEL in labels ? 'GKE' : undefined;
}

/** Its disks as the listing carries them (AttachedDisk.type PERSISTENT or SCRATCH, a Local SSD; diskSizeGb an int64 string). */
function disksOf(instance: Wire): { persistent: number; gb: number; localSsds: number } {
  const disks = (Array.isArray(instance.disks) ? instance.disks : []) as unknown[];
  let persistent = 0;
  let gb = 0;
  let localSsds = 0;
  for (const d of disks.map(record)) {
    if (!d) continue;
    if (text(d.type)?.toUpperCase() === 'SCRATCH') localSsds++;
    else {
      persistent++;
      gb += finite(Number(d.diskSizeGb)) ?? 0;
    }
  }
  return { persistent, gb, localSsds };
}

export function mapInstance(instance: Wire, ctx: MapContext): Resource | undefined {
  const id = text(instance.id) ?? (typeof instance.id === 'number' ? String(instance.id) : undefined);
  if (!id) return undefined;
  const name = text(instance.name) ?? id;
  const zone = lastSegment(text(instance.zone) ?? '');
  const region = regionOfZone(zone);
  const machineType = lastSegment(text(instance.machineType) ?? '');
  const raw = text(instance.status)?.toUpperCase() ?? '';
  const status = INSTANCE_STATUS[raw] ?? 'unknown';
  const accelerators = acceleratorsOf(instance);
  const provisioning = provisioningOf(instance);
  const gpu = accelerators ? gpuSpec(accelerators) : undefined;
  const price =
    !accelerators || !BILLED.has(raw)
      ? undefined
      : accelerators.fraction
        ? unpriced(
            `${machineType} is a 1/${Math.round(1 / accelerators.fraction)} vGPU slice, billed by a slice SKU Cloudtop does not read`,
          )
        : ctx.prices.price({
            acceleratorType: accelerators.type,
            gpus: accelerators.count,
            family: familyOf(machineType),
            shape: ctx.shapeOf(machineType),
            region,
            provisioning,
          });
  const details: Record<string, string | number> = { 'machine type': machineType, zone, [INSTANCE_DETAILS.provisioning]: provisioning };
  const nic = record((Array.isArray(instance.networkInterfaces) ? instance.networkInterfaces : [])[0]);
  const internal = text(nic?.networkIP);
  const external = text(record((Array.isArray(nic?.accessConfigs) ? nic.accessConfigs : [])[0])?.natIP);
  if (internal) details['internal IP'] = internal;
  if (external) details[INSTANCE_DETAILS.externalIp] = external;
  const disks = disksOf(instance);
  if (disks.persistent > 0) details[INSTANCE_DETAILS.persistentDisks] = `${disks.persistent}${disks.gb > 0 ? ` (${disks.gb} GB)` : ''}`;
  if (disks.localSsds > 0) details[INSTANCE_DETAILS.localSsds] = disks.localSsds;
  const managedBy = managerOf(instance);
  if (managedBy) details[INSTANCE_DETAILS.managedBy] = managedBy;
  const description = text(instance.description);
  if (description) details.description = description;
  const labels = record(instance.labels);
  for (const [k, v] of Object.entries(labels ?? {})) if (typeof v === 'string') details[`label ${k}`] = v;
  // A GKE node: GKE labels its VMs (cloud.google.com/kubernetes-engine/docs/how-to/creating-managing-labels); its GPUs
  // report through GKE's node metrics rather than the Ops Agent.
  const cluster = text(labels?.[GKE_CLUSTER_LABEL]);
  if (labels && GKE_NODE_LABEL in labels && cluster) details[GKE_CLUSTER_DETAIL] = cluster;
  const created = text(instance.creationTimestamp);
  // When it last started (RFC 3339, cloud.google.com/compute/docs/reference/rest/v1/instances "lastStartTimestamp"):
  // a running VM's "running since", which the dashboard's cost estimate counts from (rather than its creation).
  const lastStart = text(instance.lastStartTimestamp);
  if (raw === 'RUNNING' && lastStart && !Number.isNaN(Date.parse(lastStart))) details.startedAt = new Date(lastStart).toISOString();
  return {
    id,
    cloud: 'gcp',
    account: ctx.account,
    kind: gpu ? 'gpu-instance' : 'instance',
    service: gpu ? SERVICES.gpu : SERVICES.vm,
    name,
    region: zone,
    status,
    rawStatus: raw || 'unknown',
    ...(created && !Number.isNaN(Date.parse(created)) ? { createdAt: new Date(created).toISOString() } : {}),
    ...(gpu ? { gpu } : {}),
    ...priceFields(price),
    // Its external address from the listing itself; the user is OS Login's or the instance's SSH keys' to decide.
    ...(external ? { ssh: { host: external, port: 22 } } : {}),
    note: `${machineType}${MODEL_NOTE[provisioning]}`,
    consoleUrl: consoleUrl(`compute/instancesDetail/zones/${encodeURIComponent(zone)}/instances/${encodeURIComponent(name)}`, ctx.project),
    details,
  };
}

export function mapCluster(cluster: Wire, ctx: MapContext): Resource | undefined {
  const name = text(cluster.name);
  const location = text(cluster.location) ?? '';
  if (!name) return undefined;
  const raw = text(cluster.status)?.toUpperCase() ?? '';
  const pools = (Array.isArray(cluster.nodePools) ? cluster.nodePools : []) as Wire[];
  const details: Record<string, string | number> = {};
  const version = text(cluster.currentMasterVersion);
  if (version) details.kubernetes = version;
  const nodes = finite(Number(cluster.currentNodeCount));
  if (nodes !== undefined) details.nodes = nodes;
  const message = text(cluster.statusMessage);
  if (message) details.message = message;
  let gpuPools = 0;
  for (const pool of pools) {
    const config = record(pool.config);
    const machine = text(config?.machineType) ?? '?';
    const accel = record((Array.isArray(config?.accelerators) ? config.accelerators : [])[0]);
    const gpuType = text(accel?.acceleratorType);
    const gpuCount = finite(Number(accel?.acceleratorCount)) ?? 0;
    if (gpuType && gpuCount > 0) gpuPools++;
    details[`node pool ${text(pool.name) ?? '?'}`] =
      `${machine}${gpuType && gpuCount > 0 ? ` + ${gpuCount} × ${gpuType}` : ''}${config?.spot === true ? ' · Spot' : ''}`;
  }
  return {
    id: `projects/${ctx.project}/locations/${location}/clusters/${name}`,
    cloud: 'gcp',
    account: ctx.account,
    kind: 'cluster',
    service: SERVICES.gke,
    name,
    region: location,
    status: CLUSTER_STATUS[raw] ?? 'unknown',
    rawStatus: raw || 'unknown',
    ...(text(cluster.createTime) && !Number.isNaN(Date.parse(text(cluster.createTime)!))
      ? { createdAt: new Date(text(cluster.createTime)!).toISOString() }
      : {}),
    note: `${pools.length} node pool${pools.length === 1 ? '' : 's'}${gpuPools ? ` · ${gpuPools} with GPUs` : ''}`,
    consoleUrl: consoleUrl(`kubernetes/clusters/details/${encodeURIComponent(location)}/${encodeURIComponent(name)}/details`, ctx.project),
    details,
  };
}

export function mapFunction(fn: Wire, ctx: MapContext): Resource | undefined {
  const id = text(fn.name);
  if (!id) return undefined;
  const parts = id.split('/');
  const name = parts[parts.length - 1] || id;
  const region = parts[parts.indexOf('locations') + 1] ?? '';
  const raw = text(fn.state)?.toUpperCase() ?? '';
  const generation = text(fn.environment)?.toUpperCase() === 'GEN_1' ? '1st gen' : '2nd gen';
  const build = record(fn.buildConfig);
  const service = record(fn.serviceConfig);
  const details: Record<string, string | number> = { generation };
  const runtime = text(build?.runtime);
  if (runtime) details.runtime = runtime;
  const memory = text(service?.availableMemory);
  if (memory) details.memory = memory;
  const url = text(fn.url) ?? text(service?.uri);
  if (url) details.url = url;
  const description = text(fn.description);
  if (description) details.description = description;
  const created = text(fn.createTime);
  return {
    id,
    cloud: 'gcp',
    account: ctx.account,
    kind: 'function',
    service: SERVICES.functions,
    name,
    region,
    status: FUNCTION_STATUS[raw] ?? 'unknown',
    rawStatus: raw || 'unknown',
    ...(created && !Number.isNaN(Date.parse(created)) ? { createdAt: new Date(created).toISOString() } : {}),
    note: `${generation}${runtime ? ` · ${runtime}` : ''}`,
    consoleUrl:
      consoleUrl(`functions/details/${encodeURIComponent(region)}/${encodeURIComponent(name)}`, ctx.project) +
      `&env=${generation === '1st gen' ? 'gen1' : 'gen2'}`,
    details,
  };
}

/** Service.terminalCondition.state of Cloud Run v2 (the Ready condition). */
const RUN_STATUS: Readonly<Record<string, ResourceStatus>> = {
  CONDITION_SUCCEEDED: 'running',
  CONDITION_FAILED: 'error',
  CONDITION_PENDING: 'starting',
  CONDITION_RECONCILING: 'starting',
};

/**
 * Whether a Cloud Run service is a 2nd gen function's own (listed as the function already): its name is one a listed
 * function serves (Function.serviceConfig.service), or Cloud Functions labels it as the one that manages it.
 */
export function isFunctionService(service: Wire, functionServices: ReadonlySet<string>): boolean {
  return functionServices.has(text(service.name) ?? '') || record(service.labels)?.['goog-managed-by'] === 'cloudfunctions';
}

/** The Cloud Run service a 2nd gen function runs as (projects/p/locations/r/services/s), when the function says. */
export const serviceOfFunction = (fn: Wire): string | undefined => text(record(fn.serviceConfig)?.service);

/**
 * A Cloud Run service (cloud.google.com/run/docs/reference/rest/v2/projects.locations.services): its Ready condition,
 * region, URL and GPUs (containers' `nvidia.com/gpu` limit, the `accelerator` node selector naming the type). Cloud Run
 * bills GPU instances per second of their lifetime at its own SKUs (cloud.google.com/run/docs/configuring/services/gpu),
 * not as a VM-hour: a GPU service's price is unknown, with the reason.
 */
export function mapRunService(service: Wire, ctx: MapContext): Resource | undefined {
  const id = text(service.name);
  if (!id) return undefined;
  const parts = id.split('/');
  const name = parts[parts.length - 1] || id;
  const region = parts[parts.indexOf('locations') + 1] ?? '';
  const condition = record(service.terminalCondition);
  const raw = text(condition?.state)?.toUpperCase() ?? '';
  const status = service.reconciling === true && raw !== 'CONDITION_FAILED' ? 'starting' : (RUN_STATUS[raw] ?? 'unknown');
  const template = record(service.template);
  const containers = (Array.isArray(template?.containers) ? template.containers : []) as Wire[];
  const gpus = containers.reduce((n, c) => n + (finite(Number(record(record(c.resources)?.limits)?.['nvidia.com/gpu'])) ?? 0), 0);
  const accelerator = text(record(template?.nodeSelector)?.accelerator);
  const gpu = gpus > 0 ? gpuSpec({ type: accelerator ?? 'nvidia-l4', count: gpus }) : undefined;
  const scaling = record(template?.scaling);
  const details: Record<string, string | number> = {};
  const url = text(service.uri);
  if (url) details.url = url;
  const image = text(containers[0]?.image);
  if (image) details.image = image;
  const limits = record(record(containers[0]?.resources)?.limits);
  if (text(limits?.cpu)) details.cpu = text(limits?.cpu)!;
  if (text(limits?.memory)) details.memory = text(limits?.memory)!;
  const min = finite(Number(scaling?.minInstanceCount));
  if (min !== undefined) details['min instances'] = min;
  const message = text(condition?.message);
  if (message && status === 'error') details.message = message;
  const created = text(service.createTime);
  return {
    id,
    cloud: 'gcp',
    account: ctx.account,
    kind: 'function',
    service: SERVICES.run,
    name,
    region,
    status,
    rawStatus: raw || 'unknown',
    ...(created && !Number.isNaN(Date.parse(created)) ? { createdAt: new Date(created).toISOString() } : {}),
    ...(gpu ? { gpu } : {}),
    ...(gpu && status === 'running'
      ? priceFields(
          unpriced(
            `Cloud Run bills a GPU per second of instance time at its own SKUs, not by the hour of a VM${min ? ` (its ${min} minimum instance${min === 1 ? '' : 's'} at the full rate even when idle)` : ''}`,
          ),
        )
      : {}),
    note: `Cloud Run${gpu ? ` · ${gpu.count} × ${gpu.model}` : ''}`,
    consoleUrl: consoleUrl(`run/detail/${encodeURIComponent(region)}/${encodeURIComponent(name)}/metrics`, ctx.project),
    details,
  };
}
