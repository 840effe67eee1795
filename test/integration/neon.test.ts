// The Neon provider end to end: the real catalogue entry and HTTP client, through the collector (cache, limiter,
// retry), against the simulated API v2 (test/sim/neon.ts). A second cloud (the example cloud mounted as `vastai`)
// runs beside it to show a Neon failure stays Neon's.
import { testReference } from '../support/reference';
import { listedResources } from '../../src/core/engine/provider';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CollectorOptions } from '../../src/core/engine/collector';
import { CloudtopError } from '../../src/core/errors/errors';
import { createHttpClient } from '../../src/core/transport/http';
import { silentLogger } from '../../src/core/model/log';
import { defaultWindow, type Resource } from '../../src/core/model/model';
import { BRANCHES_PAGE_LIMIT, PROJECTS_PAGE_LIMIT } from '../../src/providers/neon/api';
import { createNeonProvider } from '../../src/providers/neon/provider';
import { HOSTILE_NAMES } from '../sim/hostile';
import { buildBranch, buildEndpoint, buildProject, NEON_ORG_REQUIRED, neonCloud, type NeonCloudOptions, type NeonState } from '../sim/neon';
import { startSim, type Sim } from '../sim/server';
import { startProviderHarness, type ProviderHarness } from '../support/providerHarness';
import { call } from '../support/sim-client';

type NeonHarness = ProviderHarness<'neon', NeonState>;

/** The real Neon provider beside the example cloud mounted as 'vastai', which a Neon failure must not touch. */
const startNeon = (
  options: { neon?: NeonCloudOptions; env?: NodeJS.ProcessEnv; account?: string; collector?: Partial<CollectorOptions> } = {},
): Promise<NeonHarness> =>
  startProviderHarness<'neon', NeonState>({
    // No shared projects unless a test asks for them, so counts below are of the user's own projects.
    real: { cloud: 'neon', sim: neonCloud({ count: 4, shared: 0, ...options.neon }) },
    examples: ['vastai'],
    exampleCount: 5,
    env: options.env,
    config: (cloud) => (cloud === 'neon' && options.account ? { account: options.account } : undefined),
    collector: options.collector,
  });

/** One organization, and projects/branches/endpoints replaced by exactly these. */
function setAccount(
  state: NeonState,
  projects: Array<{
    project: ReturnType<typeof buildProject>;
    branches?: ReturnType<typeof buildBranch>[];
    endpoints?: ReturnType<typeof buildEndpoint>[];
  }>,
): void {
  const org = state.orgs[0];
  state.projects = projects.map((p) => ({ ...p.project, org_id: org.id, org_name: org.name }));
  state.sharedProjects = [];
  state.branches = Object.fromEntries(projects.map((p) => [p.project.id, p.branches ?? []]));
  state.endpoints = Object.fromEntries(projects.map((p) => [p.project.id, p.endpoints ?? []]));
}

const byId = (resources: readonly Resource[]) => new Map(resources.map((r) => [r.id, r]));
/** The days the consumption query covered, from the `from` and `to` the provider sent. */
function usageDays(sim: Sim): number {
  const q = new URLSearchParams(sim.log.entries().find((e) => e.cloud === 'neon' && e.route === '/consumption_history/v2/projects')!.query);
  return (Date.parse(q.get('to')!) - Date.parse(q.get('from')!)) / 86_400_000;
}
const byRoute = (sim: Sim, route: string) => sim.log.entries().filter((e) => e.cloud === 'neon' && e.route === route).length;
const queries = (sim: Sim, path: string) =>
  sim.log
    .entries()
    .filter((e) => e.cloud === 'neon' && e.path === path)
    .map((e) => e.query);

describe('Neon provider against the simulated API v2', () => {
  let h: NeonHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('maps a project, its computes and its branches with units, statuses and console links', async () => {
    h = await startNeon();
    const org = h.state().orgs[0];
    setAccount(h.state(), [
      {
        project: buildProject({
          id: 'shiny-wind-028834',
          name: 'shop <db>',
          region: 'aws-eu-central-1',
          activeTime: 7200,
          storage: 52_428_800,
          lastActive: '2026-11-01T11:58:00Z',
          createdAt: '2026-01-02T03:04:05Z',
        }),
        branches: [
          buildBranch('shiny-wind-028834', {
            id: 'br-main-1',
            name: 'main',
            isDefault: true,
            logicalSize: 31_457_280,
            computeTime: 5400,
            activeTime: 3600,
            written: 104_857_600,
            transfer: 2_000_000,
            createdAt: '2026-01-02T03:04:05Z',
          }),
          buildBranch('shiny-wind-028834', { id: 'br-dev-1', name: 'dev', parentId: 'br-main-1' }),
          buildBranch('shiny-wind-028834', { id: 'br-old-1', name: 'old', state: 'archived' }),
        ],
        endpoints: [
          buildEndpoint('shiny-wind-028834', {
            id: 'ep-main-1',
            branchId: 'br-main-1',
            region: 'aws-eu-central-1',
            state: 'active',
            minCu: 0.25,
            maxCu: 4,
            suspend: 300,
            lastActive: '2026-11-01T11:58:00Z',
          }),
          buildEndpoint('shiny-wind-028834', {
            id: 'ep-ro-1',
            branchId: 'br-main-1',
            type: 'read_only',
            state: 'idle',
            pending: 'active',
            suspend: -1,
          }),
          buildEndpoint('shiny-wind-028834', { id: 'ep-dev-1', branchId: 'br-dev-1', state: 'idle', suspend: 0, disabled: true }),
        ],
      },
      {
        project: buildProject({ id: 'waking-1' }),
        branches: [buildBranch('waking-1', { id: 'br-w', name: 'main', state: 'init' })],
        endpoints: [buildEndpoint('waking-1', { id: 'ep-w', branchId: 'br-w', state: 'init' })],
      },
      {
        project: buildProject({ id: 'sleepy-1' }),
        endpoints: [
          buildEndpoint('sleepy-1', { id: 'ep-s', branchId: 'br-gone', state: 'active', pending: 'idle' }),
          buildEndpoint('sleepy-1', { id: 'ep-s2', branchId: 'br-gone', state: 'idle' }),
        ],
      },
      { project: buildProject({ id: 'empty-1' }) },
    ]);
    org.plan = 'scale';
    h.state().dailyCuSeconds['shiny-wind-028834'] = 7200; // 2 CU-hours a day
    const { neon } = await h.refresh();
    assert.equal(neon.state, 'ok', neon.error?.message);
    const r = byId(neon.resources);
    const days = usageDays(h.sim);

    assert.deepEqual(r.get('shiny-wind-028834'), {
      id: 'shiny-wind-028834',
      cloud: 'neon',
      account: '',
      scope: org.id,
      kind: 'database',
      service: 'Postgres',
      name: 'shop <db>',
      region: 'aws-eu-central-1',
      status: 'running',
      createdAt: '2026-01-02T03:04:05Z',
      consoleUrl: 'https://console.neon.tech/app/projects/shiny-wind-028834',
      note: `${2 * days} CU-h this month`,
      details: {
        pgVersion: 17,
        organization: org.name,
        activeTimeSec: 7200,
        storageBytes: 52_428_800,
        computeLastActiveAt: '2026-11-01T11:58:00Z',
        computes: 3,
        computesActive: 1,
        branches: 3,
        cuHoursThisMonth: 2 * days,
      },
      unreportedMetrics: ['database'],
    });
    assert.deepEqual(r.get('ep-main-1'), {
      id: 'ep-main-1',
      cloud: 'neon',
      account: '',
      scope: org.id,
      kind: 'endpoint',
      service: 'Computes',
      name: 'shop <db> / main',
      region: 'aws-eu-central-1',
      status: 'running',
      rawStatus: 'active',
      createdAt: '2026-10-12T12:00:00Z',
      consoleUrl: 'https://console.neon.tech/app/projects/shiny-wind-028834/branches/br-main-1',
      details: {
        projectId: 'shiny-wind-028834',
        branchId: 'br-main-1',
        type: 'read-write',
        minCu: 0.25,
        maxCu: 4,
        suspendTimeoutSec: 300,
        lastActiveAt: '2026-11-01T11:58:00Z',
        startedAt: '2026-11-01T12:00:00Z',
      },
      unreportedMetrics: ['compute', 'database'],
    });
    assert.deepEqual(r.get('br-main-1'), {
      id: 'br-main-1',
      cloud: 'neon',
      account: '',
      scope: org.id,
      kind: 'branch',
      service: 'Branches',
      name: 'shop <db> / main',
      region: 'aws-eu-central-1',
      status: 'running',
      rawStatus: 'ready',
      createdAt: '2026-01-02T03:04:05Z',
      consoleUrl: 'https://console.neon.tech/app/projects/shiny-wind-028834/branches/br-main-1',
      details: {
        projectId: 'shiny-wind-028834',
        default: true,
        protected: false,
        logicalSizeBytes: 31_457_280,
        computeTimeSec: 5400,
        activeTimeSec: 3600,
        writtenDataBytes: 104_857_600,
        dataTransferBytes: 2_000_000,
      },
    });
    const ro = r.get('ep-ro-1')!;
    assert.deepEqual(
      [ro.name, ro.status, ro.rawStatus, ro.details!.type, ro.details!.suspendTimeout, ro.details!.pendingState],
      ['shop <db> / main (read-only)', 'starting', 'idle', 'read-only', 'never', 'active'],
    );
    const dev = r.get('ep-dev-1')!;
    assert.deepEqual(
      [dev.name, dev.status, dev.details!.suspendTimeout, dev.details!.disabled, dev.details!.suspendedAt],
      ['shop <db> / dev', 'stopped', 'default', true, '2026-10-31T12:00:00Z'],
    );
    assert.deepEqual(
      [r.get('br-old-1')!.status, r.get('br-old-1')!.rawStatus, r.get('br-dev-1')!.details!.parentId],
      ['stopped', 'archived', 'br-main-1'],
    );

    assert.deepEqual([r.get('waking-1')!.status, r.get('ep-w')!.status, r.get('br-w')!.status], ['starting', 'starting', 'starting']);
    assert.deepEqual(
      [r.get('sleepy-1')!.status, r.get('ep-s')!.status, r.get('ep-s')!.name],
      ['stopping', 'stopping', 'sleepy-1 / br-gone'],
      'a compute of an unlisted branch is named after its branch id',
    );
    assert.deepEqual(
      [r.get('empty-1')!.status, r.get('empty-1')!.details!.computes, r.get('empty-1')!.details!.branches],
      ['stopped', 0, 0],
    );
    assert.equal('storageBytes' in r.get('empty-1')!.details!, false, 'an omitted counter stays absent, never 0');

    assert.deepEqual(
      neon.resources.map((x) => x.service),
      [...Array<string>(4).fill('Postgres'), ...Array<string>(6).fill('Computes'), ...Array<string>(4).fill('Branches')],
    );
    assert.deepEqual(neon.metrics, {}, 'Neon reports no live metrics; none are invented');
    assert.ok(neon.resources.filter((x) => x.kind === 'branch').every((x) => x.unreportedMetrics === undefined));
  });

  it('keeps ids unique: a repeated compute, branch or project is listed once, and items without an id are dropped', async () => {
    h = await startNeon();
    const ep = buildEndpoint('twin-1', { id: 'ep-twin', branchId: 'br-twin', state: 'active' });
    const br = buildBranch('twin-1', { id: 'br-twin', name: 'main' });
    setAccount(h.state(), [
      {
        project: buildProject({ id: 'twin-1' }),
        branches: [br, { ...br, name: 'again', updated_at: '2020-01-01T00:00:00Z' }, { ...br, id: '' }],
        endpoints: [ep, { ...ep, current_state: 'idle' }],
      },
    ]);
    h.state().projects.push({ ...h.state().projects[0], name: 'listed twice' });
    const { neon } = await h.refresh({ clouds: ['neon'] });
    assert.equal(neon.state, 'ok', neon.error?.message);
    assert.deepEqual(
      neon.resources.map((x) => [x.id, x.name, x.status]),
      [
        ['twin-1', 'twin-1', 'running'],
        ['ep-twin', 'twin-1 / main', 'running'],
        ['br-twin', 'twin-1 / main', 'running'],
      ],
    );
  });

  it('maps a seeded account of 50 projects with hostile names in 1 + 1 + 1 + 2 × 50 + 1 calls, without per-project detail calls', async () => {
    h = await startNeon({ neon: { count: 50, hostile: true } });
    const { neon } = await h.refresh({ clouds: ['neon'] });
    assert.equal(neon.state, 'ok', neon.error?.message);
    const s = h.state();
    const r = byId(neon.resources);
    assert.equal(
      neon.resources.length,
      s.projects.length + Object.values(s.endpoints).flat().length + Object.values(s.branches).flat().length,
    );
    assert.equal(r.size, neon.resources.length, 'ids are unique');
    for (const p of s.projects) {
      const project = r.get(p.id)!;
      assert.equal(project.name, p.name, 'names pass through untouched (views escape them)');
      assert.equal(project.details!.activeTimeSec, p.active_time);
      assert.equal(project.details!.storageBytes, p.synthetic_storage_size);
      for (const b of s.branches[p.id]) {
        assert.equal(r.get(b.id)!.rawStatus, b.current_state);
        assert.equal(r.get(b.id)!.details!.computeTimeSec, b.compute_time_seconds);
        assert.equal(r.get(b.id)!.details!.writtenDataBytes, b.written_data_bytes);
      }
      for (const e of s.endpoints[p.id]) assert.equal(r.get(e.id)!.rawStatus, e.current_state);
    }
    for (const name of HOSTILE_NAMES)
      assert.ok(
        neon.resources.some((x) => x.name === name),
        `hostile name kept: ${JSON.stringify(name)}`,
      );
    assert.ok(
      s.projects.some((p) => p.synthetic_storage_size === undefined),
      'the hostile seed omits optional counters',
    );
    assert.deepEqual(
      {
        orgs: h.sim.log.count('neon', 'GET /users/me/organizations'),
        projects: h.sim.log.count('neon', 'GET /projects'),
        shared: byRoute(h.sim, '/projects/shared'),
        details: byRoute(h.sim, '/projects/:id'),
        branches: h.sim.log.count('neon', 'GET /projects/:id/branches'),
        endpoints: h.sim.log.count('neon', 'GET /projects/:id/endpoints'),
        usage: byRoute(h.sim, '/consumption_history/v2/projects'),
        total: h.sim.log.count('neon'),
      },
      // One consumption call per organization and 100 projects, whatever the plan (a Free plan answers 403).
      { orgs: 1, projects: 1, shared: 1, details: 0, branches: 50, endpoints: 50, usage: 1, total: 104 },
    );
  });

  describe('pagination', () => {
    it('pages projects by pagination.cursor and stops on the short last page although it carries a cursor', async () => {
      h = await startNeon({ neon: { count: 201, maxBranches: 1 } });
      const { neon } = await h.refresh({ clouds: ['neon'], filter: { services: ['Postgres'] } });
      assert.equal(neon.state, 'ok', neon.error?.message);
      assert.deepEqual(
        neon.resources.map((x) => x.id),
        h.state().projects.map((p) => p.id),
      );
      const org = h.state().orgs[0].id;
      const cursor = (n: number) => Buffer.from(`p:${n}`).toString('base64url');
      assert.deepEqual(queries(h.sim, '/projects'), [
        `limit=${PROJECTS_PAGE_LIMIT}&org_id=${org}`,
        `limit=100&org_id=${org}&cursor=${cursor(100)}`,
        `limit=100&org_id=${org}&cursor=${cursor(200)}`,
      ]);
    });

    it('ends on an empty page that echoes the cursor when the last page was full, and on a page without a cursor', async () => {
      h = await startNeon({ neon: { count: 200, maxBranches: 1 } });
      const full = await h.refresh({ clouds: ['neon'], filter: { services: ['Postgres'] } });
      assert.equal(full.neon.state, 'ok', full.neon.error?.message);
      assert.equal(full.neon.resources.filter((x) => x.kind === 'database').length, 200);
      assert.equal(h.sim.log.count('neon', 'GET /projects'), 3);

      h.sim.log.clear();
      const first = h.state().projects.slice(0, 100);
      h.sim.faults.add('neon', 'GET /projects', { status: 200, body: { projects: first, applications: {}, integrations: {} } });
      const uncursored = await h.refresh({ clouds: ['neon'], filter: { services: ['Postgres'] } });
      assert.equal(uncursored.neon.state, 'ok', uncursored.neon.error?.message);
      assert.equal(uncursored.neon.resources.filter((x) => x.kind === 'database').length, 100);
      assert.equal(h.sim.log.count('neon', 'GET /projects'), 1);
    });

    it('pages branches by pagination.next, and stops on a short page even when it carries `next`', async () => {
      h = await startNeon();
      const many = Array.from({ length: 250 }, (_, i) =>
        buildBranch('big-1', {
          id: `br-${String(i).padStart(3, '0')}`,
          name: `b${i}`,
          updatedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
        }),
      );
      setAccount(h.state(), [{ project: buildProject({ id: 'big-1' }), branches: many }]);
      const { neon } = await h.refresh({ clouds: ['neon'] });
      assert.equal(neon.state, 'ok', neon.error?.message);
      assert.equal(neon.resources.filter((x) => x.kind === 'branch').length, 250);
      assert.equal(neon.resources.find((x) => x.id === 'big-1')!.details!.branches, 250);
      const next = (n: number) => Buffer.from(`b:${n}`).toString('base64url');
      assert.deepEqual(queries(h.sim, '/projects/big-1/branches'), [
        `limit=${BRANCHES_PAGE_LIMIT}`,
        `limit=100&cursor=${next(100)}`,
        `limit=100&cursor=${next(200)}`,
      ]);
    });

    it('ends branches on a page without `next`, or on the empty page after a full one', async () => {
      h = await startNeon();
      const many = Array.from({ length: 200 }, (_, i) => buildBranch('big-2', { id: `br-${i}` }));
      setAccount(h.state(), [{ project: buildProject({ id: 'big-2' }), branches: many }]);
      h.state().branchNextOnLastPage = false;
      await h.refresh({ clouds: ['neon'] });
      assert.equal(h.sim.log.count('neon', 'GET /projects/:id/branches'), 2, 'no next on the full last page: done');
      h.sim.log.clear();
      h.state().branchNextOnLastPage = true;
      const { neon } = await h.refresh({ clouds: ['neon'] });
      assert.equal(h.sim.log.count('neon', 'GET /projects/:id/branches'), 3, 'next on the full last page: one empty page more');
      assert.equal(neon.resources.filter((x) => x.kind === 'branch').length, 200);
    });
  });

  describe('organizations', () => {
    it('lists the projects of every organization of a personal key, looking the organizations up once per 15 minutes', async () => {
      h = await startNeon({ neon: { count: 6, orgs: 2 } });
      const { neon } = await h.refresh({ clouds: ['neon'] });
      assert.equal(neon.state, 'ok', neon.error?.message);
      const [a, b] = h.state().orgs;
      assert.deepEqual(queries(h.sim, '/projects').sort(), [`limit=100&org_id=${a.id}`, `limit=100&org_id=${b.id}`].sort());
      const orgNames = neon.resources.filter((x) => x.kind === 'database').map((x) => x.details!.organization);
      assert.deepEqual([...new Set(orgNames)].sort(), [a.name, b.name].sort());
      await h.refresh({ clouds: ['neon'] });
      assert.equal(h.sim.log.count('neon', 'GET /users/me/organizations'), 1);
    });

    it('uses the account setting as org_id without looking organizations up', async () => {
      h = await startNeon({ neon: { orgs: 2 } });
      const org = h.state().orgs[1];
      h = await restartWith(h, { neon: { orgs: 2 }, account: org.id });
      const { neon } = await h.refresh({ clouds: ['neon'] });
      assert.equal(neon.state, 'ok', neon.error?.message);
      assert.equal(h.sim.log.count('neon', 'GET /users/me/organizations'), 0);
      assert.deepEqual(queries(h.sim, '/projects'), [`limit=100&org_id=${org.id}`]);
      assert.ok(neon.resources.every((x) => x.account === org.id));
      assert.deepEqual(
        new Set(neon.resources.filter((x) => x.kind === 'database').map((x) => x.id)),
        new Set(
          h
            .state()
            .projects.filter((p) => p.org_id === org.id)
            .map((p) => p.id),
        ),
      );
    });

    it('works with an organization API key, whose organization lookup names its own organization', async () => {
      h = await startNeon({ neon: { orgs: 2, count: 6 }, env: { NEON_API_KEY: 'napi_org_key_for_the_second_org_000000000000000000' } });
      const org = h.state().orgs[1];
      h.state().orgKeys['napi_org_key_for_the_second_org_000000000000000000'] = org.id;
      h.state().orgKeyLookup = 'owning-org';
      const { neon } = await h.refresh({ clouds: ['neon'] });
      assert.equal(neon.state, 'ok', neon.error?.message);
      assert.equal(neon.resources.filter((x) => x.kind === 'database').length, 3);
      assert.deepEqual(queries(h.sim, '/projects'), [`limit=100&org_id=${org.id}`]);
    });

    it('falls back to a listing without org_id when the lookup is refused, and reports Neon’s "org_id is required" as a settings problem', async () => {
      h = await startNeon();
      h.sim.faults.add('neon', 'GET /users/me/organizations', { status: 404 });
      const { neon } = await h.refresh({ clouds: ['neon'] });
      assert.equal(neon.state, 'error');
      assert.equal(neon.error!.category, 'config');
      assert.match(neon.error!.message, new RegExp(`\\(400\\).*Neon said: "${NEON_ORG_REQUIRED}"`));
      assert.deepEqual(queries(h.sim, '/projects'), ['limit=100']);
      assert.deepEqual(h.sleeps, []);
    });
  });

  describe('organization keys, shared projects and usage', () => {
    const ORG_KEY = 'napi_org_key_neonctl_saw_refused_0000000000000000000';

    it('falls back to a listing without org_id when an organization key gets neonctl’s 403 "not allowed for organization API keys"', async () => {
      h = await startNeon({ neon: { orgs: 2, count: 6, shared: 2 }, env: { NEON_API_KEY: ORG_KEY } });
      const org = h.state().orgs[1];
      h.state().orgKeys[ORG_KEY] = org.id; // orgKeyLookup 'forbidden' is the default: the real answer neonctl handles
      const { neon } = await h.refresh({ clouds: ['neon'] });
      assert.equal(neon.state, 'ok', neon.error?.message);
      assert.equal(h.sim.log.entries().find((e) => e.route === '/users/me/organizations')?.status, 403);
      assert.deepEqual(queries(h.sim, '/projects'), ['limit=100'], 'no org_id: the key implies it');
      const projects = neon.resources.filter((x) => x.kind === 'database');
      assert.deepEqual(
        projects.map((x) => x.id).sort(),
        h
          .state()
          .projects.filter((p) => p.org_id === org.id)
          .map((p) => p.id)
          .sort(),
      );
      assert.ok(
        projects.every((x) => x.details!.shared === undefined),
        'an org key lists no shared projects',
      );
      // Usage is still asked, for the organization the projects name.
      const usage = h.sim.log
        .entries()
        .filter((e) => e.route === '/consumption_history/v2/projects')
        .map((e) => new URLSearchParams(e.query).get('org_id'));
      assert.deepEqual(usage, [org.id]);
    });

    it('lists projects shared with the user beside their own, paged by cursor, marked shared, with their computes and branches', async () => {
      h = await startNeon({ neon: { count: 3, shared: 150, maxBranches: 1 } });
      const s = h.state();
      const { neon } = await h.refresh({ clouds: ['neon'] });
      assert.equal(neon.state, 'ok', neon.error?.message);
      const projects = neon.resources.filter((x) => x.kind === 'database');
      assert.equal(projects.length, s.projects.length + s.sharedProjects.length);
      for (const p of s.sharedProjects) {
        const r = projects.find((x) => x.id === p.id)!;
        assert.ok(r, `shared project ${p.id} listed`);
        assert.equal(r.name, p.name);
        assert.equal(r.details!.shared, true);
        assert.equal(r.note, 'shared', 'shared, and no usage: the organization is not the user’s');
        for (const e of s.endpoints[p.id])
          assert.ok(
            neon.resources.some((x) => x.id === e.id),
            `its compute ${e.id}`,
          );
        for (const b of s.branches[p.id])
          assert.ok(
            neon.resources.some((x) => x.id === b.id),
            `its branch ${b.id}`,
          );
      }
      assert.ok(projects.filter((x) => !s.sharedProjects.some((p) => p.id === x.id)).every((x) => x.details!.shared === undefined));
      const pages = h.sim.log
        .entries()
        .filter((e) => e.route === '/projects/shared')
        .map((e) => e.query);
      assert.deepEqual(pages, ['limit=100', `limit=100&cursor=${Buffer.from('s:100').toString('base64url')}`], 'a short page ends it');
    });

    it('shows this month’s CU-hours per project on plans with consumption history, and says "not on this plan" on Free', async () => {
      h = await startNeon({ neon: { count: 6, orgs: 2 } });
      const s = h.state();
      const [paid, free] = s.orgs;
      paid.plan = 'launch';
      free.plan = 'free';
      const { neon } = await h.refresh({ clouds: ['neon'] });
      assert.equal(neon.state, 'ok', neon.error?.message);
      const asked = h.sim.log.entries().filter((e) => e.route === '/consumption_history/v2/projects');
      assert.deepEqual(asked.map((e) => e.status).sort(), [200, 403]);
      const q = new URLSearchParams(asked[0].query);
      assert.deepEqual([q.get('metrics'), q.get('granularity')], ['compute_unit_seconds', 'daily']);
      const from = new Date(q.get('from')!);
      assert.deepEqual([from.getUTCDate(), from.getUTCHours(), from.getUTCMinutes()], [1, 0, 0], 'from the 1st of the month');
      const days = usageDays(h.sim);
      for (const p of s.projects) {
        const r = neon.resources.find((x) => x.id === p.id)!;
        if (p.org_id === paid.id) {
          const hours = Math.round(((s.dailyCuSeconds[p.id] * days) / 3600) * 100) / 100;
          assert.equal(r.details!.cuHoursThisMonth, hours, p.id);
          assert.equal(r.note, `${hours} CU-h this month`);
        } else {
          assert.equal(r.details!.cuHoursThisMonth, 'not on this plan', p.id);
          assert.equal(r.note, 'CU-h: not on this plan');
        }
        assert.deepEqual(r.unreportedMetrics, ['database'], 'live database metrics are still not reported');
      }
      assert.deepEqual(neon.metrics, {});
      // Reused for 15 minutes: the next refresh asks again for nothing.
      h.sim.log.clear();
      await h.refresh({ clouds: ['neon'] });
      assert.equal(byRoute(h.sim, '/consumption_history/v2/projects'), 0);
    });

    it('keeps listing when the consumption history fails: the projects show, without a usage figure', async () => {
      h = await startNeon({ neon: { count: 2 } });
      h.state().orgs[0].plan = 'scale';
      h.sim.faults.add('neon', 'GET /consumption_history/v2/projects', { status: 500, times: Infinity });
      const { neon } = await h.refresh({ clouds: ['neon'] });
      assert.equal(neon.state, 'ok', neon.error?.message);
      assert.ok(
        neon.resources.filter((x) => x.kind === 'database').every((x) => x.details!.cuHoursThisMonth === undefined && x.note === undefined),
      );
      assert.ok(
        h.log.at('warn').some((l) => l.includes('compute usage')),
        'the log says why',
      );
    });
  });

  it('getMetrics answers with nothing and calls nothing: Neon reports no metrics, and they are marked so', async () => {
    h = await startNeon();
    const direct = await directProvider(h.sim);
    try {
      const signal = new AbortController().signal;
      const resources = listedResources(await direct.provider.listResources({}, signal));
      assert.ok(resources.length > 0);
      const before = h.sim.log.count('neon');
      assert.deepEqual(await direct.provider.getMetrics({ resources, window: defaultWindow(Date.now()) }, signal), {});
      assert.equal(h.sim.log.count('neon'), before, 'no call');
      for (const r of resources)
        assert.deepEqual(
          r.unreportedMetrics,
          r.kind === 'database' ? ['database'] : r.kind === 'endpoint' ? ['compute', 'database'] : undefined,
        );
      assert.deepEqual(direct.provider.listServices(), ['Postgres', 'Computes', 'Branches']);
      assert.deepEqual([...direct.provider.capabilities], ['database']);
    } finally {
      await direct.close();
    }
  });

  it('checks health with the organization lookup and a one-project page, and fails it for a rejected key', async () => {
    h = await startNeon();
    const direct = await directProvider(h.sim);
    try {
      await direct.provider.healthCheck(new AbortController().signal);
      assert.deepEqual(
        h.sim.log.entries().map((e) => `${e.path}?${e.query}`),
        ['/users/me/organizations?', `/projects?limit=1&org_id=${h.state().orgs[0].id}`],
      );
      h.state().keys = [];
      await assert.rejects(
        direct.provider.healthCheck(new AbortController().signal),
        (e: unknown) => e instanceof CloudtopError && e.category === 'auth',
      );
    } finally {
      await direct.close();
    }
  });

  it('skips the calls a filter does not need, and makes none for a GPU-only view', async () => {
    h = await startNeon();
    const gpu = await h.refresh({ clouds: ['neon'], filter: { gpuOnly: true } });
    assert.deepEqual([gpu.neon.state, gpu.neon.resources.length, h.sim.log.count('neon')], ['ok', 0, 0]);
    const projects = await h.refresh({ clouds: ['neon'], filter: { services: ['Postgres'] } });
    assert.ok(projects.neon.resources.length > 0 && projects.neon.resources.every((x) => x.kind === 'database'));
    assert.equal(h.sim.log.count('neon', 'GET /projects/:id/branches'), 0);
    h.sim.log.clear();
    const branches = await h.refresh({ clouds: ['neon'], filter: { services: ['Branches'] } });
    assert.ok(branches.neon.resources.every((x) => x.kind === 'branch'));
    assert.equal(h.sim.log.count('neon', 'GET /projects/:id/endpoints'), 0);
  });

  it('skips a project deleted during the refresh (404 on its own calls) and warns about unavailable projects', async () => {
    h = await startNeon({ neon: { count: 3 } });
    const [gone, ...rest] = h.state().projects;
    h.sim.faults.add('neon', `GET /projects/${gone.id}/endpoints`, { status: 404 });
    h.state().unavailableProjectIds = ['slow-project-1'];
    const { neon } = await h.refresh({ clouds: ['neon'] });
    assert.equal(neon.state, 'ok', neon.error?.message);
    assert.deepEqual(
      neon.resources.filter((x) => x.kind === 'database').map((x) => x.id),
      rest.map((p) => p.id),
    );
    assert.deepEqual(h.sleeps, []);
    assert.equal(h.log.at('warn').filter((l) => /did not load 1 project\(s\) in time/.test(l)).length, 1);
  });

  it('takes neonctl’s stored login when NEON_API_KEY is unset, ignores it once expired, and is unconfigured without either', async () => {
    const home = await mkdtemp(join(tmpdir(), 'cloudtop-neon-home-'));
    try {
      h = await startNeon({ env: { NEON_API_KEY: undefined, HOME: home } });
      assert.equal((await h.refresh()).neon.state, 'unconfigured');
      await mkdir(join(home, '.config', 'neonctl'), { recursive: true });
      const file = join(home, '.config', 'neonctl', 'credentials.json');
      const tokenSet = (expiresAt: number) =>
        JSON.stringify({
          access_token: h!.sim.keys().neon,
          refresh_token: 'r',
          token_type: 'bearer',
          expires_in: 3600,
          expires_at: expiresAt,
          user_id: 'u-1',
        });
      await writeFile(file, tokenSet(Date.now() + 3_600_000));
      const { neon } = await h.refresh();
      assert.equal(neon.state, 'ok', neon.error?.message);
      assert.equal(neon.credentialSource, 'cli-file');
      await writeFile(file, tokenSet(Date.now() - 1000));
      assert.equal((await h.refresh()).neon.state, 'unconfigured');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

/** The provider on its own, without the collector: calls run directly (no limiter, no retry). */
async function directProvider(sim: Sim): Promise<{ provider: ReturnType<typeof createNeonProvider>; close(): Promise<void> }> {
  const http = createHttpClient({ cloud: 'neon', baseUrl: sim.endpoint('neon') });
  const provider = createNeonProvider();
  await provider.initialize({
    cloud: 'neon',
    reference: testReference('neon'),
    account: '',
    endpoint: sim.endpoint('neon'),
    credentials: { apiKey: sim.keys().neon },
    http,
    settings: {},
    now: Date.now,
    log: silentLogger,
  });
  return { provider, close: async () => (await provider.close(), await http.close()) };
}

async function restartWith(old: NeonHarness, options: Parameters<typeof startNeon>[0]): Promise<NeonHarness> {
  await old.close();
  return startNeon(options);
}

describe('simulated Neon API (wire quirks)', () => {
  let sim: Sim | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('answers errors as {request_id, code, message}, echoing X-Request-ID, and 429 without Retry-After', async () => {
    sim = await startSim({ clouds: [neonCloud({ count: 3 })] });
    const base = sim.endpoint('neon');
    const key = sim.keys().neon;
    const missing = await call(`${base}/users/me/organizations`);
    assert.equal(missing.status, 401);
    assert.deepEqual(missing.body, { request_id: 'sim-1', code: '', message: 'authentication required' });
    const echoed = await fetch(`${base}/projects/nope/endpoints`, {
      headers: { authorization: `Bearer ${key}`, 'x-request-id': 'req-42' },
    });
    assert.deepEqual(await echoed.json(), { request_id: 'req-42', code: '', message: 'project nope not found' });
    sim.faults.add('neon', 'GET /projects', { status: 429 });
    const limited = await call(`${base}/projects`, { key });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), null);
    assert.deepEqual(Object.keys(limited.body as object), ['request_id', 'code', 'message']);
    const orgRequired = await call<{ message: string }>(`${base}/projects`, { key });
    assert.deepEqual([orgRequired.status, orgRequired.body.message], [400, NEON_ORG_REQUIRED]);
    assert.equal((await call(`${base}/projects?limit=401&org_id=${sim.state<NeonState>('neon').orgs[0].id}`, { key })).status, 400);
  });

  it('serves project details with the billing-period counters the list leaves out', async () => {
    sim = await startSim({ clouds: [neonCloud({ count: 2 })] });
    const state = sim.state<NeonState>('neon');
    const id = state.projects[0].id;
    const res = await call<{ project: Record<string, unknown> }>(`${sim.endpoint('neon')}/projects/${id}`, { key: sim.keys().neon });
    for (const field of [
      'compute_time_seconds',
      'active_time_seconds',
      'written_data_bytes',
      'data_storage_bytes_hour',
      'consumption_period_start',
    ]) {
      assert.equal(res.body.project[field], (state.usage[id] as unknown as Record<string, unknown>)[field], field);
    }
    const list = await call<{ projects: Array<Record<string, unknown>> }>(`${sim.endpoint('neon')}/projects?org_id=${state.orgs[0].id}`, {
      key: sim.keys().neon,
    });
    assert.equal('compute_time_seconds' in list.body.projects[0], false);
  });
});
