// Metrics through Cloud Monitoring's timeSeries.list, on the official MetricServiceClient with its REST (`fallback`)
// transport: one query per metric type per project for the window — never per instance, never a filter naming one;
// gax follows nextPageToken. Every series of the project comes back, keyed by resource labels (a VM's instance_id, a
// function's name), points newest first. Readings (cloud.google.com/monitoring/api/metrics_gcp, metrics_agent):
//  - compute.googleapis.com/instance/cpu/utilization is a 0–1 fraction → percent;
//  - network and disk *_bytes_count are DELTA counts, aligned with ALIGN_RATE to bytes per second, summed over a VM's
//    series (one per `loadbalanced` value, one per disk);
//  - the Ops Agent's gpu/utilization is already a percent, one series per GPU: averaged over a VM's GPUs, never summed;
//    gpu/memory/bytes_used per GPU and memory_state (used/free) → percent used; memory/percent_used per `state` → used;
//  - a GKE node VM's GPUs: GKE's system metrics kubernetes.io/node/accelerator/duty_cycle (percent busy, one series per
//    accelerator: averaged) and memory_used / memory_total (bytes: used share of the node's total), on the k8s_node
//    resource whose `node_name` is the VM's name (cloud.google.com/monitoring/api/metrics_kubernetes) — the same one
//    query per metric type per project, joined on the node name; where the project has GKE's managed DCGM instead,
//    prometheus.googleapis.com/DCGM_FI_DEV_GPU_UTIL/gauge (percent per GPU, the node in dcgm-exporter's `Hostname`
//    label; cloud.google.com/kubernetes-engine/docs/how-to/dcgm-metrics);
//  - Cloud Functions 1st gen: cloudfunctions.googleapis.com/function/execution_count (per `status`) and execution_times
//    (ns); 2nd gen run as Cloud Run revisions: run.googleapis.com/request_count (5xx = errors) and request_latencies (ms),
//    the same two queries as every Cloud Run service's (keyed by `service_name`).
// Metrics a project does not send (no Ops Agent) stay absent, with the reason in `missing`.
import { MetricServiceClient } from '@google-cloud/monitoring/build/src/v3/metric_service_client';
import type { MetricFamily, MetricsWindow, Resource, ResourceMetrics, Stat } from '../../core/model/model';
import type { Transport } from '../../core/transport/transport';
import { gaxCallOptions } from './sdk-options';
import type { GcpAuth } from './auth';
import { GCP_HOSTS } from './hosts';
import { GKE_CLUSTER_DETAIL } from './mapping';

type Wire = Record<string, unknown>;
type Series = Wire;

/** google.monitoring.v3.Aggregation.Aligner. */
const ALIGN_DELTA = 1;
const ALIGN_RATE = 2;
const ALIGN_MEAN = 12;

interface Query {
  readonly metricType: string;
  readonly resourceType: 'gce_instance' | 'cloud_function' | 'cloud_run_revision' | 'k8s_node' | 'prometheus_target';
  readonly aligner: number;
  /** Which resources need it: the query is skipped when none does. */
  readonly wanted: (r: Resource) => boolean;
}

const runningVm = (r: Resource) => (r.kind === 'instance' || r.kind === 'gpu-instance') && r.status === 'running';
const runningGpuVm = (r: Resource) => r.kind === 'gpu-instance' && r.status === 'running';
const runningGkeGpuNode = (r: Resource) => runningGpuVm(r) && r.details?.[GKE_CLUSTER_DETAIL] !== undefined;
const gke = (metricType: string): Query => ({
  metricType: `kubernetes.io/node/accelerator/${metricType}`,
  resourceType: 'k8s_node',
  aligner: ALIGN_MEAN,
  wanted: runningGkeGpuNode,
});
const activeFunction = (generation: string) => (r: Resource) =>
  r.kind === 'function' && r.status === 'running' && r.details?.generation === generation;
/** A ready Cloud Run service: the same revision metrics as a 2nd gen function, in the same one query per metric type. */
const readyRunService = (r: Resource) => r.kind === 'function' && r.status === 'running' && r.service === 'Cloud Run';
const servesRequests = (r: Resource) => activeFunction('2nd gen')(r) || readyRunService(r);

const vm = (metricType: string, aligner: number, wanted = runningVm): Query => ({
  metricType: `compute.googleapis.com/instance/${metricType}`,
  resourceType: 'gce_instance',
  aligner,
  wanted,
});
const agent = (metricType: string, wanted = runningVm): Query => ({
  metricType: `agent.googleapis.com/${metricType}`,
  resourceType: 'gce_instance',
  aligner: ALIGN_MEAN,
  wanted,
});

export const QUERIES = {
  cpu: vm('cpu/utilization', ALIGN_MEAN),
  networkIn: vm('network/received_bytes_count', ALIGN_RATE),
  networkOut: vm('network/sent_bytes_count', ALIGN_RATE),
  diskRead: vm('disk/read_bytes_count', ALIGN_RATE),
  diskWrite: vm('disk/write_bytes_count', ALIGN_RATE),
  memory: agent('memory/percent_used'),
  gpuUtil: agent('gpu/utilization', runningGpuVm),
  gpuMemory: agent('gpu/memory/bytes_used', runningGpuVm),
  gkeDutyCycle: gke('duty_cycle'),
  gkeMemoryUsed: gke('memory_used'),
  gkeMemoryTotal: gke('memory_total'),
  dcgmUtil: {
    metricType: 'prometheus.googleapis.com/DCGM_FI_DEV_GPU_UTIL/gauge',
    resourceType: 'prometheus_target',
    aligner: ALIGN_MEAN,
    wanted: runningGkeGpuNode,
  },
  gen1Executions: {
    metricType: 'cloudfunctions.googleapis.com/function/execution_count',
    resourceType: 'cloud_function',
    aligner: ALIGN_DELTA,
    wanted: activeFunction('1st gen'),
  },
  gen1Times: {
    metricType: 'cloudfunctions.googleapis.com/function/execution_times',
    resourceType: 'cloud_function',
    aligner: ALIGN_DELTA,
    wanted: activeFunction('1st gen'),
  },
  gen2Requests: {
    metricType: 'run.googleapis.com/request_count',
    resourceType: 'cloud_run_revision',
    aligner: ALIGN_DELTA,
    wanted: servesRequests,
  },
  gen2Latencies: {
    metricType: 'run.googleapis.com/request_latencies',
    resourceType: 'cloud_run_revision',
    aligner: ALIGN_DELTA,
    wanted: servesRequests,
  },
} as const satisfies Record<string, Query>;
type QueryName = keyof typeof QUERIES;

export const OPS_AGENT_MISSING =
  'not sent by this VM: install the Ops Agent (cloud.google.com/monitoring/agent/ops-agent) for memory and GPU metrics';

export const GKE_GPU_MISSING =
  'not sent for this GKE node: GKE reports GPU metrics as kubernetes.io/node/accelerator/* (system metrics) or through managed DCGM';

/** One listTimeSeries with every page: the project's series of one metric type in the window, its requests under `signal`. */
export type ListSeries = (project: string, query: Query, window: MetricsWindow, signal: AbortSignal) => Promise<Series[]>;

/** Names a listTimeSeries call in its page requests' headers (removed before sending), to find the call's signal. */
const CALL_HEADER = 'x-cloudtop-call';

export function monitoringClient(auth: GcpAuth, override: string | undefined, transport: Transport): ListSeries {
  const origin = new URL(override ?? GCP_HOSTS.monitoring);
  /** The signal of each listTimeSeries call in flight, by the id its requests carry. */
  const calls = new Map<string, AbortSignal>();
  let callIds = 0;
  // gax's fallback stub asks its auth client for headers and sends through `auth.fetch`: both are Cloudtop's.
  const authClient = {
    universeDomain: 'googleapis.com',
    getRequestHeaders: async () => new Headers(await auth.headers()),
    // Every page request under its call's signal (the caller's deadline) as well as gax's own.
    fetch: async (url: string | URL, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      const callSignal = calls.get(headers.get(CALL_HEADER) ?? '');
      headers.delete(CALL_HEADER);
      const signal = callSignal && init.signal ? AbortSignal.any([callSignal, init.signal]) : (callSignal ?? init.signal ?? undefined);
      for (const [name, value] of Object.entries(await auth.headers(signal))) headers.set(name, value);
      return transport.fetch(String(url), { method: init.method, headers, body: init.body, signal });
    },
  };
  const client = new MetricServiceClient({
    apiEndpoint: origin.hostname,
    port: Number(origin.port) || (origin.protocol === 'http:' ? 80 : 443),
    protocol: origin.protocol.replace(':', ''),
    fallback: true,
    authClient: authClient as never,
  });
  return async (project, query, window, signal) => {
    const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
    const request = {
      name: `projects/${project}`,
      filter: `metric.type="${query.metricType}" AND resource.type="${query.resourceType}"`,
      interval: { startTime: { seconds: seconds(window.start) }, endTime: { seconds: seconds(window.end) } },
      aggregation: {
        alignmentPeriod: { seconds: Math.max(60, Math.round(window.granularitySec / 60) * 60) },
        perSeriesAligner: query.aligner,
      },
      view: 'FULL' as const,
    };
    // gax's call options carry no signal, and its generated method hides the call's cancel(): the call's id rides in a
    // header of each of its page requests instead (otherArgs.headers), and Cloudtop's fetch above takes that call's
    // signal back from it, so a deadline aborts the page in flight, the limiter's wait and the retry's sleep alike.
    const id = String(++callIds);
    calls.set(id, signal);
    try {
      signal.throwIfAborted();
      const [series] = await transport.run('GET /v3/projects/{project}/timeSeries', () =>
        client.listTimeSeries(request, gaxCallOptions({ autoPaginate: true, otherArgs: { headers: { [CALL_HEADER]: id } } })),
      );
      return series as unknown as Series[];
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw error;
    } finally {
      calls.delete(id);
    }
  };
}

const num = (v: unknown): number | undefined => {
  const n =
    typeof v === 'string'
      ? Number(v)
      : typeof v === 'number'
        ? v
        : typeof v === 'object' && v !== null && 'toNumber' in v
          ? (v as { toNumber(): number }).toNumber()
          : NaN;
  return Number.isFinite(n) ? n : undefined;
};
const labels = (series: Series, where: 'metric' | 'resource'): Record<string, string> =>
  ((series[where] as Wire | undefined)?.labels as Record<string, string> | undefined) ?? {};

/** A point's time (ms) and value (a distribution's mean). */
function pointsOf(series: Series): { at: number; value: number }[] {
  const out: { at: number; value: number }[] = [];
  for (const point of (Array.isArray(series.points) ? series.points : []) as Wire[]) {
    const interval = point.interval as Wire | undefined;
    const end = interval?.endTime as Wire | string | undefined;
    const at = typeof end === 'string' ? Date.parse(end) : (num(end?.seconds) ?? NaN) * 1000;
    const v = (point.value ?? {}) as Wire;
    const value = num(v.doubleValue) ?? num(v.int64Value) ?? num((v.distributionValue as Wire | undefined)?.mean);
    if (Number.isFinite(at) && value !== undefined) out.push({ at, value });
  }
  return out;
}

const stat = (values: readonly number[]): Stat | undefined =>
  values.length === 0
    ? undefined
    : { avg: values.reduce((a, b) => a + b, 0) / values.length, max: Math.max(...values), min: Math.min(...values) };

/** Per resource key, per point time: the values of its series combined by `combine` (sum, mean). */
function perTime(
  series: readonly Series[],
  keyOf: (s: Series) => string | undefined,
  keep: (s: Series) => boolean = () => true,
): Map<string, Map<number, number[]>> {
  const out = new Map<string, Map<number, number[]>>();
  for (const s of series) {
    const key = keyOf(s);
    if (!key || !keep(s)) continue;
    const times = out.get(key) ?? new Map<number, number[]>();
    for (const p of pointsOf(s)) times.set(p.at, [...(times.get(p.at) ?? []), p.value]);
    out.set(key, times);
  }
  return out;
}

const sum = (vs: readonly number[]) => vs.reduce((a, b) => a + b, 0);
const mean = (vs: readonly number[]) => sum(vs) / vs.length;
function statsBy(
  series: readonly Series[],
  keyOf: (s: Series) => string | undefined,
  combine: (vs: number[]) => number,
  scale = 1,
  keep?: (s: Series) => boolean,
): Map<string, Stat> {
  const out = new Map<string, Stat>();
  for (const [key, times] of perTime(series, keyOf, keep)) {
    const s = stat([...times.values()].map((vs) => combine(vs) * scale));
    if (s) out.set(key, s);
  }
  return out;
}

const instanceKey = (s: Series) => labels(s, 'resource').instance_id;

/** GPU memory in use, percent, per VM: used / (used + free) per GPU, averaged over its GPUs. */
function gpuMemoryPercent(series: readonly Series[]): Map<string, Stat> {
  // instance → time → gpu → {used, free}
  const byVm = new Map<string, Map<number, Map<string, { used?: number; free?: number }>>>();
  for (const s of series) {
    const vmId = instanceKey(s);
    const m = labels(s, 'metric');
    const state = m.memory_state ?? 'used';
    if (!vmId || (state !== 'used' && state !== 'free')) continue;
    const times = byVm.get(vmId) ?? new Map<number, Map<string, { used?: number; free?: number }>>();
    for (const p of pointsOf(s)) {
      const gpus = times.get(p.at) ?? new Map<string, { used?: number; free?: number }>();
      const g = gpus.get(m.gpu_number ?? m.uuid ?? '0') ?? {};
      g[state] = p.value;
      gpus.set(m.gpu_number ?? m.uuid ?? '0', g);
      times.set(p.at, gpus);
    }
    byVm.set(vmId, times);
  }
  const out = new Map<string, Stat>();
  for (const [vmId, times] of byVm) {
    const values: number[] = [];
    for (const gpus of times.values()) {
      const shares = [...gpus.values()]
        .filter((g) => g.used !== undefined && g.free !== undefined && g.used + g.free > 0)
        .map((g) => (100 * g.used!) / (g.used! + g.free!));
      if (shares.length) values.push(mean(shares));
    }
    const s = stat(values);
    if (s) out.set(vmId, s);
  }
  return out;
}

/** A GKE node's GPU memory in use, percent, per node name: the used share of its accelerators' total at each time. */
function gkeMemoryPercent(used: readonly Series[], total: readonly Series[]): Map<string, Stat> {
  const sums = (series: readonly Series[]) => perTime(series, nodeKey);
  const usedBy = sums(used);
  const out = new Map<string, Stat>();
  for (const [node, totals] of sums(total)) {
    const usedAt = usedBy.get(node);
    const values: number[] = [];
    for (const [at, ts] of totals) {
      const u = usedAt?.get(at);
      if (u && sum(ts) > 0) values.push((100 * sum(u)) / sum(ts));
    }
    const s = stat(values);
    if (s) out.set(node, s);
  }
  return out;
}
const nodeKey = (s: Series) => labels(s, 'resource').node_name;

/** What one project's metrics take: the queries some resource needs. */
export function queriesFor(resources: readonly Resource[]): QueryName[] {
  return (Object.keys(QUERIES) as QueryName[]).filter((name) => resources.some((r) => QUERIES[name].wanted(r)));
}

/** Queries already on their way (startQueries), each answering the series of one metric type. */
export type StartedQueries = ReadonlyMap<QueryName, Promise<Series[]>>;

/**
 * Starts the queries these resources need, before anything else about them is known (their prices): Monitoring's
 * one query per metric type for the whole project depends on no listing page, so it runs beside the pricing reads
 * instead of after them. fetchMetrics then takes the answers.
 */
export function startQueries(
  project: string,
  resources: readonly Resource[],
  window: MetricsWindow,
  list: ListSeries,
  signal: AbortSignal,
): StartedQueries {
  const started = new Map<QueryName, Promise<Series[]>>();
  for (const name of queriesFor(resources)) {
    const answer = list(project, QUERIES[name], window, signal);
    // Nobody may ever ask for it (the listing failed after it started): its failure is then nobody's.
    answer.catch(() => undefined);
    started.set(name, answer);
  }
  return started;
}

export async function fetchMetrics(
  project: string,
  resources: readonly Resource[],
  window: MetricsWindow,
  list: ListSeries,
  signal: AbortSignal,
  started?: StartedQueries,
): Promise<Record<string, ResourceMetrics>> {
  const names = queriesFor(resources);
  const answers = new Map<QueryName, Series[]>(
    await Promise.all(
      names.map(async (name) => [name, await (started?.get(name) ?? list(project, QUERIES[name], window, signal))] as const),
    ),
  );
  const got = (name: QueryName) => answers.get(name) ?? [];

  const compute: Partial<Record<string, Map<string, Stat>>> = {
    cpuPercent: statsBy(got('cpu'), instanceKey, mean, 100),
    networkInBytesPerSec: statsBy(got('networkIn'), instanceKey, sum),
    networkOutBytesPerSec: statsBy(got('networkOut'), instanceKey, sum),
    diskReadBytesPerSec: statsBy(got('diskRead'), instanceKey, sum),
    diskWriteBytesPerSec: statsBy(got('diskWrite'), instanceKey, sum),
    memoryPercent: statsBy(got('memory'), instanceKey, sum, 1, (s) => labels(s, 'metric').state === 'used'),
  };
  const gpu: Partial<Record<string, Map<string, Stat>>> = {
    utilizationPercent: statsBy(got('gpuUtil'), instanceKey, mean),
    memoryPercent: gpuMemoryPercent(got('gpuMemory')),
  };
  const gkeGpu: Partial<Record<string, Map<string, Stat>>> = {
    utilizationPercent: statsBy(got('gkeDutyCycle'), nodeKey, mean),
    memoryPercent: gkeMemoryPercent(got('gkeMemoryUsed'), got('gkeMemoryTotal')),
  };
  const dcgmGpu: Partial<Record<string, Map<string, Stat>>> = {
    utilizationPercent: statsBy(got('dcgmUtil'), (s) => labels(s, 'metric').Hostname, mean),
  };
  const gen1Key = (s: Series) => labels(s, 'resource').function_name;
  const gen2Key = (s: Series) => labels(s, 'resource').service_name;
  const fn1: Partial<Record<string, Map<string, Stat>>> = {
    invocations: statsBy(got('gen1Executions'), gen1Key, sum),
    errors: statsBy(got('gen1Executions'), gen1Key, sum, 1, (s) => (labels(s, 'metric').status ?? 'ok') !== 'ok'),
    durationMs: statsBy(got('gen1Times'), gen1Key, mean, 1e-6),
  };
  const fn2: Partial<Record<string, Map<string, Stat>>> = {
    invocations: statsBy(got('gen2Requests'), gen2Key, sum),
    errors: statsBy(got('gen2Requests'), gen2Key, sum, 1, (s) => labels(s, 'metric').response_code_class === '5xx'),
    durationMs: statsBy(got('gen2Latencies'), gen2Key, mean),
  };

  const pick = (table: Partial<Record<string, Map<string, Stat>>>, key: string) => {
    const out: Record<string, Stat> = {};
    for (const [field, byKey] of Object.entries(table)) {
      const s = byKey?.get(key);
      if (s) out[field] = s;
    }
    return Object.keys(out).length ? out : undefined;
  };

  const out: Record<string, ResourceMetrics> = {};
  for (const r of resources) {
    if (runningVm(r)) {
      const c = pick(compute, r.id);
      const node = runningGkeGpuNode(r);
      const g =
        r.kind === 'gpu-instance' ? (pick(gpu, r.id) ?? (node ? (pick(gkeGpu, r.name) ?? pick(dcgmGpu, r.name)) : undefined)) : undefined;
      const missing: Partial<Record<MetricFamily, string>> = {};
      if (r.kind === 'gpu-instance' && !g) missing.gpu = node ? GKE_GPU_MISSING : OPS_AGENT_MISSING;
      const m: ResourceMetrics = {
        ...(c ? { compute: c } : {}),
        ...(g ? { gpu: g } : {}),
        ...(Object.keys(missing).length ? { missing } : {}),
      };
      if (Object.keys(m).length) out[r.id] = m;
    } else if (readyRunService(r)) {
      const f = pick(fn2, r.name);
      if (f) out[r.id] = { function: f };
    } else if (r.kind === 'function' && r.status === 'running') {
      const f = pick(r.details?.generation === '1st gen' ? fn1 : fn2, r.name);
      if (f) out[r.id] = { function: f };
    }
  }
  return out;
}
