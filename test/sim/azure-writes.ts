// The simulated Azure's VM writes: deallocate, start and power off, of a VM and of a Uniform scale set's instance.
//   POST /subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Compute/virtualMachines/:name/{deallocate|start|powerOff}
//        (learn.microsoft.com/rest/api/compute/virtual-machines/deallocate, /start, /power-off)
//   POST /subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Compute/virtualMachineScaleSets/:name/virtualMachines/:instanceId/{…}
//        (learn.microsoft.com/rest/api/compute/virtual-machine-scale-set-vms/deallocate, /start, /power-off)
//   GET  /subscriptions/:sub/providers/Microsoft.Compute/locations/:location/operations/:operationId[&monitor=true]
// Each is a long-running operation answered as Resource Manager answers one (learn.microsoft.com/azure/
// azure-resource-manager/management/async-operations, "Track asynchronous Azure operations"): 202 Accepted, no body,
// an `Azure-AsyncOperation` header (the status URL: `{"status": "InProgress"}`, then `"Succeeded"`, with startTime,
// endTime and name), a `Location` header (the same operation with `monitor=true`: 202 while it runs, 200 once done)
// and `Retry-After` (seconds). Compute's status URLs live under the VM's location (`…/locations/{region}/operations/
// {id}`, the path the same page shows). The VM's instance view moves through the real power states over a few polls —
// PowerState/deallocating → deallocated, starting → running, stopping → stopped — with provisioningState "Updating"
// meanwhile; a poll is a VM listing of the subscription (its first page), a listing of the scale set's instances, the
// VM's instance view, or a GET of the operation's status.
// A principal whose client secret (or `az` token) is in `readOnlyKeys` reads everything and gets ARM's 403
// AuthorizationFailed on every write, naming the action it lacks (the shape ARM sends to a VM action: cloudquery/
// cloudquery#16133 quotes one). A VM in `deletingVms` answers 409 OperationNotAllowed with Compute's words for a VM
// marked for deletion (cloud-barista/cb-spider#342 and hashicorp/terraform-provider-azurerm#28218 quote them). A
// newer write to a VM preempts the operation still running on it (its status: Canceled, OperationPreempted). Every
// write is logged in `writes`, refused ones included.
import { simUuid, type AzurePowerState, type AzureVm } from './azure-data';
import type { AzureScaleSet, AzureScaleSetVm } from './azure-scalesets';
import { json, type SimRequest, type SimResponse, type SimState } from './types';

export type AzureVmWrite = 'deallocate' | 'start' | 'powerOff';

export interface AzureWrite {
  readonly method: string;
  /** The path as sent, without the query. */
  readonly path: string;
  /** The `api-version` query parameter (null when absent). */
  readonly apiVersion: string | null;
  /** The raw body ('' when there was none: these POSTs take none). */
  readonly body: string;
  readonly status: number;
}

export interface AzureOperation {
  readonly id: string;
  readonly subscriptionId: string;
  readonly location: string;
  /** Lower-cased ARM id of the VM or scale-set instance it acts on. */
  readonly target: string;
  readonly action: AzureVmWrite;
  status: 'InProgress' | 'Succeeded' | 'Canceled';
  readonly startTime: string;
  endTime?: string;
  /** Polls left before it is done. */
  left: number;
}

export interface AzureWriteState extends SimState {
  /** The sim's seed (ids of operations derive from it). */
  seed: number;
  /** Every write call, in order. */
  writes: AzureWrite[];
  /** Client secrets (or `az` tokens) of principals with Reader only: every write answers 403 AuthorizationFailed. */
  readOnlyKeys: string[];
  /** Lower-cased ids of VMs marked for deletion: every write answers 409 OperationNotAllowed. */
  deletingVms: string[];
  /** Operations by id. */
  operations: Record<string, AzureOperation>;
  /** Polls an operation takes (default 2). */
  pollsToSettle: number;
  /** The Retry-After an accepted write and a running operation's monitor carry, in seconds (the sim's choice: 1). */
  retryAfterSec: number;
}

export function createWriteState(): Omit<AzureWriteState, keyof SimState | 'seed'> {
  return { writes: [], readOnlyKeys: [], deletingVms: [], operations: {}, pollsToSettle: 2, retryAfterSec: 1 };
}

/** What a write needs of the rest of the sim (azure.ts): its error envelope, the subscription check, the principal. */
export interface WriteContext<S extends AzureWriteState> {
  readonly error: (status: number, code: string, message: string, headers?: SimResponse['headers']) => SimResponse;
  /** The subscription the request names, or the answer refusing it. */
  readonly subscription: (req: SimRequest<S>) => string | SimResponse;
  /** The principal as ARM names it in an AuthorizationFailed: client id and object id. */
  readonly principal: (req: SimRequest<S>) => { clientId: string; objectId: string };
  /** The client secret behind the request's token, when it is a service principal's. */
  readonly secretOf: (req: SimRequest<S>) => string | undefined;
  readonly vms: (state: S, sub: string) => AzureVm[];
  readonly scaleSets: (state: S, sub: string) => AzureScaleSet[];
}

/** The power state a write passes through, and the one it ends in. */
const MOVES: Readonly<Record<AzureVmWrite, readonly [AzurePowerState, AzurePowerState]>> = {
  deallocate: ['deallocating', 'deallocated'],
  start: ['starting', 'running'],
  powerOff: ['stopping', 'stopped'],
};
const WRITES = new Set<string>(Object.keys(MOVES));

/** Azure's time format: seven decimals and an offset ("2026-12-07T21:12:57.1230000+00:00"). */
const azureTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000+00:00');

/** A write's target, found: how to move it, and the words ARM uses for it. */
interface Target {
  readonly id: string;
  readonly name: string;
  readonly location: string;
  /** The RBAC action a write of this kind needs, without `/{write}/action`. */
  readonly rbac: string;
  readonly setPower: (power: AzurePowerState, busy: boolean) => void;
}

function vmTarget(vm: AzureVm): Target {
  return {
    id: vm.id,
    name: vm.name,
    location: vm.location,
    rbac: 'Microsoft.Compute/virtualMachines',
    setPower: (power, busy) => {
      vm.power = power;
      // Resource Manager shows "Updating" while an operation runs on the VM; a failed provisioning stays failed.
      if (!vm.failed) vm.body.properties.provisioningState = busy ? 'Updating' : 'Succeeded';
    },
  };
}

function instanceTarget(set: AzureScaleSet, vm: AzureScaleSetVm): Target {
  return {
    id: `${set.id}/virtualMachines/${vm.instanceId}`,
    name: `${set.name}_${vm.instanceId}`,
    location: set.location,
    rbac: 'Microsoft.Compute/virtualMachineScaleSets/virtualMachines',
    setPower: (power) => {
      vm.power = power;
    },
  };
}

/** Every target of the subscription by lower-cased id (to finish an operation whatever polled it). */
function targetsOf<S extends AzureWriteState>(ctx: WriteContext<S>, state: S, sub: string): Map<string, Target> {
  const out = new Map<string, Target>();
  for (const vm of ctx.vms(state, sub)) out.set(vm.id.toLowerCase(), vmTarget(vm));
  for (const set of ctx.scaleSets(state, sub))
    for (const vm of set.instances) out.set(`${set.id}/virtualMachines/${vm.instanceId}`.toLowerCase(), instanceTarget(set, vm));
  return out;
}

/** One poll went by for the operations `which` selects: each moves one step, and ends when its polls are spent. */
export function pollOperations<S extends AzureWriteState>(
  ctx: WriteContext<S>,
  state: S,
  sub: string,
  which: (op: AzureOperation) => boolean,
): void {
  const running = Object.values(state.operations).filter(
    (op) => op.status === 'InProgress' && op.subscriptionId.toLowerCase() === sub.toLowerCase() && which(op),
  );
  if (running.length === 0) return;
  const targets = targetsOf(ctx, state, sub);
  for (const op of running) {
    op.left -= 1;
    if (op.left > 0) continue;
    op.status = 'Succeeded';
    op.endTime = azureTime(Date.now());
    targets.get(op.target)?.setPower(MOVES[op.action][1], false);
  }
}

/** The handlers of the write routes and the operation status route. */
export function writeHandlers<S extends AzureWriteState>(ctx: WriteContext<S>) {
  /** Accepts (or refuses) one write on a found target; logs it either way. */
  function write(req: SimRequest<S>, sub: string, find: () => Target | undefined, kind: string): SimResponse {
    const { state } = req;
    const action = req.params.action;
    const log = (res: SimResponse): SimResponse => {
      state.writes.push({
        method: req.method,
        path: req.path,
        apiVersion: req.query.get('api-version'),
        body: req.rawBody,
        status: res.status ?? 200,
      });
      return res;
    };
    const apiVersion = req.query.get('api-version');
    // ARM's answers to a missing or malformed api-version (every ARM request must carry one).
    if (apiVersion === null)
      return log(
        ctx.error(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.'),
      );
    if (!/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(apiVersion))
      return log(ctx.error(400, 'InvalidApiVersionParameter', `The api-version '${apiVersion}' is invalid.`));
    if (!WRITES.has(action))
      return log(ctx.error(404, 'ResourceNotFound', `No route for the resource path: action '${action}' is not a ${kind} operation.`));
    const target = find();
    if (!target)
      return log(
        ctx.error(
          404,
          'ResourceNotFound',
          `The Resource '${kind}/${req.params.name}' under resource group '${req.params.rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
        ),
      );
    const secret = ctx.secretOf(req);
    if ((secret !== undefined && state.readOnlyKeys.includes(secret)) || (req.credential && state.readOnlyKeys.includes(req.credential))) {
      const { clientId, objectId } = ctx.principal(req);
      return log(
        ctx.error(
          403,
          'AuthorizationFailed',
          `The client '${clientId}' with object id '${objectId}' does not have authorization to perform action '${target.rbac}/${action}/action' over scope '${target.id}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
        ),
      );
    }
    if (state.deletingVms.includes(target.id.toLowerCase()))
      return log(
        ctx.error(
          409,
          'OperationNotAllowed',
          `Operation '${action}' is not allowed on VM '${target.name}' since the VM is marked for deletion. You can only retry the Delete operation (or wait for an ongoing one to complete).`,
        ),
      );
    // A newer operation preempts the one still running on the same VM.
    for (const op of Object.values(state.operations))
      if (op.target === target.id.toLowerCase() && op.status === 'InProgress') {
        op.status = 'Canceled';
        op.endTime = azureTime(Date.now());
      }
    const id = simUuid(state.seed, 'operation', state.writes.length);
    state.operations[id] = {
      id,
      subscriptionId: sub,
      location: target.location,
      target: target.id.toLowerCase(),
      action: action as AzureVmWrite,
      status: 'InProgress',
      startTime: azureTime(Date.now()),
      left: Math.max(1, state.pollsToSettle),
    };
    target.setPower(MOVES[action as AzureVmWrite][0], true);
    const status = `${req.baseUrl}/subscriptions/${sub}/providers/Microsoft.Compute/locations/${target.location}/operations/${id}?p=${simUuid(state.seed, 'p', id)}&api-version=${apiVersion}`;
    return log({
      status: 202,
      text: '',
      headers: { 'Azure-AsyncOperation': status, Location: `${status}&monitor=true`, 'Retry-After': String(state.retryAfterSec) },
    });
  }

  return {
    vmWrite(req: SimRequest<S>): SimResponse {
      const sub = ctx.subscription(req);
      if (typeof sub !== 'string') return sub;
      return write(
        req,
        sub,
        () => {
          const vm = ctx
            .vms(req.state, sub)
            .find(
              (v) =>
                v.resourceGroup.toLowerCase() === req.params.rg.toLowerCase() && v.name.toLowerCase() === req.params.name.toLowerCase(),
            );
          return vm && vmTarget(vm);
        },
        'Microsoft.Compute/virtualMachines',
      );
    },

    scaleSetVmWrite(req: SimRequest<S>): SimResponse {
      const sub = ctx.subscription(req);
      if (typeof sub !== 'string') return sub;
      return write(
        req,
        sub,
        () => {
          const set = ctx
            .scaleSets(req.state, sub)
            .find(
              (s) =>
                s.resourceGroup.toLowerCase() === req.params.rg.toLowerCase() && s.name.toLowerCase() === req.params.name.toLowerCase(),
            );
          const vm = set?.orchestrationMode === 'Uniform' ? set.instances.find((i) => i.instanceId === req.params.instanceId) : undefined;
          return set && vm && instanceTarget(set, vm);
        },
        'Microsoft.Compute/virtualMachineScaleSets',
      );
    },

    operationStatus(req: SimRequest<S>): SimResponse {
      const sub = ctx.subscription(req);
      if (typeof sub !== 'string') return sub;
      const op = req.state.operations[req.params.operation];
      if (!op || op.subscriptionId.toLowerCase() !== sub.toLowerCase() || op.location !== req.params.location)
        return ctx.error(404, 'NotFound', `The operation '${req.params.operation}' was not found.`);
      pollOperations(ctx, req.state, sub, (o) => o.id === op.id);
      if (req.query.get('monitor') === 'true') {
        // The Location URL: 202 again while it runs, then 200 (deallocate and start have no result body).
        if (op.status === 'InProgress')
          return {
            status: 202,
            text: '',
            headers: { Location: `${req.baseUrl}${req.path}?${req.query.toString()}`, 'Retry-After': String(req.state.retryAfterSec) },
          };
        if (op.status === 'Canceled')
          return ctx.error(409, 'OperationPreempted', 'Operation execution has been preempted by a more recent operation.');
        return { status: 200, text: '' };
      }
      return json({
        startTime: op.startTime,
        ...(op.endTime ? { endTime: op.endTime } : {}),
        status: op.status,
        ...(op.status === 'Canceled'
          ? { error: { code: 'OperationPreempted', message: 'Operation execution has been preempted by a more recent operation.' } }
          : {}),
        name: op.id,
      });
    },
  };
}
