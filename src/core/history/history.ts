// A rolling history of what the user runs: per resource, its GPU utilization, CPU utilization, memory and GPU memory;
// per cloud, the GPU spend per hour. One point per refresh, kept for a day (HISTORY_LIMITS.maxAgeMs), bounded in points
// and in serialized bytes, so 5,000 resources refreshed every minute for a week still fit in a few megabytes.
//
// What it holds: clouds, resource ids, epoch times and numbers. Never a name, a note, a detail, an error message or
// anything else a cloud or the user wrote: those could carry a secret (a token pasted into a VM's name), ids cannot be
// avoided (they are the key) and are what the JSON output prints already. A resource is identified by cloud + id: the
// model promises an id unique within its cloud and account, and every cloud Cloudtop speaks to issues globally unique
// ids for what it meters (OCIDs, Azure resource ids, GCP instance ids, Vast.ai/RunPod instance ids).
//
// Pure (no `vscode`, no I/O): the extension persists `toDocument()` in its global storage, the CLI keeps it in memory.
import { CLOUD_IDS, isCloudId, type CloudId, type ResourceMetrics, type Snapshot } from '../model/model';
import { thinOlder } from './thin';

/** The per-resource values a point carries (integers, percent), null where the cloud reported none. */
export const RESOURCE_FIELDS = ['gpu', 'cpu', 'mem', 'gpuMem'] as const;
export type ResourceField = (typeof RESOURCE_FIELDS)[number];

export interface HistoryLimits {
  /** Points older than this (before the newest point recorded) are dropped. */
  readonly maxAgeMs: number;
  /** A series longer than this is thinned: every other older point goes, the newest stay at full resolution. */
  readonly maxPointsPerSeries: number;
  /** Resources followed at once; past it, the ones not seen for longest are dropped. */
  readonly maxSeries: number;
  /** Ceiling of `JSON.stringify(toDocument())`: every series is thinned until the document fits. */
  readonly maxBytes: number;
}

export const HISTORY_LIMITS: HistoryLimits = {
  // A day and an hour: the dashboard's 24 h chart is full from its first to its last pixel.
  maxAgeMs: 25 * 3_600_000,
  // A day at the default 60 s refresh is 1,440 points.
  maxPointsPerSeries: 1_500,
  maxSeries: 10_000,
  // About 250,000 points (a point serializes to ~15 bytes): a day at full resolution for ~170 resources, at 5,000
  // resources ~50 points each (a point every half hour), still enough for a sparkline and a day's chart.
  maxBytes: 4_000_000,
};

/** Recent points a thinning keeps at full resolution (a sparkline's worth). */
const KEEP_RECENT = 60;

interface ResourceSeries {
  readonly cloud: CloudId;
  readonly id: string;
  t: number[];
  values: Record<ResourceField, (number | null)[]>;
}

/** What a dashboard chart or a sparkline reads: times (epoch ms) and the values at them. */
export interface ResourceHistory {
  readonly t: readonly number[];
  readonly values: Readonly<Record<ResourceField, readonly (number | null)[]>>;
}

export interface SpendHistory {
  readonly t: readonly number[];
  /** USD per hour per cloud at each time; null where the cloud had no data then (not connected, failed without data). */
  readonly clouds: Readonly<Partial<Record<CloudId, readonly (number | null)[]>>>;
}

export const HISTORY_FORMAT = 'cloudtop-history';
export const HISTORY_VERSION = 1;

/** The serialized form: times as seconds, the first absolute and the rest as deltas, values as integers or cents. */
export interface HistoryDocument {
  readonly format: typeof HISTORY_FORMAT;
  readonly version: typeof HISTORY_VERSION;
  readonly resources: readonly {
    readonly cloud: CloudId;
    readonly id: string;
    readonly t: readonly number[];
    readonly values: Readonly<Record<ResourceField, readonly (number | null)[]>>;
  }[];
  readonly spend: { readonly t: readonly number[]; readonly clouds: Readonly<Partial<Record<CloudId, readonly (number | null)[]>>> };
}

const keyOf = (cloud: CloudId, id: string) => `${cloud}\u0000${id}`;
const percent = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : Math.round(v));
/** USD per hour to a hundredth of a cent, as the totals are. */
const usd = (v: number): number => Math.round(v * 10_000) / 10_000;

/** The key metrics of one resource's window, averaged; null where the cloud did not report them. */
export function pointOf(metrics: ResourceMetrics | undefined): Record<ResourceField, number | null> {
  return {
    gpu: percent(metrics?.gpu?.utilizationPercent?.avg),
    cpu: percent(metrics?.compute?.cpuPercent?.avg),
    mem: percent(metrics?.compute?.memoryPercent?.avg),
    gpuMem: percent(metrics?.gpu?.memoryPercent?.avg),
  };
}

export class MetricHistory {
  private readonly series = new Map<string, ResourceSeries>();
  private spendT: number[] = [];
  private readonly spend = new Map<CloudId, (number | null)[]>();

  constructor(readonly limits: HistoryLimits = HISTORY_LIMITS) {}

  /** Resources followed now. */
  get size(): number {
    return this.series.size;
  }

  /** Points held in all, resource and spend series together. */
  get points(): number {
    let n = this.spendT.length;
    for (const s of this.series.values()) n += s.t.length;
    return n;
  }

  /**
   * Adds the snapshot's values: a point per resource whose cloud answered with metrics newer than the last point (a
   * refresh of one cloud leaves the others' series alone), and a point of GPU spend per cloud. Last good data of a
   * failing cloud (stale) adds nothing: repeating it would draw a flat line that never happened.
   */
  record(snapshot: Snapshot): void {
    const now = Date.parse(snapshot.timestamp);
    if (!Number.isFinite(now)) return;
    for (const cloud of CLOUD_IDS) {
      const outcome = snapshot.outcomes[cloud];
      if (!outcome || outcome.state !== 'ok' || outcome.stale) continue;
      const at = Date.parse(outcome.metricsFetchedAt ?? outcome.fetchedAt ?? snapshot.timestamp);
      if (!Number.isFinite(at)) continue;
      for (const resource of outcome.resources) {
        const point = pointOf(outcome.metrics[resource.id]);
        if (RESOURCE_FIELDS.every((f) => point[f] === null)) continue;
        this.add(cloud, resource.id, at, point);
      }
    }
    this.recordSpend(snapshot, now);
    this.prune(now);
  }

  private add(cloud: CloudId, id: string, at: number, point: Record<ResourceField, number | null>): void {
    const key = keyOf(cloud, id);
    let s = this.series.get(key);
    if (!s) {
      s = { cloud, id, t: [], values: { gpu: [], cpu: [], mem: [], gpuMem: [] } };
      this.series.set(key, s);
    } else if (s.t.length > 0 && s.t[s.t.length - 1] >= at) return; // the same metrics again (cached, or another cloud's refresh)
    // Re-inserted so the map's order is "least recently updated first": the series dropped past maxSeries.
    this.series.delete(key);
    this.series.set(key, s);
    s.t.push(at);
    for (const f of RESOURCE_FIELDS) s.values[f].push(point[f]);
    if (s.t.length > this.limits.maxPointsPerSeries) this.thinSeries(s);
  }

  private recordSpend(snapshot: Snapshot, now: number): void {
    if (this.spendT.length > 0 && this.spendT[this.spendT.length - 1] >= now) return;
    const byCloud = new Map<CloudId, number>();
    for (const line of snapshot.totals.gpuSpend) byCloud.set(line.cloud, (byCloud.get(line.cloud) ?? 0) + line.pricePerHour);
    const before = this.spendT.length;
    this.spendT.push(now);
    for (const cloud of CLOUD_IDS) {
      const outcome = snapshot.outcomes[cloud];
      // A cloud that answered (or shows its last good data) spends what its billed GPUs cost, $0 when none.
      const known = outcome !== undefined && (outcome.state === 'ok' || outcome.stale);
      const value = known ? usd(byCloud.get(cloud) ?? 0) : null;
      let values = this.spend.get(cloud);
      if (!values) {
        if (value === null) continue;
        values = new Array<number | null>(before).fill(null);
        this.spend.set(cloud, values);
      }
      values.push(value);
    }
    if (this.spendT.length > this.limits.maxPointsPerSeries) this.thinSpend(KEEP_RECENT);
  }

  private thinSpend(keepRecent: number): void {
    const keep = thinOlder(this.spendT.length, keepRecent);
    this.spendT = keep.map((i) => this.spendT[i]);
    for (const [cloud, values] of this.spend)
      this.spend.set(
        cloud,
        keep.map((i) => values[i]),
      );
  }

  private thinSeries(s: ResourceSeries, keepRecent = KEEP_RECENT): void {
    const keep = thinOlder(s.t.length, keepRecent);
    s.t = keep.map((i) => s.t[i]);
    for (const f of RESOURCE_FIELDS) {
      const values = s.values[f];
      s.values[f] = keep.map((i) => values[i]);
    }
  }

  /** Drops what is older than the age limit, series left empty, and the longest-unseen series past the count limit. */
  prune(now: number): void {
    const oldest = now - this.limits.maxAgeMs;
    for (const [key, s] of this.series) {
      const from = firstAtOrAfter(s.t, oldest);
      if (from === s.t.length) {
        this.series.delete(key);
        continue;
      }
      if (from > 0) {
        s.t = s.t.slice(from);
        for (const f of RESOURCE_FIELDS) s.values[f] = s.values[f].slice(from);
      }
    }
    let excess = this.series.size - this.limits.maxSeries;
    for (const key of this.series.keys()) {
      if (excess-- <= 0) break;
      this.series.delete(key);
    }
    const from = firstAtOrAfter(this.spendT, oldest);
    if (from > 0) {
      this.spendT = this.spendT.slice(from);
      for (const [cloud, values] of this.spend) {
        const kept = values.slice(from);
        if (kept.every((v) => v === null)) this.spend.delete(cloud);
        else this.spend.set(cloud, kept);
      }
    }
  }

  /** One resource's history since `since` (epoch ms), or undefined when Cloudtop has none. */
  resource(cloud: CloudId, id: string, since = -Infinity): ResourceHistory | undefined {
    const s = this.series.get(keyOf(cloud, id));
    if (!s) return undefined;
    const from = firstAtOrAfter(s.t, since);
    return {
      t: s.t.slice(from),
      values: {
        gpu: s.values.gpu.slice(from),
        cpu: s.values.cpu.slice(from),
        mem: s.values.mem.slice(from),
        gpuMem: s.values.gpuMem.slice(from),
      },
    };
  }

  /** The newest `count` values of one field, for a sparkline (not copied further: the caller reads them at once). */
  recent(cloud: CloudId, id: string, field: ResourceField, count: number): readonly (number | null)[] {
    const values = this.series.get(keyOf(cloud, id))?.values[field];
    return values ? values.slice(Math.max(0, values.length - count)) : [];
  }

  /** The GPU spend per cloud since `since` (epoch ms). */
  spendHistory(since = -Infinity): SpendHistory {
    const from = firstAtOrAfter(this.spendT, since);
    const clouds: Partial<Record<CloudId, (number | null)[]>> = {};
    for (const [cloud, values] of this.spend) clouds[cloud] = values.slice(from);
    return { t: this.spendT.slice(from), clouds };
  }

  /**
   * The serialized history, under `limits.maxBytes`: while the JSON is too big, every series loses every other older
   * point (the day stays covered, at a coarser step).
   */
  toDocument(): HistoryDocument {
    for (;;) {
      const document = this.document();
      if (JSON.stringify(document).length <= this.limits.maxBytes || this.series.size + this.spendT.length === 0) return document;
      const before = this.points;
      for (const s of this.series.values()) if (s.t.length > 1) this.thinSeries(s, Math.min(KEEP_RECENT, (s.t.length - 1) >> 1));
      if (this.spendT.length > 1) this.thinSpend(Math.min(KEEP_RECENT, (this.spendT.length - 1) >> 1));
      if (this.points < before) continue;
      // Every series is down to a point: the resources not seen for longest go, half at a time.
      const drop = Math.max(1, this.series.size >> 1);
      if (this.series.size === 0) {
        this.spendT = [];
        this.spend.clear();
      }
      for (const key of [...this.series.keys()].slice(0, drop)) this.series.delete(key);
    }
  }

  private document(): HistoryDocument {
    const spendClouds: Partial<Record<CloudId, (number | null)[]>> = {};
    for (const [cloud, values] of this.spend) spendClouds[cloud] = values;
    return {
      format: HISTORY_FORMAT,
      version: HISTORY_VERSION,
      resources: [...this.series.values()].map((s) => ({ cloud: s.cloud, id: s.id, t: toDeltaSeconds(s.t), values: s.values })),
      spend: { t: toDeltaSeconds(this.spendT), clouds: spendClouds },
    };
  }

  /**
   * A history from a document written by `toDocument()` (a file that may be damaged, old or hand-edited): each
   * series is read field by field and dropped when anything in it is off; something that is no document at all
   * gives an empty history. Never throws.
   */
  static fromDocument(input: unknown, limits: HistoryLimits = HISTORY_LIMITS): MetricHistory {
    const history = new MetricHistory(limits);
    if (!isObj(input) || input.format !== HISTORY_FORMAT || input.version !== HISTORY_VERSION) return history;
    if (Array.isArray(input.resources)) {
      for (const r of input.resources.slice(0, limits.maxSeries)) {
        if (!isObj(r) || !isCloudId(r.cloud) || typeof r.id !== 'string' || r.id.length === 0 || r.id.length > 1000) continue;
        const t = fromDeltaSeconds(r.t);
        const values = isObj(r.values) ? r.values : {};
        const columns = RESOURCE_FIELDS.map((f) => readValues(values[f], t?.length ?? -1));
        if (!t || t.length === 0 || columns.some((c) => !c)) continue;
        const series: ResourceSeries = {
          cloud: r.cloud,
          id: r.id,
          t,
          values: { gpu: columns[0]!, cpu: columns[1]!, mem: columns[2]!, gpuMem: columns[3]! },
        };
        history.series.set(keyOf(r.cloud, r.id), series);
        if (t.length > limits.maxPointsPerSeries) history.thinSeries(series);
      }
    }
    const spend = isObj(input.spend) ? input.spend : undefined;
    const spendT = spend ? fromDeltaSeconds(spend.t) : undefined;
    if (spend && spendT && isObj(spend.clouds)) {
      const clouds = new Map<CloudId, (number | null)[]>();
      let ok = true;
      for (const [cloud, raw] of Object.entries(spend.clouds)) {
        const values = readValues(raw, spendT.length);
        if (!isCloudId(cloud) || !values) ok = false;
        else clouds.set(cloud, values);
      }
      if (ok) {
        history.spendT = spendT;
        for (const [cloud, values] of clouds) history.spend.set(cloud, values);
      }
    }
    const newest = Math.max(history.spendT.at(-1) ?? -Infinity, ...[...history.series.values()].map((s) => s.t[s.t.length - 1]));
    if (Number.isFinite(newest)) history.prune(newest);
    return history;
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Index of the first time ≥ `at` in ascending times (binary search: 5,000 series are pruned every refresh). */
function firstAtOrAfter(t: readonly number[], at: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t[mid] < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function toDeltaSeconds(t: readonly number[]): number[] {
  const out: number[] = [];
  let previous = 0;
  for (const ms of t) {
    const seconds = Math.round(ms / 1000);
    out.push(seconds - previous);
    previous = seconds;
  }
  return out;
}

/** Ascending epoch ms from deltas in seconds; undefined when any is not a finite non-negative step. */
function fromDeltaSeconds(v: unknown): number[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: number[] = [];
  let seconds = 0;
  for (const [i, delta] of v.entries()) {
    if (typeof delta !== 'number' || !Number.isFinite(delta) || (i > 0 && delta <= 0)) return undefined;
    seconds += delta;
    out.push(seconds * 1000);
  }
  return out;
}

function readValues(v: unknown, length: number): (number | null)[] | undefined {
  if (!Array.isArray(v) || v.length !== length) return undefined;
  return v.every((x) => x === null || (typeof x === 'number' && Number.isFinite(x))) ? (v as (number | null)[]) : undefined;
}
