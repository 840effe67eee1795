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
import type { CloudId } from '../../src/core/model';
import { startHarness } from '../support/collectorHarness';
import { exampleEntry } from '../support/exampleProvider';
import { createEngine } from '../../src/core/engine';
import type { Catalogue } from '../../src/core/registry';
import { fork } from 'node:child_process';
import { startRedis } from '../support/redis-server';
import { benchCli } from './cli';
import { benchGpuClouds } from './providers';
import { benchNeon } from './neon';
import { benchCloudflare } from './cloudflare';
import { benchDashboard } from './dashboard';

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

const FOUR: CloudId[] = ['vastai', 'runpod', 'neon', 'cloudflare'];

/** Wall time of a full refresh ÷ the slowest cloud's chain of sequential round trips at 50 ms each. */
async function criticalPath(): Promise<void> {
  const latency = 50;
  const sim = await startSimProcess(FOUR, 250, latency);
  const catalogue = Object.fromEntries(FOUR.map((c) => [c, exampleEntry(c, sim.endpoints[c])])) as Catalogue;
  const env = Object.fromEntries(FOUR.map((c) => [`EXAMPLE_${c.toUpperCase()}_KEY`, sim.keys[c]]));
  const engine = createEngine({ catalogue, env, cache: { backend: 'memory' }, config: () => ({ enabled: true, rateLimit: { perSecond: 100, burst: 100 } }) });
  try {
    await engine.collector.refresh({ force: true }); // warm connections and module loads
    const ratios: number[] = [];
    for (let i = 0; i < 7; i++) {
      await sim.ask({ type: 'clear' });
      const started = performance.now();
      await engine.collector.refresh({ force: true });
      const wall = performance.now() - started;
      // Sequential chain per cloud: the list pages one after another, then one round of metric batches
      // (batches run in parallel, and so do the offers).
      const chains = await Promise.all(
        FOUR.map(async (c) => (await sim.ask({ type: 'count', cloud: c, route: 'GET /resources' })) + ((await sim.ask({ type: 'count', cloud: c, route: 'POST /metrics/batch' })) > 0 ? 1 : 0)),
      );
      ratios.push(wall / (Math.max(...chains) * latency));
    }
    record('refresh.criticalPathRatio', median(ratios), 'ratio');
  } finally {
    await engine.dispose();
    sim.stop();
  }
}

interface SimProcess {
  readonly endpoints: Record<string, string>;
  readonly keys: Record<string, string>;
  ask(message: { type: string; cloud?: string; route?: string }): Promise<number>;
  stop(): void;
}

function startSimProcess(clouds: readonly string[], count: number, latency: number): Promise<SimProcess> {
  const child = fork(path.join(__dirname, 'sim-process.ts'), [clouds.join(','), String(count), String(latency)], { execArgv: ['--import', 'tsx'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (ready: { endpoints: Record<string, string>; keys: Record<string, string> }) => {
      resolve({
        ...ready,
        ask: (message) =>
          new Promise((answer) => {
            child.once('message', (reply: { value?: number }) => answer(reply.value ?? 0));
            child.send(message);
          }),
        stop: () => child.disconnect(),
      });
    });
  });
}

async function apiCalls(): Promise<void> {
  for (const n of [10, 1000]) {
    const h = await startHarness({ clouds: ['vastai'], count: n });
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

  const redis = await startRedis();
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

async function main(): Promise<void> {
  await criticalPath();
  await apiCalls();
  await caches();
  await benchGpuClouds(record);
  await benchNeon(record);
  await benchCloudflare(record);
  await benchCli(record, median);
  await benchDashboard(record, median);
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
