// Neon's compute writes: `POST /projects/{project_id}/endpoints/{endpoint_id}/suspend` and `/start`
// (https://api-docs.neon.tech/reference/suspendprojectendpoint and /startprojectendpoint; npm @neondatabase/api-client
// 2.7.3 `EndpointOperations`), answered 200 `{endpoint, operations}` with the queued operation (`suspend_compute`,
// `start_compute`, status `running`; neondatabase/neonctl src/commands/operations.ts reads the same fields). The compute
// shows `pending_state` until the operation finishes, then its new `current_state` (EndpointState init | active | idle);
// here that takes `pollsToSettle` endpoint lists. A key Neon does not let write (the sim's `readOnlyKeys`) gets Neon's
// GeneralError 403 `{request_id, code, message}`. Every write is logged, refused ones included.
import type { SimEndpoint, SimProject } from './neon-data';
import { json, type SimRequest, type SimResponse, type SimState } from './types';

export interface NeonWrite {
  readonly method: string;
  readonly path: string;
  readonly projectId: string;
  readonly endpointId: string;
  readonly status: number;
}

export interface NeonWriteState extends SimState {
  endpoints: Record<string, SimEndpoint[]>;
  readOnlyKeys: string[];
  writes: NeonWrite[];
  /** Endpoint lists left before a compute reaches its pending state, by endpoint id. */
  pending: Map<string, { left: number }>;
  pollsToSettle: number;
  /** Numbers operation ids. */
  operations: number;
}

/** `project` finds the project the key may see (or answers its 404), as the GET routes do. */
export function endpointAction<S extends NeonWriteState>(
  action: 'suspend' | 'start',
  project: (req: SimRequest<S>) => SimProject | SimResponse,
  error: (req: SimRequest<S>, status: number, message?: string) => SimResponse,
) {
  return (req: SimRequest<S>): SimResponse => {
    const { state } = req;
    const log = (res: SimResponse): SimResponse => {
      state.writes.push({
        method: req.method,
        path: req.path,
        projectId: req.params.id,
        endpointId: req.params.endpoint,
        status: res.status ?? 200,
      });
      return res;
    };
    if (req.credential && state.readOnlyKeys.includes(req.credential)) return log(error(req, 403, 'permission denied'));
    const found = project(req);
    if ('status' in found && typeof found.status === 'number') return log(found);
    const endpoint = (state.endpoints[(found as SimProject).id] ?? []).find((e) => e.id === req.params.endpoint);
    if (!endpoint) return log(error(req, 404, `endpoint ${req.params.endpoint} not found`));
    const to = action === 'suspend' ? 'idle' : 'active';
    if (endpoint.current_state !== to) {
      endpoint.pending_state = to;
      state.pending.set(endpoint.id, { left: state.pollsToSettle });
    }
    const now = '2026-12-01T12:00:00Z';
    const operation = {
      id: `00000000-0000-4000-8000-${String(++state.operations).padStart(12, '0')}`,
      project_id: endpoint.project_id,
      branch_id: endpoint.branch_id,
      endpoint_id: endpoint.id,
      action: action === 'suspend' ? 'suspend_compute' : 'start_compute',
      status: endpoint.current_state === to ? 'skipped' : 'running',
      failures_count: 0,
      created_at: now,
      updated_at: now,
      total_duration_ms: 0,
    };
    return log(json({ endpoint, operations: [operation] }));
  };
}

/** One endpoint list of a project went by: its computes move one step. */
export function advanceEndpoints(state: NeonWriteState, projectId: string): void {
  for (const endpoint of state.endpoints[projectId] ?? []) {
    const step = state.pending.get(endpoint.id);
    if (!step) continue;
    step.left -= 1;
    if (step.left > 0 || !endpoint.pending_state) continue;
    state.pending.delete(endpoint.id);
    endpoint.current_state = endpoint.pending_state;
    delete endpoint.pending_state;
    if (endpoint.current_state === 'idle') endpoint.suspended_at = '2026-12-01T12:00:05Z';
    else endpoint.started_at = '2026-12-01T12:00:05Z';
  }
}
