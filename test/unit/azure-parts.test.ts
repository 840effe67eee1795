// Azure's SDK-free parts: which Retail Prices rows a VM is billed by (prices.ts), the pause Resource Manager's
// x-ms-ratelimit-remaining-* headers ask for (pacing.ts), and the GPUs of a size (sizes.ts).
//
// The price rows are Microsoft's own sample rows, from "API response examples" of the Azure Retail Prices overview
// (https://learn.microsoft.com/en-us/rest/api/cost-management/retail-prices/azure-retail-prices): the F16s Spot row of
// "Virtual Machines FS Series Windows" in westeurope and the E64 v4 reservation row, varied field by field the way the
// API names its other meters (a Linux product has no " Windows" suffix; a low-priority meter ends in "Low Priority").
import assert from 'node:assert/strict';
import { CloudtopError } from '../../src/core/errors/errors';
import type { ProviderContext } from '../../src/core/engine/provider';
import { armPace } from '../../src/providers/azure/pacing';
import { azurePriceBook, readSizePrices, rowKey } from '../../src/providers/azure/prices';
import { gpuOfSize, isGpuSize, readSkuFacts } from '../../src/providers/azure/sizes';

/** "Here's a sample API response, without reservation prices." (its type, DevTestConsumption, as documented) */
const SAMPLE = {
  currencyCode: 'USD',
  tierMinimumUnits: 0.0,
  retailPrice: 0.176346,
  unitPrice: 0.176346,
  armRegionName: 'westeurope',
  location: 'EU West',
  effectiveStartDate: '2020-08-01T00:00:00Z',
  meterId: '000a794b-bdb0-58be-a0cd-0c3a0f222923',
  meterName: 'F16s Spot',
  productId: 'DZH318Z0BQPS',
  skuId: 'DZH318Z0BQPS/00TG',
  productName: 'Virtual Machines FS Series Windows',
  skuName: 'F16s Spot',
  serviceName: 'Virtual Machines',
  serviceId: 'DZH313Z7MMC8',
  serviceFamily: 'Compute',
  unitOfMeasure: '1 Hour',
  type: 'DevTestConsumption',
  isPrimaryMeterRegion: true,
  armSkuName: 'Standard_F16s',
} as const;

/** "Here's a sample API response with reservation prices and term in the response." */
const RESERVATION = {
  currencyCode: 'USD',
  tierMinimumUnits: 0.0,
  reservationTerm: '1 Year',
  retailPrice: 25007.0,
  unitPrice: 25007.0,
  armRegionName: 'southcentralus',
  location: 'US South Central',
  effectiveStartDate: '2020-08-01T00:00:00Z',
  meterId: '0016083a-928f-56fd-8eeb-39287dcf676d',
  meterName: 'E64 v4',
  productId: 'DZH318Z0D1L7',
  skuId: 'DZH318Z0D1L7/018J',
  productName: 'Virtual Machines Ev4 Series',
  skuName: 'E64 v4',
  serviceName: 'Virtual Machines',
  serviceId: 'DZH313Z7MMC8',
  serviceFamily: 'Compute',
  unitOfMeasure: '1 Hour',
  type: 'Reservation',
  isPrimaryMeterRegion: true,
  armSkuName: 'Standard_E64_v4',
} as const;

/** The sample as pay-as-you-go (the page's EUR sample has type Consumption), then varied. */
const spotWindows = { ...SAMPLE, type: 'Consumption' };
const onDemandWindows = { ...spotWindows, meterName: 'F16s', skuName: 'F16s' };
const onDemandLinux = { ...onDemandWindows, productName: 'Virtual Machines FS Series' };
const spotLinux = { ...spotWindows, productName: 'Virtual Machines FS Series' };

describe('Azure retail price rows (prices.ts rowKey)', () => {
  it('keys a pay-as-you-go row by size, region, Linux or Windows, and Spot', () => {
    assert.equal(rowKey(onDemandLinux), 'westeurope|linux|on-demand');
    assert.equal(rowKey(spotLinux), 'westeurope|linux|spot');
    assert.equal(rowKey(onDemandWindows), 'westeurope|windows|on-demand');
    assert.equal(rowKey(spotWindows), 'westeurope|windows|spot');
  });

  it('reads the meter from skuName when meterName is absent', () => {
    const { meterName: _, ...noMeter } = spotLinux;
    assert.equal(rowKey(noMeter), 'westeurope|linux|spot');
  });

  it('leaves out the rows no VM of ours is billed by: DevTest, reservations, Low Priority, dedicated hosts', () => {
    assert.equal(rowKey(SAMPLE), undefined, 'the documented sample is a DevTestConsumption row');
    assert.equal(rowKey(RESERVATION), undefined);
    assert.equal(rowKey({ ...onDemandLinux, meterName: 'F16s Low Priority', skuName: 'F16s Low Priority' }), undefined);
    assert.equal(rowKey({ ...onDemandLinux, productName: 'Virtual Machines FS Series Dedicated Host' }), undefined);
  });

  it('leaves out rows that are not an hourly price, or have no size, region or price', () => {
    assert.equal(rowKey({ ...onDemandLinux, unitOfMeasure: '1/Month' }), undefined);
    assert.equal(rowKey({ ...onDemandLinux, retailPrice: 0, unitPrice: 0 }), undefined);
    assert.equal(rowKey({ ...onDemandLinux, armSkuName: '' }), undefined);
    assert.equal(rowKey({ ...onDemandLinux, armRegionName: undefined }), undefined);
  });
});

describe('Azure price book (prices.ts readSizePrices, azurePriceBook)', () => {
  /** A context whose transport answers every size's query with the rows of that size, on one page. */
  function contextServing(rows: readonly Record<string, unknown>[]): ProviderContext {
    const transport = {
      run: <T>(_what: string, fn: () => Promise<T>) => fn(),
      fetch: (url: string) => {
        const filter = new URL(url).searchParams.get('$filter') ?? '';
        const items = rows.filter((r) => filter.includes(`armSkuName eq '${String(r.armSkuName)}'`));
        return Promise.resolve(new Response(JSON.stringify({ Items: items, NextPageLink: null })));
      },
    };
    return { http: { transport: () => transport }, now: () => 0 } as unknown as ProviderContext;
  }
  const signal = new AbortController().signal;

  it("takes a meter's price in its primary region over the same meter billed from another region, whichever comes first", async () => {
    const other = { ...onDemandLinux, retailPrice: 0.2, unitPrice: 0.2, isPrimaryMeterRegion: false };
    for (const rows of [
      [other, onDemandLinux],
      [onDemandLinux, other],
    ]) {
      const book = azurePriceBook(
        new Map([['standard_f16s', { value: await readSizePrices(contextServing(rows), undefined, 'Standard_F16s', signal) }]]),
      );
      assert.deepEqual(book.price({ size: 'Standard_F16s', region: 'westeurope', os: 'linux', spot: false }), { perHour: 0.176346 });
    }
  });

  it('uses a non-primary row when it is the only one, and prices Spot and Windows apart', async () => {
    const rows = await readSizePrices(
      contextServing([{ ...spotLinux, retailPrice: 0.05, unitPrice: 0.05, isPrimaryMeterRegion: false }, onDemandWindows]),
      undefined,
      'Standard_F16s',
      signal,
    );
    const book = azurePriceBook(new Map([['standard_f16s', { value: rows }]]));
    assert.equal(book.price({ size: 'standard_f16s', region: 'WestEurope', os: 'linux', spot: true }).perHour, 0.05);
    assert.equal(book.price({ size: 'Standard_F16s', region: 'westeurope', os: 'windows', spot: false }).perHour, 0.176346);
    assert.match(
      book.price({ size: 'Standard_F16s', region: 'westeurope', os: 'linux', spot: false }).unknown ?? '',
      /lists no Linux price for Standard_F16s in westeurope/,
    );
  });

  it('a size whose prices could not be read prices nothing and says why', () => {
    const error = new CloudtopError({ category: 'network', message: 'prices.azure.com answered 500' });
    const book = azurePriceBook(new Map([['standard_f16s', { error }]]));
    assert.match(
      book.price({ size: 'Standard_F16s', region: 'westeurope', os: 'linux', spot: false }).unknown ?? '',
      /prices.azure.com answered 500/,
    );
  });
});

describe('Resource Manager pacing (pacing.ts)', () => {
  const url = (path: string) => new URL(`https://management.azure.com${path}?api-version=2024-07-01`);

  it("counts a request against its subscription's budget, or the tenant's", () => {
    assert.equal(
      armPace.key(url('/subscriptions/0B1F6471-1BF0-4DDA-AEC3-111122223333/providers/Microsoft.Compute/virtualMachines')),
      '0b1f6471-1bf0-4dda-aec3-111122223333',
    );
    assert.equal(armPace.key(url('/subscriptions')), 'tenant');
    assert.equal(armPace.key(url('/providers/Microsoft.Compute/operations')), 'tenant');
  });

  it('lets requests go while a second of refill (25) or more is left', () => {
    assert.equal(armPace.pause({ 'x-ms-ratelimit-remaining-subscription-reads': '11999' }), undefined);
    assert.equal(armPace.pause({ 'x-ms-ratelimit-remaining-subscription-reads': '25' }), undefined);
    assert.equal(armPace.pause({ 'x-ms-request-id': 'abc', 'retry-after': '17' }), undefined, 'no budget header: no pause');
  });

  it('below that, pauses until a second’s worth is back, by the lowest budget of the answer', () => {
    assert.deepEqual(armPace.pause({ 'x-ms-ratelimit-remaining-subscription-reads': '20' }), {
      ms: 200,
      why: 'Resource Manager has 20 requests left (x-ms-ratelimit-remaining-subscription-reads)',
    });
    const lowest = armPace.pause({
      'x-ms-ratelimit-remaining-subscription-reads': '24',
      'x-ms-ratelimit-remaining-tenant-reads': '5',
      'x-ms-ratelimit-remaining-subscription-resource-requests': '',
    });
    assert.deepEqual(lowest, { ms: 800, why: 'Resource Manager has 5 requests left (x-ms-ratelimit-remaining-tenant-reads)' });
    assert.equal(armPace.pause({ 'x-ms-ratelimit-remaining-subscription-reads': '0' })?.ms, 1000);
    assert.equal(armPace.pause({ 'x-ms-ratelimit-remaining-subscription-reads': '-3' })?.ms, 1000, 'never longer than a second');
  });

  it('ignores values that are not numbers', () => {
    assert.equal(armPace.pause({ 'x-ms-ratelimit-remaining-subscription-reads': 'n/a' }), undefined);
    assert.equal(armPace.pause({ 'x-ms-ratelimit-remaining-subscription-reads': ' ' }), undefined);
  });
});

describe('Azure GPU sizes (sizes.ts)', () => {
  // Size names as the size pages under learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/ list them.
  const gpus = (size: string) => {
    const gpu = gpuOfSize(size);
    return gpu && { model: gpu.model, count: gpu.count };
  };

  it('counts the GPUs of each size family and names their model', () => {
    assert.deepEqual(gpus('Standard_NC24ads_A100_v4'), { model: 'A100 PCIe 80 GB', count: 1 });
    assert.deepEqual(gpus('Standard_NC40ads_H100_v5'), { model: 'H100 NVL 94 GB', count: 1 });
    assert.deepEqual(gpus('Standard_ND96asr_v4')?.count, 8);
    assert.deepEqual(gpus('Standard_ND96amsr_A100_v4'), { model: 'A100 SXM 80 GB', count: 8 });
    assert.deepEqual(gpus('Standard_ND96isr_H100_v5'), { model: 'H100 SXM 80 GB', count: 8 });
    assert.deepEqual(gpus('Standard_ND96isr_MI300X_v5'), { model: 'MI300X 192 GB', count: 8 });
    assert.deepEqual(gpus('Standard_NC64as_T4_v3'), { model: 'T4 16 GB', count: 4 });
    assert.deepEqual(gpus('Standard_NC24s_v3'), { model: 'V100 16 GB', count: 4 });
    assert.deepEqual(gpus('Standard_NC24rs_v3'), { model: 'V100 16 GB', count: 4 });
    assert.deepEqual(gpus('Standard_ND40rs_v2'), { model: 'V100 SXM 32 GB', count: 8 });
  });

  it('counts the fraction of a GPU a partial size gets', () => {
    assert.deepEqual(gpus('Standard_NV6ads_A10_v5'), { model: 'A10 24 GB', count: 1 / 6 });
    assert.deepEqual(gpus('Standard_NV36ads_A10_v5'), { model: 'A10 24 GB', count: 1 });
    assert.deepEqual(gpus('Standard_NC8ads_A10_v4'), { model: 'A10 24 GB', count: 1 / 3 });
  });

  it('reads a size in any casing, with or without "Standard_"', () => {
    const expected = gpuOfSize('Standard_NC24ads_A100_v4');
    for (const size of ['standard_nc24ads_a100_v4', 'STANDARD_NC24ADS_A100_V4', 'NC24ads_A100_v4'])
      assert.deepEqual(gpuOfSize(size), expected, size);
    assert.equal(isGpuSize('standard_nd96isr_h100_v5'), true);
  });

  it('has no GPU for other families, and counts one for an N-series size it does not know', () => {
    assert.equal(gpuOfSize('Standard_F16s'), undefined);
    assert.equal(gpuOfSize('Standard_E64_v4'), undefined);
    assert.equal(isGpuSize('Standard_F16s'), false);
    assert.equal(gpuOfSize('Standard_NC12')?.count, 1);
  });

  it('takes the GPU count from the Resource SKUs where present, the slice from the size page, and no GPU where the SKUs say none', () => {
    // A size the table does not know: the SKU's GPUs capability makes it a GPU size and counts it.
    assert.equal(gpuOfSize('Standard_ND200isr_XYZ_v9', { name: 'Standard_ND200isr_XYZ_v9', gpus: 3 })?.count, 3);
    // The SKUs name no GPU: not a GPU size, whatever the N in its name.
    assert.equal(gpuOfSize('Standard_NP10s', { name: 'Standard_NP10s' }), undefined);
    // A slice: the SKU's whole GPU is a sixth of one.
    assert.equal(gpuOfSize('Standard_NV6ads_A10_v5', { name: 'Standard_NV6ads_A10_v5', gpus: 1 })?.count, 1 / 6);
  });

  it('reads ND GB200/GB300 v6 (4 GPUs), NCC H100 and the NV v3/v4/V710 families', () => {
    assert.deepEqual(gpus('Standard_ND128isr_NDR_GB200_v6'), { model: 'GB200', count: 4 });
    assert.deepEqual(gpus('Standard_ND128isr_GB300_v6'), { model: 'GB300', count: 4 });
    assert.deepEqual(gpus('Standard_NCC40ads_H100_v5'), { model: 'H100 NVL 94 GB', count: 1 });
    assert.equal(isGpuSize('Standard_NCC40ads_H100_v5'), true);
    assert.deepEqual(gpus('Standard_NV12s_v3'), { model: 'M60 8 GB', count: 1 });
    assert.deepEqual(gpus('Standard_NV48s_v3')?.count, 4);
    assert.deepEqual(gpus('Standard_NV4as_v4')?.count, 1 / 8);
    assert.deepEqual(gpus('Standard_NV32as_v4')?.count, 1);
    assert.deepEqual(gpus('Standard_NV4ads_V710_v5')?.count, 1 / 6);
    assert.deepEqual(gpus('Standard_NV28adms_V710_v5')?.count, 1);
  });

  it("keeps the VM sizes of a location's Resource SKUs: canonical name, GPUs, memory; other resource types left out", () => {
    const facts = readSkuFacts([
      { resourceType: 'disks', name: 'Premium_LRS', capabilities: [{ name: 'MaxSizeGiB', value: '4' }] },
      {
        resourceType: 'virtualMachines',
        name: 'Standard_NC48ads_A100_v4',
        capabilities: [
          { name: 'vCPUs', value: '48' },
          { name: 'MemoryGB', value: '440' },
          { name: 'GPUs', value: '2' },
        ],
      },
      { resourceType: 'virtualMachines', name: 'Standard_D2s_v5', capabilities: [{ name: 'MemoryGB', value: '8' }] },
    ]);
    assert.deepEqual(facts, {
      standard_nc48ads_a100_v4: { name: 'Standard_NC48ads_A100_v4', gpus: 2, memoryGb: 440 },
      standard_d2s_v5: { name: 'Standard_D2s_v5', memoryGb: 8 },
    });
  });
});
