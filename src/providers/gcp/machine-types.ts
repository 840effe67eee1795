// Compute Engine machine types: the GPUs an accelerator-optimized type carries, and the type's family (the prefix its
// core and RAM SKUs are named by). The real accelerator list of a type is `machineTypes.get`'s `accelerators`; this
// table is for an instance whose listing names none (cloud.google.com/compute/docs/accelerator-optimized-machines,
// /gpus: A2 Standard = A100 40GB, A2 Ultra = A100 80GB, A3 High/Edge = H100 80GB, A3 Mega = H100 Mega, A3 Ultra = H200,
// A4 = B200, G2 = L4).
export interface Accelerators {
  /** The accelerator type's name, e.g. nvidia-tesla-a100. */
  readonly type: string;
  readonly count: number;
}

/** G2: vCPUs → L4 GPUs. */
const G2_GPUS: Readonly<Record<string, number>> = { 4: 1, 8: 1, 12: 1, 16: 1, 32: 1, 24: 2, 48: 4, 96: 8 };

const TYPES: ReadonlyArray<readonly [RegExp, (m: RegExpExecArray) => Accelerators | undefined]> = [
  [/^a2-(?:highgpu|megagpu)-(\d+)g$/, (m) => ({ type: 'nvidia-tesla-a100', count: Number(m[1]) })],
  [/^a2-ultragpu-(\d+)g$/, (m) => ({ type: 'nvidia-a100-80gb', count: Number(m[1]) })],
  [/^a3-(?:highgpu|edgegpu)-(\d+)g(?:-nolssd)?$/, (m) => ({ type: 'nvidia-h100-80gb', count: Number(m[1]) })],
  [/^a3-megagpu-(\d+)g$/, (m) => ({ type: 'nvidia-h100-mega-80gb', count: Number(m[1]) })],
  [/^a3-ultragpu-(\d+)g(?:-lssd)?$/, (m) => ({ type: 'nvidia-h200-141gb', count: Number(m[1]) })],
  [/^a4-highgpu-(\d+)g$/, (m) => ({ type: 'nvidia-b200', count: Number(m[1]) })],
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

/** The family its core and RAM SKUs carry ("n1-standard-8" → n1, "a2-highgpu-1g" → a2, "n2d-standard-4" → n2d). */
export const familyOf = (machineType: string): string => machineType.toLowerCase().split('-')[0] ?? '';

/** The last segment of a resource URL (zones/us-central1-a/machineTypes/n1-standard-8 → n1-standard-8). */
export const lastSegment = (url: string): string =>
  url
    .split('/')
    .filter((s) => s !== '')
    .pop() ?? '';

/** A zone's region: us-central1-a → us-central1. */
export const regionOfZone = (zone: string): string => zone.replace(/-[a-z]$/, '');
