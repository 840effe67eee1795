// CLI figures for `npm run bench`: the production bundle's size, and the cold start of one `--json` run against
// the simulated Vast.ai (a new process, an empty cache dir, every call made): what a user waits for at a prompt.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { createRegisteredClouds } from '../sim/clouds';
import { startSim } from '../sim/server';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

type Record = (metric: string, value: number, unit: string) => void;

export async function benchCli(record: Record, median: (values: number[]) => number): Promise<void> {
  // The size users install: minified, no source map (this rebuilds dist/).
  await run(process.execPath, ['esbuild.mjs', '--production'], { cwd: ROOT });
  record('cli.bundleKb', statSync(CLI).size / 1024, 'KB');

  // The sim runs in this process, so the CLI must be spawned asynchronously for the sim to answer.
  const sim = await startSim({ clouds: createRegisteredClouds() });
  try {
    const samples: number[] = [];
    // Wall time minus the refresh itself: process start, module load, output and exit. The refresh is mostly
    // Vast.ai's own rate limit (three calls at 0.8/s), which no CLI change can shorten.
    const overheads: number[] = [];
    // The same run with a Redis that refuses the connection (nothing listens on port 1): what an unreachable shared
    // cache costs a one-shot run, start to exit (issue 25: at most one connect timeout, 2 s; it was 4.5–6 s).
    const refused: number[] = [];
    for (let i = 0; i < 5; i++) {
      const home = mkdtempSync(path.join(tmpdir(), 'cloudtop-bench-cli-'));
      const env = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, 'config'),
        XDG_CACHE_HOME: path.join(home, 'cache'),
        CLOUDTOP_VASTAI_ENDPOINT: sim.endpoint('vastai'),
        VAST_API_KEY: sim.keys().vastai,
      };
      try {
        const started = performance.now();
        const { stdout } = await run(process.execPath, [CLI, '--json', '--provider', 'vastai', '--no-cache'], { env });
        const wall = performance.now() - started;
        const doc = JSON.parse(stdout) as { duration: number; providers: { vastai: { state: string } } };
        if (doc.providers.vastai.state !== 'ok') throw new Error(`cloudtop answered ${doc.providers.vastai.state} for vastai`);
        samples.push(wall);
        overheads.push(wall - doc.duration);
        const redisStarted = performance.now();
        await run(process.execPath, [CLI, '--json', '--provider', 'vastai', '--no-cache', '--redis-url', 'redis://127.0.0.1:1'], { env });
        refused.push(performance.now() - redisStarted - wall);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    }
    record('cli.coldStartMs', median(samples), 'ms');
    record('cli.coldStartOverheadMs', median(overheads), 'ms');
    record('cli.redisRefused.extraMs', median(refused), 'ms');
  } finally {
    await sim.close();
  }
}
