// test/sim/main.ts as the demo and the VS Code tests use it: a child process that prints one JSON line,
// serves the registered clouds, and exits cleanly on SIGTERM.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { SIM_CLOUD_MODULES } from '../clouds';
import { HOSTILE_NAMES } from '../hostile';
import { call } from '../../support/sim-client';

interface Banner {
  url: string;
  endpoints: Record<string, string>;
  keys: Record<string, string>;
}

function startMain(args: string[]): { child: ChildProcess; banner: Promise<Banner> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/sim/main.ts', ...args], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const banner = new Promise<Banner>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line) as Banner));
    child.once('close', (code) => reject(new Error(`sim exited early (${code}): ${stderr}`)));
  });
  return { child, banner };
}

describe('sim: main.ts subprocess', function () {
  this.timeout(20_000);
  const children: ChildProcess[] = [];
  afterEach(() => {
    // Only our own children, by pid; a test that passed has already seen them exit.
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  it('prints url, endpoints and keys, serves every registered cloud, and exits 0 on SIGTERM', async () => {
    const { child, banner } = startMain(['--port', '0', '--count', '3', '--latency', '5']);
    children.push(child);
    const info = await banner;
    assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(Object.keys(info.endpoints).sort(), SIM_CLOUD_MODULES.map((m) => m.id).sort());
    for (const id of Object.keys(info.endpoints)) {
      // Under the shared port, or at the root of its own: a cloud served over HTTPS (as Azure's SDK insists), or one
      // whose override is an origin its real paths hang under (Google Cloud).
      assert.ok(
        info.endpoints[id] === `${info.url}/${id}` || /^https?:\/\/127\.0\.0\.1:\d+$/.test(info.endpoints[id]),
        `${id}: ${info.endpoints[id]}`,
      );
      // Every cloud answers under its mount in its own shape (an unknown path gets the cloud's own 404).
      const res = await call(`${info.endpoints[id]}/no-such-route`, { key: info.keys[id] });
      assert.ok(res.status === 404 || res.status === 401, `${id}: ${res.status} ${res.text}`);
    }
    const example = await call<{ items: unknown[] }>(`${info.endpoints.example}/resources`, { key: info.keys.example });
    assert.equal(example.status, 200, example.text);
    assert.equal(example.body.items.length, 3, '--count reaches the clouds');
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0);
    await assert.rejects(fetch(info.url));
  });

  it('passes --hostile through to the clouds', async () => {
    const { child, banner } = startMain(['--hostile', '--count', String(HOSTILE_NAMES.length)]);
    children.push(child);
    const info = await banner;
    const res = await call<{ items: { name: string }[] }>(`${info.endpoints.example}/resources`, { key: info.keys.example });
    assert.deepEqual(
      res.body.items.map((r) => r.name),
      [...HOSTILE_NAMES],
    );
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    assert.deepEqual(await exited, [0, null]);
  });

  it('fails fast with a message on a bad option', async () => {
    const { child, banner } = startMain(['--port', 'abc']);
    children.push(child);
    await assert.rejects(banner, /--port needs a non-negative integer/);
  });
});
