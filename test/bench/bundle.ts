// Bundle figures for `npm run bench -- bundle`, of a production build in a temp dir (dist/ keeps the dev build
// the tests expect): the size of each bundle, the VSIX, what activation costs with no cloud configured, and
// what a cloud's first use costs (requiring its provider bundle and creating the provider). Timings are
// medians of fresh Node processes: a process that loaded a file once would time the cache.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
const RUNS = 11;
const ACTIVATE = path.join(ROOT, 'test', 'support', 'built-extension.cjs');
/** The VSIX's inputs besides dist/: what .vscodeignore may let in. */
const PACKAGE_FILES = ['package.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media'];

type Record = (metric: string, value: number, unit: string) => void;
type Median = (values: number[]) => number;

const kb = (file: string) => statSync(file).size / 1024;

/** A process with nothing of the developer's: no cloud key in the environment, an empty HOME. */
function cleanEnv(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_CACHE_HOME: path.join(home, 'cache') };
}

async function activationMs(dist: string, home: string, median: Median): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { stdout } = await run(process.execPath, [ACTIVATE, dist], { env: cleanEnv(home) });
    const { requireMs, activateMs } = JSON.parse(stdout) as { requireMs: number; activateMs: number };
    samples.push(requireMs + activateMs);
  }
  return median(samples);
}

// Requires one provider bundle and calls its factory (the export named create…Provider), in a fresh process.
const FIRST_LOAD = `
const started = performance.now();
const bundle = require(process.argv[1]);
const factory = Object.entries(bundle).find(([name]) => /^create\\w*Provider$/.test(name))[1];
if (typeof factory().listResources !== 'function') throw new Error('not a provider');
process.stdout.write(String(performance.now() - started));`;

async function firstLoadMs(file: string, home: string, median: Median): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(Number((await run(process.execPath, ['-e', FIRST_LOAD, file], { env: cleanEnv(home) })).stdout));
  return median(samples);
}

/** Packages the build as `npm run package` would, from a copy of the package's inputs. */
async function vsixKb(dist: string, work: string): Promise<number> {
  const dir = path.join(work, 'package');
  mkdirSync(dir);
  for (const file of PACKAGE_FILES) cpSync(path.join(ROOT, file), path.join(dir, file), { recursive: true });
  cpSync(dist, path.join(dir, 'dist'), { recursive: true });
  const out = path.join(work, 'cloudtop.vsix');
  await run(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'package', '--no-dependencies', '--out', out], { cwd: dir });
  return kb(out);
}

export async function benchBundle(record: Record, median: Median): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'cloudtop-bench-bundle-'));
  const dist = path.join(work, 'dist');
  const home = path.join(work, 'home');
  mkdirSync(home);
  try {
    await run(process.execPath, ['esbuild.mjs', '--production', '--outdir', dist], { cwd: ROOT });
    record('bundle.extension.kb', kb(path.join(dist, 'extension.js')), 'KB');
    record('bundle.cli.kb', kb(path.join(dist, 'cli.js')), 'KB');
    const providers = path.join(dist, 'providers');
    const bundles = readdirSync(providers).filter((f) => f.endsWith('.js')).sort();
    for (const file of bundles) record(`bundle.${path.basename(file, '.js')}.kb`, kb(path.join(providers, file)), 'KB');
    record('activation.ms', await activationMs(dist, home, median), 'ms');
    for (const file of bundles) record(`provider.firstLoadMs.${path.basename(file, '.js')}`, await firstLoadMs(path.join(providers, file), home, median), 'ms');
    record('vsix.kb', await vsixKb(dist, work), 'KB');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
