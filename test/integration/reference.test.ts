// Reference data as an engine part, end to end through the built `cloudtop` and the simulated OCI, Azure and Google
// Cloud: a second run within the TTLs (file cache, the default) reads no price list, catalogue, sizes, compartments or
// subscriptions again, `--no-cache` does; and a price list that fails leaves every resource current while the GPU
// spend says how many billed GPU instances it could not price.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { JsonDocument } from '../../src/cli/format/json';
import { createRegisteredClouds } from '../sim/clouds';
import { startSim, type Sim } from '../sim/server';
import { buildCli, cliEnv, removeBuiltCli, runCli, tempHome } from '../support/cli';
import { referenceCalls } from '../support/reference-routes';

/** Drops every cached part but the reference data: what the cache holds once the resources' 60 s have passed. */
function expireAllButReference(cacheDir: string): void {
  for (const name of readdirSync(cacheDir)) {
    const file = path.join(cacheDir, name);
    const text = readFileSync(file, 'utf8');
    if (!text.includes(':reference:')) rmSync(file, { force: true });
  }
}

const CLOUDS = ['oci', 'azure', 'gcp'] as const;

describe('reference data through the CLI (file cache)', function () {
  this.timeout(90_000);
  let sim: Sim;
  let home: ReturnType<typeof tempHome>;

  before(async function () {
    this.timeout(120_000);
    buildCli();
    sim = await startSim({ clouds: createRegisteredClouds() });
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

  const run = async (...extra: string[]) => {
    const result = await runCli(['--provider', CLOUDS.join(','), '--json', ...extra], cliEnv(sim, home));
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as JsonDocument;
  };

  it('a second run within the TTLs sends no request for reference data; --no-cache reads it again', async () => {
    await run();
    for (const cloud of CLOUDS) assert.ok(referenceCalls(sim, cloud) > 0, `${cloud} read its reference data on the first run`);
    expireAllButReference(path.join(home.cache, 'cloudtop'));
    sim.log.clear();
    const second = await run();
    for (const cloud of CLOUDS) {
      assert.ok(sim.log.count(cloud) > 0, `${cloud} listed its resources again (the resources cache was gone)`);
      assert.equal(referenceCalls(sim, cloud), 0, `${cloud} read no reference data on the second run`);
      assert.equal(second.providers[cloud]?.state, 'ok');
    }
    sim.log.clear();
    await run('--no-cache');
    for (const cloud of CLOUDS) assert.ok(referenceCalls(sim, cloud) > 0, `--no-cache reads ${cloud}'s reference data again`);
  });

  it('a price list that fails leaves every resource current, says "price unknown" and counts the unpriced GPU instances', async () => {
    const healthy = await run('--cache', 'memory');
    const priced = healthy.totals.gpuSpendPerHour;
    // The GPU instances Oracle bills now: running, and those billed on the way or while stopped (chargedWhilePaused).
    const billed = (r: { gpu?: unknown; status: string; chargedWhilePaused?: boolean }) =>
      r.gpu !== undefined && (r.status === 'running' || r.chargedWhilePaused === true);
    const ociGpus = healthy.providers.oci!.resources.filter(billed);
    assert.ok(ociGpus.length > 0, 'the sim runs OCI GPU instances');
    sim.faults.add('oci', 'GET /pls/apex/cetools/api/v1/products', { status: 500, times: Infinity });
    const doc = await run('--cache', 'memory');
    const oci = doc.providers.oci!;
    assert.equal(oci.state, 'ok');
    assert.equal(oci.resources.length, healthy.providers.oci!.resources.length, 'every resource is still listed');
    for (const r of oci.resources.filter((r) => r.gpu && (r.status === 'running' || ociGpus.some((g) => g.id === r.id)))) {
      assert.equal(r.pricePerHour, undefined);
      assert.match(r.priceUnknown ?? '', /Oracle's price list could not be read/);
    }
    const warning = oci.warnings?.find((w) => w.part === 'reference');
    assert.ok(warning, 'a reference warning');
    assert.match(warning.message, /Oracle's price list could not be read: .*No earlier copy/);
    assert.equal(doc.totals.unpricedGpuCount, ociGpus.length);
    assert.ok(doc.totals.gpuSpendPerHour < priced, 'the spend leaves the unpriced instances out, and says how many');
    assert.deepEqual(
      doc.totals.unpricedGpu.map((u) => u.cloud),
      ociGpus.map(() => 'oci'),
    );
  });

  it('a price list that hangs costs its warning within half the deadline, not the listing', async () => {
    sim.faults.add('oci', 'GET /pls/apex/cetools/api/v1/products', { kind: 'hang', times: Infinity });
    const started = Date.now();
    const doc = await run('--cache', 'memory', '--timeout', '20s');
    assert.ok(Date.now() - started < 20_000 + 5_000, 'the run did not wait for the hung list past its deadline');
    const oci = doc.providers.oci!;
    assert.equal(oci.state, 'ok');
    assert.ok(oci.resources.length > 0);
    assert.match(oci.warnings?.find((w) => w.part === 'reference')?.message ?? '', /no answer within 10 s/);
    assert.ok(doc.totals.unpricedGpuCount > 0);
  });

  it('a failing renewal keeps the last good list, priced, and the warning gives its age', async () => {
    const first = await run();
    sim.faults.add('oci', 'GET /pls/apex/cetools/api/v1/products', { status: 500, times: Infinity });
    const doc = await run('--no-cache');
    const oci = doc.providers.oci!;
    assert.match(oci.warnings?.find((w) => w.part === 'reference')?.message ?? '', /Using the copy read \d+ (s|min) ago\./);
    assert.equal(doc.totals.unpricedGpuCount, 0, 'the last good list still prices every GPU instance');
    assert.equal(doc.totals.gpuSpendPerHour, first.totals.gpuSpendPerHour);
  });
});
