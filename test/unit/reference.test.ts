import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileCache } from '../../src/core/cache/file';
import { MemoryCache } from '../../src/core/cache/memory';
import type { Cache } from '../../src/core/cache/cache';
import { ReferenceStore, type ReferenceSpec } from '../../src/core/engine/reference';
import { CloudtopError } from '../../src/core/errors/errors';
import { silentLogger } from '../../src/core/model/log';

const HOUR = 3_600_000;

function harness(cache: Cache = new MemoryCache({}), loadTimeoutMs = 5_000) {
  let now = Date.parse('2026-12-07T12:00:00Z');
  const store = new ReferenceStore({ cache, now: () => now, log: silentLogger, loadTimeoutMs: () => loadTimeoutMs });
  return {
    store,
    advance: (ms: number) => (now += ms),
    owner: { account: '', endpoint: 'https://example.test', who: '["tenancy-a"]' },
  };
}

function counted<T>(answers: (() => Promise<T>)[]): ReferenceSpec<T> & { calls: () => number } {
  let calls = 0;
  return {
    label: "Oracle's price list",
    ttlMs: 24 * HOUR,
    withoutIt: 'GPU instances show no price',
    load: () => answers[Math.min(calls++, answers.length - 1)](),
    calls: () => calls,
  };
}

const signal = () => new AbortController().signal;
const fail =
  (message: string, category: 'network' | 'auth' = 'network') =>
  () =>
    Promise.reject(new CloudtopError({ category, message }));

describe('reference data (engine part)', () => {
  it('loads once for concurrent asks and reuses the value within its TTL', async () => {
    const h = harness();
    const spec = counted([() => new Promise<number>((resolve) => setTimeout(() => resolve(42), 10))]);
    const ref = h.store.declare('oci', h.owner, 'prices', spec);
    const answers = await Promise.all([ref.get(signal()), ref.get(signal()), ref.get(signal())]);
    assert.deepEqual(answers, [42, 42, 42]);
    assert.equal(spec.calls(), 1);
    h.advance(23 * HOUR);
    assert.equal(await ref.get(signal()), 42);
    assert.equal(spec.calls(), 1);
    h.advance(2 * HOUR);
    await ref.get(signal());
    assert.equal(spec.calls(), 2, 'read again once its TTL has passed');
  });

  it('keys per key and per credential; a shared (public) catalogue is one copy for every credential', async () => {
    const h = harness();
    const spec = counted([() => Promise.resolve('x')]);
    const mine = h.store.declare('azure', h.owner, 'sizes', spec);
    const theirs = h.store.declare('azure', { ...h.owner, who: '["tenant-b"]' }, 'sizes', spec);
    await mine.get(signal(), 'sub-1|eastus');
    await mine.get(signal(), 'sub-1|westus');
    await theirs.get(signal(), 'sub-1|eastus');
    assert.equal(spec.calls(), 3);
    const prices = counted([() => Promise.resolve('p')]);
    await h.store.declare('azure', h.owner, 'prices', { ...prices, shared: true }).get(signal());
    await h.store.declare('azure', { ...h.owner, who: '["tenant-b"]' }, 'prices', { ...prices, shared: true }).get(signal());
    assert.equal(prices.calls(), 1);
  });

  it('a renewing refresh reads it again, once, however young it is', async () => {
    const h = harness();
    const spec = counted([() => Promise.resolve(1), () => Promise.resolve(2)]);
    const ref = h.store.declare('gcp', h.owner, 'catalog', spec);
    assert.equal(await ref.get(signal()), 1);
    h.advance(1000);
    h.store.renew('gcp');
    assert.deepEqual(await Promise.all([ref.get(signal()), ref.get(signal())]), [2, 2]);
    assert.equal(await ref.get(signal()), 2);
    assert.equal(spec.calls(), 2);
  });

  it('a failed load keeps the last good value and warns with its age; a later success clears the warning', async () => {
    const h = harness();
    const spec = counted([() => Promise.resolve('v1'), fail('Oracle answered 500'), () => Promise.resolve('v2')]);
    const ref = h.store.declare('oci', h.owner, 'prices', spec);
    await ref.get(signal());
    h.advance(25 * HOUR);
    assert.equal(await ref.get(signal()), 'v1');
    const [warning] = h.store.warnings('oci');
    assert.equal(warning.part, 'reference');
    assert.equal(warning.category, 'network');
    assert.match(warning.message, /Oracle's price list could not be read: Oracle answered 500\. Using the copy read 25 h ago\./);
    assert.deepEqual(h.store.warnings('azure'), []);
    assert.equal(await ref.get(signal()), 'v2');
    assert.deepEqual(h.store.warnings('oci'), []);
  });

  it('with no copy at all, get rejects and tryGet answers the error; both warn, saying what is missing', async () => {
    const h = harness();
    const ref = h.store.declare('oci', h.owner, 'prices', counted([fail('Oracle answered 500')]));
    await assert.rejects(ref.get(signal()), /Oracle answered 500/);
    const answer = await ref.tryGet(signal());
    assert.equal(answer.value, undefined);
    assert.match(answer.error.message, /Oracle answered 500/);
    assert.match(h.store.warnings('oci')[0].message, /No earlier copy: GPU instances show no price\./);
  });

  it('a rejected key fails the caller (tryGet too) and raises no reference warning', async () => {
    const h = harness();
    const ref = h.store.declare('azure', h.owner, 'subscriptions', counted([fail('bad secret', 'auth')]));
    await assert.rejects(ref.tryGet(signal()), /bad secret/);
    assert.deepEqual(h.store.warnings('azure'), []);
  });

  it('a load that hangs fails after its own timeout, not the caller’s deadline, and the last good value is used', async () => {
    const h = harness(new MemoryCache({}), 30);
    const spec = counted<string>([() => Promise.resolve('old'), () => new Promise(() => undefined)]);
    const ref = h.store.declare('oci', h.owner, 'prices', spec);
    await ref.get(signal());
    h.advance(25 * HOUR);
    assert.equal(await ref.get(signal()), 'old');
    assert.match(h.store.warnings('oci')[0].message, /no answer within 0 s/);
  });

  it('one caller giving up leaves the shared load running for the others', async () => {
    const h = harness();
    let release!: (v: string) => void;
    const spec = counted<string>([() => new Promise((resolve) => (release = resolve))]);
    const ref = h.store.declare('gcp', h.owner, 'projects', spec);
    const impatient = new AbortController();
    const first = ref.get(impatient.signal);
    const second = ref.get(signal());
    impatient.abort(new Error('deadline'));
    await assert.rejects(first, /deadline/);
    release('ok');
    assert.equal(await second, 'ok');
    assert.equal(spec.calls(), 1);
    assert.deepEqual(h.store.warnings('gcp'), [], "a caller's own abort is no failure of the data");
  });

  it('lives in the engine cache: a second store over the same file cache (a second cloudtop run) loads nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cloudtop-ref-'));
    try {
      const spec = counted([() => Promise.resolve({ B93311: 4.5 })]);
      const first = harness(new FileCache({ dir, log: silentLogger }));
      assert.deepEqual(await first.store.declare('oci', first.owner, 'prices', spec).get(signal()), { B93311: 4.5 });
      const second = harness(new FileCache({ dir, log: silentLogger }));
      assert.deepEqual(await second.store.declare('oci', second.owner, 'prices', spec).get(signal()), { B93311: 4.5 });
      assert.equal(spec.calls(), 1);
      const keys = second.store.forget('oci');
      assert.equal(keys.length, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
