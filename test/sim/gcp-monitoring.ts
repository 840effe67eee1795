// Cloud Monitoring's projects.timeSeries.list for the simulated Google Cloud, as the real MetricServiceClient calls it
// with `fallback: true` (npm google-gax build/src/fallbackRest.js; observed against a loopback server):
//   GET /v3/projects/:p/timeSeries?filter=metric.type="…" AND resource.type="…"&interval.startTime=…&interval.endTime=…
//       &aggregation.alignmentPeriod=60s&aggregation.perSeriesAligner=12&view=0&pageSize=…&pageToken=…&$alt=json;enum-encoding=int
// Series exist for RUNNING VMs (Compute metrics; Ops Agent metrics only for VMs in `opsAgent`) and ACTIVE functions.
// Raw points are one per minute, newest first (metric.proto: "reverse time order"), at minute boundaries counted back
// from the window's end. Values are numbered by that position ("minutes back"), not by clock time, so a test's
// reference computation agrees with whatever window the client chose, whenever the minute turns: gcpMetricValue(type,
// key, minutesBack) is the raw value, and a bucket of an aligned query covers minutesBack b·P … b·P+P-1.
import { GCP_ACCELERATORS, gpuUuid, type GcpFunction, type GcpInstance, type GcpProject } from './gcp-data';
import { unitHash } from './seed';

export type MetricKind = 'GAUGE' | 'DELTA' | 'CUMULATIVE';
export type ValueType = 'BOOL' | 'INT64' | 'DOUBLE' | 'STRING' | 'DISTRIBUTION';
export const METRIC_KIND_INT: Readonly<Record<MetricKind, number>> = { GAUGE: 1, DELTA: 2, CUMULATIVE: 3 };
export const VALUE_TYPE_INT: Readonly<Record<ValueType, number>> = { BOOL: 1, INT64: 2, DOUBLE: 3, STRING: 4, DISTRIBUTION: 5 };

export interface GcpMetricDef {
  readonly type: string;
  readonly resourceType: 'gce_instance' | 'cloud_function' | 'cloud_run_revision' | 'k8s_node' | 'prometheus_target';
  readonly kind: MetricKind;
  readonly valueType: ValueType;
  readonly unit: string;
}

const def = (
  type: string,
  resourceType: GcpMetricDef['resourceType'],
  kind: MetricKind,
  valueType: ValueType,
  unit: string,
): GcpMetricDef => ({ type, resourceType, kind, valueType, unit });

export const GCP_METRICS: readonly GcpMetricDef[] = [
  def('compute.googleapis.com/instance/cpu/utilization', 'gce_instance', 'GAUGE', 'DOUBLE', '10^2.%'),
  def('compute.googleapis.com/instance/network/received_bytes_count', 'gce_instance', 'DELTA', 'INT64', 'By'),
  def('compute.googleapis.com/instance/network/sent_bytes_count', 'gce_instance', 'DELTA', 'INT64', 'By'),
  def('compute.googleapis.com/instance/disk/read_bytes_count', 'gce_instance', 'DELTA', 'INT64', 'By'),
  def('compute.googleapis.com/instance/disk/write_bytes_count', 'gce_instance', 'DELTA', 'INT64', 'By'),
  def('agent.googleapis.com/memory/percent_used', 'gce_instance', 'GAUGE', 'DOUBLE', '%'),
  def('agent.googleapis.com/gpu/utilization', 'gce_instance', 'GAUGE', 'DOUBLE', '%'),
  def('agent.googleapis.com/gpu/memory/bytes_used', 'gce_instance', 'GAUGE', 'INT64', 'By'),
  def('cloudfunctions.googleapis.com/function/execution_count', 'cloud_function', 'DELTA', 'INT64', '1'),
  def('cloudfunctions.googleapis.com/function/execution_times', 'cloud_function', 'DELTA', 'DISTRIBUTION', 'ns'),
  def('run.googleapis.com/request_count', 'cloud_run_revision', 'DELTA', 'INT64', '1'),
  def('run.googleapis.com/request_latencies', 'cloud_run_revision', 'DELTA', 'DISTRIBUTION', 'ms'),
  // GKE system metrics of a GPU node, one series per accelerator (cloud.google.com/monitoring/api/metrics_kubernetes).
  def('kubernetes.io/node/accelerator/duty_cycle', 'k8s_node', 'GAUGE', 'INT64', '%'),
  def('kubernetes.io/node/accelerator/memory_used', 'k8s_node', 'GAUGE', 'INT64', 'By'),
  def('kubernetes.io/node/accelerator/memory_total', 'k8s_node', 'GAUGE', 'INT64', 'By'),
  // GKE's managed DCGM exporter through Managed Service for Prometheus (cloud.google.com/kubernetes-engine/docs/how-to/dcgm-metrics):
  // one series per GPU, labelled with the node as `Hostname` (NVIDIA dcgm-exporter's label); the prometheus_target
  // labels' values (namespace gke-managed-system, job, instance) are UNCONFIRMED.
  def('prometheus.googleapis.com/DCGM_FI_DEV_GPU_UTIL/gauge', 'prometheus_target', 'GAUGE', 'DOUBLE', ''),
];

export const gcpMetricDef = (type: string): GcpMetricDef | undefined => GCP_METRICS.find((m) => m.type === type);

/** One series: its key (for gcpMetricValue), labels and descriptor. */
export interface GcpSeries {
  readonly key: string;
  readonly def: GcpMetricDef;
  readonly metricLabels: Readonly<Record<string, string>>;
  readonly resourceLabels: Readonly<Record<string, string>>;
}

/** `<resource id>|k=v|…` with the metric labels sorted: a VM's id, or a function's full name. */
export function gcpSeriesKey(resourceId: string, metricLabels: Readonly<Record<string, string>> = {}): string {
  return [
    resourceId,
    ...Object.keys(metricLabels)
      .sort()
      .map((k) => `${k}=${metricLabels[k]}`),
  ].join('|');
}

function parseKey(key: string): { id: string; labels: Record<string, string> } {
  const [id, ...rest] = key.split('|');
  return { id, labels: Object.fromEntries(rest.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)])) };
}

const MEMORY_STATES = ['buffered', 'cached', 'free', 'slab', 'used'] as const;
const FUNCTION_STATUSES = ['error', 'ok', 'timeout'] as const;
const RESPONSE_CODES = [
  ['2xx', '200'],
  ['4xx', '404'],
  ['5xx', '500'],
] as const;

export const functionResourceName = (projectId: string, fn: GcpFunction): string =>
  `projects/${projectId}/locations/${fn.region}/functions/${fn.name}`;

/** Every series of a metric in a project. */
/**
 * The series a project has of a metric type. `gke`: what its GKE GPU nodes report — GKE's system metrics
 * (kubernetes.io/node/accelerator/*, the default) or managed DCGM (prometheus.googleapis.com/DCGM_*).
 */
export function gcpSeriesFor(
  project: GcpProject,
  opsAgent: readonly string[],
  metricType: string,
  gke: 'system' | 'dcgm' = 'system',
): GcpSeries[] {
  const d = gcpMetricDef(metricType);
  if (!d) return [];
  const out: GcpSeries[] = [];
  const add = (resourceId: string, resourceLabels: Record<string, string>, metricLabels: Record<string, string> = {}) =>
    out.push({ key: gcpSeriesKey(resourceId, metricLabels), def: d, metricLabels, resourceLabels });
  if (d.resourceType === 'k8s_node' || d.resourceType === 'prometheus_target') {
    if ((d.resourceType === 'k8s_node') !== (gke === 'system')) return out;
    for (const vm of project.instances) {
      const cluster = vm.labels['goog-k8s-cluster-name'];
      const accel = vm.acceleratorType ? GCP_ACCELERATORS[vm.acceleratorType] : undefined;
      if (vm.status !== 'RUNNING' || cluster === undefined || !accel) continue;
      const res = {
        project_id: project.projectId,
        location: vm.labels['goog-k8s-cluster-location'],
        cluster_name: cluster,
        node_name: vm.name,
      };
      for (let n = 0; n < vm.acceleratorCount; n++) {
        if (d.resourceType === 'k8s_node') {
          add(vm.id, res, { accelerator_id: gpuUuid(vm.id, n), make: 'nvidia', model: accel.model.replace(/^NVIDIA /, '') });
          continue;
        }
        const target = {
          project_id: project.projectId,
          location: vm.labels['goog-k8s-cluster-location'],
          cluster: cluster,
          namespace: 'gke-managed-system',
          job: 'gke-managed-dcgm-exporter',
          instance: `${vm.name}:9400`,
        };
        add(vm.id, target, { gpu: String(n), UUID: gpuUuid(vm.id, n), device: `nvidia${n}`, modelName: accel.model, Hostname: vm.name });
      }
    }
    return out;
  }
  if (d.resourceType === 'gce_instance') {
    const agent = new Set(opsAgent);
    for (const vm of project.instances) {
      if (vm.status !== 'RUNNING') continue;
      const res = { project_id: project.projectId, instance_id: vm.id, zone: vm.zone };
      const name = { instance_name: vm.name };
      if (metricType.endsWith('cpu/utilization')) add(vm.id, res, name);
      else if (metricType.includes('/network/')) for (const lb of ['false', 'true']) add(vm.id, res, { ...name, loadbalanced: lb });
      else if (metricType.includes('/disk/'))
        add(vm.id, res, { ...name, device_name: vm.name, device_type: 'permanent', storage_type: 'pd-balanced' });
      else if (agent.has(vm.id)) agentSeries(vm, metricType, (labels) => add(vm.id, res, labels));
    }
    return out;
  }
  for (const fn of project.functions) {
    if (fn.state !== 'ACTIVE') continue;
    const id = functionResourceName(project.projectId, fn);
    if (d.resourceType === 'cloud_function' && fn.environment === 'GEN_1') {
      for (const status of FUNCTION_STATUSES)
        add(id, { project_id: project.projectId, region: fn.region, function_name: fn.name }, { status });
    }
    if (d.resourceType === 'cloud_run_revision' && fn.environment === 'GEN_2') {
      const res = {
        project_id: project.projectId,
        location: fn.region,
        service_name: fn.name,
        revision_name: fn.revision,
        configuration_name: fn.name,
      };
      for (const [cls, code] of RESPONSE_CODES) add(id, res, { response_code_class: cls, response_code: code });
    }
  }
  // Cloud Run services made through Cloud Run report the same revision metrics (cloud.google.com/monitoring/api/metrics_gcp#gcp-run).
  if (d.resourceType === 'cloud_run_revision')
    for (const svc of project.runServices) {
      if (svc.state !== 'CONDITION_SUCCEEDED') continue;
      const id = `projects/${project.projectId}/locations/${svc.region}/services/${svc.name}`;
      const res = {
        project_id: project.projectId,
        location: svc.region,
        service_name: svc.name,
        revision_name: svc.revision,
        configuration_name: svc.name,
      };
      for (const [cls, code] of RESPONSE_CODES) add(id, res, { response_code_class: cls, response_code: code });
    }
  return out;
}

function agentSeries(vm: GcpInstance, metricType: string, add: (labels: Record<string, string>) => void): void {
  if (metricType.endsWith('memory/percent_used')) {
    for (const state of MEMORY_STATES) add({ state });
    return;
  }
  const accel = vm.acceleratorType ? GCP_ACCELERATORS[vm.acceleratorType] : undefined;
  if (!accel) return;
  for (let n = 0; n < vm.acceleratorCount; n++) {
    const gpu = { gpu_number: String(n), model: accel.model, uuid: gpuUuid(vm.id, n) };
    if (metricType.endsWith('gpu/utilization')) add(gpu);
    if (metricType.endsWith('gpu/memory/bytes_used')) for (const memory_state of ['free', 'used']) add({ ...gpu, memory_state });
  }
}

// ---- values -------------------------------------------------------------------------------------------------------

const r = (v: number, d: number): number => Math.round(v * 10 ** d) / 10 ** d;
const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const MIB = 1_048_576;

function memoryParts(id: string, k: number): Record<string, number> {
  const u = (p: string): number => unitHash('gcp-mem', id, k, p);
  const used = r(15 + 70 * unitHash('gcp-mem-level', id) + 6 * (u('used') - 0.5), 3);
  const buffered = r(0.5 + 1.5 * u('buffered'), 3);
  const cached = r(3 + 12 * u('cached'), 3);
  const slab = r(0.5 + 1.5 * u('slab'), 3);
  return { used, buffered, cached, slab, free: r(100 - used - buffered - cached - slab, 3) };
}

/** Whether a GKE node VM's GPUs idle (every other node, by its id): so a test always has an idle and a busy node. */
export const gkeNodeIdle = (instanceId: string): boolean => Number(instanceId.slice(-1)) % 2 === 0;

/** A distribution's count and mean at one minute. */
export function gcpDistribution(metricType: string, seriesKey: string, minutesBack: number): { count: number; mean: number } {
  const countType = metricType.endsWith('execution_times')
    ? 'cloudfunctions.googleapis.com/function/execution_count'
    : 'run.googleapis.com/request_count';
  const count = gcpMetricValue(countType, seriesKey, minutesBack);
  const { id } = parseKey(seriesKey);
  const lvl = unitHash('gcp-lat-level', id);
  const u = unitHash('gcp', metricType, seriesKey, minutesBack);
  const mean = metricType.endsWith('execution_times')
    ? Math.round((40 + 500 * lvl) * (0.8 + 0.4 * u) * 1e6)
    : r((15 + 400 * lvl) * (0.8 + 0.4 * u), 3);
  return { count, mean: count === 0 ? 0 : mean };
}

/**
 * The raw value of a series `minutesBack` minutes before the window's end: a fraction for CPU, bytes per minute for
 * the DELTA byte counters, percent for the agent's memory and GPU utilization, bytes for GPU memory, counts per minute
 * for executions and requests; for DISTRIBUTION metrics the mean (gcpDistribution gives the count as well).
 */
export function gcpMetricValue(metricType: string, seriesKey: string, minutesBack: number): number {
  const { id, labels } = parseKey(seriesKey);
  const u = unitHash('gcp', metricType, seriesKey, minutesBack);
  const level = (...extra: string[]): number => unitHash('gcp-level', metricType, id, ...extra);
  switch (metricType) {
    case 'compute.googleapis.com/instance/cpu/utilization':
      return r(clamp(0.03 + 0.9 * level() + 0.08 * (u - 0.5), 0.001, 1), 4);
    case 'compute.googleapis.com/instance/network/received_bytes_count':
    case 'compute.googleapis.com/instance/network/sent_bytes_count': {
      const share = labels.loadbalanced === 'true' ? 0.15 : 1;
      return Math.round((2e5 + 5e7 * level()) * share * (0.6 + 0.8 * u));
    }
    case 'compute.googleapis.com/instance/disk/read_bytes_count':
    case 'compute.googleapis.com/instance/disk/write_bytes_count':
      return Math.round((1e5 + 2e7 * level()) * (0.5 + u));
    case 'agent.googleapis.com/memory/percent_used':
      return memoryParts(id, minutesBack)[labels.state] ?? 0;
    case 'agent.googleapis.com/gpu/utilization':
      return r(clamp(100 * level(labels.gpu_number) + 20 * (u - 0.5), 0, 100), 2);
    case 'agent.googleapis.com/gpu/memory/bytes_used': {
      const mib = Object.values(GCP_ACCELERATORS).find((a) => a.model === labels.model)?.memoryMib ?? 16384;
      const used =
        Math.round(
          mib *
            clamp(0.05 + 0.9 * level(labels.gpu_number) + 0.04 * (unitHash('gcp-gpumem', id, labels.gpu_number, minutesBack) - 0.5), 0, 1),
        ) * MIB;
      return labels.memory_state === 'free' ? mib * MIB - used : used;
    }
    // A GKE node's GPUs: the first, third … node of a pool (its id ends in an even digit) idle under 3 %, the others work.
    case 'kubernetes.io/node/accelerator/duty_cycle':
      return gkeNodeIdle(id) ? Math.floor(3 * u) : Math.round(clamp(20 + 75 * level(labels.accelerator_id) + 10 * (u - 0.5), 0, 100));
    case 'prometheus.googleapis.com/DCGM_FI_DEV_GPU_UTIL/gauge':
      return gkeNodeIdle(id) ? Math.floor(3 * u) : Math.round(clamp(20 + 75 * level(labels.gpu) + 10 * (u - 0.5), 0, 100));
    case 'kubernetes.io/node/accelerator/memory_total':
      return (Object.values(GCP_ACCELERATORS).find((a) => a.model.replace(/^NVIDIA /, '') === labels.model)?.memoryMib ?? 15360) * MIB;
    case 'kubernetes.io/node/accelerator/memory_used': {
      const total = gcpMetricValue('kubernetes.io/node/accelerator/memory_total', seriesKey, minutesBack);
      return Math.round(total * clamp(0.02 + 0.9 * level(labels.accelerator_id), 0, 1));
    }
    case 'cloudfunctions.googleapis.com/function/execution_count':
      return labels.status === 'ok' ? 1 + Math.floor(300 * level() * u) : labels.status === 'error' ? Math.floor(6 * u) : u > 0.8 ? 1 : 0;
    case 'run.googleapis.com/request_count':
      return labels.response_code_class === '2xx'
        ? 1 + Math.floor(600 * level() * u)
        : labels.response_code_class === '4xx'
          ? Math.floor(12 * u)
          : Math.floor(3 * u * u);
    case 'cloudfunctions.googleapis.com/function/execution_times':
    case 'run.googleapis.com/request_latencies':
      return gcpDistribution(metricType, seriesKey, minutesBack).mean;
    default:
      return 0;
  }
}

// ---- filter -------------------------------------------------------------------------------------------------------

export interface MonitoringFilter {
  readonly metricType: string;
  readonly resourceType?: string;
  readonly metricLabels: Readonly<Record<string, string>>;
  readonly resourceLabels: Readonly<Record<string, string>>;
}

/** `metric.type = "X" AND resource.type = "Y" [AND metric.labels.K = "V"] [AND resource.labels.K = "V"]`, else why not. */
export function parseMonitoringFilter(filter: string): MonitoringFilter | string {
  const tokens = filter.match(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|!=|=|[A-Za-z_][\w.]*|\S/g) ?? [];
  let metricType: string | undefined;
  let resourceType: string | undefined;
  const metricLabels: Record<string, string> = {};
  const resourceLabels: Record<string, string> = {};
  for (let i = 0; i < tokens.length; i += 4) {
    const [field, op, value, join] = [tokens[i], tokens[i + 1], tokens[i + 2], tokens[i + 3]];
    if (op !== '=' || !value || !/^["']/.test(value)) return `Could not parse filter near '${field ?? ''}'`;
    if (join !== undefined && join !== 'AND') return `Could not parse filter near '${join}': only AND is understood here`;
    if (join !== undefined && i + 4 >= tokens.length) return 'Could not parse filter: it ends with AND';
    const v = value.slice(1, -1).replace(/\\(.)/g, '$1');
    const label = /^(metric|resource)\.labels?\.([A-Za-z_][\w]*)$/.exec(field);
    if (field === 'metric.type') metricType = v;
    else if (field === 'resource.type') resourceType = v;
    else if (label?.[1] === 'metric') metricLabels[label[2]] = v;
    else if (label?.[1] === 'resource') resourceLabels[label[2]] = v;
    else return `Unrecognized field in filter: '${field}'`;
  }
  if (!metricType) return 'A filter must specify a metric type with metric.type = "…"';
  return { metricType, ...(resourceType ? { resourceType } : {}), metricLabels, resourceLabels };
}

// ---- aligners and reducers ---------------------------------------------------------------------------------------

export const ALIGNERS: Readonly<Record<string, number>> = {
  ALIGN_NONE: 0,
  ALIGN_DELTA: 1,
  ALIGN_RATE: 2,
  ALIGN_MIN: 10,
  ALIGN_MAX: 11,
  ALIGN_MEAN: 12,
  ALIGN_SUM: 14,
};
export const REDUCERS: Readonly<Record<string, number>> = {
  REDUCE_NONE: 0,
  REDUCE_MEAN: 1,
  REDUCE_MIN: 2,
  REDUCE_MAX: 3,
  REDUCE_SUM: 4,
  REDUCE_COUNT: 6,
};

/** An enum query value given as its name or its number (numericEnums clients send numbers). */
function enumParam(raw: string | null, table: Readonly<Record<string, number>>): string | undefined | null {
  if (raw === null || raw === '') return undefined;
  const byName = Object.keys(table).find((k) => k === raw);
  if (byName) return byName;
  const byNumber = Object.entries(table).find(([, n]) => String(n) === raw);
  return byNumber ? byNumber[0] : null;
}

interface Distribution {
  count: number;
  mean: number;
  ssd: number;
  buckets: number[];
}

type Value = number | Distribution;

const BUCKETS: Readonly<Record<string, { numFiniteBuckets: number; growthFactor: number; scale: number }>> = {
  ns: { numFiniteBuckets: 64, growthFactor: 2, scale: 1000 },
  ms: { numFiniteBuckets: 100, growthFactor: 1.4, scale: 1 },
};

function bucketIndex(unit: string, v: number): number {
  const b = BUCKETS[unit] ?? BUCKETS.ms;
  if (v < b.scale) return 0;
  return Math.min(b.numFiniteBuckets + 1, Math.floor(Math.log(v / b.scale) / Math.log(b.growthFactor)) + 1);
}

function rawValue(s: GcpSeries, k: number): Value {
  if (s.def.valueType !== 'DISTRIBUTION') return gcpMetricValue(s.def.type, s.key, k);
  const { count, mean } = gcpDistribution(s.def.type, s.key, k);
  const buckets: number[] = [];
  if (count > 0) {
    const i = bucketIndex(s.def.unit, mean);
    for (let j = 0; j <= i; j++) buckets.push(j === i ? count : 0);
  }
  return { count, mean, ssd: 0, buckets };
}

function mergeDistributions(ds: readonly Distribution[]): Distribution {
  const count = ds.reduce((n, d) => n + d.count, 0);
  const mean = count === 0 ? 0 : ds.reduce((s, d) => s + d.mean * d.count, 0) / count;
  const ssd = ds.reduce((s, d) => s + d.ssd + d.count * (d.mean - mean) ** 2, 0);
  const buckets: number[] = [];
  for (const d of ds) d.buckets.forEach((c, i) => (buckets[i] = (buckets[i] ?? 0) + c));
  return { count, mean, ssd, buckets };
}

type Aligner = keyof typeof ALIGNERS;

/** Which aligners each kind and value type take (common.proto's Aligner comments). */
function alignerProblem(aligner: Aligner, d: GcpMetricDef): boolean {
  const numeric = d.valueType === 'INT64' || d.valueType === 'DOUBLE';
  switch (aligner) {
    case 'ALIGN_NONE':
      return false;
    case 'ALIGN_DELTA':
      return d.kind === 'GAUGE';
    case 'ALIGN_RATE':
      return d.kind === 'GAUGE' || !numeric;
    case 'ALIGN_SUM':
      return d.kind === 'CUMULATIVE';
    default:
      return d.kind === 'CUMULATIVE' || !numeric;
  }
}

function aligned(aligner: Aligner, values: readonly Value[], seconds: number, d: GcpMetricDef): Value {
  if (d.valueType === 'DISTRIBUTION') return mergeDistributions(values as Distribution[]);
  const nums = values as number[];
  const sum = nums.reduce((s, v) => s + v, 0);
  switch (aligner) {
    case 'ALIGN_MIN':
      return Math.min(...nums);
    case 'ALIGN_MAX':
      return Math.max(...nums);
    case 'ALIGN_MEAN':
      return sum / nums.length;
    case 'ALIGN_RATE':
      return sum / seconds;
    default:
      return sum; // ALIGN_SUM, ALIGN_DELTA
  }
}

/** The kind and value type an aligner produces from a metric's. */
function alignedType(aligner: Aligner, d: GcpMetricDef): { kind: MetricKind; valueType: ValueType } {
  switch (aligner) {
    case 'ALIGN_NONE':
      return { kind: d.kind, valueType: d.valueType };
    case 'ALIGN_DELTA':
      return { kind: 'DELTA', valueType: d.valueType };
    case 'ALIGN_RATE':
      return { kind: 'GAUGE', valueType: 'DOUBLE' };
    case 'ALIGN_MEAN':
      return { kind: 'GAUGE', valueType: 'DOUBLE' };
    case 'ALIGN_SUM':
      return { kind: d.kind, valueType: d.valueType };
    default:
      return { kind: 'GAUGE', valueType: d.valueType };
  }
}

function reduce(reducer: string, values: readonly number[]): number {
  switch (reducer) {
    case 'REDUCE_MEAN':
      return values.reduce((s, v) => s + v, 0) / values.length;
    case 'REDUCE_MIN':
      return Math.min(...values);
    case 'REDUCE_MAX':
      return Math.max(...values);
    case 'REDUCE_COUNT':
      return values.length;
    default:
      return values.reduce((s, v) => s + v, 0);
  }
}

// ---- the list call -----------------------------------------------------------------------------------------------

export interface MonitoringQuery {
  readonly project: string;
  readonly metricType: string;
  readonly resourceType: string;
  readonly filter: string;
  readonly pageToken?: string;
  readonly status: number;
  readonly aligner?: string;
  readonly alignmentPeriod?: string;
  readonly startTime?: string;
  readonly endTime?: string;
}

export interface MonitoringState {
  opsAgent: string[];
  /** What GKE GPU nodes report: GKE's system metrics (default) or managed DCGM. */
  gkeGpuMetrics: 'system' | 'dcgm';
  seriesPageSize: number;
  monitoringQueries: MonitoringQuery[];
}

export interface ListResult {
  readonly status: number;
  /** The response body, or the error message when status is not 200. */
  readonly body: unknown;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

function valueJson(v: Value, valueType: ValueType, unit: string): object {
  if (typeof v !== 'number') {
    return {
      distributionValue: {
        count: String(v.count),
        mean: v.mean,
        sumOfSquaredDeviation: v.ssd,
        bucketOptions: { exponentialBuckets: BUCKETS[unit] ?? BUCKETS.ms },
        bucketCounts: v.buckets.map(String),
      },
    };
  }
  return valueType === 'INT64' ? { int64Value: String(Math.round(v)) } : { doubleValue: v };
}

const matchesLabels = (have: Readonly<Record<string, string>>, want: Readonly<Record<string, string>>): boolean =>
  Object.entries(want).every(([k, v]) => have[k] === v);

/** One page of projects.timeSeries.list for a project the caller may read. */
/** timeSeries.list's effective page size when none or more is asked (points in the FULL view, series in HEADERS). */
const MAX_PAGE_RESULTS = 100_000;

export function listTimeSeries(
  state: MonitoringState,
  project: GcpProject,
  query: URLSearchParams,
  ints: boolean,
  emptyPage: boolean,
): ListResult {
  const filter = query.get('filter') ?? '';
  const pageToken = query.get('pageToken') || undefined;
  const parsed = parseMonitoringFilter(filter);
  const aggAligner = query.get('aggregation.perSeriesAligner');
  const period = query.get('aggregation.alignmentPeriod') ?? undefined;
  const startTime = query.get('interval.startTime') ?? undefined;
  const endTime = query.get('interval.endTime') ?? undefined;
  const record = (status: number) =>
    state.monitoringQueries.push({
      project: project.projectId,
      metricType: typeof parsed === 'string' ? '' : parsed.metricType,
      resourceType: typeof parsed === 'string' ? '' : (parsed.resourceType ?? ''),
      filter,
      ...(pageToken ? { pageToken } : {}),
      status,
      ...(aggAligner ? { aligner: aggAligner } : {}),
      ...(period ? { alignmentPeriod: period } : {}),
      ...(startTime ? { startTime } : {}),
      ...(endTime ? { endTime } : {}),
    });
  const bad = (message: string): ListResult => {
    record(400);
    return { status: 400, body: message };
  };
  if (typeof parsed === 'string') return bad(`Field filter had an invalid value of "${filter}": ${parsed}.`);
  if (!endTime) return bad('Field interval.endTime had an invalid value of "": must be specified.');
  const endMs = Date.parse(endTime);
  const startMs = startTime ? Date.parse(startTime) : endMs;
  if (Number.isNaN(endMs)) return bad(`Field interval.endTime had an invalid value of "${endTime}".`);
  if (Number.isNaN(startMs)) return bad(`Field interval.startTime had an invalid value of "${startTime ?? ''}".`);
  if (startMs > endMs) return bad('Field interval.startTime had an invalid value: the start time must not be after the end time.');
  const aligner = enumParam(aggAligner, ALIGNERS) ?? 'ALIGN_NONE';
  if (aligner === null) return bad(`Field aggregation.perSeriesAligner had an invalid value of "${aggAligner}".`);
  const reducerRaw = query.get('aggregation.crossSeriesReducer');
  const reducer = enumParam(reducerRaw, REDUCERS) ?? 'REDUCE_NONE';
  if (reducer === null) return bad(`Field aggregation.crossSeriesReducer had an invalid value of "${reducerRaw}".`);
  let periodMin = 1;
  if (aligner !== 'ALIGN_NONE') {
    const m = /^(\d+)(?:\.0+)?s$/.exec(period ?? '');
    if (!m) return bad('Field aggregation.alignmentPeriod had an invalid value: an alignment period is required when an aligner is given.');
    if (Number(m[1]) < 60 || Number(m[1]) % 60 !== 0)
      return bad(
        `Field aggregation.alignmentPeriod had an invalid value of "${period ?? ''}": must be a whole number of minutes, at least 60s.`,
      );
    periodMin = Number(m[1]) / 60;
  }
  if (reducer !== 'REDUCE_NONE' && aligner === 'ALIGN_NONE')
    return bad('Field aggregation.perSeriesAligner had an invalid value of "ALIGN_NONE": cross-series reduction requires an aligner.');
  const viewRaw = query.get('view') ?? '0';
  const headersOnly = viewRaw === '1' || viewRaw === 'HEADERS';
  if (!['0', '1', 'FULL', 'HEADERS'].includes(viewRaw)) return bad(`Field view had an invalid value of "${viewRaw}".`);
  let offset = 0;
  if (pageToken) {
    const m = /^ts:(\d+)$/.exec(Buffer.from(pageToken, 'base64url').toString('utf8'));
    if (!m) return bad(`Field pageToken had an invalid value of "${pageToken}".`);
    offset = Number(m[1]);
  }
  const d = gcpMetricDef(parsed.metricType);
  if (d && aligner !== 'ALIGN_NONE' && alignerProblem(aligner, d)) {
    return bad(
      `Field aggregation.perSeriesAligner had an invalid value of "${aligner}": The aligner cannot be applied to metrics with kind ${d.kind} and value type ${d.valueType}.`,
    );
  }
  if (d && reducer !== 'REDUCE_NONE' && d.valueType === 'DISTRIBUTION') {
    return bad(
      `Field aggregation.crossSeriesReducer had an invalid value of "${reducer}": The reducer cannot be applied to distribution values.`,
    );
  }

  const E = Math.floor(endMs / 60_000) * 60_000;
  let n = 1;
  while (E - n * 60_000 > startMs) n++;
  if (n > 100_000) return bad('The requested interval is too long: at most 100000 minutes.');
  record(200);
  // The real API answers an empty body, not `timeSeries: []`, when nothing matches.
  if (!d || emptyPage || (parsed.resourceType !== undefined && parsed.resourceType !== d.resourceType)) return { status: 200, body: {} };

  const series = gcpSeriesFor(project, state.opsAgent, d.type, state.gkeGpuMetrics).filter(
    (s) => matchesLabels(s.metricLabels, parsed.metricLabels) && matchesLabels(s.resourceLabels, parsed.resourceLabels),
  );
  const out = alignedType(aligner, d);
  const buckets = Math.ceil(n / periodMin);
  const groupBy = query.getAll('aggregation.groupByFields');
  // Groups of series reduced into one (REDUCE_NONE: each series is its own group).
  let groups: { metricLabels: Record<string, string>; resourceLabels: Record<string, string>; members: GcpSeries[] }[] = series.map(
    (s) => ({ metricLabels: { ...s.metricLabels }, resourceLabels: { ...s.resourceLabels }, members: [s] }),
  );
  if (reducer !== 'REDUCE_NONE') {
    const byKey = new Map<string, (typeof groups)[number]>();
    for (const s of series) {
      const metricLabels: Record<string, string> = {};
      const resourceLabels: Record<string, string> = {};
      for (const f of groupBy) {
        const m = /^(metric|resource)\.labels?\.(\w+)$/.exec(f);
        if (m?.[1] === 'metric' && s.metricLabels[m[2]] !== undefined) metricLabels[m[2]] = s.metricLabels[m[2]];
        if (m?.[1] === 'resource' && s.resourceLabels[m[2]] !== undefined) resourceLabels[m[2]] = s.resourceLabels[m[2]];
      }
      const key = JSON.stringify([metricLabels, resourceLabels]);
      const g = byKey.get(key) ?? { metricLabels, resourceLabels, members: [] };
      g.members.push(s);
      byKey.set(key, g);
    }
    groups = [...byKey.values()];
  }
  const requested = Number(query.get('pageSize') ?? '0');
  const pointsPer = headersOnly ? 1 : buckets;
  // FULL view pages by points (metric_service.proto), HEADERS by series; an absent page size or one above 100,000 is
  // 100,000 (the documented maximum); never more series than seriesPageSize.
  const fit = Math.max(1, Math.floor((requested > 0 && requested < MAX_PAGE_RESULTS ? requested : MAX_PAGE_RESULTS) / pointsPer));
  const perPage = Math.max(1, Math.min(state.seriesPageSize, fit));
  const pageGroups = groups.slice(offset, offset + perPage);
  if (groups.length === 0) return { status: 200, body: {} };
  const valueType = reducer === 'REDUCE_COUNT' ? 'INT64' : reducer === 'REDUCE_MEAN' ? 'DOUBLE' : out.valueType;
  const timeSeries = pageGroups.map((g) => {
    const points: object[] = [];
    if (!headersOnly) {
      for (let b = 0; b < buckets; b++) {
        const first = b * periodMin;
        const last = Math.min(n, first + periodMin) - 1;
        const t = E - first * 60_000;
        const memberValues = g.members.map((s) => {
          const raws: Value[] = [];
          for (let k = first; k <= last; k++) raws.push(rawValue(s, k));
          return aligner === 'ALIGN_NONE' ? raws[0] : aligned(aligner, raws, (last - first + 1) * 60, d);
        });
        const v = reducer === 'REDUCE_NONE' ? memberValues[0] : reduce(reducer, memberValues as number[]);
        const span = out.kind === 'GAUGE' ? 0 : periodMin * 60_000;
        points.push({ interval: { startTime: iso(t - span), endTime: iso(t) }, value: valueJson(v, valueType, d.unit) });
      }
    }
    return {
      metric: { type: d.type, labels: g.metricLabels },
      resource: { type: d.resourceType, labels: g.resourceLabels },
      metricKind: ints ? METRIC_KIND_INT[out.kind] : out.kind,
      valueType: ints ? VALUE_TYPE_INT[valueType] : valueType,
      points,
      unit: out.kind === 'GAUGE' && aligner === 'ALIGN_RATE' ? `${d.unit}/s` : d.unit,
    };
  });
  const next =
    offset + pageGroups.length < groups.length ? Buffer.from(`ts:${offset + pageGroups.length}`).toString('base64url') : undefined;
  return { status: 200, body: { timeSeries, ...(next ? { nextPageToken: next } : {}), unit: timeSeries[0]?.unit ?? d.unit } };
}
