// The simulators' write endpoints over plain fetch: the documented call moves the resource over a few lists, a call
// the status does not allow answers as the cloud does, a key without write access gets the cloud's own error shape,
// and every write lands in the state's log.
import assert from 'node:assert/strict';
import { createRegisteredClouds } from '../clouds';
import type { NeonState } from '../neon';
import type { RunpodState } from '../runpod';
import { startSim, type Sim } from '../server';
import type { VastState } from '../vastai';
import { call } from '../../support/sim-client';
import * as common from 'oci-common';
import { ociTestCredentials, type OciState } from '../oci';

/**
 * One request to the simulated Oracle Cloud over plain fetch, signed as every OCI request is (oci-common's
 * DefaultRequestSigner, lib/signer.js: for a POST it also signs content-type, content-length and x-content-sha256 of
 * the empty body). Content-Length is left to fetch, which sends the same value.
 */
async function ociCall<T>(
  url: string,
  method: 'GET' | 'POST' = 'GET',
  signed = true,
): Promise<{ status: number; body: T; headers: Headers }> {
  const creds = ociTestCredentials();
  const auth = new common.SimpleAuthenticationDetailsProvider(
    creds.tenancy,
    creds.user,
    creds.fingerprint,
    creds.privateKeyPem,
    null,
    common.Region.US_ASHBURN_1,
  );
  const headers = new Headers({ 'content-type': 'application/json' });
  if (signed) await new common.DefaultRequestSigner(auth).signHttpRequest({ method, headers, uri: url, body: undefined });
  headers.delete('content-length');
  const res = await fetch(url, { method, headers });
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
}

describe('simulated write endpoints (stop and start)', () => {
  let sim: Sim;
  beforeEach(async () => {
    sim = await startSim({ clouds: createRegisteredClouds() });
  });
  afterEach(() => sim.close());

  it('Vast.ai: PUT /api/v0/instances/{id}/ {state} → {success: true}; stopping, then stopped two lists later; 403 for a read-only key', async () => {
    const base = sim.endpoint('vastai');
    const key = sim.keys().vastai;
    const state = sim.state<VastState>('vastai');
    const instance = state.instances.find((i) => i.actual_status === 'running' && i.intended_status === 'running')!;
    const put = await call(`${base}/api/v0/instances/${instance.id}/`, { key, method: 'PUT', json: { state: 'stopped' } });
    assert.deepEqual([put.status, put.body], [200, { success: true }]);
    const list = () =>
      call<{ instances: { id: number; actual_status: string; intended_status: string }[] }>(`${base}/api/v0/instances/`, { key });
    const seen = async () => (await list()).body.instances.find((i) => i.id === instance.id)!;
    assert.deepEqual([(await seen()).actual_status, instance.intended_status], ['running', 'stopped']);
    assert.equal((await seen()).actual_status, 'stopped');
    const bad = await call(`${base}/api/v0/instances/${instance.id}/`, { key, method: 'PUT', json: { state: 'paused' } });
    assert.equal(bad.status, 400);
    state.readOnlyKeys.push(key);
    const refused = await call<{ success: boolean; error: string; msg: string }>(`${base}/api/v0/instances/${instance.id}/`, {
      key,
      method: 'PUT',
      json: { state: 'running' },
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.success, false);
    assert.deepEqual(
      state.writes.map((w) => w.status),
      [200, 400, 403],
    );
  });

  it('RunPod: POST /pods/{id}/action → 200 the pod; 409 for an action its status does not allow; 403 problem+json read-only', async () => {
    const base = sim.endpoint('runpod');
    const key = sim.keys().runpod;
    const state = sim.state<RunpodState>('runpod');
    const exited = state.pods.find((p) => p.status === 'EXITED')!;
    const conflict = await call<{ status: number }>(`${base}/pods/${exited.id}/action`, { key, json: { action: 'stop' } });
    assert.equal(conflict.status, 409);
    assert.match(conflict.headers.get('content-type') ?? '', /problem\+json/);
    const start = await call<{ id: string; status: string }>(`${base}/pods/${exited.id}/action`, { key, json: { action: 'start' } });
    assert.deepEqual([start.status, start.body.id, start.body.status], [200, exited.id, 'STARTING']);
    await call(`${base}/pods`, { key });
    await call(`${base}/pods`, { key });
    assert.equal(state.pods.find((p) => p.id === exited.id)!.status, 'RUNNING');
    state.readOnlyKeys.push(key);
    const refused = await call<{ title: string; detail: string }>(`${base}/pods/${exited.id}/action`, { key, json: { action: 'stop' } });
    assert.deepEqual([refused.status, refused.body.title, refused.body.detail], [403, 'Forbidden', 'access denied']);
    assert.equal(state.writes.length, 3);
  });

  it('Neon: suspend → {endpoint, operations: [suspend_compute]}, pending_state idle, then idle; 403 GeneralError read-only', async () => {
    const base = sim.endpoint('neon');
    const key = sim.keys().neon;
    const state = sim.state<NeonState>('neon');
    const [projectId, endpoints] = Object.entries(state.endpoints).find(([, list]) => list.some((e) => e.current_state === 'active'))!;
    const endpoint = endpoints.find((e) => e.current_state === 'active')!;
    const url = `${base}/projects/${projectId}/endpoints/${endpoint.id}`;
    const suspend = await call<{ endpoint: { pending_state?: string }; operations: { action: string; status: string }[] }>(
      `${url}/suspend`,
      {
        key,
        method: 'POST',
      },
    );
    assert.equal(suspend.status, 200);
    assert.equal(suspend.body.endpoint.pending_state, 'idle');
    assert.deepEqual(
      suspend.body.operations.map((o) => [o.action, o.status]),
      [['suspend_compute', 'running']],
    );
    await call(`${base}/projects/${projectId}/endpoints`, { key });
    await call(`${base}/projects/${projectId}/endpoints`, { key });
    assert.equal(endpoint.current_state, 'idle');
    state.readOnlyKeys.push(key);
    const refused = await call<{ code: string; message: string; request_id: string }>(`${url}/start`, { key, method: 'POST' });
    assert.equal(refused.status, 403);
    assert.deepEqual(Object.keys(refused.body).sort(), ['code', 'message', 'request_id']);
  });

  it('Oracle Cloud: signed InstanceAction → 200 the Instance STOPPING | STARTING, settled two listings later; 409 IncorrectState; 404 NotAuthorizedOrNotFound read-only', async () => {
    const base = sim.endpoint('oci');
    const state = sim.state<OciState>('oci');
    const instance = state.instances.find((i) => i.lifecycleState === 'RUNNING')!;
    const action = (name: string, signed = true) =>
      ociCall<{ lifecycleState?: string; code?: string; message?: string }>(
        `${base}/20160918/instances/${instance.id}?action=${name}`,
        'POST',
        signed,
      );
    const listed = async () =>
      (
        await ociCall<{ id: string; lifecycleState: string }[]>(
          `${base}/20160918/instances?compartmentId=${instance.compartmentId}&limit=1000`,
        )
      ).body.find((i) => i.id === instance.id)!.lifecycleState;

    const unsigned = await action('SOFTSTOP', false);
    assert.deepEqual([unsigned.status, unsigned.body.code], [401, 'NotAuthenticated']);
    assert.equal(state.writes.length, 0, 'an unsigned request never reaches the instance');

    const soft = await action('SOFTSTOP');
    assert.deepEqual([soft.status, soft.body.lifecycleState], [200, 'STOPPING']);
    assert.ok(soft.headers.get('etag'));
    assert.equal(await listed(), 'STOPPING');
    assert.equal(await listed(), 'STOPPED');

    const again = await action('SOFTSTOP');
    assert.deepEqual([again.status, again.body.code], [409, 'IncorrectState']);
    const start = await action('START');
    assert.deepEqual([start.status, start.body.lifecycleState], [200, 'STARTING']);
    assert.equal(await listed(), 'STARTING');
    assert.equal(await listed(), 'RUNNING');

    // A graceful stop that hangs: STOP powers it off, settled at the next listing.
    instance.lifecycleState = 'STOPPING';
    assert.equal((await action('STOP')).status, 200);
    assert.equal(await listed(), 'STOPPED');

    const bad = await action('PAUSE');
    assert.deepEqual([bad.status, bad.body.code], [400, 'InvalidParameter']);
    state.readOnlyKeys.push(sim.keys().oci);
    const refused = await action('START');
    assert.equal(refused.status, 404);
    assert.deepEqual(refused.body, { code: 'NotAuthorizedOrNotFound', message: 'Authorization failed or requested resource not found.' });
    assert.equal(await listed(), 'STOPPED', 'a read-only key still lists');
    assert.deepEqual(
      state.writes.map((w) => [w.method, w.action, w.status]),
      [
        ['POST', 'SOFTSTOP', 200],
        ['POST', 'SOFTSTOP', 409],
        ['POST', 'START', 200],
        ['POST', 'STOP', 200],
        ['POST', 'PAUSE', 400],
        ['POST', 'START', 404],
      ],
    );
    assert.ok(state.writes.every((w) => w.path === `/20160918/instances/${instance.id}`));
  });
});
