// The Google Cloud provider end to end: the real catalogue entry, google-auth-library (every credential-file type, the
// token endpoint the file names), @google-cloud/monitoring on its REST fallback, and Google's REST APIs through
// Cloudtop's transport, through the collector, against the simulated Google Cloud (test/sim/gcp.ts). The example cloud
// mounted as `vastai` runs beside it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ProviderOutcome, Resource } from '../../src/core/model/model';
import {
  GCLOUD_TOKEN,
  GCP_ACCELERATORS,
  GCP_CLIENT_SECRET,
  GCP_REFRESH_TOKEN,
  GCP_SUBJECT_TOKEN,
  GCP_WORKFORCE_CLIENT_SECRET,
  GCP_WORKFORCE_REFRESH_TOKEN,
  gcpAuthorizedUser,
  gcpCloud,
  gcpExternalAccount,
  gcpExternalAccountAuthorizedUser,
  gcpGpuPrice,
  gcpMetricValue,
  gcpSeriesFor,
  gcpVmListedPrice,
  gcpServiceAccount,
  gkeNodeIdle,
  installFakeGcloud,
  regionOf,
  type GcpCloudOptions,
  type GcpInstance,
  type GcpState,
  type MonitoringQuery,
} from '../sim/gcp';
import { MemoryCache } from '../../src/core/cache/memory';
import { sleep } from '../../src/core/transport/retry';
import { HOSTILE_NAMES } from '../sim/hostile';
import { startProviderHarness, type ProviderHarness, type ProviderHarnessOptions } from '../support/providerHarness';
import { assertNoSecrets } from '../support/secrets';

type GcpHarness = ProviderHarness<'gcp', GcpState>;

const start = (options: { gcp?: GcpCloudOptions } & Partial<ProviderHarnessOptions<'gcp'>> = {}): Promise<GcpHarness> => {
  const { gcp, ...harness } = options;
  return startProviderHarness<'gcp', GcpState>({
    real: { cloud: 'gcp', sim: gcpCloud({ pageSize: 3, ...gcp }) },
    examples: ['vastai'],
    exampleCount: 3,
    ...harness,
  });
};

/** Only the credential a test names: no key file from the sim's default env. */
const only =
  (env: (sim: ProviderHarness['sim']) => NodeJS.ProcessEnv) =>
  (sim: ProviderHarness['sim']): NodeJS.ProcessEnv => ({ GOOGLE_APPLICATION_CREDENTIALS: undefined, ...env(sim) });

/** A loopback port that was free a moment ago and has nothing listening on it now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const byId = (outcome: ProviderOutcome) => new Map(outcome.resources.map((r) => [r.id, r] as const));
const instancesOf = (state: GcpState, project = state.projects[0]): GcpInstance[] => project.instances;
const requests = (h: GcpHarness, route: string) => h.sim.log.entries().filter((e) => e.cloud === 'gcp' && e.route === route);

const SECRETS = [
  GCP_CLIENT_SECRET,
  GCP_REFRESH_TOKEN,
  GCP_WORKFORCE_CLIENT_SECRET,
  GCP_WORKFORCE_REFRESH_TOKEN,
  GCP_SUBJECT_TOKEN,
  GCLOUD_TOKEN,
];
/** What a view, a log or the JSON output could show of a refresh: the outcome and the log. */
const shown = (h: GcpHarness, outcome: ProviderOutcome): string[] => [JSON.stringify(outcome), h.log.text()];

/** The fixed secrets, a line of the service account's private key and every access token the sim issued. */
const gcpSecrets = (h: GcpHarness): string[] => [...SECRETS, gcpServiceAccount().privateKeyPem.split('\n')[1], ...h.state().issuedTokens];

/** The points the sim answers for a query's window: one a minute back from the end's minute (gcp-monitoring.ts). */
function minutesOf(q: MonitoringQuery): number {
  const end = Math.floor(Date.parse(q.endTime!) / 60_000) * 60_000;
  const startMs = Date.parse(q.startTime!);
  let n = 1;
  while (end - n * 60_000 > startMs) n++;
  return n;
}
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('Google Cloud provider against the simulated Google Cloud (real google-auth-library and Monitoring client)', function () {
  this.timeout(30_000);
  let h: GcpHarness | undefined;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cloudtop-gcp-'));
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs in with the key file GOOGLE_APPLICATION_CREDENTIALS names, at the token endpoint it names, and lists every page of every zone', async () => {
    h = await start();
    const { gcp } = await h.refresh();
    assert.equal(gcp.state, 'ok', gcp.error?.message);
    const state = h.state();
    assert.deepEqual(
      gcp.scopes?.map((s) => s.id),
      [state.projects[0].projectId],
      "the key's own project, alone by default",
    );
    const grants = state.tokenRequests.filter((t) => t.path === '/token');
    assert.ok(
      grants.length >= 1 && grants.every((t) => t.grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer'),
      JSON.stringify(state.tokenRequests),
    );
    assert.equal(grants[0].subject, gcpServiceAccount().clientEmail);
    // Pages of 3 while the provider asks for 500: every page read, warning-only zones skipped, no instance twice.
    const pages = requests(h, '/compute/v1/projects/:project/aggregated/instances');
    const vms = instancesOf(state);
    assert.ok(pages.length >= Math.ceil(vms.length / 3), `${pages.length} pages for ${vms.length} VMs`);
    assert.ok(
      pages.every((e) => /maxResults=500/.test(e.query)),
      'asks for the largest page',
    );
    const resources = byId(gcp);
    const expected: Record<string, Resource['status']> = {
      PROVISIONING: 'starting',
      STAGING: 'starting',
      RUNNING: 'running',
      STOPPING: 'stopping',
      SUSPENDING: 'stopping',
      SUSPENDED: 'stopped',
      TERMINATED: 'stopped',
      REPAIRING: 'error',
    };
    assert.deepEqual(new Set(vms.map((v) => v.status)).size, 8, 'the sim covers every status');
    for (const vm of vms) {
      const r = resources.get(vm.id);
      assert.ok(r, `VM ${vm.name} (${vm.id}) listed, its id exactly as sent`);
      assert.ok(Number(vm.id) > Number.MAX_SAFE_INTEGER, 'ids beyond 2^53 stay strings');
      assert.equal(r.name, vm.name);
      assert.equal(r.region, vm.zone, 'the region is the zone');
      assert.equal(r.status, expected[vm.status], `${vm.name}: ${vm.status}`);
      assert.equal(r.rawStatus, vm.status);
      assert.equal(r.kind, vm.acceleratorCount > 0 ? 'gpu-instance' : 'instance');
      if (vm.acceleratorType) assert.deepEqual([r.gpu?.model, r.gpu?.count], [vm.acceleratorType, vm.acceleratorCount], `${vm.name} GPUs`);
      assert.equal(r.details?.provisioning, vm.provisioningModel);
      assert.equal(
        r.consoleUrl,
        `https://console.cloud.google.com/compute/instancesDetail/zones/${vm.zone}/instances/${encodeURIComponent(vm.name)}?project=${state.projects[0].projectId}`,
      );
    }
    assert.equal(gcp.resources.filter((r) => r.kind === 'instance' || r.kind === 'gpu-instance').length, vms.length, 'no VM twice');
    const keys = new Map(gcp.resources.filter((r) => r.gpu).map((r) => [r.gpu!.model, r.gpu!.key]));
    assert.equal(keys.get('nvidia-tesla-a100'), 'A100-SXM-40GB');
    assert.equal(keys.get('nvidia-a100-80gb'), 'A100-SXM-80GB', 'A100 40 GB and 80 GB stay apart');
    assert.equal(keys.get('nvidia-h100-80gb'), 'H100-SXM-80GB');
    assert.equal(keys.get('nvidia-l4'), 'L4-24GB');
    assertNoSecrets(shown(h, gcp), gcpSecrets(h));
  });

  it("reads each VM's SSH address, Local SSDs and managing group from the listing alone: no call per VM", async () => {
    h = await start();
    const { gcp } = await h.refresh();
    assert.equal(gcp.state, 'ok', gcp.error?.message);
    const resources = byId(gcp);
    const vms = instancesOf(h.state());
    for (const vm of vms) {
      const r = resources.get(vm.id)!;
      // The sim sends natIP only while the VM runs (a stopped VM's ephemeral address is released).
      const running = ['RUNNING', 'STOPPING', 'SUSPENDING', 'REPAIRING'].includes(vm.status);
      assert.deepEqual(r.ssh, running ? { host: vm.natIP, port: 22 } : undefined, vm.name);
      assert.equal(r.details?.['local SSDs'], vm.localSsds, vm.name);
      assert.equal(r.details?.['managed by'], vm.createdBy ? `instance group ${vm.createdBy.split('/').pop()}` : undefined, vm.name);
    }
    assert.ok(vms.some((vm) => vm.createdBy) && vms.some((vm) => vm.localSsds), 'the sim has GKE nodes and A3 High VMs');
    const perVm = h.sim.log.entries().filter((e) => e.cloud === 'gcp' && /\/instances\/[^/]+$/.test(e.path));
    assert.deepEqual(perVm, []);
  });

  it('maps GKE clusters and Cloud Functions of both generations with their states', async () => {
    h = await start({ gcp: { projects: 2 }, config: () => ({ scopes: ['all'] }) });
    const { gcp } = await h.refresh();
    assert.equal(gcp.state, 'ok', gcp.error?.message);
    const state = h.state();
    const active = state.projects.filter((p) => p.state === 'ACTIVE');
    assert.deepEqual(
      gcp.scopes?.map((s) => s.id).sort(),
      active.map((p) => p.projectId).sort(),
      'all: every ACTIVE project, not the one being deleted',
    );
    const clusterStatus: Record<string, Resource['status']> = {
      PROVISIONING: 'starting',
      RUNNING: 'running',
      RECONCILING: 'starting',
      STOPPING: 'stopping',
      ERROR: 'error',
      DEGRADED: 'error',
    };
    const fnStatus: Record<string, Resource['status']> = {
      ACTIVE: 'running',
      DEPLOYING: 'starting',
      FAILED: 'error',
      DELETING: 'stopping',
      UNKNOWN: 'unknown',
    };
    const resources = byId(gcp);
    for (const project of active) {
      for (const c of project.clusters) {
        const r = resources.get(`projects/${project.projectId}/locations/${c.location}/clusters/${c.name}`);
        assert.ok(r, `cluster ${c.name}`);
        assert.equal(r.status, clusterStatus[c.status], `${c.name}: ${c.status}`);
        assert.equal(r.scope, project.projectId);
      }
      for (const f of project.functions) {
        const r = resources.get(`projects/${project.projectId}/locations/${f.region}/functions/${f.name}`);
        assert.ok(r, `function ${f.name}`);
        assert.equal(r.status, fnStatus[f.state], `${f.name}: ${f.state}`);
        assert.equal(r.details?.generation, f.environment === 'GEN_1' ? '1st gen' : '2nd gen');
        assert.match(
          r.consoleUrl ?? '',
          new RegExp(`/functions/details/${f.region}/.*project=${project.projectId}&env=gen${f.environment === 'GEN_1' ? 1 : 2}$`),
        );
      }
    }
    const generations = new Set(gcp.resources.filter((r) => r.service === 'Cloud Functions').map((r) => r.details?.generation));
    assert.deepEqual([...generations].sort(), ['1st gen', '2nd gen']);
  });

  it('keeps hostile names, descriptions and labels as sent', async () => {
    h = await start({ gcp: { hostile: true } });
    const { gcp } = await h.refresh();
    assert.equal(gcp.state, 'ok', gcp.error?.message);
    const shown = JSON.stringify(gcp.resources);
    assert.ok(
      HOSTILE_NAMES.some((name) => shown.includes(JSON.stringify(name).slice(1, -1))),
      "hostile text arrives as sent (escaping is the views' job)",
    );
  });

  it('prices running GPU VMs from the Billing Catalog (GPUs + cores + memory; Spot with the Preemptible SKU of its region) and offers GCP GPUs', async () => {
    h = await start();
    const { gcp } = await h.refresh();
    assert.equal(gcp.state, 'ok', gcp.error?.message);
    const resources = byId(gcp);
    let priced = 0;
    let spot = 0;
    for (const vm of instancesOf(h.state())) {
      const r = resources.get(vm.id)!;
      if (!vm.acceleratorType || vm.status !== 'RUNNING' || vm.provisioningModel === 'RESERVATION_BOUND') continue;
      const usage = vm.provisioningModel === 'SPOT' ? 'Preemptible' : vm.provisioningModel === 'FLEX_START' ? 'FlexStart' : 'OnDemand';
      const gpu = gcpGpuPrice(vm.acceleratorType, regionOf(vm.zone), usage)!;
      const listed = gcpVmListedPrice(vm)!;
      assert.ok(r.pricePerHour !== undefined, `${vm.name} is priced`);
      assert.ok(Math.abs(r.pricePerHour - listed) < 1e-6, `${vm.name}: ${r.pricePerHour} vs ${listed} (its GPUs, cores and memory)`);
      assert.ok(r.pricePerHour >= gpu * vm.acceleratorCount, 'at least its GPUs');
      priced++;
      if (usage === 'Preemptible') spot++;
    }
    assert.ok(priced >= 3 && spot >= 1, `${priced} running GPU VMs priced, ${spot} of them Spot`);
    for (const vm of instancesOf(h.state()).filter((v) => v.status === 'TERMINATED' && v.acceleratorType))
      assert.equal(resources.get(vm.id)!.pricePerHour, undefined, 'a stopped VM is not billed');
    // One machineTypes.get per machine type of the GPU VMs, not per VM or zone.
    const perType = new Map<string, number>();
    for (const [key, n] of Object.entries(h.state().machineTypeCalls))
      perType.set(key.split('/')[1], (perType.get(key.split('/')[1]) ?? 0) + n);
    const billed = ['RUNNING', 'STOPPING', 'SUSPENDING', 'REPAIRING'];
    const gpuTypes = new Set(
      instancesOf(h.state())
        .filter((v) => v.acceleratorType && billed.includes(v.status))
        .map((v) => v.machineType),
    );
    assert.deepEqual([...perType.keys()].sort(), [...gpuTypes].sort(), JSON.stringify(h.state().machineTypeCalls));
    assert.ok(
      [...perType.values()].every((n) => n === 1),
      JSON.stringify(h.state().machineTypeCalls),
    );

    const offers = gcp.offers;
    assert.ok(offers.length > 0 && offers.every((o) => o.cloud === 'gcp' && o.pricePerGpuHour > 0), 'GCP GPU offers');
    const t4 = offers.filter((o) => o.gpuKey === 'T4-16GB' && o.region === 'us-central1');
    assert.deepEqual(t4.map((o) => o.pricing).sort(), ['on-demand', 'spot']);
    assert.equal(t4.find((o) => o.pricing === 'on-demand')!.pricePerGpuHour, gcpGpuPrice('nvidia-tesla-t4', 'us-central1', 'OnDemand'));
    assert.equal(t4.find((o) => o.pricing === 'spot')!.pricePerGpuHour, gcpGpuPrice('nvidia-tesla-t4', 'us-central1', 'Preemptible'));
    const a100 = offers.find((o) => o.gpuKey === 'A100-SXM-40GB' && o.region === 'europe-west4' && o.pricing === 'on-demand');
    assert.equal(a100?.pricePerGpuHour, gcpGpuPrice('nvidia-tesla-a100', 'europe-west4', 'OnDemand'), 'each region at its own price');
    assert.ok(
      offers.some((o) => o.gpuKey === 'A100-SXM-80GB'),
      'the 80 GB A100 is its own offer',
    );
    assert.ok(!offers.some((o) => /workstation|dws/i.test(o.gpuName)), 'decoy SKUs are not offers');
  });

  it('reads metrics with one Monitoring query per metric type per project, never naming an instance, in the right units', async () => {
    h = await start({ gcp: { seriesPageSize: 5 } });
    const { gcp } = await h.refresh();
    assert.equal(gcp.state, 'ok', gcp.error?.message);
    const state = h.state();
    const project = state.projects[0];
    const firstPages = state.monitoringQueries.filter((q) => !q.pageToken);
    const types = firstPages.map((q) => q.metricType);
    assert.equal(new Set(types).size, types.length, `one query per metric type: ${types.join(', ')}`);
    assert.ok(
      state.monitoringQueries.some((q) => q.pageToken),
      'pages of 5 series are followed',
    );
    for (const q of state.monitoringQueries)
      assert.doesNotMatch(q.filter, /instance_id|instance_name|function_name|service_name/, 'the filter names no resource');
    const cpuQuery = firstPages.find((q) => q.metricType.endsWith('cpu/utilization'))!;
    const n = minutesOf(cpuQuery);
    const metrics = gcp.metrics ?? {};
    const running = project.instances.filter((v) => v.status === 'RUNNING');
    for (const vm of running) {
      const series = (type: string) => gcpSeriesFor(project, state.opsAgent, type).filter((s) => s.resourceLabels.instance_id === vm.id);
      const perMinute = (type: string, combine: (vs: number[]) => number) =>
        Array.from({ length: n }, (_, k) => combine(series(type).map((s) => gcpMetricValue(type, s.key, k))));
      const m = metrics[vm.id];
      assert.ok(m?.compute?.cpuPercent, `${vm.name} has CPU`);
      const cpu = perMinute('compute.googleapis.com/instance/cpu/utilization', (vs) => vs[0] * 100);
      assert.ok(
        Math.abs(m.compute.cpuPercent.avg - mean(cpu)) < 1e-6,
        `${vm.name}: CPU ${m.compute.cpuPercent.avg} vs ${mean(cpu)} (a fraction, as percent)`,
      );
      const rx = perMinute('compute.googleapis.com/instance/network/received_bytes_count', (vs) => vs.reduce((a, b) => a + b, 0) / 60);
      assert.ok(
        Math.abs(m.compute.networkInBytesPerSec!.avg - mean(rx)) < 1e-3,
        `${vm.name}: bytes per second over both loadbalanced series`,
      );
      const agent = state.opsAgent.includes(vm.id);
      if (vm.acceleratorType && agent) {
        const util = perMinute('agent.googleapis.com/gpu/utilization', mean);
        assert.ok(
          Math.abs(m.gpu!.utilizationPercent!.avg - mean(util)) < 1e-6,
          `${vm.name}: GPU utilization averaged over its ${vm.acceleratorCount} GPUs`,
        );
        assert.ok(m.gpu!.utilizationPercent!.max <= 100, 'never summed past 100');
        assert.ok(m.gpu!.memoryPercent!.avg > 0 && m.gpu!.memoryPercent!.avg < 100, 'GPU memory in use, percent');
        assert.ok(m.compute.memoryPercent, 'memory from the Ops Agent');
      } else if (vm.acceleratorType && !('goog-gke-node' in vm.labels)) {
        assert.equal(m.gpu, undefined, `${vm.name}: no Ops Agent, no GPU figures`);
        assert.match(m.missing?.gpu ?? '', /Ops Agent/, 'and the view says why');
      }
    }
    assert.ok(
      running.some((v) => v.acceleratorType && !state.opsAgent.includes(v.id)),
      'the sim has a GPU VM without the agent',
    );
    const functions = gcp.resources.filter((r) => r.kind === 'function' && r.status === 'running');
    assert.ok(
      functions.length > 0 && functions.every((f) => metrics[f.id]?.function?.invocations),
      'every active function has invocations',
    );
    assert.ok(
      functions.some((f) => metrics[f.id]?.function?.errors) && functions.every((f) => (metrics[f.id]?.function?.durationMs?.avg ?? 0) > 0),
      'errors and execution times',
    );
  });

  it('a refused project leaves the others current; an API the project never enabled is an empty service', async () => {
    h = await start({ gcp: { projects: 3 }, config: () => ({ scopes: ['all'] }) });
    const state = h.state();
    const [first, second, third] = state.projects;
    state.refusedProjects.push(second.projectId);
    state.disabledApis[third.projectId] = ['cloudfunctions.googleapis.com', 'container.googleapis.com'];
    const { gcp } = await h.refresh();
    const scopes = new Map(gcp.scopes?.map((s) => [s.id, s]));
    assert.equal(scopes.get(first.projectId)?.state, 'ok');
    assert.equal(scopes.get(second.projectId)?.state, 'error');
    assert.equal(scopes.get(second.projectId)?.error?.category, 'permission');
    assert.equal(scopes.get(third.projectId)?.state, 'ok', scopes.get(third.projectId)?.error?.message);
    assert.equal(
      gcp.resources.filter((r) => r.scope === third.projectId && (r.service === 'Cloud Functions' || r.kind === 'cluster')).length,
      0,
    );
    assert.ok(
      gcp.resources.some((r) => r.scope === third.projectId && r.kind === 'gpu-instance'),
      'its VMs still show',
    );
    assert.ok(gcp.resources.some((r) => r.scope === first.projectId));
  });

  it("GOOGLE_CLOUD_PROJECT chooses the project over the credential's own", async () => {
    h = await start({ gcp: { projects: 2 }, env: (sim) => ({ GOOGLE_CLOUD_PROJECT: sim.state<GcpState>('gcp').projects[1].projectId }) });
    const { gcp } = await h.refresh();
    assert.equal(gcp.state, 'ok', gcp.error?.message);
    assert.deepEqual(
      gcp.scopes?.map((s) => s.id),
      [h.state().projects[1].projectId],
    );
  });

  it("falls back to gcloud's login: a stand-in gcloud on PATH, its token reused, its project from gcloud config", async () => {
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    let fake: ReturnType<typeof installFakeGcloud> | undefined;
    h = await start({
      env: only((sim) => {
        fake = installFakeGcloud(bin, { project: sim.state<GcpState>('gcp').projects[0].projectId });
        return { PATH: `${bin}${path.delimiter}/bin`, CLOUDSDK_CONFIG: fake.config };
      }),
    });
    const project = h.state().projects[0].projectId;
    const { gcp } = await h.refresh();
    assert.equal(gcp.state, 'ok', gcp.error?.message);
    assert.equal(gcp.credentialSource, 'cli-file');
    assert.deepEqual(
      gcp.scopes?.map((s) => s.id),
      [project],
    );
    assert.ok(gcp.resources.length > 0, 'resources through the gcloud token');
    assert.equal(h.state().tokenRequests.length, 0, 'no token endpoint involved');
    await h.refresh();
    const calls = fake!.calls();
    assert.equal(
      calls.filter((c) => c.includes('print-access-token')).length,
      1,
      `the token is reused across refreshes: ${JSON.stringify(calls)}`,
    );
    assert.equal(calls.filter((c) => c.includes('get-value')).length, 1, 'the project is asked once');
    assertNoSecrets(shown(h, gcp), gcpSecrets(h));
  });

  it('an installed gcloud nobody signed in to leaves Google Cloud unconfigured; a login gcloud refuses is an auth error in its own words', async () => {
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    const idle = installFakeGcloud(bin, { account: null, project: 'p' });
    h = await start({ env: only(() => ({ PATH: `${bin}${path.delimiter}/bin`, CLOUDSDK_CONFIG: idle.config })) });
    const unconfigured = await h.refresh();
    assert.equal(unconfigured.gcp.state, 'unconfigured', JSON.stringify(unconfigured.gcp.error));
    assert.equal(idle.calls().length, 0, 'gcloud itself is not run to find out');
    await h.close();
    const stale = installFakeGcloud(bin, { loggedIn: false, project: 'p' });
    h = await start({ env: only(() => ({ PATH: `${bin}${path.delimiter}/bin`, CLOUDSDK_CONFIG: stale.config })) });
    const { gcp } = await h.refresh();
    assert.equal(gcp.state, 'error');
    assert.equal(gcp.error?.category, 'auth');
    assert.match(gcp.error?.message ?? '', /You do not currently have an active account selected.*gcloud auth login/);
  });

  it("uses gcloud's application-default login (authorized user) with its quota project, and says so when its refresh token is revoked", async () => {
    const config = path.join(dir, 'gcloud');
    mkdirSync(config);
    h = await start({
      env: only((sim) => {
        writeFileSync(path.join(config, 'application_default_credentials.json'), JSON.stringify(gcpAuthorizedUser(sim.endpoint('gcp'))));
        return { CLOUDSDK_CONFIG: config, PATH: '' };
      }),
    });
    const { gcp } = await h.refresh();
    assert.equal(gcp.state, 'ok', gcp.error?.message);
    const state = h.state();
    assert.ok(
      state.tokenRequests.some((t) => t.path === '/token' && t.grantType === 'refresh_token'),
      JSON.stringify(state.tokenRequests),
    );
    assert.deepEqual(
      gcp.scopes?.map((s) => s.id),
      [state.projects[0].projectId],
      'the quota project is the default project',
    );
    assert.ok(state.userProjects.includes(state.projects[0].projectId), 'x-goog-user-project carries the quota project');
    assertNoSecrets(shown(h, gcp), gcpSecrets(h));
    state.revokedRefreshTokens.push(GCP_REFRESH_TOKEN);
    state.revokedTokens.push(...state.issuedTokens);
    const again = await h.refresh();
    assert.equal(again.gcp.error?.category, 'auth', JSON.stringify(again.gcp.error));
    assert.match(again.gcp.error?.message ?? '', /expired or revoked/);
    assert.ok(again.gcp.resources.length > 0 && again.gcp.stale, 'the last good data stays, marked stale');
    assertNoSecrets(shown(h, again.gcp), gcpSecrets(h));
  });

  it('signs in as an external account (workload identity federation) and as an external-account authorized user, at their token_url', async () => {
    const subject = path.join(dir, 'subject-token');
    writeFileSync(subject, GCP_SUBJECT_TOKEN);
    const file = path.join(dir, 'external.json');
    h = await start({
      env: only((sim) => {
        writeFileSync(file, JSON.stringify(gcpExternalAccount(sim.endpoint('gcp'), subject)));
        return { GOOGLE_APPLICATION_CREDENTIALS: file, GOOGLE_CLOUD_PROJECT: sim.state<GcpState>('gcp').projects[0].projectId };
      }),
    });
    const { gcp } = await h.refresh();
    assert.equal(gcp.state, 'ok', gcp.error?.message);
    assert.ok(
      h.state().tokenRequests.some((t) => t.path === '/v1/token'),
      'STS token exchange',
    );
    assertNoSecrets(shown(h, gcp), gcpSecrets(h));
    await h.close();
    h = await start({
      env: only((sim) => {
        writeFileSync(file, JSON.stringify(gcpExternalAccountAuthorizedUser(sim.endpoint('gcp'))));
        return { GOOGLE_APPLICATION_CREDENTIALS: file, GOOGLE_CLOUD_PROJECT: sim.state<GcpState>('gcp').projects[0].projectId };
      }),
    });
    const second = await h.refresh();
    assert.equal(second.gcp.state, 'ok', second.gcp.error?.message);
    assert.ok(
      h.state().tokenRequests.some((t) => t.path === '/v1/oauthtoken'),
      'STS refresh',
    );
    assertNoSecrets(shown(h, second.gcp), gcpSecrets(h));
  });

  it('a key file that is not JSON, or names no token endpoint it can reach, is a clear error without its contents', async () => {
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{"type": "service_account", "private_key": "-----BEGIN');
    h = await start({ env: only(() => ({ GOOGLE_APPLICATION_CREDENTIALS: file })) });
    const { gcp } = await h.refresh();
    assert.equal(gcp.state, 'error');
    assert.equal(gcp.error?.category, 'config');
    assert.match(gcp.error?.message ?? '', /is not JSON/);
    assert.ok(!(gcp.error?.message ?? '').includes('BEGIN'), 'the file is not quoted');
    await h.close();
    // A port nothing listens on (not port 9: fetch refuses the Fetch standard's blocked ports before connecting).
    const port = await closedPort();
    h = await start({
      env: only((sim) => {
        const key = { ...gcpAuthorizedUser(sim.endpoint('gcp')), token_uri: `http://127.0.0.1:${port}/token` };
        writeFileSync(file, JSON.stringify(key));
        return { GOOGLE_APPLICATION_CREDENTIALS: file, GOOGLE_CLOUD_PROJECT: 'p' };
      }),
    });
    const unreachable = await h.refresh();
    assert.equal(unreachable.gcp.state, 'error');
    assert.equal(unreachable.gcp.error?.category, 'network', unreachable.gcp.error?.message);
    assert.match(unreachable.gcp.error?.message ?? '', /token endpoint/);
    assert.ok(!unreachable.gcp.error?.message.includes(GCP_REFRESH_TOKEN), 'no refresh token in the message');
  });

  describe('token requests through the transport', () => {
    /** A server on another origin that counts what reaches it. */
    async function otherOrigin(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
      const hits: string[] = [];
      const server = createServer((req, res) => {
        hits.push(`${req.method} ${req.url}`);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"stolen","expires_in":3600}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        hits,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    }

    it('a token endpoint that redirects to another origin is refused: a config error naming it, nothing sent there', async () => {
      const other = await otherOrigin();
      try {
        h = await start();
        const rule = h.sim.faults.add('gcp', 'POST /token', { kind: 'redirect', status: 307, to: `${other.url}/token`, times: Infinity });
        const { gcp } = await h.refresh();
        assert.equal(gcp.state, 'error');
        assert.equal(gcp.error?.category, 'config', gcp.error?.message);
        assert.match(gcp.error?.message ?? '', new RegExp(`redirect to ${other.url.replace(/[.]/g, '\\.')}`));
        assert.ok(rule.hits >= 1, 'the token endpoint was asked');
        assert.deepEqual(h.sleeps, [], 'a redirect is not retried');
        assert.deepEqual(other.hits, [], 'no request reached the other origin');
        assertNoSecrets(shown(h, gcp), gcpSecrets(h));
      } finally {
        await other.close();
      }
    });

    it('a token endpoint answering 429 with Retry-After: 1 is asked again exactly once, after at least 1 s, by the transport', async () => {
      const waits: number[] = [];
      h = await start({ collector: { retry: { sleep: (ms, signal) => (waits.push(ms), sleep(ms, signal)) } } });
      h.sim.faults.add('gcp', 'POST /token', { status: 429, headers: { 'Retry-After': '1' }, body: { error: 'rate_limit_exceeded' } });
      const { gcp } = await h.refresh();
      assert.equal(gcp.state, 'ok', gcp.error?.message);
      const asks = requests(h, '/token');
      assert.deepEqual(
        asks.map((e) => e.status),
        [429, 200],
        'the 429, then the one repeat that got the token',
      );
      assert.ok(asks[1].at - asks[0].at >= 1000, `the repeat waited Retry-After (${asks[1].at - asks[0].at} ms)`);
      assert.deepEqual(waits, [1000], 'one wait, the one Retry-After asked for');
      assert.equal(h.state().tokenRequests.length, 1, 'one exchange answered: the fault took the first ask');
      assertNoSecrets(shown(h, gcp), gcpSecrets(h));
      assert.ok(
        h.log.lines.some((l) => l.level === 'debug'),
        'debug lines were captured too',
      );
    });

    it('a refresh exchanges the login token once, also with its project list from the cache and a fresh provider', async () => {
      const file = path.join(dir, 'workforce.json');
      // The cache keeps only the scope list: every part is fetched, by a provider made afresh for new credentials.
      const inner = new MemoryCache();
      const cache = Object.assign(Object.create(inner) as MemoryCache, {
        get: <T>(key: string) => (key.startsWith('gcp:scopes:') ? inner.get<T>(key) : Promise.resolve(undefined)),
      });
      h = await start({
        collector: { cache },
        env: only((sim) => {
          writeFileSync(file, JSON.stringify(gcpExternalAccountAuthorizedUser(sim.endpoint('gcp'))));
          return { GOOGLE_APPLICATION_CREDENTIALS: file, GOOGLE_CLOUD_PROJECT: sim.state<GcpState>('gcp').projects[0].projectId };
        }),
      });
      const first = await h.refresh({ force: false });
      assert.equal(first.gcp.state, 'ok', first.gcp.error?.message);
      assert.equal(h.state().tokenRequests.length, 1, 'the first refresh: one exchange');
      const moved = path.join(dir, 'workforce-2.json');
      writeFileSync(moved, JSON.stringify(gcpExternalAccountAuthorizedUser(h.sim.endpoint('gcp'))));
      h.env.GOOGLE_APPLICATION_CREDENTIALS = moved;
      const searches = requests(h, '/v3/projects:search').length;
      const second = await h.refresh({ force: false });
      assert.equal(second.gcp.state, 'ok', second.gcp.error?.message);
      assert.equal(requests(h, '/v3/projects:search').length, searches, 'the project list came from the cache');
      assert.ok(requests(h, '/compute/v1/projects/:project/aggregated/instances').length > 0, 'the resources were listed');
      assert.deepEqual(
        h
          .state()
          .tokenRequests.slice(1)
          .map((t) => t.path),
        ['/v1/oauthtoken'],
        'one exchange for the whole refresh',
      );
      assertNoSecrets(shown(h, second.gcp), gcpSecrets(h));
    });

    it('no token reaches a log line, even when a service echoes it back', async () => {
      h = await start();
      assert.equal((await h.refresh()).gcp.state, 'ok');
      const [token] = h.state().issuedTokens;
      assert.ok(token, 'a token was issued');
      h.sim.faults.add('gcp', 'GET /compute/v1/projects/:project/aggregated/instances', {
        status: 403,
        body: { error: { code: 403, status: 'PERMISSION_DENIED', message: `The caller ${token} may not list instances.` } },
        times: Infinity,
      });
      const { gcp } = await h.refresh();
      assert.equal(gcp.error?.category ?? gcp.scopes?.[0]?.error?.category, 'permission', JSON.stringify(gcp.error ?? gcp.scopes));
      assert.ok(
        h.log.lines.some((line) => /The caller \[REDACTED\] may not list instances/.test(line.message)),
        `the echo was logged, redacted: ${h.log.text().slice(-2000)}`,
      );
      for (const issued of h.state().issuedTokens) assert.ok(!h.log.text().includes(issued), 'no issued token in any log line');
    });

    it('a deadline aborts a Monitoring request in flight: the refresh ends at it and no request stays open', async () => {
      const deadlineMs = 3000;
      h = await start({ collector: { deadlineMs } });
      const hung = h.sim.faults.add('gcp', 'GET /v3/projects/:project/timeSeries', { kind: 'hang', times: Infinity });
      const started = Date.now();
      const { gcp } = await h.refresh();
      const took = Date.now() - started;
      assert.ok(hung.hits > 0, 'Monitoring was asked');
      assert.ok(took < deadlineMs + 1500, `the refresh ended at its deadline (${took} ms)`);
      assert.match(gcp.error?.message ?? '', /did not answer within 3 s/, 'the deadline ended it');
      for (let i = 0; i < 50 && h.sim.openRequests() > 0; i++) await sleep(10);
      assert.equal(h.sim.openRequests(), 0, 'no Monitoring request left open after the deadline');
    });
  });

  it('sends every request of an endpoint override to that origin under the real paths', async () => {
    h = await start();
    await h.refresh();
    const routes = new Set(
      h.sim.log
        .entries()
        .filter((e) => e.cloud === 'gcp')
        .map((e) => e.route),
    );
    for (const route of [
      '/v3/projects:search',
      '/compute/v1/projects/:project/aggregated/instances',
      '/v1/projects/:project/locations/:location/clusters',
      '/v2/projects/:project/locations/:location/functions',
      '/v2/projects/:project/locations/:location/services',
      '/v3/projects/:project/timeSeries',
      '/v1/services/:service/skus',
      '/token',
    ]) {
      assert.ok(routes.has(route), `${route} reached the override (routes: ${[...routes].join(', ')})`);
    }
    assert.ok(Object.keys(GCP_ACCELERATORS).length > 0, 'sim data loaded');
  });
});

describe('Google Cloud on real accounts: today’s GPU families, provisioning models, outages, Cloud Run, GKE GPUs', function () {
  this.timeout(30_000);
  let h: GcpHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('prices running A3 Ultra, A4, A3 Mega, G4 and A4X VMs, on demand and Spot, from today’s SKU wording, and counts them in the GPU spend', async () => {
    h = await start();
    const { gcp, snapshot } = await h.refresh();
    assert.equal(gcp.state, 'ok', gcp.error?.message);
    const resources = byId(gcp);
    const spend = new Map(snapshot.totals.gpuSpend.filter((l) => l.cloud === 'gcp').map((l) => [l.resourceId, l.pricePerHour]));
    const seen = new Set<string>();
    for (const vm of instancesOf(h.state())) {
      if (!/^(a3-ultragpu|a4-highgpu|a3-megagpu|g4-standard|a4x-highgpu)/.test(vm.machineType) || vm.status !== 'RUNNING') continue;
      if (vm.provisioningModel !== 'STANDARD' && vm.provisioningModel !== 'SPOT') continue;
      const r = resources.get(vm.id)!;
      const listed = gcpVmListedPrice(vm)!;
      assert.ok(listed > 0, `the sim lists ${vm.machineType}`);
      assert.ok(
        r.pricePerHour !== undefined && Math.abs(r.pricePerHour - listed) < 1e-6,
        `${vm.machineType} ${vm.provisioningModel}: ${r.pricePerHour ?? r.priceUnknown} vs ${listed}`,
      );
      assert.equal(spend.get(vm.id), r.pricePerHour, `${vm.machineType} ${vm.provisioningModel} counts in totals.gpuSpendPerHour`);
      assert.equal(r.gpu?.count, vm.acceleratorCount);
      seen.add(`${vm.machineType.split('-').slice(0, 2).join('-')} ${vm.provisioningModel}`);
    }
    for (const family of ['a3-ultragpu', 'a4-highgpu', 'a3-megagpu', 'g4-standard'])
      for (const model of ['STANDARD', 'SPOT']) assert.ok(seen.has(`${family} ${model}`), `${family} ${model} checked`);
    const unreadable = h.log
      .text()
      .split('\n')
      .filter((l) => /Billing Catalog SKU Cloudtop cannot read/.test(l));
    assert.deepEqual(
      unreadable.map((l) => l.replace(/^.*cannot read[^:]*: /, '')).sort(),
      ['1/8 vGPU no lssd attached to DWS Defined Duration VMs running in Iowa', '1/8 vGPU no lssd running in Iowa'],
      'each unreadable SKU logged with its description',
    );
    const skuCalls = h.state().calls['skus.list'];
    await h.refresh({ renewReference: true });
    assert.ok(h.state().calls['skus.list'] > skuCalls, 'the catalogue was read again');
    assert.equal(
      h.log
        .text()
        .split('\n')
        .filter((l) => /Billing Catalog SKU Cloudtop cannot read/.test(l)).length,
      2,
      'and only once',
    );
  });

  it('prices a FLEX_START VM at its DWS SKUs, not on demand; a RESERVATION_BOUND VM is "price unknown" with the reason', async () => {
    h = await start({ config: () => ({ scopes: ['all'] }) });
    const { gcp, snapshot } = await h.refresh();
    assert.equal(gcp.state, 'ok', gcp.error?.message);
    const resources = byId(gcp);
    const flex = instancesOf(h.state()).find((v) => v.provisioningModel === 'FLEX_START' && v.status === 'RUNNING')!;
    const r = resources.get(flex.id)!;
    const region = regionOf(flex.zone);
    const onDemand = gcpGpuPrice(flex.acceleratorType!, region, 'OnDemand')! * flex.acceleratorCount;
    const dws = gcpGpuPrice(flex.acceleratorType!, region, 'FlexStart')! * flex.acceleratorCount;
    assert.ok(r.pricePerHour !== undefined && Math.abs(r.pricePerHour - gcpVmListedPrice(flex)!) < 1e-6, `${r.pricePerHour} vs DWS`);
    assert.ok(
      r.pricePerHour >= dws && r.pricePerHour < onDemand,
      `${r.pricePerHour}: the DWS price, below the on-demand GPUs' ${onDemand}`,
    );
    assert.equal(r.details?.provisioning, 'FLEX_START');
    assert.match(r.note ?? '', /Flex-start/);
    const bound = instancesOf(h.state(), h.state().projects[1]).find(
      (v) => v.provisioningModel === 'RESERVATION_BOUND' && v.status === 'RUNNING',
    )!;
    const b = resources.get(bound.id)!;
    assert.equal(b.pricePerHour, undefined, 'never the on-demand price');
    assert.match(b.priceUnknown ?? '', /no calendar-mode .* price for nvidia-h200-141gb in us-central1/);
    assert.ok(
      snapshot.totals.unpricedGpu.some((u) => u.resourceId === bound.id),
      'counted as an unpriced GPU VM',
    );
  });
});

describe('Google Cloud outages', function () {
  this.timeout(30_000);
  let h: GcpHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('an aggregated page with `unreachables` (and GKE missingZones, Functions unreachable) keeps the listed VMs and warns naming the zones', async () => {
    h = await start();
    const first = await h.refresh();
    assert.equal(first.gcp.state, 'ok', first.gcp.error?.message);
    const down = 'us-central1-b';
    h.state().unreachableZones = [down];
    const { gcp } = await h.refresh();
    assert.notEqual(gcp.state, 'error', gcp.error?.message);
    const ids = new Set(gcp.resources.map((r) => r.id));
    const vms = instancesOf(h.state());
    for (const vm of vms.filter((v) => v.zone !== down)) assert.ok(ids.has(vm.id), `${vm.name} in ${vm.zone} still listed`);
    for (const vm of vms.filter((v) => v.zone === down))
      assert.ok(ids.has(vm.id), `${vm.name} in the unreachable zone kept from the last refresh`);
    const warnings = (gcp.warnings ?? []).filter((w) => w.part === 'resources').map((w) => w.message);
    assert.ok(
      warnings.some((m) => m.includes('Compute Engine instances in us-central1-b') && /could not reach/.test(m)),
      `a warning names the zone: ${JSON.stringify(warnings)}`,
    );
    assert.ok(
      warnings.some((m) => m.includes('GKE clusters in us-central1-b')),
      'GKE missingZones too',
    );
    assert.ok(
      warnings.some((m) => m.includes('Cloud Functions in us-central1')),
      'Cloud Functions unreachable too',
    );
    assert.ok(
      warnings.some((m) => m.includes('Cloud Run services in us-central1')),
      'Cloud Run unreachable too',
    );
    const web = h.state().projects[0].runServices.find((r) => r.region === 'us-central1')!;
    assert.ok(
      gcp.resources.some((r) => r.service === 'Cloud Run' && r.name === web.name),
      'a Cloud Run service of the unreachable region kept from the last refresh',
    );

    // A first refresh during the outage: what was listed shows, with the warning — never a silently shorter list only.
    await h.close();
    h = await start();
    h.state().unreachableZones = [down];
    const cold = await h.refresh();
    assert.notEqual(cold.gcp.state, 'error', cold.gcp.error?.message);
    const listed = new Set(cold.gcp.resources.map((r) => r.id));
    for (const vm of instancesOf(h.state()).filter((v) => v.zone !== down)) assert.ok(listed.has(vm.id), `${vm.name} listed`);
    assert.ok(
      (cold.gcp.warnings ?? []).some((w) => w.message.includes('Compute Engine instances in us-central1-b')),
      'the warning names the zone',
    );
  });

  it('lists Cloud Run services (one paged call per project) with status, region, URL and GPU, and their request metrics in the same one query per metric type', async () => {
    h = await start({ config: () => ({ scopes: ['all'] }) });
    const { gcp } = await h.refresh();
    assert.equal(gcp.state, 'ok', gcp.error?.message);
    const state = h.state();
    const project = state.projects[1];
    const all = gcp.resources.filter((r) => r.service === 'Cloud Run');
    for (const p of state.projects.filter((x) => x.state === 'ACTIVE'))
      assert.deepEqual(
        all
          .filter((r) => r.id.startsWith(`projects/${p.projectId}/`))
          .map((r) => r.name)
          .sort(),
        p.runServices.map((s) => s.name).sort(),
        'every Cloud Run service, and no 2nd gen function twice',
      );
    const run = all.filter((r) => r.id.startsWith(`projects/${project.projectId}/`));
    const serve = run.find((r) => r.name === 'llm-serve')!;
    assert.deepEqual([serve.status, serve.region, serve.gpu?.key, serve.gpu?.count], ['running', 'us-central1', 'L4-24GB', 1]);
    assert.match(String(serve.details?.url), /^https:\/\/llm-serve-[a-j]{10}-uc\.a\.run\.app$/);
    assert.match(serve.priceUnknown ?? '', /Cloud Run bills a GPU per second/, 'a GPU service says why it has no hourly price');
    assert.equal(all.find((r) => r.name === 'checkout-api')?.status, 'error');
    assert.equal(run.find((r) => r.name === 'admin-ui')?.status, 'starting');
    const web = all.find((r) => r.name === 'web-frontend')!;
    assert.equal(web.gpu, undefined);
    // The project's services and its 2nd gen functions' own, in pages of the sim's five: one paged listing, nothing per service.
    const listed =
      project.runServices.length + project.functions.filter((f) => f.environment === 'GEN_2' && /^[a-z][a-z0-9-]*$/.test(f.name)).length;
    assert.equal(
      requests(h, '/v2/projects/:project/locations/:location/services').filter((e) => e.path.includes(`/projects/${project.projectId}/`))
        .length,
      Math.ceil(listed / 5),
      'one paged call for every region',
    );
    const metrics = gcp.metrics ?? {};
    for (const r of [serve, web]) {
      const f = metrics[r.id]?.function;
      assert.ok(f?.invocations && f.durationMs, `${r.name}: request count and latency`);
    }
    assert.ok(
      [serve, web].some((r) => metrics[r.id]?.function?.errors),
      '5xx as errors',
    );
    const firstPages = state.monitoringQueries.filter((q) => !q.pageToken && q.project === project.projectId).map((q) => q.metricType);
    assert.equal(
      firstPages.filter((t) => t === 'run.googleapis.com/request_count').length,
      1,
      'one request_count query for functions and services, per project',
    );
    assert.equal(firstPages.filter((t) => t === 'run.googleapis.com/request_latencies').length, 1);

    // A project whose only request-serving resources are Cloud Run services still asks for their metrics.
    for (const p of state.projects) for (const f of p.functions) f.state = 'DEPLOYING';
    const again = await h.refresh();
    assert.ok(again.gcp.metrics?.[serve.id]?.function?.invocations, 'a Cloud Run service alone is measured');
  });

  it('measures GKE GPU nodes from kubernetes.io/node/accelerator (one query per metric type, joined on the node name) so an idle one is flagged', async () => {
    h = await start();
    const { gcp, snapshot } = await h.refresh();
    assert.equal(gcp.state, 'ok', gcp.error?.message);
    const state = h.state();
    const nodes = state.projects[0].instances.filter((v) => 'goog-gke-node' in v.labels && v.acceleratorType && v.status === 'RUNNING');
    assert.ok(nodes.length >= 2, `GKE GPU nodes in the sim: ${nodes.length}`);
    const spend = new Map(snapshot.totals.gpuSpend.filter((l) => l.cloud === 'gcp').map((l) => [l.resourceId, l]));
    let idle = 0;
    let busy = 0;
    for (const vm of nodes) {
      const m = gcp.metrics?.[vm.id];
      assert.ok(m?.gpu?.utilizationPercent, `${vm.name}: GPU utilization from GKE's node metrics`);
      assert.ok(m.gpu.memoryPercent && m.gpu.memoryPercent.avg > 0 && m.gpu.memoryPercent.avg < 100, `${vm.name}: GPU memory in use`);
      assert.equal(m.missing?.gpu, undefined);
      const line = spend.get(vm.id);
      assert.ok(line, `${vm.name} is a priced GPU VM in the spend`);
      assert.equal(
        line.idle,
        gkeNodeIdle(vm.id),
        `${vm.name}: idle ${gkeNodeIdle(vm.id)} (utilization max ${m.gpu.utilizationPercent.max})`,
      );
      if (line.idle) idle++;
      else busy++;
    }
    assert.ok(idle >= 1 && busy >= 1, `an idle (${idle}) and a busy (${busy}) node`);
    const firstPages = state.monitoringQueries.filter((q) => !q.pageToken).map((q) => q.metricType);
    for (const type of ['duty_cycle', 'memory_used', 'memory_total'])
      assert.equal(firstPages.filter((t) => t === `kubernetes.io/node/accelerator/${type}`).length, 1, `one ${type} query for the project`);
    for (const q of state.monitoringQueries) assert.doesNotMatch(q.filter, /node_name|Hostname/, 'no query names a node');

    // A project with GKE's managed DCGM instead of its system metrics: the same nodes, measured and flagged alike.
    state.gkeGpuMetrics = 'dcgm';
    const dcgm = await h.refresh();
    const lines = new Map(dcgm.snapshot.totals.gpuSpend.filter((l) => l.cloud === 'gcp').map((l) => [l.resourceId, l]));
    for (const vm of nodes) {
      assert.ok(dcgm.gcp.metrics?.[vm.id]?.gpu?.utilizationPercent, `${vm.name}: GPU utilization from DCGM_FI_DEV_GPU_UTIL`);
      assert.equal(lines.get(vm.id)?.idle, gkeNodeIdle(vm.id), `${vm.name}: idle from DCGM`);
    }
  });
});
