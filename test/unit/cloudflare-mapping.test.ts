// Cloudflare wire → model: resources, console links, page ends, and the per-minute metrics arithmetic.
import assert from 'node:assert/strict';
import { toWorkerMinute, workersQuery } from '../../src/providers/cloudflare/analytics';
import { isLastPage } from '../../src/providers/cloudflare/lists';
import {
  aiCatalogueResource,
  bucketResource,
  dashUrl,
  databaseResource,
  namespaceResource,
  storageKey,
  workerResource,
} from '../../src/providers/cloudflare/mapping';
import { alignWindow, statOf, workerMetrics, type WorkerMinute } from '../../src/providers/cloudflare/metrics';

const ACCOUNT = '023e105f4ecef8ad9ca31a8372d0c353';

describe('Cloudflare mapping', () => {
  it('builds dash.cloudflare.com links with every segment encoded', () => {
    assert.equal(
      dashUrl(ACCOUNT, 'workers', 'services', 'view', 'api', 'production'),
      `https://dash.cloudflare.com/${ACCOUNT}/workers/services/view/api/production`,
    );
    assert.equal(
      dashUrl(ACCOUNT, 'r2', 'default', 'buckets', '<img src=x>/../x'),
      `https://dash.cloudflare.com/${ACCOUNT}/r2/default/buckets/%3Cimg%20src%3Dx%3E%2F..%2Fx`,
    );
  });

  it('maps a Worker script, keeping its name exactly and dropping empty or malformed fields', () => {
    const r = workerResource(
      {
        id: '\u202Egnp.exe',
        created_on: 'not a date',
        handlers: [],
        tags: null,
        routes: [{ pattern: '' }, { pattern: 'a.com/*' }],
        usage_model: '',
        logpush: null,
      },
      ACCOUNT,
    );
    assert.equal(r.id, 'worker:\u202Egnp.exe');
    assert.equal(r.name, '\u202Egnp.exe');
    assert.equal(r.kind, 'worker');
    assert.equal(r.service, 'Workers');
    assert.equal(r.status, 'running');
    assert.equal(r.createdAt, undefined, 'an unparseable date is dropped');
    assert.deepEqual(r.details, { routes: 1 });
    assert.equal(r.consoleUrl, `https://dash.cloudflare.com/${ACCOUNT}/workers/services/view/%E2%80%AEgnp.exe/production`);
  });

  it('maps R2 buckets with their storage, names EU buckets the way R2 analytics do, and leaves unknown storage absent', () => {
    assert.equal(storageKey({ name: 'logs', jurisdiction: 'eu' }), 'eu_logs');
    assert.equal(storageKey({ name: 'logs', jurisdiction: 'default' }), 'logs');
    assert.equal(storageKey({ name: 'logs' }), 'logs');
    const stored = bucketResource(
      { name: 'logs', jurisdiction: 'eu', location: 'WEUR', creation_date: '2024-01-01T00:00:00.000Z' },
      ACCOUNT,
      { objectCount: 3, payloadBytes: 100, metadataBytes: 5 },
    );
    assert.equal(stored.id, 'r2:eu_logs');
    assert.equal(stored.region, 'WEUR');
    assert.equal(stored.consoleUrl, `https://dash.cloudflare.com/${ACCOUNT}/r2/eu/buckets/logs`);
    assert.deepEqual(stored.details, { jurisdiction: 'eu', objects: 3, storedBytes: 105, storageWindow: 'max of the last 24 h' });
    const unknown = bucketResource({ name: 'new' }, ACCOUNT, undefined);
    assert.deepEqual(unknown.details, { jurisdiction: 'default' });
    assert.equal(unknown.region, undefined);
    const payloadOnly = bucketResource({ name: 'p' }, ACCOUNT, { payloadBytes: 7 });
    assert.equal(payloadOnly.details!.storedBytes, 7);
    assert.equal('objects' in payloadOnly.details!, false);
  });

  it('maps D1 databases with the list’s size and table count, absent (never 0) when not reported', () => {
    const d = databaseResource({ uuid: 'u-1', name: 'main', version: 'production', file_size: 0, num_tables: 3 }, ACCOUNT);
    assert.deepEqual(d.details, { uuid: 'u-1', version: 'production', fileSizeBytes: 0, tables: 3 });
    const fresh = databaseResource({ uuid: 'u-2', name: null, file_size: null, num_tables: null }, ACCOUNT);
    assert.equal(fresh.name, 'u-2', 'no name: the uuid');
    assert.deepEqual(fresh.details, { uuid: 'u-2' });
    assert.equal(fresh.consoleUrl, `https://dash.cloudflare.com/${ACCOUNT}/workers/d1/databases/u-2`);
  });

  it('maps KV namespaces by title', () => {
    const n = namespaceResource({ id: 'ns1', title: 'cache', supports_url_encoding: false }, ACCOUNT);
    assert.equal(n.kind, 'kv-namespace');
    assert.equal(n.name, 'cache');
    assert.deepEqual(n.details, { namespaceId: 'ns1', urlEncodedKeys: false });
  });

  it('sums the Workers AI catalogue into one node that says it is a catalogue', () => {
    const models = [
      { name: 'a', task: { name: 'Text Generation' } },
      { name: 'b', task: { name: 'Text Generation' } },
      { name: 'c', task: null },
      { name: 'd', task: { name: 'Translation' } },
    ];
    const known = aiCatalogueResource(models, 87, true, ACCOUNT);
    assert.equal(known.name, 'Workers AI model catalogue (87 models)');
    assert.deepEqual(known.details, {
      catalogue: true,
      note: 'Models available to call, billed per use; not resources you own.',
      models: '87',
      listed: 4,
      tasks: 'Text Generation 2 · Other 1 · Translation 1',
    });
    assert.equal(known.status, 'unknown');
    assert.equal(known.rawStatus, 'catalogue');
    assert.equal(
      aiCatalogueResource(models, undefined, true, ACCOUNT).name,
      'Workers AI model catalogue (4+ models)',
      'a full first page without a total',
    );
    assert.equal(aiCatalogueResource(models, undefined, false, ACCOUNT).name, 'Workers AI model catalogue (4 models)');
  });
});

describe('Cloudflare page ends', () => {
  it('ends on an empty page, a short page against the echoed per_page, page × per_page ≥ total_count or page ≥ total_pages', () => {
    assert.equal(isLastPage(undefined, 1, 0), true);
    assert.equal(isLastPage(undefined, 3, 100), false, 'no result_info: read on to the empty page');
    assert.equal(isLastPage({ per_page: 100 }, 1, 99), true);
    assert.equal(isLastPage({ per_page: 100 }, 1, 100), false);
    assert.equal(isLastPage({ per_page: 100, total_count: 200 }, 2, 100), true);
    assert.equal(isLastPage({ per_page: 100, total_count: 201 }, 2, 100), false);
    assert.equal(isLastPage({ total_pages: 2 }, 2, 100), true);
    assert.equal(isLastPage({ total_pages: 2 }, 1, 100), false);
    assert.equal(isLastPage({ per_page: 'x', total_pages: null }, 1, 5), false, 'garbled result_info is ignored');
  });
});

describe('Cloudflare Workers metrics', () => {
  const window = alignWindow({ start: '2026-11-01T12:00:30.000Z', end: '2026-11-01T12:05:30.000Z', granularitySec: 60 });
  const row = (script: string, minute: number, requests: number, extra: Partial<WorkerMinute> = {}): WorkerMinute => ({
    script,
    minute: `2026-11-01T12:0${minute}:00Z`,
    requests,
    errors: 0,
    subrequests: 0,
    ...extra,
  });

  it('aligns the window to whole minutes, ending at the last complete one', () => {
    assert.deepEqual(window, {
      start: '2026-11-01T12:00:00.000Z',
      end: '2026-11-01T12:05:00.000Z',
      startMs: Date.UTC(2026, 10, 1, 12),
      minutes: 5,
    });
    assert.equal(alignWindow({ start: '2026-11-01T12:00:10Z', end: '2026-11-01T12:00:50Z', granularitySec: 60 }).minutes, 1, 'never empty');
    assert.throws(() => alignWindow({ start: 'x', end: 'y', granularitySec: 60 }));
  });

  it('counts quiet minutes as 0, converts CPU µs to ms and weights the p50 by requests', () => {
    const m = workerMetrics(
      ['api'],
      [
        row('api', 0, 10, { errors: 1, subrequests: 4, cpuTimeP50Us: 1000, cpuTimeP99Us: 4000 }),
        row('api', 1, 30, { cpuTimeP50Us: 3000, cpuTimeP99Us: 8000 }),
        row('api', 1, 10, { cpuTimeP50Us: 1000 }), // a second row for the same minute adds up
        row('api', 5, 1000), // outside the window
        row('api', 3, 0, { cpuTimeP50Us: 99_000 }), // no request: its quantile means nothing
        row('other', 2, 50),
        { script: 'api', minute: 'garbage', requests: 5 },
      ],
      window,
    ).get('api')!;
    assert.deepEqual(m.invocations, { avg: 10, max: 40, min: 0 });
    assert.deepEqual(m.errors, { avg: 0.2, max: 1, min: 0 });
    assert.deepEqual(m.subrequests, { avg: 0.8, max: 4, min: 0 });
    assert.deepEqual(m.durationMs, { avg: (1 * 10 + 3 * 30 + 1 * 10) / 50, max: 3, min: 1 });
    assert.deepEqual(m.durationP99Ms, { avg: (4 * 10 + 8 * 30) / 40, max: 8, min: 4 });
  });

  it('gives a script without rows zero traffic and no duration, and ignores scripts not asked for', () => {
    const out = workerMetrics(['idle'], [row('busy', 0, 5, { cpuTimeP50Us: 100 })], window);
    assert.deepEqual([...out.keys()], ['idle']);
    assert.deepEqual(out.get('idle'), {
      invocations: { avg: 0, max: 0, min: 0 },
      errors: { avg: 0, max: 0, min: 0 },
      subrequests: { avg: 0, max: 0, min: 0 },
    });
  });

  it('reads analytics rows defensively and asks for the fields it reads', () => {
    assert.deepEqual(
      toWorkerMinute({
        sum: { requests: 3, errors: 'x' },
        quantiles: { cpuTimeP50: 212.5 },
        dimensions: { scriptName: 'a', datetimeMinute: '2026-11-01T12:00:00Z' },
      }),
      {
        script: 'a',
        minute: '2026-11-01T12:00:00Z',
        requests: 3,
        errors: undefined,
        subrequests: undefined,
        cpuTimeP50Us: 212.5,
        cpuTimeP99Us: undefined,
      },
    );
    assert.equal(toWorkerMinute({ sum: { requests: 3 }, dimensions: { scriptName: 'a' } }), undefined);
    const q = workersQuery(false);
    for (const field of [
      'requests',
      'errors',
      'subrequests',
      'cpuTimeP50',
      'cpuTimeP99',
      'scriptName',
      'datetimeMinute',
      'datetime_geq: $start',
      'datetime_lt: $end',
    ])
      assert.ok(q.includes(field), field);
    assert.ok(!q.includes('scriptName_in'));
    assert.ok(workersQuery(true).includes('scriptName_in: $scripts'));
    assert.deepEqual(statOf([2, 4]), { avg: 3, max: 4, min: 2 });
  });
});
