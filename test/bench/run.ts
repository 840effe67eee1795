// `npm run bench`: numbers, not pass/fail. Prints a table and writes bench/results.json as
// { "<metric>": { "value": n, "unit": "…" } }. Timings are medians of several runs on a shared 2-core
// machine; ratios are measured in the same run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Cache } from '../../src/core/cache/cache';
import { FileCache } from '../../src/core/cache/file';
import { MemoryCache } from '../../src/core/cache/memory';
import { RedisCache } from '../../src/core/cache/redis';
import { startProviderHarness } from '../support/providerHarness';
import { startRedis } from '../support/redis-server';
import { benchBundle } from './bundle';
import { benchCli } from './cli';
import { benchGcpWall, benchGpuClouds, benchReference } from './providers';
import { benchOciRegions } from './oci-regions';
import { benchNeon } from './neon';
import { benchCloudflare } from './cloudflare';
import { benchDashboard } from './dashboard';
import { benchCriticalPath, benchCriticalPathScopes } from './critical-path';
import { runSoak } from '../support/soak';

type Results = Record<string, { value: number; unit: string }>;
const results: Results = {};
const record = (metric: string, value: number, unit: string) => {
  results[metric] = { value: Math.round(value * 1000) / 1000, unit };
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function apiCalls(): Promise<void> {
  for (const n of [10, 1000]) {
    const h = await startProviderHarness({ examples: ['vastai'], exampleCount: n });
    try {
      await h.collector.refresh({ force: true });
      record(`refresh.apiCalls.n${n}`, h.sim.log.count('vastai'), 'calls');
      if (n === 10) {
        h.sim.log.clear();
        await h.collector.refresh();
        record('refresh.warm.apiCalls', h.sim.log.count(), 'calls');
      }
    } finally {
      await h.close();
    }
  }
}

/** GPU offers keep their own 15-minute age: a second refresh within it, a manual one included, searches nothing. */
async function offersCalls(): Promise<void> {
  const clouds = ['vastai', 'runpod'] as const;
  const h = await startProviderHarness({ examples: [...clouds], exampleCount: 10 });
  try {
    await h.collector.refresh({ force: true, forceOffers: true });
    record('refresh.offers.apiCalls.first', h.sim.log.count(undefined, 'GET /offers'), 'calls');
    h.sim.log.clear();
    await h.collector.refresh({ force: true });
    record('refresh.offers.apiCalls.second', h.sim.log.count(undefined, 'GET /offers'), 'calls');
  } finally {
    await h.close();
  }
}

async function cacheGetP50(name: string, cache: Cache, iterations: number): Promise<void> {
  const value = { resources: Array.from({ length: 20 }, (_, i) => ({ id: `r${i}`, name: `resource ${i}`, status: 'running' })) };
  await cache.set('bench:key', value, 60_000);
  for (let i = 0; i < 50; i++) await cache.get('bench:key');
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await cache.get('bench:key');
    samples.push((performance.now() - started) * 1000);
  }
  record(`cache.${name}.getP50Us`, median(samples), 'µs');
}

async function caches(): Promise<void> {
  const memory = new MemoryCache({});
  await cacheGetP50('memory', memory, 20_000);
  await memory.close();

  const dir = mkdtempSync(path.join(tmpdir(), 'cloudtop-bench-'));
  const file = new FileCache({ dir });
  await cacheGetP50('file', file, 2_000);
  await file.close();
  rmSync(dir, { recursive: true, force: true });

  // Installed as root when missing, like the test layers; elsewhere the figure is skipped with the command to run.
  const redis = await startRedis().catch((error: unknown) => {
    process.stderr.write(`cache.redis skipped: ${error instanceof Error ? error.message : String(error)}\n`);
    return undefined;
  });
  if (!redis) return;
  try {
    // Two instances, each key read once by the one that did not write it: every get is a Redis round
    // trip, not a hit in the instance's local copy.
    const writer = new RedisCache({ url: redis.url });
    const reader = new RedisCache({ url: redis.url });
    const value = { resources: Array.from({ length: 20 }, (_, i) => ({ id: `r${i}`, name: `resource ${i}`, status: 'running' })) };
    for (let i = 0; i < 2_000; i++) await writer.set(`bench:${i}`, value, 60_000);
    for (let i = 0; i < 50; i++) await reader.get(`warm:${i}`);
    const samples: number[] = [];
    for (let i = 0; i < 2_000; i++) {
      const started = performance.now();
      const got = await reader.get(`bench:${i}`);
      samples.push((performance.now() - started) * 1000);
      if (!got) throw new Error('redis bench: a key written by the other instance was not found');
    }
    record('cache.redis.getP50Us', median(samples), 'µs');
    await writer.close();
    await reader.close();
  } finally {
    await redis.stop();
  }
}

/** Groups by name: `npm run bench -- refresh cache` runs those two; no names runs all. */
const groups: Readonly<Record<string, () => Promise<void>>> = {
  refresh: async () => {
    await benchCriticalPath(record, median);
    await benchCriticalPathScopes(record, median);
    await apiCalls();
    await offersCalls();
  },
  cache: caches,
  gpu: () => benchGpuClouds(record),
  reference: () => benchReference(record),
  gcpWall: () => benchGcpWall(record),
  ociRegions: () => benchOciRegions(record),
  neon: () => benchNeon(record),
  cloudflare: () => benchCloudflare(record),
  cli: () => benchCli(record, median),
  bundle: () => benchBundle(record, median),
  dashboard: () => benchDashboard(record, median),
  // 1,000 refreshes of all seven simulated clouds with faults (test/support/soak.ts): what a day of refreshes leaves.
  soak: async () => {
    const soak = await runSoak({ refreshes: 1000 });
    record('soak.heapGrowthMbPer1000', soak.heapGrowthMbPer1000, 'MB');
    record('soak.cpuMsPerRefresh.first', soak.cpuMsPerRefresh.first, 'ms');
    record('soak.cpuMsPerRefresh.last', soak.cpuMsPerRefresh.last, 'ms');
    record('soak.handleGrowthPer1000', soak.handleGrowthPer1000, 'handles');
    record('soak.secrets', soak.end.secrets, 'secrets');
  },
};

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(name in groups));
  if (unknown.length > 0) throw new Error(`unknown bench group ${unknown.join(', ')}; groups: ${Object.keys(groups).join(', ')}`);
  for (const [name, run] of Object.entries(groups)) if (asked.length === 0 || asked.includes(name)) await run();
  const width = Math.max(...Object.keys(results).map((k) => k.length));
  process.stdout.write(`${'metric'.padEnd(width)}  ${'value'.padStart(10)}  unit\n`);
  for (const [metric, { value, unit }] of Object.entries(results)) {
    process.stdout.write(`${metric.padEnd(width)}  ${String(value).padStart(10)}  ${unit}\n`);
  }
  mkdirSync('bench', { recursive: true });
  writeFileSync(path.join('bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
