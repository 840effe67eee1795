// The Oracle Cloud provider, on the official OCI SDK (api.ts: signed by oci-common, sent through Cloudtop's
// transport, SDK retries and circuit breaker off). Scopes are regions: the profile's region by default, the others the
// tenancy subscribes to (one ListRegionSubscriptions, reference data) counted as not shown; `cloudtop.oci.regions`
// names more, or `["all"]`. Inside a region the tree has a compartment level: the tenancy
// itself and every ACCESSIBLE compartment of its subtree (one paged Identity listing per refresh, shared by the
// regions). Per compartment: instances, OKE clusters, Autonomous Databases (each paged by opc-next-page); a compartment
// whose listing is refused shows that error while the others stay current. Metrics: one SummarizeMetricsData call
// per MQL query per region over the whole tenancy (metrics.ts). Prices: Oracle's public price list (prices.ts).
import { DAY, HOUR, MINUTE } from '../../core/model/duration';
import { unreadPriceBook, type PriceBook } from '../../core/model/price';
import { CloudtopError, toCloudtopError } from '../../core/errors/errors';
import type {
  Reference,
  Capability,
  ResourceAction,
  Credentials,
  MetricsRequest,
  ProviderContext,
  ProviderFactory,
  ResourceFilter,
  ResourceListing,
} from '../../core/engine/provider';
import { listings, selectServices } from '../../core/engine/provider';
import type { GpuOffer, MetricsWindow, Resource, ResourceGroup } from '../../core/model/model';
import type { Scope } from '../../core/model/scope';
import { collectPages } from '../../core/transport/paginate';
import { mapConcurrent } from '../../core/transport/wire';
import { regionClients, type RegionClients, type SdkClients } from './api';
import { authProviderOf, signerOf } from './auth';
import { mapAutonomousDatabase, mapCluster, mapInstance, OCI_SERVICES, ocidRegion, SERVICES, type MapContext } from './mapping';
import { fetchMetrics, readStreams } from './metrics';
import { readShapes, type EstimatorShapes } from './estimator';
import { ociPriceBook, readPriceList, type PartPrices, type ShapeQuery } from './prices';
import { quietSdkWarnings } from './quiet';
import { ociPowerAction } from './actions';

/** Compartments listed at once in a region (three calls each). */
const COMPARTMENT_CONCURRENCY = 4;
/** OCI's largest page. */
const PAGE_LIMIT = 1000;

type Page = { items: unknown[]; opcNextPage?: string };

/**
 * A refused InstanceAction in words the user can act on. Oracle answers a missing permission as it answers a missing
 * instance, 404 NotAuthorizedOrNotFound (docs.oracle.com/en-us/iaas/Content/API/References/apierrors.htm); the
 * permission is INSTANCE_POWER_ACTIONS, which the policy verb `use` on instances (in instance-family) grants
 * (docs.oracle.com/en-us/iaas/Content/Identity/Reference/corepolicyreference.htm, "instances").
 */
function writeRefusal(error: unknown, power: string): unknown {
  const e = toCloudtopError(error, 'oci');
  if (e.category !== 'permission') return error;
  const answer = [e.status, e.code].filter((part) => part !== undefined).join(' ');
  return new CloudtopError({
    category: 'permission',
    cloud: 'oci',
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.code ? { code: e.code } : {}),
    ...(e.operation ? { operation: e.operation } : {}),
    message: `Oracle Cloud answered ${answer || 'a refusal'} to InstanceAction ${power}: it needs the INSTANCE_POWER_ACTIONS permission on the instance — a policy such as "Allow group <your group> to use instance-family in compartment <its compartment>" — unless the instance is gone.`,
  });
}

export const createOciProvider: ProviderFactory = () => {
  let ctx: ProviderContext;
  let credentials: Credentials;
  let override: string | undefined;
  let home: string;
  let tenancyId: string;
  let auth: Awaited<ReturnType<typeof authProviderOf>>;
  let signer: ReturnType<typeof signerOf>;
  const clients = new Map<string, RegionClients>();
  /**
   * Regions whose tenancy-wide metrics query was refused, and when: their metrics are read per compartment for an hour,
   * then the tenancy-wide query is tried again (a policy may have been granted since).
   */
  const perCompartmentMetrics = new Map<string, number>();
  let tenancyName: string | undefined;
  // Reference data the engine keeps (declared in initialize()): shared by every region's refresh and by other runs.
  let compartmentList: Reference<ResourceGroup[]>;
  let regionList: Reference<string[]>;
  let priceList: Reference<PartPrices>;
  let shapeData: Reference<EstimatorShapes>;

  const clientsFor = (region: string): RegionClients => {
    let c = clients.get(region);
    if (!c) {
      c = regionClients(auth, signer, region, override, (origins) => ctx.http.transport({ origins, expectJson: true }));
      clients.set(region, c);
    }
    return c;
  };

  /** Every page of one OCI list call (bare arrays, opc-next-page; a page may hold fewer than the limit, or none). */
  async function all<T>(
    c: RegionClients,
    operation: string,
    what: string,
    signal: AbortSignal,
    page: (clients: SdkClients, token: string | undefined) => Promise<Page>,
  ): Promise<T[]> {
    return collectPages<T>(
      async (token) => {
        const response = await c.run(operation, (k) => page(k, token === undefined ? undefined : String(token)), signal);
        return { items: (response.items ?? []) as T[], next: response.opcNextPage };
      },
      { cloud: 'oci', what, stopOnEmpty: false },
    );
  }

  /** The tenancy plus every ACCESSIBLE compartment below it, listed once and shared by the regions' refreshes. */
  async function listCompartments(signal: AbortSignal): Promise<ResourceGroup[]> {
    const c = clientsFor(home);
    const [name, list] = await Promise.all([
      tenancyLabel(c, signal),
      all<Record<string, unknown>>(c, 'GET /compartments', 'Oracle Cloud compartments', signal, (k, page) =>
        k.identity.listCompartments({
          compartmentId: tenancyId,
          compartmentIdInSubtree: true,
          accessLevel: 'ACCESSIBLE' as never,
          limit: PAGE_LIMIT,
          page,
        }),
      ),
    ]);
    const below = list
      .filter((x) => typeof x.id === 'string' && x.lifecycleState !== 'DELETED' && x.lifecycleState !== 'DELETING')
      .map((x): ResourceGroup => ({
        id: x.id as string,
        label: typeof x.name === 'string' ? x.name : (x.id as string),
        kind: 'compartment',
      }));
    return [{ id: tenancyId, label: name, kind: 'compartment' }, ...below];
  }

  /** The regions the tenancy subscribes to (those still being set up are left out). */
  async function subscribedRegions(signal: AbortSignal): Promise<string[]> {
    const c = clientsFor(home);
    const response = await c.run(
      'GET /tenancies/{id}/regionSubscriptions',
      (k) => k.identity.listRegionSubscriptions({ tenancyId }),
      signal,
    );
    return response.items
      .filter((r) => String(r.status) !== 'IN_PROGRESS')
      .map((r) => r.regionName)
      .filter((r): r is string => typeof r === 'string');
  }

  async function tenancyLabel(c: RegionClients, signal: AbortSignal): Promise<string> {
    if (tenancyName) return tenancyName;
    try {
      const response = await c.run('GET /tenancies/{id}', (k) => k.identity.getTenancy({ tenancyId }), signal);
      tenancyName = `${response.tenancy.name ?? 'tenancy'} (root)`;
    } catch (error) {
      if (signal.aborted || toCloudtopError(error, 'oci').category === 'auth') throw error;
      // Reading the tenancy's name needs its own policy; without it the root compartment still lists.
      tenancyName = 'tenancy (root)';
    }
    return tenancyName;
  }

  /** The price book of this refresh: the price list with Oracle's shape data, or why a price cannot be told. */
  async function priceBook(signal: AbortSignal): Promise<PriceBook<ShapeQuery>> {
    const [list, shapes] = await Promise.all([priceList.tryGet(signal), shapeData.tryGet(signal)]);
    if (!list.value) return unreadPriceBook<ShapeQuery>(list.error.message);
    return ociPriceBook(list.value, shapes.value ? { shapes: shapes.value } : { unread: shapes.error.message });
  }

  /** The region's resources in one compartment, each kind paged. */
  async function compartmentResources(
    c: RegionClients,
    region: string,
    group: ResourceGroup,
    filter: ResourceFilter,
    prices: PriceBook<ShapeQuery>,
    signal: AbortSignal,
  ): Promise<ResourceListing> {
    const wants = selectServices(filter, SERVICES.gpu);
    const map: MapContext = { account: ctx.account, region, group, prices };
    const compartmentId = group.id;
    type Wire = Record<string, unknown>;
    // The instances are what a compartment is first about: their failure fails the compartment. OKE clusters and
    // Autonomous Databases are listings of their own: one that fails is a warning in the compartment.
    const got = await listings('oci', signal, {
      Instances:
        wants(SERVICES.gpu) || wants(SERVICES.compute)
          ? {
              services: [SERVICES.gpu, SERVICES.compute],
              primary: true,
              list: (s) =>
                all<Wire>(c, 'GET /instances', 'Oracle Cloud instances', s, (k, page) =>
                  k.compute.listInstances({ compartmentId, limit: PAGE_LIMIT, page }),
                ),
            }
          : undefined,
      'OKE clusters': wants(SERVICES.oke)
        ? {
            services: [SERVICES.oke],
            list: (s) =>
              all<Wire>(c, 'GET /clusters', 'OKE clusters', s, (k, page) =>
                k.containerEngine.listClusters({ compartmentId, limit: PAGE_LIMIT, page }),
              ),
          }
        : undefined,
      'Autonomous Databases': wants(SERVICES.adb)
        ? {
            services: [SERVICES.adb],
            list: (s) =>
              all<Wire>(c, 'GET /autonomousDatabases', 'Autonomous Databases', s, (k, page) =>
                k.database.listAutonomousDatabases({ compartmentId, limit: PAGE_LIMIT, page }),
              ),
          }
        : undefined,
    });
    const instances = got.values.Instances ?? [];
    const clusters = got.values['OKE clusters'] ?? [];
    const databases = got.values['Autonomous Databases'] ?? [];
    const resources = [
      ...instances.map((w) => mapInstance(w, map)),
      ...clusters.map((w) => mapCluster(w, map)),
      ...databases.map((w) => mapAutonomousDatabase(w, map)),
    ].filter((r): r is Resource => r !== undefined && (!filter.gpuOnly || r.gpu !== undefined) && wants(r.service));
    // A regional OCID names its region: an endpoint that answers for several regions (an override serving them all
    // from one origin) must not show one instance in every region.
    const key = c.regionKey;
    const inRegion = resources.filter((r) => {
      const named = ocidRegion(r.id);
      return named === '' || named === region || named === key;
    });
    return { resources: inRegion, problems: got.problems.map((p) => ({ ...p, group })) };
  }

  /** The price data, the same for a connected tenancy and for the public comparison before any key. */
  function declarePriceData(): void {
    // Oracle's public price list changes rarely: read once a day, shared by every tenancy that reads the same origin.
    priceList = ctx.reference('price-list', {
      label: "Oracle's price list",
      ttlMs: DAY,
      shared: true,
      withoutIt: 'GPU instances show "price unknown"',
      load: (signal) => readPriceList(ctx, override, signal),
    });
    // Oracle's own shape → part numbers (its Cost Estimator data), read beside the price list on the same terms.
    shapeData = ctx.reference('estimator-shapes', {
      label: "Oracle's Cost Estimator shape data",
      ttlMs: DAY,
      shared: true,
      withoutIt: "GPU shapes are priced from Cloudtop's own fallback table of part numbers, which knows fewer shapes",
      load: (signal) => readShapes(ctx, override, signal),
    });
  }

  return {
    cloud: 'oci',
    name: 'Oracle Cloud',
    capabilities: new Set<Capability>(['compute', 'gpu', 'database']),

    async initialize(context) {
      ctx = context;
      credentials = context.credentials;
      quietSdkWarnings();
      override = context.endpointOverride;
      if (override) new URL(override); // an endpoint that is not a URL fails here (the HTTP client words it)
      tenancyId = credentials.tenancy ?? '';
      home = credentials.region ?? '';
      if (!tenancyId || !home)
        throw new CloudtopError({
          category: 'config',
          cloud: 'oci',
          message:
            'Oracle Cloud needs a tenancy OCID and a region: run "Cloudtop: Set Credentials…" (or `cloudtop login oci`), or `oci setup config`.',
        });
      auth = await authProviderOf(credentials);
      signer = signerOf(auth);
      compartmentList = ctx.reference('compartments', { label: 'Oracle Cloud compartments', ttlMs: 10 * MINUTE, load: listCompartments });
      regionList = ctx.reference('region-subscriptions', {
        label: "Oracle Cloud's region subscriptions",
        ttlMs: HOUR,
        withoutIt: `only ${home} (the profile's region) and the regions in cloudtop.oci.regions are shown`,
        load: subscribedRegions,
      });
      declarePriceData();
    },

    // Oracle's price list and Cost Estimator data are public: the GPU price comparison reads them before any key.
    initializePublic(context) {
      ctx = context;
      quietSdkWarnings();
      override = context.endpointOverride;
      if (override) new URL(override);
      declarePriceData();
      return Promise.resolve();
    },

    async healthCheck(signal) {
      await compartmentList.get(signal);
    },

    listServices: () => OCI_SERVICES,

    /**
     * The profile's region first (shown by default), then every other region the tenancy subscribes to, shown with
     * `cloudtop.oci.regions` (`["all"]` or their names). Why not all by default: at Oracle Cloud's rate budget (4
     * requests a second, bursts of 10) a refresh costs three lists per compartment and region plus up to 14 metric
     * queries per region, so a tenancy of several regions misses the 30 s deadline (`npm run bench -- ociRegions`,
     * 10 compartments: 1 region 11–13 s, 2 regions 21 s, 5 regions every one failed at 30 s; with 4 compartments 5
     * regions took 24 s and 8 failed two). The views count the regions
     * left out and say how to show them (CLOUD_SCOPES narrowByDefault). Without the policy to read subscriptions, the
     * profile's region (and the ones the user names) still work, and the reference warning says what is missing.
     */
    async listScopes(signal): Promise<Scope[]> {
      const subscribed = (await regionList.tryGet(signal)).value ?? [];
      return [home, ...subscribed.filter((r) => r !== home)].map((id): Scope => ({
        id,
        label: id,
        kind: 'region',
        selectedByDefault: id === home,
      }));
    },

    async listResources(filter, signal, scope): Promise<ResourceListing> {
      const region = scope?.id || home;
      const c = clientsFor(region);
      const [groups, prices] = await Promise.all([compartmentList.get(signal), priceBook(signal)]);
      const refused: { group: ResourceGroup; error: CloudtopError }[] = [];
      const lists = await mapConcurrent(groups, COMPARTMENT_CONCURRENCY, async (group): Promise<ResourceListing> => {
        try {
          return await compartmentResources(c, region, group, filter, prices, signal);
        } catch (error) {
          const reason = toCloudtopError(error, 'oci');
          if (signal.aborted || reason.category === 'auth') throw reason;
          refused.push({ group, error: reason });
          return { resources: [], problems: [] };
        }
      });
      // Every compartment failing is the region failing, not a list of warnings.
      if (refused.length === groups.length) throw refused[0].error;
      return { resources: lists.flatMap((l) => l.resources), problems: [...refused, ...lists.flatMap((l) => l.problems)] };
    },

    async getMetrics(request: MetricsRequest, signal) {
      const region = request.scope?.id || home;
      const c = clientsFor(region);
      const summarize = async (
        compartmentId: string,
        subtree: boolean,
        namespace: string,
        query: string,
        window: MetricsWindow,
        s: AbortSignal,
      ) => {
        const response = await c.run(
          'POST /metrics/actions/summarizeMetricsData',
          (k) =>
            k.monitoring.summarizeMetricsData({
              compartmentId,
              compartmentIdInSubtree: subtree,
              summarizeMetricsDataDetails: {
                namespace,
                query,
                startTime: new Date(window.start),
                endTime: new Date(window.end),
                resolution: '1m',
              },
            }),
          s,
        );
        return readStreams(response.items);
      };
      // The compartments the listed resources live in: where a per-compartment query looks when the tenancy-wide one is
      // refused (a user whose policies grant metrics in some compartments only).
      const groups = [...new Map(request.resources.filter((r) => r.group).map((r) => [r.group!.id, r.group!])).values()];
      const refused = new Map<string, CloudtopError>();
      let warned = false;
      const metrics = await fetchMetrics(
        request.resources,
        request.window,
        async (namespace, query, window, querySignal) => {
          const refusedAt = perCompartmentMetrics.get(region);
          if (refusedAt === undefined || ctx.now() - refusedAt > HOUR) {
            try {
              return await summarize(tenancyId, true, namespace, query, window, querySignal);
            } catch (error) {
              const reason = toCloudtopError(error, 'oci');
              if (querySignal.aborted || reason.category !== 'permission') throw error;
              perCompartmentMetrics.set(region, ctx.now());
              // The queries run concurrently: the first refused one says so for all.
              if (!warned) {
                warned = true;
                ctx.log.warn(
                  `Oracle Cloud ${region}: the tenancy-wide metrics query was refused (${reason.message}); reading metrics per compartment instead, in the ${groups.length} compartment${groups.length === 1 ? '' : 's'} with resources.`,
                );
              }
            }
          }
          const answers = await mapConcurrent(groups, 2, async (group) => {
            try {
              return await summarize(group.id, false, namespace, query, window, querySignal);
            } catch (error) {
              const reason = toCloudtopError(error, 'oci');
              if (querySignal.aborted || reason.category !== 'permission') throw error;
              refused.set(group.id, reason);
              return [];
            }
          });
          return answers.flat();
        },
        signal,
      );
      // A compartment whose metrics are refused too: its resources say so instead of naming a plugin to enable.
      for (const resource of request.resources) {
        const reason = resource.group ? refused.get(resource.group.id) : undefined;
        const own = metrics[resource.id];
        if (!reason || !own?.missing) continue;
        const why = `metrics in compartment ${resource.group!.label} could not be read: ${reason.message}`;
        metrics[resource.id] = {
          ...own,
          missing: Object.fromEntries(Object.keys(own.missing).map((family) => [family, why])),
        };
      }
      return metrics;
    },

    async listGpuOffers(signal): Promise<GpuOffer[]> {
      // The data the resources were priced with (reference data, read once a day); no price list, no offers.
      const list = await priceList.get(signal);
      const shapes = await shapeData.tryGet(signal);
      return ociPriceBook(list, shapes.value ? { shapes: shapes.value } : { unread: shapes.error.message }).offers(
        new Date(ctx.now()).toISOString(),
      );
    },

    /**
     * One InstanceAction (actions.ts says which: SOFTSTOP, STOP for an instance already stopping, START) in the
     * instance's region, marked a write: neither the SDK (its retries are off, sdk-config.ts) nor the transport (only
     * after a 429) sends it again. Oracle answers the Instance, STOPPING or STARTING; the refreshes follow it there.
     */
    async act(resource: Resource, action: ResourceAction, signal: AbortSignal): Promise<void> {
      const power = ociPowerAction(resource, action);
      const c = clientsFor(resource.region || home);
      try {
        await c.run(
          `POST /instances/{id}?action=${power}`,
          (k) => k.compute.instanceAction({ instanceId: resource.id, action: power }),
          signal,
          { write: true },
        );
      } catch (error) {
        throw writeRefusal(error, power);
      }
    },

    close() {
      clients.clear();
      return Promise.resolve();
    },
  };
};
