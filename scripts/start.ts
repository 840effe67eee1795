// `npm start`: build and package Cloudtop, start the simulated clouds, install the .vsix into the local
// code-server pointed at them, print the URL, and keep running until Ctrl-C.
import { execFileSync } from 'node:child_process';
import { startCodeServer } from '../test/support/codeServer';
import { startDemoSim, wireToSim } from '../test/support/simWiring';
import { ROOT } from './vscode-env.mjs';

async function main(): Promise<void> {
  execFileSync('npm', ['run', 'package'], { cwd: ROOT, stdio: 'inherit' });
  const sim = await startDemoSim();
  const wiring = wireToSim(sim);
  const server = await startCodeServer({ settings: wiring.settings, env: wiring.env }).catch(async (error: unknown) => {
    await sim.close();
    throw error;
  });
  process.stdout.write(
    `\nCloudtop is running in code-server against simulated clouds (${sim.cloudIds().join(', ')}). Open:\n\n  ${server.url}\n\nPress Ctrl-C to stop.\n`,
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void Promise.allSettled([server.stop(), sim.close()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
