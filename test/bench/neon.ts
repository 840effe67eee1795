// Neon's figures for `npm run bench`:
// - the API calls of one refresh of an account with 50 projects. Neon has no account-wide list of computes or
//   branches, so this grows with projects (1 organization lookup + 1 project page + 2 per project), not only with
//   pages: the number to watch against Neon's 700 requests/minute;
// - a large account (200 projects) with every default (the catalogue's rate budget, the 30 s deadline) against a
//   simulator that enforces Neon's documented limits: how long until all 200 projects show (`firstMs`) and until
//   every project's branches and computes do (`completeMs`), refreshing back to back as the views do, beside the
//   floor Neon's own budget puts under `completeMs` (`budgetFloorMs`: the calls made ÷ the documented windows).
import { createEngine } from '../../src/core/engine/engine';
import { catalogue } from '../../src/providers/index';
import { COMPUTES_SERVICE, BRANCHES_SERVICE, PROJECTS_SERVICE } from '../../src/providers/neon/mapping';
import { neonCloud, type NeonState } from '../sim/neon';
import { startSim } from '../sim/server';
import { providerCalls } from './providers';

type Record = (metric: string, value: number, unit: string) => void;

/**
 * Neon's documented budget: 700 requests a minute per account, 40 a second per route (neondatabase/website
 * content/docs/reference/api-reference.md).
 */
const PER_MINUTE = 700;
const PER_ROUTE_SECOND = 40;
/** Refreshes tried before a figure counts as never reached. */
const MAX_REFRESHES = 6;
const LATENCY_MS = 30;

/**
 * The least time Neon's windows allow for these calls, each route's calls in windows of 40 a second and all of
 * them in windows of 700 a minute, the first window starting with the first call.
 */
export function budgetFloorMs(callsPerRoute: readonly number[]): number {
  const total = callsPerRoute.reduce((a, b) => a + b, 0);
  const routeFloor = Math.max(0, ...callsPerRoute.map((n) => (Math.ceil(n / PER_ROUTE_SECOND) - 1) * 1000));
  const minuteFloor = (Math.ceil(total / PER_MINUTE) - 1) * 60_000;
  return Math.max(routeFloor, minuteFloor);
}

async function largeAccount(record: Record, projects: number): Promise<void> {
  const sim = await startSim({ clouds: [neonCloud({ count: projects, shared: 0, documentedLimits: true })], latencyMs: LATENCY_MS });
  const state = sim.state<NeonState>('neon');
  const branches = Object.values(state.branches).reduce((n, list) => n + list.length, 0);
  const computes = Object.values(state.endpoints).reduce((n, list) => n + list.length, 0);
  const engine = createEngine({
    catalogue: { neon: catalogue.neon! },
    env: { NEON_API_KEY: sim.keys().neon },
    cache: { backend: 'memory' },
    config: () => ({ enabled: true, endpoint: sim.endpoint('neon') }),
  });
  const prefix = `refresh.neon.projects${projects}`;
  const started = performance.now();
  let firstMs: number | undefined;
  let completeMs: number | undefined;
  let refreshes = 0;
  try {
    while (completeMs === undefined && refreshes < MAX_REFRESHES) {
      refreshes++;
      const outcome = (await engine.collector.refresh()).outcomes.neon;
      const count = (service: string) => outcome?.resources.filter((r) => r.service === service).length ?? 0;
      const elapsed = performance.now() - started;
      process.stderr.write(`${prefix}: refresh ${refreshes} ${outcome?.state} after ${Math.round(elapsed)} ms: ${count(PROJECTS_SERVICE)} projects, ${count(BRANCHES_SERVICE)}/${branches} branches, ${count(COMPUTES_SERVICE)}/${computes} computes${outcome?.error ? ` (${outcome.error.message})` : ''}\n`);
      if (firstMs === undefined && count(PROJECTS_SERVICE) === projects) firstMs = elapsed;
      if (count(BRANCHES_SERVICE) === branches && count(COMPUTES_SERVICE) === computes && count(PROJECTS_SERVICE) === projects) completeMs = elapsed;
    }
    const perRoute = new Map<string, number>();
    for (const entry of sim.log.entries()) if (entry.status !== 429) perRoute.set(entry.route ?? '', (perRoute.get(entry.route ?? '') ?? 0) + 1);
    const rejected = sim.log.entries().filter((e) => e.status === 429).length;
    // -1: never reached within MAX_REFRESHES refreshes.
    record(`${prefix}.firstMs`, firstMs ?? -1, 'ms');
    record(`${prefix}.completeMs`, completeMs ?? -1, 'ms');
    record(`${prefix}.budgetFloorMs`, budgetFloorMs([...perRoute.values()]), 'ms');
    record(`${prefix}.calls`, [...perRoute.values()].reduce((a, b) => a + b, 0), 'calls');
    record(`${prefix}.rejected429`, rejected, 'calls');
    record(`${prefix}.refreshes`, refreshes, 'refreshes');
  } finally {
    await engine.dispose();
    await sim.close();
  }
}

export async function benchNeon(record: Record): Promise<void> {
  record('refresh.apiCalls.neon.projects50', await providerCalls('neon', neonCloud({ count: 50 })), 'calls');
  await largeAccount(record, 200);
}
