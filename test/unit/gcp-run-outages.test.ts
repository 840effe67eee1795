// Cloud Run services (Admin API v2 wire → Resource), which Cloud Run services are 2nd gen functions' own, and what a
// partial answer says it could not read (aggregated `unreachables`, GKE `missingZones`, Functions/Run `unreachable`).
// Shapes from cloud.google.com/run/docs/reference/rest/v2/projects.locations.services and the list methods' references.
import assert from 'node:assert/strict';
import { unreadPriceBook } from '../../src/core/model/price';
import { isFunctionService, mapRunService, serviceOfFunction, type MapContext } from '../../src/providers/gcp/mapping';
import type { VmQuery } from '../../src/providers/gcp/prices';
import { unreachableOf } from '../../src/providers/gcp/provider';

const ctx: MapContext = { account: 'a', project: 'p-1', prices: unreadPriceBook<VmQuery>('none'), shapeOf: () => undefined };
const service = (over: Record<string, unknown>) => ({
  name: 'projects/p-1/locations/us-central1/services/llm',
  uri: 'https://llm-abc-uc.a.run.app',
  terminalCondition: { type: 'Ready', state: 'CONDITION_SUCCEEDED' },
  template: {
    scaling: { minInstanceCount: 1 },
    containers: [{ image: 'us-docker.pkg.dev/x/llm', resources: { limits: { cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '1' } } }],
    nodeSelector: { accelerator: 'nvidia-l4' },
  },
  ...over,
});

describe('Google Cloud Run services and partial answers', () => {
  it('maps a Cloud Run service: Ready condition, region, URL, its L4, and why a GPU service has no hourly price', () => {
    const r = mapRunService(service({}), ctx)!;
    assert.deepEqual(
      [r.name, r.region, r.status, r.service, r.gpu?.key, r.gpu?.count, r.details?.url, r.details?.['min instances']],
      ['llm', 'us-central1', 'running', 'Cloud Run', 'L4-24GB', 1, 'https://llm-abc-uc.a.run.app', 1],
    );
    assert.match(r.priceUnknown ?? '', /per second of instance time/);
    const states = ['CONDITION_FAILED', 'CONDITION_RECONCILING', 'CONDITION_PENDING', 'NEW'].map(
      (state) => mapRunService(service({ terminalCondition: { state } }), ctx)!.status,
    );
    assert.deepEqual(states, ['error', 'starting', 'starting', 'unknown']);
    assert.equal(mapRunService(service({ reconciling: true }), ctx)!.status, 'starting', 'a rollout in progress');
    const web = mapRunService(service({ template: { containers: [{ resources: { limits: { cpu: '1' } } }] } }), ctx)!;
    assert.deepEqual([web.gpu, web.priceUnknown], [undefined, undefined]);
  });

  it('knows a 2nd gen function’s own service by the function’s serviceConfig.service or the Cloud Functions label', () => {
    const fn = {
      name: 'projects/p-1/locations/us-central1/functions/hook',
      serviceConfig: { service: 'projects/p-1/locations/us-central1/services/hook' },
    };
    const own = new Set([serviceOfFunction(fn)!]);
    assert.equal(isFunctionService({ name: 'projects/p-1/locations/us-central1/services/hook' }, own), true);
    assert.equal(isFunctionService({ name: 'x', labels: { 'goog-managed-by': 'cloudfunctions' } }, own), true);
    assert.equal(isFunctionService({ name: 'projects/p-1/locations/us-central1/services/llm' }, own), false);
  });

  it('reads the places a partial answer could not reach, as zones or regions', () => {
    assert.deepEqual(unreachableOf({ unreachables: ['zones/us-east1-b', 'regions/us-east1'] }, 'unreachables'), ['us-east1-b', 'us-east1']);
    assert.deepEqual(unreachableOf({ missingZones: ['us-central1-f'] }, 'missingZones'), ['us-central1-f']);
    assert.deepEqual(unreachableOf({ unreachable: ['projects/p/locations/asia-east1'] }, 'unreachable'), ['asia-east1']);
    assert.deepEqual(unreachableOf({}, 'unreachables'), []);
  });
});
