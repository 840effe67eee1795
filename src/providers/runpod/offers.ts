// The RunPod GPU catalog → GpuOffers. Each GPU type has a Secure Cloud and a Community Cloud list price per GPU-hour;
// they are separate offers (tier), both on demand: the v2 catalog has no spot or interruptible price. Availability
// is per cloud tier, so it comes from one catalog answer per tier.
import { normalizeGpu } from '../../core/model/gpu';
import type { Availability, GpuOffer } from '../../core/model/model';
import type { WireCloud, WireGpuType } from './api';

export const TIERS: Readonly<Record<WireCloud, { readonly label: string; readonly field: 'secure' | 'community' }>> = {
  SECURE: { label: 'Secure Cloud', field: 'secure' },
  COMMUNITY: { label: 'Community Cloud', field: 'community' },
};

const AVAILABILITY: Readonly<Record<string, Availability>> = { HIGH: 'high', MEDIUM: 'medium', LOW: 'low', NONE: 'none' };

export function mapAvailability(raw: unknown): Availability {
  return typeof raw === 'string' ? (AVAILABILITY[raw.toUpperCase()] ?? 'unknown') : 'unknown';
}

/** VRAM per GPU type id, GB, for pods whose GPU name does not say. */
export function catalogMemory(gpus: readonly WireGpuType[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const g of gpus) if (typeof g.id === 'string' && typeof g.memory === 'number' && g.memory > 0) out.set(g.id, g.memory);
  return out;
}

/**
 * One offer per GPU type and tier the type is sold in (`secure`/`community` true and a positive price), priced per
 * GPU-hour, sorted cheapest first. `byTier` holds each tier's catalog answer; a tier's availability comes from its own.
 */
export function mapGpuOffers(byTier: Partial<Record<WireCloud, readonly WireGpuType[]>>, fetchedAt: string): GpuOffer[] {
  const offers: GpuOffer[] = [];
  for (const [cloud, gpus] of Object.entries(byTier) as [WireCloud, readonly WireGpuType[]][]) {
    const { label, field } = TIERS[cloud];
    for (const g of gpus) {
      const price = g.price?.[field];
      if (typeof g.id !== 'string' || g.id === '' || g[field] !== true) continue;
      if (typeof price !== 'number' || !Number.isFinite(price) || price <= 0) continue;
      const identity = normalizeGpu(g.id, typeof g.memory === 'number' ? g.memory : undefined);
      offers.push({
        cloud: 'runpod',
        gpuKey: identity.key,
        gpuName: typeof g.name === 'string' && g.name !== '' ? g.name : g.id,
        gpuCount: 1,
        pricePerGpuHour: price,
        pricing: 'on-demand',
        tier: label,
        availability: mapAvailability(g.availability),
        fetchedAt,
      });
    }
  }
  return offers.sort(
    (a, b) => a.pricePerGpuHour - b.pricePerGpuHour || a.gpuKey.localeCompare(b.gpuKey) || (a.tier ?? '').localeCompare(b.tier ?? ''),
  );
}
