// Small readers for what a cloud sent (JSON that may lack, null or mistype any field) and a bounded-concurrency map,
// shared by every provider folder instead of a look-alike copy in each. Stateless (it imports only errors.ts and
// model.ts, both audited too): a provider bundle carries its own copy (test/integration/provider-bundles.test.ts lists
// it as audited).
import { CloudtopError } from '../errors/errors';
import { CLOUD_NAMES, type CloudId } from '../model/model';

/** A string that says something: absent, non-strings and blank strings read as undefined; the value is kept as sent. */
export const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** Any string, the empty one included (a field whose presence matters more than its content). */
export const anyText = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A finite number: NaN, ±Infinity, numeric strings and absent values read as undefined (never as 0). */
export const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** A plain JSON object (not null, not an array), to read fields of. */
export const record = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** The items of an array that `read` accepts (it answers undefined to drop one); anything but an array reads as []. */
export function listOf<T>(v: unknown, read: (item: unknown) => T | undefined): T[] {
  if (!Array.isArray(v)) return [];
  const out: T[] = [];
  for (const item of v as unknown[]) {
    const value = read(item);
    if (value !== undefined) out.push(value);
  }
  return out;
}

/** The `key` list of a cloud's answer; an answer without one is a response Cloudtop cannot read (category unknown). */
export function requiredList(body: unknown, key: string, cloud: CloudId, operation: string): unknown[] {
  const items = record(body)?.[key];
  if (!Array.isArray(items)) {
    throw new CloudtopError({
      category: 'unknown',
      cloud,
      operation,
      message: `${CLOUD_NAMES[cloud]} answered ${operation} without a "${key}" list; Cloudtop cannot read this response.`,
    });
  }
  return items as unknown[];
}

/** `fn` over every item, at most `limit` at a time, results in item order; the first failure rejects and starts no more. */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        results[i] = await fn(items[i]);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * The metrics of `resources` out of those a provider read along with its list (Vast.ai's and RunPod's lists carry
 * every reading): getMetrics() then makes no call, and a resource without readings is left out, never zeroed.
 */
export function metricsFor<M>(resources: readonly { readonly id: string }[], known: ReadonlyMap<string, M>): Record<string, M> {
  const out: Record<string, M> = {};
  for (const r of resources) {
    const m = known.get(r.id);
    if (m) out[r.id] = m;
  }
  return out;
}
