// Cloudflare API calls of one refresh (real catalogue entry, real SDK, simulated API) for 10 and 500 Workers, and
// the GraphQL Analytics calls among them, which must not grow with the number of Workers.
import { startCloudflareHarness, withAccountId } from '../support/cloudflareHarness';

type Record = (metric: string, value: number, unit: string) => void;

export async function benchCloudflare(record: Record): Promise<void> {
  const analytics: number[] = [];
  for (const workers of [10, 500]) {
    const h = await startCloudflareHarness({ cloudflare: { count: workers }, env: withAccountId, rateLimit: null });
    try {
      const { cloudflare } = await h.refresh({ clouds: ['cloudflare'] });
      if (cloudflare.state !== 'ok') throw new Error(`Cloudflare refresh failed: ${cloudflare.error?.message}`);
      record(`refresh.apiCalls.cloudflare.workers${workers}`, h.sim.log.count('cloudflare'), 'calls');
      const graphql = h.sim.log.count('cloudflare', 'POST /graphql');
      record(`refresh.analyticsCalls.cloudflare.workers${workers}`, graphql, 'calls');
      analytics.push(graphql);
    } finally {
      await h.close();
    }
  }
  if (analytics[0] !== analytics[1]) throw new Error(`Cloudflare analytics calls grew with the Workers: ${analytics.join(' vs ')}`);
}
