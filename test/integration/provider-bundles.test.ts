// The build's provider bundles (esbuild.mjs): one file per cloud, dist/providers/<cloud>.js, loaded by the
// extension and the CLI only for a cloud in use. Checked on a build of its own in a temp dir (the dev build:
// esbuild names every module it bundles in a `// path` line), run in fresh Node processes.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { JsonDocument } from '../../src/cli/format/json';
import { createRegisteredClouds } from '../sim/clouds';
import { startSim, type Sim } from '../sim/server';
import { CATALOGUE_CLOUDS, ROOT, simulatedClouds } from '../support/cli';
import { wireToSim } from '../support/simWiring';

const run = promisify(execFile);
const RUN_EXTENSION = path.join(ROOT, 'test', 'support', 'built-extension.cjs');

// The src/core modules a provider bundle may carry its own copy of, each checked for what a copy breaks
// (esbuild.mjs explains the design). Stateless: config-files (reads a small file, parses a TOML line), duration,
// error-messages, gpu, http-defaults, model, paginate, price (pure functions over a price answer), and
// wire (pure readers of a cloud's JSON and a map with bounded concurrency), unsafe-text (fresh RegExps per call),
// provider (core/engine/provider.ts, the contract: types, the CAPABILITIES list and pure functions such as selectServices).
// errors.ts: CloudtopError's instanceof checks a shared brand. redact.ts: its registry of secrets stays empty
// in a copy; toCloudtopError() redacts a provider's error again in the main bundle. A module new to this list
// needs the same check before it is added: a singleton, a class compared by identity or a cache breaks.
// cli-process.ts keeps the process groups its copy started, and its own exit hook ends them: each copy needs only its own.
const AUDITED_CORE = [
  'cli-process',
  'config-files',
  'duration',
  'error-messages',
  'errors',
  'gpu',
  'http-defaults',
  'model',
  'paginate',
  'price',
  'provider',
  'redact',
  'shared-run',
  'unsafe-text',
  'wire',
];

// Packages a provider bundle may copy although a main bundle has them too, because nothing compares them by identity
// and a second copy holds nothing the first needs: `ms` (one pure function, "2h" → milliseconds; oci-common's
// jsonwebtoken and the main bundle's Redis client both use it); `debug` with `supports-color` and `has-flag` (the
// main bundle's Redis client and the Azure pipeline's proxy agents log through it: each copy reads DEBUG and the
// terminal's colours for itself, ~15 KB).
const SHAREABLE_PACKAGES = ['ms', 'debug', 'supports-color', 'has-flag'];

interface ExtensionRun {
  readonly providerBundles: string[];
  readonly outcomes: Record<string, { state: string; category?: string; message?: string }>;
}

/** The modules a dev build bundled into a file: esbuild heads each with its path (`// src/core/errors/errors.ts`). */
function modulesIn(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\/\/ (\S*(?:src|node_modules)\/\S+)$/gm)].map((m) => m[1]);
}

const packageOf = (module: string) => /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(module)?.[1];

describe('one bundle per cloud (dist/providers/<cloud>.js)', function () {
  this.timeout(60_000);
  let work: string;
  let dist: string;
  let sim: Sim;
  let home: string;

  before(async function () {
    this.timeout(120_000);
    work = mkdtempSync(path.join(tmpdir(), 'cloudtop-provider-bundles-'));
    dist = path.join(work, 'dist');
    home = path.join(work, 'home');
    const built = spawnSync(process.execPath, ['esbuild.mjs', '--outdir', dist], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    sim = await startSim({ clouds: createRegisteredClouds() });
  });
  after(async () => {
    await sim?.close();
    rmSync(work, { recursive: true, force: true });
  });
  beforeEach(() => sim.reset());

  /** Nothing of the developer's: an empty HOME, the given clouds' keys and the sim's endpoints. */
  function envWith(clouds: readonly string[]): Record<string, string> {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_CACHE_HOME: path.join(home, 'cache'),
    };
    for (const cloud of simulatedClouds(sim)) env[`CLOUDTOP_${cloud.toUpperCase()}_ENDPOINT`] = sim.endpoint(cloud);
    const others = simulatedClouds(sim).filter((cloud) => !clouds.includes(cloud));
    return { ...env, ...wireToSim(sim, { withoutKeys: others }).env };
  }

  async function runExtension(env: Record<string, string>, distDir = dist): Promise<ExtensionRun> {
    const { stdout } = await run(process.execPath, [RUN_EXTENSION, distDir, '--refresh'], { env, timeout: 45_000 });
    return JSON.parse(stdout) as ExtensionRun;
  }

  it('builds a bundle for each cloud of the catalogue; the main bundles hold no provider, no cloud SDK and no package a provider bundle copies', () => {
    const bundles = readdirSync(path.join(dist, 'providers'));
    for (const cloud of CATALOGUE_CLOUDS) assert.ok(bundles.includes(`${cloud}.js`), `no bundle for ${cloud}`);
    for (const main of ['extension.js', 'cli.js']) {
      const modules = modulesIn(path.join(dist, main));
      assert.ok(modules.includes('src/core/engine/collector.ts'), `${main} is read as a dev build`);
      // The catalogue, its SDK-free credential-file readers, error hooks and endpoint constants stay: they run before a
      // cloud is loaded.
      const providerModules = modules.filter(
        (m) => m.startsWith('src/providers/') && !/^src\/providers\/(index|[\w-]+\/(credentials|errors|hosts|actions))\.ts$/.test(m),
      );
      assert.deepEqual(providerModules, [], `${main} bundles provider code`);
      const mainPackages = new Set(modules.map(packageOf));
      assert.ok(!mainPackages.has('cloudflare'), `${main} bundles the Cloudflare SDK`);
      for (const cloud of CATALOGUE_CLOUDS) {
        const copied = modulesIn(path.join(dist, 'providers', `${cloud}.js`))
          .map(packageOf)
          .filter((p) => p !== undefined && mainPackages.has(p) && !SHAREABLE_PACKAGES.includes(p));
        assert.deepEqual([...new Set(copied)], [], `providers/${cloud}.js copies packages ${main} already has`);
      }
    }
  });

  it('a provider bundle copies only the core modules audited for identity (see AUDITED_CORE)', () => {
    for (const cloud of CATALOGUE_CLOUDS) {
      const core = modulesIn(path.join(dist, 'providers', `${cloud}.js`))
        .filter((m) => m.startsWith('src/core/'))
        .map((m) => path.basename(m, '.ts'));
      assert.deepEqual(
        core.filter((m) => !AUDITED_CORE.includes(m)),
        [],
        `providers/${cloud}.js copies core modules nobody checked`,
      );
      assert.ok(core.includes('errors'), `providers/${cloud}.js is read as a dev build`);
    }
  });

  it('activating the extension with no cloud configured loads no provider bundle; with Vast.ai alone, only vastai.js', async () => {
    const none = await runExtension(envWith([]));
    assert.deepEqual(none.providerBundles, []);
    assert.ok(
      Object.values(none.outcomes).every((o) => o.state === 'unconfigured'),
      JSON.stringify(none.outcomes),
    );

    const vastOnly = await runExtension(envWith(['vastai']));
    assert.deepEqual(vastOnly.providerBundles, ['vastai.js']);
    assert.equal(vastOnly.outcomes.vastai.state, 'ok', JSON.stringify(vastOnly.outcomes));
  });

  it('cloudtop --provider vastai loads vastai.js only, with every cloud configured', async () => {
    // Preloaded into the CLI's process: on exit, the provider bundles in the module cache go to stderr.
    const report = path.join(work, 'report-bundles.cjs');
    writeFileSync(
      report,
      `process.on('exit', () => process.stderr.write('provider bundles: ' + JSON.stringify(Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(path.join(dist, 'providers') + path.sep)})).map((f) => require('node:path').basename(f)).sort()) + '\\n'));\n`,
    );
    const { stdout, stderr } = await run(
      process.execPath,
      ['--require', report, path.join(dist, 'cli.js'), '--json', '--no-cache', '--provider', 'vastai'],
      { env: envWith(CATALOGUE_CLOUDS) },
    );
    assert.equal((JSON.parse(stdout) as JsonDocument).providers.vastai!.state, 'ok');
    assert.match(stderr, /^provider bundles: \["vastai\.js"\]$/m);
  });

  it('a missing provider bundle fails its cloud alone, saying what to do; activation and the other clouds carry on', async () => {
    const damaged = path.join(work, 'damaged');
    cpSync(dist, damaged, { recursive: true });
    rmSync(path.join(damaged, 'providers', 'runpod.js'));
    const expectedError = {
      category: 'config',
      message:
        /^Cloudtop could not load its RunPod module \(Cannot find module .*runpod\.js'\)\. Reinstall Cloudtop; in a checkout, run npm run build\.$/,
    };

    const { stdout } = await run(process.execPath, [path.join(damaged, 'cli.js'), '--json', '--no-cache', '-p', 'runpod,neon'], {
      env: envWith(['runpod', 'neon']),
    });
    const doc = JSON.parse(stdout) as JsonDocument;
    assert.equal(doc.providers.neon!.state, 'ok');
    assert.equal(doc.errors.runpod!.category, expectedError.category);
    assert.match(doc.errors.runpod!.message, expectedError.message);

    const extension = await runExtension(envWith(['runpod', 'neon']), damaged);
    assert.equal(extension.outcomes.neon.state, 'ok');
    assert.equal(extension.outcomes.runpod.category, expectedError.category);
    assert.match(extension.outcomes.runpod.message!, expectedError.message);
  });
});
