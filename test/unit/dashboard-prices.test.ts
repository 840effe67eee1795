import assert from 'node:assert/strict';
import type { CloudId, GpuOffer, ProviderOutcome, Resource, Snapshot } from '../../src/core/model/model';
import { computeTotals } from '../../src/core/model/spend';
import {
  comparePrices,
  equivalents,
  equivalentSentence,
  filterPrices,
  memoryOfKey,
  priceCell,
  priceTable,
} from '../../webview/model/priceTable';
import { sortOrder } from '../../webview/model/table';

const fetchedAt = '2026-11-26T10:00:00.000Z';
const offer = (
  cloud: CloudId,
  gpuKey: string,
  price: number,
  pricing: GpuOffer['pricing'] = 'on-demand',
  extra: Partial<GpuOffer> = {},
): GpuOffer => ({
  cloud,
  gpuKey,
  gpuName: gpuKey,
  gpuCount: 1,
  pricePerGpuHour: price,
  pricing,
  availability: 'high',
  fetchedAt,
  ...extra,
});
const gpuBox = (id: string, key: string | undefined, count: number, price: number, status: Resource['status'] = 'running'): Resource => ({
  id,
  cloud: 'vastai',
  account: '',
  kind: 'gpu-instance',
  service: 'Instances',
  name: `box-${id}`,
  status,
  pricePerHour: price,
  gpu: { ...(key ? { key } : {}), model: key ?? 'Mystery GPU', count },
});
const outcome = (cloud: CloudId, offers: GpuOffer[], resources: Resource[] = []): ProviderOutcome => ({
  cloud,
  state: 'ok',
  resources,
  metrics: {},
  offers,
  fetchedAt,
  fromCache: false,
  stale: false,
  durationMs: 1,
});
function snapshotOf(...outcomes: ProviderOutcome[]): Snapshot {
  const byCloud = Object.fromEntries(outcomes.map((o) => [o.cloud, o]));
  return { timestamp: fetchedAt, durationMs: 1, outcomes: byCloud, totals: computeTotals(byCloud) };
}

const snapshot = snapshotOf(
  outcome(
    'vastai',
    [
      offer('vastai', 'H100-SXM-80GB', 2.1),
      offer('vastai', 'H100-SXM-80GB', 1.9),
      offer('vastai', 'H100-SXM-80GB', 0.9, 'spot', { availability: 'low' }),
      offer('vastai', 'RTX-4090-24GB', 0.35),
    ],
    [
      gpuBox('1', 'H100-SXM-80GB', 2, 6),
      gpuBox('2', 'RTX-4090-24GB', 1, 0.3),
      gpuBox('3', undefined, 1, 1),
      gpuBox('4', 'B200-180GB', 8, 40),
      gpuBox('5', 'H100-SXM-80GB', 1, 9, 'stopped'),
    ],
  ),
  outcome('runpod', [
    offer('runpod', 'H100-SXM-80GB', 2.0, 'on-demand', { tier: 'Community Cloud', availability: 'medium' }),
    offer('runpod', 'A100-SXM-80GB', 1.4, 'on-demand', { tier: 'Secure Cloud' }),
  ]),
  outcome('gcp', [offer('gcp', 'A100-SXM-80GB', 0.8, 'spot')]),
);

describe('dashboard GPU price comparison', () => {
  it('has a row per GPU key and a column per cloud that offers any GPU', () => {
    const c = comparePrices(snapshot);
    assert.deepEqual(c.clouds, ['gcp', 'vastai', 'runpod']);
    assert.deepEqual(
      c.rows.map((r) => r.gpuKey),
      ['A100-SXM-80GB', 'H100-SXM-80GB', 'RTX-4090-24GB'],
    );
    const h100 = c.rows[1];
    assert.equal(h100.cells.vastai?.onDemand?.pricePerGpuHour, 1.9, 'the cheapest of a cloud’s on-demand offers');
    assert.equal(h100.cells.vastai?.spot?.pricePerGpuHour, 0.9);
    assert.equal(h100.memoryGb, 80);
  });

  it('marks the cheapest on-demand cell of each row; spot decides only when nobody sells on demand', () => {
    const [a100, h100, rtx] = comparePrices(snapshot).rows;
    assert.deepEqual(h100.cheapest, { cloud: 'vastai', price: 1.9, pricing: 'on-demand' }); // not the $0.90 spot
    assert.deepEqual(a100.cheapest, { cloud: 'runpod', price: 1.4, pricing: 'on-demand' }); // not gcp's $0.80 spot
    assert.deepEqual(rtx.cheapest, { cloud: 'vastai', price: 0.35, pricing: 'on-demand' });
    const onlySpot = comparePrices(snapshotOf(outcome('gcp', [offer('gcp', 'T4-16GB', 0.2, 'spot')]))).rows[0];
    assert.deepEqual(onlySpot.cheapest, { cloud: 'gcp', price: 0.2, pricing: 'spot' });
  });

  it('says cheapest in words, not by colour alone, and gives availability and tier', () => {
    const c = comparePrices(snapshot);
    const h100 = c.rows[1];
    assert.deepEqual(priceCell(h100, 'vastai'), {
      text: '★ cheapest: $1.90/h on-demand',
      lines: ['$0.90/h spot', 'high availability'],
      mark: 'best',
      title: 'Cheapest on-demand price for H100-SXM-80GB',
    });
    // No spot line would say "none on offer"; RunPod's API publishes no spot price at all: the cell says n/a, its
    // column's tooltip why.
    assert.deepEqual(priceCell(h100, 'runpod'), {
      text: '$2.00/h on-demand (Community Cloud)',
      lines: ['spot: n/a', 'medium availability'],
    });
    assert.equal(
      priceCell(h100, 'vastai').lines?.some((l) => l.startsWith('spot: n/a')),
      false,
      'a cloud with spot prices gets no such line',
    );
    assert.equal(priceCell(h100, 'gcp').text, '—');
    const table = priceTable(c, c.rows);
    assert.deepEqual(
      table.columns.map((col) => col.label),
      ['GPU', 'Memory', 'Cheapest', 'Google Cloud', 'Vast.ai', 'RunPod'],
    );
    assert.equal(
      table.columns.find((col) => col.id === 'cloud:runpod')?.description,
      "RunPod: cheapest price per GPU-hour (spot: not offered through RunPod's API)",
    );
    assert.deepEqual(
      table.rows[1]
        .cells()
        .slice(0, 3)
        .map((x) => [x.text, ...(x.lines ?? [])]),
      [['H100-SXM-80GB'], ['80 GB'], ['$1.90/h on Vast.ai', 'on-demand']],
    );
    // Sorting by a cloud's column uses its best price; GPUs it does not sell go last.
    assert.deepEqual(
      sortOrder(table, { column: 'cloud:runpod', descending: false }).map((i) => table.rows[i].id),
      ['A100-SXM-80GB', 'H100-SXM-80GB', 'RTX-4090-24GB'],
    );
  });

  it('filters by model text and by minimum GPU memory', () => {
    const rows = comparePrices(snapshot).rows;
    assert.deepEqual(
      filterPrices(rows, { model: 'h100', minMemoryGb: 0 }).map((r) => r.gpuKey),
      ['H100-SXM-80GB'],
    );
    assert.deepEqual(
      filterPrices(rows, { model: 'sxm 80', minMemoryGb: 0 }).map((r) => r.gpuKey),
      ['A100-SXM-80GB', 'H100-SXM-80GB'],
    );
    assert.deepEqual(
      filterPrices(rows, { model: '', minMemoryGb: 48 }).map((r) => r.gpuKey),
      ['A100-SXM-80GB', 'H100-SXM-80GB'],
    );
    assert.deepEqual(filterPrices(rows, { model: '4090', minMemoryGb: 48 }), []);
    assert.equal(memoryOfKey('H100-NVL-94GB'), 94);
    assert.equal(memoryOfKey('MYSTERY'), undefined);
  });

  it('prices the cheapest equivalent of every running GPU instance: same key × same count', () => {
    const eq = equivalents(snapshot);
    assert.deepEqual(
      eq.map((e) => e.resourceId),
      ['1', '2', '3', '4'],
      'running GPU instances only',
    );
    assert.deepEqual(eq[0].cheapest, { cloud: 'vastai', pricePerHour: 3.8, pricing: 'on-demand' });
    assert.equal(equivalentSentence(eq[0]), 'you pay $6.00/h; the cheapest equivalent now is $3.80/h on Vast.ai');
    assert.equal(equivalentSentence(eq[1]), 'you pay $0.30/h; the cheapest equivalent now is $0.35/h on Vast.ai');
    assert.equal(equivalentSentence(eq[2]), 'you pay $1.00/h; this GPU has no normalized name, so no offer compares');
    assert.equal(equivalentSentence(eq[3]), 'you pay $40.00/h; no cloud offers 8× B200-180GB right now');
    const rp = equivalents(
      snapshotOf(
        outcome('vastai', [], [gpuBox('9', 'A100-SXM-80GB', 4, 10)]),
        outcome('runpod', [offer('runpod', 'A100-SXM-80GB', 1.4, 'on-demand', { tier: 'Secure Cloud' })]),
      ),
    );
    assert.equal(equivalentSentence(rp[0]), 'you pay $10.00/h; the cheapest equivalent now is $5.60/h on RunPod Secure Cloud');
    const spotOnly = equivalents(
      snapshotOf(outcome('vastai', [offer('vastai', 'A100-SXM-80GB', 0.5, 'spot')], [gpuBox('9', 'A100-SXM-80GB', 2, 10)])),
    );
    assert.equal(equivalentSentence(spotOnly[0]), 'you pay $10.00/h; the cheapest equivalent now is $1.00/h on Vast.ai (spot)');
  });
});
