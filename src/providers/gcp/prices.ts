// Compute Engine prices from the Cloud Billing Catalog (`GET /v1/services/6F81-5844-456A/skus`, the same credentials),
// matched the way the public catalogue tools do — gpuhunt's GCP provider (github.com/dstackai/gpuhunt,
// src/gpuhunt/providers/gcp.py), like SkyPilot's fetch_gcp.py:
//  - usage type OnDemand → on-demand, Preemptible → spot; commitments (Commit1Yr…) are other usage types and skipped;
//  - descriptions naming Sole Tenancy, Reserved, Premium, Custom, suspended, Commitment, DWS or Virtual Workstation
//    are another product's price and skipped;
//  - `^(?:spot preemptible )?(.+) (gpu|ram|core)` splits the description; a GPU's model, lower-cased with dashes, is the
//    accelerator type ("Nvidia Tesla T4" → nvidia-tesla-t4, with gpuhunt's aliases for the A100 80GB and H100 Mega), a
//    core or RAM SKU's first word the machine family ("N1 Predefined Instance Core" → n1);
//  - the price is the first pricing tier's unit price (units + nanos), per hour (RAM per GiB-hour), in each of the
//    SKU's serviceRegions.
// The catalogue is one listing for every project, read at most once a day.
import type { GpuOffer, OfferPricing } from '../../core/model/model';
import { normalizeGpu } from '../../core/model/gpu';
import { priced, unpriced, type PriceBook } from '../../core/model/price';
import { finite, record, text } from '../../core/transport/wire';
import { COMPUTE_BILLING_SERVICE } from './endpoints';
import type { MachineShape } from './mapping';
import type { GcpRest, Wire } from './rest';

const SKIPPED = /sole tenancy|reserved|premium|custom|suspended|commitment|\bdws\b|virtual workstation/i;
const SPLIT = /^(?:spot preemptible )?(.+) (gpu|ram|core)\b/i;
/** gpuhunt's aliases: the SKU's words for a type whose API name is spelled otherwise. */
const GPU_ALIASES: Readonly<Record<string, string>> = {
  'nvidia-tesla-a100-80gb': 'nvidia-a100-80gb',
  'nvidia-h100-80gb-mega': 'nvidia-h100-mega-80gb',
  'nvidia-h100-mega': 'nvidia-h100-mega-80gb',
};
const USAGE: Readonly<Record<string, OfferPricing>> = { OnDemand: 'on-demand', Preemptible: 'spot' };

type Kind = 'gpu' | 'core' | 'ram';

export interface ParsedSku {
  readonly kind: Kind;
  /** The accelerator type (gpu) or the machine family (core, ram). */
  readonly family: string;
  readonly pricing: OfferPricing;
  readonly regions: readonly string[];
  readonly price: number;
}

/** One SKU as a price of a GPU, a core or a GiB of RAM, or undefined for anything else. */
export function parseSku(sku: Wire): ParsedSku | undefined {
  const category = record(sku.category);
  const pricing = USAGE[text(category?.usageType) ?? ''];
  const description = text(sku.description) ?? '';
  if (!pricing || text(category?.resourceFamily) !== 'Compute' || SKIPPED.test(description)) return undefined;
  const m = SPLIT.exec(description);
  if (!m) return undefined;
  const kind = m[2].toLowerCase() as Kind;
  let family: string;
  if (kind === 'gpu') {
    family = m[1].toLowerCase().trim().replace(/\s+/g, '-');
    family = GPU_ALIASES[family] ?? family;
    if (!/^nvidia-[a-z0-9-]+$/.test(family)) return undefined;
  } else {
    const f = /^([a-z]\d.?) /.exec(`${m[1].toLowerCase()} `)?.[1]?.trim();
    if (!f) return undefined;
    family = f;
  }
  const expression = record(record((Array.isArray(sku.pricingInfo) ? sku.pricingInfo : [])[0])?.pricingExpression);
  const unit = text(expression?.usageUnit) ?? '';
  if (unit !== 'h' && unit !== 'GiBy.h') return undefined;
  const tiers = (Array.isArray(expression?.tieredRates) ? expression.tieredRates : []) as Wire[];
  const unitPrice = record(tiers[0]?.unitPrice);
  // In nanos first: 2 + 0.933908 in floating point is 2.9339079999999997.
  const price = ((finite(Number(unitPrice?.units ?? 0)) ?? 0) * 1e9 + (finite(Number(unitPrice?.nanos ?? 0)) ?? 0)) / 1e9;
  const regions = (Array.isArray(sku.serviceRegions) ? sku.serviceRegions : []).filter((r): r is string => typeof r === 'string');
  if (!(price > 0) || regions.length === 0) return undefined;
  return { kind, family, pricing, regions, price };
}

/** The catalogue as reference data (JSON): `${kind}|${family}|${pricing}` → region → USD per unit-hour. */
export type CatalogPrices = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** What a GPU VM is priced by: its GPUs, its machine type's cores and memory, its region and provisioning. */
export interface VmQuery {
  readonly acceleratorType: string;
  readonly gpus: number;
  readonly family: string;
  readonly shape: MachineShape | undefined;
  readonly region: string;
  readonly spot: boolean;
}

/** Reads the Compute Engine SKUs of the Billing Catalog into the table (one listing for every project). */
export async function readCatalog(rest: GcpRest, signal: AbortSignal): Promise<CatalogPrices> {
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
    const parsed = parseSku(sku);
    if (!parsed) continue;
    const byRegion = (table[`${parsed.kind}|${parsed.family}|${parsed.pricing}`] ??= {});
    // Two SKUs for one region and key (a rename in flight): the dearer, so spend is never understated.
    for (const region of parsed.regions) byRegion[region] = Math.max(byRegion[region] ?? 0, parsed.price);
  }
  return table;
}

/**
 * The book over the catalogue: a GPU VM costs its GPUs plus its machine type's cores and memory (priced by its GPUs
 * alone when the type's shape or its core and RAM SKUs are unknown, as before).
 */
export function gcpPriceBook(table: CatalogPrices): PriceBook<VmQuery> {
  const price = (kind: Kind, family: string, region: string, spot: boolean) =>
    table[`${kind}|${family}|${spot ? 'spot' : 'on-demand'}`]?.[region];
  return {
    price({ acceleratorType, gpus, family, shape, region, spot }) {
      const each = price('gpu', acceleratorType.toLowerCase(), region, spot);
      if (each === undefined) return unpriced(`the Billing Catalog has no ${spot ? 'Spot ' : ''}price for ${acceleratorType} in ${region}`);
      const core = price('core', family, region, spot);
      const ram = price('ram', family, region, spot);
      const machine = shape && core !== undefined && ram !== undefined ? core * shape.guestCpus + ram * (shape.memoryMb / 1024) : 0;
      return priced(each * gpus + machine);
    },
    offers(fetchedAt) {
      const out: GpuOffer[] = [];
      for (const [key, byRegion] of Object.entries(table)) {
        const [kind, family, pricing] = key.split('|') as [Kind, string, OfferPricing];
        if (kind !== 'gpu') continue;
        const identity = normalizeGpu(family);
        for (const [region, perHour] of Object.entries(byRegion)) {
          out.push({
            cloud: 'gcp',
            gpuKey: identity.key,
            gpuName: identity.displayName,
            gpuCount: 1,
            pricePerGpuHour: perHour,
            pricing,
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
