// A real code-server with the packaged Cloudtop .vsix installed, opened in headless Chromium.
// Used by the UI end-to-end tests and `npm start`.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testTlsEnv } from '../../scripts/test-tls.cjs';
import { ensureVsCodeEnv, ROOT } from '../../scripts/vscode-env.mjs';
import { captureOutput, freePort, startDetached, stopProcess, waitForHttp } from './processes';

export interface CodeServer {
  readonly url: string;
  readonly workspace: string;
  readonly userData: string;
  output(): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  /** Extra user settings (e.g. endpoints of the simulated clouds). */
  settings?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  /** Keep the folders after stop (npm start). */
  keep?: boolean;
  port?: number;
}

/** The newest cloudtop-*.vsix in the repository root (built by `npm run package`). */
export function findVsix(): string {
  const { version } = JSON.parse(
    execFileSync('node', ['-p', 'JSON.stringify(require("./package.json"))'], { cwd: ROOT, encoding: 'utf8' }),
  ) as { version: string };
  const name = `cloudtop-${version}.vsix`;
  if (!readdirSync(ROOT).includes(name)) throw new Error(`${name} not found: run npm run package first`);
  return path.join(ROOT, name);
}

export const CALM_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  // VS Code's own fetch (its proxy support) builds its CA list from the system store and leaves NODE_EXTRA_CA_CERTS
  // out, so it would not trust the HTTPS simulators' test certificate (DEPTH_ZERO_SELF_SIGNED_CERT): Node's fetch.
  'http.fetchAdditionalSupport': false,
};

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const env = ensureVsCodeEnv();
  const scratch = mkdtempSync(path.join(tmpdir(), 'cloudtop-code-server-'));
  const userData = path.join(scratch, 'user-data');
  const extensions = path.join(scratch, 'extensions');
  const workspace = path.join(scratch, 'workspace');
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  mkdirSync(workspace, { recursive: true });
  writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ ...CALM_SETTINGS, ...options.settings }, null, 2));
  writeFileSync(path.join(workspace, 'README.md'), '# Cloudtop demo workspace\n');

  const base = ['--user-data-dir', userData, '--extensions-dir', extensions];
  execFileSync(env.node, [env.codeServer, ...base, '--install-extension', findVsix()], { stdio: 'pipe' });

  const port = options.port ?? (await freePort());
  const child: ChildProcess = startDetached(
    env.node,
    [
      env.codeServer,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      ...base,
      workspace,
    ],
    // The extension host trusts the HTTPS simulators' certificate (scripts/test-tls.cjs).
    { env: { ...process.env, ...testTlsEnv(), ...options.env } },
  );
  const output = captureOutput(child);
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000, child);
  } catch (error) {
    await stopProcess(child);
    throw new Error(`code-server did not start: ${String(error)}\n${output()}`);
  }
  return {
    url,
    workspace,
    userData,
    output,
    async stop() {
      await stopProcess(child);
      if (!options.keep) rmSync(scratch, { recursive: true, force: true });
    },
  };
}
