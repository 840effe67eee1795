// A cloud of several scopes (accounts, organizations, subscriptions …): each scope is fetched on its own, with its
// own deadline, cache entries and last good data, so one failing scope leaves the others current. The example cloud
// here has three accounts, each listed and measured under its own path.
import assert from 'node:assert/strict';
import { failedScopes, scopeSummary } from '../../src/core/model/describe';
import { createStyle } from '../../src/cli/format/terminal';
import { renderFooter } from '../../src/cli/format/footer';
import { toJsonDocument } from '../../src/cli/format/json';
import { overviewTable } from '../../webview/model/overview';
import type { ExampleState } from '../sim/example-cloud';
import { startProviderHarness, type ProviderHarness } from '../support/providerHarness';

const plain = createStyle(false);

describe('collector: a cloud of several scopes', () => {
  let h: ProviderHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const accounts = () => h!.sim.state<ExampleState>('neon').accounts;
  const ownedBy = (id: string) => h!.sim.state<ExampleState>('neon').resources.filter((r) => r.account_id === id);

  it('a cloud that meters per scope (rateLimitPerScope: Azure, Google) gives each scope a budget of its own', async () => {
    // A budget of 2 requests a second, burst 1: shared by three scopes, their lists start half a second apart.
    const firstLists = async (perScope: boolean) => {
      h = await startProviderHarness({
        examples: ['neon'],
        exampleAccounts: { neon: 3 },
        exampleCount: 6,
        rateLimit: { perSecond: 2, burst: 1 },
        exampleEntry: (entry) => ({ ...entry, rateLimitPerScope: perScope }),
      });
      const neon = (await h.collector.refresh()).outcomes.neon!;
      assert.equal(neon.state, 'ok', neon.error?.message);
      const at = h.sim.log
        .entries()
        .filter((e) => /^\/accounts\/[^/]+\/resources$/.test(e.path))
        .map((e) => e.at);
      assert.equal(at.length, 3, 'one list per scope');
      await h.close();
      h = undefined;
      return Math.max(...at) - Math.min(...at);
    };
    const shared = await firstLists(false);
    assert.ok(shared >= 900, `one budget for the credential: the three lists are spaced by it (${shared} ms)`);
    const apart = await firstLists(true);
    assert.ok(apart < 400, `a budget per scope: the three lists start together (${apart} ms apart)`);
  });

  it('fetches every scope, stamps each resource with its scope, and one failing scope leaves the others current', async () => {
    h = await startProviderHarness({ examples: ['neon', 'vastai'], exampleAccounts: { neon: 3 }, exampleCount: 12 });
    const [a, b, c] = accounts();
    h.sim.faults.add('neon', `GET /accounts/${b.id}/resources`, { status: 403, times: Infinity });
    const snapshot = await h.collector.refresh();
    const neon = snapshot.outcomes.neon!;
    assert.equal(neon.state, 'ok', 'the cloud stays ok while some scopes answer');
    assert.deepEqual(
      neon.scopes?.map((s) => [s.id, s.state]),
      [
        [a.id, 'ok'],
        [b.id, 'error'],
        [c.id, 'ok'],
      ],
    );
    assert.equal(neon.scopes[1].error?.category, 'permission');
    assert.equal(neon.scopesAvailable, 3);
    assert.deepEqual(neon.resources.map((r) => r.id).sort(), [...ownedBy(a.id), ...ownedBy(c.id)].map((r) => r.id).sort());
    assert.ok(
      neon.resources.every((r) => r.scope === a.id || r.scope === c.id),
      'each resource carries its scope',
    );
    for (const scope of [a, c]) assert.equal(neon.scopes.find((s) => s.id === scope.id)!.resourceCount, ownedBy(scope.id).length);
    assert.ok(Object.keys(neon.metrics).length > 0, 'the scopes that answered have metrics');
    assert.equal(h.sim.log.count('neon', `POST /accounts/${b.id}/metrics/batch`), 0, 'no metrics call for a scope that failed');
    assert.equal(snapshot.outcomes.vastai!.state, 'ok', 'the other cloud is untouched');
    assert.equal(snapshot.outcomes.vastai!.scopes, undefined, 'a cloud of one scope lists none');
  });

  it('keeps a failing scope’s last good data, marked stale, while the others are renewed', async () => {
    h = await startProviderHarness({ examples: ['neon'], exampleAccounts: { neon: 3 }, exampleCount: 9 });
    const [, b] = accounts();
    const first = (await h.collector.refresh()).outcomes.neon!;
    assert.deepEqual(
      first.scopes?.map((s) => s.state),
      ['ok', 'ok', 'ok'],
    );
    h.sim.faults.add('neon', `GET /accounts/${b.id}/resources`, { status: 500, times: Infinity });
    h.sim.state<ExampleState>('neon').resources.find((r) => r.account_id !== b.id)!.name = 'renamed-in-a-healthy-scope';
    const second = (await h.collector.refresh({ force: true })).outcomes.neon!;
    const failing = second.scopes!.find((s) => s.id === b.id)!;
    assert.equal(failing.state, 'error');
    assert.equal(failing.stale, true);
    assert.equal(failing.fetchedAt, first.scopes.find((s) => s.id === b.id)!.fetchedAt, 'its data is as old as its last success');
    assert.deepEqual(
      second.resources.filter((r) => r.scope === b.id),
      first.resources.filter((r) => r.scope === b.id),
      'its last good resources stay',
    );
    assert.ok(
      second.resources.some((r) => r.name === 'renamed-in-a-healthy-scope'),
      'the other scopes are current',
    );
    assert.equal(second.state, 'ok');
    assert.equal(second.stale, false);
  });

  it('gives each scope its own deadline: one that hangs fails alone', async () => {
    h = await startProviderHarness({ examples: ['neon'], exampleAccounts: { neon: 3 }, collector: { deadlineMs: 1500 } });
    const [a, b, c] = accounts();
    h.sim.faults.add('neon', `GET /accounts/${c.id}/resources`, { kind: 'hang', times: Infinity });
    const started = Date.now();
    const neon = (await h.collector.refresh()).outcomes.neon!;
    assert.ok(Date.now() - started < 10_000);
    assert.deepEqual(
      neon.scopes?.map((s) => [s.id, s.state]),
      [
        [a.id, 'ok'],
        [b.id, 'ok'],
        [c.id, 'error'],
      ],
    );
    assert.match(neon.scopes[2].error!.message, /did not answer within 2 s/);
    assert.ok(neon.scopes[2].error!.message.includes(c.name), 'the message names the scope');
  });

  it('shows only the chosen scopes, counts the rest, and names a chosen id the credential cannot read', async () => {
    let choice: string[] = [];
    h = await startProviderHarness({
      examples: ['neon'],
      exampleAccounts: { neon: 3 },
      config: (cloud) => (cloud === 'neon' ? { scopes: choice } : undefined),
    });
    const [a, , c] = accounts();
    choice = [c.id, 'acc-not-mine', a.id];
    const neon = (await h.collector.refresh()).outcomes.neon!;
    assert.deepEqual(
      neon.scopes?.map((s) => [s.id, s.state]),
      [
        [c.id, 'ok'],
        [a.id, 'ok'],
        ['acc-not-mine', 'error'],
      ],
    );
    assert.equal(neon.scopes[2].error?.category, 'not-found');
    assert.equal(neon.scopesAvailable, 3);
    assert.equal(scopeSummary(neon, 'organizations'), '2 of 3 organizations', 'the unknown id is not counted');
    assert.equal(neon.scopes[2].unknown, true);
    assert.deepEqual(
      neon.resources
        .map((r) => r.scope)
        .filter((s, i, all) => all.indexOf(s) === i)
        .sort(),
      [a.id, c.id].sort(),
    );
    assert.equal(h.sim.log.count('neon', `GET /accounts/${accounts()[1].id}/resources`), 0, 'an unchosen scope is never fetched');
    choice = [a.id];
    const narrowed = (await h.collector.refresh()).outcomes.neon!;
    assert.equal(scopeSummary(narrowed, 'organizations'), '1 of 3 organizations');
    choice = ['all'];
    assert.equal(scopeSummary((await h.collector.refresh()).outcomes.neon!, 'organizations'), '3 organizations');
  });

  it('caches each scope apart: a refresh within the TTL calls nothing, a manual one renews every scope', async () => {
    h = await startProviderHarness({ examples: ['neon'], exampleAccounts: { neon: 3 } });
    await h.collector.refresh();
    const calls = h.sim.log.count('neon');
    const cached = (await h.collector.refresh()).outcomes.neon!;
    assert.equal(h.sim.log.count('neon'), calls, 'served from the cache');
    assert.equal(cached.fromCache, true);
    assert.ok(cached.scopes!.every((s) => s.fromCache));
    await h.collector.refresh({ force: true });
    for (const scope of accounts()) assert.equal(h.sim.log.count('neon', `GET /accounts/${scope.id}/resources`), 2);
  });

  it('says which scope failed in the CLI footer, the JSON document and the dashboard overview', async () => {
    h = await startProviderHarness({ examples: ['neon'], exampleAccounts: { neon: 3 } });
    const [, b] = accounts();
    h.sim.faults.add('neon', `GET /accounts/${b.id}/resources`, { status: 403, times: Infinity });
    const snapshot = await h.collector.refresh();
    const neon = snapshot.outcomes.neon!;
    assert.deepEqual(
      failedScopes(neon).map((s) => s.id),
      [b.id],
    );
    const footer = renderFooter(snapshot, ['neon'], { style: plain, configureHint: () => '' }).join('\n');
    assert.match(footer, new RegExp(`Neon account ${b.name} \\(${b.id}\\) failed  permission: `));
    const json = toJsonDocument(snapshot, ['neon']);
    assert.deepEqual(
      json.providers.neon!.scopes!.map((s) => s.state),
      ['ok', 'error', 'ok'],
    );
    assert.equal(json.providers.neon!.scopesAvailable, 3);
    assert.equal(json.errors.neon, undefined, 'the cloud did not fail');
    const overview = overviewTable(snapshot, Date.now());
    const problem = overview.rows.find((r) => r.id === 'neon')!.cells()[5].text;
    assert.match(problem, new RegExp(`^account ${b.name} \\(${b.id}\\): permission: `));
  });

  it('fails the cloud whole when its scopes cannot be listed, showing every scope’s last good data', async () => {
    h = await startProviderHarness({ examples: ['neon'], exampleAccounts: { neon: 2 } });
    const first = (await h.collector.refresh()).outcomes.neon!;
    h.sim.faults.add('neon', 'GET /accounts', { status: 401, times: Infinity });
    const failed = (await h.collector.refresh({ force: true })).outcomes.neon!;
    assert.equal(failed.state, 'error');
    assert.equal(failed.error?.category, 'auth');
    assert.equal(failed.stale, true);
    assert.deepEqual(failed.resources, first.resources);
  });
});
