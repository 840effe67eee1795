// The action contract's pieces: the one decision (send, skip, unsupported), what each cloud says a stop keeps costing
// and loses, the write's retry policy, and the write mark reaching the collector's ApiCall from a plain request and from
// an SDK call run through the transport (how OCI, Azure and Google Cloud will send theirs).
import assert from 'node:assert/strict';
import { canAct, planAction, refusalLine, stopTermsOf } from '../../src/core/engine/actions';
import { CloudtopError } from '../../src/core/errors/errors';
import type { Resource } from '../../src/core/model/model';
import type { ApiCall, CallOptions } from '../../src/core/transport/api-call';
import { withRetry, writeRetryable } from '../../src/core/transport/retry';
import { createTransport } from '../../src/core/transport/transport';
import { catalogue } from '../../src/providers/index';
import { VAST_SERVICE } from '../../src/providers/vastai/mapping';
import { PODS_SERVICE } from '../../src/providers/runpod/pods';
import { COMPUTES_SERVICE } from '../../src/providers/neon/mapping';

const base = { account: '', region: 'US' } as const;
const vast = (over: Partial<Resource> = {}): Resource => ({
  ...base,
  id: '4242',
  cloud: 'vastai',
  kind: 'gpu-instance',
  service: 'Instances',
  name: 'train-01',
  status: 'running',
  pricePerHour: 2.4,
  storagePricePerHour: 0.0125,
  ...over,
});
const pod = (over: Partial<Resource> = {}): Resource => ({
  ...base,
  id: 'p1',
  cloud: 'runpod',
  kind: 'gpu-instance',
  service: 'Pods',
  name: 'pod-1',
  status: 'running',
  details: { volumeGb: 20 },
  ...over,
});
const compute = (over: Partial<Resource> = {}): Resource => ({
  ...base,
  id: 'ep-1',
  cloud: 'neon',
  kind: 'endpoint',
  service: 'Computes',
  name: 'app / main',
  status: 'running',
  details: { projectId: 'proj-1' },
  ...over,
});

describe('actions: the contract', () => {
  it("each cloud's actions name the service its mapping files the resources under", () => {
    assert.equal(VAST_SERVICE, 'Instances');
    assert.equal(PODS_SERVICE, 'Pods');
    assert.equal(COMPUTES_SERVICE, 'Computes');
    assert.equal(canAct(catalogue.vastai, vast({ service: VAST_SERVICE })), true);
    assert.equal(canAct(catalogue.runpod, pod({ service: PODS_SERVICE })), true);
    assert.equal(canAct(catalogue.neon, compute({ service: COMPUTES_SERVICE })), true);
  });

  describe('planAction', () => {
    it('sends a stop to a running instance and a start to a stopped one', () => {
      assert.deepEqual(planAction(catalogue.vastai, vast(), 'stop'), { decision: 'send' });
      assert.deepEqual(planAction(catalogue.vastai, vast({ status: 'stopped' }), 'start'), { decision: 'send' });
    });

    it('skips a resource already in the target state', () => {
      assert.equal(planAction(catalogue.vastai, vast({ status: 'stopped' }), 'stop').decision, 'skip');
      assert.equal(planAction(catalogue.runpod, pod(), 'start').decision, 'skip');
      assert.equal(planAction(catalogue.neon, compute({ status: 'stopped' }), 'stop').decision, 'skip');
    });

    it('does not skip a stop of a frozen Vast.ai instance: "stopped" in the model, yet billed its GPU', () => {
      assert.deepEqual(planAction(catalogue.vastai, vast({ status: 'stopped', rawStatus: 'frozen', chargedWhilePaused: true }), 'stop'), {
        decision: 'send',
      });
    });

    it('refuses what the cloud cannot stop: a Neon project, an Instant Cluster member, a Cloudflare Worker; a terminated pod never starts', () => {
      const project = compute({ kind: 'database', service: 'Postgres', details: {} });
      assert.equal(planAction(catalogue.neon, project, 'stop').decision, 'unsupported');
      assert.equal(planAction(catalogue.runpod, pod({ details: { clusterId: 'c1' } }), 'stop').decision, 'unsupported');
      assert.equal(planAction(catalogue.runpod, pod({ status: 'stopped', rawStatus: 'TERMINATED' }), 'start').decision, 'unsupported');
      const worker: Resource = { ...base, id: 'w', cloud: 'cloudflare', kind: 'worker', service: 'Workers', name: 'w', status: 'running' };
      assert.equal(planAction(catalogue.cloudflare, worker, 'stop').decision, 'unsupported');
      assert.equal(canAct(catalogue.cloudflare, worker), false);
      assert.equal(canAct(catalogue.runpod, pod()), true);
    });
  });

  describe('what a stop keeps costing and loses', () => {
    it('Vast.ai: the disk stays billed, with its price', () => {
      const terms = stopTermsOf(catalogue.vastai, vast())!;
      assert.match(terms.keepsBilling.join(' '), /disk: \$0\.01\/h/);
      assert.equal(terms.stillBilled, undefined);
    });

    it('RunPod: the volume disk stays billed, the container disk is lost', () => {
      const terms = stopTermsOf(catalogue.runpod, pod())!;
      assert.match(terms.keepsBilling.join(' '), /20 GB volume disk .*\$0\.20\/GB\/month/);
      assert.match(terms.loses.join(' '), /container disk/);
    });

    it("Neon: the branch's storage stays billed", () => {
      assert.match(stopTermsOf(catalogue.neon, compute())!.keepsBilling.join(' '), /storage/);
    });
  });

  describe("a write's retries", () => {
    const fails = (errors: CloudtopError[]) => {
      let calls = 0;
      const fn = () => {
        const error = errors[calls++];
        return error ? Promise.reject(error) : Promise.resolve('ok');
      };
      return { fn, calls: () => calls };
    };
    const options = { retryable: writeRetryable, sleep: () => Promise.resolve(), cloud: 'runpod' as const };

    it('a 403 and a 503 are not sent again; a 429 is', async () => {
      const forbidden = fails([new CloudtopError({ category: 'permission', status: 403, message: 'access denied' })]);
      await assert.rejects(withRetry(forbidden.fn, options), /access denied/);
      assert.equal(forbidden.calls(), 1);
      const unavailable = fails([new CloudtopError({ category: 'network', status: 503, message: 'unavailable' })]);
      await assert.rejects(withRetry(unavailable.fn, options), /unavailable/);
      assert.equal(unavailable.calls(), 1, 'a read would be tried again; a write may have been done');
      const limited = fails([new CloudtopError({ category: 'rate-limit', status: 429, retryAfterMs: 1, message: 'slow' })]);
      assert.equal(await withRetry(limited.fn, options), 'ok');
      assert.equal(limited.calls(), 2);
    });
  });

  describe('the write mark reaches the ApiCall', () => {
    const spy = () => {
      const seen: Array<CallOptions | undefined> = [];
      const call: ApiCall = (_operation, fn, signal, callOptions) => {
        seen.push(callOptions);
        return fn(signal ?? new AbortController().signal);
      };
      return { seen, call };
    };
    const transportWith = (call: ApiCall) =>
      createTransport({ cloud: 'oci', origins: ['http://127.0.0.1:9'], call, fetch: () => Promise.resolve(new Response('{}')) });

    it("from an SDK call run as a write (OCI, Azure, Google Cloud's way), and not from a read", async () => {
      const { seen, call } = spy();
      const transport = transportWith(call);
      await transport.run('InstanceAction', () => transport.fetch('http://127.0.0.1:9/instances/x?action=SOFTSTOP', { method: 'POST' }), {
        write: true,
      });
      await transport.run('ListInstances', () => transport.fetch('http://127.0.0.1:9/instances'));
      assert.deepEqual(seen, [{ write: true }, undefined]);
    });

    it('from a request marked write', async () => {
      const { seen, call } = spy();
      const transport = transportWith(call);
      await transport.send({
        url: new URL('http://127.0.0.1:9/pods/p1/action'),
        method: 'POST',
        operation: 'POST /pods/{id}/action',
        write: true,
      });
      assert.deepEqual(seen, [{ write: true }]);
    });
  });

  it('a refusal reads as one line naming the cloud, the resource and what is missing', () => {
    const line = refusalLine(
      new CloudtopError({ category: 'permission', cloud: 'runpod', status: 403, message: 'access denied' }),
      pod(),
      'stop',
    );
    assert.match(
      line,
      /^RunPod refused to stop pod-1 \(p1\): the key lacks permission to stop it — use a key with write access\. .*access denied/,
    );
    assert.ok(!line.includes('\n'));
  });
});
