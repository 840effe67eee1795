// The Azure provider, on the official Azure SDK for JavaScript (api.ts: every request sent by Cloudtop's
// transport, the pipeline's retries off, the token audience always ARM's). Scopes are subscriptions: the one
// AZURE_SUBSCRIPTION_ID (or the stored credentials) names, else every subscription of every tenant the sign-in can
// use (`GET /tenants`, then `GET /subscriptions` with each tenant's token; `cloudtop.azure.subscriptions` narrows);
// each has its own budget, deadline and state, and a tenant that cannot be read is one failing scope. Per
// subscription: one listing each of VMs (with their power states: statusOnly=true), scale sets (and, per Uniform
// scale set with GPUs, its instances with their instance views), AKS clusters and App Service sites (function apps
// kept), no call per VM or instance. Sizes go through the location's Resource SKUs (reference data): canonical names
// for the case-sensitive price filter, GPU counts. Metrics: the batch API, ⌈N/50⌉ calls per namespace and region
// (metrics.ts). Prices: the public Retail Prices API (prices.ts). Stop and start (`act`, actions.ts): a VM's or a
// scale-set instance's deallocate or start through arm-compute's `begin…`, resolved once Azure accepted it.
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
import type { ErrorCategory, GpuOffer, Resource } from '../../core/model/model';
import type { Scope } from '../../core/model/scope';
import type { Transport } from '../../core/transport/transport';
import { finite, mapConcurrent, record, text } from '../../core/transport/wire';
import { armClients, listSubscriptions, listTenants, metricsClient, type ArmClients, type QueryBatch } from './api';
import { credentialOf, type ResolvedCredential } from './auth';
import { DEFAULT_AZURE_ENDPOINT, metricsEndpoint } from './hosts';
import { armPace } from './pacing';
import {
  armRegion,
  AZURE_SERVICES,
  mapCluster,
  mapFunctionApp,
  mapScaleSetVm,
  mapVm,
  resourceGroupOf,
  SERVICES,
  type MapContext,
} from './mapping';
import { fetchMetrics } from './metrics';
import { loadPriceBook, readSizePrices, type SizePrices } from './prices';
import { gpuOfSize, readSkuFacts, type SkuFacts } from './sizes';

/** A GPU scale set and its instances (with their instance views). */
type ScaleSets = { readonly set: Record<string, unknown>; readonly vms: Record<string, unknown>[] }[];

/** A scale set's instance (what the scale-set listing keeps when it fails). */
const inScaleSet = (r: Resource) => r.details?.['scale set'] !== undefined;

/**
 * The parts of a VM's ARM id (`/subscriptions/{sub}/resourceGroups/{group}/providers/Microsoft.Compute/virtualMachines/
 * {name}`) or of a scale set's instance (`…/virtualMachineScaleSets/{name}/virtualMachines/{instanceId}`); ids compare
 * without case.
 */
function vmOfId(id: string): { subscriptionId: string; resourceGroup: string; name: string; instanceId?: string } | undefined {
  const m =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/(virtualMachines|virtualMachineScaleSets)\/([^/]+)(?:\/virtualMachines\/([^/]+))?$/i.exec(
      id,
    );
  if (!m) return undefined;
  const [, subscriptionId, resourceGroup, type, name, instanceId] = m;
  const scaleSet = type.toLowerCase() === 'virtualmachinescalesets';
  if (scaleSet !== (instanceId !== undefined)) return undefined;
  return { subscriptionId, resourceGroup, name, ...(instanceId !== undefined ? { instanceId } : {}) };
}

/** What Cloudtop keeps of a subscription (reference data: JSON). */
interface Subscription {
  readonly subscriptionId?: string;
  readonly displayName?: string;
  readonly state?: string;
  /** The tenant (directory) it belongs to: its requests carry that tenant's token. */
  readonly tenantId?: string;
}

/** A tenant of the account whose subscriptions could not be listed (it needs a fresh sign-in, say). */
interface UnreadTenant {
  readonly tenantId: string;
  readonly label: string;
  readonly category: ErrorCategory;
  readonly message: string;
}

/** The subscriptions the account can read, in every tenant it can use (reference data: JSON). */
interface Directory {
  readonly subscriptions: readonly Subscription[];
  readonly unread: readonly UnreadTenant[];
}

/** The scope standing for a tenant whose subscriptions could not be listed: its error is that tenant's. */
const TENANT_SCOPE = 'tenant:';

/** Tenants whose subscriptions are listed at once. */
const TENANTS_AT_ONCE = 4;

/** Subscriptions that cannot be read in their current state. */
const UNREADABLE = new Set(['disabled', 'deleted']);

export const createAzureProvider: ProviderFactory = () => {
  let ctx: ProviderContext;
  let override: string | undefined;
  let signIn: ResolvedCredential;
  let arm: Transport;
  let named: string | undefined;
  // Reference data the engine keeps (declared in initialize()).
  let subscriptions: Reference<Directory>;
  /** Each subscription's tenant (lower-cased id → tenant), and the last directory read, from listScopes. */
  const tenantOf = new Map<string, string | undefined>();
  let unread: readonly UnreadTenant[] = [];
  let skus: Reference<Record<string, SkuFacts>>;
  let retail: Reference<SizePrices>;
  const perSubscription = new Map<string, ArmClients>();
  const perRegion = new Map<string, QueryBatch>();

  /** The credential of a subscription: its tenant's token. */
  const credentialOfSubscription = (subscriptionId: string) =>
    signIn.forTenant?.(tenantOf.get(subscriptionId.toLowerCase())) ?? signIn.credential;

  const clientsOf = (subscriptionId: string): ArmClients => {
    let c = perSubscription.get(subscriptionId);
    if (!c) perSubscription.set(subscriptionId, (c = armClients(credentialOfSubscription(subscriptionId), subscriptionId, override, arm)));
    return c;
  };

  const metricsOf = (subscriptionId: string, region: string): QueryBatch => {
    const tenant = tenantOf.get(subscriptionId.toLowerCase()) ?? '';
    let q = perRegion.get(`${tenant}|${region}`);
    if (!q) {
      const transport = ctx.http.transport({ origins: [new URL(metricsEndpoint(region, override)).origin], expectJson: true });
      perRegion.set(`${tenant}|${region}`, (q = metricsClient(credentialOfSubscription(subscriptionId), region, override, transport)));
    }
    return q;
  };

  const toSubscription = (s: Record<string, unknown>, tenantId: string | undefined): Subscription => ({
    subscriptionId: text(s.subscriptionId),
    displayName: text(s.displayName),
    state: text(s.state),
    tenantId: text(s.tenantId) ?? tenantId,
  });

  /**
   * The subscriptions of every tenant the account can use: `GET /tenants`, then `GET /subscriptions` with each
   * tenant's token (a token lists its own tenant's subscriptions alone). A tenant that cannot be read — it wants a
   * fresh sign-in (MFA, conditional access) — is kept as such, to be its own failing scope; the sign-in's own tenant
   * failing fails the list. A service principal reads its own tenant.
   */
  const readDirectory = async (signal: AbortSignal): Promise<Directory> => {
    if (!signIn.multiTenant || !signIn.forTenant) {
      const list = await listSubscriptions(signIn.credential, override, arm, signal);
      return { subscriptions: list.map((s) => toSubscription(s, signIn.tenantId)), unread: [] };
    }
    const forTenant = signIn.forTenant;
    const tenants = (await listTenants(signIn.credential, override, arm, signal))
      .map((t) => ({ tenantId: text(t.tenantId) ?? '', label: text(t.displayName) ?? text(t.defaultDomain) ?? text(t.tenantId) ?? '' }))
      .filter((t) => t.tenantId !== '');
    const own = (t: string | undefined) => !t || t.toLowerCase() === (signIn.tenantId ?? '').toLowerCase();
    if (!tenants.some((t) => own(t.tenantId))) tenants.unshift({ tenantId: signIn.tenantId ?? '', label: signIn.tenantId ?? '' });
    // A few tenants at a time: each may start an `az` process for its token (an MSP's account spans dozens).
    const answers = await mapConcurrent(tenants, TENANTS_AT_ONCE, async (t) => {
      try {
        const list = await listSubscriptions(forTenant(t.tenantId || undefined), override, arm, signal);
        return { subscriptions: list.map((s) => toSubscription(s, t.tenantId || undefined)) };
      } catch (error) {
        const e = toCloudtopError(error, 'azure');
        if (signal.aborted || own(t.tenantId)) throw e;
        return { unread: { tenantId: t.tenantId, label: t.label, category: e.category, message: e.message } };
      }
    });
    const seen = new Set<string>();
    const subs = answers
      .flatMap((a) => a.subscriptions ?? [])
      .filter((s) => s.subscriptionId && !seen.has(s.subscriptionId.toLowerCase()) && seen.add(s.subscriptionId.toLowerCase()));
    return { subscriptions: subs, unread: answers.flatMap((a) => (a.unread ? [a.unread] : [])) };
  };

  /** The VM sizes of one location of one subscription, from its Resource SKUs (key `<subscription>|<location>`). */
  const readSkus = async (signal: AbortSignal, key: string): Promise<Record<string, SkuFacts>> => {
    const [subscriptionId, location] = key.split('|');
    return readSkuFacts(await clientsOf(subscriptionId).resourceSkus(location, signal));
  };

  /** The Resource SKUs of these locations of a subscription (a location whose SKUs could not be read is left out). */
  const skusOf = async (subscriptionId: string, locations: Iterable<string>, signal: AbortSignal) => {
    const book = new Map<string, Record<string, SkuFacts>>();
    await Promise.all(
      [...new Set([...locations].filter(Boolean).map(armRegion))].map(async (location) => {
        const answer = await skus.tryGet(signal, `${subscriptionId}|${location}`);
        if (answer.value) book.set(location, answer.value);
      }),
    );
    return (location: string, size: string): SkuFacts | undefined => book.get(armRegion(location))?.[size.toLowerCase()];
  };

  /**
   * The Uniform scale sets of a subscription and the instances of those whose size carries GPUs: one listing of the
   * scale sets (pages), then one listing per GPU scale set with the instance views expanded — never a call per
   * instance. Flexible scale sets' instances are VMs `virtualMachines.listAll` already lists.
   */
  const readScaleSets = async (c: ArmClients, subscriptionId: string, signal: AbortSignal): Promise<ScaleSets> => {
    const sets = (await unlessUnregistered(c.scaleSets(signal))).filter(
      (set) => (text(set.orchestrationMode) ?? 'Uniform').toLowerCase() === 'uniform' && (finite(record(set.sku)?.capacity) ?? 0) > 0,
    );
    const sku = await skusOf(
      subscriptionId,
      sets.map((set) => text(set.location) ?? ''),
      signal,
    );
    const gpuSets = sets.filter((set) => {
      const size = text(record(set.sku)?.name) ?? '';
      const facts = sku(text(set.location) ?? '', size);
      return gpuOfSize(facts?.name ?? size, facts) !== undefined;
    });
    const instances = await mapConcurrent(gpuSets, 4, (set) =>
      c.scaleSetVms(resourceGroupOf(text(set.id) ?? '') ?? '', text(set.name) ?? '', signal),
    );
    return gpuSets.map((set, i) => ({ set, vms: instances[i] }));
  };

  /** A listing of a resource provider the subscription never registered is an empty one, not a failure. */
  const unlessUnregistered = (listing: Promise<Record<string, unknown>[]>): Promise<Record<string, unknown>[]> =>
    listing.catch((error: unknown) => {
      if (toCloudtopError(error, 'azure').code === 'MissingSubscriptionRegistration') return [];
      throw error;
    });

  /** Public retail prices, one entry per size, shared by every subscription and account reading the same origin. */
  function declareRetail(): void {
    retail = ctx.reference('retail-prices', {
      label: 'Azure retail prices',
      ttlMs: DAY,
      shared: true,
      withoutIt: 'GPU VMs show "price unknown"',
      load: (signal, size) => readSizePrices(ctx, override, size, signal),
    });
  }

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
      subscriptions = ctx.reference('directory', {
        label: 'Azure subscriptions',
        ttlMs: 10 * MINUTE,
        load: readDirectory,
      });
      // A location's VM sizes (canonical names, GPUs, memory) hardly ever change.
      skus = ctx.reference('resource-skus', {
        label: 'Azure Resource SKUs',
        ttlMs: DAY,
        withoutIt: "sizes are priced by the name as typed and GPUs counted from Cloudtop's table; memory shows no percentage",
        load: readSkus,
      });
      declareRetail();
      return Promise.resolve();
    },

    // The Retail Prices API needs no sign-in: the GPU price comparison reads it before any key.
    initializePublic(context) {
      ctx = context;
      override = context.endpointOverride && new URL(context.endpointOverride).origin;
      declareRetail();
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
      for (const s of answer.value.subscriptions) if (s.subscriptionId) tenantOf.set(s.subscriptionId.toLowerCase(), s.tenantId);
      unread = answer.value.unread;
      const scopes = answer.value.subscriptions
        .filter((s) => s.subscriptionId !== undefined && !UNREADABLE.has((s.state ?? '').toLowerCase()))
        .map((s): Scope => ({ id: s.subscriptionId!, label: s.displayName ?? s.subscriptionId!, kind: 'subscription' }));
      // A tenant that could not be read is one failing scope (listResources says why), not a failed cloud.
      const tenants = unread.map((t): Scope => ({
        id: `${TENANT_SCOPE}${t.tenantId}`,
        label: `${t.label} (directory)`,
        kind: 'subscription',
      }));
      if (!named) return [...scopes, ...tenants];
      return [scopes.find((s) => s.id.toLowerCase() === named!.toLowerCase()) ?? { id: named, label: named, kind: 'subscription' }];
    },

    async listResources(filter: ResourceFilter, signal, scope): Promise<ResourceListing> {
      if (scope?.id.startsWith(TENANT_SCOPE)) {
        const tenant = unread.find((t) => `${TENANT_SCOPE}${t.tenantId}` === scope.id);
        throw new CloudtopError({
          category: tenant?.category ?? 'auth',
          cloud: 'azure',
          message: `The subscriptions of directory ${tenant?.label ?? scope.id.slice(TENANT_SCOPE.length)} could not be listed: ${tenant?.message ?? 'sign in again'}`,
        });
      }
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
      const vmServices = wants(SERVICES.gpu) || wants(SERVICES.vm);
      const got = await listings('azure', signal, {
        'Virtual machines': vmServices
          ? { services: [SERVICES.gpu, SERVICES.vm], primary: true, list: (s) => c.virtualMachines(s) }
          : undefined,
        // AKS node pools, Batch pools and other Uniform fleets: a listing of their own, kept when it fails.
        'Scale sets': vmServices
          ? { services: [SERVICES.gpu, SERVICES.vm], keeps: inScaleSet, list: (s) => readScaleSets(c, subscriptionId, s) }
          : undefined,
        'AKS clusters': wants(SERVICES.aks)
          ? { services: [SERVICES.aks], list: (s) => unlessUnregistered(c.managedClusters(s)) }
          : undefined,
        'Function apps': wants(SERVICES.functions)
          ? { services: [SERVICES.functions], list: (s) => unlessUnregistered(c.sites(s)) }
          : undefined,
      });
      const vms = got.values['Virtual machines'] ?? [];
      const scaleSets = got.values['Scale sets'] ?? [];
      const clusters = got.values['AKS clusters'] ?? [];
      const sites = got.values['Function apps'] ?? [];
      // Sizes through the locations' Resource SKUs: canonical names (the price filter is case-sensitive) and GPUs.
      const sku = await skusOf(
        subscriptionId,
        [...vms, ...clusters, ...scaleSets.map((s) => s.set)].map((r) => text(r.location) ?? ''),
        signal,
      );
      const sizeOf = (location: string, size: string) => {
        const facts = sku(location, size);
        return gpuOfSize(facts?.name ?? size, facts) ? (facts?.name ?? size) : undefined;
      };
      // Prices for the GPU sizes that run here (and the comparison's sizes): a failure shows no price, not no VMs.
      const gpuSizes = [
        ...vms.map((vm) => sizeOf(text(vm.location) ?? '', text(record(vm.hardwareProfile)?.vmSize) ?? '')),
        ...scaleSets.map(({ set }) => sizeOf(text(set.location) ?? '', text(record(set.sku)?.name) ?? '')),
      ].filter((s): s is string => s !== undefined);
      const prices = await loadPriceBook(retail, gpuSizes, signal);
      const tenantId = tenantOf.get(subscriptionId.toLowerCase()) ?? signIn.tenantId;
      const map: MapContext = { account: ctx.account, tenantId, prices, sku };
      // An AKS node pool's scale set lives in the cluster's node resource group, tagged with its pool's name
      // (`aks-managed-poolName`, which kubernetes/autoscaler cluster-autoscaler/cloudprovider/azure reads too).
      const clusterOfGroup = new Map(
        clusters.map((cl) => [(text(cl.nodeResourceGroup) ?? '').toLowerCase(), text(cl.name) ?? ''] as const),
      );
      const poolOf = (set: Record<string, unknown>) => {
        const cluster = clusterOfGroup.get((resourceGroupOf(text(set.id) ?? '') ?? '').toLowerCase());
        const pool = text(record(set.tags)?.['aks-managed-poolName']);
        return cluster && pool ? { cluster, pool } : undefined;
      };
      const resources = [
        ...vms.map((vm) => mapVm(vm, map)),
        ...scaleSets.flatMap(({ set, vms: instances }) => instances.map((vm) => mapScaleSetVm(vm, set, poolOf(set), map))),
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
      const sku = await skusOf(
        subscriptionId,
        vms.map((r) => r.region!),
        signal,
      );
      const memoryBytes = (r: Resource) => {
        const gb = sku(r.region ?? '', String(r.details?.size ?? ''))?.memoryGb;
        return gb ? gb * 1024 ** 3 : undefined;
      };
      return fetchMetrics(
        request.resources,
        request.window,
        (region, batch, s) => metricsOf(subscriptionId, region)(batch, s),
        memoryBytes,
        signal,
      );
    },

    async act(resource, action, signal) {
      const target = vmOfId(resource.id);
      if (!target)
        throw new CloudtopError({
          category: 'config',
          cloud: 'azure',
          message: `${resource.name} is not an Azure VM or scale-set instance.`,
        });
      // Stop is a deallocation (actions.ts): a VM only powered off keeps billing its compute.
      const write = action === 'stop' ? 'deallocate' : 'start';
      // Acting before this provider listed any scope (a front end acting on what it showed before a restart): the
      // subscription's tenant is looked up first, so the write carries that tenant's token, not the home tenant's.
      if (signIn.multiTenant && !tenantOf.has(target.subscriptionId.toLowerCase())) {
        const directory = await subscriptions.tryGet(signal);
        for (const s of directory.value?.subscriptions ?? [])
          if (s.subscriptionId) tenantOf.set(s.subscriptionId.toLowerCase(), s.tenantId);
      }
      const c = clientsOf(target.subscriptionId);
      if (target.instanceId === undefined) await c.vmAction(target.resourceGroup, target.name, write, signal);
      else await c.scaleSetVmAction(target.resourceGroup, target.name, target.instanceId, write, signal);
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
