// RunPod REST v2's pod state transitions: `POST /pods/{id}/action` with `{"action": "start" | "stop" | "restart" |
// "terminate"}` (runpod/docs api-reference-v2/openapi.json, operation podAction; api-reference-v2/pods/
// trigger-a-pod-state-transition.mdx). "start, stop, and restart return 200 with the updated pod"; an action the pod's
// status does not allow — the permitted set is its `actions` field — answers 409; stop moves the pod to EXITED
// (runtime null, cost 0), start boots an EXITED or ERROR pod back toward RUNNING. Here the move takes `pollsToSettle`
// pod lists, as a real pod takes a while. A key created "Read Only" in the console is answered with the spec's
// ForbiddenError (403 problem+json "access denied": "a valid key lacks access to the requested resource or action").
// Every write is logged, refused ones included.
import { problem } from './runpod';
import type { SimPod } from './runpod-data';
import type { SimRequest, SimResponse, SimState } from './types';

export interface RunpodWrite {
  readonly method: string;
  readonly path: string;
  readonly id: string;
  readonly body: unknown;
  readonly status: number;
}

export interface RunpodWriteState extends SimState {
  pods: SimPod[];
  readOnlyKeys: string[];
  writes: RunpodWrite[];
  /** Pod lists left before a pod reaches the status its action leads to, by id. */
  pending: Map<string, { readonly to: 'EXITED' | 'RUNNING'; left: number }>;
  pollsToSettle: number;
}

const ACTIONS = new Set(['start', 'stop', 'restart', 'terminate']);

/** The permitted actions per status, as the spec's podAction description lists them. */
export const PERMITTED: Readonly<Record<string, string[]>> = {
  PROVISIONING: ['stop', 'terminate'],
  STARTING: ['stop', 'terminate'],
  RUNNING: ['stop', 'restart', 'terminate'],
  EXITED: ['start', 'terminate'],
  ERROR: ['start', 'terminate'],
  TERMINATED: [],
};

export function podAction(req: SimRequest<RunpodWriteState>): SimResponse {
  const { state } = req;
  const id = req.params.id;
  const log = (res: SimResponse): SimResponse => {
    state.writes.push({ method: req.method, path: req.path, id, body: req.body, status: res.status ?? 200 });
    return res;
  };
  if (req.credential && state.readOnlyKeys.includes(req.credential)) return log(problem(403, 'access denied'));
  const action = (req.body as { action?: unknown } | null)?.action;
  if (typeof action !== 'string' || !ACTIONS.has(action)) return log(problem(422, 'Request validation failed.'));
  const pod = state.pods.find((p) => p.id === id);
  if (!pod) return log(problem(404, 'pod not found'));
  if (!pod.actions.includes(action)) return log(problem(409, `action ${action} is not valid for a pod in status ${pod.status}`));
  if (action === 'stop') state.pending.set(id, { to: 'EXITED', left: state.pollsToSettle });
  if (action === 'start') {
    pod.status = 'STARTING';
    pod.actions = PERMITTED.STARTING;
    state.pending.set(id, { to: 'RUNNING', left: state.pollsToSettle });
  }
  return log({ json: pod });
}

/** One pod list went by: move every pending pod one step. */
export function advancePods(state: RunpodWriteState): void {
  for (const [id, step] of state.pending) {
    const pod = state.pods.find((p) => p.id === id);
    step.left -= 1;
    if (!pod || step.left > 0) {
      if (!pod) state.pending.delete(id);
      continue;
    }
    state.pending.delete(id);
    pod.status = step.to;
    pod.actions = PERMITTED[step.to];
    if (step.to === 'EXITED') {
      // "cost is USD/hour, 0.0 when EXITED"; runtime is null unless RUNNING.
      pod.cost = 0;
      pod.runtime = null;
    } else {
      pod.cost = pod.gpu ? 0.44 * pod.gpu.count : 0.1;
      pod.runtime = {
        uptime: 1,
        ...(pod.gpu ? { gpus: Array.from({ length: pod.gpu.count }, () => ({ util: 0, memoryUtil: 1 })) } : {}),
        cpu: { util: 1 },
        memory: { util: 5 },
        ports: [],
      };
    }
  }
}
