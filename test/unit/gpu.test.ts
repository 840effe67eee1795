import assert from 'node:assert/strict';
import { gpuKey, normalizeGpu } from '../../src/core/model/gpu';

/** Vast.ai reports `gpu_ram` in MB; providers divide by 1024 before calling normalizeGpu. */
const vastGb = (mb: number): number => mb / 1024;

describe('normalizeGpu: real names from each cloud → key', () => {
  const table: ReadonlyArray<readonly [source: string, name: string, memoryGb: number | undefined, key: string]> = [
    // Vast.ai gpu_name (+ gpu_ram)
    ['vast', 'RTX 4090', vastGb(24564), 'RTX-4090-24GB'],
    ['vast', 'RTX 3090', undefined, 'RTX-3090-24GB'],
    ['vast', 'RTX_3090', undefined, 'RTX-3090-24GB'],
    ['vast', 'H100 SXM', vastGb(81559), 'H100-SXM-80GB'],
    ['vast', 'H100 PCIE', vastGb(81559), 'H100-PCIe-80GB'],
    ['vast', 'H100 NVL', vastGb(95830), 'H100-NVL-94GB'],
    ['vast', 'H200', vastGb(143771), 'H200-141GB'],
    ['vast', 'H200 NVL', undefined, 'H200-NVL-141GB'],
    ['vast', 'A100 SXM4', vastGb(81920), 'A100-SXM-80GB'],
    ['vast', 'A100 SXM4', vastGb(40960), 'A100-SXM-40GB'],
    ['vast', 'A100 PCIE', vastGb(81920), 'A100-PCIe-80GB'],
    ['vast', 'RTX A6000', vastGb(49140), 'RTX-A6000-48GB'],
    ['vast', 'RTX 6000Ada', vastGb(49140), 'RTX-6000-ADA-48GB'],
    ['vast', 'RTX 4000Ada', undefined, 'RTX-4000-ADA-20GB'],
    ['vast', 'Tesla V100', vastGb(16384), 'V100-16GB'],
    ['vast', 'Tesla V100', vastGb(32768), 'V100-32GB'],
    ['vast', 'Tesla T4', undefined, 'T4-16GB'],
    ['vast', 'L40S', undefined, 'L40S-48GB'],
    ['vast', 'L40', undefined, 'L40-48GB'],
    ['vast', 'A40', undefined, 'A40-48GB'],
    ['vast', 'A10', undefined, 'A10-24GB'],
    ['vast', 'RTX 5090', vastGb(32607), 'RTX-5090-32GB'],
    ['vast', 'RTX 4080S', undefined, 'RTX-4080-SUPER-16GB'],
    ['vast', 'RTX 4070S Ti', undefined, 'RTX-4070-TI-SUPER-16GB'],
    ['vast', 'Q RTX 8000', undefined, 'RTX-8000-48GB'],
    ['vast', 'RTX PRO 6000 WS', vastGb(97887), 'RTX-PRO-6000-WS-96GB'],
    ['vast', 'RTX PRO 6000 S', undefined, 'RTX-PRO-6000-S-96GB'],
    ['vast', 'B200', undefined, 'B200-180GB'],
    // RunPod gpuTypes ids (+ memoryInGb)
    ['runpod', 'NVIDIA GeForce RTX 4090', 24, 'RTX-4090-24GB'],
    ['runpod', 'NVIDIA GeForce RTX 3090', 24, 'RTX-3090-24GB'],
    ['runpod', 'NVIDIA H100 80GB HBM3', 80, 'H100-SXM-80GB'],
    ['runpod', 'NVIDIA H100 PCIe', 80, 'H100-PCIe-80GB'],
    ['runpod', 'NVIDIA H100 NVL', 94, 'H100-NVL-94GB'],
    ['runpod', 'NVIDIA H200', 141, 'H200-141GB'],
    ['runpod', 'NVIDIA B200', 180, 'B200-180GB'],
    ['runpod', 'NVIDIA A100-SXM4-80GB', 80, 'A100-SXM-80GB'],
    ['runpod', 'NVIDIA A100 80GB PCIe', 80, 'A100-PCIe-80GB'],
    ['runpod', 'NVIDIA RTX A6000', 48, 'RTX-A6000-48GB'],
    ['runpod', 'NVIDIA RTX 6000 Ada Generation', 48, 'RTX-6000-ADA-48GB'],
    ['runpod', 'NVIDIA RTX 4000 SFF Ada Generation', 20, 'RTX-4000-SFF-ADA-20GB'],
    ['runpod', 'NVIDIA L40S', 48, 'L40S-48GB'],
    ['runpod', 'NVIDIA L4', 24, 'L4-24GB'],
    ['runpod', 'NVIDIA A40', 48, 'A40-48GB'],
    ['runpod', 'NVIDIA GeForce RTX 4080 SUPER', 16, 'RTX-4080-SUPER-16GB'],
    ['runpod', 'Tesla V100-SXM2-16GB', 16, 'V100-SXM-16GB'],
    ['runpod', 'Tesla V100-SXM2-32GB', undefined, 'V100-SXM-32GB'],
    ['runpod', 'Tesla V100-PCIE-16GB', 16, 'V100-PCIe-16GB'],
    ['runpod', 'Tesla V100-FHHL-16GB', 16, 'V100-FHHL-16GB'],
    ['runpod', 'AMD Instinct MI300X OAM', 192, 'MI300X-192GB'],
    // Google accelerator types
    ['gcp', 'nvidia-tesla-a100', undefined, 'A100-SXM-40GB'],
    ['gcp', 'nvidia-a100-80gb', undefined, 'A100-SXM-80GB'],
    ['gcp', 'nvidia-h100-80gb', undefined, 'H100-SXM-80GB'],
    ['gcp', 'nvidia-h100-mega-80gb', undefined, 'H100-SXM-80GB'],
    ['gcp', 'projects/P/zones/us-central1-a/acceleratorTypes/nvidia-tesla-a100', undefined, 'A100-SXM-40GB'],
    ['gcp', 'nvidia-l4', undefined, 'L4-24GB'],
    ['gcp', 'nvidia-tesla-t4', undefined, 'T4-16GB'],
    ['gcp', 'nvidia-tesla-v100', undefined, 'V100-16GB'],
    // Azure model names and VM sizes
    ['azure', 'A100', undefined, 'A100-40GB'],
    ['azure', 'Standard_ND96isr_H100_v5', undefined, 'H100-SXM-80GB'],
    ['azure', 'Standard_NC40ads_H100_v5', undefined, 'H100-NVL-94GB'],
    ['azure', 'Standard_NC24ads_A100_v4', undefined, 'A100-PCIe-80GB'],
    ['azure', 'Standard_ND96asr_v4', undefined, 'A100-SXM-40GB'],
    ['azure', 'Standard_ND96amsr_A100_v4', undefined, 'A100-SXM-80GB'],
    ['azure', 'Standard_NC4as_T4_v3', undefined, 'T4-16GB'],
    // OCI shapes and gpuDescription
    ['oci', 'BM.GPU.H100.8', undefined, 'H100-SXM-80GB'],
    ['oci', 'BM.GPU.A100-v2.8', undefined, 'A100-SXM-80GB'],
    ['oci', 'BM.GPU4.8', undefined, 'A100-SXM-40GB'],
    ['oci', 'VM.GPU.A10.1', undefined, 'A10-24GB'],
    ['oci', 'BM.GPU.B200.8', undefined, 'B200-180GB'],
    ['oci', 'BM.GPU.MI300X.8', undefined, 'MI300X-192GB'],
    ['oci', 'NVIDIA® A10', undefined, 'A10-24GB'],
    ['oci', 'AMD Instinct™ MI300X', undefined, 'MI300X-192GB'],
    ['oci', 'NVIDIA® A100 40GB', undefined, 'A100-40GB'],
    ['oci', 'VM.GPU.A100.80G.1', undefined, 'A100-80GB'],
    ['oci', 'BM.GPU.H100T.8', undefined, 'H100T'],
    // nvidia-smi --query-gpu=name,memory.total (MiB → GB)
    ['nvidia-smi', 'NVIDIA H200', 143771 / 1024, 'H200-141GB'],
    ['nvidia-smi', 'NVIDIA H100 80GB HBM3', 81559 / 1024, 'H100-SXM-80GB'],
    ['nvidia-smi', 'NVIDIA A100-PCIE-40GB', 40960 / 1024, 'A100-PCIe-40GB'],
    ['nvidia-smi', 'NVIDIA RTX PRO 6000 Blackwell Server Edition', 97887 / 1024, 'RTX-PRO-6000-S-96GB'],
    ['nvidia-smi', 'NVIDIA RTX PRO 6000 Blackwell Workstation Edition', 97886 / 1024, 'RTX-PRO-6000-WS-96GB'],
  ];
  for (const [source, name, memoryGb, key] of table) {
    const mem = memoryGb === undefined ? '' : ` + ${memoryGb.toFixed(2)} GB`;
    it(`${source}: ${JSON.stringify(name)}${mem} → ${key}`, () => {
      assert.equal(gpuKey(name, memoryGb), key);
      assert.equal(normalizeGpu(name, memoryGb).key, key);
    });
  }

  it('covers at least 30 real names', () => assert.ok(table.length >= 30));
});

describe('normalizeGpu: same card, different clouds', () => {
  const pairs: ReadonlyArray<readonly [a: readonly [string, number?], b: readonly [string, number?]]> = [
    [
      ['H100 SXM', vastGb(81559)],
      ['NVIDIA H100 80GB HBM3', 80],
    ],
    [['RTX 4090', vastGb(24564)], ['NVIDIA GeForce RTX 4090']],
    [['H100 PCIE', vastGb(81559)], ['NVIDIA H100 PCIe']],
    [['H100 NVL'], ['NVIDIA H100 NVL', 94]],
    [['A100 SXM4', vastGb(81920)], ['NVIDIA A100-SXM4-80GB']],
    [['A100 PCIE', vastGb(81920)], ['NVIDIA A100 80GB PCIe']],
    [['RTX 6000Ada'], ['NVIDIA RTX 6000 Ada Generation']],
    [['RTX A6000'], ['NVIDIA RTX A6000']],
    [['H200'], ['NVIDIA H200', 143771 / 1024]],
    [['nvidia-h100-80gb'], ['BM.GPU.H100.8']],
    [['Standard_ND96isr_H100_v5'], ['NVIDIA H100 80GB HBM3']],
    [['nvidia-tesla-a100'], ['Standard_ND96asr_v4']],
  ];
  for (const [[a, am], [b, bm]] of pairs) {
    it(`${JSON.stringify(a)} ≡ ${JSON.stringify(b)}`, () => assert.equal(gpuKey(a, am), gpuKey(b, bm)));
  }
});

describe('normalizeGpu: never compares unlike things', () => {
  it('H100 PCIe, SXM, NVL and bare H100 are four different keys', () => {
    const keys = ['NVIDIA H100 PCIe', 'NVIDIA H100 80GB HBM3', 'NVIDIA H100 NVL', 'H100'].map((n) => gpuKey(n));
    assert.deepEqual(keys, ['H100-PCIe-80GB', 'H100-SXM-80GB', 'H100-NVL-94GB', 'H100-80GB']);
  });

  it('a bare "H100" keeps no variant rather than guessing SXM or PCIe', () => {
    const g = normalizeGpu('H100', 80);
    assert.equal(g.variant, undefined);
    assert.equal(g.key, 'H100-80GB');
  });

  it('A100 SXM and PCIe differ, and so do 40 GB and 80 GB', () => {
    const keys = new Set([
      gpuKey('NVIDIA A100-SXM4-80GB'),
      gpuKey('A100 SXM4', 40),
      gpuKey('NVIDIA A100 80GB PCIe'),
      gpuKey('NVIDIA A100-PCIE-40GB'),
    ]);
    assert.equal(keys.size, 4);
  });

  it('H200 SXM is the default form; H200 NVL stays apart', () => {
    assert.equal(gpuKey('H200 SXM'), 'H200-141GB');
    assert.notEqual(gpuKey('H200 NVL'), gpuKey('NVIDIA H200'));
  });

  it('RTX 6000 Ada, RTX A6000 and Quadro RTX 6000 are three cards', () => {
    const keys = ['RTX 6000Ada', 'RTX A6000', 'Quadro RTX 6000'].map((n) => gpuKey(n));
    assert.deepEqual(keys, ['RTX-6000-ADA-48GB', 'RTX-A6000-48GB', 'RTX-6000-24GB']);
  });

  it('RTX 4080 and RTX 4080 SUPER differ', () => assert.notEqual(gpuKey('RTX 4080'), gpuKey('RTX 4080S')));
});

describe('normalizeGpu: memory', () => {
  const snaps: ReadonlyArray<readonly [string, number, number]> = [
    ['H100 SXM', 81559 / 1024, 80], // 79.6 GB
    ['RTX 4090', 23.99, 24],
    ['RTX 4090', 24564 / 1000, 24],
    ['A100 SXM4', 39.4, 40],
    ['A100 SXM4', 79.2, 80],
    ['H100 NVL', 96, 94], // 96 GB physical, 94 GB usable
    ['B200', 183359 / 1024, 180],
    ['B200', 192, 180], // within 8 % of 180
    ['RTX 3060', 11.76, 12],
    ['A100 PCIE', 60.4, 60], // nothing within 8 %: nearest GB
    ['Frobnicator X9', 12.3, 12],
  ];
  for (const [name, gb, want] of snaps) {
    it(`${name} @ ${gb.toFixed(2)} GB → ${want} GB`, () => assert.equal(normalizeGpu(name, gb).memoryGb, want));
  }

  it('the explicit memoryGb argument wins over the figure in the name', () => {
    assert.equal(gpuKey('NVIDIA A100-SXM4-80GB', 40), 'A100-SXM-40GB');
  });

  it('falls back to the size in the name, then to the model default', () => {
    assert.equal(normalizeGpu('Tesla V100-SXM2-32GB').memoryGb, 32);
    assert.equal(normalizeGpu('Tesla V100').memoryGb, 16);
    assert.equal(normalizeGpu('NVIDIA L40S').memoryGb, 48);
  });

  it('ignores unusable memory arguments', () => {
    for (const bad of [0, -8, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(gpuKey('RTX 4090', bad), 'RTX-4090-24GB');
  });

  it('a superchip total in the name ("GH200 480GB") does not become the GPU memory', () => {
    assert.equal(gpuKey('NVIDIA GH200 480GB'), 'GH200-96GB');
  });
});

describe('normalizeGpu: unknown names and identity fields', () => {
  it('unknown names give a stable, non-empty key and never throw', () => {
    assert.equal(gpuKey('Frobnicator x9'), 'FROBNICATOR-X9');
    assert.equal(gpuKey('frobnicator-X9', 12), gpuKey('FROBNICATOR X9', 12.2));
    for (const odd of ['', '   ', '---', 'NVIDIA', '80GB', '™']) {
      const key = gpuKey(odd);
      assert.ok(key.length > 0, `key for ${JSON.stringify(odd)}`);
      assert.equal(gpuKey(odd), key);
    }
    assert.equal(gpuKey(undefined as unknown as string), 'UNKNOWN');
  });

  it('fills model, variant, memory, vendor and a readable displayName', () => {
    assert.deepEqual(normalizeGpu('NVIDIA H100 80GB HBM3'), {
      key: 'H100-SXM-80GB',
      model: 'H100',
      variant: 'SXM',
      memoryGb: 80,
      vendor: 'NVIDIA',
      displayName: 'H100 SXM 80 GB',
    });
    assert.deepEqual(normalizeGpu('RTX 6000Ada'), {
      key: 'RTX-6000-ADA-48GB',
      model: 'RTX 6000 Ada',
      memoryGb: 48,
      vendor: 'NVIDIA',
      displayName: 'RTX 6000 Ada 48 GB',
    });
    assert.equal(normalizeGpu('NVIDIA H100 PCIe').displayName, 'H100 PCIe 80 GB');
    assert.equal(normalizeGpu('RTX 4070S Ti').displayName, 'RTX 4070 Ti SUPER 16 GB');
  });

  it('knows the vendor', () => {
    assert.equal(normalizeGpu('AMD Instinct MI300X OAM').vendor, 'AMD');
    assert.equal(normalizeGpu('Gaudi 2').vendor, 'Intel');
    assert.equal(normalizeGpu('NVIDIA Foo 9000').vendor, 'NVIDIA');
    assert.equal(normalizeGpu('Frobnicator X9').vendor, 'other');
  });
});
