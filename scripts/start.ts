// `npm start`: build and package Cloudtop, install the .vsix into the local code-server, start it on a free
// loopback port with a workspace, print the URL, and keep running until Ctrl-C.
import { execFileSync } from 'node:child_process';
import { startCodeServer } from '../test/support/codeServer';
import { ROOT } from './vscode-env.mjs';

async function main(): Promise<void> {
  execFileSync('npm', ['run', 'package'], { cwd: ROOT, stdio: 'inherit' });
  const server = await startCodeServer({ keep: false });
  process.stdout.write(`\nCloudtop is running in code-server. Open:\n\n  ${server.url}\n\nPress Ctrl-C to stop.\n`);
  const stop = () => {
    void server.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
