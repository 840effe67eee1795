// Resource Manager says how much of its budget is left in every answer (x-ms-ratelimit-remaining-subscription-reads,
// -tenant-reads, -subscription-resource-requests, …). Its budgets are token buckets refilled at 25 requests a second
// (learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling), so when fewer than a
// second's worth are left, the next requests of that subscription wait until about a second's worth is back, instead
// of spending the rest and earning a 429 with a Retry-After of many seconds.
import type { Pace } from '../../core/transport/transport';

/** Tokens ARM adds to a bucket per second. */
const REFILL_PER_SECOND = 25;
/** Below this many requests left, pause: one second of refill. */
const LOW_WATER = REFILL_PER_SECOND;
const REMAINING = 'x-ms-ratelimit-remaining-';

export const armPace: Pace = {
  key: (url) => /^\/+subscriptions\/([^/]+)/i.exec(url.pathname)?.[1]?.toLowerCase() ?? 'tenant',
  pause(headers) {
    let least: { name: string; left: number } | undefined;
    for (const [name, value] of Object.entries(headers)) {
      const left = name.startsWith(REMAINING) && value.trim() !== '' ? Number(value) : NaN;
      if (Number.isFinite(left) && (!least || left < least.left)) least = { name, left };
    }
    if (!least || least.left >= LOW_WATER) return undefined;
    return {
      ms: ((LOW_WATER - Math.max(0, least.left)) / REFILL_PER_SECOND) * 1000,
      why: `Resource Manager has ${least.left} requests left (${least.name})`,
    };
  },
};
