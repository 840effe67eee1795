// A collector wired to simulated clouds the way the front ends wire it to real ones: registry, credential
// resolver, cache, limiters. Each listed cloud id serves the example cloud (test/sim/example-cloud.ts).
import { MemoryCache } from '../../src/core/cache/memory';
import { Collector, type CloudConfig, type CollectorOptions } from '../../src/core/collector';
import { CredentialResolver } from '../../src/core/credentials';
import type { CloudId } from '../../src/core/model';
import { RateLimiters } from '../../src/core/ratelimit';
import { ProviderRegistry } from '../../src/core/registry';
import { exampleCloud } from '../sim/example-cloud';
import { startSim, type Sim } from '../sim/server';
import { exampleEntry } from './exampleProvider';

export interface Harness {
  readonly sim: Sim;
  readonly collector: Collector;
  readonly registry: ProviderRegistry;
  readonly env: NodeJS.ProcessEnv;
  readonly loaded: Set<CloudId>;
  readonly sleeps: number[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly clouds: readonly CloudId[];
  /** Clouds that get no key. */
  readonly unconfigured?: readonly CloudId[];
  readonly disabled?: readonly CloudId[];
  readonly count?: number;
  readonly latencyMs?: number;
  readonly collector?: Partial<CollectorOptions>;
  readonly config?: (cloud: CloudId) => Partial<CloudConfig>;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const sim = await startSim({
    clouds: options.clouds.map((id) => exampleCloud({ id, count: options.count ?? 10 })),
    latencyMs: options.latencyMs ?? 0,
  });
  const loaded = new Set<CloudId>();
  const catalogue: Partial<Record<CloudId, ReturnType<typeof exampleEntry>>> = {};
  const env: NodeJS.ProcessEnv = {};
  for (const cloud of options.clouds) {
    catalogue[cloud] = exampleEntry(cloud, sim.endpoint(cloud), () => loaded.add(cloud));
    if (!options.unconfigured?.includes(cloud)) env[`EXAMPLE_${cloud.toUpperCase()}_KEY`] = sim.keys()[cloud];
  }
  const registry = new ProviderRegistry(catalogue);
  const limiters = new RateLimiters();
  const cache = new MemoryCache({});
  const sleeps: number[] = [];
  const collector = new Collector({
    registry,
    credentials: new CredentialResolver({ catalogue: catalogue, env }),
    cache,
    limiters,
    config: (cloud) => ({ enabled: !options.disabled?.includes(cloud), rateLimit: { perSecond: 1000, burst: 1000 }, ...options.config?.(cloud) }),
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
    async close() {
      await collector.dispose();
      await limiters.disconnect();
      await cache.close();
      await sim.close();
    },
  };
}
