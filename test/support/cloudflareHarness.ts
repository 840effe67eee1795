// A collector wired the way the front ends wire it, with the real Cloudflare catalogue entry (credentials, rate-limit
// defaults, lazy provider load and with it the SDK) pointed at the simulated Cloudflare API through the endpoint
// override, beside the example cloud mounted as 'vastai' — so every Cloudflare failure can be checked for leaving
// another cloud untouched. Only the passed env is read (HOME points nowhere), so a developer's own wrangler login
// or CLOUDFLARE_* variables never reach a test.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryCache } from '../../src/core/cache/memory';
import { Collector, type CloudConfig, type CollectorOptions } from '../../src/core/collector';
import { CredentialResolver } from '../../src/core/credentials';
import type { CloudId, ProviderOutcome, Snapshot } from '../../src/core/model';
import type { RateLimitConfig } from '../../src/core/ratelimit';
import { RateLimiters } from '../../src/core/ratelimit';
import { ProviderRegistry, type Catalogue } from '../../src/core/registry';
import { catalogue as realCatalogue } from '../../src/providers/index';
import { cloudflareCloud, type CloudflareCloudOptions, type CloudflareState } from '../sim/cloudflare';
import { exampleCloud } from '../sim/example-cloud';
import { startSim, type Sim } from '../sim/server';
import { captureLog, type CapturedLog } from './capture-log';
import { exampleEntry } from './exampleProvider';

export interface CloudflareHarness {
  readonly sim: Sim;
  readonly collector: Collector;
  readonly registry: ProviderRegistry;
  /** Every wait the retry policy asked for, in order. */
  readonly sleeps: number[];
  readonly log: CapturedLog;
  state(): CloudflareState;
  refresh(options?: Parameters<Collector['refresh']>[0]): Promise<{ snapshot: Snapshot; cloudflare: ProviderOutcome }>;
  close(): Promise<void>;
}

export interface CloudflareHarnessOptions {
  readonly cloudflare?: CloudflareCloudOptions;
  /** Merged over the default env (CLOUDFLARE_API_TOKEN = the sim's key, no account id, HOME nowhere); a function gets the started sim. */
  readonly env?: NodeJS.ProcessEnv | ((sim: Sim) => NodeJS.ProcessEnv);
  /** Default: raised far above the catalogue's so tests run fast; `null` keeps the catalogue's 4/s, burst 10. */
  readonly rateLimit?: Partial<RateLimitConfig> | null;
  readonly config?: Partial<CloudConfig> | ((sim: Sim) => Partial<CloudConfig>);
  readonly collector?: Partial<CollectorOptions>;
}

export const NO_HOME = join(tmpdir(), 'cloudtop-cloudflare-test-no-home');

/** The account that holds the simulated resources, as CLOUDFLARE_ACCOUNT_ID (so no discovery call is made). */
export const withAccountId = (sim: Sim): NodeJS.ProcessEnv => ({ CLOUDFLARE_ACCOUNT_ID: sim.state<CloudflareState>('cloudflare').accountId });

export async function startCloudflareHarness(options: CloudflareHarnessOptions = {}): Promise<CloudflareHarness> {
  const sim = await startSim({ clouds: [cloudflareCloud(options.cloudflare), exampleCloud({ id: 'vastai', count: 5 })] });
  const catalogue: Catalogue = { cloudflare: realCatalogue.cloudflare, vastai: exampleEntry('vastai', sim.endpoint('vastai')) };
  const extra = typeof options.env === 'function' ? options.env(sim) : options.env;
  const env: NodeJS.ProcessEnv = { CLOUDFLARE_API_TOKEN: sim.keys().cloudflare, EXAMPLE_VASTAI_KEY: sim.keys().vastai, HOME: NO_HOME, ...extra };
  const limiters = new RateLimiters();
  const cache = new MemoryCache({});
  const sleeps: number[] = [];
  const log = captureLog();
  const fast = { perSecond: 1000, burst: 1000 };
  const registry = new ProviderRegistry(catalogue);
  const collector = new Collector({
    registry,
    credentials: new CredentialResolver({ catalogue, env }),
    cache,
    limiters,
    log,
    config: (cloud: CloudId) => ({
      enabled: true,
      ...(cloud === 'cloudflare' ? { endpoint: sim.endpoint('cloudflare'), ...(typeof options.config === 'function' ? options.config(sim) : options.config) } : {}),
      ...(options.rateLimit === null && cloud === 'cloudflare' ? {} : { rateLimit: { ...fast, ...options.rateLimit } }),
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
    registry,
    sleeps,
    log,
    state: () => sim.state<CloudflareState>('cloudflare'),
    async refresh(refreshOptions = {}) {
      const snapshot = await collector.refresh({ force: true, ...refreshOptions });
      return { snapshot, cloudflare: snapshot.outcomes.cloudflare! };
    },
    async close() {
      await collector.dispose();
      await limiters.disconnect();
      await cache.close();
      await sim.close();
    },
  };
}
