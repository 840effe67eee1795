import assert from 'node:assert/strict';
import { describeResource, formatStat, metricRows, plainText } from '../../src/core/model/describe';
import type { Resource } from '../../src/core/model/model';

const base: Resource = {
  id: 'i-1',
  cloud: 'vastai',
  account: '',
  kind: 'gpu-instance',
  service: 'GPU',
  name: 'trainer',
  status: 'running',
  pricePerHour: 2.39,
};

describe('describe', () => {
  it('summarizes a resource with its key figures', () => {
    assert.equal(describeResource(base, { gpu: { utilizationPercent: { avg: 87.2, max: 95, min: 80 } } }), 'running · GPU 87% · $2.39/h');
    assert.equal(describeResource({ ...base, status: 'stopped', storagePricePerHour: 0.05 }, undefined), 'stopped · storage $0.05/h');
    assert.equal(describeResource(base, { compute: { cpuPercent: { avg: 12, max: 12, min: 12 } } }), 'running · CPU 12% · $2.39/h');
  });

  it('lists only the metrics the cloud reported, never inventing zeros', () => {
    const rows = metricRows({
      compute: { cpuPercent: { avg: 10, max: 20, min: 5 } },
      database: { connections: { avg: 3, max: 3, min: 3 } },
    });
    assert.deepEqual(
      rows.map((r) => r.key),
      ['compute.cpuPercent', 'database.connections'],
    );
    assert.equal(formatStat(rows[0]), 'avg 10% · max 20%');
    assert.equal(formatStat(rows[1]), '3');
    assert.deepEqual(metricRows({}), []);
  });

  it('strips control and bidi-override characters from cloud text and bounds its length', () => {
    assert.equal(plainText('\u001b[31mred\u001b[0m\u0007'), 'red', 'whole escape sequences go, not just the ESC');
    assert.equal(plainText('a\tb\r\nc\u2028d'), 'a b c d');
    assert.equal(plainText('x\u200by\ufeff'), 'xy');
    assert.equal(plainText('\u202Egnp.exe'), 'gnp.exe');
    assert.equal(plainText('x'.repeat(500), 10), `${'x'.repeat(9)}…`);
  });
});
