// core/credentials/cli-process.ts, the one runner of a cloud's CLI, against stand-ins written by test/sim/fake-cli.ts:
// a hung CLI that started a child of its own (as the real `az` launcher runs Python without exec) leaves no process
// behind after the timeout, and the timeout says which command did not answer in how long.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli, runningCliGroups } from '../../src/core/credentials/cli-process';
import { CloudtopError } from '../../src/core/errors/errors';
import { sleep } from '../../src/core/transport/retry';
import { writeFakeCli } from '../sim/fake-cli';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A stand-in that starts a long child (not exec'd), writes both pids, and waits for it, as `az`'s launcher does. */
function hungCli(dir: string, name: string) {
  const pids = path.join(dir, `${name}.pids`);
  const cli = writeFakeCli(dir, name, 'test/integration/cli-process.test.ts', `sleep 300 &\necho "$$ $!" > '${pids}'\nwait\n`);
  return {
    bin: cli.bin,
    pids: () => (existsSync(pids) ? readFileSync(pids, 'utf8').trim().split(' ').map(Number) : []),
  };
}

describe('the CLI runner (core/credentials/cli-process.ts)', function () {
  this.timeout(20_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cloudtop-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('kills a hung CLI and the child it started as one group on timeout, saying which command did not answer in how long', async function () {
    if (process.platform === 'win32') this.skip();
    const az = hungCli(dir, 'az');
    const started = Date.now();
    await assert.rejects(runCli(az.bin, ['account', 'get-access-token'], { cloud: 'azure', timeoutMs: 700 }), (e: unknown) => {
      assert.ok(e instanceof CloudtopError);
      assert.equal(e.message, '`az` did not answer in 0.7 s.');
      return true;
    });
    assert.ok(Date.now() - started < 5000, 'the timeout does not wait for the pipes the child holds');
    const [launcher, child] = az.pids();
    assert.ok(launcher && child, 'the stand-in started its child');
    for (let i = 0; i < 40 && (alive(launcher) || alive(child)); i++) await sleep(100);
    assert.ok(!alive(launcher), 'the launcher is gone');
    assert.ok(!alive(child), 'the child it started is gone too: no orphan');
    assert.equal(runningCliGroups(), 0);
  });

  it('kills the group at once when its signal aborts (a deadline, the provider closing)', async function () {
    if (process.platform === 'win32') this.skip();
    const gcloud = hungCli(dir, 'gcloud');
    const stop = new AbortController();
    const run = runCli(gcloud.bin, ['auth', 'print-access-token'], { cloud: 'gcp', timeoutMs: 60_000, stop: stop.signal });
    for (let i = 0; i < 50 && gcloud.pids().length === 0; i++) await sleep(50);
    stop.abort(new CloudtopError({ category: 'network', cloud: 'gcp', message: 'closing' }));
    await assert.rejects(run, /closing/);
    const [launcher, child] = gcloud.pids();
    for (let i = 0; i < 40 && (alive(launcher) || alive(child)); i++) await sleep(100);
    assert.ok(!alive(launcher) && !alive(child), 'no process of the group is left');
  });

  it('answers what a CLI printed and its exit code; a missing CLI and a flood of output are config errors naming it', async () => {
    const ok = writeFakeCli(dir, 'tool', 'test', `echo out; echo err >&2; exit 3\n`);
    assert.deepEqual(await runCli(ok.bin, [], { cloud: 'gcp', timeoutMs: 5000 }), { stdout: 'out\n', stderr: 'err\n', exitCode: 3 });
    await assert.rejects(
      runCli(path.join(dir, 'nope'), [], { cloud: 'gcp', timeoutMs: 5000 }),
      (e: unknown) => e instanceof CloudtopError && e.category === 'config' && e.message === '`nope` is not installed or not on PATH.',
    );
    const flood = writeFakeCli(dir, 'gcloud', 'test', `yes garbage\n`);
    await assert.rejects(
      runCli(flood.bin, [], { cloud: 'gcp', timeoutMs: 5000, maxOutputBytes: 64 * 1024 }),
      (e: unknown) => e instanceof CloudtopError && e.category === 'config' && /`gcloud` printed more than 64 KiB/.test(e.message),
    );
  });
});
