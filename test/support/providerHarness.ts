// A collector wired the way the front ends wire it — registry, credential resolver, memory cache, limiters — to
// simulated clouds, with the retry policy's waits recorded instead of slept. Two kinds of cloud can be mounted:
//   - the real cloud under test: its catalogue entry (credentials, rate-limit defaults, lazy provider load) pointed
//     at its simulator through the endpoint override;
//   - example clouds (test/sim/example-cloud.ts) under other ids, beside it or alone, so a failure of the real one
//     can be shown to leave the others untouched.
// Only the env given here is read (HOME points nowhere), so a developer's own keys and CLI logins never reach a test.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryCache } from '../../src/core/cache/memory';
import { Collector, type CloudConfig, type CollectorOptions, type RefreshOptions } from '../../src/core/engine/collector';
import { CredentialResolver } from '../../src/core/credentials/credentials';
import type { CloudId, ProviderOutcome, Snapshot } from '../../src/core/model/model';
import type { SignIn } from '../../src/core/engine/provider';
import { RateLimiters, type RateLimitConfig } from '../../src/core/transport/ratelimit';
import { ProviderRegistry, type CloudEntry } from '../../src/core/engine/registry';
import { catalogue as realCatalogue } from '../../src/providers/index';
import { exampleCloud } from '../sim/example-cloud';
import { startSim, type Sim } from '../sim/server';
import type { SimCloud, SimState } from '../sim/types';
import { captureLog, type CapturedLog } from './capture-log';
import { exampleEntry } from './exampleProvider';
import { simKeyEnv } from './simWiring';

export const NO_HOME = join(tmpdir(), 'cloudtop-test-no-home');

export interface ProviderHarnessOptions<C extends CloudId> {
  /** The real cloud under test and its simulator. */
  readonly real?: { readonly cloud: C; readonly sim: SimCloud };
  /** Example clouds mounted under these ids. */
  readonly examples?: readonly CloudId[];
  /** Resources per example cloud (default 10). */
  readonly exampleCount?: number;
  /** Accounts (scopes) of these example clouds; the others have one scope, the unscoped API. */
  readonly exampleAccounts?: Partial<Record<CloudId, number>>;
  readonly latencyMs?: number;
  /** Clouds that get no key. */
  readonly unconfigured?: readonly CloudId[];
  readonly disabled?: readonly CloudId[];
  /** Merged over the default env (each cloud's key, HOME nowhere); a function gets the started sim. */
  readonly env?: NodeJS.ProcessEnv | ((sim: Sim) => NodeJS.ProcessEnv);
  /** Default: far above every cloud's own so tests run fast; `null` keeps the real cloud's catalogue default. */
  readonly rateLimit?: Partial<RateLimitConfig> | null;
  /** More per-cloud config (account, settings), merged over the harness's. */
  readonly config?: (cloud: CloudId, sim: Sim) => Partial<CloudConfig> | undefined;
  readonly collector?: Partial<CollectorOptions>;
  /** Changes an example cloud's catalogue entry (e.g. a flag a real cloud's entry would set). */
  readonly exampleEntry?: (entry: CloudEntry) => CloudEntry;
  /** Sign-ins a front end owns (VS Code's Microsoft account), as the extension hands them to the engine. */
  readonly signIns?: Partial<Record<CloudId, SignIn>>;
}

export type HarnessRefresh<C extends CloudId> = { readonly snapshot: Snapshot } & { readonly [K in C]: ProviderOutcome };

export interface ProviderHarness<C extends CloudId = never, S extends SimState = SimState> {
  readonly sim: Sim;
  readonly collector: Collector;
  readonly registry: ProviderRegistry;
  readonly env: NodeJS.ProcessEnv;
  /** Clouds whose provider module was loaded (example clouds only). */
  readonly loaded: Set<CloudId>;
  /** Every wait the retry policy asked for, in order. */
  readonly sleeps: number[];
  readonly log: CapturedLog;
  /** The real cloud's simulator state, to arrange data and faults. */
  state(): S;
  /** A manual refresh (cache bypassed); the real cloud's outcome under its own id. */
  refresh(options?: RefreshOptions): Promise<HarnessRefresh<C>>;
  close(): Promise<void>;
}

const FAST: RateLimitConfig = { perSecond: 1000, burst: 1000, maxWaitMs: 30_000 };

export async function startProviderHarness<C extends CloudId = never, S extends SimState = SimState>(
  options: ProviderHarnessOptions<C>,
): Promise<ProviderHarness<C, S>> {
  const real = options.real;
  const examples = options.examples ?? [];
  const sim = await startSim({
    clouds: [
      ...(real ? [real.sim] : []),
      ...examples.map((id) => exampleCloud({ id, count: options.exampleCount ?? 10, accounts: options.exampleAccounts?.[id] })),
    ],
    latencyMs: options.latencyMs ?? 0,
  });
  const loaded = new Set<CloudId>();
  const catalogue: Partial<Record<CloudId, CloudEntry>> = {};
  const env: NodeJS.ProcessEnv = { HOME: NO_HOME };
  const keyed = (cloud: CloudId) => !options.unconfigured?.includes(cloud);
  if (real) {
    const entry = realCatalogue[real.cloud]!;
    catalogue[real.cloud] = entry;
    if (keyed(real.cloud)) Object.assign(env, simKeyEnv(sim, real.cloud));
  }
  for (const cloud of examples) {
    const entry = exampleEntry(cloud, sim.endpoint(cloud), () => loaded.add(cloud), (options.exampleAccounts?.[cloud] ?? 0) > 0);
    catalogue[cloud] = options.exampleEntry ? options.exampleEntry(entry) : entry;
    if (keyed(cloud)) env[`EXAMPLE_${cloud.toUpperCase()}_KEY`] = sim.keys()[cloud];
  }
  Object.assign(env, typeof options.env === 'function' ? options.env(sim) : options.env);

  const registry = new ProviderRegistry(catalogue);
  const limiters = new RateLimiters();
  // The cache ages on the collector's clock, so a test that moves time moves both.
  const cache = new MemoryCache({ ...(options.collector?.now ? { now: options.collector.now } : {}) });
  const sleeps: number[] = [];
  const log = captureLog();
  const collector = new Collector({
    registry,
    credentials: new CredentialResolver({ catalogue, env, signIns: options.signIns }),
    signIns: options.signIns,
    cache,
    limiters,
    log,
    config: (cloud) => ({
      enabled: !options.disabled?.includes(cloud),
      ...(cloud === real?.cloud ? { endpoint: sim.endpoint(cloud) } : {}),
      ...(options.rateLimit === null && cloud === real?.cloud ? {} : { rateLimit: { ...FAST, ...options.rateLimit } }),
      ...options.config?.(cloud, sim),
    }),
    // Retries wait through this sleep, so backoff paths take milliseconds and their waits are recorded.
    retry: {
      sleep: (ms) => {
        sleeps.push(ms);
        return new Promise((resolve) => setTimeout(resolve, 1));
      },
    },
    ...options.collector,
  });
  return {
    sim,
    collector,
    registry,
    env,
    loaded,
    sleeps,
    log,
    state: () => sim.state<S>(real!.cloud),
    async refresh(refreshOptions = {}) {
      const snapshot = await collector.refresh({ force: true, ...refreshOptions });
      return { snapshot, ...(real ? { [real.cloud]: snapshot.outcomes[real.cloud] } : {}) } as HarnessRefresh<C>;
    },
    async close() {
      await collector.dispose();
      await limiters.disconnect();
      await cache.close();
      await sim.close();
    },
  };
}
