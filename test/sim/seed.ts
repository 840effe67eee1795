// Deterministic data: the same seed gives byte-identical responses on every machine, so a failing test
// can be replayed and benchmark runs compare like with like. Nothing here reads the clock or Math.random.

/** Fixed "now" of the simulated world; creation times and the like are relative to it. */
export const SIM_EPOCH = Date.UTC(2026, 10, 1, 12, 0, 0); // 2026-11-01T12:00:00Z

/** mulberry32: tiny, fast, good enough for test data. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the parts: derives independent sub-seeds (per cloud, per resource, per minute). */
export function hashSeed(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0000')) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A value in [0, 1) that depends only on its inputs: for data that must not depend on call order. */
export function unitHash(...parts: readonly (string | number)[]): number {
  return mulberry32(hashSeed(...parts))();
}

const ADJECTIVES = ['prod', 'staging', 'dev', 'batch', 'nightly', 'shared', 'edge', 'eu', 'us', 'test'];
const NOUNS = [
  'llama-finetune',
  'sdxl-inference',
  'vllm-serve',
  'whisper-batch',
  'embeddings',
  'postgres-main',
  'analytics',
  'api-gateway',
  'notebook',
  'trainer',
  'ray-head',
  'ray-worker',
  'comfyui',
  'tgi-server',
  'redis-cache',
  'etl-runner',
  'web-frontend',
  'billing-db',
  'rag-indexer',
  'mistral-7b',
];
export const REGIONS = ['us-east-1', 'us-west-2', 'eu-central-1', 'eu-west-1', 'ap-northeast-1', 'ca-central-1'];

export class Rng {
  private readonly next01: () => number;

  constructor(readonly seed: number) {
    this.next01 = mulberry32(seed);
  }

  /** Float in [0, 1). */
  next(): number {
    return this.next01();
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Float in [min, max), rounded to `decimals`. */
  float(min: number, max: number, decimals = 2): number {
    const f = 10 ** decimals;
    return Math.round((min + this.next() * (max - min)) * f) / f;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by weight: `weighted([['running', 7], ['stopped', 2]])`. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return entries[entries.length - 1][0];
  }

  /** Lower-case hex id, e.g. `res-3f9a0c1b`. */
  id(prefix = '', length = 8): string {
    let s = '';
    while (s.length < length) s += Math.floor(this.next() * 16).toString(16);
    return prefix ? `${prefix}-${s}` : s;
  }

  /** A plausible resource name such as `prod-vllm-serve-07`. */
  name(): string {
    return `${this.pick(ADJECTIVES)}-${this.pick(NOUNS)}-${String(this.int(1, 99)).padStart(2, '0')}`;
  }

  region(regions: readonly string[] = REGIONS): string {
    return this.pick(regions);
  }

  /** ISO time between `maxAgeDays` before SIM_EPOCH and SIM_EPOCH, whole seconds. */
  timestamp(maxAgeDays = 90, before = SIM_EPOCH): string {
    const ageMs = Math.floor(this.next() * maxAgeDays * 86_400) * 1000;
    return new Date(before - ageMs).toISOString().replace('.000Z', 'Z');
  }
}

export interface GpuModel {
  /** Normalized key Cloudtop should arrive at (model, variant, memory). */
  readonly key: string;
  /** Short display name as marketplaces show it. */
  readonly name: string;
  readonly memoryGb: number;
  /** Typical USD per GPU-hour across marketplaces, on demand. */
  readonly priceRange: readonly [number, number];
}

export const GPU_MODELS: readonly GpuModel[] = [
  { key: 'RTX-4090-24GB', name: 'RTX 4090', memoryGb: 24, priceRange: [0.25, 0.75] },
  { key: 'RTX-3090-24GB', name: 'RTX 3090', memoryGb: 24, priceRange: [0.15, 0.45] },
  { key: 'RTX-A6000-48GB', name: 'RTX A6000', memoryGb: 48, priceRange: [0.4, 0.85] },
  { key: 'A40-48GB', name: 'A40', memoryGb: 48, priceRange: [0.35, 0.75] },
  { key: 'L40S-48GB', name: 'L40S', memoryGb: 48, priceRange: [0.7, 1.4] },
  { key: 'L4-24GB', name: 'L4', memoryGb: 24, priceRange: [0.25, 0.8] },
  { key: 'A10-24GB', name: 'A10', memoryGb: 24, priceRange: [0.35, 0.9] },
  { key: 'V100-16GB', name: 'V100', memoryGb: 16, priceRange: [0.15, 0.5] },
  { key: 'V100-32GB', name: 'V100', memoryGb: 32, priceRange: [0.2, 0.7] },
  { key: 'A100-SXM-40GB', name: 'A100 SXM', memoryGb: 40, priceRange: [0.8, 1.6] },
  { key: 'A100-SXM-80GB', name: 'A100 SXM', memoryGb: 80, priceRange: [1.0, 2.2] },
  { key: 'A100-PCIe-80GB', name: 'A100 PCIe', memoryGb: 80, priceRange: [0.9, 1.9] },
  { key: 'H100-PCIe-80GB', name: 'H100 PCIe', memoryGb: 80, priceRange: [1.6, 2.9] },
  { key: 'H100-SXM-80GB', name: 'H100 SXM', memoryGb: 80, priceRange: [1.8, 3.5] },
  { key: 'H100-NVL-94GB', name: 'H100 NVL', memoryGb: 94, priceRange: [2.0, 3.2] },
  { key: 'H200-141GB', name: 'H200', memoryGb: 141, priceRange: [2.5, 4.5] },
];

/** Weights by GPU key; unlisted models get weight 0. Default: a marketplace-like mix, consumer cards common. */
export type GpuMix = Readonly<Record<string, number>>;

export const DEFAULT_GPU_MIX: GpuMix = {
  'RTX-4090-24GB': 6,
  'RTX-3090-24GB': 4,
  'RTX-A6000-48GB': 3,
  'A40-48GB': 2,
  'L40S-48GB': 2,
  'L4-24GB': 2,
  'A10-24GB': 2,
  'V100-16GB': 1,
  'V100-32GB': 1,
  'A100-SXM-40GB': 1,
  'A100-SXM-80GB': 2,
  'A100-PCIe-80GB': 2,
  'H100-PCIe-80GB': 2,
  'H100-SXM-80GB': 3,
  'H100-NVL-94GB': 1,
  'H200-141GB': 1,
};

export function gpuByKey(key: string): GpuModel {
  const gpu = GPU_MODELS.find((g) => g.key === key);
  if (!gpu) throw new Error(`unknown GPU key ${key}`);
  return gpu;
}

export function pickGpu(rng: Rng, mix: GpuMix = DEFAULT_GPU_MIX): GpuModel {
  const entries = GPU_MODELS.map((g) => [g, mix[g.key] ?? 0] as const).filter(([, w]) => w > 0);
  return rng.weighted(entries);
}

/** A USD per GPU-hour price inside the model's range, scaled (e.g. 0.5 for spot), 3 decimals. */
export function gpuPrice(rng: Rng, gpu: GpuModel, scale = 1): number {
  return Math.round(rng.float(gpu.priceRange[0], gpu.priceRange[1], 4) * scale * 1000) / 1000;
}

/** Typical GPU counts per machine, single GPUs most common. */
export function gpuCount(rng: Rng): number {
  return rng.weighted([
    [1, 10],
    [2, 4],
    [4, 3],
    [8, 2],
  ]);
}
