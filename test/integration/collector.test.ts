// The collector end to end over real HTTP against simulated clouds: concurrency, cache, deadlines,
// degradation, retries and in-flight sharing.
import assert from 'node:assert/strict';
import type { CollectorEvent } from '../../src/core/engine/collector';
import { CloudtopError } from '../../src/core/errors/errors';
import type { CloudId } from '../../src/core/model/model';
import type { ExampleState } from '../sim/example-cloud';
import { startProviderHarness, type ProviderHarness } from '../support/providerHarness';

const FOUR: CloudId[] = ['vastai', 'runpod', 'neon', 'cloudflare'];

describe('collector against simulated clouds', () => {
  let h: ProviderHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('collects every cloud concurrently into one snapshot with resources, metrics, offers and totals', async () => {
    h = await startProviderHarness({ examples: FOUR, exampleCount: 10 });
    const snapshot = await h.collector.refresh();
    for (const cloud of FOUR) {
      const outcome = snapshot.outcomes[cloud]!;
      assert.equal(outcome.state, 'ok', `${cloud}: ${outcome.error?.message}`);
      assert.equal(outcome.resources.length, 10);
      assert.equal(outcome.fromCache, false);
      assert.equal(outcome.stale, false);
      assert.equal(outcome.credentialSource, 'environment');
      assert.ok(outcome.offers.length > 0, 'offers listed');
      const running = outcome.resources.filter((r) => r.status === 'running');
      for (const r of running) assert.ok(outcome.metrics[r.id]?.compute?.cpuPercent, `cpu metric for running ${r.id}`);
      for (const r of outcome.resources.filter((x) => x.status === 'stopped'))
        assert.equal(outcome.metrics[r.id]?.compute, undefined, 'no invented metrics for stopped resources');
    }
    // Totals: exactly the sum of the running GPU resources' prices.
    const expected = FOUR.flatMap((c) => snapshot.outcomes[c]!.resources)
      .filter((r) => r.gpu && r.status === 'running' && r.pricePerHour !== undefined)
      .reduce((sum, r) => sum + r.pricePerHour!, 0);
    assert.ok(Math.abs(snapshot.totals.gpuSpendPerHour - expected) < 1e-6);
    assert.ok(Object.isFrozen(snapshot), 'snapshots are immutable');
    // One list page + one metrics batch + one offers call per cloud.
    for (const cloud of FOUR) assert.equal(h.sim.log.count(cloud), 3, `${cloud} calls`);
  });

  it('serves a second refresh within the TTL from the cache with zero API calls; a manual refresh bypasses it', async () => {
    h = await startProviderHarness({ examples: ['vastai', 'runpod'] });
    await h.collector.refresh();
    const before = h.sim.log.count();
    const warm = await h.collector.refresh();
    assert.equal(h.sim.log.count() - before, 0);
    assert.equal(warm.outcomes.vastai!.fromCache, true);
    await h.collector.refresh({ force: true });
    assert.ok(h.sim.log.count() - before >= 4, 'force refetches');
  });

  it('reports unconfigured and disabled clouds without loading their modules', async () => {
    h = await startProviderHarness({ examples: ['vastai', 'runpod', 'neon'], unconfigured: ['runpod'], disabled: ['neon'] });
    const snapshot = await h.collector.refresh();
    assert.equal(snapshot.outcomes.vastai!.state, 'ok');
    assert.equal(snapshot.outcomes.runpod!.state, 'unconfigured');
    assert.equal(snapshot.outcomes.neon!.state, 'disabled');
    assert.deepEqual([...h.loaded], ['vastai'], 'only the configured, enabled cloud loaded its provider module');
  });

  it('classifies a rejected key as auth, never retries it, and keeps the other clouds working', async () => {
    h = await startProviderHarness({ examples: ['vastai', 'runpod'] });
    h.sim.state('vastai').keys = ['rotated-key'];
    const snapshot = await h.collector.refresh();
    const vast = snapshot.outcomes.vastai!;
    assert.equal(vast.state, 'error');
    assert.equal(vast.error?.category, 'auth');
    assert.match(vast.error.message, /401/);
    assert.ok(!vast.error.message.includes(h.env.EXAMPLE_VASTAI_KEY!), 'the key never appears in the message');
    assert.equal(h.sim.log.count('vastai', 'GET /resources'), 1, 'auth errors are not retried');
    assert.ok(h.sim.log.count('vastai') <= 2, 'at most the listing and the offers call, each once');
    assert.equal(snapshot.outcomes.runpod!.state, 'ok');
  });

  it('keeps the last good data, marked stale, when a cloud starts failing; retries 5xx with backoff', async () => {
    h = await startProviderHarness({ examples: ['vastai', 'runpod'] });
    const first = await h.collector.refresh();
    h.sim.faults.add('vastai', 'GET /resources', { status: 503, times: Infinity });
    const second = await h.collector.refresh({ force: true });
    const vast = second.outcomes.vastai!;
    assert.equal(vast.state, 'error');
    assert.equal(vast.error?.category, 'network');
    assert.equal(vast.stale, true);
    assert.deepEqual(vast.resources, first.outcomes.vastai!.resources);
    assert.deepEqual(h.sleeps, [1000, 2000, 4000], 'backoff 1 s, 2 s, 4 s through the injected sleep');
    assert.equal(h.sim.log.count('vastai', 'GET /resources'), 1 + 4, 'first call + 3 retries on the second refresh');
    assert.equal(second.outcomes.runpod!.state, 'ok');
  });

  it('waits a 429 Retry-After and then succeeds, announcing the wait', async () => {
    h = await startProviderHarness({ examples: ['runpod'] });
    h.sim.faults.add('runpod', 'GET /resources', {
      status: 429,
      headers: { 'Retry-After': '7' },
      body: { error: 'rate_limited', message: 'slow down' },
    });
    const events: CollectorEvent[] = [];
    h.collector.onEvent((e) => events.push(e));
    const snapshot = await h.collector.refresh();
    assert.equal(snapshot.outcomes.runpod!.state, 'ok');
    assert.deepEqual(h.sleeps, [7000]);
    const retrying = events.find((e) => e.type === 'retrying');
    assert.deepEqual(retrying && { ...retrying }, { type: 'retrying', cloud: 'runpod', category: 'rate-limit', delayMs: 7000, attempt: 1 });
  });

  it('a hanging cloud neither delays nor breaks the others: their outcomes arrive before its deadline', async () => {
    h = await startProviderHarness({ examples: ['vastai', 'runpod', 'neon'], collector: { deadlineMs: 1500 } });
    h.sim.faults.add('neon', 'GET /resources', { kind: 'hang', times: Infinity });
    const started = Date.now();
    const arrivals: [CloudId, number][] = [];
    h.collector.onEvent((e) => {
      if (e.type === 'outcome') arrivals.push([e.outcome.cloud, Date.now() - started]);
    });
    const snapshot = await h.collector.refresh();
    const neon = snapshot.outcomes.neon!;
    assert.equal(neon.state, 'error');
    assert.equal(neon.error?.category, 'network');
    assert.match(neon.error.message, /did not answer within 2 s|did not answer within 1 s|within/);
    const neonAt = arrivals.find(([c]) => c === 'neon')![1];
    for (const [cloud, at] of arrivals.filter(([c]) => c !== 'neon')) {
      assert.ok(at < neonAt, `${cloud} (${at} ms) arrived before the hanging cloud's deadline (${neonAt} ms)`);
      assert.equal(snapshot.outcomes[cloud]!.state, 'ok');
    }
  });

  it('dispose() stops a refresh in flight at once (no 30 s deadline left running) and then closes the providers', async () => {
    h = await startProviderHarness({ examples: ['vastai', 'runpod'] });
    await h.collector.refresh({ force: true });
    h.sim.faults.add('runpod', 'GET /resources', { kind: 'hang', times: Infinity });
    const refreshing = h.collector.refresh({ force: true });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await h.collector.dispose();
    const snapshot = await refreshing;
    assert.ok(
      Date.now() - started < 5000,
      `dispose() stopped the refresh at once, not at its 30 s deadline (took ${Date.now() - started} ms)`,
    );
    assert.equal(snapshot.outcomes.runpod!.state, 'error', 'the hung cloud was stopped');
    assert.match(snapshot.outcomes.runpod!.error?.message ?? '', /closing/);
    assert.equal(snapshot.outcomes.vastai!.state, 'ok');
  });

  it('shares one in-flight call between concurrent refreshes of the same cloud', async () => {
    h = await startProviderHarness({ examples: ['vastai'], latencyMs: 30 });
    const [a, b] = await Promise.all([h.collector.refresh({ force: true }), h.collector.refresh({ force: true })]);
    assert.equal(h.sim.log.count('vastai'), 3);
    assert.equal(a.outcomes.vastai, b.outcomes.vastai);
  });

  it('fail-fast rejects with the failing cloud and its category', async () => {
    h = await startProviderHarness({ examples: ['vastai', 'runpod'] });
    h.sim.state('runpod').keys = ['nope'];
    await assert.rejects(h.collector.refresh({ failFast: true }), (error: unknown) => {
      assert.ok(error instanceof CloudtopError);
      assert.equal(error.category, 'auth');
      assert.equal(error.cloud, 'runpod');
      return true;
    });
  });

  it('pages through large listings and batches metrics: calls grow with pages, not resources', async () => {
    h = await startProviderHarness({ examples: ['vastai'], exampleCount: 1000 });
    const snapshot = await h.collector.refresh();
    assert.equal(snapshot.outcomes.vastai!.resources.length, 1000);
    assert.equal(h.sim.log.count('vastai', 'GET /resources'), 10);
    assert.equal(h.sim.log.count('vastai', 'POST /metrics/batch'), 10);
  });

  it('survives malformed JSON and connection resets through retries', async () => {
    h = await startProviderHarness({ examples: ['vastai'] });
    h.sim.faults.add('vastai', 'GET /resources', { kind: 'malformed' });
    h.sim.faults.add('vastai', 'GET /resources', { kind: 'reset' });
    const snapshot = await h.collector.refresh();
    assert.equal(snapshot.outcomes.vastai!.state, 'ok');
    assert.equal(h.sleeps.length, 2);
  });
});

describe('collector: a part of a cloud fails, the rest shows', () => {
  let h: ProviderHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a failed offer search keeps the resources and the last good offers, with a warning', async () => {
    h = await startProviderHarness({ examples: ['vastai'] });
    const first = await h.collector.refresh();
    assert.equal(first.outcomes.vastai!.warnings, undefined, 'nothing to warn about');
    h.sim.faults.add('vastai', 'GET /offers', { status: 403, times: Infinity });
    const vast = (await h.collector.refresh({ force: true, forceOffers: true })).outcomes.vastai!;
    assert.equal(vast.state, 'ok');
    assert.equal(vast.stale, false);
    assert.equal(vast.resources.length, 10);
    assert.deepEqual(vast.offers, first.outcomes.vastai!.offers);
    assert.deepEqual(
      vast.warnings?.map((w) => [w.part, w.category]),
      [['offers', 'permission']],
    );
    assert.ok(h.log.at('warn').some((line) => /GPU prices not updated/.test(line)));
  });

  it('GPU offers are a part of their own age: a second refresh within their TTL, a manual one too, searches nothing', async () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    h = await startProviderHarness({ examples: ['vastai'], collector: { now: () => now, offersTtlMs: 15 * 60_000 } });
    const first = (await h.collector.refresh({ force: true })).outcomes.vastai!;
    assert.ok(first.offers.length > 0);
    assert.equal(h.sim.log.count('vastai', 'GET /offers'), 1);
    now += 60_000;
    const second = (await h.collector.refresh({ force: true })).outcomes.vastai!;
    assert.equal(h.sim.log.count('vastai', 'GET /offers'), 1, 'the manual refresh reused the offers');
    assert.ok(h.sim.log.count('vastai', 'GET /resources') >= 2, 'but listed the resources again');
    assert.deepEqual(second.offers, first.offers, 'each offer keeps the fetchedAt of its search');
    now += 15 * 60_000;
    await h.collector.refresh();
    assert.equal(h.sim.log.count('vastai', 'GET /offers'), 2, 'past the TTL: searched again');
  });

  it('failed metrics keep the resources and the last good metrics of those still listed, with a warning; cached alike', async () => {
    h = await startProviderHarness({ examples: ['vastai', 'runpod'] });
    const first = (await h.collector.refresh()).outcomes.vastai!;
    assert.ok(Object.keys(first.metrics).length > 0);
    const gone = first.resources[0].id;
    h.sim.state<ExampleState>('vastai').resources.shift();
    h.sim.faults.add('vastai', 'POST /metrics/batch', { status: 500, times: Infinity });
    const second = await h.collector.refresh({ force: true });
    const vast = second.outcomes.vastai!;
    assert.equal(vast.state, 'ok');
    assert.equal(vast.resources.length, 9);
    assert.equal(vast.metrics[gone], undefined, 'no metrics kept for a resource that is gone');
    assert.deepEqual(
      Object.keys(vast.metrics).sort(),
      Object.keys(first.metrics)
        .filter((id) => id !== gone)
        .sort(),
    );
    assert.deepEqual(
      vast.warnings?.map((w) => [w.part, w.category]),
      [['metrics', 'network']],
    );
    assert.match(vast.warnings[0].message, /server error \(500\)/);
    assert.deepEqual(h.sleeps, [1000, 2000, 4000], 'metrics are retried like any call before the warning');
    assert.equal(second.outcomes.runpod!.warnings, undefined, 'the other cloud has nothing to warn about');
    // Within the TTL the cached outcome says the same.
    const cached = (await h.collector.refresh()).outcomes.vastai!;
    assert.equal(cached.fromCache, true);
    assert.deepEqual(cached.warnings, vast.warnings);
  });

  it('drops carried-over metrics once they are older than the metrics window, instead of showing a stale load', async () => {
    let now = Date.parse('2026-11-26T10:00:00Z');
    h = await startProviderHarness({ examples: ['vastai'], collector: { now: () => now } });
    const first = (await h.collector.refresh()).outcomes.vastai!;
    assert.ok(Object.keys(first.metrics).length > 0);
    h.sim.faults.add('vastai', 'POST /metrics/batch', { status: 403, times: Infinity });
    assert.equal(first.metricsFetchedAt, undefined, 'fresh metrics: no separate age');
    now += 4 * 60_000;
    const kept = (await h.collector.refresh({ force: true })).outcomes.vastai!;
    assert.deepEqual(kept.metrics, first.metrics, 'within 5 min: kept');
    assert.equal(kept.metricsFetchedAt, first.fetchedAt, 'and they say how old they are');
    now += 2 * 60_000; // 6 min after they were fetched, although the refresh before carried them
    const late = (await h.collector.refresh({ force: true })).outcomes.vastai!;
    assert.equal(late.state, 'ok');
    assert.deepEqual(late.metrics, {}, 'older than the window: dropped');
    assert.equal(late.metricsFetchedAt, undefined);
    assert.deepEqual(
      late.warnings?.map((w) => [w.part, w.category]),
      [['metrics', 'permission']],
    );
  });

  it('a rejected key on the metrics call fails the cloud, not just its metrics', async () => {
    h = await startProviderHarness({ examples: ['vastai'] });
    h.sim.faults.add('vastai', 'POST /metrics/batch', { status: 401, times: Infinity });
    const vast = (await h.collector.refresh()).outcomes.vastai!;
    assert.equal(vast.state, 'error');
    assert.equal(vast.error?.category, 'auth');
  });
});
