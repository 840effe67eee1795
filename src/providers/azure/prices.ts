// GPU prices from the public Azure Retail Prices API
// (learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices): `GET
// https://prices.azure.com/api/retail/ prices?api-version=2023-01-01-preview&$filter=…`, no authentication, `{Items,
// NextPageLink}` followed until the link is null. One query per size (`serviceName eq 'Virtual Machines' and priceType
// eq 'Consumption' and armSkuName eq '<size>'`: eq filters only, case-sensitive values) answers every region's rows at
// once. Rows are chosen as the public catalogue tools choose them — gpuhunt's Azure provider (dstackai/gpuhunt
// src/gpuhunt/providers/azure.py: type Consumption, productName without "Windows" or "Dedicated", meterName without
// "Low Priority"; "Spot" in the meter name is the spot price) and SkyPilot's fetch_azure.py (the same Windows and Low
// Priority exclusions): the Linux pay-as-you-go row per size and region, and the Spot meter for spot. Windows VMs get
// the Windows row.
// Read through Cloudtop's transport (the override's origin when one is set), with no credential: another server.
import { CloudtopError } from '../../core/errors/errors';
import type { ProviderContext, Reference, ReferenceAnswer } from '../../core/engine/provider';
import type { GpuOffer } from '../../core/model/model';
import { priced, unpriced, type PriceBook } from '../../core/model/price';
import { collectPages } from '../../core/transport/paginate';
import { finite, mapConcurrent, text } from '../../core/transport/wire';
import { AZURE_PRICES_API_VERSION, AZURE_PRICES_ORIGIN, AZURE_PRICES_PATH } from './hosts';
import { gpuOfSize, OFFER_SIZES } from './sizes';

const CONCURRENCY = 4;

type Row = Record<string, unknown>;
type Os = 'linux' | 'windows';
const keyOf = (region: string, os: Os, spot: boolean) => `${region.toLowerCase()}|${os}|${spot ? 'spot' : 'on-demand'}`;

/**
 * The price a row stands for (`region|os|pricing` within its size), or undefined for rows no VM of ours is billed by
 * (reservations, low priority, dedicated hosts, DevTest).
 */
export function rowKey(row: Row): string | undefined {
  const size = text(row.armSkuName);
  const region = text(row.armRegionName);
  const product = text(row.productName) ?? '';
  const meter = text(row.meterName) ?? text(row.skuName) ?? '';
  const price = finite(row.retailPrice) ?? finite(row.unitPrice);
  if (!size || !region || price === undefined || price <= 0) return undefined;
  if (text(row.type) !== 'Consumption' || text(row.unitOfMeasure) !== '1 Hour') return undefined;
  if (/Low Priority/i.test(meter) || /Dedicated/i.test(product)) return undefined;
  return keyOf(region, /Windows$/i.test(product.trim()) ? 'windows' : 'linux', /\bSpot\b/i.test(meter));
}

/** What a VM is priced by: its size, region, OS and priority. */
export interface VmQuery {
  readonly size: string;
  readonly region: string;
  readonly os: Os;
  readonly spot: boolean;
}

/** One size's prices (reference data, JSON): `region|os|pricing` → USD per hour. */
export type SizePrices = Readonly<Record<string, number>>;

/** The retail prices of one size: every region's rows at once, the primary meter region's row winning. */
export async function readSizePrices(
  ctx: ProviderContext,
  override: string | undefined,
  size: string,
  signal: AbortSignal,
): Promise<SizePrices> {
  const origin = override ?? AZURE_PRICES_ORIGIN;
  const transport = ctx.http.transport({ origins: [new URL(origin).origin], expectJson: true });
  const filter = `serviceName eq 'Virtual Machines' and priceType eq 'Consumption' and armSkuName eq '${size.replace(/'/g, "''")}'`;
  const first = `${origin}${AZURE_PRICES_PATH}?api-version=${AZURE_PRICES_API_VERSION}&$filter=${encodeURIComponent(filter)}`;
  const rows = await transport.run(`GET ${AZURE_PRICES_PATH}`, () =>
    collectPages<Row>(
      async (link) => {
        const response = await transport.fetch(link === undefined ? first : String(link), {
          headers: { accept: 'application/json' },
          signal,
        });
        const body = (await response.json()) as { Items?: unknown; NextPageLink?: unknown };
        if (!Array.isArray(body?.Items))
          throw new CloudtopError({
            category: 'unknown',
            cloud: 'azure',
            code: 'MALFORMED_RESPONSE',
            message: 'The Azure Retail Prices API answered without an Items list.',
          });
        return { items: body.Items as Row[], next: text(body.NextPageLink) };
      },
      { cloud: 'azure', what: 'Azure retail prices', stopOnEmpty: true },
    ),
  );
  const prices: Record<string, number> = {};
  const primary = new Set<string>();
  for (const row of rows) {
    const key = rowKey(row);
    if (!key) continue;
    const isPrimary = row.isPrimaryMeterRegion !== false;
    // A meter billed from another region is listed beside the primary one: the primary row wins.
    if (key in prices && (primary.has(key) || !isPrimary)) continue;
    prices[key] = finite(row.retailPrice) ?? finite(row.unitPrice)!;
    if (isPrimary) primary.add(key);
  }
  return prices;
}

/** The sizes' prices (each read, or why not) as one book. */
export function azurePriceBook(bySize: ReadonlyMap<string, ReferenceAnswer<SizePrices>>): PriceBook<VmQuery> {
  return {
    price({ size, region, os, spot }) {
      const answer = bySize.get(size.toLowerCase());
      if (!answer) return unpriced(`Azure's retail prices for ${size} were not read`);
      if (answer.error) return unpriced(answer.error.message);
      const perHour = answer.value[keyOf(region, os, spot)];
      if (perHour !== undefined) return priced(perHour);
      return unpriced(
        `the Azure Retail Prices API lists no ${os === 'windows' ? 'Windows' : 'Linux'}${spot ? ' Spot' : ''} price for ${size} in ${region}`,
      );
    },
    offers(fetchedAt) {
      const offers: GpuOffer[] = [];
      for (const size of OFFER_SIZES) {
        const gpu = gpuOfSize(size);
        const rows = bySize.get(size.toLowerCase())?.value;
        if (!gpu?.key || !rows) continue;
        for (const [key, price] of Object.entries(rows)) {
          const [region, os, pricing] = key.split('|');
          if (os !== 'linux') continue;
          offers.push({
            cloud: 'azure',
            gpuKey: gpu.key,
            gpuName: gpu.model,
            gpuCount: gpu.count,
            pricePerGpuHour: price / gpu.count,
            pricing: pricing === 'spot' ? 'spot' : 'on-demand',
            region,
            availability: 'unknown',
            fetchedAt,
          });
        }
      }
      return offers.sort((a, b) => a.pricePerGpuHour - b.pricePerGpuHour);
    },
  };
}

/** Reads the prices of these sizes and of every size the comparison shows (each from the reference data, or why not). */
export async function loadPriceBook(
  retail: Reference<SizePrices>,
  sizes: readonly string[],
  signal: AbortSignal,
): Promise<PriceBook<VmQuery>> {
  const wanted = [...new Map([...OFFER_SIZES, ...sizes].map((s) => [s.toLowerCase(), s] as const)).values()];
  const answers = await mapConcurrent(
    wanted,
    CONCURRENCY,
    async (size) => [size.toLowerCase(), await retail.tryGet(signal, size)] as const,
  );
  return azurePriceBook(new Map(answers));
}
