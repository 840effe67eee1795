// Neon API v2 (https://console.neon.tech/api/v2; OpenAPI public-v2-for-users.gen.yaml in npm
// @neondatabase/api-client 2.7.3): the wire types Cloudtop reads and the calls that fetch them.
// Calls go through the core HTTP client, not @neondatabase/api-client: that client is axios with its own
// transport, so it would bypass the collector's limiter, retry and abort rules (and add axios to the bundle).
// Errors are `{request_id, code, message}` with `code` often ""; core/transport/http.ts's default reader takes `message`.
// Two pagination shapes: projects use `pagination.cursor` (returned on every page, the last one included, so
// a short page ends the listing as in neonctl); branches use `pagination.next`. Endpoints are not paginated.
import type { HttpClient } from '../../core/transport/http';
import type { Logger } from '../../core/model/log';
import { collectPages, type PageResult } from '../../core/transport/paginate';
import { record, requiredList } from '../../core/transport/wire';

/** `GET /projects` item (ProjectListItem). Only the fields Cloudtop reads; every one may be missing or odd. */
export interface WireProject {
  id: string;
  name?: string;
  region_id?: string;
  pg_version?: number;
  created_at?: string;
  /** Wall-clock seconds the project's computes were active in the current billing period. */
  active_time?: number;
  /** Bytes: logical data plus WAL history of all branches. */
  synthetic_storage_size?: number;
  /** Omitted when no compute of the project was ever active. */
  compute_last_active_at?: string;
  maintenance_starts_at?: string;
  org_id?: string;
  org_name?: string;
}

/** `GET /projects/{id}/branches` item. The usage counters are the branch's own. */
export interface WireBranch {
  id: string;
  project_id?: string;
  parent_id?: string;
  name?: string;
  /** BranchState, a free string: init | resetting | ready | archived. */
  current_state?: string;
  pending_state?: string;
  /** Bytes. */
  logical_size?: number;
  created_at?: string;
  default?: boolean;
  protected?: boolean;
  expires_at?: string;
  compute_time_seconds?: number;
  active_time_seconds?: number;
  written_data_bytes?: number;
  data_transfer_bytes?: number;
}

/** `GET /projects/{id}/endpoints` item: a compute. `host` is marked x-sensitive in the spec and is not read. */
export interface WireEndpoint {
  id: string;
  project_id?: string;
  branch_id?: string;
  name?: string;
  region_id?: string;
  /** read_write | read_only */
  type?: string;
  /** EndpointState: init | active | idle. */
  current_state?: string;
  pending_state?: string;
  /** Compute units (1 CU ≈ 1 vCPU, 4 GB RAM); ≥ 0.25, fractions allowed. */
  autoscaling_limit_min_cu?: number;
  autoscaling_limit_max_cu?: number;
  /** Seconds idle before scale to zero: 0 = the default, -1 = never. */
  suspend_timeout_seconds?: number;
  disabled?: boolean;
  last_active?: string;
  started_at?: string;
  suspended_at?: string;
  created_at?: string;
}

export interface WireOrganization {
  id: string;
  name?: string;
}

/**
 * Neon's 403 message for a call an organization API key may not make: `/users/me/organizations` and user-scoped lists
 * such as `/projects/shared` (neondatabase/neonctl src/commands/link.ts ORG_KEY_LIMITED_FRAGMENT, and its mocks
 * mocks/org-key/users/me/organizations/GET.js: 403 `{code: "", message: "not allowed for organization API keys"}`).
 */
export const ORG_KEY_LIMITED = 'not allowed for organization API keys';

export interface NeonApi {
  /** The caller's organizations; for an org or project API key, the one that owns the key. */
  listOrganizations(signal: AbortSignal): Promise<WireOrganization[]>;
  /** Every project, of one organization (`org_id`) or, with `undefined`, of whatever the key implies. */
  listProjects(orgId: string | undefined, signal: AbortSignal): Promise<WireProject[]>;
  /** Projects other accounts shared with the user (`GET /projects/shared`), paged like `/projects`. */
  listSharedProjects(signal: AbortSignal): Promise<WireProject[]>;
  listBranches(projectId: string, signal: AbortSignal): Promise<WireBranch[]>;
  listEndpoints(projectId: string, signal: AbortSignal): Promise<WireEndpoint[]>;
  /** One cheap authenticated call: the first project of an organization (or of what the key implies). */
  checkAccess(orgId: string | undefined, signal: AbortSignal): Promise<void>;
  /**
   * Suspends or starts a compute: `POST /projects/{project_id}/endpoints/{endpoint_id}/suspend` or `/start`
   * (https://api-docs.neon.tech/reference/suspendprojectendpoint, /startprojectendpoint), answered with the endpoint
   * and the operations Neon queued (`suspend_compute`, `start_compute`). A write: retried only after a 429.
   */
  endpointAction(projectId: string, endpointId: string, action: 'suspend' | 'start', signal: AbortSignal): Promise<void>;
}

/** neonctl's page size for projects (src/commands/projects.ts): Neon keeps short-page ends working for its own CLI. */
export const PROJECTS_PAGE_LIMIT = 100;
/** Branches per page; the API allows 1–10,000. Most projects fit in one page. */
export const BRANCHES_PAGE_LIMIT = 100;

/** The `key` list of an answer, keeping only objects with a string id; anything else is a response Cloudtop cannot read. */
export function listOf<T extends { id: string }>(body: unknown, key: string, operation: string): T[] {
  return requiredList(body, key, 'neon', operation).filter(
    (item): item is T => typeof record(item)?.id === 'string' && (item as T).id !== '',
  );
}

/**
 * The next-page token, or undefined when this page ends the listing: no token, or fewer items than asked for.
 * A token on a short page is ignored (Neon sends one on every page), and collectPages stops on an empty page.
 */
export function nextToken(received: number, limit: number, token: unknown): string | undefined {
  if (received < limit) return undefined;
  return typeof token === 'string' && token !== '' ? token : undefined;
}

export function neonApi(http: HttpClient, log: Logger): NeonApi {
  const project = (id: string) => `/projects/${encodeURIComponent(id)}`;

  /** A `pagination.cursor` project list (own or shared), ending on a short page. */
  function projectPages(path: string, orgId: string | undefined, signal: AbortSignal): Promise<WireProject[]> {
    const operation = `GET ${path}`;
    return collectPages<WireProject>(
      async (cursor): Promise<PageResult<WireProject>> => {
        const query = { limit: PROJECTS_PAGE_LIMIT, org_id: orgId, cursor: cursor as string | undefined };
        const { body } = await http.request<unknown>({ path, query, operation }, signal);
        const items = listOf<WireProject>(body, 'projects', operation);
        const unavailable = record(body)?.unavailable_project_ids;
        if (Array.isArray(unavailable) && unavailable.length > 0) {
          log.warn(
            `Neon did not load ${unavailable.length} project(s) in time (unavailable_project_ids); they are missing from this refresh.`,
          );
        }
        // Count what Neon sent, not what survived the filter, so one bad item cannot end the listing early.
        const sent = (record(body)?.projects as unknown[]).length;
        return { items, next: nextToken(sent, PROJECTS_PAGE_LIMIT, record(record(body)?.pagination)?.cursor) };
      },
      { cloud: 'neon', what: path === '/projects' ? 'Neon projects' : 'Neon shared projects' },
    );
  }

  return {
    async endpointAction(projectId, endpointId, action, signal) {
      const path = `${project(projectId)}/endpoints/${encodeURIComponent(endpointId)}/${action}`;
      await http.request({ method: 'POST', path, operation: `POST /projects/{id}/endpoints/{id}/${action}`, write: true }, signal);
    },
    async listOrganizations(signal) {
      const operation = 'GET /users/me/organizations';
      const body = await http.request<unknown>({ path: '/users/me/organizations', operation }, signal);
      return listOf<WireOrganization>(body.body, 'organizations', operation);
    },

    listProjects: (orgId, signal) => projectPages('/projects', orgId, signal),

    // neonctl lists these beside the user's own (src/commands/projects.ts `list`, listSharedProjects); the spec's
    // listSharedProjects takes cursor, limit (1–400) and search, and answers ProjectsResponse & PaginationResponse.
    listSharedProjects: (signal) => projectPages('/projects/shared', undefined, signal),

    listBranches(projectId, signal) {
      const operation = 'GET /projects/{id}/branches';
      return collectPages<WireBranch>(
        async (cursor): Promise<PageResult<WireBranch>> => {
          const query = { limit: BRANCHES_PAGE_LIMIT, cursor: cursor as string | undefined };
          const { body } = await http.request<unknown>({ path: `${project(projectId)}/branches`, query, operation }, signal);
          const items = listOf<WireBranch>(body, 'branches', operation);
          const sent = (record(body)?.branches as unknown[]).length;
          return { items, next: nextToken(sent, BRANCHES_PAGE_LIMIT, record(record(body)?.pagination)?.next) };
        },
        { cloud: 'neon', what: 'Neon branches' },
      );
    },

    async listEndpoints(projectId, signal) {
      const operation = 'GET /projects/{id}/endpoints';
      const { body } = await http.request<unknown>({ path: `${project(projectId)}/endpoints`, operation }, signal);
      return listOf<WireEndpoint>(body, 'endpoints', operation);
    },

    async checkAccess(orgId, signal) {
      await http.request<unknown>({ path: '/projects', query: { limit: 1, org_id: orgId }, operation: 'GET /projects' }, signal);
    },
  };
}
