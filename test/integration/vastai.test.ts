// The Vast.ai provider through its real HTTP paths — catalogue entry, credential resolver, collector, limiter,
// retry, undici — against the simulated Vast.ai, beside a second cloud that must never be affected.
import { testReference } from '../support/reference';
import { listedResources } from '../../src/core/engine/provider';
import assert from 'node:assert/strict';
import { createHttpClient } from '../../src/core/transport/http';
import { silentLogger } from '../../src/core/model/log';
import type { Resource } from '../../src/core/model/model';
import type { RateLimitConfig } from '../../src/core/transport/ratelimit';
import { statusWord } from '../../src/core/model/describe';
import { computeTotals } from '../../src/core/model/spend';
import { createVastProvider } from '../../src/providers/vastai/provider';
import { HOSTILE_NAMES } from '../sim/hostile';
import { gpuByKey } from '../sim/seed';
import { vastCloud, type VastCloudOptions, type VastState } from '../sim/vastai';
import { VAST_GPUS, vastInstance, vastOffer } from '../sim/vastai-data';
import { startProviderHarness, type ProviderHarness } from '../support/providerHarness';

type VastHarness = ProviderHarness<'vastai', VastState>;

/** The real Vast.ai provider beside the example cloud mounted as 'runpod', which a Vast.ai failure must not touch.
 * rateLimit `null` keeps the catalogue's documented pace; by default it is raised so tests run fast. */
const startVastHarness = (options: { vast?: VastCloudOptions; rateLimit?: Partial<RateLimitConfig> | null } = {}): Promise<VastHarness> =>
  startProviderHarness<'vastai', VastState>({
    real: { cloud: 'vastai', sim: vastCloud(options.vast) },
    examples: ['runpod'],
    exampleCount: 5,
    rateLimit: options.rateLimit,
  });

const LIST = 'GET /api/v1/instances';
const LEGACY = 'GET /api/v0/instances';
const SEARCH = 'POST /api/v0/bundles';
const near = (actual: number | undefined, expected: number, what: string) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≠ ${expected}`);
const query = (h: VastHarness, route: string) =>
  h.sim.log
    .entries()
    .filter((e) => e.cloud === 'vastai' && `${e.method} ${e.path}`.startsWith(route))
    .map((e) => new URLSearchParams(e.query));

describe('Vast.ai provider against the simulated Vast.ai API', () => {
  let h: VastHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('lists every instance across pages of 25 in id order, with the CLI’s JSON-encoded query and a Bearer key', async () => {
    h = await startVastHarness({ vast: { count: 60 } });
    const snapshot = await h.collector.refresh();
    const vast = snapshot.outcomes.vastai!;
    assert.equal(vast.state, 'ok', vast.error?.message);
    assert.equal(vast.credentialSource, 'environment');
    const expectedIds = h
      .state()
      .instances.map((i) => i.id)
      .sort((a, b) => a - b)
      .map(String);
    assert.deepEqual(
      vast.resources.map((r) => r.id),
      expectedIds,
    );
    const pages = query(h, LIST);
    assert.equal(pages.length, 3);
    for (const q of pages) {
      assert.equal(q.get('limit'), '25');
      assert.equal(q.get('order_by'), '[{"col":"id","dir":"asc"}]');
      assert.equal(q.get('api_key'), null, 'the key travels only in the Authorization header');
    }
    assert.equal(pages[0].get('after_token'), null);
    // Keyset tokens carry the last id of the previous page, sent back as is (not JSON-quoted).
    const token = (id: string) => Buffer.from(JSON.stringify({ values: { id: Number(id) } })).toString('base64');
    assert.equal(pages[1].get('after_token'), token(expectedIds[24]));
    assert.equal(pages[2].get('after_token'), token(expectedIds[49]));
    assert.equal(snapshot.outcomes.runpod!.state, 'ok');
  });

  it('maps every field with its unit: MB→GB, fractions→percent, $/GB/month→$/h, unix seconds→ISO', async () => {
    h = await startVastHarness();
    h.state().instances = [
      vastInstance({
        id: 4242,
        label: 'llama-train',
        num_gpus: 2,
        gpu_name: 'H100 SXM',
        gpu_ram: 81559,
        gpu_util: 87.5,
        gpu_temp: 38.999981,
        cpu_util: 0.425,
        mem_usage: 3.92953856,
        mem_limit: 15.71815424,
        disk_space: 10.08,
        disk_util: 0.05,
        disk_usage: 0.5,
        storage_cost: 0.15,
        dph_base: 3.2,
        dph_total: 3.2021,
        geolocation: 'California, United States',
        start_date: 1668804745.1223178,
        ssh_host: 'ssh123.vast.ai',
        ssh_port: 10600,
        machine_id: 12,
        host_id: 7,
        is_bid: true,
        image_uuid: 'vllm/vllm-openai:latest',
        verification: 'verified',
        reliability2: 0.9686655,
        public_ipaddr: '192.0.2.45',
        cpu_cores_effective: 16,
        inet_up: 850.5,
        inet_down: 2000.25,
        status_msg: 'success, running ...',
      }),
      vastInstance({
        id: 4243,
        label: null,
        gpu_util: null,
        gpu_temp: null,
        mem_limit: null,
        disk_util: -1,
        disk_usage: -1,
        cpu_util: 0.25,
        geolocation: '',
      }),
      vastInstance({ id: 4244, actual_status: 'exited', intended_status: 'stopped', gpu_util: 50, cpu_util: 0.5 }),
    ];
    const vast = (await h.collector.refresh()).outcomes.vastai!;
    assert.equal(vast.state, 'ok', vast.error?.message);
    const [full, sparse, stopped] = vast.resources;
    const { pricePerHour, storagePricePerHour, ...rest } = full;
    near(storagePricePerHour, 0.0021, 'storage: 0.15 $/GB/month × 10.08 GB / 720 h');
    near(pricePerHour, 3.2021, 'dph_total');
    assert.deepEqual(rest, {
      id: '4242',
      cloud: 'vastai',
      account: '',
      kind: 'gpu-instance',
      service: 'Instances',
      name: 'llama-train',
      region: 'California, United States',
      status: 'running',
      rawStatus: 'running',
      createdAt: '2022-11-18T20:52:25.122Z',
      gpu: { key: 'H100-SXM-80GB', model: 'H100 SXM', count: 2, memoryGb: 80 },
      consoleUrl: 'https://cloud.vast.ai/instances/',
      ssh: { host: 'ssh123.vast.ai', port: 10600, user: 'root' },
      details: {
        intendedStatus: 'running',
        statusMessage: 'success, running ...',
        image: 'vllm/vllm-openai:latest',
        machineId: 12,
        hostId: 7,
        interruptible: true,
        verification: 'verified',
        reliability: 0.9686655,
        publicIp: '192.0.2.45',
        vCpus: 16,
        diskGb: 10.08,
        diskUsedGb: 0.5,
        netUpMbps: 850.5,
        netDownMbps: 2000.25,
      },
    } satisfies Omit<Resource, 'pricePerHour' | 'storagePricePerHour'>);
    const s = (v: number) => ({ avg: v, max: v, min: v });
    assert.deepEqual(vast.metrics['4242'], {
      compute: { cpuPercent: s(0.425 * 100), memoryPercent: s(25), diskUsedPercent: s(5) },
      gpu: { utilizationPercent: s(87.5), temperatureC: s(38.999981) },
    });
    assert.equal(sparse.name, 'Instance 4243');
    assert.equal(sparse.region, undefined);
    assert.deepEqual(vast.metrics['4243'], { compute: { cpuPercent: s(0.25 * 100) } }, 'null and -1 readings stay absent, never 0');
    assert.equal(stopped.status, 'stopped');
    assert.equal(vast.metrics['4244'], undefined, 'a stopped instance’s leftover readings are not current metrics');
  });

  it('falls back to the legacy v0 list when v1 answers 404, and keeps using it', async () => {
    h = await startVastHarness({ vast: { count: 30, v1: false } });
    const first = await h.collector.refresh();
    assert.equal(first.outcomes.vastai!.state, 'ok', first.outcomes.vastai!.error?.message);
    assert.equal(first.outcomes.vastai!.resources.length, 30);
    assert.equal(h.sim.log.count('vastai', LIST), 1);
    assert.equal(query(h, LEGACY)[0]?.get('owner'), 'me');
    await h.collector.refresh({ force: true });
    assert.equal(h.sim.log.count('vastai', LIST), 1, 'v1 is not asked again in this provider’s lifetime');
    assert.equal(h.sim.log.count('vastai', LEGACY), 2);
  });

  it('does not mistake an "Invalid user key" 404 for a missing route', async () => {
    h = await startVastHarness();
    h.sim.faults.add('vastai', LIST, { status: 404, body: { success: false, error: 'auth_error', msg: 'Invalid user key' } });
    const vast = (await h.collector.refresh()).outcomes.vastai!;
    assert.equal(vast.error?.category, 'auth');
    assert.equal(h.sim.log.count('vastai', LEGACY), 0);
  });

  it('searches verified, rentable offers on demand and interruptible, one per GPU key and pricing, cheapest first', async () => {
    h = await startVastHarness();
    h.state().offers = [
      vastOffer({
        id: 1,
        gpu_name: 'H100 SXM',
        gpu_ram: 81559,
        num_gpus: 8,
        dph_base: 16,
        min_bid: 8,
        storage_cost: 0.144,
        geolocation: 'Texas, US',
      }),
      vastOffer({ id: 2, gpu_name: 'H100 SXM', gpu_ram: 81559, num_gpus: 1, dph_base: 2.5, min_bid: 0.9, storage_cost: 0.144 }),
      vastOffer({ id: 3, gpu_name: 'RTX 4090', gpu_ram: 24564, num_gpus: 2, dph_base: 0.8, min_bid: 0.3, storage_cost: 0.144 }),
      vastOffer({
        id: 4,
        gpu_name: 'RTX 4090',
        gpu_ram: 24564,
        num_gpus: 1,
        dph_base: 0.01,
        min_bid: 0.001,
        verified: false,
        verification: 'unverified',
      }),
      vastOffer({ id: 5, gpu_name: 'RTX 4090', gpu_ram: 24564, num_gpus: 1, dph_base: 0.02, min_bid: 0.002, rented: true }),
      vastOffer({ id: 6, gpu_name: 'RTX 4090', gpu_ram: 24564, num_gpus: 1, dph_base: 0.03, min_bid: 0.003, rentable: false }),
      vastOffer({
        id: 7,
        gpu_name: 'A100 PCIE',
        gpu_ram: 81920,
        num_gpus: 4,
        dph_base: 4,
        min_bid: 2,
        storage_cost: 0.144,
        external: true,
      }),
    ];
    const vast = (await h.collector.refresh()).outcomes.vastai!;
    assert.equal(vast.state, 'ok', vast.error?.message);
    assert.equal(h.sim.log.count('vastai', SEARCH), 2, 'one search per pricing');
    const disk = (0.144 * 5) / 720; // 5 GB priced in, at 0.144 $/GB/month: 0.001 $/h
    const got = vast.offers.map((o) => [
      o.gpuKey,
      o.pricing,
      o.gpuCount,
      Number(o.pricePerGpuHour.toFixed(9)),
      o.availability,
      o.region ?? '',
    ]);
    assert.deepEqual(got, [
      ['RTX-4090-24GB', 'spot', 2, Number(((0.3 + disk) / 2).toFixed(9)), 'low', 'Norway, NO'],
      ['RTX-4090-24GB', 'on-demand', 2, Number(((0.8 + disk) / 2).toFixed(9)), 'low', 'Norway, NO'],
      ['H100-SXM-80GB', 'spot', 1, Number((0.9 + disk).toFixed(9)), 'medium', 'Norway, NO'],
      ['H100-SXM-80GB', 'on-demand', 8, Number(((16 + disk) / 8).toFixed(9)), 'medium', 'Texas, US'],
    ]);
    for (const o of vast.offers) assert.ok(o.fetchedAt && o.cloud === 'vastai' && ['RTX 4090', 'H100 SXM'].includes(o.gpuName));
  });

  it('normalizes a seeded marketplace to the keys the GPUs really are', async () => {
    h = await startVastHarness({ vast: { offers: 120 } });
    const vast = (await h.collector.refresh()).outcomes.vastai!;
    const known = new Set(Object.keys(VAST_GPUS).map((k) => gpuByKey(k).key));
    assert.ok(vast.offers.length > 10);
    for (const o of vast.offers) assert.ok(known.has(o.gpuKey), `${o.gpuName} → ${o.gpuKey}`);
    const prices = vast.offers.map((o) => o.pricePerGpuHour);
    assert.deepEqual(
      prices,
      [...prices].sort((a, b) => a - b),
    );
    assert.ok(vast.offers.some((o) => o.pricing === 'spot') && vast.offers.some((o) => o.pricing === 'on-demand'));
  });

  it('getMetrics makes no API call: a refresh costs the list pages and the two searches, nothing per instance', async () => {
    h = await startVastHarness({ vast: { count: 60 } });
    await h.collector.refresh();
    assert.equal(h.sim.log.count('vastai'), 3 + 2);
    const http = createHttpClient({ cloud: 'vastai', baseUrl: h.sim.endpoint('vastai') });
    const provider = createVastProvider();
    await provider.initialize({
      cloud: 'vastai',
      reference: testReference('vastai'),
      account: '',
      endpoint: h.sim.endpoint('vastai'),
      credentials: { apiKey: h.env.VAST_API_KEY! },
      http,
      settings: {},
      now: Date.now,
      log: silentLogger,
    });
    const signal = new AbortController().signal;
    await provider.healthCheck(signal);
    assert.equal(h.sim.log.count('vastai', 'GET /api/v0/users/current'), 1, 'the health check is one cheap authenticated call');
    const calls = h.sim.log.count();
    assert.deepEqual(await provider.listResources({ services: ['Pods'] }, signal), []);
    assert.equal(h.sim.log.count(), calls, 'a service filter without Instances costs nothing');
    const resources = listedResources(await provider.listResources({}, signal));
    const gpuOnly = listedResources(await provider.listResources({ gpuOnly: true }, signal));
    assert.ok(gpuOnly.length > 0 && gpuOnly.every((r) => r.gpu !== undefined));
    const before = h.sim.log.count();
    const metrics = await provider.getMetrics({ resources, window: { start: '', end: '', granularitySec: 60 } }, signal);
    assert.equal(h.sim.log.count(), before, 'zero calls');
    const running = resources.filter((r) => r.status === 'running').map((r) => r.id);
    assert.ok(running.length > 0);
    assert.deepEqual(Object.keys(metrics).sort(), running.sort(), 'metrics for the running instances');
    await provider.close();
    await http.close();
  });

  it('measures a refresh of 1,000 instances: 40 list pages + 2 offer searches', async () => {
    h = await startVastHarness({ vast: { count: 1000 } });
    const started = Date.now();
    const snapshot = await h.collector.refresh();
    assert.equal(snapshot.outcomes.vastai!.resources.length, 1000);
    assert.equal(h.sim.log.count('vastai', LIST), 40);
    assert.equal(h.sim.log.count('vastai', SEARCH), 2);
    assert.equal(h.sim.log.count('vastai'), 42);
    console.log(
      `      Vast.ai refresh of 1,000 instances: ${h.sim.log.count('vastai')} API calls, ${Date.now() - started} ms (rate limit raised)`,
    );
  });

  it('keeps hostile labels exactly as sent: they are data, escaping is the views’ job', async () => {
    h = await startVastHarness({ vast: { count: 30, hostile: true } });
    const vast = (await h.collector.refresh()).outcomes.vastai!;
    const names = vast.resources.map((r) => r.name);
    for (const name of HOSTILE_NAMES) assert.ok(names.includes(name), JSON.stringify(name));
    for (const row of h.state().instances) {
      if (typeof row.label === 'string') assert.equal(vast.resources.find((r) => r.id === String(row.id))?.name, row.label);
    }
  });

  it('computes GPU spend and idle exactly: running counted, idle flagged, stopped storage apart, starting ignored', async () => {
    h = await startVastHarness();
    const gpu = { gpu_name: 'RTX 4090', gpu_ram: 24564 };
    h.state().instances = [
      vastInstance({ id: 1, ...gpu, num_gpus: 2, dph_base: 1.2, storage_cost: 0.1, disk_space: 36, gpu_util: 87 }), // 1.205 $/h
      vastInstance({ id: 2, ...gpu, num_gpus: 1, dph_base: 0.5, storage_cost: 0.2, disk_space: 18, gpu_util: 0.4 }), // 0.505, idle
      vastInstance({ id: 3, ...gpu, num_gpus: 1, dph_base: 0.3, storage_cost: 0.1, disk_space: 72, gpu_util: null }), // 0.31, unknown ≠ idle
      vastInstance({ id: 4, ...gpu, num_gpus: 4, actual_status: 'exited', intended_status: 'stopped', storage_cost: 0.3, disk_space: 100 }), // 0.041666… stored
      vastInstance({ id: 5, ...gpu, actual_status: 'stopped', intended_status: 'stopped', storage_cost: 0.24, disk_space: 30 }), // 0.01 stored
      vastInstance({ id: 6, ...gpu, actual_status: null, intended_status: 'running', dph_base: 0.7 }), // provisioning
      vastInstance({ id: 7, ...gpu, actual_status: 'loading', intended_status: 'running', dph_base: 0.9 }),
    ];
    const snapshot = await h.collector.refresh({ clouds: ['vastai'] });
    const vast = snapshot.outcomes.vastai!;
    assert.deepEqual(
      vast.resources.map((r) => r.status),
      ['running', 'running', 'running', 'stopped', 'stopped', 'starting', 'starting'],
    );
    assert.equal(snapshot.totals.gpuSpendPerHour, 2.02);
    assert.equal(snapshot.totals.runningGpuCount, 4);
    assert.equal(snapshot.totals.stoppedStoragePerHour, 0.0517); // 0.0416667 + 0.01, to 1/100 cent
    assert.deepEqual(
      snapshot.totals.gpuSpend.map((l) => [l.resourceId, Number(l.pricePerHour.toFixed(6)), l.idle]),
      [
        ['1', 1.205, false],
        ['2', 0.505, true],
        ['3', 0.31, false],
      ],
    );
    assert.deepEqual(computeTotals({ vastai: vast }), snapshot.totals);
  });

  it('counts a frozen instance in GPU spend (GPU charges apply), a rebooting one as starting, and keeps an unknown word visible', async () => {
    h = await startVastHarness();
    const gpu = { gpu_name: 'H100 SXM', gpu_ram: 81559 };
    h.state().instances = [
      vastInstance({ id: 11, ...gpu, num_gpus: 2, dph_base: 4.4, storage_cost: 0.2, disk_space: 50, gpu_util: 60 }),
      vastInstance({
        id: 12,
        ...gpu,
        num_gpus: 8,
        dph_base: 17.6,
        storage_cost: 0.25,
        disk_space: 200,
        actual_status: 'frozen',
        intended_status: 'frozen',
        gpu_util: null,
      }),
      vastInstance({ id: 13, ...gpu, num_gpus: 1, dph_base: 2.2, actual_status: 'rebooting', intended_status: 'running' }),
      vastInstance({ id: 14, ...gpu, num_gpus: 1, dph_base: 2.3, actual_status: 'migrating', intended_status: 'running' }),
      vastInstance({
        id: 15,
        ...gpu,
        num_gpus: 4,
        storage_cost: 0.3,
        disk_space: 100,
        actual_status: 'stopped',
        intended_status: 'stopped',
      }),
    ];
    const wire = new Map(h.state().instances.map((i) => [String(i.id), i]));
    const snapshot = await h.collector.refresh({ clouds: ['vastai'] });
    const vast = snapshot.outcomes.vastai!;
    assert.equal(vast.state, 'ok', vast.error?.message);
    const r = new Map(vast.resources.map((x) => [x.id, x]));
    assert.deepEqual(
      ['11', '12', '13', '14', '15'].map((id) => [r.get(id)!.status, r.get(id)!.rawStatus, r.get(id)!.chargedWhilePaused ?? false]),
      [
        ['running', 'running', false],
        ['stopped', 'frozen', true],
        ['starting', 'rebooting', false],
        ['unknown', 'migrating', false],
        ['stopped', 'stopped', false],
      ],
    );
    assert.equal(statusWord(r.get('12')!), 'frozen', 'a frozen instance reads "frozen", not "stopped"');
    assert.equal(statusWord(r.get('14')!), 'migrating', 'a word Cloudtop does not know stays visible');
    // Billed at the running price: the running instance and the frozen one, GPUs of both; stopped storage only for 15.
    const billed = ['11', '12'].map((id) => wire.get(id)!);
    const spend = billed.reduce((sum, i) => sum + i.dph_total, 0);
    assert.equal(snapshot.totals.gpuSpendPerHour, Math.round(spend * 10_000) / 10_000);
    assert.equal(
      snapshot.totals.runningGpuCount,
      billed.reduce((n, i) => n + i.num_gpus, 0),
    );
    assert.deepEqual(
      snapshot.totals.gpuSpend.map((l) => l.resourceId),
      ['11', '12'],
    );
    const stopped = wire.get('15')!;
    assert.equal(
      snapshot.totals.stoppedStoragePerHour,
      Math.round(((stopped.storage_cost * stopped.disk_space) / 720) * 10_000) / 10_000,
      'the frozen instance’s disk is in its running price, not counted again',
    );
    assert.equal(vast.metrics['12'], undefined, 'a paused instance has no current readings');
  });

  it('a refresh right after another reuses the GPU prices instead of waiting for the offer-search budget', async function () {
    this.timeout(20_000);
    h = await startVastHarness({ vast: { count: 10, documentedLimits: true }, rateLimit: null });
    const first = (await h.refresh()).vastai;
    const searches = () => h!.sim.log.entries().filter((e) => e.cloud === 'vastai' && e.path.startsWith('/api/v0/bundles')).length;
    assert.equal(searches(), 2);
    const started = Date.now();
    const second = (await h.refresh()).vastai; // a manual refresh: resources refetched, prices younger than 15 s reused
    assert.ok(Date.now() - started < 5000, `the second refresh took ${Date.now() - started} ms`);
    assert.equal(searches(), 2, 'no third search within the budget’s interval');
    assert.deepEqual(second.offers, first.offers);
    assert.equal(second.warnings, undefined, 'reusing fresh prices is not a failure');
    assert.equal(h.sim.log.entries().filter((e) => e.cloud === 'vastai' && e.status === 429).length, 0);
  });

  it('with the catalogue’s own rate limit and Vast.ai’s documented limits enforced, a 3-page refresh completes', async function () {
    this.timeout(20_000);
    h = await startVastHarness({ vast: { count: 60, documentedLimits: true }, rateLimit: null });
    const started = Date.now();
    const vast = (await h.collector.refresh()).outcomes.vastai!;
    assert.equal(vast.state, 'ok', vast.error?.message);
    assert.equal(vast.resources.length, 60);
    const at = h.sim.log
      .entries()
      .filter((e) => e.cloud === 'vastai' && e.path.startsWith('/api/v1/instances'))
      .map((e) => e.at);
    const rejected = h.sim.log.entries().filter((e) => e.cloud === 'vastai' && e.status === 429).length;
    console.log(
      `      catalogue limit: ${at.length} list calls in ${Date.now() - started} ms, ${rejected} answered 429, waits ${JSON.stringify(h.sleeps)}`,
    );
    assert.ok(at[at.length - 1] - at[0] >= 1900, 'the list pages are paced at about one per second');
    // The offer search has a budget of its own (Vast.ai meters each endpoint): both searches went at once,
    // before the second list page, instead of queueing behind the list.
    const searches = h.sim.log
      .entries()
      .filter((e) => e.cloud === 'vastai' && e.path.startsWith('/api/v0/bundles'))
      .map((e) => e.at);
    assert.equal(searches.length, 2);
    assert.ok(
      Math.max(...searches) < at[1],
      `searches at ${searches.map((t) => t - at[0]).join(', ')} ms, second page at ${at[1] - at[0]} ms`,
    );
    assert.equal(vast.offers.length > 0, true);
    assert.equal(vast.warnings, undefined, 'no part was left out');
  });
});

describe('Vast.ai: a listing cut short by the deadline', function () {
  this.timeout(30_000);
  let h: VastHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('shows the pages that arrived, names the rest, caches nothing partial, and lists again on the next refresh', async () => {
    // Vast.ai's documented pace (one list call a second, 25 instances a page) and a 3.5 s deadline: 200 instances
    // would take 8 s. Before, the first refresh ended in an error with nothing shown.
    h = await startProviderHarness<'vastai', VastState>({
      real: { cloud: 'vastai', sim: vastCloud({ count: 200 }) },
      examples: ['runpod'],
      exampleCount: 5,
      rateLimit: null,
      collector: { deadlineMs: 3500 },
    });
    const known = new Set(h.state().instances.map((i) => String(i.id)));
    const first = (await h.collector.refresh()).outcomes.vastai!;
    assert.equal(first.state, 'ok', first.error?.message);
    const shown = first.resources.length;
    assert.ok(shown >= 25 && shown < 200 && shown % 25 === 0, `whole pages shown (${shown})`);
    assert.ok(
      first.resources.every((r) => known.has(r.id)),
      'every one a real instance',
    );
    const warning = first.warnings?.find((w) => w.part === 'resources');
    assert.match(
      warning?.message ?? '',
      new RegExp(
        `^Only ${shown} resources were listed before the deadline; the rest are listed on the next refresh\\. .*Cloudtop's rate budget`,
      ),
    );
    assert.equal(warning?.category, 'rate-limit', 'the wait was Cloudtop’s own budget');
    h.sim.log.clear();
    const second = (await h.collector.refresh()).outcomes.vastai!;
    assert.ok(h.sim.log.count('vastai', LIST) > 0, 'the partial listing was not cached: the next refresh lists again');
    assert.equal(second.state, 'ok', second.error?.message);
    assert.ok(second.resources.length >= 25, 'it shows what that refresh listed');
  });
});
