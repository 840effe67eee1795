// The Azure provider, on the official Azure SDK for JavaScript (api.ts: every request sent by Cloudtop's
// transport, the pipeline's retries off, the token audience always ARM's). Scopes are subscriptions: the one
// AZURE_SUBSCRIPTION_ID (or the stored credentials) names, else every subscription `GET /subscriptions` returns
// (`cloudtop.azure.subscriptions` narrows); each has its own budget, deadline and state. Per subscription: one
// listing each of VMs (with their power states: statusOnly=true), AKS clusters and App Service sites (function apps
// kept), no call per VM. Metrics: the batch API, ⌈N/50⌉ calls per namespace and region (metrics.ts). Prices: the
// public Retail Prices API (prices.ts).
import { DAY, MINUTE } from '../../core/model/duration';
import { CloudtopError, toCloudtopError } from '../../core/errors/errors';
import {
  listings,
  selectServices,
  type Capability,
  type Reference,
  type MetricsRequest,
  type ProviderContext,
  type ProviderFactory,
  type ResourceFilter,
  type ResourceListing,
} from '../../core/engine/provider';
import type { GpuOffer, Resource } from '../../core/model/model';
import type { Scope } from '../../core/model/scope';
import type { Transport } from '../../core/transport/transport';
import { finite, text } from '../../core/transport/wire';
import { armClients, listSubscriptions, metricsClient, type ArmClients, type QueryBatch } from './api';
import { credentialOf, type ResolvedCredential } from './auth';
import { DEFAULT_AZURE_ENDPOINT, metricsEndpoint } from './hosts';
import { armPace } from './pacing';
import { AZURE_SERVICES, mapCluster, mapFunctionApp, mapVm, SERVICES, type MapContext } from './mapping';
import { fetchMetrics } from './metrics';
import { loadPriceBook, readSizePrices, type SizePrices } from './prices';

/** What Cloudtop keeps of a subscription (reference data: JSON). */
interface Subscription {
  readonly subscriptionId?: string;
  readonly displayName?: string;
  readonly state?: string;
}

/** Subscriptions that cannot be read in their current state. */
const UNREADABLE = new Set(['disabled', 'deleted']);

export const createAzureProvider: ProviderFactory = () => {
  let ctx: ProviderContext;
  let override: string | undefined;
  let signIn: ResolvedCredential;
  let arm: Transport;
  let named: string | undefined;
  // Reference data the engine keeps (declared in initialize()).
  let subscriptions: Reference<Subscription[]>;
  let vmSizes: Reference<Record<string, number>>;
  let retail: Reference<SizePrices>;
  const perSubscription = new Map<string, ArmClients>();
  const perRegion = new Map<string, QueryBatch>();

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

  /** Memory in bytes per size (lower-cased) of one location of one subscription (for Available Memory Bytes → percent). */
  const readVmSizes = async (signal: AbortSignal, key: string): Promise<Record<string, number>> => {
    const [subscriptionId, location] = key.split('|');
    const sizes = await clientsOf(subscriptionId).vmSizes(location, signal);
    return Object.fromEntries(sizes.map((s) => [(text(s.name) ?? '').toLowerCase(), (finite(s.memoryInMB) ?? 0) * 1024 * 1024] as const));
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
      // The service principal's token requests: the same pipeline, to the authority host alone.
      signIn = credentialOf(
        context.credentials,
        context.now,
        (origins) => ctx.http.transport({ origins, expectJson: true }),
        context.tokens,
      );
      named = context.credentials.subscriptionId?.trim() || undefined;
      arm = ctx.http.transport({ origins: [new URL(override ?? DEFAULT_AZURE_ENDPOINT).origin], expectJson: true, pace: armPace });
      subscriptions = ctx.reference('subscriptions', {
        label: 'Azure subscriptions',
        ttlMs: 10 * MINUTE,
        load: async (signal) =>
          (await listSubscriptions(signIn.credential, override, arm, signal)).map((s): Subscription => ({
            subscriptionId: text(s.subscriptionId),
            displayName: text(s.displayName),
            state: text(s.state),
          })),
      });
      // A location's VM sizes (memory per size) hardly ever change.
      vmSizes = ctx.reference('vm-sizes', {
        label: 'Azure VM sizes',
        ttlMs: DAY,
        withoutIt: 'memory shows no percentage',
        load: readVmSizes,
      });
      // Public retail prices, one entry per size, shared by every subscription and account reading the same origin.
      retail = ctx.reference('retail-prices', {
        label: 'Azure retail prices',
        ttlMs: DAY,
        shared: true,
        withoutIt: 'GPU VMs show "price unknown"',
        load: (signal, size) => readSizePrices(ctx, override, size, signal),
      });
      return Promise.resolve();
    },

    async healthCheck(signal) {
      await subscriptions.get(signal);
    },

    listServices: () => AZURE_SERVICES,

    async listScopes(signal): Promise<Scope[]> {
      // A principal that may read its one subscription but not list subscriptions still shows that one.
      const answer = named ? await subscriptions.tryGet(signal) : { value: await subscriptions.get(signal) };
      if (!answer.value) return [{ id: named!, label: named!, kind: 'subscription' }];
      const scopes = answer.value
        .filter((s) => s.subscriptionId !== undefined && !UNREADABLE.has((s.state ?? '').toLowerCase()))
        .map((s): Scope => ({ id: s.subscriptionId!, label: s.displayName ?? s.subscriptionId!, kind: 'subscription' }));
      if (!named) return scopes;
      return [scopes.find((s) => s.id.toLowerCase() === named!.toLowerCase()) ?? { id: named, label: named, kind: 'subscription' }];
    },

    async listResources(filter: ResourceFilter, signal, scope): Promise<ResourceListing> {
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
      // The VMs are what a subscription is about: their failure fails it. AKS and sites are listings of their own: one
      // that fails is a warning, and the VMs still show.
      const got = await listings('azure', signal, {
        'Virtual machines':
          wants(SERVICES.gpu) || wants(SERVICES.vm)
            ? { services: [SERVICES.gpu, SERVICES.vm], primary: true, list: (s) => c.virtualMachines(s) }
            : undefined,
        'AKS clusters': wants(SERVICES.aks)
          ? { services: [SERVICES.aks], list: (s) => unlessUnregistered(c.managedClusters(s)) }
          : undefined,
        'Function apps': wants(SERVICES.functions)
          ? { services: [SERVICES.functions], list: (s) => unlessUnregistered(c.sites(s)) }
          : undefined,
      });
      const vms = got.values['Virtual machines'] ?? [];
      const clusters = got.values['AKS clusters'] ?? [];
      const sites = got.values['Function apps'] ?? [];
      // Prices for the GPU sizes that run here (and the comparison's sizes): a failure shows no price, not no VMs.
      const gpuSizes = vms
        .map((vm) => text((vm.hardwareProfile as Record<string, unknown> | undefined)?.vmSize))
        .filter((s): s is string => !!s && /^standard_n[cdv]/i.test(s));
      const prices = await loadPriceBook(retail, gpuSizes, signal);
      const map: MapContext = { account: ctx.account, tenantId: signIn.tenantId, prices };
      const resources = [
        ...vms.map((vm) => mapVm(vm, map)),
        ...clusters.map((cluster) => mapCluster(cluster, map)),
        ...sites.map((site) => mapFunctionApp(site, map)),
      ].filter((r): r is Resource => r !== undefined && wants(r.service) && (!filter.gpuOnly || r.gpu !== undefined));
      return { resources, problems: got.problems };
    },

    async getMetrics(request: MetricsRequest, signal) {
      const subscriptionId = request.scope?.id || named || '';
      const vms = request.resources.filter(
        (r) => (r.kind === 'instance' || r.kind === 'gpu-instance') && r.status === 'running' && r.region,
      );
      const memory = new Map<string, Record<string, number>>();
      await Promise.all(
        [...new Set(vms.map((r) => r.region!))].map(async (location) => {
          const sizes = await vmSizes.tryGet(signal, `${subscriptionId}|${location}`);
          if (sizes.value) memory.set(location, sizes.value);
        }),
      );
      const memoryBytes = (r: Resource) => memory.get(r.region ?? '')?.[String(r.details?.size ?? '').toLowerCase()] || undefined;
      return fetchMetrics(request.resources, request.window, (region, batch, s) => metricsOf(region)(batch, s), memoryBytes, signal);
    },

    async listGpuOffers(signal): Promise<GpuOffer[]> {
      return (await loadPriceBook(retail, [], signal)).offers(new Date(ctx.now()).toISOString());
    },

    close() {
      // A provider that never started has no sign-in yet; one that did ends its `az` runs (their process groups).
      (signIn as ResolvedCredential | undefined)?.close?.();
      perSubscription.clear();
      perRegion.clear();
      return Promise.resolve();
    },
  };
};
