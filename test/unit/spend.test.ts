import assert from 'node:assert/strict';
import type { ProviderOutcome, Resource } from '../../src/core/model/model';
import { computeTotals, isIdleGpu, unpricedSuffix } from '../../src/core/model/spend';
import { describeResource, priceUnknownText, warningTitle } from '../../src/core/model/describe';
import { withMoneyWarnings } from '../../src/core/engine/merge-outcome';

const stat = (v: number, max = v) => ({ avg: v, max, min: v });

function resource(id: string, status: Resource['status'], price?: number, gpu = true, storage?: number): Resource {
  return {
    id,
    cloud: 'vastai',
    account: '',
    kind: gpu ? 'gpu-instance' : 'instance',
    service: 'GPU',
    name: id,
    status,
    ...(price !== undefined ? { pricePerHour: price } : {}),
    ...(storage !== undefined ? { storagePricePerHour: storage } : {}),
    ...(gpu ? { gpu: { model: 'RTX 4090', count: 2, memoryGb: 24 } } : {}),
  };
}

function outcome(resources: Resource[], metrics: ProviderOutcome['metrics']): ProviderOutcome {
  return { cloud: 'vastai', state: 'ok', resources, metrics, offers: [], fromCache: false, stale: false, durationMs: 1 };
}

describe('GPU spend and idle GPUs', () => {
  it('sums running GPU instances only, lists stopped storage apart, and flags idle ones', () => {
    const totals = computeTotals({
      vastai: outcome(
        [
          resource('busy', 'running', 0.8021),
          resource('idle', 'running', 2.39),
          resource('starting', 'starting', 1.5),
          resource('stopped', 'stopped', 0.9, true, 0.0123),
          resource('cpu-only', 'running', 0.3, false),
        ],
        { busy: { gpu: { utilizationPercent: stat(87, 95) } }, idle: { gpu: { utilizationPercent: stat(1, 4.9) } } },
      ),
    });
    assert.equal(totals.gpuSpendPerHour, 3.1921);
    assert.equal(totals.runningGpuCount, 4);
    assert.equal(totals.stoppedStoragePerHour, 0.0123);
    assert.deepEqual(
      totals.gpuSpend.map((l) => [l.resourceId, l.idle]),
      [
        ['busy', false],
        ['idle', true],
      ],
    );
  });

  it('never calls a GPU idle from the last good data of a failing cloud, but still counts what it costs', () => {
    const stale: ProviderOutcome = {
      ...outcome([resource('idle', 'running', 2.39)], { idle: { gpu: { utilizationPercent: stat(1, 2) } } }),
      state: 'error',
      stale: true,
    };
    const totals = computeTotals({ vastai: stale });
    assert.equal(totals.gpuSpendPerHour, 2.39);
    assert.deepEqual(
      totals.gpuSpend.map((l) => [l.resourceId, l.idle]),
      [['idle', false]],
    );
  });

  it('is idle only when utilization stayed under the threshold through the whole window', () => {
    assert.equal(isIdleGpu({ gpu: { utilizationPercent: stat(1, 4.99) } }, 5), true);
    assert.equal(isIdleGpu({ gpu: { utilizationPercent: stat(1, 5) } }, 5), false, 'one busy minute in the window is not idle');
    assert.equal(isIdleGpu({ compute: { cpuPercent: stat(0) } }, 5), false, 'no GPU metrics is not evidence of idleness');
    assert.equal(isIdleGpu(undefined), false);
  });
});

describe('unpriced GPU resources', () => {
  it('counts a billed GPU without a price as unpriced with its reason, never as $0, and stopped ones not at all', () => {
    const totals = computeTotals({
      vastai: outcome(
        [
          resource('priced', 'running', 2),
          { ...resource('b200', 'running'), priceUnknown: "Oracle's price list has no price for part B110978" },
          resource('silent', 'running'),
          { ...resource('paused', 'stopped'), chargedWhilePaused: true },
          resource('stopped', 'stopped'),
          resource('cpu', 'running', undefined, false),
        ],
        {},
      ),
    });
    assert.equal(totals.gpuSpendPerHour, 2);
    assert.equal(totals.unpricedGpuCount, 3);
    assert.deepEqual(
      totals.unpricedGpu.map((l) => [l.resourceId, l.reason]),
      [
        ['b200', "Oracle's price list has no price for part B110978"],
        ['silent', 'Vast.ai reported no price for it'],
        ['paused', 'Vast.ai reported no price for it'],
      ],
    );
    assert.equal(totals.runningGpuCount, 8, 'unpriced GPUs still run');
    assert.equal(unpricedSuffix(totals.unpricedGpuCount), ' + 3 GPU instances unpriced');
    assert.equal(unpricedSuffix(1), ' + 1 GPU instance unpriced');
    assert.equal(unpricedSuffix(0), '');
  });

  it('an outcome with unpriced GPUs carries a warning that counts them, unless a reference warning already says why', () => {
    const unpriced = { ...resource('b200', 'running'), priceUnknown: 'no price for BM.GPU.B200.8' };
    const merged = withMoneyWarnings(outcome([unpriced, resource('ok', 'running', 1)], {}), []);
    assert.deepEqual(
      merged.warnings?.map((w) => [w.part, w.message]),
      [['prices', '1 billed GPU resource has no price, so the GPU spend leaves it out: b200: no price for BM.GPU.B200.8.']],
    );
    const reference = { part: 'reference' as const, category: 'network' as const, message: "Oracle's price list could not be read" };
    assert.deepEqual(
      withMoneyWarnings(outcome([unpriced], {}), [reference]).warnings?.map((w) => w.part),
      ['reference'],
    );
    assert.equal(withMoneyWarnings(outcome([resource('ok', 'running', 1)], {}), []).warnings, undefined);
  });

  it('reads "price unknown: <why>" in every view', () => {
    const unpriced = { ...resource('b200', 'running'), priceUnknown: 'no price for BM.GPU.B200.8' };
    assert.equal(priceUnknownText(unpriced), 'price unknown: no price for BM.GPU.B200.8');
    assert.match(describeResource(unpriced, undefined), /running · price unknown/);
    assert.equal(priceUnknownText(resource('priced', 'running', 2)), undefined);
    assert.equal(warningTitle('prices'), 'GPU instance prices unknown');
    assert.equal(warningTitle('reference'), 'Reference data not updated');
  });
});
