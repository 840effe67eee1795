// `npm run test:desktop`: the same extension-host suite as `npm run test:host`, in desktop VS Code (Electron) through
// @vscode/test-electron. The VS Code is the one named by CLOUDTOP_VSCODE_PATH (an installed `code` binary or the
// Electron executable), else the version in package.json's engines.vscode, downloaded into .vscode-test/ where the
// network allows. Where neither works it says so in one line and exits 1. Not part of `npm test`, which runs the
// suite offline in code-server's VS Code.
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ENV_DIR, ROOT } from '../../scripts/vscode-env.mjs';
import { prepareSuite } from './suite-files';

/** A download that has not finished by then is taken as "no network" rather than waited for. */
const DOWNLOAD_TIMEOUT_MS = 120_000;

/** The download's spinner would garble the one line this runner prints when it cannot get VS Code. */
const SILENT = { report: () => undefined, error: () => undefined };

function minimumVsCodeVersion(): string {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { vscode: string } };
  return manifest.engines.vscode.replace(/^[\^~>=\s]+/, '');
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

async function vscodeExecutable(): Promise<string> {
  const named = process.env.CLOUDTOP_VSCODE_PATH;
  if (named) {
    if (!existsSync(named)) throw new Error(`CLOUDTOP_VSCODE_PATH names ${named}, which does not exist`);
    return named;
  }
  const version = minimumVsCodeVersion();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${DOWNLOAD_TIMEOUT_MS / 1000} s`)), DOWNLOAD_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      downloadAndUnzipVSCode({ version, cachePath: path.join(ENV_DIR, 'desktop'), timeout: 30_000, reporter: SILENT }),
      timeout,
    ]);
  } catch (error) {
    throw new Error(`cannot download VS Code ${version} (${oneLine(error)}) and CLOUDTOP_VSCODE_PATH is not set`);
  } finally {
    clearTimeout(timer);
  }
}

async function main(): Promise<number> {
  let executable: string;
  try {
    executable = await vscodeExecutable();
  } catch (error) {
    process.stderr.write(
      `test:desktop: ${oneLine(error)}. Set CLOUDTOP_VSCODE_PATH to an installed VS Code, or run npm run test:host (code-server's VS Code, offline).\n`,
    );
    return 1;
  }
  const scratch = mkdtempSync(path.join(tmpdir(), 'cloudtop-desktop-'));
  const { testIndex, logFile, userData, workspace } = await prepareSuite(scratch);
  try {
    const code = await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: testIndex,
      launchArgs: [
        workspace,
        '--user-data-dir',
        userData,
        '--extensions-dir',
        path.join(scratch, 'extensions'),
        '--disable-workspace-trust',
        '--skip-welcome',
        '--disable-gpu',
      ],
      extensionTestsEnv: { CLOUDTOP_LAYER: 'extension-host' },
    }).catch((error: unknown) => {
      process.stderr.write(`test:desktop: VS Code ended with ${oneLine(error)}\n`);
      return 1;
    });
    process.stdout.write(readFileSync(logFile, 'utf8'));
    return code;
  } finally {
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
