// The Billing Catalog's current wordings (prices.ts), read as the public catalogue readers document them: samples from
// SpareCores/sc-crawler tests/test_gcp.py, dstackai/gpuhunt src/gpuhunt/providers/gcp.py, and the DWS SKUs a billing
// report shows (cloud.google.com/skus/sku-groups/flex-start-mode-a3-vms); the machine-type families and the price book.
import assert from 'node:assert/strict';
import { acceleratorsOfType, familyOf } from '../../src/providers/gcp/machine-types';
import { mapInstance, provisioningOf, type MapContext } from '../../src/providers/gcp/mapping';
import { gcpPriceBook, readSku, type CatalogPrices } from '../../src/providers/gcp/prices';

const sku = (description: string, usageType = 'OnDemand', price = 1, unit = 'h', group = 'GPU', regions = ['us-central1']) => ({
  description,
  category: { resourceFamily: 'Compute', resourceGroup: group, usageType },
  serviceRegions: regions,
  pricingInfo: [
    {
      pricingExpression: {
        usageUnit: unit,
        tieredRates: [{ unitPrice: { currencyCode: 'USD', units: String(Math.floor(price)), nanos: Math.round((price % 1) * 1e9) } }],
      },
    },
  ],
});
const read = (...args: Parameters<typeof sku>) => {
  const r = readSku(sku(...args));
  return r && 'kind' in r ? [r.kind, r.family, r.pricing] : r;
};

describe('Google Cloud Billing Catalog: current GPU wordings', () => {
  it('reads every current GPU wording on demand, with its accelerator type', () => {
    assert.deepEqual(read('H200 141GB GPU running in Netherlands'), ['gpu', 'nvidia-h200-141gb', 'on-demand']);
    assert.deepEqual(read('Nvidia H100 80GB Plus GPU running in Americas'), ['gpu', 'nvidia-h100-mega-80gb', 'on-demand']);
    assert.deepEqual(read('Nvidia H100 80GB GPU running in Americas'), ['gpu', 'nvidia-h100-80gb', 'on-demand']);
    assert.deepEqual(read('RTX 6000 96GB running in Belgium'), ['gpu', 'nvidia-rtx-pro-6000', 'on-demand']);
    assert.deepEqual(read('A4 Nvidia B200 (1 gpu slice) running in Americas'), ['slice', 'nvidia-b200', 'on-demand']);
    assert.deepEqual(read('A4X Nvidia GB200 (1 gpu slice) running in Americas'), ['slice', 'nvidia-gb200', 'on-demand']);
    assert.deepEqual(read('Nvidia Tesla T4 GPU running in Americas'), ['gpu', 'nvidia-tesla-t4', 'on-demand'], 'legacy wording too');
  });

  it('reads Spot in both wordings and by its words when the category says OnDemand', () => {
    assert.deepEqual(read('Nvidia H100 80GB Mega GPU attached to Spot Preemptible VMs running in Tokyo', 'Preemptible'), [
      'gpu',
      'nvidia-h100-mega-80gb',
      'spot',
    ]);
    assert.deepEqual(read('RTX 6000 96GB attached to Spot Preemptible VMs running in Belgium', 'Preemptible'), [
      'gpu',
      'nvidia-rtx-pro-6000',
      'spot',
    ]);
    assert.deepEqual(read('Spot Preemptible A4 Nvidia B200 (1 gpu slice) running in Americas', 'OnDemand'), [
      'slice',
      'nvidia-b200',
      'spot',
    ]);
    assert.deepEqual(read('Spot Preemptible Nvidia Tesla T4 GPU running in Americas', 'Preemptible'), ['gpu', 'nvidia-tesla-t4', 'spot']);
    assert.deepEqual(
      read('Preemptible Nvidia Tesla K80 GPU running in Americas', 'Preemptible'),
      ['gpu', 'nvidia-tesla-k80', 'spot'],
      'the older word',
    );
    assert.deepEqual(read('H200 141GB running in Americas'), ['gpu', 'nvidia-h200-141gb', 'on-demand'], 'a model without the word GPU');
  });

  it('reads the A3 Mega, A3 Ultra and G4 cores and RAM by their own families, RAM per GB-hour as per GiB-hour', () => {
    assert.deepEqual(read('A3Plus Instance Core running in Americas', 'OnDemand', 0.03, 'h', 'CPU'), ['core', 'a3plus', 'on-demand']);
    assert.deepEqual(read('Spot Preemptible A3Ultra Instance Ram running in Americas', 'Preemptible', 0.001, 'GiBy.h', 'RAM'), [
      'ram',
      'a3ultra',
      'spot',
    ]);
    assert.deepEqual(read('G4 Instance Core running in Iowa', 'OnDemand', 0.04891, 'h', 'CPU'), ['core', 'g4', 'on-demand']);
    const gb = readSku(sku('C4D Instance Ram running in Americas', 'OnDemand', 0.003495578, 'GBy.h', 'RAM'));
    assert.ok(gb && 'kind' in gb && Math.abs(gb.price - 0.003495578 * 1.073741824) < 1e-12, 'a GB-hour price as a GiB-hour one');
  });

  it('reads flex-start (DWS Defined Duration) and calendar-mode SKUs as their own tiers', () => {
    assert.deepEqual(read('Nvidia H100 80GB GPU attached to DWS Defined Duration VMs running in Americas'), [
      'gpu',
      'nvidia-h100-80gb',
      'flex-start',
    ]);
    assert.deepEqual(read('DWS Defined Duration A3 Core running in Americas', 'OnDemand', 0.010934, 'h', 'CPU'), [
      'core',
      'a3',
      'flex-start',
    ]);
    assert.deepEqual(read('DWS Defined Duration Nvidia H100 80GB GPU running in Americas'), ['gpu', 'nvidia-h100-80gb', 'flex-start']);
    assert.deepEqual(read('DWS Calendar Mode H200 141GB GPU running in Americas'), ['gpu', 'nvidia-h200-141gb', 'calendar']);
  });

  it('tells an unreadable GPU SKU (to be logged) from one it has no use for', () => {
    assert.deepEqual(readSku(sku('1/8 vGPU no lssd running in Iowa')), { unreadable: '1/8 vGPU no lssd running in Iowa' });
    assert.deepEqual(readSku(sku('Nvidia Quantum Widget GPU in Mars')), { unreadable: 'Nvidia Quantum Widget GPU in Mars' });
    assert.equal(
      readSku(sku('Memory-optimized Instance Core running in Americas', 'OnDemand', 0.03, 'h', 'CPU')),
      undefined,
      'no GPU VM pays it',
    );
    for (const skipped of [
      'Commitment v1: H200 141GB GPU running in Americas for 3 Years',
      'Nvidia Tesla T4 GPU attached to Sole Tenancy VMs running in Americas',
      'TpuV5e attached to Spot Preemptible VMs running in Americas',
      'SSD backed Local Storage attached to Spot Preemptible VMs',
    ])
      assert.equal(readSku(sku(skipped, skipped.startsWith('Commitment') ? 'Commit3Yr' : 'OnDemand')), undefined, skipped);
  });
});

describe('Google Cloud machine-type families and the price book by provisioning model', () => {
  it('maps today’s GPU machine types to their GPU, count and core/RAM family', () => {
    assert.deepEqual(acceleratorsOfType('a3-ultragpu-8g'), { type: 'nvidia-h200-141gb', count: 8 });
    assert.deepEqual(acceleratorsOfType('a3-megagpu-8g'), { type: 'nvidia-h100-mega-80gb', count: 8 });
    assert.deepEqual(acceleratorsOfType('a4-highgpu-8g'), { type: 'nvidia-b200', count: 8 });
    assert.deepEqual(acceleratorsOfType('a4x-highgpu-4g'), { type: 'nvidia-gb200', count: 4 });
    assert.deepEqual(acceleratorsOfType('g4-standard-96'), { type: 'nvidia-rtx-pro-6000', count: 2 });
    assert.equal(acceleratorsOfType('g4-standard-6')?.fraction, 1 / 8);
    assert.deepEqual(acceleratorsOfType('a2-ultragpu-1g'), { type: 'nvidia-a100-80gb', count: 1 });
    assert.deepEqual(
      ['a3-megagpu-8g', 'a3-ultragpu-8g', 'a3-highgpu-8g', 'a4-highgpu-8g', 'g4-standard-48', 'a2-ultragpu-2g'].map(familyOf),
      ['a3plus', 'a3ultra', 'a3', 'a4', 'g4', 'a2'],
    );
  });

  it('reads the provisioning model: SPOT and legacy preemptible are Spot, FLEX_START and RESERVATION_BOUND their own', () => {
    assert.deepEqual(
      [
        { scheduling: { provisioningModel: 'SPOT' } },
        { scheduling: { preemptible: true } },
        { scheduling: { provisioningModel: 'FLEX_START' } },
        { scheduling: { provisioningModel: 'RESERVATION_BOUND' } },
        { scheduling: { provisioningModel: 'STANDARD' } },
        {},
      ].map(provisioningOf),
      ['SPOT', 'SPOT', 'FLEX_START', 'RESERVATION_BOUND', 'STANDARD', 'STANDARD'],
    );
  });

  const table: CatalogPrices = {
    'gpu|nvidia-h100-mega-80gb|on-demand': { 'us-central1': 10 },
    'gpu|nvidia-h100-mega-80gb|flex-start': { 'us-central1': 4 },
    'core|a3plus|on-demand': { 'us-central1': 0.03 },
    'ram|a3plus|on-demand': { 'us-central1': 0.002 },
    'slice|nvidia-b200|on-demand': { 'us-central1': 16 },
  };
  const url = 'https://www.googleapis.com/compute/v1/projects/p-1/zones/us-central1-a';
  const ctx: MapContext = {
    account: 'a',
    project: 'p-1',
    prices: gcpPriceBook(table),
    shapeOf: (type) => (type.startsWith('a') ? { guestCpus: 208, memoryMb: 1916928 } : { guestCpus: 6, memoryMb: 22528 }),
  };
  const vm = (machineType: string, scheduling: object = {}) =>
    mapInstance({ id: '1', name: 'v', zone: url, machineType: `${url}/machineTypes/${machineType}`, status: 'RUNNING', scheduling }, ctx)!;

  it('prices each provisioning model at its own SKUs, and says why when the catalogue has none — never at on demand', () => {
    assert.equal(vm('a3-megagpu-8g').pricePerHour, 10 * 8 + 0.03 * 208 + 0.002 * 1872);
    assert.equal(vm('a3-megagpu-8g', { provisioningModel: 'FLEX_START' }).pricePerHour, 4 * 8, 'the flex-start GPUs, not on demand');
    const bound = vm('a3-megagpu-8g', { provisioningModel: 'RESERVATION_BOUND' });
    assert.equal(bound.pricePerHour, undefined);
    assert.match(bound.priceUnknown ?? '', /calendar-mode .*nvidia-h100-mega-80gb in us-central1 .*reservation/);
    assert.match(vm('a3-megagpu-8g', { provisioningModel: 'SPOT' }).priceUnknown ?? '', /no Spot price/);
    const calendar = gcpPriceBook({ ...table, 'gpu|nvidia-h100-mega-80gb|calendar': { 'us-central1': 5 } });
    assert.deepEqual(
      calendar.price({
        acceleratorType: 'nvidia-h100-mega-80gb',
        gpus: 8,
        family: 'a3plus',
        shape: undefined,
        region: 'us-central1',
        provisioning: 'RESERVATION_BOUND',
      }),
      { perHour: 40 },
      'a calendar-mode SKU prices a reservation-bound VM',
    );
    assert.equal(vm('a4-highgpu-8g').pricePerHour, 16 * 8, 'A4: its GPU slices, which include its cores and memory');
    assert.match(vm('g4-standard-6').priceUnknown ?? '', /1\/8 vGPU slice/, 'a fractional G4 is not priced as a whole GPU');
    assert.equal(vm('a3-megagpu-8g', { provisioningModel: 'FLEX_START' }).details?.provisioning, 'FLEX_START');
  });
});
