// Google Cloud's actions: which VMs take Stop and Start (standalone ones; not MIG members or GKE nodes; a suspended VM
// is resumed, not started), what a stop keeps costing and loses (disks, a static IP, Local SSD data, a calendar-mode
// reservation that bills on), the VM's SSH address from the listing, and a zone Operation that comes back failed.
// Wire samples are Compute Engine's Instance and Operation as cloud.google.com/compute/docs/reference/rest/v1/instances
// and /zoneOperations document them (created-by: cloud.google.com/compute/docs/metadata/predefined-metadata-keys).
import assert from 'node:assert/strict';
import { planAction, stopTermsOf } from '../../src/core/engine/actions';
import { unreadPriceBook } from '../../src/core/model/price';
import type { Resource } from '../../src/core/model/model';
import { mapInstance, SERVICES, type MapContext } from '../../src/providers/gcp/mapping';
import type { VmQuery } from '../../src/providers/gcp/prices';
import { operationError } from '../../src/providers/gcp/provider';
import { catalogue } from '../../src/providers/index';

const ZONE = 'https://www.googleapis.com/compute/v1/projects/p-1/zones/us-central1-a';
const ctx: MapContext = { account: 'acct', project: 'p-1', prices: unreadPriceBook<VmQuery>('no prices here'), shapeOf: () => undefined };

/** An Instance as instances.aggregatedList carries it (the fields the mapping reads). */
const instance = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  kind: 'compute#instance',
  id: '8412345678901234567',
  name: 'train-01',
  zone: ZONE,
  machineType: `${ZONE}/machineTypes/a2-highgpu-1g`,
  status: 'RUNNING',
  networkInterfaces: [
    {
      kind: 'compute#networkInterface',
      networkIP: '10.128.0.7',
      accessConfigs: [{ kind: 'compute#accessConfig', type: 'ONE_TO_ONE_NAT', name: 'External NAT', natIP: '34.122.9.41' }],
    },
  ],
  disks: [{ kind: 'compute#attachedDisk', type: 'PERSISTENT', boot: true, diskSizeGb: '200' }],
  metadata: { kind: 'compute#metadata', items: [{ key: 'install-nvidia-driver', value: 'True' }] },
  scheduling: { provisioningModel: 'STANDARD' },
  guestAccelerators: [{ acceleratorType: `${ZONE}/acceleratorTypes/nvidia-tesla-a100`, acceleratorCount: 1 }],
  labels: { team: 'ml' },
  ...over,
});
const vm = (over: Record<string, unknown> = {}): Resource => mapInstance(instance(over), ctx)!;
const entry = catalogue.gcp!;

describe('Google Cloud actions', () => {
  it('name the services the mapping files VMs under, and the catalogue entry declares them', () => {
    assert.ok(entry.actions);
    for (const service of [SERVICES.gpu, SERVICES.vm]) {
      const r = { ...vm(), service, kind: service === SERVICES.gpu ? 'gpu-instance' : 'instance' } as Resource;
      assert.equal(entry.actions.supports(r, 'stop'), true, service);
    }
  });

  it('a standalone running VM is stopped; a TERMINATED one is started, and skipped by a stop', () => {
    assert.deepEqual(planAction(entry, vm(), 'stop'), { decision: 'send' });
    const stopped = vm({ status: 'TERMINATED' });
    assert.deepEqual(planAction(entry, stopped, 'start'), { decision: 'send' });
    assert.equal(planAction(entry, stopped, 'stop').decision, 'skip');
  });

  it('a managed instance group member (created-by) and a GKE node (goog-gke-node) are not acted on', () => {
    const member = vm({
      metadata: { items: [{ key: 'created-by', value: 'projects/123456789012/zones/us-central1-a/instanceGroupManagers/web-mig' }] },
    });
    assert.equal(member.details?.['managed by'], 'instance group web-mig');
    const regional = vm({
      metadata: { items: [{ key: 'created-by', value: 'projects/123456789012/regions/us-central1/instanceGroupManagers/batch' }] },
    });
    assert.equal(regional.details?.['managed by'], 'instance group batch');
    const node = vm({ labels: { 'goog-gke-node': '', 'goog-k8s-cluster-name': 'ml' } });
    assert.equal(node.details?.['managed by'], 'GKE');
    for (const r of [member, regional, node])
      for (const action of ['stop', 'start'] as const) {
        const plan = planAction(entry, r, action);
        assert.equal(plan.decision, 'unsupported');
        assert.match((plan as { why: string }).why, /not GKE nodes or managed instance group members/);
      }
  });

  it('a suspended VM is not started (it is resumed, a different call), and a stop leaves it be', () => {
    const suspended = vm({ status: 'SUSPENDED' });
    const start = planAction(entry, suspended, 'start');
    assert.equal(start.decision, 'unsupported');
    assert.match((start as { why: string }).why, /a suspended VM is resumed \(gcloud compute instances resume\), not started/);
    assert.equal(planAction(entry, suspended, 'stop').decision, 'skip');
  });

  it('what a stop keeps costing and loses: disks and a static IP billed; memory, the ephemeral IP and the hold on GPUs lost', () => {
    const terms = stopTermsOf(entry, vm())!;
    assert.deepEqual(terms.keepsBilling, [
      'its persistent disks (1 (200 GB)), billed while the VM is stopped',
      'a static (reserved) external IP address, if it has one',
    ]);
    assert.equal(terms.loses.length, 3);
    assert.match(terms.loses[1], /its external IP 34\.122\.9\.41 unless it is a reserved static address/);
    assert.match(terms.loses[2], /its hold on the GPUs: starting it again needs free nvidia-tesla-a100 in us-central1-a/);
    assert.equal(terms.stillBilled, undefined);
  });

  it('Local SSDs: their data is lost (Cloudtop sends discardLocalSsd=true)', () => {
    const scratch = { kind: 'compute#attachedDisk', type: 'SCRATCH', interface: 'NVME', diskSizeGb: '375' };
    const a3 = vm({ disks: [{ type: 'PERSISTENT', boot: true, diskSizeGb: '200' }, scratch, scratch] });
    assert.equal(a3.details?.['local SSDs'], 2);
    assert.ok(stopTermsOf(entry, a3)!.loses.some((l) => /the data on its 2 Local SSDs: Cloudtop stops with discardLocalSsd=true/.test(l)));
    assert.ok(!stopTermsOf(entry, vm())!.loses.some((l) => /Local SSD/.test(l)));
  });

  it('a reservation-bound (calendar mode) VM: stopping does not stop the reservation’s charge, and says so', () => {
    const bound = vm({ scheduling: { provisioningModel: 'RESERVATION_BOUND', instanceTerminationAction: 'DELETE' } });
    assert.match(stopTermsOf(entry, bound)!.stillBilled ?? '', /does not stop the charge of the calendar-mode reservation/);
    const flex = vm({ scheduling: { provisioningModel: 'FLEX_START', instanceTerminationAction: 'DELETE' } });
    assert.equal(stopTermsOf(entry, flex)!.stillBilled, undefined);
    assert.equal(planAction(entry, flex, 'stop').decision, 'send');
  });

  it('SSH: the external address the listing carries, port 22, no user (OS Login or the VM’s keys decide it); none without one', () => {
    assert.deepEqual(vm().ssh, { host: '34.122.9.41', port: 22 });
    const internalOnly = vm({ networkInterfaces: [{ networkIP: '10.128.0.7' }] });
    assert.equal(internalOnly.ssh, undefined);
    // A stopped VM's ephemeral address is released: its access config stays, without natIP.
    const stopped = vm({
      status: 'TERMINATED',
      networkInterfaces: [{ networkIP: '10.128.0.7', accessConfigs: [{ type: 'ONE_TO_ONE_NAT' }] }],
    });
    assert.equal(stopped.ssh, undefined);
  });

  it('a zone Operation that comes back with errors is a failure in Google’s words; a PENDING one is not', () => {
    assert.equal(operationError({ kind: 'compute#operation', name: 'operation-1', status: 'PENDING', progress: 0 }), undefined);
    const failed = operationError({
      kind: 'compute#operation',
      status: 'DONE',
      httpErrorStatusCode: 400,
      httpErrorMessage: 'BAD REQUEST',
      error: {
        errors: [
          { code: 'ZONE_RESOURCE_POOL_EXHAUSTED', message: "The zone 'projects/p-1/zones/us-central1-a' does not have enough resources" },
        ],
      },
    });
    assert.equal(failed?.category, 'config');
    assert.equal(failed?.code, 'ZONE_RESOURCE_POOL_EXHAUSTED');
    assert.match(failed?.message ?? '', /does not have enough resources/);
  });
});
