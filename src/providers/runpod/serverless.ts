// RunPod Serverless endpoints → Resources of kind 'endpoint'. `GET /v2/serverless` gives each endpoint's worker
// bounds (min, max, idle timeout) but no live counts and no lifecycle status: running/idle workers come from
// `GET /v2/serverless/{id}/workers`, one call per endpoint, which Cloudtop does not make (calls must grow with
// pages, not resources). The gap is visible: no running/idle figures are shown rather than invented ones.
import type { Resource } from '../../core/model/model';
import type { WireEndpoint } from './api';

export const SERVERLESS_SERVICE = 'Serverless';
const CONSOLE = 'https://console.runpod.io';

export function mapEndpoint(endpoint: WireEndpoint, account: string): Resource {
  const workers = endpoint.workers ?? {};
  const dataCenters = (endpoint.dataCenterIds ?? []).filter((d): d is string => typeof d === 'string' && d !== '');
  return {
    id: endpoint.id,
    cloud: 'runpod',
    account,
    kind: 'endpoint',
    service: SERVERLESS_SERVICE,
    name: typeof endpoint.name === 'string' && endpoint.name !== '' ? endpoint.name : endpoint.id,
    ...(dataCenters.length === 1 ? { region: dataCenters[0] } : {}),
    // No status in v2: a listed endpoint is deployed and serves requests, unless its worker maximum is 0, which is
    // how RunPod endpoints are paused. No rawStatus, because RunPod gave none.
    status: workers.max === 0 ? 'stopped' : 'running',
    ...(typeof endpoint.createdAt === 'string' ? { createdAt: endpoint.createdAt } : {}),
    consoleUrl: `${CONSOLE}/serverless/user/endpoint/${encodeURIComponent(endpoint.id)}`,
    details: endpointDetails(endpoint, dataCenters),
  };
}

function endpointDetails(endpoint: WireEndpoint, dataCenters: readonly string[]): Record<string, string | number | boolean> {
  const d: Record<string, string | number | boolean> = {};
  const { workers, scaling, gpu } = endpoint;
  if (typeof endpoint.type === 'string') d.type = endpoint.type;
  if (typeof workers?.min === 'number') d.workersMin = workers.min;
  if (typeof workers?.max === 'number') d.workersMax = workers.max;
  if (typeof workers?.idleTimeout === 'number') d.idleTimeoutSec = workers.idleTimeout;
  if (typeof scaling?.type === 'string') {
    const value = scaling.type === 'QUEUE_DELAY' ? scaling.queueDelay : scaling.requestCount;
    d.scaling = typeof value === 'number' ? `${scaling.type} ${value}` : scaling.type;
  }
  const pools = (gpu?.pools ?? []).filter((p) => typeof p === 'string');
  if (pools.length > 0) d.gpuPools = pools.join(', ');
  if (typeof gpu?.count === 'number') d.gpusPerWorker = gpu.count;
  const cpus = (endpoint.cpu ?? []).map((c) => c?.id).filter((id): id is string => typeof id === 'string');
  if (cpus.length > 0) d.cpuFlavors = cpus.join(', ');
  if (dataCenters.length > 1) d.dataCenters = dataCenters.join(', ');
  if (typeof endpoint.timeout === 'number') d.timeoutMs = endpoint.timeout;
  if (typeof endpoint.flashboot === 'string') d.flashboot = endpoint.flashboot;
  return d;
}
