// What Neon's computes take: suspend (Cloudtop's stop) and start, `POST /projects/{project_id}/endpoints/{endpoint_id}/
// suspend` and `/start` (https://api-docs.neon.tech/reference/suspendprojectendpoint and startprojectendpoint; npm
// @neondatabase/api-client 2.7.3 suspendProjectEndpoint, startProjectEndpoint), sent by provider.ts `act`. SDK-free, in the main bundle (CloudEntry.actions).
//
// A suspended compute costs no compute time; the branch's storage stays billed (neon.com/docs/introduction/
// plans: storage is billed whether or not a compute runs). Suspending drops open connections and the compute's caches;
// the next connection (or Start) wakes it again, as its autosuspend does.
import type { CloudActions } from '../../core/engine/provider';
import type { Resource } from '../../core/model/model';

// The service mapping.ts files these resources under (COMPUTES_SERVICE there; test/unit/actions.test.ts keeps
// them equal), named here so the main bundle holds no mapping code.
const COMPUTES_SERVICE = 'Computes';

const isCompute = (r: Resource) => r.cloud === 'neon' && r.service === COMPUTES_SERVICE && typeof r.details?.projectId === 'string';

export const neonActions: CloudActions = {
  subjects: 'computes',
  supports: (resource) => isCompute(resource),
  stopTerms: () => ({
    keepsBilling: ["the branch's storage, billed as before (a suspended compute costs no compute time)"],
    loses: ['its open connections and caches; the next connection starts it again unless it stays suspended'],
  }),
};
