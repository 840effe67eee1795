// The OCI provider's pure parts: wire mapping, the PEM a one-line input delivers, the price list reader, and the
// metrics batching (one call per query whatever the resource count; absent namespaces say why).
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import type { Resource } from '../../src/core/model/model';
import { onePemPerLine } from '../../src/providers/oci/auth';
import { mapAutonomousDatabase, mapCluster, mapInstance, ocidRegion, type MapContext } from '../../src/providers/oci/mapping';
import { fetchMetrics, queriesFor, readStreams, type Summarize } from '../../src/providers/oci/metrics';
import { unpriced, priced } from '../../src/core/model/price';
import { ociPriceBook, readPrices } from '../../src/providers/oci/prices';
import { readEstimatorShapes } from '../../src/providers/oci/estimator';

const ctx: MapContext = {
  account: '',
  region: 'eu-frankfurt-1',
  group: { id: 'ocid1.compartment.oc1..x', label: 'ml', kind: 'compartment' },
  prices: {
    price: ({ shape, gpus }) => (shape === 'BM.GPU.H100.8' ? priced(10 * gpus) : unpriced(`no price for ${shape}`)),
    offers: () => [],
  },
};

describe('OCI provider parts', () => {
  it('maps lifecycle states, leaves terminated ones out, and keeps names exactly as sent', () => {
    const inst = (lifecycleState: string, extra: Record<string, unknown> = {}) =>
      mapInstance(
        {
          id: 'ocid1.instance.oc1.fra.a',
          displayName: '<b>x</b>',
          lifecycleState,
          shape: 'VM.Standard.E5.Flex',
          shapeConfig: { ocpus: 2, memoryInGBs: 16, gpus: 0 },
          ...extra,
        },
        ctx,
      );
    assert.deepEqual(
      ['RUNNING', 'STARTING', 'PROVISIONING', 'STOPPING', 'STOPPED', 'CREATING_IMAGE'].map((s) => inst(s)?.status),
      ['running', 'starting', 'starting', 'stopping', 'stopped', 'unknown'],
    );
    assert.equal(inst('TERMINATED'), undefined, 'terminated instances are gone');
    assert.equal(inst('RUNNING')?.name, '<b>x</b>');
    const h100 = inst('RUNNING', { shape: 'BM.GPU.H100.8', shapeConfig: { gpus: 8, gpuDescription: 'NVIDIA® H100' } })!;
    assert.deepEqual([h100.kind, h100.gpu?.count, h100.gpu?.key, h100.pricePerHour], ['gpu-instance', 8, 'H100-SXM-80GB', 80]);
    assert.equal(h100.consoleUrl, 'https://cloud.oracle.com/compute/instances/ocid1.instance.oc1.fra.a?region=eu-frankfurt-1');
    assert.equal(
      inst('RUNNING', { shape: 'BM.GPU.H100T.8', shapeConfig: { gpus: 8, gpuDescription: 'NVIDIA H100' } })?.gpu?.key,
      'H100T-80GB',
      'H100T stays apart from H100',
    );
    const clusterStatus = (s: string) => mapCluster({ id: 'ocid1.cluster.oc1.fra.c', name: 'k', lifecycleState: s }, ctx)?.status;
    assert.deepEqual(['ACTIVE', 'CREATING', 'UPDATING', 'DELETING', 'FAILED'].map(clusterStatus), [
      'running',
      'starting',
      'starting',
      'stopping',
      'error',
    ]);
    assert.equal(clusterStatus('DELETED'), undefined);
    const adb = (s: string) =>
      mapAutonomousDatabase({ id: 'ocid1.autonomousdatabase.oc1.fra.d', dbName: 'db1', displayName: null, lifecycleState: s }, ctx);
    assert.deepEqual(
      ['AVAILABLE', 'STOPPED', 'STARTING', 'STOPPING', 'UNAVAILABLE', 'SCALE_IN_PROGRESS'].map((s) => adb(s)?.status),
      ['running', 'stopped', 'starting', 'stopping', 'error', 'running'],
    );
    assert.equal(adb('AVAILABLE')?.name, 'db1', 'no display name: the database name');
    assert.deepEqual([ocidRegion('ocid1.instance.oc1.iad.abc'), ocidRegion('ocid1.compartment.oc1..abc')], ['iad', '']);
  });

  it('rebuilds a PEM pasted into one line (PKCS#8 and PKCS#1) so the key parses', () => {
    for (const type of ['pkcs8', 'pkcs1'] as const) {
      const { privateKey } = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type, format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      });
      const oneLine = privateKey.replace(/\n/g, ' ').trim();
      assert.doesNotThrow(() => createPrivateKey(onePemPerLine(oneLine)), `${type} from one line`);
      assert.equal(onePemPerLine(privateKey), privateKey, 'a proper PEM is left alone');
    }
  });

  it('reads the price list: PAY_AS_YOU_GO in USD per part with its unit; an answer without items is an error', () => {
    const prices = readPrices({
      items: [
        {
          partNumber: 'B98415',
          metricName: 'GPU Per Hour',
          currencyCodeLocalizations: [
            { currencyCode: 'EUR', prices: [{ model: 'PAY_AS_YOU_GO', value: 9 }] },
            { currencyCode: 'USD', prices: [{ model: 'PAY_AS_YOU_GO', value: 10 }] },
          ],
        },
        {
          partNumber: 'B95909',
          metricName: 'GPU Per Hour',
          currencyCodeLocalizations: [
            {
              currencyCode: 'USD',
              prices: [
                { model: 'MONTHLY_COMMIT', value: 1 },
                { model: 'PAY_AS_YOU_GO', value: 2 },
              ],
            },
          ],
        },
        {
          partNumber: 'B1',
          metricName: 'OCPU Per Hour',
          currencyCodeLocalizations: [{ currencyCode: 'USD', prices: [{ model: 'PAY_AS_YOU_GO', value: 0.5 }] }],
        },
        {
          partNumber: 'B2',
          metricName: 'Gigabyte Per Hour',
          currencyCodeLocalizations: [{ currencyCode: 'USD', prices: [{ model: 'PAY_AS_YOU_GO', value: 0.01 }] }],
        },
        { partNumber: 'B0', currencyCodeLocalizations: [{ currencyCode: 'USD', prices: [{ model: 'PAY_AS_YOU_GO', value: 'n/a' }] }] },
      ],
    });
    assert.deepEqual(prices.B98415, { usd: 10, metric: 'GPU Per Hour' });
    assert.deepEqual(prices.B95909, { usd: 2, metric: 'GPU Per Hour' });
    assert.equal(prices.B0, undefined);
    assert.throws(() => readPrices({ lastUpdated: 'x' }), /without an items list/);

    // Oracle's shape data: GPU parts × GPUs, OCPU parts × OCPUs and memory parts × GB; a display suffix is no part of the name.
    const shapes = readEstimatorShapes({
      items: [
        {
          name: 'BM.GPU.H100.8',
          status: 'ACTIVE',
          subType: { value: 'gpu' },
          gpuQty: 8,
          products: [{ partNumber: 'B98415', type: { value: 'ocpu' }, qty: 112 }],
        },
        {
          name: 'BM.GPU.RTXPRO.8 (sample)',
          status: 'ACTIVE',
          subType: { value: 'gpu' },
          gpuQty: 8,
          allowPreemptible: true,
          bundleMemoryQty: 3072,
          products: [
            { partNumber: 'B1', type: { value: 'ocpu' }, qty: 144 },
            { partNumber: 'B2', type: { value: 'memory' }, qty: 3072 },
          ],
        },
        // An older copy of the file: no gpuQty, the count is the name's last segment.
        {
          name: 'VM.GPU3.2',
          status: 'ACTIVE',
          subType: { value: 'gpu' },
          products: [{ partNumber: 'B95909', type: { value: 'ocpu' }, qty: 2 }],
        },
        {
          name: 'BM.GPU.MI355X.8',
          status: 'ACTIVE',
          subType: { value: 'gpu' },
          gpuQty: 8,
          products: [{ partNumber: 'B404', type: { value: 'ocpu' }, qty: 8 }],
        },
      ],
    });
    const book = ociPriceBook(prices, { shapes });
    assert.deepEqual(book.price({ shape: 'BM.GPU.H100.8', gpus: 8 }), { perHour: 80 }, 'GPU Per Hour × GPUs, not × the OCPU qty');
    assert.deepEqual(book.price({ shape: 'BM.GPU.H100.8', gpus: 8, preemptible: true }), { perHour: 40 }, 'preemptible at half');
    assert.ok(Math.abs(book.price({ shape: 'BM.GPU.RTXPRO.8', gpus: 8, ocpus: 144, memoryGb: 3072 }).perHour! - (72 + 30.72)) < 1e-9);
    assert.match(book.price({ shape: 'BM.GPU.MI355X.8', gpus: 8 }).unknown ?? '', /price list has no price for part B404/);
    assert.match(book.price({ shape: 'BM.GPU.L40S-NC.4', gpus: 4 }).unknown ?? '', /Cost Estimator data has no shape BM\.GPU\.L40S-NC\.4/);
    const offers = book.offers('2026-12-03T00:00:00Z');
    assert.deepEqual(
      offers.map((o) => [o.gpuKey, o.pricing, Math.round(o.pricePerGpuHour * 100) / 100]).sort(),
      [
        ['H100-SXM-80GB', 'on-demand', 10],
        ['RTXPRO', 'on-demand', 12.84],
        ['RTXPRO', 'spot', 6.42],
        ['V100-16GB', 'on-demand', 2],
      ],
      'offers from the shape data, preemptible ones as spot',
    );

    // Without the shape data, the fallback table prices what it knows and says why for the rest.
    const fallback = ociPriceBook(prices, { unread: "Oracle's Cost Estimator shape data could not be read: 503" });
    assert.deepEqual(fallback.price({ shape: 'BM.GPU.H100.8', gpus: 8 }), { perHour: 80 });
    assert.match(
      fallback.price({ shape: 'BM.GPU.B200.8', gpus: 8 }).unknown ?? '',
      /could not be read: 503, and Cloudtop's fallback table knows no part/,
    );
  });

  it('matches GPU streams by resourceId, else by a unique host name, and names what it could not match', async () => {
    const gpu = (i: number, name = `gpu-${i}`): Resource => ({
      id: `ocid1.instance.oc1.iad.${i}`,
      cloud: 'oci',
      account: '',
      kind: 'gpu-instance',
      service: 'GPU',
      name,
      status: 'running',
      gpu: { model: 'H100', count: 8 },
    });
    const window = { start: '2026-12-03T00:00:00Z', end: '2026-12-03T00:05:00Z', granularitySec: 60 };
    const answer =
      (items: unknown[]): Summarize =>
      (namespace) =>
        Promise.resolve(namespace === 'gpu_infrastructure_health' ? readStreams(items) : []);
    const point = [{ timestamp: 't', value: 50 }];
    const resources = [gpu(0), gpu(1), gpu(2, 'twin'), gpu(3, 'twin')];
    const metrics = await fetchMetrics(
      resources,
      window,
      answer([
        { dimensions: { resourceId: 'ocid1.instance.oc1.iad.0', gpuId: '0' }, aggregatedDatapoints: point },
        { dimensions: { hostname: 'gpu-1', component: 'GPU0', version: '1' }, aggregatedDatapoints: point },
        { dimensions: { hostname: 'twin', component: 'GPU0', version: '1' }, aggregatedDatapoints: point },
      ]),
      new AbortController().signal,
    );
    assert.equal(metrics['ocid1.instance.oc1.iad.0'].gpu?.utilizationPercent?.avg, 50, 'resourceId');
    assert.equal(metrics['ocid1.instance.oc1.iad.1'].gpu?.utilizationPercent?.avg, 50, 'a unique host name');
    for (const twin of ['ocid1.instance.oc1.iad.2', 'ocid1.instance.oc1.iad.3'])
      assert.match(
        metrics[twin].missing?.gpu ?? '',
        /sent \d+ streams? Cloudtop could not match .*dimensions: component, hostname, version/,
        "two instances of one name: neither gets the other's data, both say why",
      );
  });

  it('asks one query per metric for any number of resources, and names the plugin when a namespace sends nothing', async () => {
    const resource = (i: number, kind: Resource['kind']): Resource => ({
      id: `r${i}`,
      cloud: 'oci',
      account: '',
      kind,
      service: 'x',
      name: `r${i}`,
      status: 'running',
      ...(kind === 'gpu-instance' ? { gpu: { model: 'H100', count: 8 } } : {}),
    });
    const calls: string[] = [];
    const summarize: Summarize = (namespace, query) => {
      calls.push(`${namespace} ${query}`);
      if (namespace === 'gpu_infrastructure_health') return Promise.resolve([]);
      return Promise.resolve([
        { resourceId: 'r0', dimensions: ['resourceId'], values: [10, 30, 20] },
        { resourceId: 'r1', dimensions: ['resourceId'], values: [] },
      ]);
    };
    const window = { start: '2026-12-03T00:00:00Z', end: '2026-12-03T00:05:00Z', granularitySec: 60 };
    const few = [resource(0, 'gpu-instance'), resource(1, 'instance')];
    const metrics = await fetchMetrics(few, window, summarize, new AbortController().signal);
    const perSize = calls.length;
    assert.equal(perSize, queriesFor(few).length);
    assert.deepEqual(metrics.r0.compute?.cpuPercent, { avg: 20, max: 30, min: 10 });
    assert.equal(metrics.r0.gpu, undefined, 'no GPU values, never 0');
    assert.match(metrics.r0.missing?.gpu ?? '', /"Compute RDMA GPU Monitoring" plugin.*use metrics.*gpu_infrastructure_health/);
    assert.match(metrics.r1.missing?.compute ?? '', /Compute Instance Monitoring/, 'an instance without agent data says so');
    calls.length = 0;
    await fetchMetrics(
      Array.from({ length: 500 }, (_, i) => resource(i, i % 2 ? 'instance' : 'gpu-instance')),
      window,
      summarize,
      new AbortController().signal,
    );
    assert.equal(calls.length, perSize, 'the same calls for 500 resources as for 2');
    assert.deepEqual(
      await fetchMetrics([{ ...resource(0, 'instance'), status: 'stopped' }], window, summarize, new AbortController().signal),
      {},
    );
    assert.deepEqual(
      readStreams([
        { dimensions: {}, aggregatedDatapoints: [{ value: 1 }] },
        { dimensions: { resourceId: 'a' }, aggregatedDatapoints: [{ value: 'x' }, { value: 2 }] },
      ]),
      [
        { dimensions: [], values: [1] },
        { resourceId: 'a', dimensions: ['resourceId'], values: [2] },
      ],
    );
  });
});
