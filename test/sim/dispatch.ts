// One request through the sim: log → body → route → auth → fault → latency → handler → wire.
// Auth is evaluated before faults so the log tells whether a request's credential was good even when a
// fault then replaced the answer; latency applies to every answer, faulty ones included.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { faultKind, type Fault, type FaultPlan } from './faults';
import type { LogEntry, RequestLog } from './log';
import type { SimCloud, SimRequest, SimResponse, SimState } from './types';
import { genericError } from './types';
import * as wire from './wire';

/** A cloud as the server holds it: the module plus its live state and where it is reachable. */
export interface MountedCloud {
  readonly cloud: SimCloud;
  readonly seed: number;
  state: SimState;
  /** Absolute URL handlers use to build links (the prefix on the shared port, or the own port's root). */
  baseUrl: string;
}

export interface DispatchContext {
  readonly log: RequestLog;
  readonly faults: FaultPlan;
  /** Resolves false when the sim closed meanwhile: the request is then abandoned. */
  wait(ms: number): Promise<boolean>;
  latencyFor(cloudId: string): number;
}

export function errorResponse(mounted: MountedCloud, status: number, req: SimRequest, message: string): SimResponse {
  return mounted.cloud.error?.(status, req, message) ?? genericError(status, message);
}

function finish(entry: LogEntry, started: number, status: number | null): void {
  entry.status = status;
  entry.durationMs = Math.round((performance.now() - started) * 10) / 10;
}

export async function dispatch(
  ctx: DispatchContext,
  mounted: MountedCloud | undefined,
  path: string,
  query: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const entry = ctx.log.record(mounted?.cloud.id ?? null, method, path, query);
  const started = performance.now();

  let rawBody: string;
  try {
    rawBody = await wire.readBody(req);
  } catch (err) {
    if (err instanceof wire.BodyTooLarge) wire.writeResponse(res, genericError(413, err.message));
    finish(entry, started, err instanceof wire.BodyTooLarge ? 413 : null);
    return;
  }

  if (!mounted) {
    const answer = genericError(404, `No simulated cloud serves ${path}`);
    if (await ctx.wait(ctx.latencyFor(''))) wire.writeResponse(res, answer);
    finish(entry, started, 404);
    return;
  }

  const { cloud } = mounted;
  const match = cloud.routes.match(method, path);
  entry.route = match?.route.pattern ?? null;
  const request: SimRequest = {
    cloud: cloud.id,
    method,
    path,
    route: entry.route,
    params: match?.params ?? {},
    query,
    target: req.url ?? path,
    headers: req.headers,
    body: wire.parseBody(rawBody, req.headers['content-type']),
    rawBody,
    state: mounted.state,
    baseUrl: mounted.baseUrl,
    emptyPage: false,
  };

  let authFailure: SimResponse | undefined;
  let credential: string | undefined;
  if (match && !match.route.public && cloud.auth) {
    const result = cloud.auth(request);
    entry.authOk = result.ok;
    if (result.ok) credential = result.credential;
    else authFailure = result.response;
  }

  const fault = ctx.faults.take(cloud.id, method, path, query);
  if (fault) entry.fault = faultKind(fault);

  if (!(await ctx.wait(ctx.latencyFor(cloud.id)))) return finish(entry, started, null);
  if (fault?.kind === 'delay' && !(await ctx.wait(fault.ms))) return finish(entry, started, null);

  switch (fault?.kind) {
    case 'reset':
      wire.resetConnection(res);
      return finish(entry, started, null);
    case 'hang':
      // Nothing is written; the socket stays open until the client gives up or the sim closes.
      return finish(entry, started, null);
    case 'malformed':
      wire.writeMalformed(res);
      return finish(entry, started, 200);
    case 'redirect': {
      const status = fault.status ?? 302;
      wire.writeResponse(res, { status, headers: { location: fault.to }, text: '' });
      return finish(entry, started, status);
    }
  }

  const answered = { ...request, emptyPage: fault?.kind === 'empty-page', ...(credential ? { credential } : {}) };
  let answer = await answerFor(mounted, answered, fault, authFailure, match?.route.handler, entry);
  if (cloud.decorate) answer = cloud.decorate(answer, answered);
  if (fault?.kind === 'truncated') wire.writeTruncated(res, answer);
  else wire.writeResponse(res, answer);
  finish(entry, started, answer.status ?? 200);
}

/** A fault's headers replace the cloud's own of the same name, whatever its case (`Retry-After` vs `retry-after`). */
function overrideHeaders(own: SimResponse['headers'], fault: SimResponse['headers']): SimResponse['headers'] {
  if (!fault) return own;
  const replaced = new Set(Object.keys(fault).map((name) => name.toLowerCase()));
  return { ...Object.fromEntries(Object.entries(own ?? {}).filter(([name]) => !replaced.has(name.toLowerCase()))), ...fault };
}

async function answerFor(
  mounted: MountedCloud,
  req: SimRequest,
  fault: Fault | undefined,
  authFailure: SimResponse | undefined,
  handler: ((req: SimRequest) => SimResponse | Promise<SimResponse>) | undefined,
  entry: LogEntry,
): Promise<SimResponse> {
  if (fault && faultKind(fault) === 'status' && 'status' in fault && fault.kind !== 'redirect') {
    if (fault.body === undefined) {
      const base = errorResponse(mounted, fault.status, req, `Injected fault: HTTP ${fault.status}`);
      return { ...base, status: fault.status, headers: overrideHeaders(base.headers, fault.headers) };
    }
    const body = typeof fault.body === 'string' ? { text: fault.body } : { json: fault.body };
    return { status: fault.status, ...(fault.headers ? { headers: fault.headers } : {}), ...body };
  }
  if (authFailure) return authFailure;
  if (!handler) return errorResponse(mounted, 404, req, `No route for ${req.method} ${req.path}`);
  try {
    return await handler(req);
  } catch (err) {
    // A crashing handler is a bug in the sim: answer 500 and keep the message in the log for the test.
    entry.error = err instanceof Error ? err.message : String(err);
    return errorResponse(mounted, 500, req, 'Simulated cloud handler failed');
  }
}
