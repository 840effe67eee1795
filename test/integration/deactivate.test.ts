// Deactivation closes everything activation opened: the built extension, run in plain Node against the simulated
// clouds with the Redis cache, refreshes, then awaits deactivate() as VS Code does — and its process must end by
// itself, with no socket, pool or timer left (test/support/built-extension.cjs --deactivate).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createRegisteredClouds } from '../sim/clouds';
import { startSim, type Sim } from '../sim/server';
import { ROOT, simulatedClouds } from '../support/cli';
import { startRedis, type RedisServer } from '../support/redis-server';
import { wireToSim } from '../support/simWiring';

const RUN_EXTENSION = path.join(ROOT, 'test', 'support', 'built-extension.cjs');

interface Ended {
  readonly code: number | null;
  readonly byItself: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built extension; kills it after `graceMs` if it has not ended by itself. */
function runUntilExit(args: string[], env: NodeJS.ProcessEnv, graceMs: number): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, graceMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, byItself: !killed, stdout, stderr });
    });
  });
}

describe('deactivation closes cleanly (the built extension in plain Node)', function () {
  this.timeout(90_000);
  let work: string;
  let dist: string;
  let sim: Sim;
  let redis: RedisServer;

  before(async function () {
    this.timeout(120_000);
    work = mkdtempSync(path.join(tmpdir(), 'cloudtop-deactivate-'));
    dist = path.join(work, 'dist');
    const built = spawnSync(process.execPath, ['esbuild.mjs', '--outdir', dist], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    sim = await startSim({ clouds: createRegisteredClouds() });
    redis = await startRedis();
  });
  after(async () => {
    await sim?.close();
    await redis?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('after a refresh of every simulated cloud through the Redis cache, deactivate() leaves no handle open and the process ends by itself', async () => {
    const home = path.join(work, 'home');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_CACHE_HOME: path.join(home, 'cache'),
      ...Object.fromEntries(simulatedClouds(sim).map((cloud) => [`CLOUDTOP_${cloud.toUpperCase()}_ENDPOINT`, sim.endpoint(cloud)])),
      ...wireToSim(sim).env,
      // Where each timer was made, so a leftover one is named in the failure (a rare one was seen on CI only).
      CLOUDTOP_TRACE_TIMERS: '1',
      CLOUDTOP_TEST_SETTINGS: JSON.stringify({ 'cache.backend': 'redis', 'redis.url': redis.url }),
    };
    const ended = await runUntilExit([RUN_EXTENSION, dist, '--refresh', '--deactivate'], env, 20_000);
    assert.equal(ended.stderr, '', 'nothing on stderr');
    const line = JSON.parse(ended.stdout.trim().split('\n').at(-1) ?? '{}') as {
      outcomes?: Record<string, { state: string; message?: string }>;
      openHandles?: string[];
      timers?: string[];
    };
    const outcomes = line.outcomes ?? {};
    assert.ok(
      simulatedClouds(sim).every((cloud) => outcomes[cloud]?.state === 'ok'),
      `every simulated cloud refreshed: ${JSON.stringify(outcomes)}`,
    );
    assert.deepEqual(
      line.openHandles,
      [],
      `no socket, pool or timer left after deactivate()${line.timers ? `: ${line.timers.join(' ;; ')}` : ''}`,
    );
    assert.ok(ended.byItself, 'the process ended by itself after deactivate()');
    assert.equal(ended.code, 0);
    const client = new Redis(redis.url, { lazyConnect: true });
    try {
      await client.connect();
      assert.ok((await client.dbsize()) > 0, 'the refresh went through the Redis cache');
    } finally {
      client.disconnect();
    }
  });
});
