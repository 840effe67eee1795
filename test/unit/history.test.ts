// The rolling history (src/core/history): one point per refresh, bounded in points and bytes however long it is fed,
// kept through a serialize/restore (a window reload), and holding no secret a cloud put into a snapshot.
import assert from 'node:assert/strict';
import { HISTORY_LIMITS, MetricHistory, type HistoryLimits } from '../../src/core/history/history';
import { sparkText, squeeze } from '../../src/core/history/sparkline';
import { thinOlder } from '../../src/core/history/thin';
import type { CloudId, ProviderOutcome, Resource, ResourceMetrics, Snapshot } from '../../src/core/model/model';
import { computeTotals } from '../../src/core/model/spend';
import { assertNoSecrets } from '../support/secrets';

const CANARY = 'ct-canary-9f2c4e1ab7d35566';
const MINUTE = 60_000;
const T0 = Date.parse('2026-12-01T00:00:00Z');

const stat = (v: number) => ({ avg: v, max: v, min: v });

/** A snapshot of `count` GPU instances on Vast.ai and one on RunPod at `at`, utilization moving with `step`. */
function snapshotAt(at: number, step: number, count = 3, extra: Partial<ProviderOutcome> = {}): Snapshot {
  const fetchedAt = new Date(at).toISOString();
  const outcome = (cloud: CloudId, n: number, price: number): ProviderOutcome => {
    const resources: Resource[] = [];
    const metrics: Record<string, ResourceMetrics> = {};
    for (let i = 0; i < n; i++) {
      const id = `${cloud}-${i}`;
      resources.push({
        id,
        cloud,
        account: `user@example.com ${CANARY}`,
        kind: 'gpu-instance',
        service: 'Instances',
        name: `train-${i} ${CANARY}`,
        note: CANARY,
        status: 'running',
        pricePerHour: price,
        gpu: { model: 'H100', key: 'H100-SXM-80GB', count: 1 },
        details: { token: CANARY },
      });
      metrics[id] = {
        gpu: { utilizationPercent: stat((step * 7 + i * 11) % 100), memoryPercent: stat(40) },
        compute: { cpuPercent: stat((step * 3) % 100), memoryPercent: stat(55) },
      };
    }
    return { cloud, state: 'ok', resources, metrics, offers: [], fetchedAt, fromCache: false, stale: false, durationMs: 10, ...extra };
  };
  const outcomes = { vastai: outcome('vastai', count, 2.5), runpod: outcome('runpod', 1, 3.99) };
  return { timestamp: fetchedAt, durationMs: 10, outcomes, totals: computeTotals(outcomes) };
}

describe('history', () => {
  it('keeps one point per refresh per resource and a GPU spend point per cloud', () => {
    const h = new MetricHistory();
    for (let i = 0; i < 5; i++) h.record(snapshotAt(T0 + i * MINUTE, i));
    const r = h.resource('vastai', 'vastai-1')!;
    assert.equal(r.t.length, 5);
    assert.deepEqual(r.values.gpu, [11, 18, 25, 32, 39]);
    assert.deepEqual(r.values.cpu, [0, 3, 6, 9, 12]);
    assert.deepEqual(r.values.mem, [55, 55, 55, 55, 55]);
    const spend = h.spendHistory();
    assert.equal(spend.t.length, 5);
    assert.deepEqual(spend.clouds.vastai, [7.5, 7.5, 7.5, 7.5, 7.5]);
    assert.deepEqual(spend.clouds.runpod, [3.99, 3.99, 3.99, 3.99, 3.99]);
  });

  it('adds nothing for metrics it already has (a cached answer, another cloud refreshed) or for last good data', () => {
    const h = new MetricHistory();
    h.record(snapshotAt(T0, 0));
    h.record(snapshotAt(T0, 1)); // same fetch time: the same refresh seen again
    h.record(snapshotAt(T0 + MINUTE, 2, 3, { stale: true, state: 'error' }));
    assert.equal(h.resource('vastai', 'vastai-0')!.t.length, 1);
  });

  it('drops points older than a day and a resource gone for longer', () => {
    const h = new MetricHistory();
    h.record(snapshotAt(T0, 0, 3));
    for (let i = 1; i <= 26; i++) h.record(snapshotAt(T0 + i * 60 * MINUTE, i, 1));
    assert.equal(h.resource('vastai', 'vastai-2'), undefined, 'a resource last seen 26 h ago is gone');
    const kept = h.resource('vastai', 'vastai-0')!;
    assert.ok(kept.t[0] >= T0 + 26 * 60 * MINUTE - HISTORY_LIMITS.maxAgeMs);
    assert.ok(h.spendHistory().t.every((t) => t >= T0 + 26 * 60 * MINUTE - HISTORY_LIMITS.maxAgeMs));
  });

  it('stays under its caps in points and bytes after 10,000 snapshots, and still covers the day', () => {
    const limits: HistoryLimits = { ...HISTORY_LIMITS, maxBytes: 300_000 };
    const h = new MetricHistory(limits);
    const count = 40;
    for (let i = 0; i < 10_000; i++) h.record(snapshotAt(T0 + i * 15_000, i, count));
    const last = T0 + 9_999 * 15_000;
    for (let i = 0; i < count; i++) {
      const r = h.resource('vastai', `vastai-${i}`)!;
      assert.ok(r.t.length <= limits.maxPointsPerSeries, `${r.t.length} points`);
      assert.ok(last - r.t[0] > 23 * 60 * MINUTE, 'thinned, not cut: the series still spans the day');
    }
    assert.ok(h.spendHistory().t.length <= limits.maxPointsPerSeries);
    const json = JSON.stringify(h.toDocument());
    assert.ok(json.length <= limits.maxBytes, `${json.length} bytes`);
    assert.ok(h.resource('vastai', 'vastai-0')!.t.length > 10, 'the byte cap thins, it does not empty');
  });

  it('follows at most maxSeries resources, dropping the longest unseen', () => {
    const h = new MetricHistory({ ...HISTORY_LIMITS, maxSeries: 4 });
    h.record(snapshotAt(T0, 0, 5));
    assert.equal(h.size, 4);
  });

  it('survives a reload: restored from its document it has the same series, and a damaged document gives an empty one', () => {
    const h = new MetricHistory();
    for (let i = 0; i < 30; i++) h.record(snapshotAt(T0 + i * MINUTE, i));
    const text = JSON.stringify(h.toDocument());
    const restored = MetricHistory.fromDocument(JSON.parse(text) as unknown);
    assert.deepEqual(restored.resource('vastai', 'vastai-2'), h.resource('vastai', 'vastai-2'));
    assert.deepEqual(restored.spendHistory(), h.spendHistory());
    restored.record(snapshotAt(T0 + 30 * MINUTE, 30));
    assert.equal(restored.resource('vastai', 'vastai-2')!.t.length, 31, 'recording goes on after the reload');
    for (const bad of [
      null,
      'x',
      { format: 'cloudtop-history', version: 99 },
      { format: 'cloudtop-history', version: 1, resources: [{ cloud: 'aws', id: 'x' }] },
    ])
      assert.equal(MetricHistory.fromDocument(bad).size, 0);
    const broken = JSON.parse(text) as { resources: { t: unknown[] }[] };
    broken.resources[0].t = ['x'];
    assert.equal(MetricHistory.fromDocument(broken).size, h.size - 1, 'one damaged series is dropped, the rest kept');
  });

  it('never holds a secret a cloud put into names, notes, details or accounts', () => {
    const h = new MetricHistory();
    for (let i = 0; i < 3; i++) h.record(snapshotAt(T0 + i * MINUTE, i));
    assertNoSecrets(JSON.stringify(h.toDocument()), [CANARY], 'the stored history');
  });
});

describe('sparklines', () => {
  it('squeezes a series to a width by averaging runs, keeping gaps', () => {
    assert.deepEqual(squeeze([0, 10, 20, 30], 2), [5, 25]);
    assert.deepEqual(squeeze([null, null, 50, 70], 2), [null, 60]);
    assert.deepEqual(squeeze([1, 2], 5), [1, 2]);
  });

  it('draws 0–100 % on a fixed scale of eight blocks', () => {
    assert.equal(sparkText([0, 13, 50, 99, 100, null], 6), '▁▂▅██ ');
  });

  it('thins older points and keeps the recent ones', () => {
    assert.deepEqual(thinOlder(10, 3), [0, 2, 4, 6, 7, 8, 9]);
    assert.deepEqual(thinOlder(2, 0), [1]);
  });
});
