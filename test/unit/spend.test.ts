import assert from 'node:assert/strict';
import type { ProviderOutcome, Resource } from '../../src/core/model/model';
import { computeTotals, isIdleGpu } from '../../src/core/model/spend';

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
