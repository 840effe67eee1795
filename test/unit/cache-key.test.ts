import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheKey, createCache } from '../../src/core/cache/cache';
import { FileCache } from '../../src/core/cache/file';
import { CloudtopError } from '../../src/core/errors/errors';
import { freePort } from '../support/processes';

describe('cache key', () => {
  const scope = { account: 'acct-1', endpoint: 'https://console.vast.ai/api/v0' };

  it('is cloud:service:filter:hash with a short hex hash', () => {
    assert.match(cacheKey('vastai', 'GPU', 'all', scope), /^vastai:GPU:all:[0-9a-f]{16}$/);
  });

  it('is stable, and its hash changes with the account and with the endpoint', () => {
    const key = cacheKey('vastai', 'GPU', 'all', scope);
    assert.equal(cacheKey('vastai', 'GPU', 'all', { ...scope }), key);
    const hashOf = (k: string) => k.split(':').pop();
    assert.notEqual(hashOf(cacheKey('vastai', 'GPU', 'all', { ...scope, account: 'acct-2' })), hashOf(key));
    assert.notEqual(hashOf(cacheKey('vastai', 'GPU', 'all', { ...scope, endpoint: 'http://127.0.0.1:9000' })), hashOf(key));
    // Account and endpoint are hashed as a pair, so moving text from one to the other is a different scope.
    assert.notEqual(
      cacheKey('neon', 'Postgres', 'all', { account: 'a:b', endpoint: 'c' }),
      cacheKey('neon', 'Postgres', 'all', { account: 'a', endpoint: 'b:c' }),
    );
  });

  it('shows neither account nor endpoint, and keeps a colon in service or filter from adding a field', () => {
    const key = cacheKey('oci', 'Autonomous DB', 'region:eu', { account: 'ocid1.tenancy.secretish', endpoint: 'https://x' });
    assert.ok(!key.includes('ocid1') && !key.includes('https'), key);
    assert.equal(key.split(':').length, 4, key);
    assert.ok(key.startsWith('oci:Autonomous%20DB:region%3Aeu:'), key);
  });
});

describe('createCache', () => {
  it('builds each backend by name', async () => {
    const memory = createCache({ backend: 'memory', maxEntries: 2 });
    assert.equal(memory.kind, 'memory');
    await memory.set('a', 1, 1000);
    await memory.set('b', 2, 1000);
    await memory.set('c', 3, 1000);
    assert.equal(await memory.get('a'), undefined, 'maxEntries reached the memory backend');

    const dir = await mkdtemp(join(tmpdir(), 'cloudtop-create-'));
    try {
      const file = createCache({ backend: 'file', dir });
      assert.equal(file.kind, 'file');
      assert.equal((file as FileCache).dir, dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    const redis = createCache({ backend: 'redis', redisUrl: `redis://127.0.0.1:${await freePort()}` });
    try {
      assert.equal(redis.kind, 'redis');
    } finally {
      await redis.close();
    }
  });

  it('refuses a Redis backend without a URL, and an unknown backend, as configuration errors', () => {
    const isConfig = (error: unknown) => error instanceof CloudtopError && error.category === 'config';
    assert.throws(() => createCache({ backend: 'redis' }), isConfig);
    assert.throws(() => createCache({ backend: 'disk' as 'file' }), isConfig);
  });
});
