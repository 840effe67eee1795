// The Vast.ai provider: instances (with their metrics, which Vast.ai puts in the list itself) and marketplace
// GPU offers, over plain HTTPS with a Bearer key. A refresh costs one call per 25 instances plus two offer searches.
import { CloudtopError } from '../../core/errors/errors';
import type { HttpClient } from '../../core/transport/http';
import type { ResourceMetrics, Resource } from '../../core/model/model';
import type { Capability, Provider, ProviderContext, ProviderFactory } from '../../core/engine/provider';
import { metricsFor } from '../../core/transport/wire';
import { CURRENT_USER, listInstancesV0, listInstancesV1, searchOffers, setInstanceState, type VastInstance } from './api';
import { isInvalidKey404 } from './errors';
import { toMetrics, toResource, VAST_SERVICE } from './mapping';
import { sortOffers, toGpuOffers } from './offers';

export const createVastProvider: ProviderFactory = () => {
  let context: ProviderContext | undefined;
  let http: HttpClient | undefined;
  /** Set once the v1 list answered 404: this server only has the legacy list, for the provider's lifetime. */
  let legacyList = false;
  /** Metrics from the last listing, so getMetrics needs no call of its own. */
  let lastMetrics = new Map<string, ResourceMetrics>();

  const client = (): HttpClient => {
    if (!http) throw new CloudtopError({ category: 'config', cloud: 'vastai', message: 'Vast.ai provider used before initialize().' });
    return http;
  };

  /** A 404 from v1 means "no such route here" unless its body says the key is wrong. */
  const isMissingRoute = (error: unknown) => error instanceof CloudtopError && error.status === 404 && !isInvalidKey404(error);

  /** `onRows`: each page's rows as they arrive (25 a call at about one call a second: a large account takes a while). */
  async function listInstances(signal: AbortSignal, onRows: (rows: readonly VastInstance[]) => void): Promise<VastInstance[]> {
    if (!legacyList) {
      let pages = 0;
      try {
        return await listInstancesV1(client(), signal, (rows) => {
          pages++;
          onRows(rows);
        });
      } catch (error) {
        // Only a 404 on the first page says the route is missing; later, it is an ordinary failure.
        if (pages > 0 || !isMissingRoute(error)) throw error;
        context?.log.info('Vast.ai: /api/v1/instances/ answered 404; using the legacy /api/v0/instances/ list from now on.');
        legacyList = true;
      }
    }
    return listInstancesV0(client(), signal);
  }

  const provider: Provider = {
    cloud: 'vastai',
    name: 'Vast.ai',
    capabilities: new Set<Capability>(['compute', 'gpu']),

    initialize(ctx) {
      context = ctx;
      http = ctx.http.withHeaders({ authorization: `Bearer ${ctx.credentials.apiKey}` });
      return Promise.resolve();
    },

    async healthCheck(signal) {
      await client().getJson(CURRENT_USER, undefined, signal);
    },

    listServices: () => [VAST_SERVICE],

    async listResources(filter, signal, _scope, listed) {
      if (filter.services && !filter.services.includes(VAST_SERVICE)) return [];
      const account = context?.account ?? '';
      const resources: Resource[] = [];
      const metrics = new Map<string, ResourceMetrics>();
      let mappedRows = 0;
      const add = (rows: readonly VastInstance[]) => {
        mappedRows += rows.length;
        for (const row of rows) {
          const resource = toResource(row, account);
          if (filter.gpuOnly && !resource.gpu) continue;
          resources.push(resource);
          const m = toMetrics(row);
          if (m) metrics.set(resource.id, m);
        }
      };
      // Pages are mapped as they arrive, so a deadline mid-listing still shows them.
      const onRows = (rows: readonly VastInstance[]) => {
        add(rows);
        lastMetrics = metrics;
        listed?.([...resources]);
      };
      const rows = await listInstances(signal, onRows);
      // The legacy list (one unpaged call) arrives whole.
      if (mappedRows === 0 && rows.length > 0) onRows(rows);
      return resources;
    },

    getMetrics({ resources }) {
      // No call: Vast.ai's list already carried every reading (architecture: "calls grow with pages").
      return Promise.resolve(metricsFor(resources, lastMetrics));
    },

    async listGpuOffers(signal) {
      const fetchedAt = new Date(context?.now() ?? Date.now()).toISOString();
      const [onDemand, interruptible] = await Promise.all([
        searchOffers(client(), 'on-demand', signal),
        searchOffers(client(), 'bid', signal),
      ]);
      return sortOffers([...toGpuOffers(onDemand, 'on-demand', fetchedAt), ...toGpuOffers(interruptible, 'bid', fetchedAt)]);
    },

    act(resource, action, signal) {
      return setInstanceState(client(), resource.id, action === 'stop' ? 'stopped' : 'running', signal);
    },

    close() {
      lastMetrics = new Map();
      return Promise.resolve();
    },
  };
  return provider;
};
