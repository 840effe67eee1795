/**
 * The one GPU-name normalizer shared by every cloud. Vast.ai, RunPod, Azure, Google, OCI and
 * nvidia-smi all spell the same card differently ("H100 SXM", "NVIDIA H100 80GB HBM3",
 * "nvidia-h100-80gb", "Standard_ND96isr_H100_v5", "BM.GPU.H100.8"); each provider maps its names
 * through {@link normalizeGpu} so prices compare like with like.
 *
 * Key = MODEL[-VARIANT]-<mem>GB: `H100-SXM-80GB`, `H100-PCIe-80GB`, `H100-NVL-94GB`,
 * `RTX-6000-ADA-48GB`. The variant is kept because PCIe, SXM and NVL parts of one model differ in
 * price and speed; tools that drop it compare unlike things. SXM2/SXM4/SXM5 all become `SXM`
 * (the model already says which generation). Pure and total: never throws.
 */

export const GPU_VENDORS = ['NVIDIA', 'AMD', 'Intel', 'other'] as const;
export type GpuVendor = (typeof GPU_VENDORS)[number];

export interface GpuIdentity {
  /** Normalized key, e.g. `H100-SXM-80GB`. */
  key: string;
  /** Model without variant or memory, e.g. `H100`, `RTX 6000 Ada`. */
  model: string;
  /** `SXM` | `PCIe` | `NVL` | `FHHL` | `vWS` | `WS` | `S` | `MaxQ`; absent when the name does not say. */
  variant?: string;
  /** Memory per GPU in GB, snapped to a known size of the model where close. */
  memoryGb?: number;
  vendor: GpuVendor;
  /** Readable form, e.g. `H100 SXM 80 GB`. */
  displayName: string;
}

/** Known memory sizes in GB per model key (variant-specific entries as `MODEL-VARIANT`); first is the default. */
const NVIDIA_MODELS: Record<string, readonly number[]> = {
  // Data centre
  B200: [180],
  H200: [141],
  'H200-NVL': [141],
  H100: [80],
  'H100-NVL': [94],
  H800: [80],
  H20: [96, 141],
  GH200: [96, 144],
  A100: [40, 80],
  A100X: [80],
  A800: [80, 40],
  A40: [48],
  A30: [24],
  A16: [16],
  A10: [24],
  A10G: [24],
  A2: [16],
  L40S: [48],
  L40: [48],
  L20: [48],
  L4: [24],
  T4: [16],
  V100: [16, 32],
  P100: [16, 12],
  P40: [24],
  P4: [8],
  K80: [12],
  M60: [8],
  // Workstation
  'RTX-PRO-6000': [96],
  'RTX-PRO-5000': [48],
  'RTX-PRO-4500': [32],
  'RTX-PRO-4000': [24],
  'RTX-6000-ADA': [48],
  'RTX-5880-ADA': [48],
  'RTX-5000-ADA': [32],
  'RTX-4500-ADA': [24],
  'RTX-4000-ADA': [20],
  'RTX-4000-SFF-ADA': [20],
  'RTX-2000-ADA': [16],
  'RTX-A6000': [48],
  'RTX-A5000': [24],
  'RTX-A4500': [20],
  'RTX-A4000': [16],
  'RTX-A2000': [6, 12],
  'RTX-8000': [48],
  'RTX-6000': [24],
  'RTX-5000': [16],
  'RTX-4000': [8],
  // GeForce
  'RTX-5090': [32],
  'RTX-5080': [16],
  'RTX-5070-TI': [16],
  'RTX-5070': [12],
  'RTX-5060-TI': [16, 8],
  'RTX-4090': [24],
  'RTX-4090D': [24],
  'RTX-4080-SUPER': [16],
  'RTX-4080': [16],
  'RTX-4070-TI-SUPER': [16],
  'RTX-4070-TI': [12],
  'RTX-4070-SUPER': [12],
  'RTX-4070': [12],
  'RTX-4060-TI': [8, 16],
  'RTX-4060': [8],
  'RTX-3090-TI': [24],
  'RTX-3090': [24],
  'RTX-3080-TI': [12],
  'RTX-3080': [10, 12],
  'RTX-3070-TI': [8],
  'RTX-3070': [8],
  'RTX-3060-TI': [8],
  'RTX-3060': [12, 8],
  'RTX-2080-TI': [11],
  'RTX-2080': [8],
  'GTX-1080-TI': [11],
  'TITAN-RTX': [24],
  'TITAN-V': [12],
};
const AMD_MODELS: Record<string, readonly number[]> = {
  MI355X: [288],
  MI325X: [256],
  MI300X: [192],
  MI300A: [128],
  MI250X: [128],
  MI250: [128],
  MI210: [64],
  MI100: [32],
};
const INTEL_MODELS: Record<string, readonly number[]> = { GAUDI3: [128], GAUDI2: [96], GAUDI: [32] };

const KNOWN = new Map<string, { sizes: readonly number[]; vendor: GpuVendor }>();
for (const [table, vendor] of [
  [NVIDIA_MODELS, 'NVIDIA'],
  [AMD_MODELS, 'AMD'],
  [INTEL_MODELS, 'Intel'],
] as const) {
  for (const [model, sizes] of Object.entries(table)) KNOWN.set(model, { sizes, vendor });
}

/** Models sold (almost) only as SXM: the SXM part is the default form and its key omits the variant. */
const SXM_DEFAULT = new Set(['H200', 'B200', 'B300', 'GB200', 'GH200']);

/** Snap to a known size within this fraction, as gpuhunt does (it uses 7%). */
const SNAP_TOLERANCE = 0.08;

/** Vendor words, memory technology and filler that never tell two cards apart. */
const NOISE = new Set([
  'NVIDIA',
  'GEFORCE',
  'TESLA',
  'QUADRO',
  'Q',
  'AMD',
  'INSTINCT',
  'INTEL',
  'HABANA',
  'HBM',
  'HBM2',
  'HBM2E',
  'HBM3',
  'HBM3E',
  'GDDR6',
  'GDDR6X',
  'GDDR7',
  'GENERATION',
  'GPU',
  'GPUS',
  'TENSOR',
  'CORE',
  'OAM',
  'BLACKWELL',
  'EDITION',
  'GRAPHICS',
  'ACCELERATOR',
]);
const VARIANTS: Record<string, string> = {
  SXM: 'SXM',
  SXM2: 'SXM',
  SXM3: 'SXM',
  SXM4: 'SXM',
  SXM5: 'SXM',
  SXM6: 'SXM',
  PCIE: 'PCIe',
  NVL: 'NVL',
  FHHL: 'FHHL',
  VWS: 'vWS',
};
/** RTX PRO (Blackwell) editions: Vast says "RTX PRO 6000 WS" / "S", nvidia-smi "Workstation/Server Edition". */
const PRO_VARIANTS: Record<string, string> = { WS: 'WS', WK: 'WS', WORKSTATION: 'WS', S: 'S', SERVER: 'S', MAXQ: 'MaxQ' };
const DISPLAY: Record<string, string> = { ADA: 'Ada', TI: 'Ti', GAUDI: 'Gaudi', GAUDI2: 'Gaudi2', GAUDI3: 'Gaudi3', TITAN: 'Titan' };
const VARIANT_DISPLAY: Record<string, string> = { S: 'Server', WS: 'Workstation', MaxQ: 'Max-Q' };

/**
 * Google accelerator types whose variant is known but not spelled: A2 (A100) and A3 (H100)
 * machines carry SXM parts. Others (nvidia-l4, nvidia-tesla-t4, nvidia-h200-141gb, nvidia-b200,
 * nvidia-tesla-v100 …) parse generically.
 */
const GCP_ACCELERATORS: Record<string, string> = {
  'nvidia-tesla-a100': 'A100 SXM 40GB',
  'nvidia-a100-80gb': 'A100 SXM 80GB',
  'nvidia-h100-80gb': 'H100 SXM 80GB',
  'nvidia-h100-mega-80gb': 'H100 SXM 80GB',
};

/** Azure VM sizes and OCI shapes → the GPU they carry (memory per GPU). `$1` is the first group. */
const SHAPES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(?:standard_)?nc\d+ads_a100_v4$/i, 'A100 PCIe 80GB'], // NC A100 v4
  [/^(?:standard_)?nd\d+asr_v4$/i, 'A100 SXM 40GB'], // ND A100 v4
  [/^(?:standard_)?nd\d+amsr_a100_v4$/i, 'A100 SXM 80GB'], // NDm A100 v4
  [/^(?:standard_)?nc\d+adi?s_h100_v5$/i, 'H100 NVL 94GB'], // NCads H100 v5
  [/^(?:standard_)?nd\d+isr_h100_v5$/i, 'H100 SXM 80GB'], // ND H100 v5
  [/^(?:standard_)?nd\d+isr_h200_v5$/i, 'H200 141GB'],
  [/^(?:standard_)?nd\d+isr_mi300x_v5$/i, 'MI300X 192GB'],
  [/^(?:standard_)?nd\d+r?s_v2$/i, 'V100 SXM 32GB'], // NDv2: NVLink-connected V100 32GB
  [/^(?:standard_)?nc\d+r?s_v3$/i, 'V100 16GB'], // NCv3: form factor not documented, so none
  [/^(?:standard_)?nc\d+as_t4_v3$/i, 'T4 16GB'],
  [/^(?:standard_)?(?:nv\d+adm?s_a10_v5|nc\d+ads_a10_v4)$/i, 'A10 24GB'],
  [/^bm\.gpu\.h100(?:-nc)?\.\d+$/i, 'H100 SXM 80GB'], // HGX H100
  [/^bm\.gpu\.a100-v2\.\d+$/i, 'A100 SXM 80GB'],
  [/^bm\.gpu4\.\d+$/i, 'A100 SXM 40GB'],
  [/^(?:bm|vm)\.gpu\.a100\.(\d+)g\.\d+$/i, 'A100 $1GB'], // VM.GPU.A100.40G.1, VM.GPU.A100.80G.1
  [/^(?:bm|vm)\.gpu3\.\d+$/i, 'V100 16GB'],
  [/^(?:bm|vm)\.gpu2\.\d+$/i, 'P100 16GB'],
  [/^(?:bm|vm)\.gpu\.([a-z0-9]+)(?:-[a-z0-9]+)*\.\d+$/i, '$1'], // BM.GPU.H200.8, VM.GPU.A10.1, BM.GPU.L40S-NC.4
];

/** Rewrite cloud catalogue identifiers (GCP accelerator types, Azure sizes, OCI shapes) to a plain GPU name. */
function fromCatalogue(name: string): string {
  const trimmed = name.trim();
  const gcp = /acceleratorTypes\/([^/]+)$/i.exec(trimmed)?.[1] ?? trimmed;
  const alias = GCP_ACCELERATORS[gcp.toLowerCase()];
  if (alias !== undefined) return alias;
  if (gcp !== trimmed) return gcp;
  for (const [re, target] of SHAPES) {
    const m = re.exec(trimmed);
    if (m) return target.replace('$1', m[1] ?? '');
  }
  return trimmed;
}

/** Split glued forms: "RTX4090", "6000Ada", "4080S", "3080Ti", "H100NVL", "A100-SXM4-80GB". */
function splitToken(t: string): string[] {
  let m: RegExpExecArray | null;
  if ((m = /^(RTX|GTX)(\d.*)$/.exec(t))) return [m[1], ...splitToken(m[2])];
  if ((m = /^(\d{4})(ADA|TI|SUPER|S)$/.exec(t))) return [m[1], m[2] === 'S' ? 'SUPER' : m[2]];
  if ((m = /^([A-Z]+\d+[A-Z]?)(NVL|SXM\d?|PCIE)$/.exec(t))) return [m[1], m[2]];
  return [t];
}

function tokenize(name: string): string[] {
  // ® and ™ go before NFKC, which would spell ™ as the letters "TM" ("AMD Instinct™ MI300X", OCI's gpuDescription).
  const s = name
    .replace(/[®™]/g, ' ')
    .normalize('NFKC')
    .toUpperCase()
    .replace(/\((?:R|TM)\)/g, ' ')
    .replace(/\bRUNNING IN\b.*$/, ' ') // Google billing SKU descriptions
    .replace(/\bMAX-Q\b/g, 'MAXQ')
    .replace(/\bPCI-E\b/g, 'PCIE');
  return s
    .split(/[^A-Z0-9]+/)
    .filter((t) => t !== '')
    .flatMap(splitToken);
}

function validMemory(n: number | undefined): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0;
}

/** Nearest known size within {@link SNAP_TOLERANCE}; otherwise whole GB. */
function snapMemory(gb: number, sizes: readonly number[] | undefined): number {
  let best: number | undefined;
  for (const s of sizes ?? []) if (best === undefined || Math.abs(s - gb) < Math.abs(best - gb)) best = s;
  if (best !== undefined && Math.abs(best - gb) / best <= SNAP_TOLERANCE) return best;
  return Math.max(1, Math.round(gb));
}

function guessVendor(model: readonly string[], all: readonly string[]): GpuVendor {
  const has = (w: string): boolean => all.includes(w);
  if (has('NVIDIA') || has('GEFORCE') || has('TESLA') || has('QUADRO') || /^(RTX|GTX|TITAN)$/.test(model[0] ?? '')) return 'NVIDIA';
  if (has('AMD') || has('RADEON') || has('INSTINCT') || /^MI\d/.test(model[0] ?? '')) return 'AMD';
  if (has('INTEL') || has('HABANA') || /^(GAUDI|ARC)/.test(model[0] ?? '')) return 'Intel';
  return 'other';
}

/**
 * Normalize a GPU name from any cloud. `memoryGb` (per GPU, in GB; Vast.ai's `gpu_ram` is MB, so
 * divide by 1024 first) wins over a size in the name, which wins over the model's default size.
 * Reported sizes snap to the nearest known size of the model within ~8% (81559 MB → 80 GB).
 */
export function normalizeGpu(name: string, memoryGb?: number): GpuIdentity {
  const all = tokenize(fromCatalogue(typeof name === 'string' ? name : ''));
  const isPro = all.includes('PRO');
  const model: string[] = [];
  let variant: string | undefined;
  let nameMemory: number | undefined;
  for (const t of all) {
    const mem = /^(\d+)(?:GB|GIB|G)$/.exec(t);
    const v = VARIANTS[t] ?? (isPro ? PRO_VARIANTS[t] : undefined);
    if (mem) nameMemory ??= Number(mem[1]);
    else if (v !== undefined) variant ??= v;
    else if (!NOISE.has(t)) model.push(t);
  }
  if (/^A\d{4}$/.test(model[0] ?? '')) model.unshift('RTX'); // "A6000" is the RTX A6000
  if (model[0] === 'GAUDI' && /^\d$/.test(model[1] ?? '')) model.splice(0, 2, `GAUDI${model[1]}`);
  if (model[0] === 'RTX' || model[0] === 'GTX') {
    // "RTX 4080 S" / "RTX 4070S Ti" → one order: number, TI, SUPER.
    const suffix = model.slice(2).map((t) => (t === 'S' && !isPro ? 'SUPER' : t));
    const rest = suffix.filter((t) => t !== 'TI' && t !== 'SUPER');
    model.splice(2, model.length, ...rest, ...['TI', 'SUPER'].filter((t) => suffix.includes(t)));
  }
  // nvidia-smi and RunPod call the SXM5 part "H100 80GB HBM3"; PCIe and NVL say so.
  if (model.join('-') === 'H100' && variant === undefined && all.includes('HBM3')) variant = 'SXM';
  // A bare "H100" (or "A100", "V100") stays without a variant, giving `H100-80GB`: we refuse to
  // guess SXM vs PCIe, so such offers never pose as either form.
  if (model.length === 0) model.push(...all.filter((t) => !/^\d+(?:GB|GIB|G)$/.test(t)));
  if (model.length === 0) model.push('UNKNOWN');

  const modelKey = model.join('-');
  if (variant === 'SXM' && SXM_DEFAULT.has(modelKey)) variant = undefined;
  const info = (variant !== undefined ? KNOWN.get(`${modelKey}-${variant.toUpperCase()}`) : undefined) ?? KNOWN.get(modelKey);
  // "NVIDIA GH200 480GB" counts the superchip's CPU memory too: ignore a name figure far above any known size.
  if (info && nameMemory !== undefined && nameMemory > 2 * Math.max(...info.sizes)) nameMemory = undefined;
  const reported = validMemory(memoryGb) ? memoryGb : nameMemory;
  const memory = reported !== undefined ? snapMemory(reported, info?.sizes) : info?.sizes[0];

  const key = [modelKey, variant, memory !== undefined ? `${memory}GB` : undefined].filter(Boolean).join('-');
  const modelName = model.map((t) => DISPLAY[t] ?? t).join(' ');
  const displayName = [
    modelName,
    variant !== undefined ? (VARIANT_DISPLAY[variant] ?? variant) : undefined,
    memory !== undefined ? `${memory} GB` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  const identity: GpuIdentity = { key, model: modelName, vendor: info?.vendor ?? guessVendor(model, all), displayName };
  if (variant !== undefined) identity.variant = variant;
  if (memory !== undefined) identity.memoryGb = memory;
  return identity;
}

/** `normalizeGpu(name, memoryGb).key`, e.g. `gpuKey('NVIDIA H100 80GB HBM3')` → `H100-SXM-80GB`. */
export function gpuKey(name: string, memoryGb?: number): string {
  return normalizeGpu(name, memoryGb).key;
}
