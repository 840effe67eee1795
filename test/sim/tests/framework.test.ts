// The simulated-clouds framework itself: mounting, routing, pagination, auth, request log, latency,
// seeded and hostile data. Faults are in faults.test.ts, the runnable entry in main.test.ts.
import assert from 'node:assert/strict';
import {
  EXAMPLE_DEFAULT_LIMIT,
  exampleCloud,
  exampleKey,
  type ExampleOffer,
  type ExampleResource,
  type ExampleState,
} from '../example-cloud';
import { HOSTILE_NAMES, LONG_NAME } from '../hostile';
import { compilePattern, Router } from '../router';
import { GPU_MODELS, hashSeed, Rng } from '../seed';
import { startSim, type Sim } from '../server';
import { defineCloud, json, type SimState } from '../types';
import { call } from '../../support/sim-client';

type Page = { items: ExampleResource[]; next_cursor: string | null };
type Metrics = { metrics: Record<string, { cpu: number[]; mem: number[]; gpu_util?: number[] }> };

async function allPages(sim: Sim, cloud: string, key: string, limit?: number): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const q = new URLSearchParams();
    if (limit) q.set('limit', String(limit));
    if (cursor) q.set('cursor', cursor);
    const res = await call<Page>(`${sim.endpoint(cloud)}/resources?${q}`, { key });
    assert.equal(res.status, 200, res.text);
    pages.push(res.body);
    cursor = res.body.next_cursor;
  } while (cursor && pages.length < 100);
  return pages;
}

describe('sim: example cloud routes, auth and log', () => {
  let sim: Sim;
  let base: string;
  const KEY = exampleKey('example');
  before(async () => {
    sim = await startSim({ clouds: [exampleCloud({ count: 250 })], seed: 42 });
    base = sim.endpoint('example');
  });
  afterEach(() => sim.reset());
  after(() => sim.close());

  it('mounts the cloud under /<id> on 127.0.0.1', () => {
    assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(base, `${sim.url}/example`);
    assert.deepEqual(sim.keys(), { example: KEY });
  });

  it('paginates with the default limit of 100 and a null cursor at the end', async () => {
    const pages = await allPages(sim, 'example', KEY);
    assert.deepEqual(
      pages.map((p) => p.items.length),
      [EXAMPLE_DEFAULT_LIMIT, EXAMPLE_DEFAULT_LIMIT, 50],
    );
    const ids = pages.flatMap((p) => p.items.map((r) => r.id));
    assert.equal(new Set(ids).size, 250);
    for (const r of pages[0].items) {
      assert.ok(['running', 'stopped', 'starting'].includes(r.status));
      assert.match(r.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    assert.ok(pages[0].items.some((r) => r.gpu_name && r.gpu_count && typeof r.price_per_hour === 'number'));
  });

  it('honours ?limit and rejects a bad limit or cursor', async () => {
    assert.equal((await allPages(sim, 'example', KEY, 30)).length, 9);
    assert.equal((await call(`${base}/resources?limit=0`, { key: KEY })).status, 400);
    const bad = await call(`${base}/resources?cursor=garbage`, { key: KEY });
    assert.deepEqual([bad.status, (bad.body as { error: string }).error], [400, 'invalid_cursor']);
  });

  it('serves batch metrics per minute, empty series for stopped resources, at most 100 ids', async () => {
    const [page] = await allPages(sim, 'example', KEY);
    const running = page.items.find((r) => r.status === 'running' && r.gpu_name)!;
    const stopped = page.items.find((r) => r.status === 'stopped')!;
    const window = { start: '2026-11-01T12:00:00Z', end: '2026-11-01T12:05:00Z' };
    const res = await call<Metrics>(`${base}/metrics/batch`, { key: KEY, json: { ids: [running.id, stopped.id, 'nope'], ...window } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body.metrics).sort(), [running.id, stopped.id].sort());
    const m = res.body.metrics[running.id];
    assert.equal(m.cpu.length, 5);
    assert.equal(m.gpu_util?.length, 5);
    assert.ok(m.cpu.every((v) => v >= 0 && v <= 100));
    assert.deepEqual(res.body.metrics[stopped.id], { cpu: [], mem: [], ...(stopped.gpu_name ? { gpu_util: [] } : {}) });
    const again = await call<Metrics>(`${base}/metrics/batch`, { key: KEY, json: { ids: [running.id], ...window } });
    assert.deepEqual(again.body.metrics[running.id], m);
    const ids = page.items.map((r) => r.id).concat('x');
    assert.equal((await call(`${base}/metrics/batch`, { key: KEY, json: { ids, ...window } })).status, 400);
  });

  it('lists GPU offers with real GPU names', async () => {
    const res = await call<{ offers: ExampleOffer[] }>(`${base}/offers`, { key: KEY });
    assert.equal(res.body.offers.length, 8);
    for (const o of res.body.offers) {
      assert.ok(
        GPU_MODELS.some((g) => g.name === o.gpu_name && g.memoryGb === o.gpu_memory_gb),
        o.gpu_name,
      );
      assert.ok(o.price_per_gpu_hour > 0);
    }
  });

  it('rejects a missing or wrong key with the exact 401 body, and a forbidden key with 403', async () => {
    for (const key of [undefined, 'wrong']) {
      const res = await call(`${base}/resources`, key ? { key } : {});
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, { error: 'unauthorized', message: 'Invalid API key' });
    }
    sim.state('example').forbiddenKeys = ['read-only'];
    const res = await call(`${base}/resources`, { key: 'read-only' });
    assert.equal(res.status, 403);
    assert.equal((res.body as { error: string }).error, 'forbidden');
  });

  it('accepts ?api_key= and a rotated key, and the log never stores a key', async () => {
    assert.equal((await call(`${base}/resources?api_key=${KEY}`)).status, 200);
    sim.state('example').keys = ['rotated-key'];
    assert.equal((await call(`${base}/resources`, { key: KEY })).status, 401);
    assert.equal((await call(`${base}/resources`, { key: 'rotated-key' })).status, 200);
    const log = JSON.stringify(sim.log.entries());
    assert.ok(!log.includes(KEY) && !log.includes('rotated-key'), log);
    assert.deepEqual(
      sim.log.entries().map((e) => e.authOk),
      [true, false, true],
    );
    assert.equal(sim.log.entries()[0].query, 'api_key=REDACTED');
  });

  it('answers 404 in the generic shape for unknown routes and unknown clouds', async () => {
    const res = await call(`${base}/nothing/here`, { key: KEY });
    assert.deepEqual(res.body, { error: 'not_found', message: 'No route for GET /nothing/here' });
    const other = await call(`${sim.url}/nocloud/resources`);
    assert.equal(other.status, 404);
    assert.deepEqual([sim.log.entries()[0].route, sim.log.entries()[1].cloud], [null, null]);
  });

  it('counts requests per cloud and route', async () => {
    await call(`${base}/resources`, { key: KEY });
    await call(`${base}/resources?limit=5`, { key: KEY });
    await call(`${base}/offers`, { key: KEY });
    await call(`${base}/offers`);
    assert.equal(sim.log.count(), 4);
    assert.equal(sim.log.count('example'), 4);
    assert.equal(sim.log.count('example', 'GET /resources'), 2);
    assert.equal(sim.log.count('example', '/offers'), 2);
    assert.equal(sim.log.count('example', 'POST /offers'), 0);
    assert.equal(sim.log.count('other'), 0);
    assert.deepEqual(
      sim.log.entries().map((e) => e.status),
      [200, 200, 200, 401],
    );
    sim.log.clear();
    assert.equal(sim.log.count(), 0);
  });

  it('lets a test change state and reset() restores the seeded state', async () => {
    const state = sim.state<ExampleState>('example');
    const first = state.resources[0];
    const original = first.status;
    first.status = first.status === 'stopped' ? 'running' : 'stopped';
    const page = await call<Page>(`${base}/resources?limit=1`, { key: KEY });
    assert.equal(page.body.items[0].status, first.status);
    sim.reset();
    assert.equal(sim.state<ExampleState>('example').resources[0].status, original);
  });

  it('delays every answer by the latency, per cloud when overridden', async () => {
    for (const [ms, cloud] of [
      [120, undefined],
      [200, 'example'],
    ] as const) {
      sim.setLatency(ms, cloud);
      const t0 = performance.now();
      await call(`${base}/offers`, { key: KEY });
      const elapsed = performance.now() - t0;
      assert.ok(elapsed >= ms - 1, `elapsed ${elapsed} < ${ms}`);
    }
  });
});

describe('sim: mounting several clouds and custom cloud modules', () => {
  const sims: Sim[] = [];
  afterEach(async () => Promise.all(sims.splice(0).map((s) => s.close())));

  const ids = async (sim: Sim, cloud: string) => (await allPages(sim, cloud, exampleKey(cloud))).flatMap((p) => p.items.map((r) => r.id));

  it('mounts the example cloud as four clouds with their own data and keys', async () => {
    const clouds = ['vastai', 'runpod', 'neon', 'cloudflare'];
    const sim = await startSim({ clouds: clouds.map((id) => exampleCloud({ id, count: 10 })) });
    sims.push(sim);
    const lists = await Promise.all(clouds.map((c) => ids(sim, c)));
    assert.equal(new Set(lists.flat()).size, 40);
    assert.equal((await call(`${sim.endpoint('neon')}/resources`, { key: exampleKey('vastai') })).status, 401);
    assert.deepEqual(
      clouds.map((c) => sim.log.count(c)),
      [1, 1, 2, 1],
    );
  });

  it('gives identical data for the same seed and different data for another', async () => {
    const make = (seed: number) => startSim({ clouds: [exampleCloud({ count: 30 })], seed });
    const [a, b, c] = await Promise.all([make(7), make(7), make(8)]);
    sims.push(a, b, c);
    const body = async (s: Sim) => (await call(`${s.endpoint('example')}/resources`, { key: exampleKey('example') })).text;
    assert.equal(await body(a), await body(b));
    assert.notEqual(await body(a), await body(c));
    assert.deepEqual([new Rng(5).next(), new Rng(5).id()], [new Rng(5).next(), new Rng(5).id()]);
    assert.notEqual(hashSeed(1, 'a'), hashSeed(1, 'b'));
  });

  it('serves hostile names and nulls only when asked', async () => {
    const sim = await startSim({ clouds: [exampleCloud({ id: 'bad', hostile: true, count: 40 }), exampleCloud({ count: 40 })] });
    sims.push(sim);
    const [page] = await allPages(sim, 'bad', exampleKey('bad'));
    const names = page.items.map((r) => r.name);
    for (const hostile of HOSTILE_NAMES) assert.ok(names.includes(hostile), `missing ${JSON.stringify(hostile)}`);
    assert.equal(LONG_NAME.length, 500);
    assert.ok(page.items.some((r) => r.region === null));
    assert.ok(page.items.some((r) => r.gpu_name && r.price_per_hour === null));
    const [clean] = await allPages(sim, 'example', exampleKey('example'));
    assert.ok(clean.items.every((r) => !HOSTILE_NAMES.includes(r.name) && r.region !== null));
  });

  it('serves an ownPort cloud at the root of its own port', async () => {
    const sim = await startSim({ clouds: [exampleCloud({ id: 'gcp', ownPort: true, count: 3 })] });
    sims.push(sim);
    const endpoint = sim.endpoint('gcp');
    assert.match(endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(endpoint, sim.url);
    const res = await call<Page>(`${endpoint}/resources`, { key: exampleKey('gcp') });
    assert.equal(res.body.items.length, 3);
    assert.equal(sim.log.count('gcp', 'GET /resources'), 1);
  });

  it('runs a custom module: public routes, {param} segments, own 404 body, decorate hook', async () => {
    interface S extends SimState {
      hits: number;
    }
    const custom = defineCloud<S>({
      id: 'custom',
      testKey: 'k',
      createState: () => ({ keys: ['k'], hits: 0 }),
      routes: new Router<S>()
        .get('/health', () => json({ ok: true }), { public: true })
        .post('/items/{id}:start', (req) => json({ started: req.params.id, hits: ++req.state.hits })),
      auth: (req) => (req.headers['x-key'] === 'k' ? { ok: true } : { ok: false, response: json({ denied: true }, 403) }),
      error: (status, req) => json({ status, path: req.path }, status),
      decorate: (res) => ({ ...res, headers: { ...res.headers, 'x-sim': 'custom' } }),
    });
    const sim = await startSim({ clouds: [custom] });
    sims.push(sim);
    const url = sim.endpoint('custom');
    const health = await call(`${url}/health`);
    assert.deepEqual([health.status, health.body, health.headers.get('x-sim')], [200, { ok: true }, 'custom']);
    assert.deepEqual((await call(`${url}/items/a%2Fb:start`, { method: 'POST' })).body, { denied: true });
    const res = await fetch(`${url}/items/a%2Fb:start`, { method: 'POST', headers: { 'x-key': 'k' } });
    assert.deepEqual(await res.json(), { started: 'a/b', hits: 1 });
    assert.deepEqual((await call(`${url}/missing`)).body, { status: 404, path: '/missing' });
    assert.deepEqual(
      sim.log.entries().map((e) => e.authOk),
      [null, false, true, null],
    );
  });

  it('matches route patterns loosely on slashes and strictly on segments', () => {
    const m = compilePattern('/api/v1/instances/:id');
    assert.deepEqual(m('/api/v1/instances/42/'), { id: '42' });
    assert.deepEqual(m('//api/v1//instances/42'), { id: '42' });
    assert.equal(m('/api/v1/instances/42/extra'), null);
    assert.deepEqual(compilePattern('/files/*')('/files/a/b.txt'), { '*': 'a/b.txt' });
    assert.deepEqual(compilePattern('/subs/:s/metrics:getBatch')('/subs/x/metrics:getBatch'), { s: 'x' });
  });

  it('refuses duplicate cloud ids and bad ids', async () => {
    await assert.rejects(startSim({ clouds: [exampleCloud(), exampleCloud()] }), /share the id example/);
    assert.throws(() => exampleCloud({ id: 'Bad/Id' }), /invalid sim cloud id/);
  });
});
