// The Azure provider, on the official Azure SDK for JavaScript (api.ts: every request sent by Cloudtop's
// transport, the pipeline's retries off, the token audience always ARM's). Scopes are subscriptions: the one
// AZURE_SUBSCRIPTION_ID (or the stored credentials) names, else every subscription `GET /subscriptions` returns
// (`cloudtop.azure.subscriptions` narrows); each has its own budget, deadline and state. Per subscription: one
// listing each of VMs (with their power states: statusOnly=true), AKS clusters and App Service sites (function apps
// kept), no call per VM. Metrics: the batch API, ⌈N/50⌉ calls per namespace and region (metrics.ts). Prices: the
// public Retail Prices API (prices.ts).
import { CloudtopError, toCloudtopError } from '../../core/errors/errors';
import {
  selectServices,
  type Capability,
  type MetricsRequest,
  type ProviderContext,
  type ProviderFactory,
  type ResourceFilter,
} from '../../core/engine/provider';
import type { GpuOffer, Resource } from '../../core/model/model';
import type { Scope } from '../../core/model/scope';
import { reused } from '../../core/transport/reused';
import type { Transport } from '../../core/transport/transport';
import { finite, text } from '../../core/transport/wire';
import { armClients, listSubscriptions, metricsClient, type ArmClients, type QueryBatch } from './api';
import { credentialOf, type ResolvedCredential } from './auth';
import { DEFAULT_AZURE_ENDPOINT, metricsEndpoint } from './hosts';
import { armPace } from './pacing';
import { AZURE_SERVICES, mapCluster, mapFunctionApp, mapVm, SERVICES, type MapContext } from './mapping';
import { fetchMetrics } from './metrics';
import { priceBook, type PriceBook } from './prices';

/** The subscription list is read once per refresh of all subscriptions, not once per subscription. */
export const SUBSCRIPTIONS_TTL_MS = 30_000;
/** A location's VM sizes (memory per size) hardly ever change. */
export const SIZES_TTL_MS = 24 * 3600_000;
/** Subscriptions that cannot be read in their current state. */
const UNREADABLE = new Set(['disabled', 'deleted']);

export const createAzureProvider: ProviderFactory = () => {
  let ctx: ProviderContext;
  let override: string | undefined;
  let signIn: ResolvedCredential;
  let arm: Transport;
  let named: string | undefined;
  let prices: PriceBook;
  let subscriptions: (signal: AbortSignal) => Promise<Record<string, unknown>[]>;
  const perSubscription = new Map<string, ArmClients>();
  const perRegion = new Map<string, QueryBatch>();
  const sizeLists = new Map<string, (signal: AbortSignal) => Promise<Map<string, number>>>();

  const clientsOf = (subscriptionId: string): ArmClients => {
    let c = perSubscription.get(subscriptionId);
    if (!c) perSubscription.set(subscriptionId, (c = armClients(signIn.credential, subscriptionId, override, arm)));
    return c;
  };

  const metricsOf = (region: string): QueryBatch => {
    let q = perRegion.get(region);
    if (!q) {
      const transport = ctx.http.transport({ origins: [new URL(metricsEndpoint(region, override)).origin], expectJson: true });
      perRegion.set(region, (q = metricsClient(signIn.credential, region, override, transport)));
    }
    return q;
  };

  /** Memory in bytes per size of one location of one subscription (for Available Memory Bytes → percent). */
  const sizesOf = (subscriptionId: string, location: string) => {
    const key = `${subscriptionId}|${location}`;
    let load = sizeLists.get(key);
    if (!load) {
      load = reused(SIZES_TTL_MS, ctx.now, async (signal) => {
        const sizes = await clientsOf(subscriptionId).vmSizes(location, signal);
        return new Map(sizes.map((s) => [(text(s.name) ?? '').toLowerCase(), (finite(s.memoryInMB) ?? 0) * 1024 * 1024] as const));
      });
      sizeLists.set(key, load);
    }
    return load;
  };

  /** A listing of a resource provider the subscription never registered is an empty one, not a failure. */
  const unlessUnregistered = (listing: Promise<Record<string, unknown>[]>): Promise<Record<string, unknown>[]> =>
    listing.catch((error: unknown) => {
      if (toCloudtopError(error, 'azure').code === 'MissingSubscriptionRegistration') return [];
      throw error;
    });

  return {
    cloud: 'azure',
    name: 'Azure',
    capabilities: new Set<Capability>(['compute', 'gpu', 'serverless']),

    initialize(context) {
      ctx = context;
      // An override is one origin for every Azure host; a non-URL fails here.
      override = context.endpointOverride && new URL(context.endpointOverride).origin;
      signIn = credentialOf(context.credentials, context.now, context.tokens);
      named = context.credentials.subscriptionId?.trim() || undefined;
      arm = ctx.http.transport({ origins: [new URL(override ?? DEFAULT_AZURE_ENDPOINT).origin], expectJson: true, pace: armPace });
      prices = priceBook(ctx, override);
      subscriptions = reused(SUBSCRIPTIONS_TTL_MS, ctx.now, (signal) => listSubscriptions(signIn.credential, override, arm, signal));
      return Promise.resolve();
    },

    async healthCheck(signal) {
      await subscriptions(signal);
    },

    listServices: () => AZURE_SERVICES,

    async listScopes(signal): Promise<Scope[]> {
      let listed: Record<string, unknown>[];
      try {
        listed = await subscriptions(signal);
      } catch (error) {
        const reason = toCloudtopError(error, 'azure');
        // A principal that may read its one subscription but not list subscriptions still shows that one.
        if (!named || signal.aborted || reason.category === 'auth') throw reason;
        ctx.log.warn(`Azure: subscriptions not listed (${reason.message}); showing ${named}.`);
        return [{ id: named, label: named, kind: 'subscription' }];
      }
      const scopes = listed
        .filter((s) => typeof s.subscriptionId === 'string' && !UNREADABLE.has((text(s.state) ?? '').toLowerCase()))
        .map((s): Scope => ({
          id: s.subscriptionId as string,
          label: text(s.displayName) ?? (s.subscriptionId as string),
          kind: 'subscription',
        }));
      if (!named) return scopes;
      return [scopes.find((s) => s.id.toLowerCase() === named!.toLowerCase()) ?? { id: named, label: named, kind: 'subscription' }];
    },

    async listResources(filter: ResourceFilter, signal, scope): Promise<Resource[]> {
      const subscriptionId = scope?.id || named;
      if (!subscriptionId)
        throw new CloudtopError({
          category: 'config',
          cloud: 'azure',
          message:
            'No Azure subscription to read: the identity can list none. Set AZURE_SUBSCRIPTION_ID, or grant it Reader on a subscription.',
        });
      const wants = selectServices(filter, SERVICES.gpu);
      const c = clientsOf(subscriptionId);
      const [vms, clusters, sites] = await Promise.all([
        wants(SERVICES.gpu) || wants(SERVICES.vm) ? c.virtualMachines(signal) : [],
        wants(SERVICES.aks) ? unlessUnregistered(c.managedClusters(signal)) : [],
        wants(SERVICES.functions) ? unlessUnregistered(c.sites(signal)) : [],
      ]);
      // Prices for the GPU sizes that run here (and the comparison's sizes): a failure shows no price, not no VMs.
      const gpuSizes = vms
        .map((vm) => text((vm.hardwareProfile as Record<string, unknown> | undefined)?.vmSize))
        .filter((s): s is string => !!s && /^standard_n[cdv]/i.test(s));
      await prices.load(gpuSizes, signal).catch((error: unknown) => {
        if (signal.aborted) throw error;
        ctx.log.warn(`Azure: retail prices not read (${toCloudtopError(error, 'azure').message}); GPU VMs show no price.`);
      });
      const map: MapContext = { account: ctx.account, tenantId: signIn.tenantId, priceOf: prices.priceOf };
      return [
        ...vms.map((vm) => mapVm(vm, map)),
        ...clusters.map((cluster) => mapCluster(cluster, map)),
        ...sites.map((site) => mapFunctionApp(site, map)),
      ].filter((r): r is Resource => r !== undefined && wants(r.service) && (!filter.gpuOnly || r.gpu !== undefined));
    },

    async getMetrics(request: MetricsRequest, signal) {
      const subscriptionId = request.scope?.id || named || '';
      const vms = request.resources.filter(
        (r) => (r.kind === 'instance' || r.kind === 'gpu-instance') && r.status === 'running' && r.region,
      );
      const memory = new Map<string, Map<string, number>>();
      await Promise.all(
        [...new Set(vms.map((r) => r.region!))].map(async (location) => {
          try {
            memory.set(location, await sizesOf(subscriptionId, location)(signal));
          } catch (error) {
            if (signal.aborted) throw error;
            ctx.log.warn(
              `Azure: VM sizes of ${location} not read (${toCloudtopError(error, 'azure').message}); memory shows no percentage.`,
            );
          }
        }),
      );
      const memoryBytes = (r: Resource) => memory.get(r.region ?? '')?.get(String(r.details?.size ?? '').toLowerCase()) || undefined;
      return fetchMetrics(request.resources, request.window, (region, batch, s) => metricsOf(region)(batch, s), memoryBytes, signal);
    },

    async listGpuOffers(signal): Promise<GpuOffer[]> {
      await prices.load([], signal);
      return prices.offers(new Date(ctx.now()).toISOString());
    },

    close() {
      perSubscription.clear();
      perRegion.clear();
      sizeLists.clear();
      return Promise.resolve();
    },
  };
};
