// The Cloud Billing Catalog for the simulated Google Cloud (npm @google-cloud/billing CloudCatalogClient; SKU wording as
// skypilot-org/skypilot sky/catalog/data_fetchers/fetch_gcp.py and dstackai/gpuhunt src/gpuhunt/providers/gcp.py read it):
//   GET /v1/services                       the public services (Compute Engine is 6F81-5844-456A)
//   GET /v1/services/:service/skus         ?currencyCode=USD&pageSize=&pageToken=  → {skus, nextPageToken}
// A Compute Engine catalogue in Google's own wording: GPUs, cores and RAM per machine family, on demand and Spot
// ("Spot Preemptible …"), in price areas covering several regions each (Americas, Virginia, EMEA, APAC, Taiwan) at
// different prices; and the decoys a matcher must skip (commitments, reservations, sole tenancy, custom machine types,
// virtual workstations, DWS, licences) among ordinary storage and network SKUs, so the pages hold all kinds mixed.
// Prices are a pure function of the SKU: gcpGpuPrice/gcpCorePrice/gcpRamPrice are the truths tests compare against.
import { hashSeed } from './seed';

export const GCP_COMPUTE_SERVICE = '6F81-5844-456A';

export type GcpUsage = 'OnDemand' | 'Preemptible';

interface Area {
  /** How descriptions name it ("… running in Americas"). */
  readonly name: string;
  readonly regions: readonly string[];
  readonly factor: number;
  readonly geo: 'REGIONAL' | 'MULTI_REGIONAL';
}

type AreaId = 'americas' | 'virginia' | 'emea' | 'apac' | 'taiwan';

const AREAS: Readonly<Record<AreaId, Area>> = {
  americas: { name: 'Americas', regions: ['us-central1', 'us-east1', 'us-west1'], factor: 1, geo: 'MULTI_REGIONAL' },
  virginia: { name: 'Virginia', regions: ['us-east4'], factor: 1.126, geo: 'REGIONAL' },
  emea: { name: 'EMEA', regions: ['europe-west1', 'europe-west4'], factor: 1.1, geo: 'MULTI_REGIONAL' },
  apac: { name: 'APAC', regions: ['asia-east1'], factor: 1.155, geo: 'MULTI_REGIONAL' },
  taiwan: { name: 'Taiwan', regions: ['asia-east1'], factor: 1.098, geo: 'REGIONAL' },
};

interface GpuSku {
  readonly type: string;
  /** As the catalogue names it, e.g. "Nvidia Tesla A100 80GB". */
  readonly name: string;
  readonly onDemand: number;
  readonly spot: number;
  readonly areas: readonly AreaId[];
}

/** Americas USD per GPU-hour (close to the public list prices). */
const GPUS: readonly GpuSku[] = [
  { type: 'nvidia-tesla-t4', name: 'Nvidia Tesla T4', onDemand: 0.35, spot: 0.14, areas: ['americas', 'virginia', 'emea', 'apac'] },
  { type: 'nvidia-tesla-v100', name: 'Nvidia Tesla V100', onDemand: 2.48, spot: 0.992, areas: ['americas', 'emea', 'apac'] },
  { type: 'nvidia-tesla-a100', name: 'Nvidia Tesla A100', onDemand: 2.933908, spot: 0.880172, areas: ['americas', 'emea', 'apac'] },
  { type: 'nvidia-a100-80gb', name: 'Nvidia Tesla A100 80GB', onDemand: 3.92808, spot: 1.571232, areas: ['americas', 'emea'] },
  { type: 'nvidia-h100-80gb', name: 'Nvidia H100 80GB', onDemand: 9.79655, spot: 2.938965, areas: ['americas', 'emea'] },
  { type: 'nvidia-h100-mega-80gb', name: 'Nvidia H100 80GB Mega', onDemand: 10.59844, spot: 3.179532, areas: ['americas', 'emea'] },
  { type: 'nvidia-l4', name: 'Nvidia L4', onDemand: 0.559973, spot: 0.223989, areas: ['americas', 'virginia', 'emea', 'apac'] },
];

interface FamilySku {
  readonly family: string;
  readonly label: string;
  readonly core: readonly [onDemand: number, spot: number];
  /** Per GiB-hour. */
  readonly ram: readonly [onDemand: number, spot: number];
  readonly coreGroup: string;
  readonly ramGroup: string;
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
  { family: 'a3', label: 'A3 Instance', core: [0.029563, 0.008869], ram: [0.00259, 0.000777], coreGroup: 'CPU', ramGroup: 'RAM' },
  { family: 'g2', label: 'G2 Instance', core: [0.024988, 0.009995], ram: [0.002928, 0.001171], coreGroup: 'CPU', ramGroup: 'RAM' },
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

const gpuDescription = (g: GpuSku, area: Area, usage: GcpUsage): string =>
  `${usage === 'Preemptible' ? 'Spot Preemptible ' : ''}${g.name} GPU running in ${area.name}`;

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
      add(gpuDescription(g, area, 'Preemptible'), 'Compute', 'GPU', 'Preemptible', area, 'h', [[0, g.spot * area.factor]]);
    }
  }
  for (const f of FAMILIES) {
    for (const id of CORE_AREAS) {
      const area = AREAS[id];
      for (const [i, usage] of (['OnDemand', 'Preemptible'] as const).entries()) {
        const prefix = usage === 'Preemptible' ? 'Spot Preemptible ' : '';
        add(`${prefix}${f.label} Core running in ${area.name}`, 'Compute', f.coreGroup, usage, area, 'h', [[0, f.core[i] * area.factor]]);
        add(`${prefix}${f.label} Ram running in ${area.name}`, 'Compute', f.ramGroup, usage, area, 'GiBy.h', [[0, f.ram[i] * area.factor]]);
      }
    }
  }
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
  add('DWS Defined Duration Nvidia H100 80GB GPU running in Americas', 'Compute', 'GPU', 'OnDemand', am, 'h', [[0, 7.0]]);
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

/** USD per GPU-hour the catalogue lists for an accelerator type in a region (undefined: not offered there). */
export function gcpGpuPrice(acceleratorType: string, region: string, usage: GcpUsage): number | undefined {
  const g = GPUS.find((x) => x.type === acceleratorType);
  const area = g?.areas.map((id) => AREAS[id]).find((a) => a.regions.includes(region));
  return g && area ? findPrice(gpuDescription(g, area, usage), region) : undefined;
}

function familyPrice(family: string, region: string, usage: GcpUsage, what: 'Core' | 'Ram'): number | undefined {
  const f = FAMILIES.find((x) => x.family === family.toLowerCase());
  const area = CORE_AREAS.map((id) => AREAS[id]).find((a) => a.regions.includes(region));
  return f && area
    ? findPrice(`${usage === 'Preemptible' ? 'Spot Preemptible ' : ''}${f.label} ${what} running in ${area.name}`, region)
    : undefined;
}

/** USD per vCPU-hour of a machine family (n1, a2, a3, g2, e2, n2) in a region. */
export const gcpCorePrice = (family: string, region: string, usage: GcpUsage): number | undefined =>
  familyPrice(family, region, usage, 'Core');
/** USD per GiB-hour of memory of a machine family in a region. */
export const gcpRamPrice = (family: string, region: string, usage: GcpUsage): number | undefined =>
  familyPrice(family, region, usage, 'Ram');

export const GCP_BILLING_SERVICES = [
  { serviceId: GCP_COMPUTE_SERVICE, displayName: 'Compute Engine' },
  { serviceId: '95FF-2EF5-5EA1', displayName: 'Cloud Storage' },
  { serviceId: 'CCD8-9BF1-090E', displayName: 'Kubernetes Engine' },
  { serviceId: '29E7-DA93-CA13', displayName: 'Cloud Functions' },
  { serviceId: '58CD-E7C3-72CA', displayName: 'Cloud Monitoring' },
].map((s) => ({ name: `services/${s.serviceId}`, ...s, businessEntityName: 'businessEntities/GCP' }));
