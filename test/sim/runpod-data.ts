// The simulated RunPod account: pods, Serverless endpoints and the GPU catalog in REST v2's shapes
// (runpod/docs api-reference-v2/openapi.json). Deterministic from the seed; tests may also replace any list
// with exact pods built by `buildPod`, so sums over them are known in advance.
import { applyHostileNames, nullOut } from './hostile';
import { gpuCount, Rng, SIM_EPOCH, type GpuMix } from './seed';

export type PodStatus = 'PROVISIONING' | 'STARTING' | 'RUNNING' | 'EXITED' | 'ERROR' | 'TERMINATED';
export type Tier = 'SECURE' | 'COMMUNITY';
export type Level = 'HIGH' | 'MEDIUM' | 'LOW' | 'NONE';

/** A RunPod GPU type: its catalog id (what pods carry in `gpu.id`) and the key Cloudtop should normalize it to. */
export interface RunpodGpuModel {
  readonly key: string;
  readonly id: string;
  readonly name: string;
  readonly pool: string | null;
  readonly memory: number;
  /** Secure Cloud USD per GPU-hour range; Community is ~70% of it. */
  readonly secure: readonly [number, number];
  readonly community: boolean;
}

export const RUNPOD_GPUS: readonly RunpodGpuModel[] = [
  {
    key: 'RTX-4090-24GB',
    id: 'NVIDIA GeForce RTX 4090',
    name: 'RTX 4090',
    pool: 'ADA_24',
    memory: 24,
    secure: [0.59, 0.69],
    community: true,
  },
  {
    key: 'RTX-3090-24GB',
    id: 'NVIDIA GeForce RTX 3090',
    name: 'RTX 3090',
    pool: 'AMPERE_24',
    memory: 24,
    secure: [0.43, 0.46],
    community: true,
  },
  {
    key: 'RTX-A6000-48GB',
    id: 'NVIDIA RTX A6000',
    name: 'RTX A6000',
    pool: 'AMPERE_48',
    memory: 48,
    secure: [0.49, 0.76],
    community: true,
  },
  {
    key: 'RTX-6000-ADA-48GB',
    id: 'NVIDIA RTX 6000 Ada Generation',
    name: 'RTX 6000 Ada',
    pool: 'ADA_48_PRO',
    memory: 48,
    secure: [0.77, 0.88],
    community: true,
  },
  { key: 'L40S-48GB', id: 'NVIDIA L40S', name: 'L40S', pool: 'ADA_48_PRO', memory: 48, secure: [0.86, 0.99], community: true },
  { key: 'L4-24GB', id: 'NVIDIA L4', name: 'L4', pool: 'ADA_24', memory: 24, secure: [0.43, 0.48], community: false },
  { key: 'A40-48GB', id: 'NVIDIA A40', name: 'A40', pool: 'AMPERE_48', memory: 48, secure: [0.4, 0.44], community: true },
  {
    key: 'A100-PCIe-80GB',
    id: 'NVIDIA A100 80GB PCIe',
    name: 'A100 PCIe',
    pool: 'AMPERE_80',
    memory: 80,
    secure: [1.64, 1.89],
    community: true,
  },
  {
    key: 'A100-SXM-80GB',
    id: 'NVIDIA A100-SXM4-80GB',
    name: 'A100 SXM',
    pool: 'AMPERE_80',
    memory: 80,
    secure: [1.74, 1.99],
    community: true,
  },
  {
    key: 'H100-PCIe-80GB',
    id: 'NVIDIA H100 PCIe',
    name: 'H100 PCIe',
    pool: 'HOPPER_141',
    memory: 80,
    secure: [2.39, 2.59],
    community: true,
  },
  {
    key: 'H100-SXM-80GB',
    id: 'NVIDIA H100 80GB HBM3',
    name: 'H100 SXM',
    pool: 'HOPPER_141',
    memory: 80,
    secure: [2.69, 2.99],
    community: true,
  },
  { key: 'H100-NVL-94GB', id: 'NVIDIA H100 NVL', name: 'H100 NVL', pool: 'HOPPER_141', memory: 94, secure: [2.59, 2.79], community: false },
  { key: 'H200-141GB', id: 'NVIDIA H200', name: 'H200', pool: 'HOPPER_141', memory: 141, secure: [3.59, 3.99], community: false },
  {
    key: 'V100-SXM-32GB',
    id: 'Tesla V100-SXM2-32GB',
    name: 'V100 SXM2 32GB',
    pool: null,
    memory: 32,
    secure: [0.39, 0.45],
    community: true,
  },
  { key: 'MI300X-192GB', id: 'AMD Instinct MI300X OAM', name: 'MI300X', pool: null, memory: 192, secure: [2.49, 2.99], community: false },
  // Newer than Cloudtop's GPU table: only the catalog's `memory` completes its key.
  { key: 'B300-288GB', id: 'NVIDIA B300', name: 'B300', pool: null, memory: 288, secure: [5.49, 5.99], community: false },
];

export const DEFAULT_RUNPOD_MIX: GpuMix = {
  'RTX-4090-24GB': 6,
  'RTX-3090-24GB': 2,
  'RTX-A6000-48GB': 3,
  'RTX-6000-ADA-48GB': 1,
  'L40S-48GB': 2,
  'L4-24GB': 1,
  'A40-48GB': 2,
  'A100-PCIe-80GB': 2,
  'A100-SXM-80GB': 2,
  'H100-PCIe-80GB': 1,
  'H100-SXM-80GB': 3,
  'H100-NVL-94GB': 1,
  'H200-141GB': 1,
  'V100-SXM-32GB': 1,
  'MI300X-192GB': 1,
  'B300-288GB': 1,
};

export const DATA_CENTERS: readonly { id: string; name: string; region: string }[] = [
  { id: 'US-KS-2', name: 'US Kansas 2', region: 'NORTH_AMERICA' },
  { id: 'US-TX-3', name: 'US Texas 3', region: 'NORTH_AMERICA' },
  { id: 'US-CA-2', name: 'US California 2', region: 'NORTH_AMERICA' },
  { id: 'CA-MTL-1', name: 'CA Montreal 1', region: 'NORTH_AMERICA' },
  { id: 'EU-RO-1', name: 'EU Romania 1', region: 'EUROPE' },
  { id: 'EU-SE-1', name: 'EU Sweden 1', region: 'EUROPE' },
];

export interface SimPod {
  id: string;
  name: string;
  image: string;
  args: string;
  status: PodStatus;
  actions: string[];
  disk: number;
  /** At most one of the two (the v2 Mounts schema): host-local `persistent` GB, or one network volume. */
  mounts: { persistent?: { size: number; path: string }; network?: { volumeId: string; path: string }[] };
  /** Instant Cluster membership (PodCluster); omitted from a standalone pod. */
  cluster?: SimPodCluster;
  ports: string[];
  env: Record<string, string>;
  registry: null;
  gpu?: { id: string; count: number };
  cpu?: { id: string; vcpuCount: number; memory: number };
  cloud: Tier;
  dataCenterId: string | null;
  cudaVersion: string | null;
  ssh: { proxy: SshEndpoint | null; direct: SshEndpoint | null };
  template: string | null;
  /** USD per hour; 0 when EXITED or TERMINATED. A numeric string on some pods (the v1 spec's example form). */
  cost: number | string;
  locked: boolean;
  globalNetworking: { enabled: boolean };
  runtime: SimRuntime | null;
  createdAt: string;
  startedAt: string | null;
}

export interface SshEndpoint {
  host: string;
  port: number;
  username: string;
  command: string;
}
export interface SimPodCluster {
  id: string;
  rank: number | null;
  role?: 'SLURM_CONTROLLER' | 'SLURM_COMPUTE' | 'RAY_HEAD' | 'RAY_WORKER';
  ip?: string;
}

export interface SimRuntime {
  uptime: number;
  gpus?: { util: number; memoryUtil: number }[];
  cpu: { util: number };
  memory: { util: number };
  ports: { private: number; public: number | null; type: string; ip: string | null }[];
}

export interface PodSpec {
  readonly id: string;
  readonly name?: string;
  readonly status: PodStatus;
  /** Catalog id, e.g. "NVIDIA GeForce RTX 4090"; absent → a CPU pod. */
  readonly gpuId?: string;
  readonly gpuCount?: number;
  /** USD per hour as the API sends it (number or string). Default 0. */
  readonly cost?: number | string;
  /** Per-GPU utilization, used while RUNNING; default 50 on every GPU. */
  readonly gpuUtil?: readonly number[];
  readonly gpuMemoryUtil?: readonly number[];
  readonly cpuUtil?: number;
  readonly memoryUtil?: number;
  readonly cloud?: Tier;
  readonly dataCenterId?: string | null;
  readonly ip?: string;
  readonly sshPort?: number;
  readonly createdAt?: string;
  /** Host-local volume disk in GB (default 20); 0 for none. Ignored with a network volume. */
  readonly volumeGb?: number;
  readonly networkVolumeId?: string;
  readonly cluster?: SimPodCluster;
}

/** The pod's `actions` per status, as openapi.json's podAction lists them ("PROVISIONING and STARTING allow stop/terminate"). */
const ACTIONS: Record<PodStatus, string[]> = {
  PROVISIONING: ['stop', 'terminate'],
  STARTING: ['stop', 'terminate'],
  RUNNING: ['stop', 'restart', 'terminate'],
  EXITED: ['start', 'terminate'],
  ERROR: ['start', 'terminate'],
  TERMINATED: [],
};

/** One pod in v2's shape, with the quirks that follow from its status (runtime, ssh.direct, cost). */
export function buildPod(spec: PodSpec): SimPod {
  const running = spec.status === 'RUNNING';
  const count = spec.gpuId ? (spec.gpuCount ?? 1) : 0;
  const ip = spec.ip ?? '195.26.233.3';
  const sshPort = spec.sshPort ?? 34446;
  const at = (i: number, list: readonly number[] | undefined, fallback: number) => list?.[i] ?? list?.[0] ?? fallback;
  const runtime: SimRuntime | null = running
    ? {
        uptime: 3600,
        ...(spec.gpuId
          ? {
              gpus: Array.from({ length: count }, (_, i) => ({ util: at(i, spec.gpuUtil, 50), memoryUtil: at(i, spec.gpuMemoryUtil, 40) })),
            }
          : {}),
        cpu: { util: spec.cpuUtil ?? 20 },
        memory: { util: spec.memoryUtil ?? 30 },
        ports: [
          { private: 22, public: sshPort, type: 'tcp', ip },
          { private: 8888, public: null, type: 'http', ip: null },
        ],
      }
    : null;
  const user = `${spec.id}-64411eb2`;
  return {
    id: spec.id,
    name: spec.name ?? spec.id,
    image: spec.gpuId ? 'runpod/pytorch:1.0.2-cu1281-torch280-ubuntu2404' : 'runpod/base:0.7.0-ubuntu2404',
    args: '',
    status: spec.status,
    actions: ACTIONS[spec.status],
    disk: 50,
    mounts: spec.networkVolumeId
      ? { network: [{ volumeId: spec.networkVolumeId, path: '/runpod-volume' }] }
      : (spec.volumeGb ?? 20) > 0
        ? { persistent: { size: spec.volumeGb ?? 20, path: '/workspace' } }
        : {},
    ...(spec.cluster ? { cluster: spec.cluster } : {}),
    ports: ['8888/http', '22/tcp'],
    env: {},
    registry: null,
    ...(spec.gpuId ? { gpu: { id: spec.gpuId, count } } : { cpu: { id: 'cpu3c', vcpuCount: 4, memory: 8 } }),
    cloud: spec.cloud ?? 'SECURE',
    dataCenterId: spec.dataCenterId === undefined ? 'US-KS-2' : spec.dataCenterId,
    cudaVersion: spec.gpuId ? '12.8' : null,
    ssh: {
      proxy:
        spec.status === 'PROVISIONING' ? null : { host: 'ssh.runpod.io', port: 22, username: user, command: `ssh ${user}@ssh.runpod.io` },
      direct: running ? { host: ip, port: sshPort, username: 'root', command: `ssh root@${ip} -p ${sshPort}` } : null,
    },
    template: null,
    cost: spec.cost ?? 0,
    locked: false,
    globalNetworking: { enabled: false },
    runtime,
    createdAt: spec.createdAt ?? '2026-06-01T12:00:00Z',
    startedAt: spec.status === 'PROVISIONING' ? null : '2026-06-01T12:02:00Z',
  };
}

export interface SimGpuType {
  id: string;
  name: string;
  pool: string | null;
  manufacturer: 'NVIDIA' | 'AMD';
  memory: number;
  secure: boolean;
  community: boolean;
  price: { secure: number; community: number; serverless?: number };
  maxCount: { secure: number; community: number };
}

export function createCatalog(rng: Rng): { gpus: SimGpuType[]; availability: Record<Tier, Record<string, Level>> } {
  const availability: Record<Tier, Record<string, Level>> = { SECURE: {}, COMMUNITY: {} };
  const levels: readonly (readonly [Level, number])[] = [
    ['HIGH', 4],
    ['MEDIUM', 3],
    ['LOW', 2],
    ['NONE', 1],
  ];
  const gpus = RUNPOD_GPUS.map((g): SimGpuType => {
    const secure = rng.float(g.secure[0], g.secure[1], 2);
    const community = g.community ? Math.round(secure * rng.float(0.6, 0.8, 2) * 100) / 100 : 0;
    availability.SECURE[g.id] = rng.weighted(levels);
    availability.COMMUNITY[g.id] = g.community ? rng.weighted(levels) : 'NONE';
    return {
      id: g.id,
      name: g.name,
      pool: g.pool,
      manufacturer: g.id.startsWith('AMD') ? 'AMD' : 'NVIDIA',
      memory: g.memory,
      secure: true,
      community: g.community,
      // Not sold in Community Cloud: price 0 there (the schema requires a number). UNCONFIRMED against the live API.
      price: { secure, community, ...(g.pool ? { serverless: Math.round(secure * 2.2 * 100) / 100 } : {}) },
      maxCount: { secure: 8, community: g.community ? 4 : 0 },
    };
  });
  return { gpus, availability };
}

export interface GeneratedPodsOptions {
  readonly count: number;
  readonly gpuMix: GpuMix;
  readonly gpuShare: number;
  /** Share of pods whose `cost` is a numeric string. */
  readonly costStringShare: number;
  readonly hostile: boolean;
}

export function generatePods(rng: Rng, catalog: readonly SimGpuType[], o: GeneratedPodsOptions): SimPod[] {
  const models = RUNPOD_GPUS.map((g) => [g, o.gpuMix[g.key] ?? 0] as const).filter(([, w]) => w > 0);
  const pods: SimPod[] = [];
  for (let i = 0; i < o.count; i++) {
    const status = rng.weighted<PodStatus>([
      ['RUNNING', 60],
      ['EXITED', 20],
      ['STARTING', 6],
      ['PROVISIONING', 5],
      ['ERROR', 5],
      ['TERMINATED', 4],
    ]);
    const model = models.length > 0 && rng.chance(o.gpuShare) ? rng.weighted(models) : undefined;
    const count = model ? gpuCount(rng) : 0;
    const cloud: Tier = model?.community && rng.chance(0.4) ? 'COMMUNITY' : 'SECURE';
    const type = model ? catalog.find((g) => g.id === model.id) : undefined;
    const rate = type ? (cloud === 'SECURE' ? type.price.secure : type.price.community) * count : 0.06 * 4;
    const billed = status === 'EXITED' || status === 'TERMINATED' ? 0 : Math.round(rate * 1000) / 1000;
    const idle = rng.chance(0.15);
    const gpuUtil = Array.from({ length: count }, () => (idle ? rng.int(0, 3) : rng.int(5, 100)));
    pods.push(
      buildPod({
        id: rng.id('', 14),
        name: rng.name(),
        status,
        ...(model ? { gpuId: model.id, gpuCount: count } : {}),
        cost: rng.chance(o.costStringShare) ? billed.toFixed(3) : billed,
        gpuUtil,
        gpuMemoryUtil: gpuUtil.map(() => rng.int(0, 100)),
        cpuUtil: rng.int(1, 100),
        memoryUtil: rng.int(5, 95),
        cloud,
        dataCenterId: rng.pick(DATA_CENTERS).id,
        ip: `195.26.${rng.int(0, 255)}.${rng.int(1, 254)}`,
        sshPort: rng.int(10000, 60000),
        createdAt: rng.timestamp(),
      }),
    );
  }
  if (o.hostile) {
    applyHostileNames(pods);
    nullOut(pods, ['dataCenterId', 'cudaVersion'], 5);
  }
  return pods;
}

export interface SimEndpoint {
  id: string;
  name: string;
  type: 'QUEUE' | 'LOAD_BALANCER';
  image: string;
  gpu: { pools: string[]; count: number; allowedCudaVersions: string[]; minCudaVersion: string | null } | null;
  cpu?: { id: string; vcpuCount: number; memory: number }[];
  workers: { min: number; max: number; idleTimeout?: number };
  scaling: { type: 'QUEUE_DELAY'; queueDelay: number } | { type: 'REQUEST_COUNT'; requestCount: number };
  dataCenterIds: string[];
  networkVolumes: string[];
  timeout: number;
  flashboot: 'OFF' | 'FLASHBOOT' | 'PRIORITY_FLASHBOOT';
  createdAt: string;
}

/** Every third endpoint is a paused CPU endpoint (workers.max 0); the others draw on GPU pools. */
export function generateEndpoints(rng: Rng, count: number, hostile: boolean): SimEndpoint[] {
  const pools = [...new Set(RUNPOD_GPUS.map((g) => g.pool).filter((p): p is string => p !== null))];
  const endpoints: SimEndpoint[] = [];
  for (let i = 0; i < count; i++) {
    const cpuOnly = i % 3 === 2;
    const min = cpuOnly ? 0 : rng.int(0, 2);
    endpoints.push({
      id: rng.id('', 8),
      name: rng.name(),
      type: rng.chance(0.8) ? 'QUEUE' : 'LOAD_BALANCER',
      image: 'runpod/worker-vllm:2.7.0',
      gpu: cpuOnly ? null : { pools: [rng.pick(pools)], count: rng.pick([1, 1, 2]), allowedCudaVersions: [], minCudaVersion: null },
      ...(cpuOnly ? { cpu: [{ id: 'cpu3c', vcpuCount: 2, memory: 4 }] } : {}),
      workers: { min, max: cpuOnly ? 0 : min + rng.int(1, 5), idleTimeout: 5 },
      scaling: { type: 'QUEUE_DELAY', queueDelay: 4 },
      dataCenterIds: i % 2 === 0 ? [rng.pick(DATA_CENTERS).id] : DATA_CENTERS.slice(0, 3).map((d) => d.id),
      networkVolumes: [],
      timeout: 300_000,
      flashboot: rng.chance(0.5) ? 'FLASHBOOT' : 'OFF',
      createdAt: rng.timestamp(60, SIM_EPOCH),
    });
  }
  if (hostile) applyHostileNames(endpoints);
  return endpoints;
}
