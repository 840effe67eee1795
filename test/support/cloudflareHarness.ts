// The real Cloudflare provider (and with it the SDK) against the simulated Cloudflare API, beside the example
// cloud mounted as 'vastai'. Only the passed env is read (HOME points nowhere), so a developer's own wrangler login
// or CLOUDFLARE_* variables never reach a test.
import type { CloudConfig, CollectorOptions } from '../../src/core/engine/collector';
import type { RateLimitConfig } from '../../src/core/transport/ratelimit';
import { cloudflareCloud, type CloudflareCloudOptions, type CloudflareState } from '../sim/cloudflare';
import type { Sim } from '../sim/server';
import { startProviderHarness, type ProviderHarness } from './providerHarness';

export type CloudflareHarness = ProviderHarness<'cloudflare', CloudflareState>;

export interface CloudflareHarnessOptions {
  readonly cloudflare?: CloudflareCloudOptions;
  /** Merged over the default env (CLOUDFLARE_API_TOKEN = the sim's key, no account id, HOME nowhere); a function gets the started sim. */
  readonly env?: NodeJS.ProcessEnv | ((sim: Sim) => NodeJS.ProcessEnv);
  /** Default: raised far above the catalogue's so tests run fast; `null` keeps the catalogue's 4/s, burst 10. */
  readonly rateLimit?: Partial<RateLimitConfig> | null;
  readonly config?: Partial<CloudConfig> | ((sim: Sim) => Partial<CloudConfig>);
  readonly collector?: Partial<CollectorOptions>;
}

/** The account that holds the simulated resources, as CLOUDFLARE_ACCOUNT_ID (so no discovery call is made). */
export const withAccountId = (sim: Sim): NodeJS.ProcessEnv => ({
  CLOUDFLARE_ACCOUNT_ID: sim.state<CloudflareState>('cloudflare').accountId,
});

export function startCloudflareHarness(options: CloudflareHarnessOptions = {}): Promise<CloudflareHarness> {
  const { config } = options;
  return startProviderHarness<'cloudflare', CloudflareState>({
    real: { cloud: 'cloudflare', sim: cloudflareCloud(options.cloudflare) },
    examples: ['vastai'],
    exampleCount: 5,
    env: options.env,
    rateLimit: options.rateLimit,
    config: (cloud, sim) => (cloud === 'cloudflare' ? (typeof config === 'function' ? config(sim) : config) : undefined),
    collector: options.collector,
  });
}
