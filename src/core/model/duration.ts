// Durations as people type them (`--refresh 30s`) and as servers send them (`Retry-After`), and ages as the
// views show them ("12 s ago").

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** `30s`, `2m`, `1h`, `1500ms`, or a bare number of seconds (`90`) → milliseconds. */
export function parseDuration(input: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|min|m|h)?$/i.exec(String(input).trim());
  const ms = match ? Number(match[1]) * UNIT_MS[(match[2] ?? 's').toLowerCase()] : NaN;
  if (!Number.isSafeInteger(Math.round(ms))) {
    throw new Error(`Invalid duration "${String(input)}": use a number with s, m or h, e.g. 30s`);
  }
  return Math.round(ms);
}

/** 12 s, 3 min, 2 h, 3 d: one unit, rounded down, short enough for a tree row. */
export function formatAge(ms: number): string {
  const seconds = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

/**
 * `Retry-After` (RFC 9110 §10.2.3): delta-seconds or an HTTP-date → milliseconds from `now`, never negative.
 * Anything else is undefined, so a garbled header falls back to backoff instead of a wait of NaN.
 */
export function parseRetryAfter(value: string | undefined | null, now: number): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  // Fractions are not in the RFC but some servers send them; they mean what they say.
  if (/^\d+(\.\d+)?$/.test(text)) {
    const ms = Math.round(Number(text) * 1000);
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  // All three HTTP-date forms (IMF-fixdate, RFC 850, asctime) start with a day name. Requiring it keeps
  // Date.parse's leniency ("1 2", "2024") from turning garbage into a date.
  if (!/^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s/i.test(text)) return undefined;
  // asctime carries no zone; HTTP dates are always UTC.
  const date = Date.parse(/\b(GMT|UTC)\b/i.test(text) ? text : `${text} GMT`);
  if (!Number.isFinite(date)) return undefined;
  return Math.max(0, date - now);
}
