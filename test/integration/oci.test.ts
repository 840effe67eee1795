// The Oracle Cloud provider end to end: the real catalogue entry and the real OCI SDK 2.139.1 clients (every request
// signed by oci-common, sent through Cloudtop's transport), through the collector, against the simulated OCI APIs
// (test/sim/oci.ts), which verify every signature. The example cloud mounted as `vastai` runs beside it.
import assert from 'node:assert/strict';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderOutcome } from '../../src/core/model/model';
import { HOSTILE_NAMES } from '../sim/hostile';
import {
  COMPUTE_GPU_SHAPES,
  makeOciCredentials,
  makeOciSessionToken,
  ociCloud,
  ociTestCredentials,
  type OciCloudOptions,
  type OciInstance,
  type OciState,
} from '../sim/oci';
import { simOciGpuSpend } from '../support/cli-expect';
import { hiddenScopesHint } from '../../src/core/model/describe';
import { renderFooter } from '../../src/cli/format/footer';
import { sleep } from '../../src/core/transport/retry';
import { startProviderHarness, type ProviderHarness, type ProviderHarnessOptions } from '../support/providerHarness';
import { assertNoSecrets } from '../support/secrets';

type OciHarness = ProviderHarness<'oci', OciState>;

const start = (
  options: {
    oci?: OciCloudOptions;
    env?: NodeJS.ProcessEnv;
    regions?: string[];
    collector?: ProviderHarnessOptions<'oci'>['collector'];
  } = {},
): Promise<OciHarness> =>
  startProviderHarness<'oci', OciState>({
    real: { cloud: 'oci', sim: ociCloud({ count: 40, compartments: 4, pageSize: 7, ...options.oci }) },
    examples: ['vastai'],
    exampleCount: 3,
    env: options.env,
    collector: options.collector,
    ...(options.regions ? { config: (cloud) => (cloud === 'oci' ? { scopes: options.regions } : undefined) } : {}),
  });

/** What a view, a log or the JSON output could show of a refresh: the outcome and the log. */
const shown = (h: OciHarness, outcome: ProviderOutcome): string[] => [JSON.stringify(outcome), h.log.text()];

/** The secrets of the OCI credentials: the key's fingerprint and a line of the private key. */
function ociSecrets(): string[] {
  const creds = ociTestCredentials();
  return [creds.fingerprint, creds.privateKeyPem.split('\n')[1]];
}

describe('Oracle Cloud provider against the simulated OCI APIs (real SDK)', function () {
  this.timeout(30_000);
  let h: OciHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('lists every compartment of the subtree and every page, maps instances, GPUs, OKE and Autonomous Databases', async () => {
    h = await start();
    const { oci } = await h.refresh();
    assert.equal(oci.state, 'ok', oci.error?.message);
    const state = h.state();
    const live = state.instances.filter((i) => i.lifecycleState !== 'TERMINATED' && i.region === 'iad');
    assert.ok(
      state.instances.some((i) => i.region === 'phx'),
      'the sim also has instances in another region',
    );
    const instances = oci.resources.filter((r) => r.kind === 'instance' || r.kind === 'gpu-instance');
    assert.equal(instances.length, live.length, 'every non-terminated instance of every compartment, every page');
    assert.ok(
      h.sim.log.entries().some((e) => e.query?.includes('page=')),
      'pages were followed',
    );
    // Compartments: the tenancy (root) and every accessible one below it, nested ones included.
    const groups = new Set(oci.resources.map((r) => r.group?.id));
    for (const c of state.compartments)
      if (state.instances.some((i) => i.compartmentId === c.id && i.lifecycleState !== 'TERMINATED'))
        assert.ok(groups.has(c.id), `compartment ${c.name} is a level of the tree`);
    assert.ok(
      oci.resources.some((r) => r.group?.id === state.tenancyId && r.group.label === 'sim-tenancy (root)'),
      'the tenancy itself is the root compartment',
    );

    for (const wire of live) {
      const r = instances.find((x) => x.id === wire.id);
      assert.ok(r, `instance ${wire.id} listed`);
      assert.equal(r.name, wire.displayName ?? wire.id, 'displayName exactly as sent');
      assert.equal(r.rawStatus, wire.lifecycleState);
      const expected = {
        RUNNING: 'running',
        STARTING: 'starting',
        PROVISIONING: 'starting',
        MOVING: 'starting',
        STOPPING: 'stopping',
        TERMINATING: 'stopping',
        STOPPED: 'stopped',
      }[wire.lifecycleState];
      assert.equal(r.status, expected, `${wire.lifecycleState} → ${expected}`);
      assert.equal(r.region, 'us-ashburn-1');
      assert.equal(r.consoleUrl, `https://cloud.oracle.com/compute/instances/${wire.id}?region=us-ashburn-1`);
      if (wire.shapeConfig.gpus) {
        assert.equal(r.kind, 'gpu-instance');
        assert.equal(r.gpu?.count, wire.shapeConfig.gpus, 'gpu.count from shapeConfig.gpus');
      } else assert.equal(r.gpu, undefined, `${wire.shape} is no GPU shape`);
    }
    const key = (shape: string) => instances.find((r) => r.details?.shape === shape)?.gpu?.key;
    assert.equal(key('BM.GPU4.8'), 'A100-SXM-40GB', 'A100 40 GB');
    assert.equal(key('BM.GPU.A100-v2.8'), 'A100-SXM-80GB', 'A100 80 GB');
    assert.equal(key('BM.GPU.MI300X.8'), 'MI300X-192GB');
    assert.equal(key('VM.GPU.A10.1'), 'A10-24GB');

    const clusters = oci.resources.filter((r) => r.kind === 'cluster');
    assert.deepEqual(
      clusters.map((c) => [c.name, c.status]).sort(),
      state.clusters.map((c) => [c.name, c.lifecycleState === 'ACTIVE' ? 'running' : 'starting']).sort(),
    );
    const dbs = oci.resources.filter((r) => r.kind === 'database');
    assert.deepEqual(
      dbs.map((d) => [d.name, d.status]).sort(),
      state.databases.map((d) => [d.displayName, d.lifecycleState === 'AVAILABLE' ? 'running' : 'stopped']).sort(),
    );
    assert.ok(
      dbs.every((d) => d.consoleUrl?.startsWith('https://cloud.oracle.com/db/adbs/ocid1.autonomousdatabase.')),
      'ADB console links',
    );
    assertNoSecrets(shown(h, oci), ociSecrets());
  });

  it('fetches metrics with one SummarizeMetricsData call per query for the whole tenancy, never per instance', async () => {
    h = await start();
    const { oci } = await h.refresh();
    const calls = h.sim.log.entries().filter((e) => e.route?.endsWith('summarizeMetricsData'));
    assert.ok(calls.length > 0 && calls.length <= 14, `${calls.length} metric calls`);
    assert.ok(
      calls.every((e) => e.query?.includes(`compartmentId=${h!.state().tenancyId}`) && e.query.includes('compartmentIdInSubtree=true')),
      'the tenancy and its subtree in each call',
    );
    const running = oci.resources.filter((r) => r.status === 'running' && (r.kind === 'instance' || r.kind === 'gpu-instance'));
    for (const r of running) {
      const m = oci.metrics[r.id];
      assert.ok(
        m?.compute?.cpuPercent &&
          m.compute.cpuPercent.min <= m.compute.cpuPercent.avg &&
          m.compute.cpuPercent.avg <= m.compute.cpuPercent.max,
        `CPU avg/min/max for ${r.name}`,
      );
      if (r.gpu) assert.ok(m.gpu?.utilizationPercent, `GPU utilization for ${r.name}`);
    }
    const db = oci.resources.find((r) => r.kind === 'database' && r.status === 'running');
    assert.ok(db && oci.metrics[db.id]?.database?.connections, 'Autonomous Database sessions');
  });

  it('a namespace that sends nothing leaves the metric absent and says why, never 0', async () => {
    h = await start({ oci: { gpuPlugin: false } });
    const { oci } = await h.refresh();
    const gpu = oci.resources.find((r) => r.gpu && r.status === 'running');
    assert.ok(gpu, 'a running GPU instance');
    const m = oci.metrics[gpu.id];
    assert.equal(m?.gpu, undefined, 'no GPU values');
    assert.match(m?.missing?.gpu ?? '', /"Compute RDMA GPU Monitoring" plugin/, 'the view says which plugin to enable');
    assert.match(
      m?.missing?.gpu ?? '',
      /use metrics in tenancy where target\.metrics\.namespace = 'gpu_infrastructure_health'/,
      'and the policy it needs',
    );
    assert.ok(m.compute?.cpuPercent, 'the agent metrics still arrived');
  });

  it('prices running GPU instances from the public price list (per GPU-hour × GPUs) and offers OCI GPU shapes', async () => {
    h = await start();
    const { oci, snapshot } = await h.refresh();
    const list = h.sim.log.entries().filter((e) => e.route?.startsWith('/pls/'));
    assert.ok(list.length >= 1 && list.every((e) => e.authOk === null), 'the price list is a public route, read as one');
    const prices = new Map<string, number>();
    for (const item of (
      (await (await fetch(`${h.sim.endpoint('oci')}/pls/apex/cetools/api/v1/products/?currencyCode=USD`)).json()) as {
        items: { partNumber: string; currencyCodeLocalizations: { prices: { value: number }[] }[] }[];
      }
    ).items)
      prices.set(item.partNumber, item.currencyCodeLocalizations[0].prices[0].value);
    const h100 = oci.resources.find((r) => r.details?.shape === 'BM.GPU.H100.8');
    assert.ok(h100?.pricePerHour !== undefined && h100.pricePerHour > 0, 'an H100 shape has a price');
    const running = oci.resources.filter((r) => r.gpu && r.status === 'running' && r.pricePerHour !== undefined);
    assert.ok(running.length > 0, 'running GPU instances carry pricePerHour');
    const billed = oci.resources.filter((r) => r.gpu && (r.status === 'running' || r.chargedWhilePaused) && r.pricePerHour !== undefined);
    const spend = snapshot.totals.gpuSpend.filter((l) => l.cloud === 'oci');
    assert.equal(spend.length, billed.length, 'they count in the GPU spend, with the stopped ones Oracle still bills');
    assert.ok(
      Math.abs(spend.reduce((sum, l) => sum + l.pricePerHour, 0) - simOciGpuSpend(h.sim)) < 1e-6,
      "the spend is what Oracle's own data bills (the sim's estimator shapes and price list)",
    );
    assert.ok(oci.offers.length > 0 && oci.offers.every((o) => o.cloud === 'oci' && o.pricePerGpuHour > 0), 'OCI GPU offers');
    assert.ok(
      new Set(oci.offers.map((o) => o.gpuKey)).has('A100-SXM-80GB') && new Set(oci.offers.map((o) => o.gpuKey)).has('A100-SXM-40GB'),
      'A100 40 GB and 80 GB are two offers',
    );
    assert.ok(prices.size > 0);
  });

  /** A GPU instance of the home region turned into a running `shape` (Compute's shapeConfig for it, as ListShapes has it). */
  function reshape(h: OciHarness, index: number, shape: string, changes: Partial<OciInstance> = {}): OciInstance {
    const pool = h.state().instances.filter((i) => i.region === 'iad' && (i.shapeConfig.gpus ?? 0) > 0);
    const instance = pool[index];
    const template = COMPUTE_GPU_SHAPES.find((s) => s.shape === shape)!;
    Object.assign(
      instance,
      {
        shape,
        shapeConfig: {
          ocpus: template.ocpus,
          memoryInGBs: template.memoryInGBs,
          vcpus: template.ocpus * 2,
          gpus: template.gpus,
          gpuDescription: template.gpuDescription,
        },
        lifecycleState: 'RUNNING',
        preemptibleInstanceConfig: null,
      },
      changes,
    );
    return instance;
  }

  it('a stopped BM.GPU.H100.8 is billed: shown stopped, charged while paused, 8 × its per-GPU price in the GPU spend; a stopped VM.GPU.A10.1 counts 0', async () => {
    h = await start();
    const h100 = reshape(h, 0, 'BM.GPU.H100.8', { lifecycleState: 'STOPPED' });
    const a10 = reshape(h, 1, 'VM.GPU.A10.1', { lifecycleState: 'STOPPED' });
    const { oci, snapshot } = await h.refresh();
    const stopped = oci.resources.find((r) => r.id === h100.id)!;
    assert.equal(stopped.status, 'stopped', 'shown stopped');
    assert.equal(stopped.chargedWhilePaused, true, 'marked billed while stopped');
    assert.equal(stopped.pricePerHour, 8 * 10, "8 GPUs × B98415's $10 per GPU-hour (Oracle's price list)");
    assert.match(stopped.note ?? '', /Oracle bills stopped GPU shapes/, 'the note says why');
    const line = snapshot.totals.gpuSpend.find((l) => l.resourceId === h100.id);
    assert.equal(line?.pricePerHour, 80, 'it counts in totals.gpuSpend');
    const paused = oci.resources.find((r) => r.id === a10.id)!;
    assert.equal(paused.status, 'stopped');
    assert.ok(!paused.chargedWhilePaused, 'a stopped VM.GPU.A10 is not billed');
    assert.equal(
      snapshot.totals.gpuSpend.find((l) => l.resourceId === a10.id),
      undefined,
      'and counts 0',
    );
    const ociSpend = snapshot.totals.gpuSpend.filter((l) => l.cloud === 'oci').reduce((sum, l) => sum + l.pricePerHour, 0);
    assert.ok(
      Math.abs(ociSpend - simOciGpuSpend(h.sim)) < 1e-6,
      `the OCI part of totals.gpuSpendPerHour is what Oracle bills: ${ociSpend}`,
    );
  });

  it('a GPU instance on its way is billed as Oracle bills it: STOPPING on any GPU shape, STARTING on one billed while stopped', async () => {
    h = await start();
    const stopping = reshape(h, 0, 'VM.GPU.A10.1', { lifecycleState: 'STOPPING' });
    const starting = reshape(h, 1, 'BM.GPU.H100.8', { lifecycleState: 'STARTING' });
    const startingA10 = reshape(h, 2, 'VM.GPU.A10.1', { lifecycleState: 'STARTING' });
    const { oci, snapshot } = await h.refresh();
    const get = (id: string) => oci.resources.find((r) => r.id === id)!;
    const counted = (id: string) => snapshot.totals.gpuSpend.some((l) => l.resourceId === id);
    assert.equal(get(stopping.id).chargedWhilePaused, true, 'an A10 still runs while STOPPING');
    assert.ok(counted(stopping.id));
    assert.equal(get(starting.id).chargedWhilePaused, true, 'an H100 shape is billed while stopped, and so while starting');
    assert.ok(counted(starting.id));
    assert.ok(!get(startingA10.id).chargedWhilePaused && !counted(startingA10.id), 'a stopped A10 pays nothing until it runs');
    const ociSpend = snapshot.totals.gpuSpend.filter((l) => l.cloud === 'oci').reduce((sum, l) => sum + l.pricePerHour, 0);
    assert.ok(Math.abs(ociSpend - simOciGpuSpend(h.sim)) < 1e-6, `the OCI part of the spend is what Oracle bills: ${ociSpend}`);
  });

  it("prices every GPU shape from Oracle's shape data: a B200 gets its price, one Oracle prices not says why, never $0", async () => {
    h = await start();
    const b200 = reshape(h, 0, 'BM.GPU.B200.8');
    const mi355x = reshape(h, 1, 'BM.GPU.MI355X.8');
    const nc = reshape(h, 2, 'BM.GPU.L40S-NC.4');
    const rtx = reshape(h, 3, 'BM.GPU.RTXPRO.8');
    const { oci, snapshot } = await h.refresh();
    const get = (id: string) => oci.resources.find((r) => r.id === id)!;
    assert.equal(get(b200.id).pricePerHour, 8 * 14, "B110978 × 8 GPUs, found through the estimator's shapes.json");
    assert.ok(Math.abs(get(rtx.id).pricePerHour! - (144 * 0.5 + 3072 * 0.01)) < 1e-9, 'OCPU Per Hour × OCPUs + Gigabyte Per Hour × GB');
    assert.match(get(mi355x.id).priceUnknown ?? '', /Oracle's price list has no price for part B112311 \(BM\.GPU\.MI355X\.8\)/);
    assert.match(get(nc.id).priceUnknown ?? '', /Oracle's Cost Estimator data has no shape BM\.GPU\.L40S-NC\.4/);
    assert.equal(get(nc.id).pricePerHour, undefined, 'never $0');
    assert.ok(
      snapshot.totals.unpricedGpu.some((u) => u.resourceId === nc.id),
      'counted as unpriced',
    );
    assert.ok(h.sim.log.count('oci', 'GET /a/ocom/docs/cloudestimator2/data/shapes.json') === 1, 'the shape data read once');
    assert.ok(
      oci.offers.some((o) => o.gpuKey === 'B200-180GB' && o.pricing === 'on-demand' && o.pricePerGpuHour === 14),
      'the B200 joins the price comparison',
    );
  });

  it("without Oracle's shape data, the fallback table prices the shapes it knows and says so; the rest are unknown", async () => {
    h = await start();
    h.sim.faults.add('oci', 'GET /a/ocom/docs/cloudestimator2/data/shapes.json', { status: 503, times: Infinity });
    const h100 = reshape(h, 0, 'BM.GPU.H100.8');
    const b200 = reshape(h, 1, 'BM.GPU.B200.8');
    const { oci } = await h.refresh();
    assert.equal(oci.state, 'ok');
    assert.equal(oci.resources.find((r) => r.id === h100.id)?.pricePerHour, 80, 'the fallback table knows BM.GPU.H100.8');
    assert.match(
      oci.resources.find((r) => r.id === b200.id)?.priceUnknown ?? '',
      /Cost Estimator shape data could not be read.*fallback table knows no part for shape BM\.GPU\.B200\.8/,
    );
    const warning = oci.warnings?.find((w) => w.part === 'reference');
    assert.match(warning?.message ?? '', /Oracle's Cost Estimator shape data could not be read: .*fallback table/, 'the warning says so');
  });

  it('a preemptible instance costs half and says so; shapes Oracle sells preemptible are spot offers', async () => {
    h = await start();
    const spot = reshape(h, 0, 'BM.GPU.H100.8', {
      preemptibleInstanceConfig: { preemptionAction: { type: 'TERMINATE', preserveBootVolume: false } },
    });
    const { oci } = await h.refresh();
    const r = oci.resources.find((x) => x.id === spot.id)!;
    assert.equal(r.pricePerHour, 40, 'half of 8 × $10');
    assert.match(r.note ?? '', /preemptible/);
    assert.equal(r.details?.capacity, 'preemptible');
    const a10 = oci.offers.filter((o) => o.gpuKey === 'A10-24GB');
    assert.deepEqual(
      a10.map((o) => [o.pricing, o.pricePerGpuHour]).sort(),
      [
        ['on-demand', 2],
        ['spot', 1],
      ],
      'on demand and preemptible',
    );
    assert.ok(!oci.offers.some((o) => o.gpuKey === 'H100-SXM-80GB' && o.pricing === 'spot'), 'no spot offer where Oracle sells none');
  });

  it('a session profile: a token file rewritten between two refreshes is used by the second, without a restart', async () => {
    const creds = ociTestCredentials();
    const session = makeOciCredentials(creds.tenancy, creds.user);
    const dir = await mkdtemp(join(tmpdir(), 'cloudtop-oci-session-'));
    try {
      const key = join(dir, 'oci_api_key.pem');
      const tokenFile = join(dir, 'token');
      await writeFile(key, session.privateKeyPem, { mode: 0o600 });
      const first = makeOciSessionToken({ ...creds, publicKeyPem: session.publicKeyPem });
      await writeFile(tokenFile, first);
      // A stray line the SDK's own config parser would quote in its error (a pass phrase typed on a line of its own).
      const stray = 'correct-horse-battery-staple-7731';
      await writeFile(
        join(dir, 'config'),
        `[DEFAULT]\nfingerprint=${creds.fingerprint}\nkey_file=${key}\ntenancy=${creds.tenancy}\nregion=us-ashburn-1\nsecurity_token_file=${tokenFile}\n${stray}\n`,
      );
      const cleared = { OCI_CLI_TENANCY: '', OCI_CLI_USER: '', OCI_CLI_FINGERPRINT: '', OCI_CLI_REGION: '', OCI_CLI_KEY_CONTENT: '' };
      h = await start({ env: { ...cleared, OCI_CLI_CONFIG_FILE: join(dir, 'config') } });
      h.state().sessionTokens = { [first]: session.publicKeyPem };
      const one = (await h.refresh()).oci;
      assert.equal(one.state, 'ok', one.error?.message);
      assert.equal(one.credentialSource, 'cli-file');
      // `oci session refresh`: a new token in the same file; Oracle no longer takes the old one.
      const second = makeOciSessionToken({ ...creds, publicKeyPem: session.publicKeyPem });
      await writeFile(tokenFile, second);
      await utimes(tokenFile, 1_700_000_000, 1_700_000_000);
      h.state().sessionTokens = { [second]: session.publicKeyPem };
      h.sim.log.clear();
      const two = (await h.refresh()).oci;
      assert.equal(two.state, 'ok', `the second refresh signs with the new token: ${two.error?.message}`);
      assert.ok(
        h.sim.log.entries().some((e) => e.authOk === true),
        'signed requests were accepted',
      );
      assert.ok(!h.sim.log.entries().some((e) => e.authOk === false), 'none with the old token');
      assertNoSecrets(shown(h, two), [first, second, stray]);
      // A rewrite the file's stamp does not show (same size, same time): Oracle's 401 makes Cloudtop read it again.
      let third = makeOciSessionToken({ ...creds, publicKeyPem: session.publicKeyPem });
      while (third.length !== second.length) third = makeOciSessionToken({ ...creds, publicKeyPem: session.publicKeyPem });
      await writeFile(tokenFile, third);
      await utimes(tokenFile, 1_700_000_000, 1_700_000_000);
      h.state().sessionTokens = { [third]: session.publicKeyPem };
      h.sim.log.clear();
      const three = (await h.refresh()).oci;
      assert.equal(three.state, 'ok', `a refused token is read again once: ${three.error?.message}`);
      assert.ok(
        h.sim.log.entries().some((e) => e.authOk === false),
        'the old token was refused first',
      );
      assertNoSecrets(shown(h, three), [first, second, third, stray]);
      // Expired with no newer token in the file: the error says what to run.
      h.state().sessionTokens = {};
      const expired = (await h.refresh()).oci;
      assert.equal(expired.error?.category, 'auth');
      assert.match(expired.error?.message ?? '', /session token \(401\): it has expired or was revoked\. Run `oci session refresh`/);
      await h.close();

      // OCI_CLI_SECURITY_TOKEN_FILE with the tenancy, region and session key in the environment, as the OCI CLI takes it.
      h = await start({
        env: {
          ...cleared,
          OCI_CLI_TENANCY: creds.tenancy,
          OCI_CLI_REGION: 'us-ashburn-1',
          OCI_CLI_KEY_FILE: key,
          OCI_CLI_SECURITY_TOKEN_FILE: tokenFile,
        },
      });
      h.state().sessionTokens = { [third]: session.publicKeyPem };
      const env = (await h.refresh()).oci;
      assert.equal(env.state, 'ok', env.error?.message);
      assert.equal(env.credentialSource, 'environment');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the profile region by default: the view and the CLI footer count the subscribed regions not shown and say how to show them', async () => {
    h = await start({ oci: { regions: 4 } });
    const { oci, snapshot } = await h.refresh();
    assert.deepEqual(
      oci.scopes?.map((s) => s.id),
      ['us-ashburn-1'],
    );
    assert.equal(oci.scopesAvailable, 4);
    const hint = hiddenScopesHint('oci', oci);
    assert.equal(oci.scopesHidden?.length, 3);
    assert.ok(!oci.scopesHidden?.includes('us-ashburn-1'), 'the shown region is not among the hidden');
    assert.match(
      hint ?? '',
      new RegExp(`^3 more regions \\(${oci.scopesHidden.join(', ')}\\) not shown: set cloudtop\\.oci\\.regions .*\\["all"\\]`),
    );
    const plain = {
      bold: (t: string) => t,
      dim: (t: string) => t,
      red: (t: string) => t,
      yellow: (t: string) => t,
      green: (t: string) => t,
    } as never;
    const footer = renderFooter(snapshot, ['oci'], { style: plain, configureHint: () => '' }).join('\n');
    assert.ok(footer.includes(`Oracle Cloud  ${hint}`), footer);
    await h.close();
    h = await start({ oci: { regions: 4 }, regions: ['all'] });
    const all = (await h.refresh()).oci;
    assert.equal(all.scopes?.length, 4, 'every subscribed region with ["all"]');
    assert.equal(hiddenScopesHint('oci', all), undefined, 'nothing hidden, nothing said');
  });

  it('GPU metric streams are matched whatever dimensions the plugin sends, or the instance says why', async () => {
    h = await start({ oci: { gpuDimensions: 'documented' } });
    const named = (await h.refresh()).oci;
    const byName = new Map<string, number>();
    for (const r of named.resources) byName.set(r.name, (byName.get(r.name) ?? 0) + 1);
    const gpus = named.resources.filter((r) => r.gpu && r.status === 'running');
    assert.ok(gpus.length > 0);
    for (const r of gpus)
      if (byName.get(r.name) === 1) assert.ok(named.metrics[r.id]?.gpu?.utilizationPercent, `${r.name} matched by its host name`);
    await h.close();
    h = await start({ oci: { gpuDimensions: 'bare' } });
    const bare = (await h.refresh()).oci;
    for (const r of bare.resources.filter((x) => x.gpu && x.status === 'running')) {
      assert.equal(bare.metrics[r.id]?.gpu, undefined, 'no guessed values');
      assert.match(bare.metrics[r.id]?.missing?.gpu ?? '', /could not match .*dimensions: component, version/, `${r.name} says why`);
      assert.ok(bare.metrics[r.id]?.compute?.cpuPercent, 'the agent metrics still arrive');
    }
  });

  it('a refused tenancy-wide metrics query falls back to per-compartment queries and says so, instead of losing every metric', async () => {
    h = await start();
    h.state().metricsTenancyWideRefused = true;
    const { oci } = await h.refresh();
    assert.equal(oci.state, 'ok');
    const running = oci.resources.filter((r) => r.status === 'running' && r.kind.endsWith('instance'));
    for (const r of running) assert.ok(oci.metrics[r.id]?.compute?.cpuPercent, `CPU for ${r.name} from its compartment's query`);
    const calls = h.sim.log.entries().filter((e) => e.route?.endsWith('summarizeMetricsData'));
    assert.ok(
      calls.some((e) => e.query?.includes('compartmentIdInSubtree=false')),
      'per-compartment queries',
    );
    assert.match(h.log.text(), /tenancy-wide metrics query was refused .*per compartment/, 'and says so');
  });

  it('a compartment whose listing is refused shows that error and leaves the others current', async () => {
    h = await start();
    const first = (await h.refresh()).oci;
    const refused = h.state().compartments[0];
    const before = first.resources.filter((r) => r.group?.id === refused.id);
    assert.ok(before.length > 0, 'the compartment had resources');
    h.state().refusedCompartments = [refused.id];
    const extra = h.state().instances.find((i) => i.compartmentId === h!.state().tenancyId)!;
    extra.displayName = 'renamed-in-root';
    const { oci } = await h.refresh();
    assert.equal(oci.state, 'ok', 'one compartment does not fail the region');
    const warning = oci.warnings?.find((w) => w.group?.id === refused.id);
    assert.ok(warning, 'the refused compartment has its own warning');
    assert.equal(warning.category, 'permission', 'NotAuthorizedOrNotFound reads as a missing policy');
    assert.ok(warning.message.includes(refused.name), 'it names the compartment');
    assert.deepEqual(
      oci.resources
        .filter((r) => r.group?.id === refused.id)
        .map((r) => r.id)
        .sort(),
      before.map((r) => r.id).sort(),
      'its last resources are kept',
    );
    assert.ok(
      oci.resources.some((r) => r.name === 'renamed-in-root'),
      'the others are current',
    );
  });

  it('regions are scopes: the profile region by default, more by setting, "all" for every subscribed one; one failing leaves the others', async () => {
    h = await start({ regions: ['all'] });
    const { oci } = await h.refresh();
    assert.deepEqual(oci.scopes?.map((s) => s.id).sort(), ['us-ashburn-1', 'us-phoenix-1']);
    assert.ok(
      oci.resources.every((r) => r.region === r.scope),
      'each resource in its own region',
    );
    const phx = h
      .state()
      .instances.filter((i) => i.region === 'phx' && i.lifecycleState !== 'TERMINATED')
      .map((i) => i.id)
      .sort();
    assert.deepEqual(
      oci.resources
        .filter((r) => r.scope === 'us-phoenix-1' && r.kind.endsWith('instance'))
        .map((r) => r.id)
        .sort(),
      phx,
      'Phoenix shows its own instances',
    );
    await h.close();
    h = await start();
    const single = (await h.refresh()).oci;
    assert.deepEqual(
      single.scopes?.map((s) => s.id),
      ['us-ashburn-1'],
      'only the profile region by default',
    );
    assert.equal(single.scopesAvailable, 2);
    await h.close();
    h = await start({ regions: ['us-ashburn-1', 'us-phoenix-1'] });
    // One region's listing is refused (the first instance request of the refresh): the other region stays current.
    h.sim.faults.add('oci', 'GET /20160918/instances', { status: 401, times: 1 });
    const { oci: split } = await h.refresh();
    const states = split.scopes?.map((s) => s.state).sort();
    assert.deepEqual(states, ['error', 'ok'], `one region failed, one is current: ${JSON.stringify(split.scopes)}`);
    assert.equal(split.state, 'ok');
    await h.close();
    h = await start({ regions: ['us-ashburn-1', 'eu-frankfurt-1'] });
    const { oci: unsubscribed } = await h.refresh();
    assert.equal(
      unsubscribed.scopes?.find((s) => s.id === 'eu-frankfurt-1')?.error?.category,
      'not-found',
      'a region the tenancy does not subscribe to is named',
    );
    assert.equal(unsubscribed.scopes?.find((s) => s.id === 'us-ashburn-1')?.state, 'ok');
  });

  it('reads the OCI CLI config: OCI_CLI_CONFIG_FILE and OCI_CLI_PROFILE win over ~/.oci/config; a wrong key is an auth error', async () => {
    const creds = ociTestCredentials();
    const dir = await mkdtemp(join(tmpdir(), 'cloudtop-oci-'));
    try {
      const key = join(dir, 'key.pem');
      await writeFile(key, creds.privateKeyPem, { mode: 0o600 });
      const other = makeOciCredentials(creds.tenancy, creds.user);
      const wrong = join(dir, 'wrong.pem');
      await writeFile(wrong, other.privateKeyPem, { mode: 0o600 });
      const profile = (name: string, file: string) =>
        `[${name}]\nuser=${creds.user}\nfingerprint=${creds.fingerprint}\ntenancy=${creds.tenancy}\nregion=us-ashburn-1\nkey_file=${file}\n`;
      const home = join(dir, 'home');
      await writeFile(join(dir, 'config'), `${profile('DEFAULT', wrong)}\n${profile('WORK', key)}`);
      const { mkdir } = await import('node:fs/promises');
      await mkdir(join(home, '.oci'), { recursive: true });
      await writeFile(join(home, '.oci', 'config'), profile('DEFAULT', wrong));
      const cleared = {
        OCI_CLI_TENANCY: '',
        OCI_CLI_USER: '',
        OCI_CLI_FINGERPRINT: '',
        OCI_CLI_REGION: '',
        OCI_CLI_KEY_CONTENT: '',
        HOME: home,
      };
      h = await start({ env: { ...cleared, OCI_CLI_CONFIG_FILE: join(dir, 'config'), OCI_CLI_PROFILE: 'WORK' } });
      const good = (await h.refresh()).oci;
      assert.equal(good.state, 'ok', good.error?.message);
      assert.equal(good.credentialSource, 'cli-file');
      await h.close();
      h = await start({ env: { ...cleared } });
      const bad = (await h.refresh()).oci;
      assert.equal(bad.state, 'error', '~/.oci/config DEFAULT has the wrong key');
      assert.equal(bad.error?.category, 'auth');
      assertNoSecrets(shown(h, bad), ociSecrets());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a deadline aborts an OCI request in flight: the refresh ends at it and no request stays open', async () => {
    const deadlineMs = 3000;
    h = await start({ collector: { deadlineMs } });
    const hung = h.sim.faults.add('oci', 'GET /20160918/instances', { kind: 'hang', times: Infinity });
    const started = Date.now();
    const { oci } = await h.refresh();
    const took = Date.now() - started;
    assert.ok(hung.hits > 0, 'the instances were asked for');
    assert.ok(took < deadlineMs + 1500, `the refresh ended at its deadline (${took} ms)`);
    assert.match(oci.error?.message ?? '', /did not answer within 3 s/, `the deadline ended it: ${oci.error?.message}`);
    for (let i = 0; i < 50 && h.sim.openRequests() > 0; i++) await sleep(10);
    assert.equal(h.sim.openRequests(), 0, 'no OCI request left open after the deadline');
  });

  it('shows hostile display names exactly as sent, two of one name stay two', async () => {
    h = await start({ oci: { hostile: true } });
    const { oci } = await h.refresh();
    assert.equal(oci.state, 'ok', oci.error?.message);
    const names = oci.resources.map((r) => r.name);
    assert.ok(
      HOSTILE_NAMES.some((n) => names.includes(n)),
      'hostile names pass through unchanged',
    );
    assert.equal(new Set(oci.resources.map((r) => r.id)).size, oci.resources.length, 'ids are unique');
  });
});
