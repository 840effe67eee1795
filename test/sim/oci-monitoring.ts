// Monitoring SummarizeMetricsData for the simulated Oracle Cloud (sdk-apis.md §1.5/§1.6):
//   POST /20180401/metrics/actions/summarizeMetricsData?compartmentId=…&compartmentIdInSubtree=…
//   body {namespace, query: 'Metric[1m]{dim = "v"}.stat()', startTime, endTime, resolution?}
//   → a JSON array of MetricData, one per metric stream: with no dimension filter ONE call answers every
//     resource of the namespace in scope. compartmentIdInSubtree=true is only allowed on the tenancy (§1.6).
// Namespaces served: oci_computeagent (CpuUtilization, MemoryUtilization, … for running instances) and the GPU
// plugin's custom namespace gpu_infrastructure_health (GpuUtilization, GPU instances only — §1.6).
import type { OciInstance } from './oci-data';
import { unitHash } from './seed';

export interface MetricQuery {
  readonly name: string;
  readonly intervalMs: number;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: string;
}

const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
const STATISTICS = ['mean', 'max', 'min', 'sum', 'count', 'rate'];

/** `1m`, `5m`, `1h`, `1d` → ms; undefined when it is not a duration OCI accepts. */
export function durationMs(text: string): number | undefined {
  const m = /^(\d+)([mhd])$/.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]] : undefined;
}

/** Parses the MQL subset §1.6 documents: `Name[interval]{k = "v", …}.statistic()`. */
export function parseMql(query: string): MetricQuery | undefined {
  const m = /^\s*([A-Za-z][A-Za-z0-9_]*)\[(\w+)\]\s*(?:\{([^}]*)\})?\s*\.\s*([a-z]+)\(\)\s*$/.exec(query);
  if (!m || !STATISTICS.includes(m[4])) return undefined;
  const intervalMs = durationMs(m[2]);
  if (intervalMs === undefined) return undefined;
  const dimensions: Record<string, string> = {};
  for (const part of (m[3] ?? '').split(',').filter((p) => p.trim() !== '')) {
    const d = /^\s*([A-Za-z][A-Za-z0-9_]*)\s*=\s*"([^"]*)"\s*$/.exec(part);
    if (!d) return undefined;
    dimensions[d[1]] = d[2];
  }
  return { name: m[1], intervalMs, dimensions, statistic: m[4] };
}

const METRICS: Readonly<Record<string, Readonly<Record<string, { unit: string; displayName: string; max: number }>>>> = {
  oci_computeagent: {
    CpuUtilization: { unit: 'percent', displayName: 'CPU Utilization', max: 100 },
    MemoryUtilization: { unit: 'percent', displayName: 'Memory Utilization', max: 100 },
    NetworksBytesIn: { unit: 'bytes', displayName: 'Network Receive Bytes', max: 5e8 },
    NetworksBytesOut: { unit: 'bytes', displayName: 'Network Transmit Bytes', max: 5e8 },
  },
  gpu_infrastructure_health: {
    GpuUtilization: { unit: 'percent', displayName: 'GPU Utilization', max: 100 },
  },
};

export interface SummarizeInput {
  readonly seed: number;
  readonly namespace: string;
  readonly query: MetricQuery;
  readonly startMs: number;
  readonly endMs: number;
  readonly resolutionMs: number;
  /** As the request gave it (default `1m`), echoed in each MetricData. */
  readonly resolution: string;
  /** Instances in the requested compartment scope. */
  readonly instances: readonly OciInstance[];
}

/** OCI writes datapoint timestamps without milliseconds (§1.5 response example). */
const stamp = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The MetricData array, or a message for a 400 InvalidParameter. */
export function summarize(input: SummarizeInput): unknown[] | string {
  const metric = METRICS[input.namespace]?.[input.query.name];
  if (!METRICS[input.namespace]) return `Unknown namespace ${input.namespace}`;
  if (!metric) return []; // an unknown metric name matches no stream: an empty answer, not an error
  if (input.resolutionMs > input.query.intervalMs) return 'resolution must not be larger than the query interval';
  const step = input.resolutionMs;
  const first = Math.ceil(input.startMs / step) * step;
  const gpuOnly = input.namespace === 'gpu_infrastructure_health';
  return input.instances
    .filter((i) => i.lifecycleState === 'RUNNING' && (!gpuOnly || (i.shapeConfig.gpus ?? 0) > 0))
    .filter((i) => Object.entries(input.query.dimensions).every(([k, v]) => (k === 'resourceId' ? i.id : k === 'resourceDisplayName' ? i.displayName : undefined) === v))
    .map((i) => {
      const points: { timestamp: string; value: number }[] = [];
      for (let t = first; t < input.endMs && points.length < 100_000; t += step) {
        const v = unitHash(input.seed, i.id, input.query.name, t) * metric.max;
        points.push({ timestamp: stamp(t), value: input.query.statistic === 'count' ? 60 : Math.round(v * 100) / 100 });
      }
      return {
        namespace: input.namespace,
        compartmentId: i.compartmentId,
        name: input.query.name,
        dimensions: { resourceId: i.id, resourceDisplayName: i.displayName ?? '' },
        metadata: { unit: metric.unit, displayName: metric.displayName },
        resolution: input.resolution,
        aggregatedDatapoints: points,
      };
    });
}
