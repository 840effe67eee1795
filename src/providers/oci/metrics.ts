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

/**
 * One stream of a SummarizeMetricsData answer (MetricData): the resource it is about — its OCID when the stream's
 * dimensions carry one, else the host or display name they carry — its dimension names, and its points.
 */
export interface MetricStream {
  readonly resourceId?: string;
  readonly name?: string;
  readonly dimensions: readonly string[];
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
 * Oracle Cloud Agent's "Compute RDMA GPU Monitoring" plugin, a custom namespace; docs.oracle.com/iaas/Content/Compute/
 * Tasks/transitioning-to-hpc-plugin.htm): GpuUtilization is documented; the memory, temperature and
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
    "no data in gpu_infrastructure_health: enable the Oracle Cloud Agent's \"Compute RDMA GPU Monitoring\" plugin on the instance, and a policy that lets it publish there: Allow dynamic-group <its group> to use metrics in tenancy where target.metrics.namespace = 'gpu_infrastructure_health' (docs.oracle.com/iaas/Content/Compute/Tasks/transitioning-to-hpc-plugin.htm).",
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
  // Streams no instance could be told from (no resourceId, no unique host name): per namespace, their dimension names.
  const unmatched = new Map<string, { count: number; dimensions: Set<string> }>();
  queries.forEach((q, i) => {
    const candidates = [...wanted.values()].filter((r) => q.kinds.includes(r.kind));
    const byName = uniqueNames(candidates);
    // Several streams of one resource (a GPU per stream) are pooled: the window's points of all of them.
    const byResource = new Map<string, number[]>();
    for (const stream of answers[i]) {
      const resource =
        stream.resourceId !== undefined ? wanted.get(stream.resourceId) : stream.name !== undefined ? byName.get(stream.name) : undefined;
      if (!resource) {
        // A stream that names an OCID not listed here is another region's or a terminated instance's: not unmatched.
        if (stream.resourceId === undefined && candidates.length > 0) {
          const entry = unmatched.get(q.namespace) ?? { count: 0, dimensions: new Set<string>() };
          entry.count++;
          for (const d of stream.dimensions) entry.dimensions.add(d);
          unmatched.set(q.namespace, entry);
        }
        continue;
      }
      if (!q.kinds.includes(resource.kind)) continue;
      byResource.set(resource.id, [...(byResource.get(resource.id) ?? []), ...stream.values]);
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
      if (metrics[q.target.family] !== undefined) continue;
      const lost = unmatched.get(q.namespace);
      missing[q.target.family] ??= lost
        ? `${q.namespace} sent ${lost.count} stream${lost.count === 1 ? '' : 's'} Cloudtop could not match to this or any listed instance (dimensions: ${[...lost.dimensions].sort().join(', ') || 'none'}; no resourceId and no host name that is unique here).`
        : MISSING[q.namespace];
    }
    if (Object.keys(missing).length > 0) metrics.missing = missing;
    if (Object.keys(metrics).length > 0) out[resource.id] = metrics;
  }
  return out;
}

/** Dimensions that name the instance's OCID, then those that name its host or display name (first present wins). */
const ID_DIMENSIONS = ['resourceId', 'instanceId', 'instanceOcid'];
const NAME_DIMENSIONS = ['resourceDisplayName', 'hostname', 'hostName', 'instanceName'];

/** Resources by display name, for names only one of them has (two of one name cannot be told apart). */
function uniqueNames(resources: readonly Resource[]): Map<string, Resource> {
  const byName = new Map<string, Resource | null>();
  for (const r of resources) byName.set(r.name, byName.has(r.name) ? null : r);
  return new Map([...byName].filter((e): e is [string, Resource] => e[1] !== null));
}

/**
 * A SummarizeMetricsData answer's streams, each with what identifies its resource: `resourceId` (the layout of
 * oci_computeagent and, where it adds one, the GPU plugin) or another OCID dimension, else a host or display name; a
 * stream with neither (the GPU plugin's documented dimensions are `component`, `timestamp`, `version`:
 * docs.oracle.com/iaas/Content/Compute/References/high-performance-computing-metrics.htm) keeps its dimension names so
 * the caller can say what it could not match.
 */
export function readStreams(items: unknown): MetricStream[] {
  if (!Array.isArray(items)) return [];
  const streams: MetricStream[] = [];
  for (const item of items as Record<string, unknown>[]) {
    const dimensions = (item?.dimensions ?? {}) as Record<string, unknown>;
    const resourceId = ID_DIMENSIONS.map((d) => text(dimensions[d])).find((v) => v !== undefined);
    const name = NAME_DIMENSIONS.map((d) => text(dimensions[d])).find((v) => v !== undefined);
    const points = Array.isArray(item?.aggregatedDatapoints) ? (item.aggregatedDatapoints as Record<string, unknown>[]) : [];
    streams.push({
      ...(resourceId !== undefined ? { resourceId } : {}),
      ...(name !== undefined ? { name } : {}),
      dimensions: Object.keys(dimensions),
      values: points.map((p) => finite(p?.value)).filter((v): v is number => v !== undefined),
    });
  }
  return streams;
}
