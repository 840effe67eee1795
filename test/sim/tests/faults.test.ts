// The fault plan: every fault kind as a client sees it, and how rules are matched, queued and consumed.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { exampleCloud, exampleKey } from '../example-cloud';
import { startSim, type Sim } from '../server';
import { MALFORMED_BODY } from '../wire';
import { call, rootCause } from '../../support/sim-client';

const KEY = exampleKey('example');

describe('sim: fault plan', () => {
  let sim: Sim;
  let url: string;
  before(async () => {
    sim = await startSim({ clouds: [exampleCloud({ count: 5 }), exampleCloud({ id: 'other', count: 5 })] });
    url = `${sim.endpoint('example')}/resources`;
  });
  afterEach(() => sim.reset());
  after(() => sim.close());

  it('answers a status with Retry-After and a JSON body once, then normally', async () => {
    sim.faults.add('example', 'GET /resources', { status: 429, headers: { 'Retry-After': '3' }, body: { slow: 'down' } });
    const first = await call(url, { key: KEY });
    assert.deepEqual([first.status, first.headers.get('retry-after'), first.body], [429, '3', { slow: 'down' }]);
    assert.equal((await call(url, { key: KEY })).status, 200);
    assert.deepEqual(
      sim.log.entries().map((e) => [e.status, e.fault]),
      [
        [429, 'status'],
        [200, undefined],
      ],
    );
  });

  it('sends a string body as text/plain and a missing body in the cloud error shape', async () => {
    sim.faults.add('example', '/resources', { status: 429, body: 'API requests too frequent' });
    sim.faults.add('example', '/resources', { status: 503 });
    const plain = await call(url, { key: KEY });
    assert.deepEqual([plain.status, plain.text], [429, 'API requests too frequent']);
    assert.match(plain.headers.get('content-type')!, /^text\/plain/);
    const shaped = await call(url, { key: KEY });
    assert.deepEqual(shaped.body, { error: 'service_unavailable', message: 'Injected fault: HTTP 503' });
  });

  it('fires times=2 twice, then answers normally; rules on one route form a queue', async () => {
    const rule = sim.faults.add('example', 'GET /resources', { status: 500, times: 2 });
    sim.faults.add('example', 'GET /resources', { status: 502 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(url, { key: KEY })).status);
    assert.deepEqual(statuses, [500, 500, 502, 200]);
    assert.deepEqual([rule.hits, rule.remaining, sim.faults.pending().length], [2, 0, 0]);
  });

  it('keeps a sticky rule until cleared, and only on matching cloud, method and path', async () => {
    sim.faults.add('example', { method: 'GET', path: '/resources' }, { status: 503, times: Infinity });
    for (let i = 0; i < 3; i++) assert.equal((await call(url, { key: KEY })).status, 503);
    assert.equal((await call(`${sim.endpoint('example')}/offers`, { key: KEY })).status, 200);
    assert.equal((await call(`${sim.endpoint('other')}/resources`, { key: exampleKey('other') })).status, 200);
    assert.equal((await call(url, { key: KEY, method: 'POST' })).status, 404);
    sim.faults.clear();
    assert.equal((await call(url, { key: KEY })).status, 200);
  });

  it("matches '*' for every route of a cloud, and cloud '*' for every cloud", async () => {
    sim.faults.add('example', '*', { status: 418, times: 2 });
    assert.equal((await call(`${sim.endpoint('example')}/offers`, { key: KEY })).status, 418);
    assert.equal((await call(`${sim.endpoint('example')}/unknown`)).status, 418);
    sim.faults.add('*', '*', { status: 500 });
    assert.equal((await call(`${sim.endpoint('other')}/offers`, { key: exampleKey('other') })).status, 500);
  });

  it('resets the connection: the client sees ECONNRESET or "other side closed"', async () => {
    sim.faults.add('example', '*', { kind: 'reset' });
    const err = await call(url, { key: KEY }).then(
      () => assert.fail('expected a network error'),
      (e: unknown) => e,
    );
    const cause = rootCause(err);
    assert.ok(cause.code === 'ECONNRESET' || /other side closed/.test(cause.message), JSON.stringify(cause));
    assert.deepEqual([sim.log.entries()[0].status, sim.log.entries()[0].fault], [null, 'reset']);
    assert.equal((await call(url, { key: KEY })).status, 200);
  });

  it('answers 200 with a body that is not JSON for malformed', async () => {
    sim.faults.add('example', '*', { kind: 'malformed' });
    const res = await fetch(url, { headers: { authorization: `Bearer ${KEY}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /application\/json/);
    await assert.rejects(res.json(), SyntaxError);
    assert.throws(() => JSON.parse(MALFORMED_BODY) as unknown);
  });

  it('truncates: Content-Length promises more than arrives, reading the body fails', async () => {
    sim.faults.add('example', '*', { kind: 'truncated' });
    const res = await fetch(url, { headers: { authorization: `Bearer ${KEY}` } });
    assert.equal(res.status, 200);
    assert.ok(Number(res.headers.get('content-length')) > 16);
    await assert.rejects(res.text());
  });

  it('hangs: the client timeout fires and close() still completes promptly', async () => {
    sim.faults.add('example', '*', { kind: 'hang', times: 2 });
    await assert.rejects(call(url, { key: KEY, signal: AbortSignal.timeout(200) }), { name: 'TimeoutError' });
    // A second hung request whose client never gives up: close() must not wait for it.
    const scratch = await startSim({ clouds: [exampleCloud()] });
    scratch.faults.add('example', '*', { kind: 'hang' });
    const pending = new Promise<string>((resolve) => {
      const req = request(`${scratch.endpoint('example')}/resources`, (res) => resolve(`answered ${res.statusCode}`));
      req.on('error', (e) => resolve(e.message));
      req.end();
    });
    while (scratch.log.count() === 0) await new Promise((r) => setTimeout(r, 10));
    const t0 = performance.now();
    await scratch.close();
    assert.ok(performance.now() - t0 < 2000, 'close() waited for the hung request');
    assert.match(await pending, /socket hang up|ECONNRESET/);
  });

  it('empty-page makes the handler answer an empty page once', async () => {
    sim.faults.add('example', 'GET /resources', { kind: 'empty-page' });
    assert.deepEqual((await call(url, { key: KEY })).body, { items: [], next_cursor: null });
    assert.equal((await call<{ items: unknown[] }>(url, { key: KEY })).body.items.length, 5);
  });

  it('delays one answer by ms on top of latency, then answers normally', async () => {
    sim.faults.add('example', 'GET /resources', { kind: 'delay', ms: 150 });
    const t0 = performance.now();
    const res = await call(url, { key: KEY });
    assert.ok(performance.now() - t0 >= 149, 'delay not applied');
    assert.deepEqual([res.status, sim.log.entries()[0].fault], [200, 'delay']);
  });

  it('refuses nonsense rules', () => {
    assert.throws(() => sim.faults.add('example', '*', { status: 500, times: 0 }), /times must be > 0/);
    assert.throws(() => sim.faults.add('example', '*', { kind: 'delay', ms: -1 }), /ms >= 0/);
  });
});
