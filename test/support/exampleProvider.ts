// A Provider for the simulated example cloud (test/sim/example-cloud.ts), written the way every real
// provider is: through the core HTTP client (so each call passes the collector's limiter and retry), the
// shared pagination loop, and one batch metrics call per 100 resources. It lets the collector be tested
// end to end over real HTTP before — and independently of — the real clouds.
import { chunk, collectPages } from '../../src/core/transport/paginate';
import type { CloudId, GpuOffer, Resource, ResourceMetrics, ResourceStatus, Stat } from '../../src/core/model/model';
import type { Capability, Provider, ProviderContext } from '../../src/core/engine/provider';
import type { HttpClient } from '../../src/core/transport/http';
import type { CloudEntry } from '../../src/core/engine/registry';
import type { Scope } from '../../src/core/model/scope';

interface WireResource {
  id: string;
  name: string;
  status: ResourceStatus;
  region: string | null;
  created_at: string;
  gpu_name?: string;
  gpu_count?: number;
  price_per_hour?: number | null;
}

const PAGE_LIMIT = 100;
const METRICS_BATCH = 100;

/** `scoped`: the cloud's resources live in accounts (GET /accounts), each listed and measured under its own path. */
export function exampleProvider(cloud: CloudId, scoped = false): Provider {
  let http: HttpClient;
  let context: ProviderContext;
  const base = (scope?: Scope) => (scoped && scope?.id ? `/accounts/${encodeURIComponent(scope.id)}` : '');
  return {
    cloud,
    name: `Example (${cloud})`,
    capabilities: new Set<Capability>(['compute', 'gpu']),
    initialize(ctx) {
      context = ctx;
      http = ctx.http.withHeaders({ authorization: `Bearer ${ctx.credentials.apiKey}` });
      return Promise.resolve();
    },
    async healthCheck(signal) {
      await http.getJson('/resources', { limit: 1 }, signal);
    },
    listServices: () => ['Compute'],
    ...(scoped
      ? {
          async listScopes(signal: AbortSignal): Promise<Scope[]> {
            const body = await http.getJson<{ accounts: { id: string; name: string }[] }>('/accounts', undefined, signal);
            return body.accounts.map((a) => ({ id: a.id, label: a.name, kind: 'account' }));
          },
        }
      : {}),
    async listResources(filter, signal, scope) {
      const wire = await collectPages<WireResource>(
        async (cursor) => {
          const page = await http.getJson<{ items: WireResource[]; next_cursor: string | null }>(
            `${base(scope)}/resources`,
            { limit: PAGE_LIMIT, cursor: cursor as string | undefined },
            signal,
          );
          return { items: page.items, next: page.next_cursor };
        },
        { cloud, what: 'resources' },
      );
      return wire
        .map((r): Resource => ({
          id: r.id,
          cloud,
          account: context.account,
          kind: r.gpu_name ? 'gpu-instance' : 'instance',
          service: 'Compute',
          name: r.name,
          ...(r.region ? { region: r.region } : {}),
          status: r.status,
          rawStatus: r.status,
          createdAt: r.created_at,
          ...(typeof r.price_per_hour === 'number' ? { pricePerHour: r.price_per_hour } : {}),
          ...(r.gpu_name ? { gpu: { model: r.gpu_name, count: r.gpu_count ?? 1 } } : {}),
        }))
        .filter((r) => !filter.gpuOnly || r.gpu !== undefined);
    },
    async getMetrics({ resources, window, scope }, signal) {
      const out: Record<string, ResourceMetrics> = {};
      // All batches at once: the ids are known, so the chain of round trips is one call deep.
      const batches = await Promise.all(
        chunk(
          resources.map((r) => r.id),
          METRICS_BATCH,
        ).map((ids) =>
          http.request<{ metrics: Record<string, { cpu: number[]; mem: number[]; gpu_util?: number[] }> }>(
            {
              method: 'POST',
              path: `${base(scope)}/metrics/batch`,
              json: { ids, start: window.start, end: window.end },
              operation: 'metrics',
            },
            signal,
          ),
        ),
      );
      for (const { body } of batches) {
        for (const [id, series] of Object.entries(body.metrics)) {
          const cpu = stat(series.cpu);
          const mem = stat(series.mem);
          const gpu = series.gpu_util ? stat(series.gpu_util) : undefined;
          out[id] = {
            ...(cpu || mem ? { compute: { ...(cpu ? { cpuPercent: cpu } : {}), ...(mem ? { memoryPercent: mem } : {}) } } : {}),
            ...(gpu ? { gpu: { utilizationPercent: gpu } } : {}),
          };
        }
      }
      return out;
    },
    async listGpuOffers(signal) {
      const body = await http.getJson<{
        offers: {
          gpu_name: string;
          gpu_memory_gb: number;
          gpu_count: number;
          price_per_gpu_hour: number;
          interruptible: boolean;
          region: string;
          available: number;
        }[];
      }>('/offers', undefined, signal);
      const fetchedAt = new Date(context.now()).toISOString();
      return body.offers.map((o): GpuOffer => ({
        cloud,
        gpuKey: `${o.gpu_name.replace(/\s+/g, '-')}-${o.gpu_memory_gb}GB`,
        gpuName: o.gpu_name,
        gpuCount: o.gpu_count,
        pricePerGpuHour: o.price_per_gpu_hour,
        pricing: o.interruptible ? 'spot' : 'on-demand',
        region: o.region,
        availability: o.available > 0 ? 'high' : 'none',
        fetchedAt,
      }));
    },
    close: () => Promise.resolve(),
  };
}

function stat(points: readonly number[]): Stat | undefined {
  if (points.length === 0) return undefined;
  return { avg: points.reduce((a, b) => a + b, 0) / points.length, max: Math.max(...points), min: Math.min(...points) };
}

/** A catalogue entry that serves the example cloud under a real cloud id. */
export function exampleEntry(cloud: CloudId, endpoint: string, onLoad?: () => void, scoped = false): CloudEntry {
  return {
    cloud,
    displayName: cloud,
    endpoint,
    credentialFields: [{ key: 'apiKey', label: 'API key', secret: true, env: [`EXAMPLE_${cloud.toUpperCase()}_KEY`] }],
    load: () => {
      onLoad?.();
      return Promise.resolve(() => exampleProvider(cloud, scoped));
    },
  };
}
