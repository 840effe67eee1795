// Thinning a time series: the newest points stay at full resolution, every other older point goes. Repeated, a long
// series keeps covering its whole span at a coarser and coarser step instead of losing its oldest part.

/** Indices (ascending) of the points to keep out of `length`: the newest `keepRecent`, and every other older one. */
export function thinOlder(length: number, keepRecent: number): number[] {
  const recentFrom = Math.max(0, length - Math.max(0, keepRecent));
  const keep: number[] = [];
  // Counted back from the newest older point, so the one next to the recent part always stays.
  for (let i = recentFrom - 1; i >= 0; i -= 2) keep.push(i);
  keep.reverse();
  for (let i = recentFrom; i < length; i++) keep.push(i);
  return keep;
}
