// The Google Cloud provider. Sign-in: Application Default Credentials through google-auth-library, or gcloud's login
// (auth.ts). Scopes are projects: the one the environment, the credential or gcloud's configuration names; with
// `cloudtop.gcp.projects` more, or `all` for every ACTIVE project Resource Manager lists. Per project: one aggregated
// listing of Compute Engine instances (every zone, nextPageToken followed), one of GKE clusters, one of Cloud Functions
// (v2 API, both generations), one of Cloud Run services (Admin API v2) — through Google's REST APIs on Cloudtop's
// transport (api.ts). Metrics: Cloud Monitoring through @google-cloud/monitoring, one query per metric type per project
// (metrics.ts). Prices: the Billing Catalog,
// once a day for every project (prices.ts); a GPU VM's cores and memory from its machine type (machineTypes.get, once
// a day per type).
import { randomUUID } from 'node:crypto';
import { DAY, MINUTE } from '../../core/model/duration';
import { unreadPriceBook } from '../../core/model/price';
import { CloudtopError, toCloudtopError } from '../../core/errors/errors';
import {
  listings,
  selectServices,
  type Capability,
  type Reference,
  type MetricsRequest,
  type ProviderContext,
  type ProviderFactory,
  type ListingProblem,
  type ResourceAction,
  type ResourceFilter,
  type ResourceListing,
} from '../../core/engine/provider';
import { defaultWindow, type GpuOffer, type MetricsWindow, type Resource } from '../../core/model/model';
import type { Scope } from '../../core/model/scope';
import { finite, mapConcurrent, text } from '../../core/transport/wire';
import { gcpAuthOf, type GcpAuth } from './auth';
import { GCP_HOSTS } from './hosts';
import { lastSegment } from './machine-types';
import {
  GCP_SERVICES,
  mapCluster,
  mapFunction,
  mapInstance,
  mapRunService,
  isFunctionService,
  serviceOfFunction,
  SERVICES,
  acceleratorsOf,
  isBilled,
  type MachineShape,
  type MapContext,
} from './mapping';
import { fetchMetrics, monitoringClient, startQueries, type ListSeries, type StartedQueries } from './metrics';
import { gcpPriceBook, readCatalog, type CatalogPrices, type VmQuery } from './prices';
import { gcpRest, unlessDisabled, type GcpRest, type Wire } from './api';
import { INSTANCE_DETAILS } from './actions';

/** Items per aggregated-list page: the API's maximum. */
const MAX_RESULTS = 500;
/** machineTypes.get calls in flight at once. */
const SHAPE_CONCURRENCY = 4;

/** What Cloudtop keeps of a project (reference data: JSON). */
interface Project {
  readonly projectId?: string;
  readonly displayName?: string;
  readonly state?: string;
}

const itemsOf =
  (key: string) =>
  (page: Wire): Wire[] =>
    Array.isArray(page[key]) ? (page[key] as Wire[]) : [];

/**
 * What a partial answer says it could not read: an aggregated list's `unreachables` ("zones/us-east1-b"), GKE's
 * `missingZones` ("us-east1-b"), Cloud Functions' and Cloud Run's `unreachable` ("projects/p/locations/asia-east1").
 * Each as the zone or region it names.
 */
export function unreachableOf(page: Wire, key: 'unreachables' | 'missingZones' | 'unreachable'): string[] {
  const listed = Array.isArray(page[key]) ? (page[key] as unknown[]) : [];
  return listed.map((u) => (typeof u === 'string' ? lastSegment(u) : '')).filter((u) => u !== '');
}

/** An aggregated page's instances: every zone's `instances`; zones that carry only a warning (NO_RESULTS_ON_PAGE) add none. */
export function aggregatedInstances(page: Wire): Wire[] {
  const items = page.items && typeof page.items === 'object' ? (page.items as Record<string, Wire>) : {};
  return Object.values(items).flatMap((scoped) => (Array.isArray(scoped?.instances) ? (scoped.instances as Wire[]) : []));
}

/**
 * The places a partial answer could not read, as listing problems: a `resources` warning naming them, the resources
 * listed elsewhere current, and the last good ones of those places kept (a zone outage hides no VM, it shows as stale).
 */
function outages(unreachable: {
  instances: Set<string>;
  clusters: Set<string>;
  functions: Set<string>;
  run: Set<string>;
}): ListingProblem[] {
  const problem = (what: string, places: Set<string>, services: readonly string[], where: (r: Resource) => string): ListingProblem[] => {
    if (places.size === 0) return [];
    const named = [...places].sort();
    return [
      {
        listing: `${what} in ${named.join(', ')}`,
        services,
        keeps: (r) => places.has(where(r)) || named.some((p) => where(r).startsWith(`${p}-`)),
        error: new CloudtopError({
          category: 'network',
          cloud: 'gcp',
          message: `Google Cloud could not reach ${named.length === 1 ? 'it' : 'them'} (an outage or a location being set up); the rest is current.`,
        }),
      },
    ];
  };
  return [
    ...problem('Compute Engine instances', unreachable.instances, [SERVICES.gpu, SERVICES.vm], (r) => r.region ?? ''),
    ...problem('GKE clusters', unreachable.clusters, [SERVICES.gke], (r) => r.region ?? ''),
    ...problem('Cloud Functions', unreachable.functions, [SERVICES.functions], (r) => r.region ?? ''),
    ...problem('Cloud Run services', unreachable.run, [SERVICES.run], (r) => r.region ?? ''),
  ];
}

/**
 * A zone Operation that already carries an `error` (Operation.error.errors[] {code, message}, with httpErrorStatusCode
 * and httpErrorMessage; cloud.google.com/compute/docs/reference/rest/v1/zoneOperations): the action failed.
 */
export function operationError(operation: Wire): CloudtopError | undefined {
  const error = operation.error && typeof operation.error === 'object' ? (operation.error as Wire) : undefined;
  const errors = Array.isArray(error?.errors) ? (error.errors as Wire[]) : [];
  if (errors.length === 0) return undefined;
  const status = finite(Number(operation.httpErrorStatusCode));
  return new CloudtopError({
    category: status === 403 ? 'permission' : status === 401 ? 'auth' : 'config',
    cloud: 'gcp',
    code: text(errors[0]?.code),
    message:
      errors
        .map((e) => text(e?.message) ?? text(e?.code) ?? '')
        .filter((m) => m !== '')
        .join('; ') || 'the operation failed',
  });
}

export const createGcpProvider: ProviderFactory = () => {
  let ctx: ProviderContext;
  let override: string | undefined;
  let auth: GcpAuth;
  let rest: GcpRest;
  // Reference data the engine keeps (declared in initialize()).
  let catalog: Reference<CatalogPrices>;
  let machineTypes: Reference<MachineShape | null>;
  /** Where each machine type was seen running (its project and zone): where machineTypes.get asks for it. */
  const seenIn = new Map<string, { project: string; zone: string }>();
  let series: ListSeries | undefined;
  const monitoring = (): ListSeries =>
    (series ??= monitoringClient(auth, override, ctx.http.transport({ origins: [override ?? GCP_HOSTS.monitoring], expectJson: true })));
  /** Monitoring queries a listing started, by project, for the getMetrics of the same refresh. */
  const early = new Map<string, { readonly window: MetricsWindow; readonly queries: StartedQueries }>();
  let projects: Reference<Project[]>;
  let defaultProject: () => Promise<string | undefined>;
  const knownShapes = new Map<string, MachineShape>();
  /**
   * Billing Catalog wordings no reading fits (prices.ts), each logged once with its description: the same wording in
   * every region ("… running in Iowa", "… in Belgium") is one line.
   */
  const unreadSkus = new Set<string>();
  const unreadable = (description: string) => {
    const wording = description.replace(/\s+running in .*$/i, '');
    if (unreadSkus.has(wording)) return;
    unreadSkus.add(wording);
    ctx.log.warn(`Google Cloud: a Billing Catalog SKU Cloudtop cannot read (VMs it prices show "price unknown"): ${description}`);
  };

  /**
   * vCPUs and memory of a machine type, read once a day in the first zone and project that runs it: a machine type
   * (n1-standard-8, a2-highgpu-1g; custom-8-30720 names its own) has the same shape in every zone that offers it, so
   * the calls grow with the types in use, not with zones or VMs.
   */
  const readMachineType = async (signal: AbortSignal, type: string): Promise<MachineShape | null> => {
    const { project, zone } = seenIn.get(type)!;
    const m = await rest.get(
      'compute',
      'GET /compute/v1/projects/{project}/zones/{zone}/machineTypes/{type}',
      `/compute/v1/projects/${encodeURIComponent(project)}/zones/${encodeURIComponent(zone)}/machineTypes/${encodeURIComponent(type)}`,
      {},
      signal,
    );
    const guestCpus = finite(Number(m.guestCpus));
    const memoryMb = finite(Number(m.memoryMb));
    return guestCpus && memoryMb ? { guestCpus, memoryMb } : null;
  };

  const projectOf = async (scope: Scope | undefined): Promise<string> => {
    const project = scope?.id || (await defaultProject());
    if (!project) {
      throw new CloudtopError({
        category: 'config',
        cloud: 'gcp',
        message:
          'Google Cloud: no project to read. Set GOOGLE_CLOUD_PROJECT, run `gcloud config set project <id>`, or list projects in cloudtop.gcp.projects.',
      });
    }
    return project;
  };

  return {
    cloud: 'gcp',
    name: 'Google Cloud',
    capabilities: new Set<Capability>(['compute', 'gpu', 'serverless']),

    async initialize(context) {
      ctx = context;
      // An override is one origin for every Google host; a non-URL fails here.
      override = context.endpointOverride && new URL(context.endpointOverride).origin;
      // Token requests on the same transport (limiter, retry), to the origins the credential names and nowhere else.
      auth = await gcpAuthOf(context.credentials, context.now, (origins) => ctx.http.transport({ origins }));
      const transport = ctx.http.transport({ origins: override ? [override] : Object.values(GCP_HOSTS), expectJson: true });
      rest = gcpRest(transport, auth, override);
      catalog = ctx.reference('billing-catalog', {
        label: "Google Cloud's Billing Catalog",
        ttlMs: DAY,
        shared: true,
        withoutIt: 'GPU VMs show "price unknown" (the Cloud Billing API must be enabled in the credential\'s project)',
        load: (signal) => readCatalog(rest, signal, unreadable),
      });
      machineTypes = ctx.reference('machine-types', {
        label: 'Compute Engine machine types',
        ttlMs: DAY,
        withoutIt: 'GPU VMs are priced by their GPUs only',
        load: readMachineType,
      });
      const named = text(context.credentials.projectId)?.trim() ?? auth.credentialProject;
      let fromGcloud: Promise<string | undefined> | undefined;
      defaultProject = () => (named ? Promise.resolve(named) : (fromGcloud ??= auth.gcloudProject()));
      projects = ctx.reference('projects', {
        label: 'Google Cloud projects',
        ttlMs: 10 * MINUTE,
        load: async (signal) =>
          (
            await rest.list(
              'resourceManager',
              'GET /v3/projects:search',
              '/v3/projects:search',
              { pageSize: 500 },
              itemsOf('projects'),
              signal,
            )
          ).map((p): Project => ({ projectId: text(p.projectId), displayName: text(p.displayName), state: text(p.state) })),
      });
    },

    async healthCheck(signal) {
      const project = await defaultProject();
      if (project)
        await rest
          .get(
            'compute',
            'GET /compute/v1/projects/{project}/aggregated/instances',
            `/compute/v1/projects/${encodeURIComponent(project)}/aggregated/instances`,
            { maxResults: 1 },
            signal,
          )
          .catch((error: unknown) => {
            if (toCloudtopError(error, 'gcp').code !== 'SERVICE_DISABLED') throw error;
          });
      else await projects.get(signal);
    },

    listServices: () => GCP_SERVICES,

    async listScopes(signal): Promise<Scope[]> {
      const chosen = await defaultProject();
      // An identity that may read its project but not search for projects still shows that one.
      const answer = chosen ? await projects.tryGet(signal) : { value: await projects.get(signal) };
      if (!answer.value) return [{ id: chosen!, label: chosen!, kind: 'project' }];
      const scopes = answer.value
        .filter((p) => p.projectId !== undefined && (p.state ?? 'ACTIVE') === 'ACTIVE')
        .map((p): Scope => ({
          id: p.projectId!,
          label: p.displayName ?? p.projectId!,
          kind: 'project',
          selectedByDefault: !chosen || p.projectId === chosen,
        }));
      if (chosen && !scopes.some((s) => s.id === chosen))
        scopes.unshift({ id: chosen, label: chosen, kind: 'project', selectedByDefault: true });
      return scopes;
    },

    async listResources(filter: ResourceFilter, signal, scope): Promise<ResourceListing> {
      const project = await projectOf(scope);
      const p = encodeURIComponent(project);
      const wants = selectServices(filter, SERVICES.gpu);
      // Zones or regions a partial answer could not read, per listing: what was listed stays, and a warning names them.
      const unreachable = {
        instances: new Set<string>(),
        clusters: new Set<string>(),
        functions: new Set<string>(),
        run: new Set<string>(),
      };
      const noting =
        <T>(into: Set<string>, key: 'unreachables' | 'missingZones' | 'unreachable', items: (page: Wire) => T[]) =>
        (page: Wire): T[] => {
          for (const u of unreachableOf(page, key)) into.add(u);
          return items(page);
        };
      // The instances are what a project is about: their failure fails it. GKE and Cloud Functions are listings of
      // their own: one that fails is a warning, and the instances still show. An API never enabled is an empty list.
      const got = await listings('gcp', signal, {
        'Compute Engine instances':
          wants(SERVICES.gpu) || wants(SERVICES.vm)
            ? {
                services: [SERVICES.gpu, SERVICES.vm],
                primary: true,
                list: (s) =>
                  unlessDisabled(
                    rest.list(
                      'compute',
                      'GET /compute/v1/projects/{project}/aggregated/instances',
                      `/compute/v1/projects/${p}/aggregated/instances`,
                      { maxResults: MAX_RESULTS, returnPartialSuccess: true },
                      noting(unreachable.instances, 'unreachables', aggregatedInstances),
                      s,
                    ),
                  ),
              }
            : undefined,
        'GKE clusters': wants(SERVICES.gke)
          ? {
              services: [SERVICES.gke],
              list: (s) =>
                unlessDisabled(
                  rest
                    .get('container', 'GET /v1/projects/{project}/locations/-/clusters', `/v1/projects/${p}/locations/-/clusters`, {}, s)
                    .then(noting(unreachable.clusters, 'missingZones', itemsOf('clusters'))),
                ),
            }
          : undefined,
        'Cloud Functions': wants(SERVICES.functions)
          ? {
              services: [SERVICES.functions],
              list: (s) =>
                unlessDisabled(
                  rest.list(
                    'functions',
                    'GET /v2/projects/{project}/locations/-/functions',
                    `/v2/projects/${p}/locations/-/functions`,
                    { pageSize: 1000 },
                    noting(unreachable.functions, 'unreachable', itemsOf('functions')),
                    s,
                  ),
                ),
            }
          : undefined,
        // Services made through Cloud Run (console, `gcloud run`, Terraform) are in the Cloud Run Admin API alone, never
        // in the Cloud Functions list (cloud.google.com/run/docs/functions/comparison): one paged call for every region.
        'Cloud Run services': wants(SERVICES.run)
          ? {
              services: [SERVICES.run],
              list: (s) =>
                unlessDisabled(
                  rest.list(
                    'run',
                    'GET /v2/projects/{project}/locations/-/services',
                    `/v2/projects/${p}/locations/-/services`,
                    { pageSize: 500 },
                    noting(unreachable.run, 'unreachable', itemsOf('services')),
                    s,
                  ),
                ),
            }
          : undefined,
      });
      const instances = got.values['Compute Engine instances'] ?? [];
      const clusters = got.values['GKE clusters'] ?? [];
      const functions = got.values['Cloud Functions'] ?? [];
      // A 2nd gen function runs as a Cloud Run service of its own: it is shown once, as the function.
      const functionServices = new Set(functions.map(serviceOfFunction).filter((s): s is string => s !== undefined));
      const runServices = (got.values['Cloud Run services'] ?? []).filter((s) => !isFunctionService(s, functionServices));
      // Monitoring's queries need no price: they start now, beside the catalogue and machine-type reads.
      const unpriced: MapContext = { account: ctx.account, project, prices: unreadPriceBook<VmQuery>(''), shapeOf: () => undefined };
      const listed = [
        ...instances.map((i) => mapInstance(i, unpriced)),
        ...functions.map((f) => mapFunction(f, unpriced)),
        ...runServices.map((r) => mapRunService(r, unpriced)),
      ].filter((r): r is Resource => r !== undefined && wants(r.service) && (!filter.gpuOnly || r.gpu !== undefined));
      const window = defaultWindow(ctx.now());
      early.set(project, { window, queries: startQueries(project, listed, window, monitoring(), signal) });
      // GPU VMs are priced from the catalogue and their machine type: a failure shows "price unknown", not no VMs.
      const gpuVms = instances.filter((i) => acceleratorsOf(i) !== undefined && isBilled(i));
      let prices = unreadPriceBook<VmQuery>('no GPU VM to price');
      if (gpuVms.length > 0) {
        for (const i of gpuVms) {
          const type = lastSegment(text(i.machineType) ?? '');
          if (!seenIn.has(type)) seenIn.set(type, { project, zone: lastSegment(text(i.zone) ?? '') });
        }
        const types = [...new Set(gpuVms.map((i) => lastSegment(text(i.machineType) ?? '')))];
        const [table, shapes] = await Promise.all([
          catalog.tryGet(signal),
          mapConcurrent(types, SHAPE_CONCURRENCY, async (type) => [type, (await machineTypes.tryGet(signal, type)).value] as const),
        ]);
        for (const [type, shape] of shapes) if (shape) knownShapes.set(type, shape);
        prices = table.value ? gcpPriceBook(table.value) : unreadPriceBook<VmQuery>(table.error.message);
      }
      const map: MapContext = { account: ctx.account, project, prices, shapeOf: (type) => knownShapes.get(type) };
      const resources = [
        ...instances.map((i) => mapInstance(i, map)),
        ...clusters.map((c) => mapCluster(c, map)),
        ...functions.map((f) => mapFunction(f, map)),
        ...runServices.map((r) => mapRunService(r, map)),
      ].filter((r): r is Resource => r !== undefined && wants(r.service) && (!filter.gpuOnly || r.gpu !== undefined));
      return { resources, problems: [...got.problems, ...outages(unreachable)] };
    },

    async getMetrics(request: MetricsRequest, signal) {
      const project = await projectOf(request.scope);
      // The queries the listing started for this refresh, when they describe the same window (within a minute).
      const started = early.get(project);
      early.delete(project);
      const fresh = started && Math.abs(Date.parse(started.window.end) - Date.parse(request.window.end)) < MINUTE;
      return fetchMetrics(project, request.resources, request.window, monitoring(), signal, fresh ? started.queries : undefined);
    },

    async listGpuOffers(signal): Promise<GpuOffer[]> {
      return gcpPriceBook(await catalog.get(signal)).offers(new Date(ctx.now()).toISOString());
    },

    /**
     * instances.stop / instances.start (cloud.google.com/compute/docs/reference/rest/v1/instances/stop, /start): one POST
     * to the VM's zone, answered with a zone Operation (cloud.google.com/compute/docs/reference/rest/v1/zoneOperations)
     * that Google runs on its own; Cloudtop does not wait for it to be DONE — the front ends' refreshes follow the VM's
     * status. A `requestId` makes the one resend a 429 allows harmless: Google ignores a request id it already ran.
     * A VM with Local SSDs must say what becomes of their data (`discardLocalSsd`): it is discarded, as the
     * confirmation said (actions.ts). An Operation that comes back already failed is a failure, with Google's words.
     */
    async act(resource: Resource, action: ResourceAction, signal: AbortSignal): Promise<void> {
      const project = await projectOf(resource.scope ? { id: resource.scope, label: resource.scope, kind: 'project' } : undefined);
      const zone = resource.region;
      if (!zone)
        throw new CloudtopError({
          category: 'config',
          cloud: 'gcp',
          message: `Google Cloud: ${resource.name} names no zone to ${action} it in.`,
        });
      const localSsds = Number(resource.details?.[INSTANCE_DETAILS.localSsds] ?? 0);
      const operation = await rest.post(
        'compute',
        `POST /compute/v1/projects/{project}/zones/{zone}/instances/{instance}/${action}`,
        `/compute/v1/projects/${encodeURIComponent(project)}/zones/${encodeURIComponent(zone)}/instances/${encodeURIComponent(resource.name)}/${action}`,
        { requestId: randomUUID(), ...(action === 'stop' && localSsds > 0 ? { discardLocalSsd: true } : {}) },
        signal,
      );
      const failed = operationError(operation);
      if (failed) throw failed;
      ctx.log.info(
        `Google Cloud: ${action} ${resource.name} (${resource.id}): operation ${text(operation.name) ?? '?'} ${text(operation.status) ?? ''}`.trim(),
      );
    },

    close() {
      // A provider that never started has no auth yet; one that did ends its gcloud runs (their process groups).
      (auth as GcpAuth | undefined)?.close();
      knownShapes.clear();
      seenIn.clear();
      early.clear();
      return Promise.resolve();
    },
  };
};
