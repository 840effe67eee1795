// The soak: ≥ 1,000 refreshes of all seven simulated clouds, with a fault injected every few refreshes, in an engine
// process of its own (test/support/soak-engine.ts, run with --expose-gc so its heap is read after a full GC). Shared
// by the integration test (test/integration/soak.test.ts: bounds) and the bench (`npm run bench -- soak`: figures).
// Issue 25 ("Flat over a day"): nothing per refresh may accumulate — secrets, signals, listeners, timers, WeakRefs.
import { fork } from 'node:child_process';
import path from 'node:path';
import { createRegisteredClouds } from '../sim/clouds';
import type { Fault } from '../sim/faults';
import { startSim, type Sim } from '../sim/server';
import { simulatedClouds } from './cli';
import { wireToSim } from './simWiring';
import type { SoakEngineInput, SoakEngineResult, SoakSample } from './soak-engine';

export interface SoakOptions {
  readonly refreshes: number;
  /** Heap and handles are first sampled after this many refreshes (default 50). */
  readonly warmup?: number;
  /** A fault is injected before every `faultEvery`-th refresh (default 3), rotating through clouds and kinds. */
  readonly faultEvery?: number;
  readonly cache?: SoakEngineInput['cache'];
  readonly rateLimit?: SoakEngineInput['rateLimit'];
  /** Keep every request's arrival at the simulator (cloud, method and path, time) for window checks. */
  readonly arrivals?: boolean;
  /** The engine's time between refreshes (default 30 s; see SoakEngineInput.stepMs). */
  readonly stepMs?: number;
  /** Resources per simulated cloud (default 3): the soak is about what each refresh leaves behind, not its size. */
  readonly count?: number;
  /** Passes the engine's progress lines (every 100 refreshes, and any refresh slower than 2 s) to stderr. */
  readonly progress?: boolean;
  /**
   * Called before each refresh, after its fault: the place for events outside the clouds (a Redis kill and restart
   * during the soak: test/integration/soak.test.ts).
   */
  readonly beforeRefresh?: (index: number, sim: Sim) => Promise<void> | void;
}

export interface SoakResult extends SoakEngineResult {
  readonly warm: SoakSample;
  readonly end: SoakSample;
  /** Heap after GC per 1,000 refreshes: the slope over the samples from the warm-up on (one every 100 refreshes). */
  readonly heapGrowthMbPer1000: number;
  /**
   * Open handles (sockets, timers …) per 1,000 refreshes, the same slope: one sample catches a refresh's idle keep-alive
   * sockets and their timers, so it moves by a few either way; a leak is a steady climb.
   */
  readonly handleGrowthPer1000: number;
  /** Mean CPU of the first and last 50 refreshes after the warm-up's first ten. */
  readonly cpuMsPerRefresh: { readonly first: number; readonly last: number };
  readonly faults: number;
  readonly wallMs: number;
  /** With `arrivals`: every request the simulator received, in order. */
  readonly arrivals: readonly { readonly cloud: string; readonly route: string; readonly at: number }[];
}

// Faults a real cloud answers with now and then: each costs a retry or a failed part, never a hang (a hang's cost is
// the deadline, which test/integration/collector.test.ts covers).
const FAULTS: readonly Fault[] = [
  { status: 500, times: 1 },
  { status: 503, times: 1 },
  { status: 429, headers: { 'Retry-After': '1' }, times: 1 },
  { kind: 'reset', times: 1 },
  { kind: 'malformed', times: 1 },
  { kind: 'truncated', times: 1 },
  { status: 401, times: 1 },
  { kind: 'delay', ms: 20, times: 1 },
];

const ENGINE = path.join(__dirname, 'soak-engine.ts');
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

/** The least-squares slope of y over x: one sample's GC noise moves it far less than a difference of two samples. */
function slope(points: readonly (readonly [number, number])[]): number {
  const mx = mean(points.map(([x]) => x));
  const my = mean(points.map(([, y]) => y));
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / sxx;
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const sim = await startSim({ clouds: createRegisteredClouds({ count: options.count ?? 3 }) });
  const started = Date.now();
  let faults = 0;
  const arrivals: { cloud: string; route: string; at: number }[] = [];
  const keepArrivals = () => {
    if (!options.arrivals) return;
    for (const e of sim.log.entries()) if (e.cloud) arrivals.push({ cloud: e.cloud, route: `${e.method} ${e.path}`, at: e.at });
  };
  try {
    const clouds = simulatedClouds(sim);
    const warmup = options.warmup ?? 50;
    const input: SoakEngineInput = {
      refreshes: options.refreshes,
      warmup,
      stepMs: options.stepMs ?? 30_000,
      endpoints: Object.fromEntries(clouds.map((cloud) => [cloud, sim.endpoint(cloud)])),
      ...(options.cache ? { cache: options.cache } : {}),
      ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    };
    const child = fork(ENGINE, [], {
      // CLOUDTOP_SOAK_NODE_ARGS: more node flags for the engine process (e.g. --cpu-prof to see where a refresh's time goes).
      execArgv: ['--expose-gc', '--import', 'tsx', ...(process.env.CLOUDTOP_SOAK_NODE_ARGS?.split(' ').filter(Boolean) ?? [])],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: path.join(sim.url.replace(/\W/g, '_'), 'nowhere'),
        ...wireToSim(sim).env,
        CLOUDTOP_SOAK_INPUT: JSON.stringify(input),
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (options.progress) process.stderr.write(chunk);
    });
    const faultEvery = options.faultEvery ?? 3;
    child.on('message', (message: { type: string; index: number }) => {
      void (async () => {
        const i = message.index;
        // The sim's request log would grow for the whole run: it is the parent's memory, but cleared all the same.
        keepArrivals();
        sim.log.clear();
        if (i > 0 && i % faultEvery === 0) {
          const n = i / faultEvery;
          sim.faults.add(clouds[n % clouds.length], '*', FAULTS[Math.floor(n / clouds.length) % FAULTS.length]);
          faults++;
        }
        await options.beforeRefresh?.(i, sim);
        if (child.connected) child.send({ type: 'go' });
      })();
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', resolve);
    });
    keepArrivals();
    if (code !== 0) throw new Error(`the soak's engine process exited with ${code}: ${stderr.slice(-4000)}`);
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as SoakEngineResult;
    const [warm, end] = [result.samples[0], result.samples[result.samples.length - 1]];
    const cpu = result.cpuMs.slice(10);
    return {
      ...result,
      warm,
      end,
      heapGrowthMbPer1000: slope(result.samples.map((s) => [s.refresh, s.heapMb])) * 1000,
      handleGrowthPer1000: slope(result.samples.map((s) => [s.refresh, s.handles])) * 1000,
      cpuMsPerRefresh: { first: mean(cpu.slice(0, 50)), last: mean(cpu.slice(-50)) },
      faults,
      wallMs: Date.now() - started,
      arrivals,
    };
  } finally {
    await sim.close();
  }
}

/** `node --import tsx test/support/soak.ts [refreshes]`: prints the figures (before → after comparisons by hand). */
if (require.main === module) {
  void runSoak({ refreshes: Number(process.argv[2] ?? 1000), progress: true }).then(
    (result) => {
      const { cpuMs, ...rest } = result;
      process.stdout.write(`${JSON.stringify({ ...rest, refreshes: cpuMs.length }, null, 2)}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
