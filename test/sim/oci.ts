// The simulated Oracle Cloud Infrastructure API, for the real oci-typescript-sdk 2.139.1 clients pointed at
// `sim.endpoint('oci')` (their endpoint setter appends the API version: oci-*/lib/client.js `set endpoint`).
// Facts observed running the real packages against a loopback server:
//   GET  /20160918/compartments?compartmentId&compartmentIdInSubtree&accessLevel&limit&page   Identity ListCompartments
//   GET  /20160918/tenancies/:tenancyId/regionSubscriptions                                   Identity (unpaged)
//   GET  /20160918/tenancies/:tenancyId                                                       Identity GetTenancy
//   GET  /20160918/instances?compartmentId&limit&page&lifecycleState&availabilityDomain         Compute ListInstances
//   GET  /20160918/shapes?compartmentId&availabilityDomain&limit&page                            Compute ListShapes
//   GET  /20180222/clusters?compartmentId&limit&page                                           Container Engine
//   GET  /20160918/autonomousDatabases?compartmentId&limit&page                                 Database
//   POST /20160918/instances/:instanceId?action=SOFTSTOP|STOP|START                             Compute InstanceAction
//        (oci-writes.ts: STOPPING/STARTING, settled over the next listings; `readOnlyKeys` get 404; logged in `writes`)
//   POST /20180401/metrics/actions/summarizeMetricsData?compartmentId&compartmentIdInSubtree    Monitoring (oci-monitoring.ts)
//   GET  /pls/apex/cetools/api/v1/products/?currencyCode=USD&partNumber                        price list, no auth (fetch_oci.py)
//   GET  /a/ocom/docs/cloudestimator2/data/shapes.json                                          Cost Estimator shapes, no auth
// List answers are bare JSON arrays; more pages are announced in the `opc-next-page` header and fetched with
// `page=<token>`; a page may hold fewer items than `limit` (the server's own page size, `pageSize`). Every answer
// carries `opc-request-id`; errors are `{code, message}` (oci-common lib/error.js). Every request but the price list
// must carry a valid OCI HTTP signature (oci-auth.ts): else 401 NotAuthenticated.
import { ociSignatureAuth, ociTestCredentials, type OciAuthState } from './oci-auth';
import { generateOciAccount, OCI_REGION, ociShapes, type OciAccount } from './oci-data';
import { oracleEstimatorShapes, oraclePriceList } from './oci-oracle-data';
import { SIM_EPOCH } from './seed';
import { durationMs, parseMql, summarize, type GpuDimensionLayout } from './oci-monitoring';
import { Router } from './router';
import { advanceInstances, instanceAction, type OciWriteState } from './oci-writes';
import { defineCloud, json, type SimCloud, type SimCloudOptions, type SimRequest, type SimResponse, simKnobs } from './types';

export { OCI_REGION, OCI_SECOND_REGION, type OciInstance, type OciCompartment } from './oci-data';
export { COMPUTE_GPU_SHAPES, oracleBillsNow, oracleHourlyPrice } from './oci-oracle-data';
export { makeOciCredentials, makeOciSessionToken, ociTestCredentials, type OciCredentials } from './oci-auth';

export interface OciState extends OciAuthState, OciAccount, OciWriteState {
  /** Most items the server puts on one page, whatever `limit` asks (OCI may return fewer than the limit). */
  pageSize: number;
  /** Numbers the server part of opc-request-id. */
  requests: number;
  /** The cloud's seed, for metric values. */
  seed: number;
  /** The Compute RDMA GPU Monitoring plugin is enabled (gpu_infrastructure_health has data). */
  gpuPlugin: boolean;
  /** How the GPU plugin's metric streams are told apart (oci-monitoring.ts GPU_DIMENSION_LAYOUTS). */
  gpuDimensions: GpuDimensionLayout;
  /**
   * A policy that grants metrics per compartment but not tenancy-wide: SummarizeMetricsData on the tenancy with
   * compartmentIdInSubtree=true answers 404 NotAuthorizedOrNotFound, per compartment it answers.
   */
  metricsTenancyWideRefused: boolean;
  /** The tenancy's name (Identity GetTenancy). */
  tenancyName: string;
  /** Compartments whose lists answer 404 NotAuthorizedOrNotFound (a policy that leaves them out). */
  refusedCompartments: string[];
  /** Identity ListRegionSubscriptions items (the home region first). */
  subscriptions: { regionKey: string; regionName: string; status: 'READY' | 'IN_PROGRESS'; isHomeRegion: boolean }[];
}

/** Region names and keys from Oracle's "Regions and Availability Domains" page (docs.oracle.com/iaas/Content/General/Concepts/regions.htm). */
const REGIONS: readonly [string, string][] = [
  ['IAD', 'us-ashburn-1'],
  ['PHX', 'us-phoenix-1'],
  ['ORD', 'us-chicago-1'],
  ['FRA', 'eu-frankfurt-1'],
  ['LHR', 'uk-london-1'],
  ['NRT', 'ap-tokyo-1'],
  ['GRU', 'sa-saopaulo-1'],
  ['SJC', 'us-sanjose-1'],
];

export interface OciCloudOptions extends SimCloudOptions {
  /** Compartments below the tenancy (default 3; every third nested in the one before). */
  readonly compartments?: number;
  /** Server page size (default 25). */
  readonly pageSize?: number;
  /** The GPU monitoring plugin is enabled (default true). */
  readonly gpuPlugin?: boolean;
  /** How the GPU plugin's streams are told apart (default `resourceId`). */
  readonly gpuDimensions?: GpuDimensionLayout;
  /** Regions the tenancy subscribes to (default 2: Ashburn, its home, and Phoenix; more are empty of resources). */
  readonly regions?: number;
}

/** The error codes OCI's API reference lists for each status (oci-common lib/error.js maps `code` to serviceCode). */
const CODES: Readonly<Record<number, [string, string]>> = {
  400: ['InvalidParameter', 'The request is invalid'],
  401: ['NotAuthenticated', 'The required information to complete authentication was not provided or was incorrect.'],
  404: ['NotAuthorizedOrNotFound', 'Authorization failed or requested resource not found.'],
  405: ['MethodNotAllowed', 'Method not allowed'],
  409: ['IncorrectState', 'The resource is in a conflicting state'],
  429: ['TooManyRequests', 'Too many requests for the user'],
  500: ['InternalServerError', 'Internal server error'],
  503: ['ServiceUnavailable', 'The service is currently unavailable'],
};

export function ociError(status: number, message?: string): SimResponse {
  const [code, fallback] = CODES[status] ?? [`Http${status}`, `HTTP ${status}`];
  return json({ code, message: message ?? fallback }, status);
}
const bad = (message: string): SimResponse => ociError(400, message);

const isResponse = (v: unknown): v is SimResponse => typeof v === 'object' && v !== null && 'status' in v;

/**
 * The path and query the client signed, byte for byte: the SDK leaves `:`, `/`, `+`, `=` unescaped in query
 * values (observed), so a re-serialised URLSearchParams would not match. Rebuilt only if the core gave no target.
 */
function requestTarget(req: SimRequest<OciState>): string {
  if (req.target !== undefined) return req.target;
  const mount = new URL(req.baseUrl).pathname.replace(/\/$/, '');
  const query = req.query.toString();
  return `${mount}${req.path}${query ? `?${query}` : ''}`;
}

const encodePage = (kind: string, offset: number): string => Buffer.from(`${kind}:${offset}`).toString('base64url');
function decodePage(kind: string, token: string | null): number | undefined {
  if (token === null) return 0;
  const m = new RegExp(`^${kind}:(\\d+)$`).exec(Buffer.from(token, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

/** One page of `all`: bare array, `opc-next-page` while more remain. */
function page<T>(req: SimRequest<OciState>, kind: string, all: readonly T[]): SimResponse {
  const rawLimit = req.query.get('limit');
  const limit = rawLimit === null ? 1000 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return bad('limit must be an integer between 1 and 1000');
  const start = decodePage(kind, req.query.get('page'));
  if (start === undefined) return bad('Invalid page token');
  const size = Math.min(limit, req.state.pageSize);
  // An empty-page fault answers "nothing here, nothing more" (no opc-next-page).
  if (req.emptyPage) return json([]);
  const items = all.slice(start, start + size);
  const next = start + items.length;
  return json(items, 200, next < all.length ? { 'opc-next-page': encodePage(kind, next) } : undefined);
}

/** The compartment a list call names: the tenancy or one of its compartments, else 404 as OCI answers. */
function compartmentOf(req: SimRequest<OciState>): string | SimResponse {
  const id = req.query.get('compartmentId');
  if (!id) return ociError(400, 'compartmentId is required');
  if (id !== req.state.tenancyId && !req.state.compartments.some((c) => c.id === id)) return ociError(404);
  if (req.state.refusedCompartments.includes(id) && !req.path.endsWith('/compartments')) return ociError(404);
  return id;
}

function listCompartments(req: SimRequest<OciState>): SimResponse {
  const parent = compartmentOf(req);
  if (isResponse(parent)) return parent;
  const subtree = req.query.get('compartmentIdInSubtree') === 'true';
  // Identity ListCompartments: compartmentIdInSubtree is only valid on the tenancy, and then needs accessLevel.
  if (subtree && parent !== req.state.tenancyId) return bad('compartmentIdInSubtree can only be used with the root compartment');
  const access = req.query.get('accessLevel') ?? 'ANY';
  if (!['ANY', 'ACCESSIBLE'].includes(access)) return bad('accessLevel must be ANY or ACCESSIBLE');
  const all = req.state.compartments.filter((c) => (subtree || c.compartmentId === parent) && (access === 'ANY' || c.isAccessible));
  return page(req, 'compartments', all);
}

function listInstances(req: SimRequest<OciState>): SimResponse {
  const id = compartmentOf(req);
  if (isResponse(id)) return id;
  // A listing is a poll: its first page moves the compartment's instances on towards what they were asked for.
  if (req.query.get('page') === null) advanceInstances(req.state, id);
  const state = req.query.get('lifecycleState');
  const ad = req.query.get('availabilityDomain');
  const all = req.state.instances.filter(
    (i) => i.compartmentId === id && (!state || i.lifecycleState === state) && (!ad || i.availabilityDomain === ad),
  );
  return page(req, 'instances', all);
}

function listShapes(req: SimRequest<OciState>): SimResponse {
  const id = compartmentOf(req);
  if (isResponse(id)) return id;
  return page(req, 'shapes', ociShapes());
}

function listClusters(req: SimRequest<OciState>): SimResponse {
  const id = compartmentOf(req);
  if (isResponse(id)) return id;
  return page(
    req,
    'clusters',
    req.state.clusters.filter((c) => c.compartmentId === id),
  );
}

function listAutonomousDatabases(req: SimRequest<OciState>): SimResponse {
  const id = compartmentOf(req);
  if (isResponse(id)) return id;
  return page(
    req,
    'adbs',
    req.state.databases.filter((d) => d.compartmentId === id),
  );
}

function getTenancy(req: SimRequest<OciState>): SimResponse {
  if (req.params.tenancyId !== req.state.tenancyId) return ociError(404);
  return json({
    id: req.state.tenancyId,
    name: req.state.tenancyName,
    description: 'simulated tenancy',
    homeRegionKey: OCI_REGION.regionKey,
    freeformTags: {},
    definedTags: {},
  });
}

function listRegionSubscriptions(req: SimRequest<OciState>): SimResponse {
  if (req.params.tenancyId !== req.state.tenancyId) return ociError(404);
  return json(req.state.subscriptions);
}

/** A compartment and, on request, all below it. */
function scope(state: OciState, root: string, subtree: boolean): Set<string> {
  const ids = new Set([root]);
  for (let grew = subtree; grew;) {
    grew = false;
    for (const c of state.compartments) if (ids.has(c.compartmentId) && !ids.has(c.id)) grew = Boolean(ids.add(c.id));
  }
  return ids;
}

function summarizeMetricsData(req: SimRequest<OciState>): SimResponse {
  const id = compartmentOf(req);
  if (isResponse(id)) return id;
  const subtree = req.query.get('compartmentIdInSubtree') === 'true';
  if (subtree && id !== req.state.tenancyId) return bad('compartmentIdInSubtree is only allowed when compartmentId is the tenancy');
  if (subtree && req.state.metricsTenancyWideRefused) return ociError(404);
  const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
  const { namespace, query, startTime, endTime } = body;
  if (typeof namespace !== 'string' || typeof query !== 'string') return bad('namespace and query are required');
  const mql = parseMql(query);
  if (!mql) return bad(`Invalid query: ${query}`);
  const resolution = typeof body.resolution === 'string' ? body.resolution : '1m';
  const resolutionMs = durationMs(resolution);
  if (resolutionMs === undefined) return bad(`Invalid resolution ${resolution}`);
  const endMs = typeof endTime === 'string' ? Date.parse(endTime) : NaN;
  const startMs = typeof startTime === 'string' ? Date.parse(startTime) : endMs - 3_600_000;
  if (Number.isNaN(startMs) || Number.isNaN(endMs) || startMs >= endMs)
    return bad('startTime and endTime must be ISO dates, startTime first');
  const inScope = scope(req.state, id, subtree);
  const instances = req.state.instances.filter((i) => inScope.has(i.compartmentId));
  const databases = req.state.databases.filter((d) => inScope.has(d.compartmentId));
  const answer = summarize({
    seed: req.state.seed,
    namespace,
    query: mql,
    startMs,
    endMs,
    resolutionMs,
    resolution,
    instances,
    databases,
    gpuPlugin: req.state.gpuPlugin,
    gpuDimensions: req.state.gpuDimensions,
  });
  return typeof answer === 'string' ? bad(answer) : json(answer);
}

function priceList(req: SimRequest<OciState>): SimResponse {
  const currency = req.query.get('currencyCode');
  const part = req.query.get('partNumber');
  const list = oraclePriceList(new Date(SIM_EPOCH).toISOString());
  const items = (list.items as { partNumber: string; currencyCodeLocalizations: { currencyCode: string }[] }[])
    .filter((i) => !part || i.partNumber === part)
    .map((i) => ({ ...i, currencyCodeLocalizations: i.currencyCodeLocalizations.filter((l) => !currency || l.currencyCode === currency) }));
  return json({ lastUpdated: list.lastUpdated, items });
}

export function ociCloud(options: OciCloudOptions = {}): SimCloud {
  const creds = ociTestCredentials();
  return defineCloud<OciState>({
    id: options.id ?? 'oci',
    testKey: creds.keyId,
    testEnv: {
      OCI_CLI_TENANCY: creds.tenancy,
      OCI_CLI_USER: creds.user,
      OCI_CLI_FINGERPRINT: creds.fingerprint,
      OCI_CLI_REGION: OCI_REGION.regionName,
      OCI_CLI_KEY_CONTENT: creds.privateKeyPem,
    },
    ...simKnobs(options),
    createState: (seed) => ({
      keys: [creds.keyId],
      publicKeys: { [creds.keyId]: creds.publicKeyPem },
      ...generateOciAccount(seed, creds.tenancy, options),
      pageSize: options.pageSize ?? 25,
      requests: 0,
      seed,
      gpuPlugin: options.gpuPlugin ?? true,
      gpuDimensions: options.gpuDimensions ?? 'resourceId',
      metricsTenancyWideRefused: false,
      tenancyName: 'sim-tenancy',
      refusedCompartments: [],
      readOnlyKeys: [],
      writes: [],
      pending: new Map(),
      pollsToSettle: 2,
      subscriptions: REGIONS.slice(0, Math.max(1, Math.min(REGIONS.length, options.regions ?? 2))).map(([regionKey, regionName], i) => ({
        regionKey,
        regionName,
        status: 'READY' as const,
        isHomeRegion: i === 0,
      })),
    }),
    routes: new Router<OciState>()
      .get('/20160918/compartments', listCompartments)
      .get('/20160918/tenancies/:tenancyId/regionSubscriptions', listRegionSubscriptions)
      .get('/20160918/tenancies/:tenancyId', getTenancy)
      .get('/20160918/instances', listInstances)
      .post('/20160918/instances/:instanceId', instanceAction)
      .get('/20160918/shapes', listShapes)
      .get('/20160918/autonomousDatabases', listAutonomousDatabases)
      .get('/20180222/clusters', listClusters)
      .post('/20180401/metrics/actions/summarizeMetricsData', summarizeMetricsData)
      .get('/pls/apex/cetools/api/v1/products', priceList, { public: true })
      .get('/a/ocom/docs/cloudestimator2/data/shapes.json', () => json(oracleEstimatorShapes()), { public: true }),
    auth: ociSignatureAuth<OciState>(requestTarget, (_req, status) => ociError(status)),
    error: (status, _req, message) => ociError(status, message),
    // opc-request-id on every API answer; OCI's own answer echoes the client's id with its own parts appended.
    // The price list lives on another server (apexapps.oracle.com), which sends none.
    decorate: (res, req) => {
      if (req.route?.startsWith('/pls/') || req.route?.startsWith('/a/ocom/')) return res;
      const client = req.headers['opc-request-id'];
      const id = `${typeof client === 'string' ? `${client}/` : ''}SIM${(++req.state.requests).toString(16).toUpperCase().padStart(8, '0')}`;
      return { ...res, headers: { ...res.headers, 'opc-request-id': id } };
    },
  });
}
