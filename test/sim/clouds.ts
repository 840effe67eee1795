// The registry of simulated clouds that main.ts (demo, VS Code tests, benchmarks) starts. Each real
// cloud's module adds one line here; tests that need a particular set build their own list instead.
import { exampleCloud } from './example-cloud';
import type { SimCloud, SimCloudOptions } from './types';

export interface SimCloudModule {
  /** The id the module mounts under by default (the real cloud id for real modules). */
  readonly id: string;
  create(options: SimCloudOptions): SimCloud;
}

export const SIM_CLOUD_MODULES: readonly SimCloudModule[] = [
  { id: 'example', create: (options) => exampleCloud({ ...options, id: options.id ?? 'example' }) },
];

/** One cloud per registered module, all with the same knobs. */
export function createRegisteredClouds(options: SimCloudOptions = {}): SimCloud[] {
  return SIM_CLOUD_MODULES.map((m) => m.create({ ...options, id: m.id }));
}
