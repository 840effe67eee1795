// Oracle Cloud's instance power actions: Core Services `InstanceAction`,
// `POST /20160918/instances/{instanceId}?action=START|STOP|SOFTSTOP|…` (docs.oracle.com/iaas/api/#/en/iaas/20160918/
// Instance/InstanceAction; npm oci-core 2.139.1 lib/client.js instanceAction: the action in the query, no body needed),
// signed like every OCI request (oci-auth.ts checks it before this runs). What Oracle does, and the sim with it:
//  - the answer is 200 with the Instance (oci-core lib/model/instance.d.ts) and an `etag` header; its lifecycleState is
//    the transitional one: STOPPING after STOP or SOFTSTOP, STARTING after START (oci-core lib/response/
//    instance-action-response.d.ts `instance: model.Instance`; Instance.LifecycleState; Oracle's "Stopping and Starting
//    an Instance", docs.oracle.com/en-us/iaas/Content/Compute/Tasks/restartinginstance.htm); the instance reaches
//    STOPPED or RUNNING over the next listings (`pollsToSettle` listings of its compartment);
//  - SOFTSTOP "gracefully shuts down the instance … After waiting 15 minutes for the OS to shut down, the instance is
//    powered off"; STOP "powers off the instance": the sim takes STOP on a STOPPING instance (forcing a graceful stop
//    that hangs), which then settles at the next listing;
//  - an action the instance's state does not allow answers 409 IncorrectState, "The requested state for the resource
//    conflicts with its current state" (docs.oracle.com/en-us/iaas/Content/API/References/apierrors.htm);
//  - a caller without INSTANCE_POWER_ACTIONS on the instance, and an instance that does not exist, both answer 404
//    NotAuthorizedOrNotFound (same page): Oracle does not say which. `readOnlyKeys` are API keys whose policies let them
//    list (`read instances`) but not act (`use instances`, docs.oracle.com/en-us/iaas/Content/Identity/Reference/
//    corepolicyreference.htm);
//  - an action outside the documented list is 400 InvalidParameter.
// Every write is logged in `writes`, refused ones included.
import { json, type SimRequest, type SimResponse, type SimState } from './types';
import type { OciInstance } from './oci-data';

export interface OciWrite {
  readonly method: string;
  /** Below the cloud's mount, e.g. `/20160918/instances/ocid1.instance…`. */
  readonly path: string;
  /** The `action` query parameter as sent. */
  readonly action: string | null;
  /** The HTTP status the sim answered. */
  readonly status: number;
}

export interface OciWriteState extends SimState {
  instances: OciInstance[];
  /** API keyIds that list but hold no INSTANCE_POWER_ACTIONS: every InstanceAction answers 404 NotAuthorizedOrNotFound. */
  readOnlyKeys: string[];
  /** Every InstanceAction call, in order. */
  writes: OciWrite[];
  /** Listings of its compartment left before an instance settles, by id. */
  pending: Map<string, { readonly to: 'STOPPED' | 'RUNNING'; left: number }>;
  /** How many listings a transition takes (default 2: the first still shows STOPPING or STARTING). */
  pollsToSettle: number;
}

/** The power actions InstanceAction documents (the reference above). */
const ACTIONS = new Set([
  'STOP',
  'START',
  'SOFTRESET',
  'RESET',
  'SOFTSTOP',
  'SENDDIAGNOSTICINTERRUPT',
  'DIAGNOSTICREBOOT',
  'REBOOTMIGRATE',
]);

/** Which states each action the sim moves is taken from, and where it goes. */
const MOVES: Readonly<Record<string, { readonly from: readonly string[]; readonly via: string; readonly to: 'STOPPED' | 'RUNNING' }>> = {
  SOFTSTOP: { from: ['RUNNING'], via: 'STOPPING', to: 'STOPPED' },
  STOP: { from: ['RUNNING', 'STOPPING'], via: 'STOPPING', to: 'STOPPED' },
  START: { from: ['STOPPED'], via: 'STARTING', to: 'RUNNING' },
};

const err = (status: number, code: string, message: string): SimResponse => json({ code, message }, status);

export function instanceAction(req: SimRequest<OciWriteState>): SimResponse {
  const { state } = req;
  const action = req.query.get('action');
  const log = (res: SimResponse): SimResponse => {
    state.writes.push({ method: req.method, path: req.path, action, status: res.status ?? 200 });
    return res;
  };
  const instance = state.instances.find((i) => i.id === req.params.instanceId && i.lifecycleState !== 'TERMINATED');
  if (!instance || (req.credential && state.readOnlyKeys.includes(req.credential)))
    return log(err(404, 'NotAuthorizedOrNotFound', 'Authorization failed or requested resource not found.'));
  if (action === null || !ACTIONS.has(action))
    return log(err(400, 'InvalidParameter', `Invalid action: ${String(action)}. Valid values are ${[...ACTIONS].join(', ')}.`));
  const move = MOVES[action];
  if (!move || !move.from.includes(instance.lifecycleState))
    return log(
      err(
        409,
        'IncorrectState',
        `Instance ${instance.id} is in lifecycle state ${instance.lifecycleState}: action ${action} is not allowed.`,
      ),
    );
  const forcing = action === 'STOP' && instance.lifecycleState === 'STOPPING';
  instance.lifecycleState = move.via;
  state.pending.set(instance.id, { to: move.to, left: forcing ? 1 : state.pollsToSettle });
  return log(json(instance, 200, { etag: `W/"sim-${state.writes.length + 1}"` }));
}

/** One listing of a compartment's instances went by: move its pending instances one step on. */
export function advanceInstances(state: OciWriteState, compartmentId: string): void {
  for (const [id, step] of state.pending) {
    const instance = state.instances.find((i) => i.id === id);
    if (!instance) {
      state.pending.delete(id);
      continue;
    }
    if (instance.compartmentId !== compartmentId) continue;
    step.left -= 1;
    if (step.left > 0) continue;
    state.pending.delete(id);
    instance.lifecycleState = step.to;
  }
}
