// What RunPod storage costs, and network volumes → Resources. Prices from RunPod's pricing pages (runpod/docs
// pods/pricing.mdx "Storage pricing", accounts-billing/billing.mdx, storage/network-volumes.mdx, August 2026):
//   - volume disk (a pod's `mounts.persistent`): $0.10/GB/month while the pod runs, $0.20/GB/month while it is
//     stopped; the container disk is not charged while stopped. A stopped pod's `cost` is 0, so this is the only
//     price it shows.
//   - network volumes, standard tier: $0.07/GB/month for the first 1 TB, $0.05/GB/month beyond, billed hourly whether
//     or not a pod uses them. High-performance volumes are "priced at a premium" that "varies by data center"
//     (storage/high-performance-storage.mdx): no price is published, so none is shown.
//
// Accounting (what counts where, so nothing is counted twice):
//   - a stopped pod's volume disk is its `storagePricePerHour`, which stoppedStoragePerHour sums over stopped GPU pods;
//   - a network volume is its own resource whose `pricePerHour` is what it costs around the clock. It is neither GPU
//     spend (no GPU) nor a stopped pod's storage (it costs the same while pods run), so no total includes it; the
//     pods mounting it carry no storage price of their own for it;
//   - RunPod does not say how many hours its month has; the calendar average, 730 h (365 × 24 / 12), is used.
import type { Resource } from '../../core/model/model';
import type { WireNetworkVolume, WirePod } from './api';

export const NETWORK_VOLUMES_SERVICE = 'Network Volumes';
export const HOURS_PER_MONTH = 730;
export const VOLUME_DISK_STOPPED_PER_GB_MONTH = 0.2;
export const NETWORK_VOLUME_PER_GB_MONTH = 0.07;
export const NETWORK_VOLUME_BEYOND_1TB_PER_GB_MONTH = 0.05;
/** "1 TB": RunPod sizes volumes in GB (10–4096), so the first tier is taken as 1000 GB. */
export const NETWORK_VOLUME_FIRST_TIER_GB = 1000;
const CONSOLE = 'https://console.runpod.io/user/storage';

const positive = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);

/**
 * USD per hour a pod's volume disk costs while the pod is stopped; undefined without a persistent mount (a network
 * volume is priced on its own resource) and for a terminated pod, whose disk is gone.
 */
export function stoppedPodStoragePerHour(pod: Pick<WirePod, 'status' | 'mounts'>): number | undefined {
  if (typeof pod.status === 'string' && pod.status.toUpperCase() === 'TERMINATED') return undefined;
  const gb = positive(pod.mounts?.persistent?.size);
  return gb === undefined ? undefined : (gb * VOLUME_DISK_STOPPED_PER_GB_MONTH) / HOURS_PER_MONTH;
}

/** USD per hour of a standard network volume, tiered at 1 TB; undefined for another tier or an unknown size. */
export function networkVolumePerHour(volume: Pick<WireNetworkVolume, 'size' | 'type'>): number | undefined {
  const gb = positive(volume.size);
  if (gb === undefined || (volume.type !== undefined && volume.type !== 'STANDARD')) return undefined;
  const first = Math.min(gb, NETWORK_VOLUME_FIRST_TIER_GB);
  const beyond = gb - first;
  return (first * NETWORK_VOLUME_PER_GB_MONTH + beyond * NETWORK_VOLUME_BEYOND_1TB_PER_GB_MONTH) / HOURS_PER_MONTH;
}

/** `attachedPods` counts the listed pods that mount the volume. */
export function mapNetworkVolume(volume: WireNetworkVolume, account: string, attachedPods: number): Resource {
  const price = networkVolumePerHour(volume);
  const details: Record<string, string | number | boolean> = { attachedPods };
  const gb = positive(volume.size);
  if (gb !== undefined) details.sizeGb = gb;
  if (typeof volume.type === 'string' && volume.type !== '')
    details.tier = volume.type === 'HIGH_PERFORMANCE' ? 'high-performance' : volume.type.toLowerCase();
  if (price === undefined && volume.type === 'HIGH_PERFORMANCE') details.price = 'varies by data center; not published';
  return {
    id: volume.id,
    cloud: 'runpod',
    account,
    kind: 'volume',
    service: NETWORK_VOLUMES_SERVICE,
    name: typeof volume.name === 'string' && volume.name !== '' ? volume.name : volume.id,
    ...(typeof volume.dataCenter === 'string' && volume.dataCenter !== '' ? { region: volume.dataCenter } : {}),
    // A listed volume exists and is billed; RunPod reports no other state for it.
    status: 'running',
    ...(price !== undefined ? { pricePerHour: price } : {}),
    consoleUrl: CONSOLE,
    details,
  };
}

/** Pods per network volume id, from their `mounts.network`. */
export function podsPerVolume(pods: readonly WirePod[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    for (const mount of Array.isArray(pod.mounts?.network) ? pod.mounts.network : []) {
      if (typeof mount?.volumeId === 'string') out.set(mount.volumeId, (out.get(mount.volumeId) ?? 0) + 1);
    }
  }
  return out;
}
