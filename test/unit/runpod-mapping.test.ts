// RunPod wire → model mapping and runpodctl's key file, without a network.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudtopError } from '../../src/core/errors/errors';
import { parseRateLimit, unwrapList, type WireGpuType, type WirePod } from '../../src/providers/runpod/api';
import { readRunpodCliKey, tomlTopLevelString, yamlTopLevelString } from '../../src/providers/runpod/credentials';
import { mapEndpoint } from '../../src/providers/runpod/serverless';
import { catalogMemory, mapAvailability, mapGpuOffers } from '../../src/providers/runpod/offers';
import { mapPod, parseUsd, podMetrics, podStatus } from '../../src/providers/runpod/pods';
import { mapNetworkVolume, networkVolumePerHour, stoppedPodStoragePerHour } from '../../src/providers/runpod/volumes';

/** A `config` refusal naming the file and saying why. */
const refused = (file: string, why: RegExp) => (e: unknown) =>
  e instanceof CloudtopError && e.category === 'config' && e.message.includes(file) && why.test(e.message);

const ctx = { account: 'acct', gpuMemory: new Map<string, number>() };

function pod(overrides: Partial<WirePod> = {}): WirePod {
  return { id: 'p1', name: 'pod one', status: 'RUNNING', gpu: { id: 'NVIDIA GeForce RTX 4090', count: 1 }, cost: 0.44, ...overrides };
}

describe('RunPod storage prices (runpod/docs pods/pricing.mdx)', () => {
  const perHour = (usdPerMonth: number) => usdPerMonth / 730;

  it('prices a pod’s volume disk at $0.20/GB/month while stopped, and nothing for a network mount or a terminated pod', () => {
    assert.equal(stoppedPodStoragePerHour({ status: 'EXITED', mounts: { persistent: { size: 50 } } }), perHour(50 * 0.2));
    assert.equal(
      stoppedPodStoragePerHour({ status: 'RUNNING', mounts: { persistent: { size: 20 } } }),
      perHour(20 * 0.2),
      'what it would cost once stopped',
    );
    assert.equal(stoppedPodStoragePerHour({ status: 'TERMINATED', mounts: { persistent: { size: 50 } } }), undefined);
    assert.equal(stoppedPodStoragePerHour({ status: 'EXITED', mounts: { network: [{ volumeId: 'v1' }] } }), undefined);
    assert.equal(stoppedPodStoragePerHour({ status: 'EXITED' }), undefined);
  });

  it('prices standard network volumes at $0.07/GB/month up to 1 TB and $0.05 beyond; high-performance has no published price', () => {
    assert.equal(networkVolumePerHour({ size: 100, type: 'STANDARD' }), perHour(100 * 0.07));
    assert.equal(networkVolumePerHour({ size: 2048, type: 'STANDARD' }), perHour(1000 * 0.07 + 1048 * 0.05));
    assert.equal(networkVolumePerHour({ size: 100, type: 'HIGH_PERFORMANCE' }), undefined);
    assert.equal(networkVolumePerHour({ type: 'STANDARD' }), undefined);
    const hp = mapNetworkVolume({ id: 'v2', size: 10, type: 'HIGH_PERFORMANCE' }, '', 1);
    assert.deepEqual(
      [hp.kind, hp.name, hp.pricePerHour, hp.details!.tier, hp.details!.attachedPods],
      ['volume', 'v2', undefined, 'high-performance', 1],
    );
  });

  it('names a member pod’s cluster, by id when the cluster list did not name it', () => {
    const member = pod({ cluster: { id: 'cluster_abc', rank: 1, role: 'RAY_WORKER' } });
    assert.equal(mapPod(member, { ...ctx, clusterNames: new Map([['cluster_abc', 'train-01']]) }).note, 'cluster train-01');
    const byId = mapPod(member, ctx);
    assert.deepEqual(
      [byId.note, byId.details!.clusterId, byId.details!.clusterRank, byId.details!.clusterRole],
      ['cluster cluster_abc', 'cluster_abc', 1, 'RAY_WORKER'],
    );
    assert.equal(mapPod(pod(), ctx).note, undefined, 'a standalone pod has no cluster note');
  });
});

describe('RunPod mapping', () => {
  it('maps every v2 pod status, keeping unknown words as unknown', () => {
    assert.deepEqual(
      ['PROVISIONING', 'STARTING', 'RUNNING', 'EXITED', 'ERROR', 'TERMINATED', 'running', 'PAUSED', undefined, 7].map(podStatus),
      ['starting', 'starting', 'running', 'stopped', 'error', 'stopped', 'running', 'unknown', 'unknown', 'unknown'],
    );
  });

  it('parses cost as a number or a numeric string and refuses anything else', () => {
    assert.deepEqual([0.44, '0.74', ' 3 ', 0, '0', '', 'n/a', '1e3', '-1', -1, null, undefined, NaN, Infinity, '0x10'].map(parseUsd), [
      0.44,
      0.74,
      3,
      0,
      0,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('prices running pods (cost 0 included) and never prices a stopped pod from its 0 cost', () => {
    assert.equal(mapPod(pod({ cost: '1.5' }), ctx).pricePerHour, 1.5);
    assert.equal(mapPod(pod({ cost: 0 }), ctx).pricePerHour, 0);
    assert.equal(mapPod(pod({ status: 'EXITED', cost: 0 }), ctx).pricePerHour, undefined);
    assert.equal(mapPod(pod({ status: 'STARTING', cost: 0.44 }), ctx).pricePerHour, 0.44);
    assert.equal(mapPod(pod({ cost: 'free' }), ctx).pricePerHour, undefined);
  });

  it('normalizes the GPU with the catalog memory when it has one, else the name, and defaults count to 1', () => {
    assert.deepEqual(mapPod(pod({ gpu: { id: 'NVIDIA H100 80GB HBM3', count: 8 } }), ctx).gpu, {
      key: 'H100-SXM-80GB',
      model: 'NVIDIA H100 80GB HBM3',
      count: 8,
      memoryGb: 80,
    });
    assert.deepEqual(mapPod(pod({ gpu: { id: 'NVIDIA B300' } }), ctx).gpu, { key: 'B300', model: 'NVIDIA B300', count: 1 });
    const withCatalog = { ...ctx, gpuMemory: new Map([['NVIDIA B300', 288]]) };
    assert.deepEqual(mapPod(pod({ gpu: { id: 'NVIDIA B300', count: 2 } }), withCatalog).gpu, {
      key: 'B300-288GB',
      model: 'NVIDIA B300',
      count: 2,
      memoryGb: 288,
    });
    const cpuPod = mapPod(pod({ gpu: undefined, cpu: { id: 'cpu5c', vcpuCount: 8, memory: 16 } }), ctx);
    assert.equal(cpuPod.gpu, undefined);
    assert.equal(cpuPod.kind, 'instance');
    assert.deepEqual(cpuPod.details, { cpuFlavor: 'cpu5c', vcpus: 8, memoryGb: 16 });
  });

  it('takes SSH from ssh.direct, else from the runtime mapping of private 22/tcp, else none', () => {
    const direct = { host: '195.26.233.3', port: 34446, username: 'root', command: 'ssh root@195.26.233.3 -p 34446' };
    assert.deepEqual(mapPod(pod({ ssh: { proxy: null, direct } }), ctx).ssh, { host: '195.26.233.3', port: 34446, user: 'root' });
    const ports = [
      { private: 8888, public: 60141, type: 'http', ip: '100.65.0.101' },
      { private: 22, public: null, type: 'tcp', ip: '1.2.3.4' },
      { private: 22, public: 40022, type: 'TCP', ip: '203.0.113.7' },
    ];
    assert.deepEqual(mapPod(pod({ ssh: { proxy: null, direct: null }, runtime: { ports } }), ctx).ssh, {
      host: '203.0.113.7',
      port: 40022,
      user: 'root',
    });
    assert.equal(mapPod(pod({ runtime: { ports: [{ private: 22, public: 40022, type: 'udp', ip: '1.2.3.4' }] } }), ctx).ssh, undefined);
    assert.equal(mapPod(pod({ ssh: { direct: { host: '', port: 22 } } }), ctx).ssh, undefined);
    assert.equal(mapPod(pod({ ssh: { direct: { host: 'h', port: 70000 } } }), ctx).ssh, undefined);
  });

  it('keeps ids, falls back to the id for a missing name, and links the console', () => {
    const r = mapPod(pod({ id: 'a/b?c', name: null, dataCenterId: '' }), ctx);
    assert.equal(r.name, 'a/b?c');
    assert.equal(r.region, undefined);
    assert.equal(r.account, 'acct');
    assert.equal(r.consoleUrl, 'https://console.runpod.io/pods?id=a%2Fb%3Fc');
  });

  it('derives metrics only from a RUNNING pod’s runtime: GPU stats across GPUs, single values avg = max = min', () => {
    assert.equal(podMetrics({ status: 'RUNNING', runtime: null }), undefined);
    assert.equal(podMetrics({ status: 'EXITED', runtime: { cpu: { util: 5 } } }), undefined, 'a stale runtime is ignored');
    assert.equal(podMetrics({ status: 'RUNNING', runtime: { uptime: 5, gpus: [] } }), undefined, 'no values → no metrics');
    assert.deepEqual(
      podMetrics({ status: 'RUNNING', runtime: { gpus: [{ util: 10, memoryUtil: 20 }, { util: 30 }, { util: 140, memoryUtil: -5 }] } }),
      {
        gpu: { utilizationPercent: { avg: 140 / 3, max: 100, min: 10 }, memoryPercent: { avg: 10, max: 20, min: 0 } },
      },
    );
    assert.deepEqual(podMetrics({ status: 'RUNNING', runtime: { cpu: { util: 7 }, memory: {}, gpus: [{ util: 0, memoryUtil: 0 }] } }), {
      compute: { cpuPercent: { avg: 7, max: 7, min: 7 } },
      gpu: { utilizationPercent: { avg: 0, max: 0, min: 0 }, memoryPercent: { avg: 0, max: 0, min: 0 } },
    });
  });

  it('maps a Serverless endpoint: worker bounds, pools, scaling, paused when max is 0', () => {
    const r = mapEndpoint(
      {
        id: 'ep1',
        name: 'sdxl',
        type: 'QUEUE',
        gpu: { pools: ['ADA_24', 'AMPERE_24'], count: 2 },
        workers: { min: 1, max: 5, idleTimeout: 5 },
        scaling: { type: 'QUEUE_DELAY', queueDelay: 4 },
        dataCenterIds: ['US-KS-2'],
        timeout: 300000,
        flashboot: 'FLASHBOOT',
        createdAt: '2026-06-01T12:00:00Z',
      },
      'acct',
    );
    assert.deepEqual(r, {
      id: 'ep1',
      cloud: 'runpod',
      account: 'acct',
      kind: 'endpoint',
      service: 'Serverless',
      name: 'sdxl',
      region: 'US-KS-2',
      status: 'running',
      createdAt: '2026-06-01T12:00:00Z',
      consoleUrl: 'https://console.runpod.io/serverless/user/endpoint/ep1',
      details: {
        type: 'QUEUE',
        workersMin: 1,
        workersMax: 5,
        idleTimeoutSec: 5,
        scaling: 'QUEUE_DELAY 4',
        gpuPools: 'ADA_24, AMPERE_24',
        gpusPerWorker: 2,
        timeoutMs: 300000,
        flashboot: 'FLASHBOOT',
      },
    });
    const paused = mapEndpoint(
      { id: 'ep2', workers: { min: 0, max: 0 }, scaling: { type: 'REQUEST_COUNT', requestCount: 10 }, dataCenterIds: ['A', 'B'] },
      '',
    );
    assert.equal(paused.status, 'stopped');
    assert.equal(paused.name, 'ep2');
    assert.equal(paused.region, undefined);
    assert.equal(paused.details!.dataCenters, 'A, B');
    assert.equal(paused.details!.scaling, 'REQUEST_COUNT 10');
  });

  it('turns the catalog into per-tier on-demand offers per GPU-hour, cheapest first, skipping tiers not sold', () => {
    const gpus: WireGpuType[] = [
      {
        id: 'NVIDIA GeForce RTX 4090',
        name: 'RTX 4090',
        memory: 24,
        secure: true,
        community: true,
        price: { secure: 0.59, community: 0.34, serverless: 1.1 },
        availability: 'HIGH',
      },
      {
        id: 'NVIDIA H100 80GB HBM3',
        name: 'H100 SXM',
        memory: 80,
        secure: true,
        community: false,
        price: { secure: 2.69, community: 0 },
        availability: 'LOW',
      },
      { id: 'NVIDIA B300', name: '', memory: 288, secure: false, community: true, price: { secure: 5.99, community: 4.5 } },
      {
        id: 'NVIDIA L4',
        name: 'L4',
        memory: 24,
        secure: true,
        community: true,
        price: { secure: 0, community: 0.3 },
        availability: 'SOLD_OUT',
      },
    ];
    const community = gpus.map((g) => ({ ...g, availability: g.id === 'NVIDIA GeForce RTX 4090' ? 'NONE' : g.availability }));
    const offers = mapGpuOffers({ SECURE: gpus, COMMUNITY: community }, '2026-11-01T12:00:00.000Z');
    assert.deepEqual(
      offers.map((o) => [o.gpuKey, o.gpuName, o.tier, o.pricePerGpuHour, o.availability]),
      [
        ['L4-24GB', 'L4', 'Community Cloud', 0.3, 'unknown'],
        ['RTX-4090-24GB', 'RTX 4090', 'Community Cloud', 0.34, 'none'],
        ['RTX-4090-24GB', 'RTX 4090', 'Secure Cloud', 0.59, 'high'],
        ['H100-SXM-80GB', 'H100 SXM', 'Secure Cloud', 2.69, 'low'],
        ['B300-288GB', 'NVIDIA B300', 'Community Cloud', 4.5, 'unknown'],
      ],
    );
    assert.ok(
      offers.every(
        (o) => o.pricing === 'on-demand' && o.gpuCount === 1 && o.cloud === 'runpod' && o.fetchedAt === '2026-11-01T12:00:00.000Z',
      ),
    );
    assert.deepEqual(
      [...catalogMemory(gpus)],
      [
        ['NVIDIA GeForce RTX 4090', 24],
        ['NVIDIA H100 80GB HBM3', 80],
        ['NVIDIA B300', 288],
        ['NVIDIA L4', 24],
      ],
    );
    assert.deepEqual(['HIGH', 'medium', 'LOW', 'NONE', 'x', undefined].map(mapAvailability), [
      'high',
      'medium',
      'low',
      'none',
      'unknown',
      'unknown',
    ]);
  });

  it('unwraps v2 lists and names a v1 bare array as a configuration error', () => {
    assert.deepEqual(unwrapList({ pods: [{ id: 'a' }, null, 3] }, 'pods', 'GET /pods'), [{ id: 'a' }]);
    assert.throws(
      () => unwrapList([], 'pods', 'GET /pods'),
      (e: unknown) => e instanceof CloudtopError && e.category === 'config' && /REST v1/.test(e.message),
    );
    assert.throws(
      () => unwrapList({ items: [] }, 'pods', 'GET /pods'),
      (e: unknown) => e instanceof CloudtopError && e.category === 'unknown',
    );
    assert.throws(() => unwrapList(undefined, 'pods', 'GET /pods'), CloudtopError);
  });

  it('parses the RateLimit header', () => {
    assert.deepEqual(parseRateLimit('"minute";r=0;t=12, "hour";r=2800;t=1812, "day";r=49500'), [
      { window: 'minute', remaining: 0, resetSec: 12 },
      { window: 'hour', remaining: 2800, resetSec: 1812 },
      { window: 'day', remaining: 49500 },
    ]);
    assert.deepEqual(parseRateLimit(undefined), []);
    assert.deepEqual(parseRateLimit('garbage, "x";t=3'), []);
  });
});

describe('runpodctl key file', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'cloudtop-runpodctl-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });
  const toml = async (text: string) => {
    await mkdir(join(home, '.runpod'), { recursive: true });
    await writeFile(join(home, '.runpod', 'config.toml'), text);
  };

  it('reads apikey from ~/.runpod/config.toml as runpodctl (viper + go-toml v2) writes it', async () => {
    await toml("apikey = 'rpa_ABC123'\napiurl = 'https://api.runpod.io/graphql'\n");
    assert.deepEqual(await readRunpodCliKey({ HOME: home }), { apiKey: 'rpa_ABC123' });
  });

  it('reads hand-written forms: apiKey, double quotes with escapes, comments, CRLF, BOM', async () => {
    await toml('\uFEFF# runpodctl\r\napiUrl = "https://x"\r\n  apiKey = "rpa_\\u0041BC" # mine\r\n');
    assert.deepEqual(await readRunpodCliKey({ HOME: home }), { apiKey: 'rpa_ABC' });
  });

  it('ignores a key inside a table and falls back to the legacy ~/.runpod.yaml', async () => {
    await toml("[profile]\napikey = 'not-top-level'\n");
    await writeFile(join(home, '.runpod.yaml'), 'apiurl: https://api.runpod.io/graphql\napikey: rpa_LEGACY # old\n');
    assert.deepEqual(await readRunpodCliKey({ HOME: home }), { apiKey: 'rpa_LEGACY' });
  });

  it('prefers config.toml over the legacy YAML file', async () => {
    await toml("apikey = 'rpa_NEW'\n");
    await writeFile(join(home, '.runpod.yaml'), 'apikey: rpa_OLD\n');
    assert.deepEqual(await readRunpodCliKey({ HOME: home }), { apiKey: 'rpa_NEW' });
  });

  it('honours USERPROFILE when HOME is unset (Windows)', async () => {
    await toml("apikey = 'rpa_WIN'\n");
    assert.deepEqual(await readRunpodCliKey({ USERPROFILE: home }), { apiKey: 'rpa_WIN' });
  });

  it('returns undefined for missing, empty or unparseable files; refuses an oversized file or a directory naming it', async () => {
    assert.equal(await readRunpodCliKey({ HOME: home }), undefined, 'no files');
    assert.equal(await readRunpodCliKey({}), undefined, 'no HOME');
    await toml("apikey = ''\n");
    assert.equal(await readRunpodCliKey({ HOME: home }), undefined, 'empty');
    await toml('apikey = rpa_unquoted\n');
    assert.equal(await readRunpodCliKey({ HOME: home }), undefined, 'not a TOML string');
    await toml("apikey = 'unterminated\n");
    assert.equal(await readRunpodCliKey({ HOME: home }), undefined, 'unterminated');
    await toml(`apikey = 'rpa_BIG'\n# ${'x'.repeat(70_000)}\n`);
    await assert.rejects(readRunpodCliKey({ HOME: home }), refused('config.toml', /larger than 64 KiB/), 'oversized');
    await rm(join(home, '.runpod'), { recursive: true });
    await mkdir(join(home, '.runpod', 'config.toml'), { recursive: true });
    await writeFile(join(home, '.runpod.yaml'), 'apikey: ~\n');
    await assert.rejects(readRunpodCliKey({ HOME: home }), refused('config.toml', /is a directory/), 'a directory');
    await rm(join(home, '.runpod'), { recursive: true });
    assert.equal(await readRunpodCliKey({ HOME: home }), undefined, 'a YAML null');
  });

  it('parses the top-level strings of both formats', () => {
    assert.equal(tomlTopLevelString('"apikey" = \'q\'', 'apikey'), 'q');
    assert.equal(tomlTopLevelString("other = 'x'\napikey='y'", 'apikey'), 'y');
    assert.equal(yamlTopLevelString("apikey: 'it''s'", 'apikey'), "it's");
    assert.equal(yamlTopLevelString('apikey: "a\\"b"', 'apikey'), 'a"b');
    assert.equal(yamlTopLevelString('nested:\n  apikey: x', 'apikey'), undefined);
  });
});
