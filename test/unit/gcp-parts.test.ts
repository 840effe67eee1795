// Google Cloud's SDK-free parts: which credentials count (a credential file, a stored key or gcloud's login; the
// project from the environment over any of them), gcloud's ADC file and PATH, a key piped whole to `cloudtop login`,
// the Billing Catalog matcher (gpuhunt's rules), machine types and the REST mappings.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialResolver, isComplete, type CredentialStore } from '../../src/core/credentials/credentials';
import { lines } from '../../src/cli/login';
import { gcpCredentialFields, readGcloudCredentials, serviceAccountKeyProblem } from '../../src/providers/gcp/credentials';
import { acceleratorsOfType, familyOf, regionOfZone } from '../../src/providers/gcp/machine-types';
import { acceleratorsOf, mapCluster, mapFunction, mapInstance, type MapContext } from '../../src/providers/gcp/mapping';
import { gcpPriceBook, parseSku } from '../../src/providers/gcp/prices';
import { aggregatedInstances } from '../../src/providers/gcp/provider';
import { catalogue } from '../../src/providers/index';

const KEY = JSON.stringify({
  type: 'service_account',
  project_id: 'p-1',
  client_email: 'a@p-1.iam.gserviceaccount.com',
  private_key: '-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n',
});

describe('Google Cloud credentials', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'cloudtop-gcp-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('is complete with a credential file, a stored key or gcloud login, and never with a project alone', () => {
    assert.equal(isComplete(gcpCredentialFields, { credentialsFile: '/k.json' }), true);
    assert.equal(isComplete(gcpCredentialFields, { serviceAccountKey: KEY }), true);
    assert.equal(isComplete(gcpCredentialFields, { login: 'gcloud' }), true);
    assert.equal(isComplete(gcpCredentialFields, { projectId: 'p-1' }), false);
  });

  it('takes GOOGLE_CLOUD_PROJECT over a stored key, and the file from GOOGLE_APPLICATION_CREDENTIALS first', async () => {
    const store: CredentialStore = {
      get: () => Promise.resolve({ serviceAccountKey: KEY }),
      set: () => Promise.resolve(),
      delete: () => Promise.resolve(),
    };
    const stored = await new CredentialResolver({ catalogue, env: { GOOGLE_CLOUD_PROJECT: 'from-env', HOME: home }, store }).resolve('gcp');
    assert.equal(stored?.source, 'stored');
    assert.deepEqual(stored?.credentials, { projectId: 'from-env', serviceAccountKey: KEY });
    const fromEnv = await new CredentialResolver({
      catalogue,
      env: { GOOGLE_APPLICATION_CREDENTIALS: '/k.json', CLOUDSDK_CORE_PROJECT: 'p-2', HOME: home },
      store,
    }).resolve('gcp');
    assert.deepEqual(fromEnv, { source: 'environment', credentials: { credentialsFile: '/k.json', projectId: 'p-2' } });
  });

  it("reads gcloud's ADC file (CLOUDSDK_CONFIG or ~/.config/gcloud), else gcloud on PATH, else nothing", async () => {
    assert.equal(await readGcloudCredentials({ HOME: home, PATH: '' }), undefined);
    const bin = join(home, 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'gcloud'), '#!/bin/sh\n');
    await chmod(join(bin, 'gcloud'), 0o755);
    assert.equal(
      await readGcloudCredentials({ HOME: home, PATH: bin }),
      undefined,
      'an installed gcloud nobody signed in to is no credential',
    );
    assert.deepEqual(
      await readGcloudCredentials({ HOME: home, PATH: bin, CLOUDSDK_CORE_ACCOUNT: 'me@example.com', GOOGLE_CLOUD_PROJECT: 'p-9' }),
      { login: 'gcloud', gcloudPath: join(bin, 'gcloud'), projectId: 'p-9' },
      'the gcloud found is the one run later',
    );
    const dir = join(home, '.config', 'gcloud');
    await mkdir(join(dir, 'configurations'), { recursive: true });
    await writeFile(
      join(dir, 'configurations', 'config_work'),
      '[compute]\naccount = not-this\n[core]\nproject = p\naccount = dev@example.com\n',
    );
    assert.equal(await readGcloudCredentials({ HOME: home, PATH: bin }), undefined, 'the default configuration has no account');
    await writeFile(join(dir, 'active_config'), 'work\n');
    assert.deepEqual(
      await readGcloudCredentials({ HOME: home, PATH: bin }),
      { login: 'gcloud', gcloudPath: join(bin, 'gcloud') },
      "the active configuration's [core] account",
    );
    assert.equal(await readGcloudCredentials({ HOME: home, PATH: '' }), undefined, 'signed in, but gcloud is not on PATH');
    await writeFile(join(dir, 'application_default_credentials.json'), 'not json');
    assert.deepEqual(
      await readGcloudCredentials({ HOME: home, PATH: bin }),
      { login: 'gcloud', gcloudPath: join(bin, 'gcloud') },
      'a broken ADC file is no credential',
    );
    await writeFile(
      join(dir, 'application_default_credentials.json'),
      JSON.stringify({ type: 'authorized_user', client_id: 'c', client_secret: 's', refresh_token: 'r' }),
    );
    assert.deepEqual(await readGcloudCredentials({ HOME: home, PATH: '' }), {
      credentialsFile: join(dir, 'application_default_credentials.json'),
    });
    const other = join(home, 'elsewhere');
    await mkdir(other);
    await writeFile(join(other, 'application_default_credentials.json'), JSON.stringify({ type: 'external_account' }));
    assert.deepEqual(await readGcloudCredentials({ HOME: home, PATH: '', CLOUDSDK_CONFIG: other }), {
      credentialsFile: join(other, 'application_default_credentials.json'),
    });
  });

  it('checks a pasted key is a service-account key, without quoting it', () => {
    assert.equal(serviceAccountKeyProblem(KEY), undefined);
    for (const bad of ['{"kind": 1', '{"type":"authorized_user"}', '{"type":"service_account"}', 'ya29.token']) {
      const problem = serviceAccountKeyProblem(bad);
      assert.ok(problem, `${bad} is refused`);
      assert.ok(!problem.includes(bad), 'the message does not repeat the input');
    }
  });

  it('a key piped whole to `cloudtop login gcp` is one value, and a project may follow on its own line', () => {
    const pretty = JSON.stringify(JSON.parse(KEY), null, 2);
    const [key, project] = lines(`${pretty}\nmy-project\n`);
    assert.deepEqual(JSON.parse(key), JSON.parse(KEY));
    assert.ok(!/[\r\n]/.test(key), 'one line');
    assert.equal(project, 'my-project');
    assert.deepEqual(lines('KEY\nACCOUNT'), ['KEY', 'ACCOUNT']);
  });
});

describe('Google Cloud Billing Catalog matching (gpuhunt rules)', () => {
  const sku = (description: string, usageType: string, units: string, nanos: number, unit = 'h', regions = ['us-central1']) => ({
    description,
    category: { resourceFamily: 'Compute', resourceGroup: 'GPU', usageType },
    serviceRegions: regions,
    pricingInfo: [{ pricingExpression: { usageUnit: unit, tieredRates: [{ unitPrice: { currencyCode: 'USD', units, nanos } }] } }],
  });

  it('reads GPUs, cores and RAM on demand and as spot, with the aliases that keep A100 40 and 80 GB apart', () => {
    assert.deepEqual(parseSku(sku('Nvidia Tesla A100 GPU running in Americas', 'OnDemand', '2', 933908000)), {
      kind: 'gpu',
      family: 'nvidia-tesla-a100',
      pricing: 'on-demand',
      regions: ['us-central1'],
      price: 2.933908,
    });
    assert.equal(parseSku(sku('Nvidia Tesla A100 80GB GPU running in Americas', 'OnDemand', '3', 0))?.family, 'nvidia-a100-80gb');
    assert.equal(parseSku(sku('Nvidia H100 80GB Mega GPU running in Americas', 'OnDemand', '3', 0))?.family, 'nvidia-h100-mega-80gb');
    const spot = parseSku(sku('Spot Preemptible Nvidia Tesla T4 GPU running in Americas', 'Preemptible', '0', 140000000));
    assert.deepEqual([spot?.family, spot?.pricing, spot?.price], ['nvidia-tesla-t4', 'spot', 0.14]);
    assert.deepEqual(parseSku(sku('N1 Predefined Instance Core running in Americas', 'OnDemand', '0', 31611000)), {
      kind: 'core',
      family: 'n1',
      pricing: 'on-demand',
      regions: ['us-central1'],
      price: 0.031611,
    });
    assert.equal(parseSku(sku('N2D AMD Instance Ram running in Americas', 'OnDemand', '0', 3000000, 'GiBy.h'))?.family, 'n2d');
  });

  it('skips commitments, reservations, sole tenancy, custom, workstation and monthly prices', () => {
    for (const [description, usage, unit] of [
      ['Commitment v1: Nvidia Tesla A100 GPU in Americas for 1 Year', 'Commit1Yr', 'h'],
      ['Reserved Nvidia Tesla T4 GPU in Americas', 'OnDemand', 'h'],
      ['Nvidia Tesla T4 GPU attached to Sole Tenancy running in Americas', 'OnDemand', 'h'],
      ['N1 Custom Instance Core running in Americas', 'OnDemand', 'h'],
      ['Nvidia Tesla T4 Virtual Workstation GPU running in Americas', 'OnDemand', 'h'],
      ['Storage PD Capacity', 'OnDemand', 'GiBy.mo'],
    ])
      assert.equal(parseSku(sku(description, usage, '1', 0, unit)), undefined, description);
  });
});

describe('Google Cloud machine types and mappings', () => {
  const ctx: MapContext = {
    account: 'acct',
    project: 'p-1',
    prices: gcpPriceBook({
      'gpu|nvidia-tesla-a100|on-demand': { 'us-central1': 3 },
      'gpu|nvidia-tesla-a100|spot': { 'us-central1': 1 },
      'core|a2|on-demand': { 'us-central1': 0.01 },
      'core|a2|spot': { 'us-central1': 0.01 },
      'ram|a2|on-demand': { 'us-central1': 0 },
      'ram|a2|spot': { 'us-central1': 0 },
    }),
    shapeOf: (type) => (type === 'a2-highgpu-2g' ? { guestCpus: 24, memoryMb: 174080 } : undefined),
  };
  const url = 'https://www.googleapis.com/compute/v1/projects/p-1/zones/us-central1-a';
  const vm = (over: Record<string, unknown>) => ({
    id: '8446744073709551615',
    name: 'gpu-1',
    zone: url,
    machineType: `${url}/machineTypes/a2-highgpu-2g`,
    status: 'RUNNING',
    ...over,
  });

  it('knows the GPUs of A2, A3 and G2 types, and families and regions by name', () => {
    assert.deepEqual(acceleratorsOfType('a2-highgpu-2g'), { type: 'nvidia-tesla-a100', count: 2 });
    assert.deepEqual(acceleratorsOfType('a2-ultragpu-8g'), { type: 'nvidia-a100-80gb', count: 8 });
    assert.deepEqual(acceleratorsOfType('a3-megagpu-8g'), { type: 'nvidia-h100-mega-80gb', count: 8 });
    assert.deepEqual(acceleratorsOfType('g2-standard-48'), { type: 'nvidia-l4', count: 4 });
    assert.equal(acceleratorsOfType('n1-standard-8'), undefined);
    assert.deepEqual([familyOf('n2d-standard-4'), regionOfZone('europe-west4-b')], ['n2d', 'europe-west4']);
  });

  it("a running VM's lastStartTimestamp is when it runs since (the dashboard's estimate); a stopped one's is not", () => {
    const started = '2026-12-07T03:15:00.123-08:00';
    const running = mapInstance(vm({ creationTimestamp: '2026-05-01T10:00:00.000-07:00', lastStartTimestamp: started }), ctx)!;
    assert.equal(running.details?.startedAt, '2026-12-07T11:15:00.123Z');
    assert.equal(running.createdAt, '2026-05-01T17:00:00.000Z');
    assert.equal(mapInstance(vm({ status: 'TERMINATED', lastStartTimestamp: started }), ctx)!.details?.startedAt, undefined);
    assert.equal(mapInstance(vm({ lastStartTimestamp: 'soon' }), ctx)!.details?.startedAt, undefined);
  });

  it('maps an instance: id as sent, the zone as region, GPUs from guestAccelerators else the machine type, SPOT, price', () => {
    const listed = mapInstance(
      vm({ guestAccelerators: [{ acceleratorType: `${url}/acceleratorTypes/nvidia-tesla-a100`, acceleratorCount: 2 }] }),
      ctx,
    )!;
    assert.deepEqual(
      [listed.id, listed.region, listed.kind, listed.status, listed.gpu?.key, listed.gpu?.count],
      ['8446744073709551615', 'us-central1-a', 'gpu-instance', 'running', 'A100-SXM-40GB', 2],
    );
    assert.equal(listed.pricePerHour, 2 * 3 + 24 * 0.01);
    const inferred = mapInstance(vm({ scheduling: { provisioningModel: 'SPOT' } }), ctx)!;
    assert.deepEqual([inferred.gpu?.count, inferred.details?.provisioning, inferred.pricePerHour], [2, 'SPOT', 2 * 1 + 24 * 0.01]);
    assert.equal(mapInstance(vm({ status: 'TERMINATED' }), ctx)!.pricePerHour, undefined, 'a stopped VM is not billed');
    assert.ok(
      mapInstance(vm({}), ctx)!.consoleUrl!.endsWith('/compute/instancesDetail/zones/us-central1-a/instances/gpu-1?project=p-1'),
      'console URL with the project',
    );
    const statuses = ['PROVISIONING', 'STAGING', 'RUNNING', 'STOPPING', 'SUSPENDING', 'SUSPENDED', 'TERMINATED', 'REPAIRING', 'NEW'].map(
      (status) => mapInstance(vm({ status, machineType: `${url}/machineTypes/e2-medium` }), ctx)!.status,
    );
    assert.deepEqual(statuses, ['starting', 'starting', 'running', 'stopping', 'stopping', 'stopped', 'stopped', 'error', 'unknown']);
    assert.equal(acceleratorsOf({ machineType: `${url}/machineTypes/e2-medium` }), undefined);
  });

  it('maps GKE clusters and both generations of Cloud Functions', () => {
    const cluster = mapCluster(
      {
        name: 'c',
        location: 'us-central1',
        status: 'DEGRADED',
        nodePools: [
          {
            name: 'gpu',
            config: { machineType: 'n1-standard-8', accelerators: [{ acceleratorCount: '1', acceleratorType: 'nvidia-tesla-t4' }] },
          },
        ],
      },
      ctx,
    )!;
    assert.deepEqual(
      [cluster.status, cluster.note, cluster.details?.['node pool gpu']],
      ['error', '1 node pool · 1 with GPUs', 'n1-standard-8 + 1 × nvidia-tesla-t4'],
    );
    const fn = (environment: string, state: string) =>
      mapFunction({ name: 'projects/p-1/locations/europe-west1/functions/hello', environment, state }, ctx)!;
    assert.deepEqual(
      [fn('GEN_1', 'ACTIVE').status, fn('GEN_1', 'ACTIVE').details?.generation, fn('GEN_1', 'ACTIVE').region],
      ['running', '1st gen', 'europe-west1'],
    );
    assert.deepEqual(
      ['DEPLOYING', 'FAILED', 'DELETING', 'UNKNOWN'].map((s) => fn('GEN_2', s).status),
      ['starting', 'error', 'stopping', 'unknown'],
    );
  });

  it('reads an aggregated page zone by zone, warning-only zones adding nothing', () => {
    const page = {
      items: { 'zones/a': { instances: [{ id: '1' }, { id: '2' }] }, 'zones/b': { warning: { code: 'NO_RESULTS_ON_PAGE' } } },
    };
    assert.deepEqual(
      aggregatedInstances(page).map((i) => i.id),
      ['1', '2'],
    );
    assert.deepEqual(aggregatedInstances({}), []);
  });
});
