// The simulated GraphQL Analytics endpoint (`POST /graphql`), parsing just enough of a query to answer the two
// datasets Cloudtop reads, the way cloudflare-docs analytics/graphql-api describes them:
//   viewer.accounts(filter:{accountTag}) { workersInvocationsAdaptive(limit, filter:{datetime_geq, datetime_lt |
//   datetime_leq, scriptName, scriptName_in}) { sum{…} quantiles{…} dimensions{scriptName datetimeMinute …} }
//   r2StorageAdaptiveGroups(limit, filter:{datetime_geq, datetime_leq, bucketName}) { max{…} dimensions{bucketName} } }
// Answers are HTTP 200 with `errors: null`, or HTTP 200 with `data: null, errors:[{message, path, extensions}]` for an
// unknown field ("unknown field …"), bad arguments ("error parsing args …"), a limit over 10,000, a range over a day,
// and another account ("not authorized for that account"). Only the requested fields are returned.
import { simMinute, type SimMinute, type SimStorage } from './cloudflare-data';
import type { SimResponse } from './types';

export interface GraphqlWorld {
  readonly seed: number;
  readonly accountId: string;
  /** Accounts the token may read that hold nothing. */
  readonly emptyAccounts: readonly string[];
  readonly scripts: readonly string[];
  readonly traffic: ReadonlyMap<string, number>;
  /** Exact rows by script and minute (ISO), overriding generated traffic; `null` removes the minute. */
  readonly minuteOverrides: ReadonlyMap<string, ReadonlyMap<string, SimMinute | null>>;
  readonly storage: ReadonlyMap<string, SimStorage>;
}

export const GRAPHQL_MAX_LIMIT = 10_000;
const MINUTE_MS = 60_000;
const MAX_RANGE_MS = 24 * 60 * MINUTE_MS + MINUTE_MS;
const KNOWN = new Set(
  `query viewer accounts filter accountTag limit orderBy workersInvocationsAdaptive r2StorageAdaptiveGroups
  sum quantiles max dimensions requests errors subrequests cpuTimeP50 cpuTimeP99 scriptName datetimeMinute datetime status
  bucketName objectCount payloadSize metadataSize datetime_geq datetime_leq datetime_lt datetime_gt scriptName_in
  datetime_DESC datetime_ASC string String Time Date`.split(/\s+/),
);

class QueryError extends Error {}

export function graphqlError(message: string, status = 200, path: string[] | null = null): SimResponse {
  return { status, json: { data: null, errors: [{ message, path, extensions: { timestamp: '2026-11-01T12:00:00.000000000Z' } }] } };
}

/** The text between the bracket at `open` and its match. */
function inside(text: string, open: number): string {
  const pairs: Record<string, string> = { '(': ')', '{': '}', '[': ']' };
  const close = pairs[text[open]];
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === text[open]) depth++;
    else if (text[i] === close && --depth === 0) return text.slice(open + 1, i);
  }
  throw new QueryError('syntax error: unbalanced brackets');
}

/** Arguments and selection of `field(args) { selection }`, or undefined when the query does not ask for it. */
function field(query: string, name: string): { args: string; selection: string } | undefined {
  const at = new RegExp(`\\b${name}\\s*\\(`).exec(query);
  if (!at) return undefined;
  const open = at.index + at[0].length - 1;
  const args = inside(query, open);
  const brace = query.indexOf('{', open + args.length + 2);
  return { args, selection: inside(query, brace) };
}

/** `key: $var | "text" | 123 | [..]` inside an argument text, resolved against the variables. */
function arg(text: string, key: string, variables: Record<string, unknown>): unknown {
  const m = new RegExp(`\\b${key}\\s*:\\s*(\\$\\w+|"(?:[^"\\\\]|\\\\.)*"|-?\\d+|\\[[^\\]]*\\])`).exec(text);
  if (!m) return undefined;
  const raw = m[1];
  if (raw.startsWith('$')) return variables[raw.slice(1)];
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new QueryError(`error parsing args for "${key}"`);
  }
}

function timeArg(filter: string, key: string, variables: Record<string, unknown>): number | undefined {
  const value = arg(filter, key, variables);
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw new QueryError(`error parsing args for "${key}": not a time`);
  return ms;
}

/** Words of `name { … }` inside a selection. */
function picks(selection: string, name: string): Set<string> {
  const at = new RegExp(`\\b${name}\\s*{`).exec(selection);
  return at ? new Set(inside(selection, at.index + at[0].length - 1).match(/[A-Za-z_]\w*/g) ?? []) : new Set();
}

const only = (values: Record<string, unknown>, wanted: Set<string>) =>
  Object.fromEntries(Object.entries(values).filter(([k]) => wanted.has(k)));

function limitOf(args: string, variables: Record<string, unknown>): number {
  const limit = arg(args, 'limit', variables);
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > GRAPHQL_MAX_LIMIT) {
    throw new QueryError(`error parsing args for "limit": must be between 1 and ${GRAPHQL_MAX_LIMIT}`);
  }
  return limit;
}

function workerRows(world: GraphqlWorld, f: { args: string; selection: string }, variables: Record<string, unknown>): unknown[] {
  const limit = limitOf(f.args, variables);
  const filter = inside(f.args, f.args.indexOf('{'));
  const geq = timeArg(filter, 'datetime_geq', variables);
  const lt = timeArg(filter, 'datetime_lt', variables);
  const leq = timeArg(filter, 'datetime_leq', variables);
  if (geq === undefined || (lt === undefined && leq === undefined))
    throw new QueryError('a datetime range (datetime_geq and datetime_lt or datetime_leq) is required');
  const end = lt ?? leq! + 1;
  if (end - geq > MAX_RANGE_MS) throw new QueryError('time range is too large: at most one day per query');
  const one = arg(filter, 'scriptName', variables);
  const many = arg(filter, 'scriptName_in', variables);
  if (many !== undefined && (!Array.isArray(many) || many.some((s) => typeof s !== 'string')))
    throw new QueryError('error parsing args for "scriptName_in"');
  const wanted = new Set<string>(typeof one === 'string' ? [one] : Array.isArray(many) ? (many as string[]) : world.scripts);
  const dims = picks(f.selection, 'dimensions');
  const sums = picks(f.selection, 'sum');
  const quantiles = picks(f.selection, 'quantiles');
  const rows: unknown[] = [];
  for (const script of world.scripts) {
    if (!wanted.has(script)) continue;
    const minutes: Array<[string, SimMinute]> = [];
    const first = Math.ceil(geq / MINUTE_MS) * MINUTE_MS;
    for (let m = first; m < end; m += MINUTE_MS) {
      const minute = new Date(m).toISOString().replace('.000Z', 'Z');
      const override = world.minuteOverrides.get(script)?.get(minute);
      const row =
        override === undefined ? simMinute(world.seed, script, (m - first) / MINUTE_MS, world.traffic.get(script) ?? 0) : override;
      if (row) minutes.push([minute, row]);
    }
    const groups =
      dims.has('datetimeMinute') || dims.has('datetime') ? minutes.map((entry) => [entry]) : minutes.length > 0 ? [minutes] : [];
    for (const group of groups) {
      const total = (k: keyof SimMinute) => group.reduce((s, [, r]) => s + r[k], 0);
      const requests = total('requests');
      // One minute: its own quantiles; several (no time dimension): a request-weighted blend, as a sim's stand-in.
      const weightedQ = (k: 'cpuTimeP50' | 'cpuTimeP99') =>
        group.length === 1 ? group[0][1][k] : Math.round((group.reduce((s, [, r]) => s + r[k] * r.requests, 0) / requests) * 10) / 10;
      rows.push({
        ...(sums.size > 0 ? { sum: only({ requests, errors: total('errors'), subrequests: total('subrequests') }, sums) } : {}),
        ...(quantiles.size > 0
          ? { quantiles: only({ cpuTimeP50: weightedQ('cpuTimeP50'), cpuTimeP99: weightedQ('cpuTimeP99') }, quantiles) }
          : {}),
        ...(dims.size > 0
          ? { dimensions: only({ scriptName: script, datetimeMinute: group[0][0], datetime: group[0][0], status: 'success' }, dims) }
          : {}),
      });
    }
  }
  return rows.slice(0, limit);
}

function storageRows(world: GraphqlWorld, f: { args: string; selection: string }, variables: Record<string, unknown>): unknown[] {
  const limit = limitOf(f.args, variables);
  const filter = inside(f.args, f.args.indexOf('{'));
  const geq = timeArg(filter, 'datetime_geq', variables);
  const leq = timeArg(filter, 'datetime_leq', variables) ?? timeArg(filter, 'datetime_lt', variables);
  if (geq === undefined || leq === undefined) throw new QueryError('a datetime range is required');
  const bucket = arg(filter, 'bucketName', variables);
  const max = picks(f.selection, 'max');
  const dims = picks(f.selection, 'dimensions');
  return [...world.storage]
    .filter(([name]) => bucket === undefined || name === bucket)
    .map(([name, s]) => ({
      ...(max.size > 0 ? { max: only({ ...s }, max) } : {}),
      ...(dims.size > 0 ? { dimensions: only({ bucketName: name, datetime: new Date(leq).toISOString() }, dims) } : {}),
    }))
    .slice(0, limit);
}

export function answerGraphql(world: GraphqlWorld, body: unknown): SimResponse {
  const b = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  if (typeof b.query !== 'string') return graphqlError('failed to parse request body: no query');
  const variables = b.variables !== null && typeof b.variables === 'object' ? (b.variables as Record<string, unknown>) : {};
  const query = b.query.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/#[^\n]*/g, '');
  try {
    const words = query.replace(/\$\w+/g, ' ').match(/[A-Za-z_]\w*/g) ?? [];
    const unknown = words.find((w, i) => !KNOWN.has(w) && words[i - 1] !== 'query');
    if (unknown) return graphqlError(`unknown field "${unknown}"`);
    const accounts = field(query, 'accounts');
    if (!accounts) return graphqlError('unknown query: only viewer.accounts is simulated');
    const tag = arg(accounts.args, 'accountTag', variables);
    if (tag !== world.accountId && !world.emptyAccounts.includes(String(tag))) {
      return graphqlError('not authorized for that account', 200, ['viewer', 'accounts']);
    }
    const empty = tag !== world.accountId;
    const node: Record<string, unknown> = {};
    const workers = field(accounts.selection, 'workersInvocationsAdaptive');
    if (workers) node.workersInvocationsAdaptive = empty ? [] : workerRows(world, workers, variables);
    const r2 = field(accounts.selection, 'r2StorageAdaptiveGroups');
    if (r2) node.r2StorageAdaptiveGroups = empty ? [] : storageRows(world, r2, variables);
    return { json: { data: { viewer: { accounts: [node] } }, errors: null } };
  } catch (error) {
    if (error instanceof QueryError) return graphqlError(error.message);
    throw error;
  }
}
