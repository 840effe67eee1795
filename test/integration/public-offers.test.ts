// GPU prices before any key: with no credential anywhere, a refresh that asks for public offers lists the GPU offers of
// the clouds whose price catalogue is public (Oracle's price list, Azure's Retail Prices API) from their simulators,
// calling nothing but those catalogues; the clouds stay "not connected". A refresh that does not ask loads no provider
// module (no SDK) and calls nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEngine, type Engine } from '../../src/core/engine/engine';
import { CLOUD_IDS, isCloudId } from '../../src/core/model/model';
import { catalogue } from '../../src/providers/index';
import type { Sim } from '../sim/server';
import { startDemoSim } from '../support/simWiring';

describe('public GPU offers before any key', function () {
  this.timeout(60_000);
  let sim: Sim;
  let engine: Engine;
  let home: string;

  beforeEach(async () => {
    sim = await startDemoSim({ latencyMs: 0 });
    // An empty home: no CLI login of this machine's (~/.oci/config, ~/.azure, gcloud's configuration) is found.
    home = mkdtempSync(path.join(tmpdir(), 'cloudtop-first-run-'));
    engine = createEngine({
      catalogue,
      env: { HOME: home, CLOUDSDK_CONFIG: path.join(home, 'gcloud'), AZURE_CONFIG_DIR: path.join(home, 'azure'), PATH: '' },
      cache: { backend: 'memory' },
      config: (cloud) => ({ enabled: true, ...(sim.cloudIds().includes(cloud) ? { endpoint: sim.endpoint(cloud) } : {}) }),
    });
  });

  afterEach(async () => {
    await engine.dispose();
    await sim.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('lists Oracle Cloud and Azure offers from their public catalogues alone; every cloud stays not connected', async () => {
    const snapshot = await engine.collector.refresh({ publicOffers: true });
    for (const cloud of CLOUD_IDS) assert.equal(snapshot.outcomes[cloud]?.state, 'unconfigured', `${cloud} is not connected`);
    const withOffers = CLOUD_IDS.filter((cloud) => (snapshot.outcomes[cloud]?.offers.length ?? 0) > 0);
    assert.deepEqual(withOffers, ['oci', 'azure']);
    assert.ok(
      snapshot.outcomes.azure?.offers.some((o) => o.gpuKey.startsWith('H100')),
      'Azure prices an H100 before any key',
    );
    assert.equal(snapshot.outcomes.oci?.warnings, undefined, JSON.stringify(snapshot.outcomes.oci?.warnings));
    assert.equal(snapshot.outcomes.azure?.warnings, undefined, JSON.stringify(snapshot.outcomes.azure?.warnings));
    // Nothing but the public catalogues was asked: no listing, no token, no other cloud.
    const asked = new Set(sim.log.entries().map((e) => `${e.cloud ?? '?'} ${e.method} ${e.route ?? e.path}`));
    assert.deepEqual(
      [...asked].filter(
        (call) => !/^oci GET \/(pls\/apex\/cetools|a\/ocom\/docs\/cloudestimator2)|^azure GET \/api\/retail\/prices/.test(call),
      ),
      [],
      'only the price catalogues are called',
    );
    assert.equal(snapshot.totals.gpuSpendPerHour, 0);
    // Within the offers' age the next refresh asks nothing again.
    const calls = sim.log.count();
    await engine.collector.refresh({ publicOffers: true });
    assert.equal(sim.log.count(), calls, 'cached like any offers');
  });

  it('without the ask, loads no provider module and calls nothing', async () => {
    const snapshot = await engine.collector.refresh();
    assert.equal(sim.log.count(), 0);
    for (const cloud of CLOUD_IDS) {
      assert.equal(snapshot.outcomes[cloud]?.offers.length, 0);
      assert.equal(engine.registry.isLoaded(cloud), false, `${cloud}'s module (and SDK) stays unloaded`);
    }
  });

  it('only Oracle Cloud and Azure declare a public catalogue (Vast.ai and RunPod document a key on every request)', () => {
    const declared = Object.values(catalogue)
      .filter((entry) => entry.publicOffers)
      .map((entry) => entry.cloud);
    assert.deepEqual(declared.filter(isCloudId), ['oci', 'azure']);
  });
});
