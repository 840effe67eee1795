// Azure's VM sizes: which carry GPUs, how many, and which model. The location's Resource SKUs (skus.ts: `GET
// /subscriptions/{id}/providers/Microsoft.Compute/skus`, learn.microsoft.com/rest/api/compute/resource-skus/list) are
// the first source: the canonical size name (a VM's `vmSize` keeps the casing its creator typed), a `GPUs` capability
// and `MemoryGB`. dstackai/gpuhunt src/gpuhunt/providers/azure.py reads GPU counts from that same capability. What the
// capability does not carry — the GPU model, and the share of a GPU a sliced size gets — comes from the size pages
// under learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/ (NCadsA100v4, NCadsH100v5, NCCadsH100v5,
// NDasrA100v4, NDmA100v4, NDH100v5, NDH200v5, NDMI300Xv5, ND-GB200-v6, ND-GB300-v6, NCasT4v3, NCv3, NDv2,
// NVadsA10v5, NCadsA10v4, NVv3, NVv4, NVadsV710v5), as of 2026; this table is also the whole answer when the
// location's SKUs could not be read.
import { normalizeGpu } from '../../core/model/gpu';
import type { GpuSpec } from '../../core/model/model';

/** What the Resource SKUs say of one size (reference data, JSON). */
export interface SkuFacts {
  /** The canonical name ("Standard_NC24ads_A100_v4"): what the Retail Prices API's case-sensitive filter matches. */
  readonly name: string;
  /** The `GPUs` capability (whole GPUs); absent on sizes without one. */
  readonly gpus?: number;
  /** The `MemoryGB` capability. */
  readonly memoryGb?: number;
  /**
   * The `MaxResourceVolumeMB` capability in GB: the size's temporary disk, whose data a deallocation loses
   * (learn.microsoft.com/azure/virtual-machines/managed-disks-overview, "Temporary disk"); 0 for sizes without one.
   */
  readonly tempDiskGb?: number;
}

interface Family {
  readonly re: RegExp;
  /** The GPU model, in words core/model/gpu.ts knows. */
  readonly gpu: string;
  /** GPUs by vCPUs (the number in the size name); a fraction for a slice. */
  readonly count: (cpus: number) => number | undefined;
  /** The sizes are slices of one GPU: the count here wins over the SKU's whole-GPU capability. */
  readonly sliced?: boolean;
}

/**
 * A location's Resource SKUs as Cloudtop keeps them: the VM sizes, by lower-cased name. Capabilities are `{name,
 * value}` strings (Azure/azure-rest-api-specs specification/compute/resource-manager/Microsoft.Compute/Skus/stable/
 * 2021-07-01/examples/skus/ListAvailableResourceSkusForARegion.json); disks, availability sets and the rest are left out.
 */
export function readSkuFacts(skus: readonly Record<string, unknown>[]): Record<string, SkuFacts> {
  const out: Record<string, SkuFacts> = {};
  for (const sku of skus) {
    const name = typeof sku.name === 'string' ? sku.name : undefined;
    if (!name || String(sku.resourceType).toLowerCase() !== 'virtualmachines') continue;
    const capabilities = Array.isArray(sku.capabilities) ? (sku.capabilities as { name?: unknown; value?: unknown }[]) : [];
    const capability = (key: string) => {
      const value = Number(capabilities.find((c) => String(c?.name).toLowerCase() === key.toLowerCase())?.value);
      return Number.isFinite(value) ? value : undefined;
    };
    const gpus = capability('GPUs');
    const memoryGb = capability('MemoryGB');
    const tempMb = capability('MaxResourceVolumeMB');
    out[name.toLowerCase()] = {
      name,
      ...(gpus !== undefined ? { gpus } : {}),
      ...(memoryGb !== undefined ? { memoryGb } : {}),
      ...(tempMb !== undefined ? { tempDiskGb: Math.round(tempMb / 1024) } : {}),
    };
  }
  return out;
}

const table = (t: Record<number, number>) => (c: number) => t[c];
const each = (n: number) => () => n;

/** Size name (lowercase, without "standard_") → GPUs. */
const FAMILIES: readonly Family[] = [
  { re: /^nc(\d+)ads_a100_v4$/, gpu: 'A100 PCIe 80GB', count: table({ 24: 1, 48: 2, 96: 4 }) },
  // NCC: the confidential H100 sizes, one H100 NVL each.
  { re: /^ncc?(\d+)adi?s_h100_v5$/, gpu: 'H100 NVL 94GB', count: table({ 40: 1, 80: 2 }) },
  { re: /^nd(\d+)asr_v4$/, gpu: 'A100 SXM 40GB', count: each(8) },
  { re: /^nd(\d+)amsr_a100_v4$/, gpu: 'A100 SXM 80GB', count: each(8) },
  { re: /^nd(\d+)isr_h100_v5$/, gpu: 'H100 SXM 80GB', count: each(8) },
  { re: /^nd(\d+)isr_h200_v5$/, gpu: 'H200', count: each(8) },
  { re: /^nd(\d+)isr_mi300x_v5$/, gpu: 'MI300X', count: each(8) },
  // ND GB200 v6 and GB300 v6: four Blackwell GPUs per VM (two Grace superchips).
  { re: /^nd(\d+)isr(?:_ndr)?_gb200_v6$/, gpu: 'NVIDIA GB200', count: each(4) },
  { re: /^nd(\d+)isr(?:_ndr)?_gb300_v6$/, gpu: 'NVIDIA GB300', count: each(4) },
  { re: /^nc(\d+)as_t4_v3$/, gpu: 'T4 16GB', count: table({ 4: 1, 8: 1, 16: 1, 64: 4 }) },
  { re: /^nc(\d+)r?s_v3$/, gpu: 'V100 16GB', count: table({ 6: 1, 12: 2, 24: 4 }) },
  { re: /^nd(\d+)r?s_v2$/, gpu: 'V100 SXM 32GB', count: each(8) },
  { re: /^nv(\d+)adm?s_a10_v5$/, gpu: 'A10', count: table({ 6: 1 / 6, 12: 1 / 3, 18: 1 / 2, 36: 1, 72: 2 }), sliced: true },
  { re: /^nc(\d+)ads_a10_v4$/, gpu: 'A10', count: table({ 8: 1 / 3, 16: 2 / 3, 32: 1 }), sliced: true },
  // NVv3: whole Tesla M60 GPUs; NVv4: slices of an MI25; NVads V710 v5: slices of a Radeon Pro V710.
  { re: /^nv(\d+)s_v3$/, gpu: 'Tesla M60', count: table({ 12: 1, 24: 2, 48: 4 }) },
  { re: /^nv(\d+)as_v4$/, gpu: 'Radeon Instinct MI25', count: table({ 4: 1 / 8, 8: 1 / 4, 16: 1 / 2, 32: 1 }), sliced: true },
  { re: /^nv(\d+)adm?s_v710_v5$/, gpu: 'Radeon Pro V710', count: table({ 4: 1 / 6, 8: 1 / 3, 12: 1 / 2, 24: 1, 28: 1 }), sliced: true },
];

const bare = (size: string) => size.toLowerCase().replace(/^standard_/, '');

function familyOf(size: string): { family: Family; cpus: number } | undefined {
  const name = bare(size);
  for (const family of FAMILIES) {
    const m = family.re.exec(name);
    if (m) return { family, cpus: Number(m[1]) };
  }
  return undefined;
}

/** GPU families by name alone (the fallback without Resource SKUs): NC, NCC, ND, NV; `Standard_NC24ads_A100_v4`. */
export function isGpuSize(size: string): boolean {
  return /^(?:standard_)?(?:n[cdv]|ncc)\d/i.test(size);
}

/**
 * The GPUs of a size, or undefined for a size without GPUs. `sku`: what the location's Resource SKUs say of it (its
 * `GPUs` capability decides whether it is a GPU size and how many whole GPUs it has); without it, the size name and
 * the table decide, and an N-series size the table does not know counts one.
 */
export function gpuOfSize(size: string, sku?: SkuFacts): GpuSpec | undefined {
  const known = familyOf(size);
  const skuGpus = sku?.gpus !== undefined && sku.gpus > 0 ? sku.gpus : undefined;
  if (sku ? skuGpus === undefined && !known : !isGpuSize(size)) return undefined;
  let count = known?.family.count(known.cpus);
  if (skuGpus !== undefined && !(known?.family.sliced && count !== undefined)) count = skuGpus;
  // The name of the size names the model for most families (core/model/gpu.ts); the table names the others.
  const byName = normalizeGpu(sku?.name ?? size);
  const identity = byName.vendor === 'other' && known ? normalizeGpu(known.family.gpu) : byName;
  return {
    key: identity.key,
    model: identity.displayName,
    count: count ?? 1,
    ...(identity.memoryGb !== undefined ? { memoryGb: identity.memoryGb } : {}),
  };
}

/** The sizes whose prices join the cross-cloud comparison: one per GPU model, the whole-GPU ones. */
export const OFFER_SIZES: readonly string[] = [
  'Standard_NC24ads_A100_v4',
  'Standard_NC40ads_H100_v5',
  'Standard_ND96asr_v4',
  'Standard_ND96amsr_A100_v4',
  'Standard_ND96isr_H100_v5',
  'Standard_ND96isr_H200_v5',
  'Standard_ND96isr_MI300X_v5',
  'Standard_NC4as_T4_v3',
  'Standard_NC6s_v3',
  'Standard_NV36ads_A10_v5',
];
