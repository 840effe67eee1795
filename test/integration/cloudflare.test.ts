// The Cloudflare provider end to end: the real catalogue entry, the real `cloudflare` SDK and the collector (cache,
// limiter, retry) against the simulated API v4 + GraphQL Analytics (test/sim/cloudflare.ts). The example cloud mounted
// as `vastai` runs beside it, to show a Cloudflare failure stays Cloudflare's.
import { testReference } from '../support/reference';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudtopError } from '../../src/core/errors/errors';
import { createHttpClient } from '../../src/core/transport/http';
import { silentLogger } from '../../src/core/model/log';
import type { FunctionMetrics, Resource } from '../../src/core/model/model';
import { createCloudflareProvider } from '../../src/providers/cloudflare/provider';
import { cloudflareCloud, minuteKey, R2_JURISDICTION_NAMES, simMinute, type CloudflareState, type SimMinute } from '../sim/cloudflare';
import { HOSTILE_NAMES } from '../sim/hostile';
import { startSim, type Sim } from '../sim/server';
import { startCloudflareHarness, withAccountId, type CloudflareHarness } from '../support/cloudflareHarness';
import { call } from '../support/sim-client';

/** 12:05:30 → the metrics window [12:00:30, 12:05:30] aligns to the five whole minutes 12:00–12:04. */
const NOW = Date.UTC(2026, 10, 1, 12, 5, 30);
const M = (minute: number) => minuteKey(Date.UTC(2026, 10, 1, 12, minute));
const ROUTE = {
  accounts: 'GET /accounts',
  scripts: 'GET /accounts/:account_id/workers/scripts',
  r2: 'GET /accounts/:account_id/r2/buckets',
  d1: 'GET /accounts/:account_id/d1/database',
  d1One: 'GET /accounts/:account_id/d1/database/:uuid',
  kv: 'GET /accounts/:account_id/storage/kv/namespaces',
  ai: 'GET /accounts/:account_id/ai/models/search',
  graphql: 'POST /graphql',
} as const;
const near = (actual: number | undefined, expected: number, what = '') =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${what} ${actual} ≈ ${expected}`);

describe('Cloudflare provider against the simulated API v4 and GraphQL Analytics', () => {
  let h: CloudflareHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  const count = (route: string) => h!.sim.log.count('cloudflare', route);

  it('maps Workers, R2 buckets, D1 databases, KV namespaces and the Workers AI catalogue field by field', async () => {
    h = await startCloudflareHarness();
    const s = h.state();
    s.scripts = [
      {
        id: 'api-gateway',
        created_on: '2026-01-02T03:04:05.123Z',
        modified_on: '2026-10-01T00:00:00Z',
        etag: 'e',
        handlers: ['fetch', 'scheduled'],
        has_assets: false,
        has_modules: true,
        compatibility_date: '2026-09-01',
        compatibility_flags: [],
        usage_model: 'standard',
        tags: ['team:edge'],
        routes: [{ id: 'r1', pattern: 'example.com/*' }],
        logpush: false,
      },
    ];
    s.buckets = [
      { name: 'assets', creation_date: '2024-01-01T00:00:00.000Z', location: 'ENAM', jurisdiction: 'default', storage_class: 'Standard' },
      { name: 'fresh', creation_date: '2026-10-31T00:00:00.000Z', jurisdiction: 'default', storage_class: 'InfrequentAccess' },
      { name: 'eu-only', creation_date: '2024-01-01T00:00:00.000Z', jurisdiction: 'eu', storage_class: 'Standard' },
    ];
    s.storage = new Map([
      ['assets', { objectCount: 12, payloadSize: 1000, metadataSize: 24 }],
      ['eu_eu-only', { objectCount: 1, payloadSize: 1, metadataSize: 1 }],
    ]);
    s.databases = [
      {
        uuid: '875ba0cb-7f3f-4b5c-aa90-4960fa8bd154',
        name: 'webapp-production',
        version: 'production',
        created_at: '2026-08-25T06:22:09.015Z',
        jurisdiction: null,
        file_size: 114688,
        num_tables: 12,
      },
      {
        uuid: 'a3375a00-0000-4000-a000-000000000001',
        name: 'brand-new',
        version: 'production',
        created_at: '2026-11-01T11:00:00.000Z',
        jurisdiction: 'eu',
        file_size: null,
        num_tables: null,
      },
    ];
    s.namespaces = [{ id: '0f2ac74b498b48028cb68387c421e279', title: 'cache', supports_url_encoding: true }];
    const { cloudflare } = await h.refresh();
    assert.equal(cloudflare.state, 'ok', cloudflare.error?.message);
    const account = s.accountId;
    const byId = new Map(cloudflare.resources.map((r) => [r.id, r]));
    const dash = `https://dash.cloudflare.com/${account}`;
    assert.deepEqual(byId.get('worker:api-gateway'), {
      id: 'worker:api-gateway',
      cloud: 'cloudflare',
      account,
      scope: account,
      kind: 'worker',
      service: 'Workers',
      name: 'api-gateway',
      status: 'running',
      createdAt: '2026-01-02T03:04:05.123Z',
      consoleUrl: `${dash}/workers/services/view/api-gateway/production`,
      details: {
        modifiedOn: '2026-10-01T00:00:00Z',
        handlers: 'fetch, scheduled',
        usageModel: 'standard',
        compatibilityDate: '2026-09-01',
        routes: 1,
        tags: 'team:edge',
        hasAssets: false,
        logpush: false,
      },
    } satisfies Resource);
    assert.deepEqual(byId.get('r2:assets'), {
      id: 'r2:assets',
      cloud: 'cloudflare',
      account,
      scope: account,
      kind: 'bucket',
      service: 'R2',
      name: 'assets',
      status: 'running',
      region: 'ENAM',
      createdAt: '2024-01-01T00:00:00.000Z',
      consoleUrl: `${dash}/r2/default/buckets/assets`,
      details: { jurisdiction: 'default', storageClass: 'Standard', objects: 12, storedBytes: 1024, storageWindow: 'max of the last 24 h' },
    } satisfies Resource);
    assert.deepEqual(
      byId.get('r2:fresh')!.details,
      { jurisdiction: 'default', storageClass: 'InfrequentAccess' },
      'no storage row: not reported, never 0',
    );
    assert.deepEqual(
      byId.get('r2:eu_eu-only'),
      {
        id: 'r2:eu_eu-only',
        cloud: 'cloudflare',
        account,
        scope: account,
        kind: 'bucket',
        service: 'R2',
        name: 'eu-only',
        status: 'running',
        createdAt: '2024-01-01T00:00:00.000Z',
        consoleUrl: `${dash}/r2/eu/buckets/eu-only`,
        details: { jurisdiction: 'eu', storageClass: 'Standard', objects: 1, storedBytes: 2, storageWindow: 'max of the last 24 h' },
      } satisfies Resource,
      'EU buckets are listed too (their own cf-r2-jurisdiction list)',
    );
    assert.deepEqual(byId.get('d1:875ba0cb-7f3f-4b5c-aa90-4960fa8bd154'), {
      id: 'd1:875ba0cb-7f3f-4b5c-aa90-4960fa8bd154',
      cloud: 'cloudflare',
      account,
      scope: account,
      kind: 'database',
      service: 'D1',
      name: 'webapp-production',
      status: 'running',
      createdAt: '2026-08-25T06:22:09.015Z',
      consoleUrl: `${dash}/workers/d1/databases/875ba0cb-7f3f-4b5c-aa90-4960fa8bd154`,
      details: { uuid: '875ba0cb-7f3f-4b5c-aa90-4960fa8bd154', version: 'production', fileSizeBytes: 114688, tables: 12 },
    } satisfies Resource);
    assert.deepEqual(byId.get('d1:a3375a00-0000-4000-a000-000000000001')!.details, {
      uuid: 'a3375a00-0000-4000-a000-000000000001',
      version: 'production',
      jurisdiction: 'eu',
    });
    assert.deepEqual(byId.get('kv:0f2ac74b498b48028cb68387c421e279'), {
      id: 'kv:0f2ac74b498b48028cb68387c421e279',
      cloud: 'cloudflare',
      account,
      scope: account,
      kind: 'kv-namespace',
      service: 'KV',
      name: 'cache',
      status: 'running',
      consoleUrl: `${dash}/workers/kv/namespaces/0f2ac74b498b48028cb68387c421e279`,
      details: { namespaceId: '0f2ac74b498b48028cb68387c421e279', urlEncodedKeys: true },
    } satisfies Resource);
    const ai = byId.get('ai:catalogue')!;
    assert.equal(ai.kind, 'ai-model');
    assert.equal(ai.service, 'AI');
    assert.equal(ai.status, 'unknown');
    assert.equal(ai.rawStatus, 'catalogue');
    assert.equal(ai.name, `Workers AI model catalogue (${s.models.length} models)`);
    assert.equal(ai.details!.catalogue, true);
    assert.match(String(ai.details!.note), /not resources you own/);
    assert.match(String(ai.details!.tasks), /^Text Generation 7 · /);
    assert.equal(cloudflare.resources.filter((r) => r.kind === 'ai-model').length, 1, 'one catalogue node, not one per model');
    assert.equal(count(ROUTE.d1One), 0, 'sizes come from the list: no call per database');
    assert.deepEqual(Object.keys(cloudflare.metrics), ['worker:api-gateway'], 'metrics only for Workers');
  });

  it('turns one minute-grouped analytics query into invocations, errors, subrequests and CPU time per Worker', async () => {
    h = await startCloudflareHarness({ collector: { now: () => NOW } });
    const s = h.state();
    const [busy, idle] = [s.scripts[0].id, s.scripts[1].id];
    s.traffic.set(idle, 0);
    const row = (requests: number, errors: number, subrequests: number, cpuTimeP50: number, cpuTimeP99: number): SimMinute => ({
      requests,
      errors,
      subrequests,
      cpuTimeP50,
      cpuTimeP99,
    });
    s.minuteOverrides.set(
      busy,
      new Map<string, SimMinute | null>([
        [M(-1), row(5000, 5000, 0, 1, 1)], // before the window
        [M(0), row(10, 1, 20, 1000, 5000)],
        [M(1), row(30, 0, 0, 2000, 9000)],
        [M(2), null],
        [M(3), row(60, 3, 10, 212.5, 261.19)],
        [M(4), null],
        [M(5), row(7000, 7000, 0, 1, 1)], // the current, incomplete minute
      ]),
    );
    const { cloudflare } = await h.refresh();
    assert.equal(cloudflare.state, 'ok', cloudflare.error?.message);
    const m = cloudflare.metrics[`worker:${busy}`].function!;
    assert.deepEqual(m.invocations, { avg: 20, max: 60, min: 0 }, 'per minute, quiet minutes count as 0');
    assert.deepEqual(m.errors, { avg: 0.8, max: 3, min: 0 });
    assert.deepEqual(m.subrequests, { avg: 6, max: 20, min: 0 });
    // CPU p50 in µs → ms, averaged weighted by each minute's requests.
    near(m.durationMs!.avg, (1 * 10 + 2 * 30 + 0.2125 * 60) / 100, 'p50 avg');
    near(m.durationMs!.max, 2);
    near(m.durationMs!.min, 0.2125);
    near(m.durationP99Ms!.max, 9);
    near(m.durationP99Ms!.min, 0.26119);
    assert.deepEqual(
      cloudflare.metrics[`worker:${idle}`],
      {
        function: { invocations: { avg: 0, max: 0, min: 0 }, errors: { avg: 0, max: 0, min: 0 }, subrequests: { avg: 0, max: 0, min: 0 } },
      } satisfies { function: FunctionMetrics },
      'idle: zero traffic, duration absent',
    );
    assert.equal(count(ROUTE.graphql), 2, 'one R2 storage query + one Workers query');
  });

  it('makes the same calls for 10 and 500 Workers: one analytics query for all of them', async () => {
    const calls: Record<number, { total: number; graphql: number }> = {};
    for (const workers of [10, 500]) {
      h = await startCloudflareHarness({ cloudflare: { count: workers }, env: withAccountId });
      const { cloudflare } = await h.refresh({ clouds: ['cloudflare'] });
      assert.equal(cloudflare.state, 'ok', cloudflare.error?.message);
      assert.equal(cloudflare.resources.filter((r) => r.kind === 'worker').length, workers);
      assert.equal(Object.keys(cloudflare.metrics).length, workers, 'every Worker has metrics');
      calls[workers] = { total: h.sim.log.count('cloudflare'), graphql: count(ROUTE.graphql) };
      await h.close();
      h = undefined;
    }
    assert.deepEqual(calls[500], calls[10]);
    const jurisdictions = R2_JURISDICTION_NAMES.length; // each asked once; the two FedRAMP ones are refused
    assert.deepEqual(
      calls[10],
      { total: 6 + jurisdictions, graphql: 2 },
      'scripts, R2 (each jurisdiction), D1, KV, AI, R2 storage, Workers analytics',
    );
  });

  it('splits the Workers query by scriptName_in only past 10,000 rows: 500 Workers × 60 minutes = 4 queries, with correct numbers', async () => {
    h = await startCloudflareHarness({ cloudflare: { count: 500 }, env: withAccountId, collector: { now: () => NOW, windowMinutes: 60 } });
    const { cloudflare } = await h.refresh({ clouds: ['cloudflare'] });
    assert.equal(cloudflare.state, 'ok', cloudflare.error?.message);
    assert.equal(count(ROUTE.graphql), 1 + Math.ceil(500 / Math.floor(10_000 / 60)));
    const s = h.state();
    for (const script of [s.scripts[0].id, s.scripts[250].id, s.scripts[499].id]) {
      const perMinute = Array.from({ length: 60 }, (_, i) => simMinute(s.seed, script, i, s.traffic.get(script)!)?.requests ?? 0);
      assert.deepEqual(
        cloudflare.metrics[`worker:${script}`].function!.invocations,
        { avg: perMinute.reduce((a, b) => a + b, 0) / 60, max: Math.max(...perMinute), min: Math.min(...perMinute) },
        script,
      );
    }
  });

  it('pages D1 and KV by page number: stops on result_info without an extra call, else reads on to the empty page', async () => {
    h = await startCloudflareHarness({ cloudflare: { databases: 250, namespaces: 230 }, env: withAccountId });
    const first = await h.refresh({ clouds: ['cloudflare'] });
    assert.equal(first.cloudflare.resources.filter((r) => r.kind === 'database').length, 250);
    assert.equal(first.cloudflare.resources.filter((r) => r.kind === 'kv-namespace').length, 230);
    assert.deepEqual([count(ROUTE.d1), count(ROUTE.kv)], [3, 3], 'a short last page ends the listing');
    h.sim.log.clear();
    h.state().resultInfo = false;
    const second = await h.refresh({ clouds: ['cloudflare'] });
    assert.deepEqual(
      second.cloudflare.resources.map((r) => r.id),
      first.cloudflare.resources.map((r) => r.id),
      'same items, no duplicates',
    );
    assert.deepEqual([count(ROUTE.d1), count(ROUTE.kv)], [4, 4], 'without result_info the empty page ends it');
    const pages = h.sim.log
      .entries()
      .filter((e) => e.route === '/accounts/:account_id/d1/database')
      .map((e) => e.query);
    assert.deepEqual(pages, ['page=1&per_page=100', 'page=2&per_page=100', 'page=3&per_page=100', 'page=4&per_page=100']);
  });

  it('pages R2 buckets by result_info.cursor, which the SDK’s buckets.list would drop', async () => {
    h = await startCloudflareHarness({ cloudflare: { buckets: 250, euBuckets: 0, usBuckets: 0 }, env: withAccountId });
    const { cloudflare } = await h.refresh({ clouds: ['cloudflare'] });
    const names = cloudflare.resources.filter((r) => r.kind === 'bucket').map((r) => r.name);
    assert.deepEqual(
      names,
      h.state().buckets.map((b) => b.name),
    );
    const queries = h.sim.log
      .entries()
      .filter((e) => e.route === '/accounts/:account_id/r2/buckets')
      .map((e) => e.query);
    // Three pages of the default jurisdiction, one (empty or refused) of each other.
    const others = R2_JURISDICTION_NAMES.length - 1;
    assert.equal(queries.length, 3 + others);
    assert.equal(queries.filter((q) => q === 'per_page=100').length, 1 + others, 'the first page of each jurisdiction');
    assert.equal(queries.filter((q) => /^per_page=100&cursor=[\w-]+$/.test(q)).length, 2);
  });

  it('lists every jurisdiction the token can read and stamps each bucket with the one asked for, as the list items may not say', async () => {
    h = await startCloudflareHarness({ cloudflare: { buckets: 2, euBuckets: 1, usBuckets: 2 }, env: withAccountId });
    const s = h.state();
    const { cloudflare } = await h.refresh({ clouds: ['cloudflare'] });
    assert.equal(cloudflare.state, 'ok', cloudflare.error?.message);
    const buckets = cloudflare.resources.filter((r) => r.kind === 'bucket');
    assert.equal(buckets.length, s.buckets.length, 'a default and a us bucket of the same name are two buckets');
    const dash = `https://dash.cloudflare.com/${s.accountId}`;
    for (const b of s.buckets) {
      const analyticsName = b.jurisdiction === 'default' ? b.name : `${b.jurisdiction}_${b.name}`;
      const r = buckets.find((x) => x.id === `r2:${analyticsName}`);
      assert.ok(r, `${b.jurisdiction}/${b.name} listed under its analytics name`);
      assert.equal(r.name, b.name);
      assert.equal(r.details!.jurisdiction, b.jurisdiction);
      assert.equal(r.consoleUrl, `${dash}/r2/${b.jurisdiction}/buckets/${encodeURIComponent(b.name)}`);
      const stored = s.storage.get(analyticsName);
      assert.equal(r.details!.objects, stored?.objectCount, 'sizes come from the jurisdiction-prefixed analytics name');
    }
    assert.ok(
      s.buckets.some((b) => b.jurisdiction === 'us' && s.buckets.some((d) => d.jurisdiction === 'default' && d.name === b.name)),
      'the seed reuses a name across jurisdictions',
    );
    const asked = (state: typeof h) => state!.sim.log.entries().filter((e) => e.route === '/accounts/:account_id/r2/buckets');
    assert.deepEqual(
      asked(h).filter((e) => e.status === 403).length,
      R2_JURISDICTION_NAMES.filter((j) => !s.r2Jurisdictions.includes(j)).length,
      'the FedRAMP ones are refused',
    );

    // A refused jurisdiction is not asked again on the next refresh; the readable ones are.
    h.sim.log.clear();
    await h.refresh({ clouds: ['cloudflare'] });
    assert.equal(asked(h).length, s.r2Jurisdictions.length);
  });

  it('keeps hostile names exactly, keys their metrics right and encodes them in console links', async () => {
    h = await startCloudflareHarness({ cloudflare: { count: 20, hostile: true, namespaces: 20, databases: 20 } });
    const { cloudflare } = await h.refresh();
    assert.equal(cloudflare.state, 'ok', cloudflare.error?.message);
    for (const kind of ['worker', 'kv-namespace', 'database'] as const) {
      const names = new Set(cloudflare.resources.filter((r) => r.kind === kind).map((r) => r.name));
      for (const name of HOSTILE_NAMES) assert.ok(names.has(name), `${kind} keeps ${JSON.stringify(name)}`);
    }
    const s = h.state();
    for (const script of s.scripts) {
      const m = cloudflare.metrics[`worker:${script.id}`]?.function;
      assert.ok(m, `metrics for ${JSON.stringify(script.id)}`);
      assert.equal(m.invocations!.max > 0, s.traffic.get(script.id)! > 0);
    }
    for (const r of cloudflare.resources) assert.match(r.consoleUrl!, /^https:\/\/dash\.cloudflare\.com\/[\w%.~!*'()-/]+$/, r.consoleUrl);
  });

  it('asks only for what the filter needs: KV only lists KV; --gpu makes no call at all', async () => {
    h = await startCloudflareHarness({ env: withAccountId });
    const kv = await h.refresh({ clouds: ['cloudflare'], filter: { services: ['KV'] } });
    assert.ok(kv.cloudflare.resources.length > 0 && kv.cloudflare.resources.every((r) => r.kind === 'kv-namespace'));
    assert.deepEqual(
      h.sim.log.entries().map((e) => e.route),
      ['/accounts/:account_id/storage/kv/namespaces'],
    );
    h.sim.log.clear();
    const gpu = await h.refresh({ clouds: ['cloudflare'], filter: { gpuOnly: true } });
    assert.equal(gpu.cloudflare.state, 'ok');
    assert.deepEqual(gpu.cloudflare.resources, []);
    assert.equal(h.sim.log.count('cloudflare'), 0);
  });

  it('shows everything but the AI catalogue when the token may not read Workers AI', async () => {
    h = await startCloudflareHarness({ env: withAccountId });
    h.sim.faults.add('cloudflare', ROUTE.ai, { status: 403 });
    const { cloudflare } = await h.refresh();
    assert.equal(cloudflare.state, 'ok', cloudflare.error?.message);
    assert.equal(
      cloudflare.resources.some((r) => r.kind === 'ai-model'),
      false,
    );
    assert.ok(cloudflare.resources.some((r) => r.kind === 'worker'));
    assert.equal(h.sleeps.length, 0);
    assert.ok(h.log.at('info').some((l) => /Workers AI catalogue skipped: .*403/.test(l)));
  });

  it('reads no D1 size when the list does not carry it, and still makes no call per database', async () => {
    h = await startCloudflareHarness({ env: withAccountId });
    h.state().d1ListSizes = false;
    const { cloudflare } = await h.refresh();
    for (const d of cloudflare.resources.filter((r) => r.kind === 'database')) {
      assert.equal('fileSizeBytes' in d.details!, false);
      assert.equal('tables' in d.details!, false);
    }
    assert.equal(count(ROUTE.d1One), 0);
  });

  it('health-checks with one cheap call: the account itself, or the account lookup when none is configured', async () => {
    h = await startCloudflareHarness();
    const check = async (account: string, key = h!.sim.keys().cloudflare) => {
      const http = createHttpClient({ cloud: 'cloudflare', baseUrl: h!.sim.endpoint('cloudflare') });
      const provider = createCloudflareProvider();
      await provider.initialize({
        cloud: 'cloudflare',
        reference: testReference('cloudflare'),
        account,
        endpoint: h!.sim.endpoint('cloudflare'),
        credentials: { apiToken: key },
        http,
        settings: {},
        now: Date.now,
        log: silentLogger,
      });
      try {
        h!.sim.log.clear();
        await provider.healthCheck(new AbortController().signal);
        return h!.sim.log.entries().map((e) => e.route);
      } finally {
        await provider.close();
        await http.close();
      }
    };
    assert.deepEqual(await check(h.state().accountId), ['/accounts/:account_id']);
    assert.deepEqual(await check(''), ['/accounts']);
    await assert.rejects(
      check(h.state().accountId, 'wrong-token'),
      (e: unknown) => e instanceof CloudtopError && e.category === 'auth' && e.status === 401,
    );
  });

  describe('account', () => {
    it('shows every account the token reads as a scope of its own; the list is cached like resources', async () => {
      h = await startCloudflareHarness({ cloudflare: { accounts: 3 } });
      const accounts = h.state().accounts;
      const first = await h.refresh({ clouds: ['cloudflare'] });
      assert.equal(first.cloudflare.state, 'ok', first.cloudflare.error?.message);
      assert.deepEqual(
        first.cloudflare.scopes?.map((s) => [s.id, s.label, s.kind, s.state]),
        accounts.map((a) => [a.id, a.name, 'account', 'ok']),
      );
      assert.ok(
        first.cloudflare.resources.every((r) => r.scope === r.account),
        'each resource is in the scope of its account',
      );
      const inFirst = first.cloudflare.resources.filter((r) => r.account === h!.state().accountId);
      assert.ok(inFirst.length > first.cloudflare.resources.length - accounts.length, 'the other accounts hold only their catalogue node');
      assert.equal(
        new Set(first.cloudflare.resources.map((r) => r.id)).size,
        first.cloudflare.resources.length,
        'ids stay unique across accounts',
      );
      assert.equal(count(ROUTE.accounts), 1);
      assert.equal(h.sim.log.entries().find((e) => e.route === '/accounts')!.query, 'page=1&per_page=20');
      await h.collector.refresh({ clouds: ['cloudflare'] });
      assert.equal(count(ROUTE.accounts), 1, 'within the TTL the account list is not asked again');
    });

    it('a failing account leaves the others current', async () => {
      h = await startCloudflareHarness({ cloudflare: { accounts: 2 } });
      const [, second] = h.state().accounts;
      // The Workers list is the account's primary listing: refused, the account fails (a refused D1 list alone is a warning).
      h.sim.faults.add('cloudflare', `GET /accounts/${second.id}/workers/scripts`, { status: 403, times: Infinity });
      const { cloudflare } = await h.refresh({ clouds: ['cloudflare'] });
      assert.equal(cloudflare.state, 'ok');
      assert.deepEqual(
        cloudflare.scopes?.map((s) => s.state),
        ['ok', 'error'],
      );
      assert.equal(cloudflare.scopes[1].error?.category, 'permission');
      assert.ok(
        cloudflare.resources.some((r) => r.kind === 'worker'),
        'the first account is listed',
      );
    });

    it('cloudtop.cloudflare.accounts narrows the accounts shown', async () => {
      h = await startCloudflareHarness({
        cloudflare: { accounts: 3 },
        config: (sim) => ({ scopes: [sim.state<CloudflareState>('cloudflare').accounts[2].id] }),
      });
      const { cloudflare } = await h.refresh({ clouds: ['cloudflare'] });
      assert.deepEqual(
        cloudflare.scopes?.map((s) => s.id),
        [h.state().accounts[2].id],
      );
      assert.equal(cloudflare.scopesAvailable, 3);
      assert.equal(
        h.sim.log.count('cloudflare', `GET /accounts/${h.state().accountId}/workers/scripts`),
        0,
        'an account not chosen is not listed',
      );
    });

    it('uses CLOUDFLARE_ACCOUNT_ID, and the cloudtop.cloudflare.accountId setting over it, without a lookup', async () => {
      h = await startCloudflareHarness({ env: withAccountId });
      const env = await h.refresh({ clouds: ['cloudflare'] });
      assert.ok(env.cloudflare.resources.length > 0);
      assert.equal(count(ROUTE.accounts), 0);
      await h.close();
      // The setting names the token's second (empty) account: it wins over the env var that names the first.
      h = await startCloudflareHarness({
        cloudflare: { accounts: 2 },
        env: withAccountId,
        config: (sim) => ({ account: sim.state<CloudflareState>('cloudflare').accounts[1].id }),
      });
      const setting = await h.refresh({ clouds: ['cloudflare'] });
      assert.equal(setting.cloudflare.state, 'ok', setting.cloudflare.error?.message);
      assert.deepEqual(
        setting.cloudflare.resources.map((r) => r.kind),
        ['ai-model'],
        'the empty account: only the catalogue node (empty)',
      );
      assert.equal(count(ROUTE.accounts), 0);
    });

    it('refuses a malformed account id before any call, and says so when the token can read no account', async () => {
      h = await startCloudflareHarness({ env: { CLOUDFLARE_ACCOUNT_ID: '../../zones' } });
      const bad = await h.refresh({ clouds: ['cloudflare'] });
      assert.equal(bad.cloudflare.error?.category, 'config');
      assert.match(bad.cloudflare.error.message, /CLOUDFLARE_ACCOUNT_ID.*not a Cloudflare account ID/);
      assert.equal(h.sim.log.count('cloudflare'), 0);
      await h.close();
      h = await startCloudflareHarness();
      h.state().accounts = [];
      const none = await h.refresh({ clouds: ['cloudflare'] });
      assert.equal(none.cloudflare.error?.category, 'permission');
      assert.match(none.cloudflare.error.message, /can read no account/);
    });
  });

  describe('a token without Analytics: Read', () => {
    // The generic fault matrix and Cloudflare's own faults run in the provider contract suite (contract.test.ts).
    const gqlErrors = (message: string) => ({
      data: null,
      errors: [
        { message, path: ['viewer', 'accounts', '0', 'workersInvocationsAdaptive'], extensions: { timestamp: '2026-11-01T12:00:00Z' } },
      ],
    });
    it('a token without Analytics: Read still lists everything: buckets without sizes, Workers without metrics, one warning', async () => {
      h = await startCloudflareHarness({ env: withAccountId });
      assert.ok(h.state().buckets.length > 0);
      h.sim.faults.add('cloudflare', ROUTE.graphql, { status: 200, body: gqlErrors('not authorized for that account'), times: Infinity });
      const { cloudflare } = await h.refresh();
      assert.equal(cloudflare.state, 'ok', cloudflare.error?.message);
      const buckets = cloudflare.resources.filter((r) => r.kind === 'bucket');
      assert.equal(buckets.length, h.state().buckets.length, 'every bucket listed, EU ones included');
      assert.ok(
        buckets.every((b) => b.details?.objectCount === undefined && b.details?.storedBytes === undefined),
        'sizes unknown, not 0',
      );
      assert.deepEqual(cloudflare.metrics, {});
      assert.deepEqual(
        cloudflare.warnings?.map((w) => [w.part, w.category]),
        [['metrics', 'permission']],
      );
      assert.ok(h.log.at('warn').some((line) => line.startsWith('Cloudflare: R2 bucket sizes not updated')));
    });
  });

  describe('credentials and the SDK’s environment', () => {
    const ENV_KEYS = [
      'CLOUDFLARE_BASE_URL',
      'CLOUDFLARE_API_KEY',
      'CLOUDFLARE_EMAIL',
      'CLOUDFLARE_API_USER_SERVICE_KEY',
      'CLOUDFLARE_CUSTOM_HEADERS',
      'CLOUDFLARE_LOG',
    ] as const;

    it('ignores CLOUDFLARE_BASE_URL, second credentials, custom credential headers and CLOUDFLARE_LOG in the process env', async () => {
      const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
      const logged: unknown[] = [];
      const original = { debug: console.debug, info: console.info, warn: console.warn, error: console.error, log: console.log };
      Object.assign(process.env, {
        CLOUDFLARE_BASE_URL: 'http://127.0.0.1:9/client/v4',
        CLOUDFLARE_API_KEY: 'leaked-global-key',
        CLOUDFLARE_EMAIL: 'leak@example.com',
        CLOUDFLARE_API_USER_SERVICE_KEY: 'v1.0-leaked',
        CLOUDFLARE_CUSTOM_HEADERS: 'X-Auth-Key: leaked-custom\nX-Debug: 1',
        CLOUDFLARE_LOG: 'debug',
      });
      for (const level of ['debug', 'info', 'warn', 'error', 'log'] as const) console[level] = (...args: unknown[]) => logged.push(args);
      try {
        h = await startCloudflareHarness({ env: withAccountId });
        const { cloudflare } = await h.refresh();
        assert.equal(cloudflare.state, 'ok', cloudflare.error?.message);
        assert.deepEqual([...h.state().credentialHeaders], ['authorization'], 'only our Bearer token is sent');
      } finally {
        Object.assign(console, original);
        for (const k of ENV_KEYS) {
          if (saved[k] === undefined) delete process.env[k];
          else process.env[k] = saved[k];
        }
      }
      assert.deepEqual(logged, [], 'the SDK logs nothing to the console');
    });

    it('does not load the SDK while Cloudflare has no credentials', async () => {
      h = await startCloudflareHarness({ env: { CLOUDFLARE_API_TOKEN: undefined } });
      const { cloudflare } = await h.refresh();
      assert.equal(cloudflare.state, 'unconfigured');
      assert.equal(h.registry.isLoaded('cloudflare'), false);
      assert.equal(h.sim.log.count('cloudflare'), 0);
    });

    it('uses wrangler’s OAuth login when CLOUDFLARE_API_TOKEN is unset, and not once it has expired', async () => {
      const home = await mkdtemp(join(tmpdir(), 'cloudtop-cf-home-'));
      try {
        const write = async (token: string, expires: string) => {
          await mkdir(join(home, '.config', '.wrangler', 'config'), { recursive: true });
          await writeFile(
            join(home, '.config', '.wrangler', 'config', 'default.toml'),
            `oauth_token = "${token}"\nexpiration_time = "${expires}"\nrefresh_token = "r"\nscopes = [ "account:read" ]\n`,
          );
        };
        h = await startCloudflareHarness({
          env: (sim) => ({ CLOUDFLARE_API_TOKEN: undefined, HOME: home, XDG_CONFIG_HOME: undefined, ...withAccountId(sim) }),
        });
        await write(h.sim.keys().cloudflare, new Date(Date.now() + 3_600_000).toISOString());
        const fresh = await h.refresh();
        assert.equal(fresh.cloudflare.state, 'ok', fresh.cloudflare.error?.message);
        assert.equal(fresh.cloudflare.credentialSource, 'cli-file');
        await h.close();
        h = await startCloudflareHarness({ env: { CLOUDFLARE_API_TOKEN: undefined, HOME: home, XDG_CONFIG_HOME: undefined } });
        await write(h.sim.keys().cloudflare, new Date(Date.now() - 1000).toISOString());
        assert.equal((await h.refresh()).cloudflare.state, 'unconfigured');
      } finally {
        await rm(home, { recursive: true, force: true });
      }
    });
  });
});

describe('simulated Cloudflare API (wire quirks)', () => {
  let sim: Sim | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('answers v4 envelopes, empty pages past the end, and Cloudflare’s error bodies', async () => {
    sim = await startSim({ clouds: [cloudflareCloud({ namespaces: 7 })] });
    const base = sim.endpoint('cloudflare');
    const key = sim.keys().cloudflare;
    const account = sim.state<CloudflareState>('cloudflare').accountId;
    const page = await call<{ success: boolean; result: unknown[]; result_info: Record<string, number> }>(
      `${base}/accounts/${account}/storage/kv/namespaces?per_page=5&page=2`,
      { key },
    );
    assert.equal(page.body.success, true);
    assert.equal(page.body.result.length, 2);
    assert.deepEqual(page.body.result_info, { page: 2, per_page: 5, count: 2, total_count: 7, total_pages: 2 });
    const clamped = await call<{ result_info: Record<string, number> }>(`${base}/accounts/${account}/storage/kv/namespaces?per_page=2`, {
      key,
    });
    assert.equal(clamped.body.result_info.per_page, 5, 'a page size under the minimum is raised, and the effective one echoed');
    const past = await call<{ result: unknown[] }>(`${base}/accounts/${account}/storage/kv/namespaces?per_page=5&page=3`, { key });
    assert.deepEqual(past.body.result, [], 'past the end: an empty page, not an error');
    assert.equal((await call(`${base}/accounts/${account}/d1/database?page=0`, { key })).status, 400);

    const noKey = await call(`${base}/accounts/${account}/workers/scripts`);
    assert.equal(noKey.status, 401);
    assert.deepEqual(noKey.body, {
      success: false,
      errors: [{ code: 10000, message: 'Authentication error' }],
      messages: [],
      result: null,
    });
    const other = await call(`${base}/accounts/00000000000000000000000000000000/workers/scripts`, { key });
    assert.equal(other.status, 403);
    sim.faults.add('cloudflare', '*', { status: 429 });
    const limited = await call<{ errors: Array<{ code: number; message: string }> }>(`${base}/accounts`, { key });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '300');
    assert.equal(limited.body.errors[0].code, 971);
    assert.match(limited.body.errors[0].message, /^More than 1200 requests per 300 seconds reached/);
    assert.equal((await call<{ errors: Array<{ code: number }> }>(`${base}/nope`, { key })).body.errors[0].code, 7003);
  });

  it('answers GraphQL with only the requested fields, errors:null, and GraphQL errors for bad queries', async () => {
    sim = await startSim({ clouds: [cloudflareCloud({ count: 3 })] });
    const base = sim.endpoint('cloudflare');
    const key = sim.keys().cloudflare;
    const state = sim.state<CloudflareState>('cloudflare');
    const query =
      'query Q($a: string, $s: string, $e: string) { viewer { accounts(filter: {accountTag: $a}) { workersInvocationsAdaptive(limit: 100, filter: {datetime_geq: $s, datetime_lt: $e}) { sum { requests } dimensions { scriptName datetimeMinute } } } } }';
    const variables = { a: state.accountId, s: '2026-11-01T12:00:00Z', e: '2026-11-01T12:02:00Z' };
    const ok = await call<{
      data: { viewer: { accounts: Array<{ workersInvocationsAdaptive: Array<Record<string, Record<string, unknown>>> }> } };
      errors: null;
    }>(`${base}/graphql`, { key, json: { query, variables } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.errors, null);
    const rows = ok.body.data.viewer.accounts[0].workersInvocationsAdaptive;
    const active = state.scripts.filter((s) => state.traffic.get(s.id)! > 0).length;
    assert.equal(rows.length, active * 2, 'one row per active script and minute');
    assert.deepEqual(Object.keys(rows[0]).sort(), ['dimensions', 'sum']);
    assert.deepEqual(Object.keys(rows[0].sum), ['requests']);
    const later = await call<typeof ok.body>(`${base}/graphql`, {
      key,
      json: { query, variables: { ...variables, s: '2026-11-02T08:30:00Z', e: '2026-11-02T08:32:00Z' } },
    });
    assert.deepEqual(
      later.body.data.viewer.accounts[0].workersInvocationsAdaptive.map((r) => r.sum),
      rows.map((r) => r.sum),
      'stationary traffic: the same numbers an hour later',
    );
    const bad = await call<{ data: null; errors: Array<{ message: string }> }>(`${base}/graphql`, {
      key,
      json: { query: query.replace('requests', 'requestz'), variables },
    });
    assert.equal(bad.status, 200);
    assert.equal(bad.body.data, null);
    assert.equal(bad.body.errors[0].message, 'unknown field "requestz"');
    const foreign = await call<{ errors: Array<{ message: string }> }>(`${base}/graphql`, {
      key,
      json: { query, variables: { ...variables, a: 'ffffffffffffffffffffffffffffffff' } },
    });
    assert.equal(foreign.body.errors[0].message, 'not authorized for that account');
    const tooMany = await call<{ errors: Array<{ message: string }> }>(`${base}/graphql`, {
      key,
      json: { query: query.replace('limit: 100', 'limit: 10001'), variables },
    });
    assert.match(tooMany.body.errors[0].message, /limit/);
  });
});
