// The simulated Google Cloud driven by the REAL Google Node libraries — @google-cloud/monitoring 5.4 (google-gax 5
// REST fallback) and google-auth-library 10 (UserRefreshClient, ExternalAccountClient, ExternalAccountAuthorizedUser
// Client, GoogleAuth with a service-account key) — and by plain fetch for the REST APIs Cloudtop calls without an SDK
// (Compute, GKE, Functions, Resource Manager, Billing Catalog): paging, enums, int64 strings, errors and the token
// endpoints, as google-gax's REST fallback (npm google-gax build/src/fallbackRest.js) puts them on the wire. Run:
//   node scripts/test-tls.cjs npx mocha --node-option import=tsx --extension ts --require test/setup/no-unhandled.ts test/sim/tests/gcp.test.ts
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MetricServiceClient } from '@google-cloud/monitoring/build/src/v3/metric_service_client';
import {
  ExternalAccountAuthorizedUserClient,
  ExternalAccountClient,
  gaxios,
  OAuth2Client,
  UserRefreshClient,
  type ExternalAccountAuthorizedUserClientOptions,
  type ExternalAccountClientOptions,
} from 'google-auth-library';
import {
  CLOUD_PLATFORM_SCOPE,
  GCE_STATUSES,
  GCLOUD_TOKEN,
  GCP_CLIENT_ID,
  GCP_CLIENT_SECRET,
  GCP_COMPUTE_SERVICE,
  GCP_REFRESH_TOKEN,
  GCP_SUBJECT_TOKEN,
  GCP_WORKFORCE_CLIENT_SECRET,
  GCP_WORKFORCE_REFRESH_TOKEN,
  GOOGLE_TOKEN_URL,
  gcpAuthorizedUser,
  gcpCloud,
  gcpCorePrice,
  gcpDistribution,
  gcpExternalAccount,
  gcpExternalAccountAuthorizedUser,
  gcpGpuPrice,
  gcpMetricValue,
  gcpRamPrice,
  gcpSeriesFor,
  gcpSeriesKey,
  gcpServiceAccount,
  gcpServiceAccountKey,
  installFakeGcloud,
  regionOf,
  type GcpInstance,
  type GcpState,
} from '../gcp';
import { HOSTILE_NAMES } from '../hostile';
import { startSim, type Sim } from '../server';
import { assertNoSecrets } from '../../support/secrets';

// The REST shapes these tests read (only the fields they look at).
interface Detail {
  '@type': string;
  reason?: string;
  domain?: string;
  metadata?: Record<string, string>;
  retryDelay?: string;
}
interface GoogleError {
  error: {
    code: number;
    message: string;
    status: string;
    errors?: { message: string; domain: string; reason: string }[];
    details?: Detail[];
  };
}
interface ProjectJson {
  name: string;
  projectId: string;
  state: string | number;
}
interface ProjectList {
  projects?: ProjectJson[];
  nextPageToken?: string;
}
interface InstanceJson {
  id: string;
  name: string;
  status: string;
  machineType: string;
  zone: string;
  creationTimestamp: string;
  scheduling: Record<string, unknown>;
  guestAccelerators?: { acceleratorType: string; acceleratorCount: number }[];
  disks: { diskSizeGb: string }[];
  networkInterfaces: { accessConfigs: { natIP?: string }[] }[];
}
interface Scope {
  instances?: InstanceJson[];
  warning?: { code: string; message: string; data: { key: string; value: string }[] };
}
interface AggregatedPage {
  kind: string;
  items: Record<string, Scope>;
  nextPageToken?: string;
  unreachables?: string[];
}
interface RunServiceJson {
  name: string;
  labels: Record<string, string>;
  uri: string;
  reconciling: boolean;
  terminalCondition: { type: string; state: string | number; message?: string };
  template: {
    scaling: { minInstanceCount: number };
    containers: { resources: { limits: Record<string, string> } }[];
    nodeSelector?: { accelerator: string };
  };
}
interface MachineTypeJson {
  guestCpus: number;
  memoryMb: number;
  description: string;
  accelerators?: { guestAcceleratorType: string; guestAcceleratorCount: number }[];
}
interface ClusterJson {
  name: string;
  status: string | number;
  statusMessage?: string;
  currentMasterVersion: string;
  currentNodeCount: number;
  nodePools: { name: string; config: { spot?: boolean; accelerators?: { acceleratorCount: string; acceleratorType: string }[] } }[];
}
interface FunctionJson {
  name: string;
  state: string | number;
  environment: string | number;
  serviceConfig: { uri: string };
  url: string;
  stateMessages: { severity: string | number }[];
}
interface SkuJson {
  skuId: string;
  description: string;
  category: { resourceGroup: string; usageType: string };
  serviceRegions: string[];
  geoTaxonomy: { type: string | number };
  pricingInfo: {
    pricingExpression: { usageUnit: string; tieredRates: { unitPrice: { currencyCode: string; units: string; nanos: number } }[] };
  }[];
}
interface OAuthAnswer {
  access_token?: string;
  expires_in?: number;
  token_type?: string;
  error?: string;
  error_description?: string;
}

interface Answer<T> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

const instancesOf = (page: AggregatedPage): InstanceJson[] => Object.values(page.items).flatMap((scope) => scope.instances ?? []);

const CPU = 'compute.googleapis.com/instance/cpu/utilization';
const GPU_TYPES = ['nvidia-tesla-t4', 'nvidia-tesla-v100', 'nvidia-tesla-a100', 'nvidia-a100-80gb', 'nvidia-h100-80gb', 'nvidia-l4'];
const noRetry = { retry: { retryCodes: [] } };

function run(bin: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(bin, args, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A service account's jwt-bearer assertion, signed as gtoken signs it (RS256, kid = private_key_id). */
function assertion(
  claims: Record<string, unknown>,
  key = gcpServiceAccount().privateKeyPem,
  kid = gcpServiceAccount().privateKeyId,
): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const signed = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64(claims)}`;
  return `${signed}.${createSign('RSA-SHA256').update(signed).sign(key).toString('base64url')}`;
}

type GaxiosError = gaxios.GaxiosError;

async function gaxiosRejection(fn: () => Promise<unknown>): Promise<GaxiosError> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof gaxios.GaxiosError, `expected a GaxiosError, got ${String(err)}`);
    return err;
  }
  assert.fail('the call should have failed');
}

describe('simulated Google Cloud with the real Google libraries', function () {
  this.timeout(20_000);
  let sim: Sim;
  let state: GcpState;
  let base: string;
  let port: number;

  async function api<T = GoogleError>(
    p: string,
    tokenValue: string | null = GCLOUD_TOKEN,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const res = await fetch(`${base}${p}`, { headers: { ...(tokenValue ? { Authorization: `Bearer ${tokenValue}` } : {}), ...headers } });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T, headers: res.headers };
  }
  async function post(p: string, form: Record<string, string>): Promise<Answer<OAuthAnswer>> {
    const res = await fetch(`${base}${p}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });
    return { status: res.status, body: (await res.json()) as OAuthAnswer, headers: res.headers };
  }
  const metrics = (accessToken = GCLOUD_TOKEN) => {
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: accessToken, expiry_date: Date.now() + 3600e3 });
    return new MetricServiceClient({ apiEndpoint: '127.0.0.1', port, protocol: 'http', fallback: true, authClient });
  };
  const project = (i = 0) => state.projects[i];
  /** All instances of a project through the aggregated list, and the pages it took. */
  const aggregated = async (projectId: string, query = 'maxResults=500&returnPartialSuccess=true') => {
    const pages: AggregatedPage[] = [];
    let pageToken = '';
    do {
      const a = await api<AggregatedPage>(
        `/compute/v1/projects/${projectId}/aggregated/instances?${query}${pageToken ? `&pageToken=${pageToken}` : ''}`,
      );
      assert.equal(a.status, 200, JSON.stringify(a.body));
      pages.push(a.body);
      pageToken = a.body.nextPageToken ?? '';
    } while (pageToken);
    return { pages, instances: pages.flatMap(instancesOf) };
  };
  const window = () => {
    const end = Math.floor(Date.now() / 1000);
    return { startTime: { seconds: end - 600 }, endTime: { seconds: end } };
  };
  const detail = (e: GoogleError, type: string): Detail | undefined =>
    e.error.details?.find((d) => d['@type'] === `type.googleapis.com/google.rpc.${type}`);

  before(async () => {
    sim = await startSim({ clouds: [gcpCloud()] });
    base = sim.endpoint('gcp');
    port = Number(new URL(base).port);
  });
  after(() => sim.close());
  beforeEach(() => {
    sim.reset();
    state = sim.state<GcpState>('gcp');
  });

  it('removes the key directory its test environment wrote when it closes (issue 25, failure 8)', async () => {
    const own = await startSim({ clouds: [gcpCloud()] });
    const file = own.envs().gcp.GOOGLE_APPLICATION_CREDENTIALS;
    assert.ok(statSync(file).isFile());
    await own.close();
    assert.throws(() => statSync(path.dirname(file)), /ENOENT/, 'the key directory is gone');
  });

  it('serves plain http at its own port root and lists projects with int enums and int64 numbers as strings', async () => {
    assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/, 'an http origin of its own');
    const plain = await api<ProjectList>('/v3/projects:search');
    assert.equal(plain.status, 200);
    const projects = plain.body.projects ?? [];
    assert.deepEqual(
      projects.map((p) => p.state),
      ['ACTIVE', 'ACTIVE', 'DELETE_REQUESTED'],
    );
    assert.ok(
      projects.every((p) => /^projects\/\d{12}$/.test(p.name)),
      'names are projects/<12-digit number>',
    );
    assert.match(projects[0].projectId, /^sim-prod-\d{4}$/);
    const ints = await api<ProjectList>('/v3/projects:search?$alt=json%3Benum-encoding=int');
    assert.deepEqual(
      ints.body.projects?.map((p) => p.state),
      [1, 1, 2],
    );
    const first = await api<ProjectList>('/v3/projects:search?pageSize=2');
    assert.equal(first.body.projects?.length, 2);
    const second = await api<ProjectList>(`/v3/projects:search?pageSize=2&pageToken=${first.body.nextPageToken ?? ''}`);
    assert.equal(second.body.projects?.length, 1);
    assert.equal(second.body.nextPageToken, undefined, 'the last page has no token');
    const active = await api<ProjectList>(`/v3/projects:search?query=${encodeURIComponent('state:ACTIVE')}`);
    assert.equal(active.body.projects?.length, 2);
    assert.equal((await api('/v3/projects:search?query=bogus')).status, 400);
  });

  it('pages the aggregated list short, naming every zone on every page, with one warning-only page', async () => {
    const p = project();
    const { pages, instances } = await aggregated(p.projectId);
    assert.equal(instances.length, p.instances.length, 'every VM once');
    assert.equal(new Set(instances.map((i) => i.id)).size, instances.length, 'no VM twice');
    assert.equal(pages.length, Math.ceil(p.instances.length / 4) + 1, 'pages of 4 (maxResults 500 notwithstanding) plus one empty page');
    for (const page of pages) {
      assert.deepEqual(Object.keys(page.items).sort(), p.zones.map((z) => `zones/${z}`).sort(), 'every zone on every page');
      assert.ok(instancesOf(page).length <= 4, 'at most 4 per page');
      assert.equal(page.kind, 'compute#instanceAggregatedList');
    }
    const empty = pages.find((page) => Object.values(page.items).every((scope) => scope.warning));
    assert.ok(empty, 'a page where every zone only warns');
    assert.ok(empty.nextPageToken, 'and a token after it');
    const warning = empty.items[`zones/${p.zones[0]}`].warning;
    assert.equal(warning?.code, 'NO_RESULTS_ON_PAGE');
    assert.deepEqual(warning?.data[0], { key: 'scope', value: `zones/${p.zones[0]}` });
    assert.equal(
      (await aggregated(p.projectId, 'maxResults=2')).pages.length,
      Math.ceil(p.instances.length / 2) + 1,
      'maxResults below the page size wins',
    );
  });

  it('lists every status, the GPU types, Spot and int64 ids above 2^53 as strings', async () => {
    const p = project();
    const { instances } = await aggregated(p.projectId);
    assert.deepEqual([...new Set(instances.map((i) => i.status))].sort(), [...GCE_STATUSES].sort(), 'every status');
    assert.ok(
      instances.every((i) => typeof i.id === 'string' && BigInt(i.id) > 2n ** 53n),
      'ids are decimal strings beyond 2^53',
    );
    const byName = new Map(instances.map((i) => [i.name, i]));
    const body = (vm: GcpInstance): InstanceJson => byName.get(vm.name)!;
    for (const type of GPU_TYPES) {
      const vm = p.instances.find((v) => v.acceleratorType === type && v.status === 'RUNNING' && v.provisioningModel === 'STANDARD');
      assert.ok(vm, `a running standard ${type} VM`);
      assert.deepEqual(body(vm).guestAccelerators, [
        {
          acceleratorType: `https://www.googleapis.com/compute/v1/projects/${p.projectId}/zones/${vm.zone}/acceleratorTypes/${type}`,
          acceleratorCount: vm.acceleratorCount,
        },
      ]);
    }
    const spot = p.instances.find((v) => v.provisioningModel === 'SPOT' && v.status === 'RUNNING' && v.acceleratorCount > 0)!;
    assert.deepEqual(body(spot).scheduling, {
      onHostMaintenance: 'TERMINATE',
      automaticRestart: false,
      preemptible: true,
      provisioningModel: 'SPOT',
      instanceTerminationAction: 'STOP',
    });
    const a3vm = p.instances.find((v) => v.machineType === 'a3-highgpu-8g')!;
    const a3 = body(a3vm);
    assert.deepEqual(
      a3.guestAccelerators,
      [
        {
          acceleratorType: `https://www.googleapis.com/compute/v1/projects/${p.projectId}/zones/${a3vm.zone}/acceleratorTypes/nvidia-h100-80gb`,
          acceleratorCount: 8,
        },
      ],
      'A3 lists its built-in GPUs',
    );
    assert.match(a3.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}-0[78]:00$/, 'Pacific time with milliseconds');
    assert.equal(typeof a3.disks[0].diskSizeGb, 'string', 'diskSizeGb is int64');
    const types = new Set(instances.map((i) => i.machineType.split('/').pop()));
    for (const t of [
      'n1-standard-8',
      'n1-standard-16',
      'a2-highgpu-1g',
      'a2-ultragpu-2g',
      'a3-highgpu-8g',
      'g2-standard-8',
      'e2-medium',
      'n2-standard-4',
    ])
      assert.ok(types.has(t), `machine type ${t}`);
    const terminated = instances.find((i) => i.status === 'TERMINATED')!;
    assert.equal(terminated.networkInterfaces[0].accessConfigs[0].natIP, undefined, 'a stopped VM has no external address');
    const other = await aggregated(project(1).projectId);
    assert.deepEqual(
      [...new Set(other.instances.map((i) => i.status))].sort(),
      [...GCE_STATUSES].sort(),
      'every status in the second project too',
    );
  });

  it('answers machine types with real sizes and a Compute 404 with the legacy errors array', async () => {
    const p = project().projectId;
    const mt = (zone: string, type: string) => api<MachineTypeJson>(`/compute/v1/projects/${p}/zones/${zone}/machineTypes/${type}`);
    const a2 = await mt('us-central1-a', 'a2-highgpu-1g');
    assert.equal(a2.status, 200);
    assert.deepEqual(
      [a2.body.guestCpus, a2.body.memoryMb, a2.body.accelerators],
      [12, 87040, [{ guestAcceleratorType: 'nvidia-tesla-a100', guestAcceleratorCount: 1 }]],
    );
    const n1 = await mt('us-central1-a', 'n1-standard-8');
    assert.deepEqual(
      [n1.body.guestCpus, n1.body.memoryMb, n1.body.description, n1.body.accelerators],
      [8, 30720, '8 vCPUs, 30 GB RAM', undefined],
    );
    const a3 = await mt('us-central1-c', 'a3-highgpu-8g');
    assert.deepEqual([a3.body.guestCpus, a3.body.memoryMb], [208, 1916928]);
    const missing = await api(`/compute/v1/projects/${p}/zones/us-central1-a/machineTypes/z9-huge`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.status, 'NOT_FOUND');
    assert.deepEqual(missing.body.error.errors, [
      {
        message: `The resource 'projects/${p}/zones/us-central1-a/machineTypes/z9-huge' was not found`,
        domain: 'global',
        reason: 'notFound',
      },
    ]);
    assert.deepEqual(state.machineTypeCalls, {
      'us-central1-a/a2-highgpu-1g': 1,
      'us-central1-a/n1-standard-8': 1,
      'us-central1-c/a3-highgpu-8g': 1,
      'us-central1-a/z9-huge': 1,
    });
  });

  it('lists GKE clusters with every status across projects, int enums and int64 accelerator counts', async () => {
    const clusters = (projectId: string, location: string, ints = false) =>
      api<{ clusters?: ClusterJson[] }>(
        `/v1/projects/${projectId}/locations/${location}/clusters${ints ? '?$alt=json%3Benum-encoding=int' : ''}`,
      );
    const statuses: (string | number)[] = [];
    for (const p of state.projects.slice(0, 2)) {
      const a = await clusters(p.projectId, '-', true);
      assert.equal(a.status, 200);
      statuses.push(...(a.body.clusters ?? []).map((c) => c.status));
    }
    assert.deepEqual(statuses.sort(), [1, 2, 2, 3, 4, 5, 6], 'PROVISIONING 1 … DEGRADED 6');
    const named = await clusters(project().projectId, '-');
    const ml = named.body.clusters?.find((c) => c.name === 'ml-training');
    assert.ok(ml, 'the GPU cluster');
    assert.equal(ml.status, 'RUNNING');
    assert.equal(ml.currentMasterVersion, '1.31.3-gke.1535000');
    const gpuPool = ml.nodePools.find((np) => np.name === 'gpu-pool');
    assert.deepEqual(gpuPool?.config.accelerators, [
      { acceleratorCount: '1', acceleratorType: 'nvidia-tesla-t4', gpuDriverInstallationConfig: { gpuDriverVersion: 'DEFAULT' } },
    ]);
    assert.equal(gpuPool?.config.spot, true);
    assert.equal(ml.currentNodeCount, 6, 'two pools of one node in each of three zones');
    const zonal = await clusters(project().projectId, 'us-east1-b');
    assert.deepEqual(
      zonal.body.clusters?.map((c) => [c.name, c.status, c.statusMessage !== undefined]),
      [['broken-dev', 'ERROR', true]],
    );
    assert.deepEqual((await clusters(project().projectId, 'asia-east1')).body, {}, 'no clusters: an empty body');
  });

  it('pages Cloud Functions by five, both generations, every state, int enums', async () => {
    const all: FunctionJson[] = [];
    for (const p of state.projects.slice(0, 2)) {
      let pageToken = '';
      let pages = 0;
      do {
        const a = await api<{ functions: FunctionJson[]; nextPageToken?: string }>(
          `/v2/projects/${p.projectId}/locations/-/functions?$alt=json%3Benum-encoding=int${pageToken ? `&pageToken=${pageToken}` : ''}`,
        );
        assert.equal(a.status, 200);
        assert.ok(a.body.functions.length <= 5, 'at most five per page');
        all.push(...a.body.functions);
        pageToken = a.body.nextPageToken ?? '';
        pages++;
      } while (pageToken);
      assert.equal(pages, 2, `${p.projectId}: ${p.functions.length} functions in two pages`);
    }
    assert.deepEqual([...new Set(all.map((f) => f.state))].sort(), [1, 2, 3, 4, 5], 'ACTIVE 1 … UNKNOWN 5');
    assert.deepEqual([...new Set(all.map((f) => f.environment))].sort(), [1, 2]);
    const gen2 = all.find((f) => f.environment === 2 && f.state === 1)!;
    assert.match(gen2.serviceConfig.uri, /^https:\/\/[a-z0-9-]+-[a-j]{10}-[a-z]{2}\.a\.run\.app$/);
    assert.match(gen2.url, /^https:\/\/[a-z0-9-]+-sim-[a-z]+-\d{4}\.cloudfunctions\.net\//);
    assert.equal(all.find((f) => f.state === 2)?.stateMessages[0].severity, 1, 'StateMessage severity ERROR as 1');
    const eu = await api<{ functions: FunctionJson[] }>(`/v2/projects/${project().projectId}/locations/europe-west4/functions`);
    assert.deepEqual(
      eu.body.functions.map((f) => [f.name, f.environment, f.state]),
      [[`projects/${project().projectId}/locations/europe-west4/functions/nightly-report`, 'GEN_2', 'ACTIVE']],
    );
  });

  it('serves listTimeSeries to MetricServiceClient: pages, newest-first points, decoded int enums, exact values', async () => {
    state.seriesPageSize = 3;
    const p = project();
    const client = metrics();
    const request = {
      name: `projects/${p.projectId}`,
      filter: `metric.type="${CPU}" AND resource.type="gce_instance"`,
      interval: window(),
      aggregation: { alignmentPeriod: { seconds: 300 }, perSeriesAligner: 'ALIGN_MEAN' as const },
      view: 'FULL' as const,
    };
    const [firstPage, next] = await client.listTimeSeries(request, { ...noRetry, autoPaginate: false });
    assert.equal(firstPage.length, 3, 'seriesPageSize 3');
    assert.ok(next?.pageToken, 'a next page');
    const [series] = await client.listTimeSeries(request, noRetry);
    const running = p.instances.filter((vm) => vm.status === 'RUNNING');
    assert.equal(series.length, running.length, 'one series per RUNNING VM');
    const s = series[0];
    assert.equal(s.metricKind, 'GAUGE', 'int enums from the wire decode to names');
    assert.equal(s.valueType, 'DOUBLE');
    const vmId = s.resource?.labels?.instance_id ?? '';
    assert.equal(s.metric?.labels?.instance_name, p.instances.find((vm) => vm.id === vmId)?.name);
    const points = s.points ?? [];
    assert.equal(points.length, 2, 'ten minutes in 300 s buckets');
    const t = (i: number) => Number(points[i].interval?.endTime?.seconds);
    assert.equal(t(0) - t(1), 300, 'newest first');
    assert.equal(t(0) % 60, 0, 'on minute boundaries');
    const key = gcpSeriesKey(vmId, { instance_name: s.metric?.labels?.instance_name ?? '' });
    const mean = [0, 1, 2, 3, 4].reduce((sum, k) => sum + gcpMetricValue(CPU, key, k), 0) / 5;
    assert.ok(Math.abs((points[0].value?.doubleValue ?? NaN) - mean) < 1e-12, `bucket 0 is the mean of minutes back 0–4 (${mean})`);
    const queries = state.monitoringQueries.filter((q) => q.metricType === CPU);
    assert.ok(queries.length >= 2 && queries.every((q) => q.resourceType === 'gce_instance' && q.status === 200), 'queries recorded');
    assert.ok(
      queries.some((q) => q.pageToken),
      'the follow-up page carried its token',
    );
    assert.ok(
      queries.every((q) => !p.instances.some((vm) => q.filter.includes(vm.id) || q.filter.includes(vm.name))),
      'no filter names an instance',
    );
    assert.ok(
      sim.log
        .entries()
        .filter((e) => e.path.endsWith('/timeSeries'))
        .every((e) => e.query.includes('%24alt=json%3Benum-encoding%3Dint')),
      'the client asked for int enums',
    );
  });

  it('gives two network series per VM to sum, rates per second, GPU series per GPU, distributions and empty answers', async () => {
    const p = project();
    const client = metrics();
    const list = async (
      metric: string,
      resource: string,
      aggregation?: { alignmentPeriod: { seconds: number }; perSeriesAligner: 'ALIGN_RATE' | 'ALIGN_DELTA' },
    ) =>
      (
        await client.listTimeSeries(
          {
            name: `projects/${p.projectId}`,
            filter: `metric.type = "${metric}" AND resource.type = "${resource}"`,
            interval: window(),
            ...(aggregation ? { aggregation } : {}),
          },
          noRetry,
        )
      )[0];
    const rx = 'compute.googleapis.com/instance/network/received_bytes_count';
    const net = await list(rx, 'gce_instance', { alignmentPeriod: { seconds: 60 }, perSeriesAligner: 'ALIGN_RATE' });
    const running = p.instances.filter((vm) => vm.status === 'RUNNING');
    assert.equal(net.length, running.length * 2, 'loadbalanced true and false per VM');
    const one = net.find((x) => x.metric?.labels?.loadbalanced === 'false')!;
    assert.equal(one.metricKind, 'GAUGE', 'ALIGN_RATE gives a GAUGE');
    const expectedRate = gcpMetricValue(rx, gcpSeriesKey(one.resource?.labels?.instance_id ?? '', one.metric?.labels ?? {}), 0) / 60;
    assert.ok(Math.abs((one.points?.[0].value?.doubleValue ?? NaN) - expectedRate) < 1e-9, 'bytes per minute / 60');
    const raw = await list(rx, 'gce_instance');
    assert.equal(raw[0].metricKind, 'DELTA');
    assert.equal(raw[0].points?.length, 10, 'raw: one point a minute');
    assert.equal(typeof raw[0].points?.[0].value?.int64Value, 'string', 'int64 as a string');
    assert.equal(
      Number(raw[0].points?.[0].interval?.endTime?.seconds) - Number(raw[0].points?.[0].interval?.startTime?.seconds),
      60,
      'a DELTA point spans its minute',
    );

    const gpu = await list('agent.googleapis.com/gpu/utilization', 'gce_instance');
    const withAgent = running.filter((vm) => vm.acceleratorCount > 0 && state.opsAgent.includes(vm.id));
    const without = running.filter((vm) => vm.acceleratorCount > 0 && !state.opsAgent.includes(vm.id));
    assert.ok(without.length >= 1, 'a running GPU VM without the Ops Agent');
    assert.equal(
      gpu.length,
      withAgent.reduce((n, vm) => n + vm.acceleratorCount, 0),
      'one series per GPU',
    );
    assert.ok(
      gpu.every((x) => !without.some((vm) => vm.id === x.resource?.labels?.instance_id)),
      'nothing for agentless VMs',
    );
    assert.ok(
      gpu.some((x) => x.metric?.labels?.model === 'NVIDIA H100 80GB HBM3' && x.metric.labels.gpu_number === '7'),
      'the A3 reports eight GPUs',
    );
    const memory = await list('agent.googleapis.com/memory/percent_used', 'gce_instance');
    const vmMem = memory.filter((x) => x.resource?.labels?.instance_id === withAgent[0].id);
    assert.deepEqual(vmMem.map((x) => x.metric?.labels?.state).sort(), ['buffered', 'cached', 'free', 'slab', 'used']);
    assert.ok(
      Math.abs(vmMem.reduce((sum, x) => sum + (x.points?.[0].value?.doubleValue ?? 0), 0) - 100) < 1e-6,
      'the states add up to 100 %',
    );

    const times = await list('cloudfunctions.googleapis.com/function/execution_times', 'cloud_function', {
      alignmentPeriod: { seconds: 600 },
      perSeriesAligner: 'ALIGN_DELTA',
    });
    const ok = times.find((x) => x.metric?.labels?.status === 'ok')!;
    assert.equal(ok.valueType, 'DISTRIBUTION');
    const fnKey = gcpSeriesKey(
      `projects/${p.projectId}/locations/${ok.resource?.labels?.region ?? ''}/functions/${ok.resource?.labels?.function_name ?? ''}`,
      { status: 'ok' },
    );
    const count = Array.from(
      { length: 10 },
      (_, k) => gcpDistribution('cloudfunctions.googleapis.com/function/execution_times', fnKey, k).count,
    ).reduce((a, b) => a + b, 0);
    assert.equal(ok.points?.[0].value?.distributionValue?.count, String(count), 'the 10-minute count of executions');
    const runSeries = gcpSeriesFor(p, state.opsAgent, 'run.googleapis.com/request_count');
    assert.ok(
      runSeries.length > 0 && runSeries.every((x) => x.resourceLabels.service_name && x.metricLabels.response_code_class),
      'gen2 functions answer as Cloud Run revisions',
    );

    assert.deepEqual(await list('compute.googleapis.com/instance/uptime_total', 'gce_instance'), [], 'an unknown metric: an empty answer');
    const bodyOfUnknown = await api<object>(
      `/v3/projects/${p.projectId}/timeSeries?filter=${encodeURIComponent('metric.type="nope/x"')}&interval.endTime=2026-11-01T12:00:00Z`,
    );
    assert.deepEqual(bodyOfUnknown.body, {}, 'no timeSeries key at all');
  });

  it('refuses unparseable filters and a missing endTime with 400 INVALID_ARGUMENT, and surfaces a 429 with its status', async () => {
    const client = metrics();
    const name = `projects/${project().projectId}`;
    const badFilter = await gaxiosRejection(() =>
      client.listTimeSeries({ name, filter: `metric.type="${CPU}" OR resource.type="gce_instance"`, interval: window() }, noRetry),
    );
    assert.equal(badFilter.status, 400);
    assert.match(String(badFilter.message), /INVALID_ARGUMENT/);
    const noEnd = await api(`/v3/projects/${project().projectId}/timeSeries?filter=${encodeURIComponent(`metric.type="${CPU}"`)}`);
    assert.equal(noEnd.status, 400);
    assert.equal(noEnd.body.error.status, 'INVALID_ARGUMENT');
    sim.faults.add('gcp', 'GET /v3/projects/:project/timeSeries', { status: 429 });
    const limited = await gaxiosRejection(() =>
      client.listTimeSeries({ name, filter: `metric.type="${CPU}"`, interval: window() }, noRetry),
    );
    assert.equal(limited.status, 429, 'gax 5 throws the GaxiosError with the HTTP status');
    sim.faults.add('gcp', 'GET /compute/v1/projects/:project/aggregated/instances', { status: 429 });
    const compute = await api(`/compute/v1/projects/${project().projectId}/aggregated/instances`);
    assert.equal(compute.status, 429);
    assert.equal(compute.headers.get('retry-after'), '30');
    assert.equal(compute.body.error.status, 'RESOURCE_EXHAUSTED');
    assert.equal(compute.body.error.errors?.[0].reason, 'rateLimitExceeded');
    assert.equal(detail(compute.body, 'RetryInfo')?.retryDelay, '30s');
    const info = detail(compute.body, 'ErrorInfo');
    assert.deepEqual(
      [info?.reason, info?.domain, info?.metadata?.service, info?.metadata?.consumer],
      ['RATE_LIMIT_EXCEEDED', 'googleapis.com', 'compute.googleapis.com', `projects/${project().number}`],
    );
  });

  it('answers 401 UNAUTHENTICATED for missing, unknown and revoked tokens, with WWW-Authenticate', async () => {
    const p = `/compute/v1/projects/${project().projectId}/aggregated/instances`;
    const missing = await api(p, null);
    assert.equal(missing.status, 401);
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="https://accounts.google.com/"');
    assert.equal(detail(missing.body, 'ErrorInfo')?.reason, 'CREDENTIALS_MISSING');
    const unknown = await api('/v3/projects:search', 'ya29.not-issued');
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.error.status, 'UNAUTHENTICATED');
    assert.match(unknown.body.error.message, /^Request had invalid authentication credentials\. Expected OAuth 2 access token/);
    assert.equal(detail(unknown.body, 'ErrorInfo')?.reason, 'ACCESS_TOKEN_TYPE_UNSUPPORTED');
    assert.equal(unknown.body.error.errors, undefined, 'no legacy array outside Compute');
    state.revokedTokens.push(GCLOUD_TOKEN);
    assert.equal((await api(p)).status, 401, 'a revoked token');
    const viaClient = await gaxiosRejection(() =>
      metrics().listTimeSeries({ name: `projects/${project().projectId}`, filter: `metric.type="${CPU}"`, interval: window() }, noRetry),
    );
    assert.equal(viaClient.status, 401);
  });

  it('answers 403 for a refused project and SERVICE_DISABLED for an API it never enabled', async () => {
    const p = project();
    state.refusedProjects.push(p.projectId);
    const compute = await api(`/compute/v1/projects/${p.projectId}/aggregated/instances`);
    assert.equal(compute.status, 403);
    assert.equal(compute.body.error.message, `Required 'compute.instances.list' permission for 'projects/${p.projectId}'`);
    assert.equal(compute.body.error.errors?.[0].reason, 'forbidden');
    const monitoring = await gaxiosRejection(() =>
      metrics().listTimeSeries({ name: `projects/${p.projectId}`, filter: `metric.type="${CPU}"`, interval: window() }, noRetry),
    );
    assert.equal(monitoring.status, 403);
    assert.match(String(monitoring.message), /Permission monitoring\.timeSeries\.list denied \(or the resource may not exist\)\./);
    assert.equal(state.monitoringQueries.at(-1)?.status, 403);
    assert.equal((await api<ProjectList>('/v3/projects:search')).body.projects?.length, 3, 'a refused project is still listed');
    const second = project(1);
    state.disabledApis[second.projectId] = ['cloudfunctions.googleapis.com', 'container.googleapis.com'];
    const fn = await api(`/v2/projects/${second.projectId}/locations/-/functions`);
    assert.equal(fn.status, 403);
    assert.equal(fn.body.error.status, 'PERMISSION_DENIED');
    assert.match(
      fn.body.error.message,
      new RegExp(
        `^Cloud Functions API has not been used in project ${second.number} before or it is disabled\\. Enable it by visiting https://console\\.developers\\.google\\.com/apis/api/cloudfunctions\\.googleapis\\.com/overview\\?project=${second.number} then retry\\.`,
      ),
    );
    const info = detail(fn.body, 'ErrorInfo');
    assert.deepEqual(
      [info?.reason, info?.metadata?.service, info?.metadata?.consumer, info?.metadata?.activationUrl],
      [
        'SERVICE_DISABLED',
        'cloudfunctions.googleapis.com',
        `projects/${second.number}`,
        `https://console.developers.google.com/apis/api/cloudfunctions.googleapis.com/overview?project=${second.number}`,
      ],
    );
    assert.equal(
      detail((await api(`/v1/projects/${second.projectId}/locations/-/clusters`)).body, 'ErrorInfo')?.reason,
      'SERVICE_DISABLED',
    );
    assert.equal(
      (await api(`/compute/v1/projects/${second.projectId}/aggregated/instances`)).status,
      200,
      'Compute is still enabled there',
    );
    assert.equal((await api('/compute/v1/projects/no-such-project/aggregated/instances')).status, 404);
  });

  it('pages the Billing Catalog and prices GPUs, cores and RAM per region as a correct matcher reads them', async () => {
    const skus: SkuJson[] = [];
    let pageToken = '';
    let pages = 0;
    do {
      const a = await api<{ skus: SkuJson[]; nextPageToken: string }>(
        `/v1/services/${GCP_COMPUTE_SERVICE}/skus?currencyCode=USD&$alt=json%3Benum-encoding=int${pageToken ? `&pageToken=${pageToken}` : ''}`,
      );
      assert.equal(a.status, 200);
      skus.push(...a.body.skus);
      pageToken = a.body.nextPageToken;
      pages++;
    } while (pageToken !== '');
    assert.ok(pages >= 4 && skus.length > 120, `several pages of 40 (${skus.length} SKUs in ${pages})`);
    assert.equal(new Set(skus.map((s) => s.skuId)).size, skus.length, 'unique SKU ids');
    const price = (s: SkuJson | undefined) => {
      const unit = s?.pricingInfo[0].pricingExpression.tieredRates[0].unitPrice;
      return unit ? Number(unit.units) + unit.nanos / 1e9 : undefined;
    };
    const named = (description: string) => skus.find((s) => s.description === description);
    // A correct matcher: category GPU, the usage type, the region, and the exact model name before " GPU running in".
    const match = (model: string, region: string, usage: string) =>
      skus.find(
        (s) =>
          s.category.resourceGroup === 'GPU' &&
          s.category.usageType === usage &&
          s.serviceRegions.includes(region) &&
          new RegExp(`^${usage === 'Preemptible' ? 'Spot Preemptible ' : ''}${model} GPU running in `).test(s.description),
      );
    const a100 = match('Nvidia Tesla A100', 'us-central1', 'OnDemand');
    assert.equal(a100?.description, 'Nvidia Tesla A100 GPU running in Americas');
    assert.deepEqual(a100?.pricingInfo[0].pricingExpression.tieredRates[0].unitPrice, {
      currencyCode: 'USD',
      units: '2',
      nanos: 933908000,
    });
    assert.equal(a100?.geoTaxonomy.type, 3, 'MULTI_REGIONAL as 3');
    assert.equal(price(a100), gcpGpuPrice('nvidia-tesla-a100', 'us-central1', 'OnDemand'));
    assert.equal(
      price(match('Nvidia Tesla A100 80GB', 'europe-west4', 'OnDemand')),
      gcpGpuPrice('nvidia-a100-80gb', 'europe-west4', 'OnDemand'),
    );
    assert.equal(price(match('Nvidia Tesla T4', 'asia-east1', 'Preemptible')), gcpGpuPrice('nvidia-tesla-t4', 'asia-east1', 'Preemptible'));
    assert.ok(
      gcpGpuPrice('nvidia-l4', 'europe-west4', 'OnDemand')! > gcpGpuPrice('nvidia-l4', 'us-east1', 'OnDemand')!,
      'EMEA dearer than the Americas',
    );
    assert.ok(
      gcpGpuPrice('nvidia-h100-80gb', 'us-central1', 'Preemptible')! < gcpGpuPrice('nvidia-h100-80gb', 'us-central1', 'OnDemand')!,
      'Spot cheaper',
    );
    assert.equal(gcpGpuPrice('nvidia-a100-80gb', 'asia-east1', 'OnDemand'), undefined, 'not offered there');
    const ram = named('A2 Instance Ram running in Americas');
    assert.equal(ram?.pricingInfo[0].pricingExpression.usageUnit, 'GiBy.h');
    assert.equal(price(ram), gcpRamPrice('a2', 'us-central1', 'OnDemand'));
    assert.equal(
      price(named('Spot Preemptible N1 Predefined Instance Core running in EMEA')),
      gcpCorePrice('n1', 'europe-west4', 'Preemptible'),
    );
    for (const decoy of [
      'Commitment v1: Nvidia Tesla A100 GPU in Americas for 1 Year',
      'Reserved Nvidia Tesla T4 GPU in Americas',
      'Nvidia Tesla T4 GPU attached to Sole Tenancy running in Americas',
      'Nvidia Tesla T4 Virtual Workstation GPU running in Americas',
      'Nvidia Tesla T4 GPU attached to Sole Tenancy VMs running in Americas',
      'Commitment v1: H200 141GB GPU running in Americas for 3 Years',
    ]) {
      assert.ok(named(decoy), `decoy ${decoy}`);
    }
    // Today's wordings (sc-crawler tests/test_gcp.py; the DWS SKUs of cloud.google.com/skus/sku-groups/flex-start-mode-a3-vms).
    const current: readonly (readonly [string, string, string, number | undefined])[] = [
      ['H200 141GB GPU running in Americas', 'GPU', 'OnDemand', gcpGpuPrice('nvidia-h200-141gb', 'us-central1', 'OnDemand')],
      ['Nvidia H100 80GB Plus GPU running in Americas', 'GPU', 'OnDemand', gcpGpuPrice('nvidia-h100-mega-80gb', 'us-central1', 'OnDemand')],
      [
        'Nvidia H100 80GB Mega GPU attached to Spot Preemptible VMs running in Americas',
        'GPU',
        'Preemptible',
        gcpGpuPrice('nvidia-h100-mega-80gb', 'us-central1', 'Preemptible'),
      ],
      ['A4 Nvidia B200 (1 gpu slice) running in Americas', 'GPU', 'OnDemand', gcpGpuPrice('nvidia-b200', 'us-central1', 'OnDemand')],
      [
        'Spot Preemptible A4 Nvidia B200 (1 gpu slice) running in Americas',
        'GPU',
        'OnDemand',
        gcpGpuPrice('nvidia-b200', 'us-central1', 'Preemptible'),
      ],
      ['RTX 6000 96GB running in Iowa', 'GPU', 'OnDemand', gcpGpuPrice('nvidia-rtx-pro-6000', 'us-central1', 'OnDemand')],
      [
        'Nvidia H100 80GB GPU attached to DWS Defined Duration VMs running in Americas',
        'GPU',
        'OnDemand',
        gcpGpuPrice('nvidia-h100-80gb', 'us-central1', 'FlexStart'),
      ],
      ['A3Plus Instance Core running in Americas', 'CPU', 'OnDemand', gcpCorePrice('a3plus', 'us-central1', 'OnDemand')],
      ['A3Ultra Instance Ram running in Americas', 'RAM', 'OnDemand', gcpRamPrice('a3ultra', 'us-central1', 'OnDemand')],
      ['DWS Defined Duration A3 Core running in Americas', 'CPU', 'OnDemand', gcpCorePrice('a3', 'us-central1', 'FlexStart')],
      ['1/8 vGPU no lssd running in Iowa', 'GPU', 'OnDemand', 0.64688],
    ];
    for (const [description, group, usage, expected] of current) {
      const s = named(description);
      assert.deepEqual([s?.category.resourceGroup, s?.category.usageType], [group, usage], description);
      assert.ok(expected !== undefined && price(s) === expected, `${description}: ${price(s)} vs ${expected}`);
    }
    assert.equal(skus.filter((s) => /^A4 /.test(s.description) && /core|ram/i.test(s.description)).length, 0, 'A4 has no core or RAM SKUs');
    assert.ok(!skus.some((s) => /calendar/i.test(s.description)), 'no calendar-mode SKU: a reservation-bound VM has no catalogue price');
    assert.equal(
      match('Nvidia Tesla T4', 'us-central1', 'OnDemand')?.description,
      'Nvidia Tesla T4 GPU running in Americas',
      'the matcher skips the decoys',
    );
    assert.equal((await api(`/v1/services/${GCP_COMPUTE_SERVICE}/skus?currencyCode=EUR`)).body.error.status, 'INVALID_ARGUMENT');
    assert.deepEqual((await api<object>('/v1/services/95FF-2EF5-5EA1/skus')).body, { skus: [], nextPageToken: '' });
  });

  it('exchanges a signed service-account JWT at /token, and refuses bad signatures and disabled accounts', async () => {
    const sa = gcpServiceAccount();
    const iat = Math.floor(Date.now() / 1000);
    const claims = { iss: sa.clientEmail, scope: CLOUD_PLATFORM_SCOPE, aud: GOOGLE_TOKEN_URL, iat, exp: iat + 3600 };
    const grant = (jwt: string) => post('/token', { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt });
    const ok = await grant(assertion(claims));
    assert.equal(ok.status, 200);
    assert.deepEqual([ok.body.expires_in, ok.body.token_type], [3599, 'Bearer']);
    assert.match(ok.body.access_token ?? '', /^ya29\.sim-1-/);
    assert.equal((await api('/v3/projects:search', ok.body.access_token ?? '')).status, 200, 'the issued token works');
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    const forged = await grant(assertion(claims, other));
    assert.deepEqual([forged.status, forged.body], [400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }]);
    assert.equal((await grant(assertion({ ...claims, aud: `${base}/token` }))).status, 200, "the sim's own token URL as audience");
    state.disabledServiceAccounts.push(sa.privateKeyId);
    assert.deepEqual((await grant(assertion(claims))).body, {
      error: 'invalid_grant',
      error_description: 'Invalid grant: account not found',
    });
    assert.deepEqual(
      state.tokenRequests.map((r) => [r.path, r.subject]),
      Array.from({ length: 4 }, () => ['/token', sa.clientEmail]),
    );
  });

  it('accepts the self-signed JWTs GoogleAuth sends for a key file, without any token request', async () => {
    const client = new MetricServiceClient({
      apiEndpoint: '127.0.0.1',
      port,
      protocol: 'http',
      fallback: true,
      credentials: gcpServiceAccountKey(base),
      projectId: project().projectId,
    });
    const request = { name: `projects/${project().projectId}`, filter: `metric.type="${CPU}"`, interval: window() };
    const [series] = await client.listTimeSeries(request, noRetry);
    assert.ok(series.length > 0, 'series through a service-account key');
    assert.ok(state.selfSignedJwtCalls >= 1, 'authenticated by a self-signed JWT');
    assert.deepEqual(state.tokenRequests, [], 'no token endpoint involved');
    state.disabledServiceAccounts.push(gcpServiceAccount().clientEmail);
    const refused = await gaxiosRejection(() => client.listTimeSeries(request, noRetry));
    assert.equal(refused.status, 401, "a disabled account's JWTs stop working");
  });

  it('refreshes an authorized_user (gcloud ADC) through UserRefreshClient and refuses wrong clients and revoked tokens', async () => {
    const adc = gcpAuthorizedUser(base);
    const user = () =>
      new UserRefreshClient({
        clientId: adc.client_id,
        clientSecret: adc.client_secret,
        refreshToken: adc.refresh_token,
        endpoints: { oauth2TokenUrl: adc.token_uri },
      });
    const { token } = await user().getAccessToken();
    assert.ok(token && state.issuedTokens.includes(token), 'a token the sim issued');
    assert.equal(
      (
        await api(`/compute/v1/projects/${project().projectId}/aggregated/instances`, token, {
          'x-goog-user-project': adc.quota_project_id,
        })
      ).status,
      200,
    );
    assert.deepEqual(state.userProjects, [adc.quota_project_id], 'the quota project header is recorded');
    const wrong = await post('/token', {
      grant_type: 'refresh_token',
      client_id: GCP_CLIENT_ID,
      client_secret: 'nope',
      refresh_token: GCP_REFRESH_TOKEN,
    });
    assert.deepEqual([wrong.status, wrong.body], [401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' }]);
    state.revokedRefreshTokens.push(GCP_REFRESH_TOKEN);
    const revoked = await gaxiosRejection(() => user().getAccessToken());
    assert.equal(revoked.response?.status, 400);
    assert.deepEqual(revoked.response?.data, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    assert.deepEqual(
      state.tokenRequests.map((r) => [r.grantType, r.subject]),
      Array.from({ length: 3 }, () => ['refresh_token', GCP_CLIENT_ID]),
    );
  });

  it('federates workload and workforce identities through the real external-account clients', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cloudtop-gcp-'));
    try {
      const file = path.join(dir, 'oidc-token');
      writeFileSync(file, GCP_SUBJECT_TOKEN);
      const workload = ExternalAccountClient.fromJSON(gcpExternalAccount(base, file) as unknown as ExternalAccountClientOptions);
      assert.ok(workload, 'an identity-pool client');
      const { token } = await workload.getAccessToken();
      assert.ok(token && state.issuedTokens.includes(token), 'STS issued it');
      assert.equal((await api('/v3/projects:search', token)).status, 200);
      writeFileSync(file, 'eyJ.wrong.token');
      const bad = ExternalAccountClient.fromJSON(gcpExternalAccount(base, file) as unknown as ExternalAccountClientOptions)!;
      await assert.rejects(bad.getAccessToken(), /invalid_grant/);
      const workforce = new ExternalAccountAuthorizedUserClient(
        gcpExternalAccountAuthorizedUser(base) as unknown as ExternalAccountAuthorizedUserClientOptions,
      );
      const wf = await workforce.getAccessToken();
      assert.ok(wf.token && state.issuedTokens.includes(wf.token), 'the workforce refresh issued it');
      assert.deepEqual(
        state.tokenRequests.map((r) => r.path),
        ['/v1/token', '/v1/token', '/v1/oauthtoken'],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes the testEnv key file 0600 and keeps every secret out of the log and the state', async () => {
    const file = sim.envs().gcp.GOOGLE_APPLICATION_CREDENTIALS;
    assert.equal(file, path.join(tmpdir(), `cloudtop-sim-gcp-${port}`, 'service-account.json'));
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700);
    const key = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    assert.deepEqual([key.type, key.token_uri, key.project_id], ['service_account', `${base}/token`, project().projectId]);
    assert.equal(sim.envs().gcp.GOOGLE_APPLICATION_CREDENTIALS, file, 'idempotent');
    await new UserRefreshClient({
      clientId: GCP_CLIENT_ID,
      clientSecret: GCP_CLIENT_SECRET,
      refreshToken: GCP_REFRESH_TOKEN,
      endpoints: { oauth2TokenUrl: `${base}/token` },
    }).getAccessToken();
    await new ExternalAccountAuthorizedUserClient(
      gcpExternalAccountAuthorizedUser(base) as unknown as ExternalAccountAuthorizedUserClientOptions,
    ).getAccessToken();
    const everything = JSON.stringify({ log: sim.log.entries(), state: { ...state, serviceAccounts: undefined } });
    assertNoSecrets(
      everything,
      [
        GCP_CLIENT_SECRET,
        GCP_REFRESH_TOKEN,
        GCP_WORKFORCE_CLIENT_SECRET,
        GCP_WORKFORCE_REFRESH_TOKEN,
        gcpServiceAccount().privateKeyPem.split('\n')[1],
      ],
      "the sim's log and state",
    );
  });

  it('stands in for gcloud: print-access-token, config get-value project, signed out, unknown commands', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cloudtop-gcloud-'));
    const outDir = mkdtempSync(path.join(tmpdir(), 'cloudtop-gcloud-'));
    try {
      const g = installFakeGcloud(dir, { project: project().projectId });
      assert.deepEqual(await run(g.bin, ['auth', 'print-access-token']), { code: 0, stdout: `${GCLOUD_TOKEN}\n`, stderr: '' });
      assert.equal(
        (await run(g.bin, ['--quiet', 'auth', '--verbosity=error', 'print-access-token', '--format=json'])).stdout,
        `${GCLOUD_TOKEN}\n`,
        'flags anywhere',
      );
      assert.deepEqual(await run(g.bin, ['config', 'get-value', 'project']), { code: 0, stdout: `${project().projectId}\n`, stderr: '' });
      const unknown = await run(g.bin, ['compute', 'instances', 'list']);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /^ERROR: \(gcloud\)/);
      assert.deepEqual(g.calls()[0], ['auth', 'print-access-token']);
      assert.equal(g.calls().length, 4);
      const out = installFakeGcloud(outDir, { loggedIn: false });
      const signedOut = await run(out.bin, ['auth', 'print-access-token']);
      assert.equal(signedOut.code, 1);
      assert.equal(
        signedOut.stderr,
        'ERROR: (gcloud.auth.print-access-token) You do not currently have an active account selected.\nPlease run:\n\n  $ gcloud auth login\n\nto obtain new credentials.\n',
      );
      assert.deepEqual(await run(out.bin, ['config', 'get-value', 'project']), { code: 0, stdout: '', stderr: '(unset)\n' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  it('generates 1000 extra VMs fast, pages them, and honours an empty-page fault', async () => {
    const started = performance.now();
    const big = await startSim({ clouds: [gcpCloud({ extraInstances: { zone: 'us-west1-b', count: 1000 }, pageSize: 500 })] });
    try {
      const s = big.state<GcpState>('gcp');
      assert.ok(performance.now() - started < 2000, 'generation is fast');
      const p = s.projects[0];
      assert.equal(p.instances.filter((vm) => vm.zone === 'us-west1-b').length, 1000);
      const page = async (q: string) =>
        (await (
          await fetch(`${big.endpoint('gcp')}/compute/v1/projects/${p.projectId}/aggregated/instances?${q}`, {
            headers: { Authorization: `Bearer ${GCLOUD_TOKEN}` },
          })
        ).json()) as AggregatedPage;
      let total = 0;
      let pageToken = '';
      do {
        const body = await page(`maxResults=500${pageToken ? `&pageToken=${pageToken}` : ''}`);
        assert.ok('zones/us-west1-b' in body.items, 'the extra zone is named on every page');
        total += instancesOf(body).length;
        pageToken = body.nextPageToken ?? '';
      } while (pageToken);
      assert.equal(total, p.instances.length);
      big.faults.add('gcp', 'GET /compute/v1/projects/:project/aggregated/instances', { kind: 'empty-page' });
      const empty = await page('maxResults=500');
      assert.ok(Object.values(empty.items).every((z) => z.warning) && empty.nextPageToken === undefined, 'an empty page ends the listing');
    } finally {
      await big.close();
    }
  });

  it('puts hostile text in descriptions, labels, display and function names, never in VM names', async () => {
    const hostile = await startSim({ clouds: [gcpCloud({ hostile: true })] });
    try {
      const p = hostile.state<GcpState>('gcp').projects[0];
      assert.ok(
        p.instances.every((vm) => /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(vm.name)),
        'VM names stay RFC 1035',
      );
      assert.ok(
        p.instances.some((vm) => HOSTILE_NAMES.includes(vm.description)) &&
          p.instances.some((vm) => HOSTILE_NAMES.includes(vm.labels.owner ?? '')),
        'hostile descriptions and labels',
      );
      assert.equal(p.displayName, HOSTILE_NAMES[0]);
      assert.ok(
        p.functions.some((fn) => HOSTILE_NAMES.includes(fn.name)),
        'hostile function names',
      );
      const res = await fetch(`${hostile.endpoint('gcp')}/v2/projects/${p.projectId}/locations/-/functions`, {
        headers: { Authorization: `Bearer ${GCLOUD_TOKEN}` },
      });
      const fns = ((await res.json()) as { functions: FunctionJson[] }).functions;
      assert.ok(
        fns.some((f) => HOSTILE_NAMES.some((h) => f.name.endsWith(`/functions/${h}`))),
        'served as they are',
      );
      assert.equal(regionOf('europe-west4-b'), 'europe-west4');
    } finally {
      await hostile.close();
    }
  });

  it('schedules FLEX_START and RESERVATION_BOUND VMs as Compute answers them, beside today’s GPU machine types', async () => {
    const p = project();
    const { instances } = await aggregated(p.projectId);
    const byName = new Map(instances.map((i) => [i.name, i as unknown as Record<string, unknown>]));
    const flex = p.instances.find((v) => v.provisioningModel === 'FLEX_START')!;
    assert.deepEqual(byName.get(flex.name)!.scheduling, {
      onHostMaintenance: 'TERMINATE',
      automaticRestart: false,
      preemptible: false,
      provisioningModel: 'FLEX_START',
      instanceTerminationAction: 'DELETE',
      maxRunDuration: { seconds: '604800' },
    });
    const other = project(1);
    const bound = other.instances.find((v) => v.provisioningModel === 'RESERVATION_BOUND')!;
    const boundJson = new Map(
      (await aggregated(other.projectId)).instances.map((i) => [i.name, i as unknown as Record<string, unknown>]),
    ).get(bound.name)!;
    assert.equal((boundJson.scheduling as Record<string, unknown>).provisioningModel, 'RESERVATION_BOUND');
    assert.equal((boundJson.reservationAffinity as Record<string, unknown>).consumeReservationType, 'SPECIFIC_RESERVATION');
    const types = new Set(instances.map((i) => i.machineType.split('/').pop()));
    for (const t of ['a3-ultragpu-8g', 'a3-megagpu-8g', 'a4-highgpu-8g', 'a4x-highgpu-4g', 'g4-standard-48']) assert.ok(types.has(t), t);
    const a4x = await api<MachineTypeJson & { architecture: string }>(
      `/compute/v1/projects/${p.projectId}/zones/us-central1-a/machineTypes/a4x-highgpu-4g`,
    );
    assert.deepEqual(
      [a4x.body.guestCpus, a4x.body.architecture, a4x.body.accelerators],
      [140, 'ARM64', [{ guestAcceleratorType: 'nvidia-gb200', guestAcceleratorCount: 4 }]],
    );
  });

  it('during a zone outage answers partial lists: `unreachables`, GKE `missingZones`, Functions and Cloud Run `unreachable`; 503 without returnPartialSuccess', async () => {
    const p = project();
    state.unreachableZones = ['us-central1-b'];
    const strict = await api(`/compute/v1/projects/${p.projectId}/aggregated/instances?maxResults=500`);
    assert.equal(strict.status, 503);
    const { pages, instances } = await aggregated(p.projectId);
    assert.ok(pages.every((page) => page.unreachables?.[0] === 'zones/us-central1-b' && !('zones/us-central1-b' in page.items)));
    assert.equal(instances.length, p.instances.filter((v) => v.zone !== 'us-central1-b').length, 'the other zones’ VMs are all there');
    const gke = await api<{ missingZones?: string[] }>(`/v1/projects/${p.projectId}/locations/-/clusters`);
    assert.deepEqual(gke.body.missingZones, ['us-central1-b']);
    const fns = await api<{ unreachable?: string[] }>(`/v2/projects/${p.projectId}/locations/-/functions?pageSize=100`);
    assert.deepEqual(fns.body.unreachable, [`projects/${p.projectId}/locations/us-central1`]);
    const run = await api<{ unreachable?: string[] }>(`/v2/projects/${p.projectId}/locations/-/services`);
    assert.deepEqual(run.body.unreachable, [`projects/${p.projectId}/locations/us-central1`]);
  });

  it('lists Cloud Run v2 services (GPU limits and accelerator selector, Ready condition, int enums), a 2nd gen function’s own labelled', async () => {
    const listAll = async (projectId: string) => {
      const services: RunServiceJson[] = [];
      let pageToken = '';
      do {
        const a = await api<{ services: RunServiceJson[]; nextPageToken?: string }>(
          `/v2/projects/${projectId}/locations/-/services?$alt=json%3Benum-encoding=int${pageToken ? `&pageToken=${pageToken}` : ''}`,
        );
        assert.equal(a.status, 200, JSON.stringify(a.body));
        services.push(...a.body.services);
        pageToken = a.body.nextPageToken ?? '';
      } while (pageToken);
      return services;
    };
    const own: RunServiceJson[] = [];
    for (const p of [project(0), project(1)]) {
      const services = await listAll(p.projectId);
      const mine = services.filter((s) => s.labels['goog-managed-by'] !== 'cloudfunctions');
      assert.deepEqual(mine.map((s) => s.name.split('/').pop()).sort(), p.runServices.map((s) => s.name).sort());
      assert.ok(
        services.some((s) => s.labels['goog-managed-by'] === 'cloudfunctions'),
        'gen2 functions’ services are there too',
      );
      own.push(...mine);
    }
    assert.ok(!project(0).runServices.some((s) => s.gpu), 'no GPU service in the key’s project: its GPU spend has no unknown');
    const gpu = own.find((s) => s.name.endsWith('/llm-serve'))!;
    assert.equal(gpu.template.containers[0].resources.limits['nvidia.com/gpu'], '1');
    assert.deepEqual(gpu.template.nodeSelector, { accelerator: 'nvidia-l4' });
    assert.equal(gpu.terminalCondition.state, 4, 'CONDITION_SUCCEEDED as 4');
    assert.match(gpu.uri, /^https:\/\/llm-serve-[a-j]{10}-uc\.a\.run\.app$/);
    const failed = own.find((s) => s.name.endsWith('/checkout-api'))!;
    assert.equal(failed.terminalCondition.state, 3);
    assert.match(failed.terminalCondition.message ?? '', /failed to start and listen on the port/);
    assert.equal(own.find((s) => s.name.endsWith('/web-frontend'))!.template.nodeSelector, undefined);
  });

  it('serves GKE GPU nodes’ kubernetes.io/node/accelerator series on k8s_node, keyed by node name, an idle node among them', async () => {
    const p = project();
    const nodes = p.instances.filter((v) => 'goog-gke-node' in v.labels);
    assert.ok(nodes.length >= 2 && nodes.every((v) => v.name.startsWith('gke-ml-training-gpu-pool-') && v.acceleratorType));
    assert.ok(!nodes.some((v) => state.opsAgent.includes(v.id)), 'no Ops Agent on GKE nodes');
    const [series] = await metrics().listTimeSeries(
      {
        name: `projects/${p.projectId}`,
        filter: 'metric.type="kubernetes.io/node/accelerator/duty_cycle" AND resource.type="k8s_node"',
        interval: window(),
        aggregation: { alignmentPeriod: { seconds: 60 }, perSeriesAligner: 'ALIGN_MEAN' as const },
        view: 'FULL' as const,
      },
      noRetry,
    );
    assert.equal(
      series.length,
      nodes.reduce((n, v) => n + v.acceleratorCount, 0),
      'one series per accelerator',
    );
    assert.deepEqual(new Set(series.map((s) => s.resource?.labels?.node_name)), new Set(nodes.map((v) => v.name)));
    assert.ok(series.every((s) => s.resource?.type === 'k8s_node' && s.metric?.labels?.accelerator_id?.startsWith('GPU-')));
    const maxOf = (name: string) =>
      Math.max(
        ...series
          .filter((s) => s.resource?.labels?.node_name === name)
          .flatMap((s) => (s.points ?? []).map((pt) => pt.value?.doubleValue ?? 0)),
      );
    assert.ok(nodes.some((v) => maxOf(v.name) < 3) && nodes.some((v) => maxOf(v.name) > 5), 'an idle node and a busy one');
  });
});
