// The Cloud Billing Catalog for the simulated Google Cloud (npm @google-cloud/billing CloudCatalogClient):
//   GET /v1/services                       the public services (Compute Engine is 6F81-5844-456A)
//   GET /v1/services/:service/skus         ?currencyCode=USD&pageSize=&pageToken=  → {skus, nextPageToken}
// A Compute Engine catalogue in Google's own wording, which is several wordings at once. Where each comes from:
//  - legacy GPUs "Nvidia Tesla T4 GPU running in Americas" and "Spot Preemptible …": skypilot-org/skypilot
//    sky/catalog/data_fetchers/fetch_gcp.py and dstackai/gpuhunt src/gpuhunt/providers/gcp.py (its
//    `^(?:spot preemptible )?(.+) (gpu|ram|core)` reads them);
//  - current GPUs, SpareCores/sc-crawler tests/test_gcp.py (test_gcp_skus_dict_indexes_gpu_skus and the A3/A4/G4
//    tests): "H200 141GB GPU running in …", "Nvidia H100 80GB Plus GPU running in Americas", "Nvidia H100 80GB Mega GPU
//    attached to Spot Preemptible VMs running in …", "RTX 6000 96GB running in Belgium" (cloud.google.com/skus/sku-groups/
//    g4-on-demand-vms; no word GPU), "Nvidia H100 80GB GPU attached to Spot Preemptible VMs running in Americas", "A3
//    Instance Core", "G4 Instance Core running in Iowa", "Spot Preemptible A4 Nvidia B200 (1 gpu slice) running in
//    Americas" filed under usage type OnDemand, "1/8 vGPU no lssd running in Iowa";
//  - "A3Plus Instance" (A3 Mega) and "A3Ultra Instance" cores and RAM: gpuhunt's family map and sc-crawler's
//    test_gcp_server_family (a3-megagpu → a3plus, a3-ultragpu → a3ultra);
//  - flex-start (DWS): "Nvidia H100 80GB GPU attached to DWS Defined Duration VMs running in Americas" (SKU 341A-49A5-0C07),
//    "DWS Defined Duration A3 Core running in Americas" (9A32-36B2-7FBC) and "… A3 Ram …" (ED19-A584-4A84), as the
//    billing report of zenn.dev's Vertex AI DWS article shows them (cloud.google.com/skus/sku-groups/flex-start-mode-a3-vms);
//  - A4 on demand "A4 Nvidia B200 (1 gpu slice) running in Americas" ($16.11) and A3 Mega's flex-start "Nvidia H100 Mega
//    80GB GPU attached to DWS Defined Duration VMs running in Americas", as a public Go catalogue reader's test quotes
//    them (TestParseSpotGPUQuotes); A4X "A4X Nvidia GB200 (1 gpu slice) running in Americas" is built on the A4 shape,
//    UNCONFIRMED (A4 and A4X have no core or RAM SKUs).
// Price areas cover several regions each (Americas, Virginia, EMEA, APAC, Taiwan; the newer SKUs name cities: Iowa,
// Belgium) at different prices. The decoys a matcher must skip (commitments, reservations, sole tenancy, custom machine
// types, virtual workstations, licences) sit among ordinary storage and network SKUs, so the pages hold all kinds mixed.
// No DWS Calendar Mode SKU is served: a reservation-bound VM has no catalogue price here.
// Prices are a pure function of the SKU: gcpGpuPrice/gcpCorePrice/gcpRamPrice are the truths tests compare against.
import { hashSeed } from './seed';

export const GCP_COMPUTE_SERVICE = '6F81-5844-456A';

/** The price a VM pays: on demand, Spot (Preemptible SKUs), flex-start (DWS Defined Duration SKUs). */
export type GcpUsage = 'OnDemand' | 'Preemptible' | 'FlexStart';

interface Area {
  /** How descriptions name it ("… running in Americas"). */
  readonly name: string;
  readonly regions: readonly string[];
  readonly factor: number;
  readonly geo: 'REGIONAL' | 'MULTI_REGIONAL';
}

type AreaId = 'americas' | 'virginia' | 'emea' | 'apac' | 'taiwan' | 'iowa' | 'belgium';

const AREAS: Readonly<Record<AreaId, Area>> = {
  americas: { name: 'Americas', regions: ['us-central1', 'us-east1', 'us-west1'], factor: 1, geo: 'MULTI_REGIONAL' },
  virginia: { name: 'Virginia', regions: ['us-east4'], factor: 1.126, geo: 'REGIONAL' },
  emea: { name: 'EMEA', regions: ['europe-west1', 'europe-west4'], factor: 1.1, geo: 'MULTI_REGIONAL' },
  apac: { name: 'APAC', regions: ['asia-east1'], factor: 1.155, geo: 'MULTI_REGIONAL' },
  taiwan: { name: 'Taiwan', regions: ['asia-east1'], factor: 1.098, geo: 'REGIONAL' },
  iowa: { name: 'Iowa', regions: ['us-central1'], factor: 1, geo: 'REGIONAL' },
  belgium: { name: 'Belgium', regions: ['europe-west1'], factor: 1.1, geo: 'REGIONAL' },
};

interface GpuSku {
  readonly type: string;
  /** As the catalogue names it on demand, e.g. "Nvidia Tesla A100 80GB", "RTX 6000 96GB", "A4 Nvidia B200 (1 gpu slice)". */
  readonly name: string;
  /** Whether " GPU" follows the name (not for G4's "RTX 6000 96GB", nor for the A4/A4X slices). */
  readonly gpuWord: boolean;
  /** How the Spot SKU is worded: "Spot Preemptible <name>" or "<name> attached to Spot Preemptible VMs". */
  readonly spotWording: 'prefix' | 'attached';
  /** The Spot SKU's name when it differs (A3 Mega: "Nvidia H100 80GB Mega"). */
  readonly spotName?: string;
  /** The usage type the Spot SKU is filed under (A4's is OnDemand, its words say Spot). */
  readonly spotUsageType?: 'Preemptible' | 'OnDemand';
  /** The flex-start SKU's name ("<name> GPU attached to DWS Defined Duration VMs"), when the catalogue has one. */
  readonly flexName?: string;
  /** A slice SKU: per GPU, with the VM's cores and memory. */
  readonly slice?: boolean;
  readonly onDemand: number;
  readonly spot: number;
  readonly flex?: number;
  readonly areas: readonly AreaId[];
}

/** Americas USD per GPU-hour (close to the public list prices). */
const GPUS: readonly GpuSku[] = [
  {
    type: 'nvidia-tesla-t4',
    name: 'Nvidia Tesla T4',
    gpuWord: true,
    spotWording: 'prefix',
    onDemand: 0.35,
    spot: 0.14,
    areas: ['americas', 'virginia', 'emea', 'apac'],
  },
  {
    type: 'nvidia-tesla-v100',
    name: 'Nvidia Tesla V100',
    gpuWord: true,
    spotWording: 'prefix',
    onDemand: 2.48,
    spot: 0.992,
    areas: ['americas', 'emea', 'apac'],
  },
  {
    type: 'nvidia-tesla-a100',
    name: 'Nvidia Tesla A100',
    gpuWord: true,
    spotWording: 'prefix',
    onDemand: 2.933908,
    spot: 0.880172,
    areas: ['americas', 'emea', 'apac'],
  },
  {
    type: 'nvidia-a100-80gb',
    name: 'Nvidia Tesla A100 80GB',
    gpuWord: true,
    spotWording: 'prefix',
    onDemand: 3.92808,
    spot: 1.571232,
    areas: ['americas', 'emea'],
  },
  {
    type: 'nvidia-h100-80gb',
    name: 'Nvidia H100 80GB',
    gpuWord: true,
    spotWording: 'attached',
    flexName: 'Nvidia H100 80GB',
    onDemand: 11.06,
    spot: 2.938965,
    flex: 4.200761,
    areas: ['americas', 'emea'],
  },
  {
    type: 'nvidia-h100-mega-80gb',
    name: 'Nvidia H100 80GB Plus',
    gpuWord: true,
    spotWording: 'attached',
    spotName: 'Nvidia H100 80GB Mega',
    flexName: 'Nvidia H100 Mega 80GB',
    onDemand: 10.344275712,
    spot: 3.179532,
    flex: 4.6,
    areas: ['americas', 'emea'],
  },
  {
    type: 'nvidia-h200-141gb',
    name: 'H200 141GB',
    gpuWord: true,
    spotWording: 'attached',
    onDemand: 10.5,
    spot: 3.72,
    areas: ['americas', 'emea'],
  },
  {
    type: 'nvidia-b200',
    name: 'A4 Nvidia B200 (1 gpu slice)',
    gpuWord: false,
    spotWording: 'prefix',
    spotUsageType: 'OnDemand',
    slice: true,
    onDemand: 16.11,
    spot: 4.9542,
    areas: ['americas'],
  },
  {
    type: 'nvidia-gb200',
    name: 'A4X Nvidia GB200 (1 gpu slice)',
    gpuWord: false,
    spotWording: 'prefix',
    slice: true,
    onDemand: 17.3,
    spot: 5.4,
    areas: ['americas'],
  },
  {
    type: 'nvidia-rtx-pro-6000',
    name: 'RTX 6000 96GB',
    gpuWord: false,
    spotWording: 'attached',
    onDemand: 1.09565,
    spot: 0.43826,
    areas: ['iowa', 'belgium'],
  },
  {
    type: 'nvidia-l4',
    name: 'Nvidia L4',
    gpuWord: true,
    spotWording: 'prefix',
    onDemand: 0.559973,
    spot: 0.223989,
    areas: ['americas', 'virginia', 'emea', 'apac'],
  },
];

interface FamilySku {
  readonly family: string;
  readonly label: string;
  readonly core: readonly [onDemand: number, spot: number];
  /** Per GiB-hour. */
  readonly ram: readonly [onDemand: number, spot: number];
  readonly coreGroup: string;
  readonly ramGroup: string;
  readonly areas?: readonly AreaId[];
  /** Flex-start core and RAM ("DWS Defined Duration A3 Core running in …", no word Instance), when the catalogue has them. */
  readonly flex?: readonly [core: number, ram: number];
}

const FAMILIES: readonly FamilySku[] = [
  {
    family: 'n1',
    label: 'N1 Predefined Instance',
    core: [0.031611, 0.006655],
    ram: [0.004237, 0.000892],
    coreGroup: 'N1Standard',
    ramGroup: 'N1Standard',
  },
  { family: 'a2', label: 'A2 Instance', core: [0.031611, 0.009483], ram: [0.004237, 0.001271], coreGroup: 'CPU', ramGroup: 'RAM' },
  {
    family: 'a3',
    label: 'A3 Instance',
    core: [0.03222, 0.008869],
    ram: [0.002817, 0.000777],
    coreGroup: 'CPU',
    ramGroup: 'RAM',
    flex: [0.010934, 0.000952],
  },
  { family: 'a3plus', label: 'A3Plus Instance', core: [0.029563, 0.008869], ram: [0.00259, 0.000777], coreGroup: 'CPU', ramGroup: 'RAM' },
  { family: 'a3ultra', label: 'A3Ultra Instance', core: [0.031, 0.0093], ram: [0.0027, 0.00081], coreGroup: 'CPU', ramGroup: 'RAM' },
  { family: 'g2', label: 'G2 Instance', core: [0.024988, 0.009995], ram: [0.002928, 0.001171], coreGroup: 'CPU', ramGroup: 'RAM' },
  {
    family: 'g4',
    label: 'G4 Instance',
    core: [0.04891, 0.019564],
    ram: [0.00587, 0.002348],
    coreGroup: 'CPU',
    ramGroup: 'RAM',
    areas: ['iowa', 'belgium'],
  },
  { family: 'e2', label: 'E2 Instance', core: [0.021811, 0.006543], ram: [0.002923, 0.000877], coreGroup: 'CPU', ramGroup: 'RAM' },
  { family: 'n2', label: 'N2 Instance', core: [0.031611, 0.007655], ram: [0.004237, 0.001026], coreGroup: 'CPU', ramGroup: 'RAM' },
];
const CORE_AREAS: readonly AreaId[] = ['americas', 'virginia', 'emea', 'taiwan'];

type Unit = 'h' | 'GiBy.h' | 'GiBy.mo' | 'GiBy';
const UNITS: Readonly<Record<Unit, { description: string; base: string; baseDescription: string; factor: number }>> = {
  h: { description: 'hour', base: 's', baseDescription: 'second', factor: 3600 },
  'GiBy.h': { description: 'gibibyte hour', base: 'By.s', baseDescription: 'byte second', factor: 3_865_470_566_400 },
  'GiBy.mo': { description: 'gibibyte month', base: 'By.s', baseDescription: 'byte second', factor: 2_783_138_807_808_000 },
  GiBy: { description: 'gibibyte', base: 'By', baseDescription: 'byte', factor: 1_073_741_824 },
};

interface SkuDef {
  readonly description: string;
  readonly resourceFamily: string;
  readonly resourceGroup: string;
  readonly usageType: string;
  readonly regions: readonly string[];
  readonly geo: 'GLOBAL' | 'REGIONAL' | 'MULTI_REGIONAL';
  readonly unit: Unit;
  /** [startUsageAmount, USD] tiers, the first at 0. */
  readonly tiers: readonly (readonly [number, number])[];
}

const nanosOf = (usd: number): number => Math.round(usd * 1e9);
/** A price as a client reads it back: Number(units) + nanos / 1e9. */
const priceOf = (nanos: number): number => Math.floor(nanos / 1e9) + (nanos % 1e9) / 1e9;

function gpuDescription(g: GpuSku, area: Area, usage: GcpUsage): string {
  const word = g.gpuWord ? ' GPU' : '';
  if (usage === 'FlexStart') return `${g.flexName ?? g.name}${word} attached to DWS Defined Duration VMs running in ${area.name}`;
  if (usage === 'OnDemand') return `${g.name}${word} running in ${area.name}`;
  return g.spotWording === 'prefix'
    ? `Spot Preemptible ${g.spotName ?? g.name}${word} running in ${area.name}`
    : `${g.spotName ?? g.name}${word} attached to Spot Preemptible VMs running in ${area.name}`;
}

function familyDescription(f: FamilySku, what: 'Core' | 'Ram', area: Area, usage: GcpUsage): string {
  if (usage === 'FlexStart') return `DWS Defined Duration ${f.label.split(' ')[0]} ${what} running in ${area.name}`;
  return `${usage === 'Preemptible' ? 'Spot Preemptible ' : ''}${f.label} ${what} running in ${area.name}`;
}

function catalogue(): SkuDef[] {
  const out: SkuDef[] = [];
  const add = (
    description: string,
    resourceFamily: string,
    resourceGroup: string,
    usageType: string,
    area: Area | 'global',
    unit: Unit,
    tiers: readonly (readonly [number, number])[],
  ) =>
    out.push({
      description,
      resourceFamily,
      resourceGroup,
      usageType,
      regions: area === 'global' ? [] : area.regions,
      geo: area === 'global' ? 'GLOBAL' : area.geo,
      unit,
      tiers,
    });
  for (const g of GPUS) {
    for (const id of g.areas) {
      const area = AREAS[id];
      add(gpuDescription(g, area, 'OnDemand'), 'Compute', 'GPU', 'OnDemand', area, 'h', [[0, g.onDemand * area.factor]]);
      const spotUsage = g.spotUsageType ?? 'Preemptible';
      add(gpuDescription(g, area, 'Preemptible'), 'Compute', 'GPU', spotUsage, area, 'h', [[0, g.spot * area.factor]]);
      // Flex-start SKUs are filed as OnDemand; their words say DWS.
      if (g.flex !== undefined)
        add(gpuDescription(g, area, 'FlexStart'), 'Compute', 'GPU', 'OnDemand', area, 'h', [[0, g.flex * area.factor]]);
    }
  }
  for (const f of FAMILIES) {
    for (const id of f.areas ?? CORE_AREAS) {
      const area = AREAS[id];
      for (const [i, usage] of (['OnDemand', 'Preemptible'] as const).entries()) {
        add(familyDescription(f, 'Core', area, usage), 'Compute', f.coreGroup, usage, area, 'h', [[0, f.core[i] * area.factor]]);
        add(familyDescription(f, 'Ram', area, usage), 'Compute', f.ramGroup, usage, area, 'GiBy.h', [[0, f.ram[i] * area.factor]]);
      }
      if (f.flex) {
        add(familyDescription(f, 'Core', area, 'FlexStart'), 'Compute', f.coreGroup, 'OnDemand', area, 'h', [[0, f.flex[0] * area.factor]]);
        add(familyDescription(f, 'Ram', area, 'FlexStart'), 'Compute', f.ramGroup, 'OnDemand', area, 'GiBy.h', [
          [0, f.flex[1] * area.factor],
        ]);
      }
    }
  }
  // G4's fractional shapes (g4-standard-6/12/24) pay one SKU for the whole VM (sc-crawler tests/test_gcp.py G4_SKUS).
  add('1/8 vGPU no lssd running in Iowa', 'Compute', 'GPU', 'OnDemand', AREAS.iowa, 'h', [[0, 0.64688]]);
  add('1/8 vGPU no lssd attached to DWS Defined Duration VMs running in Iowa', 'Compute', 'GPU', 'OnDemand', AREAS.iowa, 'h', [
    [0, 0.32344],
  ]);
  const am = AREAS.americas;
  // Decoys: GPU- or core-like SKUs that are not what an on-demand or Spot VM pays.
  add('Commitment v1: Nvidia Tesla A100 GPU in Americas for 1 Year', 'Compute', 'GPU', 'Commit1Yr', am, 'h', [[0, 1.848362]]);
  add('Commitment v1: Nvidia L4 GPU in Americas for 3 Year', 'Compute', 'GPU', 'Commit3Yr', am, 'h', [[0, 0.251988]]);
  add('Commitment v1: A2 Cpu in Americas for 3 Year', 'Compute', 'CPU', 'Commit3Yr', am, 'h', [[0, 0.014225]]);
  add('Reserved Nvidia Tesla T4 GPU in Americas', 'Compute', 'GPU', 'OnDemand', am, 'h', [[0, 0.385]]);
  add('Nvidia Tesla T4 GPU attached to Sole Tenancy running in Americas', 'Compute', 'GPU', 'OnDemand', am, 'h', [[0, 0.4025]]);
  add('N1 Sole Tenancy Instance Core running in Americas', 'Compute', 'CPU', 'OnDemand', am, 'h', [[0, 0.034772]]);
  add('N1 Custom Instance Core running in Americas', 'Compute', 'CPU', 'OnDemand', am, 'h', [[0, 0.033174]]);
  add('N1 Custom Instance Ram running in Americas', 'Compute', 'RAM', 'OnDemand', am, 'GiBy.h', [[0, 0.004446]]);
  add('Nvidia Tesla T4 Virtual Workstation GPU running in Americas', 'Compute', 'GPU', 'OnDemand', am, 'h', [[0, 0.55]]);
  add('Nvidia Tesla T4 GPU attached to Sole Tenancy VMs running in Americas', 'Compute', 'GPU', 'OnDemand', am, 'h', [[0, 0.35]]);
  add('Commitment v1: H200 141GB GPU running in Americas for 3 Years', 'Compute', 'GPU', 'Commit3Yr', am, 'h', [[0, 5]]);
  add('Licensing Fee for Windows Server on VM', 'License', 'PremiumImage', 'OnDemand', 'global', 'h', [[0, 0.046]]);
  // Ordinary SKUs: storage, network.
  for (const id of ['americas', 'virginia', 'emea', 'taiwan'] as const) {
    const area = AREAS[id];
    add(`Storage PD Capacity in ${area.name}`, 'Storage', 'PDStandard', 'OnDemand', area, 'GiBy.mo', [[0, 0.04 * area.factor]]);
    add(`Balanced PD Capacity in ${area.name}`, 'Storage', 'SSD', 'OnDemand', area, 'GiBy.mo', [[0, 0.1 * area.factor]]);
    add(`SSD backed PD Capacity in ${area.name}`, 'Storage', 'SSD', 'OnDemand', area, 'GiBy.mo', [[0, 0.17 * area.factor]]);
    add(`Storage PD Snapshot in ${area.name}`, 'Storage', 'PDSnapshot', 'OnDemand', area, 'GiBy.mo', [[0, 0.05 * area.factor]]);
    add(`Local SSD provisioned space running in ${area.name}`, 'Storage', 'LocalSSD', 'OnDemand', area, 'GiBy.mo', [
      [0, 0.08 * area.factor],
    ]);
    add(`Network Internet Egress from ${area.name} to Americas`, 'Network', 'PremiumInternetEgress', 'OnDemand', area, 'GiBy', [
      [0, 0.12],
      [1024, 0.11],
      [10240, 0.08],
    ]);
    add(`Network Inter Zone Egress in ${area.name}`, 'Network', 'InterzoneEgress', 'OnDemand', area, 'GiBy', [[0, 0.01]]);
  }
  add('Network Intra Zone Egress', 'Network', 'IntrazoneEgress', 'OnDemand', 'global', 'GiBy', [[0, 0]]);
  add('External IP Charge on a Standard VM', 'Network', 'IpAddress', 'OnDemand', 'global', 'h', [[0, 0.005]]);
  add('Static Ip Charge', 'Network', 'IpAddress', 'OnDemand', 'global', 'h', [[0, 0.01]]);
  add('Storage Image', 'Storage', 'StorageImage', 'OnDemand', 'global', 'GiBy.mo', [[0, 0.05]]);
  return out;
}

function skuId(d: SkuDef): string {
  const hex = (
    hashSeed('gcp-sku', d.description, d.usageType).toString(16).padStart(8, '0') +
    hashSeed('gcp-sku2', d.description).toString(16).padStart(8, '0')
  ).toUpperCase();
  return `${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8, 12)}`;
}

export interface GcpSku {
  readonly skuId: string;
  readonly def: SkuDef;
}

let all: readonly GcpSku[] | undefined;

/** The whole Compute Engine catalogue, in the (opaque, id) order pages come in. */
export function gcpSkus(): readonly GcpSku[] {
  all ??= catalogue()
    .map((def) => ({ skuId: skuId(def), def }))
    .sort((a, b) => a.skuId.localeCompare(b.skuId));
  return all;
}

const GEO_INT = { GLOBAL: 1, REGIONAL: 2, MULTI_REGIONAL: 3 } as const;

/** The SKU's proto3 JSON; `ints`: enums as numbers ($alt=json;enum-encoding=int). */
export function skuJson(s: GcpSku, ints: boolean): object {
  const d = s.def;
  const u = UNITS[d.unit];
  const tiered = d.tiers.length > 1;
  return {
    name: `services/${GCP_COMPUTE_SERVICE}/skus/${s.skuId}`,
    skuId: s.skuId,
    description: d.description,
    category: {
      serviceDisplayName: 'Compute Engine',
      resourceFamily: d.resourceFamily,
      resourceGroup: d.resourceGroup,
      usageType: d.usageType,
    },
    serviceRegions: d.geo === 'GLOBAL' ? ['global'] : d.regions,
    pricingInfo: [
      {
        summary: '',
        pricingExpression: {
          usageUnit: d.unit,
          displayQuantity: 1,
          tieredRates: d.tiers.map(([start, usd]) => {
            const nanos = nanosOf(usd);
            return {
              startUsageAmount: start,
              unitPrice: { currencyCode: 'USD', units: String(Math.floor(nanos / 1e9)), nanos: nanos % 1e9 },
            };
          }),
          usageUnitDescription: u.description,
          baseUnit: u.base,
          baseUnitDescription: u.baseDescription,
          baseUnitConversionFactor: u.factor,
        },
        ...(tiered
          ? { aggregationInfo: { aggregationLevel: ints ? 1 : 'ACCOUNT', aggregationInterval: ints ? 2 : 'MONTHLY', aggregationCount: 1 } }
          : {}),
        currencyConversionRate: 1,
        effectiveTime: '2026-11-01T07:16:42.511Z',
      },
    ],
    serviceProviderName: 'Google',
    geoTaxonomy: { type: ints ? GEO_INT[d.geo] : d.geo, ...(d.geo === 'GLOBAL' ? {} : { regions: d.regions }) },
  };
}

function findPrice(description: string, region: string): number | undefined {
  const s = gcpSkus().find((k) => k.def.description === description && k.def.regions.includes(region));
  return s ? priceOf(nanosOf(s.def.tiers[0][1])) : undefined;
}

/**
 * USD per GPU-hour the catalogue lists for an accelerator type in a region (undefined: not offered there, or not at
 * that usage). A slice type's price (B200, GB200) includes the VM's cores and memory: see gcpGpuIsSlice.
 */
export function gcpGpuPrice(acceleratorType: string, region: string, usage: GcpUsage): number | undefined {
  const g = GPUS.find((x) => x.type === acceleratorType);
  if (!g || (usage === 'FlexStart' && g.flex === undefined)) return undefined;
  const area = g.areas.map((id) => AREAS[id]).find((a) => a.regions.includes(region));
  return area ? findPrice(gpuDescription(g, area, usage), region) : undefined;
}

/** Whether the catalogue bills the type by a slice SKU that includes the VM's cores and memory (A4, A4X). */
export const gcpGpuIsSlice = (acceleratorType: string): boolean => GPUS.find((x) => x.type === acceleratorType)?.slice === true;

function familyPrice(family: string, region: string, usage: GcpUsage, what: 'Core' | 'Ram'): number | undefined {
  const f = FAMILIES.find((x) => x.family === family.toLowerCase());
  if (!f || (usage === 'FlexStart' && !f.flex)) return undefined;
  const area = (f.areas ?? CORE_AREAS).map((id) => AREAS[id]).find((a) => a.regions.includes(region));
  return area ? findPrice(familyDescription(f, what, area, usage), region) : undefined;
}

/** USD per vCPU-hour of a billing family (n1, a2, a3, a3plus, a3ultra, g2, g4, e2, n2) in a region. */
export const gcpCorePrice = (family: string, region: string, usage: GcpUsage): number | undefined =>
  familyPrice(family, region, usage, 'Core');
/** USD per GiB-hour of memory of a billing family in a region. */
export const gcpRamPrice = (family: string, region: string, usage: GcpUsage): number | undefined =>
  familyPrice(family, region, usage, 'Ram');

export const GCP_BILLING_SERVICES = [
  { serviceId: GCP_COMPUTE_SERVICE, displayName: 'Compute Engine' },
  { serviceId: '95FF-2EF5-5EA1', displayName: 'Cloud Storage' },
  { serviceId: 'CCD8-9BF1-090E', displayName: 'Kubernetes Engine' },
  { serviceId: '29E7-DA93-CA13', displayName: 'Cloud Functions' },
  { serviceId: '58CD-E7C3-72CA', displayName: 'Cloud Monitoring' },
].map((s) => ({ name: `services/${s.serviceId}`, ...s, businessEntityName: 'businessEntities/GCP' }));
