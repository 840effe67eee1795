// The Google Cloud provider. Sign-in: Application Default Credentials through google-auth-library, or gcloud's login
// (auth.ts). Scopes are projects: the one the environment, the credential or gcloud's configuration names; with
// `cloudtop.gcp.projects` more, or `all` for every ACTIVE project Resource Manager lists. Per project: one aggregated
// listing of Compute Engine instances (every zone, nextPageToken followed), one of GKE clusters, one of Cloud Functions
// (v2 API, both generations) — through Google's REST APIs on Cloudtop's transport (api.ts). Metrics: Cloud Monitoring
// through @google-cloud/monitoring, one query per metric type per project (metrics.ts). Prices: the Billing Catalog,
// once a day for every project (prices.ts); a GPU VM's cores and memory from its machine type (machineTypes.get, once
// a day per type).
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
import { finite, mapConcurrent, text } from '../../core/transport/wire';
import { gcpAuthOf, type GcpAuth } from './auth';
import { GCP_HOSTS } from './hosts';
import { lastSegment } from './machine-types';
import {
  GCP_SERVICES,
  mapCluster,
  mapFunction,
  mapInstance,
  SERVICES,
  acceleratorsOf,
  isBilled,
  type MachineShape,
  type MapContext,
} from './mapping';
import { fetchMetrics, monitoringClient, type ListSeries } from './metrics';
import { gcpPriceBook, type GcpPriceBook } from './prices';
import { gcpRest, unlessDisabled, type GcpRest, type Wire } from './api';

/** The project list is read once per refresh of all projects, not once per project. */
export const PROJECTS_TTL_MS = 30_000;
/** A zone's machine types (vCPUs, memory) hardly ever change. */
export const MACHINE_TYPES_TTL_MS = 24 * 3600_000;
/** Items per aggregated-list page: the API's maximum. */
const MAX_RESULTS = 500;
/** machineTypes.get calls in flight at once. */
const SHAPE_CONCURRENCY = 4;

const itemsOf =
  (key: string) =>
  (page: Wire): Wire[] =>
    Array.isArray(page[key]) ? (page[key] as Wire[]) : [];

/** An aggregated page's instances: every zone's `instances`; zones that carry only a warning (NO_RESULTS_ON_PAGE) add none. */
export function aggregatedInstances(page: Wire): Wire[] {
  const items = page.items && typeof page.items === 'object' ? (page.items as Record<string, Wire>) : {};
  return Object.values(items).flatMap((scoped) => (Array.isArray(scoped?.instances) ? (scoped.instances as Wire[]) : []));
}

export const createGcpProvider: ProviderFactory = () => {
  let ctx: ProviderContext;
  let override: string | undefined;
  let auth: GcpAuth;
  let rest: GcpRest;
  let prices: GcpPriceBook;
  let series: ListSeries | undefined;
  let projects: (signal: AbortSignal) => Promise<Wire[]>;
  let defaultProject: () => Promise<string | undefined>;
  const shapes = new Map<string, (signal: AbortSignal) => Promise<MachineShape | undefined>>();
  const knownShapes = new Map<string, MachineShape>();

  /**
   * vCPUs and memory of a machine type, read once a day in the first zone and project that runs it: a machine type
   * (n1-standard-8, a2-highgpu-1g; custom-8-30720 names its own) has the same shape in every zone that offers it, so
   * the calls grow with the types in use, not with zones or VMs.
   */
  const shapeOf = (project: string, zone: string, type: string) => {
    const key = type;
    let load = shapes.get(key);
    if (!load) {
      load = reused(MACHINE_TYPES_TTL_MS, ctx.now, async (signal) => {
        const m = await rest.get(
          'compute',
          'GET /compute/v1/projects/{project}/zones/{zone}/machineTypes/{type}',
          `/compute/v1/projects/${encodeURIComponent(project)}/zones/${encodeURIComponent(zone)}/machineTypes/${encodeURIComponent(type)}`,
          {},
          signal,
        );
        const guestCpus = finite(Number(m.guestCpus));
        const memoryMb = finite(Number(m.memoryMb));
        const shape = guestCpus && memoryMb ? { guestCpus, memoryMb } : undefined;
        if (shape) knownShapes.set(key, shape);
        return shape;
      });
      shapes.set(key, load);
    }
    return load;
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
      auth = await gcpAuthOf(context.credentials, context.now);
      const transport = ctx.http.transport({ origins: override ? [override] : Object.values(GCP_HOSTS), expectJson: true });
      rest = gcpRest(transport, auth, override);
      prices = gcpPriceBook(() => rest, ctx.now);
      const named = text(context.credentials.projectId)?.trim() ?? auth.credentialProject;
      let fromGcloud: Promise<string | undefined> | undefined;
      defaultProject = () => (named ? Promise.resolve(named) : (fromGcloud ??= auth.gcloudProject()));
      projects = reused(PROJECTS_TTL_MS, ctx.now, (signal) =>
        rest.list('resourceManager', 'GET /v3/projects:search', '/v3/projects:search', { pageSize: 500 }, itemsOf('projects'), signal),
      );
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
      else await projects(signal);
    },

    listServices: () => GCP_SERVICES,

    async listScopes(signal): Promise<Scope[]> {
      const chosen = await defaultProject();
      let listed: Wire[];
      try {
        listed = await projects(signal);
      } catch (error) {
        const reason = toCloudtopError(error, 'gcp');
        // An identity that may read its project but not search for projects still shows that one.
        if (!chosen || signal.aborted || reason.category === 'auth') throw reason;
        ctx.log.warn(`Google Cloud: projects not listed (${reason.message}); showing ${chosen}.`);
        return [{ id: chosen, label: chosen, kind: 'project' }];
      }
      const scopes = listed
        .filter((p) => typeof p.projectId === 'string' && (text(p.state) ?? 'ACTIVE') === 'ACTIVE')
        .map((p): Scope => ({
          id: p.projectId as string,
          label: text(p.displayName) ?? (p.projectId as string),
          kind: 'project',
          selectedByDefault: !chosen || p.projectId === chosen,
        }));
      if (chosen && !scopes.some((s) => s.id === chosen))
        scopes.unshift({ id: chosen, label: chosen, kind: 'project', selectedByDefault: true });
      return scopes;
    },

    async listResources(filter: ResourceFilter, signal, scope): Promise<Resource[]> {
      const project = await projectOf(scope);
      const p = encodeURIComponent(project);
      const wants = selectServices(filter, SERVICES.gpu);
      const [instances, clusters, functions] = await Promise.all([
        wants(SERVICES.gpu) || wants(SERVICES.vm)
          ? unlessDisabled(
              rest.list(
                'compute',
                'GET /compute/v1/projects/{project}/aggregated/instances',
                `/compute/v1/projects/${p}/aggregated/instances`,
                { maxResults: MAX_RESULTS, returnPartialSuccess: true },
                aggregatedInstances,
                signal,
              ),
            )
          : [],
        wants(SERVICES.gke)
          ? unlessDisabled(
              rest
                .get('container', 'GET /v1/projects/{project}/locations/-/clusters', `/v1/projects/${p}/locations/-/clusters`, {}, signal)
                .then(itemsOf('clusters')),
            )
          : [],
        wants(SERVICES.functions)
          ? unlessDisabled(
              rest.list(
                'functions',
                'GET /v2/projects/{project}/locations/-/functions',
                `/v2/projects/${p}/locations/-/functions`,
                { pageSize: 1000 },
                itemsOf('functions'),
                signal,
              ),
            )
          : [],
      ]);
      // GPU VMs are priced from the catalogue and their machine type: a failure shows no price, not no VMs.
      const gpuVms = instances.filter((i) => acceleratorsOf(i) !== undefined && isBilled(i));
      if (gpuVms.length > 0) {
        try {
          await prices.load(signal);
          const kinds = new Map(
            gpuVms.map((i) => {
              const zone = lastSegment(text(i.zone) ?? '');
              const type = lastSegment(text(i.machineType) ?? '');
              return [type, [zone, type] as const];
            }),
          );
          await mapConcurrent([...kinds.values()], SHAPE_CONCURRENCY, ([zone, type]) =>
            shapeOf(
              project,
              zone,
              type,
            )(signal).catch((error: unknown) => {
              if (signal.aborted) throw error;
              ctx.log.warn(
                `Google Cloud: machine type ${type} in ${zone} not read (${toCloudtopError(error, 'gcp').message}); its VMs are priced by their GPUs only.`,
              );
            }),
          );
        } catch (error) {
          if (signal.aborted) throw error;
          ctx.log.warn(
            `Google Cloud: Billing Catalog prices not read (${toCloudtopError(error, 'gcp').message}); GPU VMs show no price. Enable the Cloud Billing API in the credential's project.`,
          );
        }
      }
      const map: MapContext = {
        account: ctx.account,
        project,
        gpuPrice: (type, region, spot) => prices.gpuPrice(type, region, spot),
        machinePrice: (family, shape, region, spot) => prices.machinePrice(family, shape, region, spot),
        shapeOf: (type) => knownShapes.get(type),
      };
      return [
        ...instances.map((i) => mapInstance(i, map)),
        ...clusters.map((c) => mapCluster(c, map)),
        ...functions.map((f) => mapFunction(f, map)),
      ].filter((r): r is Resource => r !== undefined && wants(r.service) && (!filter.gpuOnly || r.gpu !== undefined));
    },

    async getMetrics(request: MetricsRequest) {
      const project = await projectOf(request.scope);
      series ??= monitoringClient(auth, override, ctx.http.transport({ origins: [override ?? GCP_HOSTS.monitoring], expectJson: true }));
      return fetchMetrics(project, request.resources, request.window, series);
    },

    async listGpuOffers(signal): Promise<GpuOffer[]> {
      await prices.load(signal);
      return prices.offers(new Date(ctx.now()).toISOString());
    },

    close() {
      shapes.clear();
      knownShapes.clear();
      return Promise.resolve();
    },
  };
};
