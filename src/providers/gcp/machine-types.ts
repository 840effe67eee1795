// Compute Engine machine types: the GPUs an accelerator-optimized type carries, and the type's family (the prefix its
// core and RAM SKUs are named by). The real accelerator list of a type is `machineTypes.get`'s `accelerators`; this
// table is for an instance whose listing names none (cloud.google.com/compute/docs/accelerator-optimized-machines,
// /gpus: A2 Standard = A100 40GB, A2 Ultra = A100 80GB, A3 High/Edge = H100 80GB, A3 Mega = H100 Mega, A3 Ultra = H200,
// A4 = B200, A4X = GB200 (4 per VM), G2 = L4, G4 = RTX PRO 6000 — g4-standard-48 one GPU, 96 two, 192 four, 384
// eight; g4-standard-6/12/24 a 1/8, 1/4 or 1/2 vGPU slice, cloud.google.com/compute/docs/gpus#rtx-pro-6000-gpus).
export interface Accelerators {
  /** The accelerator type's name, e.g. nvidia-tesla-a100. */
  readonly type: string;
  readonly count: number;
  /** A G4 vGPU slice's share of one GPU (1/8, 1/4, 1/2): billed by a slice SKU of its own, not by the GPU. */
  readonly fraction?: number;
}

/** G2: vCPUs → L4 GPUs. */
const G2_GPUS: Readonly<Record<string, number>> = { 4: 1, 8: 1, 12: 1, 16: 1, 32: 1, 24: 2, 48: 4, 96: 8 };

/** G4: vCPUs → RTX PRO 6000 GPUs, or the vGPU slice of one. */
const G4_GPUS: Readonly<Record<string, Accelerators>> = {
  6: { type: 'nvidia-rtx-pro-6000', count: 1, fraction: 1 / 8 },
  12: { type: 'nvidia-rtx-pro-6000', count: 1, fraction: 1 / 4 },
  24: { type: 'nvidia-rtx-pro-6000', count: 1, fraction: 1 / 2 },
  48: { type: 'nvidia-rtx-pro-6000', count: 1 },
  96: { type: 'nvidia-rtx-pro-6000', count: 2 },
  192: { type: 'nvidia-rtx-pro-6000', count: 4 },
  384: { type: 'nvidia-rtx-pro-6000', count: 8 },
};

const TYPES: ReadonlyArray<readonly [RegExp, (m: RegExpExecArray) => Accelerators | undefined]> = [
  [/^a2-(?:highgpu|megagpu)-(\d+)g$/, (m) => ({ type: 'nvidia-tesla-a100', count: Number(m[1]) })],
  [/^a2-ultragpu-(\d+)g$/, (m) => ({ type: 'nvidia-a100-80gb', count: Number(m[1]) })],
  [/^a3-(?:highgpu|edgegpu)-(\d+)g(?:-nolssd)?$/, (m) => ({ type: 'nvidia-h100-80gb', count: Number(m[1]) })],
  [/^a3-megagpu-(\d+)g$/, (m) => ({ type: 'nvidia-h100-mega-80gb', count: Number(m[1]) })],
  [/^a3-ultragpu-(\d+)g(?:-lssd)?$/, (m) => ({ type: 'nvidia-h200-141gb', count: Number(m[1]) })],
  [/^a4-highgpu-(\d+)g$/, (m) => ({ type: 'nvidia-b200', count: Number(m[1]) })],
  [/^a4x-highgpu-(\d+)g(?:-nolssd)?$/, (m) => ({ type: 'nvidia-gb200', count: Number(m[1]) })],
  [/^a4x-maxgpu-(\d+)g(?:-metal)?$/, (m) => ({ type: 'nvidia-gb300', count: Number(m[1]) })],
  [/^g4-standard-(\d+)$/, (m) => G4_GPUS[m[1]]],
  [/^g2-standard-(\d+)$/, (m) => (G2_GPUS[m[1]] ? { type: 'nvidia-l4', count: G2_GPUS[m[1]] } : undefined)],
];

/** The GPUs an accelerator-optimized machine type comes with, or undefined for other types. */
export function acceleratorsOfType(machineType: string): Accelerators | undefined {
  for (const [re, read] of TYPES) {
    const m = re.exec(machineType.toLowerCase());
    if (m) return read(m);
  }
  return undefined;
}

/**
 * The family its core and RAM SKUs carry ("n1-standard-8" → n1, "a2-highgpu-1g" → a2, "n2d-standard-4" → n2d). A3 Mega
 * and A3 Ultra have SKUs of their own, "A3Plus Instance Core" and "A3Ultra Instance Core" (gpuhunt maps "A3Plus
 * Instance" to a3-megagpu; sc-crawler tests/test_gcp.py test_gcp_server_family: a3-megagpu → a3plus, a3-ultragpu → a3ultra).
 */
export const familyOf = (machineType: string): string => {
  const [series = '', kind = ''] = machineType.toLowerCase().split('-');
  if (series === 'a3' && kind === 'megagpu') return 'a3plus';
  if (series === 'a3' && kind === 'ultragpu') return 'a3ultra';
  return series;
};

/** The last segment of a resource URL (zones/us-central1-a/machineTypes/n1-standard-8 → n1-standard-8). */
export const lastSegment = (url: string): string =>
  url
    .split('/')
    .filter((s) => s !== '')
    .pop() ?? '';

/** A zone's region: us-central1-a → us-central1. */
export const regionOfZone = (zone: string): string => zone.replace(/-[a-z]$/, '');
