// The FALLBACK shape -> price-list part table, used only when Oracle's own shape data (its Cost Estimator's
// shapes.json, estimator.ts) cannot be read and no earlier copy is kept; the reference warning then says so.
// OCI GPU shape -> price-list part number. Oracle's public price list
// (GET https://apexapps.oracle.com/pls/apex/cetools/api/v1/products/?currencyCode=USD) names no shapes: a GPU
// item is a part number billed "GPU Per Hour" ("Compute - GPU - A10", "OCI - Compute - GPU - H100", ...), so
// pricing a shape Compute reports means knowing which part it bills under. Oracle publishes that link only in the
// JSON behind its Cost Estimator (shapes.json, `products[].partNumber`), which public catalogue tools read or
// snapshot. This table holds the links those sources show, and nothing else: a shape is here only if a source
// ties that shape (or its shape family) to the part number. Whole-shape price = part's price x `gpus`.
//
// Sources (seen 2026-12-03):
//  [okit]  oracle/oci-designer-toolkit @ d633dc6b67a0a9fc2614bf384accc03c4d478e33 (2026-02-11), files last
//          touched in 1967a507919307af9e9dbd4f228e1cdeead69087:
//          okitclassic/okitserver/static/okit/json/bom/shapes.json   (a Cost Estimator shapes.json snapshot)
//          okitclassic/okitserver/static/okit/json/bom/sku_map.json  (shape -> part map)
//          okitclassic/okitserver/static/okit/json/bom/prices.json   (price snapshot, buildDate 2023-11-02)
//  [sky]   skypilot-org/skypilot @ 14cffac437b10b86e3b6c21b82eacc08288bd259:
//          tests/unit_tests/test_oci_catalog_fetcher.py (estimator fixtures with real part numbers; its prices
//          are test values). Its fetcher, sky/catalog/data_fetchers/fetch_oci.py, reads shapes.json live and
//          keeps no table; neither does dstackai/gpuhunt src/gpuhunt/providers/oci.py (also reads shapes.json).
//  [index] third-party code in the public code index whose repository the index does not name (a TypeScript
//          shape-family -> part table, a Go shape -> part map, and price-list excerpts that pair these part
//          numbers with their display names). Weaker than [okit]/[sky]; re-check against a live shapes.json.
//
// Not included because no source ties a shape to a part: BM.GPU.B200.8 (the list has B110978 "Compute - GPU -
// B200"), BM.GPU.H100T.8 (B109480 "Compute - GPU - H100T"), BM.GPU.L40S-NC.4, BM.GPU.MI300X-NC.8, VM.GPU.A100.*.
// SDK-free and import-free: the catalogue and tests import it.

export interface OciShapePart {
  /** Shape name exactly as Compute reports it, e.g. 'BM.GPU.H100.8'. */
  readonly shape: string;
  /** The price list's part number of the per-GPU-hour item. */
  readonly partNumber: string;
  /** GPUs in the shape (bare metal / fixed VM shapes). */
  readonly gpus: number;
  /** GPU as the public docs name it, e.g. 'NVIDIA A100 80GB' — what the GPU-name normalizer should read. */
  readonly gpuName: string;
  /** Memory per GPU in GB. */
  readonly gpuMemoryGb: number;
}

export const OCI_SHAPE_PARTS: readonly OciShapePart[] = [
  // Pascal P100. [okit] shapes.json + sku_map.json. B88518 "Compute - Virtual Machine GPU Standard - X7",
  // B88517 "Compute - Bare Metal GPU Standard - X7"; both USD 1.275 per GPU-hour in [okit] prices.json.
  { shape: 'VM.GPU2.1', partNumber: 'B88518', gpus: 1, gpuName: 'NVIDIA Tesla P100', gpuMemoryGb: 16 },
  { shape: 'BM.GPU2.2', partNumber: 'B88517', gpus: 2, gpuName: 'NVIDIA Tesla P100', gpuMemoryGb: 16 },
  // Volta V100. [okit] shapes.json + sku_map.json (all four); [sky] for VM.GPU3.1. B89734 "Compute - GPU
  // Standard - V2"; USD 2.95 per GPU-hour in [okit] prices.json.
  { shape: 'VM.GPU3.1', partNumber: 'B89734', gpus: 1, gpuName: 'NVIDIA Tesla V100', gpuMemoryGb: 16 },
  { shape: 'VM.GPU3.2', partNumber: 'B89734', gpus: 2, gpuName: 'NVIDIA Tesla V100', gpuMemoryGb: 16 },
  { shape: 'VM.GPU3.4', partNumber: 'B89734', gpus: 4, gpuName: 'NVIDIA Tesla V100', gpuMemoryGb: 16 },
  { shape: 'BM.GPU3.8', partNumber: 'B89734', gpus: 8, gpuName: 'NVIDIA Tesla V100', gpuMemoryGb: 16 },
  // A100 40 GB. [okit] shapes.json + sku_map.json. B92740 (the AMD E3-host generation, "Compute - GPU - E3");
  // USD 3.05 per GPU-hour in [okit] prices.json.
  { shape: 'BM.GPU4.8', partNumber: 'B92740', gpus: 8, gpuName: 'NVIDIA A100 40GB', gpuMemoryGb: 40 },
  // A100 80 GB. [index] (shape-family table and Go shape map). B95907 "Compute - GPU - A100 - v2"; USD 4.00
  // per GPU-hour in [okit] prices.json (which lists the part but maps no shape to it).
  { shape: 'BM.GPU.A100-v2.8', partNumber: 'B95907', gpus: 8, gpuName: 'NVIDIA A100 80GB', gpuMemoryGb: 80 },
  // A10. [index] (Go shape map for the VM shapes; the family table for all three). B95909 "Compute - GPU - A10";
  // USD 2.00 per GPU-hour in [okit] prices.json (part listed, no shape mapped).
  { shape: 'VM.GPU.A10.1', partNumber: 'B95909', gpus: 1, gpuName: 'NVIDIA A10', gpuMemoryGb: 24 },
  { shape: 'VM.GPU.A10.2', partNumber: 'B95909', gpus: 2, gpuName: 'NVIDIA A10', gpuMemoryGb: 24 },
  { shape: 'BM.GPU.A10.4', partNumber: 'B95909', gpus: 4, gpuName: 'NVIDIA A10', gpuMemoryGb: 24 },
  // H100. [okit] sku_map.json and [sky]. B98415 "OCI - Compute - GPU - H100"; USD 10.00 per GPU-hour in
  // [okit] prices.json.
  { shape: 'BM.GPU.H100.8', partNumber: 'B98415', gpus: 8, gpuName: 'NVIDIA H100 80GB', gpuMemoryGb: 80 },
  // H200. [index] (shape-family table). B110519 "OCI - Compute - GPU - H200" (USD 10.00 in [index] excerpts).
  { shape: 'BM.GPU.H200.8', partNumber: 'B110519', gpus: 8, gpuName: 'NVIDIA H200 141GB', gpuMemoryGb: 141 },
  // L40S. [index] (shape-family table). B109479 "Compute - GPU - L40S" (USD 3.50 in [index] excerpts).
  { shape: 'BM.GPU.L40S.4', partNumber: 'B109479', gpus: 4, gpuName: 'NVIDIA L40S', gpuMemoryGb: 48 },
  // MI300X. [sky]. B109485 "OCI - Compute - GPU - MI300X" (USD 6.00 in [index] excerpts and [sky]'s fixture).
  { shape: 'BM.GPU.MI300X.8', partNumber: 'B109485', gpus: 8, gpuName: 'AMD Instinct MI300X', gpuMemoryGb: 192 },
  // GB200. [sky] (the estimator calls it 'BM.GPU.GB200.4 (NVL72)'; Compute's name has no suffix). B110979.
  // Per-GPU memory as sky/catalog/data_fetchers/fetch_oci.py GPU_MEMORY_GB has it (192; NVIDIA's NVL72 figure
  // is 186).
  { shape: 'BM.GPU.GB200.4', partNumber: 'B110979', gpus: 4, gpuName: 'NVIDIA GB200', gpuMemoryGb: 192 },
];

const BY_SHAPE: ReadonlyMap<string, OciShapePart> = new Map(OCI_SHAPE_PARTS.map((entry) => [entry.shape, entry]));

/** The entry for a shape name (exact match, case-sensitive as OCI spells them), else undefined. */
export function shapePart(shape: string): OciShapePart | undefined {
  return BY_SHAPE.get(shape);
}
