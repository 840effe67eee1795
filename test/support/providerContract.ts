// The provider contract suite: one fault matrix every cloud must pass against its own simulator, through the real
// provider, its SDK or HTTP client, the collector's limiter and retry, beside an example cloud that must stay untouched.
// For each fault: the right category, the right number of attempts on the faulted route, the right waits (as the retry
// policy asked for them and as the collector announced them), no key in the message, the last good data kept and
// marked stale when the cloud fails, and (with scopes) one failing scope leaving the others current. A cloud adds the
// faults only it has (Cloudflare's 200 with success:false, RunPod's REST v1 array) as extra cases of the same runner.
// No unhandled rejection is checked per test by test/setup/no-unhandled.ts.
import assert from 'node:assert/strict';
import { DEFAULT_DEADLINE_MS, type CollectorEvent } from '../../src/core/engine/collector';
import type { CloudId, ErrorCategory, OutcomeWarning, ProviderOutcome, Resource } from '../../src/core/model/model';
import type { Fault, FaultMatch } from '../sim/faults';
import type { SimCloud, SimState } from '../sim/types';
import { startProviderHarness, type ProviderHarness, type ProviderHarnessOptions } from './providerHarness';

export type ContractHarness = ProviderHarness<CloudId>;

/** The generic cases, by id, so a cloud can say what its own messages read. */
export type CaseId =
  | '401'
  | '403'
  | '404'
  | '429-own'
  | '429-text'
  | '429-json'
  | '429-persists'
  | '500'
  | '503'
  | 'reset'
  | 'truncated'
  | 'malformed'
  | 'empty-page'
  | 'hang';

export interface ContractScopes {
  /** A simulator whose credential reads two or more scopes. */
  readonly sim: () => SimCloud;
  /** Makes the scope at `index` (in listing order) fail with a 403 and returns its id. */
  readonly failScope: (h: ContractHarness, index: number) => string;
  /** The cloud's settings that choose several scopes, when its default is one (Google Cloud: the key's project). */
  readonly config?: ProviderHarnessOptions<CloudId>['config'];
}

export type Expect = {
  /** Attempts on the route; a function reads them off the simulator's state. */
  readonly attempts: number | ((h: ContractHarness) => number);
  readonly sleeps: readonly number[];
  /** The route whose attempts are counted, when not the spec's. */
  readonly route?: FaultMatch;
} &
  /** `listingChanged`: the arrangement changes the listing (an empty page), so it need not match the last one. */
  (
    | { readonly ok: true; readonly listingChanged?: boolean }
    | { readonly category: ErrorCategory; readonly message?: RegExp; readonly retryAfterMs?: number }
    /** The cloud stays ok; only this part failed, under a warning. */
    | { readonly warning: OutcomeWarning['part']; readonly category: ErrorCategory; readonly message?: RegExp }
  );

export interface ContractCase {
  readonly name: string;
  readonly arrange: (h: ContractHarness, spec: ContractSpec) => void;
  readonly expect: Expect;
}

/**
 * "one listing of several fails": a listing of the scope besides the primary one (RunPod's network volumes, Azure's
 * sites), failing persistently from the second refresh on.
 */
export interface SecondaryListing {
  /** Its route in the simulator. */
  readonly route: FaultMatch;
  /** The status it answers from the second refresh on. */
  readonly status: 404 | 500;
  /** The listing the warning names (OutcomeWarning.listing); absent for a group (an OCI compartment: warning.group). */
  readonly listing?: string;
  readonly category: ErrorCategory;
  /** What the warning says. */
  readonly message: RegExp;
  /** The resources that listing lists: kept from the first refresh under the warning. */
  readonly lists: (resource: Resource) => boolean;
  /** A simulator in which that listing holds resources, when the spec's holds none. */
  readonly sim?: () => SimCloud;
}

export interface ContractSpec {
  readonly cloud: CloudId;
  /** The cloud's simulator with small data: the route below answers in one page. */
  readonly sim: () => SimCloud;
  /** A route every refresh calls exactly once while healthy (the resource list), e.g. 'GET /pods'. */
  readonly route: FaultMatch;
  /**
   * What a 404 on that route means: a cloud that falls back to an older API (Vast.ai's v0 list) stays ok; OCI's 404
   * is NotAuthorizedOrNotFound, which a missing IAM policy answers: permission.
   */
  readonly notFound?: 'not-found' | 'ok' | 'permission';
  /**
   * The Retry-After (ms) the cloud's own 429 carries, when its documented 429 has one (RunPod: 12 s). One longer than
   * the refresh deadline (Cloudflare's 300 s) is not waited for: the refresh says when to try again instead.
   */
  readonly ownRetryAfterMs?: number;
  /** What the cloud's error message must say in a generic case (its own words, the status). */
  readonly messages?: Partial<Record<CaseId, RegExp>>;
  /** Faults only this cloud has, run by the same runner. */
  readonly extra?: readonly ContractCase[];
  readonly scopes?: ContractScopes;
  /** The listing "one listing of several fails" fails, or why the cloud has only one listing. */
  readonly secondary: SecondaryListing | { readonly oneListing: string };
}

const BACKOFF = [1000, 2000, 4000];
export const addFault = (f: Fault, route?: FaultMatch) => (h: ContractHarness, spec: ContractSpec) =>
  void h.sim.faults.add(spec.cloud, route ?? spec.route, f);
const keys = (change: (state: SimState, key: string) => void) => (h: ContractHarness, spec: ContractSpec) =>
  change(h.sim.state(spec.cloud), h.sim.keys()[spec.cloud]);

function cases(spec: ContractSpec): ContractCase[] {
  // A Retry-After beyond the refresh deadline is not waited for.
  const tooLong = (spec.ownRetryAfterMs ?? 0) > DEFAULT_DEADLINE_MS;
  const said = (id: CaseId) => (spec.messages?.[id] ? { message: spec.messages[id] } : {});
  const generic: (ContractCase & { readonly id: CaseId })[] = [
    {
      id: '401',
      name: '401 rejected key: auth, never retried',
      arrange: keys((s) => (s.keys = ['rotated-key'])),
      expect: { category: 'auth', attempts: -1, sleeps: [], ...said('401') },
    },
    {
      id: '403',
      name: '403 key without permission: permission, never retried',
      arrange: keys((s, key) => Object.assign(s, { keys: [], forbiddenKeys: [key] })),
      expect: { category: 'permission', attempts: -1, sleeps: [], ...said('403') },
    },
    spec.notFound === 'ok'
      ? {
          id: '404',
          name: '404 on the list: the older API answers instead',
          arrange: addFault({ status: 404, times: Infinity }),
          expect: { ok: true, attempts: 1, sleeps: [] },
        }
      : {
          id: '404',
          name: `404: ${spec.notFound ?? 'not-found'}, never retried`,
          arrange: addFault({ status: 404, times: Infinity }),
          expect: { category: spec.notFound ?? 'not-found', attempts: 1, sleeps: [], ...said('404') },
        },
    tooLong
      ? {
          id: '429-own',
          name: '429 in the cloud’s own shape, asking for longer than the deadline: rate-limit at once, saying when',
          arrange: addFault({ status: 429 }),
          expect: {
            category: 'rate-limit',
            attempts: 1,
            sleeps: [],
            retryAfterMs: spec.ownRetryAfterMs,
            message: spec.messages?.['429-own'] ?? /try again in \d+ (s|min)/,
          },
        }
      : {
          id: '429-own',
          name: '429 in the cloud’s own shape, once: waits its Retry-After or backs off 1 s, then ok',
          arrange: addFault({ status: 429 }),
          expect: { ok: true, attempts: 2, sleeps: [spec.ownRetryAfterMs ?? 1000] },
        },
    {
      id: '429-own',
      name: '429 in the cloud’s own shape with Retry-After: 1, once: waits 1 s, then ok',
      arrange: addFault({ status: 429, headers: { 'Retry-After': '1' } }),
      expect: { ok: true, attempts: 2, sleeps: [1000] },
    },
    {
      id: '429-text',
      name: '429 as plain text with Retry-After: 2, once: waits 2 s, then ok',
      arrange: addFault({ status: 429, headers: { 'Retry-After': '2', 'content-type': 'text/plain' }, body: 'Too Many Requests' }),
      expect: { ok: true, attempts: 2, sleeps: [2000] },
    },
    {
      id: '429-json',
      name: '429 as JSON with Retry-After: 1, once: waits 1 s, then ok',
      arrange: addFault({ status: 429, headers: { 'Retry-After': '1' }, body: { message: 'rate limited' } }),
      expect: { ok: true, attempts: 2, sleeps: [1000] },
    },
    tooLong
      ? {
          id: '429-persists',
          name: '429 that persists, asking for longer than the deadline: rate-limit, tried once',
          arrange: addFault({ status: 429, times: Infinity }),
          expect: { category: 'rate-limit', attempts: 1, sleeps: [], ...said('429-persists') },
        }
      : {
          id: '429-persists',
          name: '429 that persists: rate-limit after 3 retries',
          arrange: addFault({ status: 429, times: Infinity }),
          expect: {
            category: 'rate-limit',
            attempts: 4,
            sleeps: spec.ownRetryAfterMs ? BACKOFF.map(() => spec.ownRetryAfterMs!) : BACKOFF,
            ...said('429-persists'),
          },
        },
    {
      id: '500',
      name: '500 that persists: network after 3 retries',
      arrange: addFault({ status: 500, times: Infinity }),
      expect: { category: 'network', attempts: 4, sleeps: BACKOFF, message: spec.messages?.['500'] ?? /server error \(500\)/ },
    },
    {
      id: '503',
      name: '503 once: retried, then ok',
      arrange: addFault({ status: 503 }),
      expect: { ok: true, attempts: 2, sleeps: [1000] },
    },
    {
      id: 'reset',
      name: 'connection reset once: retried, then ok',
      arrange: addFault({ kind: 'reset' }),
      expect: { ok: true, attempts: 2, sleeps: [1000] },
    },
    {
      id: 'truncated',
      name: 'truncated body once: retried, then ok',
      arrange: addFault({ kind: 'truncated' }),
      expect: { ok: true, attempts: 2, sleeps: [1000] },
    },
    {
      id: 'malformed',
      name: 'malformed JSON that persists: network, after retries',
      arrange: addFault({ kind: 'malformed', times: Infinity }),
      expect: { category: 'network', attempts: 4, sleeps: BACKOFF, message: spec.messages?.malformed ?? /malformed/ },
    },
    {
      id: 'empty-page',
      name: 'an empty page: ok, no error',
      arrange: addFault({ kind: 'empty-page', times: Infinity }),
      expect: { ok: true, listingChanged: true, attempts: 1, sleeps: [] },
    },
  ];
  return [...generic, ...(spec.extra ?? [])];
}

/** The other cloud beside the one under test. */
const neighbour = (cloud: CloudId): CloudId => (cloud === 'vastai' ? 'runpod' : 'vastai');

function assertOutcome(outcome: ProviderOutcome, before: ProviderOutcome, expect: Expect, key: string): void {
  if ('ok' in expect) {
    assert.equal(outcome.state, 'ok', outcome.error?.message);
    assert.equal(outcome.stale, false, 'current data');
    if (!expect.listingChanged)
      assert.deepEqual(outcome.resources.map((r) => r.id).sort(), before.resources.map((r) => r.id).sort(), 'every resource shows');
  } else if ('warning' in expect) {
    assert.equal(outcome.state, 'ok', outcome.error?.message);
    assert.ok(outcome.resources.length > 0, 'the resources still show');
    const warning = outcome.warnings?.find((w) => w.part === expect.warning);
    assert.equal(warning?.category, expect.category, JSON.stringify(outcome.warnings));
    if (expect.message) assert.match(warning.message, expect.message);
    assert.ok(!warning.message.includes(key), 'no key in the warning');
  } else {
    assert.equal(outcome.state, 'error');
    assert.equal(outcome.error?.category, expect.category, outcome.error?.message);
    if (expect.message) assert.match(outcome.error.message, expect.message);
    if ('retryAfterMs' in expect) assert.equal(outcome.error.retryAfterMs, expect.retryAfterMs, 'when to try again');
    assert.ok(!outcome.error.message.includes(key), 'no key in the message');
    assert.equal(outcome.stale, true, 'the last good data is kept, marked stale');
    assert.deepEqual(outcome.resources, before.resources, 'the last good resources');
  }
}

export function providerContract(spec: ContractSpec): void {
  describe(`provider contract: ${spec.cloud}`, function () {
    this.timeout(30_000);
    let h: ContractHarness | undefined;
    afterEach(async () => {
      await h?.close();
      h = undefined;
    });
    const other = neighbour(spec.cloud);
    const start = (sim = spec.sim(), deadlineMs?: number, config?: ProviderHarnessOptions<CloudId>['config']) =>
      startProviderHarness<CloudId>({
        real: { cloud: spec.cloud, sim },
        examples: [other],
        exampleCount: 4,
        ...(deadlineMs ? { collector: { deadlineMs } } : {}),
        ...(config ? { config } : {}),
      });

    for (const c of cases(spec)) {
      it(c.name, async () => {
        h = await start();
        const good = await h.collector.refresh({ force: true, forceOffers: true });
        const before = good.outcomes[spec.cloud]!;
        assert.equal(before.state, 'ok', `healthy first: ${before.error?.message}`);
        c.arrange(h, spec);
        h.sim.log.clear();
        h.sleeps.length = 0;
        const retrying: number[] = [];
        const listening = h.collector.onEvent(
          (e: CollectorEvent) => void (e.type === 'retrying' && e.cloud === spec.cloud && retrying.push(e.delayMs)),
        );
        const snapshot = await h.collector.refresh({ force: true, forceOffers: true });
        listening.dispose();
        const { expect } = c;
        assertOutcome(snapshot.outcomes[spec.cloud]!, before, expect, h.sim.keys()[spec.cloud]);
        // -1: a rejected key may fail an earlier call than the route (the scope list); either way it is tried once.
        const attempts = typeof expect.attempts === 'function' ? expect.attempts(h) : expect.attempts;
        if (attempts >= 0) assert.equal(h.sim.log.count(spec.cloud, expect.route ?? spec.route), attempts, 'attempts on the faulted route');
        assert.deepEqual(h.sleeps, expect.sleeps, 'the waits between attempts');
        assert.deepEqual(retrying, expect.sleeps, 'each wait announced as a retrying event');
        assert.equal(snapshot.outcomes[other]!.state, 'ok', 'the other cloud is untouched');
        assert.deepEqual(snapshot.outcomes[other]!.resources, good.outcomes[other]!.resources);
      });
    }

    it('a route that hangs past the deadline: network error within the deadline, not retried, the other cloud untouched', async () => {
      h = await start(spec.sim(), 2000);
      await h.collector.refresh({ force: true });
      h.sim.faults.add(spec.cloud, spec.route, { kind: 'hang', times: Infinity });
      h.sim.log.clear();
      const started = Date.now();
      const snapshot = await h.collector.refresh({ force: true });
      const outcome = snapshot.outcomes[spec.cloud]!;
      assert.ok(Date.now() - started < 15_000, 'the deadline ended the wait');
      assert.equal(outcome.state, 'error');
      assert.equal(outcome.error?.category, 'network');
      assert.match(outcome.error.message, spec.messages?.hang ?? /did not answer within 2 s/);
      assert.equal(outcome.stale, true);
      assert.equal(h.sim.log.count(spec.cloud, spec.route), 1, 'no retry past the deadline');
      assert.equal(snapshot.outcomes[other]!.state, 'ok');
    });

    const secondary = spec.secondary;
    if ('oneListing' in secondary) it.skip(`one listing of several fails: ${secondary.oneListing}`, () => undefined);
    else
      it('one listing of several fails: the others stay current, the cloud ok, a warning names it, its last resources kept', async () => {
        h = await start(secondary.sim?.() ?? spec.sim());
        const first = (await h.collector.refresh({ force: true })).outcomes[spec.cloud]!;
        assert.equal(first.state, 'ok', `healthy first: ${first.error?.message}`);
        const ids = (outcome: ProviderOutcome, listed: boolean) =>
          outcome.resources
            .filter((r) => secondary.lists(r) === listed)
            .map((r) => r.id)
            .sort();
        const kept = ids(first, true);
        assert.ok(kept.length > 0, 'the failing listing held resources');
        assert.ok(ids(first, false).length > 0, 'the other listings hold resources');
        h.sim.faults.add(spec.cloud, secondary.route, { status: secondary.status, times: Infinity });
        for (const round of [2, 3]) {
          const outcome: ProviderOutcome = (await h.collector.refresh({ force: true })).outcomes[spec.cloud]!;
          assert.equal(outcome.state, 'ok', `refresh ${round}: ${outcome.error?.message}`);
          assert.equal(outcome.stale, false, 'the primary resources are current');
          assert.ok(Date.parse(outcome.fetchedAt!) >= Date.parse(first.fetchedAt!), 'listed now');
          assert.ok(
            outcome.scopes === undefined || outcome.scopes.every((s) => s.state === 'ok'),
            JSON.stringify(outcome.scopes?.map((s) => s.state)),
          );
          assert.deepEqual(ids(outcome, false), ids(first, false), 'the other listings show all they hold');
          assert.deepEqual(ids(outcome, true), kept, `refresh ${round}: the failing listing keeps its last good resources`);
          // One warning per group the listing failed in (OCI: each compartment's), all naming it.
          const warnings = (outcome.warnings ?? []).filter((w) => w.part === 'resources');
          assert.ok(warnings.length >= 1, JSON.stringify(outcome.warnings));
          for (const warning of warnings) {
            if (secondary.listing) assert.equal(warning.listing, secondary.listing);
            else assert.ok(warning.group, 'the warning names its group');
            assert.equal(warning.category, secondary.category, warning.message);
            assert.ok(!warning.message.includes(h.sim.keys()[spec.cloud]), 'no key in the warning');
          }
          assert.ok(
            warnings.some((w) => secondary.message.test(w.message)),
            warnings.map((w) => w.message).join('\n'),
          );
        }
      });

    if (spec.scopes) {
      const scoped = spec.scopes;
      it('one failing scope leaves the others current, and the cloud ok', async () => {
        h = await start(scoped.sim(), undefined, scoped.config);
        const first = (await h.collector.refresh({ force: true })).outcomes[spec.cloud]!;
        assert.ok((first.scopes?.length ?? 0) >= 2, 'the credential reads several scopes');
        const failing = scoped.failScope(h, 1);
        const outcome = (await h.collector.refresh({ force: true })).outcomes[spec.cloud]!;
        assert.equal(outcome.state, 'ok', outcome.error?.message);
        const states = Object.fromEntries(outcome.scopes!.map((s) => [s.id, s.state]));
        assert.equal(states[failing], 'error');
        assert.equal(outcome.scopes!.find((s) => s.id === failing)!.error?.category, 'permission');
        assert.ok(
          outcome.scopes!.filter((s) => s.id !== failing).every((s) => s.state === 'ok'),
          JSON.stringify(states),
        );
        assert.deepEqual(
          outcome.resources
            .filter((r) => r.scope !== failing)
            .map((r) => r.id)
            .sort(),
          first.resources
            .filter((r) => r.scope !== failing)
            .map((r) => r.id)
            .sort(),
          'the other scopes show all they hold',
        );
        assert.deepEqual(
          outcome.resources.filter((r) => r.scope === failing),
          first.resources.filter((r) => r.scope === failing),
          'the failing scope keeps its last good data',
        );
      });
    }
  });
}
