// Oracle's public price list (as skypilot-org/skypilot sky/catalog/data_fetchers/fetch_oci.py and dstackai/gpuhunt
// src/gpuhunt/providers/oci.py read it): `GET https://apexapps.oracle.com/pls/apex/cetools/api/v1/products/
// ?currencyCode=USD`, no authentication, `{lastUpdated, items[]}` with each item's USD PAY_AS_YOU_GO price. The list
// names no shapes: GPU items ("GPU Per Hour") are found by the part numbers of shape-parts.ts, the table the public
// catalogue tools keep. A GPU shape costs its per-GPU-hour price × its GPUs. Read through Cloudtop's transport with the
// endpoint override's origin when one is set (the same path), never signed: it is another server.
import { CloudtopError } from '../../core/errors/errors';
import type { ProviderContext } from '../../core/engine/provider';
import type { GpuOffer } from '../../core/model/model';
import { priced, unpriced, type PriceBook } from '../../core/model/price';
import { finite, text } from '../../core/transport/wire';
import { OCI_PRICE_LIST_ORIGIN, OCI_PRICE_LIST_PATH } from './hosts';
import { gpuOfShape } from './mapping';
import { OCI_SHAPE_PARTS, shapePart } from './shape-parts';

/** What Oracle's price list prices: a GPU shape with its GPU count. */
export interface ShapeQuery {
  readonly shape: string;
  readonly gpus: number;
}

/** The price list as reference data: USD PAY_AS_YOU_GO price per part number (JSON, so the engine can cache it). */
export type PartPrices = Readonly<Record<string, number>>;

/** The PAY_AS_YOU_GO USD price of each part; a tiered price (several entries) counts from its first tier. */
export function readPrices(body: unknown): PartPrices {
  const out: Record<string, number> = {};
  const items = (body as { items?: unknown } | null)?.items;
  if (!Array.isArray(items))
    throw new CloudtopError({
      category: 'unknown',
      cloud: 'oci',
      code: 'MALFORMED_RESPONSE',
      message: "Oracle's price list answered without an items list.",
    });
  for (const item of items as Record<string, unknown>[]) {
    const part = text(item?.partNumber);
    const usd = (Array.isArray(item?.currencyCodeLocalizations) ? (item.currencyCodeLocalizations as Record<string, unknown>[]) : []).find(
      (l) => l?.currencyCode === 'USD',
    );
    const entries = Array.isArray(usd?.prices) ? (usd.prices as Record<string, unknown>[]) : [];
    const payg = entries
      .filter((p) => p?.model === 'PAY_AS_YOU_GO')
      .map((p) => finite(p.value))
      .filter((v): v is number => v !== undefined && v > 0);
    if (part && payg.length > 0) out[part] = payg[0];
  }
  return out;
}

/** The book over a read price list: a shape costs its part's per-GPU-hour price × its GPUs. */
export function ociPriceBook(byPart: PartPrices): PriceBook<ShapeQuery> {
  return {
    price({ shape, gpus }) {
      const part = shapePart(shape);
      if (!part) return unpriced(`Cloudtop knows no price-list part for shape ${shape}`);
      const perGpu = byPart[part.partNumber];
      return perGpu === undefined
        ? unpriced(`Oracle's price list has no price for part ${part.partNumber} (${shape})`)
        : priced(perGpu * gpus);
    },
    offers(fetchedAt) {
      const offers = new Map<string, GpuOffer>();
      for (const entry of OCI_SHAPE_PARTS) {
        const price = byPart[entry.partNumber];
        if (price === undefined) continue;
        const gpu = gpuOfShape(entry.shape, entry.gpus, entry.gpuName);
        const known = offers.get(gpu.key!);
        if (known && known.gpuCount >= entry.gpus) continue;
        offers.set(gpu.key!, {
          cloud: 'oci',
          gpuKey: gpu.key!,
          gpuName: entry.gpuName,
          gpuCount: entry.gpus,
          pricePerGpuHour: price,
          pricing: 'on-demand',
          availability: 'unknown',
          fetchedAt,
        });
      }
      return [...offers.values()].sort((a, b) => a.pricePerGpuHour - b.pricePerGpuHour);
    },
  };
}

/** Reads Oracle's public price list (reference data: see provider.ts). */
export async function readPriceList(ctx: ProviderContext, override: string | undefined, signal: AbortSignal): Promise<PartPrices> {
  const origin = override ?? OCI_PRICE_LIST_ORIGIN;
  const transport = ctx.http.transport({ origins: [new URL(origin).origin], expectJson: true });
  const url = `${origin}${OCI_PRICE_LIST_PATH}?currencyCode=USD`;
  const response = await transport.run('GET /pls/apex/cetools/api/v1/products', () =>
    transport.fetch(url, { method: 'GET', headers: { accept: 'application/json' }, signal }),
  );
  return readPrices(await response.json());
}
