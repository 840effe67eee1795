// Seeded Vast.ai data with the shapes and values of the docs' examples (show_instances.yaml, show_instance.yaml,
// search_offers.yaml): integer ids, gpu_ram in MB with the irregular sizes hosts report (81559 for an H100),
// gpu_temp floats like 38.999981, unix-second floats for dates, null actual_status while provisioning, nulls in
// the fields the docs mark nullable, and prices that add up the way Vast.ai's do (dph_total = dph_base + disk $/h,
// disk $/h = storage_cost $/GB/month × GB / 720).
import { HOSTILE_NAMES, hostileName } from './hostile';
import { DEFAULT_GPU_MIX, gpuCount, gpuPrice, pickGpu, Rng, SIM_EPOCH, type GpuMix, type GpuModel } from './seed';

/** An instance row, as the v1 and v0 lists return it (a representative subset of the documented fields). */
export interface VastSimInstance {
  id: number;
  actual_status: string | null;
  intended_status: string;
  cur_state: string;
  next_state: string;
  label: string | null;
  machine_id: number;
  host_id: number;
  num_gpus: number;
  gpu_name: string;
  gpu_ram: number;
  gpu_totalram: number;
  gpu_util: number | null;
  gpu_temp: number | null;
  gpu_frac: number;
  cpu_name: string;
  cpu_cores: number;
  cpu_cores_effective: number;
  cpu_ram: number;
  cpu_util: number;
  mem_limit: number | null;
  mem_usage: number | null;
  vmem_usage: number | null;
  disk_space: number;
  disk_usage: number;
  disk_util: number;
  inet_up: number;
  inet_down: number;
  dph_base: number;
  dph_total: number;
  storage_cost: number;
  storage_total_cost: number;
  vram_costperhour: number;
  min_bid: number;
  is_bid: boolean;
  search: Record<string, number>;
  instance: Record<string, number>;
  credit_balance: number | null;
  credit_discount: number | null;
  start_date: number;
  end_date: number;
  uptime_mins: number | null;
  duration: number;
  image_uuid: string;
  ssh_host: string;
  ssh_port: number;
  public_ipaddr: string;
  geolocation: string;
  reliability2: number;
  verification: string;
  status_msg: string | null;
  extra_env: string[][];
  ports: Record<string, { HostIp: string; HostPort: string }[]> | null;
  time_remaining: string;
  volume_info: unknown[];
}

/** A machine on the market. `dph_total` and `search` are computed per search from the requested type and storage. */
export interface VastSimOffer {
  id: number;
  ask_contract_id: number;
  machine_id: number;
  host_id: number;
  gpu_name: string;
  num_gpus: number;
  gpu_ram: number;
  gpu_total_ram: number;
  cpu_cores_effective: number;
  cpu_ram: number;
  disk_space: number;
  dph_base: number;
  min_bid: number;
  storage_cost: number;
  inet_up: number;
  inet_down: number;
  inet_up_cost: number;
  inet_down_cost: number;
  reliability2: number;
  verification: string;
  verified: boolean;
  rentable: boolean;
  rented: boolean;
  external: boolean;
  geolocation: string;
  score: number;
}

/** How each seeded GPU model is spelled on Vast.ai, with the MB its hosts report. */
export const VAST_GPUS: Readonly<Record<string, { readonly name: string; readonly ramMb: number }>> = {
  'RTX-4090-24GB': { name: 'RTX 4090', ramMb: 24564 },
  'RTX-3090-24GB': { name: 'RTX 3090', ramMb: 24576 },
  'RTX-A6000-48GB': { name: 'RTX A6000', ramMb: 49140 },
  'A40-48GB': { name: 'A40', ramMb: 46068 },
  'L40S-48GB': { name: 'L40S', ramMb: 46068 },
  'L4-24GB': { name: 'L4', ramMb: 23034 },
  'A10-24GB': { name: 'A10', ramMb: 23028 },
  'V100-16GB': { name: 'Tesla V100', ramMb: 16384 },
  'V100-32GB': { name: 'Tesla V100', ramMb: 32768 },
  'A100-SXM-40GB': { name: 'A100 SXM4', ramMb: 40960 },
  'A100-SXM-80GB': { name: 'A100 SXM4', ramMb: 81920 },
  'A100-PCIe-80GB': { name: 'A100 PCIE', ramMb: 81920 },
  'H100-PCIe-80GB': { name: 'H100 PCIE', ramMb: 81559 },
  'H100-SXM-80GB': { name: 'H100 SXM', ramMb: 81559 },
  'H100-NVL-94GB': { name: 'H100 NVL', ramMb: 95830 },
  'H200-141GB': { name: 'H200', ramMb: 143771 },
};

const GEOLOCATIONS = [
  'California, United States',
  'Texas, US',
  'Quebec, CA',
  'Norway, NO',
  'Czechia, CZ',
  'Taiwan, TW',
  'Sweden, SE',
  'Spain, ES',
  'Japan, JP',
];
const IMAGES = [
  'pytorch/pytorch:2.4.0-cuda12.4-cudnn9-runtime',
  'vllm/vllm-openai:latest',
  'nvidia/cuda:12.4.1-devel-ubuntu22.04',
  'vastai/comfy:latest',
];
const CPUS = ['AMD EPYC 7B13 64-Core Processor', 'Xeon® Gold 6338', 'Core™ i9-13900K', 'AMD Ryzen 9 7950X 16-Core Processor'];

/**
 * [actual_status, intended_status] weights: mostly running, plus every transitional and broken state, with the
 * documented words of vast-ai/docs cli/reference/show-instances-v1.mdx: `frozen` (paused, memory kept, GPU still
 * billed; intended `frozen`) and `rebooting`.
 */
const STATES: readonly (readonly [readonly [string | null, string], number])[] = [
  [['running', 'running'], 58],
  [['exited', 'stopped'], 12],
  [['loading', 'running'], 7],
  [[null, 'running'], 5],
  [['created', 'running'], 3],
  [['exited', 'running'], 3],
  [['running', 'stopped'], 2],
  [['offline', 'running'], 2],
  [['unknown', 'running'], 2],
  [['stopped', 'stopped'], 2],
  [['frozen', 'frozen'], 3],
  [['rebooting', 'running'], 1],
];

const round = (n: number, d: number): number => Math.round(n * 10 ** d) / 10 ** d;
/** Disk $/h exactly as Vast.ai derives it: $/GB/month × GB / 720 h. */
export const diskHour = (storageCost: number, gb: number): number => (storageCost * gb) / 720;

/** A fully populated instance; `over` fixes any field (tests set exact prices and readings this way). */
export function vastInstance(over: Partial<VastSimInstance> & { id: number }, rng = new Rng(over.id)): VastSimInstance {
  const gpu = VAST_GPUS['RTX-4090-24GB'];
  const numGpus = over.num_gpus ?? 1;
  const storageCost = over.storage_cost ?? 0.15;
  const disk = over.disk_space ?? 10.08;
  const dphBase = over.dph_base ?? 0.8;
  const storageHour = diskHour(storageCost, disk);
  const start = (SIM_EPOCH - rng.int(1, 90 * 86_400) * 1000) / 1000 + 0.1223178;
  const ramMb = over.gpu_ram ?? gpu.ramMb;
  const { id, ...rest } = over;
  const row: VastSimInstance = {
    id,
    actual_status: 'running',
    intended_status: 'running',
    cur_state: 'running',
    next_state: 'running',
    label: `train-${id}`,
    machine_id: rng.int(1000, 60000),
    host_id: rng.int(1, 300000),
    num_gpus: numGpus,
    gpu_name: gpu.name,
    gpu_ram: ramMb,
    gpu_totalram: ramMb * numGpus,
    gpu_util: rng.float(0, 100, 1),
    gpu_temp: rng.float(30, 85, 6),
    gpu_frac: 1,
    cpu_name: rng.pick(CPUS),
    cpu_cores: 32,
    cpu_cores_effective: 8 * numGpus,
    // cpu_util is a fraction of the instance's CPUs (show_instance.yaml), gpu_util a percentage (as vast-cli prints it).
    cpu_ram: 64_000 * numGpus,
    cpu_util: rng.float(0, 1, 3),
    mem_limit: round(62.5 * numGpus, 8),
    mem_usage: rng.float(0.01, 60, 8),
    vmem_usage: rng.float(0, 20, 6),
    disk_space: disk,
    disk_usage: rng.float(0.05, disk, 2),
    disk_util: rng.float(0, 1, 3),
    inet_up: rng.float(100, 2000, 1),
    inet_down: rng.float(100, 5000, 1),
    dph_base: dphBase,
    dph_total: dphBase + storageHour,
    storage_cost: storageCost,
    storage_total_cost: storageHour,
    vram_costperhour: 4.94e-5,
    min_bid: round(dphBase * 0.37, 4),
    is_bid: false,
    search: {},
    instance: {},
    credit_balance: null,
    credit_discount: null,
    start_date: start,
    end_date: start + 365 * 86_400,
    uptime_mins: null,
    duration: SIM_EPOCH / 1000 - start,
    image_uuid: rng.pick(IMAGES),
    ssh_host: `ssh${rng.int(1, 9)}.vast.ai`,
    ssh_port: rng.int(10000, 60000),
    public_ipaddr: `192.0.2.${rng.int(1, 254)}`,
    geolocation: rng.pick(GEOLOCATIONS),
    reliability2: rng.float(0.9, 1, 7),
    verification: 'verified',
    status_msg: 'success, running ...',
    extra_env: [['DOG', 'CAT']],
    ports: { '22/tcp': [{ HostIp: '0.0.0.0', HostPort: '20000' }] },
    time_remaining: '12 Mon 24 D 16 Hr',
    volume_info: [],
    ...rest,
  };
  row.search = {
    gpuCostPerHour: row.dph_base,
    diskHour: row.storage_total_cost,
    totalHour: row.dph_total,
    discountTotalHour: 0,
    discountedTotalPerHour: row.dph_total,
  };
  // What the instance is billed now: the GPU too while it runs or is frozen ("GPU charges apply"), else the disk only.
  const running = row.actual_status === 'running' || row.actual_status === 'frozen';
  row.instance = {
    gpuCostPerHour: running ? row.dph_base : 0,
    diskHour: row.storage_total_cost,
    totalHour: running ? row.dph_total : row.storage_total_cost,
    discountTotalHour: 0,
    discountedTotalPerHour: running ? row.dph_total : row.storage_total_cost,
  };
  return row;
}

/** One market offer; `over` fixes any field. */
export function vastOffer(over: Partial<VastSimOffer> & { id: number }): VastSimOffer {
  const gpu = VAST_GPUS['RTX-4090-24GB'];
  const numGpus = over.num_gpus ?? 1;
  const ramMb = over.gpu_ram ?? gpu.ramMb;
  const { id, ...rest } = over;
  return {
    id,
    ask_contract_id: id,
    machine_id: 1000 + (id % 50000),
    host_id: 7,
    gpu_name: gpu.name,
    num_gpus: numGpus,
    gpu_ram: ramMb,
    gpu_total_ram: ramMb * numGpus,
    cpu_cores_effective: 8 * numGpus,
    cpu_ram: 64_000 * numGpus,
    disk_space: 500,
    dph_base: 0.4 * numGpus,
    min_bid: 0.2 * numGpus,
    storage_cost: 0.1,
    inet_up: 800,
    inet_down: 900,
    inet_up_cost: 0.00456,
    inet_down_cost: 0.00123,
    reliability2: 0.99,
    verification: 'verified',
    verified: true,
    rentable: true,
    rented: false,
    external: false,
    geolocation: 'Norway, NO',
    score: 100,
    ...rest,
  };
}

export interface VastDataOptions {
  readonly count: number;
  readonly offers: number;
  readonly gpuMix?: GpuMix;
  readonly hostile?: boolean;
}

function seededInstance(rng: Rng, id: number, gpu: GpuModel): VastSimInstance {
  const [actual, intended] = rng.weighted(STATES);
  const vast = VAST_GPUS[gpu.key];
  const numGpus = gpuCount(rng);
  const storageCost = rng.float(0.05, 0.4, 4);
  const disk = rng.pick([10, 10.08, 16, 32, 50, 100, 250]);
  const live = actual === 'running';
  const idle = live && rng.chance(0.15);
  return vastInstance(
    {
      id,
      actual_status: actual,
      intended_status: intended,
      cur_state: intended === 'stopped' ? 'stopped' : 'running',
      next_state: intended,
      num_gpus: numGpus,
      gpu_name: vast.name,
      gpu_ram: vast.ramMb,
      gpu_totalram: vast.ramMb * numGpus,
      dph_base: round(gpuPrice(rng, gpu) * numGpus, 4),
      storage_cost: storageCost,
      disk_space: disk,
      // Live readings only on running instances; idle ones sit near 0 %.
      gpu_util: live ? (idle ? rng.float(0, 2, 1) : rng.float(5, 100, 1)) : null,
      gpu_temp: live ? rng.float(idle ? 28 : 45, idle ? 40 : 86, 6) : null,
      mem_limit: live ? round(62.5 * numGpus, 8) : null,
      mem_usage: live ? rng.float(0.01, 60 * numGpus, 8) : null,
      vmem_usage: live ? rng.float(0, 20, 6) : null,
      cpu_util: live ? rng.float(0, 1, 3) : 0,
      disk_util: live ? rng.float(0, 1, 3) : -1,
      disk_usage: live ? rng.float(0.05, disk, 2) : -1,
      is_bid: rng.chance(0.15),
      label: rng.chance(0.1) ? null : rng.name(),
      status_msg: actual === null ? null : actual === 'exited' ? 'Error: container exited with code 137' : `success, ${actual} ...`,
      uptime_mins: live ? rng.float(1, 10_000, 2) : null,
      ports: live ? { '22/tcp': [{ HostIp: '0.0.0.0', HostPort: String(rng.int(20000, 40000)) }] } : null,
    },
    rng,
  );
}

function seededOffer(rng: Rng, id: number, gpu: GpuModel): VastSimOffer {
  const vast = VAST_GPUS[gpu.key];
  const numGpus = gpuCount(rng);
  const dphBase = round(gpuPrice(rng, gpu) * numGpus, 6);
  return {
    id,
    ask_contract_id: id,
    machine_id: rng.int(1000, 60000),
    host_id: rng.int(1, 300000),
    gpu_name: vast.name,
    num_gpus: numGpus,
    gpu_ram: vast.ramMb,
    gpu_total_ram: vast.ramMb * numGpus,
    cpu_cores_effective: 8 * numGpus,
    cpu_ram: 64_000 * numGpus,
    disk_space: rng.float(50, 4000, 1),
    dph_base: dphBase,
    min_bid: round(dphBase * rng.float(0.3, 0.6), 6),
    storage_cost: rng.float(0.05, 0.4, 4),
    inet_up: rng.float(100, 9000, 1),
    inet_down: rng.float(100, 9000, 1),
    inet_up_cost: 0.00456,
    inet_down_cost: 0.00123,
    reliability2: rng.float(0.9, 1, 4),
    verification: rng.chance(0.85) ? 'verified' : 'unverified',
    verified: true,
    rentable: rng.chance(0.9),
    rented: rng.chance(0.15),
    external: rng.chance(0.1),
    geolocation: rng.pick(GEOLOCATIONS),
    score: rng.float(1, 1000, 2),
  };
}

export function createVastData(seed: number, o: VastDataOptions): { instances: VastSimInstance[]; offers: VastSimOffer[] } {
  const rng = new Rng(seed);
  const mix = o.gpuMix ?? DEFAULT_GPU_MIX;
  let nextId = 9_000_000 + rng.int(0, 999_999);
  const instances: VastSimInstance[] = [];
  for (let i = 0; i < o.count; i++) {
    nextId += rng.int(1, 5000); // ids are sparse, as contract ids are
    instances.push(seededInstance(rng, nextId, pickGpu(rng, mix)));
  }
  // Stored out of order, so the list must really sort by id as asked.
  for (let i = instances.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [instances[i], instances[j]] = [instances[j], instances[i]];
  }
  const offers: VastSimOffer[] = [];
  for (let i = 0; i < o.offers; i++) offers.push(seededOffer(rng, 30_000_000 + i * 7, pickGpu(rng, mix)));
  for (const o2 of offers) o2.verified = o2.verification === 'verified';
  if (o.hostile) {
    const sorted = [...instances].sort((a, b) => a.id - b.id);
    sorted.slice(0, HOSTILE_NAMES.length).forEach((row, i) => {
      row.label = hostileName(i);
    });
    sorted.forEach((row, i) => {
      if (i >= HOSTILE_NAMES.length && i % 5 === 4) Object.assign(row, { label: null, mem_limit: null, gpu_temp: null, status_msg: null });
    });
    if (sorted[0]) sorted[0].status_msg = hostileName(1);
    if (offers[0]) offers[0].gpu_name = hostileName(0);
  }
  return { instances, offers };
}
