// Checks a list of job start times against a token bucket's promise, with the real clock: counts in windows,
// not tight timings, so a slow machine can only make a check pass more easily, never flake it.

/**
 * The largest excess over the budget in any window: for every pair of starts i ≤ j, the jobs started in
 * [t_i, t_j] may number at most burst + (tokens refilled in that time) + 1 (a refill can land inside both
 * ends). Returns 0 when the starts never exceed the budget, else how many jobs too many the worst window had.
 */
export function worstExcess(starts: readonly number[], perSecond: number, burst: number, slack = 1): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let worst = 0;
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i; j < sorted.length; j++) {
      const allowed = burst + Math.floor(((sorted[j] - sorted[i]) * perSecond) / 1000) + slack;
      worst = Math.max(worst, j - i + 1 - allowed);
    }
  }
  return worst;
}
