// The simulators' write endpoints over plain fetch: the documented call moves the resource over a few lists, a call
// the status does not allow answers as the cloud does, a key without write access gets the cloud's own error shape,
// and every write lands in the state's log.
import assert from 'node:assert/strict';
import { AZURE_CLI_TOKEN, type AzureState } from '../azure';
import { createRegisteredClouds } from '../clouds';
import type { GcpState } from '../gcp';
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
  it('Google Cloud: POST …/instances/{name}/stop → a compute#operation; STOPPING, then TERMINATED over two listings; zoneOperations get/wait; start through PROVISIONING and STAGING; 403 naming the permission', async () => {
    const base = sim.endpoint('gcp');
    const key = sim.keys().gcp;
    const state = sim.state<GcpState>('gcp');
    const p = state.projects[0];
    const vm = p.instances.find((i) => i.status === 'RUNNING' && !i.createdBy && !i.localSsds)!;
    const at = `${base}/compute/v1/projects/${p.projectId}/zones/${vm.zone}`;
    const list = () => call(`${base}/compute/v1/projects/${p.projectId}/aggregated/instances`, { key });
    interface Operation {
      kind: string;
      name: string;
      zone: string;
      operationType: string;
      targetLink: string;
      targetId: string;
      status: string;
      progress: number;
      selfLink: string;
    }
    const requestId = '6f1c2a9e-4b7d-4c1e-9a51-0d3f1e2b7c88';
    const stop = await call<Operation>(`${at}/instances/${vm.name}/stop?requestId=${requestId}`, { key, method: 'POST' });
    assert.equal(stop.status, 200);
    assert.deepEqual(
      [stop.body.kind, stop.body.operationType, stop.body.status, stop.body.progress, stop.body.targetId],
      ['compute#operation', 'stop', 'PENDING', 0, vm.id],
    );
    assert.ok(stop.body.targetLink.endsWith(`/projects/${p.projectId}/zones/${vm.zone}/instances/${vm.name}`));
    assert.ok(stop.body.selfLink.endsWith(`/zones/${vm.zone}/operations/${stop.body.name}`));
    // The same requestId again is the same operation, not a second stop.
    const again = await call<Operation>(`${at}/instances/${vm.name}/stop?requestId=${requestId}`, { key, method: 'POST' });
    assert.equal(again.body.name, stop.body.name);
    assert.equal(state.operations.length, 1);
    await list();
    assert.equal(vm.status, 'STOPPING');
    const running = await call<Operation>(`${at}/operations/${stop.body.name}`, { key });
    assert.deepEqual([running.body.status, vm.status], ['DONE', 'TERMINATED']);

    const start = await call<Operation>(`${at}/instances/${vm.name}/start`, { key, method: 'POST' });
    assert.deepEqual([start.body.operationType, start.body.status], ['start', 'PENDING']);
    await list();
    assert.equal(vm.status, 'PROVISIONING');
    await list();
    assert.equal(vm.status, 'STAGING');
    const waited = await call<Operation>(`${at}/operations/${start.body.name}/wait`, { key, method: 'POST' });
    assert.deepEqual([waited.body.status, waited.body.progress, vm.status], ['DONE', 100, 'RUNNING']);

    // A VM with Local SSDs must say what becomes of their data.
    const a3 = p.instances.find((i) => (i.localSsds ?? 0) > 0 && i.status === 'RUNNING');
    if (a3) {
      const bare = await call(`${base}/compute/v1/projects/${p.projectId}/zones/${a3.zone}/instances/${a3.name}/stop`, {
        key,
        method: 'POST',
      });
      assert.equal(bare.status, 400);
    }

    state.readOnlyKeys.push(key);
    const refused = await call<{ error: { code: number; message: string; errors: { message: string; domain: string; reason: string }[] } }>(
      `${at}/instances/${vm.name}/stop`,
      { key, method: 'POST' },
    );
    const message = `Required 'compute.instances.stop' permission for 'projects/${p.projectId}/zones/${vm.zone}/instances/${vm.name}'`;
    assert.deepEqual(
      [refused.status, refused.body],
      [403, { error: { code: 403, message, errors: [{ message, domain: 'global', reason: 'forbidden' }] } }],
    );
    assert.deepEqual(
      state.writes.map((w) => [w.path.split('/').pop(), w.status]),
      [['stop', 200], ['stop', 200], ['start', 200], ...(a3 ? [['stop', 400]] : []), ['stop', 403]],
    );
    assert.equal(state.writes[0].query.requestId, requestId);
  });

  it('Azure: POST …/deallocate → 202 with Azure-AsyncOperation, Location, Retry-After; InProgress, then Succeeded and deallocated; 403 AuthorizationFailed read-only', async () => {
    const base = sim.endpoint('azure');
    const key = AZURE_CLI_TOKEN;
    const state = sim.state<AzureState>('azure');
    const sub = state.subscriptions[0].subscriptionId;
    const vm = state.vms[sub].find((v) => v.power === 'running' && !v.failed)!;
    const post = await call(`${base}${vm.id}/deallocate?api-version=2026-03-01`, { key, method: 'POST' });
    assert.equal(post.status, 202);
    assert.equal(post.text, '');
    const status = post.headers.get('azure-asyncoperation')!;
    assert.match(
      status,
      new RegExp(
        `^${base}/subscriptions/${sub}/providers/Microsoft\\.Compute/locations/${vm.location}/operations/[0-9a-f-]+\\?.*api-version=2026-03-01`,
      ),
    );
    assert.equal(post.headers.get('location'), `${status}&monitor=true`);
    assert.match(post.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal(vm.power, 'deallocating');
    const first = await call<{ status: string; name: string; startTime: string }>(status, { key });
    assert.deepEqual([first.status, first.body.status], [200, 'InProgress']);
    const monitor = await call(`${status}&monitor=true`, { key });
    assert.equal(monitor.status, 200, 'the Location URL answers 200 once the operation is done');
    const done = await call<{ status: string; endTime?: string }>(status, { key });
    assert.equal(done.body.status, 'Succeeded');
    assert.ok(done.body.endTime);
    assert.equal(vm.power, 'deallocated');
    const missing = await call<{ error: { code: string } }>(`${base}${vm.id}/start`, { key, method: 'POST' });
    assert.deepEqual([missing.status, missing.body.error.code], [400, 'MissingApiVersionParameter']);
    state.readOnlyKeys.push(key);
    const refused = await call<{ error: { code: string; message: string } }>(`${base}${vm.id}/start?api-version=2026-03-01`, {
      key,
      method: 'POST',
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'AuthorizationFailed');
    assert.match(
      refused.body.error.message,
      /perform action 'Microsoft\.Compute\/virtualMachines\/start\/action' over scope '\/subscriptions\//,
    );
    assert.equal(vm.power, 'deallocated');
    assert.deepEqual(
      state.writes.map((w) => [w.method, w.path.split('/').pop(), w.status]),
      [
        ['POST', 'deallocate', 202],
        ['POST', 'start', 400],
        ['POST', 'start', 403],
      ],
    );
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
