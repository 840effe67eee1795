// `cloudtop stop|start` — the built dist/cli.js as a subprocess against the simulated Vast.ai, RunPod, Neon, Google Cloud,
// Azure and Oracle Cloud. What a
// run sent is read from each simulator's own log of write calls (method, path, body), and where a resource ended up
// from the simulator's state: never from Cloudtop's own view of it.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ActionsDocument } from '../../src/cli/act';
import type { JsonDocument } from '../../src/cli/format/json';
import type { CloudId, Resource } from '../../src/core/model/model';
import { createRegisteredClouds } from '../sim/clouds';
import type { AzureState } from '../sim/azure';
import type { GcpState } from '../sim/gcp';
import type { NeonState } from '../sim/neon';
import { OCI_REGION, type OciState } from '../sim/oci';
import type { RunpodState } from '../sim/runpod';
import { startSim, type Sim } from '../sim/server';
import type { VastState } from '../sim/vastai';
import { buildCli, cliEnv, hasScript, removeBuiltCli, runCli, startInTty, tempHome, TERMINAL_ACTIVE, waitFor } from '../support/cli';
import { assertNoSecrets } from '../support/secrets';

type Home = ReturnType<typeof tempHome>;
interface Write {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
}

/** Per cloud: its write log, the documented call for each action, a running and a stopped resource's wire state. */
interface CloudCase {
  readonly cloud: 'vastai' | 'runpod' | 'neon' | 'gcp' | 'azure' | 'oci';
  readonly service: string;
  /** Which of the service's resources in that status the cloud acts on (default all). */
  pickable?(resource: Resource): boolean;
  writes(sim: Sim): Write[];
  expected(resource: Resource, action: 'stop' | 'start'): Write;
  /** Where the simulator says the resource is: 'running', 'stopped' or something in between. */
  wireState(sim: Sim, id: string): string;
  readOnly(sim: Sim): void;
  /** The words the cloud's refusal carries (its own error body). */
  refusal: RegExp;
  /** Puts the simulated account in the states the tests pick from, where its generated data lacks one. */
  prepare?(sim: Sim): void;
}

/** The simulated Oracle Cloud's instances in the profile's region (the one a CLI run lists by default). */
const ociHome = (sim: Sim) => sim.state<OciState>('oci').instances.filter((i) => i.id.split('.')[3] === OCI_REGION.shortCode);
const ociCpu = (sim: Sim) => ociHome(sim).filter((i) => !i.shape.includes('GPU'));

const CASES: readonly CloudCase[] = [
  {
    cloud: 'vastai',
    service: 'Instances',
    writes: (sim) => sim.state<VastState>('vastai').writes.map((w) => ({ method: w.method, path: w.path, body: w.body })),
    // vast-cli stop/start instance: PUT /api/v0/instances/{id}/ {"state": "stopped" | "running"}.
    expected: (r, action) => ({
      method: 'PUT',
      path: `/api/v0/instances/${r.id}/`,
      body: { state: action === 'stop' ? 'stopped' : 'running' },
    }),
    wireState: (sim, id) => {
      const i = sim.state<VastState>('vastai').instances.find((x) => String(x.id) === id)!;
      return i.actual_status === i.intended_status ? String(i.actual_status) : `${String(i.actual_status)}→${i.intended_status}`;
    },
    readOnly: (sim) => sim.state<VastState>('vastai').readOnlyKeys.push(sim.keys().vastai),
    refusal: /instance_write/,
  },
  {
    cloud: 'runpod',
    service: 'Pods',
    writes: (sim) => sim.state<RunpodState>('runpod').writes.map((w) => ({ method: w.method, path: w.path, body: w.body })),
    // REST v2 podAction: POST /v2/pods/{id}/action {"action": "stop" | "start"}.
    expected: (r, action) => ({ method: 'POST', path: `/pods/${r.id}/action`, body: { action } }),
    wireState: (sim, id) => {
      const status = sim.state<RunpodState>('runpod').pods.find((p) => p.id === id)!.status;
      return status === 'RUNNING' ? 'running' : status === 'EXITED' ? 'stopped' : status;
    },
    readOnly: (sim) => sim.state<RunpodState>('runpod').readOnlyKeys.push(sim.keys().runpod),
    refusal: /access denied/,
  },
  {
    cloud: 'neon',
    service: 'Computes',
    writes: (sim) => sim.state<NeonState>('neon').writes.map((w) => ({ method: w.method, path: w.path })),
    // POST /projects/{project_id}/endpoints/{endpoint_id}/suspend | /start, no body.
    expected: (r, action) => ({
      method: 'POST',
      path: `/projects/${String(r.details!.projectId)}/endpoints/${r.id}/${action === 'stop' ? 'suspend' : 'start'}`,
    }),
    wireState: (sim, id) => {
      const e = Object.values(sim.state<NeonState>('neon').endpoints)
        .flat()
        .find((x) => x.id === id)!;
      if (e.pending_state) return `${e.current_state}→${e.pending_state}`;
      return e.current_state === 'active' ? 'running' : e.current_state === 'idle' ? 'stopped' : e.current_state;
    },
    readOnly: (sim) => sim.state<NeonState>('neon').readOnlyKeys.push(sim.keys().neon),
    refusal: /permission denied/,
  },
  {
    cloud: 'gcp',
    service: 'GPU',
    // A standalone VM (no managed instance group, no GKE node pool runs it), stopped as TERMINATED (not SUSPENDED).
    pickable: (r) => r.details?.['managed by'] === undefined && ['RUNNING', 'TERMINATED'].includes(r.rawStatus ?? ''),
    // instances.stop | instances.start: POST …/zones/{zone}/instances/{name}/stop | /start, no body, a requestId (UUID)
    // each time, and discardLocalSsd=true when the VM has Local SSDs. Shown here as the path and the query beside the
    // requestId (which must be there, and a UUID).
    writes: (sim) =>
      sim.state<GcpState>('gcp').writes.map((w) => {
        const { requestId, ...rest } = w.query;
        const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(requestId ?? '');
        return { method: w.method, path: w.path, body: { ...rest, requestId: uuid ? 'a UUID' : requestId } };
      }),
    expected: (r, action) => {
      const project = sim0.state<GcpState>('gcp').projects[0].projectId;
      const localSsds = action === 'stop' && Number(r.details?.['local SSDs'] ?? 0) > 0;
      return {
        method: 'POST',
        path: `/compute/v1/projects/${project}/zones/${r.region}/instances/${r.name}/${action}`,
        body: { ...(localSsds ? { discardLocalSsd: 'true' } : {}), requestId: 'a UUID' },
      };
    },
    wireState: (sim, id) => {
      const status = sim
        .state<GcpState>('gcp')
        .projects.flatMap((p) => p.instances)
        .find((i) => i.id === id)!.status;
      return status === 'RUNNING' ? 'running' : status === 'TERMINATED' ? 'stopped' : status;
    },
    readOnly: (sim) => sim.state<GcpState>('gcp').readOnlyKeys.push(sim.keys().gcp),
    refusal: /Required 'compute\.instances\.stop' permission for 'projects\/[^/]+\/zones\/[^/]+\/instances\//,
  },
  {
    cloud: 'azure',
    service: 'GPU',
    writes: (sim) => sim.state<AzureState>('azure').writes.map((w) => ({ method: w.method, path: w.path })),
    // POST {vm id}/deallocate (never powerOff) | /start, no body (learn.microsoft.com/rest/api/compute/virtual-machines).
    expected: (r, action) => ({ method: 'POST', path: `${r.id}/${action === 'stop' ? 'deallocate' : 'start'}` }),
    wireState: (sim, id) => {
      const vm = Object.values(sim.state<AzureState>('azure').vms)
        .flat()
        .find((v) => v.id.toLowerCase() === id.toLowerCase())!;
      return vm.power === 'running' ? 'running' : vm.power === 'deallocated' ? 'stopped' : vm.power;
    },
    // A principal with Reader only: its client secret is the key the CLI runs with.
    readOnly: (sim) => sim.state<AzureState>('azure').readOnlyKeys.push(sim.keys().azure),
    refusal: /Microsoft\.Compute\/virtualMachines\/deallocate\/action/,
  },
  {
    cloud: 'oci',
    service: 'Compute',
    writes: (sim) => sim.state<OciState>('oci').writes.map((w) => ({ method: w.method, path: `${w.path}?action=${String(w.action)}` })),
    // Core Services InstanceAction: POST /20160918/instances/{instanceId}?action=SOFTSTOP (graceful) | START.
    expected: (r, action) => ({ method: 'POST', path: `/20160918/instances/${r.id}?action=${action === 'stop' ? 'SOFTSTOP' : 'START'}` }),
    wireState: (sim, id) => {
      const state = sim.state<OciState>('oci').instances.find((i) => i.id === id)!.lifecycleState;
      return state === 'RUNNING' ? 'running' : state === 'STOPPED' ? 'stopped' : state;
    },
    readOnly: (sim) => sim.state<OciState>('oci').readOnlyKeys.push(sim.keys().oci),
    refusal: /404 NotAuthorizedOrNotFound .*INSTANCE_POWER_ACTIONS .*use instance-family/,
    // The generated tenancy's CPU instances in the home region: one RUNNING, one STOPPED (a seed may have neither).
    prepare: (sim) => {
      const [running, stopped] = ociCpu(sim);
      running.lifecycleState = 'RUNNING';
      stopped.lifecycleState = 'STOPPED';
    },
  },
];
/** The running simulator, for a case's expectations that need its data (GCP: the default project). */
let sim0: Sim;

describe('cloudtop stop | start (dist/cli.js) against the simulated Vast.ai, RunPod, Neon, Google Cloud, Azure and Oracle Cloud', function () {
  this.timeout(60_000);
  let sim: Sim;
  let home: Home;
  let keys: string[];

  before(async function () {
    this.timeout(120_000);
    buildCli();
    sim = await startSim({ clouds: createRegisteredClouds() });
    sim0 = sim;
    keys = Object.values(sim.keys());
  });
  after(async () => {
    removeBuiltCli();
    await sim?.close();
  });
  beforeEach(() => {
    sim.reset();
    home = tempHome();
    // Oracle's default budget (4 requests a second) makes each listing of the simulated tenancy ~5 s; these tests are
    // about writes, and the budget has its own tests: the config file's own setting for it raises it.
    mkdirSync(path.join(home.config, 'cloudtop'), { recursive: true, mode: 0o700 });
    writeFileSync(
      path.join(home.config, 'cloudtop', 'config.json'),
      JSON.stringify({ clouds: { oci: { rateLimit: { perSecond: 200, burst: 200 } } } }),
      { mode: 0o600 },
    );
  });
  afterEach(() => rmSync(home.home, { recursive: true, force: true }));

  const env = () => cliEnv(sim, home, { extra: { CLOUDTOP_CACHE: 'memory' } });
  const listed = async (cloud: CloudId): Promise<Resource[]> => {
    const result = await runCli(['--json', '-p', cloud, '--cache', 'memory'], env());
    assert.equal(result.code, 0, result.stderr);
    return (JSON.parse(result.stdout) as JsonDocument).providers[cloud]!.resources as Resource[];
  };
  /** A resource of the cloud's stoppable service in `status`, whose name no other of the service shares. */
  const pick = async (c: CloudCase, status: 'running' | 'stopped'): Promise<Resource> => {
    const all = await listed(c.cloud);
    const found = all.find(
      (r) =>
        r.service === c.service &&
        r.status === status &&
        !r.chargedWhilePaused &&
        r.details?.clusterId === undefined &&
        (c.pickable?.(r) ?? true) &&
        all.filter((o) => o.service === c.service && o.name === r.name).length === 1,
    );
    assert.ok(found, `the ${c.cloud} sim has a ${status} ${c.service} resource with a unique name`);
    return found;
  };
  const act = (args: string[]) => runCli([...args, '--cache', 'memory'], env(), { timeoutMs: 45_000 });

  for (const c of CASES) {
    describe(c.cloud, () => {
      beforeEach(() => c.prepare?.(sim));

      it('stop by name and start by id send exactly the documented write call, once each', async () => {
        const running = await pick(c, 'running');
        const stop = await act(['stop', running.name, '-p', c.cloud, '--yes']);
        assert.equal(stop.code, 0, stop.stderr);
        assert.deepEqual(c.writes(sim), [c.expected(running, 'stop')]);
        assert.match(stop.stdout, /stop accepted/);

        const stopped = await pick(c, 'stopped');
        const start = await act(['start', stopped.id, '-p', c.cloud, '--yes']);
        assert.equal(start.code, 0, start.stderr);
        assert.deepEqual(c.writes(sim), [c.expected(running, 'stop'), c.expected(stopped, 'start')]);
        assertNoSecrets([stop.stdout, stop.stderr, start.stdout, start.stderr], keys, "the CLI's output");
      });

      it('--dry-run and a non-terminal without --yes send no write', async () => {
        const running = await pick(c, 'running');
        const dry = await act(['stop', running.id, '-p', c.cloud, '--dry-run']);
        assert.equal(dry.code, 0, dry.stderr);
        assert.match(dry.stdout, /nothing sent/);
        assert.ok(dry.stdout.includes(running.id));
        const refused = await act(['stop', running.id, '-p', c.cloud]);
        assert.equal(refused.code, 2);
        assert.match(refused.stderr, /without --yes: stdin is not a terminal/);
        assert.deepEqual(c.writes(sim), []);
        assert.equal(c.wireState(sim, running.id), 'running');
      });

      it('an already-stopped resource is skipped without a write call', async () => {
        const stopped = await pick(c, 'stopped');
        const result = await act(['stop', stopped.id, '-p', c.cloud, '--yes', '--json']);
        assert.equal(result.code, 0, result.stderr);
        const doc = JSON.parse(result.stdout) as ActionsDocument;
        assert.deepEqual(doc, {
          schemaVersion: 1,
          actions: [{ cloud: c.cloud, id: stopped.id, name: stopped.name, action: 'stop', result: 'skipped' }],
        });
        assert.deepEqual(c.writes(sim), []);
      });

      it('a key without write access fails once, with one line naming the cloud, the resource and the permission', async () => {
        const running = await pick(c, 'running');
        c.readOnly(sim);
        const result = await act(['stop', running.id, '-p', c.cloud, '--yes', '--json']);
        assert.equal(result.code, 1);
        assert.equal(c.writes(sim).length, 1, 'refused once, never retried');
        const lines = result.stderr.trim().split('\n');
        assert.equal(lines.length, 1, result.stderr);
        assert.ok(lines[0].includes(running.id) && lines[0].includes(running.name), lines[0]);
        assert.match(lines[0], /refused to stop .*lacks permission to stop it/);
        assert.match(lines[0], c.refusal);
        const doc = JSON.parse(result.stdout) as ActionsDocument;
        assert.equal(doc.actions.length, 1);
        assert.equal(doc.actions[0].result, 'failed');
        assert.equal(doc.actions[0].error?.category, 'permission');
        assertNoSecrets([result.stdout, result.stderr], keys, "the CLI's output");
      });

      it('--wait follows the operation until the target state', async () => {
        const running = await pick(c, 'running');
        const result = await act(['stop', running.id, '-p', c.cloud, '--yes', '--wait', '--json']);
        assert.equal(result.code, 0, result.stderr);
        assert.equal(c.wireState(sim, running.id), 'stopped');
        assert.equal((JSON.parse(result.stdout) as ActionsDocument).actions[0].result, 'accepted');
      });
    });
  }

  describe('Oracle Cloud: SOFTSTOP, then STOP when asked again; the GPU shapes Oracle bills while stopped', () => {
    const oci = CASES.find((c) => c.cloud === 'oci')!;
    const stopping = (sim: Sim) => {
      const instance = ociCpu(sim)[0];
      instance.lifecycleState = 'STOPPING';
      return instance;
    };

    it('a stop of an instance already STOPPING (a graceful stop that hangs) sends STOP, and the plan says it forces it off', async () => {
      const instance = stopping(sim);
      const dry = await act(['stop', instance.id, '-p', 'oci', '--dry-run']);
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(
        dry.stdout,
        /lost: it is already stopping gracefully; this forces it off \(Oracle STOP\): unsaved data in memory is lost/,
      );
      assert.deepEqual(oci.writes(sim), []);
      const result = await act(['stop', instance.id, '-p', 'oci', '--yes', '--wait', '--json']);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(oci.writes(sim), [{ method: 'POST', path: `/20160918/instances/${instance.id}?action=STOP` }]);
      assert.equal(oci.wireState(sim, instance.id), 'stopped');
    });

    it("an action the state does not allow: Oracle's 409 IncorrectState, sent once (neither the SDK nor the transport retries it)", async () => {
      const instance = stopping(sim);
      const result = await act(['start', instance.id, '-p', 'oci', '--yes', '--json']);
      assert.equal(result.code, 1, result.stderr);
      assert.deepEqual(oci.writes(sim), [{ method: 'POST', path: `/20160918/instances/${instance.id}?action=START` }]);
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0], /Oracle Cloud refused to start .*STOPPING: action START is not allowed/);
      assert.equal((JSON.parse(result.stdout) as ActionsDocument).actions[0].result, 'failed');
    });

    it('a 503 (Oracle may have acted) fails once: neither the SDK nor the transport sends the InstanceAction again', async () => {
      const [instance] = ociCpu(sim);
      instance.lifecycleState = 'RUNNING';
      sim.faults.add('oci', 'POST /20160918/instances/:instanceId', { status: 503, times: 3 });
      const result = await act(['stop', instance.id, '-p', 'oci', '--yes', '--json']);
      assert.equal(result.code, 1, result.stderr);
      const sent = sim.log.entries().filter((e) => e.cloud === 'oci' && e.method === 'POST' && e.path.startsWith('/20160918/instances/'));
      assert.equal(sent.length, 1);
      const doc = JSON.parse(result.stdout) as ActionsDocument;
      assert.deepEqual([doc.actions[0].result, doc.actions[0].error?.category], ['failed', 'network']);
    });

    it('a GPU shape other than A10 is billed while stopped: the plan warns that stopping does not stop the charge; an A10 is not', async () => {
      const gpus = ociHome(sim).filter((i) => i.shape.includes('GPU') && i.preemptibleInstanceConfig == null);
      const [billed, a10] = gpus;
      billed.lifecycleState = 'RUNNING';
      billed.shape = billed.shape.startsWith('VM.GPU.A10.') ? 'BM.GPU.H100.8' : billed.shape;
      a10.lifecycleState = 'RUNNING';
      a10.shape = 'VM.GPU.A10.1';
      const warning = "warning: stopping does not stop Oracle's GPU charge; terminate it to stop paying";
      const onBilled = await act(['stop', billed.id, '-p', 'oci', '--dry-run']);
      assert.equal(onBilled.code, 0, onBilled.stderr);
      assert.ok(onBilled.stdout.includes(warning), onBilled.stdout);
      assert.match(onBilled.stdout, /still billed: the instance itself: \$[\d.]+\/h — Oracle keeps billing a stopped BM\.GPU/);
      const onA10 = await act(['stop', a10.id, '-p', 'oci', '--dry-run']);
      assert.equal(onA10.code, 0, onA10.stderr);
      assert.ok(!onA10.stdout.includes('warning:'), onA10.stdout);
      assert.match(onA10.stdout, /still billed: its boot volume and attached block volumes/);
      assert.deepEqual(oci.writes(sim), []);
    });
  });

  describe('a write goes through the transport, but is tried again only after a 429', () => {
    const actionCalls = () => sim.log.entries().filter((e) => e.cloud === 'runpod' && e.method === 'POST' && e.path.endsWith('/action'));

    it('a 503 (the pod may have stopped) fails once, not retried like a read', async () => {
      const running = await pick(CASES[1], 'running');
      sim.faults.add('runpod', 'POST /pods/:id/action', { status: 503, times: 3 });
      const result = await act(['stop', running.id, '-p', 'runpod', '--yes', '--json']);
      assert.equal(result.code, 1, result.stderr);
      assert.equal(actionCalls().length, 1);
      const doc = JSON.parse(result.stdout) as ActionsDocument;
      assert.equal(doc.actions[0].result, 'failed');
      assert.equal(doc.actions[0].error?.category, 'network');
    });

    it('a 429 (the cloud did nothing) is sent again after its Retry-After, and accepted', async () => {
      const running = await pick(CASES[1], 'running');
      sim.faults.add('runpod', 'POST /pods/:id/action', { status: 429, times: 1, headers: { 'Retry-After': '1' } });
      const result = await act(['stop', running.id, '-p', 'runpod', '--yes', '--json']);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(actionCalls().length, 2);
      assert.deepEqual(CASES[1].writes(sim), [CASES[1].expected(running, 'stop')]);
    });
  });

  describe('Google Cloud: what it stops, and how', () => {
    const gcp = CASES.find((c) => c.cloud === 'gcp')!;
    const stopCalls = () => sim.log.entries().filter((e) => e.cloud === 'gcp' && e.method === 'POST' && e.path.endsWith('/stop'));

    it('a VM with Local SSDs: the confirmation says their data is lost, and the stop sends discardLocalSsd=true', async () => {
      const all = await listed('gcp');
      const a3 = all.find(
        (r) => r.status === 'running' && Number(r.details?.['local SSDs'] ?? 0) > 0 && r.details?.['managed by'] === undefined,
      );
      assert.ok(a3, 'the sim runs an A3 High VM (16 Local SSDs)');
      const dry = await act(['stop', a3.id, '-p', 'gcp', '--dry-run']);
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stdout, /the data on its 16 Local SSDs: Cloudtop stops with discardLocalSsd=true/);
      assert.match(dry.stdout, /its persistent disks \(1 \(200 GB\)\), billed while the VM is stopped/);
      const stop = await act(['stop', a3.id, '-p', 'gcp', '--yes']);
      assert.equal(stop.code, 0, stop.stderr);
      assert.deepEqual(gcp.writes(sim), [gcp.expected(a3, 'stop')]);
      assert.equal(sim.state<GcpState>('gcp').writes[0].query.discardLocalSsd, 'true');
      // The bearer tokens the sim issued for the service account's key never reach the output either.
      const tokens = sim.state<GcpState>('gcp').issuedTokens;
      assert.ok(tokens.length > 0);
      assertNoSecrets([dry.stdout, dry.stderr, stop.stdout, stop.stderr], [...keys, ...tokens], "the CLI's output");
    });

    it('a GKE node (a managed instance group member) and a suspended VM are refused before anything is sent (exit 2)', async () => {
      const all = await listed('gcp');
      const node = all.find((r) => r.status === 'running' && r.details?.['managed by'] !== undefined)!;
      assert.match(String(node.details!['managed by']), /^instance group gke-/);
      const refused = await act(['stop', node.id, '-p', 'gcp', '--yes']);
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /cannot stop .*not GKE nodes or managed instance group members/);
      const suspended = all.find((r) => r.rawStatus === 'SUSPENDED')!;
      const start = await act(['start', suspended.id, '-p', 'gcp', '--yes']);
      assert.equal(start.code, 2, start.stderr);
      assert.match(start.stderr, /a suspended VM is resumed \(gcloud compute instances resume\), not started/);
      assert.deepEqual(gcp.writes(sim), []);
    });

    it('a 503 is not sent again; a 429 is, with the same requestId, so Google runs the stop once', async () => {
      const running = await pick(gcp, 'running');
      const route = 'POST /compute/v1/projects/:project/zones/:zone/instances/:instance/stop';
      sim.faults.add('gcp', route, { status: 503, times: 3 });
      const failed = await act(['stop', running.id, '-p', 'gcp', '--yes', '--json']);
      assert.equal(failed.code, 1, failed.stderr);
      assert.equal(stopCalls().length, 1);
      assertNoSecrets([failed.stdout, failed.stderr], [...keys, ...sim.state<GcpState>('gcp').issuedTokens], "the CLI's output");
      sim.reset();
      sim.faults.add('gcp', route, { status: 429, times: 1, headers: { 'Retry-After': '1' } });
      const accepted = await act(['stop', running.id, '-p', 'gcp', '--yes', '--json']);
      assert.equal(accepted.code, 0, accepted.stderr);
      const tries = stopCalls();
      assert.equal(tries.length, 2);
      const ids = tries.map((t) => new URLSearchParams(t.query).get('requestId'));
      assert.ok(ids[0] && ids[0] === ids[1], JSON.stringify(ids));
      assert.deepEqual(gcp.writes(sim), [gcp.expected(running, 'stop')]);
    });
  });

  (hasScript() ? it : it.skip)('on a terminal, without --yes, it asks: "n" sends nothing, "y" sends the stop', async () => {
    const running = await pick(CASES[0], 'running');
    const ask = (typed: string) => {
      const tty = startInTty(['stop', running.id, '-p', 'vastai', '--cache', 'memory'], env());
      return { tty, answer: async () => (await waitFor('the question', () => /\[y\/N\]/.test(tty.stdout())), tty.type(typed), tty.exited) };
    };
    const no = ask('n\r');
    const declined = await no.answer();
    assert.equal(declined.code, 0, declined.stdout);
    assert.match(no.tty.stdout(), /still billed: its disk/);
    assert.match(no.tty.stdout(), /cancelled: nothing was sent/);
    assert.deepEqual(CASES[0].writes(sim), []);
    const yes = ask('y\r');
    const accepted = await yes.answer();
    assert.equal(accepted.code, 0, accepted.stdout);
    assert.deepEqual(CASES[0].writes(sim), [CASES[0].expected(running, 'stop')]);
  });

  it('--wait that runs out of --timeout exits 1, the action failed with why', async () => {
    const running = await pick(CASES[0], 'running');
    sim.state<VastState>('vastai').pollsToSettle = 1000;
    const result = await act(['stop', running.id, '-p', 'vastai', '--yes', '--wait', '--timeout', '4s', '--json']);
    assert.equal(result.code, 1, result.stderr);
    const [entry] = (JSON.parse(result.stdout) as ActionsDocument).actions;
    assert.equal(entry.result, 'failed');
    assert.match(entry.error!.message, /accepted stop .* but it did not reach stopped within 4 s \(it is stopping\)/);
    assert.equal(CASES[0].writes(sim).length, 1);
  });

  it('a cloud that cannot be listed now: exit 1 with its error, nothing sent', async () => {
    const running = await pick(CASES[1], 'running');
    // The file cache now holds a good listing: the stop must not act on it once RunPod fails.
    assert.equal((await runCli(['-p', 'runpod'], env())).code, 0);
    sim.faults.add('runpod', 'GET /pods', { status: 503, times: Infinity });
    const result = await runCli(['stop', running.id, '-p', 'runpod', '--yes'], env(), { timeoutMs: 45_000 });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /RunPod failed \(network\): .*Nothing was sent/);
    assert.deepEqual(CASES[1].writes(sim), []);
    assert.equal(sim.log.entries().filter((e) => e.cloud === 'runpod' && e.method === 'POST').length, 0);
  });

  it('after a stop, the next cloudtop run (from the file cache) shows it stopping, not running', async () => {
    const running = await pick(CASES[0], 'running');
    assert.equal((await runCli(['stop', running.id, '-p', 'vastai', '--yes'], env(), { timeoutMs: 45_000 })).code, 0);
    const shown = await runCli(['--json', '-p', 'vastai'], env());
    const listed = (JSON.parse(shown.stdout) as JsonDocument).providers.vastai!.resources.find((r) => r.id === running.id)!;
    assert.equal(listed.status, 'stopping');
  });

  it("a cloud's names reach the terminal without control characters (plan, skip and refusal lines)", async () => {
    const instances = sim.state<VastState>('vastai').instances;
    const [runningId, stoppedId] = [(await pick(CASES[0], 'running')).id, (await pick(CASES[0], 'stopped')).id];
    const running = instances.find((i) => String(i.id) === runningId)!;
    const stopped = instances.find((i) => String(i.id) === stoppedId)!;
    running.label = '\u001b[2Jwiped\u202eevil\u0007';
    stopped.label = '\u001b]0;title\u0007quiet';
    const dry = await act(['stop', String(running.id), '-p', 'vastai', '--dry-run']);
    const skip = await act(['stop', String(stopped.id), '-p', 'vastai', '--yes']);
    sim.state<VastState>('vastai').readOnlyKeys.push(sim.keys().vastai);
    const refused = await act(['stop', String(running.id), '-p', 'vastai', '--yes']);
    assert.equal(refused.code, 1);
    for (const text of [dry.stdout, dry.stderr, skip.stdout, skip.stderr, refused.stdout, refused.stderr])
      assert.ok(!TERMINAL_ACTIVE.test(text), JSON.stringify(text));
    assert.match(dry.stdout, /wiped/);
  });

  it('an unknown resource and a name shared by several exit 2 and send nothing', async () => {
    const unknown = await act(['stop', 'no-such-thing', '-p', 'vastai', '--yes']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no resource "no-such-thing"/);
    const instances = sim.state<VastState>('vastai').instances;
    instances[0].label = 'twin';
    instances[1].label = 'twin';
    const twins = await act(['stop', 'twin', '-p', 'vastai', '--yes']);
    assert.equal(twins.code, 2);
    assert.match(twins.stderr, /"twin" names 2 resources/);
    assert.ok(twins.stderr.includes(String(instances[0].id)) && twins.stderr.includes(String(instances[1].id)), twins.stderr);
    assert.deepEqual(sim.state<VastState>('vastai').writes, []);
  });

  it('stop --idle --dry-run lists the idle GPU instances and sends nothing', async () => {
    // Two running instances whose GPUs sit at 1 % (Vast.ai's gpu_util is a percentage, as vast-cli prints it).
    const running = sim
      .state<VastState>('vastai')
      .instances.filter((i) => i.actual_status === 'running' && i.intended_status === 'running');
    for (const i of running.slice(0, 2)) i.gpu_util = 1;
    const result = await act(['stop', '--idle', '-p', 'vastai', '--dry-run', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const doc = JSON.parse(result.stdout) as ActionsDocument;
    // The sim's idle instances: running, GPU utilization under 5 % (the idle rule's default threshold).
    const idle = sim
      .state<VastState>('vastai')
      .instances.filter((i) => i.actual_status === 'running' && i.gpu_util !== null && i.gpu_util < 5)
      .map((i) => String(i.id))
      .sort();
    assert.ok(idle.length > 0, 'the sim has idle GPU instances');
    assert.deepEqual(doc.actions.map((a) => a.id).sort(), idle);
    assert.ok(doc.actions.every((a) => a.result === 'planned' && a.action === 'stop'));
    assert.deepEqual(sim.state<VastState>('vastai').writes, []);
  });
});
