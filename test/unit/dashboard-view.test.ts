// The overview, the header's time line, the persisted view state and the served HTML's CSP.
import assert from 'node:assert/strict';
import type { ProviderOutcome, Snapshot } from '../../src/core/model/model';
import { computeTotals } from '../../src/core/model/spend';
import { dashboardCsp, dashboardHtml } from '../../src/vscode/dashboardHtml';
import { overviewTable, totalsLine } from '../../webview/model/overview';
import { formatDuration, refreshLine } from '../../webview/model/time';
import { DEFAULT_VIEW_STATE, readViewState, withFilter, withSort } from '../../webview/model/viewState';

const NOW = Date.parse('2026-11-26T10:01:00.000Z');
const ok: ProviderOutcome = {
  cloud: 'vastai',
  state: 'ok',
  metrics: {},
  offers: [],
  fromCache: false,
  stale: false,
  durationMs: 1,
  fetchedAt: '2026-11-26T10:00:48.000Z',
  resources: [
    {
      id: '1',
      cloud: 'vastai',
      account: '',
      kind: 'gpu-instance',
      service: 'Instances',
      name: 'a',
      status: 'running',
      pricePerHour: 1.25,
      gpu: { model: 'H100', count: 2 },
    },
    {
      id: '2',
      cloud: 'vastai',
      account: '',
      kind: 'gpu-instance',
      service: 'Instances',
      name: 'b',
      status: 'stopped',
      storagePricePerHour: 0.1,
      gpu: { model: 'H100', count: 1 },
    },
  ],
};
const failed: ProviderOutcome = {
  cloud: 'runpod',
  state: 'error',
  resources: [],
  metrics: {},
  offers: [],
  fromCache: false,
  stale: true,
  durationMs: 1,
  fetchedAt: '2026-11-26T09:57:00.000Z',
  error: { category: 'rate-limit', message: 'RunPod is rate limiting\u202E requests; retrying in 12 s' },
};
const partial: ProviderOutcome = {
  cloud: 'cloudflare',
  state: 'ok',
  resources: [],
  metrics: {},
  offers: [],
  fromCache: false,
  stale: false,
  durationMs: 1,
  fetchedAt: '2026-11-26T10:00:58.000Z',
  warnings: [{ part: 'metrics', category: 'permission', message: 'The token lacks Account Analytics: Read.' }],
  metricsFetchedAt: '2026-11-26T09:59:00.000Z',
};
const unconfigured: ProviderOutcome = {
  cloud: 'neon',
  state: 'unconfigured',
  resources: [],
  metrics: {},
  offers: [],
  fromCache: false,
  stale: false,
  durationMs: 0,
};
const outcomes = { vastai: ok, runpod: failed, neon: unconfigured, cloudflare: partial };
const snapshot: Snapshot = { timestamp: '2026-11-26T10:00:50.000Z', durationMs: 5, outcomes, totals: computeTotals(outcomes) };

describe('dashboard overview and header', () => {
  it('has a row per cloud: state, counts, GPU spend, data age and problem (an error, or parts not updated)', () => {
    const data = overviewTable(snapshot, NOW);
    assert.deepEqual(
      data.columns.map((c) => c.label),
      ['Cloud', 'State', 'Resources', 'GPU spend', 'Data age', 'Problem'],
    );
    assert.deepEqual(
      data.rows.map((r) => r.cells().map((c) => c.text)),
      [
        [
          'Cloudflare',
          'ok · partial',
          '0 (0 running)',
          '—',
          '2 s',
          'metrics not updated (permission): The token lacks Account Analytics: Read. · showing values from 2 min ago',
        ],
        ['Neon', 'not connected', '0 (0 running)', '—', '—', '—'],
        ['Vast.ai', 'ok', '2 (1 running)', '$1.25/h', '12 s', '—'],
        ['RunPod', 'error · stale', '0 (0 running)', '—', '4 min', 'rate-limit: RunPod is rate limiting requests; retrying in 12 s'],
      ],
    );
    assert.equal(totalsLine(snapshot), 'GPU spend $1.25/h across 2 running GPUs · stopped GPU instances keep paying $0.10/h for storage');
  });

  it('words durations and the refresh line', () => {
    assert.deepEqual([0, 999, 12_000, 59_999, 60_000, 3_599_000, 7_200_000, 200 * 3_600_000].map(formatDuration), [
      '0 s',
      '0 s',
      '12 s',
      '59 s',
      '1 min',
      '59 min',
      '2 h',
      '8 d',
    ]);
    const timing = { intervalSec: 60, lastRefreshAt: NOW - 12_000, refreshing: false, sentAt: NOW };
    assert.equal(refreshLine(timing, NOW), 'updated 12 s ago · next in 48 s');
    assert.equal(refreshLine({ ...timing, intervalSec: 0 }, NOW), 'updated 12 s ago · automatic refresh off');
    assert.equal(refreshLine(timing, NOW + 60_000), 'updated 1 min ago · next refresh due');
    assert.equal(refreshLine({ ...timing, refreshing: true }, NOW), 'refreshing…');
    assert.equal(refreshLine(undefined, NOW), 'waiting for the first refresh');
  });

  it('reads saved view state field by field and falls back to defaults', () => {
    const saved = withFilter(
      withSort({ ...DEFAULT_VIEW_STATE, tab: 'cloud:vastai' }, 'cloud:vastai', { column: 'price', descending: true }),
      'cloud:vastai',
      'h100',
    );
    assert.deepEqual(readViewState(JSON.parse(JSON.stringify(saved))), saved);
    assert.deepEqual(readViewState(undefined), DEFAULT_VIEW_STATE);
    assert.deepEqual(readViewState('tab'), DEFAULT_VIEW_STATE);
    const odd = readViewState({
      tab: '<script>',
      sorts: { 'cloud:x': { column: 1 }, ok: { column: 'name', descending: false } },
      filters: { a: 5, b: 'x'.repeat(500), c: 'gpu' },
      priceModel: 7,
      priceMinMemoryGb: -3,
    });
    assert.deepEqual(odd, {
      tab: 'overview',
      sorts: { ok: { column: 'name', descending: false } },
      filters: { c: 'gpu' },
      priceModel: '',
      priceMinMemoryGb: 0,
    });
  });
});

describe('dashboard HTML and Content Security Policy', () => {
  const source = 'https://file+.vscode-resource.vscode-cdn.net';
  const html = dashboardHtml({
    cspSource: source,
    scriptUri: `${source}/dist/webview/dashboard.js`,
    styleUri: `${source}/dist/webview/dashboard.css`,
    nonce: 'abc123nonceXYZ456',
  });
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values]),
  );

  it('allows scripts only by nonce, and nothing unsafe', () => {
    assert.equal(csp, dashboardCsp(source, 'abc123nonceXYZ456'));
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('script-src'), ["'nonce-abc123nonceXYZ456'"]);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|unsafe-hashes|data:|blob:|\*/);
  });

  it('takes styles, images and fonts from the webview resource origin only', () => {
    for (const d of ['style-src', 'img-src', 'font-src']) assert.deepEqual(directives.get(d), [source], d);
    const origins = csp.match(/https?:\/\/[^\s;]+/g) ?? [];
    assert.ok(
      origins.every((o) => o === source),
      origins.join(),
    );
  });

  it('loads exactly one script, with the nonce, and no inline code or handlers', () => {
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.match(
      html,
      /<script nonce="abc123nonceXYZ456" src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/dist\/webview\/dashboard\.js"><\/script>/,
    );
    assert.doesNotMatch(html, /\son[a-z]+=|style=|javascript:/i);
  });

  it('uses a fresh nonce for every load', async () => {
    const { newNonce } = await import('../../src/vscode/dashboardHtml');
    const nonces = new Set(Array.from({ length: 20 }, newNonce));
    assert.equal(nonces.size, 20);
    for (const n of nonces) assert.match(n, /^[A-Za-z0-9+/]{24}$/);
  });
});
