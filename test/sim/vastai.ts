// The simulated Vast.ai API (vast-ai/docs api-reference/openapi/yaml/*.yaml and rate-limits-and-errors.mdx;
// vast-ai/vast-cli), with its real shapes and quirks:
//
//   GET  /api/v1/instances/?limit&after_token&order_by&select_filters&select_cols   (JSON-encoded values)
//        → { success, instances_found, total_instances, label_counts, next_token | null, instances: [...] }
//        ≤ 25 per page (≤ 0 → 5), keyset tokens, 400 { error: invalid_request | invalid_token, msg }
//   GET  /api/v0/instances/            → { instances_found, instances: [...] }       (legacy, unpaginated)
//   GET  /api/v0/instances/:id/        → { instances: { … } | null }                 (plural key, one object)
//   POST /api/v0/bundles/ {filters, order, type: on-demand|bid, limit, allocated_storage} → { offers: [...] }
//   GET  /api/v0/users/current/        → { id, email, balance, credit, … }
//   PUT  /api/v0/instances/:id/ {state: stopped|running} → { success: true }; the instance moves over the next lists
//        (vastai-writes.ts); a key in `readOnlyKeys` gets 403; every write is in `writes`
//   errors → { success: false, error, msg }; a bad key → 401 "Invalid user key" (404 on the offer search);
//   a forbidden key → 403; a 429 is plain text "API requests too frequent" without Retry-After.
//
// Knobs in the state: `v1` (false: the v1 route answers an HTML 404, like a server without it), `limits`
// (Vast.ai's per-endpoint limits: a minimum interval, or calls per minute; a call over them gets the 429),
// `jsonRateLimit` (the JSON 429 variant).
import { bearerAuth } from './auth';
import { Router } from './router';
import type { GpuMix } from './seed';
import { defineCloud, json, text, type SimCloud, type SimCloudOptions, type SimRequest, type SimResponse } from './types';
import { advanceTransitions, putInstanceState, type VastWriteState } from './vastai-writes';
import { createVastData, diskHour, type VastSimInstance, type VastSimOffer } from './vastai-data';
import { after, applyFilters, decodeToken, encodeToken, jsonParam, parseOrderBy, QueryError, sortRows, type Row } from './vastai-query';

export interface VastState extends VastWriteState {
  instances: VastSimInstance[];
  offers: VastSimOffer[];
  /** false: a server without the v1 list (answers 404), so clients must use the legacy v0 list. */
  v1: boolean;
  /** Per-endpoint limits per key (none by default); `documentedLimits` sets the ones the openapi files give. */
  limits: Partial<Record<VastEndpoint, EndpointLimit>>;
  /** Answer rate limits with the JSON `{detail}` body of the openapi files instead of plain text. */
  jsonRateLimit: boolean;
  /** Call times per endpoint and key, for `limits`. */
  calls: Map<string, number[]>;
}

export type VastEndpoint = 'v1-instances' | 'v0-instances' | 'v0-instance' | 'bundles';
export interface EndpointLimit {
  /** Minimum ms between two calls ("threshold" in the openapi files, read as seconds). */
  readonly intervalMs?: number;
  readonly perMinute?: number;
}

/** x-rate-limit of show_instances.yaml (threshold 1.0), show_instance.yaml (2.0) and search_offers.yaml (10/min). */
export const DOCUMENTED_LIMITS: Readonly<Partial<Record<VastEndpoint, EndpointLimit>>> = {
  'v1-instances': { intervalMs: 1000 },
  'v0-instance': { intervalMs: 2000 },
  bundles: { perMinute: 10 },
};

export interface VastCloudOptions extends SimCloudOptions {
  /** Marketplace offers (default 60). */
  readonly offers?: number;
  readonly gpuMix?: GpuMix;
  readonly v1?: boolean;
  /** Enforce DOCUMENTED_LIMITS (uses the clock; off by default so ordinary tests never see a 429 they did not ask for). */
  readonly documentedLimits?: boolean;
}

export const VAST_MAX_LIMIT = 25;
export const vastKey = (id = 'vastai'): string => `sim-${id}-key`;
export const RATE_LIMIT_TEXT = 'API requests too frequent';

/** Computed columns the v1 list refuses to filter on (show_instances.yaml). */
const COMPUTED = new Set(['dph_total', 'num_gpus', 'search', 'instance', 'duration']);
const vastError = (status: number, error: string, msg: string): SimResponse => json({ success: false, error, msg }, status);
const badQuery = (e: QueryError): SimResponse => json({ error: e.error, msg: e.message }, 400);

/** Vast.ai's 429: plain text (or the openapi files' JSON `{detail}`), never a Retry-After header. */
function rateLimited(state: VastState, threshold?: number): SimResponse {
  const at = threshold === undefined ? '' : ` endpoint threshold=${threshold.toFixed(1)}`;
  return state.jsonRateLimit ? json({ detail: `${RATE_LIMIT_TEXT}${at}` }, 429) : text(`${RATE_LIMIT_TEXT}${at ? `:${at}` : ''}`, 429);
}

/** Enforces an endpoint's limit per identity, the way Vast.ai applies its limits; rejected calls count too. */
function throttled(endpoint: VastEndpoint, handler: (req: SimRequest<VastState>) => SimResponse) {
  return (req: SimRequest<VastState>): SimResponse => {
    const { state } = req;
    const limit = state.limits[endpoint];
    if (limit) {
      const key = `${endpoint} ${req.credential ?? ''}`;
      const now = Date.now();
      const calls = (state.calls.get(key) ?? []).filter((t) => now - t < 60_000);
      state.calls.set(key, [...calls, now]);
      const last = calls[calls.length - 1];
      if (limit.intervalMs !== undefined && last !== undefined && now - last < limit.intervalMs)
        return rateLimited(state, limit.intervalMs / 1000);
      if (limit.perMinute !== undefined && calls.length >= limit.perMinute) return rateLimited(state);
    }
    return handler(req);
  };
}

function listV1(req: SimRequest<VastState>): SimResponse {
  // A refresh lists once, from its first page: that is one poll.
  if (!req.query.get('after_token')) advanceTransitions(req.state);
  if (!req.state.v1)
    return text('<h1>Not Found</h1><p>The requested resource was not found on this server.</p>', 404, { 'content-type': 'text/html' });
  try {
    const columns = new Set(Object.keys(req.state.instances[0] ?? { id: 0 }));
    const rawLimit = jsonParam(req.query, 'limit', VAST_MAX_LIMIT);
    if (typeof rawLimit !== 'number' || !Number.isInteger(rawLimit))
      throw new QueryError('invalid_request', 'Error in query parameters: limit must be an integer');
    const limit = rawLimit <= 0 ? 5 : Math.min(rawLimit, VAST_MAX_LIMIT);
    const order = parseOrderBy(jsonParam(req.query, 'order_by', [{ col: 'id', dir: 'asc' }]), columns);
    const filters = jsonParam(req.query, 'select_filters', {});
    const cols = jsonParam(req.query, 'select_cols', ['*']);
    if (!Array.isArray(cols)) throw new QueryError('invalid_request', 'Error in query parameters: select_cols must be a JSON array');
    const matching = sortRows(
      applyFilters(req.state.instances as unknown as Row[], filters, (f) => columns.has(f) && !COMPUTED.has(f)),
      order,
    );
    const token = req.query.get('after_token');
    const rest = token === null || token === '' ? matching : after(matching, decodeToken(token, order), order);
    const page = req.emptyPage ? [] : rest.slice(0, limit);
    const more = !req.emptyPage && rest.length > limit;
    const labelCounts: Record<string, number> = {};
    for (const row of matching) {
      const label = typeof row.label === 'string' ? row.label : ''; // unlabelled instances count under ""
      labelCounts[label] = (labelCounts[label] ?? 0) + 1;
    }
    const project = (row: Row): Row =>
      cols.includes('*') ? row : Object.fromEntries(cols.map((c: unknown) => [String(c), row[String(c)] ?? null]));
    return json({
      success: true,
      instances_found: page.length,
      total_instances: matching.length,
      label_counts: labelCounts,
      next_token: more ? encodeToken(page[page.length - 1], order) : null,
      instances: page.map(project),
    });
  } catch (e) {
    if (e instanceof QueryError) return badQuery(e);
    throw e;
  }
}

/** Search: the body's filters over the market, priced for the requested type and storage. */
function searchOffers(req: SimRequest<VastState>): SimResponse {
  const body = req.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return json({ error: 'invalid_request', msg: 'Invalid json body' }, 400);
  const { order, type = 'on-demand', limit, allocated_storage: storage = 8, ...filters } = body as Row;
  if (!['on-demand', 'ondemand', 'bid', 'reserved'].includes(String(type)))
    return json({ error: 'invalid_request', msg: `Invalid type ${String(type)}` }, 400);
  if (typeof storage !== 'number' || storage < 0) return json({ error: 'invalid_request', msg: 'allocated_storage must be a number' }, 400);
  const bid = type === 'bid';
  const priced = req.state.offers.map((o) => {
    const gpuHour = bid ? o.min_bid : o.dph_base;
    const disk = diskHour(o.storage_cost, storage);
    const total = gpuHour + disk;
    return {
      ...o,
      dph_total: total,
      is_bid: bid,
      search: { gpuCostPerHour: gpuHour, diskHour: disk, totalHour: total, discountTotalHour: 0, discountedTotalPerHour: total },
      time_remaining: '',
    };
  });
  try {
    const columns = new Set(Object.keys(priced[0] ?? {}));
    const matching = applyFilters(priced as unknown as Row[], filters, (f) => columns.size === 0 || columns.has(f));
    const directives = Array.isArray(order)
      ? order.map((o) => ({ col: String((o as unknown[])[0]), dir: String((o as unknown[])[1]) }))
      : [{ col: 'score', dir: 'desc' }];
    const sorted = sortRows(matching, parseOrderBy(directives, new Set([...columns, 'id'])));
    const capped = typeof limit === 'number' && limit > 0 ? sorted.slice(0, limit) : sorted.slice(0, 64);
    return json({ offers: req.emptyPage ? [] : capped });
  } catch (e) {
    if (e instanceof QueryError) return json({ error: e.error, msg: e.message }, 400);
    throw e;
  }
}

export function vastCloud(options: VastCloudOptions = {}): SimCloud {
  const id = options.id ?? 'vastai';
  const key = options.key ?? vastKey(id);
  const routes = new Router<VastState>()
    .get('/api/v1/instances', throttled('v1-instances', listV1))
    .get(
      '/api/v0/instances',
      throttled('v0-instances', (req) => {
        advanceTransitions(req.state);
        return json({ instances_found: req.state.instances.length, instances: req.emptyPage ? [] : req.state.instances });
      }),
    )
    .get(
      '/api/v0/instances/:id',
      throttled('v0-instance', (req) => json({ instances: req.state.instances.find((i) => String(i.id) === req.params.id) ?? null })),
    )
    .put('/api/v0/instances/:id', putInstanceState)
    .post('/api/v0/bundles', throttled('bundles', searchOffers))
    .get('/api/v0/users/current', () =>
      json({ id: 4242, key_id: 77, email: 'sim@example.invalid', balance: 4792.99, credit: 4792.99, ssh_key: '', sid: 'sim' }),
    );
  return defineCloud<VastState>({
    id,
    testKey: key,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
    createState: (seed) => ({
      keys: [key],
      ...createVastData(seed, {
        count: options.count ?? 12,
        offers: options.offers ?? 60,
        ...(options.gpuMix ? { gpuMix: options.gpuMix } : {}),
        ...(options.hostile ? { hostile: true } : {}),
      }),
      v1: options.v1 ?? true,
      limits: options.documentedLimits ? { ...DOCUMENTED_LIMITS } : {},
      jsonRateLimit: false,
      calls: new Map(),
      readOnlyKeys: [],
      writes: [],
      pending: new Map(),
      pollsToSettle: 2,
    }),
    routes,
    auth: bearerAuth<VastState>({
      // The legacy CLI appended ?api_key= to every URL; the server still accepts it.
      queryParam: 'api_key',
      // The offer search documents its bad-key answer as 404 (search_offers.yaml); everything else says 401.
      unauthorized: (req) =>
        req.route === '/api/v0/bundles'
          ? json({ error: 'auth_error', msg: 'Invalid user key' }, 404)
          : vastError(401, 'auth_error', 'Invalid user key'),
      forbidden: () => vastError(403, 'forbidden', 'This API key does not have permission for this endpoint'),
    }),
    // 429 without a body of its own is Vast.ai's usual plain text; everything else its JSON envelope.
    error: (status, req, message) =>
      status === 429
        ? rateLimited(req.state)
        : vastError(status, status === 404 ? 'not_found' : status >= 500 ? 'server_error' : 'invalid_args', message),
  });
}
