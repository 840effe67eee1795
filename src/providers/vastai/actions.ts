// What Vast.ai's instances take: stop and start, and what a stop keeps costing. SDK-free, in the main bundle through
// the catalogue (CloudEntry.actions); the write itself is provider.ts `act` (api.ts setInstanceState).
//
// Billing while stopped (vast-ai/docs instances/instance-lifecycle and cli/reference/show-instances-v1.mdx): a stopped
// instance pays only for its disk ("disk charges only"); a frozen one keeps its GPU and memory and "GPU charges
// apply", so it is not stopped for this purpose and Stop moves it on to stopped. A stopped instance keeps no claim on
// the machine's GPUs: when someone else rents them meanwhile, it cannot start until they are free again.
import { formatMoney } from '../../core/model/describe';
import type { CloudActions } from '../../core/engine/provider';
import type { Resource } from '../../core/model/model';

// The service mapping.ts files these resources under (VAST_SERVICE there; test/unit/actions.test.ts keeps
// them equal), named here so the main bundle holds no mapping code.
const VAST_SERVICE = 'Instances';

const isInstance = (r: Resource) => r.cloud === 'vastai' && r.service === VAST_SERVICE;

export const vastActions: CloudActions = {
  subjects: 'instances',
  supports: (resource) => isInstance(resource),
  stopTerms: (resource) => ({
    keepsBilling: [
      resource.storagePricePerHour !== undefined
        ? `its disk: ${formatMoney(resource.storagePricePerHour)}/h (${formatMoney(resource.storagePricePerHour * 24 * 30)} a month) — Vast.ai bills storage until the instance is destroyed`
        : 'its disk — Vast.ai bills storage until the instance is destroyed',
    ],
    loses: ["its hold on the machine's GPUs: if another renter takes them while it is stopped, it cannot start until they are free"],
  }),
  // Frozen is "stopped" in the model yet billed its running price: stopping it is not a no-op.
  inTargetState: (resource, action) =>
    action === 'stop' ? resource.status === 'stopped' && !resource.chargedWhilePaused : resource.status === 'running',
};
