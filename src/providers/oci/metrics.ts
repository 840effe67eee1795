// Metrics through Monitoring SummarizeMetricsData (MQL; npm oci-monitoring 2.139.1
// lib/request/summarize-metrics-data-request.d.ts, lib/model/summarize-metrics-data-details.d.ts): ONE call per metric
// query per region for the whole tenancy (`compartmentId=<tenancy>`, `compartmentIdInSubtree=true`), answering a stream
// per resource — never a call per instance or per compartment, so a refresh's metrics calls are the same for 10
// instances and for 1,000. Each query asks for one statistic at 1-minute resolution; avg/max/min are computed over the
// window's points. A namespace that sends nothing for a resource (the agent plugin is off, custom namespaces are
// opt-in) leaves its values absent and says why, never 0.
import type {
  ComputeMetrics,
  DatabaseMetrics,
  GpuMetrics,
  MetricFamily,
  MetricsWindow,
  Resource,
  ResourceMetrics,
  Stat,
} from '../../core/model/model';
import { finite, mapConcurrent, text } from '../../core/transport/wire';

/** One stream of a SummarizeMetricsData answer (MetricData): the resource it is about and its points. */
export interface MetricStream {
  readonly resourceId: string;
  readonly values: readonly number[];
}

/** Runs one MQL query over the tenancy in the scope's region. */
export type Summarize = (namespace: string, query: string, window: MetricsWindow, signal: AbortSignal) => Promise<MetricStream[]>;

type Field<M> = { readonly family: MetricFamily; readonly field: keyof M & string; readonly scale?: number };

interface Query {
  readonly namespace: string;
  readonly metric: string;
  /** `mean` for levels; `rate` for counters (bytes, executions) → per second. */
  readonly statistic: 'mean' | 'rate';
  readonly target: Field<ComputeMetrics> | Field<GpuMetrics> | Field<DatabaseMetrics>;
  /** Which resources it is for. */
  readonly kinds: readonly Resource['kind'][];
}

const INSTANCES: readonly Resource['kind'][] = ['instance', 'gpu-instance'];
/**
 * The queries, by namespace. oci_computeagent: OCI "Compute Instance Metrics". gpu_infrastructure_health (the
 * Compute HPC/GPU monitoring plugin, a custom namespace): GpuUtilization is documented; the memory, temperature and
 * power names follow the same plugin's naming (UNCONFIRMED: Oracle's "High Performance Computing Metrics",
 * docs.oracle.com/iaas/Content/Compute/References/high-performance-computing-metrics.htm, documents GpuUtilization only
 * — an unknown name answers an empty list, which leaves the value absent). oci_autonomous_database: OCI "Autonomous
 * Database Metrics".
 */
const QUERIES: readonly Query[] = [
  {
    namespace: 'oci_computeagent',
    metric: 'CpuUtilization',
    statistic: 'mean',
    target: { family: 'compute', field: 'cpuPercent' },
    kinds: INSTANCES,
  },
  {
    namespace: 'oci_computeagent',
    metric: 'MemoryUtilization',
    statistic: 'mean',
    target: { family: 'compute', field: 'memoryPercent' },
    kinds: INSTANCES,
  },
  {
    namespace: 'oci_computeagent',
    metric: 'NetworksBytesIn',
    statistic: 'rate',
    target: { family: 'compute', field: 'networkInBytesPerSec' },
    kinds: INSTANCES,
  },
  {
    namespace: 'oci_computeagent',
    metric: 'NetworksBytesOut',
    statistic: 'rate',
    target: { family: 'compute', field: 'networkOutBytesPerSec' },
    kinds: INSTANCES,
  },
  {
    namespace: 'oci_computeagent',
    metric: 'DiskBytesRead',
    statistic: 'rate',
    target: { family: 'compute', field: 'diskReadBytesPerSec' },
    kinds: INSTANCES,
  },
  {
    namespace: 'oci_computeagent',
    metric: 'DiskBytesWritten',
    statistic: 'rate',
    target: { family: 'compute', field: 'diskWriteBytesPerSec' },
    kinds: INSTANCES,
  },
  {
    namespace: 'gpu_infrastructure_health',
    metric: 'GpuUtilization',
    statistic: 'mean',
    target: { family: 'gpu', field: 'utilizationPercent' },
    kinds: ['gpu-instance'],
  },
  {
    namespace: 'gpu_infrastructure_health',
    metric: 'GpuMemoryUtilization',
    statistic: 'mean',
    target: { family: 'gpu', field: 'memoryPercent' },
    kinds: ['gpu-instance'],
  },
  {
    namespace: 'gpu_infrastructure_health',
    metric: 'GpuTemperature',
    statistic: 'mean',
    target: { family: 'gpu', field: 'temperatureC' },
    kinds: ['gpu-instance'],
  },
  {
    namespace: 'gpu_infrastructure_health',
    metric: 'GpuPowerDraw',
    statistic: 'mean',
    target: { family: 'gpu', field: 'powerW' },
    kinds: ['gpu-instance'],
  },
  {
    namespace: 'oci_autonomous_database',
    metric: 'CpuUtilization',
    statistic: 'mean',
    target: { family: 'compute', field: 'cpuPercent' },
    kinds: ['database'],
  },
  {
    namespace: 'oci_autonomous_database',
    metric: 'StorageUtilization',
    statistic: 'mean',
    target: { family: 'compute', field: 'diskUsedPercent' },
    kinds: ['database'],
  },
  {
    namespace: 'oci_autonomous_database',
    metric: 'Sessions',
    statistic: 'mean',
    target: { family: 'database', field: 'connections' },
    kinds: ['database'],
  },
  {
    namespace: 'oci_autonomous_database',
    metric: 'ExecuteCount',
    statistic: 'rate',
    target: { family: 'database', field: 'queriesPerSec' },
    kinds: ['database'],
  },
];

/** Why a family sent nothing, and what to do. */
const MISSING: Readonly<Record<string, string>> = {
  oci_computeagent: 'no data in oci_computeagent: enable the Oracle Cloud Agent\'s "Compute Instance Monitoring" plugin on the instance.',
  gpu_infrastructure_health:
    'no data in gpu_infrastructure_health: enable the Oracle Cloud Agent\'s "Compute HPC GPU Monitoring" plugin on the instance.',
  oci_autonomous_database: 'no data in oci_autonomous_database yet.',
};

/** Queries run at once: a region's whole set is 14 calls; four keep them in flight without a burst. */
const CONCURRENCY = 4;

export function mqlOf(query: Query): string {
  return `${query.metric}[1m].${query.statistic}()`;
}

function stat(values: readonly number[]): Stat | undefined {
  const finiteValues = values.filter((v) => Number.isFinite(v));
  if (finiteValues.length === 0) return undefined;
  const sum = finiteValues.reduce((a, b) => a + b, 0);
  return { avg: sum / finiteValues.length, max: Math.max(...finiteValues), min: Math.min(...finiteValues) };
}

/** Only resources that can have data (running): a stopped instance sends nothing, and that needs no explanation. */
const measurable = (r: Resource) => r.status === 'running';

/** The queries a set of resources needs: none for a kind nobody runs, so an empty region makes no call. */
export function queriesFor(resources: readonly Resource[]): Query[] {
  const kinds = new Set(resources.filter(measurable).map((r) => r.kind));
  return QUERIES.filter((q) => q.kinds.some((k) => kinds.has(k)));
}

export async function fetchMetrics(
  resources: readonly Resource[],
  window: MetricsWindow,
  summarize: Summarize,
  signal: AbortSignal,
): Promise<Record<string, ResourceMetrics>> {
  const queries = queriesFor(resources);
  const answers = await mapConcurrent(queries, CONCURRENCY, (q) => summarize(q.namespace, mqlOf(q), window, signal));
  const wanted = new Map(resources.filter(measurable).map((r) => [r.id, r]));
  const families = new Map<string, Record<string, Record<string, Stat>>>();
  const heard = new Map<string, Set<string>>(); // resource id → namespaces that sent something
  queries.forEach((q, i) => {
    // Several streams of one resource (a GPU per stream) are pooled: the window's points of all of them.
    const byResource = new Map<string, number[]>();
    for (const stream of answers[i]) {
      const resource = wanted.get(stream.resourceId);
      if (!resource || !q.kinds.includes(resource.kind)) continue;
      byResource.set(stream.resourceId, [...(byResource.get(stream.resourceId) ?? []), ...stream.values]);
    }
    for (const [id, values] of byResource) {
      const s = stat(values);
      if (!s) continue;
      const perResource = families.get(id) ?? {};
      (perResource[q.target.family] ??= {})[q.target.field] = s;
      families.set(id, perResource);
      heard.set(id, (heard.get(id) ?? new Set()).add(q.namespace));
    }
  });
  const out: Record<string, ResourceMetrics> = {};
  for (const resource of wanted.values()) {
    const metrics: { -readonly [K in keyof ResourceMetrics]: ResourceMetrics[K] } = { ...families.get(resource.id) };
    const missing: Partial<Record<MetricFamily, string>> = {};
    for (const q of queries) {
      if (!q.kinds.includes(resource.kind) || heard.get(resource.id)?.has(q.namespace)) continue;
      if (metrics[q.target.family] === undefined) missing[q.target.family] ??= MISSING[q.namespace];
    }
    if (Object.keys(missing).length > 0) metrics.missing = missing;
    if (Object.keys(metrics).length > 0) out[resource.id] = metrics;
  }
  return out;
}

/** A SummarizeMetricsData answer's streams; a stream without a resourceId dimension is about nothing listed. */
export function readStreams(items: unknown): MetricStream[] {
  if (!Array.isArray(items)) return [];
  const streams: MetricStream[] = [];
  for (const item of items as Record<string, unknown>[]) {
    const dimensions = (item?.dimensions ?? {}) as Record<string, unknown>;
    const resourceId = text(dimensions.resourceId);
    const points = Array.isArray(item?.aggregatedDatapoints) ? (item.aggregatedDatapoints as Record<string, unknown>[]) : [];
    if (!resourceId) continue;
    streams.push({ resourceId, values: points.map((p) => finite(p?.value)).filter((v): v is number => v !== undefined) });
  }
  return streams;
}
