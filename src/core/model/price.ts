// The one shape of a cloud's price book (src/providers/<cloud>/prices.ts): a lookup that answers a price per hour or
// why there is none, and the GPU offers the book holds. A resource carries the answer as `pricePerHour` or
// `priceUnknown`, so no view ever shows a price it does not have as $0 and the GPU spend counts it as unpriced.
import type { GpuOffer, Resource } from './model';

/** A price per hour in USD, or why Cloudtop cannot tell it. */
export type Priced =
  { readonly perHour: number; readonly unknown?: undefined } | { readonly perHour?: undefined; readonly unknown: string };

export interface PriceBook<Query> {
  /** What one resource (described by the cloud's own query: a shape, a size and region …) costs per hour. */
  price(query: Query): Priced;
  /** The GPU prices anyone can rent, for the cross-cloud comparison. */
  offers(fetchedAt: string): GpuOffer[];
}

export const priced = (perHour: number): Priced => ({ perHour });
export const unpriced = (why: string): Priced => ({ unknown: why });

/** A book that could not be read: it prices nothing, and every answer says why. */
export function unreadPriceBook<Query>(why: string): PriceBook<Query> {
  return { price: () => unpriced(why), offers: () => [] };
}

/** The resource's price fields for an answer (none for a resource that has no price to tell). */
export function priceFields(answer: Priced | undefined): Pick<Resource, 'pricePerHour' | 'priceUnknown'> {
  if (!answer) return {};
  return answer.perHour !== undefined ? { pricePerHour: answer.perHour } : { priceUnknown: answer.unknown };
}
