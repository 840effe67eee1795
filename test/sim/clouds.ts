// The registry of simulated clouds that main.ts (demo, VS Code tests, benchmarks) starts. Each real
// cloud's module adds one line here; tests that need a particular set build their own list instead.
import { azureCloud } from './azure';
import { cloudflareCloud } from './cloudflare';
import { exampleCloud } from './example-cloud';
import { gcpCloud } from './gcp';
import { neonCloud } from './neon';
import { ociCloud } from './oci';
import { runpodCloud } from './runpod';
import type { SimCloud, SimCloudOptions } from './types';
import { vastCloud } from './vastai';

export interface SimCloudModule {
  /** The id the module mounts under by default (the real cloud id for real modules). */
  readonly id: string;
  create(options: SimCloudOptions): SimCloud;
}

export const SIM_CLOUD_MODULES: readonly SimCloudModule[] = [
  { id: 'example', create: (options) => exampleCloud({ ...options, id: options.id ?? 'example' }) },
  { id: 'azure', create: (options) => azureCloud(options) },
  { id: 'cloudflare', create: (options) => cloudflareCloud(options) },
  { id: 'gcp', create: (options) => gcpCloud(options) },
  { id: 'neon', create: (options) => neonCloud(options) },
  { id: 'oci', create: (options) => ociCloud(options) },
  { id: 'runpod', create: (options) => runpodCloud(options) },
  { id: 'vastai', create: (options) => vastCloud(options) },
];

/** One cloud per registered module, all with the same knobs. */
export function createRegisteredClouds(options: SimCloudOptions = {}): SimCloud[] {
  return SIM_CLOUD_MODULES.map((m) => m.create({ ...options, id: m.id }));
}
