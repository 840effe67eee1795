// Metrics through Azure Monitor's data-plane batch API (MetricsClient.queryResources → POST /subscriptions/{s}/
// metrics:getBatch; Azure update "General availability of Azure Monitor Metrics Data Plane API", the
// @azure/monitor-query-metrics README and learn.microsoft.com/azure/azure-monitor/metrics/migrate-to-batch-api): one
// call per namespace for up to 50 resources of one subscription and one region, every metric name and aggregation of
// that namespace in the same call — so a region's calls grow by one per 50 resources, never per VM. Points come per
// interval (PT1M); avg/max/min are taken over the window's points, and a resource without points gets no value (never
// an invented 0).
import type { MetricsQueryResult } from '@azure/monitor-query-metrics';
import type { MetricFamily, MetricsWindow, Resource, ResourceMetrics, Stat } from '../../core/model/model';
import { chunk } from '../../core/transport/paginate';
import { finite, mapConcurrent } from '../../core/transport/wire';
import type { MetricsBatch } from './api';

/** The batch API's limit: at most 50 resource ids per call. */
export const BATCH_SIZE = 50;
/** Calls of one region in flight at once. */
const CONCURRENCY = 4;
const AGGREGATIONS = ['Average', 'Maximum', 'Minimum', 'Total'] as const;

interface Point {
  readonly average?: number;
  readonly maximum?: number;
  readonly minimum?: number;
  readonly total?: number;
}

/** How one metric's points become one model value. */
interface MetricTarget {
  readonly name: string;
  readonly family: MetricFamily;
  readonly field: string;
  /** level: a gauge (average/maximum/minimum); perSecond: a per-interval total → per second; perInterval: a count per interval. */
  readonly reading: 'level' | 'perSecond' | 'perInterval';
  /** Multiplies every value (seconds → ms). */
  readonly scale?: number;
  /** Available Memory Bytes: a level of free bytes, shown as the percent in use of the size's memory. */
  readonly freeOfMemory?: boolean;
  /** Several metrics make one field: their totals are added interval by interval (Flex Consumption's executions). */
  readonly summed?: boolean;
}

interface Namespace {
  readonly namespace: string;
  readonly kinds: readonly Resource['kind'][];
  /** Which of those resources it reads (absent: all): one plan's metric names never ride in another plan's batch. */
  readonly applies?: (resource: Resource) => boolean;
  readonly metrics: readonly MetricTarget[];
}

/**
 * A function app on the Flex Consumption plan (App Service's `sku`, shown as its plan). Such apps publish no
 * `FunctionExecutionCount`; their executions are `OnDemandFunctionExecutionCount` + `AlwaysReadyFunctionExecutionCount`
 * (learn.microsoft.com/azure/azure-functions/flex-consumption-plan, "Monitoring";
 * learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-web-sites-metrics).
 */
const isFlex = (r: Resource) => String(r.details?.plan ?? '').toLowerCase() === 'flexconsumption';

/**
 * Names from Azure Monitor's "Supported metrics" pages (Microsoft.Compute/virtualMachines,
 * Microsoft.Compute/virtualMachineScaleSets/virtualMachines, Microsoft.Web/sites, Microsoft.ContainerService/managedClusters).
 */
const VM_METRICS: readonly MetricTarget[] = [
  { name: 'Percentage CPU', family: 'compute', field: 'cpuPercent', reading: 'level' },
  { name: 'Available Memory Bytes', family: 'compute', field: 'memoryPercent', reading: 'level', freeOfMemory: true },
  { name: 'Network In Total', family: 'compute', field: 'networkInBytesPerSec', reading: 'perSecond' },
  { name: 'Network Out Total', family: 'compute', field: 'networkOutBytesPerSec', reading: 'perSecond' },
  { name: 'Disk Read Bytes', family: 'compute', field: 'diskReadBytesPerSec', reading: 'perSecond' },
  { name: 'Disk Write Bytes', family: 'compute', field: 'diskWriteBytesPerSec', reading: 'perSecond' },
];

/** A Uniform scale set's instance: its id is `…/virtualMachineScaleSets/<set>/virtualMachines/<instance>`. */
const inScaleSet = (r: Resource) => /\/virtualMachineScaleSets\/[^/]+\/virtualMachines\//i.test(r.id);

export const NAMESPACES: readonly Namespace[] = [
  {
    namespace: 'Microsoft.Compute/virtualMachines',
    kinds: ['instance', 'gpu-instance'],
    applies: (r) => !inScaleSet(r),
    metrics: VM_METRICS,
  },
  // "All resources in a batch must be the same resource type" (learn.microsoft.com/azure/azure-monitor/essentials/
  // migrate-to-batch-api): scale-set instances have their own namespace, with the VMs' metric names
  // (learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-compute-virtualmachinescalesets-virtualmachines-metrics).
  {
    namespace: 'Microsoft.Compute/virtualMachineScaleSets/virtualMachines',
    kinds: ['instance', 'gpu-instance'],
    applies: inScaleSet,
    metrics: VM_METRICS,
  },
  // Function apps in two batches by plan. Microsoft documents no per-metric failure for metrics:getBatch: the
  // single-resource metrics API answers a name its namespace lacks with a 400 for the whole call ("Failed to find
  // metric configuration for provider …"), and the sim answers getBatch the same way; a plan's absent metric only comes
  // back without values. Apart, one app's plan never blanks the others' figures, whatever the service does.
  {
    namespace: 'Microsoft.Web/sites',
    kinds: ['function'],
    applies: (r) => !isFlex(r),
    metrics: [
      { name: 'FunctionExecutionCount', family: 'function', field: 'invocations', reading: 'perInterval' },
      { name: 'Http5xx', family: 'function', field: 'errors', reading: 'perInterval' },
      { name: 'HttpResponseTime', family: 'function', field: 'durationMs', reading: 'level', scale: 1000 },
    ],
  },
  {
    namespace: 'Microsoft.Web/sites',
    kinds: ['function'],
    applies: isFlex,
    metrics: [
      { name: 'OnDemandFunctionExecutionCount', family: 'function', field: 'invocations', reading: 'perInterval', summed: true },
      { name: 'AlwaysReadyFunctionExecutionCount', family: 'function', field: 'invocations', reading: 'perInterval', summed: true },
      { name: 'Http5xx', family: 'function', field: 'errors', reading: 'perInterval' },
      { name: 'HttpResponseTime', family: 'function', field: 'durationMs', reading: 'level', scale: 1000 },
    ],
  },
  {
    namespace: 'Microsoft.ContainerService/managedClusters',
    kinds: ['cluster'],
    metrics: [
      { name: 'node_cpu_usage_percentage', family: 'compute', field: 'cpuPercent', reading: 'level' },
      { name: 'node_memory_working_set_percentage', family: 'compute', field: 'memoryPercent', reading: 'level' },
    ],
  },
];

/** ISO 8601 duration of the window's granularity (PT1M, PT5M, PT1H). */
export function isoInterval(seconds: number): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  return minutes % 60 === 0 ? `PT${minutes / 60}H` : `PT${minutes}M`;
}

function stat(values: readonly number[]): Stat | undefined {
  if (values.length === 0) return undefined;
  return { avg: values.reduce((a, b) => a + b, 0) / values.length, max: Math.max(...values), min: Math.min(...values) };
}

/** The metric's points as one Stat, or undefined when no point carries a value. */
export function statOf(
  target: MetricTarget,
  points: readonly Point[],
  intervalSec: number,
  memoryBytes: number | undefined,
): Stat | undefined {
  const scale = target.scale ?? 1;
  if (target.reading !== 'level') {
    const values = points.map((p) => finite(p.total)).filter((v): v is number => v !== undefined);
    const perUnit = target.reading === 'perSecond' ? intervalSec : 1;
    return stat(values.map((v) => (v / perUnit) * scale));
  }
  const averages = points.map((p) => finite(p.average)).filter((v): v is number => v !== undefined);
  const s = stat(averages);
  if (!s) return undefined;
  const highs = points.map((p) => finite(p.maximum) ?? finite(p.average)).filter((v): v is number => v !== undefined);
  const lows = points.map((p) => finite(p.minimum) ?? finite(p.average)).filter((v): v is number => v !== undefined);
  const level: Stat = { avg: s.avg * scale, max: Math.max(...highs) * scale, min: Math.min(...lows) * scale };
  if (!target.freeOfMemory) return level;
  if (!memoryBytes) return undefined;
  // Less free memory is more in use: the highest use is at the lowest free figure.
  const used = (free: number) => Math.min(100, Math.max(0, 100 * (1 - free / memoryBytes)));
  return { avg: used(level.avg), max: used(level.min), min: used(level.max) };
}

const measurable = (r: Resource) => r.status === 'running';

/** What one scope's metrics take: the batches, grouped by region and namespace, 50 ids each. */
export function batchesFor(
  resources: readonly Resource[],
  window: MetricsWindow,
): (MetricsBatch & { readonly region: string; readonly ns: Namespace })[] {
  const batches: (MetricsBatch & { region: string; ns: Namespace })[] = [];
  for (const ns of NAMESPACES) {
    const byRegion = new Map<string, string[]>();
    for (const r of resources) {
      if (!measurable(r) || !ns.kinds.includes(r.kind) || !r.region || (ns.applies && !ns.applies(r))) continue;
      byRegion.set(r.region, [...(byRegion.get(r.region) ?? []), r.id]);
    }
    for (const [region, ids] of byRegion) {
      for (const part of chunk(ids, BATCH_SIZE)) {
        batches.push({
          ns,
          region,
          resourceIds: part,
          namespace: ns.namespace,
          metricNames: ns.metrics.map((m) => m.name),
          start: new Date(window.start),
          end: new Date(window.end),
          interval: isoInterval(window.granularitySec),
          aggregations: AGGREGATIONS,
        });
      }
    }
  }
  return batches;
}

export async function fetchMetrics(
  resources: readonly Resource[],
  window: MetricsWindow,
  query: (region: string, batch: MetricsBatch, signal: AbortSignal) => Promise<MetricsQueryResult[]>,
  memoryBytes: (resource: Resource) => number | undefined,
  signal: AbortSignal,
): Promise<Record<string, ResourceMetrics>> {
  const batches = batchesFor(resources, window);
  const answers = await mapConcurrent(batches, CONCURRENCY, (b) => query(b.region, b, signal));
  // ARM ids compare without case; the answer may spell them otherwise than the listing.
  const byId = new Map(resources.map((r) => [r.id.toLowerCase(), r]));
  const intervalSec = Math.max(60, Math.round(window.granularitySec / 60) * 60);
  const out: Record<string, Record<string, Record<string, Stat>>> = {};
  // Summed fields: resource id → family → field → interval → total.
  const sums = new Map<string, { family: MetricFamily; field: string; byTime: Map<string, number> }>();
  batches.forEach((batch, i) => {
    const { ns } = batch;
    for (const result of answers[i] ?? []) {
      const resource = byId.get(String(result.resourceId ?? '').toLowerCase());
      if (!resource) continue;
      for (const metric of result.metrics ?? []) {
        const target = ns.metrics.find((m) => m.name.toLowerCase() === String(metric.name ?? '').toLowerCase());
        if (!target) continue;
        const points = (metric.timeseries ?? []).flatMap((series) => (series.data ?? []) as (Point & { timeStamp?: unknown })[]);
        if (target.summed) {
          const key = `${resource.id}|${target.family}|${target.field}`;
          const sum = sums.get(key) ?? { family: target.family, field: target.field, byTime: new Map<string, number>() };
          sums.set(key, sum);
          for (const p of points) {
            const total = finite(p.total);
            if (total === undefined) continue;
            const at = p.timeStamp instanceof Date ? p.timeStamp.toISOString() : String(p.timeStamp);
            sum.byTime.set(at, (sum.byTime.get(at) ?? 0) + total);
          }
          continue;
        }
        const s = statOf(target, points, intervalSec, target.freeOfMemory ? memoryBytes(resource) : undefined);
        if (!s) continue;
        ((out[resource.id] ??= {})[target.family] ??= {})[target.field] = s;
      }
    }
  });
  for (const [key, sum] of sums) {
    const s = stat([...sum.byTime.values()]);
    if (s) ((out[key.split('|')[0]] ??= {})[sum.family] ??= {})[sum.field] = s;
  }
  return out;
}
