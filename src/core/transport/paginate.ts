// The one pagination loop every cloud uses, whatever its token is called (next_token, cursor, nextLink,
// pagination.next, page numbers). It guards against the ways real APIs loop forever: a token that repeats,
// a page that is empty but still carries a token, and runaway page counts.
import { CloudtopError } from '../errors/errors';
import type { CloudId } from '../model/model';

export interface PageResult<T> {
  readonly items: readonly T[];
  /** Token for the next page; null, undefined or '' ends the listing. */
  readonly next?: string | number | null;
}

export interface PaginateOptions {
  readonly cloud: CloudId;
  /** What is being listed, for the error message ("Vast.ai instances"). */
  readonly what: string;
  /** Safety bound; a listing longer than this is a bug or a misbehaving API, not a big account. */
  readonly maxPages?: number;
  /** Stop on the first empty page even if it carries a token (Cloudflare's page lists end this way). */
  readonly stopOnEmpty?: boolean;
}

export async function collectPages<T>(
  fetchPage: (token: string | number | undefined) => Promise<PageResult<T>>,
  options: PaginateOptions,
): Promise<T[]> {
  const maxPages = options.maxPages ?? 1000;
  const seen = new Set<string | number>();
  const all: T[] = [];
  let token: string | number | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await fetchPage(token);
    all.push(...result.items);
    const next = result.next;
    if (next === null || next === undefined || next === '') return all;
    if (options.stopOnEmpty !== false && result.items.length === 0) return all;
    if (seen.has(next)) {
      throw new CloudtopError({
        category: 'unknown',
        cloud: options.cloud,
        message: `${options.what}: the API returned the same page token twice; stopping instead of looping.`,
      });
    }
    seen.add(next);
    token = next;
  }
  throw new CloudtopError({
    category: 'unknown',
    cloud: options.cloud,
    message: `${options.what}: more than ${maxPages} pages; stopping.`,
  });
}

/** Splits ids into batches for batch APIs (metrics for up to N resources per call). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
