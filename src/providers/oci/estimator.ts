// Oracle's own shape → part-number data: the JSON behind its public Cost Estimator
// (GET https://www.oracle.com/a/ocom/docs/cloudestimator2/data/shapes.json, no authentication), read as
// skypilot-org/skypilot sky/catalog/data_fetchers/fetch_oci.py and dstackai/gpuhunt src/gpuhunt/providers/oci.py read
// it: `{items: [{name, status, hidden, shapeType: {value}, subType: {value: 'gpu' | 'flexible' | 'dense' | 'hpc' …},
// gpuQty, gpuMemoryQty, bundleMemoryQty, allowPreemptible, products: [{type: {value: 'ocpu' | 'memory' | 'disk'},
// partNumber, qty, min, max}]}]}` (a snapshot of the same file: oracle/oci-designer-toolkit
// okitclassic/okitserver/static/okit/json/bom/shapes.json). A name may carry a display suffix ("BM.GPU.GB200.4 (NVL72)",
// fetch_oci.py normalize_shape_name): Compute names the shape without it. What a part costs, and by which unit
// ("GPU Per Hour", "OCPU Per Hour", "Gigabyte Per Hour"), is in the price list (prices.ts).
// Reduced to what pricing needs, so the engine caches a few KB of JSON rather than the whole file.
import { CloudtopError } from '../../core/errors/errors';
import type { ProviderContext } from '../../core/engine/provider';
import { finite, text } from '../../core/transport/wire';
import { OCI_ESTIMATOR_ORIGIN, OCI_ESTIMATOR_SHAPES_PATH } from './hosts';

/** One part a shape is billed under, with the quantity the estimator prices a whole shape at. */
export interface ShapeProduct {
  readonly partNumber: string;
  /** The estimator's product type: `ocpu`, `memory`, `disk` … */
  readonly type: string;
  readonly qty?: number;
}

export interface EstimatorShape {
  /** GPUs in the shape (`gpuQty`), for GPU shapes. */
  readonly gpus?: number;
  /** Memory of a fixed shape in GB (`bundleMemoryQty`). */
  readonly memoryGb?: number;
  /** Oracle sells it as preemptible capacity (`allowPreemptible`). */
  readonly preemptible: boolean;
  /** `subType.value === 'gpu'`. */
  readonly gpu: boolean;
  /** Offered now: `status === 'ACTIVE'` and not hidden (a retired shape still prices the instances that run it). */
  readonly current: boolean;
  readonly products: readonly ShapeProduct[];
}

/** Shape name (display suffix removed) → its estimator entry. */
export type EstimatorShapes = Readonly<Record<string, EstimatorShape>>;

/** 'BM.GPU.GB200.4 (NVL72)' → 'BM.GPU.GB200.4' (fetch_oci.py normalize_shape_name). */
export const shapeName = (name: string): string => name.replace(/\s*\(.*\)\s*$/, '').trim();

const malformed = (message: string) => new CloudtopError({ category: 'unknown', cloud: 'oci', code: 'MALFORMED_RESPONSE', message });

export function readEstimatorShapes(body: unknown): EstimatorShapes {
  const items = (body as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) throw malformed("Oracle's Cost Estimator shape data answered without an items list.");
  const out: Record<string, EstimatorShape> = {};
  for (const item of items as Record<string, unknown>[]) {
    const name = text(item?.name);
    if (!name) continue;
    const value = (field: unknown) => text((field as Record<string, unknown> | null | undefined)?.value)?.toLowerCase();
    const products = (Array.isArray(item.products) ? (item.products as Record<string, unknown>[]) : [])
      .map((p): ShapeProduct | undefined => {
        const partNumber = text(p?.partNumber);
        const qty = finite(p?.qty);
        return partNumber ? { partNumber, type: value(p.type) ?? '', ...(qty !== undefined ? { qty } : {}) } : undefined;
      })
      .filter((p): p is ShapeProduct => p !== undefined);
    const gpu = value(item.subType) === 'gpu';
    // Older copies of the file have no gpuQty (the oci-designer-toolkit snapshot): a GPU shape's name ends in its count.
    const gpus = finite(item.gpuQty) ?? (gpu ? Number(/\.(\d+)$/.exec(shapeName(name))?.[1] ?? NaN) : undefined);
    const memoryGb = finite(item.bundleMemoryQty);
    const entry: EstimatorShape = {
      ...(gpus !== undefined && Number.isFinite(gpus) && gpus > 0 ? { gpus } : {}),
      ...(memoryGb !== undefined && memoryGb > 0 ? { memoryGb } : {}),
      preemptible: item.allowPreemptible === true,
      gpu,
      current: item.status === 'ACTIVE' && item.hidden !== true,
      products,
    };
    const key = shapeName(name);
    // A current entry wins over a retired one of the same name.
    if (!out[key] || (!out[key].current && entry.current)) out[key] = entry;
  }
  if (Object.keys(out).length === 0) throw malformed("Oracle's Cost Estimator shape data lists no shapes.");
  return out;
}

/** Reads the Cost Estimator's shapes (reference data: see provider.ts), from the override's origin when one is set. */
export async function readShapes(ctx: ProviderContext, override: string | undefined, signal: AbortSignal): Promise<EstimatorShapes> {
  const origin = override ?? OCI_ESTIMATOR_ORIGIN;
  const transport = ctx.http.transport({ origins: [new URL(origin).origin], expectJson: true });
  const response = await transport.run(`GET ${OCI_ESTIMATOR_SHAPES_PATH}`, () =>
    transport.fetch(`${origin}${OCI_ESTIMATOR_SHAPES_PATH}`, { method: 'GET', headers: { accept: 'application/json' }, signal }),
  );
  return readEstimatorShapes(await response.json());
}
