// The simulated RunPod account's Instant Clusters and network volumes, in REST v2's shapes (runpod/docs
// api-reference-v2/openapi.json: Cluster, PodCluster, NetworkVolume, Mounts). Cluster member pods are ordinary pods
// with a `cluster` block; `GET /v2/pods` leaves them out unless `includeClusterPods=true` (listPods description).
// Deterministic from the seed.
import { buildPod, DATA_CENTERS, type SimGpuType, type SimPod } from './runpod-data';
import { Rng, SIM_EPOCH } from './seed';

export interface SimCluster {
  id: string;
  name: string;
  type: 'APPLICATION' | 'TRAINING' | 'SLURM' | 'RAY';
  compute: { gpuTypeId: string; gpuCountPerPod: number; podCount: number };
  dataCenterId?: string;
  pods: { total: number; byStatus: Record<string, number> };
  createdAt: string;
}

export interface SimNetworkVolume {
  id: string;
  name: string;
  /** Allocated GB, 10–4096. */
  size: number;
  dataCenter: string;
  type: 'STANDARD' | 'HIGH_PERFORMANCE';
}

/** A cluster of `podCount` identical pods (8 GPUs each by default), all RUNNING, billed per pod. */
export function buildCluster(
  rng: Rng,
  catalog: readonly SimGpuType[],
  o: { podCount: number; gpuTypeId?: string; gpusPerPod?: number },
): { cluster: SimCluster; pods: SimPod[] } {
  const gpuTypeId = o.gpuTypeId ?? 'NVIDIA H100 80GB HBM3';
  const gpus = o.gpusPerPod ?? 8;
  const price = catalog.find((g) => g.id === gpuTypeId)?.price.secure ?? 2.99;
  const dataCenter = rng.pick(DATA_CENTERS).id;
  const id = `cluster_${rng.id('', 10)}`;
  const pods = Array.from({ length: o.podCount }, (_, rank) =>
    buildPod({
      id: rng.id('', 14),
      name: `${id}-node-${rank}`,
      status: 'RUNNING',
      gpuId: gpuTypeId,
      gpuCount: gpus,
      cost: Math.round(price * gpus * 1000) / 1000,
      gpuUtil: Array.from({ length: gpus }, () => rng.int(40, 100)),
      dataCenterId: dataCenter,
      cluster: { id, rank, ip: `10.65.0.${rank + 2}` },
      volumeGb: 0, // cluster pods share network storage, not host disks
      createdAt: rng.timestamp(10),
    }),
  );
  const cluster: SimCluster = {
    id,
    name: `train-${rng.id('', 4)}`,
    type: 'TRAINING',
    compute: { gpuTypeId, gpuCountPerPod: gpus, podCount: o.podCount },
    dataCenterId: dataCenter,
    pods: { total: o.podCount, byStatus: { RUNNING: o.podCount } },
    createdAt: rng.timestamp(10, SIM_EPOCH),
  };
  return { cluster, pods };
}

/** `count` network volumes: standard ones (one past the 1 TB price tier) and a high-performance one. */
export function generateNetworkVolumes(rng: Rng, count: number): SimNetworkVolume[] {
  return Array.from({ length: count }, (_, i): SimNetworkVolume => ({
    id: rng.id('', 8),
    name: i === 0 ? 'datasets' : `${rng.pick(['models', 'checkpoints', 'cache'])}-${i}`,
    size: i === 1 ? 2048 : rng.pick([10, 50, 100, 500]),
    dataCenter: rng.pick(DATA_CENTERS).id,
    type: i === 2 ? 'HIGH_PERFORMANCE' : 'STANDARD',
  }));
}
