// Points Cloudtop at the simulated clouds: endpoint overrides as user settings (they are application-scoped,
// so only user settings count) and each cloud's key in its standard environment variable.
import { createEngine, type Engine } from '../../src/core/engine/engine';
import { testTlsEnv } from '../../scripts/test-tls.cjs';
import { isCloudId } from '../../src/core/model/model';
import { catalogue } from '../../src/providers/index';
import { createRegisteredClouds } from '../sim/clouds';
import { startSim, type Sim } from '../sim/server';

export interface SimWiring {
  readonly settings: Record<string, unknown>;
  readonly env: Record<string, string>;
}

/** Settings and env for every cloud that has both a simulator and a provider. */
export function wireToSim(sim: Sim, options: { withoutKeys?: readonly string[] } = {}): SimWiring {
  const settings: Record<string, unknown> = {};
  const env: Record<string, string> = {};
  for (const id of sim.cloudIds()) {
    if (!isCloudId(id)) continue;
    const entry = catalogue[id];
    if (!entry) continue;
    settings[`cloudtop.${id}.endpoint`] = sim.endpoint(id);
    if (!options.withoutKeys?.includes(id)) Object.assign(env, simKeyEnv(sim, id));
  }
  // A cloud served over HTTPS (Azure) is trusted through the test certificate, in whatever process the env reaches.
  if (sim.cloudIds().some((id) => sim.endpoint(id).startsWith('https:'))) Object.assign(env, testTlsEnv());
  return { settings, env };
}

/**
 * A simulated cloud's credentials as its standard environment: the key in the variable of its first secret field,
 * and whatever else the simulator names (Google Cloud: GOOGLE_APPLICATION_CREDENTIALS, a key file naming the sim).
 */
export function simKeyEnv(sim: Sim, cloud: string): Record<string, string> {
  const entry = isCloudId(cloud) ? catalogue[cloud] : undefined;
  if (!entry) return {};
  const variable = entry.credentialFields.find((f) => f.secret)?.env[0];
  return { ...(variable ? { [variable]: sim.keys()[cloud] } : {}), ...sim.envs()[cloud] };
}

export function startDemoSim(options: { latencyMs?: number; hostile?: boolean } = {}): Promise<Sim> {
  return startSim({ clouds: createRegisteredClouds({ hostile: options.hostile ?? false }), latencyMs: options.latencyMs ?? 20 });
}

/**
 * An engine of our own on the wiring the extension gets (its endpoints and keys): what the UI tests expect the
 * dashboard to show is read through it, the same way, from the same simulator.
 */
export function engineOnWiring(wiring: SimWiring): Engine {
  return createEngine({
    catalogue,
    env: wiring.env,
    cache: { backend: 'memory' },
    config: (cloud) => {
      const endpoint = wiring.settings[`cloudtop.${cloud}.endpoint`];
      return { enabled: true, ...(typeof endpoint === 'string' && endpoint ? { endpoint } : {}) };
    },
  });
}
