// Oracle's own published data, as the simulated Oracle Cloud serves it — never Cloudtop's tables:
//  - Compute's GPU shapes (ListShapes items, Instance.shapeConfig): shape names, GPU counts, OCPUs and memory from
//    Oracle's "Compute Shapes" page (docs.oracle.com/en-us/iaas/Content/Compute/References/computeshapes.htm), the
//    `gpuDescription` wording ("NVIDIA® A10") as Compute sends it (seen running oci-core 2.139.1 against OCI);
//  - the Cost Estimator's shape data (GET https://www.oracle.com/a/ocom/docs/cloudestimator2/data/shapes.json): the
//    field names, casings and `{value, label}` objects of the snapshot in oracle/oci-designer-toolkit
//    okitclassic/okitserver/static/okit/json/bom/shapes.json, plus `gpuQty`/`gpuMemoryQty`/`hidden` which
//    skypilot-org/skypilot sky/catalog/data_fetchers/fetch_oci.py and dstackai/gpuhunt src/gpuhunt/providers/oci.py
//    read from the live file; a display suffix on a name as skypilot's tests/unit_tests/test_oci_catalog_fetcher.py
//    shows it ("BM.GPU.GB200.4 (NVL72)");
//  - the price list (GET https://apexapps.oracle.com/pls/apex/cetools/api/v1/products/): `{lastUpdated, items[]}`,
//    each item's partNumber, displayName, metricName ("GPU Per Hour", "OCPU Per Hour", "Gigabyte Per Hour"),
//    serviceCategory and USD PAY_AS_YOU_GO price, as fetch_oci.py load_prices / load_price_metrics read them.
// Part numbers and USD prices: B95909 A10 2.00, B92740 A100 40 GB 3.05, B95907 A100 80 GB 4.00, B98415 H100 10.00 from
// the oci-designer-toolkit prices.json snapshot (buildDate 2023-11-02) and its sku_map.json; B109485 MI300X 6.00 and
// B110979 GB200 16.00 from skypilot's test_oci_catalog_fetcher.py; B110519 H200 and B109479 L40S as public price-list
// excerpts pair them. SAMPLE values (no public source ties them; they exercise what Oracle's data can say): the B200
// price, the RTXPRO shape's OCPU- and memory-billed parts, the MI355X part the price list does not carry yet, which
// shapes allow preemptible capacity, and BM.GPU.L40S-NC.4 being absent from the estimator file.

export interface ComputeGpuShape {
  readonly shape: string;
  readonly gpus: number;
  readonly gpuDescription: string;
  readonly ocpus: number;
  readonly memoryInGBs: number;
}

/** GPU shapes Compute launches (its ListShapes answer). */
export const COMPUTE_GPU_SHAPES: readonly ComputeGpuShape[] = [
  { shape: 'VM.GPU.A10.1', gpus: 1, gpuDescription: 'NVIDIA® A10', ocpus: 15, memoryInGBs: 240 },
  { shape: 'VM.GPU.A10.2', gpus: 2, gpuDescription: 'NVIDIA® A10', ocpus: 30, memoryInGBs: 480 },
  { shape: 'BM.GPU4.8', gpus: 8, gpuDescription: 'NVIDIA® A100 40GB', ocpus: 64, memoryInGBs: 2048 },
  { shape: 'BM.GPU.A100-v2.8', gpus: 8, gpuDescription: 'NVIDIA® A100 80GB', ocpus: 128, memoryInGBs: 2048 },
  { shape: 'BM.GPU.H100.8', gpus: 8, gpuDescription: 'NVIDIA® H100', ocpus: 112, memoryInGBs: 2048 },
  { shape: 'BM.GPU.H200.8', gpus: 8, gpuDescription: 'NVIDIA® H200', ocpus: 112, memoryInGBs: 3072 },
  { shape: 'BM.GPU.L40S.4', gpus: 4, gpuDescription: 'NVIDIA® L40S', ocpus: 112, memoryInGBs: 1024 },
  { shape: 'BM.GPU.MI300X.8', gpus: 8, gpuDescription: 'AMD Instinct™ MI300X', ocpus: 112, memoryInGBs: 2048 },
  { shape: 'BM.GPU.B200.8', gpus: 8, gpuDescription: 'NVIDIA® B200', ocpus: 128, memoryInGBs: 4096 },
  { shape: 'BM.GPU.GB200.4', gpus: 4, gpuDescription: 'NVIDIA® GB200', ocpus: 144, memoryInGBs: 960 },
  { shape: 'BM.GPU.MI355X.8', gpus: 8, gpuDescription: 'AMD Instinct™ MI355X', ocpus: 128, memoryInGBs: 3072 },
  { shape: 'BM.GPU.L40S-NC.4', gpus: 4, gpuDescription: 'NVIDIA® L40S', ocpus: 112, memoryInGBs: 1024 },
  { shape: 'BM.GPU.RTXPRO.8', gpus: 8, gpuDescription: 'NVIDIA® RTX PRO 6000', ocpus: 144, memoryInGBs: 3072 },
];

interface PriceItem {
  readonly partNumber: string;
  readonly displayName: string;
  readonly metricName: string;
  readonly serviceCategory: string;
  readonly usd: number;
}

const PRICE_ITEMS: readonly PriceItem[] = [
  { partNumber: 'B95909', displayName: 'Compute - GPU - A10', metricName: 'GPU Per Hour', serviceCategory: 'Compute - GPU', usd: 2 },
  { partNumber: 'B92740', displayName: 'Compute - GPU - E3', metricName: 'GPU Per Hour', serviceCategory: 'Compute - GPU', usd: 3.05 },
  { partNumber: 'B95907', displayName: 'Compute - GPU - A100 - v2', metricName: 'GPU Per Hour', serviceCategory: 'Compute - GPU', usd: 4 },
  {
    partNumber: 'B98415',
    displayName: 'OCI - Compute - GPU - H100',
    metricName: 'GPU Per Hour',
    serviceCategory: 'Compute - GPU',
    usd: 10,
  },
  {
    partNumber: 'B110519',
    displayName: 'OCI - Compute - GPU - H200',
    metricName: 'GPU Per Hour',
    serviceCategory: 'Compute - GPU',
    usd: 10,
  },
  { partNumber: 'B109479', displayName: 'Compute - GPU - L40S', metricName: 'GPU Per Hour', serviceCategory: 'Compute - GPU', usd: 3.5 },
  {
    partNumber: 'B109485',
    displayName: 'OCI - Compute - GPU - MI300X',
    metricName: 'GPU Per Hour',
    serviceCategory: 'Compute - GPU',
    usd: 6,
  },
  { partNumber: 'B110978', displayName: 'Compute - GPU - B200', metricName: 'GPU Per Hour', serviceCategory: 'Compute - GPU', usd: 14 },
  { partNumber: 'B110979', displayName: 'Compute - GPU - GB200', metricName: 'GPU Per Hour', serviceCategory: 'Compute - GPU', usd: 16 },
  {
    partNumber: 'B111950',
    displayName: 'Compute - GPU - RTX PRO - OCPU',
    metricName: 'OCPU Per Hour',
    serviceCategory: 'Compute - GPU',
    usd: 0.5,
  },
  {
    partNumber: 'B111951',
    displayName: 'Compute - GPU - RTX PRO - Memory',
    metricName: 'Gigabyte Per Hour',
    serviceCategory: 'Compute - GPU',
    usd: 0.01,
  },
  // Two non-GPU items, so a reader must go by part number.
  {
    partNumber: 'B97384',
    displayName: 'Compute - Standard - E5 - OCPU',
    metricName: 'OCPU Per Hour',
    serviceCategory: 'Compute - Virtual Machine',
    usd: 0.03,
  },
  {
    partNumber: 'B91961',
    displayName: 'Storage - Block Volume - Storage',
    metricName: 'Gigabyte Storage Capacity Per Month',
    serviceCategory: 'Storage - Block Volumes',
    usd: 0.0255,
  },
];

/** The price list answer (USD and one other currency, as the real list localizes every item). */
export function oraclePriceList(lastUpdated: string): { lastUpdated: string; items: unknown[] } {
  return {
    lastUpdated,
    items: PRICE_ITEMS.map(({ usd, ...item }) => ({
      ...item,
      currencyCodeLocalizations: [
        { currencyCode: 'EUR', prices: [{ model: 'PAY_AS_YOU_GO', value: Math.round(usd * 93) / 100 }] },
        { currencyCode: 'USD', prices: [{ model: 'PAY_AS_YOU_GO', value: usd }] },
      ],
    })),
  };
}

interface EstimatorGpuShape {
  /** As the estimator names it (a display suffix included). */
  readonly name: string;
  readonly shapeType: 'vm' | 'bm';
  readonly gpuQty: number;
  readonly gpuMemoryQty: number;
  readonly bundleMemoryQty: number;
  readonly allowPreemptible: boolean;
  readonly products: readonly { readonly partNumber: string; readonly type: 'ocpu' | 'memory'; readonly qty: number }[];
  readonly status?: string;
}

const ESTIMATOR_GPU_SHAPES: readonly EstimatorGpuShape[] = [
  gpu('VM.GPU.A10.1', 'vm', 1, 24, 240, true, [['B95909', 'ocpu', 1]]),
  gpu('VM.GPU.A10.2', 'vm', 2, 48, 480, true, [['B95909', 'ocpu', 2]]),
  gpu('BM.GPU4.8', 'bm', 8, 320, 2048, false, [['B92740', 'ocpu', 8]]),
  gpu('BM.GPU.A100-v2.8', 'bm', 8, 640, 2048, false, [['B95907', 'ocpu', 8]]),
  gpu('BM.GPU.H100.8', 'bm', 8, 640, 2048, false, [['B98415', 'ocpu', 112]]),
  gpu('BM.GPU.H200.8', 'bm', 8, 1128, 3072, false, [['B110519', 'ocpu', 8]]),
  gpu('BM.GPU.L40S.4', 'bm', 4, 192, 1024, false, [['B109479', 'ocpu', 4]]),
  gpu('BM.GPU.MI300X.8', 'bm', 8, 1536, 2048, false, [['B109485', 'ocpu', 112]]),
  gpu('BM.GPU.B200.8', 'bm', 8, 1440, 4096, false, [['B110978', 'ocpu', 8]]),
  gpu('BM.GPU.GB200.4 (NVL72)', 'bm', 4, 756, 960, false, [['B110979', 'ocpu', 128]]),
  gpu('BM.GPU.MI355X.8', 'bm', 8, 288, 3072, false, [['B112311', 'ocpu', 8]]),
  gpu('BM.GPU.RTXPRO.8', 'bm', 8, 768, 3072, false, [
    ['B111950', 'ocpu', 144],
    ['B111951', 'memory', 3072],
  ]),
  // A retired shape stays in the file (fetch_oci.py skips status != 'ACTIVE').
  { ...gpu('BM.GPU2.2', 'bm', 2, 32, 192, false, [['B88517', 'ocpu', 2]]), status: 'RETIRED' },
];

function gpu(
  name: string,
  shapeType: 'vm' | 'bm',
  gpuQty: number,
  gpuMemoryQty: number,
  bundleMemoryQty: number,
  allowPreemptible: boolean,
  products: [string, 'ocpu' | 'memory', number][],
): EstimatorGpuShape {
  return {
    name,
    shapeType,
    gpuQty,
    gpuMemoryQty,
    bundleMemoryQty,
    allowPreemptible,
    products: products.map(([partNumber, type, qty]) => ({ partNumber, type, qty })),
  };
}

const LABELS: Readonly<Record<string, string>> = { vm: 'VM', bm: 'BM', gpu: 'GPU', ocpu: 'OCPU', memory: 'Memory', flexible: 'Flexible' };
const valued = (value: string) => ({ value, label: LABELS[value] ?? value });

/** The Cost Estimator's shapes.json, in its own layout (count, items with every field the snapshot has). */
export function oracleEstimatorShapes(): { count: number; items: unknown[] } {
  const items = [
    ...ESTIMATOR_GPU_SHAPES.map((s, i) => ({
      status: s.status ?? 'ACTIVE',
      hidden: false,
      allowReservedCapacity: false,
      allowPreemptible: s.allowPreemptible,
      description: null,
      weight: null,
      processorType: { value: 'intel', label: 'Intel' },
      allowDedicatedHost: false,
      allowBurstable: false,
      shapeType: valued(s.shapeType),
      name: s.name,
      subType: valued('gpu'),
      gpuQty: s.gpuQty,
      gpuMemoryQty: s.gpuMemoryQty,
      products: s.products.map((p) => ({
        presetNames: ['OCI_COMPUTE_GPU'],
        min: null,
        default: null,
        max: null,
        qty: p.qty,
        partNumber: p.partNumber,
        type: valued(p.type),
      })),
      functionDescription: null,
      bundleMemoryQty: s.bundleMemoryQty,
      localDisk: 'Block storage only',
      id: 200 + i,
      features: null,
    })),
    // A flexible CPU shape, billed per OCPU and per GB (the snapshot's VM.Standard.E4.Flex layout).
    {
      status: 'ACTIVE',
      hidden: false,
      allowPreemptible: true,
      processorType: { value: 'amd', label: 'AMD' },
      shapeType: valued('vm'),
      name: 'VM.Standard.E5.Flex',
      subType: valued('flexible'),
      gpuQty: null,
      products: [
        { presetNames: [], min: 1, default: null, max: 94, qty: 0, partNumber: 'B97384', type: valued('ocpu') },
        { presetNames: [], min: 1, default: null, max: 1049, qty: 0, partNumber: 'B97385', type: valued('memory') },
      ],
      bundleMemoryQty: 0,
      id: 300,
      features: null,
    },
  ];
  return { count: items.length, items };
}

/** Oracle's documented preemptible price: half of on-demand (docs.oracle.com/en-us/iaas/Content/Compute/Concepts/preemptible.htm). */
const PREEMPTIBLE = 0.5;

/**
 * What Oracle bills an instance per hour by its own data (the estimator's parts × the price list's units), for tests'
 * expectations: undefined when Oracle's data names no price for its shape. Stopped instances are the caller's question.
 */
export function oracleHourlyPrice(instance: {
  shape: string;
  shapeConfig: { ocpus: number; memoryInGBs: number; gpus: number | null };
  preemptibleInstanceConfig?: unknown;
}): number | undefined {
  const entry = ESTIMATOR_GPU_SHAPES.find((s) => s.name.replace(/\s*\(.*\)$/, '') === instance.shape);
  if (!entry) return undefined;
  let total = 0;
  for (const product of entry.products) {
    const item = PRICE_ITEMS.find((p) => p.partNumber === product.partNumber);
    if (!item) return undefined;
    const units =
      item.metricName === 'GPU Per Hour'
        ? (instance.shapeConfig.gpus ?? 0)
        : item.metricName === 'OCPU Per Hour'
          ? instance.shapeConfig.ocpus
          : instance.shapeConfig.memoryInGBs;
    total += item.usd * units;
  }
  return instance.preemptibleInstanceConfig ? total * PREEMPTIBLE : total;
}

/**
 * Whether Oracle bills the instance now: running, or on its way to stopped (STOPPING: it still runs); and on a GPU shape
 * other than VM.GPU.A10 also stopped or starting, as such a shape is billed while stopped
 * (docs.oracle.com/en-us/iaas/Content/Compute/Tasks/resource-billing-stopped-instances.htm).
 */
export function oracleBillsNow(instance: { lifecycleState: string; shape: string; shapeConfig: { gpus: number | null } }): boolean {
  if (instance.lifecycleState === 'RUNNING' || instance.lifecycleState === 'STOPPING') return true;
  const billedStopped = (instance.shapeConfig.gpus ?? 0) > 0 && !instance.shape.startsWith('VM.GPU.A10.');
  return billedStopped && (instance.lifecycleState === 'STOPPED' || instance.lifecycleState === 'STARTING');
}
