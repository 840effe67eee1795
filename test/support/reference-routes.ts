// The routes of each cloud's reference data as the simulators name them: what a second run within the TTLs must not
// ask for again (test/integration/reference.test.ts, the bench's refresh.reference.apiCalls.second).
import type { CloudId } from '../../src/core/model/model';
import type { Sim } from '../sim/server';

export const REFERENCE_ROUTES: Readonly<Partial<Record<CloudId, readonly string[]>>> = {
  oci: [
    'GET /20160918/compartments',
    'GET /20160918/tenancies/:tenancyId/regionSubscriptions',
    'GET /20160918/tenancies/:tenancyId',
    'GET /pls/apex/cetools/api/v1/products',
    'GET /a/ocom/docs/cloudestimator2/data/shapes.json',
  ],
  azure: ['GET /subscriptions', 'GET /tenants', 'GET /subscriptions/:sub/providers/Microsoft.Compute/skus', 'GET /api/retail/prices'],
  gcp: ['GET /v3/projects:search', 'GET /compute/v1/projects/:project/zones/:zone/machineTypes/:type', 'GET /v1/services/:service/skus'],
};

export const referenceCalls = (sim: Sim, cloud: CloudId): number =>
  (REFERENCE_ROUTES[cloud] ?? []).reduce((n, route) => n + sim.log.count(cloud, route), 0);
