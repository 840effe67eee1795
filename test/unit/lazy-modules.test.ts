// ioredis and bottleneck are a large part of every start (about 100 ms of the CLI's); only a Redis user needs
// them. Checked in a fresh process, since this one may have loaded them for other tests.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../support/processes';

const run = promisify(execFile);
const FIXTURE = path.join(__dirname, 'fixtures', 'redis-modules.ts');

async function redisModulesLoaded(...args: string[]): Promise<number> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', FIXTURE, ...args], { timeout: 20_000 });
  return Number(stdout.trim());
}

describe('Redis modules load only for the Redis backend', () => {
  it('a memory-cache engine never loads ioredis or bottleneck; a Redis one does on first use', async function () {
    this.timeout(40_000);
    assert.equal(await redisModulesLoaded('memory'), 0);
    // Nothing listens on the port: the cache falls back to memory, but it had to load ioredis to find out.
    assert.ok((await redisModulesLoaded('redis', String(await freePort()))) > 0);
  });
});
