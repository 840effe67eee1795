import assert from 'node:assert/strict';
import type { CloudId, GpuOffer, ProviderOutcome, Resource, Snapshot } from '../../src/core/model/model';
import { computeTotals } from '../../src/core/model/spend';
import {
  cloudsWithoutAvailability,
  comparePrices,
  equivalents,
  equivalentSentence,
  filterPrices,
  memoryOfKey,
  priceCell,
  priceTable,
  youRun,
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

  it('puts a cell on one line: the on-demand price, then spot and availability (where reported) as a smaller figure', () => {
    const c = comparePrices(snapshot);
    const h100 = c.rows[1];
    assert.deepEqual(priceCell(h100, 'vastai'), {
      text: '★ $1.90/h',
      secondary: 'spot $0.90/h · in stock',
      title: 'Vast.ai: $1.90/h on-demand for H100-SXM-80GB; spot $0.90/h; the cheapest on-demand price of this GPU',
      mark: 'best',
      srText: ' (cheapest)',
    });
    // RunPod's API publishes no spot price at all: "spot n/a", its column's tooltip says why.
    assert.deepEqual(priceCell(h100, 'runpod'), {
      text: '$2.00/h',
      secondary: 'spot n/a · some stock',
      title: 'RunPod: $2.00/h on-demand (Community Cloud) for H100-SXM-80GB',
    });
    assert.equal(priceCell(h100, 'gcp').text, '—');
    // Spot only: the price is the spot one and says so; a cloud that reports no availability shows none.
    const a100 = c.rows[0];
    assert.deepEqual(priceCell(a100, 'gcp'), {
      text: '$0.80/h',
      secondary: 'spot only · in stock',
      title: 'Google Cloud: $0.80/h spot for A100-SXM-80GB',
    });
    const silent = comparePrices(
      snapshotOf(outcome('azure', [offer('azure', 'H100-SXM-80GB', 6.98, 'on-demand', { availability: 'unknown' })])),
    );
    assert.deepEqual(priceCell(silent.rows[0], 'azure'), {
      text: '★ $6.98/h',
      title: 'Azure: $6.98/h on-demand for H100-SXM-80GB; the cheapest on-demand price of this GPU',
      mark: 'best',
      srText: ' (cheapest)',
    });
    assert.equal(
      [priceCell(h100, 'vastai'), priceCell(h100, 'runpod')].every((cell) => cell.lines === undefined),
      true,
      'no cell takes a second line',
    );
  });

  it('names the clouds that report no availability, for the legend', () => {
    const c = comparePrices(
      snapshotOf(
        outcome('azure', [offer('azure', 'H100-SXM-80GB', 6.98, 'on-demand', { availability: 'unknown' })]),
        outcome('oci', [offer('oci', 'H100-SXM-80GB', 10, 'on-demand', { availability: 'unknown' })]),
        outcome('runpod', [offer('runpod', 'H100-SXM-80GB', 2.5, 'on-demand', { availability: 'low' })]),
      ),
    );
    assert.deepEqual(cloudsWithoutAvailability(c), ['oci', 'azure']);
  });

  it('has a GPU, memory and cheapest column and a column per cloud, each sortable; "cheapest" sorts by the best price', () => {
    const c = comparePrices(snapshot);
    const table = priceTable(c, c.rows);
    assert.deepEqual(
      table.columns.map((col) => col.label),
      ['GPU', 'Memory', 'Cheapest', 'Google Cloud', 'Vast.ai', 'RunPod'],
    );
    assert.equal(
      table.columns.find((col) => col.id === 'cloud:runpod')?.description,
      "RunPod: price per GPU-hour (spot: not offered through RunPod's API)",
    );
    assert.deepEqual(
      table.rows[1]
        .cells()
        .slice(0, 3)
        .map((x) => [x.text, x.secondary]),
      [
        ['H100-SXM-80GB', undefined],
        ['80 GB', undefined],
        ['$1.90/h', 'Vast.ai'],
      ],
    );
    // Cheapest first: RTX 4090 ($0.35), A100 ($1.40 on demand; GCP's $0.80 spot does not count), H100 ($1.90).
    assert.deepEqual(
      sortOrder(table, { column: 'cheapest', descending: false }).map((i) => table.rows[i].id),
      ['RTX-4090-24GB', 'A100-SXM-80GB', 'H100-SXM-80GB'],
    );
    assert.deepEqual(
      sortOrder(table, { column: 'cheapest', descending: true }).map((i) => table.rows[i].id),
      ['H100-SXM-80GB', 'A100-SXM-80GB', 'RTX-4090-24GB'],
    );
    // Sorting by a cloud's column uses its best price; GPUs it does not sell go last.
    assert.deepEqual(
      sortOrder(table, { column: 'cloud:runpod', descending: false }).map((i) => table.rows[i].id),
      ['A100-SXM-80GB', 'H100-SXM-80GB', 'RTX-4090-24GB'],
    );
  });

  it('marks the GPUs the user is billed for ("you run N"), on the GPU and on the clouds they run on, and lists them first', () => {
    const mine = youRun(snapshot);
    // Billed GPU resources per key: the stopped H100 box is not billed; the unnamed GPU cannot be compared.
    assert.deepEqual(mine.get('H100-SXM-80GB'), { gpus: 2, byCloud: { vastai: 2 }, paysPerGpuHour: 3 });
    assert.deepEqual(mine.get('RTX-4090-24GB'), { gpus: 1, byCloud: { vastai: 1 }, paysPerGpuHour: 0.3 });
    assert.equal(mine.has('A100-SXM-80GB'), false);
    const c = comparePrices(snapshot);
    const table = priceTable(c, c.rows, mine);
    assert.deepEqual(
      table.rows.map((r) => r.id),
      ['H100-SXM-80GB', 'RTX-4090-24GB', 'A100-SXM-80GB'],
      'what you run comes first until you sort',
    );
    const [gpu, , cheapest, , vast, runpod] = table.rows[0].cells();
    assert.equal(gpu.secondary, 'you run 2');
    assert.equal(gpu.mark, 'mine');
    assert.equal(
      gpu.title,
      'You run 2 of these (2 on Vast.ai), paying $3.00/h per GPU on average; the cheapest on-demand price now is $1.90/h on Vast.ai',
    );
    assert.equal(cheapest.title, 'You pay $3.00/h per GPU: cheaper elsewhere');
    assert.equal(vast.secondary, 'spot $0.90/h · in stock · you run 2');
    assert.equal(runpod.secondary, 'spot n/a · some stock', 'not where you do not run it');
    const [, , a100cheapest] = table.rows[2].cells();
    assert.equal(a100cheapest.title, undefined);
    // A GPU you run that no cloud offers right now still has no row (nothing to compare), and an unpriced one counts.
    const unpriced = youRun(
      snapshotOf(outcome('vastai', [], [{ ...gpuBox('7', 'L4-24GB', 1, 0), pricePerHour: undefined, priceUnknown: 'no price list' }])),
    );
    assert.deepEqual(unpriced.get('L4-24GB'), { gpus: 1, byCloud: { vastai: 1 } });
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
