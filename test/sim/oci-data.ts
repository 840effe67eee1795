// Seeded data for the simulated Oracle Cloud (oci.ts): compartments, instances, OKE clusters, Autonomous Databases, the
// tenancy's region subscriptions and the public price list. Field names and enums follow the models of oci-core /
// oci-identity / oci-containerengine / oci-database 2.139.1 (their lib/model/*.d.ts) and the public price list as
// skypilot-org/skypilot sky/catalog/data_fetchers/fetch_oci.py and dstackai/gpuhunt src/gpuhunt/providers/oci.py read
// it. Dates are ISO strings: the SDK never turns them into Date objects (oci-common lib/helper.js composeResponse;
// observed against a loopback server), so strings are exactly what a caller receives.
import { hostileName } from './hostile';
import { Rng, SIM_EPOCH } from './seed';

export interface OciCompartment {
  id: string;
  compartmentId: string; // the parent
  name: string;
  description: string;
  timeCreated: string;
  lifecycleState: 'ACTIVE';
  isAccessible: boolean;
  freeformTags: Record<string, string>;
  definedTags: Record<string, Record<string, unknown>>;
}

export interface OciShapeConfig {
  ocpus: number;
  memoryInGBs: number;
  vcpus: number;
  gpus: number | null;
  gpuDescription: string | null;
}

export interface OciInstance {
  id: string;
  compartmentId: string;
  availabilityDomain: string;
  displayName: string | null;
  lifecycleState: string;
  region: string;
  shape: string;
  shapeConfig: OciShapeConfig;
  timeCreated: string;
  freeformTags: Record<string, string>;
}

export interface OciCluster {
  id: string;
  name: string;
  compartmentId: string;
  vcnId: string;
  kubernetesVersion: string;
  lifecycleState: string;
  type: 'BASIC_CLUSTER' | 'ENHANCED_CLUSTER';
  metadata: { timeCreated: string };
}

export interface OciAutonomousDatabase {
  id: string;
  compartmentId: string;
  dbName: string;
  displayName: string | null;
  lifecycleState: string;
  computeModel: 'ECPU' | 'OCPU';
  computeCount: number;
  dataStorageSizeInTBs: number;
  dbWorkload: 'OLTP' | 'DW' | 'AJD' | 'APEX';
  isFreeTier: boolean;
  timeCreated: string;
}

/** GPU shapes (OCI "Compute Shapes" docs); part numbers and per-GPU-hour prices are the sim's own table. */
export interface OciGpuShape {
  readonly shape: string;
  readonly gpus: number;
  readonly gpuDescription: string;
  readonly ocpus: number;
  readonly memoryInGBs: number;
  /**
   * The price list's part number as public catalogues map the shape (oracle/oci-designer-toolkit bom/sku_map.json,
   * SkyPilot's OCI catalog test data): the price list itself names no shapes, only part numbers.
   */
  readonly partNumber: string;
  /** USD per GPU-hour, PAY_AS_YOU_GO, roughly Oracle's public list price. */
  readonly pricePerGpuHour: number;
}

export const OCI_GPU_SHAPES: readonly OciGpuShape[] = [
  { shape: 'VM.GPU.A10.1', gpus: 1, gpuDescription: 'NVIDIA® A10', ocpus: 15, memoryInGBs: 240, partNumber: 'B95909', pricePerGpuHour: 2 },
  { shape: 'VM.GPU.A10.2', gpus: 2, gpuDescription: 'NVIDIA® A10', ocpus: 30, memoryInGBs: 480, partNumber: 'B95909', pricePerGpuHour: 2 },
  {
    shape: 'BM.GPU4.8',
    gpus: 8,
    gpuDescription: 'NVIDIA® A100 40GB',
    ocpus: 64,
    memoryInGBs: 2048,
    partNumber: 'B92740',
    pricePerGpuHour: 3.05,
  },
  {
    shape: 'BM.GPU.A100-v2.8',
    gpus: 8,
    gpuDescription: 'NVIDIA® A100 80GB',
    ocpus: 128,
    memoryInGBs: 2048,
    partNumber: 'B95907',
    pricePerGpuHour: 4,
  },
  {
    shape: 'BM.GPU.H100.8',
    gpus: 8,
    gpuDescription: 'NVIDIA® H100',
    ocpus: 112,
    memoryInGBs: 2048,
    partNumber: 'B98415',
    pricePerGpuHour: 10,
  },
  {
    shape: 'BM.GPU.H200.8',
    gpus: 8,
    gpuDescription: 'NVIDIA® H200',
    ocpus: 112,
    memoryInGBs: 3072,
    partNumber: 'B110519',
    pricePerGpuHour: 10,
  },
  {
    shape: 'BM.GPU.L40S.4',
    gpus: 4,
    gpuDescription: 'NVIDIA® L40S',
    ocpus: 112,
    memoryInGBs: 1024,
    partNumber: 'B109479',
    pricePerGpuHour: 3.5,
  },
  {
    shape: 'BM.GPU.MI300X.8',
    gpus: 8,
    gpuDescription: 'AMD Instinct™ MI300X',
    ocpus: 112,
    memoryInGBs: 2048,
    partNumber: 'B109485',
    pricePerGpuHour: 6,
  },
];

const CPU_SHAPES = [
  { shape: 'VM.Standard.E5.Flex', ocpus: 2, memoryInGBs: 16 },
  { shape: 'VM.Standard3.Flex', ocpus: 4, memoryInGBs: 64 },
  { shape: 'VM.Standard.A1.Flex', ocpus: 4, memoryInGBs: 24 },
];

/** ListShapes items (oci-core model Shape): GPU shapes carry gpus/gpuDescription, the others gpus 0. */
export function ociShapes(): unknown[] {
  return [
    ...OCI_GPU_SHAPES.map((s) => ({
      shape: s.shape,
      gpus: s.gpus,
      gpuDescription: s.gpuDescription,
      ocpus: s.ocpus,
      memoryInGBs: s.memoryInGBs,
      isFlexible: false,
      billingType: 'PAID',
    })),
    ...CPU_SHAPES.map((s) => ({
      shape: s.shape,
      gpus: 0,
      ocpus: s.ocpus,
      memoryInGBs: s.memoryInGBs,
      isFlexible: true,
      billingType: s.shape.includes('A1') ? 'LIMITED_FREE' : 'PAID',
    })),
  ];
}

/** The oci-core Instance.LifecycleState enum minus the transient image state. */
export const OCI_INSTANCE_STATES = [
  'RUNNING',
  'RUNNING',
  'RUNNING',
  'STARTING',
  'PROVISIONING',
  'STOPPING',
  'STOPPED',
  'TERMINATING',
  'TERMINATED',
  'MOVING',
];

export const OCI_REGION = { regionName: 'us-ashburn-1', regionKey: 'IAD', shortCode: 'iad', adPrefix: 'US-ASHBURN' } as const;
export const OCI_SECOND_REGION = { regionName: 'us-phoenix-1', regionKey: 'PHX', shortCode: 'phx', adPrefix: 'PHX' } as const;

const iso = (minutesAgo: number): string => new Date(SIM_EPOCH - minutesAgo * 60_000).toISOString();
const ocid = (kind: string, realmRegion: string, rng: Rng): string =>
  `ocid1.${kind}.oc1.${realmRegion}.${Array.from({ length: 60 }, () => 'abcdefghijklmnopqrstuvwxyz234567'[rng.int(0, 31)]).join('')}`;

export interface OciAccount {
  tenancyId: string;
  compartments: OciCompartment[];
  instances: OciInstance[];
  clusters: OciCluster[];
  databases: OciAutonomousDatabase[];
}

export interface OciDataOptions {
  readonly count?: number;
  readonly compartments?: number;
  readonly hostile?: boolean;
}

export function generateOciAccount(seed: number, tenancyId: string, o: OciDataOptions): OciAccount {
  const rng = new Rng(seed);
  const compartments: OciCompartment[] = [];
  const nComp = o.compartments ?? 3;
  for (let i = 0; i < nComp; i++) {
    // Every third compartment is nested in the one before it: ListCompartments only finds those with
    // compartmentIdInSubtree=true (Identity API ListCompartments docs).
    const parent = i % 3 === 2 ? compartments[i - 1].id : tenancyId;
    compartments.push({
      id: ocid('compartment', '', rng),
      compartmentId: parent,
      name: o.hostile ? hostileName(i) : `team-${i + 1}`,
      description: `simulated compartment ${i + 1}`,
      timeCreated: iso(rng.int(10_000, 500_000)),
      lifecycleState: 'ACTIVE',
      isAccessible: true,
      freeformTags: {},
      definedTags: {},
    });
  }
  const homes = [tenancyId, ...compartments.map((c) => c.id)];
  const instances: OciInstance[] = [];
  for (let i = 0; i < (o.count ?? 12); i++) {
    // Every fourth instance is a CPU one; the GPU ones go through every GPU shape in turn.
    const gpu = i % 4 === 3 ? undefined : OCI_GPU_SHAPES[(i - Math.floor((i + 1) / 4)) % OCI_GPU_SHAPES.length];
    // Every seventh lives in the tenancy's second subscribed region: its OCID and AD say so (a region's API lists
    // only its own; the sim answers every region from one origin, so the region is in the data).
    const region = i % 7 === 6 ? OCI_SECOND_REGION : OCI_REGION;
    const cpu = CPU_SHAPES[i % CPU_SHAPES.length];
    instances.push({
      id: ocid('instance', region.shortCode, rng),
      compartmentId: homes[i % homes.length],
      availabilityDomain: `Uocm:${region.adPrefix}-AD-${(i % 3) + 1}`,
      displayName: o.hostile && i % 5 === 4 ? null : o.hostile ? hostileName(i) : `${gpu ? 'gpu' : 'cpu'}-box-${i + 1}`,
      lifecycleState: OCI_INSTANCE_STATES[i % OCI_INSTANCE_STATES.length],
      region: region.shortCode,
      shape: gpu?.shape ?? cpu.shape,
      shapeConfig: gpu
        ? { ocpus: gpu.ocpus, memoryInGBs: gpu.memoryInGBs, vcpus: gpu.ocpus * 2, gpus: gpu.gpus, gpuDescription: gpu.gpuDescription }
        : { ocpus: cpu.ocpus, memoryInGBs: cpu.memoryInGBs, vcpus: cpu.ocpus * 2, gpus: null, gpuDescription: null },
      timeCreated: iso(rng.int(5, 50_000)),
      freeformTags: {},
    });
  }
  const clusters: OciCluster[] = homes.slice(1, 3).map((home, i) => ({
    id: ocid('cluster', OCI_REGION.shortCode, rng),
    name: o.hostile ? hostileName(i + 3) : `oke-${i + 1}`,
    compartmentId: home,
    vcnId: ocid('vcn', OCI_REGION.shortCode, rng),
    kubernetesVersion: 'v1.31.1',
    lifecycleState: i === 0 ? 'ACTIVE' : 'CREATING',
    type: i === 0 ? 'ENHANCED_CLUSTER' : 'BASIC_CLUSTER',
    metadata: { timeCreated: iso(rng.int(100, 90_000)) },
  }));
  const databases: OciAutonomousDatabase[] = homes.slice(0, 2).map((home, i) => ({
    id: ocid('autonomousdatabase', OCI_REGION.shortCode, rng),
    compartmentId: home,
    dbName: `simdb${i + 1}`,
    displayName: o.hostile ? hostileName(i + 5) : `sim-db-${i + 1}`,
    lifecycleState: i === 0 ? 'AVAILABLE' : 'STOPPED',
    computeModel: 'ECPU',
    computeCount: i === 0 ? 2 : 4,
    dataStorageSizeInTBs: 1,
    dbWorkload: i === 0 ? 'OLTP' : 'DW',
    isFreeTier: false,
    timeCreated: iso(rng.int(100, 90_000)),
  }));
  return { tenancyId, compartments, instances, clusters, databases };
}

/**
 * The public price list (as fetch_oci.py and gpuhunt's oci.py read it: `{lastUpdated, items[]}`, GPU items with
 * metricName "GPU Per Hour"), plus two non-GPU items so a consumer must filter. One item per distinct part number.
 */
export function ociPriceList(): { lastUpdated: string; items: unknown[] } {
  const seen = new Set<string>();
  const gpuItems = OCI_GPU_SHAPES.filter((s) => !seen.has(s.partNumber) && seen.add(s.partNumber)).map((s) => ({
    partNumber: s.partNumber,
    displayName: `Compute - GPU - ${s.gpuDescription.replace(/®|™/g, '')}`,
    metricName: 'GPU Per Hour',
    serviceCategory: 'Compute - GPU',
    currencyCodeLocalizations: [{ currencyCode: 'USD', prices: [{ model: 'PAY_AS_YOU_GO', value: s.pricePerGpuHour }] }],
  }));
  const other = [
    {
      partNumber: 'B97384',
      displayName: 'Compute - Standard - E5 - OCPU',
      metricName: 'OCPU Per Hour',
      serviceCategory: 'Compute - Virtual Machine',
      value: 0.03,
    },
    {
      partNumber: 'B91961',
      displayName: 'Storage - Block Volume - Storage',
      metricName: 'Gigabyte Storage Capacity Per Month',
      serviceCategory: 'Storage - Block Volumes',
      value: 0.0255,
    },
  ].map(({ value, ...rest }) => ({
    ...rest,
    currencyCodeLocalizations: [{ currencyCode: 'USD', prices: [{ model: 'PAY_AS_YOU_GO', value }] }],
  }));
  return { lastUpdated: new Date(SIM_EPOCH).toISOString(), items: [...gpuItems, ...other] };
}
