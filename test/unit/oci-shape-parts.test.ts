// The OCI shape -> price-list part table: one entry per shape, part numbers in the price list's form, the links
// the public sources show (oci-designer-toolkit's estimator snapshot, SkyPilot's fetcher fixtures), and names the
// GPU normalizer reads back with the table's memory.
import assert from 'node:assert/strict';
import { normalizeGpu } from '../../src/core/model/gpu';
import { OCI_SHAPE_PARTS, shapePart } from '../../src/providers/oci/shape-parts';

describe('OCI shape parts', () => {
  it('lists every shape once', () => {
    const seen = new Set<string>();
    for (const entry of OCI_SHAPE_PARTS) {
      assert.ok(!seen.has(entry.shape), `${entry.shape} appears more than once`);
      seen.add(entry.shape);
    }
    assert.ok(OCI_SHAPE_PARTS.length > 0, 'the table is empty');
  });

  it("uses part numbers in the price list's form and sane counts", () => {
    for (const entry of OCI_SHAPE_PARTS) {
      assert.ok(/^B\d{5,6}$/.test(entry.partNumber), `${entry.shape}: part number ${entry.partNumber} is not B + 5-6 digits`);
      assert.ok(/^(BM|VM)\.GPU/.test(entry.shape), `${entry.shape} is not a GPU shape name`);
      assert.ok(Number.isInteger(entry.gpus) && entry.gpus > 0, `${entry.shape}: GPU count ${entry.gpus} is not a positive integer`);
      assert.ok(entry.gpuMemoryGb > 0, `${entry.shape}: GPU memory ${entry.gpuMemoryGb} is not positive`);
    }
  });

  it("takes the GPU count from the shape name's last segment", () => {
    for (const entry of OCI_SHAPE_PARTS) {
      const last = Number(entry.shape.split('.').pop());
      assert.equal(entry.gpus, last, `${entry.shape}: ${entry.gpus} GPUs but the name says ${last}`);
    }
  });

  it('keeps A100 40 GB and A100 80 GB on different parts', () => {
    const a100_40 = shapePart('BM.GPU4.8');
    const a100_80 = shapePart('BM.GPU.A100-v2.8');
    assert.ok(a100_40, 'BM.GPU4.8 is missing');
    assert.ok(a100_80, 'BM.GPU.A100-v2.8 is missing');
    assert.notEqual(a100_40.partNumber, a100_80.partNumber);
    assert.equal(a100_40.partNumber, 'B92740');
    assert.equal(a100_80.partNumber, 'B95907');
    assert.equal(a100_40.gpuMemoryGb, 40);
    assert.equal(a100_80.gpuMemoryGb, 80);
  });

  it('finds the shapes the sources name, by exact name', () => {
    const expected: ReadonlyArray<readonly [shape: string, part: string, gpus: number]> = [
      ['VM.GPU2.1', 'B88518', 1],
      ['BM.GPU2.2', 'B88517', 2],
      ['VM.GPU3.1', 'B89734', 1],
      ['VM.GPU3.2', 'B89734', 2],
      ['VM.GPU3.4', 'B89734', 4],
      ['BM.GPU3.8', 'B89734', 8],
      ['VM.GPU.A10.1', 'B95909', 1],
      ['VM.GPU.A10.2', 'B95909', 2],
      ['BM.GPU.A10.4', 'B95909', 4],
      ['BM.GPU.H100.8', 'B98415', 8],
      ['BM.GPU.H200.8', 'B110519', 8],
      ['BM.GPU.L40S.4', 'B109479', 4],
      ['BM.GPU.MI300X.8', 'B109485', 8],
      ['BM.GPU.GB200.4', 'B110979', 4],
    ];
    for (const [shape, part, gpus] of expected) {
      const entry = shapePart(shape);
      assert.ok(entry, `${shape} is missing`);
      assert.equal(entry.partNumber, part, `${shape}: part number`);
      assert.equal(entry.gpus, gpus, `${shape}: GPU count`);
    }
    assert.equal(shapePart('BM.GPU.H100.8')?.gpuName, 'NVIDIA H100 80GB');
  });

  it('matches exactly: other spellings and unknown shapes are undefined', () => {
    assert.equal(shapePart('bm.gpu.h100.8'), undefined);
    assert.equal(shapePart(' BM.GPU.H100.8'), undefined);
    assert.equal(shapePart('BM.GPU.GB200.4 (NVL72)'), undefined);
    assert.equal(shapePart('VM.Standard.E4.Flex'), undefined);
    assert.equal(shapePart(''), undefined);
  });

  it("names GPUs the normalizer reads with the table's memory and vendor", () => {
    for (const entry of OCI_SHAPE_PARTS) {
      const gpu = normalizeGpu(entry.gpuName, entry.gpuMemoryGb);
      assert.equal(gpu.memoryGb, entry.gpuMemoryGb, `${entry.shape}: ${entry.gpuName} normalizes to ${gpu.memoryGb} GB`);
      assert.ok(gpu.key.endsWith(`-${entry.gpuMemoryGb}GB`), `${entry.shape}: key ${gpu.key} does not carry ${entry.gpuMemoryGb}GB`);
      assert.equal(gpu.vendor, entry.gpuName.startsWith('AMD') ? 'AMD' : 'NVIDIA', `${entry.shape}: vendor`);
    }
  });
});
