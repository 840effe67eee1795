// Oracle Cloud's actions (src/providers/oci/actions.ts) on resources the real mapping makes: which InstanceAction a
// stop sends (SOFTSTOP, or STOP for an instance already stopping), what is skipped or refused, and what a stop keeps
// costing — the GPU shapes Oracle bills while stopped (every one but VM.GPU.A10) warn that stopping does not stop it.
import assert from 'node:assert/strict';
import { autoStopRefusal, canAct, planAction, stopTermsOf } from '../../src/core/engine/actions';
import { unreadPriceBook } from '../../src/core/model/price';
import type { Resource } from '../../src/core/model/model';
import { catalogue } from '../../src/providers/index';
import { BILLED_WHILE_STOPPED, ociPowerAction } from '../../src/providers/oci/actions';
import { mapAutonomousDatabase, mapInstance, SERVICES, type MapContext } from '../../src/providers/oci/mapping';

const ctx: MapContext = {
  account: '',
  region: 'us-ashburn-1',
  group: { id: 'ocid1.compartment.oc1..x', label: 'ml', kind: 'compartment' },
  prices: unreadPriceBook('no price list in this test'),
};

// Shapes and states as Oracle's ListInstances sends them (oci-core 2.139.1 lib/model/instance.d.ts).
const instance = (lifecycleState: string, shape = 'VM.Standard.E5.Flex', extra: Record<string, unknown> = {}): Resource =>
  mapInstance(
    {
      id: 'ocid1.instance.oc1.iad.a',
      displayName: 'train-01',
      lifecycleState,
      shape,
      shapeConfig: shape.includes('GPU') ? { ocpus: 15, memoryInGBs: 240, gpus: 1, gpuDescription: 'NVIDIA® A10' } : { ocpus: 2, gpus: 0 },
      ...extra,
    },
    ctx,
  )!;
const entry = catalogue.oci;

describe('Oracle Cloud actions', () => {
  it('take the instances mapping.ts files under GPU and Compute, nothing else', () => {
    assert.deepEqual([SERVICES.gpu, SERVICES.compute], ['GPU', 'Compute']);
    assert.equal(canAct(entry, instance('RUNNING')), true);
    assert.equal(canAct(entry, instance('RUNNING', 'VM.GPU.A10.1')), true);
    const adb = mapAutonomousDatabase({ id: 'ocid1.autonomousdatabase.oc1.iad.b', dbName: 'db', lifecycleState: 'AVAILABLE' }, ctx)!;
    assert.equal(canAct(entry, adb), false);
  });

  it('stop sends SOFTSTOP to a running instance, STOP to one already STOPPING (not skipped), START to a stopped one', () => {
    assert.equal(ociPowerAction(instance('RUNNING'), 'stop'), 'SOFTSTOP');
    const stopping = instance('STOPPING');
    assert.deepEqual(planAction(entry, stopping, 'stop'), { decision: 'send' });
    assert.equal(ociPowerAction(stopping, 'stop'), 'STOP');
    assert.equal(ociPowerAction(instance('STOPPED'), 'start'), 'START');
    assert.deepEqual(planAction(entry, instance('STOPPED'), 'start'), { decision: 'send' });
  });

  it('skips what is already there: a stop of a STOPPED instance (even one still billed), a start of a RUNNING one', () => {
    const billedStopped = instance('STOPPED', 'BM.GPU.H100.8');
    assert.equal(billedStopped.chargedWhilePaused, true);
    assert.deepEqual(planAction(entry, billedStopped, 'stop'), { decision: 'skip', why: 'train-01 is already stopped (STOPPED).' });
    assert.equal(planAction(entry, instance('RUNNING'), 'start').decision, 'skip');
  });

  it('refuses preemptible instances (Oracle cannot stop or start them) and terminating ones', () => {
    const preemptible = instance('RUNNING', 'VM.GPU.A10.1', {
      preemptibleInstanceConfig: { preemptionAction: { type: 'TERMINATE', preserveBootVolume: false } },
    });
    const refused = planAction(entry, preemptible, 'stop');
    assert.equal(refused.decision, 'unsupported');
    assert.match(refused.decision === 'unsupported' ? refused.why : '', /not preemptible ones/);
    assert.equal(planAction(entry, instance('TERMINATING'), 'stop').decision, 'unsupported');
  });

  it("autostop leaves alone a GPU shape whose stop would not stop Oracle's charge; an A10 it may stop", () => {
    assert.match(
      autoStopRefusal(entry, instance('RUNNING', 'BM.GPU.H100.8')) ?? '',
      /would save nothing: stopping does not stop Oracle's GPU charge/,
    );
    assert.equal(autoStopRefusal(entry, instance('RUNNING', 'VM.GPU.A10.1')), undefined);
    assert.match(autoStopRefusal(entry, instance('STOPPED', 'VM.GPU.A10.1')) ?? '', /already stopped/);
  });

  describe('what a stop keeps costing and loses', () => {
    it("a GPU shape Oracle bills while stopped: the warning that stopping does not stop Oracle's GPU charge", () => {
      const h100 = instance('RUNNING', 'BM.GPU.H100.8');
      assert.equal(h100.details?.[BILLED_WHILE_STOPPED], true);
      const terms = stopTermsOf(entry, h100)!;
      assert.equal(terms.stillBilled, "stopping does not stop Oracle's GPU charge; terminate it to stop paying");
      assert.match(terms.keepsBilling.join('\n'), /boot volume and attached block volumes/);
      assert.match(terms.keepsBilling.join('\n'), /Oracle keeps billing a stopped BM\.GPU\.H100\.8/);
    });

    it('an A10 and a CPU shape: no warning, the volumes stay billed', () => {
      const a10 = instance('RUNNING', 'VM.GPU.A10.1');
      assert.equal(a10.details?.[BILLED_WHILE_STOPPED], false);
      for (const r of [a10, instance('RUNNING')]) {
        const terms = stopTermsOf(entry, r)!;
        assert.equal(terms.stillBilled, undefined);
        assert.deepEqual(terms.keepsBilling, [
          'its boot volume and attached block volumes — Oracle bills Block Volume storage until they are deleted',
        ]);
      }
      assert.equal(instance('RUNNING').details?.[BILLED_WHILE_STOPPED], undefined);
    });

    it('a graceful stop says Oracle powers it off after 15 minutes; one already stopping says this forces it off', () => {
      assert.match(stopTermsOf(entry, instance('RUNNING'))!.loses.join(' '), /SOFTSTOP.*after 15 minutes/);
      assert.match(
        stopTermsOf(entry, instance('STOPPING'))!.loses.join(' '),
        /already stopping gracefully; this forces it off \(Oracle STOP\): unsaved data in memory is lost/,
      );
    });
  });
});
