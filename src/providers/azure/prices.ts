// GPU prices from the public Azure Retail Prices API (sdk-apis.md §2.6): `GET https://prices.azure.com/api/retail/
// prices?api-version=2023-01-01-preview&$filter=…`, no authentication, `{Items, NextPageLink}` followed until the link
// is null. One query per size (`serviceName eq 'Virtual Machines' and priceType eq 'Consumption' and armSkuName eq
// '<size>'`: eq filters only, case-sensitive values) answers every region's rows at once. Rows are chosen as the public
// catalogue tools choose them — gpuhunt's Azure provider (dstackai/gpuhunt src/gpuhunt/providers/azure.py: type
// Consumption, productName without "Windows" or "Dedicated", meterName without "Low Priority"; "Spot" in the meter
// name is the spot price) and SkyPilot's fetch_azure.py (the same Windows and Low Priority exclusions): the Linux
// pay-as-you-go row per size and region, and the Spot meter for spot. Windows VMs get the Windows row.
// Read through Cloudtop's transport (the override's origin when one is set), with no credential: another server.
import { CloudtopError } from '../../core/errors/errors';
import type { ProviderContext } from '../../core/engine/provider';
import type { GpuOffer } from '../../core/model/model';
import { collectPages } from '../../core/transport/paginate';
import { finite, mapConcurrent, text } from '../../core/transport/wire';
import { AZURE_PRICES_API_VERSION, AZURE_PRICES_ORIGIN, AZURE_PRICES_PATH } from './hosts';
import { gpuOfSize, OFFER_SIZES } from './sizes';

/** Prices change rarely; a size's rows are read again after this long. */
export const PRICES_TTL_MS = 15 * 60_000;
const CONCURRENCY = 4;

type Row = Record<string, unknown>;
type Os = 'linux' | 'windows';
const keyOf = (size: string, region: string, os: Os, spot: boolean) =>
  `${size.toLowerCase()}|${region.toLowerCase()}|${os}|${spot ? 'spot' : 'on-demand'}`;

/** The price a row stands for, or undefined for rows no VM of ours is billed by (reservations, low priority, dedicated hosts, DevTest). */
export function rowKey(row: Row): string | undefined {
  const size = text(row.armSkuName);
  const region = text(row.armRegionName);
  const product = text(row.productName) ?? '';
  const meter = text(row.meterName) ?? text(row.skuName) ?? '';
  const price = finite(row.retailPrice) ?? finite(row.unitPrice);
  if (!size || !region || price === undefined || price <= 0) return undefined;
  if (text(row.type) !== 'Consumption' || text(row.unitOfMeasure) !== '1 Hour') return undefined;
  if (/Low Priority/i.test(meter) || /Dedicated/i.test(product)) return undefined;
  return keyOf(size, region, /Windows$/i.test(product.trim()) ? 'windows' : 'linux', /\bSpot\b/i.test(meter));
}

export interface PriceBook {
  /** Reads the rows of these sizes (and of every size of the offer table) unless they are recent. */
  load(sizes: readonly string[], signal: AbortSignal): Promise<void>;
  priceOf: (size: string, region: string, os: Os, spot: boolean) => number | undefined;
  /** On-demand and spot offers per GPU size and region, per GPU-hour. */
  offers(fetchedAt: string): GpuOffer[];
}

export function priceBook(ctx: ProviderContext, override: string | undefined): PriceBook {
  const origin = override ?? AZURE_PRICES_ORIGIN;
  const transport = ctx.http.transport({ origins: [new URL(origin).origin], expectJson: true });
  const prices = new Map<string, { price: number; primary: boolean }>();
  const read = new Map<string, { at: number; pending: Promise<void> }>();

  async function readSize(size: string, signal: AbortSignal): Promise<void> {
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
    for (const row of rows) {
      const key = rowKey(row);
      if (!key) continue;
      const primary = row.isPrimaryMeterRegion !== false;
      const known = prices.get(key);
      // A meter billed from another region is listed beside the primary one: the primary row wins.
      if (known && (known.primary || !primary)) continue;
      prices.set(key, { price: finite(row.retailPrice) ?? finite(row.unitPrice)!, primary });
    }
  }

  return {
    async load(sizes, signal) {
      const wanted = [...new Set([...OFFER_SIZES, ...sizes].map((s) => s))];
      await mapConcurrent(wanted, CONCURRENCY, (size) => {
        const id = size.toLowerCase();
        const kept = read.get(id);
        if (kept && ctx.now() - kept.at < PRICES_TTL_MS) return kept.pending;
        const pending = readSize(size, signal);
        const entry = { at: ctx.now(), pending };
        read.set(id, entry);
        // A failed read is not kept: the next refresh asks again.
        pending.catch(() => read.get(id) === entry && read.delete(id));
        return pending;
      });
    },
    priceOf: (size, region, os, spot) => prices.get(keyOf(size, region, os, spot))?.price,
    offers(fetchedAt) {
      const offers: GpuOffer[] = [];
      for (const size of OFFER_SIZES) {
        const gpu = gpuOfSize(size);
        if (!gpu?.key) continue;
        for (const [key, { price }] of prices) {
          const [s, region, os, pricing] = key.split('|');
          if (s !== size.toLowerCase() || os !== 'linux') continue;
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
