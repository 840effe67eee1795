// Vast.ai's instance writes: `PUT /api/v0/instances/{id}/` with `{"state": "stopped" | "running"}` (vast-ai/vast-cli
// vastai/api/instances.py stop_instance / start_instance; vast-ai/docs api-reference/openapi/yaml/manage_instance.yaml),
// answered `{"success": true}`. The instance gets there over the next list calls, as on Vast.ai: intended_status
// changes at once (actual "running" + intended "stopped" is the stopping instance the console shows), actual_status
// follows after `pollsToSettle` lists; a start goes through "loading" first (vast-ai/docs cli/reference/
// show-instances-v1.mdx lists the words). A scoped key without `instance_write` (docs.vast.ai/api-reference/permissions:
// "a scoped key that lacks the required permission for the endpoint you're calling" gets 401 or 403) is answered 403
// in Vast.ai's `{success, error, msg}` envelope; every write is logged, refused ones included.
import { json, type SimRequest, type SimResponse, type SimState } from './types';
import type { VastSimInstance } from './vastai-data';

export interface VastWrite {
  readonly method: string;
  readonly path: string;
  readonly id: string;
  readonly body: unknown;
  /** The HTTP status the sim answered. */
  readonly status: number;
}

export interface VastWriteState extends SimState {
  instances: VastSimInstance[];
  /** Keys with `instance_read` but not `instance_write`: they list, and every write gets the 403. */
  readOnlyKeys: string[];
  /** Every write call, in order. */
  writes: VastWrite[];
  /** List calls left before an instance reaches the state it was asked for, by id. */
  pending: Map<string, { readonly to: 'stopped' | 'running'; left: number }>;
  /** How many list calls a transition takes (default 2). */
  pollsToSettle: number;
}

const STATES = new Set(['stopped', 'running']);

export function putInstanceState(req: SimRequest<VastWriteState>): SimResponse {
  const { state } = req;
  const id = req.params.id;
  const log = (status: number, res: SimResponse): SimResponse => {
    state.writes.push({ method: req.method, path: req.path, id, body: req.body, status });
    return res;
  };
  if (req.credential && state.readOnlyKeys.includes(req.credential))
    return log(
      403,
      json({ success: false, error: 'forbidden', msg: 'API key does not have permission instance_write for this endpoint' }, 403),
    );
  const body = req.body as { state?: unknown } | null;
  const to = body && typeof body === 'object' ? body.state : undefined;
  if (typeof to !== 'string' || !STATES.has(to))
    return log(400, json({ success: false, error: 'invalid_args', msg: `Invalid state: ${String(to)}` }, 400));
  const instance = state.instances.find((i) => String(i.id) === id);
  if (!instance) return log(404, json({ success: false, error: 'no_such_instance', msg: `Instance ${id} not found.` }, 404));
  instance.intended_status = to;
  (instance as { next_state?: string }).next_state = to;
  if (instance.actual_status !== to) state.pending.set(id, { to: to as 'stopped' | 'running', left: state.pollsToSettle });
  return log(200, json({ success: true }));
}

/** One list call went by: move every pending instance one step towards what it was asked for. */
export function advanceTransitions(state: VastWriteState): void {
  for (const [id, step] of state.pending) {
    const instance = state.instances.find((i) => String(i.id) === id);
    if (!instance) {
      state.pending.delete(id);
      continue;
    }
    step.left -= 1;
    if (step.to === 'running' && step.left > 0) instance.actual_status = 'loading';
    if (step.left > 0) continue;
    state.pending.delete(id);
    instance.actual_status = step.to;
    instance.cur_state = step.to;
    // Live readings only while running (show_instances: -1 / null when there is none).
    instance.gpu_util = step.to === 'running' ? 1.5 : null;
  }
}
