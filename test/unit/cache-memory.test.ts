import assert from 'node:assert/strict';
import { MAX_TTL_MS } from '../../src/core/cache/cache';
import { DEFAULT_MAX_ENTRIES, MemoryCache } from '../../src/core/cache/memory';

describe('memory cache', () => {
  let now = 1_000_000;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('returns what was set, and undefined for what was not', async () => {
    const cache = new MemoryCache({ now: clock });
    assert.equal(cache.kind, 'memory');
    await cache.set('a', { resources: [1, 2] }, 1000);
    assert.deepEqual(await cache.get('a'), { resources: [1, 2] });
    assert.equal(await cache.get('b'), undefined);
  });

  it('expires an entry exactly when its TTL has passed on the injected clock', async () => {
    const cache = new MemoryCache({ now: clock });
    await cache.set('a', 'value', 1000);
    now += 999;
    assert.equal(await cache.get('a'), 'value');
    now += 1;
    assert.equal(await cache.get('a'), undefined);
    assert.equal(cache.size, 0, 'an expired entry is dropped when read');
  });

  it('stores nothing for a TTL that is not positive, and caps an infinite one', async () => {
    const cache = new MemoryCache({ now: clock });
    await cache.set('a', 'old', 1000);
    await cache.set('a', 'new', 0);
    assert.equal(await cache.get('a'), undefined, 'a zero TTL removes the previous value too');
    await cache.set('b', 'x', -5);
    await cache.set('c', 'x', Number.NaN);
    assert.equal(cache.size, 0);
    await cache.set('d', 'forever', Number.POSITIVE_INFINITY);
    now += MAX_TTL_MS - 1;
    assert.equal(await cache.get('d'), 'forever');
    now += 1;
    assert.equal(await cache.get('d'), undefined);
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const cache = new MemoryCache({ maxEntries: 3, now: clock });
    await cache.set('a', 1, 10_000);
    await cache.set('b', 2, 10_000);
    await cache.set('c', 3, 10_000);
    assert.equal(await cache.get('a'), 1); // a is now more recent than b
    await cache.set('d', 4, 10_000);
    assert.equal(cache.size, 3);
    assert.equal(await cache.get('b'), undefined, 'b was the least recently used');
    assert.deepEqual([await cache.get('a'), await cache.get('c'), await cache.get('d')], [1, 3, 4]);
  });

  it(`holds ${DEFAULT_MAX_ENTRIES} entries by default`, async () => {
    const cache = new MemoryCache({ now: clock });
    for (let i = 0; i < DEFAULT_MAX_ENTRIES + 100; i++) await cache.set(`k${i}`, i, 10_000);
    assert.equal(cache.size, DEFAULT_MAX_ENTRIES);
    assert.equal(await cache.get('k99'), undefined);
    assert.equal(await cache.get('k100'), 100);
  });

  it('deletes one entry, clears all, and refuses a nonsensical size', async () => {
    const cache = new MemoryCache({ now: clock });
    await cache.set('a', 1, 1000);
    await cache.set('b', 2, 1000);
    await cache.delete('a');
    assert.equal(await cache.get('a'), undefined);
    assert.equal(await cache.get('b'), 2);
    await cache.clear();
    assert.equal(await cache.get('b'), undefined);
    assert.throws(() => new MemoryCache({ maxEntries: 0 }), RangeError);
  });
});
