// The built `cloudtop` (dist/cli.js) run as a subprocess on Node 20 against the simulated clouds. Expected
// output is computed from the sim's state and from the shared engine's own snapshot of it, never pasted in.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { version } from '../../package.json';
import { CLOUD_NAMES, type CloudId, type Snapshot } from '../../src/core/model/model';
import type { JsonDocument } from '../../src/format/json';
import { createRegisteredClouds } from '../sim/clouds';
import { startSim, type Sim } from '../sim/server';
import type { VastState } from '../sim/vastai';
import {
  buildCli,
  CATALOGUE_CLOUDS,
  cells,
  cliEnv,
  hasScript,
  referenceSnapshot,
  removeBuiltCli,
  runCli,
  simulatedClouds,
  startCli,
  startInTty,
  tempHome,
  TERMINAL_ACTIVE,
  waitFor,
} from '../support/cli';
import { gcpServiceAccountKey, type GcpState } from '../sim/gcp';
import { assertOneLineError, expectedTable, parseGroups, simGcpGpuSpend, simGpuSpend, simStoppedPodStorage } from '../support/cli-expect';
import type { RunpodState } from '../sim/runpod';
import { assertNoSecrets } from '../support/secrets';

type Home = ReturnType<typeof tempHome>;
const ESC = '\u001b';
const parseDoc = (text: string): JsonDocument => JSON.parse(text) as JsonDocument;
const readCredentials = (file: string): unknown => (JSON.parse(readFileSync(file, 'utf8')) as { credentials: unknown }).credentials;

describe('cloudtop CLI (dist/cli.js) against the simulated clouds', function () {
  this.timeout(60_000);
  let sim: Sim;
  let home: Home;
  let reference: Snapshot;
  let keys: string[];
  /** The clouds the sim serves, each with its key in the environment. */
  let clouds: CloudId[];

  before(async function () {
    this.timeout(120_000);
    buildCli();
    sim = await startSim({ clouds: createRegisteredClouds() });
    keys = Object.values(sim.keys());
    clouds = simulatedClouds(sim);
    assert.ok(clouds.includes('vastai') && clouds.includes('runpod'), 'the sim serves Vast.ai and RunPod');
    reference = await referenceSnapshot(sim);
  });
  after(async () => {
    removeBuiltCli();
    await sim?.close();
  });
  beforeEach(() => {
    sim.reset();
    home = tempHome();
  });
  afterEach(() => rmSync(home.home, { recursive: true, force: true }));

  const env = (options?: Parameters<typeof cliEnv>[2]) => cliEnv(sim, home, options);
  const assertNoSecret = (...texts: string[]) => assertNoSecrets(texts, keys, "the CLI's output");

  it('prints one group per cloud with a row per resource, and the GPU spend of the running GPUs', async () => {
    const result = await runCli([], env());
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const groups = parseGroups(result.stdout);
    assert.deepEqual(
      [...groups.keys()],
      clouds.map((c) => CLOUD_NAMES[c]),
    );
    for (const cloud of clouds) {
      const group = groups.get(CLOUD_NAMES[cloud])!;
      const outcome = reference.outcomes[cloud]!;
      assert.ok(outcome.resources.length > 5, 'the sim seeds resources');
      const expected = expectedTable(outcome);
      assert.deepEqual(group.header, expected.header, `${cloud} columns`);
      assert.deepEqual(group.rows, expected.rows, `${cloud} rows`);
      assert.match(group.caption, new RegExp(`^${outcome.resources.length} resources · fetched \\d+ s ago$`));
    }
    for (const cloud of CATALOGUE_CLOUDS.filter((c) => !clouds.includes(c)))
      assert.ok(result.stdout.includes(`\n${CLOUD_NAMES[cloud]} not configured  set `), cloud);
    const vastIds = sim.state<VastState>('vastai').instances.map((i) => String(i.id));
    assert.deepEqual(reference.outcomes.vastai!.resources.map((r) => r.id).sort(), vastIds.sort(), 'every sim instance is a row');
    const spend = simGpuSpend(sim);
    assert.ok(spend > 1, 'some GPUs run');
    const gpus = reference.totals.runningGpuCount;
    assert.match(result.stdout, new RegExp(`\\nGPU spend {2}\\$${spend.toFixed(2).replace('.', '\\.')}/h for ${gpus} running GPUs`));
    assert.ok(!result.stdout.includes(ESC), 'no ANSI in a pipe');
  });

  it('--json prints the engine snapshot in the documented shape, with totals equal to the running GPU prices', async () => {
    const result = await runCli(['--json'], env());
    assert.equal(result.code, 0, result.stderr);
    const doc = parseDoc(result.stdout);
    assert.deepEqual(Object.keys(doc), ['schemaVersion', 'timestamp', 'duration', 'providers', 'errors', 'totals']);
    assert.equal(doc.schemaVersion, 1);
    assert.ok(Number.isFinite(Date.parse(doc.timestamp)) && Number.isInteger(doc.duration) && doc.duration >= 0);
    assert.deepEqual(doc.errors, {});
    assert.deepEqual(Object.keys(doc.providers), CATALOGUE_CLOUDS, 'every cloud of --all, in catalogue order');
    for (const cloud of CATALOGUE_CLOUDS.filter((c) => !clouds.includes(c))) assert.equal(doc.providers[cloud]!.state, 'unconfigured');
    for (const cloud of clouds) {
      const p = doc.providers[cloud]!;
      const o = reference.outcomes[cloud]!;
      assert.deepEqual(
        { state: p.state, cached: p.cached, stale: p.stale, credentialSource: p.credentialSource },
        { state: 'ok', cached: false, stale: false, credentialSource: 'environment' },
      );
      assert.deepEqual(p.resources, o.resources);
      assert.deepEqual(p.metrics, o.metrics);
      const withoutTime = (offers: readonly { fetchedAt?: string }[]) => offers.map(({ fetchedAt: _, ...rest }) => rest);
      assert.deepEqual(withoutTime(p.offers), withoutTime([...o.offers]));
    }
    for (const cloud of ['vastai', 'runpod'] as const) assert.ok(doc.providers[cloud]!.offers.length > 0, `${cloud} lists GPU offers`);
    assert.ok(Math.abs(doc.totals.gpuSpendPerHour - simGpuSpend(sim)) < 1e-3, 'totals = the sim’s running GPU prices');
    assert.ok(
      sim.state<RunpodState>('runpod').pods.some((p) => p.cluster && p.status === 'RUNNING'),
      'the seed has Instant Cluster pods, counted above',
    );
    assert.ok(
      simStoppedPodStorage(sim) > 0 && doc.totals.stoppedStoragePerHour >= simStoppedPodStorage(sim) - 1e-4,
      'stopped storage includes the stopped RunPod pods’ volume disks',
    );
    assert.deepEqual(doc.totals, JSON.parse(JSON.stringify(reference.totals)));
    assertNoSecret(result.stdout, result.stderr);
  });

  it('--wide adds ID, type, region, network and created; --gpu keeps GPU resources and adds the price table', async () => {
    const wide = await runCli(['--wide', '--provider', 'vastai'], env());
    const group = parseGroups(wide.stdout).get('Vast.ai')!;
    assert.deepEqual(group.header, [
      'Name',
      'ID',
      'Type',
      'Region',
      'Status',
      'CPU%',
      'Memory%',
      'GPU%',
      'Net In',
      'Net Out',
      '$/h',
      'Created',
    ]);
    const first = reference.outcomes.vastai!.resources[0];
    const fit = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);
    assert.deepEqual(group.rows[0].slice(1, 4), [first.id, fit(`${first.gpu!.count}× ${first.gpu!.key}`, 24), fit(first.region!, 16)]);
    assert.equal(group.rows[0][11], first.createdAt!.slice(0, 16).replace('T', ' '));

    const gpu = await runCli(['--gpu', '--json'], env());
    const gpuRef = await referenceSnapshot(sim, { gpuOnly: true });
    const doc = parseDoc(gpu.stdout);
    for (const cloud of clouds) assert.deepEqual(doc.providers[cloud]!.resources, gpuRef.outcomes[cloud]!.resources);
    assert.ok(doc.providers.runpod!.resources.length < reference.outcomes.runpod!.resources.length, 'non-GPU resources left out');

    const table = await runCli(['--gpu'], env());
    const lines = table.stdout.split('\n');
    const start = lines.indexOf('GPU prices  USD per GPU-hour, cheapest first');
    assert.ok(start > 0, 'price table present');
    assert.deepEqual(cells(lines[start + 1]), ['GPU', 'Cloud', 'On-demand', 'Spot', 'Available']);
    // Rows: "<key>  <cloud>  <on-demand>  <spot>  <availability>"; a GPU's further clouds leave the key blank.
    const offers = clouds.flatMap((c) => reference.outcomes[c]!.offers);
    const blocks: { key: string; prices: number[] }[] = [];
    for (const line of lines.slice(start + 2, lines.indexOf('', start))) {
      const row = cells(line);
      if (!line.startsWith('   ')) blocks.push({ key: row.shift()!, prices: [] });
      const [cloudName, onDemand] = row;
      const cloud = CATALOGUE_CLOUDS.find((c) => CLOUD_NAMES[c] === cloudName)!;
      const block = blocks[blocks.length - 1];
      const candidates = offers.filter((o) => o.cloud === cloud && o.gpuKey === block.key && o.pricing === 'on-demand');
      const rentable = candidates.filter((o) => o.availability !== 'none');
      const expected = Math.min(...(rentable.length > 0 ? rentable : candidates).map((o) => o.pricePerGpuHour));
      assert.equal(onDemand, Number.isFinite(expected) ? `$${expected.toFixed(2)}/h` : '-', `${block.key} on ${cloudName}`);
      // RunPod's API publishes no spot price: its Spot cell says "n/a" (footnoted), never "-" (none on offer).
      if (cloud === 'runpod') assert.equal(row[2], 'n/a', `${block.key} on RunPod: spot`);
      block.prices.push(
        ...row
          .slice(1, 3)
          .filter((c) => c !== '-' && c !== 'n/a')
          .map((c) => Number(c.slice(1, -2))),
      );
    }
    assert.ok(lines.includes("  n/a: RunPod spot: not offered through RunPod's API"), 'the footnote says why');
    assert.deepEqual(blocks.map((b) => b.key).sort(), [...new Set(offers.map((o) => o.gpuKey))].sort(), 'one row per GPU key');
    const cheapest = blocks.map((b) => Math.min(...b.prices));
    assert.deepEqual(
      cheapest,
      [...cheapest].sort((a, b) => a - b),
      'cheapest GPU first',
    );
  });

  it('--refresh 1s redraws every second and ends cleanly on SIGINT; each cycle after the first refetches', async () => {
    await runCli(['-p', 'runpod'], env()); // fills the cache
    sim.log.clear();
    const cli = startCli(['--refresh', '1s', '--provider', 'runpod'], env());
    const frames = () =>
      cli
        .stdout()
        .split('\n')
        .filter((l) => l.startsWith('cloudtop · every 1s ·')).length;
    await waitFor('the first frame', () => frames() >= 1);
    assert.equal(sim.log.count('runpod'), 0, 'the first frame came from the cache');
    await waitFor('the second frame', () => frames() >= 2);
    assert.ok(sim.log.count('runpod') > 0, 'the second cycle fetched although the cache was fresh');
    cli.child.kill('SIGINT');
    const result = await cli.exited;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.equal(parseGroups(result.stdout).get('RunPod')!.rows.length, reference.outcomes.runpod!.resources.length);
  });

  it('--refresh 1s --json writes one JSON document per line until SIGTERM', async () => {
    const cli = startCli(['--refresh', '1s', '--json', '-p', 'runpod'], env());
    await waitFor('two documents', () => cli.stdout().split('\n').filter(Boolean).length >= 2);
    cli.child.kill('SIGTERM');
    const result = await cli.exited;
    assert.equal(result.code, 0, result.stderr);
    const docs = result.stdout.trimEnd().split('\n').map(parseDoc);
    assert.ok(docs.length >= 2);
    for (const doc of docs) assert.equal(doc.providers.runpod!.resources.length, reference.outcomes.runpod!.resources.length);
    assert.ok(docs[0].timestamp < docs[1].timestamp);
  });

  (hasScript() ? it : it.skip)(
    'on a terminal: colour, the alternate screen, redraw in place, Ctrl-C restores the terminal and exits 0',
    async () => {
      const tty = startInTty(['--refresh', '1s', '-p', 'runpod'], env());
      const homes = () => tty.stdout().split(`${ESC}[H`).length - 1;
      await waitFor('two frames drawn in place', () => homes() >= 2);
      tty.type('\u0003');
      const result = await tty.exited;
      assert.equal(result.code, 0, result.stdout.slice(-500));
      assert.ok(result.stdout.startsWith(`${ESC}[?1049h`), 'entered the alternate screen first');
      assert.ok(result.stdout.includes(`${ESC}[32mrunning`), 'colour on a TTY');
      assert.ok(result.stdout.endsWith(`${ESC}[?7h${ESC}[?25h${ESC}[?1049l`), 'wrap, cursor and main screen restored last');
      const noColor = startInTty(['-p', 'runpod'], env({ extra: { NO_COLOR: '' } }));
      assert.ok(!(await noColor.exited).stdout.includes(ESC), 'NO_COLOR (even empty) on a TTY: no ANSI at all');
      const flag = startInTty(['-p', 'runpod', '--no-color'], env());
      assert.ok(!(await flag.exited).stdout.includes(ESC), '--no-color on a TTY');
    },
  );

  const usage: [string[], RegExp][] = [
    [['--bogus'], /^cloudtop: unknown option '--bogus'/],
    [['--refresh', 'soon'], /--refresh: invalid duration "soon"/],
    [['--timeout', '0s'], /--timeout must be at least 1s/],
    [['--provider', 'aws'], /unknown cloud "aws"/],
    [['--json', '--wide'], /choose one of/],
    [['--cache', 'redis'], /--cache redis needs --redis-url or CLOUDTOP_REDIS_URL/],
    [['extra'], /unknown command "extra"/],
  ];
  for (const [args, pattern] of usage) {
    it(`exits 2 with one line for: cloudtop ${args.join(' ')}`, async () => {
      assertOneLineError(await runCli(args, env()), 2, pattern);
    });
  }

  it('exits 2 for a bad configuration: an invalid config file or endpoint', async () => {
    const file = path.join(home.config, 'cloudtop', 'config.json');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '{"credentials": {"runpod": {"apiKey": rpa_NOT_JSON_1234}}}');
    const broken = await runCli([], env());
    assertOneLineError(broken, 2, /config\.json is not valid JSON/);
    assert.ok(!broken.stderr.includes('rpa_NOT'), 'the file is never quoted');
    rmSync(file);
    assertOneLineError(
      await runCli([], env({ extra: { CLOUDTOP_RUNPOD_ENDPOINT: 'ftp://x' } })),
      2,
      /CLOUDTOP_RUNPOD_ENDPOINT must be an http/,
    );
  });

  it('reports a failing cloud (wrong key, a hung API) in the footer and in errors while the others print; --fail-fast exits 1', async () => {
    const wrongKey = env({ extra: { RUNPOD_API_KEY: 'rpa_WRONG_KEY_123456' } });
    const table = await runCli([], wrongKey);
    assert.equal(table.code, 0);
    assert.equal(parseGroups(table.stdout).get('Vast.ai')!.rows.length, reference.outcomes.vastai!.resources.length);
    assert.match(table.stdout, /\nRunPod failed {2}auth: [^\n]+/);
    assert.ok(!table.stdout.includes('rpa_WRONG_KEY_123456'), 'the wrong key is not echoed either');

    // Beside Neon, whose limits let a refresh finish well inside the deadline (an explicit --timeout also
    // applies to Vast.ai, whose documented pace alone takes seconds).
    sim.faults.add('runpod', '*', { kind: 'hang', times: Infinity });
    const json = parseDoc((await runCli(['--json', '--timeout', '3s', '--no-cache', '-p', 'neon,runpod'], env())).stdout);
    assert.equal(json.errors.runpod!.category, 'network', JSON.stringify(json.errors));
    assert.match(json.errors.runpod!.message, /did not answer within 3 s/);
    assert.deepEqual(Object.keys(json.errors), ['runpod']);
    assert.equal(json.providers.neon!.state, 'ok');

    sim.faults.clear();
    // --no-cache: the first run cached Vast.ai's data and a cached answer is not a failure; RunPod fails first.
    const failFast = await runCli(['--fail-fast', '--no-cache'], wrongKey);
    assertOneLineError(failFast, 1, /^cloudtop: RunPod failed \(auth\): /);
  });

  // Each provider runs from its own bundle (dist/providers/<cloud>.js) with its own copy of errors.ts: the
  // categories, messages and retries must be those of the engine run from source, where there is one copy.
  it('classifies failures across the provider bundles as the engine from source does, secrets redacted', async () => {
    // The offer search's "Invalid user key" 404 is auth: Vast.ai's error hook (in the main bundle) says so inside the retry (the
    // cloud's error, or the offers' warning while the instances are shown). First: offers found by an earlier
    // run would be reused rather than searched.
    sim.faults.add('vastai', 'POST /api/v0/bundles', {
      status: 404,
      body: { success: false, error: 'auth_error', msg: 'Invalid user key' },
      times: Infinity,
    });
    const rejected = parseDoc((await runCli(['--json', '--no-cache', '-p', 'vastai'], env())).stdout);
    const offersFailure = rejected.errors.vastai ?? rejected.providers.vastai!.warnings?.find((w) => w.part === 'offers');
    assert.equal(offersFailure?.category, 'auth', JSON.stringify(rejected.errors));
    assert.match(offersFailure.message, /^Vast\.ai rejected the API key \(404\)/);

    sim.faults.clear();
    const cloudflareKey = sim.keys().cloudflare;
    // Vast.ai's provider reads the core's errors: a v1 list 404 means "use the legacy list". The core takes
    // Cloudflare's own error as it is, and redacts the key the cloud echoed into it (only the main bundle knows
    // the keys).
    sim.faults.add('vastai', 'GET /api/v1/instances', { status: 404, times: Infinity });
    sim.faults.add('cloudflare', 'GET /accounts/:account_id/workers/scripts', {
      status: 200,
      body: { success: false, errors: [{ code: 1234, message: `token ${cloudflareKey} looks odd` }], result: null },
      times: Infinity,
    });
    const expected = (await referenceSnapshot(sim, { clouds: ['vastai', 'cloudflare'] })).outcomes;
    const result = await runCli(['--json', '--no-cache', '-p', 'vastai,cloudflare'], env());
    const doc = parseDoc(result.stdout);
    assert.equal(doc.providers.vastai!.state, 'ok', JSON.stringify(doc.errors));
    assert.equal(doc.providers.vastai!.resources.length, reference.outcomes.vastai!.resources.length);
    assert.equal(doc.errors.cloudflare!.category, 'unknown');
    assert.equal(doc.errors.cloudflare!.message, expected.cloudflare!.error!.message);
    assert.match(doc.errors.cloudflare!.message, /looks odd/);
    assertNoSecret(result.stdout, result.stderr);

    // A 429 is retried after its Retry-After: twice, then the answer; always, then rate-limit after 3 retries.
    sim.faults.clear();
    sim.faults.add('runpod', 'GET /pods', { status: 429, headers: { 'Retry-After': '1' }, times: 2 });
    const retried = parseDoc((await runCli(['--json', '--no-cache', '-p', 'runpod'], env())).stdout);
    assert.equal(retried.providers.runpod!.state, 'ok', JSON.stringify(retried.errors));
    assert.equal(sim.log.count('runpod', 'GET /pods'), 3);
    sim.faults.add('runpod', 'GET /pods', { status: 429, headers: { 'Retry-After': '1' }, times: Infinity });
    const throttled = parseDoc((await runCli(['--json', '--no-cache', '-p', 'runpod'], env())).stdout);
    assert.equal(throttled.errors.runpod!.category, 'rate-limit');
    assert.equal(sim.log.count('runpod', 'GET /pods'), 3 + 4);
  });

  it('lists unconfigured clouds with how to configure them', async () => {
    const result = await runCli([], env({ withoutKeys: ['runpod'] }));
    assert.equal(result.code, 0);
    assert.match(result.stdout, /\nRunPod not configured {2}set RUNPOD_API_KEY or run `cloudtop login runpod`\n/);
    assert.equal(parseDoc((await runCli(['--json'], env({ withoutKeys: ['runpod'] }))).stdout).providers.runpod!.state, 'unconfigured');
  });

  it('never lets control characters from cloud names reach the terminal', async () => {
    const hostile = await startSim({ clouds: createRegisteredClouds({ hostile: true }) });
    try {
      const hostileEnv = cliEnv(hostile, home);
      for (const args of [[], ['--wide'], ['--gpu', '--wide'], ['--json'], ['--json', '--gpu']]) {
        const result = await runCli(args, hostileEnv);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, args.includes('--json') ? /\\u202e|\\u001b/ : /gnp\.exe/, 'hostile names were shown');
        assert.doesNotMatch(result.stdout, TERMINAL_ACTIVE, `cloudtop ${args.join(' ')}`);
        assert.ok(!result.stdout.includes(ESC));
      }
    } finally {
      await hostile.close();
    }
  });

  it('login stores the key from stdin owner-only, never prints it, and the next runs use it until logout', async () => {
    const key = sim.keys().vastai;
    const noKeys = env({ withoutKeys: CATALOGUE_CLOUDS });
    const login = await runCli(['login', 'vastai'], noKeys, { input: `${key}\n` });
    assert.equal(login.code, 0, login.stderr);
    const file = path.join(home.config, 'cloudtop', 'config.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700);
    assert.deepEqual(readCredentials(file), { vastai: { apiKey: key } });
    const outputs = [login.stdout, login.stderr];
    for (const args of [['--json', '-p', 'vastai'], ['-p', 'vastai', '--wide'], ['--help'], ['--version']]) {
      const result = await runCli(args, noKeys);
      outputs.push(result.stdout, result.stderr);
    }
    assert.equal(parseDoc(outputs[2]).providers.vastai!.credentialSource, 'stored');
    assertNoSecret(...outputs);

    chmodSync(file, 0o644);
    const warned = await runCli(['-p', 'vastai'], noKeys);
    assert.match(warned.stderr, /^cloudtop: warning: .*config\.json holds credentials and is readable by other users/);

    const logout = await runCli(['logout', 'vastai'], noKeys);
    assert.equal(logout.code, 0);
    assert.deepEqual(readCredentials(file), {});
    assert.equal(parseDoc((await runCli(['--json', '-p', 'vastai'], noKeys)).stdout).providers.vastai!.state, 'unconfigured');
    assertOneLineError(await runCli(['login', 'vastai'], noKeys, { input: '' }), 2, /no API key given on stdin/);
  });

  it('login gcp takes a service-account key file piped whole; --provider gcp lists and prices through it without showing it', async () => {
    const key = gcpServiceAccountKey(sim.endpoint('gcp'));
    const noKeys = env({ withoutKeys: CATALOGUE_CLOUDS });
    // Key files are pretty-printed JSON: many lines, one value.
    const login = await runCli(['login', 'gcp'], noKeys, { input: `${JSON.stringify(key, null, 2)}\n` });
    assert.equal(login.code, 0, login.stderr);
    const file = path.join(home.config, 'cloudtop', 'config.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse((readCredentials(file) as { gcp: { serviceAccountKey: string } }).gcp.serviceAccountKey), key);
    const json = await runCli(['--json', '--provider', 'gcp'], noKeys);
    assert.equal(json.code, 0, json.stderr);
    const gcp = parseDoc(json.stdout).providers.gcp!;
    assert.equal(gcp.state, 'ok', JSON.stringify(parseDoc(json.stdout).errors.gcp));
    assert.equal(gcp.credentialSource, 'stored');
    const running = sim.state<GcpState>('gcp').projects[0].instances.filter((vm) => vm.status === 'RUNNING' && vm.acceleratorType);
    assert.ok(running.length > 0, 'the sim runs GPU VMs');
    assert.ok(
      Math.abs(parseDoc(json.stdout).totals.gpuSpendPerHour - simGcpGpuSpend(sim)) < 1e-3,
      'GPU spend = the sim’s running GPU VMs at catalogue prices',
    );
    const gpu = await runCli(['--provider', 'gcp', '--gpu'], noKeys);
    assert.equal(gpu.code, 0, gpu.stderr);
    const gpuVms = sim.state<GcpState>('gcp').projects[0].instances.filter((vm) => vm.acceleratorType);
    assert.equal(parseGroups(gpu.stdout).get('Google Cloud')?.rows.length, gpuVms.length, `a row per GPU VM:\n${gpu.stdout}`);
    const secretParts = [key.private_key.split('\n')[1], key.private_key_id];
    assertNoSecrets([login.stdout, login.stderr, json.stdout, json.stderr, gpu.stdout, gpu.stderr], secretParts, "the CLI's output");
  });

  it('takes endpoints from the config file, lets the environment override them, and skips disabled clouds', async () => {
    const file = path.join(home.config, 'cloudtop', 'config.json');
    await runCli(['login', 'runpod'], env(), { input: sim.keys().runpod });
    const config = JSON.parse(readFileSync(file, 'utf8')) as object;
    writeFileSync(
      file,
      JSON.stringify({
        ...config,
        endpoints: { runpod: sim.endpoint('runpod'), vastai: 'http://127.0.0.1:9' },
        clouds: { vastai: { enabled: false } },
      }),
      { mode: 0o600 },
    );
    const fromFile = { ...env({ withoutKeys: ['runpod'] }) };
    delete fromFile.CLOUDTOP_RUNPOD_ENDPOINT;
    const all = parseDoc((await runCli(['--json'], fromFile)).stdout);
    assert.deepEqual(
      Object.keys(all.providers),
      CATALOGUE_CLOUDS.filter((c) => c !== 'vastai'),
      'vastai disabled under --all',
    );
    assert.equal(all.providers.runpod!.state, 'ok');
    const named = parseDoc((await runCli(['--json', '-p', 'vastai'], fromFile)).stdout);
    assert.equal(named.providers.vastai!.state, 'ok', 'named explicitly; CLOUDTOP_VASTAI_ENDPOINT overrides the dead file endpoint');
  });

  it('caches in $XDG_CACHE_HOME/cloudtop: a second run is served from the cache, --no-cache refetches', async () => {
    await runCli(['--json', '-p', 'runpod'], env());
    const calls = sim.log.count('runpod');
    const cached = parseDoc((await runCli(['--json', '-p', 'runpod'], env())).stdout);
    assert.equal(cached.providers.runpod!.cached, true);
    assert.equal(sim.log.count('runpod'), calls, 'no API call');
    const fresh = parseDoc((await runCli(['--json', '-p', 'runpod', '--no-cache'], env())).stdout);
    assert.equal(fresh.providers.runpod!.cached, false);
    assert.ok(sim.log.count('runpod') > calls);
    assert.ok(statSync(path.join(home.cache, 'cloudtop')).isDirectory());
    assert.throws(() => statSync(path.join(home.home, '.cache')), 'nothing under ~/.cache when XDG_CACHE_HOME is set');
    assert.equal(parseDoc((await runCli(['--json', '-p', 'runpod', '--cache', 'memory'], env())).stdout).providers.runpod!.cached, false);
  });

  it('--version and --help exit 0', async () => {
    const v = await runCli(['--version'], env());
    assert.deepEqual([v.code, v.stdout], [0, `${version}\n`]);
    const h = await runCli(['--help'], env());
    assert.equal(h.code, 0);
    for (const flag of [
      '--all',
      '--provider',
      '--gpu',
      '--refresh',
      '--json',
      '--wide',
      '--no-cache',
      '--fail-fast',
      '--timeout',
      '--cache',
      '--redis-url',
      'login',
    ])
      assert.ok(h.stdout.includes(flag), flag);
  });
});
