// The simulated RunPod REST v2 API (https://api.runpod.io/v2; runpod/docs api-reference-v2/openapi.json 2.0.0),
// with the quirks a client must cope with:
//   GET /pods[?includeClusterPods=bool]  → { pods: Pod[] }       wrapped, unpaginated; runtime null unless RUNNING;
//                                                                  cost 0 when EXITED/TERMINATED, a string on some pods;
//                                                                  Instant Cluster members only with includeClusterPods=true
//   GET /clusters                         → { clusters: Cluster[] }
//   GET /clusters/:id/pods                → { pods: Pod[] }       a cluster's members
//   GET /network-volumes                  → { networkVolumes: NetworkVolume[] }
//   GET /pods/:id                         → Pod
//   GET /serverless                       → { endpoints: Endpoint[] }   workers {min,max,idleTimeout}, no live counts
//   GET /catalog/gpus[?include=AVAILABILITY&product=POD[&cloud=SECURE|COMMUNITY]] → { gpus: GpuType[] }
//                                           availability only with include+product (400 otherwise), per cloud tier
//   GET /catalog/datacenters              → { dataCenters: DataCenter[] }
//   errors                                → application/problem+json { title, status, detail }
//   every authenticated answer            → RateLimit + RateLimit-Policy (IETF draft); 429 adds Retry-After
//   POST /pods/:id/action {action}        → 200 the pod; 409 when its status does not allow the action; the pod
//                                           moves over the next lists (runpod-writes.ts); `readOnlyKeys` get 403
import { bearerAuth } from './auth';
import { Router } from './router';
import { Rng, type GpuMix } from './seed';
import {
  createCatalog,
  DATA_CENTERS,
  DEFAULT_RUNPOD_MIX,
  generateEndpoints,
  generatePods,
  type Level,
  type SimEndpoint,
  type SimGpuType,
  type SimPod,
  type Tier,
} from './runpod-data';
import { buildCluster, generateNetworkVolumes, type SimCluster, type SimNetworkVolume } from './runpod-cluster-data';
import { defineCloud, type SimCloud, type SimCloudOptions, type SimRequest, type SimResponse, simKnobs } from './types';
import { advancePods, podAction, type RunpodWriteState } from './runpod-writes';

export { buildPod, RUNPOD_GPUS, type PodSpec, type SimEndpoint, type SimPod } from './runpod-data';
export { buildCluster, type SimCluster, type SimNetworkVolume } from './runpod-cluster-data';

export interface RateLimitWindow {
  readonly window: string;
  /** Quota per window (the spec's example numbers by default; the real quotas are unpublished). */
  readonly q: number;
  /** Window length, seconds. */
  readonly w: number;
}

export interface RunpodState extends RunpodWriteState {
  /** Standalone pods and Instant Cluster members (those with a `cluster` block) alike. */
  pods: SimPod[];
  clusters: SimCluster[];
  networkVolumes: SimNetworkVolume[];
  endpoints: SimEndpoint[];
  gpus: SimGpuType[];
  /** Pod availability per cloud tier and GPU type id. */
  availability: Record<Tier, Record<string, Level>>;
  /** Authenticated requests answered, which the `RateLimit` header counts down from. */
  served: number;
  policy: RateLimitWindow[];
  /** Send no RateLimit headers (RunPod omits them for rate-limit-exempt callers). */
  exempt: boolean;
}

export interface RunpodCloudOptions extends SimCloudOptions {
  /** Weights by GPU key (see RUNPOD_GPUS); default DEFAULT_RUNPOD_MIX. */
  readonly gpuMix?: GpuMix;
  /** Share of pods with GPUs (default 0.85); the rest are CPU pods. */
  readonly gpuShare?: number;
  /** Serverless endpoints (default 3). */
  readonly endpoints?: number;
  /** Share of pods whose `cost` is a numeric string (default 0.25). */
  readonly costStringShare?: number;
  /** Pods of the one Instant Cluster (default 2; 0: no cluster). */
  readonly clusterPods?: number;
  /** Network volumes (default 3); the first is mounted by a few standalone GPU pods. */
  readonly networkVolumes?: number;
}

export const RUNPOD_DEFAULT_KEY = 'rpa_SIMULATED_RUNPOD_KEY_0000000000';
export const RUNPOD_DEFAULT_RETRY_AFTER_SEC = 12;
export const RUNPOD_POLICY: readonly RateLimitWindow[] = [
  { window: 'minute', q: 60, w: 60 },
  { window: 'hour', q: 3000, w: 3600 },
  { window: 'day', q: 50000, w: 86400 },
];

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** RFC 9457 problem details, as every v2 error is sent. */
export function problem(status: number, detail: string, headers: Record<string, string> = {}): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
    json: { title: TITLES[status] ?? `HTTP ${status}`, status, detail },
  };
}

const DEFAULT_DETAIL: Readonly<Record<number, string>> = {
  403: 'access denied',
  404: 'resource not found',
  429: 'rate limit exceeded for the minute window',
  500: 'internal server error',
};

function createState(seed: number, o: RunpodCloudOptions, key: string): RunpodState {
  const rng = new Rng(seed);
  const { gpus, availability } = createCatalog(rng);
  const pods = generatePods(rng, gpus, {
    count: o.count ?? 10,
    gpuMix: o.gpuMix ?? DEFAULT_RUNPOD_MIX,
    gpuShare: o.gpuShare ?? 0.85,
    costStringShare: o.costStringShare ?? 0.25,
    hostile: o.hostile ?? false,
  });
  const endpoints = generateEndpoints(rng, o.endpoints ?? 3, o.hostile ?? false);
  const networkVolumes = generateNetworkVolumes(rng, o.networkVolumes ?? 3);
  // Every fourth GPU pod keeps its data on the first network volume instead of a volume disk (never both).
  if (networkVolumes[0]) {
    pods
      .filter((p) => p.gpu)
      .forEach((p, i) => {
        if (i % 4 === 3) p.mounts = { network: [{ volumeId: networkVolumes[0].id, path: '/runpod-volume' }] };
      });
  }
  const clusterPods = o.clusterPods ?? 2;
  const clusters: SimCluster[] = [];
  if (clusterPods > 0) {
    const made = buildCluster(rng, gpus, { podCount: clusterPods });
    clusters.push(made.cluster);
    pods.push(...made.pods);
  }
  return {
    keys: [key],
    pods,
    clusters,
    networkVolumes,
    endpoints,
    gpus,
    availability,
    served: 0,
    policy: RUNPOD_POLICY.map((p) => ({ ...p })),
    exempt: false,
    readOnlyKeys: [],
    writes: [],
    pending: new Map(),
    pollsToSettle: 2,
  };
}

function listPods(req: SimRequest<RunpodState>): SimResponse {
  advancePods(req.state);
  const include = req.query.get('includeClusterPods');
  if (include !== null && include !== 'true' && include !== 'false') return problem(400, 'includeClusterPods must be a boolean');
  // "Cluster member pods are excluded by default" (openapi.json listPods).
  const pods = include === 'true' ? req.state.pods : req.state.pods.filter((p) => !p.cluster);
  return { json: { pods: req.emptyPage ? [] : pods } };
}

/** Comma-separated enum list, or null when a value is outside `allowed`. */
function csv(value: string, allowed: readonly string[]): string[] | null {
  const parts = value.split(',').map((s) => s.trim());
  return parts.every((p) => allowed.includes(p)) ? parts : null;
}

function listGpus(req: SimRequest<RunpodState>): SimResponse {
  const include = req.query.get('include');
  const product = req.query.get('product');
  const cloud = req.query.get('cloud');
  if (include !== null && csv(include, ['AVAILABILITY']) === null) return problem(400, `unsupported include value: ${include}`);
  if (product !== null && csv(product, ['POD', 'CLUSTER', 'SERVERLESS']) === null) return problem(400, `unsupported product: ${product}`);
  if (include !== null && product === null) return problem(400, 'product is required with include=AVAILABILITY');
  if (include === null && (product !== null || cloud !== null))
    return problem(400, 'product and cloud are valid only with include=AVAILABILITY');
  if (cloud !== null && cloud !== 'SECURE' && cloud !== 'COMMUNITY') return problem(400, `unsupported cloud: ${cloud}`);
  if (req.emptyPage) return { json: { gpus: [] } };
  const tier: Tier = cloud === 'COMMUNITY' ? 'COMMUNITY' : 'SECURE'; // upstream default: SECURE
  const gpus = req.state.gpus.map((g) => {
    if (include === null) return g;
    const availability = req.state.availability[tier][g.id] ?? 'NONE';
    const dataCenters =
      availability === 'NONE' ? undefined : DATA_CENTERS.slice(0, 2).map((d) => ({ id: d.id, name: d.name, availability }));
    return { ...g, availability, ...(dataCenters ? { dataCenters } : {}) };
  });
  return { json: { gpus } };
}

/** Adds the IETF draft headers to every answer of an identified caller (success, 403 and 429 alike). */
function decorate(res: SimResponse, req: SimRequest<RunpodState>): SimResponse {
  const state = req.state;
  const identified = req.credential !== undefined || res.status === 403;
  if (!identified || state.exempt) return res;
  state.served += 1;
  const limited = res.status === 429;
  const rateLimit = state.policy
    .map((p, i) => `"${p.window}";r=${limited && i === 0 ? 0 : Math.max(0, p.q - state.served)};t=${p.w}`)
    .join(', ');
  const policy = state.policy.map((p) => `"${p.window}";q=${p.q};w=${p.w}`).join(', ');
  return { ...res, headers: { ...res.headers, RateLimit: rateLimit, 'RateLimit-Policy': policy } };
}

export function runpodCloud(options: RunpodCloudOptions = {}): SimCloud {
  const id = options.id ?? 'runpod';
  const key = options.key ?? RUNPOD_DEFAULT_KEY;
  const routes = new Router<RunpodState>()
    .get('/pods', listPods)
    .get('/pods/:id', (req) => {
      const pod = req.state.pods.find((p) => p.id === req.params.id);
      return pod ? { json: pod } : problem(404, 'pod not found');
    })
    .post('/pods/:id/action', podAction)
    .get('/clusters', (req) => ({ json: { clusters: req.emptyPage ? [] : req.state.clusters } }))
    .get('/clusters/:id/pods', (req) => {
      if (!req.state.clusters.some((c) => c.id === req.params.id)) return problem(404, 'cluster not found');
      return { json: { pods: req.state.pods.filter((p) => p.cluster?.id === req.params.id) } };
    })
    .get('/network-volumes', (req) => ({ json: { networkVolumes: req.emptyPage ? [] : req.state.networkVolumes } }))
    .get('/serverless', (req) => ({ json: { endpoints: req.emptyPage ? [] : req.state.endpoints } }))
    .get('/catalog/gpus', listGpus)
    .get('/catalog/datacenters', () => ({
      json: { dataCenters: DATA_CENTERS.map((d) => ({ ...d, globalNetwork: true, networkVolumeTypes: ['STANDARD'], compliance: [] })) },
    }));
  return defineCloud<RunpodState>({
    id,
    testKey: key,
    ...simKnobs(options),
    createState: (seed) => createState(seed, options, key),
    routes,
    auth: bearerAuth<RunpodState>({
      // The spec documents "missing bearer token"; the wording for a wrong key is not documented.
      unauthorized: (_req, why) => problem(401, why === 'missing' ? 'missing bearer token' : 'invalid bearer token'),
      forbidden: () => problem(403, 'access denied'),
    }),
    error: (status, _req, message) =>
      status === 429
        ? problem(429, DEFAULT_DETAIL[429], { 'Retry-After': String(RUNPOD_DEFAULT_RETRY_AFTER_SEC) })
        : problem(status, DEFAULT_DETAIL[status] ?? message),
    decorate,
  });
}
