// Workers analytics rows (one per script and minute) → FunctionMetrics. Pure.
//
// The window is aligned to whole minutes, ending at the last complete minute, so every bucket covers a full minute:
// [floor(start), floor(end)). Each value is avg/max/min over those minute buckets:
//  - invocations, errors, subrequests: counts per minute; a minute without a row had none (the API returns only
//    non-empty groups), so it counts as 0 — a script without any row in the window gets 0 invocations, not absent;
//  - durationMs / durationP99Ms: CPU time p50 / p99, which the API reports in microseconds (the tutorial's values of
//    ~200 for a trivial Worker are µs; the dashboard shows ms), converted to ms. Only minutes with requests have one;
//    avg is weighted by each minute's requests; absent when the script ran no request in the window.
import type { FunctionMetrics, MetricsWindow, Stat } from '../../core/model/model';

const MINUTE_MS = 60_000;

export interface AlignedWindow {
  readonly start: string;
  readonly end: string;
  readonly startMs: number;
  readonly minutes: number;
}

export function alignWindow(window: MetricsWindow): AlignedWindow {
  const startMs = Math.floor(Date.parse(window.start) / MINUTE_MS) * MINUTE_MS;
  const endMs = Math.max(startMs + MINUTE_MS, Math.floor(Date.parse(window.end) / MINUTE_MS) * MINUTE_MS);
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) throw new Error(`invalid metrics window ${window.start} … ${window.end}`);
  return { start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString(), startMs, minutes: (endMs - startMs) / MINUTE_MS };
}

/** One row of `workersInvocationsAdaptive` grouped by scriptName and datetimeMinute. */
export interface WorkerMinute {
  readonly script: string;
  readonly minute: string;
  readonly requests?: number;
  readonly errors?: number;
  readonly subrequests?: number;
  readonly cpuTimeP50Us?: number;
  readonly cpuTimeP99Us?: number;
}

interface Series {
  readonly requests: number[];
  readonly errors: number[];
  readonly subrequests: number[];
  /** [value ms, requests that minute] */
  readonly p50: Array<[number, number]>;
  readonly p99: Array<[number, number]>;
}

const nonNegative = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);

export function statOf(values: readonly number[]): Stat {
  return { avg: values.reduce((s, v) => s + v, 0) / values.length, max: Math.max(...values), min: Math.min(...values) };
}

function weighted(points: ReadonlyArray<[number, number]>): Stat | undefined {
  if (points.length === 0) return undefined;
  const weight = points.reduce((s, [, w]) => s + w, 0);
  const values = points.map(([v]) => v);
  const avg = weight > 0 ? points.reduce((s, [v, w]) => s + v * w, 0) / weight : statOf(values).avg;
  return { avg, max: Math.max(...values), min: Math.min(...values) };
}

/** Metrics for every requested script, keyed by script name. Rows outside the window or for other scripts are ignored. */
export function workerMetrics(
  scripts: Iterable<string>,
  rows: readonly WorkerMinute[],
  window: AlignedWindow,
): Map<string, FunctionMetrics> {
  const series = new Map<string, Series>();
  for (const script of scripts) {
    series.set(script, {
      requests: new Array<number>(window.minutes).fill(0),
      errors: new Array<number>(window.minutes).fill(0),
      subrequests: new Array<number>(window.minutes).fill(0),
      p50: [],
      p99: [],
    });
  }
  for (const row of rows) {
    const s = series.get(row.script);
    const index = (Date.parse(row.minute) - window.startMs) / MINUTE_MS;
    if (!s || !Number.isInteger(index) || index < 0 || index >= window.minutes) continue;
    const requests = nonNegative(row.requests) ?? 0;
    s.requests[index] += requests;
    s.errors[index] += nonNegative(row.errors) ?? 0;
    s.subrequests[index] += nonNegative(row.subrequests) ?? 0;
    const p50 = nonNegative(row.cpuTimeP50Us);
    const p99 = nonNegative(row.cpuTimeP99Us);
    if (p50 !== undefined && requests > 0) s.p50.push([p50 / 1000, requests]);
    if (p99 !== undefined && requests > 0) s.p99.push([p99 / 1000, requests]);
  }
  const out = new Map<string, FunctionMetrics>();
  for (const [script, s] of series) {
    const duration = weighted(s.p50);
    const p99 = weighted(s.p99);
    out.set(script, {
      invocations: statOf(s.requests),
      errors: statOf(s.errors),
      subrequests: statOf(s.subrequests),
      ...(duration ? { durationMs: duration } : {}),
      ...(p99 ? { durationP99Ms: p99 } : {}),
    });
  }
  return out;
}
