// RunPod over REST v2. One refresh is a fixed number of calls whatever the account holds: the pod list, Instant
// Cluster members included (it carries each running pod's live utilization, so metrics cost nothing more), the
// cluster list only when a listed pod belongs to one (for its name), the network volumes, the Serverless endpoint
// list, and the GPU catalog once per cloud tier (availability is per tier). No pagination: v2 lists are unpaginated.
import { CloudtopError } from '../../core/errors/errors';
import type { GpuOffer, Resource, ResourceMetrics } from '../../core/model/model';
import {
  listings,
  selectServices,
  type Capability,
  type Provider,
  type ProviderContext,
  type ProviderFactory,
  type ResourceListing,
} from '../../core/engine/provider';
import { metricsFor } from '../../core/transport/wire';
import { runpodApi, type RunpodApi, type WireCloud, type WireGpuType, type WireNetworkVolume, type WirePod } from './api';
import { mapEndpoint, SERVERLESS_SERVICE } from './serverless';
import { catalogMemory, mapGpuOffers } from './offers';
import { mapPod, PODS_SERVICE, podMetrics } from './pods';
import { mapNetworkVolume, NETWORK_VOLUMES_SERVICE, podsPerVolume } from './volumes';

const TIER_IDS: readonly WireCloud[] = ['SECURE', 'COMMUNITY'];

/** Pods (GPU compute) and serverless endpoints; network volumes are listed with the pods' storage. */
const RUNPOD_CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>(['compute', 'gpu', 'serverless']);

export const createRunpodProvider: ProviderFactory = () => {
  let ctx: ProviderContext;
  let api: RunpodApi;
  /** Metrics of the pods in the latest listing, by pod id; getMetrics reads them instead of calling. */
  let metrics = new Map<string, ResourceMetrics>();
  /** VRAM per GPU type from the catalog; sizes never change, so it outlives a refresh. */
  const gpuMemory = new Map<string, number>();
  /** The catalog request of the current refresh, shared with listResources for GPU memory (never a second call). */
  let catalog: Promise<unknown> | undefined;

  /** Cluster names for the pods' cluster ids. A list the key may not read leaves the pods named by cluster id. */
  async function clusterNames(pods: readonly WirePod[], signal: AbortSignal): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    if (!pods.some((p) => typeof p.cluster?.id === 'string')) return names;
    try {
      for (const c of await api.listClusters(signal))
        if (typeof c.id === 'string' && typeof c.name === 'string' && c.name !== '') names.set(c.id, c.name);
    } catch (error) {
      if (signal.aborted || !(error instanceof CloudtopError) || !['permission', 'not-found'].includes(error.category)) throw error;
      ctx.log.info(`RunPod: cluster names not listed (${error.message}); member pods show their cluster id.`);
    }
    return names;
  }

  /** A key without access to network volumes still shows its pods and endpoints. */
  async function networkVolumes(signal: AbortSignal): Promise<WireNetworkVolume[]> {
    try {
      return await api.listNetworkVolumes(signal);
    } catch (error) {
      if (signal.aborted || !(error instanceof CloudtopError) || error.category !== 'permission') throw error;
      ctx.log.info(`RunPod: network volumes not listed: ${error.message}`);
      return [];
    }
  }

  const provider: Provider = {
    cloud: 'runpod',
    name: 'RunPod',
    capabilities: RUNPOD_CAPABILITIES,

    initialize(context) {
      ctx = context;
      api = runpodApi(context.http.withHeaders({ authorization: `Bearer ${context.credentials.apiKey}` }), context.log);
      return Promise.resolve();
    },

    async healthCheck(signal) {
      await api.listDataCenters(signal);
    },

    listServices: () => [PODS_SERVICE, SERVERLESS_SERVICE, NETWORK_VOLUMES_SERVICE],

    async listResources(filter, signal): Promise<ResourceListing> {
      const wants = selectServices(filter, PODS_SERVICE);
      // The pods are what RunPod is about: their failure fails the refresh. Endpoints, volumes and cluster names are
      // listings of their own: one that fails is a warning, and the pods still show.
      let podList: Promise<WirePod[]> = Promise.resolve([]);
      const got = await listings('runpod', signal, {
        Pods: wants(PODS_SERVICE) ? { services: [PODS_SERVICE], primary: true, list: (s) => (podList = api.listPods(s)) } : undefined,
        // Endpoints and volumes have no GPU of their own, so a GPU-only view skips their calls.
        'Serverless endpoints': wants(SERVERLESS_SERVICE)
          ? { services: [SERVERLESS_SERVICE], list: (s) => api.listEndpoints(s) }
          : undefined,
        'Network volumes': wants(NETWORK_VOLUMES_SERVICE) ? { services: [NETWORK_VOLUMES_SERVICE], list: networkVolumes } : undefined,
        // Names only: without them, member pods show their cluster id.
        'Instant Clusters': wants(PODS_SERVICE) ? { services: [], list: async (s) => clusterNames(await podList, s) } : undefined,
      });
      const pods = got.values.Pods ?? [];
      const endpoints = got.values['Serverless endpoints'] ?? [];
      const volumes = got.values['Network volumes'] ?? [];
      const clusters = got.values['Instant Clusters'] ?? new Map<string, string>();
      await catalog?.catch(() => undefined); // its failure is listGpuOffers' to report
      const seen = new Set<string>();
      const fresh = new Map<string, ResourceMetrics>();
      const resources: Resource[] = [];
      for (const pod of pods) {
        if (typeof pod.id !== 'string' || pod.id === '' || seen.has(pod.id)) continue;
        seen.add(pod.id);
        const resource = mapPod(pod, { account: ctx.account, gpuMemory, clusterNames: clusters });
        if (filter.gpuOnly && !resource.gpu) continue;
        resources.push(resource);
        const m = podMetrics(pod);
        if (m) fresh.set(pod.id, m);
      }
      for (const endpoint of endpoints) {
        if (typeof endpoint.id === 'string' && endpoint.id !== '') resources.push(mapEndpoint(endpoint, ctx.account));
      }
      const attached = podsPerVolume(pods);
      for (const volume of volumes) {
        if (typeof volume.id === 'string' && volume.id !== '' && !seen.has(volume.id)) {
          seen.add(volume.id);
          resources.push(mapNetworkVolume(volume, ctx.account, attached.get(volume.id) ?? 0));
        }
      }
      metrics = fresh;
      ctx.log.debug(
        `RunPod: ${pods.length} pods, ${endpoints.length} serverless endpoints, ${volumes.length} network volumes, metrics for ${fresh.size} running pods`,
      );
      return { resources, problems: got.problems };
    },

    getMetrics({ resources }) {
      return Promise.resolve(metricsFor(resources, metrics));
    },

    async listGpuOffers(signal): Promise<GpuOffer[]> {
      const pending = Promise.all(TIER_IDS.map((tier) => api.listGpuTypes(tier, signal)));
      catalog = pending;
      pending.catch(() => undefined);
      const answers = await pending;
      const byTier: Partial<Record<WireCloud, readonly WireGpuType[]>> = {};
      TIER_IDS.forEach((tier, i) => {
        byTier[tier] = answers[i];
        for (const [id, gb] of catalogMemory(answers[i])) gpuMemory.set(id, gb);
      });
      return mapGpuOffers(byTier, new Date(ctx.now()).toISOString());
    },

    act(resource, action, signal) {
      return api.podAction(resource.id, action, signal);
    },

    close() {
      metrics = new Map();
      catalog = undefined;
      return Promise.resolve();
    },
  };
  return provider;
};
