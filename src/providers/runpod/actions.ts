// What RunPod's pods take: stop and start (REST v2 `POST /v2/pods/{id}/action`, provider.ts `act`), and what a stop
// keeps costing and loses. SDK-free, in the main bundle through the catalogue (CloudEntry.actions).
//
// Sources: runpod/docs api-reference-v2/openapi.json, operation podAction ("stop — stop a running or provisioning pod,
// releasing GPU/CPU compute while keeping its disk. The pod moves to EXITED"; start boots an EXITED or ERROR pod;
// an action the pod's status does not allow answers 409); docs.runpod.io/pods/storage (the container disk is "lost on
// stop/restart"; the volume disk is kept and billed $0.20/GB/month while stopped); runpod/docs pull 629 (May 2026:
// pods with a network volume can be stopped too). Instant Cluster members are run as their cluster, not one by one.
import { formatMoney } from '../../core/model/describe';
import type { CloudActions } from '../../core/engine/provider';
import type { Resource } from '../../core/model/model';

// The service pods.ts files these resources under (PODS_SERVICE there; test/unit/actions.test.ts keeps
// them equal), named here so the main bundle holds no mapping code.
const PODS_SERVICE = 'Pods';

const isStandalonePod = (r: Resource) => r.cloud === 'runpod' && r.service === PODS_SERVICE && r.details?.clusterId === undefined;

export const runpodActions: CloudActions = {
  subjects: 'pods (not Instant Cluster members, not terminated pods)',
  // A TERMINATED pod is gone for good: nothing starts it again.
  supports: (resource, action) => isStandalonePod(resource) && !(action === 'start' && resource.rawStatus === 'TERMINATED'),
  stopTerms: (resource) => {
    const volumeGb = typeof resource.details?.volumeGb === 'number' ? resource.details.volumeGb : undefined;
    const network = typeof resource.details?.networkVolume === 'string' ? resource.details.networkVolume : undefined;
    const keeps: string[] = [];
    if (volumeGb !== undefined)
      keeps.push(
        `its ${volumeGb} GB volume disk (/workspace)${resource.storagePricePerHour !== undefined ? `: ${formatMoney(resource.storagePricePerHour)}/h` : ''} — RunPod bills $0.20/GB/month while the pod is stopped`,
      );
    if (network) keeps.push(`its network volume ${network}, billed as before`);
    return {
      keepsBilling: keeps,
      loses: ['everything on the container disk (outside /workspace and network volumes): RunPod clears it on stop'],
    };
  },
};
