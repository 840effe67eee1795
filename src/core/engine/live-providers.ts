// The provider instances a collector keeps between refreshes: one per cloud, made on first use together with
// its HTTP client and its ApiCall (the cloud's limiter and the retry policy around every call), reused while
// the endpoint, account and credentials stay the same, and closed — connection pool included — when they
// change or the collector is disposed.
import { currentScope } from './scope-context';
import { CloudtopError } from '../errors/errors';
import type { CloudConfig } from './collector';
import { createHttpClient } from '../transport/http';
import type { Logger } from '../model/log';
import { CLOUD_NAMES, type CloudId } from '../model/model';
import type { Credentials, Provider, SignIn } from './provider';
import type { ApiCall } from '../transport/api-call';
import type { RateLimiters } from '../transport/ratelimit';
import type { ProviderRegistry } from './registry';
import type { ReferenceStore } from './reference';
import { withRetry, writeRetryable, type RetryInfo, type RetryOptions } from '../transport/retry';

export interface LiveProvidersOptions {
  readonly registry: ProviderRegistry;
  readonly limiters: RateLimiters;
  readonly retry?: Omit<RetryOptions, 'signal' | 'cloud' | 'onRetry'>;
  readonly log: Logger;
  readonly now: () => number;
  /** Front-end sign-ins by cloud: their token source reaches the provider whose credentials came from one. */
  readonly signIns?: Readonly<Partial<Record<CloudId, SignIn>>>;
  /** Where the providers' reference data is kept (ProviderContext.reference). */
  readonly reference: ReferenceStore;
  /** A call failed and will be tried again after info.delayMs. */
  readonly onRetry: (cloud: CloudId, info: RetryInfo) => void;
}

/** The one rule for an endpoint override: the endpoint unless it is the catalogue's default, trailing slashes trimmed. */
export function endpointOverrideOf(endpoint: string, catalogueDefault: string): string | undefined {
  const trimmed = endpoint.trim().replace(/\/+$/, '');
  return trimmed && trimmed !== catalogueDefault.trim().replace(/\/+$/, '') ? trimmed : undefined;
}

interface LiveProvider {
  readonly provider: Provider;
  /** What the instance was made for: endpoint, account and credentials. */
  readonly identity: string;
  close(): Promise<void>;
}

export class LiveProviders {
  private readonly live = new Map<CloudId, Promise<LiveProvider>>();

  constructor(private readonly options: LiveProvidersOptions) {}

  /**
   * The cloud's provider for this config and these credentials, initialized; a new one if either changed. `publicOnly`:
   * one made without credentials for the cloud's public price catalogue alone (Provider.initializePublic).
   */
  get(cloud: CloudId, config: CloudConfig, credentials: Credentials, publicOnly = false): Promise<Provider> {
    const entry = this.options.registry.entry(cloud)!;
    const endpoint = config.endpoint || entry.endpoint;
    const identity = JSON.stringify([endpoint, config.account ?? '', credentials, publicOnly]);
    const existing = this.live.get(cloud);
    const reuse = existing?.then((live) => (live.identity === identity ? live : undefined));
    const created = (reuse ?? Promise.resolve(undefined)).then(async (live) => {
      if (live) return live;
      await existing?.then((old) => old.close()).catch(() => undefined);
      return this.create(cloud, config, credentials, endpoint, identity, publicOnly);
    });
    // A failed initialization is retried on the next refresh rather than kept.
    created.catch(() => {
      if (this.live.get(cloud) === created) this.live.delete(cloud);
    });
    this.live.set(cloud, created);
    return created.then((live) => live.provider);
  }

  /** Closes and forgets the cloud's provider (its credentials or endpoint changed). */
  async forget(cloud: CloudId): Promise<void> {
    const live = this.live.get(cloud);
    this.live.delete(cloud);
    if (live) await live.then((l) => l.close()).catch(() => undefined);
  }

  async dispose(): Promise<void> {
    const live = [...this.live.values()];
    this.live.clear();
    await Promise.all(live.map((p) => p.then((l) => l.close()).catch(() => undefined)));
  }

  private async create(
    cloud: CloudId,
    config: CloudConfig,
    credentials: Credentials,
    endpoint: string,
    identity: string,
    publicOnly: boolean,
  ): Promise<LiveProvider> {
    const factory = await this.options.registry.factory(cloud);
    const provider = factory();
    const initialize = publicOnly ? provider.initializePublic?.bind(provider) : provider.initialize.bind(provider);
    if (!initialize)
      throw new CloudtopError({
        category: 'config',
        cloud,
        message: `${CLOUD_NAMES[cloud]} has no public price catalogue Cloudtop can read.`,
      });
    const account = config.account ?? '';
    const call = this.apiCall(cloud, account, config);
    const { log, now } = this.options;
    const errorHook = this.options.registry.entry(cloud)?.errors;
    const http = createHttpClient({ cloud, baseUrl: endpoint, call, errorHook, log, now });
    const close = async () => {
      await provider.close().catch(() => undefined);
      await http.close();
    };
    await initialize({
      cloud,
      account,
      endpoint,
      endpointOverride: endpointOverrideOf(endpoint, this.options.registry.entry(cloud)?.endpoint ?? endpoint),
      credentials,
      http,
      settings: config.settings ?? {},
      now,
      log,
      tokens: this.options.signIns?.[cloud]?.tokens,
      reference: (name, spec) =>
        this.options.reference.declare(cloud, { account, endpoint, who: this.who(cloud, credentials) }, name, spec),
    }).catch(async (error: unknown) => {
      await close();
      throw error;
    });
    return { provider, identity, close };
  }

  /**
   * Whose reference data it is: the credential's non-secret fields (tenancy, client ID, project …), so a listing one
   * identity may read is never another's. Hashed into the cache key with the account, never stored as text.
   */
  private who(cloud: CloudId, credentials: Credentials): string {
    const fields = this.options.registry.entry(cloud)?.credentialFields ?? [];
    return JSON.stringify(fields.filter((f) => !f.secret).map((f) => credentials[f.key] ?? ''));
  }

  /** Every call of a provider: through its cloud's limiter (or its endpoint's), inside the one retry policy. */
  private apiCall(cloud: CloudId, account: string, config: CloudConfig): ApiCall {
    const entry = this.options.registry.entry(cloud);
    // A cloud that meters per scope gets a budget per scope: the account's key, then the scope the call is made for.
    const budgetOf = (scope: string | undefined) => (entry?.rateLimitPerScope && scope ? `${account}/${scope}` : account);
    const limiterFor = (operation: string) => {
      const key = budgetOf(currentScope());
      // The cloud's budget first: an endpoint's budget may count within it (memoized, so made once per key).
      const cloudLimiter = this.options.limiters.forCloud(cloud, key, { ...entry?.rateLimit, ...config.rateLimit });
      const endpoint = entry?.endpointLimits?.find((limit) => operation.startsWith(limit.operation));
      return endpoint ? this.options.limiters.forCloud(cloud, key, endpoint.rateLimit, endpoint.name) : cloudLimiter;
    };
    const { log } = this.options;
    return (operation, fn, signal, callOptions) =>
      withRetry(
        (attempt) => {
          log.trace(`${cloud} ${operation}${callOptions?.write ? ' (write)' : ''}${attempt > 1 ? ` (attempt ${attempt})` : ''}`);
          const callSignal = signal ?? new AbortController().signal;
          return limiterFor(operation).schedule(() => fn(callSignal), callSignal);
        },
        {
          ...this.options.retry,
          cloud,
          hook: entry?.errors,
          signal,
          ...(callOptions?.write ? { retryable: writeRetryable } : {}),
          onRetry: (info) => {
            log.info(`${CLOUD_NAMES[cloud]} ${operation}: ${info.category}, retrying in ${Math.ceil(info.delayMs / 1000)} s`);
            this.options.onRetry(cloud, info);
          },
        },
      );
  }
}
