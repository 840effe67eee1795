// Azure Monitor's metrics data-plane batch API (what @azure/monitor-query-metrics MetricsClient.queryResources calls):
//   POST /subscriptions/:sub/metrics:getBatch?api-version&starttime&endtime&interval&metricnamespace&metricnames
//        &aggregation[&top&orderby&filter&rollupby]   body {"resourceids":[…]}
// At most 50 resource ids, all in the URL's subscription and one region (Azure update "General availability of Azure
// Monitor Metrics Data Plane API"; @azure/monitor-query-metrics README). Values are a pure function of (seed, resource
// id, metric, minute): azureMetricMinute / azureMetricInterval give them to tests.
import { unitHash } from './seed';

export type Aggregation = 'average' | 'maximum' | 'minimum' | 'total' | 'count';
export const AGGREGATIONS: readonly Aggregation[] = ['average', 'maximum', 'minimum', 'total', 'count'];

export interface MetricDef {
  readonly name: string;
  readonly unit: 'Percent' | 'Bytes' | 'Count' | 'Seconds';
  readonly primary: Aggregation;
  readonly description: string;
}

const VM_METRICS: readonly MetricDef[] = [
  {
    name: 'Percentage CPU',
    unit: 'Percent',
    primary: 'average',
    description: 'The percentage of allocated compute units that are currently in use by the Virtual Machine(s)',
  },
  {
    name: 'Available Memory Bytes',
    unit: 'Bytes',
    primary: 'average',
    description:
      'Amount of physical memory, in bytes, immediately available for allocation to a process or for system use in the Virtual Machine',
  },
  {
    name: 'Network In Total',
    unit: 'Bytes',
    primary: 'total',
    description: 'The number of bytes received on all network interfaces by the Virtual Machine(s) (Incoming Traffic)',
  },
  {
    name: 'Network Out Total',
    unit: 'Bytes',
    primary: 'total',
    description: 'The number of bytes out on all network interfaces by the Virtual Machine(s) (Outgoing Traffic)',
  },
  { name: 'Disk Read Bytes', unit: 'Bytes', primary: 'total', description: 'Bytes read from disk during monitoring period' },
  { name: 'Disk Write Bytes', unit: 'Bytes', primary: 'total', description: 'Bytes written to disk during monitoring period' },
];

export const AZURE_METRICS: Readonly<Record<string, readonly MetricDef[]>> = {
  'Microsoft.Compute/virtualMachines': VM_METRICS,
  // A scale set's instances publish the VMs' metrics under their own resource type
  // (learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-compute-virtualmachinescalesets-virtualmachines-metrics).
  'Microsoft.Compute/virtualMachineScaleSets/virtualMachines': VM_METRICS,
  'Microsoft.Web/sites': [
    { name: 'FunctionExecutionCount', unit: 'Count', primary: 'total', description: 'Function Execution Count. For FunctionApps only.' },
    // Flex Consumption's executions (learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-web-sites-metrics).
    {
      name: 'OnDemandFunctionExecutionCount',
      unit: 'Count',
      primary: 'total',
      description: 'Total number of function executions in on demand instances. For FlexConsumption FunctionApps only.',
    },
    {
      name: 'AlwaysReadyFunctionExecutionCount',
      unit: 'Count',
      primary: 'total',
      description: 'Total number of function executions in always ready instances. For FlexConsumption FunctionApps only.',
    },
    {
      name: 'Http5xx',
      unit: 'Count',
      primary: 'total',
      description: 'The count of requests resulting in an HTTP status code >= 500 but < 600.',
    },
    {
      name: 'HttpResponseTime',
      unit: 'Seconds',
      primary: 'average',
      description: 'The time taken for the app to serve requests, in seconds.',
    },
    {
      name: 'Requests',
      unit: 'Count',
      primary: 'total',
      description: 'The total number of requests regardless of their resulting HTTP status code.',
    },
  ],
  'Microsoft.ContainerService/managedClusters': [
    {
      name: 'node_cpu_usage_percentage',
      unit: 'Percent',
      primary: 'average',
      description: 'Aggregated average CPU utilization measured in percentage across the cluster',
    },
    {
      name: 'node_memory_working_set_percentage',
      unit: 'Percent',
      primary: 'average',
      description: 'Container working set memory used in percent',
    },
  ],
};

export type MetricPoint = Readonly<Record<Aggregation, number>>;

const r2 = (v: number): number => Math.round(v * 100) / 100;

/**
 * One minute of one metric of one resource. `memoryMb` is the VM size's memory (Available Memory Bytes is a share of
 * it). Resource ids compare case-insensitively, as Azure's do.
 */
export function azureMetricMinute(seed: number, resourceId: string, metric: string, minute: number, memoryMb = 16384): MetricPoint {
  const id = resourceId.toLowerCase();
  const level = unitHash(seed, id, metric, 'level');
  const u = (k: string): number => unitHash(seed, id, metric, minute, k);
  switch (metric) {
    case 'Percentage CPU':
    case 'node_cpu_usage_percentage':
    case 'node_memory_working_set_percentage': {
      const v = r2(Math.min(100, Math.max(0, 5 + 80 * level + 20 * (u('v') - 0.5))));
      return {
        average: v,
        maximum: r2(Math.min(100, v + 10 * u('max'))),
        minimum: r2(Math.max(0, v - 10 * u('min'))),
        total: r2(v * 4),
        count: 4,
      };
    }
    case 'Available Memory Bytes': {
      const bytes = memoryMb * 1048576;
      const v = Math.round(bytes * (0.15 + 0.6 * level + 0.1 * u('v')));
      return { average: v, maximum: Math.min(bytes - 1, Math.round(v * 1.03)), minimum: Math.round(v * 0.97), total: v * 4, count: 4 };
    }
    case 'HttpResponseTime': {
      const v = r2(0.05 + 1.5 * level * u('v') + 0.01);
      return { average: v, maximum: r2(v * 2), minimum: r2(v / 2), total: r2(v * 10), count: 10 };
    }
    case 'Requests':
    case 'FunctionExecutionCount':
    case 'OnDemandFunctionExecutionCount':
    case 'AlwaysReadyFunctionExecutionCount':
    case 'Http5xx': {
      const scale = metric === 'Http5xx' ? 3 : 400;
      const v = Math.floor(scale * level * u('v'));
      return { average: v, maximum: v, minimum: v, total: v, count: 1 };
    }
    default: {
      // Bytes per minute (network, disk)
      const v = Math.round(5e6 * level * (0.5 + u('v')));
      return { average: v, maximum: v, minimum: v, total: v, count: 1 };
    }
  }
}

/** An interval of `minutes` starting at epoch minute `first`: averages of averages, max of maxima, sums of totals. */
export function azureMetricInterval(
  seed: number,
  resourceId: string,
  metric: string,
  first: number,
  minutes: number,
  memoryMb?: number,
): MetricPoint {
  const points = Array.from({ length: minutes }, (_, k) => azureMetricMinute(seed, resourceId, metric, first + k, memoryMb));
  const sum = (a: Aggregation): number => points.reduce((s, p) => s + p[a], 0);
  return {
    average: r2(sum('average') / minutes),
    maximum: Math.max(...points.map((p) => p.maximum)),
    minimum: Math.min(...points.map((p) => p.minimum)),
    total: r2(sum('total')),
    count: sum('count'),
  };
}

/** ISO-8601 durations the API takes as `interval`, in minutes. */
export function intervalMinutes(interval: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/i.exec(interval);
  if (!m || interval.toUpperCase() === 'P' || interval.toUpperCase() === 'PT') return undefined;
  const minutes = Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  return [1, 5, 15, 30, 60, 360, 720, 1440].includes(minutes) ? minutes : undefined;
}

/** What the handler knows of a resource to answer for it. */
export interface MetricResource {
  readonly id: string;
  readonly region: string;
  /** No data (deallocated, stopped, silenced): entries carry only timeStamp. */
  readonly silent: boolean;
  readonly memoryMb?: number;
  /** Metrics of the namespace this resource publishes nothing for (a Flex Consumption app's FunctionExecutionCount). */
  readonly absent?: readonly string[];
}

export interface BatchQuery {
  readonly seed: number;
  readonly namespace: string;
  readonly metrics: readonly MetricDef[];
  readonly aggregations: readonly Aggregation[] | undefined;
  readonly startMs: number;
  readonly endMs: number;
  readonly interval: string;
  readonly minutes: number;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/** One `values[]` entry. `resource` undefined: an id the sim does not know (empty timeseries, as Azure answers). */
export function batchEntry(q: BatchQuery, requestedId: string, resource: MetricResource | undefined, fallbackRegion: string): object {
  const step = q.minutes * 60_000;
  const first = Math.floor(q.startMs / step) * step;
  const value = q.metrics.map((m) => {
    const aggs = q.aggregations ?? [m.primary];
    const data: object[] = [];
    if (resource) {
      const times: number[] = [];
      for (let t = first; t < q.endMs; t += step) times.push(t);
      for (const [i, t] of times.entries()) {
        const point: Record<string, unknown> = { timeStamp: iso(t) };
        if (!resource.silent && !resource.absent?.includes(m.name)) {
          // Values by position from the window's end, not by clock time: any two windows of one length agree, so a
          // test's reference refresh and the run it checks see the same numbers whenever the minute turns.
          const p = azureMetricInterval(q.seed, resource.id, m.name, (times.length - 1 - i) * q.minutes, q.minutes, resource.memoryMb);
          for (const a of aggs) point[a] = p[a];
        }
        data.push(point);
      }
    }
    return {
      id: `${requestedId}/providers/Microsoft.Insights/metrics/${m.name}`,
      type: 'Microsoft.Insights/metrics',
      name: { value: m.name, localizedValue: m.name },
      displayDescription: m.description,
      unit: m.unit,
      timeseries: resource ? [{ metadatavalues: [], data }] : [],
      errorCode: 'Success',
    };
  });
  return {
    starttime: iso(q.startMs),
    endtime: iso(q.endMs),
    interval: q.interval,
    namespace: q.namespace,
    resourceregion: resource?.region ?? fallbackRegion,
    resourceid: requestedId,
    value,
  };
}
