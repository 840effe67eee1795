/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return --
   this test breaks a snapshot's shape on purpose, field by field, so it handles it untyped. */
import assert from 'node:assert/strict';
import { ERROR_CATEGORIES, RESOURCE_STATUSES, WARNING_PARTS, type ProviderOutcome, type Snapshot } from '../../src/core/model/model';
import { computeTotals } from '../../src/core/model/spend';
import { isHostMessage, isSnapshot, isWebviewMessage, type DashboardTiming } from '../../src/dashboard/protocol';

const fetchedAt = '2026-11-26T10:00:00.000Z';
const outcome: ProviderOutcome = {
  cloud: 'vastai',
  state: 'ok',
  resources: [
    {
      id: '1',
      cloud: 'vastai',
      account: '',
      kind: 'gpu-instance',
      service: 'Instances',
      name: '<img src=x onerror=alert(1)>',
      status: 'running',
      pricePerHour: 1.5,
      gpu: { key: 'RTX-4090-24GB', model: 'RTX 4090', count: 2, memoryGb: 24 },
      details: { image: 'pytorch', vCpus: 8, interruptible: false },
    },
  ],
  metrics: { '1': { gpu: { utilizationPercent: { avg: 40, max: 90, min: 1 } }, compute: { diskUsedPercent: { avg: 3, max: 3, min: 3 } } } },
  offers: [
    {
      cloud: 'vastai',
      gpuKey: 'RTX-4090-24GB',
      gpuName: 'RTX 4090',
      gpuCount: 1,
      pricePerGpuHour: 0.4,
      pricing: 'spot',
      availability: 'high',
      fetchedAt,
    },
  ],
  fetchedAt,
  fromCache: false,
  stale: false,
  durationMs: 12,
};
const snapshot: Snapshot = {
  timestamp: fetchedAt,
  durationMs: 20,
  outcomes: { vastai: outcome },
  totals: computeTotals({ vastai: outcome }),
};
const timing: DashboardTiming = { intervalSec: 60, lastRefreshAt: 1_000, refreshing: false, sentAt: 2_000 };
/** A JSON round trip, as postMessage delivers it. */
const wire = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
/** A copy with one change made by `edit`. */
function mutated(edit: (s: Record<string, any>) => void): unknown {
  const copy = wire(snapshot) as unknown as Record<string, any>;
  edit(copy);
  return copy;
}

describe('dashboard protocol', () => {
  it('accepts a real snapshot message after a JSON round trip', () => {
    assert.equal(isSnapshot(wire(snapshot)), true);
    assert.equal(
      isSnapshot(
        mutated((s) =>
          Object.assign(s.outcomes.vastai, {
            warnings: [{ part: 'metrics', category: 'permission', message: 'no analytics' }],
            metricsFetchedAt: fetchedAt,
          }),
        ),
      ),
      true,
    );
    assert.equal(isHostMessage(wire({ type: 'snapshot', snapshot, timing })), true);
    assert.equal(isHostMessage({ type: 'timing', timing: { intervalSec: 0, refreshing: true, sentAt: 5 } }), true);
  });

  it("accepts every value of the model's own lists: a children warning, each category and status", () => {
    for (const part of WARNING_PARTS) {
      const withWarning = mutated((s) => Object.assign(s.outcomes.vastai, { warnings: [{ part, category: 'network', message: 'later' }] }));
      assert.equal(isSnapshot(withWarning), true, `a ${part} warning`);
    }
    for (const category of ERROR_CATEGORIES) {
      assert.equal(isSnapshot(mutated((s) => Object.assign(s.outcomes.vastai, { error: { category, message: 'x' } }))), true, category);
    }
    for (const status of RESOURCE_STATUSES)
      assert.equal(isSnapshot(mutated((s) => (s.outcomes.vastai.resources[0].status = status))), true, status);
  });

  it('rejects host messages of unknown type or with a malformed timing', () => {
    for (const bad of [
      null,
      42,
      'snapshot',
      [],
      {},
      { type: 'html', html: '<script>' },
      { type: 'snapshot', snapshot },
      { type: 'timing' },
      { type: 'timing', timing: { ...timing, intervalSec: -1 } },
      { type: 'timing', timing: { ...timing, sentAt: 'now' } },
      { type: 'timing', timing: { ...timing, intervalSec: Number.NaN } },
      { type: 'timing', timing: { ...timing, refreshing: 'yes' } },
    ]) {
      assert.equal(isHostMessage(bad), false, JSON.stringify(bad));
    }
  });

  it('rejects snapshots whose resources, metrics, offers or outcomes have the wrong shape', () => {
    const cases: [string, (s: Record<string, any>) => void][] = [
      ['name not a string', (s) => (s.outcomes.vastai.resources[0].name = { toString: 1 })],
      ['unknown status', (s) => (s.outcomes.vastai.resources[0].status = 'exploded')],
      ['unknown cloud on a resource', (s) => (s.outcomes.vastai.resources[0].cloud = 'aws')],
      ['price as a string', (s) => (s.outcomes.vastai.resources[0].pricePerHour = '1.5')],
      ['gpu count missing', (s) => delete s.outcomes.vastai.resources[0].gpu.count],
      ['details with an object', (s) => (s.outcomes.vastai.resources[0].details = { x: { y: 1 } })],
      ['a stat without max', (s) => delete s.outcomes.vastai.metrics['1'].gpu.utilizationPercent.max],
      ['a metric that is a number', (s) => (s.outcomes.vastai.metrics['1'].gpu.utilizationPercent = 5)],
      ['offer pricing unknown', (s) => (s.outcomes.vastai.offers[0].pricing = 'free')],
      ['offer availability unknown', (s) => (s.outcomes.vastai.offers[0].availability = 'lots')],
      ['offer date not a date', (s) => (s.outcomes.vastai.offers[0].fetchedAt = 'yesterday')],
      ['outcome under another cloud', (s) => (s.outcomes.runpod = s.outcomes.vastai)],
      ['outcome for an unknown cloud', (s) => (s.outcomes.aws = { ...s.outcomes.vastai, cloud: 'aws' })],
      ['resources not an array', (s) => (s.outcomes.vastai.resources = { 0: s.outcomes.vastai.resources[0] })],
      ['error category unknown', (s) => (s.outcomes.vastai.error = { category: 'boom', message: 'x' })],
      ['warnings not an array', (s) => (s.outcomes.vastai.warnings = { part: 'metrics', category: 'network', message: 'x' })],
      ['warning for an unknown part', (s) => (s.outcomes.vastai.warnings = [{ part: 'billing', category: 'network', message: 'x' }])],
      ['warning message not a string', (s) => (s.outcomes.vastai.warnings = [{ part: 'metrics', category: 'network', message: 5 }])],
      ['metrics age not a date', (s) => (s.outcomes.vastai.metricsFetchedAt = 'a while ago')],
      ['totals missing', (s) => delete s.totals],
      ['spend line price as text', (s) => (s.totals.gpuSpend[0].pricePerHour = 'lots')],
      ['timestamp not a date', (s) => (s.timestamp = 'now')],
    ];
    for (const [what, edit] of cases) assert.equal(isSnapshot(mutated(edit)), false, what);
  });

  it('accepts metrics it has no label for (columns come from the data) but only as Stats', () => {
    assert.equal(isSnapshot(mutated((s) => (s.outcomes.vastai.metrics['1'].npu = { tops: { avg: 1, max: 2, min: 0 } }))), true);
    assert.equal(isSnapshot(mutated((s) => (s.outcomes.vastai.metrics['1'].npu = { tops: 'high' }))), false);
  });

  it("accepts why a family is missing (the cloud's words), as text only", () => {
    const why = 'no GPU metrics: install the Ops Agent on the VM';
    assert.equal(
      isSnapshot(mutated((s) => (s.outcomes.vastai.metrics['1'].missing = { gpu: why }))),
      true,
      'a snapshot with missing families arrives',
    );
    assert.equal(isSnapshot(mutated((s) => (s.outcomes.vastai.metrics['1'].missing = { gpu: { avg: 1, max: 1, min: 1 } }))), false);
    assert.equal(
      isSnapshot(mutated((s) => (s.outcomes.vastai.metrics['1'].gpu = { utilizationPercent: why }))),
      false,
      'other families stay Stats',
    );
  });

  it('accepts history, stop and show naming a resource by cloud and id, and nothing else', () => {
    for (const type of ['history', 'stop', 'show']) assert.equal(isWebviewMessage({ type, cloud: 'vastai', id: '42' }), true, type);
    for (const bad of [
      { type: 'stop', cloud: 'aws', id: '42' },
      { type: 'stop', cloud: 'vastai' },
      { type: 'stop', cloud: 'vastai', id: '' },
      { type: 'stop', cloud: 'vastai', id: 'x'.repeat(1001) },
      { type: 'stop', cloud: 'vastai', id: 42 },
      { type: 'terminate', cloud: 'vastai', id: '42' },
    ])
      assert.equal(isWebviewMessage(bad), false, JSON.stringify(bad).slice(0, 80));
  });

  it('accepts a snapshot with its history and stoppable clouds, and a resource history, only well formed', () => {
    const history = { spend: { t: [1, 2], clouds: { vastai: [1.5, null] } }, sparks: [{ cloud: 'vastai', id: '1', gpu: [10, null, 30] }] };
    assert.equal(isHostMessage(wire({ type: 'snapshot', snapshot, timing, history, stoppable: ['vastai'] })), true);
    const broken = [
      { ...history, spend: { t: [1, 2], clouds: { vastai: [1.5] } } },
      { ...history, spend: { t: [1, 2], clouds: { aws: [1, 2] } } },
      { ...history, sparks: [{ cloud: 'vastai', id: '1', gpu: ['10'] }] },
      { ...history, sparks: [{ cloud: 'vastai', gpu: [] }] },
    ];
    for (const bad of broken)
      assert.equal(isHostMessage(wire({ type: 'snapshot', snapshot, timing, history: bad })), false, JSON.stringify(bad));
    assert.equal(isHostMessage(wire({ type: 'snapshot', snapshot, timing, stoppable: ['aws'] })), false);
    const values = { gpu: [1, 2], cpu: [null, 3], mem: [4, 5], gpuMem: [null, null] };
    assert.equal(isHostMessage({ type: 'resourceHistory', cloud: 'vastai', id: '1', t: [1, 2], values }), true);
    assert.equal(isHostMessage({ type: 'resourceHistory', cloud: 'vastai', id: '1', t: [1, 2], values: { ...values, cpu: [1] } }), false);
    assert.equal(isHostMessage({ type: 'resourceHistory', cloud: 'vastai', id: '1', t: [1], values: { gpu: [1] } }), false);
  });

  it('accepts only ready and refresh from the webview', () => {
    assert.equal(isWebviewMessage({ type: 'ready' }), true);
    assert.equal(isWebviewMessage({ type: 'refresh', extra: 1 }), true);
    for (const bad of [
      undefined,
      null,
      'refresh',
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: ['refresh'] },
      { kind: 'ready' },
    ]) {
      assert.equal(isWebviewMessage(bad), false, JSON.stringify(bad));
    }
  });
});
