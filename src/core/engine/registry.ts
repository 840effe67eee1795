// The mechanism that maps a cloud id to a lazy factory. It imports no provider: the front ends hand it the
// catalogue (src/providers/index.ts), whose `load` functions use dynamic import so a cloud's SDK is only
// loaded once that cloud is enabled (in the bundles, a require of dist/providers/<cloud>.js: see esbuild.mjs).
// Everything a UI needs before loading (names, credential fields, endpoints) is static metadata here.
import { CloudtopError, type CloudErrorHook } from '../errors/errors';
import type { CloudId } from '../model/model';
import type { CredentialField, Credentials } from '../credentials/fields';
import type { CloudActions, ProviderFactory } from './provider';
import type { RateLimitConfig } from '../transport/rate-budget';

export type { CredentialField } from '../credentials/fields';

/** A budget of its own for the calls whose operation (`METHOD /path …`) starts with `operation`. */
export interface EndpointLimit {
  /** Names the budget (in Redis keys, with the cloud and account). */
  readonly name: string;
  readonly operation: string;
  readonly rateLimit: RateLimitDefaults;
}

/**
 * A cloud's documented budget: its windows (a request waits until every one has room), or the older single token
 * bucket (`perSecond`, `burst`). `withinCloudBudget` (endpoint limits only): the endpoint's calls count against the
 * cloud's budget too.
 */
export type RateLimitDefaults = Readonly<Omit<RateLimitConfig, 'maxWaitMs'>>;

export interface CloudEntry {
  readonly cloud: CloudId;
  readonly displayName: string;
  /** Default API base URL. */
  readonly endpoint: string;
  readonly credentialFields: readonly CredentialField[];
  /** The cloud's documented limits, when it has them; else Cloudtop's default (4 requests/s, burst 10) applies. */
  readonly rateLimit?: RateLimitDefaults;
  /**
   * Calls a cloud meters apart from the rest (Vast.ai limits each endpoint separately): each gets a budget of
   * its own, so they neither wait behind the others nor earn a 429 the cloud-wide budget would allow.
   */
  readonly endpointLimits?: readonly EndpointLimit[];
  /**
   * The cloud meters each scope apart (Azure's limits are per subscription, Google's quotas per project): each
   * scope's requests get the budget of their own, keyed by the scope, instead of sharing the credential's.
   */
  readonly rateLimitPerScope?: boolean;
  /**
   * How long GPU offers are reused when the cloud's documented limits call for longer than the collector's default
   * (15 minutes); every refresh, a manual one included, reuses them until then.
   */
  readonly offersTtlMs?: number;
  /**
   * A floor under the per-cloud refresh deadline, for clouds whose documented limits make a large account
   * slow to list (Vast.ai pages 25 instances per call at about one call per second).
   */
  readonly minDeadlineMs?: number;
  /**
   * The cloud's error knowledge (codes, hints: src/providers/<cloud>/errors.ts), applied where each request's error
   * is made, inside the retry loop, so its category decides whether the request is tried again. In the main bundle
   * through the catalogue: tiny, and it imports no SDK.
   */
  readonly errors?: CloudErrorHook;
  /**
   * Reads the cloud's own default credential location (its CLI's key file, ~/.oci/config …), when it has one.
   * Must not load the SDK: it runs before the cloud is known to be configured.
   */
  readonly readDefaultCredentials?: (env: NodeJS.ProcessEnv) => Promise<Credentials | undefined>;
  /**
   * Who the cloud's own CLI is signed in as (an account e-mail, never a secret), in words for the first-run welcome:
   * "gcloud is signed in as dev@example.com". Must not load the SDK nor run the CLI.
   */
  readonly describeLogin?: (env: NodeJS.ProcessEnv) => Promise<string | undefined>;
  /**
   * Stop and start, where the cloud has stoppable compute: which resources take them, what a stop keeps costing and
   * loses, and when a resource is already there. The write itself is the provider's `act`. SDK-free.
   */
  readonly actions?: CloudActions;
  /**
   * The cloud's GPU price catalogue is public, read without any credential (Oracle's price list, Azure's Retail Prices
   * API). A refresh that asks for public offers (RefreshOptions.publicOffers) lists them for the cloud before it is
   * connected, through the provider's `initializePublic`; the provider module (and its SDK) loads only then.
   */
  readonly publicOffers?: boolean;
  /** Loads the provider module (and its SDK) on first use. */
  readonly load: () => Promise<ProviderFactory>;
}

export type Catalogue = Readonly<Partial<Record<CloudId, CloudEntry>>>;

/** Memoizes each cloud's module load so an SDK is imported at most once, and only when asked for. */
export class ProviderRegistry {
  private readonly loading = new Map<CloudId, Promise<ProviderFactory>>();

  constructor(private readonly catalogue: Catalogue) {}

  entry(cloud: CloudId): CloudEntry | undefined {
    return this.catalogue[cloud];
  }

  clouds(): CloudId[] {
    return Object.keys(this.catalogue) as CloudId[];
  }

  /** Whether the cloud's module has been requested (for tests that prove laziness). */
  isLoaded(cloud: CloudId): boolean {
    return this.loading.has(cloud);
  }

  factory(cloud: CloudId): Promise<ProviderFactory> {
    const entry = this.catalogue[cloud];
    if (!entry) return Promise.reject(new Error(`Unknown cloud: ${cloud}`));
    let pending = this.loading.get(cloud);
    if (!pending) {
      pending = entry.load().catch((error: unknown) => {
        throw loadFailure(entry, error);
      });
      // A failed load (e.g. a broken install) is not cached, so the next refresh tries again.
      pending.catch(() => this.loading.delete(cloud));
      this.loading.set(cloud, pending);
    }
    return pending;
  }
}

/** A provider module that does not load (dist/providers/<cloud>.js missing or damaged) fails its cloud alone, saying why. */
function loadFailure(entry: CloudEntry, error: unknown): CloudtopError {
  const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  return new CloudtopError({
    category: 'config',
    cloud: entry.cloud,
    message: `Cloudtop could not load its ${entry.displayName} module (${reason}). Reinstall Cloudtop; in a checkout, run npm run build.`,
    cause: error,
  });
}
