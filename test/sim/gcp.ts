// The simulated Google Cloud for the REAL Google Node libraries (google-gax REST fallback, google-auth-library) and for
// plain fetch, on plain http at the root of its own port (`ownPort`: gax builds `protocol://host:port/path`, no prefix).
// Every service shares that one origin under its real paths, as the provider's endpoint override sends them:
//   GET  /v3/projects:search, /v3/projects/:p, /v1/projects/:p                  Resource Manager (v3; v1 get)
//   GET  /compute/v1/projects/:p/aggregated/instances                           Compute Engine (short pages, warnings)
//   GET  /compute/v1/projects/:p/zones/:zone/machineTypes/:type
//   POST /compute/v1/projects/:p/zones/:zone/instances/:instance/stop | /start   (gcp-writes.ts: zone Operations,
//   GET  /compute/v1/projects/:p/zones/:zone/operations/:operation              the VM moving over a few listings,
//   POST /compute/v1/projects/:p/zones/:zone/operations/:operation/wait         a read-only account's 403)
//   GET  /v1/projects/:p/locations/:location/clusters                           GKE (no paging)
//   GET  /v2/projects/:p/locations/:location/functions                          Cloud Functions v2 (gen1 + gen2)
//   GET  /v2/projects/:p/locations/:location/services                           Cloud Run Admin API v2 (paged)
//   GET  /v3/projects/:p/timeSeries                                             Cloud Monitoring (gcp-monitoring.ts)
//   GET  /v1/services, /v1/services/:service/skus                               Cloud Billing Catalog (gcp-billing.ts)
//   POST /token, /v1/token, /v1/oauthtoken, /v1/introspect                      OAuth 2 and STS, public (gcp-login.ts)
// Bearer tokens: those the token endpoints issued, GCLOUD_TOKEN (the gcloud stand-in's), and self-signed service
// account JWTs (what GoogleAuth sends for a key file). Errors are Google's envelope (gcp-errors.ts); with
// `$alt=json;enum-encoding=int` (what numericEnums clients add) every enum in an answer is a number.
import {
  generateGcpProjects,
  defaultOpsAgent,
  gcpMachineType,
  instanceBody,
  machineTypeBody,
  regionOf,
  GCP_ZONES,
  type GcpCluster,
  type GcpFunction,
  type GcpInstance,
  type GcpProject,
  type GcpRunService,
} from './gcp-data';
import {
  GCP_BILLING_SERVICES,
  GCP_COMPUTE_SERVICE,
  gcpCorePrice,
  gcpGpuIsSlice,
  gcpGpuPrice,
  gcpRamPrice,
  gcpSkus,
  skuJson,
  type GcpUsage,
} from './gcp-billing';
import { gcpError, GCP_SERVICE_INFO, permissionDenied, rateLimited, serviceDisabled, unauthenticated, type GcpService } from './gcp-errors';
import {
  createLoginState,
  GCLOUD_TOKEN,
  oauthToken,
  selfSignedJwtValid,
  stsIntrospect,
  stsOauthToken,
  stsToken,
  removeServiceAccountKeyFile,
  writeServiceAccountKeyFile,
  type GcpLoginState,
} from './gcp-login';
import { listTimeSeries, parseMonitoringFilter, type MonitoringState } from './gcp-monitoring';
import { advanceOperations, getOperation, instanceAction, waitOperation, type GcpWriteState } from './gcp-writes';
import { presentedBearer } from './auth';
import { Router } from './router';
import {
  defineCloud,
  json,
  simKnobs,
  type AuthResult,
  type SimCloud,
  type SimCloudOptions,
  type SimRequest,
  type SimResponse,
} from './types';

export {
  GCP_ACCELERATORS,
  GCP_MACHINE_TYPES,
  GCP_ZONES,
  GCE_STATUSES,
  gcpMachineType,
  gcpProjectIdentity,
  gpuUuid,
  regionOf,
  type GcpAccelerator,
  type GcpCluster,
  type GcpFunction,
  type GcpInstance,
  type GcpMachineType,
  type GcpNodePool,
  type GcpProject,
  type GcpProvisioning,
  type GcpRunService,
  type GceStatus,
} from './gcp-data';
export {
  GCP_METRICS,
  gcpDistribution,
  gcpMetricDef,
  gcpMetricValue,
  gcpSeriesFor,
  gcpSeriesKey,
  gkeNodeIdle,
  functionResourceName,
  parseMonitoringFilter,
  type GcpSeries,
  type MonitoringQuery,
} from './gcp-monitoring';
export { GCP_COMPUTE_SERVICE, gcpCorePrice, gcpGpuIsSlice, gcpGpuPrice, gcpRamPrice, gcpSkus, type GcpUsage } from './gcp-billing';
export { GCP_SERVICE_INFO, RETRY_DELAY_SECONDS, type GcpService } from './gcp-errors';
export {
  CLOUD_PLATFORM_SCOPE,
  GCLOUD_TOKEN,
  GCP_CLIENT_ID,
  GCP_CLIENT_SECRET,
  GCP_REFRESH_TOKEN,
  GCP_SUBJECT_TOKEN,
  GCP_WORKFORCE_AUDIENCE,
  GCP_WORKFORCE_CLIENT_ID,
  GCP_WORKFORCE_CLIENT_SECRET,
  GCP_WORKFORCE_REFRESH_TOKEN,
  GOOGLE_TOKEN_URL,
  gcpAuthorizedUser,
  gcpExternalAccount,
  gcpExternalAccountAuthorizedUser,
  gcpServiceAccount,
  gcpServiceAccountKey,
  gcpWorkloadAudience,
  installFakeGcloud,
  writeServiceAccountKeyFile,
  type FakeGcloudOptions,
  type GcpServiceAccount,
  type TokenRequestRecord,
} from './gcp-login';

export const GCP_TEST_KEY = 'sim-gcp-service-account';

/** The SKUs a provisioning model pays (none for RESERVATION_BOUND: the sim's catalogue has no calendar-mode SKU). */
const USAGE_OF: Readonly<Record<GcpInstance['provisioningModel'], GcpUsage | undefined>> = {
  STANDARD: 'OnDemand',
  SPOT: 'Preemptible',
  FLEX_START: 'FlexStart',
  RESERVATION_BOUND: undefined,
};

/**
 * What a GPU VM costs per hour at the sim's catalogue prices: its GPUs plus its machine type's cores and memory (an A4
 * or A4X: its GPU slices, which include them), at the SKUs of its provisioning model and region; the flex-start GPU
 * alone where the catalogue has no flex-start core or RAM for the family; undefined for a VM without GPUs, or without
 * a catalogue price (reservation-bound).
 */
export function gcpVmListedPrice(vm: GcpInstance): number | undefined {
  const usage = USAGE_OF[vm.provisioningModel];
  if (!vm.acceleratorType || !usage) return undefined;
  const region = regionOf(vm.zone);
  const shape = gcpMachineType(vm.machineType);
  const gpu = gcpGpuPrice(vm.acceleratorType, region, usage);
  if (gpu === undefined || !shape) return undefined;
  if (gcpGpuIsSlice(vm.acceleratorType)) return gpu * vm.acceleratorCount;
  const core = gcpCorePrice(shape.family, region, usage);
  const ram = gcpRamPrice(shape.family, region, usage);
  if (usage === 'FlexStart' && (core === undefined || ram === undefined)) return gpu * vm.acceleratorCount;
  if (core === undefined || ram === undefined) return undefined;
  return gpu * vm.acceleratorCount + core * shape.guestCpus + ram * (shape.memoryMb / 1024);
}

export interface GcpState extends GcpLoginState, MonitoringState, GcpWriteState {
  /** ACTIVE projects, then one DELETE_REQUESTED project. */
  projects: GcpProject[];
  /** Instances per aggregated-list page (clients ask for more: maxResults 500). */
  pageSize: number;
  /** Functions per Cloud Functions page. */
  functionPageSize: number;
  /** SKUs per Billing Catalog page. */
  skuPageSize: number;
  /** Project ids whose every API call answers 403 PERMISSION_DENIED (they are still listed by projects:search). */
  refusedProjects: string[];
  /** Project id → API hosts never enabled there (`cloudfunctions.googleapis.com`, …): 403 SERVICE_DISABLED. */
  disabledApis: Record<string, string[]>;
  /** Bearer tokens that answer 401 from now on. */
  revokedTokens: string[];
  /** Every distinct x-goog-user-project header value seen. */
  userProjects: string[];
  /** Machine-type lookups by `<zone>/<type>`. */
  machineTypeCalls: Record<string, number>;
  /** Answers by route kind (`instances.aggregatedList`, `timeSeries.list`, …; `unknown` for unmatched paths). */
  calls: Record<string, number>;
  /**
   * Zones an outage makes unreachable: the aggregated list leaves their instances out and names them in `unreachables`
   * (with returnPartialSuccess; without it, 503 — cloud.google.com/compute/docs/reference/rest/v1/instances/aggregatedList),
   * GKE in `missingZones` (cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters/list),
   * Cloud Functions and Cloud Run by their region in `unreachable` (projects/p/locations/r; the exact form of an entry is
   * UNCONFIRMED, a reader takes its last segment).
   */
  unreachableZones: string[];
}

export interface GcpCloudOptions extends SimCloudOptions {
  /** ACTIVE projects (default 2); a DELETE_REQUESTED one is always added. */
  readonly projects?: number;
  /** Instances per page of the aggregated list (default 4). */
  readonly pageSize?: number;
  /** Time series per Monitoring page (default 20). */
  readonly seriesPageSize?: number;
  /** SKUs per Billing Catalog page (default 40). */
  readonly skuPageSize?: number;
  /** More VMs in one zone of one project (default the first), e.g. 1000 for benchmarks. */
  readonly extraInstances?: { readonly project?: number; readonly zone: string; readonly count: number };
}

interface RouteInfo {
  readonly kind: string;
  readonly service: GcpService | 'oauth';
  readonly method: string;
}

const ROUTES: Readonly<Record<string, RouteInfo>> = {
  '/v3/projects:search': {
    kind: 'projects.search',
    service: 'cloudresourcemanager',
    method: 'google.cloud.resourcemanager.v3.Projects.SearchProjects',
  },
  '/v3/projects/:project': {
    kind: 'projects.get',
    service: 'cloudresourcemanager',
    method: 'google.cloud.resourcemanager.v3.Projects.GetProject',
  },
  '/v1/projects/:project': {
    kind: 'projects.getV1',
    service: 'cloudresourcemanager',
    method: 'google.cloudresourcemanager.v1.Projects.GetProject',
  },
  '/compute/v1/projects/:project/aggregated/instances': {
    kind: 'instances.aggregatedList',
    service: 'compute',
    method: 'compute.v1.InstancesService.AggregatedList',
  },
  '/compute/v1/projects/:project/zones/:zone/machineTypes/:type': {
    kind: 'machineTypes.get',
    service: 'compute',
    method: 'compute.v1.MachineTypesService.Get',
  },
  '/compute/v1/projects/:project/zones/:zone/instances/:instance/stop': {
    kind: 'instances.stop',
    service: 'compute',
    method: 'compute.v1.InstancesService.Stop',
  },
  '/compute/v1/projects/:project/zones/:zone/instances/:instance/start': {
    kind: 'instances.start',
    service: 'compute',
    method: 'compute.v1.InstancesService.Start',
  },
  '/compute/v1/projects/:project/zones/:zone/operations/:operation': {
    kind: 'zoneOperations.get',
    service: 'compute',
    method: 'compute.v1.ZoneOperationsService.Get',
  },
  '/compute/v1/projects/:project/zones/:zone/operations/:operation/wait': {
    kind: 'zoneOperations.wait',
    service: 'compute',
    method: 'compute.v1.ZoneOperationsService.Wait',
  },
  '/v1/projects/:project/locations/:location/clusters': {
    kind: 'clusters.list',
    service: 'container',
    method: 'google.container.v1.ClusterManager.ListClusters',
  },
  '/v2/projects/:project/locations/:location/functions': {
    kind: 'functions.list',
    service: 'cloudfunctions',
    method: 'google.cloud.functions.v2.FunctionService.ListFunctions',
  },
  '/v2/projects/:project/locations/:location/services': {
    kind: 'services.run.list',
    service: 'run',
    method: 'google.cloud.run.v2.Services.ListServices',
  },
  '/v3/projects/:project/timeSeries': {
    kind: 'timeSeries.list',
    service: 'monitoring',
    method: 'google.monitoring.v3.MetricService.ListTimeSeries',
  },
  '/v1/services': { kind: 'services.list', service: 'cloudbilling', method: 'google.cloud.billing.v1.CloudCatalog.ListServices' },
  '/v1/services/:service/skus': { kind: 'skus.list', service: 'cloudbilling', method: 'google.cloud.billing.v1.CloudCatalog.ListSkus' },
  '/token': { kind: 'oauth.token', service: 'oauth', method: '' },
  '/v1/token': { kind: 'sts.token', service: 'oauth', method: '' },
  '/v1/oauthtoken': { kind: 'sts.oauthtoken', service: 'oauth', method: '' },
  '/v1/introspect': { kind: 'sts.introspect', service: 'oauth', method: '' },
};

const routeInfo = (req: SimRequest<GcpState>): RouteInfo | undefined => (req.route ? ROUTES[req.route] : undefined);
const serviceOf = (req: SimRequest<GcpState>): GcpService | undefined => {
  const s = routeInfo(req)?.service;
  return s === 'oauth' ? undefined : s;
};

/** numericEnums clients add `$alt=json;enum-encoding=int`; then enums go out as their numbers. */
const intEnums = (req: SimRequest<GcpState>): boolean => /enum-encoding=int/.test(req.query.get('$alt') ?? '');
const enumOut = (req: SimRequest<GcpState>, name: string, table: Readonly<Record<string, number>>): string | number =>
  intEnums(req) ? (table[name] ?? 0) : name;

const token = (offset: number): string => Buffer.from(`o:${offset}`).toString('base64url');
function offsetOf(raw: string | null): number | undefined {
  if (!raw) return 0;
  const m = /^o:(\d+)$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

// ---- auth --------------------------------------------------------------------------------------------------------

function auth(req: SimRequest<GcpState>): AuthResult {
  const svc = serviceOf(req);
  const compute = svc === 'compute';
  const method = routeInfo(req)?.method ?? '';
  const quota = req.headers['x-goog-user-project'];
  if (typeof quota === 'string' && !req.state.userProjects.includes(quota)) req.state.userProjects.push(quota);
  const bearer = presentedBearer(req);
  if (!bearer) return { ok: false, response: unauthenticated(svc, 'CREDENTIALS_MISSING', method, compute) };
  if (req.state.revokedTokens.includes(bearer))
    return { ok: false, response: unauthenticated(svc, 'ACCESS_TOKEN_TYPE_UNSUPPORTED', method, compute) };
  if (req.state.keys.includes(bearer)) return { ok: true, credential: bearer };
  if (req.state.issuedTokens.includes(bearer)) {
    // A token stands for the principal it was issued to: gone (a deleted key) it is refused, stripped of its roles 403.
    if (req.state.keys.includes(req.state.principal)) return { ok: true, credential: bearer };
    if ((req.state.forbiddenKeys ?? []).includes(req.state.principal))
      return { ok: false, response: gcpError(403, 'The caller does not have permission', { compute }) };
    return { ok: false, response: unauthenticated(svc, 'ACCESS_TOKEN_TYPE_UNSUPPORTED', method, compute) };
  }
  if (selfSignedJwtValid(req.state, bearer)) {
    req.state.selfSignedJwtCalls += 1;
    return { ok: true };
  }
  if ((req.state.forbiddenKeys ?? []).includes(bearer))
    return { ok: false, response: gcpError(403, 'The caller does not have permission', { compute }) };
  return { ok: false, response: unauthenticated(svc, 'ACCESS_TOKEN_TYPE_UNSUPPORTED', method, compute) };
}

// ---- projects ----------------------------------------------------------------------------------------------------

const findProject = (state: GcpState, idOrNumber: string): GcpProject | undefined =>
  state.projects.find((p) => p.projectId === idOrNumber || p.number === idOrNumber);

/** What each service says to a caller without the permission (Google never tells whether the project exists). */
function refusal(service: GcpService, project: string, req: SimRequest<GcpState>): SimResponse {
  switch (service) {
    case 'compute': {
      const permission = req.route?.includes('machineTypes') ? 'compute.machineTypes.get' : 'compute.instances.list';
      return permissionDenied(
        'compute',
        permission,
        `projects/${project}`,
        `Required '${permission}' permission for 'projects/${project}'`,
        true,
      );
    }
    case 'monitoring':
      return permissionDenied(
        'monitoring',
        'monitoring.timeSeries.list',
        `projects/${project}`,
        'Permission monitoring.timeSeries.list denied (or the resource may not exist).',
        false,
      );
    case 'container':
      return permissionDenied(
        'container',
        'container.clusters.list',
        `projects/${project}`,
        `Required "container.clusters.list" permission(s) for "projects/${project}".`,
        false,
      );
    case 'run': {
      const resource = `projects/${project}/locations/${req.params.location ?? '-'}`;
      return permissionDenied(
        'run',
        'run.services.list',
        resource,
        `Permission 'run.services.list' denied on resource '${resource}'`,
        false,
      );
    }
    case 'cloudfunctions': {
      const resource = `projects/${project}/locations/${req.params.location ?? '-'}`;
      return permissionDenied(
        'cloudfunctions',
        'cloudfunctions.functions.list',
        resource,
        `Permission 'cloudfunctions.functions.list' denied on '${resource}/functions'`,
        false,
      );
    }
    default:
      return permissionDenied(service, 'resourcemanager.projects.get', `projects/${project}`, 'The caller does not have permission', false);
  }
}

/** The project a request names, readable with this service; else the answer Google gives. */
function projectFor(req: SimRequest<GcpState>, service: GcpService): GcpProject | SimResponse {
  const name = req.params.project ?? '';
  const p = findProject(req.state, name);
  const compute = service === 'compute';
  if (!p) return compute ? gcpError(404, `The resource 'projects/${name}' was not found`, { compute }) : refusal(service, name, req);
  if (p.state !== 'ACTIVE') {
    return gcpError(
      403,
      `Project ${p.number} has been scheduled for deletion and cannot be used for API calls. Visit https://console.developers.google.com/iam-admin/projects?pendingDeletion=true to undelete the project.`,
      {
        compute,
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'USER_PROJECT_DENIED',
            domain: 'googleapis.com',
            metadata: { consumer: `projects/${p.number}`, service: GCP_SERVICE_INFO[service].host },
          },
        ],
      },
    );
  }
  if ((req.state.disabledApis[p.projectId] ?? []).includes(GCP_SERVICE_INFO[service].host))
    return serviceDisabled(service, p.number, compute);
  if (req.state.refusedProjects.includes(p.projectId) || req.state.refusedProjects.includes(p.number)) return refusal(service, name, req);
  return p;
}

const isAnswer = (v: GcpProject | SimResponse): v is SimResponse => !('projectId' in v);

const PROJECT_STATE = { ACTIVE: 1, DELETE_REQUESTED: 2 } as const;

function projectV3(req: SimRequest<GcpState>, p: GcpProject): object {
  return {
    name: `projects/${p.number}`,
    parent: p.parent,
    projectId: p.projectId,
    state: enumOut(req, p.state, PROJECT_STATE),
    displayName: p.displayName,
    createTime: p.createTime,
    updateTime: p.createTime,
    ...(p.state === 'DELETE_REQUESTED' ? { deleteTime: '2026-10-30T09:12:44.081Z' } : {}),
    etag: `W/"${Buffer.from(p.number).toString('base64').slice(0, 12)}"`,
    labels: p.labels,
  };
}

/** `query` of projects:search: `key:value` terms (AND, or space, between them) on the fields the sim knows. */
function searchPredicate(query: string): ((p: GcpProject) => boolean) | string {
  const terms = query.split(/\s+AND\s+|\s+/i).filter(Boolean);
  const tests: ((p: GcpProject) => boolean)[] = [];
  for (const term of terms) {
    const m = /^([\w.]+)[:=](.*)$/.exec(term);
    if (!m) return `Invalid query: ${term}`;
    const value = m[2].replace(/^"(.*)"$/, '$1');
    const key = m[1].toLowerCase();
    if (key === 'state' || key === 'lifecyclestate') tests.push((p) => p.state === value.toUpperCase());
    else if (key === 'id' || key === 'projectid') tests.push((p) => p.projectId === value);
    else if (key === 'name' || key === 'displayname') tests.push((p) => p.displayName === value);
    else if (key === 'parent') tests.push((p) => p.parent === value);
    else if (key.startsWith('labels.')) tests.push((p) => (value === '*' ? key.slice(7) in p.labels : p.labels[key.slice(7)] === value));
    else return `Invalid query field: ${m[1]}`;
  }
  return (p) => tests.every((t) => t(p));
}

function searchProjects(req: SimRequest<GcpState>): SimResponse {
  const predicate = searchPredicate(req.query.get('query') ?? '');
  if (typeof predicate === 'string') return gcpError(400, predicate);
  const offset = offsetOf(req.query.get('pageToken'));
  if (offset === undefined) return gcpError(400, 'Request contains an invalid argument.');
  if (req.emptyPage) return json({});
  const size = Math.min(Number(req.query.get('pageSize') ?? '') || 50, 500);
  const all = req.state.projects.filter(predicate);
  const page = all.slice(offset, offset + size);
  if (page.length === 0) return json({});
  return json({
    projects: page.map((p) => projectV3(req, p)),
    ...(offset + page.length < all.length ? { nextPageToken: token(offset + page.length) } : {}),
  });
}

function getProjectV3(req: SimRequest<GcpState>): SimResponse {
  const p = projectFor(req, 'cloudresourcemanager');
  return isAnswer(p) ? p : json(projectV3(req, p));
}

function getProjectV1(req: SimRequest<GcpState>): SimResponse {
  const p = projectFor(req, 'cloudresourcemanager');
  if (isAnswer(p)) return p;
  const [type, id] = p.parent.split('/');
  return json({
    projectNumber: p.number,
    projectId: p.projectId,
    lifecycleState: enumOut(req, p.state, PROJECT_STATE),
    name: p.displayName,
    createTime: p.createTime,
    labels: p.labels,
    parent: { type: type.replace(/s$/, ''), id },
  });
}

// ---- Compute Engine ----------------------------------------------------------------------------------------------

/**
 * The aggregated list's pages at a page size: instances in zone order, and (as Compute now and then does) one page
 * with no instances at all but a nextPageToken, when there are more than three pages.
 */
function aggregatedPages(p: GcpProject, size: number): string[][] {
  const ids = p.zones.flatMap((z) => p.instances.filter((vm) => vm.zone === z).map((vm) => vm.id));
  const pages: string[][] = [];
  for (let i = 0; i < ids.length; i += size) pages.push(ids.slice(i, i + size));
  if (pages.length > 3) pages.splice(2, 0, []);
  return pages.length > 0 ? pages : [[]];
}

function aggregatedInstances(req: SimRequest<GcpState>): SimResponse {
  const p = projectFor(req, 'compute');
  if (isAnswer(p)) return p;
  const maxRaw = req.query.get('maxResults');
  const max = maxRaw === null ? 500 : Number(maxRaw);
  if (!Number.isInteger(max) || max < 0 || max > 500)
    return gcpError(400, `Invalid value for field 'maxResults': '${maxRaw}'. Must be less than or equal to 500`, { compute: 'invalid' });
  let pageIndex = 0;
  let size = Math.max(1, Math.min(max || 500, req.state.pageSize));
  const raw = req.query.get('pageToken');
  // A listing (its first page) is one step of every stop or start under way in the project.
  if (!raw) advanceOperations(req.state, p.projectId);
  if (raw) {
    const m = /^agg:(\d+):(\d+)$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
    if (!m) return gcpError(400, `Invalid value for field 'pageToken': '${raw}'. Invalid page token.`, { compute: 'invalid' });
    pageIndex = Number(m[1]);
    size = Number(m[2]);
  }
  const down = req.state.unreachableZones.filter((z) => p.zones.includes(z));
  if (down.length > 0 && req.query.get('returnPartialSuccess') !== 'true')
    return gcpError(503, `The zone 'projects/${p.projectId}/zones/${down[0]}' is currently unavailable.`, { compute: true });
  const pages = req.emptyPage ? [[]] : aggregatedPages(p, size);
  const onPage = new Set(pages[pageIndex] ?? []);
  const items: Record<string, object> = {};
  for (const zone of p.zones) {
    if (down.includes(zone)) continue;
    const here = p.instances.filter((vm) => vm.zone === zone && onPage.has(vm.id));
    items[`zones/${zone}`] =
      here.length > 0
        ? { instances: here.map((vm) => instanceBody(p.projectId, vm)) }
        : {
            warning: {
              code: 'NO_RESULTS_ON_PAGE',
              message: `There are no results for scope 'zones/${zone}' on this page.`,
              data: [{ key: 'scope', value: `zones/${zone}` }],
            },
          };
  }
  const next =
    !req.emptyPage && pageIndex + 1 < pages.length ? Buffer.from(`agg:${pageIndex + 1}:${size}`).toString('base64url') : undefined;
  return json({
    kind: 'compute#instanceAggregatedList',
    id: `projects/${p.projectId}/aggregated/instances`,
    items,
    ...(next ? { nextPageToken: next } : {}),
    selfLink: `https://www.googleapis.com/compute/v1/projects/${p.projectId}/aggregated/instances`,
    ...(down.length > 0 ? { unreachables: down.map((z) => `zones/${z}`) } : {}),
  });
}

function getMachineType(req: SimRequest<GcpState>): SimResponse {
  const { zone, type } = req.params;
  const key = `${zone}/${type}`;
  req.state.machineTypeCalls[key] = (req.state.machineTypeCalls[key] ?? 0) + 1;
  const p = projectFor(req, 'compute');
  if (isAnswer(p)) return p;
  if (!(GCP_ZONES as readonly string[]).includes(zone) && !p.zones.includes(zone))
    return gcpError(404, `The resource 'projects/${p.projectId}/zones/${zone}' was not found`, { compute: true });
  const mt = gcpMachineType(type);
  if (!mt)
    return gcpError(404, `The resource 'projects/${p.projectId}/zones/${zone}/machineTypes/${type}' was not found`, { compute: true });
  return json(machineTypeBody(p.projectId, zone, mt));
}

/** The project of a Compute write or operation request, found and readable, then the handler (gcp-writes.ts). */
const inComputeProject =
  (handler: (req: SimRequest<GcpState>, p: GcpProject) => SimResponse) =>
  (req: SimRequest<GcpState>): SimResponse => {
    const p = projectFor(req, 'compute');
    return isAnswer(p) ? p : handler(req, p);
  };

// ---- GKE ---------------------------------------------------------------------------------------------------------

const CLUSTER_STATUS = { PROVISIONING: 1, RUNNING: 2, RECONCILING: 3, STOPPING: 4, ERROR: 5, DEGRADED: 6 } as const;
const POOL_STATUS = { PROVISIONING: 1, RUNNING: 2, RUNNING_WITH_ERROR: 3, RECONCILING: 4, STOPPING: 5, ERROR: 6 } as const;
const GKE_VERSION = '1.31.3-gke.1535000';

function clusterBody(req: SimRequest<GcpState>, p: GcpProject, c: GcpCluster): object {
  const base = `https://container.googleapis.com/v1/projects/${p.projectId}/locations/${c.location}/clusters/${c.name}`;
  const nodes = c.status === 'PROVISIONING' ? 0 : c.nodePools.reduce((n, pool) => n + pool.initialNodeCount * c.locations.length, 0);
  return {
    name: c.name,
    description: c.description,
    nodePools: c.nodePools.map((pool) => ({
      name: pool.name,
      config: {
        machineType: pool.machineType,
        diskSizeGb: pool.diskSizeGb,
        oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
        metadata: { 'disable-legacy-endpoints': 'true' },
        imageType: 'COS_CONTAINERD',
        serviceAccount: 'default',
        diskType: 'pd-balanced',
        ...(pool.spot ? { spot: true } : {}),
        ...(pool.accelerator
          ? {
              accelerators: [
                {
                  acceleratorCount: String(pool.accelerator.count),
                  acceleratorType: pool.accelerator.type,
                  gpuDriverInstallationConfig: { gpuDriverVersion: enumOut(req, 'DEFAULT', { DEFAULT: 2 }) },
                },
              ],
            }
          : {}),
      },
      initialNodeCount: pool.initialNodeCount,
      ...(pool.autoscaling
        ? { autoscaling: { enabled: true, ...pool.autoscaling, locationPolicy: enumOut(req, 'BALANCED', { BALANCED: 1, ANY: 2 }) } }
        : {}),
      management: { autoUpgrade: true, autoRepair: true },
      maxPodsConstraint: { maxPodsPerNode: '110' },
      podIpv4CidrSize: 24,
      locations: c.locations,
      selfLink: `${base}/nodePools/${pool.name}`,
      version: GKE_VERSION,
      status: enumOut(req, pool.status, POOL_STATUS),
      instanceGroupUrls: c.locations.map(
        (z) =>
          `https://www.googleapis.com/compute/v1/projects/${p.projectId}/zones/${z}/instanceGroupManagers/gke-${c.name}-${pool.name}-${c.id.slice(0, 8)}-grp`,
      ),
      etag: c.id.slice(8, 20),
    })),
    locations: c.locations,
    network: 'default',
    subnetwork: 'default',
    loggingService: 'logging.googleapis.com/kubernetes',
    monitoringService: 'monitoring.googleapis.com/kubernetes',
    clusterIpv4Cidr: '10.4.0.0/14',
    servicesIpv4Cidr: '34.118.224.0/20',
    selfLink: base,
    zone: c.location,
    ...(c.status === 'PROVISIONING' ? {} : { endpoint: c.endpoint }),
    initialClusterVersion: GKE_VERSION,
    currentMasterVersion: GKE_VERSION,
    currentNodeVersion: GKE_VERSION,
    createTime: c.createTime,
    status: enumOut(req, c.status, CLUSTER_STATUS),
    ...(c.statusMessage ? { statusMessage: c.statusMessage, conditions: [{ message: c.statusMessage }] } : {}),
    currentNodeCount: nodes,
    location: c.location,
    id: c.id,
    resourceLabels: c.resourceLabels,
    labelFingerprint: c.id.slice(0, 16),
    releaseChannel: { channel: enumOut(req, 'REGULAR', { RAPID: 1, REGULAR: 2, STABLE: 3, EXTENDED: 4 }) },
    etag: c.id.slice(4, 16),
  };
}

function listClusters(req: SimRequest<GcpState>): SimResponse {
  const p = projectFor(req, 'container');
  if (isAnswer(p)) return p;
  const loc = req.params.location;
  const down = req.state.unreachableZones;
  const clusters = req.emptyPage
    ? []
    : p.clusters.filter(
        (c) => (loc === '-' || c.location === loc) && !down.includes(c.location) && !c.locations.every((z) => down.includes(z)),
      );
  // Google's JSON leaves empty lists out: a project without clusters answers `{}`.
  const missing = down.length > 0 ? { missingZones: [...down] } : {};
  return json(clusters.length === 0 ? missing : { clusters: clusters.map((c) => clusterBody(req, p, c)), ...missing });
}

// ---- Cloud Functions ---------------------------------------------------------------------------------------------

const FUNCTION_STATE = { ACTIVE: 1, FAILED: 2, DEPLOYING: 3, DELETING: 4, UNKNOWN: 5 } as const;
const ENVIRONMENT = { GEN_1: 1, GEN_2: 2 } as const;
const RUN_REGION_CODE: Readonly<Record<string, string>> = {
  'us-central1': 'uc',
  'us-east1': 'ue',
  'europe-west4': 'ez',
  'asia-east1': 'de',
};
const slug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40) || 'fn';

function functionBody(req: SimRequest<GcpState>, p: GcpProject, fn: GcpFunction): object {
  const name = `projects/${p.projectId}/locations/${fn.region}/functions/${fn.name}`;
  const url = `https://${fn.region}-${p.projectId}.cloudfunctions.net/${encodeURIComponent(fn.name)}`;
  const gen2 = fn.environment === 'GEN_2';
  return {
    name,
    description: fn.description,
    buildConfig: {
      build: `projects/${p.number}/locations/${fn.region}/builds/${fn.hash}-${fn.revision.slice(-3)}`,
      runtime: fn.runtime,
      entryPoint: /^[a-z-]+$/.test(fn.name) ? fn.name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) : 'handler',
      source: {
        storageSource: {
          bucket: `gcf-v2-sources-${p.number}-${fn.region}`,
          object: `${slug(fn.name)}/function-source.zip`,
          generation: '1761990000000000',
        },
      },
      dockerRepository: `projects/${p.projectId}/locations/${fn.region}/repositories/gcf-artifacts`,
      automaticUpdatePolicy: {},
    },
    serviceConfig: {
      ...(gen2 ? { service: `projects/${p.projectId}/locations/${fn.region}/services/${fn.name}`, revision: fn.revision } : {}),
      timeoutSeconds: fn.timeoutSeconds,
      environmentVariables: { LOG_EXECUTION_ID: 'true' },
      maxInstanceCount: fn.maxInstanceCount,
      ingressSettings: enumOut(req, 'ALLOW_ALL', { ALLOW_ALL: 1, ALLOW_INTERNAL_ONLY: 2, ALLOW_INTERNAL_AND_GCLB: 3 }),
      uri: gen2 ? `https://${slug(fn.name)}-${fn.hash}-${RUN_REGION_CODE[fn.region] ?? 'uc'}.a.run.app` : url,
      serviceAccountEmail: `${p.number}-compute@developer.gserviceaccount.com`,
      availableMemory: fn.availableMemory,
      allTrafficOnLatestRevision: true,
      ...(gen2 ? { maxInstanceRequestConcurrency: 1, availableCpu: '0.1666' } : {}),
    },
    state: enumOut(req, fn.state, FUNCTION_STATE),
    updateTime: fn.updateTime,
    labels: fn.labels,
    environment: enumOut(req, fn.environment, ENVIRONMENT),
    url,
    stateMessages:
      fn.state === 'FAILED'
        ? [
            {
              severity: enumOut(req, 'ERROR', { ERROR: 1, WARNING: 2, INFO: 3 }),
              type: 'BuildFailed',
              message:
                'Build failed with status: FAILURE. Could not build the function due to a missing dependency. For more details see the logs at https://console.cloud.google.com/cloud-build/builds.',
            },
          ]
        : [],
    satisfiesPzi: true,
  };
}

function listFunctions(req: SimRequest<GcpState>): SimResponse {
  const p = projectFor(req, 'cloudfunctions');
  if (isAnswer(p)) return p;
  const offset = offsetOf(req.query.get('pageToken'));
  if (offset === undefined) return gcpError(400, 'Invalid page token.');
  const loc = req.params.location;
  const downRegions = [...new Set(req.state.unreachableZones.map(regionOf))];
  const all = req.emptyPage ? [] : p.functions.filter((fn) => (loc === '-' || fn.region === loc) && !downRegions.includes(fn.region));
  const size = Math.max(1, Math.min(Number(req.query.get('pageSize') ?? '') || req.state.functionPageSize, req.state.functionPageSize));
  const page = all.slice(offset, offset + size);
  const unreachable = downRegions.map((r) => `projects/${p.projectId}/locations/${r}`);
  if (page.length === 0) return json(unreachable.length > 0 ? { unreachable } : {});
  return json({
    functions: page.map((fn) => functionBody(req, p, fn)),
    ...(offset + page.length < all.length ? { nextPageToken: token(offset + page.length) } : {}),
    unreachable,
  });
}

// ---- Cloud Run ---------------------------------------------------------------------------------------------------

const RUN_CONDITION = { CONDITION_PENDING: 1, CONDITION_RECONCILING: 2, CONDITION_FAILED: 3, CONDITION_SUCCEEDED: 4 } as const;

/** A Cloud Run v2 Service (cloud.google.com/run/docs/reference/rest/v2/projects.locations.services#Service). */
function runServiceBody(req: SimRequest<GcpState>, p: GcpProject, svc: GcpRunService): object {
  const name = `projects/${p.projectId}/locations/${svc.region}/services/${svc.name}`;
  const ready = svc.state === 'CONDITION_SUCCEEDED';
  const uri = `https://${svc.name}-${svc.hash}-${RUN_REGION_CODE[svc.region] ?? 'uc'}.a.run.app`;
  const failed = svc.state === 'CONDITION_FAILED';
  return {
    name,
    uid: svc.uid,
    generation: '3',
    labels: {},
    createTime: svc.createTime,
    updateTime: svc.createTime,
    creator: `ci@${p.projectId}.iam.gserviceaccount.com`,
    lastModifier: `ci@${p.projectId}.iam.gserviceaccount.com`,
    client: 'gcloud',
    clientVersion: '502.0.0',
    ingress: enumOut(req, 'INGRESS_TRAFFIC_ALL', { INGRESS_TRAFFIC_ALL: 1, INGRESS_TRAFFIC_INTERNAL_ONLY: 2 }),
    launchStage: enumOut(req, 'GA', { GA: 7 }),
    template: {
      scaling: { minInstanceCount: svc.minInstances, maxInstanceCount: svc.maxInstances },
      timeout: '300s',
      serviceAccount: `${p.number}-compute@developer.gserviceaccount.com`,
      containers: [
        {
          image: svc.image,
          ports: [{ name: 'http1', containerPort: 8080 }],
          resources: {
            limits: { cpu: svc.cpu, memory: svc.memory, ...(svc.gpu ? { 'nvidia.com/gpu': String(svc.gpu.count) } : {}) },
            cpuIdle: !svc.gpu,
            startupCpuBoost: true,
          },
          startupProbe: { timeoutSeconds: 240, periodSeconds: 240, failureThreshold: 1, tcpSocket: { port: 8080 } },
        },
      ],
      maxInstanceRequestConcurrency: svc.gpu ? 4 : 80,
      ...(svc.gpu ? { nodeSelector: { accelerator: svc.gpu.type }, gpuZonalRedundancyDisabled: true } : {}),
    },
    traffic: [{ type: enumOut(req, 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', { TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST: 2 }), percent: 100 }],
    observedGeneration: '3',
    terminalCondition: {
      type: 'Ready',
      state: enumOut(req, svc.state, RUN_CONDITION),
      ...(failed
        ? {
            message: `Revision '${svc.revision}' is not ready and cannot serve traffic. The user-provided container failed to start and listen on the port defined provided by the PORT=8080 environment variable within the allocated timeout.`,
            reason: enumOut(req, 'CONTAINER_MISSING', { CONTAINER_MISSING: 14 }),
          }
        : {}),
      lastTransitionTime: svc.createTime,
    },
    conditions: [
      {
        type: 'RoutesReady',
        state: enumOut(req, ready ? 'CONDITION_SUCCEEDED' : svc.state, RUN_CONDITION),
        lastTransitionTime: svc.createTime,
      },
      { type: 'ConfigurationsReady', state: enumOut(req, svc.state, RUN_CONDITION), lastTransitionTime: svc.createTime },
    ],
    latestReadyRevision: ready ? `${name}/revisions/${svc.revision}` : undefined,
    latestCreatedRevision: `${name}/revisions/${svc.revision}`,
    trafficStatuses: ready
      ? [{ type: enumOut(req, 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', { TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST: 2 }), percent: 100 }]
      : [],
    uri,
    urls: [uri, `https://${svc.name}-${p.number}.${svc.region}.run.app`],
    reconciling: svc.state === 'CONDITION_RECONCILING',
    etag: `"${svc.hash}"`,
  };
}

/**
 * A 2nd gen function's own Cloud Run service, as the Cloud Run list shows it too (docs.cloud.google.com/run/docs/functions/comparison).
 * Its `goog-managed-by: cloudfunctions` label is UNCONFIRMED; the function's serviceConfig.service names it for sure.
 */
function functionServiceBody(req: SimRequest<GcpState>, p: GcpProject, fn: GcpFunction): object {
  const body = runServiceBody(req, p, {
    name: fn.name,
    region: fn.region,
    state: fn.state === 'ACTIVE' ? 'CONDITION_SUCCEEDED' : fn.state === 'FAILED' ? 'CONDITION_FAILED' : 'CONDITION_RECONCILING',
    image: `${fn.region}-docker.pkg.dev/${p.projectId}/gcf-artifacts/${fn.name}:version_1`,
    cpu: '0.1666',
    memory: fn.availableMemory,
    minInstances: 0,
    maxInstances: fn.maxInstanceCount,
    createTime: fn.updateTime,
    revision: fn.revision,
    hash: fn.hash,
    uid: fn.hash,
  }) as Record<string, unknown>;
  return { ...body, labels: { 'goog-managed-by': 'cloudfunctions' } };
}

function listRunServices(req: SimRequest<GcpState>): SimResponse {
  const p = projectFor(req, 'run');
  if (isAnswer(p)) return p;
  const offset = offsetOf(req.query.get('pageToken'));
  if (offset === undefined) return gcpError(400, 'Invalid page token.');
  const loc = req.params.location;
  const downRegions = [...new Set(req.state.unreachableZones.map(regionOf))];
  const here = (region: string) => (loc === '-' || region === loc) && !downRegions.includes(region);
  const all = req.emptyPage
    ? []
    : [
        ...p.runServices.filter((svc) => here(svc.region)).map((svc) => () => runServiceBody(req, p, svc)),
        ...p.functions
          .filter((fn) => fn.environment === 'GEN_2' && /^[a-z][a-z0-9-]*$/.test(fn.name) && here(fn.region))
          .map((fn) => () => functionServiceBody(req, p, fn)),
      ];
  const size = Math.max(1, Math.min(Number(req.query.get('pageSize') ?? '') || req.state.functionPageSize, req.state.functionPageSize));
  const page = all.slice(offset, offset + size);
  const unreachable = downRegions.map((r) => `projects/${p.projectId}/locations/${r}`);
  if (page.length === 0) return json(unreachable.length > 0 ? { unreachable } : {});
  return json({
    services: page.map((body) => body()),
    ...(offset + page.length < all.length ? { nextPageToken: token(offset + page.length) } : {}),
    ...(unreachable.length > 0 ? { unreachable } : {}),
  });
}

// ---- Monitoring --------------------------------------------------------------------------------------------------

function timeSeries(req: SimRequest<GcpState>): SimResponse {
  const p = projectFor(req, 'monitoring');
  if (isAnswer(p)) {
    const filter = req.query.get('filter') ?? '';
    const parsed = parseMonitoringFilter(filter);
    req.state.monitoringQueries.push({
      project: req.params.project,
      metricType: typeof parsed === 'string' ? '' : parsed.metricType,
      resourceType: typeof parsed === 'string' ? '' : (parsed.resourceType ?? ''),
      filter,
      ...(req.query.get('pageToken') ? { pageToken: req.query.get('pageToken')! } : {}),
      status: p.status ?? 403,
    });
    return p;
  }
  const result = listTimeSeries(req.state, p, req.query, intEnums(req), req.emptyPage);
  return result.status === 200 ? json(result.body) : gcpError(result.status, String(result.body));
}

// ---- Billing Catalog ---------------------------------------------------------------------------------------------

function listServices(req: SimRequest<GcpState>): SimResponse {
  return req.emptyPage ? json({}) : json({ services: GCP_BILLING_SERVICES, nextPageToken: '' });
}

function listSkus(req: SimRequest<GcpState>): SimResponse {
  const currency = req.query.get('currencyCode') ?? 'USD';
  if (currency !== '' && currency !== 'USD') return gcpError(400, `Currency code ${currency} is not supported.`);
  const offset = offsetOf(req.query.get('pageToken'));
  if (offset === undefined) return gcpError(400, 'Invalid page token.');
  if (!/^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/.test(req.params.service)) return gcpError(404, `Service ${req.params.service} not found.`);
  const all = req.params.service === GCP_COMPUTE_SERVICE && !req.emptyPage ? gcpSkus() : [];
  const size = Math.max(1, Math.min(Number(req.query.get('pageSize') ?? '') || 5000, req.state.skuPageSize));
  const page = all.slice(offset, offset + size);
  const ints = intEnums(req);
  return json({
    skus: page.map((s) => skuJson(s, ints)),
    nextPageToken: offset + page.length < all.length ? token(offset + page.length) : '',
  });
}

// ---- the cloud ---------------------------------------------------------------------------------------------------

export function createGcpState(seed: number, options: GcpCloudOptions = {}): GcpState {
  const projects = generateGcpProjects(seed, options);
  return {
    keys: [GCLOUD_TOKEN, options.key ?? GCP_TEST_KEY],
    forbiddenKeys: [],
    ...createLoginState(seed, options.key ?? GCP_TEST_KEY),
    projects,
    pageSize: options.pageSize ?? 4,
    functionPageSize: 5,
    seriesPageSize: options.seriesPageSize ?? 20,
    skuPageSize: options.skuPageSize ?? 40,
    refusedProjects: [],
    disabledApis: {},
    revokedTokens: [],
    userProjects: [],
    opsAgent: defaultOpsAgent(projects),
    gkeGpuMetrics: 'system',
    monitoringQueries: [],
    machineTypeCalls: {},
    calls: {},
    unreachableZones: [],
    writes: [],
    operations: [],
    readOnlyKeys: [],
  };
}

const DEFAULT_MESSAGES: Readonly<Record<number, string>> = {
  400: 'Request contains an invalid argument.',
  403: 'The caller does not have permission',
  404: 'Requested entity was not found.',
  409: 'The operation was aborted.',
  500: 'Internal error encountered.',
  502: 'Bad Gateway',
  503: 'The service is currently unavailable.',
  504: 'The request timed out. Please try again.',
};

function cloudError(status: number, req: SimRequest<GcpState>, message: string): SimResponse {
  const info = routeInfo(req);
  if (info?.service === 'oauth') {
    return json(
      {
        error: status >= 500 ? 'internal_failure' : status === 429 ? 'rate_limit_exceeded' : 'invalid_request',
        error_description: DEFAULT_MESSAGES[status] ?? message,
      },
      status,
    );
  }
  if (req.route === null) return gcpError(404, `The requested URL ${req.path} was not found on this server.`);
  const svc = info?.service ?? 'compute';
  const compute = svc === 'compute';
  if (status === 401) return unauthenticated(svc, 'ACCESS_TOKEN_TYPE_UNSUPPORTED', info?.method ?? '', compute);
  if (status === 429) return rateLimited(svc, findProject(req.state, req.params.project ?? '')?.number, compute);
  return gcpError(status, DEFAULT_MESSAGES[status] ?? message, { compute });
}

export function gcpCloud(options: GcpCloudOptions = {}): SimCloud {
  return defineCloud<GcpState>({
    id: options.id ?? 'gcp',
    testKey: options.key ?? GCP_TEST_KEY,
    testEnv: (baseUrl) => ({ GOOGLE_APPLICATION_CREDENTIALS: writeServiceAccountKeyFile(baseUrl) }),
    cleanup: removeServiceAccountKeyFile,
    ...simKnobs(options),
    ownPort: true,
    createState: (seed) => createGcpState(seed, options),
    routes: new Router<GcpState>()
      .post('/token', oauthToken, { public: true })
      .post('/v1/token', stsToken, { public: true })
      .post('/v1/oauthtoken', stsOauthToken, { public: true })
      .post('/v1/introspect', stsIntrospect, { public: true })
      .get('/v3/projects:search', searchProjects)
      .get('/v3/projects/:project/timeSeries', timeSeries)
      .get('/v3/projects/:project', getProjectV3)
      .get('/v1/projects/:project', getProjectV1)
      .get('/compute/v1/projects/:project/aggregated/instances', aggregatedInstances)
      .get('/compute/v1/projects/:project/zones/:zone/machineTypes/:type', getMachineType)
      .post(
        '/compute/v1/projects/:project/zones/:zone/instances/:instance/stop',
        inComputeProject((req, p) => instanceAction(req, p, 'stop')),
      )
      .post(
        '/compute/v1/projects/:project/zones/:zone/instances/:instance/start',
        inComputeProject((req, p) => instanceAction(req, p, 'start')),
      )
      .get('/compute/v1/projects/:project/zones/:zone/operations/:operation', inComputeProject(getOperation))
      .post('/compute/v1/projects/:project/zones/:zone/operations/:operation/wait', inComputeProject(waitOperation))
      .get('/v1/projects/:project/locations/:location/clusters', listClusters)
      .get('/v2/projects/:project/locations/:location/functions', listFunctions)
      .get('/v2/projects/:project/locations/:location/services', listRunServices)
      .get('/v1/services', listServices)
      .get('/v1/services/:service/skus', listSkus),
    auth,
    error: cloudError,
    decorate: (res, req) => {
      const kind = routeInfo(req)?.kind ?? 'unknown';
      req.state.calls[kind] = (req.state.calls[kind] ?? 0) + 1;
      return res;
    },
  });
}
