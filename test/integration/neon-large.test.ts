// A large Neon account against a simulator that enforces Neon's documented limits (700 requests a minute, 40 a
// second per route): the first refresh shows every project, the children (branches, computes) come within the
// budget without one 429, and a deadline keeps what arrived, says what is missing and the next refresh continues.
import assert from 'node:assert/strict';
import { CHILDREN_CONCURRENCY } from '../../src/core/engine/children-part';
import { createEngine, type Engine } from '../../src/core/engine/engine';
import type { ProviderOutcome } from '../../src/core/model/model';
import type { RateLimitConfig } from '../../src/core/transport/ratelimit';
import { catalogue } from '../../src/providers/index';
import { BRANCHES_SERVICE, COMPUTES_SERVICE, PROJECTS_SERVICE } from '../../src/providers/neon/mapping';
import { neonCloud, type NeonState } from '../sim/neon';
import { startSim, type Sim } from '../sim/server';

interface Harness {
  readonly sim: Sim;
  readonly engine: Engine;
  readonly branches: number;
  readonly computes: number;
}

async function start(options: {
  projects: number;
  latencyMs?: number;
  deadlineMs?: number;
  rateLimit?: Partial<RateLimitConfig>;
}): Promise<Harness> {
  const sim = await startSim({
    clouds: [neonCloud({ count: options.projects, shared: 0, documentedLimits: true })],
    latencyMs: options.latencyMs ?? 0,
  });
  const state = sim.state<NeonState>('neon');
  const engine = createEngine({
    catalogue: { neon: catalogue.neon! },
    env: { NEON_API_KEY: sim.keys().neon },
    cache: { backend: 'memory' },
    config: () => ({ enabled: true, endpoint: sim.endpoint('neon'), ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}) }),
    ...(options.deadlineMs ? { collector: { deadlineMs: options.deadlineMs } } : {}),
  });
  const count = (lists: Record<string, unknown[]>) => Object.values(lists).reduce((n, list) => n + list.length, 0);
  return { sim, engine, branches: count(state.branches), computes: count(state.endpoints) };
}

const shown = (outcome: ProviderOutcome | undefined, service: string) =>
  outcome?.resources.filter((r) => r.service === service).length ?? 0;
const rejected = (sim: Sim) => sim.log.entries().filter((e) => e.status === 429).length;

describe('a large Neon account within its documented budget', function () {
  this.timeout(60_000);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.engine.dispose();
    await h?.sim.close();
    h = undefined;
  });

  it('shows all 200 projects and their children on the first refresh with the defaults, never answered 429', async () => {
    h = await start({ projects: 200 });
    const outcome = (await h.engine.collector.refresh()).outcomes.neon;
    assert.equal(outcome?.state, 'ok', `state ${outcome?.state}: ${outcome?.error?.message}`);
    assert.equal(shown(outcome, PROJECTS_SERVICE), 200, 'every project is shown');
    assert.deepEqual(
      [shown(outcome, BRANCHES_SERVICE), shown(outcome, COMPUTES_SERVICE)],
      [h.branches, h.computes],
      'every branch and compute is shown',
    );
    assert.equal(outcome?.warnings, undefined, `no part is unfinished: ${JSON.stringify(outcome?.warnings)}`);
    assert.equal(rejected(h.sim), 0, 'the budget is never exceeded');
    // The 40 a second per route were used: 200 branch calls are more than one second's worth.
    assert.ok(h.sim.log.count('neon', 'GET /projects/:id/branches') === 200, 'one branch listing per project');
    assert.ok(
      outcome.resources.filter((r) => r.service === PROJECTS_SERVICE).every((r) => r.status !== 'unknown' || r.details?.computes === 0),
      'projects take their status from their computes',
    );
  });

  it('keeps what arrived when the deadline fires, marks the rest unfinished, and the next refreshes continue', async () => {
    h = await start({ projects: 60, latencyMs: 40, deadlineMs: 1500, rateLimit: { windows: [{ limit: 20, perMs: 1000 }] } });
    const first = (await h.engine.collector.refresh()).outcomes.neon;
    assert.equal(first?.state, 'ok', `a deadline in the children is no failure: ${first?.error?.message}`);
    assert.equal(shown(first, PROJECTS_SERVICE), 60, 'every project is shown at once');
    const warning = first?.warnings?.find((w) => w.part === 'children');
    assert.ok(warning, `the unfinished children are named: ${JSON.stringify(first?.warnings)}`);
    assert.match(warning.message, /^Branches and computes of \d+ of 60 resources not fetched yet .*the next refresh continues/);
    const firstBranches = shown(first, BRANCHES_SERVICE);
    assert.ok(firstBranches > 0 && firstBranches < h.branches, `some branches arrived and are kept: ${firstBranches} of ${h.branches}`);
    const calls = h.sim.log.count('neon', 'GET /projects/:id/branches');

    let last: ProviderOutcome | undefined = first;
    let cut = 1;
    for (let i = 0; i < 10 && last?.warnings?.some((w) => w.part === 'children'); i++) {
      last = (await h.engine.collector.refresh()).outcomes.neon;
      if (last?.warnings?.some((w) => w.part === 'children')) cut++;
    }
    assert.deepEqual(
      [shown(last, BRANCHES_SERVICE), shown(last, COMPUTES_SERVICE)],
      [h.branches, h.computes],
      'later refreshes fill in the rest',
    );
    assert.equal(last?.warnings, undefined, 'nothing is left unfinished');
    // Continued, not restarted: each project's branches were listed once, but for the few a deadline cut off in flight
    // (CHILDREN_CONCURRENCY at most per cut), which the next refresh asks again.
    const total = h.sim.log.count('neon', 'GET /projects/:id/branches');
    assert.ok(total <= 60 + CHILDREN_CONCURRENCY * cut, `${total} branch listings for 60 projects; the first refresh made ${calls}`);
    assert.equal(rejected(h.sim), 0, 'the budget is never exceeded');
  });

  it("says the deadline went to Cloudtop's own rate budget when it did", async () => {
    h = await start({ projects: 30, deadlineMs: 2000, rateLimit: { windows: [{ limit: 5, perMs: 1000 }] } });
    const outcome = (await h.engine.collector.refresh()).outcomes.neon;
    const warning = outcome?.warnings?.find((w) => w.part === 'children');
    assert.ok(warning, `the children are unfinished: ${JSON.stringify(outcome?.warnings)}`);
    assert.match(warning.message, /waited \d+ s for Cloudtop's rate budget \(not for Neon\)/);
    assert.equal(warning.category, 'rate-limit');
  });
});
