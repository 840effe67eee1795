// Attempts per request through the one transport: the real Cloudflare SDK pages the D1 list, each page is one
// HTTP request through the collector's limiter and retry (core/transport/transport.ts), and the simulator's request log
// shows what reached the wire. A failed page is repeated alone; nothing retries it but the transport.
import assert from 'node:assert/strict';
import { sleep } from '../../src/core/transport/retry';
import type { LogEntry } from '../sim/log';
import { startCloudflareHarness, withAccountId, type CloudflareHarness } from '../support/cloudflareHarness';

const D1 = 'GET /accounts/:account_id/d1/database';
const pageOf = (e: LogEntry) => new URLSearchParams(e.query).get('page') ?? '1';

describe('one transport: attempts per request (Cloudflare SDK, paged D1 list)', () => {
  let h: CloudflareHarness | undefined;
  const waits: number[] = [];
  afterEach(async () => {
    await h?.close();
    h = undefined;
    waits.length = 0;
  });
  // Real waits (recorded) where the sim's log timestamps must show a Retry-After honoured; else 1 ms ones.
  const start = (realWaits = false) =>
    startCloudflareHarness({
      cloudflare: { databases: 350 }, // four pages of 100
      env: withAccountId,
      // A backoff far below Retry-After's second, so a wait of 1 s can only be the header's.
      collector: { retry: { baseDelayMs: 100, sleep: (ms, signal) => (waits.push(ms), sleep(realWaits ? ms : 1, signal)) } },
    });
  const d1Requests = () => h!.sim.log.entries().filter((e) => e.cloud === 'cloudflare' && e.route === '/accounts/:account_id/d1/database');

  it('a 429 with Retry-After: 1 on page 3 repeats page 3 once, after at least 1 s, and nothing else', async () => {
    h = await start(true);
    const path = `/accounts/${h.state().accountId}/d1/database`;
    // Lower-case, to replace the sim's own `retry-after: 300` (test/sim/dispatch.ts merges fault headers by exact name).
    const rule = h.sim.faults.add(
      'cloudflare',
      { method: 'GET', path, query: { page: '3' } },
      { status: 429, headers: { 'retry-after': '1' } },
    );
    const { cloudflare } = await h.refresh();
    assert.equal(cloudflare.state, 'ok', cloudflare.error?.message);
    assert.equal(rule.hits, 1, 'the fault fired once');
    assert.equal(cloudflare.resources.filter((r) => r.service === 'D1').length, 350, 'every database listed');
    const requests = d1Requests();
    assert.deepEqual(requests.map(pageOf), ['1', '2', '3', '3', '4'], 'pages 1, 2, 4 once each; page 3 twice');
    const [first, second] = requests.filter((e) => pageOf(e) === '3');
    assert.deepEqual([first.status, second.status], [429, 200], 'the 429, then the repeat that succeeded');
    assert.ok(second.at - first.at >= 1000, `the repeat waited Retry-After (${second.at - first.at} ms)`);
    assert.deepEqual(waits, [1000], 'one wait, the one Retry-After asked for');
    assert.equal(h.sim.log.count('cloudflare', D1), 5, 'no other D1 request');
  });

  it('a 500 that never clears is tried 1 + 3 retries times, by the transport alone, and the listing stops there', async () => {
    h = await start();
    const path = `/accounts/${h.state().accountId}/d1/database`;
    h.sim.faults.add('cloudflare', { method: 'GET', path, query: { page: '2' } }, { status: 500, times: Infinity });
    const { cloudflare } = await h.refresh();
    const requests = d1Requests();
    assert.deepEqual(
      requests.map(pageOf),
      ['1', '2', '2', '2', '2'],
      'page 1 once, page 2 four times (neither the SDK nor a second layer retries)',
    );
    assert.deepEqual(waits, [100, 200, 400], 'the one backoff policy');
    // D1 is one listing of several: the others stay current and its failure is a warning naming it.
    assert.equal(cloudflare.state, 'ok');
    const warning = cloudflare.warnings?.find((w) => w.part === 'resources');
    assert.equal(warning?.category, 'network');
    assert.match(
      warning?.message ?? '',
      /server error \(500\) for GET \/accounts\/\{account_id\}\/d1\/database/,
      'the operation the provider named',
    );
  });

  it('a 403 is never retried: one request for the page', async () => {
    h = await start();
    const path = `/accounts/${h.state().accountId}/d1/database`;
    h.sim.faults.add('cloudflare', { method: 'GET', path, query: { page: '2' } }, { status: 403, times: Infinity });
    await h.refresh();
    assert.deepEqual(d1Requests().map(pageOf), ['1', '2'], 'a permission error is tried once');
    assert.deepEqual(waits, [], 'no wait');
  });
});
