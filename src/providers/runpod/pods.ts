// RunPod pods → Resources and their live metrics. The metrics come from the pod list itself (`runtime`), so a
// refresh needs no metrics call at all.
import { normalizeGpu } from '../../core/model/gpu';
import type { GpuSpec, Resource, ResourceMetrics, ResourceStatus, Stat } from '../../core/model/model';
import type { WirePod } from './api';
import { stoppedPodStoragePerHour } from './volumes';

export const PODS_SERVICE = 'Pods';
const CONSOLE = 'https://console.runpod.io';

const STATUS: Readonly<Record<string, ResourceStatus>> = {
  PROVISIONING: 'starting',
  STARTING: 'starting',
  RUNNING: 'running',
  EXITED: 'stopped',
  ERROR: 'error',
  // Permanently deleted; the list may still show it for a while.
  TERMINATED: 'stopped',
};

export function podStatus(raw: unknown): ResourceStatus {
  return typeof raw === 'string' ? (STATUS[raw.toUpperCase()] ?? 'unknown') : 'unknown';
}

/** USD from a number or a numeric string ("0.74"); anything else (null, "", "n/a", negative) is unknown. */
export function parseUsd(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

export interface PodMappingContext {
  readonly account: string;
  /** VRAM per GPU type id from the catalog, GB; a name the catalog does not list falls back to normalizeGpu's sizes. */
  readonly gpuMemory: ReadonlyMap<string, number>;
  /** Instant Cluster names by id (`GET /v2/clusters`); a cluster missing here is shown by its id. */
  readonly clusterNames?: ReadonlyMap<string, string>;
}

export function mapPod(pod: WirePod, ctx: PodMappingContext): Resource {
  const status = podStatus(pod.status);
  const cost = parseUsd(pod.cost);
  const gpu = podGpu(pod, ctx.gpuMemory);
  const ssh = podSsh(pod);
  const details = podDetails(pod);
  const storage = stoppedPodStoragePerHour(pod);
  const cluster = clusterOf(pod, ctx.clusterNames);
  if (cluster) Object.assign(details, cluster.details);
  return {
    id: pod.id,
    cloud: 'runpod',
    account: ctx.account,
    kind: gpu ? 'gpu-instance' : 'instance',
    service: PODS_SERVICE,
    name: typeof pod.name === 'string' && pod.name !== '' ? pod.name : pod.id,
    ...(typeof pod.dataCenterId === 'string' && pod.dataCenterId !== '' ? { region: pod.dataCenterId } : {}),
    status,
    ...(typeof pod.status === 'string' ? { rawStatus: pod.status } : {}),
    ...(typeof pod.createdAt === 'string' ? { createdAt: pod.createdAt } : {}),
    // `cost` is 0 once a pod stops: that is not what it costs while it runs, so a stopped pod gets no price.
    ...(cost !== undefined && (cost > 0 || status === 'running') ? { pricePerHour: cost } : {}),
    // Its volume disk, billed while the pod is stopped (volumes.ts): what a stopped pod keeps paying.
    ...(storage !== undefined ? { storagePricePerHour: storage } : {}),
    ...(gpu ? { gpu } : {}),
    consoleUrl: `${CONSOLE}/pods?id=${encodeURIComponent(pod.id)}`,
    ...(ssh ? { ssh } : {}),
    ...(cluster ? { note: `cluster ${cluster.name}` } : {}),
    ...(Object.keys(details).length > 0 ? { details } : {}),
  };
}

/** The Instant Cluster a member pod belongs to: its name (else its id), and its rank and role there. */
function clusterOf(
  pod: WirePod,
  names: ReadonlyMap<string, string> | undefined,
): { name: string; details: Record<string, string | number> } | undefined {
  const id = pod.cluster?.id;
  if (typeof id !== 'string' || id === '') return undefined;
  const name = names?.get(id) ?? id;
  const details: Record<string, string | number> = { cluster: name, clusterId: id };
  if (typeof pod.cluster?.rank === 'number') details.clusterRank = pod.cluster.rank;
  if (typeof pod.cluster?.role === 'string' && pod.cluster.role !== '') details.clusterRole = pod.cluster.role;
  return { name, details };
}

function podGpu(pod: WirePod, memory: ReadonlyMap<string, number>): GpuSpec | undefined {
  const id = pod.gpu?.id;
  if (typeof id !== 'string' || id === '') return undefined;
  const count = typeof pod.gpu?.count === 'number' && pod.gpu.count >= 1 ? Math.floor(pod.gpu.count) : 1;
  const identity = normalizeGpu(id, memory.get(id));
  return { key: identity.key, model: id, count, ...(identity.memoryGb !== undefined ? { memoryGb: identity.memoryGb } : {}) };
}

/**
 * `ssh.direct` (host, port, user), else the runtime's public mapping of private port 22/tcp, as root: RunPod's own
 * command for it is `ssh root@<ip> -p <port>` (https://docs.runpod.io/pods/configuration/use-ssh). The proxy is not a
 * TCP endpoint a client can use for everything, so it stays out.
 */
function podSsh(pod: WirePod): Resource['ssh'] {
  const direct = pod.ssh?.direct;
  if (direct && typeof direct.host === 'string' && direct.host !== '' && validPort(direct.port)) {
    return {
      host: direct.host,
      port: direct.port,
      user: typeof direct.username === 'string' && direct.username !== '' ? direct.username : 'root',
    };
  }
  const mapped = pod.runtime?.ports?.find(
    (p) => p?.private === 22 && p.type?.toLowerCase() === 'tcp' && typeof p.ip === 'string' && p.ip !== '' && validPort(p.public),
  );
  return mapped ? { host: mapped.ip!, port: mapped.public!, user: 'root' } : undefined;
}

function validPort(port: unknown): port is number {
  return typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536;
}

function podDetails(pod: WirePod): Record<string, string | number | boolean> {
  const d: Record<string, string | number | boolean> = {};
  if (typeof pod.cloud === 'string')
    d.cloud = pod.cloud === 'SECURE' ? 'Secure Cloud' : pod.cloud === 'COMMUNITY' ? 'Community Cloud' : pod.cloud;
  if (typeof pod.image === 'string' && pod.image !== '') d.image = pod.image;
  if (typeof pod.cudaVersion === 'string') d.cudaVersion = pod.cudaVersion;
  if (typeof pod.runtime?.uptime === 'number') d.uptimeSec = pod.runtime.uptime;
  if (typeof pod.cpu?.id === 'string') d.cpuFlavor = pod.cpu.id;
  if (typeof pod.cpu?.vcpuCount === 'number') d.vcpus = pod.cpu.vcpuCount;
  if (typeof pod.cpu?.memory === 'number') d.memoryGb = pod.cpu.memory;
  if (typeof pod.ssh?.proxy?.command === 'string') d.sshProxy = pod.ssh.proxy.command;
  if (pod.locked === true) d.locked = true;
  const volumeGb = pod.mounts?.persistent?.size;
  if (typeof volumeGb === 'number' && volumeGb > 0) d.volumeGb = volumeGb;
  const network = Array.isArray(pod.mounts?.network)
    ? pod.mounts.network.map((m) => m?.volumeId).filter((v): v is string => typeof v === 'string')
    : [];
  if (network.length > 0) d.networkVolume = network.join(', ');
  return d;
}

/**
 * The pod's metrics from `runtime` (null unless RUNNING → no metrics at all: absent, never 0; a runtime on a pod
 * that is not RUNNING would be stale, so it is ignored too).
 *
 * `runtime` is one instantaneous sample, not a series over the window, so a single value such as CPU % is
 * avg = max = min. Per-GPU values are aggregated across the pod's GPUs: avg is their mean, max the busiest GPU,
 * min the least busy. So a pod counts as idle (max under the threshold) only when every GPU is idle.
 */
export function podMetrics(pod: Pick<WirePod, 'status' | 'runtime'>): ResourceMetrics | undefined {
  const runtime = pod.runtime;
  if (podStatus(pod.status) !== 'running' || !runtime || typeof runtime !== 'object') return undefined;
  const cpu = stat([runtime.cpu?.util]);
  const memory = stat([runtime.memory?.util]);
  const gpus = Array.isArray(runtime.gpus) ? runtime.gpus : [];
  const gpuUtil = stat(gpus.map((g) => g?.util));
  const gpuMemory = stat(gpus.map((g) => g?.memoryUtil));
  const compute = { ...(cpu ? { cpuPercent: cpu } : {}), ...(memory ? { memoryPercent: memory } : {}) };
  const gpu = { ...(gpuUtil ? { utilizationPercent: gpuUtil } : {}), ...(gpuMemory ? { memoryPercent: gpuMemory } : {}) };
  const metrics: ResourceMetrics = {
    ...(Object.keys(compute).length > 0 ? { compute } : {}),
    ...(Object.keys(gpu).length > 0 ? { gpu } : {}),
  };
  return Object.keys(metrics).length > 0 ? metrics : undefined;
}

/** Percentages that are numbers, clamped to 0–100; none → undefined. */
function stat(values: readonly unknown[]): Stat | undefined {
  const points = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).map((v) => Math.min(100, Math.max(0, v)));
  if (points.length === 0) return undefined;
  return { avg: points.reduce((a, b) => a + b, 0) / points.length, max: Math.max(...points), min: Math.min(...points) };
}
