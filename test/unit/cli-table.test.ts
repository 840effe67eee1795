// The CLI's formatters on hand-built snapshots: exact table text, wide columns, bounded widths, the price
// table's choices and order, the footer, and the JSON document.
import assert from 'node:assert/strict';
import type { CloudId, GpuOffer, ProviderOutcome, Resource, Snapshot } from '../../src/core/model/model';
import { computeTotals } from '../../src/core/model/spend';
import { serializeJson, toJsonDocument } from '../../src/cli/format/json';
import { priceRows } from '../../src/cli/format/prices';
import { renderReport, type ReportOptions } from '../../src/cli/format/report';
import { createStyle, displayWidth } from '../../src/cli/format/terminal';

const NOW = '2026-11-01T12:00:00.000Z';
const stat = (avg: number) => ({ avg, max: avg, min: avg });

function resource(over: Partial<Resource> & Pick<Resource, 'id' | 'name'>): Resource {
  return { cloud: 'vastai', account: '', kind: 'gpu-instance', service: 'GPU', status: 'running', ...over };
}

function outcome(cloud: CloudId, over: Partial<ProviderOutcome> = {}): ProviderOutcome {
  return {
    cloud,
    state: 'ok',
    resources: [],
    metrics: {},
    offers: [],
    fromCache: false,
    stale: false,
    durationMs: 5,
    fetchedAt: '2026-11-01T11:59:48.000Z',
    ...over,
  };
}

function snapshot(...outcomes: ProviderOutcome[]): Snapshot {
  const byCloud = Object.fromEntries(outcomes.map((o) => [o.cloud, o]));
  return { timestamp: NOW, durationMs: 42, outcomes: byCloud, totals: computeTotals(byCloud) };
}

const options = (over: Partial<ReportOptions> = {}): ReportOptions => ({
  wide: false,
  gpu: false,
  style: createStyle(false),
  configureHint: (cloud) => `set ${cloud.toUpperCase()}_KEY`,
  ...over,
});

const vast = outcome('vastai', {
  resources: [
    resource({
      id: '101',
      name: 'trainer',
      pricePerHour: 2.39,
      gpu: { key: 'H100-SXM-80GB', model: 'H100 SXM', count: 1 },
      region: 'Texas, US',
      createdAt: '2026-10-05T14:03:59Z',
    }),
    resource({
      id: '102',
      name: 'parked',
      status: 'stopped',
      pricePerHour: 0.5,
      storagePricePerHour: 0.002,
      gpu: { model: 'RTX 4090', count: 2 },
    }),
  ],
  metrics: {
    '101': {
      compute: { cpuPercent: stat(41.6), memoryPercent: stat(12), networkInBytesPerSec: stat(2048) },
      gpu: { utilizationPercent: stat(87.2) },
    },
  },
});

describe('cli table', () => {
  it('prints one group per cloud with exact rows; absent metrics are "-", never 0', () => {
    const text = renderReport(snapshot(vast), ['vastai'], options()).join('\n');
    assert.equal(
      text,
      [
        'Vast.ai  2 resources · fetched 12 s ago',
        '  Name     Status   CPU%  Memory%  GPU%     $/h',
        '  trainer  running   42%      12%   87%   $2.39',
        '  parked   stopped     -        -     -  <$0.01',
        '',
        'GPU spend  $2.39/h for 1 running GPU · stopped storage <$0.01/h',
      ].join('\n'),
    );
  });

  it('--wide adds ID, type (normalized GPU key), region, network and created (UTC)', () => {
    const [, header, first, second] = renderReport(snapshot(vast), ['vastai'], options({ wide: true }));
    assert.deepEqual(header.trim().split(/\s{2,}/), [
      'Name',
      'ID',
      'Type',
      'Region',
      'Status',
      'CPU%',
      'Memory%',
      'GPU%',
      'Net In',
      'Net Out',
      '$/h',
      'Created',
    ]);
    assert.deepEqual(first.trim().split(/\s{2,}/), [
      'trainer',
      '101',
      '1× H100-SXM-80GB',
      'Texas, US',
      'running',
      '42%',
      '12%',
      '87%',
      '2.0 KB/s',
      '-',
      '$2.39',
      '2026-10-05 14:03',
    ]);
    assert.deepEqual(second.trim().split(/\s{2,}/), [
      'parked',
      '102',
      '2× RTX 4090',
      '-',
      'stopped',
      '-',
      '-',
      '-',
      '-',
      '-',
      '<$0.01',
      '-',
    ]);
  });

  it('bounds column widths, cuts long names with …, and fits a narrow terminal', () => {
    const long = outcome('vastai', {
      resources: [
        resource({ id: 'x'.repeat(60), name: `\u001b[2J${'n'.repeat(300)}\u202e`, gpu: { model: 'H100', count: 1 }, status: 'stopped' }),
      ],
    });
    const lines = renderReport(snapshot(long), ['vastai'], options({ wide: true }));
    const row = lines[2];
    assert.match(row, /^ {2}n{39}… {2}x{23}… /, 'name cut at 40 columns and id at 24');
    const narrow = renderReport(snapshot(long, outcome('runpod')), ['vastai'], options({ width: 60 }));
    for (const line of narrow.slice(0, 3)) assert.ok(displayWidth(line) <= 60, `fits 60 columns: ${line}`);
    // 58 columns inside the indent: the fixed columns and gaps take 35, so the name gets the other 23.
    assert.match(narrow[2], /^ {2}n{22}… /, 'the name column shrank to what is left');
    const tiny = renderReport(snapshot(long), ['vastai'], options({ width: 20 }));
    assert.match(tiny[2], /^ {2}n{11}… /, 'but never below 12 columns');
  });

  it('shows each group the metric columns of what it reports: requests for Workers, none for a group without metrics', () => {
    const workers = outcome('cloudflare', {
      resources: [
        resource({ cloud: 'cloudflare', kind: 'worker', service: 'Workers', id: 'w1', name: 'api' }),
        resource({ cloud: 'cloudflare', kind: 'bucket', service: 'R2', id: 'b1', name: 'assets' }),
      ],
      metrics: { w1: { function: { invocations: stat(252), errors: stat(7.6), durationMs: stat(2.67) } } },
    });
    const databases = outcome('neon', {
      resources: [resource({ cloud: 'neon', kind: 'database', service: 'Postgres', id: 'p1', name: 'main' })],
    });
    const lines = renderReport(snapshot(workers, databases), ['cloudflare', 'neon'], options());
    assert.deepEqual(lines.slice(0, 8), [
      'Cloudflare  2 resources · fetched 12 s ago',
      '  Name    Status   Req/min  Err/min  Duration  $/h',
      '  api     running      252      7.6    2.7 ms    -',
      '  assets  running        -        -         -    -',
      '',
      'Neon  1 resource · fetched 12 s ago',
      '  Name  Status   $/h',
      '  main  running    -',
    ]);
  });

  it('marks stale data, reports failures and unconfigured clouds in the footer, and skips clouds with nothing to show', () => {
    const stale = outcome('vastai', {
      ...vast,
      state: 'error',
      stale: true,
      error: { category: 'network', message: 'Vast.ai did not answer within 30 s.' },
    });
    const failed = outcome('runpod', {
      state: 'error',
      fetchedAt: undefined,
      error: { category: 'auth', message: 'RunPod rejected the key\u001b[2J (401).' },
    });
    const unconfigured = outcome('neon', { state: 'unconfigured', fetchedAt: undefined });
    const lines = renderReport(snapshot(stale, failed, unconfigured), ['vastai', 'runpod', 'neon'], options());
    assert.equal(lines[0], 'Vast.ai  2 resources · fetched 12 s ago · STALE: the last refresh failed');
    assert.ok(!lines.some((l) => l.startsWith('RunPod  ')), 'no group for a cloud without data');
    assert.deepEqual(lines.slice(-3), [
      'Vast.ai failed  network: Vast.ai did not answer within 30 s. (showing the last good data)',
      'RunPod failed  auth: RunPod rejected the key (401).',
      'Neon not configured  set NEON_KEY',
    ]);
  });

  it('lists the parts of a cloud that were not updated in the footer, and in the JSON document', () => {
    const partial = outcome('vastai', {
      ...vast,
      metricsFetchedAt: '2026-11-01T11:58:00.000Z',
      warnings: [
        { part: 'metrics', category: 'permission', message: 'Vast.ai\u001b[2J denied the metrics call (403).' },
        { part: 'offers', category: 'network', message: 'timed out' },
      ],
    });
    const lines = renderReport(snapshot(partial), ['vastai'], options());
    assert.equal(lines[0], 'Vast.ai  2 resources · fetched 12 s ago', 'the data is current: no STALE mark');
    assert.deepEqual(lines.slice(-2), [
      'Vast.ai metrics not updated  permission: Vast.ai denied the metrics call (403). (showing values from 2 min ago)',
      'Vast.ai GPU prices not updated  network: timed out',
    ]);
    const doc = toJsonDocument(snapshot(partial), ['vastai']);
    assert.deepEqual(
      doc.providers.vastai!.warnings?.map((w) => w.part),
      ['metrics', 'offers'],
    );
    assert.equal(doc.providers.vastai!.metricsFetchedAt, '2026-11-01T11:58:00.000Z');
    assert.deepEqual(doc.errors, {}, 'a warning is not an error');
    assert.equal('warnings' in toJsonDocument(snapshot(vast), ['vastai']).providers.vastai!, false, 'absent when none');
  });

  it('says so when a cloud has no resources, and colours only when the style is enabled', () => {
    const empty = renderReport(snapshot(outcome('runpod')), ['runpod'], options({ gpu: true }));
    assert.equal(empty[0], 'RunPod  0 GPU resources · fetched 12 s ago');
    assert.ok(!renderReport(snapshot(vast), ['vastai'], options()).join('\n').includes('\u001b'));
    const coloured = renderReport(snapshot(vast), ['vastai'], options({ style: createStyle(true) })).join('\n');
    assert.ok(coloured.includes('\u001b[32mrunning'));
    assert.ok(coloured.includes('\u001b[1mVast.ai\u001b[22m'));
  });

  it('counts idle GPUs in the spend line', () => {
    const idle = outcome('vastai', {
      resources: [vast.resources[0]],
      metrics: { '101': { gpu: { utilizationPercent: { avg: 1, max: 2, min: 0 } } } },
    });
    assert.equal(renderReport(snapshot(idle), ['vastai'], options()).at(-1), 'GPU spend  $2.39/h for 1 running GPU (1 idle)');
  });
});

function offer(cloud: CloudId, gpuKey: string, price: number, over: Partial<GpuOffer> = {}): GpuOffer {
  return {
    cloud,
    gpuKey,
    gpuName: gpuKey,
    gpuCount: 1,
    pricePerGpuHour: price,
    pricing: 'on-demand',
    availability: 'high',
    fetchedAt: NOW,
    ...over,
  };
}

describe('cli GPU price table', () => {
  const offers = [
    offer('vastai', 'H100-SXM-80GB', 2.5),
    offer('vastai', 'H100-SXM-80GB', 1.9, { availability: 'none' }),
    offer('vastai', 'H100-SXM-80GB', 1.2, { pricing: 'spot', availability: 'low' }),
    offer('runpod', 'H100-SXM-80GB', 2.39, { availability: 'medium' }),
    offer('runpod', 'RTX-4090-24GB', 0.44),
    offer('vastai', 'A100-SXM-80GB', 1.6, { availability: 'none' }),
  ];

  it('picks the cheapest rentable on-demand and spot offer per cloud, and orders GPUs and clouds cheapest first', () => {
    const rows = priceRows(offers);
    assert.deepEqual(
      rows.map((r) => r.gpuKey),
      ['RTX-4090-24GB', 'H100-SXM-80GB', 'A100-SXM-80GB'],
    );
    const h100 = rows[1];
    assert.deepEqual(
      h100.entries.map((e) => [e.cloud, e.onDemand?.pricePerGpuHour, e.spot?.pricePerGpuHour, e.availability]),
      [
        ['vastai', 2.5, 1.2, 'high'],
        ['runpod', 2.39, undefined, 'medium'],
      ],
    );
    assert.equal(rows[2].entries[0].availability, 'none', 'an unrentable offer shows when it is all there is');
  });

  it('renders the table with --gpu', () => {
    const lines = renderReport(
      snapshot(
        outcome('vastai', { offers: offers.filter((o) => o.cloud === 'vastai') }),
        outcome('runpod', { offers: offers.filter((o) => o.cloud === 'runpod') }),
      ),
      ['vastai', 'runpod'],
      options({ gpu: true }),
    );
    const start = lines.indexOf('GPU prices  USD per GPU-hour, cheapest first');
    // RunPod's API has no spot price at all: "n/a", explained under the table; Vast.ai without a spot offer: "-".
    assert.deepEqual(lines.slice(start + 1, start + 8), [
      '  GPU            Cloud    On-demand     Spot  Available',
      '  RTX-4090-24GB  RunPod     $0.44/h      n/a  high',
      '  H100-SXM-80GB  Vast.ai    $2.50/h  $1.20/h  high',
      '                 RunPod     $2.39/h      n/a  medium',
      '  A100-SXM-80GB  Vast.ai    $1.60/h        -  none',
      '',
      "  n/a: RunPod spot: not offered through RunPod's API",
    ]);
  });
});

describe('cli JSON document', () => {
  it('has the seed shape plus schemaVersion and totals', () => {
    const failed = outcome('runpod', {
      state: 'error',
      fetchedAt: undefined,
      error: { category: 'rate-limit', message: 'slow down', retryAfterMs: 3000 },
    });
    const doc = toJsonDocument(snapshot({ ...vast, fromCache: true, credentialSource: 'stored' }, failed), ['vastai', 'runpod']);
    assert.equal(doc.schemaVersion, 1);
    assert.equal(doc.timestamp, NOW);
    assert.equal(doc.duration, 42);
    assert.deepEqual(Object.keys(doc.providers), ['vastai', 'runpod']);
    assert.equal(doc.providers.vastai!.cached, true);
    assert.equal(doc.providers.vastai!.credentialSource, 'stored');
    assert.deepEqual(doc.providers.vastai!.resources, vast.resources);
    assert.deepEqual(doc.providers.vastai!.metrics, vast.metrics);
    assert.deepEqual(doc.errors, { runpod: { category: 'rate-limit', message: 'slow down', retryAfterMs: 3000 } });
    assert.equal(doc.totals.gpuSpendPerHour, 2.39);
  });

  it('escapes characters a terminal would act on, and parses back to the same data', () => {
    const hostile = outcome('vastai', { resources: [resource({ id: '1', name: 'a\u009b2Jb\u202egnp\u2028\u007f' })] });
    const doc = toJsonDocument(snapshot(hostile), ['vastai']);
    const text = serializeJson(doc, { pretty: false });
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(text.trimEnd(), /[\u0000-\u001f\u007f-\u009f\u202e\u2028]/);
    assert.equal(text.split('\n').length, 2, 'one line plus the newline');
    assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(doc)));
    assert.match(serializeJson(doc, { pretty: true }), /\n {2}"schemaVersion": 1,\n/);
  });
});
