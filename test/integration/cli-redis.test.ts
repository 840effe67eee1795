// The built `cloudtop` with the Redis cache (issue 25, "Redis loss is told and budgeted"), against a real redis-server:
// losing and regaining Redis is one line on stderr each way and a `notices` entry in the JSON while it lasts, and
// `--refresh` watchers that share Redis share what they fetch instead of each fetching every frame (eight watchers on
// one account starved each other before: 1–4 frames in 120 s).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { JsonDocument } from '../../src/cli/format/json';
import { createRegisteredClouds } from '../sim/clouds';
import { startSim, type Sim } from '../sim/server';
import { buildCli, cliEnv, removeBuiltCli, runCli, startCli, tempHome, waitFor, type RunningCli } from '../support/cli';
import { startRedis, type RedisServer } from '../support/redis-server';

const docs = (cli: RunningCli): JsonDocument[] =>
  cli
    .stdout()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JsonDocument);

describe('cloudtop CLI with the Redis cache (dist/cli.js, real redis-server)', function () {
  this.timeout(90_000);
  let sim: Sim;
  let redis: RedisServer | undefined;
  let home: ReturnType<typeof tempHome>;
  const env = () => cliEnv(sim, home, { extra: { CLOUDTOP_REDIS_URL: redis!.url } });

  before(async function () {
    this.timeout(120_000);
    buildCli();
    sim = await startSim({ clouds: createRegisteredClouds() });
  });
  after(async () => {
    removeBuiltCli();
    await sim?.close();
  });
  beforeEach(async () => {
    sim.reset();
    home = tempHome();
    redis = await startRedis();
  });
  afterEach(async () => {
    await redis?.stop();
    rmSync(home.home, { recursive: true, force: true });
  });

  it('a Redis that cannot be reached: one warning line on stderr, a notice in the JSON, the clouds still reported', async () => {
    const port = redis!.port;
    await redis!.stop();
    const result = await runCli(['--json', '-p', 'runpod', '--redis-url', `redis://127.0.0.1:${port}`], env());
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0], /^cloudtop: warning: shared cache unavailable: using a local one \(Redis at redis:\/\/127\.0\.0\.1:\d+: .+\)$/);
    const doc = JSON.parse(result.stdout) as JsonDocument;
    assert.equal(doc.providers.runpod?.state, 'ok');
    assert.deepEqual(
      doc.notices?.map((n) => n.kind),
      ['shared-cache'],
    );
    assert.match(doc.notices[0].message, /^shared cache unavailable: using a local one/);
  });

  it('Redis stopped and started again under a watcher: said once each way, notices only in between, no frame lost', async () => {
    const port = redis!.port;
    const cli = startCli(['--refresh', '1s', '--json', '-p', 'runpod', '--cache', 'redis'], env());
    try {
      await waitFor('two frames through Redis', () => docs(cli).length >= 2);
      assert.ok(
        docs(cli).every((d) => !d.notices),
        'no notice while Redis answers',
      );
      await redis!.stop();
      await waitFor('a frame with the notice', () => docs(cli).some((d) => d.notices));
      redis = await startRedis({ port });
      const noticed = docs(cli).length;
      await waitFor(
        'a frame without it again',
        () =>
          docs(cli)
            .slice(noticed)
            .some((d) => !d.notices),
        30_000,
      );
      cli.child.kill('SIGTERM');
      const result = await cli.exited;
      assert.equal(result.code, 0, result.stderr);
      const lines = result.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 2, result.stderr);
      assert.match(lines[0], /^cloudtop: warning: shared cache unavailable: using a local one \(Redis at /);
      assert.match(lines[1], /^cloudtop: note: shared cache reachable again/);
      for (const doc of docs(cli)) assert.equal(doc.providers.runpod?.state, 'ok', JSON.stringify(doc.errors.runpod));
    } finally {
      cli.child.kill('SIGKILL');
    }
  });

  it('four --refresh watchers sharing Redis share their fetches: every watcher draws its frames, the cloud sees far fewer calls', async () => {
    // Neon: its budget (700 a minute) is far from what these frames spend, so only the sharing is measured.
    const args = ['--refresh', '2s', '--json', '-p', 'neon', '--cache', 'redis'];
    // One watcher alone: what a frame costs when nobody shares it (every frame after the first fetches).
    const alone = startCli(args, env());
    try {
      await waitFor('five frames alone', () => docs(alone).length >= 5);
    } finally {
      alone.child.kill('SIGTERM');
      await alone.exited;
    }
    const aloneFrames = docs(alone).length;
    const perFrameAlone = sim.log.count('neon') / aloneFrames;
    sim.log.clear();

    const watchers = Array.from({ length: 4 }, () => startCli(args, env()));
    try {
      await waitFor('five frames from every watcher', () => watchers.every((w) => docs(w).length >= 5), 60_000);
    } finally {
      for (const w of watchers) w.child.kill('SIGTERM');
      await Promise.all(watchers.map((w) => w.exited));
    }
    const frames = watchers.reduce((n, w) => n + docs(w).length, 0);
    const perFrameShared = sim.log.count('neon') / frames;
    for (const w of watchers) for (const doc of docs(w)) assert.equal(doc.providers.neon?.state, 'ok', JSON.stringify(doc.errors.neon));
    // Four watchers at random phases: most frames find another's fetch newer than their own last one.
    assert.ok(
      perFrameShared <= perFrameAlone * 0.6,
      `calls per frame: ${perFrameShared.toFixed(2)} shared by 4 watchers, ${perFrameAlone.toFixed(2)} alone (${frames} frames)`,
    );
  });
});
