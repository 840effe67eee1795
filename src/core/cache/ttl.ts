// TTL rules shared by every cache backend (kept apart from cache.ts so the backends do not import the module
// that imports them).

/** Longest TTL any backend accepts; a longer (or infinite) one is cut to this. */
export const MAX_TTL_MS = 30 * 24 * 3_600_000;

/** A TTL every backend can store (whole milliseconds, at most 30 days), or undefined for "do not store". */
export function normalizeTtl(ttlMs: number): number | undefined {
  if (typeof ttlMs !== 'number' || Number.isNaN(ttlMs) || ttlMs <= 0) return undefined;
  return Math.max(1, Math.min(Math.ceil(ttlMs), MAX_TTL_MS));
}
