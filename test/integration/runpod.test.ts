// The RunPod provider end to end: the real catalogue entry and HTTP client, through the collector (cache, limiter,
// retry), against the simulated REST v2 API (test/sim/runpod.ts). A second cloud (the example cloud mounted as
// `vastai`) runs beside it to show a RunPod failure stays RunPod's.
import { testReference } from '../support/reference';
import { listedResources } from '../../src/core/engine/provider';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CollectorOptions } from '../../src/core/engine/collector';
import { createHttpClient } from '../../src/core/transport/http';
import { silentLogger } from '../../src/core/model/log';
import { defaultWindow } from '../../src/core/model/model';
import { createRunpodProvider } from '../../src/providers/runpod/provider';
import { HOSTILE_NAMES } from '../sim/hostile';
import { buildPod, RUNPOD_GPUS, runpodCloud, type RunpodCloudOptions, type RunpodState } from '../sim/runpod';
import { startSim, type Sim } from '../sim/server';
import { startProviderHarness, type ProviderHarness } from '../support/providerHarness';
import { call } from '../support/sim-client';

type RunpodHarness = ProviderHarness<'runpod', RunpodState>;

/** The real RunPod provider beside the example cloud mounted as 'vastai', which a RunPod failure must not touch. */
const startRunpod = (
  options: { runpod?: RunpodCloudOptions; env?: NodeJS.ProcessEnv; collector?: Partial<CollectorOptions> } = {},
): Promise<RunpodHarness> =>
  startProviderHarness<'runpod', RunpodState>({
    real: { cloud: 'runpod', sim: runpodCloud({ count: 12, ...options.runpod }) },
    examples: ['vastai'],
    exampleCount: 5,
    env: options.env,
    collector: options.collector,
  });

const near = (actual: number | undefined, expected: number) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${actual} ≈ ${expected}`);

describe('RunPod provider against the simulated REST v2 API', () => {
  let h: RunpodHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('maps every pod field with its unit: status, price, GPU, region, SSH, console link and live metrics', async () => {
    h = await startRunpod();
    h.state().pods = [
      buildPod({
        id: 'podh100x2',
        name: 'train <b>',
        status: 'RUNNING',
        gpuId: 'NVIDIA H100 80GB HBM3',
        gpuCount: 2,
        cost: 5.38,
        gpuUtil: [90, 70],
        gpuMemoryUtil: [80, 60],
        cpuUtil: 45,
        memoryUtil: 55,
        dataCenterId: 'US-TX-3',
        ip: '203.0.113.7',
        sshPort: 40022,
        createdAt: '2026-05-01T08:00:00Z',
      }),
      buildPod({ id: 'podexited', status: 'EXITED', gpuId: 'NVIDIA GeForce RTX 4090', cost: 0 }),
      buildPod({ id: 'podcpu', status: 'RUNNING', cost: '0.24', cpuUtil: 12, memoryUtil: 34 }),
      buildPod({ id: 'podb300', status: 'RUNNING', gpuId: 'NVIDIA B300', cost: '5.99', gpuUtil: [1] }),
      buildPod({ id: 'podprov', status: 'PROVISIONING', gpuId: 'NVIDIA A100-SXM4-80GB', cost: 1.89, dataCenterId: null }),
    ];
    // The catalog answers after the pod list: the B300's memory must still come from it.
    h.sim.faults.add('runpod', 'GET /catalog/gpus', { kind: 'delay', ms: 500, times: 2 });
    const { runpod } = await h.refresh();
    assert.equal(runpod.state, 'ok', runpod.error?.message);
    const byId = new Map(runpod.resources.map((r) => [r.id, r]));
    const volumeGb = h.state().pods[0].mounts.persistent!.size;

    assert.deepEqual(byId.get('podh100x2'), {
      id: 'podh100x2',
      cloud: 'runpod',
      account: '',
      kind: 'gpu-instance',
      service: 'Pods',
      name: 'train <b>',
      region: 'US-TX-3',
      status: 'running',
      rawStatus: 'RUNNING',
      createdAt: '2026-05-01T08:00:00Z',
      pricePerHour: 5.38,
      // What its volume disk costs once stopped: $0.20/GB/month (RunPod's pricing page) over a 730-hour month.
      storagePricePerHour: (volumeGb * 0.2) / 730,
      gpu: { key: 'H100-SXM-80GB', model: 'NVIDIA H100 80GB HBM3', count: 2, memoryGb: 80 },
      consoleUrl: 'https://console.runpod.io/pods?id=podh100x2',
      ssh: { host: '203.0.113.7', port: 40022, user: 'root' },
      details: {
        cloud: 'Secure Cloud',
        image: 'runpod/pytorch:1.0.2-cu1281-torch280-ubuntu2404',
        cudaVersion: '12.8',
        uptimeSec: 3600,
        sshProxy: 'ssh podh100x2-64411eb2@ssh.runpod.io',
        volumeGb,
      },
    });
    // Two GPUs at one instant: avg is their mean, max the busiest, min the least busy; single values avg = max = min.
    assert.deepEqual(runpod.metrics.podh100x2, {
      compute: { cpuPercent: { avg: 45, max: 45, min: 45 }, memoryPercent: { avg: 55, max: 55, min: 55 } },
      gpu: { utilizationPercent: { avg: 80, max: 90, min: 70 }, memoryPercent: { avg: 70, max: 80, min: 60 } },
    });

    const exited = byId.get('podexited')!;
    assert.equal(exited.status, 'stopped');
    assert.equal(exited.rawStatus, 'EXITED');
    assert.equal(exited.pricePerHour, undefined, 'cost 0 of a stopped pod is not its running price');
    assert.equal(exited.ssh, undefined);
    assert.equal('podexited' in runpod.metrics, false, 'runtime null → metrics absent, not 0');

    const cpu = byId.get('podcpu')!;
    assert.equal(cpu.kind, 'instance');
    assert.equal(cpu.gpu, undefined);
    assert.equal(cpu.pricePerHour, 0.24, 'cost as a numeric string is parsed');
    assert.deepEqual(cpu.details, {
      cloud: 'Secure Cloud',
      image: 'runpod/base:0.7.0-ubuntu2404',
      uptimeSec: 3600,
      cpuFlavor: 'cpu3c',
      vcpus: 4,
      memoryGb: 8,
      sshProxy: 'ssh podcpu-64411eb2@ssh.runpod.io',
      volumeGb,
    });
    assert.deepEqual(runpod.metrics.podcpu, {
      compute: { cpuPercent: { avg: 12, max: 12, min: 12 }, memoryPercent: { avg: 34, max: 34, min: 34 } },
    });

    assert.deepEqual(
      byId.get('podb300')!.gpu,
      { key: 'B300-288GB', model: 'NVIDIA B300', count: 1, memoryGb: 288 },
      'memory from the catalog',
    );
    assert.equal(byId.get('podb300')!.pricePerHour, 5.99);

    const provisioning = byId.get('podprov')!;
    assert.equal(provisioning.status, 'starting');
    assert.equal(provisioning.region, undefined);
    assert.equal(provisioning.pricePerHour, 1.89);
    assert.equal('podprov' in runpod.metrics, false);
  });

  it('drops pods without an id and repeats of an id, so resource ids stay unique', async () => {
    h = await startRunpod({ runpod: { endpoints: 0, networkVolumes: 0 } });
    const twin = buildPod({ id: 'twin', status: 'RUNNING', gpuId: 'NVIDIA L4', cost: 0.43, gpuUtil: [60] });
    h.state().pods = [twin, { ...twin, name: 'second twin', runtime: null }, { ...twin, id: '' }];
    const { runpod } = await h.refresh({ clouds: ['runpod'] });
    assert.deepEqual(
      runpod.resources.map((r) => [r.id, r.name]),
      [['twin', 'twin']],
    );
    assert.deepEqual(Object.keys(runpod.metrics), ['twin']);
  });

  it('maps a seeded account of 40 pods consistently with the wire data, hostile names and string costs included', async () => {
    h = await startRunpod({ runpod: { count: 40, hostile: true, costStringShare: 0.5 } });
    const { runpod } = await h.refresh();
    assert.equal(runpod.state, 'ok', runpod.error?.message);
    const wire = h.state().pods;
    const pods = runpod.resources.filter((r) => r.service === 'Pods');
    assert.equal(pods.length, wire.length);
    for (const [i, pod] of wire.entries()) {
      const r = pods[i];
      assert.equal(r.id, pod.id);
      assert.equal(r.name, pod.name, 'names pass through untouched (views escape them)');
      assert.equal(r.rawStatus, pod.status);
      const cost = Number(pod.cost);
      if (cost > 0) assert.equal(r.pricePerHour, cost);
      if (pod.gpu) assert.equal(r.gpu!.key, RUNPOD_GPUS.find((g) => g.id === pod.gpu!.id)!.key);
      assert.equal(r.id in runpod.metrics, pod.status === 'RUNNING');
      if (pod.runtime?.gpus) near(runpod.metrics[r.id].gpu!.utilizationPercent!.max, Math.max(...pod.runtime.gpus.map((g) => g.util)));
    }
    assert.ok(
      wire.some((p) => typeof p.cost === 'string' && Number(p.cost) > 0),
      'the seed includes string costs',
    );
    for (const name of HOSTILE_NAMES)
      assert.ok(
        pods.some((r) => r.name === name),
        `hostile name kept: ${JSON.stringify(name)}`,
      );
  });

  it('lists Serverless endpoints with their worker bounds, a paused one as stopped', async () => {
    h = await startRunpod({ runpod: { endpoints: 3 } });
    const { runpod } = await h.refresh();
    const endpoints = runpod.resources.filter((r) => r.kind === 'endpoint');
    const wire = h.state().endpoints;
    assert.equal(endpoints.length, 3);
    for (const [i, ep] of wire.entries()) {
      const r = endpoints[i];
      assert.equal(r.id, ep.id);
      assert.equal(r.service, 'Serverless');
      assert.equal(r.consoleUrl, `https://console.runpod.io/serverless/user/endpoint/${ep.id}`);
      assert.equal(r.details!.workersMin, ep.workers.min);
      assert.equal(r.details!.workersMax, ep.workers.max);
      assert.equal(r.status, ep.workers.max === 0 ? 'stopped' : 'running');
      assert.equal(r.rawStatus, undefined, 'v2 gives endpoints no status word');
      assert.equal(r.pricePerHour, undefined);
      assert.equal(r.id in runpod.metrics, false);
    }
    assert.equal(endpoints[2].details!.cpuFlavors, 'cpu3c');
    assert.equal(endpoints[2].status, 'stopped');
    assert.equal(endpoints[0].region, wire[0].dataCenterIds[0]);
    assert.equal(endpoints[1].region, undefined);
    assert.equal(endpoints[1].details!.dataCenters, wire[1].dataCenterIds.join(', '));
    assert.equal(h.sim.log.count('runpod', '/serverless/:id/workers'), 0, 'no per-endpoint calls');
  });

  it('offers each GPU type per cloud tier at its per-GPU-hour list price and availability, cheapest first', async () => {
    h = await startRunpod();
    const { runpod } = await h.refresh();
    const { gpus, availability } = h.state();
    const expected = gpus.flatMap((g) => [
      {
        gpuKey: RUNPOD_GPUS.find((m) => m.id === g.id)!.key,
        gpuName: g.name,
        tier: 'Secure Cloud',
        pricePerGpuHour: g.price.secure,
        availability: availability.SECURE[g.id].toLowerCase(),
      },
      ...(g.community
        ? [
            {
              gpuKey: RUNPOD_GPUS.find((m) => m.id === g.id)!.key,
              gpuName: g.name,
              tier: 'Community Cloud',
              pricePerGpuHour: g.price.community,
              availability: availability.COMMUNITY[g.id].toLowerCase(),
            },
          ]
        : []),
    ]);
    const actual = runpod.offers.map((o) => ({
      gpuKey: o.gpuKey,
      gpuName: o.gpuName,
      tier: o.tier,
      pricePerGpuHour: o.pricePerGpuHour,
      availability: o.availability,
    }));
    const sortKey = (o: { gpuKey: string; tier: string | undefined }) => `${o.gpuKey}|${o.tier}`;
    assert.deepEqual(
      [...actual].sort((a, b) => sortKey(a).localeCompare(sortKey(b))),
      [...expected].sort((a, b) => sortKey(a).localeCompare(sortKey(b))),
    );
    for (let i = 1; i < runpod.offers.length; i++)
      assert.ok(runpod.offers[i - 1].pricePerGpuHour <= runpod.offers[i].pricePerGpuHour, 'cheapest first');
    for (const o of runpod.offers) {
      assert.equal(o.cloud, 'runpod');
      assert.equal(o.pricing, 'on-demand', 'v2 has no spot price');
      assert.equal(o.gpuCount, 1);
      assert.ok(Date.parse(o.fetchedAt) <= Date.parse(runpod.fetchedAt!), 'fetched during this refresh');
    }
    const queries = h.sim.log
      .entries()
      .filter((e) => e.cloud === 'runpod' && e.path === '/catalog/gpus')
      .map((e) => e.query)
      .sort();
    assert.deepEqual(queries, ['include=AVAILABILITY&product=POD&cloud=COMMUNITY', 'include=AVAILABILITY&product=POD&cloud=SECURE']);
  });

  it('computes GPU spend and idle GPUs exactly: running GPU pods only, idle when every GPU is under 5 %', async () => {
    h = await startRunpod();
    h.state().pods = [
      buildPod({ id: 'busy', status: 'RUNNING', gpuId: 'NVIDIA H100 80GB HBM3', cost: 2.99, gpuUtil: [85] }),
      buildPod({ id: 'idle', status: 'RUNNING', gpuId: 'NVIDIA GeForce RTX 4090', gpuCount: 2, cost: '1.18', gpuUtil: [2, 1] }),
      buildPod({ id: 'onebusy', status: 'RUNNING', gpuId: 'NVIDIA A100-SXM4-80GB', gpuCount: 4, cost: 7.56, gpuUtil: [0, 0, 0, 40] }),
      buildPod({ id: 'exited', status: 'EXITED', gpuId: 'NVIDIA L40S', cost: 0 }),
      buildPod({ id: 'starting', status: 'STARTING', gpuId: 'NVIDIA A40', cost: 0.44 }),
      buildPod({ id: 'terminated', status: 'TERMINATED', gpuId: 'NVIDIA A40', cost: 0 }),
      buildPod({ id: 'cpu', status: 'RUNNING', cost: 0.24, cpuUtil: 0 }),
    ];
    const { snapshot } = await h.refresh({ clouds: ['runpod'] });
    assert.equal(snapshot.totals.gpuSpendPerHour, 11.73);
    assert.equal(snapshot.totals.runningGpuCount, 7);
    // The stopped GPU pod pays for its volume disk ($0.20/GB/month); the terminated one's disk is gone.
    const exitedGb = h.state().pods.find((p) => p.id === 'exited')!.mounts.persistent!.size;
    assert.equal(snapshot.totals.stoppedStoragePerHour, Math.round(((exitedGb * 0.2) / 730) * 10_000) / 10_000);
    assert.deepEqual(
      snapshot.totals.gpuSpend.map((l) => [l.resourceId, l.pricePerHour, l.idle]),
      [
        ['busy', 2.99, false],
        ['idle', 1.18, true],
        ['onebusy', 7.56, false],
      ],
    );
  });

  it('makes a fixed number of calls per refresh — 1,000 pods cost the same 6 calls as 12 — and getMetrics none', async () => {
    h = await startRunpod({ runpod: { count: 1000 } });
    const { runpod } = await h.refresh({ clouds: ['runpod'] });
    assert.equal(runpod.state, 'ok', runpod.error?.message);
    assert.equal(runpod.resources.filter((r) => r.service === 'Pods').length, h.state().pods.length, 'cluster members included');
    const running = h.state().pods.filter((p) => p.status === 'RUNNING').length;
    assert.equal(Object.keys(runpod.metrics).length, running);
    const count = (route: string) => h!.sim.log.count('runpod', route);
    assert.deepEqual(
      {
        pods: count('GET /pods'),
        clusters: count('GET /clusters'),
        volumes: count('GET /network-volumes'),
        serverless: count('GET /serverless'),
        catalog: count('GET /catalog/gpus'),
        total: count(''),
      },
      { pods: 1, clusters: 1, volumes: 1, serverless: 1, catalog: 2, total: 6 },
    );
  });

  it('lists Instant Cluster pods (hidden without includeClusterPods=true), names their cluster, and counts them in GPU spend', async () => {
    h = await startRunpod({ runpod: { count: 3, clusterPods: 3 } });
    const wire = h.state();
    const members = wire.pods.filter((p) => p.cluster);
    assert.equal(members.length, 3);
    const { runpod, snapshot } = await h.refresh({ clouds: ['runpod'] });
    assert.equal(runpod.state, 'ok', runpod.error?.message);
    assert.deepEqual(
      h.sim.log
        .entries()
        .filter((e) => e.path === '/pods')
        .map((e) => e.query),
      ['includeClusterPods=true'],
    );
    const cluster = wire.clusters[0];
    for (const pod of members) {
      const r = runpod.resources.find((x) => x.id === pod.id)!;
      assert.ok(r, `cluster pod ${pod.id} listed`);
      assert.equal(r.note, `cluster ${cluster.name}`);
      assert.deepEqual([r.details!.cluster, r.details!.clusterId, r.details!.clusterRank], [cluster.name, cluster.id, pod.cluster!.rank]);
      assert.equal(r.pricePerHour, Number(pod.cost));
    }
    const billed = wire.pods.filter((p) => p.status === 'RUNNING' && p.gpu && Number(p.cost) > 0);
    assert.deepEqual(snapshot.totals.gpuSpend.map((l) => l.resourceId).sort(), billed.map((p) => p.id).sort());
    assert.equal(snapshot.totals.gpuSpendPerHour, Math.round(billed.reduce((sum, p) => sum + Number(p.cost), 0) * 10_000) / 10_000);
    assert.equal(
      snapshot.totals.runningGpuCount,
      billed.reduce((n, p) => n + p.gpu!.count, 0),
    );

    // A key that may not read the cluster list still shows the members, by cluster id.
    h.sim.faults.add('runpod', 'GET /clusters', { status: 403 });
    const refused = (await h.refresh({ clouds: ['runpod'] })).runpod;
    assert.equal(refused.state, 'ok', refused.error?.message);
    assert.equal(refused.resources.find((x) => x.id === members[0].id)!.note, `cluster ${cluster.id}`);
    assert.equal(refused.warnings, undefined, 'a refused cluster list is no failure');

    // A cluster list that fails otherwise (500 after its retries) hides no pod: they show by cluster id, and a
    // warning names the listing.
    h.sim.faults.add('runpod', 'GET /clusters', { status: 500, times: Infinity });
    const failed = (await h.refresh({ clouds: ['runpod'] })).runpod;
    assert.equal(failed.state, 'ok', failed.error?.message);
    assert.equal(failed.resources.find((x) => x.id === members[0].id)!.note, `cluster ${cluster.id}`);
    assert.deepEqual(
      failed.warnings?.map((w) => [w.part, w.listing, w.category]),
      [['resources', 'Instant Clusters', 'network']],
    );
    assert.match(failed.warnings[0].message, /^Instant Clusters not listed: .*server error \(500\)/);
  });

  it('lists network volumes with their standard-tier price (tiered at 1 TB), none for high-performance, in no total', async () => {
    h = await startRunpod({ runpod: { count: 8, networkVolumes: 3, clusterPods: 0 } });
    const wire = h.state();
    const { runpod, snapshot } = await h.refresh({ clouds: ['runpod'] });
    assert.equal(runpod.state, 'ok', runpod.error?.message);
    const volumes = runpod.resources.filter((r) => r.service === 'Network Volumes');
    assert.deepEqual(
      volumes.map((v) => v.id),
      wire.networkVolumes.map((v) => v.id),
    );
    // RunPod's pricing page: $0.07/GB/month for the first 1 TB, $0.05 beyond; high-performance is not published.
    const monthly = (gb: number) => Math.min(gb, 1000) * 0.07 + Math.max(0, gb - 1000) * 0.05;
    for (const v of wire.networkVolumes) {
      const r = volumes.find((x) => x.id === v.id)!;
      assert.deepEqual([r.kind, r.name, r.region, r.status, r.details!.sizeGb], ['volume', v.name, v.dataCenter, 'running', v.size]);
      if (v.type === 'STANDARD') near(r.pricePerHour, monthly(v.size) / 730);
      else assert.equal(r.pricePerHour, undefined, 'no published price');
      assert.equal(r.details!.attachedPods, wire.pods.filter((p) => p.mounts.network?.some((m) => m.volumeId === v.id)).length);
    }
    assert.ok(
      wire.networkVolumes.some((v) => v.size > 1000),
      'the seed has a volume past the 1 TB tier',
    );
    // A pod on a network volume has no disk of its own to pay for; the volume is priced once, on itself.
    const onVolume = wire.pods.find((p) => p.mounts.network && p.status === 'EXITED') ?? wire.pods.find((p) => p.mounts.network)!;
    assert.equal(runpod.resources.find((r) => r.id === onVolume.id)!.storagePricePerHour, undefined);
    const stoppedDisks = wire.pods
      .filter((p) => p.gpu && p.status === 'EXITED' && p.mounts.persistent)
      .reduce((sum, p) => sum + (p.mounts.persistent!.size * 0.2) / 730, 0);
    assert.equal(snapshot.totals.stoppedStoragePerHour, Math.round(stoppedDisks * 10_000) / 10_000, 'network volumes are in no total');
  });

  it('getMetrics answers from the listing without any API call', async () => {
    h = await startRunpod();
    const http = createHttpClient({ cloud: 'runpod', baseUrl: h.sim.endpoint('runpod') });
    const provider = createRunpodProvider();
    await provider.initialize({
      cloud: 'runpod',
      reference: testReference('runpod'),
      account: '',
      endpoint: h.sim.endpoint('runpod'),
      credentials: { apiKey: h.sim.keys().runpod },
      http,
      settings: {},
      now: Date.now,
      log: silentLogger,
    });
    try {
      const signal = new AbortController().signal;
      const resources = listedResources(await provider.listResources({}, signal));
      const before = h.sim.log.count('runpod');
      const metrics = await provider.getMetrics({ resources, window: defaultWindow(Date.now()) }, signal);
      assert.equal(h.sim.log.count('runpod'), before, 'no call');
      assert.deepEqual(
        Object.keys(metrics).sort(),
        h
          .state()
          .pods.filter((p) => p.status === 'RUNNING')
          .map((p) => p.id)
          .sort(),
      );
    } finally {
      await provider.close();
      await http.close();
    }
  });

  it('skips the calls a filter does not need: GPU-only lists no endpoints, Serverless-only lists no pods', async () => {
    h = await startRunpod();
    const gpuOnly = await h.refresh({ clouds: ['runpod'], filter: { gpuOnly: true } });
    assert.ok(gpuOnly.runpod.resources.length > 0);
    assert.ok(gpuOnly.runpod.resources.every((r) => r.gpu !== undefined));
    assert.equal(h.sim.log.count('runpod', 'GET /serverless'), 0);
    h.sim.log.clear();
    const serverless = await h.refresh({ clouds: ['runpod'], filter: { services: ['Serverless'] } });
    assert.ok(serverless.runpod.resources.every((r) => r.kind === 'endpoint'));
    assert.deepEqual(
      h.sim.log.entries().map((e) => e.path),
      ['/serverless'],
    );
  });

  it('logs the remaining RateLimit budget at debug level', async () => {
    h = await startRunpod();
    await h.refresh({ clouds: ['runpod'] });
    const lines = h.log.at('debug').filter((l) => l.startsWith('RunPod rate limit after GET /pods'));
    assert.equal(lines.length, 1);
    assert.match(
      lines[0],
      /^RunPod rate limit after GET \/pods: minute \d+ left \(resets in 60 s\), hour \d+ left \(resets in 3600 s\), day \d+ left \(resets in 86400 s\)$/,
    );
  });

  it('takes the key from runpodctl’s ~/.runpod/config.toml when RUNPOD_API_KEY is unset, and is unconfigured without either', async () => {
    const home = await mkdtemp(join(tmpdir(), 'cloudtop-runpod-home-'));
    try {
      h = await startRunpod({ env: { RUNPOD_API_KEY: undefined, HOME: home } });
      assert.equal((await h.refresh()).runpod.state, 'unconfigured');
      await h.close();
      h = await startRunpod({ env: { RUNPOD_API_KEY: undefined, HOME: home } });
      await mkdir(join(home, '.runpod'));
      await writeFile(
        join(home, '.runpod', 'config.toml'),
        `apikey = '${h.sim.keys().runpod}'\napiurl = 'https://api.runpod.io/graphql'\n`,
      );
      const { runpod } = await h.refresh();
      assert.equal(runpod.state, 'ok', runpod.error?.message);
      assert.equal(runpod.credentialSource, 'cli-file');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe('simulated RunPod API (wire quirks)', () => {
  let sim: Sim | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('answers problem+json, with RateLimit headers for identified callers only and Retry-After on 429', async () => {
    sim = await startSim({ clouds: [runpodCloud({ count: 3 })] });
    const base = sim.endpoint('runpod');
    const key = sim.keys().runpod;
    const ok = await call<{ pods: unknown[] }>(`${base}/pods`, { key });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.pods.length, 3);
    assert.match(ok.headers.get('ratelimit') ?? '', /^"minute";r=\d+;t=60, "hour";r=\d+;t=3600, "day";r=\d+;t=86400$/);
    assert.equal(ok.headers.get('ratelimit-policy'), '"minute";q=60;w=60, "hour";q=3000;w=3600, "day";q=50000;w=86400');

    const missing = await call(`${base}/pods`);
    assert.equal(missing.status, 401);
    assert.match(missing.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.deepEqual(missing.body, { title: 'Unauthorized', status: 401, detail: 'missing bearer token' });
    assert.equal(missing.headers.get('ratelimit'), null);

    sim.state<RunpodState>('runpod').forbiddenKeys = ['scoped'];
    const forbidden = await call(`${base}/pods`, { key: 'scoped' });
    assert.deepEqual(forbidden.body, { title: 'Forbidden', status: 403, detail: 'access denied' });
    assert.ok(forbidden.headers.get('ratelimit'));

    sim.faults.add('runpod', 'GET /pods', { status: 429 });
    const limited = await call(`${base}/pods`, { key });
    assert.deepEqual(limited.body, { title: 'Too Many Requests', status: 429, detail: 'rate limit exceeded for the minute window' });
    assert.equal(limited.headers.get('retry-after'), '12');
    assert.match(limited.headers.get('ratelimit') ?? '', /^"minute";r=0;/);

    const unknown = await call(`${base}/nope`, { key });
    assert.deepEqual(unknown.body, { title: 'Not Found', status: 404, detail: 'resource not found' });
  });

  it('serves availability only with include=AVAILABILITY and a product, per cloud tier', async () => {
    sim = await startSim({ clouds: [runpodCloud()] });
    const base = sim.endpoint('runpod');
    const key = sim.keys().runpod;
    const plain = await call<{ gpus: Array<{ availability?: string }> }>(`${base}/catalog/gpus`, { key });
    assert.ok(plain.body.gpus.every((g) => g.availability === undefined));
    assert.equal((await call(`${base}/catalog/gpus?include=AVAILABILITY`, { key })).status, 400);
    assert.equal((await call(`${base}/catalog/gpus?product=POD`, { key })).status, 400);
    assert.equal((await call(`${base}/catalog/gpus?include=AVAILABILITY&product=POD&cloud=SPOT`, { key })).status, 400);
    const state = sim.state<RunpodState>('runpod');
    for (const tier of ['SECURE', 'COMMUNITY'] as const) {
      const res = await call<{ gpus: Array<{ id: string; availability: string }> }>(
        `${base}/catalog/gpus?include=AVAILABILITY&product=POD&cloud=${tier}`,
        { key },
      );
      assert.deepEqual(
        res.body.gpus.map((g) => g.availability),
        res.body.gpus.map((g) => state.availability[tier][g.id]),
      );
    }
  });

  it('sends runtime only for RUNNING pods and cost 0 for EXITED and TERMINATED ones', async () => {
    sim = await startSim({ clouds: [runpodCloud({ count: 200 })] });
    const { pods } = sim.state<RunpodState>('runpod');
    for (const p of pods) {
      assert.equal(p.runtime !== null, p.status === 'RUNNING');
      if (p.status === 'EXITED' || p.status === 'TERMINATED') assert.equal(Number(p.cost), 0);
      assert.equal(p.gpu === undefined, p.cpu !== undefined, 'a pod carries gpu or cpu');
    }
    for (const status of ['RUNNING', 'EXITED', 'STARTING', 'PROVISIONING'])
      assert.ok(
        pods.some((p) => p.status === status),
        status,
      );
  });
});
