// A small made-up cloud with the shapes every real one has — Bearer auth, a cursor-paginated list, a
// batch metrics call, a GPU offer list — for testing the core collector before the real clouds' modules
// exist. Its id is a parameter, so one test can mount it as `vastai`, `runpod`, `neon` and `cloudflare`
// at once and drive four "clouds".
//
//   GET  /resources?limit=N&cursor=C  → { items: ExampleResource[], next_cursor: string | null }
//   POST /metrics/batch {ids, start, end} → { metrics: { [id]: { cpu: number[], mem: number[], gpu_util?: number[] } } }
//   GET  /offers                      → { offers: ExampleOffer[] }
// With `accounts: N` its resources belong to N accounts, each listed and measured under its own path, the way real
// clouds scope by account, subscription or project:
//   GET  /accounts                    → { accounts: { id, name }[] }
//   GET  /accounts/:account/resources, POST /accounts/:account/metrics/batch  (unknown account: 404)
//   errors                            → { error: string, message: string }
import { bearerAuth } from './auth';
import { applyHostileNames, hostileName, nullOut } from './hostile';
import { Router } from './router';
import { DEFAULT_GPU_MIX, gpuCount, gpuPrice, pickGpu, Rng, unitHash, type GpuMix } from './seed';
import { defineCloud, genericError, json, type SimCloud, type SimCloudOptions, type SimRequest, type SimState, simKnobs } from './types';

export type ExampleStatus = 'running' | 'stopped' | 'starting';

export interface ExampleResource {
  id: string;
  name: string;
  status: ExampleStatus;
  /** Nullable (hostile mode sends null). */
  region: string | null;
  created_at: string;
  gpu_name?: string;
  gpu_count?: number;
  /** USD per hour; nullable (hostile mode sends null on some GPU resources). */
  price_per_hour?: number | null;
  /** Set when the cloud has accounts (`accounts` option). */
  account_id?: string;
}

export interface ExampleOffer {
  id: string;
  gpu_name: string;
  gpu_memory_gb: number;
  gpu_count: number;
  price_per_gpu_hour: number;
  interruptible: boolean;
  region: string;
  available: number;
}

export interface ExampleState extends SimState {
  resources: ExampleResource[];
  offers: ExampleOffer[];
  /** Seed of the metric series, so they are stable across calls and differ between clouds. */
  metricsSeed: number;
  /** Empty unless the cloud has accounts. */
  accounts: { id: string; name: string }[];
}

export interface ExampleCloudOptions extends SimCloudOptions {
  /** Number of GPU offers (default 8). */
  readonly offers?: number;
  readonly gpuMix?: GpuMix;
  /** Share of resources that have GPUs (default 0.6). */
  readonly gpuShare?: number;
  /** Accounts the resources are spread over (round robin); 0 or absent: none, the unscoped API. */
  readonly accounts?: number;
}

export const EXAMPLE_DEFAULT_COUNT = 10;
export const EXAMPLE_DEFAULT_LIMIT = 100;
export const EXAMPLE_MAX_LIMIT = 1000;
export const EXAMPLE_MAX_BATCH_IDS = 100;
export const EXAMPLE_MAX_WINDOW_MS = 24 * 3600_000;

/** The key the example cloud accepts by default: fixed and obviously fake. */
export const exampleKey = (id: string): string => `sim-${id}-key`;

const problem = (status: number, error: string, message: string) => json({ error, message }, status);

export function createExampleState(seed: number, options: ExampleCloudOptions, key: string): ExampleState {
  const rng = new Rng(seed);
  const mix = options.gpuMix ?? DEFAULT_GPU_MIX;
  const resources: ExampleResource[] = [];
  for (let i = 0; i < (options.count ?? EXAMPLE_DEFAULT_COUNT); i++) {
    const r: ExampleResource = {
      id: rng.id('res', 10),
      name: rng.name(),
      status: rng.weighted<ExampleStatus>([
        ['running', 7],
        ['stopped', 2],
        ['starting', 1],
      ]),
      region: rng.region(),
      created_at: rng.timestamp(),
    };
    if (rng.chance(options.gpuShare ?? 0.6)) {
      const gpu = pickGpu(rng, mix);
      r.gpu_name = gpu.name;
      r.gpu_count = gpuCount(rng);
      r.price_per_hour = Math.round(gpuPrice(rng, gpu) * r.gpu_count * 1000) / 1000;
    }
    resources.push(r);
  }
  const offers: ExampleOffer[] = [];
  for (let i = 0; i < (options.offers ?? 8); i++) {
    const gpu = pickGpu(rng, mix);
    const interruptible = rng.chance(0.3);
    offers.push({
      id: rng.id('offer', 8),
      gpu_name: gpu.name,
      gpu_memory_gb: gpu.memoryGb,
      gpu_count: gpuCount(rng),
      price_per_gpu_hour: gpuPrice(rng, gpu, interruptible ? 0.6 : 1),
      interruptible,
      region: rng.region(),
      available: rng.int(0, 32),
    });
  }
  const accounts = Array.from({ length: options.accounts ?? 0 }, () => ({ id: rng.id('acc', 8), name: rng.name() }));
  resources.forEach((r, i) => {
    if (accounts.length > 0) r.account_id = accounts[i % accounts.length].id;
  });
  if (options.hostile) {
    applyHostileNames(resources);
    nullOut(resources, ['region'], 5);
    nullOut(
      resources.filter((r) => r.gpu_name),
      ['price_per_hour'],
      3,
    );
    if (offers[0]) offers[0].gpu_name = hostileName(0);
  }
  return { keys: [key], resources, offers, metricsSeed: rng.int(1, 2 ** 31), accounts };
}

function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  const m = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

function listResources(req: SimRequest<ExampleState>) {
  const limitRaw = req.query.get('limit');
  const limit = limitRaw === null ? EXAMPLE_DEFAULT_LIMIT : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1) return problem(400, 'invalid_request', `limit must be a positive integer`);
  const cursor = req.query.get('cursor');
  const offset = cursor ? decodeCursor(cursor) : 0;
  if (offset === undefined) return problem(400, 'invalid_cursor', 'cursor is not valid');
  // An empty-page fault answers "nothing here, nothing more": the client must cope with a short list.
  if (req.emptyPage) return json({ items: [], next_cursor: null });
  const account = req.params.account;
  if (account !== undefined && !req.state.accounts.some((a) => a.id === account))
    return problem(404, 'not_found', `account ${account} not found`);
  const all = account === undefined ? req.state.resources : req.state.resources.filter((r) => r.account_id === account);
  const end = offset + Math.min(limit, EXAMPLE_MAX_LIMIT);
  return json({ items: all.slice(offset, end), next_cursor: end < all.length ? encodeCursor(end) : null });
}

const toMs = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN);

/** A per-minute series that depends only on (seed, id, metric, minute): stable however it is queried. */
function series(seed: number, id: string, metric: string, minutes: readonly number[], max: number): number[] {
  const base = 5 + unitHash(seed, id, metric) * (max - 20);
  return minutes.map((m) => Math.round(Math.min(100, base + unitHash(seed, id, metric, m) * 20) * 10) / 10);
}

function metricsBatch(req: SimRequest<ExampleState>) {
  const body = req.body as { ids?: unknown; start?: unknown; end?: unknown } | null;
  const ids = body && typeof body === 'object' ? body.ids : undefined;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) {
    return problem(400, 'invalid_request', 'ids must be a non-empty array of strings');
  }
  if (ids.length > EXAMPLE_MAX_BATCH_IDS) {
    return problem(400, 'invalid_request', `at most ${EXAMPLE_MAX_BATCH_IDS} ids per call, got ${ids.length}`);
  }
  const start = toMs(body!.start);
  const end = toMs(body!.end);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start || end - start > EXAMPLE_MAX_WINDOW_MS) {
    return problem(400, 'invalid_request', 'start and end must be times with start < end, at most 24 h apart');
  }
  const minutes: number[] = [];
  for (let m = Math.ceil(start / 60_000); m * 60_000 < end; m++) minutes.push(m);
  const account = req.params.account;
  if (account !== undefined && !req.state.accounts.some((a) => a.id === account))
    return problem(404, 'not_found', `account ${account} not found`);
  const metrics: Record<string, { cpu: number[]; mem: number[]; gpu_util?: number[] }> = {};
  const seed = req.state.metricsSeed;
  for (const id of ids) {
    const r = req.state.resources.find((x) => x.id === id && (account === undefined || x.account_id === account));
    if (!r) continue; // unknown ids are left out, as real batch APIs do
    const points = r.status === 'running' ? minutes : [];
    metrics[id] = { cpu: series(seed, id, 'cpu', points, 95), mem: series(seed, id, 'mem', points, 90) };
    if (r.gpu_name) metrics[id].gpu_util = series(seed, id, 'gpu', points, 100);
  }
  return json({ metrics });
}

export function exampleCloud(options: ExampleCloudOptions = {}): SimCloud {
  const id = options.id ?? 'example';
  const key = options.key ?? exampleKey(id);
  const routes = new Router<ExampleState>()
    .get('/resources', listResources)
    .post('/metrics/batch', metricsBatch)
    .get('/offers', (req) => json({ offers: req.emptyPage ? [] : req.state.offers }))
    .get('/accounts', (req) => json({ accounts: req.state.accounts }))
    .get('/accounts/:account/resources', listResources)
    .post('/accounts/:account/metrics/batch', metricsBatch);
  return defineCloud<ExampleState>({
    id,
    testKey: key,
    ...simKnobs(options),
    createState: (seed) => createExampleState(seed, options, key),
    routes,
    auth: bearerAuth<ExampleState>({
      queryParam: 'api_key',
      unauthorized: () => problem(401, 'unauthorized', 'Invalid API key'),
      forbidden: () => problem(403, 'forbidden', 'API key lacks permission for this resource'),
    }),
    // Its own error shape happens to be the generic one; a real cloud returns its envelope here.
    error: (status, _req, message) => genericError(status, message),
  });
}
