// Compute Engine's stop and start, and the zone Operations that follow them:
//   POST /compute/v1/projects/:p/zones/:zone/instances/:instance/stop   ?requestId=&discardLocalSsd=
//   POST /compute/v1/projects/:p/zones/:zone/instances/:instance/start  ?requestId=
//   GET  /compute/v1/projects/:p/zones/:zone/operations/:operation
//   POST /compute/v1/projects/:p/zones/:zone/operations/:operation/wait
// Sources: cloud.google.com/compute/docs/reference/rest/v1/instances/stop and /start (no body; an Operation back;
// `discardLocalSsd` "required if the instance has any attached Local SSD disks"; `requestId`, a UUID, makes a resent
// request return the first one's operation); cloud.google.com/compute/docs/reference/rest/v1/zoneOperations (Operation:
// kind compute#operation, id, name, zone, operationType, targetLink, targetId, status PENDING/RUNNING/DONE, progress,
// insertTime/startTime/endTime, selfLink; `wait` answers when the operation is DONE or after about two minutes);
// cloud.google.com/compute/docs/instances/instance-life-cycle (stop: RUNNING → STOPPING → TERMINATED; start:
// TERMINATED → PROVISIONING → STAGING → RUNNING); gcloud compute instances stop's reference ("Stopping a VM which is
// already stopped will return without errors"). A service account with a read-only role (roles/compute.viewer) is
// refused in Compute's own shape: 403 with the legacy `errors` array naming the permission (the message as Compute
// words it, "Required 'compute.instances.stop' permission for 'projects/p/zones/z/instances/i'"). The text of the
// Local SSD refusal is what Compute answers gcloud users (quoted in hashicorp/terraform-provider-google issues about
// `discard_local_ssd`; UNCONFIRMED word for word). Each step of an operation is one listing of its project (or one
// operations.get); every write is logged, refused ones included.
import { pacificTimestamp, type GcpInstance, type GceStatus, type GcpProject } from './gcp-data';
import { gcpError } from './gcp-errors';
import { json, type SimRequest, type SimResponse, type SimState } from './types';

const COMPUTE = 'https://www.googleapis.com/compute/v1';

export interface GcpWrite {
  readonly method: string;
  readonly path: string;
  /** The query as sent (requestId, discardLocalSsd). */
  readonly query: Readonly<Record<string, string>>;
  readonly status: number;
}

type OperationStatus = 'PENDING' | 'RUNNING' | 'DONE';

interface SimOperation {
  readonly id: string;
  readonly name: string;
  readonly project: string;
  readonly zone: string;
  readonly operationType: 'stop' | 'start';
  readonly instance: GcpInstance;
  readonly requestId?: string;
  readonly insertTime: string;
  /** What the VM goes through, one step per listing; the operation is DONE after the last. */
  readonly steps: GceStatus[];
  step: number;
  status: OperationStatus;
  startTime?: string;
  endTime?: string;
}

export interface GcpWriteState extends SimState {
  writes: GcpWrite[];
  operations: SimOperation[];
  /** Principals (the service account key's id) or bearer tokens whose role is read-only: their writes answer 403. */
  readOnlyKeys: string[];
  /** The sim's principal and the tokens issued to it (gcp-login.ts). */
  principal: string;
  issuedTokens: string[];
}

/** The status steps each action takes the VM through, after the operation is accepted. */
const STEPS: Readonly<Record<'stop' | 'start', GceStatus[]>> = {
  stop: ['STOPPING', 'TERMINATED'],
  start: ['PROVISIONING', 'STAGING', 'RUNNING'],
};
/** Already where the action leads: the operation is DONE at once. */
const ARRIVED: Readonly<Record<'stop' | 'start', readonly GceStatus[]>> = { stop: ['TERMINATED'], start: ['RUNNING'] };

const now = (): string => pacificTimestamp(Date.now());

function operationBody(op: SimOperation, user: string): object {
  const zoneUrl = `${COMPUTE}/projects/${op.project}/zones/${op.zone}`;
  const progress = op.status === 'DONE' ? 100 : op.status === 'PENDING' ? 0 : Math.round((100 * op.step) / (op.steps.length + 1));
  return {
    kind: 'compute#operation',
    id: op.id,
    name: op.name,
    zone: zoneUrl,
    operationType: op.operationType,
    targetLink: `${zoneUrl}/instances/${op.instance.name}`,
    targetId: op.instance.id,
    status: op.status,
    user,
    progress,
    insertTime: op.insertTime,
    ...(op.startTime ? { startTime: op.startTime } : {}),
    ...(op.endTime ? { endTime: op.endTime } : {}),
    selfLink: `${zoneUrl}/operations/${op.name}`,
  };
}

/** One step of an operation: the VM moves to its next status; after the last, the operation is DONE. */
function step(op: SimOperation): void {
  if (op.status === 'DONE') return;
  if (op.status === 'PENDING') op.startTime = now();
  op.status = 'RUNNING';
  op.instance.status = op.steps[op.step];
  op.step += 1;
  if (op.step >= op.steps.length) {
    op.status = 'DONE';
    op.endTime = now();
  }
}

/** One listing of a project went by: every operation still under way there moves one step. */
export function advanceOperations(state: GcpWriteState, projectId: string): void {
  for (const op of state.operations) if (op.project === projectId) step(op);
}

const userOf = (state: GcpWriteState): string => `${state.principal}@sim.iam.gserviceaccount.com`;

/** The identity behind a request: a token issued to the sim's principal (or its self-signed JWT) is that principal. */
function readOnly(req: SimRequest<GcpWriteState>): boolean {
  const bearer = req.credential;
  const principal = !bearer || req.state.issuedTokens.includes(bearer) ? req.state.principal : bearer;
  return req.state.readOnlyKeys.includes(principal);
}

/** Compute's 403 for a missing IAM permission on a write: code, message and the legacy `errors` array, as it sends them. */
export function computeForbidden(permission: string, resource: string): SimResponse {
  const message = `Required '${permission}' permission for '${resource}'`;
  return json({ error: { code: 403, message, errors: [{ message, domain: 'global', reason: 'forbidden' }] } }, 403);
}

/** POST …/instances/:instance/stop | /start, after the project was found and may be read (gcp.ts). */
export function instanceAction(req: SimRequest<GcpWriteState>, p: GcpProject, action: 'stop' | 'start'): SimResponse {
  const { state } = req;
  const { zone, instance: name } = req.params;
  const log = (res: SimResponse): SimResponse => {
    state.writes.push({ method: req.method, path: req.path, query: Object.fromEntries(req.query), status: res.status ?? 200 });
    return res;
  };
  const resource = `projects/${p.projectId}/zones/${zone}/instances/${name}`;
  if (!p.zones.includes(zone))
    return log(gcpError(404, `The resource 'projects/${p.projectId}/zones/${zone}' was not found`, { compute: true }));
  if (readOnly(req)) return log(computeForbidden(`compute.instances.${action}`, resource));
  const vm = p.instances.find((i) => i.zone === zone && i.name === name);
  if (!vm) return log(gcpError(404, `The resource '${resource}' was not found`, { compute: true }));
  const requestId = req.query.get('requestId') ?? undefined;
  if (requestId !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(requestId))
    return log(gcpError(400, `Invalid value for field 'requestId': '${requestId}'. Must be a valid UUID.`, { compute: 'invalid' }));
  const seen = requestId && state.operations.find((o) => o.requestId === requestId && o.project === p.projectId);
  if (seen) return log(json(operationBody(seen, userOf(state))));
  const discard = req.query.get('discardLocalSsd');
  if (discard !== null && discard !== 'true' && discard !== 'false')
    return log(gcpError(400, `Invalid value for field 'discardLocalSsd': '${discard}'.`, { compute: 'invalid' }));
  if (action === 'stop' && (vm.localSsds ?? 0) > 0 && discard === null)
    return log(
      gcpError(
        400,
        'VM has a Local SSD attached but an undefined value for `discard-local-ssd`. If using gcloud, please add `--discard-local-ssd=false` or `--discard-local-ssd=true` to your command.',
        { compute: 'badRequest' },
      ),
    );
  const arrived = ARRIVED[action].includes(vm.status);
  const op: SimOperation = {
    id: String(BigInt(1_000_000_000_000_000_000n) + BigInt(state.operations.length + 1) * 7_919n),
    name: `operation-${Date.now()}-${(state.operations.length + 1).toString(16).padStart(13, '0')}-5f1a2b3c-9d8e7f60`,
    project: p.projectId,
    zone,
    operationType: action,
    instance: vm,
    ...(requestId ? { requestId } : {}),
    insertTime: now(),
    steps: arrived ? [] : STEPS[action],
    step: 0,
    status: arrived ? 'DONE' : 'PENDING',
    ...(arrived ? { startTime: now(), endTime: now() } : {}),
  };
  state.operations.push(op);
  return log(json(operationBody(op, userOf(state))));
}

function findOperation(req: SimRequest<GcpWriteState>, p: GcpProject): SimOperation | SimResponse {
  const { zone, operation } = req.params;
  const op = req.state.operations.find((o) => o.project === p.projectId && o.zone === zone && o.name === operation);
  return (
    op ?? gcpError(404, `The resource 'projects/${p.projectId}/zones/${zone}/operations/${operation}' was not found`, { compute: true })
  );
}

/** zoneOperations.get: the operation as it is now; each get is one step of it. */
export function getOperation(req: SimRequest<GcpWriteState>, p: GcpProject): SimResponse {
  const op = findOperation(req, p);
  if (!('steps' in op)) return op;
  step(op);
  return json(operationBody(op, userOf(req.state)));
}

/** zoneOperations.wait: returns once the operation is DONE (here at once: the sim runs it to the end). */
export function waitOperation(req: SimRequest<GcpWriteState>, p: GcpProject): SimResponse {
  const op = findOperation(req, p);
  if (!('steps' in op)) return op;
  while (op.status !== 'DONE') step(op);
  return json(operationBody(op, userOf(req.state)));
}
