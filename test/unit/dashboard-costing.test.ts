// The overview's Costing now list (webview/model/costingNow.ts) and what the host sends for its pictures
// (src/vscode/dashboardHistory.ts): the billed GPU resources only, across clouds, by price; since when each runs
// where the cloud says and the estimate since then; Stop only where the host allows it; bounded sparklines.
import assert from 'node:assert/strict';
import { MetricHistory } from '../../src/core/history/history';
import type { CloudId, ProviderOutcome, Resource, Snapshot } from '../../src/core/model/model';
import { computeTotals } from '../../src/core/model/spend';
import { dashboardHistory, resourceHistoryMessage, SPARK_WIDTH } from '../../src/vscode/dashboardHistory';
import { costingRows, costingTable, runningSince } from '../../webview/model/costingNow';
import { sortOrder } from '../../webview/model/table';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const HOUR = 3_600_000;

function gpu(cloud: CloudId, id: string, price: number | undefined, extra: Partial<Resource> = {}): Resource {
  return {
    id,
    cloud,
    account: '',
    kind: 'gpu-instance',
    service: 'GPU',
    name: `n-${id}`,
    status: 'running',
    ...(price !== undefined ? { pricePerHour: price } : { priceUnknown: 'no price' }),
    gpu: { model: 'H100', key: 'H100-SXM-80GB', count: 2 },
    ...extra,
  };
}

function snapshotAt(at: number, util = 50): Snapshot {
  const fetchedAt = new Date(at).toISOString();
  const o = (cloud: CloudId, resources: Resource[]): ProviderOutcome => ({
    cloud,
    state: 'ok',
    resources,
    metrics: Object.fromEntries(resources.map((r) => [r.id, { gpu: { utilizationPercent: { avg: util, max: util, min: util } } }])),
    offers: [],
    fetchedAt,
    fromCache: false,
    stale: false,
    durationMs: 1,
  });
  const outcomes = {
    runpod: o('runpod', [gpu('runpod', 'p1', 3.99, { details: { uptimeSec: 7200 } }), gpu('runpod', 'p2', 0.5, { status: 'stopped' })]),
    vastai: o('vastai', [gpu('vastai', 'v1', 1.25, { createdAt: new Date(at - 4 * HOUR).toISOString() }), gpu('vastai', 'v2', undefined)]),
    azure: o('azure', [gpu('azure', 'a1', 12, {})]),
  };
  return { timestamp: fetchedAt, durationMs: 1, outcomes, totals: computeTotals(outcomes) };
}

describe('dashboard Costing now', () => {
  it('lists the billed, priced GPU resources across clouds, most expensive first', () => {
    const s = snapshotAt(NOW);
    const table = costingTable(costingRows(s, undefined, NOW), NOW, new Set(['vastai', 'runpod']));
    const order = sortOrder(table, { column: 'price', descending: true }).map((i) => table.rows[i].id);
    assert.deepEqual(order, ['azure:a1', 'runpod:p1', 'vastai:v1']);
  });

  it('says since when each runs where the cloud says, and the estimate since then', () => {
    const s = snapshotAt(NOW);
    const rows = costingRows(s, undefined, NOW + HOUR);
    const p1 = rows.find((r) => r.key === 'runpod:p1')!;
    assert.deepEqual(p1.since, { at: NOW - 2 * HOUR, basis: 'started' });
    assert.equal(p1.costSince, 3.99 * 3);
    const v1 = rows.find((r) => r.key === 'vastai:v1')!;
    assert.equal(v1.since?.basis, 'created');
    assert.equal(v1.costSince, 1.25 * 5);
    assert.equal(rows.find((r) => r.key === 'azure:a1')!.since, undefined);
    assert.deepEqual(runningSince(gpu('neon', 'x', 1, { details: { startedAt: '2026-12-07T10:00:00Z' } }), NOW), {
      at: NOW - 2 * HOUR,
      basis: 'started',
    });
    const table = costingTable(rows, NOW + HOUR, new Set());
    const cells = table.rows.find((r) => r.id === 'runpod:p1')!.cells();
    assert.equal(cells[5].text, '3 h ago');
    assert.equal(cells[6].text, '≈ $11.97');
    assert.match(cells[6].title ?? '', /^Estimate/);
    // From a creation time only: an upper bound, said so.
    const created = table.rows.find((r) => r.id === 'vastai:v1')!.cells();
    assert.equal(created[5].text, 'created 5 h ago');
    assert.equal(created[6].text, '≤ $6.25');
  });

  it('offers Stop only on clouds the host allows, Show everywhere', () => {
    const s = snapshotAt(NOW);
    const table = costingTable(costingRows(s, undefined, NOW), NOW, new Set(['vastai']));
    const actions = (id: string) => (table.rows.find((r) => r.id === id)!.cells()[8].actions ?? []).map((a) => a.id);
    assert.deepEqual(actions('vastai:v1'), ['stop', 'show']);
    assert.deepEqual(actions('azure:a1'), ['show']);
  });

  it('gets sparklines of the history, squeezed, and a selected resource’s day', () => {
    const h = new MetricHistory();
    for (let i = 0; i < 100; i++) h.record(snapshotAt(NOW + i * 60_000, i));
    const last = snapshotAt(NOW + 99 * 60_000, 99);
    const sent = dashboardHistory(h, last);
    assert.equal(sent.spend.t.length, 100);
    assert.deepEqual(sent.spend.clouds.azure?.slice(0, 2), [12, 12]);
    assert.deepEqual(
      sent.sparks.map((x) => `${x.cloud}:${x.id}`),
      ['runpod:p1', 'vastai:v1', 'azure:a1'],
    );
    assert.ok(sent.sparks.every((x) => x.gpu.length === SPARK_WIDTH));
    const rows = costingRows(last, sent, NOW);
    assert.equal(rows.find((r) => r.key === 'vastai:v1')!.spark.length, SPARK_WIDTH);
    const one = resourceHistoryMessage(h, 'vastai', 'v1', NOW + 99 * 60_000);
    assert.equal(one.t.length, 100);
    assert.equal(one.values.gpu[99], 99);
    assert.equal(resourceHistoryMessage(h, 'vastai', 'nope', NOW).t.length, 0);
  });
});
