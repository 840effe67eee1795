// GPU prices from Oracle's own data: the shape → part numbers of its Cost Estimator (estimator.ts) and the public price
// list (`GET https://apexapps.oracle.com/pls/apex/cetools/api/v1/products/?currencyCode=USD`, no authentication,
// `{lastUpdated, items[]}` with each part's `metricName` and USD PAY_AS_YOU_GO price), joined as
// skypilot-org/skypilot sky/catalog/data_fetchers/fetch_oci.py (gpu_shape_info) and dstackai/gpuhunt
// src/gpuhunt/providers/oci.py join them. A shape costs the sum of its parts, each by the unit the price list bills it
// in: "GPU Per Hour" × the instance's GPUs, "OCPU Per Hour" × its OCPUs, "Gigabyte Per Hour" × its memory. Preemptible
// capacity costs half (docs.oracle.com/en-us/iaas/Content/Compute/Concepts/preemptible.htm; fetch_oci.py
// PREEMPTIBLE_DISCOUNT = 0.5). When the estimator data cannot be read (and no earlier copy is kept), shape-parts.ts —
// the links public sources show — stands in, and the reference warning says so. Read through Cloudtop's transport
// with the endpoint override's origin when one is set (the same path), never signed: it is another server.
import { CloudtopError } from '../../core/errors/errors';
import type { ProviderContext } from '../../core/engine/provider';
import type { GpuOffer } from '../../core/model/model';
import { priced, unpriced, type Priced, type PriceBook } from '../../core/model/price';
import { finite, text } from '../../core/transport/wire';
import type { EstimatorShape, EstimatorShapes } from './estimator';
import { OCI_PRICE_LIST_ORIGIN, OCI_PRICE_LIST_PATH } from './hosts';
import { gpuOfShape } from './mapping';
import { OCI_SHAPE_PARTS, shapePart } from './shape-parts';

/** Oracle's documented preemptible price: 50 % of on-demand (Compute "Preemptible Instances"). */
export const PREEMPTIBLE_SHARE = 0.5;

/** What one instance is billed by: its shape and what it has of each unit Oracle bills. */
export interface ShapeQuery {
  readonly shape: string;
  readonly gpus: number;
  readonly ocpus?: number;
  readonly memoryGb?: number;
  /** Launched with a preemptibleInstanceConfig. */
  readonly preemptible?: boolean;
}

/** A part's USD PAY_AS_YOU_GO price and the unit it is billed by ("GPU Per Hour"). */
export interface PartPrice {
  readonly usd: number;
  readonly metric: string;
}

/** The price list as reference data, by part number (JSON, so the engine can cache it). */
export type PartPrices = Readonly<Record<string, PartPrice>>;

/** The estimator's shapes, or why they could not be read (then the fallback table prices what it knows). */
export type ShapeData =
  { readonly shapes: EstimatorShapes; readonly unread?: undefined } | { readonly shapes?: undefined; readonly unread: string };

/** The PAY_AS_YOU_GO USD price of each part and its unit; a tiered price (several entries) counts from its first tier. */
export function readPrices(body: unknown): PartPrices {
  const out: Record<string, PartPrice> = {};
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
      .filter((v): v is number => v !== undefined && v >= 0);
    if (part && payg.length > 0) out[part] = { usd: payg[0], metric: text(item.metricName) ?? '' };
  }
  return out;
}

/** How many of a part's units an instance uses: by the unit the price list names. */
function units(
  metric: string,
  product: { type: string; qty?: number },
  shape: EstimatorShape,
  q: Omit<ShapeQuery, 'shape'>,
): number | undefined {
  const m = metric.toLowerCase();
  if (/\bgpu per hour\b/.test(m)) return q.gpus;
  if (/\bocpu per hour\b/.test(m)) return q.ocpus ?? product.qty;
  if (/\bgigabyte per hour\b/.test(m)) return q.memoryGb ?? (product.type === 'memory' ? product.qty : undefined) ?? shape.memoryGb;
  return undefined;
}

/** A whole shape's price per hour from its parts; undefined parts or units make it unknown, with why. */
function shapePrice(name: string, shape: EstimatorShape, q: Omit<ShapeQuery, 'shape'>, byPart: PartPrices): Priced {
  if (shape.products.length === 0) return unpriced(`Oracle's Cost Estimator data names no part for shape ${name}`);
  let total = 0;
  for (const product of shape.products) {
    const part = byPart[product.partNumber];
    if (!part) return unpriced(`Oracle's price list has no price for part ${product.partNumber} (${name})`);
    const n = units(part.metric, product, shape, q);
    if (n === undefined)
      return unpriced(
        `part ${product.partNumber} of ${name} is billed "${part.metric || 'by an unnamed unit'}", which Cloudtop cannot count`,
      );
    total += part.usd * n;
  }
  return priced(q.preemptible ? total * PREEMPTIBLE_SHARE : total);
}

/** The fallback when the estimator data could not be read: the part-number table, per GPU-hour × GPUs. */
function fallbackPrice({ shape, gpus, preemptible }: ShapeQuery, byPart: PartPrices, why: string): Priced {
  const part = shapePart(shape);
  if (!part) return unpriced(`${why}, and Cloudtop's fallback table knows no part for shape ${shape}`);
  const price = byPart[part.partNumber];
  if (!price) return unpriced(`Oracle's price list has no price for part ${part.partNumber} (${shape})`);
  return priced(price.usd * gpus * (preemptible ? PREEMPTIBLE_SHARE : 1));
}

/** The book over the price list and the estimator's shapes (or, without them, the fallback table). */
export function ociPriceBook(byPart: PartPrices, data: ShapeData): PriceBook<ShapeQuery> {
  // Compute and the estimator spell shapes alike ("BM.GPU.A100-v2.8"); a difference of case alone is the same shape.
  const lower = new Map(Object.entries(data.shapes ?? {}).map(([name, shape]) => [name.toLowerCase(), shape]));
  return {
    price(query) {
      if (!data.shapes) return fallbackPrice(query, byPart, data.unread);
      const shape = data.shapes[query.shape] ?? lower.get(query.shape.toLowerCase());
      if (!shape) return unpriced(`Oracle's Cost Estimator data has no shape ${query.shape}`);
      return shapePrice(query.shape, shape, query, byPart);
    },
    offers(fetchedAt) {
      const offers = new Map<string, GpuOffer>();
      const add = (shape: string, gpus: number, perGpu: number, pricing: GpuOffer['pricing']) => {
        const gpu = gpuOfShape(shape, gpus, undefined);
        const key = `${gpu.key!}|${pricing}`;
        const known = offers.get(key);
        if (known && (known.pricePerGpuHour < perGpu || (known.pricePerGpuHour === perGpu && known.gpuCount >= gpus))) return;
        offers.set(key, {
          cloud: 'oci',
          gpuKey: gpu.key!,
          gpuName: gpu.model,
          gpuCount: gpus,
          pricePerGpuHour: perGpu,
          pricing,
          availability: 'unknown',
          fetchedAt,
        });
      };
      if (data.shapes) {
        for (const [name, shape] of Object.entries(data.shapes)) {
          if (!shape.gpu || !shape.current || !shape.gpus) continue;
          const answer = shapePrice(name, shape, { gpus: shape.gpus }, byPart);
          if (answer.perHour === undefined || answer.perHour <= 0) continue;
          add(name, shape.gpus, answer.perHour / shape.gpus, 'on-demand');
          // Oracle sells the shape as preemptible capacity at half the price (allowPreemptible).
          if (shape.preemptible) add(name, shape.gpus, (answer.perHour * PREEMPTIBLE_SHARE) / shape.gpus, 'spot');
        }
      } else {
        for (const entry of OCI_SHAPE_PARTS) {
          const price = byPart[entry.partNumber];
          if (price !== undefined && price.usd > 0) add(entry.shape, entry.gpus, price.usd, 'on-demand');
        }
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
