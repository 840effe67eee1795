// The simulated Vast.ai itself, over plain fetch: the shapes and quirks the provider tests rely on.
import assert from 'node:assert/strict';
import { startSim, type Sim } from '../server';
import { HOSTILE_NAMES } from '../hostile';
import { RATE_LIMIT_TEXT, vastCloud, type VastState } from '../vastai';
import { vastInstance } from '../vastai-data';
import { call } from '../../support/sim-client';

describe('simulated Vast.ai API', () => {
  let sim: Sim;
  let base: string;
  let key: string;
  const v1 = (q: Record<string, string>) => `${base}/api/v1/instances/?${new URLSearchParams(q).toString()}`;
  const byId = [{ col: 'id', dir: 'asc' }];

  beforeEach(async () => {
    sim = await startSim({ clouds: [vastCloud({ count: 60 })] });
    base = sim.endpoint('vastai');
    key = sim.keys().vastai;
  });
  afterEach(() => sim.close());

  it('pages the v1 list with keyset tokens, at most 25 per page, in the asked order', async () => {
    const ids: number[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const q: Record<string, string> = { limit: '100', order_by: JSON.stringify(byId) };
      if (token) q.after_token = token;
      const { status, body } = await call<{
        instances: { id: number }[];
        next_token: string | null;
        total_instances: number;
        success: boolean;
      }>(v1(q), { key });
      assert.equal(status, 200);
      assert.equal(body.success, true);
      assert.equal(body.total_instances, 60);
      assert.ok(body.instances.length <= 25);
      ids.push(...body.instances.map((i) => i.id));
      token = body.next_token;
      pages++;
    } while (token);
    assert.equal(pages, 3);
    const stored = sim.state<VastState>('vastai').instances.map((i) => i.id);
    assert.deepEqual(
      ids,
      [...stored].sort((a, b) => a - b),
    );
    assert.notDeepEqual(stored, ids, 'the state is stored out of order, so sorting is the server’s job');
    const { body: first } = await call<{ instances: unknown[] }>(v1({ limit: '0' }), { key });
    assert.equal(first.instances.length, 5, 'limit ≤ 0 gives 5');
  });

  it('answers bad queries and tokens with the documented 400 bodies', async () => {
    const bad = async (q: Record<string, string>, error: string) => {
      const { status, body } = await call<{ error: string; msg: string }>(v1(q), { key });
      assert.equal(status, 400, JSON.stringify(q));
      assert.equal(body.error, error);
    };
    await bad({ after_token: 'not a token!' }, 'invalid_token');
    await bad({ after_token: JSON.stringify(Buffer.from('{"values":{"id":1}}').toString('base64')) }, 'invalid_token');
    await bad({ select_filters: JSON.stringify({ dph_total: { lt: 1 } }) }, 'invalid_request');
    await bad({ order_by: JSON.stringify([{ col: 'nope', dir: 'asc' }]) }, 'invalid_request');
    await bad({ limit: 'twenty' }, 'invalid_request');
    const { body } = await call<{ instances: { actual_status: string }[] }>(
      v1({ select_filters: JSON.stringify({ actual_status: { eq: 'running' } }) }),
      { key },
    );
    assert.ok(body.instances.length > 0 && body.instances.every((i) => i.actual_status === 'running'));
  });

  it('serves the legacy list, the single-instance wrapper and a missing v1 route', async () => {
    const state = sim.state<VastState>('vastai');
    const legacy = await call<{ instances: unknown[] }>(`${base}/api/v0/instances/?owner=me`, { key });
    assert.equal(legacy.body.instances.length, 60);
    const one = state.instances[0];
    const single = await call<{ instances: { id: number } }>(`${base}/api/v0/instances/${one.id}/`, { key });
    assert.equal(single.body.instances.id, one.id, 'plural key wrapping one object');
    assert.equal((await call<{ instances: null }>(`${base}/api/v0/instances/1/`, { key })).body.instances, null);
    state.v1 = false;
    const missing = await call(v1({}), { key });
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('content-type') ?? '', /html/);
  });

  it('rejects keys the way Vast.ai does: 401, 404 on the offer search, 403 for a forbidden key; accepts ?api_key=', async () => {
    const denied = await call<Record<string, unknown>>(v1({}), { key: 'wrong' });
    assert.equal(denied.status, 401);
    assert.deepEqual(denied.body, { success: false, error: 'auth_error', msg: 'Invalid user key' });
    const search = await call<Record<string, unknown>>(`${base}/api/v0/bundles/`, { key: 'wrong', json: {} });
    assert.equal(search.status, 404);
    assert.equal(search.body.msg, 'Invalid user key');
    const state = sim.state<VastState>('vastai');
    state.forbiddenKeys = ['read-only'];
    assert.equal((await call(v1({}), { key: 'read-only' })).status, 403);
    assert.equal((await call(`${base}/api/v0/instances/?api_key=${key}`)).status, 200);
  });

  it('sends 429 as plain text without Retry-After, the JSON variant on request, and enforces documented limits', async () => {
    sim.faults.add('vastai', 'GET /api/v1/instances', { status: 429 });
    const plain = await call(v1({}), { key });
    assert.equal(plain.status, 429);
    assert.match(plain.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(plain.text, RATE_LIMIT_TEXT);
    assert.equal(plain.headers.get('retry-after'), null);
    const state = sim.state<VastState>('vastai');
    state.jsonRateLimit = true;
    state.limits = { 'v1-instances': { intervalMs: 60_000 } };
    assert.equal((await call(v1({}), { key })).status, 200);
    const fast = await call<{ detail: string }>(v1({}), { key });
    assert.equal(fast.status, 429);
    assert.match(fast.body.detail, /^API requests too frequent endpoint threshold=60\.0$/);
  });

  it('prices offers for the searched type and storage, applies the filters, and orders them', async () => {
    const body = {
      verified: { eq: true },
      rentable: { eq: true },
      rented: { eq: false },
      external: { eq: false },
      order: [['dph_total', 'asc']],
      limit: 1000,
      allocated_storage: 5,
    };
    const onDemand = await call<{
      offers: { id: number; dph_total: number; verified: boolean; rentable: boolean; rented: boolean; external: boolean }[];
    }>(`${base}/api/v0/bundles/`, { key, json: { ...body, type: 'on-demand' } });
    const bid = await call<{ offers: { id: number; dph_total: number }[] }>(`${base}/api/v0/bundles/`, {
      key,
      json: { ...body, type: 'bid' },
    });
    const state = sim.state<VastState>('vastai');
    const eligible = state.offers.filter((o) => o.verified && o.rentable && !o.rented && !o.external);
    assert.ok(eligible.length > 0 && eligible.length < state.offers.length, 'the seed has offers on both sides of the filters');
    assert.equal(onDemand.body.offers.length, eligible.length);
    for (const o of onDemand.body.offers) {
      const src = state.offers.find((x) => x.id === o.id)!;
      assert.ok(Math.abs(o.dph_total - (src.dph_base + (src.storage_cost * 5) / 720)) < 1e-9);
      const b = bid.body.offers.find((x) => x.id === o.id)!;
      assert.ok(Math.abs(b.dph_total - (src.min_bid + (src.storage_cost * 5) / 720)) < 1e-9, 'bid prices use min_bid');
    }
    const prices = onDemand.body.offers.map((o) => o.dph_total);
    assert.deepEqual(
      prices,
      [...prices].sort((a, b) => a - b),
    );
    assert.equal((await call(`${base}/api/v0/bundles/`, { key, json: { type: 'spot' } })).status, 400);
  });

  it('hostile mode gives every hostile label, and its single rows can be built field by field', async () => {
    await sim.close();
    sim = await startSim({ clouds: [vastCloud({ count: 30, hostile: true })] });
    const labels = sim.state<VastState>('vastai').instances.map((i) => i.label);
    for (const name of HOSTILE_NAMES) assert.ok(labels.includes(name), JSON.stringify(name));
    assert.ok(labels.includes(null), 'nullable labels are sometimes null');
    const row = vastInstance({ id: 5, storage_cost: 0.15, disk_space: 10.08, dph_base: 0.8 });
    assert.ok(Math.abs(row.storage_total_cost - 0.0021) < 1e-12);
    assert.ok(Math.abs(row.dph_total - 0.8021) < 1e-12);
  });
});
