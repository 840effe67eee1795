// Vast.ai offers → GpuOffer. The marketplace lists every machine separately (hundreds per GPU model); Cloudtop
// compares prices per GPU model, so the offers collapse to the cheapest per normalized GPU key and pricing,
// with availability from how many GPUs of that key are for rent right now.
import { normalizeGpu } from '../../core/model/gpu';
import type { Availability, GpuOffer } from '../../core/model/model';
import type { OfferType, VastOffer } from './api';

const MB_PER_GB = 1024;

/** GPUs of one key on offer → availability. A marketplace has no stock level; the number of rentable GPUs is one. */
export function availabilityOf(gpus: number): Availability {
  if (gpus >= 16) return 'high';
  if (gpus >= 4) return 'medium';
  return gpus > 0 ? 'low' : 'none';
}

const positive = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);

/**
 * The cheapest offer per GPU key, priced per GPU-hour (`dph_total` ÷ `num_gpus`; `dph_total` is the whole
 * machine's hourly price at the searched type, the CLI's 5 GB of storage included). Offers without a name,
 * GPU count or price are skipped: they cannot be compared.
 */
export function toGpuOffers(offers: readonly VastOffer[], type: OfferType, fetchedAt: string): GpuOffer[] {
  const best = new Map<string, { offer: GpuOffer; gpus: number }>();
  for (const o of offers) {
    const count = positive(o.num_gpus);
    const total = positive(o.dph_total);
    if (typeof o.gpu_name !== 'string' || o.gpu_name.trim() === '' || count === undefined || total === undefined) continue;
    const memMb = positive(o.gpu_ram);
    const identity = normalizeGpu(o.gpu_name, memMb !== undefined ? memMb / MB_PER_GB : undefined);
    const candidate: GpuOffer = {
      cloud: 'vastai',
      gpuKey: identity.key,
      gpuName: o.gpu_name,
      gpuCount: count,
      pricePerGpuHour: total / count,
      pricing: type === 'bid' ? 'spot' : 'on-demand',
      ...(typeof o.geolocation === 'string' && o.geolocation !== '' ? { region: o.geolocation } : {}),
      availability: 'unknown',
      fetchedAt,
    };
    const seen = best.get(identity.key);
    if (!seen) best.set(identity.key, { offer: candidate, gpus: count });
    else {
      seen.gpus += count;
      if (candidate.pricePerGpuHour < seen.offer.pricePerGpuHour) seen.offer = candidate;
    }
  }
  return [...best.values()].map(({ offer, gpus }) => ({ ...offer, availability: availabilityOf(gpus) }));
}

/** Cheapest first; on-demand before spot at the same price, then by key, so the order is stable. */
export function sortOffers(offers: GpuOffer[]): GpuOffer[] {
  return offers.sort(
    (a, b) =>
      a.pricePerGpuHour - b.pricePerGpuHour ||
      (a.pricing === b.pricing ? 0 : a.pricing === 'on-demand' ? -1 : 1) ||
      a.gpuKey.localeCompare(b.gpuKey),
  );
}
