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
import { reused } from '../../core/transport/reused';
import { finite, record, text } from '../../core/transport/wire';
import { COMPUTE_BILLING_SERVICE } from './hosts';
import type { MachineShape } from './mapping';
import type { GcpRest, Wire } from './api';

export const PRICES_TTL_MS = 24 * 3600_000;
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
/** `${kind}|${family}|${pricing}` → region → USD per unit-hour. */
type Table = Map<string, Map<string, number>>;

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

export interface GcpPriceBook {
  /** Reads the catalogue (at most once a day; a failure keeps the last good one). */
  load(signal: AbortSignal): Promise<void>;
  gpuPrice(acceleratorType: string, region: string, spot: boolean): number | undefined;
  machinePrice(family: string, shape: MachineShape | undefined, region: string, spot: boolean): number | undefined;
  /** One offer per GPU type, region and pricing, for the cross-cloud comparison. */
  offers(fetchedAt: string): GpuOffer[];
}

export function gcpPriceBook(rest: () => GcpRest, now: () => number): GcpPriceBook {
  let table: Table = new Map();
  const read = reused(PRICES_TTL_MS, now, async (signal) => {
    const skus = await rest().list(
      'billing',
      `GET /v1/services/${COMPUTE_BILLING_SERVICE}/skus`,
      `/v1/services/${COMPUTE_BILLING_SERVICE}/skus`,
      { currencyCode: 'USD', pageSize: 5000 },
      (page) => (Array.isArray(page.skus) ? (page.skus as Wire[]) : []),
      signal,
    );
    const next: Table = new Map();
    for (const sku of skus) {
      const parsed = parseSku(sku);
      if (!parsed) continue;
      const key = `${parsed.kind}|${parsed.family}|${parsed.pricing}`;
      const byRegion = next.get(key) ?? new Map<string, number>();
      // Two SKUs for one region and key (a rename in flight): the dearer, so spend is never understated.
      for (const region of parsed.regions) byRegion.set(region, Math.max(byRegion.get(region) ?? 0, parsed.price));
      next.set(key, byRegion);
    }
    table = next;
    return next;
  });
  const price = (kind: Kind, family: string, region: string, spot: boolean) =>
    table.get(`${kind}|${family}|${spot ? 'spot' : 'on-demand'}`)?.get(region);
  return {
    load: async (signal) => {
      await read(signal);
    },
    gpuPrice: (type, region, spot) => price('gpu', type.toLowerCase(), region, spot),
    machinePrice(family, shape, region, spot) {
      if (!shape) return undefined;
      const core = price('core', family, region, spot);
      const ram = price('ram', family, region, spot);
      if (core === undefined || ram === undefined) return undefined;
      return core * shape.guestCpus + ram * (shape.memoryMb / 1024);
    },
    offers(fetchedAt) {
      const out: GpuOffer[] = [];
      for (const [key, byRegion] of table) {
        const [kind, family, pricing] = key.split('|') as [Kind, string, OfferPricing];
        if (kind !== 'gpu') continue;
        const identity = normalizeGpu(family);
        for (const [region, perHour] of byRegion) {
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
