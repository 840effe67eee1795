// Seeded data for the simulated Google Cloud (gcp.ts): projects, Compute Engine VMs, GKE clusters, Cloud Functions and Cloud Run services,
// kept as plain records (the truth tests compute expectations from) and turned into the REST bodies when served, so a
// test may change a record (a VM's status) and the next answer shows it. Machine types carry the real vCPU and memory
// figures of cloud.google.com/compute/docs; accelerator types and GPU models are the real names.
// Project ids and numbers do not depend on the seed: a credential file (gcpServiceAccountKey) names the first project
// before any state exists. Everything else does.
import { hostileName } from './hostile';
import { hashSeed, Rng, SIM_EPOCH } from './seed';

export const GCP_ZONES = [
  'us-central1-a',
  'us-central1-b',
  'us-central1-c',
  'us-east1-b',
  'us-east1-c',
  'europe-west4-a',
  'europe-west4-b',
  'asia-east1-c',
] as const;

export const regionOf = (zone: string): string => zone.replace(/-[a-z]$/, '');

/** The default VPC's subnet of each region (its real 10.x/20 range), for networkIP. */
const SUBNET_OCTET: Readonly<Record<string, number>> = { 'us-central1': 128, 'us-east1': 142, 'europe-west4': 164, 'asia-east1': 140 };

export interface GcpAccelerator {
  /** Compute Engine's accelerator type name, e.g. nvidia-tesla-a100. */
  readonly type: string;
  /** What NVML reports (the Ops Agent's `model` label). */
  readonly model: string;
  readonly memoryMib: number;
}

export const GCP_ACCELERATORS: Readonly<Record<string, GcpAccelerator>> = {
  'nvidia-tesla-t4': { type: 'nvidia-tesla-t4', model: 'Tesla T4', memoryMib: 15360 },
  'nvidia-tesla-v100': { type: 'nvidia-tesla-v100', model: 'Tesla V100-SXM2-16GB', memoryMib: 16384 },
  'nvidia-tesla-a100': { type: 'nvidia-tesla-a100', model: 'NVIDIA A100-SXM4-40GB', memoryMib: 40960 },
  'nvidia-a100-80gb': { type: 'nvidia-a100-80gb', model: 'NVIDIA A100-SXM4-80GB', memoryMib: 81920 },
  'nvidia-h100-80gb': { type: 'nvidia-h100-80gb', model: 'NVIDIA H100 80GB HBM3', memoryMib: 81559 },
  'nvidia-h100-mega-80gb': { type: 'nvidia-h100-mega-80gb', model: 'NVIDIA H100 80GB HBM3', memoryMib: 81559 },
  'nvidia-l4': { type: 'nvidia-l4', model: 'NVIDIA L4', memoryMib: 23034 },
  'nvidia-h200-141gb': { type: 'nvidia-h200-141gb', model: 'NVIDIA H200', memoryMib: 143771 },
  'nvidia-b200': { type: 'nvidia-b200', model: 'NVIDIA B200', memoryMib: 183359 },
  'nvidia-gb200': { type: 'nvidia-gb200', model: 'NVIDIA GB200', memoryMib: 189471 },
  'nvidia-rtx-pro-6000': { type: 'nvidia-rtx-pro-6000', model: 'NVIDIA RTX PRO 6000 Blackwell Server Edition', memoryMib: 97887 },
};

export interface GcpMachineType {
  readonly name: string;
  /**
   * Lower-case billing family (n1, a2, …): the first word of the Billing Catalog's core and RAM SKUs for it ("A3Plus
   * Instance Core" → a3plus for A3 Mega; A4 and A4X have none: their GPU slice SKU covers the VM).
   */
  readonly family: string;
  readonly id: string;
  readonly guestCpus: number;
  readonly memoryMb: number;
  readonly description: string;
  readonly isSharedCpu: boolean;
  readonly maximumPersistentDisks: number;
  /** GPUs that come with the machine type (A2, A3, G2); N1 VMs attach theirs (guestAccelerators) instead. */
  readonly builtIn?: { readonly type: string; readonly count: number };
  readonly cpuPlatform: string;
  readonly architecture?: 'X86_64' | 'ARM64';
}

export const GCP_MACHINE_TYPES: readonly GcpMachineType[] = [
  {
    name: 'n1-standard-8',
    family: 'n1',
    id: '3008',
    guestCpus: 8,
    memoryMb: 30720,
    description: '8 vCPUs, 30 GB RAM',
    isSharedCpu: false,
    maximumPersistentDisks: 128,
    cpuPlatform: 'Intel Skylake',
  },
  {
    name: 'n1-standard-16',
    family: 'n1',
    id: '3016',
    guestCpus: 16,
    memoryMb: 61440,
    description: '16 vCPUs, 60 GB RAM',
    isSharedCpu: false,
    maximumPersistentDisks: 128,
    cpuPlatform: 'Intel Broadwell',
  },
  {
    name: 'a2-highgpu-1g',
    family: 'a2',
    id: '1000012',
    guestCpus: 12,
    memoryMb: 87040,
    description: 'Accelerator Optimized: 1 NVIDIA Tesla A100 GPU, 12 vCPUs, 85GB RAM',
    isSharedCpu: false,
    maximumPersistentDisks: 128,
    builtIn: { type: 'nvidia-tesla-a100', count: 1 },
    cpuPlatform: 'Intel Cascade Lake',
  },
  {
    name: 'a2-ultragpu-2g',
    family: 'a2',
    id: '1000224',
    guestCpus: 24,
    memoryMb: 348160,
    description: 'Accelerator Optimized: 2 NVIDIA Tesla A100 80GB GPUs, 24 vCPUs, 340GB RAM',
    isSharedCpu: false,
    maximumPersistentDisks: 128,
    builtIn: { type: 'nvidia-a100-80gb', count: 2 },
    cpuPlatform: 'Intel Cascade Lake',
  },
  {
    name: 'a3-highgpu-8g',
    family: 'a3',
    id: '1000808',
    guestCpus: 208,
    memoryMb: 1916928,
    description: 'Accelerator Optimized: 8 NVIDIA H100 80GB GPUs, 208 vCPUs, 1872GB RAM',
    isSharedCpu: false,
    maximumPersistentDisks: 128,
    builtIn: { type: 'nvidia-h100-80gb', count: 8 },
    cpuPlatform: 'Intel Sapphire Rapids',
  },
  {
    name: 'g2-standard-8',
    family: 'g2',
    id: '1400008',
    guestCpus: 8,
    memoryMb: 32768,
    description: 'Accelerator Optimized: 1 NVIDIA L4 GPU, 8 vCPUs, 32GB RAM',
    isSharedCpu: false,
    maximumPersistentDisks: 128,
    builtIn: { type: 'nvidia-l4', count: 1 },
    cpuPlatform: 'Intel Cascade Lake',
  },
  // Sizes from cloud.google.com/compute/docs/accelerator-optimized-machines and /gpus (A3 Mega, A3 Ultra, A4, A4X, G4).
  {
    name: 'a3-megagpu-8g',
    family: 'a3plus',
    id: '1000880',
    guestCpus: 208,
    memoryMb: 1916928,
    description: 'Accelerator Optimized: 8 NVIDIA H100 80GB Mega GPUs, 208 vCPUs, 1872GB RAM',
    isSharedCpu: false,
    maximumPersistentDisks: 128,
    builtIn: { type: 'nvidia-h100-mega-80gb', count: 8 },
    cpuPlatform: 'Intel Sapphire Rapids',
  },
  {
    name: 'a3-ultragpu-8g',
    family: 'a3ultra',
    id: '1000890',
    guestCpus: 224,
    memoryMb: 3022848,
    description: 'Accelerator Optimized: 8 NVIDIA H200 141GB GPUs, 224 vCPUs, 2952GB RAM',
    isSharedCpu: false,
    maximumPersistentDisks: 128,
    builtIn: { type: 'nvidia-h200-141gb', count: 8 },
    cpuPlatform: 'Intel Emerald Rapids',
  },
  {
    name: 'a4-highgpu-8g',
    family: 'a4',
    id: '1001008',
    guestCpus: 224,
    memoryMb: 4063232,
    description: 'Accelerator Optimized: 8 NVIDIA B200 GPUs, 224 vCPUs, 3968GB RAM',
    isSharedCpu: false,
    maximumPersistentDisks: 128,
    builtIn: { type: 'nvidia-b200', count: 8 },
    cpuPlatform: 'Intel Emerald Rapids',
  },
  {
    name: 'a4x-highgpu-4g',
    family: 'a4x',
    id: '1001104',
    guestCpus: 140,
    memoryMb: 905216,
    description: 'Accelerator Optimized: 4 NVIDIA GB200 GPUs, 140 vCPUs, 884GB RAM',
    isSharedCpu: false,
    maximumPersistentDisks: 128,
    builtIn: { type: 'nvidia-gb200', count: 4 },
    cpuPlatform: 'NVIDIA Grace',
    architecture: 'ARM64',
  },
  {
    name: 'g4-standard-48',
    family: 'g4',
    id: '999935048',
    guestCpus: 48,
    memoryMb: 184320,
    description: 'Graphics Optimized: 1 NVIDIA RTX PRO 6000 GPU, 48 vCPUs, 180GB RAM',
    isSharedCpu: false,
    maximumPersistentDisks: 128,
    builtIn: { type: 'nvidia-rtx-pro-6000', count: 1 },
    cpuPlatform: 'AMD Turin',
  },
  {
    name: 'e2-medium',
    family: 'e2',
    id: '335003',
    guestCpus: 2,
    memoryMb: 4096,
    description: 'Efficient Instance, 2 vCPU (1/2 shared physical core) and 4 GB RAM',
    isSharedCpu: true,
    maximumPersistentDisks: 128,
    cpuPlatform: 'AMD Rome',
  },
  {
    name: 'n2-standard-4',
    family: 'n2',
    id: '901004',
    guestCpus: 4,
    memoryMb: 16384,
    description: '4 vCPUs 16 GB RAM',
    isSharedCpu: false,
    maximumPersistentDisks: 128,
    cpuPlatform: 'Intel Cascade Lake',
  },
];

export const gcpMachineType = (name: string): GcpMachineType | undefined => GCP_MACHINE_TYPES.find((m) => m.name === name);

export const GCE_STATUSES = [
  'PROVISIONING',
  'STAGING',
  'RUNNING',
  'STOPPING',
  'SUSPENDING',
  'SUSPENDED',
  'REPAIRING',
  'TERMINATED',
] as const;
export type GceStatus = (typeof GCE_STATUSES)[number];

export type GcpProvisioning = 'STANDARD' | 'SPOT' | 'FLEX_START' | 'RESERVATION_BOUND';

/** A VM as the sim holds it: everything a test needs to compute an expectation, and the body is built from it. */
export interface GcpInstance {
  readonly id: string;
  name: string;
  readonly zone: string;
  readonly region: string;
  machineType: string;
  /** The GPU type (attached or built into the machine type), absent for CPU-only VMs. */
  acceleratorType?: string;
  acceleratorCount: number;
  /** Scheduling.provisioningModel: FLEX_START is Dynamic Workload Scheduler, RESERVATION_BOUND calendar mode. */
  provisioningModel: GcpProvisioning;
  status: GceStatus;
  description: string;
  labels: Record<string, string>;
  readonly creationTimestamp: string;
  readonly lastStartTimestamp: string;
  readonly networkIP: string;
  readonly natIP: string;
  readonly diskSizeGb: string;
  /**
   * The managed instance group that made it, as its read-only `created-by` metadata names it
   * (cloud.google.com/compute/docs/metadata/predefined-metadata-keys): GKE's node VMs carry their node pool's group.
   */
  createdBy?: string;
  /**
   * Local SSD disks (375 GB each, attachedDisk type SCRATCH): A3 High VMs come with 16
   * (cloud.google.com/compute/docs/accelerator-optimized-machines, "a3-highgpu-8g … 6,000 GiB Local SSD").
   */
  localSsds?: number;
}

export interface GcpFunction {
  /** Short name (the last path segment; hostile text under `hostile`). */
  name: string;
  readonly region: string;
  readonly environment: 'GEN_1' | 'GEN_2';
  readonly runtime: string;
  state: 'ACTIVE' | 'FAILED' | 'DEPLOYING' | 'DELETING' | 'UNKNOWN';
  description: string;
  labels: Record<string, string>;
  readonly updateTime: string;
  readonly availableMemory: string;
  readonly timeoutSeconds: number;
  readonly maxInstanceCount: number;
  /** Cloud Run revision serving a GEN_2 function (the cloud_run_revision metrics' revision_name). */
  readonly revision: string;
  readonly hash: string;
}

/**
 * A Cloud Run service (Cloud Run Admin API v2, cloud.google.com/run/docs/reference/rest/v2/projects.locations.services),
 * made with the console, `gcloud run deploy` or Terraform: it never appears in the Cloud Functions list. A GPU service
 * carries `nvidia.com/gpu` in its container limits and an `accelerator` node selector (cloud.google.com/run/docs/configuring/services/gpu).
 */
export interface GcpRunService {
  name: string;
  readonly region: string;
  /** Service.terminalCondition.state. */
  state: 'CONDITION_SUCCEEDED' | 'CONDITION_FAILED' | 'CONDITION_RECONCILING';
  readonly gpu?: { readonly type: string; readonly count: number };
  readonly image: string;
  readonly cpu: string;
  readonly memory: string;
  readonly minInstances: number;
  readonly maxInstances: number;
  readonly createTime: string;
  readonly revision: string;
  readonly hash: string;
  readonly uid: string;
}

export interface GcpNodePool {
  name: string;
  status: 'PROVISIONING' | 'RUNNING' | 'RUNNING_WITH_ERROR' | 'RECONCILING' | 'STOPPING' | 'ERROR';
  machineType: string;
  diskSizeGb: number;
  initialNodeCount: number;
  spot: boolean;
  accelerator?: { type: string; count: number };
  autoscaling?: { minNodeCount: number; maxNodeCount: number };
}

export interface GcpCluster {
  name: string;
  /** A region (regional cluster) or a zone (zonal). */
  readonly location: string;
  readonly locations: string[];
  status: 'PROVISIONING' | 'RUNNING' | 'RECONCILING' | 'STOPPING' | 'ERROR' | 'DEGRADED';
  statusMessage?: string;
  description: string;
  resourceLabels: Record<string, string>;
  readonly createTime: string;
  readonly endpoint: string;
  readonly id: string;
  nodePools: GcpNodePool[];
}

export interface GcpProject {
  readonly projectId: string;
  /** 12-digit project number, as a string (int64 on the wire). */
  readonly number: string;
  displayName: string;
  state: 'ACTIVE' | 'DELETE_REQUESTED';
  readonly parent: string;
  readonly createTime: string;
  labels: Record<string, string>;
  /** Zones the aggregated list names on every page. */
  readonly zones: string[];
  instances: GcpInstance[];
  clusters: GcpCluster[];
  functions: GcpFunction[];
  /** Cloud Run services made through Cloud Run itself (gen2 functions' own services are listed beside them when served). */
  runServices: GcpRunService[];
}

const PROJECT_WORDS = ['prod', 'research', 'staging', 'batch', 'dev', 'edge', 'data', 'shared'];
export const GCP_ORGANIZATION = 'organizations/518462093177';

/** Project i's id and number: from its index only (not the seed), so credential files can name the first one. */
export function gcpProjectIdentity(i: number): { projectId: string; number: string } {
  const digits = String(1000 + (hashSeed('gcp-project', i) % 9000));
  const number = String(100_000_000_000 + (hashSeed('gcp-project-number', i) % 899_999_999_999));
  return { projectId: `sim-${PROJECT_WORDS[i % PROJECT_WORDS.length]}${i >= PROJECT_WORDS.length ? `-${i}` : ''}-${digits}`, number };
}

/** Google's RFC 3339 with milliseconds in Pacific time (Compute answers so), DST as in the US since 2007. */
export function pacificTimestamp(ms: number): string {
  const year = new Date(ms).getUTCFullYear();
  const nthSunday = (month: number, n: number): number => {
    const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
    return 1 + ((7 - first) % 7) + 7 * (n - 1);
  };
  const dstStart = Date.UTC(year, 2, nthSunday(2, 2), 10); // 02:00 PST
  const dstEnd = Date.UTC(year, 10, nthSunday(10, 1), 9); // 02:00 PDT
  const offsetH = ms >= dstStart && ms < dstEnd ? -7 : -8;
  return `${new Date(ms + offsetH * 3600e3).toISOString().slice(0, 23)}-0${-offsetH}:00`;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const titleCase = (w: string): string => `${w[0].toUpperCase()}${w.slice(1)}`;

type VmTemplate = readonly [
  machineType: string,
  zone: string,
  status: GceStatus,
  spot?: boolean | GcpProvisioning,
  attached?: readonly [string, number],
];

const T4 = ['nvidia-tesla-t4', 1] as const;
const V100X2 = ['nvidia-tesla-v100', 2] as const;

/**
 * The first project: a RUNNING STANDARD VM of every GPU type, RUNNING SPOT GPU VMs (one in EMEA, one in APAC), every
 * status, both CPU-only types; GPUs in zones that really offer them. Suspend is not possible with GPUs attached, so
 * SUSPENDING/SUSPENDED are CPU-only VMs, as they would be.
 */
const FIRST: readonly VmTemplate[] = [
  ['n1-standard-8', 'us-central1-a', 'RUNNING', false, T4],
  ['n1-standard-16', 'us-central1-b', 'RUNNING', false, V100X2],
  ['a2-highgpu-1g', 'us-central1-c', 'RUNNING'],
  ['a2-ultragpu-2g', 'us-central1-a', 'RUNNING'],
  ['a3-highgpu-8g', 'us-central1-c', 'RUNNING'],
  ['g2-standard-8', 'us-east1-b', 'RUNNING'],
  ['a2-highgpu-1g', 'europe-west4-a', 'RUNNING', true],
  ['n1-standard-8', 'asia-east1-c', 'RUNNING', true, T4],
  ['e2-medium', 'us-east1-c', 'RUNNING'],
  ['n2-standard-4', 'europe-west4-b', 'RUNNING'],
  ['g2-standard-8', 'us-central1-b', 'PROVISIONING'],
  ['n2-standard-4', 'us-central1-a', 'STAGING'],
  ['e2-medium', 'us-east1-b', 'STOPPING'],
  ['n2-standard-4', 'us-east1-b', 'SUSPENDING'],
  ['e2-medium', 'us-central1-c', 'SUSPENDED'],
  ['a2-highgpu-1g', 'us-central1-a', 'REPAIRING'],
  ['a3-highgpu-8g', 'europe-west4-b', 'TERMINATED'],
  ['n1-standard-8', 'us-central1-b', 'TERMINATED', true, T4],
  // Today's GPU families, on demand and Spot; A3 Mega under Dynamic Workload Scheduler (every one priced: the key's
  // project is what a default run reads, and its GPU spend has no unknown in it).
  ['a3-ultragpu-8g', 'us-central1-a', 'RUNNING'],
  ['a3-ultragpu-8g', 'us-central1-b', 'RUNNING', 'SPOT'],
  ['a4-highgpu-8g', 'us-central1-b', 'RUNNING'],
  ['a4-highgpu-8g', 'us-central1-c', 'RUNNING', 'SPOT'],
  ['a3-megagpu-8g', 'us-central1-c', 'RUNNING'],
  ['a3-megagpu-8g', 'us-central1-a', 'RUNNING', 'SPOT'],
  ['g4-standard-48', 'us-central1-b', 'RUNNING'],
  ['g4-standard-48', 'us-central1-c', 'RUNNING', 'SPOT'],
  ['a4x-highgpu-4g', 'us-central1-a', 'RUNNING'],
  ['a3-megagpu-8g', 'us-central1-b', 'RUNNING', 'FLEX_START'],
];

/** Every other project: every status once, GPU and not. */
const OTHER: readonly VmTemplate[] = [
  ['a2-highgpu-1g', 'us-central1-a', 'RUNNING'],
  ['n1-standard-8', 'us-east1-c', 'RUNNING', true, T4],
  ['g2-standard-8', 'europe-west4-a', 'RUNNING'],
  ['e2-medium', 'us-central1-b', 'PROVISIONING'],
  ['n2-standard-4', 'us-central1-c', 'STAGING'],
  ['a2-ultragpu-2g', 'us-central1-c', 'STOPPING'],
  ['n2-standard-4', 'europe-west4-b', 'SUSPENDING'],
  ['e2-medium', 'asia-east1-c', 'SUSPENDED'],
  ['n1-standard-16', 'us-central1-a', 'REPAIRING', false, V100X2],
  ['a3-highgpu-8g', 'us-central1-a', 'TERMINATED'],
  // Bound to a calendar-mode reservation: no catalogue price (the sim serves no DWS Calendar Mode SKU).
  ['a3-ultragpu-8g', 'us-central1-c', 'RUNNING', 'RESERVATION_BOUND'],
];

/** What fills a project beyond its templates, and what `extraInstances` are made of (GPU where the zone has it). */
const FILL: readonly (readonly [string, (readonly [string, number])?])[] = [
  ['e2-medium'],
  ['n2-standard-4'],
  ['n1-standard-8', T4],
  ['g2-standard-8'],
  ['a2-highgpu-1g'],
  ['e2-medium'],
  ['n2-standard-4'],
  ['a2-ultragpu-2g'],
];

const VM_WORDS = ['train', 'infer', 'serve', 'batch', 'notebook', 'etl', 'web', 'worker', 'eval', 'render'];

export interface GcpDataOptions {
  readonly projects?: number;
  readonly count?: number;
  readonly hostile?: boolean;
  readonly extraInstances?: { readonly project?: number; readonly zone: string; readonly count: number };
}

/** A uint64 above 2^53 as Compute writes it: a decimal string (JavaScript numbers would round it). */
function uint64(rng: Rng): string {
  let s = '8';
  for (let i = 0; i < 18; i++) s += String(rng.int(0, 9));
  return s;
}

function makeInstance(rng: Rng, index: number, t: VmTemplate, hostile: boolean, used: Set<string>): GcpInstance {
  const [machineType, zone, status, model = false, attached] = t;
  const provisioningModel: GcpProvisioning = model === true ? 'SPOT' : model === false ? 'STANDARD' : model;
  const mt = gcpMachineType(machineType)!;
  const accel = attached ?? (mt.builtIn ? ([mt.builtIn.type, mt.builtIn.count] as const) : undefined);
  let name = `${rng.pick(VM_WORDS)}-${accel ? accel[0].replace(/^nvidia-(tesla-)?/, '') : mt.family}-${String(index).padStart(2, '0')}`;
  while (used.has(name)) name = `${name}x`;
  used.add(name);
  const created = SIM_EPOCH - rng.int(2 * 86_400, 200 * 86_400) * 1000 - rng.int(0, 999);
  const started = Math.max(created + 60_000, SIM_EPOCH - rng.int(600, 30 * 86_400) * 1000 - rng.int(0, 999));
  const region = regionOf(zone);
  const labels: Record<string, string> = { env: rng.pick(['prod', 'dev', 'research']), team: accel ? 'ml' : 'platform' };
  if (hostile) labels.owner = hostileName(index);
  return {
    id: uint64(rng),
    name,
    zone,
    region,
    machineType,
    ...(accel ? { acceleratorType: accel[0] } : {}),
    acceleratorCount: accel ? accel[1] : 0,
    provisioningModel,
    status,
    description: hostile ? hostileName(index + 3) : accel ? `GPU workload on ${accel[1]}× ${accel[0]}` : '',
    labels,
    creationTimestamp: pacificTimestamp(created),
    lastStartTimestamp: pacificTimestamp(started),
    networkIP: `10.${SUBNET_OCTET[region] ?? 128}.${Math.floor(index / 250)}.${2 + (index % 250)}`,
    natIP: `34.${rng.int(16, 180)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    diskSizeGb: accel ? '200' : '50',
    ...(machineType === 'a3-highgpu-8g' ? { localSsds: 16 } : {}),
  };
}

const uuidOf = (...parts: (string | number)[]): string => {
  let hex = '';
  for (let i = 0; hex.length < 32; i++)
    hex += hashSeed(...parts, i)
      .toString(16)
      .padStart(8, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

/** The NVML uuid of GPU `n` of a VM (the Ops Agent's `uuid` label). */
export const gpuUuid = (instanceId: string, n: number): string => `GPU-${uuidOf('gpu', instanceId, n)}`;

type ClusterTemplate = readonly [name: string, location: string, status: GcpCluster['status'], gpu?: boolean, message?: string];
const CLUSTERS: readonly (readonly ClusterTemplate[])[] = [
  [
    ['ml-training', 'us-central1', 'RUNNING', true],
    ['inference-eu', 'europe-west4-a', 'RECONCILING'],
    ['broken-dev', 'us-east1-b', 'ERROR', false, "Google Compute Engine: Quota 'CPUS' exceeded. Limit: 24.0 in region us-east1."],
  ],
  [
    ['research', 'us-central1', 'RUNNING'],
    ['batch-a100', 'us-central1-c', 'PROVISIONING'],
    ['old-cluster', 'us-east1', 'STOPPING'],
    ['shared-eu', 'europe-west4', 'DEGRADED', false, 'Some nodes are not ready: 1 of 3 nodes in node pool "default-pool" are unhealthy.'],
  ],
];

function makeCluster(rng: Rng, projectIndex: number, t: ClusterTemplate, hostile: boolean, n: number): GcpCluster {
  const [name, location, status, gpu, message] = t;
  const regional = !/-[a-z]$/.test(location);
  const locations = regional ? ['a', 'b', 'c'].map((z) => `${location}-${z}`) : [location];
  const poolStatus =
    status === 'ERROR'
      ? 'ERROR'
      : status === 'DEGRADED'
        ? 'RUNNING_WITH_ERROR'
        : status === 'RUNNING'
          ? 'RUNNING'
          : status === 'STOPPING'
            ? 'STOPPING'
            : status === 'RECONCILING'
              ? 'RECONCILING'
              : 'PROVISIONING';
  const pools: GcpNodePool[] = [
    {
      name: 'default-pool',
      status: poolStatus,
      machineType: 'e2-standard-4',
      diskSizeGb: 100,
      initialNodeCount: regional ? 1 : 3,
      spot: false,
    },
  ];
  if (gpu)
    pools.push({
      name: 'gpu-pool',
      status: poolStatus,
      machineType: 'n1-standard-8',
      diskSizeGb: 200,
      initialNodeCount: 1,
      spot: true,
      accelerator: { type: 'nvidia-tesla-t4', count: 1 },
      autoscaling: { minNodeCount: 0, maxNodeCount: 4 },
    });
  if (location.startsWith('europe-west4') && !regional)
    pools.push({
      name: 'l4-pool',
      status: poolStatus,
      machineType: 'g2-standard-8',
      diskSizeGb: 100,
      initialNodeCount: 1,
      spot: false,
      accelerator: { type: 'nvidia-l4', count: 1 },
    });
  return {
    name,
    location,
    locations,
    status,
    ...(message ? { statusMessage: message } : {}),
    description: hostile ? hostileName(projectIndex * 5 + n + 7) : '',
    resourceLabels: { env: projectIndex === 0 ? 'prod' : 'research', ...(hostile ? { owner: hostileName(projectIndex * 5 + n + 9) } : {}) },
    createTime: iso(SIM_EPOCH - rng.int(5, 300) * 86_400e3),
    endpoint: `34.${rng.int(16, 180)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    id: rng.id('', 32),
    nodePools: pools,
  };
}

/** The labels GKE puts on its node VMs (cloud.google.com/kubernetes-engine/docs/how-to/creating-managing-labels#automatically-applied-labels). */
export const GKE_NODE_LABEL = 'goog-gke-node';

/**
 * A RUNNING cluster's GPU node pools as the Compute Engine VMs GKE runs them on, one per node location: named as GKE
 * names them (gke-<cluster>-<pool>-<8 hex>-<4 chars>), labelled with their cluster and pool; no Ops Agent on them.
 */
function gkeGpuNodes(seed: number, project: GcpProject, hostile: boolean, used: Set<string>): GcpInstance[] {
  const out: GcpInstance[] = [];
  for (const c of project.clusters) {
    if (c.status !== 'RUNNING') continue;
    for (const pool of c.nodePools) {
      if (!pool.accelerator) continue;
      const rng = new Rng(hashSeed(seed, 'gke-node', project.projectId, c.name, pool.name));
      const group = rng
        .id('', 8)
        .toLowerCase()
        .replace(/[^0-9a-f]/g, (ch) => 'abcdef'[ch.charCodeAt(0) % 6]);
      c.locations.forEach((zone, n) => {
        const vm = makeInstance(
          rng,
          900 + n,
          [pool.machineType, zone, 'RUNNING', pool.spot, [pool.accelerator!.type, pool.accelerator!.count]],
          hostile,
          used,
        );
        const suffix = rng.id('', 4).toLowerCase();
        out.push({
          ...vm,
          // Node 0, 2 … end in an even digit, 1, 3 … in an odd one: gcp-monitoring.ts's gkeNodeIdle idles the even ones.
          id: `${vm.id.slice(0, -1)}${n % 2 === 0 ? 2 : 7}`,
          name: `gke-${c.name}-${pool.name}-${group}-${suffix}`.slice(0, 63),
          // The node pool's group, as clusterBody's instanceGroupUrls name it.
          createdBy: `projects/${project.number}/zones/${zone}/instanceGroupManagers/gke-${c.name}-${pool.name}-${c.id.slice(0, 8)}-grp`,
          description: '',
          labels: {
            [GKE_NODE_LABEL]: '',
            'goog-k8s-cluster-name': c.name,
            'goog-k8s-cluster-location': c.location,
            'goog-k8s-node-pool-name': pool.name,
          },
        });
      });
    }
  }
  return out;
}

type FunctionTemplate = readonly [
  name: string,
  env: GcpFunction['environment'],
  runtime: string,
  region: string,
  state: GcpFunction['state'],
];
const FUNCTIONS: readonly (readonly FunctionTemplate[])[] = [
  [
    ['ingest-webhook', 'GEN_2', 'nodejs20', 'us-central1', 'ACTIVE'],
    ['resize-images', 'GEN_1', 'python312', 'us-central1', 'ACTIVE'],
    ['nightly-report', 'GEN_2', 'go122', 'europe-west4', 'ACTIVE'],
    ['slack-notify', 'GEN_1', 'nodejs20', 'us-east1', 'FAILED'],
    ['embed-docs', 'GEN_2', 'python312', 'us-central1', 'DEPLOYING'],
    ['legacy-cron', 'GEN_1', 'nodejs20', 'us-central1', 'DELETING'],
    ['ghost-fn', 'GEN_2', 'go122', 'asia-east1', 'UNKNOWN'],
  ],
  [
    ['train-trigger', 'GEN_2', 'python312', 'us-central1', 'ACTIVE'],
    ['score-batch', 'GEN_1', 'python312', 'us-central1', 'ACTIVE'],
    ['eval-hook', 'GEN_2', 'nodejs20', 'us-east1', 'FAILED'],
    ['dataset-sync', 'GEN_1', 'go122', 'europe-west4', 'ACTIVE'],
    ['gpu-watch', 'GEN_2', 'nodejs20', 'us-central1', 'ACTIVE'],
    ['cleanup', 'GEN_1', 'nodejs20', 'asia-east1', 'DEPLOYING'],
  ],
];

function makeFunction(rng: Rng, projectIndex: number, t: FunctionTemplate, hostile: boolean, n: number): GcpFunction {
  const [base, environment, runtime, region, state] = t;
  // Every other function gets a hostile name, so plain and hostile ones are listed side by side.
  const name = hostile && n % 2 === 0 ? hostileName(projectIndex * 4 + n / 2) : base;
  return {
    name,
    region,
    environment,
    runtime,
    state,
    description: hostile ? hostileName(projectIndex * 7 + n + 1) : `${base.replace(/-/g, ' ')} (${runtime})`,
    labels: { 'deployment-tool': 'cli-gcloud', ...(hostile ? { owner: hostileName(projectIndex * 7 + n + 2) } : {}) },
    updateTime: new Date(SIM_EPOCH - rng.int(3600, 60 * 86_400) * 1000 - rng.int(0, 999_999) / 1000).toISOString(),
    availableMemory: rng.pick(['256M', '512M', '1Gi']),
    timeoutSeconds: rng.pick([60, 300, 540]),
    maxInstanceCount: rng.pick([10, 100, 3000]),
    revision: `${base}-${String(rng.int(1, 40)).padStart(5, '0')}-${rng.id('', 3).replace(/[0-9]/g, (d) => 'kmnpqrstvw'[Number(d)])}`,
    hash: rng.id('', 10).replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]),
  };
}

type RunTemplate = readonly [name: string, region: string, state: GcpRunService['state'], gpu?: boolean];
/** Cloud Run services; the GPU ones (a price Cloudtop cannot tell) in the other projects, not the key's own. */
const RUN_SERVICES: readonly (readonly RunTemplate[])[] = [
  [
    ['web-frontend', 'us-central1', 'CONDITION_SUCCEEDED'],
    ['checkout-api', 'europe-west4', 'CONDITION_FAILED'],
  ],
  [
    ['llm-serve', 'us-central1', 'CONDITION_SUCCEEDED', true],
    ['embedder', 'europe-west4', 'CONDITION_SUCCEEDED', true],
    ['admin-ui', 'us-east1', 'CONDITION_RECONCILING'],
  ],
];

function makeRunService(rng: Rng, t: RunTemplate): GcpRunService {
  const [name, region, state, gpu] = t;
  return {
    name,
    region,
    state,
    ...(gpu ? { gpu: { type: 'nvidia-l4', count: 1 } } : {}),
    image: gpu
      ? `us-docker.pkg.dev/cloudrun/container/${name}:latest`
      : `${region}-docker.pkg.dev/app/web/${name}@sha256:${rng.id('', 64)}`,
    // GPU services need at least 4 CPUs and 16 GiB (cloud.google.com/run/docs/configuring/services/gpu).
    cpu: gpu ? '4' : '1000m',
    memory: gpu ? '16Gi' : '512Mi',
    minInstances: gpu ? 1 : 0,
    maxInstances: gpu ? 3 : 100,
    createTime: new Date(SIM_EPOCH - rng.int(3600, 90 * 86_400) * 1000 - rng.int(0, 999_999) / 1000).toISOString(),
    revision: `${name}-${String(rng.int(1, 40)).padStart(5, '0')}-${rng.id('', 3).replace(/[0-9]/g, (d) => 'kmnpqrstvw'[Number(d)])}`,
    hash: rng.id('', 10).replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]),
    uid: uuidOf('run', name, region),
  };
}

function makeProject(seed: number, i: number, options: GcpDataOptions, state: GcpProject['state']): GcpProject {
  const rng = new Rng(hashSeed(seed, 'project', i));
  const hostile = Boolean(options.hostile);
  const { projectId, number } = gcpProjectIdentity(i);
  const extra = options.extraInstances && (options.extraInstances.project ?? 0) === i ? options.extraInstances : undefined;
  const zones: string[] = [...GCP_ZONES];
  if (extra && !zones.includes(extra.zone)) zones.push(extra.zone);
  const project: GcpProject = {
    projectId,
    number,
    state,
    displayName:
      hostile && state === 'ACTIVE'
        ? hostileName(i)
        : `Cloudtop Sim ${titleCase(PROJECT_WORDS[i % PROJECT_WORDS.length])}${i >= PROJECT_WORDS.length ? ` ${i}` : ''}`,
    parent: i % 3 === 2 ? `folders/${100_000_000_000 + (hashSeed('gcp-folder', i) % 899_999_999_999)}` : GCP_ORGANIZATION,
    createTime: iso(SIM_EPOCH - rng.int(100, 900) * 86_400e3 - rng.int(0, 86_399_999)),
    labels: { 'cost-center': `cc-${rng.int(100, 999)}`, ...(hostile ? { owner: hostileName(i + 5) } : {}) },
    zones,
    instances: [],
    clusters: [],
    functions: [],
    runServices: [],
  };
  if (state !== 'ACTIVE') return project;
  const templates = i === 0 ? FIRST : OTHER;
  const used = new Set<string>();
  const count = Math.max(options.count ?? 10, templates.length);
  for (let k = 0; k < count; k++) {
    const t: VmTemplate =
      k < templates.length
        ? templates[k]
        : fillTemplate(
            rng,
            GCP_ZONES[rng.int(0, GCP_ZONES.length - 1)],
            rng.weighted([
              ['RUNNING', 6],
              ['TERMINATED', 2],
              ['STAGING', 1],
            ] as const),
          );
    project.instances.push(makeInstance(rng, k, t, hostile, used));
  }
  for (let k = 0; k < (extra?.count ?? 0); k++) {
    const status: GceStatus = k % 10 === 9 ? 'TERMINATED' : 'RUNNING';
    project.instances.push(makeInstance(rng, count + k, fillTemplate(rng, extra!.zone, status, k), hostile, used));
  }
  project.clusters = CLUSTERS[i % CLUSTERS.length].map((t, n) => makeCluster(rng, i, t, hostile, n));
  project.instances.push(...gkeGpuNodes(seed, project, hostile, used));
  project.functions = FUNCTIONS[i % FUNCTIONS.length].map((t, n) => makeFunction(rng, i, t, hostile, n));
  project.runServices = RUN_SERVICES[i % RUN_SERVICES.length].map((t) => makeRunService(rng, t));
  return project;
}

function fillTemplate(rng: Rng, zone: string, status: GceStatus, k?: number): VmTemplate {
  const [machineType, attached] = FILL[(k ?? rng.int(0, FILL.length - 1)) % FILL.length];
  const spot = rng.chance(0.2) && status === 'RUNNING';
  return attached ? [machineType, zone, status, spot, attached] : [machineType, zone, status, spot];
}

/** `projects` ACTIVE projects and, after them, one DELETE_REQUESTED project (empty: nothing runs in it). */
export function generateGcpProjects(seed: number, options: GcpDataOptions = {}): GcpProject[] {
  const n = Math.max(1, options.projects ?? 2);
  return [
    ...Array.from({ length: n }, (_, i) => makeProject(seed, i, options, 'ACTIVE')),
    makeProject(seed, n, options, 'DELETE_REQUESTED'),
  ];
}

const isGpu = (vm: GcpInstance): boolean => vm.acceleratorCount > 0;

/**
 * The VMs with the Ops Agent by default: two of every three RUNNING GPU VMs (the third of each three goes without, so
 * there is always a running GPU VM that reports no GPU metrics) and every other RUNNING CPU-only VM.
 */
export function defaultOpsAgent(projects: readonly GcpProject[]): string[] {
  const out: string[] = [];
  for (const p of projects) {
    const running = p.instances.filter((vm) => vm.status === 'RUNNING' && !(GKE_NODE_LABEL in vm.labels));
    running.filter(isGpu).forEach((vm, i) => i % 3 !== 2 && out.push(vm.id));
    running.filter((vm) => !isGpu(vm)).forEach((vm, i) => i % 2 === 0 && out.push(vm.id));
  }
  return out;
}

const COMPUTE = 'https://www.googleapis.com/compute/v1';

/**
 * Instance.scheduling as Compute answers it for each provisioning model: Spot (preemptible, stops when preempted);
 * flex-start VMs (cloud.google.com/compute/docs/instances/flex-start-vms) run at most maxRunDuration and are deleted
 * at its end; reservation-bound VMs (calendar mode, cloud.google.com/compute/docs/instances/create-vms-consume-reservations)
 * are deleted when the reservation ends.
 */
function schedulingOf(vm: GcpInstance): Record<string, unknown> {
  const terminate = vm.acceleratorCount > 0 || vm.provisioningModel !== 'STANDARD' ? 'TERMINATE' : 'MIGRATE';
  switch (vm.provisioningModel) {
    case 'SPOT':
      return {
        onHostMaintenance: terminate,
        automaticRestart: false,
        preemptible: true,
        provisioningModel: 'SPOT',
        instanceTerminationAction: 'STOP',
      };
    case 'FLEX_START':
      return {
        onHostMaintenance: terminate,
        automaticRestart: false,
        preemptible: false,
        provisioningModel: 'FLEX_START',
        instanceTerminationAction: 'DELETE',
        maxRunDuration: { seconds: '604800' },
      };
    case 'RESERVATION_BOUND':
      return {
        onHostMaintenance: terminate,
        automaticRestart: true,
        preemptible: false,
        provisioningModel: 'RESERVATION_BOUND',
        instanceTerminationAction: 'DELETE',
      };
    default:
      return { onHostMaintenance: terminate, automaticRestart: true, preemptible: false, provisioningModel: 'STANDARD' };
  }
}

/** The `compute#instance` body of a VM record, in the project. */
export function instanceBody(projectId: string, vm: GcpInstance): Record<string, unknown> {
  const zoneUrl = `${COMPUTE}/projects/${projectId}/zones/${vm.zone}`;
  const mt = gcpMachineType(vm.machineType);
  const running = vm.status === 'RUNNING' || vm.status === 'STOPPING' || vm.status === 'SUSPENDING' || vm.status === 'REPAIRING';
  const fingerprint = Buffer.from(vm.id.slice(-8)).toString('base64');
  return {
    kind: 'compute#instance',
    id: vm.id,
    creationTimestamp: vm.creationTimestamp,
    name: vm.name,
    description: vm.description,
    tags: { ...(mt?.family === 'e2' ? { items: ['http-server', 'https-server'] } : {}), fingerprint },
    machineType: `${zoneUrl}/machineTypes/${vm.machineType}`,
    status: vm.status,
    zone: zoneUrl,
    canIpForward: false,
    networkInterfaces: [
      {
        kind: 'compute#networkInterface',
        network: `${COMPUTE}/projects/${projectId}/global/networks/default`,
        subnetwork: `${COMPUTE}/projects/${projectId}/regions/${vm.region}/subnetworks/default`,
        networkIP: vm.networkIP,
        name: 'nic0',
        // A stopped VM's ephemeral external address is released: the access config stays, without natIP.
        accessConfigs: [
          {
            kind: 'compute#accessConfig',
            type: 'ONE_TO_ONE_NAT',
            name: 'External NAT',
            ...(running ? { natIP: vm.natIP } : {}),
            networkTier: 'PREMIUM',
          },
        ],
        fingerprint,
        stackType: 'IPV4_ONLY',
      },
    ],
    disks: [
      {
        kind: 'compute#attachedDisk',
        type: 'PERSISTENT',
        mode: 'READ_WRITE',
        source: `${zoneUrl}/disks/${vm.name}`,
        deviceName: vm.name,
        index: 0,
        boot: true,
        autoDelete: true,
        licenses: [`${COMPUTE}/projects/ubuntu-os-cloud/global/licenses/ubuntu-2204-lts`],
        interface: vm.machineType.startsWith('a3') ? 'NVME' : 'SCSI',
        diskSizeGb: vm.diskSizeGb,
        architecture: 'X86_64',
      },
      ...Array.from({ length: vm.localSsds ?? 0 }, (_, n) => ({
        kind: 'compute#attachedDisk',
        type: 'SCRATCH',
        mode: 'READ_WRITE',
        deviceName: `local-ssd-${n}`,
        index: n + 1,
        boot: false,
        autoDelete: true,
        interface: 'NVME',
        diskSizeGb: '375',
      })),
    ],
    metadata: {
      kind: 'compute#metadata',
      fingerprint,
      items: [
        ...(vm.acceleratorCount > 0 ? [{ key: 'install-nvidia-driver', value: 'True' }] : []),
        ...(vm.createdBy ? [{ key: 'created-by', value: vm.createdBy }] : []),
      ],
    },
    serviceAccounts: [
      {
        email: `${(hashSeed(projectId) % 900_000_000_000) + 100_000_000_000}-compute@developer.gserviceaccount.com`,
        scopes: ['https://www.googleapis.com/auth/cloud-platform'],
      },
    ],
    selfLink: `${zoneUrl}/instances/${vm.name}`,
    scheduling: schedulingOf(vm),
    // A reservation-bound VM names the reservation it consumes (cloud.google.com/compute/docs/instances/reservations-consume).
    ...(vm.provisioningModel === 'RESERVATION_BOUND'
      ? {
          reservationAffinity: {
            consumeReservationType: 'SPECIFIC_RESERVATION',
            key: 'compute.googleapis.com/reservation-name',
            values: [`projects/${projectId}/reservations/calendar-${vm.zone}`],
          },
        }
      : {}),
    cpuPlatform: running ? (mt?.cpuPlatform ?? 'Intel Broadwell') : 'Unknown CPU Platform',
    labels: vm.labels,
    labelFingerprint: fingerprint,
    startRestricted: false,
    deletionProtection: false,
    shieldedInstanceConfig: { enableSecureBoot: false, enableVtpm: true, enableIntegrityMonitoring: true },
    fingerprint,
    lastStartTimestamp: vm.lastStartTimestamp,
    ...(vm.status === 'TERMINATED' ? { lastStopTimestamp: pacificTimestamp(SIM_EPOCH - 3_600_000) } : {}),
    ...(vm.status === 'SUSPENDED' ? { lastSuspendedTimestamp: pacificTimestamp(SIM_EPOCH - 7_200_000) } : {}),
    // A2, A3 and G2 list their built-in GPUs here too, as the real API does.
    ...(vm.acceleratorType
      ? {
          guestAccelerators: [
            { acceleratorType: `${zoneUrl}/acceleratorTypes/${vm.acceleratorType}`, acceleratorCount: vm.acceleratorCount },
          ],
        }
      : {}),
    satisfiesPzi: true,
  };
}

/** The `compute#machineType` body. */
export function machineTypeBody(projectId: string, zone: string, mt: GcpMachineType): Record<string, unknown> {
  return {
    kind: 'compute#machineType',
    id: mt.id,
    // Compute really answers the Unix epoch in Pacific time for every predefined machine type.
    creationTimestamp: '1969-12-31T16:00:00.000-08:00',
    name: mt.name,
    description: mt.description,
    guestCpus: mt.guestCpus,
    memoryMb: mt.memoryMb,
    imageSpaceGb: 0,
    maximumPersistentDisks: mt.maximumPersistentDisks,
    maximumPersistentDisksSizeGb: '263168',
    zone,
    selfLink: `${COMPUTE}/projects/${projectId}/zones/${zone}/machineTypes/${mt.name}`,
    isSharedCpu: mt.isSharedCpu,
    ...(mt.builtIn ? { accelerators: [{ guestAcceleratorType: mt.builtIn.type, guestAcceleratorCount: mt.builtIn.count }] } : {}),
    architecture: mt.architecture ?? 'X86_64',
  };
}
