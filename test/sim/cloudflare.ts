// The simulated Cloudflare API v4 (cloudflare/api-schemas common.yaml; npm `cloudflare` 7.3.0). Its mount plays the
// role of `https://api.cloudflare.com/client/v4`: the provider's endpoint is `sim.endpoint('cloudflare')`.
//   GET /accounts[/:id]                                  page list (per_page 5–50) / one account
//   GET /accounts/:id/workers/scripts                    every script at once (SinglePage), no result_info
//   GET /accounts/:id/r2/buckets?per_page&cursor          { result: {buckets}, result_info: {cursor?, per_page} }, cursor
//                                                         paging; only the jurisdiction of `cf-r2-jurisdiction` (default),
//                                                         whose items carry no `jurisdiction` field (whether the real list
//                                                         sends it is unconfirmed; wrangler never reads it); a jurisdiction
//                                                         the account may not use (FedRAMP ones) answers 403 {code:10000}
//   GET /accounts/:id/d1/database[?page&per_page]        page list; items carry file_size/num_tables like the real list
//   GET /accounts/:id/d1/database/:uuid                  one database
//   GET /accounts/:id/storage/kv/namespaces              page list
//   GET /accounts/:id/ai/models/search                   page list
//   POST /graphql                                        GraphQL Analytics (cloudflare-graphql.ts)
// Every answer is the v4 envelope `{success, errors, messages, result, result_info}`. Page lists return `result: []`
// past the end (the SDK stops only there) and carry `result_info {page, per_page, count, total_count, total_pages}`
// unless `state.resultInfo` is false. Errors: 401/403 `{code:10000,"Authentication error"}` (a wrong key 401, a key
// in `forbiddenKeys` 403), another account 403, unknown routes 404 `{code:7003}`, 429 `{code:971, "More than 1200
// requests per 300 seconds reached…"}` with `retry-after` (300 unless a fault says otherwise), 5xx envelopes; the
// GraphQL route answers its errors in GraphQL's shape. Knobs: `count` (Workers, default 8; 500 for scale), and
// buckets/databases/namespaces below; `hostile` gives scripts, buckets, databases and namespaces HOSTILE_NAMES.
import { checkKey, presentedBearer } from './auth';
import { createCloudflareData, type CloudflareData, type SimJurisdiction, type SimMinute } from './cloudflare-data';
import { answerGraphql, graphqlError } from './cloudflare-graphql';
import { Router } from './router';
import {
  defineCloud,
  json,
  type SimCloud,
  type SimCloudOptions,
  type SimRequest,
  type SimResponse,
  type SimState,
  simKnobs,
} from './types';

export { simMinute, type SimMinute } from './cloudflare-data';

export interface CloudflareState extends SimState, CloudflareData {
  /** The account that holds every resource (the first of `accounts`); the others are empty. */
  accountId: string;
  minuteOverrides: Map<string, Map<string, SimMinute | null>>;
  /** false: page lists carry no result_info, so a client must read on to the empty page. */
  resultInfo: boolean;
  /** false: D1 list items carry only the documented fields (no file_size, num_tables). */
  d1ListSizes: boolean;
  /** Names (never values) of the credential headers requests carried, to prove no second credential is sent. */
  credentialHeaders: Set<string>;
  /** R2 jurisdictions the account can list (default, eu, us: every account since 2026-08-17; FedRAMP ones need a FedRAMP account). */
  r2Jurisdictions: SimJurisdiction[];
  seed: number;
}

/** The jurisdictions the SDK names (cloudflare 7.3.0 r2 Bucket.jurisdiction); anything else is a bad request. */
export const R2_JURISDICTION_NAMES: readonly SimJurisdiction[] = ['default', 'eu', 'us', 'fedramp', 'fedramp-high'];

export interface CloudflareCloudOptions extends SimCloudOptions {
  readonly buckets?: number;
  readonly euBuckets?: number;
  readonly usBuckets?: number;
  readonly databases?: number;
  readonly namespaces?: number;
  /** Accounts the token reads (default 1); the ones after the first hold nothing but the Workers AI catalogue. */
  readonly accounts?: number;
}

export const CLOUDFLARE_DEFAULT_KEY = 'sim-cloudflare-token-0000000000000000000000';
export const RATE_LIMIT_MESSAGE = 'More than 1200 requests per 300 seconds reached. Please wait and consider throttling your request speed';
/** Page-size bounds per list: [default, min, max]. Requests outside are clamped and the effective size echoed. */
const CREDENTIAL_HEADERS = ['authorization', 'x-auth-key', 'x-auth-email', 'x-auth-user-service-key'];
const PAGE_BOUNDS = { accounts: [20, 5, 50], d1: [1000, 10, 10000], kv: [20, 5, 1000], ai: [20, 1, 100], r2: [20, 1, 1000] } as const;

export function envelope(result: unknown, resultInfo?: Record<string, unknown>): SimResponse {
  return json({ success: true, errors: [], messages: [], result, ...(resultInfo ? { result_info: resultInfo } : {}) });
}

export function failure(status: number, code: number, message: string, headers?: Record<string, string>): SimResponse {
  return json({ success: false, errors: [{ code, message }], messages: [], result: null }, status, headers);
}

/** `page`/`per_page` as the v4 lists read them; undefined for a value that is not a positive integer. */
function paging(
  req: SimRequest<CloudflareState>,
  bounds: readonly [number, number, number],
): { page: number; perPage: number } | undefined {
  const page = Number(req.query.get('page') ?? '1');
  const asked = Number(req.query.get('per_page') ?? String(bounds[0]));
  if (!Number.isInteger(page) || page < 1 || !Number.isInteger(asked) || asked < 1) return undefined;
  return { page, perPage: Math.min(bounds[2], Math.max(bounds[1], asked)) };
}

function pageOf<T>(req: SimRequest<CloudflareState>, items: readonly T[], bounds: readonly [number, number, number]): SimResponse {
  const p = paging(req, bounds);
  if (!p) return failure(400, 1000, 'page and per_page must be positive integers');
  const slice = req.emptyPage ? [] : items.slice((p.page - 1) * p.perPage, p.page * p.perPage);
  const info = {
    page: p.page,
    per_page: p.perPage,
    count: slice.length,
    total_count: items.length,
    total_pages: Math.ceil(items.length / p.perPage),
  };
  return envelope(slice, req.state.resultInfo ? info : undefined);
}

/** Runs `handler` for the account that holds the data, an empty answer for the token's other accounts, else 403. */
function forAccount(handler: (req: SimRequest<CloudflareState>, empty: boolean) => SimResponse) {
  return (req: SimRequest<CloudflareState>): SimResponse => {
    const id = req.params.account_id;
    if (id === req.state.accountId) return handler(req, false);
    if (req.state.accounts.some((a) => a.id === id)) return handler(req, true);
    return failure(403, 10000, 'Authentication error');
  };
}

function listBuckets(req: SimRequest<CloudflareState>, empty: boolean): SimResponse {
  const jurisdiction = String(req.headers['cf-r2-jurisdiction'] ?? 'default') as SimJurisdiction;
  if (!R2_JURISDICTION_NAMES.includes(jurisdiction)) return failure(400, 10059, `Invalid jurisdiction: ${jurisdiction}`);
  if (!req.state.r2Jurisdictions.includes(jurisdiction)) return failure(403, 10000, 'Authentication error');
  const perPage = Math.min(
    PAGE_BOUNDS.r2[2],
    Math.max(PAGE_BOUNDS.r2[1], Number(req.query.get('per_page') ?? PAGE_BOUNDS.r2[0]) || PAGE_BOUNDS.r2[0]),
  );
  const cursor = req.query.get('cursor');
  let after = -1;
  if (cursor !== null) {
    after = Number(
      Buffer.from(cursor, 'base64url')
        .toString('utf8')
        .replace(/^after:/, ''),
    );
    if (!Number.isInteger(after) || after < 0) return failure(400, 10040, 'The cursor is invalid');
  }
  const all = empty ? [] : req.state.buckets.filter((b) => b.jurisdiction === jurisdiction);
  const slice = req.emptyPage ? [] : all.slice(after + 1, after + 1 + perPage);
  const last = after + slice.length;
  const more = slice.length > 0 && last < all.length - 1;
  return envelope(
    { buckets: slice.map(({ jurisdiction: _j, ...item }) => item) },
    { per_page: perPage, ...(more ? { cursor: Buffer.from(`after:${last}`).toString('base64url') } : {}) },
  );
}

function createState(seed: number, o: CloudflareCloudOptions, key: string): CloudflareState {
  const data = createCloudflareData(seed, {
    workers: o.count ?? 8,
    buckets: o.buckets ?? 3,
    euBuckets: o.euBuckets ?? 1,
    usBuckets: o.usBuckets ?? 1,
    databases: o.databases ?? 4,
    namespaces: o.namespaces ?? 5,
    hostile: o.hostile ?? false,
    accounts: o.accounts ?? 1,
  });
  return {
    keys: [key],
    ...data,
    accountId: data.accounts[0].id,
    minuteOverrides: new Map(),
    resultInfo: true,
    d1ListSizes: true,
    credentialHeaders: new Set(),
    r2Jurisdictions: ['default', 'eu', 'us'],
    seed,
  };
}

const GRAPHQL_STATUS_MESSAGES: Readonly<Record<number, string>> = {
  400: 'error parsing args',
  401: 'Unauthorized',
  403: 'not authorized for that account',
  429: 'rate limiter budget depleted, try again after 5 minutes',
  500: 'Internal server error',
  503: 'too many queries in progress, please try again later',
};

function errorFor(status: number, req: SimRequest<CloudflareState>, message: string): SimResponse {
  if (req.path === '/graphql') return graphqlError(GRAPHQL_STATUS_MESSAGES[status] ?? message, status);
  if (status === 401 || status === 403) return failure(status, 10000, 'Authentication error');
  if (status === 404) return failure(404, 7003, `Could not route to ${req.path}, perhaps your object identifier is invalid?`);
  if (status === 429) return failure(429, 971, RATE_LIMIT_MESSAGE, { 'retry-after': '300' });
  return failure(status, status >= 500 ? 10001 : 1000, status >= 500 ? 'Internal Server Error' : message);
}

export function cloudflareCloud(options: CloudflareCloudOptions = {}): SimCloud {
  const id = options.id ?? 'cloudflare';
  const key = options.key ?? CLOUDFLARE_DEFAULT_KEY;
  const routes = new Router<CloudflareState>()
    .get('/accounts', (req) => pageOf(req, req.state.accounts, PAGE_BOUNDS.accounts))
    .get(
      '/accounts/:account_id',
      forAccount((req) => envelope(req.state.accounts.find((a) => a.id === req.params.account_id))),
    )
    .get(
      '/accounts/:account_id/workers/scripts',
      forAccount((req, empty) => envelope(empty || req.emptyPage ? [] : req.state.scripts)),
    )
    .get('/accounts/:account_id/r2/buckets', forAccount(listBuckets))
    .get(
      '/accounts/:account_id/d1/database',
      forAccount((req, empty) => {
        const items = empty
          ? []
          : req.state.d1ListSizes
            ? req.state.databases
            : req.state.databases.map(({ file_size: _f, num_tables: _n, ...rest }) => rest);
        return pageOf(req, items, PAGE_BOUNDS.d1);
      }),
    )
    .get(
      '/accounts/:account_id/d1/database/:uuid',
      forAccount((req) => {
        const db = req.state.databases.find((d) => d.uuid === req.params.uuid);
        return db ? envelope({ ...db, read_replication: { mode: 'disabled' } }) : failure(404, 7404, 'The database could not be found');
      }),
    )
    .get(
      '/accounts/:account_id/storage/kv/namespaces',
      forAccount((req, empty) => pageOf(req, empty ? [] : req.state.namespaces, PAGE_BOUNDS.kv)),
    )
    .get(
      '/accounts/:account_id/ai/models/search',
      forAccount((req, empty) => pageOf(req, empty ? [] : req.state.models, PAGE_BOUNDS.ai)),
    )
    .post('/graphql', (req) =>
      answerGraphql(
        {
          seed: req.state.seed,
          accountId: req.state.accountId,
          emptyAccounts: req.state.accounts.map((a) => a.id).filter((a) => a !== req.state.accountId),
          scripts: req.state.scripts.map((s) => s.id),
          traffic: req.state.traffic,
          minuteOverrides: req.state.minuteOverrides,
          storage: req.state.storage,
        },
        req.body,
      ),
    );
  return defineCloud<CloudflareState>({
    id,
    testKey: key,
    ...simKnobs(options),
    createState: (seed) => createState(seed, options, key),
    routes,
    auth: (req) => {
      for (const name of CREDENTIAL_HEADERS) if (req.headers[name] !== undefined) req.state.credentialHeaders.add(name);
      return checkKey(req, presentedBearer(req), {
        unauthorized: (r) => errorFor(401, r, 'Authentication error'),
        forbidden: (r) => errorFor(403, r, 'Authentication error'),
      });
    },
    error: errorFor,
    decorate: (res, req) =>
      req.credential === undefined
        ? res
        : { ...res, headers: { ...res.headers, Ratelimit: '"default";r=1199;t=300', 'Ratelimit-Policy': '"default";q=1200;w=300' } },
  });
}

/** The sim's minute key (what `datetimeMinute` holds) for a time in ms. */
export function minuteKey(ms: number): string {
  return new Date(Math.floor(ms / 60_000) * 60_000).toISOString().replace('.000Z', 'Z');
}
