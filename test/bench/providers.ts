// API calls of one refresh of a real provider against its simulator, at a given account size: proof that
// calls grow with pages, not with resources (a per-resource call would show up as ~N calls here).
import { createEngine } from '../../src/core/engine/engine';
import type { CloudId } from '../../src/core/model/model';
import { catalogue } from '../../src/providers/index';
import { azureCloud } from '../sim/azure';
import { gcpCloud } from '../sim/gcp';
import { ociCloud } from '../sim/oci';
import { runpodCloud } from '../sim/runpod';
import { startSim } from '../sim/server';
import type { SimCloud } from '../sim/types';
import { vastCloud } from '../sim/vastai';
import { simKeyEnv } from '../support/simWiring';
import { referenceCalls } from '../support/reference-routes';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

type Record = (metric: string, value: number, unit: string) => void;

export async function providerCalls(cloud: CloudId, simCloud: SimCloud, route?: string): Promise<number> {
  const sim = await startSim({ clouds: [simCloud] });
  const entry = catalogue[cloud]!;
  const engine = createEngine({
    catalogue: { [cloud]: entry },
    env: { ...simKeyEnv(sim, cloud), HOME: '/nonexistent' },
    cache: { backend: 'memory' },
    // The documented limits would only make the benchmark slow; the call count is the same.
    config: () => ({ enabled: true, endpoint: sim.endpoint(cloud), rateLimit: { perSecond: 1000, burst: 1000 } }),
    collector: { deadlineMs: 120_000 },
  });
  try {
    const snapshot = await engine.collector.refresh({ force: true });
    const outcome = snapshot.outcomes[cloud];
    if (outcome?.state !== 'ok') throw new Error(`${cloud} refresh failed: ${outcome?.error?.message ?? outcome?.state}`);
    return sim.log.count(cloud, route);
  } finally {
    await engine.dispose();
    await sim.close();
  }
}

export async function benchGpuClouds(record: Record): Promise<void> {
  record('refresh.apiCalls.vastai.n1000', await providerCalls('vastai', vastCloud({ count: 1000 })), 'calls');
  record('refresh.apiCalls.runpod.n1000', await providerCalls('runpod', runpodCloud({ count: 1000 })), 'calls');
  // OCI: instances, clusters and databases per compartment (pages of up to 1,000), one compartment listing, and metrics
  // one SummarizeMetricsData call per MQL query for the whole tenancy: the same count at 10 and at 1,000 instances.
  const metrics = 'POST /20180401/metrics/actions/summarizeMetricsData';
  for (const n of [10, 1000]) {
    const oci = () => ociCloud({ count: n, compartments: 3, pageSize: 1000 });
    record(`refresh.apiCalls.oci.n${n}`, await providerCalls('oci', oci()), 'calls');
    record(`refresh.apiCalls.oci.n${n}.metrics`, await providerCalls('oci', oci(), metrics), 'calls');
  }
  // Azure: one subscription; VMs (pages of 100, power states in the same listing), AKS and sites lists, one retail-price
  // query per GPU size (a fixed set), and metrics ⌈running VMs / 50⌉ per region and namespace: 10 → 1,000 VMs adds
  // the list pages and the batches, no call per VM.
  const batch = 'POST /subscriptions/:sub/metrics:getBatch';
  for (const n of [10, 1000]) {
    const azure = () => azureCloud({ subscriptions: 1, count: n, pageSize: 100 });
    record(`refresh.apiCalls.azure.n${n}`, await providerCalls('azure', azure()), 'calls');
    record(`refresh.apiCalls.azure.n${n}.metrics`, await providerCalls('azure', azure(), batch), 'calls');
  }
  // Google Cloud: the key's project; instances in one aggregated listing (pages of 500, the API's maximum), GKE,
  // Cloud Functions and Cloud Run lists, one machineTypes.get per machine type of the billed GPU VMs (a type has one
  // shape in every zone), the Billing Catalog's SKU pages (a fixed set), and Monitoring one timeSeries.list per metric
  // type for the project (pages of up to 100,000 points; GKE's GPU node metrics too when GKE GPU nodes run): 10 → 1,000
  // VMs adds listing pages only.
  const series = 'GET /v3/projects/:project/timeSeries';
  for (const n of [10, 1000]) {
    const gcp = () => gcpCloud({ projects: 1, count: n, pageSize: 500, seriesPageSize: 100_000 });
    record(`refresh.apiCalls.gcp.n${n}`, await providerCalls('gcp', gcp()), 'calls');
    record(`refresh.apiCalls.gcp.n${n}.metrics`, await providerCalls('gcp', gcp(), series), 'calls');
  }
}

/**
 * Reference data lives in the engine's cache: a second engine over the same file cache (a second `cloudtop` run, once
 * the resources' own TTL has passed) reads none of it again. First and second run's reference requests per cloud.
 */
export async function benchReference(record: Record): Promise<void> {
  const clouds: [CloudId, () => SimCloud][] = [
    ['oci', () => ociCloud({ count: 10, compartments: 3 })],
    ['azure', () => azureCloud({ subscriptions: 1, count: 10 })],
    ['gcp', () => gcpCloud({ projects: 1, count: 10 })],
  ];
  for (const [cloud, simCloud] of clouds) {
    const sim = await startSim({ clouds: [simCloud()] });
    const dir = mkdtempSync(path.join(tmpdir(), 'cloudtop-bench-ref-'));
    const run = async () => {
      const engine = createEngine({
        catalogue: { [cloud]: catalogue[cloud]! },
        env: { ...simKeyEnv(sim, cloud), HOME: '/nonexistent' },
        cache: { backend: 'file', dir },
        config: () => ({ enabled: true, endpoint: sim.endpoint(cloud) }),
        // Resources expire at once, as after their 60 s: only reference data can come from the cache.
        collector: { deadlineMs: 120_000, ttlMs: 1 },
      });
      try {
        await new Promise((resolve) => setTimeout(resolve, 5));
        const outcome = (await engine.collector.refresh()).outcomes[cloud];
        if (outcome?.state !== 'ok') throw new Error(`${cloud} refresh failed: ${outcome?.error?.message ?? outcome?.state}`);
      } finally {
        await engine.dispose();
      }
    };
    try {
      await run();
      record(`refresh.reference.apiCalls.first.${cloud}`, referenceCalls(sim, cloud), 'calls');
      sim.log.clear();
      await run();
      record(`refresh.reference.apiCalls.second.${cloud}`, referenceCalls(sim, cloud), 'calls');
    } finally {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * An uncached Google Cloud refresh of 10 VMs at Cloudtop's default budget, as a user meets it: wall time, and how many
 * times the login was exchanged for a token (one per refresh is enough).
 */
export async function benchGcpWall(record: Record): Promise<void> {
  const samples: number[] = [];
  let exchanges = 0;
  for (let i = 0; i < 3; i++) {
    const sim = await startSim({ clouds: [gcpCloud({ projects: 1, count: 10, pageSize: 500, seriesPageSize: 100_000 })] });
    const engine = createEngine({
      catalogue: { gcp: catalogue.gcp! },
      env: { ...simKeyEnv(sim, 'gcp'), HOME: '/nonexistent' },
      cache: { backend: 'memory' },
      config: () => ({ enabled: true, endpoint: sim.endpoint('gcp') }),
    });
    try {
      const started = performance.now();
      const outcome = (await engine.collector.refresh({ force: true })).outcomes.gcp;
      samples.push(performance.now() - started);
      if (outcome?.state !== 'ok') throw new Error(`gcp refresh failed: ${outcome?.error?.message ?? outcome?.state}`);
      exchanges = sim.log.count('gcp', 'POST /token');
    } finally {
      await engine.dispose();
      await sim.close();
    }
  }
  samples.sort((a, b) => a - b);
  record('refresh.apiCalls.gcp.n10.wallMs', samples[1], 'ms');
  record('refresh.gcp.n10.tokenExchanges', exchanges, 'exchanges');
}
