// The engine side of the soak (test/support/soak.ts starts it): a process of its own, run with --expose-gc, so its
// heap after GC, its handles and its CPU are the engine's alone, not the simulators' (they run in the parent, which
// a real cloud's servers would not share either). It builds the engine the way the front ends do (createEngine,
// every cloud of the catalogue pointed at its simulator) and refreshes every cloud `refreshes` times, asking the
// parent over IPC before each refresh (the parent injects that refresh's fault, or kills Redis, then answers).
// Prints one JSON line: CPU per refresh, heap after GC and handle counts at the samples, and the listeners and
// dependent signals on the collector's long-lived `closing` signal.
import { getEventListeners } from 'node:events';
import { createEngine } from '../../src/core/engine/engine';
import type { CloudId } from '../../src/core/model/model';
import { secretCountForTests } from '../../src/core/errors/redact';
import { catalogue } from '../../src/providers/index';

export interface SoakEngineInput {
  readonly refreshes: number;
  readonly endpoints: Readonly<Record<string, string>>;
  /** Heap and handles are sampled after this many refreshes (the warm-up: providers loaded, pools open) and at the end. */
  readonly warmup: number;
  readonly cache?: { readonly backend: 'memory' } | { readonly backend: 'redis'; readonly redisUrl: string };
  /**
   * How far the engine's clock (the collector's and the cache's) moves between refreshes. At 30 s, half the refreshes
   * fetch (the parts' TTL is 60 s) and half are answered by the cache, as in VS Code; price lists, GPU offers and
   * other reference data expire on their own TTLs, so 1,000 refreshes are about eight hours of the engine's time.
   */
  readonly stepMs: number;
  /**
   * Every cloud's budget (default: far above each cloud's own, as the soak measures the engine). A soak that checks the
   * windows at the simulator sets a tight one, so the budgets are what paces the clouds.
   */
  readonly rateLimit?: { readonly windows: readonly { readonly limit: number; readonly perMs: number }[]; readonly maxWaitMs?: number };
}

export interface SoakSample {
  readonly refresh: number;
  readonly heapMb: number;
  readonly rssMb: number;
  readonly handles: number;
  readonly closingListeners: number;
  readonly closingDependants: number;
  readonly secrets: number;
}

export interface SoakEngineResult {
  readonly cpuMs: number[];
  readonly samples: SoakSample[];
  readonly states: Record<string, number>;
  /** What the engine said about the shared cache (Redis lost, back), in order, with the refresh it came during. */
  readonly sharedCache: { readonly refresh: number; readonly available: boolean; readonly message: string }[];
  /** The refreshes whose snapshot carried a shared-cache notice. */
  readonly noticed: number[];
}

declare const gc: (() => void) | undefined;

/** Node's own set of WeakRefs to the signals AbortSignal.any made from this one (lib/internal/abort_controller.js). */
function dependants(signal: AbortSignal): number {
  const symbol = Object.getOwnPropertySymbols(signal).find((s) => s.description === 'kDependantSignals');
  const set = symbol ? (signal as unknown as Record<symbol, Set<unknown> | undefined>)[symbol] : undefined;
  return set?.size ?? 0;
}

function ask(message: unknown): Promise<void> {
  return new Promise((resolve) => {
    process.once('message', () => resolve());
    process.send!(message);
  });
}

async function main(): Promise<void> {
  if (typeof gc !== 'function') throw new Error('run with --expose-gc');
  const input = JSON.parse(process.env.CLOUDTOP_SOAK_INPUT ?? '{}') as SoakEngineInput;
  const clouds = Object.keys(input.endpoints) as CloudId[];
  let time = Date.now();
  const now = () => time;
  const engine = createEngine({
    catalogue,
    env: process.env,
    config: (cloud) => ({
      enabled: true,
      endpoint: input.endpoints[cloud],
      // Far above every cloud's own budget unless the soak sets one: it measures the engine, not the clouds' documented waits.
      rateLimit: input.rateLimit ? { maxWaitMs: 30_000, ...input.rateLimit } : { perSecond: 1000, burst: 1000, maxWaitMs: 30_000 },
    }),
    cache: { ...(input.cache ?? { backend: 'memory' }), now },
    // Retries wait a millisecond, so a fault costs a retry, not its backoff.
    collector: { now, retry: { sleep: () => new Promise((resolve) => setTimeout(resolve, 1)) }, deadlineMs: 15_000 },
  });
  const closing = (engine.collector as unknown as { closing: AbortController }).closing.signal;
  const cpuMs: number[] = [];
  const samples: SoakSample[] = [];
  const states: Record<string, number> = {};
  const sharedCache: SoakEngineResult['sharedCache'] = [];
  const noticed: number[] = [];
  let current = 0;
  engine.onSharedCacheChange((change) => sharedCache.push({ refresh: current, ...change }));
  const sample = (refresh: number) => {
    gc();
    gc();
    const memory = process.memoryUsage();
    samples.push({
      refresh,
      heapMb: memory.heapUsed / 2 ** 20,
      rssMb: memory.rss / 2 ** 20,
      handles: process.getActiveResourcesInfo().filter((kind) => kind !== 'TTYWrap').length,
      closingListeners: getEventListeners(closing, 'abort').length,
      closingDependants: dependants(closing),
      secrets: secretCountForTests(),
    });
  };
  for (let i = 0; i < input.refreshes; i++) {
    current = i; // before asking: the parent may kill Redis before it answers
    await ask({ type: 'refresh', index: i });
    const before = process.cpuUsage();
    const started = Date.now();
    time += i > 0 ? input.stepMs : 0;
    const snapshot = await engine.collector.refresh({ clouds });
    const used = process.cpuUsage(before);
    cpuMs.push((used.user + used.system) / 1000);
    const tookMs = Date.now() - started;
    if (tookMs > 2000) {
      const slow = Object.values(snapshot.outcomes).filter((o) => o.durationMs > 2000 || o.state === 'error');
      const named = slow.map((o) => `; ${o.cloud} ${o.state} ${o.durationMs} ms ${o.error?.message ?? ''}`).join('');
      process.stderr.write(`soak: refresh ${i + 1} took ${tookMs} ms${named}\n`);
    }
    for (const outcome of Object.values(snapshot.outcomes)) states[outcome.state] = (states[outcome.state] ?? 0) + 1;
    if (snapshot.notices?.some((n) => n.kind === 'shared-cache')) noticed.push(i);
    // After the warm-up, every 100 refreshes and at the end; each sample is also a progress line.
    if (i + 1 === input.warmup || (i + 1) % 100 === 0 || i + 1 === input.refreshes) {
      sample(i + 1);
      const last = samples[samples.length - 1];
      const cpu = cpuMs.slice(-50).reduce((a, b) => a + b, 0) / Math.min(50, cpuMs.length);
      process.stderr.write(`soak: ${JSON.stringify({ ...last, cpuMsLast50: Math.round(cpu) })}\n`);
    }
  }
  await engine.dispose();
  process.stdout.write(`${JSON.stringify({ cpuMs, samples, states, sharedCache, noticed } satisfies SoakEngineResult)}\n`);
  process.disconnect();
}

main().catch((error: unknown) => {
  process.stderr.write(`soak engine failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
