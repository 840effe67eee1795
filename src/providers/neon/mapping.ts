// Neon wire → model. Three service groups, each a flat list the tree reads well: Postgres (projects), Computes
// (compute endpoints, where the live state is) and Branches. Ids are Neon's own (`proj-like-id`, `br-…`, `ep-…`),
// globally unique and stable. Neon's API reports no live load (connections, queries, CPU), so no metrics are
// made up: resources that would carry them say so in `unreportedMetrics`.
// Units: seconds, bytes and compute units (CU), named in each detail key.
import type { MetricFamily, Resource, ResourceStatus } from '../../core/model/model';
import { text } from '../../core/transport/wire';
import type { WireBranch, WireEndpoint, WireProject } from './api';

export const PROJECTS_SERVICE = 'Postgres';
export const COMPUTES_SERVICE = 'Computes';
export const BRANCHES_SERVICE = 'Branches';
export const NEON_SERVICES = [PROJECTS_SERVICE, COMPUTES_SERVICE, BRANCHES_SERVICE] as const;

const CONSOLE = 'https://console.neon.tech/app/projects';
const PROJECT_UNREPORTED: readonly MetricFamily[] = ['database'];
const COMPUTE_UNREPORTED: readonly MetricFamily[] = ['compute', 'database'];

type Details = Record<string, string | number | boolean>;

/** A counter or size: finite and ≥ 0, else absent (never 0 for "unknown"). */
const amount = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;

function put(d: Details, key: string, value: string | number | boolean | undefined): void {
  if (value !== undefined) d[key] = value;
}

/** EndpointState (init | active | idle), with the pending state telling a transition apart. */
export function endpointStatus(current: unknown, pending?: unknown): ResourceStatus {
  switch (current) {
    case 'active':
      return pending === 'idle' ? 'stopping' : 'running';
    case 'idle': // suspended: scaled to zero
      return pending === 'active' || pending === 'init' ? 'starting' : 'stopped';
    case 'init':
      return 'starting';
    default:
      return 'unknown';
  }
}

/** BranchState: ready is usable, archived sits in cold storage, init and resetting are on their way. */
export function branchStatus(current: unknown): ResourceStatus {
  switch (current) {
    case 'ready':
      return 'running';
    case 'archived':
      return 'stopped';
    case 'init':
    case 'resetting':
      return 'starting';
    default:
      return 'unknown';
  }
}

/** A project has no state of its own: it is as awake as its busiest compute. No computes: nothing runs. */
export function projectStatus(computes: readonly ResourceStatus[]): ResourceStatus {
  for (const status of ['running', 'starting', 'stopping', 'error'] as const) {
    if (computes.includes(status)) return status;
  }
  return computes.length === 0 || computes.includes('stopped') ? 'stopped' : 'unknown';
}

export function projectName(project: WireProject): string {
  return text(project.name) ?? project.id;
}

/** What a project carries beyond its list item: whether it is shared with the user, and this month's compute usage. */
export interface ProjectExtras {
  /** Shared with the user by another account (`GET /projects/shared`), not one of the user's own. */
  readonly shared?: boolean;
  /** Compute-unit hours this month (consumption history), or why Neon reports none. */
  readonly usage?: { readonly cuHours: number } | 'not on this plan';
}

/** The one-line note: "shared · 12.5 CU-h this month", "CU-h: not on this plan". */
export function projectNote(extras: ProjectExtras): string | undefined {
  const parts: string[] = [];
  if (extras.shared) parts.push('shared');
  if (extras.usage === 'not on this plan') parts.push('CU-h: not on this plan');
  else if (extras.usage) parts.push(`${extras.usage.cuHours} CU-h this month`);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

/**
 * A project as listed. Without its computes (they come apart, one call per project) its status is unknown until
 * completeProject adds them.
 */
export function mapProject(
  project: WireProject,
  account: string,
  computes?: readonly Resource[],
  branchCount?: number,
  extras: ProjectExtras = {},
): Resource {
  const d: Details = {};
  if (extras.shared) d.shared = true;
  if (extras.usage === 'not on this plan') d.cuHoursThisMonth = 'not on this plan';
  else if (extras.usage) d.cuHoursThisMonth = extras.usage.cuHours;
  put(d, 'pgVersion', amount(project.pg_version));
  put(d, 'organization', text(project.org_name) ?? text(project.org_id));
  put(d, 'activeTimeSec', amount(project.active_time));
  put(d, 'storageBytes', amount(project.synthetic_storage_size));
  put(d, 'computeLastActiveAt', text(project.compute_last_active_at));
  put(d, 'maintenanceStartsAt', text(project.maintenance_starts_at));
  const listed: Resource = {
    id: project.id,
    cloud: 'neon',
    account,
    kind: 'database',
    service: PROJECTS_SERVICE,
    name: projectName(project),
    ...optional('region', text(project.region_id)),
    status: 'unknown',
    ...optional('createdAt', text(project.created_at)),
    consoleUrl: `${CONSOLE}/${encodeURIComponent(project.id)}`,
    ...optional('note', projectNote(extras)),
    details: d,
    unreportedMetrics: PROJECT_UNREPORTED,
  };
  return computes ? completeProject(listed, computes, branchCount) : listed;
}

/** A listed project with what its own calls found: its status from its computes, their count, its branches'. */
export function completeProject(project: Resource, computes: readonly Resource[], branchCount?: number): Resource {
  const d: Details = { ...project.details };
  d.computes = computes.length;
  d.computesActive = computes.filter((c) => c.status === 'running').length;
  put(d, 'branches', branchCount);
  return { ...project, status: projectStatus(computes.map((c) => c.status)), details: d };
}

export function mapBranch(branch: WireBranch, project: WireProject, account: string): Resource {
  const d: Details = { projectId: project.id };
  put(d, 'default', typeof branch.default === 'boolean' ? branch.default : undefined);
  put(d, 'protected', typeof branch.protected === 'boolean' ? branch.protected : undefined);
  put(d, 'parentId', text(branch.parent_id));
  put(d, 'pendingState', text(branch.pending_state));
  put(d, 'logicalSizeBytes', amount(branch.logical_size));
  put(d, 'computeTimeSec', amount(branch.compute_time_seconds));
  put(d, 'activeTimeSec', amount(branch.active_time_seconds));
  put(d, 'writtenDataBytes', amount(branch.written_data_bytes));
  put(d, 'dataTransferBytes', amount(branch.data_transfer_bytes));
  put(d, 'expiresAt', text(branch.expires_at));
  const raw = text(branch.current_state);
  return {
    id: branch.id,
    cloud: 'neon',
    account,
    kind: 'branch',
    service: BRANCHES_SERVICE,
    name: `${projectName(project)} / ${text(branch.name) ?? branch.id}`,
    ...optional('region', text(project.region_id)),
    status: branchStatus(raw),
    ...optional('rawStatus', raw),
    ...optional('createdAt', text(branch.created_at)),
    consoleUrl: branchUrl(project.id, branch.id),
    details: d,
  };
}

/** `branchNames` maps branch id → name, for a compute named after the branch it serves. */
export function mapEndpoint(
  endpoint: WireEndpoint,
  project: WireProject,
  branchNames: ReadonlyMap<string, string>,
  account: string,
): Resource {
  const branchId = text(endpoint.branch_id);
  const readOnly = endpoint.type === 'read_only';
  const label =
    text(endpoint.name) ?? `${(branchId && branchNames.get(branchId)) ?? branchId ?? endpoint.id}${readOnly ? ' (read-only)' : ''}`;
  const raw = text(endpoint.current_state);
  return {
    id: endpoint.id,
    cloud: 'neon',
    account,
    kind: 'endpoint',
    service: COMPUTES_SERVICE,
    name: `${projectName(project)} / ${label}`,
    ...optional('region', text(endpoint.region_id) ?? text(project.region_id)),
    status: endpointStatus(raw, endpoint.pending_state),
    ...optional('rawStatus', raw),
    ...optional('createdAt', text(endpoint.created_at)),
    consoleUrl: branchId ? branchUrl(project.id, branchId) : `${CONSOLE}/${encodeURIComponent(project.id)}`,
    details: endpointDetails(endpoint, project.id, branchId),
    unreportedMetrics: COMPUTE_UNREPORTED,
  };
}

function endpointDetails(endpoint: WireEndpoint, projectId: string, branchId: string | undefined): Details {
  const d: Details = { projectId };
  put(d, 'branchId', branchId);
  put(d, 'type', endpoint.type === 'read_only' ? 'read-only' : endpoint.type === 'read_write' ? 'read-write' : text(endpoint.type));
  put(d, 'pendingState', text(endpoint.pending_state));
  put(d, 'minCu', amount(endpoint.autoscaling_limit_min_cu));
  put(d, 'maxCu', amount(endpoint.autoscaling_limit_max_cu));
  const suspend = endpoint.suspend_timeout_seconds;
  if (typeof suspend === 'number' && suspend > 0) d.suspendTimeoutSec = suspend;
  else if (suspend === -1) d.suspendTimeout = 'never';
  else if (suspend === 0) d.suspendTimeout = 'default';
  put(d, 'disabled', endpoint.disabled === true ? true : undefined);
  put(d, 'lastActiveAt', text(endpoint.last_active));
  put(d, 'startedAt', text(endpoint.started_at));
  put(d, 'suspendedAt', text(endpoint.suspended_at));
  return d;
}

function branchUrl(projectId: string, branchId: string): string {
  return `${CONSOLE}/${encodeURIComponent(projectId)}/branches/${encodeURIComponent(branchId)}`;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
