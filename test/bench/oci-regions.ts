// Why Oracle Cloud shows the profile's region by default (src/providers/oci/provider.ts listScopes): one uncached
// refresh at Cloudtop's default OCI budget (4 requests a second, bursts of 10) and the default 30 s deadline, with 1, 2
// and 5 subscribed regions shown (`cloudtop.oci.regions: ["all"]`) and 10 compartments: its wall time and how many
// regions it could show. Regions beyond the home one hold no resources, as in many tenancies: they still cost their
// compartment lists.
import { createEngine } from '../../src/core/engine/engine';
import { catalogue } from '../../src/providers/index';
import { ociCloud } from '../sim/oci';
import { startSim } from '../sim/server';
import { simKeyEnv } from '../support/simWiring';
import { performance } from 'node:perf_hooks';

type Record = (metric: string, value: number, unit: string) => void;

export async function benchOciRegions(record: Record): Promise<void> {
  for (const regions of [1, 2, 5]) {
    const sim = await startSim({ clouds: [ociCloud({ count: 40, compartments: 10, regions })] });
    const engine = createEngine({
      catalogue: { oci: catalogue.oci! },
      env: { ...simKeyEnv(sim, 'oci'), HOME: '/nonexistent' },
      cache: { backend: 'memory' },
      config: () => ({ enabled: true, endpoint: sim.endpoint('oci'), scopes: ['all'] }),
    });
    try {
      const started = performance.now();
      const outcome = (await engine.collector.refresh({ force: true })).outcomes.oci;
      record(`refresh.oci.regions${regions}.wallMs`, Math.round(performance.now() - started), 'ms');
      record(`refresh.oci.regions${regions}.regionsOk`, outcome?.scopes?.filter((s) => s.state === 'ok').length ?? 0, 'regions');
      record(`refresh.oci.regions${regions}.calls`, sim.log.count('oci'), 'calls');
    } finally {
      await engine.dispose();
      await sim.close();
    }
  }
}
