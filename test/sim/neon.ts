// The simulated Neon API v2, mounted so `sim.endpoint('neon')` plays https://console.neon.tech/api/v2
// (npm @neondatabase/api-client 2.7.3 public-v2-for-users.gen.yaml; neondatabase/neonctl src/api.ts), with the
// quirks a client must cope with:
//   GET /users/me/organizations        → { organizations }   a personal key: all its orgs; an org key: its own
//   GET /projects?limit&cursor&org_id  → { projects, pagination: { cursor }, applications, integrations }
//                                        cursor on EVERY page, the short last page included; past the end an empty
//                                        page echoes the cursor back. A personal key without org_id gets 400
//                                        "org_id is required" (personal accounts were moved into organizations)
//   GET /projects/:id                  → { project } with the billing-period counters the list lacks
//   GET /projects/:id/branches?limit&cursor&sort_by&sort_order
//                                      → { branches, annotations, pagination: { next?, sort_by, sort_order } }
//                                        no limit: every branch; `next` also on the last page unless turned off
//   GET /projects/:id/endpoints        → { endpoints }       unpaginated
//   GET /projects/shared?limit&cursor  → { projects, pagination: { cursor } }   projects other accounts shared with
//                                        the user, paged like /projects; an org key gets 403 (orgKeyLookup)
//   GET /consumption_history/v2/projects → per-project compute-unit seconds (neon-consumption.ts); 403 on Free
//   an org API key's GET /users/me/organizations → 403 "not allowed for organization API keys" (what neonctl saw,
//                                        the default) or, with orgKeyLookup 'owning-org', its own org (what spec 2.7.3 says)
//   errors                             → { request_id, code: "", message }; request_id echoes X-Request-ID;
//                                        429 without Retry-After or RateLimit headers (none are documented)
//   documentedLimits                   → 429 past 700 requests in any minute per account, or 40 in any second per
//                                        route (neondatabase/website content/docs/reference/api-reference.md),
//                                        counted as sliding windows (the strictest reading), rejected calls included;
//                                        off by default so ordinary tests never see a 429 they did not ask for
import { checkKey, presentedBearer } from './auth';
import { consumptionHistory } from './neon-consumption';
import { generateAccount, type NeonAccount, type SimBranch, type SimOrg, type SimProject } from './neon-data';
import { Router } from './router';
import { advanceEndpoints, endpointAction, type NeonWriteState } from './neon-writes';
import { Rng } from './seed';
import { defineCloud, json, type SimCloud, type SimCloudOptions, type SimRequest, type SimResponse, simKnobs } from './types';

export {
  buildBranch,
  buildEndpoint,
  buildProject,
  buildUsage,
  type SimBranch,
  type SimEndpoint,
  type SimOrg,
  type SimProject,
} from './neon-data';

export interface NeonState extends NeonWriteState, NeonAccount {
  /** Organization API keys → the org each belongs to (accepted besides `keys`, which are personal keys). */
  orgKeys: Record<string, string>;
  /** `GET /projects` without `org_id` from a personal key answers 400, as the real API does since the org migration. */
  orgRequired: boolean;
  /** Send `pagination.next` on the last branch page too (whether Neon does is unconfirmed). */
  branchNextOnLastPage: boolean;
  /** Listed as `unavailable_project_ids` on the first project page. */
  unavailableProjectIds: string[];
  /** Numbers request ids for answers without an X-Request-ID. */
  requests: number;
  /**
   * What an organization API key gets from user-scoped calls (`/users/me/organizations`, `/projects/shared`):
   * 'forbidden', neonctl's observed 403 "not allowed for organization API keys" (its mocks/org-key), or
   * 'owning-org', spec 2.7.3's "returns the single organization that owns the key" (shared: none).
   */
  orgKeyLookup: 'forbidden' | 'owning-org';
  /** Enforce NEON_LIMITS (uses the clock). */
  documentedLimits: boolean;
  /** Arrival times (ms) per account and per `account route`, for documentedLimits. */
  arrivals: Map<string, number[]>;
}

/** Neon's documented budget: 700 requests a minute per account, bursts up to 40 a second per route. */
export const NEON_LIMITS = { perMinute: 700, perRouteSecond: 40 } as const;

export const NEON_ORG_KEY_LIMITED = 'not allowed for organization API keys';

export interface NeonCloudOptions extends SimCloudOptions {
  /** Organizations the personal key belongs to (default 1). */
  readonly orgs?: number;
  /** Branches per project at most (default 4, `main` included). */
  readonly maxBranches?: number;
  /** Projects other accounts shared with the user (default 1). */
  readonly shared?: number;
  /** Answer 429 past Neon's documented limits (NEON_LIMITS). */
  readonly documentedLimits?: boolean;
}

export const NEON_DEFAULT_KEY = 'napi_SIMULATED_NEON_KEY_00000000000000000000000000000000000000';
export const NEON_LOCKED_MESSAGE = 'project already has running conflicting operations, scheduling of new ones is prohibited';
export const NEON_ORG_REQUIRED = 'org_id is required, you can find it on your organization settings page';

const MESSAGES: Readonly<Record<number, string>> = {
  401: 'authentication required',
  403: 'permission denied',
  404: 'not found',
  423: NEON_LOCKED_MESSAGE,
  429: 'too many requests',
  500: 'internal server error',
  503: 'service temporarily unavailable',
};

/** Neon's GeneralError body. `code` is required but usually empty. */
export function neonError(
  req: SimRequest<NeonState> | undefined,
  status: number,
  message = MESSAGES[status] ?? `HTTP ${status}`,
): SimResponse {
  const header = req?.headers['x-request-id'];
  const requestId = typeof header === 'string' && header !== '' ? header : `sim-${req ? ++req.state.requests : 0}`;
  return json({ request_id: requestId, code: '', message }, status);
}

const encode = (kind: string, index: number) => Buffer.from(`${kind}:${index}`).toString('base64url');
function decode(kind: string, cursor: string | null): number | null {
  if (cursor === null) return 0;
  const m = new RegExp(`^${kind}:(\\d+)$`).exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
}

/** `limit` within [1, max], `fallback` when absent, null when invalid. */
function limitOf(req: SimRequest<NeonState>, max: number, fallback: number | undefined): number | undefined | null {
  const raw = req.query.get('limit');
  if (raw === null) return fallback;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= max ? n : null;
}

/** The org a request may see: `org_id`, else the org key's own; undefined for a personal key without one. */
function orgScope(req: SimRequest<NeonState>): { org?: string } | SimResponse {
  const keyOrg = req.credential ? req.state.orgKeys[req.credential] : undefined;
  const asked = req.query.get('org_id') ?? undefined;
  if (asked !== undefined && !req.state.orgs.some((o) => o.id === asked)) return neonError(req, 404, `organization ${asked} not found`);
  if (asked !== undefined && keyOrg !== undefined && asked !== keyOrg)
    return neonError(req, 403, 'the API key is not allowed to access this organization');
  return { org: asked ?? keyOrg };
}

function visibleProject(req: SimRequest<NeonState>): SimProject | SimResponse {
  const keyOrg = req.credential ? req.state.orgKeys[req.credential] : undefined;
  const project =
    req.state.projects.find((p) => p.id === req.params.id && (keyOrg === undefined || p.org_id === keyOrg)) ??
    (keyOrg === undefined ? req.state.sharedProjects.find((p) => p.id === req.params.id) : undefined);
  return project ?? neonError(req, 404, `project ${req.params.id} not found`);
}
const isResponse = (value: object): value is SimResponse => 'status' in value && typeof (value as SimResponse).status === 'number';

/** Shared projects: the user's, so an org key may not list them. Paged like /projects (cursor on every page). */
function listSharedProjects(req: SimRequest<NeonState>): SimResponse {
  const keyOrg = req.credential ? req.state.orgKeys[req.credential] : undefined;
  if (keyOrg !== undefined && req.state.orgKeyLookup === 'forbidden') return neonError(req, 403, NEON_ORG_KEY_LIMITED);
  const limit = limitOf(req, 400, 10);
  if (limit === null) return neonError(req, 400, 'limit must be between 1 and 400');
  const start = decode('s', req.query.get('cursor'));
  if (start === null) return neonError(req, 400, 'invalid cursor');
  const all = keyOrg === undefined ? req.state.sharedProjects : [];
  const page = req.emptyPage ? [] : all.slice(start, start + limit!);
  const cursor = page.length > 0 ? encode('s', start + page.length) : req.query.get('cursor');
  return json({ projects: page, ...(cursor ? { pagination: { cursor } } : {}) });
}

function listProjects(req: SimRequest<NeonState>): SimResponse {
  const scope = orgScope(req);
  if (isResponse(scope)) return scope;
  const keyOrg = req.credential ? req.state.orgKeys[req.credential] : undefined;
  if (scope.org === undefined && keyOrg === undefined && req.state.orgRequired) return neonError(req, 400, NEON_ORG_REQUIRED);
  const limit = limitOf(req, 400, 10);
  if (limit === null) return neonError(req, 400, 'limit must be between 1 and 400');
  const start = decode('p', req.query.get('cursor'));
  if (start === null) return neonError(req, 400, 'invalid cursor');
  const all = req.state.projects.filter((p) => p.org_id === scope.org || (scope.org === undefined && p.org_id === undefined));
  const page = req.emptyPage ? [] : all.slice(start, start + limit!);
  const cursor = page.length > 0 ? encode('p', start + page.length) : req.query.get('cursor');
  const unavailable =
    start === 0 && req.state.unavailableProjectIds.length > 0 ? { unavailable_project_ids: req.state.unavailableProjectIds } : {};
  return json({ projects: page, ...(cursor ? { pagination: { cursor } } : {}), applications: {}, integrations: {}, ...unavailable });
}

const SORTS: Readonly<Record<string, (b: SimBranch) => string>> = {
  updated_at: (b) => b.updated_at,
  created_at: (b) => b.created_at,
  name: (b) => b.name,
};

function listBranches(req: SimRequest<NeonState>): SimResponse {
  const project = visibleProject(req);
  if (isResponse(project)) return project;
  const sortBy = req.query.get('sort_by') ?? 'updated_at';
  const order = req.query.get('sort_order') ?? 'desc';
  if (!SORTS[sortBy] || (order !== 'asc' && order !== 'desc')) return neonError(req, 400, 'invalid sort parameters');
  const limit = limitOf(req, 10_000, undefined);
  if (limit === null) return neonError(req, 400, 'limit must be between 1 and 10000');
  const start = decode('b', req.query.get('cursor'));
  if (start === null) return neonError(req, 400, 'invalid cursor');
  const key = SORTS[sortBy];
  const compare = (a: SimBranch, b: SimBranch) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const sorted = [...(req.state.branches[project.id] ?? [])].sort((a, b) => (order === 'asc' ? 1 : -1) * compare(a, b));
  const page = req.emptyPage ? [] : limit === undefined ? sorted.slice(start) : sorted.slice(start, start + limit);
  const end = start + page.length;
  const more = limit !== undefined && page.length > 0 && (end < sorted.length || req.state.branchNextOnLastPage);
  return json({
    branches: page,
    annotations: {},
    pagination: { ...(more ? { next: encode('b', end) } : {}), sort_by: sortBy, sort_order: order },
  });
}

/** Counts one arrival in `key`'s window and says whether the window already held `limit`. */
function overLimit(state: NeonState, key: string, windowMs: number, limit: number, now: number): boolean {
  const recent = (state.arrivals.get(key) ?? []).filter((t) => now - t < windowMs);
  recent.push(now);
  state.arrivals.set(key, recent);
  return recent.length > limit;
}

/** Neon's limits per account (the key) and per route, when enforced; both windows count every call. */
function metered<S extends NeonState>(handler: (req: SimRequest<S>) => SimResponse) {
  return (req: SimRequest<S>): SimResponse => {
    const { state } = req;
    if (!state.documentedLimits) return handler(req);
    const now = performance.now();
    const account = req.credential ?? '';
    const overMinute = overLimit(state, account, 60_000, NEON_LIMITS.perMinute, now);
    const overRoute = overLimit(state, `${account} ${req.route ?? req.path}`, 1000, NEON_LIMITS.perRouteSecond, now);
    return overMinute || overRoute ? neonError(req, 429) : handler(req);
  };
}

function createState(seed: number, o: NeonCloudOptions, key: string): NeonState {
  const account = generateAccount(new Rng(seed), {
    projects: o.count ?? 6,
    orgs: o.orgs ?? 1,
    maxBranches: o.maxBranches ?? 4,
    shared: o.shared ?? 1,
    hostile: o.hostile ?? false,
  });
  return {
    keys: [key],
    orgKeys: {},
    orgRequired: true,
    branchNextOnLastPage: true,
    unavailableProjectIds: [],
    requests: 0,
    orgKeyLookup: 'forbidden',
    documentedLimits: o.documentedLimits ?? false,
    arrivals: new Map(),
    readOnlyKeys: [],
    writes: [],
    pending: new Map(),
    pollsToSettle: 2,
    operations: 0,
    ...account,
  };
}

export function neonCloud(options: NeonCloudOptions = {}): SimCloud {
  const id = options.id ?? 'neon';
  const key = options.key ?? NEON_DEFAULT_KEY;
  const routes = new Router<NeonState>()
    .get(
      '/users/me/organizations',
      metered((req) => {
        const keyOrg = req.credential ? req.state.orgKeys[req.credential] : undefined;
        if (keyOrg !== undefined && req.state.orgKeyLookup === 'forbidden') return neonError(req, 403, NEON_ORG_KEY_LIMITED);
        const orgs: SimOrg[] = keyOrg ? req.state.orgs.filter((o) => o.id === keyOrg) : req.state.orgs;
        return json({ organizations: orgs });
      }),
    )
    .get('/projects', metered(listProjects))
    .get('/projects/shared', metered(listSharedProjects))
    .get(
      '/consumption_history/v2/projects',
      metered((req) => consumptionHistory(req, neonError)),
    )
    .get(
      '/projects/:id',
      metered((req) => {
        const project = visibleProject(req);
        if (isResponse(project)) return project;
        return json({
          project: {
            ...project,
            ...req.state.usage[project.id],
            history_retention_seconds: 86_400,
            owner: { name: 'Sim User', email: 'dev@example.com', branches_limit: 5000, subscription_type: 'launch' },
          },
        });
      }),
    )
    .get('/projects/:id/branches', metered(listBranches))
    .get(
      '/projects/:id/endpoints',
      metered((req) => {
        const project = visibleProject(req);
        if (isResponse(project)) return project;
        advanceEndpoints(req.state, project.id);
        return json({ endpoints: req.emptyPage ? [] : (req.state.endpoints[project.id] ?? []) });
      }),
    )
    .post('/projects/:id/endpoints/:endpoint/suspend', metered(endpointAction('suspend', visibleProject, neonError)))
    .post('/projects/:id/endpoints/:endpoint/start', metered(endpointAction('start', visibleProject, neonError)));
  return defineCloud<NeonState>({
    id,
    testKey: key,
    ...simKnobs(options),
    createState: (seed) => createState(seed, options, key),
    routes,
    auth: (req) => {
      const presented = presentedBearer(req);
      if (presented && req.state.orgKeys[presented]) return { ok: true, credential: presented };
      return checkKey(req, presented, { unauthorized: (r) => neonError(r, 401), forbidden: (r) => neonError(r, 403) });
    },
    error: (status, req, message) => neonError(req, status, MESSAGES[status] ?? message),
  });
}
