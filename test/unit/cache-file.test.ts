import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultCliCacheDir, FILE_FORMAT, FILE_FORMAT_VERSION, FileCache, makeCacheDir } from '../../src/core/cache/file';
import { captureLog } from '../support/capture-log';

const repoRoot = resolve(__dirname, '../..');
const writerScript = join(__dirname, 'fixtures', 'file-cache-writer.ts');

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('file cache', () => {
  let dir: string;
  let now: number;
  const clock = () => now;

  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'cloudtop-file-cache-')), 'nested', 'cache');
    now = 1_700_000_000_000;
  });
  afterEach(async () => {
    await rm(resolve(dir, '../..'), { recursive: true, force: true });
  });

  it('round-trips values through disk, readable by another instance', async () => {
    const writer = new FileCache({ dir, now: clock });
    assert.equal(writer.kind, 'file');
    const value = { resources: [{ id: 'i-1', name: 'ünïcode ✓ 名前' }], n: 1.5, nothing: null };
    await writer.set('vastai:GPU:all:abc', value, 60_000);
    const reader = new FileCache({ dir, now: clock });
    assert.deepEqual(await reader.get('vastai:GPU:all:abc'), value);
    assert.equal(await reader.get('vastai:GPU:all:other'), undefined);
  });

  it('writes files 0600 in a directory it makes 0700, named by a hash of the key', async () => {
    const cache = new FileCache({ dir, now: clock });
    await cache.set('../../etc/passwd:with/slashes', 'v', 60_000);
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    const names = await readdir(dir);
    assert.equal(names.length, 1);
    assert.match(names[0], /^[0-9a-f]{32}\.json$/);
    assert.equal((await stat(join(dir, names[0]))).mode & 0o777, 0o600);
  });

  it('leaves the mode of a directory it did not make alone, a symlinked one included (issue 25, failure 8)', async () => {
    await mkdir(dir, { recursive: true });
    await chmod(dir, 0o755);
    await new FileCache({ dir, now: clock }).set('k', 1, 1000);
    assert.equal((await stat(dir)).mode & 0o777, 0o755);
    const link = join(resolve(dir, '../..'), 'linked-cache');
    await symlink(dir, link);
    const linked = new FileCache({ dir: link, now: clock });
    await linked.set('k2', 2, 1000);
    assert.equal(await linked.get('k2'), 2);
    assert.equal((await stat(dir)).mode & 0o777, 0o755, "the symlink's target keeps its mode");
    assert.ok((await lstat(link)).isSymbolicLink());
  });

  it('makes each missing directory itself, 0700, and only those', async () => {
    const base = resolve(dir, '../..');
    await chmod(base, 0o755);
    const created = await makeCacheDir(dir);
    assert.deepEqual(created, [resolve(dir, '..'), dir]);
    for (const made of created) assert.equal((await stat(made)).mode & 0o777, 0o700);
    assert.equal((await stat(base)).mode & 0o777, 0o755);
    assert.deepEqual(await makeCacheDir(dir), [], 'nothing to make the second time');
  });

  it('falls back to memory with one warning when XDG_CACHE_HOME is on procfs, without spinning (issue 25, failure 4)', async function () {
    if (process.platform !== 'linux') this.skip();
    const log = captureLog();
    const cache = new FileCache({ dir: defaultCliCacheDir({ XDG_CACHE_HOME: '/proc/self' }), now: clock, log });
    await cache.set('k', { v: 1 }, 60_000);
    assert.deepEqual(await cache.get('k'), { v: 1 }, 'served from memory for the rest of the session');
    await cache.set('k2', 2, 60_000);
    await cache.delete('k');
    assert.equal(await cache.get('k'), undefined);
    await cache.clear();
    await cache.close();
    assert.equal(log.at('warn').length, 1, log.text());
    assert.match(log.at('warn')[0], /File cache in \/proc\/self\/cloudtop cannot be used \(.*\); using an in-memory cache/);
  });

  it('prunes abandoned temporary files and expired entries on start, and nothing else (issue 25, failure 8)', async () => {
    const writer = new FileCache({ dir, now: clock, prune: false });
    await writer.set('expired', 1, 1_000);
    await writer.set('fresh', 2, 600_000);
    await writer.set('key "with" quotes,"expiresAt":1,"value":', 3, 600_000);
    const old = new Date(Date.now() - 120_000);
    const orphan = `.${'a'.repeat(32)}.json.4242.0123456789ab.tmp`;
    const young = `.${'b'.repeat(32)}.json.4242.0123456789ab.tmp`;
    for (const name of [orphan, young, 'README.txt', '.not-ours.tmp']) await writeFile(join(dir, name), 'x');
    for (const name of [orphan, '.not-ours.tmp']) await utimes(join(dir, name), old, old);
    now += 5_000; // 'expired' is past its TTL now
    const before = (await readdir(dir)).length;
    assert.equal(before, 7);
    const cache = new FileCache({ dir, now: clock });
    await cache.pruned();
    const left = await readdir(dir);
    assert.equal(left.length, 5, left.join(', '));
    assert.ok(!left.includes(orphan) && left.includes(young) && left.includes('README.txt') && left.includes('.not-ours.tmp'));
    assert.equal(await cache.get('fresh'), 2);
    assert.equal(await cache.get('key "with" quotes,"expiresAt":1,"value":'), 3);
    await cache.close();
  });

  it('expires entries by the injected clock and removes the expired file', async () => {
    const cache = new FileCache({ dir, now: clock });
    await cache.set('k', 'v', 1000);
    now += 999;
    assert.equal(await cache.get('k'), 'v');
    now += 1;
    assert.equal(await cache.get('k'), undefined);
    assert.deepEqual(await readdir(dir), []);
  });

  it('treats a corrupt or truncated file as a miss, and a later set repairs it', async () => {
    const log = captureLog();
    const cache = new FileCache({ dir, now: clock, log });
    await cache.set('k', { a: 1 }, 60_000);
    const path = cache.pathOf('k');
    const good = await readFile(path, 'utf8');
    for (const broken of ['garbage{', good.slice(0, good.length - 3), '', 'null', '[]', '"text"']) {
      await writeFile(path, broken);
      assert.equal(await cache.get('k'), undefined, `content ${JSON.stringify(broken)}`);
    }
    await cache.set('k', { a: 2 }, 60_000);
    assert.deepEqual(await cache.get('k'), { a: 2 });
    assert.deepEqual(log.at('warn'), [], 'a corrupt entry is an ordinary miss');
  });

  it('ignores (and keeps) a file of another format version, and one holding another key', async () => {
    const cache = new FileCache({ dir, now: clock });
    await cache.set('k', 'mine', 60_000);
    const path = cache.pathOf('k');
    const envelope = { format: FILE_FORMAT, version: FILE_FORMAT_VERSION, key: 'k', expiresAt: now + 60_000, value: 'v' };
    for (const foreign of [
      { ...envelope, version: FILE_FORMAT_VERSION + 1 },
      { ...envelope, format: 'other-tool' },
      { ...envelope, key: 'k2' },
    ]) {
      await writeFile(path, JSON.stringify(foreign));
      assert.equal(await cache.get('k'), undefined, JSON.stringify(foreign));
      assert.equal(await readFile(path, 'utf8'), JSON.stringify(foreign), 'a newer Cloudtop may still want it');
    }
    await writeFile(path, JSON.stringify(envelope));
    assert.equal(await cache.get('k'), 'v', 'the same envelope with our version is read');
  });

  it('deletes one key, and clear removes only its own files', async () => {
    const cache = new FileCache({ dir, now: clock });
    await cache.set('a', 1, 60_000);
    await cache.set('b', 2, 60_000);
    await cache.delete('a');
    await cache.delete('never-set');
    assert.equal(await cache.get('a'), undefined);
    assert.equal(await cache.get('b'), 2);
    await writeFile(join(dir, 'README.txt'), 'not ours');
    await cache.clear();
    assert.equal(await cache.get('b'), undefined);
    assert.deepEqual(await readdir(dir), ['README.txt']);
  });

  it('never throws when the directory cannot be used, warns once and carries on in memory', async () => {
    const base = resolve(dir, '../..');
    await writeFile(join(base, 'a-file'), 'x');
    const log = captureLog();
    const cache = new FileCache({ dir: join(base, 'a-file', 'cache'), now: clock, log }); // ENOTDIR
    await cache.set('k', 1, 1000);
    await cache.set('k', 2, 1000);
    assert.equal(await cache.get('k'), 2);
    await cache.delete('k');
    await cache.clear();
    assert.equal(log.at('warn').length, 1, log.text());
    assert.match(log.at('warn')[0], /cannot be used \(.*ENOTDIR/);
  });

  it('two writers in this process and one in another never leave a torn or corrupt file', async function () {
    this.timeout(30_000);
    const key = 'vastai:GPU:all:abc';
    const [a, b, reader] = [new FileCache({ dir }), new FileCache({ dir }), new FileCache({ dir })];
    const child = spawn(process.execPath, ['--import', 'tsx', writerScript, dir, key, 'child'], {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdin.on('error', () => undefined); // EPIPE if it died early: the exit code tells why
    const childExit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      // Start here once the child writes; it keeps writing until told to stop, so all three writers overlap.
      await until(async () => (await reader.get(key)) !== undefined || child.exitCode !== null, 15_000);
      const problems: string[] = [];
      let reads = 0;
      let writing = true;
      const readLoop = (async () => {
        while (writing) {
          reads++;
          try {
            const envelope = JSON.parse(await readFile(reader.pathOf(key), 'utf8')) as { value: { payload: string } };
            if (envelope.value.payload.length !== 64 * 1024) problems.push(`payload of ${envelope.value.payload.length}`);
          } catch (error) {
            problems.push(String(error)); // torn JSON, or the file missing for an instant
          }
          const value = await reader.get<{ payload: string }>(key);
          if (value?.payload.length !== 64 * 1024) problems.push(`get returned ${JSON.stringify(value)?.slice(0, 80)}`);
        }
      })();
      const payload = 'y'.repeat(64 * 1024);
      for (let round = 0; round < 5 || reads < 50; round++) {
        await Promise.all(
          Array.from({ length: 50 }, (_, i) => [
            a.set(key, { writer: 'a', i, payload }, 60_000),
            b.set(key, { writer: 'b', i, payload }, 60_000),
          ]).flat(),
        );
      }
      writing = false;
      await readLoop;
      child.stdin.end('stop\n');
      assert.equal(await childExit, 0, output);
      assert.ok(Number(output) > 0, `the child made no writes: ${output}`);
      assert.deepEqual(problems.slice(0, 5), [], `${problems.length} bad reads out of ${reads}`);
      const final = await reader.get<{ writer: string }>(key);
      assert.ok(final && ['a', 'b', 'child'].includes(final.writer));
      assert.equal((await readdir(dir)).length, 1, 'no temporary file is left behind');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await childExit;
    }
  });
});

describe('defaultCliCacheDir', () => {
  it('uses $XDG_CACHE_HOME/cloudtop when it is absolute, else ~/.cache/cloudtop', () => {
    assert.equal(defaultCliCacheDir({ XDG_CACHE_HOME: '/var/cache/me' }, '/home/me'), '/var/cache/me/cloudtop');
    assert.equal(defaultCliCacheDir({ XDG_CACHE_HOME: 'relative/path' }, '/home/me'), '/home/me/.cache/cloudtop');
    assert.equal(defaultCliCacheDir({}, '/home/me'), '/home/me/.cache/cloudtop');
  });
});
