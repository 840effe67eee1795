// Runnable sim for the demo (`npm start`), the VS Code extension-host and UI tests and the benchmarks:
//   node --import tsx test/sim/main.ts [--port N] [--latency MS] [--hostile] [--seed N] [--count N]
// Prints exactly one JSON line on stdout once listening — { url, endpoints, keys, env } — so a parent process
// can read where to point Cloudtop, then serves until SIGINT/SIGTERM (or its IPC parent disconnects).
import { parseArgs } from 'node:util';
import { createRegisteredClouds } from './clouds';
import { startSim } from './server';

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} needs a non-negative integer, got ${value}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      latency: { type: 'string' },
      hostile: { type: 'boolean', default: false },
      seed: { type: 'string' },
      count: { type: 'string' },
    },
    strict: true,
  });
  const count = numberOption(values.count, 'count');
  const clouds = createRegisteredClouds({ hostile: values.hostile, ...(count !== undefined ? { count } : {}) });
  const sim = await startSim({
    clouds,
    port: numberOption(values.port, 'port') ?? 0,
    latencyMs: numberOption(values.latency, 'latency') ?? 0,
    seed: numberOption(values.seed, 'seed') ?? 1,
  });
  const endpoints = Object.fromEntries(sim.cloudIds().map((id) => [id, sim.endpoint(id)]));
  process.stdout.write(`${JSON.stringify({ url: sim.url, endpoints, keys: sim.keys(), env: sim.envs() })}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`sim close failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Spawned with an IPC channel: die with the parent instead of lingering on a port.
  if (process.send) process.on('disconnect', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`sim failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
