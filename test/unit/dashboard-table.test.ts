import assert from 'node:assert/strict';
import type { ProviderOutcome, Resource } from '../../src/core/model/model';
import { metricTable, tableCaption } from '../../webview/model/metricTable';
import { filterOrder, nextSort, sortOrder, TableQuery, visibleRange, type TableData } from '../../webview/model/table';

const NOW = Date.parse('2026-11-26T10:05:00.000Z');
const base = { account: '', kind: 'gpu-instance', service: 'Instances' } as const;
const resources: Resource[] = [
  {
    ...base,
    id: 'a',
    cloud: 'vastai',
    name: 'Beta',
    status: 'running',
    region: 'Texas, US',
    pricePerHour: 2,
    gpu: { key: 'H100-SXM-80GB', model: 'H100 SXM', count: 2 },
  },
  { ...base, id: 'b', cloud: 'vastai', name: 'alpha', status: 'stopped', pricePerHour: 0.5 },
  { ...base, id: 'c', cloud: 'vastai', name: '\u202Egnp.exe <b>x</b>', status: 'unknown', rawStatus: 'offline', pricePerHour: 1 },
];
const outcome = (over: Partial<ProviderOutcome> = {}): ProviderOutcome => ({
  cloud: 'vastai',
  state: 'ok',
  resources,
  offers: [],
  fromCache: false,
  stale: false,
  durationMs: 1,
  fetchedAt: '2026-11-26T10:00:00.000Z',
  metrics: {
    a: {
      gpu: { utilizationPercent: { avg: 50, max: 90, min: 10 }, temperatureC: { avg: 61, max: 61, min: 61 } },
      compute: { diskUsedPercent: { avg: 12.4, max: 12.4, min: 12.4 } },
      npu: { topsPerSec: { avg: 3, max: 3, min: 3 } },
    } as never,
    c: { gpu: { utilizationPercent: { avg: 5, max: 7, min: 3 } } },
  },
  ...over,
});
const texts = (data: TableData, id: string) =>
  data.rows
    .find((r) => r.id === id)!
    .cells()
    .map((c) => c.text);

describe('dashboard metric table', () => {
  it('derives its columns from the data: fixed ones that have values, metrics as reported', () => {
    const data = metricTable(outcome(), NOW);
    assert.deepEqual(
      data.columns.map((c) => c.label),
      ['Name', 'Status', 'Region', 'GPU', 'Price', 'Disk used', 'GPU utilization avg', 'GPU utilization max', 'GPU temperature', 'Tops'],
    );
    // One service for every row: no Service column. A metric equal in avg and max on every row: one column.
    assert.deepEqual(texts(data, 'a'), [
      'Beta',
      'running',
      'Texas, US',
      '2× H100-SXM-80GB',
      '$2.00/h',
      '12%',
      '50%',
      '90%',
      '61 °C',
      '3/s',
    ]);
    assert.deepEqual(texts(data, 'b'), ['alpha', 'stopped', '—', '—', '$0.50/h', '—', '—', '—', '—', '—']);
    // Names lose bidi overrides and control characters, never gain markup; the raw status shows when normalized is unknown.
    assert.deepEqual(texts(data, 'c').slice(0, 2), ['gnp.exe <b>x</b>', 'offline']);
  });

  it('adds no column for a family the cloud sent none of (`missing` says why, in the tree)', () => {
    const metrics = { ...outcome().metrics, b: { missing: { gpu: 'no GPU metrics: install the Ops Agent' } } };
    assert.deepEqual(
      metricTable(outcome({ metrics }), NOW).columns.map((c) => c.label),
      metricTable(outcome(), NOW).columns.map((c) => c.label),
    );
  });

  it('sorts with precomputed keys: numbers, text, absent values last in both directions', () => {
    const data = metricTable(outcome(), NOW);
    const ids = (column: string, descending: boolean) => sortOrder(data, { column, descending }).map((i) => data.rows[i].id);
    assert.deepEqual(ids('price', true), ['a', 'c', 'b']);
    assert.deepEqual(ids('price', false), ['b', 'c', 'a']);
    assert.deepEqual(ids('name', false), ['b', 'a', 'c']); // case-insensitive: alpha, Beta, gnp…
    assert.deepEqual(ids('m:gpu.utilizationPercent:max', true), ['a', 'c', 'b']);
    assert.deepEqual(ids('m:gpu.utilizationPercent:max', false), ['c', 'a', 'b']);
    assert.deepEqual(ids('no-such-column', false), ['a', 'b', 'c']);
  });

  it('filters on every whitespace-separated term across name, id, status, region and GPU', () => {
    const data = metricTable(outcome(), NOW);
    const all = data.rows.map((_, i) => i);
    const ids = (filter: string) => filterOrder(data, all, filter).map((i) => data.rows[i].id);
    assert.deepEqual(ids('h100'), ['a']);
    assert.deepEqual(ids('TEXAS run'), ['a']);
    assert.deepEqual(ids('offline'), ['c']);
    assert.deepEqual(ids('<b>'), ['c']);
    assert.deepEqual(ids('  '), ['a', 'b', 'c']);
    assert.deepEqual(ids('nothing-matches'), []);
  });

  it('first click sorts numbers largest first and text A to Z, the next click reverses', () => {
    const price = { id: 'price', label: 'Price', numeric: true };
    const name = { id: 'name', label: 'Name', numeric: false };
    assert.deepEqual(nextSort(undefined, price), { column: 'price', descending: true });
    assert.deepEqual(nextSort(undefined, name), { column: 'name', descending: false });
    assert.deepEqual(nextSort({ column: 'price', descending: true }, price), { column: 'price', descending: false });
    assert.deepEqual(nextSort({ column: 'price', descending: true }, name), { column: 'name', descending: false });
  });

  it('marks stale values and says how old they are', () => {
    const data = metricTable(outcome({ stale: true, state: 'error', error: { category: 'network', message: 'down' } }), NOW);
    const a = data.rows.find((r) => r.id === 'a')!.cells();
    assert.equal(a[1].text, 'running (stale)');
    assert.equal(a[6].mark, 'stale');
    assert.match(a[6].title ?? '', /5 min old/);
    assert.equal(
      tableCaption(outcome({ stale: true }), NOW),
      'Vast.ai: 3 resources · data 5 min old · STALE: the last refresh failed, showing the last good data',
    );
    assert.equal(tableCaption(outcome({ fromCache: true }), NOW), 'Vast.ai: 3 resources · data 5 min old (cached)');
  });

  it('sorts once per sort and filters 5,000 rows by reusing that order', () => {
    const many: Resource[] = Array.from({ length: 5000 }, (_, i) => ({
      ...base,
      id: String(i),
      cloud: 'vastai',
      name: `n-${i}`,
      status: 'running',
      pricePerHour: (i * 7919) % 5000,
    }));
    const data = metricTable({ ...outcome(), resources: many, metrics: {} }, NOW);
    const query = new TableQuery();
    const sorted = query.run(data, { column: 'price', descending: true }, '');
    assert.equal(sorted.length, 5000);
    assert.equal(data.rows[sorted[0]].keys[2], 4999);
    const filtered = query.run(data, { column: 'price', descending: true }, 'n-4999');
    assert.deepEqual(
      filtered.map((i) => data.rows[i].id),
      ['4999'],
    );
  });

  it('computes the slice of rows a virtual table draws', () => {
    assert.deepEqual(visibleRange(0, 220, 22, 5000, 10), { start: 0, end: 20 });
    assert.deepEqual(visibleRange(2200, 220, 22, 5000, 10), { start: 90, end: 120 });
    assert.deepEqual(visibleRange(999_999, 220, 22, 5000, 10), { start: 4989, end: 5000 });
    assert.deepEqual(visibleRange(0, 0, 22, 5000, 0), { start: 0, end: 28 }); // not laid out yet: a first page
    assert.deepEqual(visibleRange(0, 220, 22, 0), { start: 0, end: 0 });
  });
});
