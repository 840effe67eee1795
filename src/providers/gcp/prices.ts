// Compute Engine prices from the Cloud Billing Catalog (`GET /v1/services/6F81-5844-456A/skus`, the same credentials).
// The catalogue names things in several wordings at once, which the public catalogue readers document
// (github.com/dstackai/gpuhunt src/gpuhunt/providers/gcp.py; github.com/SpareCores/sc-crawler tests/test_gcp.py;
// cloud.google.com/skus/sku-groups/…):
//  - legacy GPUs: "Nvidia Tesla T4 GPU running in Americas", Spot "Spot Preemptible Nvidia Tesla T4 GPU running in …";
//  - current GPUs drop the vendor or the word GPU: "H200 141GB GPU running in …", "Nvidia H100 80GB Plus GPU running
//    in …" (A3 Mega), "RTX 6000 96GB running in …" (G4), and their Spot form "… attached to Spot Preemptible VMs
//    running in …";
//  - A4 and A4X bill one SKU per GPU that covers the VM's cores and memory too: "A4 Nvidia B200 (1 gpu slice) running
//    in …" ("Spot Preemptible A4 …" is filed under usage type OnDemand: the words, not the category, say Spot);
//  - cores and RAM per machine family: "N1 Predefined Instance Core", "A3Plus Instance Core" (A3 Mega), "A3Ultra
//    Instance Ram", "G4 Instance Core"; RAM per GiB-hour, a few families per decimal GB-hour (GBy.h);
//  - flex-start (Dynamic Workload Scheduler): "Nvidia H100 80GB GPU attached to DWS Defined Duration VMs running in …",
//    "DWS Defined Duration A3 Core running in …"; calendar mode (reservation-bound VMs): "DWS Calendar Mode …".
// Commitments (other usage types), sole tenancy, reservations, custom types, virtual workstations and suspended-state
// SKUs are another product's price and skipped. A SKU that looks like a GPU's price but reads as none of the above is
// reported (readCatalog's `unreadable`) so a new wording shows in the log instead of only as a missing price.
// The price is the first pricing tier's unit price (units + nanos), per hour, in each of the SKU's serviceRegions.
// The catalogue is one listing for every project, read at most once a day.
import type { GpuOffer, OfferPricing } from '../../core/model/model';
import { normalizeGpu } from '../../core/model/gpu';
import { priced, unpriced, type PriceBook } from '../../core/model/price';
import { finite, record, text } from '../../core/transport/wire';
import { COMPUTE_BILLING_SERVICE } from './hosts';
import type { MachineShape } from './mapping';
import type { GcpRest, Wire } from './api';

/** How a VM is provisioned (Instance.scheduling.provisioningModel), which decides the SKUs it pays. */
export type ProvisioningModel = 'STANDARD' | 'SPOT' | 'FLEX_START' | 'RESERVATION_BOUND';
/** The catalogue's price tiers: on demand, Spot, flex-start (DWS Defined Duration), calendar mode (DWS Calendar Mode). */
export type Tier = 'on-demand' | 'spot' | 'flex-start' | 'calendar';
const TIER_OF: Readonly<Record<ProvisioningModel, Tier>> = {
  STANDARD: 'on-demand',
  SPOT: 'spot',
  FLEX_START: 'flex-start',
  RESERVATION_BOUND: 'calendar',
};
const TIER_WORDS: Readonly<Record<Tier, string>> = {
  'on-demand': 'on-demand',
  spot: 'Spot',
  'flex-start': 'flex-start (DWS Defined Duration)',
  calendar: 'calendar-mode (DWS Calendar Mode)',
};

const SKIPPED =
  /sole tenancy|reserved|premium|custom|suspended|commitment|virtual workstation|capacity optimized|local ssd|local storage|\btpu/i;
/** The tier markers, as a prefix or as "attached to … VMs". */
const MARKERS: readonly (readonly [RegExp, Tier])[] = [
  [/^(?:spot )?preemptible |\s+attached to spot preemptible vms(?= running in )/i, 'spot'],
  [/^dws defined duration |^dws flex start |\s+attached to dws defined duration vms(?= running in )/i, 'flex-start'],
  [/^dws calendar mode |\s+attached to dws calendar mode vms(?= running in )/i, 'calendar'],
];
/** The catalogue's words for an accelerator type whose API name is spelled otherwise (gpuhunt's and sc-crawler's aliases). */
const GPU_ALIASES: Readonly<Record<string, string>> = {
  'nvidia-tesla-a100-80gb': 'nvidia-a100-80gb',
  'nvidia-h100-80gb-mega': 'nvidia-h100-mega-80gb',
  'nvidia-h100-mega': 'nvidia-h100-mega-80gb',
  'nvidia-h100-80gb-plus': 'nvidia-h100-mega-80gb',
  'nvidia-rtx-6000-96gb': 'nvidia-rtx-pro-6000',
};
const USAGE: Readonly<Record<string, Tier>> = { OnDemand: 'on-demand', Preemptible: 'spot' };
/** GB-hour → GiB-hour. */
const GIB_PER_GB = 1024 ** 3 / 1000 ** 3;

/** gpu: per GPU; slice: per GPU, the VM's cores and memory included (A4, A4X); core: per vCPU; ram: per GiB. */
type Kind = 'gpu' | 'slice' | 'core' | 'ram';

export interface ParsedSku {
  readonly kind: Kind;
  /** The accelerator type (gpu, slice) or the machine family (core, ram: n1, a3plus, a3ultra, g4 …). */
  readonly family: string;
  readonly pricing: Tier;
  readonly regions: readonly string[];
  readonly price: number;
}

/** What a SKU is: a price Cloudtop reads, one it has no use for (undefined), or one it cannot read. */
export type SkuReading = ParsedSku | { readonly unreadable: string } | undefined;

const gpuType = (words: string): string | undefined => {
  let type = words.toLowerCase().trim().replace(/\s+/g, '-');
  if (!type.startsWith('nvidia-')) type = `nvidia-${type}`;
  type = GPU_ALIASES[type] ?? type;
  return /^nvidia-[a-z0-9-]+$/.test(type) ? type : undefined;
};

/** The item a SKU prices (its words before " running in …"), as a kind and a family. */
function readItem(item: string): { kind: Kind; family: string } | undefined {
  const slice = /^(?:[a-z0-9]+ )?nvidia (.+?) \(1 gpu slice\)$/i.exec(item);
  if (slice) {
    const family = gpuType(slice[1]);
    return family ? { kind: 'slice', family } : undefined;
  }
  const machine = /^(\S+?)(?:\s.*?)?\s*(core|ram)$/i.exec(item);
  if (machine) {
    const family = machine[1].toLowerCase().replace(/instance$/, '');
    return /^[a-z]+\d[a-z0-9]*$/.test(family) ? { kind: machine[2].toLowerCase() as Kind, family } : undefined;
  }
  const gpu = /^(.+?) gpu$/i.exec(item)?.[1] ?? (/^(?:nvidia|rtx|[hb]\d+|gb\d+)\b.*\d+gb$/i.test(item) ? item : undefined);
  const family = gpu && gpuType(gpu);
  return family ? { kind: 'gpu', family } : undefined;
}

/**
 * Whether a Compute SKU looks like a GPU's price (so failing to read it is worth a log line). Cores and RAM of families
 * no GPU VM uses ("Memory-optimized Instance Core") are not: only GPU VMs are priced.
 */
const looksLikeGpu = (sku: Wire, description: string): boolean =>
  text(record(sku.category)?.resourceGroup) === 'GPU' || /\b(gpu|vgpu|nvidia|rtx)\b/i.test(description);

/** One SKU as a price of a GPU, a GPU slice, a core or a GiB of RAM; undefined for anything else. */
export function readSku(sku: Wire): SkuReading {
  const category = record(sku.category);
  const usage = USAGE[text(category?.usageType) ?? ''];
  const description = (text(sku.description) ?? '').replace(/\s+/g, ' ').trim();
  if (!usage || text(category?.resourceFamily) !== 'Compute' || SKIPPED.test(description)) return undefined;
  let pricing = usage;
  let words = description;
  for (const [marker, tier] of MARKERS) {
    if (!marker.test(words)) continue;
    pricing = tier;
    words = words.replace(marker, '');
  }
  const place = /^(.+?) running in \S.*$/i.exec(words);
  const item = place && readItem(place[1]);
  if (!item) return looksLikeGpu(sku, description) ? { unreadable: description } : undefined;
  const expression = record(record((Array.isArray(sku.pricingInfo) ? sku.pricingInfo : [])[0])?.pricingExpression);
  const unit = text(expression?.usageUnit) ?? '';
  const perUnit = item.kind === 'ram' ? (unit === 'GiBy.h' ? 1 : unit === 'GBy.h' ? GIB_PER_GB : undefined) : unit === 'h' ? 1 : undefined;
  if (perUnit === undefined) return { unreadable: `${description} (per ${unit || 'no unit'})` };
  const tiers = (Array.isArray(expression?.tieredRates) ? expression.tieredRates : []) as Wire[];
  const unitPrice = record(tiers[0]?.unitPrice);
  // In nanos first: 2 + 0.933908 in floating point is 2.9339079999999997.
  const price = (((finite(Number(unitPrice?.units ?? 0)) ?? 0) * 1e9 + (finite(Number(unitPrice?.nanos ?? 0)) ?? 0)) / 1e9) * perUnit;
  const regions = (Array.isArray(sku.serviceRegions) ? sku.serviceRegions : []).filter((r): r is string => typeof r === 'string');
  if (!(price > 0) || regions.length === 0) return undefined;
  return { ...item, pricing, regions, price };
}

/** One SKU as a price, or undefined (for what it cannot read too). */
export function parseSku(sku: Wire): ParsedSku | undefined {
  const reading = readSku(sku);
  return reading && 'kind' in reading ? reading : undefined;
}

/** The catalogue as reference data (JSON): `${kind}|${family}|${tier}` → region → USD per unit-hour. */
export type CatalogPrices = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** What a GPU VM is priced by: its GPUs, its machine type's family, cores and memory, its region and provisioning. */
export interface VmQuery {
  readonly acceleratorType: string;
  readonly gpus: number;
  readonly family: string;
  readonly shape: MachineShape | undefined;
  readonly region: string;
  readonly provisioning: ProvisioningModel;
}

/**
 * Reads the Compute Engine SKUs of the Billing Catalog into the table (one listing for every project). `unreadable`
 * hears the description of each GPU-like SKU no wording above fits.
 */
export async function readCatalog(
  rest: GcpRest,
  signal: AbortSignal,
  unreadable: (description: string) => void = () => {},
): Promise<CatalogPrices> {
  const skus = await rest.list(
    'billing',
    `GET /v1/services/${COMPUTE_BILLING_SERVICE}/skus`,
    `/v1/services/${COMPUTE_BILLING_SERVICE}/skus`,
    { currencyCode: 'USD', pageSize: 5000 },
    (page) => (Array.isArray(page.skus) ? (page.skus as Wire[]) : []),
    signal,
  );
  const table: Record<string, Record<string, number>> = {};
  for (const sku of skus) {
    const reading = readSku(sku);
    if (!reading) continue;
    if (!('kind' in reading)) {
      unreadable(reading.unreadable);
      continue;
    }
    const byRegion = (table[`${reading.kind}|${reading.family}|${reading.pricing}`] ??= {});
    // Two SKUs for one region and key (a rename in flight): the dearer, so spend is never understated.
    for (const region of reading.regions) byRegion[region] = Math.max(byRegion[region] ?? 0, reading.price);
  }
  return table;
}

/**
 * The book over the catalogue: a GPU VM costs its GPUs plus its machine type's cores and memory at the SKUs of its
 * provisioning model (priced by its GPUs alone when the type's shape or its core and RAM SKUs are unknown, as before);
 * an A4 or A4X its GPU slices, which include the rest. No SKU for its GPUs at its provisioning model: price unknown,
 * saying which — never the on-demand price of a VM that pays another.
 */
export function gcpPriceBook(table: CatalogPrices): PriceBook<VmQuery> {
  const price = (kind: Kind, family: string, region: string, tier: Tier) => table[`${kind}|${family}|${tier}`]?.[region];
  return {
    price({ acceleratorType, gpus, family, shape, region, provisioning }) {
      const tier = TIER_OF[provisioning];
      const type = acceleratorType.toLowerCase();
      const slice = price('slice', type, region, tier);
      if (slice !== undefined) return priced(slice * gpus);
      const each = price('gpu', type, region, tier);
      if (each === undefined) {
        const how = provisioning === 'RESERVATION_BOUND' ? ' (a reservation-bound VM is billed through its reservation)' : '';
        return unpriced(`the Billing Catalog has no ${TIER_WORDS[tier]} price for ${acceleratorType} in ${region}${how}`);
      }
      const core = price('core', family, region, tier);
      const ram = price('ram', family, region, tier);
      const machine = shape && core !== undefined && ram !== undefined ? core * shape.guestCpus + ram * (shape.memoryMb / 1024) : 0;
      return priced(each * gpus + machine);
    },
    offers(fetchedAt) {
      const out: GpuOffer[] = [];
      for (const [key, byRegion] of Object.entries(table)) {
        const [kind, family, tier] = key.split('|') as [Kind, string, Tier];
        // What anyone can rent by the GPU now: on demand and Spot (a slice is a GPU with its share of the VM).
        if ((kind !== 'gpu' && kind !== 'slice') || (tier !== 'on-demand' && tier !== 'spot')) continue;
        const identity = normalizeGpu(family);
        for (const [region, perHour] of Object.entries(byRegion)) {
          out.push({
            cloud: 'gcp',
            gpuKey: identity.key,
            gpuName: identity.displayName,
            gpuCount: 1,
            pricePerGpuHour: perHour,
            pricing: tier satisfies OfferPricing,
            region,
            availability: 'unknown',
            fetchedAt,
          });
        }
      }
      return out;
    },
  };
}
