// Runs the mocha suites in test/vscode/suite inside VS Code's real extension host: the VS Code server that
// code-server ships, opened in headless Chromium with the test-electron style `payload` parameters.
// The workbench calls `codeAutomationExit(code)` when the suite ends.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testTlsEnv } from '../../scripts/test-tls.cjs';
import { ensureVsCodeEnv, ROOT } from '../../scripts/vscode-env.mjs';
import { launchChromium } from '../support/browser';
import { captureOutput, freePort, startDetached, stopProcess, waitForHttp } from '../support/processes';
import { prepareSuite } from './suite-files';

const SUITE_TIMEOUT_MS = 180_000;

async function main(): Promise<number> {
  const env = ensureVsCodeEnv();
  const serverMain = path.join(env.codeServerPkg, 'lib', 'vscode', 'out', 'server-main.js');
  const scratch = mkdtempSync(path.join(tmpdir(), 'cloudtop-host-'));
  const { testIndex, logFile, userData, workspace } = await prepareSuite(scratch);

  const port = await freePort();
  const server = startDetached(
    env.node,
    [
      serverMain,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--without-connection-token',
      '--accept-server-license-terms',
      '--enable-smoke-test-driver',
      '--disable-telemetry',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--user-data-dir',
      userData,
      '--server-data-dir',
      path.join(scratch, 'server-data'),
      '--extensions-dir',
      path.join(scratch, 'extensions'),
    ],
    { env: { ...process.env, ...testTlsEnv(), CLOUDTOP_LAYER: 'extension-host' } },
  );
  const serverOutput = captureOutput(server);
  const browser = await launchChromium().catch(async (error: unknown) => {
    await stopProcess(server);
    throw error;
  });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, 60_000, server);
    const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(ROOT)],
      ['extensionTestsPath', remote(testIndex)],
    ]);
    const page = await browser.newPage();
    const exitCode = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(-1), SUITE_TIMEOUT_MS).unref());
    const code = await Promise.race([exitCode, timeout]);
    process.stdout.write(readFileSync(logFile, 'utf8'));
    if (code === -1) {
      process.stderr.write(`Extension-host tests did not finish within ${SUITE_TIMEOUT_MS / 1000} s.\n${serverOutput()}\n`);
      return 1;
    }
    if (code !== 0) process.stderr.write(`Extension-host tests failed (exit ${code}).\n`);
    return code;
  } finally {
    await browser.close();
    await stopProcess(server);
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
