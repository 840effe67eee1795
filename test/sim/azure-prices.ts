// The Azure Retail Prices API (prices.azure.com, no auth, no SDK;
// learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices):
//   GET /api/retail/prices?api-version=2023-01-01-preview&$filter=<OData>&currencyCode=<code>&$skip=<n>
// `$filter` is `field eq 'value'` clauses joined by `and`/`or`, optionally parenthesized; values are case-sensitive
// (since 2023-01-01-preview), field names are not. The answer is one page of Items with an absolute NextPageLink.
// Prices are a pure function of (size, region): no seed, so a test can compute them with azureVmPrices().
import { AZURE_REGIONS, AZURE_VM_SIZES, azureVmSize, PRICE_LOCATION, simUuid, type AzureVm, type AzureVmSize } from './azure-data';

const REGION_FACTOR: Readonly<Record<string, number>> = { eastus: 1, westus2: 1.02, southcentralus: 1.05, westeurope: 1.12 };
const CURRENCIES: Readonly<Record<string, number>> = { USD: 1, EUR: 0.92, GBP: 0.79, JPY: 150, CAD: 1.37, AUD: 1.52 };

const round = (v: number, d = 4): number => Math.round(v * 10 ** d) / 10 ** d;

export interface AzureVmPrices {
  /** Linux pay-as-you-go, USD/hour. */
  readonly linux: number;
  readonly linuxSpot: number;
  readonly linuxLowPriority: number;
  readonly windows: number;
  readonly windowsSpot: number;
  readonly windowsLowPriority: number;
  /** Whole-term totals (USD) of the 1- and 3-year reservations. */
  readonly reservation1Year: number;
  readonly reservation3Years: number;
}

/** The USD prices the sim lists for a size in a region (undefined for a size or region it does not list). */
export function azureVmPrices(size: string, region: string): AzureVmPrices | undefined {
  const s = azureVmSize(size);
  const factor = REGION_FACTOR[region];
  if (!s || factor === undefined) return undefined;
  const linux = round(s.linuxEastUs * factor);
  // Spot discounts vary by size and region (60–90 % off); Windows adds a per-vCPU licence.
  const spotShare = 0.1 + (0.3 * (simUuid(s.name, region, 'spot').charCodeAt(0) % 10)) / 10;
  const licence = 0.046 * s.vCpus;
  return {
    linux,
    linuxSpot: round(linux * spotShare),
    linuxLowPriority: round(linux * 0.2),
    windows: round(linux + licence),
    windowsSpot: round((linux + licence) * spotShare),
    windowsLowPriority: round((linux + licence) * 0.2),
    reservation1Year: round(linux * 8760 * 0.62, 2),
    reservation3Years: round(linux * 26280 * 0.4, 2),
  };
}

/** The hourly USD price this VM pays while allocated: its size and region, Spot or pay-as-you-go, Windows or Linux. */
export function azureVmListedPrice(vm: AzureVm): number | undefined {
  const p = azureVmPrices(vm.body.properties.hardwareProfile.vmSize, vm.location);
  if (!p) return undefined;
  const spot = vm.body.properties.priority === 'Spot';
  // Azure Hybrid Benefit: the Windows licence is the user's own, the VM pays the base (Linux) compute price.
  const license = vm.body.properties.licenseType;
  const hybrid = typeof license === 'string' && ['Windows_Server', 'Windows_Client'].includes(license);
  const windows = (vm.body.properties.storageProfile as { osDisk: { osType: string } }).osDisk.osType === 'Windows' && !hybrid;
  return windows ? (spot ? p.windowsSpot : p.windows) : spot ? p.linuxSpot : p.linux;
}

export type PriceItem = Record<string, string | number | boolean>;

function rowsFor(s: AzureVmSize, region: string): PriceItem[] {
  const p = azureVmPrices(s.name, region)!;
  const sku = s.name.replace(/^Standard_/, '').replace(/_/g, ' ');
  const product = `Virtual Machines ${s.series} Series`;
  const productId = `DZH318Z0${simUuid(s.series).replace(/-/g, '').slice(0, 4).toUpperCase()}`;
  const row = (productName: string, skuName: string, type: string, price: number, extra: PriceItem = {}): PriceItem => ({
    currencyCode: 'USD',
    tierMinimumUnits: 0,
    ...(type === 'Reservation' ? { reservationTerm: extra.reservationTerm } : {}),
    retailPrice: price,
    unitPrice: price,
    armRegionName: region,
    location: PRICE_LOCATION[region],
    effectiveStartDate: '2024-09-01T00:00:00Z',
    meterId: simUuid(productName, skuName, region, 'meter'),
    meterName: skuName,
    productId,
    skuId: `${productId}/${simUuid(skuName).slice(0, 4).toUpperCase()}`,
    productName,
    skuName,
    serviceName: 'Virtual Machines',
    serviceId: 'DZH313Z7MMC8',
    serviceFamily: 'Compute',
    unitOfMeasure: '1 Hour',
    type,
    isPrimaryMeterRegion: true,
    armSkuName: s.name,
  });
  return [
    row(product, sku, 'Consumption', p.linux),
    row(product, `${sku} Spot`, 'Consumption', p.linuxSpot),
    row(product, `${sku} Low Priority`, 'Consumption', p.linuxLowPriority),
    row(`${product} Windows`, sku, 'Consumption', p.windows),
    row(`${product} Windows`, `${sku} Spot`, 'Consumption', p.windowsSpot),
    row(`${product} Windows`, `${sku} Low Priority`, 'Consumption', p.windowsLowPriority),
    // Dev/Test subscriptions pay no Windows licence.
    row(`${product} Windows`, sku, 'DevTestConsumption', p.linux),
    row(product, sku, 'Reservation', p.reservation1Year, { reservationTerm: '1 Year' }),
    row(product, sku, 'Reservation', p.reservation3Years, { reservationTerm: '3 Years' }),
  ];
}

/** Every row the sim lists, in a fixed order. */
export function allPriceItems(): PriceItem[] {
  return AZURE_VM_SIZES.flatMap((s) => AZURE_REGIONS.flatMap((r) => rowsFor(s, r)));
}

/** `priceType` is the filter name of the row field `type`. */
const FIELDS: Readonly<Record<string, string>> = {
  servicename: 'serviceName',
  armregionname: 'armRegionName',
  armskuname: 'armSkuName',
  pricetype: 'type',
  type: 'type',
  productname: 'productName',
  skuname: 'skuName',
  metername: 'meterName',
  servicefamily: 'serviceFamily',
  serviceid: 'serviceId',
  meterid: 'meterId',
  productid: 'productId',
  skuid: 'skuId',
  location: 'location',
  currencycode: 'currencyCode',
  reservationterm: 'reservationTerm',
};

type Predicate = (item: PriceItem) => boolean;

/** Parses the OData subset; returns an error message for anything else. */
export function parsePriceFilter(filter: string): Predicate | string {
  const tokens = filter.match(/\(|\)|'(?:[^']|'')*'|[^\s()']+/g) ?? [];
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const fail = (why: string): never => {
    throw new Error(why);
  };
  const factor = (): Predicate => {
    if (peek() === '(') {
      i++;
      const inner = expr();
      if (tokens[i++] !== ')') fail('missing )');
      return inner;
    }
    const field = tokens[i++];
    const op = tokens[i++];
    const value = tokens[i++];
    if (!field || op?.toLowerCase() !== 'eq' || !value?.startsWith("'")) fail(`unsupported clause near ${field ?? 'end'}`);
    const key = FIELDS[field.toLowerCase()] ?? fail(`unknown field ${field}`);
    const literal = value.slice(1, -1).replace(/''/g, "'");
    return (item) => item[key] === literal;
  };
  const term = (): Predicate => {
    const parts = [factor()];
    while (peek()?.toLowerCase() === 'and') {
      i++;
      parts.push(factor());
    }
    return (item) => parts.every((p) => p(item));
  };
  const expr = (): Predicate => {
    const parts = [term()];
    while (peek()?.toLowerCase() === 'or') {
      i++;
      parts.push(term());
    }
    return (item) => parts.some((p) => p(item));
  };
  try {
    const predicate = expr();
    if (i !== tokens.length) return `unexpected ${tokens[i]}`;
    return predicate;
  } catch (err) {
    return (err as Error).message;
  }
}

export interface PricePage {
  readonly status: number;
  readonly body: unknown;
}

/** One page of the price list for a request's query, with the NextPageLink on `origin`. */
export function retailPrices(query: URLSearchParams, origin: string, pageSize: number): PricePage {
  const bad = (message: string): PricePage => ({ status: 400, body: { Error: { Code: 'BadRequest', Message: message } } });
  const currency = (query.get('currencyCode') ?? 'USD').replace(/^'(.*)'$/, '$1').toUpperCase();
  const rate = CURRENCIES[currency];
  if (rate === undefined) return bad(`Invalid currency code: ${currency}`);
  const filter = query.get('$filter');
  let items = allPriceItems();
  if (filter !== null && filter.trim() !== '') {
    const predicate = parsePriceFilter(filter);
    if (typeof predicate === 'string') return bad(`Invalid OData parameters supplied: ${predicate}`);
    items = items.filter(predicate);
  }
  const skipRaw = query.get('$skip') ?? '0';
  const skip = Number(skipRaw);
  if (!Number.isInteger(skip) || skip < 0) return bad(`Invalid $skip value: ${skipRaw}`);
  const page = items.slice(skip, skip + pageSize).map((item) =>
    rate === 1
      ? item
      : {
          ...item,
          currencyCode: currency,
          retailPrice: round(Number(item.retailPrice) * rate),
          unitPrice: round(Number(item.unitPrice) * rate),
        },
  );
  let next: string | null = null;
  if (skip + page.length < items.length) {
    const q = new URLSearchParams(query);
    q.set('$skip', String(skip + page.length));
    next = `${origin}/api/retail/prices?${q.toString()}`;
  }
  return {
    status: 200,
    body: {
      BillingCurrency: currency,
      CustomerEntityId: 'Default',
      CustomerEntityType: 'Retail',
      Items: page,
      NextPageLink: next,
      Count: page.length,
    },
  };
}
