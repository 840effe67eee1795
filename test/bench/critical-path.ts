// refresh.criticalPathRatio: the wall time of a full refresh of 4 clouds ÷ the slowest cloud's chain of
// sequential round trips at 50 ms each. 1.0 would mean the clouds ran fully concurrently and the engine
// (limiter, retry, HTTP client, pagination, cache) added nothing to any hop.
//
// The simulated clouds run in a process of their own (sim-process.ts): a real cloud does not share our CPU.
// The same chain fetched with a bare undici client against the same simulator is recorded beside it
// (…bareClient): what the test rig itself adds — timer lateness, the simulator's own work, two processes on
// a small machine — so the engine's share is the difference.
//
// refresh.criticalPathRatio.scopes: the same with 3 clouds of 3 scopes (accounts) each: the wall time ÷ the slowest
// chain of one cloud, its scope list and then its slowest scope's pages and metrics. Scopes run concurrently, so this
// stays near the single-scope figure; …scopes.bareClient is the rig's floor for it (nine requests in flight at once on
// each hop, answered by one simulator process).
import { fork } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { createEngine } from '../../src/core/engine/engine';
import type { CloudId } from '../../src/core/model/model';
import type { Catalogue } from '../../src/core/engine/registry';
import { exampleEntry } from '../support/exampleProvider';

type RecordMetric = (metric: string, value: number, unit: string) => void;

const FOUR: CloudId[] = ['vastai', 'runpod', 'neon', 'cloudflare'];
const LATENCY_MS = 50;
const RESOURCES = 250; // 3 list pages of 100, then 3 metric batches at once
const RUNS = 15;

const THREE: CloudId[] = ['vastai', 'runpod', 'neon'];
const SCOPES = 3;

interface SimProcess {
  readonly endpoints: Readonly<Partial<Record<string, string>>>;
  readonly keys: Readonly<Partial<Record<string, string>>>;
  readonly accounts: Readonly<Partial<Record<string, readonly string[]>>>;
  ask(message: { type: string; cloud?: string; route?: string }): Promise<number>;
  stop(): void;
}

/** An engine over the example clouds of the simulator process, limits far above what a refresh needs. */
function exampleEngine(clouds: readonly CloudId[], sim: SimProcess, scoped = false) {
  const catalogue = Object.fromEntries(clouds.map((c) => [c, exampleEntry(c, sim.endpoints[c]!, undefined, scoped)])) as Catalogue;
  const env = Object.fromEntries(clouds.map((c) => [`EXAMPLE_${c.toUpperCase()}_KEY`, sim.keys[c]]));
  return createEngine({ catalogue, env, cache: { backend: 'memory' }, config: () => ({ enabled: true, rateLimit: { perSecond: 100, burst: 100 } }) });
}

export async function benchCriticalPath(record: RecordMetric, median: (values: number[]) => number): Promise<void> {
  const sim = await startSimProcess(FOUR, RESOURCES, LATENCY_MS);
  const engine = exampleEngine(FOUR, sim);
  const bare = bareClient(sim);
  try {
    // Warm connections and module loads of both.
    await engine.collector.refresh({ force: true });
    await bare.refresh();
    const ratios: number[] = [];
    const bareRatios: number[] = [];
    // Interleaved, so a noisy moment on the machine hits both alike.
    for (let i = 0; i < RUNS; i++) {
      await sim.ask({ type: 'clear' });
      const started = performance.now();
      await engine.collector.refresh({ force: true });
      const wall = performance.now() - started;
      const chain = await slowestChain(sim);
      ratios.push(wall / (chain * LATENCY_MS));

      await sim.ask({ type: 'clear' });
      const bareStarted = performance.now();
      await bare.refresh();
      bareRatios.push((performance.now() - bareStarted) / ((await slowestChain(sim)) * LATENCY_MS));
    }
    record('refresh.criticalPathRatio', median(ratios), 'ratio');
    record('refresh.criticalPathRatio.bareClient', median(bareRatios), 'ratio');
  } finally {
    await engine.dispose();
    await bare.close();
    sim.stop();
  }
}

export async function benchCriticalPathScopes(record: RecordMetric, median: (values: number[]) => number): Promise<void> {
  const sim = await startSimProcess(THREE, RESOURCES, LATENCY_MS, SCOPES);
  const engine = exampleEngine(THREE, sim, true);
  try {
    const warm = await engine.collector.refresh({ force: true });
    for (const cloud of THREE) {
      const scopes = warm.outcomes[cloud]?.scopes?.length ?? 0;
      if (scopes !== SCOPES) throw new Error(`${cloud} refreshed ${scopes} scopes, not ${SCOPES}: ${warm.outcomes[cloud]?.error?.message ?? ''}`);
    }
    const bare = bareClient(sim, THREE, true);
    await bare.refresh();
    const ratios: number[] = [];
    const bareRatios: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await sim.ask({ type: 'clear' });
      const started = performance.now();
      await engine.collector.refresh({ force: true });
      const wall = performance.now() - started;
      ratios.push(wall / ((await slowestScopedChain(sim)) * LATENCY_MS));

      await sim.ask({ type: 'clear' });
      const bareStarted = performance.now();
      await bare.refresh();
      bareRatios.push((performance.now() - bareStarted) / ((await slowestScopedChain(sim)) * LATENCY_MS));
    }
    record('refresh.criticalPathRatio.scopes', median(ratios), 'ratio');
    record('refresh.criticalPathRatio.scopes.bareClient', median(bareRatios), 'ratio');
    await bare.close();
  } finally {
    await engine.dispose();
    sim.stop();
  }
}

/** The scope list, then the slowest scope's pages and its round of metric batches. */
async function slowestScopedChain(sim: SimProcess): Promise<number> {
  const perCloud = await Promise.all(
    THREE.map(async (cloud) => {
      const scopes = await Promise.all(
        (sim.accounts[cloud] ?? []).map(async (account) => {
          const pages = await sim.ask({ type: 'count', cloud, route: `GET /accounts/${account}/resources` });
          const metrics = await sim.ask({ type: 'count', cloud, route: `POST /accounts/${account}/metrics/batch` });
          return pages + (metrics > 0 ? 1 : 0);
        }),
      );
      return (await sim.ask({ type: 'count', cloud, route: 'GET /accounts' })) + Math.max(0, ...scopes);
    }),
  );
  return Math.max(...perCloud);
}

/** Sequential round trips of the slowest cloud: its list pages one after another, then one round of metric
 * batches (the batches run in parallel, and so do the offers). Counted from the simulator's request log. */
async function slowestChain(sim: SimProcess): Promise<number> {
  const chains = await Promise.all(
    FOUR.map(async (c) => (await sim.ask({ type: 'count', cloud: c, route: 'GET /resources' })) + ((await sim.ask({ type: 'count', cloud: c, route: 'POST /metrics/batch' })) > 0 ? 1 : 0)),
  );
  return Math.max(...chains);
}

/** The example provider's requests, with nothing of Cloudtop's in between: the rig's own floor. */
function bareClient(sim: SimProcess, clouds: readonly CloudId[] = FOUR, scoped = false): { refresh(): Promise<void>; close(): Promise<void> } {
  const agents = new Map(clouds.map((c) => [c, new Agent({ keepAliveTimeout: 30_000, connections: 16 })]));
  const call = async <T>(cloud: CloudId, route: string, json?: unknown): Promise<T> => {
    const response = await request(`${sim.endpoints[cloud]}${route}`, {
      method: json === undefined ? 'GET' : 'POST',
      dispatcher: agents.get(cloud),
      headers: { authorization: `Bearer ${sim.keys[cloud]}`, 'content-type': 'application/json' },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    return JSON.parse(await response.body.text()) as T;
  };
  /** One account's (or the unscoped cloud's) pages one after another, then its metric batches at once. */
  const listAndMeasure = async (cloud: CloudId, base: string) => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; next_cursor: string | null } = await call(
        cloud,
        `${base}/resources?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      );
      ids.push(...page.items.map((r) => r.id));
      cursor = page.next_cursor;
    } while (cursor);
    const end = Date.now();
    const window = { start: new Date(end - 300_000).toISOString(), end: new Date(end).toISOString() };
    const batches = [];
    for (let i = 0; i < ids.length; i += 100) batches.push(call(cloud, `${base}/metrics/batch`, { ids: ids.slice(i, i + 100), ...window }));
    await Promise.all(batches);
  };
  const one = async (cloud: CloudId) => {
    const offers = call(cloud, '/offers');
    if (!scoped) return void (await Promise.all([listAndMeasure(cloud, ''), offers]));
    const { accounts } = await call<{ accounts: { id: string }[] }>(cloud, '/accounts');
    await Promise.all([...accounts.map((a) => listAndMeasure(cloud, `/accounts/${encodeURIComponent(a.id)}`)), offers]);
  };
  return {
    refresh: async () => {
      await Promise.all(clouds.map(one));
    },
    close: async () => {
      await Promise.all([...agents.values()].map((agent) => agent.close()));
    },
  };
}

function startSimProcess(clouds: readonly string[], count: number, latency: number, accounts = 0): Promise<SimProcess> {
  const child = fork(path.join(__dirname, 'sim-process.ts'), [clouds.join(','), String(count), String(latency), String(accounts)], { execArgv: ['--import', 'tsx'] });
  // Replies carry the id of their question, so questions asked at once get their own answers.
  const pending = new Map<number, (value: number) => void>();
  let nextId = 1;
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (ready: { endpoints: Record<string, string>; keys: Record<string, string>; accounts: Record<string, string[]> }) => {
      child.on('message', (reply: { id: number; value: number }) => {
        pending.get(reply.id)?.(reply.value);
        pending.delete(reply.id);
      });
      resolve({
        ...ready,
        ask: (message) =>
          new Promise((answer) => {
            const id = nextId++;
            pending.set(id, answer);
            child.send({ ...message, id });
          }),
        stop: () => child.disconnect(),
      });
    });
  });
}
