// Azure's GPU VM sizes: how many GPUs each carries (the GPU model comes from the shared normalizer, core/model/gpu.ts,
// which reads it from the size name). Source: the size pages under learn.microsoft.com/azure/virtual-machines/sizes/
// gpu-accelerated/ (NCadsA100v4, NCadsH100v5, NDasrA100v4, NDmA100v4, NDH100v5, NDH200v5, NDMI300Xv5, NCasT4v3, NCv3,
// NDv2, NVadsA10v5, NCadsA10v4), as of 2026. The REST API has no GPU field on a VM or in virtualMachineSizes;
// resourceSkus has a `GPUs` capability (UNCONFIRMED) but answers megabytes per region, so a table it is. Partial-GPU
// sizes (NVadsA10v5 slices one A10 into 1/6, 1/3, 1/2) count the fraction they get.
import { normalizeGpu } from '../../core/model/gpu';
import type { GpuSpec } from '../../core/model/model';

/** Size name (lowercase, without "standard_") → GPUs. */
const COUNTS: ReadonlyArray<readonly [RegExp, (cpus: number) => number | undefined]> = [
  [/^nc(\d+)ads_a100_v4$/, (c) => ({ 24: 1, 48: 2, 96: 4 })[c]],
  [/^nc(\d+)adi?s_h100_v5$/, (c) => ({ 40: 1, 80: 2 })[c]],
  [/^nd(\d+)asr_v4$/, () => 8],
  [/^nd(\d+)amsr_a100_v4$/, () => 8],
  [/^nd(\d+)isr_h100_v5$/, () => 8],
  [/^nd(\d+)isr_h200_v5$/, () => 8],
  [/^nd(\d+)isr_mi300x_v5$/, () => 8],
  [/^nc(\d+)as_t4_v3$/, (c) => ({ 4: 1, 8: 1, 16: 1, 64: 4 })[c]],
  [/^nc(\d+)r?s_v3$/, (c) => ({ 6: 1, 12: 2, 24: 4 })[c]],
  [/^nd(\d+)r?s_v2$/, () => 8],
  [/^nv(\d+)adm?s_a10_v5$/, (c) => ({ 6: 1 / 6, 12: 1 / 3, 18: 1 / 2, 36: 1, 72: 2 })[c]],
  [/^nc(\d+)ads_a10_v4$/, (c) => ({ 8: 1 / 3, 16: 2 / 3, 32: 1 })[c]],
];

/** GPU families: NC (compute), ND (deep learning), NV (visualisation); `Standard_NC24ads_A100_v4`. */
export function isGpuSize(size: string): boolean {
  return /^(?:standard_)?n[cdv]\d/i.test(size);
}

/** The GPUs of a size, or undefined for a size without GPUs. An N-series size this table does not know counts one. */
export function gpuOfSize(size: string): GpuSpec | undefined {
  if (!isGpuSize(size)) return undefined;
  const bare = size.toLowerCase().replace(/^standard_/, '');
  let count: number | undefined;
  for (const [re, countOf] of COUNTS) {
    const m = re.exec(bare);
    if (m) {
      count = countOf(Number(m[1]));
      break;
    }
  }
  const identity = normalizeGpu(size);
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
