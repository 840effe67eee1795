// The simulated Oracle Cloud driven by the REAL oci-typescript-sdk 2.139.1 clients (oci-common, oci-core,
// oci-identity, oci-monitoring, oci-containerengine, oci-database): signing, paging, errors and the wire
// shapes as the SDK hands them to a caller (their lib/client.js and lib/model/*.d.ts).
import assert from 'node:assert/strict';
import * as common from 'oci-common';
import * as containerengine from 'oci-containerengine';
import * as core from 'oci-core';
import * as database from 'oci-database';
import * as identity from 'oci-identity';
import * as monitoring from 'oci-monitoring';
import { makeOciCredentials, makeOciSessionToken, ociCloud, ociTestCredentials, type OciCredentials, type OciState } from '../oci';
import { HOSTILE_NAMES } from '../hostile';
import { startSim, type Sim } from '../server';

/**
 * Retries and the circuit breaker off (oci-common lib/retrier.js, lib/circuit-breaker.js), so one call is one request
 * and tests stay order-independent.
 */
const clientOptions = () => ({
  retryConfiguration: common.NoRetryConfigurationDetails,
  circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
});

/**
 * The SDK's clients with an http client of this test's own: each request signed by oci-common's DefaultRequestSigner
 * (the signing every OCI SDK client does, oci-common lib/signer.js), then sent with a plain fetch. The SDK's own
 * FetchHttpClient passes a Content-Length header that the global dispatcher npm undici 7 installs (loaded by other tests
 * in the same process) refuses; fetch sets the same value from the body, which the signature covers.
 */
function signedFetch(signer: common.DefaultRequestSigner): common.HttpClient {
  return {
    async send(req: common.HttpRequest, forceExcludeBody = false): Promise<Response> {
      const body = typeof req.body === 'string' && req.body !== '' ? req.body : undefined;
      await signer.signHttpRequest({ method: req.method, headers: req.headers, uri: req.uri, body }, forceExcludeBody);
      const headers = new Headers(req.headers);
      headers.delete('content-length');
      return fetch(req.uri, { method: req.method, headers, body });
    },
  };
}

function provider(creds: OciCredentials): common.AuthParams {
  const auth = new common.SimpleAuthenticationDetailsProvider(
    creds.tenancy,
    creds.user,
    creds.fingerprint,
    creds.privateKeyPem,
    null,
    common.Region.US_ASHBURN_1,
  );
  return {
    authenticationDetailsProvider: auth,
    httpClient: signedFetch(new common.DefaultRequestSigner(auth)),
  } as unknown as common.AuthParams;
}

interface Endpointed {
  endpoint: string;
}
/** Endpoint set after construction, no trailing slash: the setter appends the API version (each oci-* package's lib/client.js). */
function at<T extends Endpointed>(client: T, sim: Sim): T {
  client.endpoint = sim.endpoint('oci');
  return client;
}

/** The SDK console.warn-s every failure even with retries off (oci-common lib/retrier.js); keep test output clean. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    return await fn();
  } finally {
    console.warn = warn;
  }
}

async function rejection(fn: () => Promise<unknown>): Promise<common.OciError> {
  try {
    await quietly(fn);
  } catch (err) {
    assert.ok(err instanceof common.OciError, `expected an OciError, got ${String(err)}`);
    return err;
  }
  assert.fail('the call should have failed');
}

describe('simulated Oracle Cloud with the real OCI SDK', function () {
  this.timeout(15_000);
  let sim: Sim;
  const creds = ociTestCredentials();
  const auth = provider(creds);

  beforeEach(async () => {
    sim = await startSim({ clouds: [ociCloud({ count: 60, compartments: 5, pageSize: 7 })] });
  });
  afterEach(() => sim.close());

  it('pages compartments and instances via opc-next-page, pages shorter than the limit', async () => {
    const ident = at(new identity.IdentityClient(auth, clientOptions()), sim);
    const compartments: identity.models.Compartment[] = [];
    for await (const c of ident.listCompartmentsRecordIterator({
      compartmentId: creds.tenancy,
      compartmentIdInSubtree: true,
      accessLevel: identity.requests.ListCompartmentsRequest.AccessLevel.Accessible,
      limit: 3,
    }))
      compartments.push(c);
    assert.equal(compartments.length, 5, 'all five compartments, nested ones included, arrive across pages');
    const direct = await ident.listCompartments({ compartmentId: creds.tenancy });
    assert.ok(direct.items.length < 5 && direct.items.length > 0, 'without compartmentIdInSubtree only direct children');

    const compute = at(new core.ComputeClient(auth, clientOptions()), sim);
    const first = await compute.listInstances({ compartmentId: creds.tenancy, limit: 10 });
    assert.equal(first.items.length, 7, 'the server page size (7) caps a page below the limit (10)');
    assert.ok(first.opcNextPage, 'opc-next-page announces the next page');
    assert.ok(first.opcRequestId?.includes('SIM'), 'opc-request-id is on the answer');
    const state = sim.state<OciState>('oci');
    let total = 0;
    for (const home of [creds.tenancy, ...compartments.map((c) => c.id)]) {
      const ids = new Set<string>();
      for await (const i of compute.listInstancesRecordIterator({ compartmentId: home, limit: 10 })) {
        ids.add(i.id);
        assert.equal(typeof i.timeCreated, 'string', 'dates arrive as strings, not Date (the SDK does not revive them)');
      }
      assert.equal(ids.size, state.instances.filter((i) => i.compartmentId === home).length, `every instance of ${home} arrives once`);
      total += ids.size;
    }
    assert.equal(total, 60, 'all 60 instances across all compartments');
    const shapes: core.models.Shape[] = [];
    for await (const s of compute.listShapesRecordIterator({ compartmentId: creds.tenancy })) shapes.push(s);
    assert.ok(
      shapes.some((s) => s.shape === 'BM.GPU.MI300X.8' && s.gpus === 8),
      'ListShapes pages through the GPU shapes',
    );
    const gpu = state.instances.find((i) => i.shape === 'BM.GPU.H100.8');
    assert.ok(
      gpu?.shapeConfig.gpus === 8 && gpu.shapeConfig.gpuDescription?.includes('H100'),
      'GPU shapes carry shapeConfig.gpus and gpuDescription',
    );
  });

  it('answers an unsigned request and a wrongly signed one with 401 NotAuthenticated', async () => {
    const res = await fetch(`${sim.endpoint('oci')}/20160918/instances?compartmentId=${creds.tenancy}`);
    assert.equal(res.status, 401, 'unsigned request is 401');
    const body = (await res.json()) as { code: string; message: string };
    assert.equal(body.code, 'NotAuthenticated', 'OCI error body code');
    assert.ok(res.headers.get('opc-request-id'), 'errors carry opc-request-id too');

    // Same keyId, another private key: the signature does not verify against the registered public key.
    const impostor = { ...makeOciCredentials(creds.tenancy, creds.user), fingerprint: creds.fingerprint };
    const compute = at(new core.ComputeClient(provider(impostor), clientOptions()), sim);
    const err = await rejection(() => compute.listInstances({ compartmentId: creds.tenancy }));
    assert.equal(err.statusCode, 401, 'bad signature is 401');
    assert.equal(err.serviceCode, 'NotAuthenticated', 'serviceCode from the body code');
    assert.equal(sim.log.entries().at(-1)?.authOk, false, 'the sim logged the failed signature check');

    // A key that authenticates but may not read: OCI answers 404 NotAuthorizedOrNotFound, never 403.
    const state = sim.state<OciState>('oci');
    state.keys = [];
    state.forbiddenKeys = [creds.keyId];
    const own = at(new core.ComputeClient(auth, clientOptions()), sim);
    const denied = await rejection(() => own.listInstances({ compartmentId: creds.tenancy }));
    assert.equal(denied.statusCode, 404, 'unauthorized is 404');
    assert.equal(denied.serviceCode, 'NotAuthorizedOrNotFound', 'documented code');
  });

  it("takes the SDK's InstanceAction: the Instance STOPPING, then STOPPED two listings later; 409 IncorrectState and 404 as OciErrors", async () => {
    const compute = at(new core.ComputeClient(auth, clientOptions()), sim);
    const state = sim.state<OciState>('oci');
    const running = state.instances.find((i) => i.lifecycleState === 'RUNNING')!;
    const stopped = await compute.instanceAction({ instanceId: running.id, action: 'SOFTSTOP' });
    assert.equal(stopped.instance.id, running.id);
    assert.equal(stopped.instance.lifecycleState, core.models.Instance.LifecycleState.Stopping);
    assert.ok(stopped.etag && stopped.opcRequestId);
    const seen = async () =>
      (await compute.listInstances({ compartmentId: running.compartmentId, limit: 1000 })).items.find((i) => i.id === running.id)!
        .lifecycleState;
    assert.equal(await seen(), 'STOPPING');
    assert.equal(await seen(), 'STOPPED');
    const conflict = await rejection(() => compute.instanceAction({ instanceId: running.id, action: 'STOP' }));
    assert.deepEqual([conflict.statusCode, conflict.serviceCode], [409, 'IncorrectState']);
    state.readOnlyKeys.push(creds.keyId);
    const refused = await rejection(() => compute.instanceAction({ instanceId: running.id, action: 'START' }));
    assert.deepEqual([refused.statusCode, refused.serviceCode], [404, 'NotAuthorizedOrNotFound']);
    assert.deepEqual(
      state.writes.map((w) => `${w.method} ${w.action} ${w.status}`),
      ['POST SOFTSTOP 200', 'POST STOP 409', 'POST START 404'],
    );
  });

  it('hands a 429 with Retry-After to the SDK as an OciError TooManyRequests, one attempt, and unknown compartments as 404', async () => {
    sim.faults.add('oci', 'GET /20180222/clusters', { status: 429, headers: { 'Retry-After': '3' } });
    const oke = at(new containerengine.ContainerEngineClient(auth, clientOptions()), sim);
    const err = await rejection(() => oke.listClusters({ compartmentId: creds.tenancy }));
    assert.equal(err.statusCode, 429, '429 reaches the caller');
    assert.equal(err.serviceCode, 'TooManyRequests', 'documented code');
    assert.ok(err.opcRequestId, 'opcRequestId from the header');
    assert.equal(
      sim.log.count('oci', 'GET /20180222/clusters'),
      1,
      'retries off: a single request (listClusters retries by default in oci-common)',
    );
    const state = sim.state<OciState>('oci');
    const home = state.clusters[0].compartmentId;
    const clusters = await oke.listClusters({ compartmentId: home });
    assert.deepEqual(
      clusters.items.map((c) => c.id),
      [state.clusters[0].id],
      'after the fault the clusters list',
    );

    const db = at(new database.DatabaseClient(auth, clientOptions()), sim);
    const adbs = await db.listAutonomousDatabases({ compartmentId: creds.tenancy });
    assert.equal(adbs.items[0]?.dbName, 'simdb1', 'autonomous databases of the tenancy');
    const missing = await rejection(() => db.listAutonomousDatabases({ compartmentId: 'ocid1.compartment.oc1..nope' }));
    assert.equal(missing.serviceCode, 'NotAuthorizedOrNotFound', 'unknown compartment is 404 NotAuthorizedOrNotFound');
  });

  it('answers SummarizeMetricsData with one series per running instance, and region subscriptions', async () => {
    const mon = at(new monitoring.MonitoringClient(auth, clientOptions()), sim);
    const endTime = new Date('2026-11-01T12:00:00Z');
    const startTime = new Date(endTime.getTime() - 5 * 60_000);
    const res = await mon.summarizeMetricsData({
      compartmentId: creds.tenancy,
      compartmentIdInSubtree: true,
      summarizeMetricsDataDetails: {
        namespace: 'oci_computeagent',
        query: 'CpuUtilization[1m].mean()',
        startTime,
        endTime,
        resolution: '1m',
      },
    });
    const running = sim.state<OciState>('oci').instances.filter((i) => i.lifecycleState === 'RUNNING');
    assert.equal(res.items.length, running.length, 'one stream per running instance from a single call');
    const series = res.items[0];
    assert.equal(series.aggregatedDatapoints.length, 5, 'five 1-minute points');
    assert.ok(
      running.some((i) => i.id === series.dimensions.resourceId),
      'dimensions.resourceId names the instance',
    );
    const gpu = await mon.summarizeMetricsData({
      compartmentId: creds.tenancy,
      compartmentIdInSubtree: true,
      summarizeMetricsDataDetails: { namespace: 'gpu_infrastructure_health', query: 'GpuUtilization[1m].max()', startTime, endTime },
    });
    const gpuRunning = running.filter((i) => (i.shapeConfig.gpus ?? 0) > 0);
    assert.deepEqual(
      new Set(gpu.items.map((m) => m.dimensions.resourceId)),
      new Set(gpuRunning.map((i) => i.id)),
      'GPU metrics for GPU instances only',
    );
    assert.equal(
      gpu.items.length,
      gpuRunning.reduce((n, i) => n + (i.shapeConfig.gpus ?? 0), 0),
      'a stream per GPU (dimension gpuId)',
    );
    sim.state<OciState>('oci').gpuPlugin = false;
    const off = await mon.summarizeMetricsData({
      compartmentId: creds.tenancy,
      compartmentIdInSubtree: true,
      summarizeMetricsDataDetails: { namespace: 'gpu_infrastructure_health', query: 'GpuUtilization[1m].mean()', startTime, endTime },
    });
    assert.deepEqual(off.items, [], 'without the GPU plugin its namespace answers nothing, not an error');
    const badQuery = await rejection(() =>
      mon.summarizeMetricsData({
        compartmentId: creds.tenancy,
        summarizeMetricsDataDetails: { namespace: 'oci_computeagent', query: 'CpuUtilization', startTime, endTime },
      }),
    );
    assert.equal(badQuery.statusCode, 400, 'a query without interval and statistic is 400');
    const comp = sim.state<OciState>('oci').compartments[0].id;
    const notRoot = await rejection(() =>
      mon.summarizeMetricsData({
        compartmentId: comp,
        compartmentIdInSubtree: true,
        summarizeMetricsDataDetails: { namespace: 'oci_computeagent', query: 'CpuUtilization[1m].mean()', startTime, endTime },
      }),
    );
    assert.equal(notRoot.serviceCode, 'InvalidParameter', 'compartmentIdInSubtree only on the tenancy (as Monitoring documents)');

    const ident = at(new identity.IdentityClient(auth, clientOptions()), sim);
    const regions = await ident.listRegionSubscriptions({ tenancyId: creds.tenancy });
    assert.ok(
      regions.items.some((r) => r.isHomeRegion && r.regionName === 'us-ashburn-1'),
      'the home region is listed',
    );
  });

  it('verifies the signature over the target as sent: an odd page token is a signed 400, not a 401', async () => {
    const compute = at(new core.ComputeClient(auth, clientOptions()), sim);
    // The SDK leaves ':', '/', '+', '=' unescaped in query values; the signature covers them as sent.
    const err = await rejection(() => compute.listInstances({ compartmentId: creds.tenancy, page: 'a b:c/+=' }));
    assert.equal(err.statusCode, 400, 'authenticated, then the token is rejected');
    assert.equal(err.serviceCode, 'InvalidParameter', 'documented code for a bad parameter');
    assert.equal(sim.log.entries().at(-1)?.authOk, true, 'the signature verified');
  });

  it('passes hostile display names and null displayName through unchanged', async () => {
    const hostile = await startSim({ clouds: [ociCloud({ hostile: true, count: HOSTILE_NAMES.length })] });
    try {
      const compute = at(new core.ComputeClient(auth, clientOptions()), hostile);
      const ident = at(new identity.IdentityClient(auth, clientOptions()), hostile);
      const homes = [
        creds.tenancy,
        ...(
          await ident.listCompartments({
            compartmentId: creds.tenancy,
            compartmentIdInSubtree: true,
            accessLevel: identity.requests.ListCompartmentsRequest.AccessLevel.Accessible,
          })
        ).items.map((c) => c.id),
      ];
      const names: (string | null | undefined)[] = [];
      for (const home of homes)
        for await (const i of compute.listInstancesRecordIterator({ compartmentId: home })) names.push(i.displayName);
      assert.equal(names.length, HOSTILE_NAMES.length, 'every instance listed');
      assert.ok(names.includes(null), 'some displayName is null');
      assert.ok(names.includes(HOSTILE_NAMES[0]), 'a hostile name arrives verbatim');
    } finally {
      await hostile.close();
    }
  });

  it("serves the Cost Estimator's shapes.json without auth, in Oracle's layout, with GPU parts the price list bills by their unit", async () => {
    const shapes = (await (await fetch(`${sim.endpoint('oci')}/a/ocom/docs/cloudestimator2/data/shapes.json`)).json()) as {
      items: {
        name: string;
        status: string;
        subType: { value: string };
        gpuQty: number | null;
        allowPreemptible: boolean;
        products: { partNumber: string; qty: number; type: { value: string } }[];
      }[];
    };
    const gpu = shapes.items.filter((s) => s.subType.value === 'gpu');
    assert.ok(
      gpu.some((s) => s.name === 'BM.GPU.GB200.4 (NVL72)'),
      'a display suffix as the estimator writes it',
    );
    assert.ok(
      gpu.some((s) => s.status !== 'ACTIVE'),
      'a retired shape stays listed',
    );
    const list = (await (await fetch(`${sim.endpoint('oci')}/pls/apex/cetools/api/v1/products/?currencyCode=USD`)).json()) as {
      items: { partNumber: string; metricName: string }[];
    };
    const metric = new Map(list.items.map((i) => [i.partNumber, i.metricName]));
    const b200 = gpu.find((s) => s.name === 'BM.GPU.B200.8');
    assert.equal(metric.get(b200!.products[0].partNumber), 'GPU Per Hour', "the B200's part is in the price list");
    const units = new Set(gpu.flatMap((s) => s.products.map((p) => metric.get(p.partNumber))));
    assert.ok(units.has('OCPU Per Hour') && units.has('Gigabyte Per Hour'), 'some GPU parts bill per OCPU and per GB');
    assert.ok(
      gpu.some((s) => s.products.some((p) => !metric.has(p.partNumber))),
      'a part the price list does not carry yet',
    );
  });

  it('accepts a request signed with a session token it issued (keyId ST$<token>) and refuses it once expired', async () => {
    const session = makeOciCredentials(creds.tenancy, creds.user);
    const token = makeOciSessionToken({ ...creds, publicKeyPem: session.publicKeyPem });
    // What a session profile signs with (oci-common lib/auth/session-auth-details-provider.js getKeyId).
    const auth = {
      getKeyId: () => Promise.resolve(`ST$${token}`),
      getPrivateKey: () => session.privateKeyPem,
      getPassphrase: () => null,
    } as common.AuthenticationDetailsProvider;
    const params = {
      authenticationDetailsProvider: auth,
      httpClient: signedFetch(new common.DefaultRequestSigner(auth)),
    } as unknown as common.AuthParams;
    const compute = at(new core.ComputeClient(params, clientOptions()), sim);
    const state = sim.state<OciState>('oci');
    state.sessionTokens = { [token]: session.publicKeyPem };
    const ok = await compute.listInstances({ compartmentId: creds.tenancy });
    assert.ok(ok.items.length > 0, 'the session token signs like an API key');
    state.sessionTokens = {};
    const expired = await rejection(() => compute.listInstances({ compartmentId: creds.tenancy }));
    assert.equal(expired.statusCode, 401, 'an expired token is 401 NotAuthenticated');
  });

  it('serves GPU streams in each dimension layout, and refuses a tenancy-wide metrics query on request while compartments answer', async () => {
    const mon = at(new monitoring.MonitoringClient(auth, clientOptions()), sim);
    const endTime = new Date('2026-11-01T12:00:00Z');
    const startTime = new Date(endTime.getTime() - 5 * 60_000);
    const state = sim.state<OciState>('oci');
    const ask = (compartmentId: string, subtree: boolean) =>
      mon.summarizeMetricsData({
        compartmentId,
        compartmentIdInSubtree: subtree,
        summarizeMetricsDataDetails: { namespace: 'gpu_infrastructure_health', query: 'GpuUtilization[1m].mean()', startTime, endTime },
      });
    const layouts: Record<string, string[]> = {};
    for (const layout of ['resourceId', 'documented', 'bare'] as const) {
      state.gpuDimensions = layout;
      layouts[layout] = Object.keys((await ask(creds.tenancy, true)).items[0].dimensions).sort();
    }
    assert.deepEqual(layouts, {
      resourceId: ['gpuId', 'resourceDisplayName', 'resourceId'],
      documented: ['component', 'hostname', 'version'],
      bare: ['component', 'version'],
    });
    state.metricsTenancyWideRefused = true;
    const refused = await rejection(() => ask(creds.tenancy, true));
    assert.equal(refused.serviceCode, 'NotAuthorizedOrNotFound', 'tenancy-wide refused');
    const home = state.instances.find((i) => i.lifecycleState === 'RUNNING' && (i.shapeConfig.gpus ?? 0) > 0)!.compartmentId;
    assert.ok((await ask(home, false)).items.length > 0, 'one compartment answers');
  });

  it('subscribes to more regions on request, the home region first', async () => {
    const more = await startSim({ clouds: [ociCloud({ regions: 4 })] });
    try {
      const ident = at(new identity.IdentityClient(auth, clientOptions()), more);
      const regions = (await ident.listRegionSubscriptions({ tenancyId: creds.tenancy })).items;
      assert.deepEqual(
        regions.map((r) => [r.regionName, r.isHomeRegion]),
        [
          ['us-ashburn-1', true],
          ['us-phoenix-1', false],
          ['us-chicago-1', false],
          ['eu-frankfurt-1', false],
        ],
      );
    } finally {
      await more.close();
    }
  });

  it('serves the price list without auth, GPU items priced per GPU-hour', async () => {
    const res = await fetch(`${sim.endpoint('oci')}/pls/apex/cetools/api/v1/products/?currencyCode=USD`);
    assert.equal(res.status, 200, 'no signature needed');
    const body = (await res.json()) as {
      items: {
        partNumber: string;
        metricName: string;
        currencyCodeLocalizations: { currencyCode: string; prices: { value: number }[] }[];
      }[];
    };
    const gpu = body.items.filter((i) => i.metricName === 'GPU Per Hour');
    assert.ok(gpu.length >= 5, 'GPU part numbers are listed');
    assert.ok(
      gpu.every((i) => i.currencyCodeLocalizations[0]?.currencyCode === 'USD' && i.currencyCodeLocalizations[0].prices[0].value > 0),
      'USD prices',
    );
  });
});
