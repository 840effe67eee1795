// Seeded data for the simulated Oracle Cloud (oci.ts): compartments, instances, OKE clusters, Autonomous Databases, the
// tenancy's region subscriptions; Oracle's own shapes, estimator data and price list are in oci-oracle-data.ts. Field
// names and enums follow the models of oci-core / oci-identity / oci-containerengine / oci-database 2.139.1 (their
// lib/model/*.d.ts). Dates are ISO strings: the SDK never turns them into Date objects (oci-common lib/helper.js composeResponse;
// observed against a loopback server), so strings are exactly what a caller receives.
import { hostileName } from './hostile';
import { COMPUTE_GPU_SHAPES, oracleHourlyPrice } from './oci-oracle-data';
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
  /** Present on preemptible capacity (oci-core lib/model/preemptible-instance-config-details.d.ts). */
  preemptibleInstanceConfig?: { preemptionAction: { type: 'TERMINATE'; preserveBootVolume: boolean } } | null;
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

/**
 * The GPU shapes the generated tenancy runs: those Oracle's data prices (a test puts an instance on another shape
 * itself), so a default tenancy's GPU spend has no unpriced part.
 */
const GENERATED_GPU_SHAPES = COMPUTE_GPU_SHAPES.filter(
  (s) => oracleHourlyPrice({ shape: s.shape, shapeConfig: { ocpus: s.ocpus, memoryInGBs: s.memoryInGBs, gpus: s.gpus } }) !== undefined,
);

const CPU_SHAPES = [
  { shape: 'VM.Standard.E5.Flex', ocpus: 2, memoryInGBs: 16 },
  { shape: 'VM.Standard3.Flex', ocpus: 4, memoryInGBs: 64 },
  { shape: 'VM.Standard.A1.Flex', ocpus: 4, memoryInGBs: 24 },
];

/** ListShapes items (oci-core model Shape): GPU shapes carry gpus/gpuDescription, the others gpus 0. */
export function ociShapes(): unknown[] {
  return [
    ...COMPUTE_GPU_SHAPES.map((s) => ({
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
    const gpu = i % 4 === 3 ? undefined : GENERATED_GPU_SHAPES[(i - Math.floor((i + 1) / 4)) % GENERATED_GPU_SHAPES.length];
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
      // Every eleventh GPU instance runs on preemptible capacity (Compute "Preemptible Instances": TERMINATE on
      // preemption is the only action Oracle offers).
      preemptibleInstanceConfig: gpu && i % 11 === 5 ? { preemptionAction: { type: 'TERMINATE', preserveBootVolume: false } } : null,
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
