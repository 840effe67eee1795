// A collector wired the way the front ends wire it, with the real Vast.ai catalogue entry (credentials, rate-limit
// defaults, lazy provider load) pointed at the simulated Vast.ai through the endpoint override, beside the example
// cloud mounted as 'runpod' — so every Vast.ai failure can be checked for leaving another cloud untouched.
import { MemoryCache } from '../../src/core/cache/memory';
import { Collector, type CollectorOptions } from '../../src/core/collector';
import { CredentialResolver } from '../../src/core/credentials';
import type { CloudId } from '../../src/core/model';
import type { RateLimitConfig } from '../../src/core/ratelimit';
import { RateLimiters } from '../../src/core/ratelimit';
import { ProviderRegistry, type Catalogue } from '../../src/core/registry';
import { catalogue as realCatalogue } from '../../src/providers/index';
import { exampleCloud } from '../sim/example-cloud';
import { startSim, type Sim } from '../sim/server';
import { vastCloud, type VastCloudOptions, type VastState } from '../sim/vastai';
import { exampleEntry } from './exampleProvider';

export interface VastHarness {
  readonly sim: Sim;
  readonly collector: Collector;
  readonly env: NodeJS.ProcessEnv;
  /** Every wait the retry policy asked for, in order. */
  readonly sleeps: number[];
  vast(): VastState;
  close(): Promise<void>;
}

export interface VastHarnessOptions {
  readonly vast?: VastCloudOptions;
  /** Default: raised far above Vast.ai's own so tests run fast; pass `null` to keep the catalogue's default. */
  readonly rateLimit?: Partial<RateLimitConfig> | null;
  readonly collector?: Partial<CollectorOptions>;
}

export async function startVastHarness(options: VastHarnessOptions = {}): Promise<VastHarness> {
  const sim = await startSim({ clouds: [vastCloud(options.vast), exampleCloud({ id: 'runpod', count: 5 })] });
  const vastai = realCatalogue.vastai!;
  const catalogue: Catalogue = { vastai, runpod: exampleEntry('runpod', sim.endpoint('runpod')) };
  // Only the passed env is read (no HOME), so a developer's own Vast.ai key file can never leak into a test.
  const env: NodeJS.ProcessEnv = { VAST_API_KEY: sim.keys().vastai, EXAMPLE_RUNPOD_KEY: sim.keys().runpod };
  const limiters = new RateLimiters();
  const cache = new MemoryCache({});
  const sleeps: number[] = [];
  const fast = { perSecond: 1000, burst: 1000 };
  const collector = new Collector({
    registry: new ProviderRegistry(catalogue),
    credentials: new CredentialResolver({ catalogue, env }),
    cache,
    limiters,
    config: (cloud: CloudId) => ({
      enabled: true,
      ...(cloud === 'vastai' ? { endpoint: sim.endpoint('vastai') } : {}),
      ...(options.rateLimit === null && cloud === 'vastai' ? {} : { rateLimit: { ...fast, ...options.rateLimit } }),
    }),
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
    env,
    sleeps,
    vast: () => sim.state<VastState>('vastai'),
    async close() {
      await collector.dispose();
      await limiters.disconnect();
      await cache.close();
      await sim.close();
    },
  };
}
