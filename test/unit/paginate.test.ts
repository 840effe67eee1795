import assert from 'node:assert/strict';
import { CloudtopError } from '../../src/core/errors/errors';
import { chunk, collectPages } from '../../src/core/transport/paginate';

describe('pagination', () => {
  it('follows tokens until the API says there is no next page', async () => {
    const pages: Record<string, { items: number[]; next: string | null }> = {
      start: { items: [1, 2], next: 'b' },
      b: { items: [3], next: 'c' },
      c: { items: [4], next: null },
    };
    const seen: unknown[] = [];
    const all = await collectPages((token) => (seen.push(token), Promise.resolve(pages[(token as string) ?? 'start'])), {
      cloud: 'vastai',
      what: 'instances',
    });
    assert.deepEqual(all, [1, 2, 3, 4]);
    assert.deepEqual(seen, [undefined, 'b', 'c']);
  });

  it('stops on an empty page that still carries a token', async () => {
    let calls = 0;
    const all = await collectPages(() => (calls++, Promise.resolve({ items: calls === 1 ? [1] : [], next: `t${calls}` })), {
      cloud: 'cloudflare',
      what: 'KV namespaces',
    });
    assert.deepEqual(all, [1]);
    assert.equal(calls, 2);
  });

  it('refuses a repeated token and runaway page counts instead of looping forever', async () => {
    await assert.rejects(
      collectPages(() => Promise.resolve({ items: [1], next: 'same' }), { cloud: 'neon', what: 'projects' }),
      CloudtopError,
    );
    let n = 0;
    await assert.rejects(
      collectPages(() => Promise.resolve({ items: [1], next: `t${n++}` }), { cloud: 'neon', what: 'projects', maxPages: 5 }),
      /more than 5 pages/,
    );
  });

  it('chunks ids for batch calls', () => {
    assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    assert.deepEqual(chunk([], 3), []);
  });
});
