// Monitoring SummarizeMetricsData for the simulated Oracle Cloud (npm oci-monitoring 2.139.1 lib/model/*.d.ts,
// lib/request/*.d.ts; docs.oracle.com/iaas/Content/Compute/References/high-performance-computing-metrics.htm):
//   POST /20180401/metrics/actions/summarizeMetricsData?compartmentId=…&compartmentIdInSubtree=…
//   body {namespace, query: 'Metric[1m]{dim = "v"}.stat()', startTime, endTime, resolution?}
//   → a JSON array of MetricData, one per metric stream: with no dimension filter ONE call answers every
//     resource of the namespace in scope. compartmentIdInSubtree=true is only allowed on the tenancy
//     (summarize-metrics-data-request.d.ts).
// Namespaces served: oci_computeagent (CpuUtilization, MemoryUtilization, … for running instances) and the GPU plugin's
// custom namespace gpu_infrastructure_health (GpuUtilization, GPU instances only — Oracle's HPC metrics page).
import type { OciAutonomousDatabase, OciInstance } from './oci-data';
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

/** Parses the MQL subset summarize-metrics-data-details.d.ts documents: `Name[interval]{k = "v", …}.statistic()`. */
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
  // The Compute RDMA GPU Monitoring plugin's custom namespace (Oracle's HPC metrics page: GpuUtilization documented; the
  // others as the plugin names them, UNCONFIRMED). Streams per GPU: dimension `gpuId` beside resourceId.
  gpu_infrastructure_health: {
    GpuUtilization: { unit: 'percent', displayName: 'GPU Utilization', max: 100 },
    GpuMemoryUtilization: { unit: 'percent', displayName: 'GPU Memory Utilization', max: 100 },
    GpuTemperature: { unit: 'celsius', displayName: 'GPU Temperature', max: 85 },
    GpuPowerDraw: { unit: 'watts', displayName: 'GPU Power Draw', max: 700 },
  },
  // OCI "Autonomous Database metrics".
  oci_autonomous_database: {
    CpuUtilization: { unit: 'percent', displayName: 'CPU Utilization', max: 100 },
    StorageUtilization: { unit: 'percent', displayName: 'Storage Utilization', max: 100 },
    Sessions: { unit: 'count', displayName: 'Sessions', max: 50 },
    ExecuteCount: { unit: 'count', displayName: 'Execute Count', max: 5000 },
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
  /** Autonomous Databases in the requested compartment scope. */
  readonly databases: readonly OciAutonomousDatabase[];
  /** The GPU plugin is enabled on the GPU instances (else gpu_infrastructure_health holds nothing). */
  readonly gpuPlugin: boolean;
  /** How the GPU plugin's streams are told apart (GPU_DIMENSION_LAYOUTS). */
  readonly gpuDimensions: GpuDimensionLayout;
}

/**
 * The layouts a GPU plugin stream's dimensions come in. `documented`: what Oracle's "High Performance Computing
 * Metrics" page lists for gpu_infrastructure_health (component, version; timestamp is the datapoint's own), with the
 * host's name (`hostname`) the plugin runs on; `bare`: the documented dimensions alone, which name no instance;
 * `resourceId`: the layout of every OCI-published namespace (oci_computeagent), resourceId and resourceDisplayName
 * beside a GPU index. Which of them the plugin sends in a given tenancy is UNCONFIRMED: the sim serves each on request.
 */
export const GPU_DIMENSION_LAYOUTS = ['resourceId', 'documented', 'bare'] as const;
export type GpuDimensionLayout = (typeof GPU_DIMENSION_LAYOUTS)[number];

interface Source {
  readonly id: string;
  readonly compartmentId: string;
  readonly displayName: string | null;
  /** Streams of this resource: one, or one per GPU, each with its dimensions beside the resource's own (if any). */
  readonly streams: readonly Record<string, string>[];
  /** Whether the streams carry resourceId and resourceDisplayName. */
  readonly identified: boolean;
}

function sources(input: SummarizeInput): Source[] {
  const running = input.instances.filter((i) => i.lifecycleState === 'RUNNING');
  if (input.namespace === 'oci_autonomous_database') {
    return input.databases
      .filter((d) => d.lifecycleState === 'AVAILABLE')
      .map((d) => ({ id: d.id, compartmentId: d.compartmentId, displayName: d.displayName, streams: [{}], identified: true }));
  }
  if (input.namespace === 'gpu_infrastructure_health') {
    if (!input.gpuPlugin) return [];
    return running
      .filter((i) => (i.shapeConfig.gpus ?? 0) > 0)
      .map((i) => ({
        id: i.id,
        compartmentId: i.compartmentId,
        displayName: i.displayName,
        identified: input.gpuDimensions === 'resourceId',
        streams: Array.from({ length: i.shapeConfig.gpus ?? 0 }, (_, g): Record<string, string> =>
          input.gpuDimensions === 'resourceId'
            ? { gpuId: String(g) }
            : {
                component: `GPU${g}`,
                version: '1.0.3',
                ...(input.gpuDimensions === 'documented' ? { hostname: i.displayName ?? i.id.slice(-12) } : {}),
              },
        ),
      }));
  }
  return running.map((i) => ({ id: i.id, compartmentId: i.compartmentId, displayName: i.displayName, streams: [{}], identified: true }));
}

/** OCI writes datapoint timestamps without milliseconds (seen running oci-monitoring 2.139.1 against a loopback server). */
const stamp = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The MetricData array, or a message for a 400 InvalidParameter. */
export function summarize(input: SummarizeInput): unknown[] | string {
  const metric = METRICS[input.namespace]?.[input.query.name];
  // A namespace nothing publishes to (a plugin never enabled) or an unknown metric name matches no stream: an empty
  // answer, not an error.
  if (!metric) return [];
  if (input.resolutionMs > input.query.intervalMs) return 'resolution must not be larger than the query interval';
  const step = input.resolutionMs;
  const first = Math.ceil(input.startMs / step) * step;
  return sources(input)
    .filter((r) =>
      Object.entries(input.query.dimensions).every(
        ([k, v]) => (k === 'resourceId' ? r.id : k === 'resourceDisplayName' ? r.displayName : undefined) === v,
      ),
    )
    .flatMap((r) =>
      r.streams.map((extra) => {
        const times: number[] = [];
        for (let t = first; t < input.endMs && times.length < 100_000; t += step) times.push(t);
        // Values by position from the window's end, not by clock time: any two windows of one length agree, so a test's
        // reference refresh and the run it checks see the same numbers whenever the minute turns.
        const points = times.map((t, i) => {
          const v =
            unitHash(input.seed, `${r.id}${extra.gpuId ?? extra.component ?? ''}`, input.query.name, times.length - 1 - i) * metric.max;
          return { timestamp: stamp(t), value: input.query.statistic === 'count' ? 60 : Math.round(v * 100) / 100 };
        });
        return {
          namespace: input.namespace,
          compartmentId: r.compartmentId,
          name: input.query.name,
          dimensions: r.identified ? { resourceId: r.id, resourceDisplayName: r.displayName ?? '', ...extra } : extra,
          metadata: { unit: metric.unit, displayName: metric.displayName },
          resolution: input.resolution,
          aggregatedDatapoints: points,
        };
      }),
    );
}
