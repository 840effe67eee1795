// What both extension-host runners (code-server's VS Code: run-host-tests.ts; desktop VS Code through
// @vscode/test-electron: run-desktop-tests.ts) prepare the same way: the extension built, the suite bundled into
// out/test/vscode/, and run.json beside it telling the suite where to write its output and counts and which
// user-data folder it runs in.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../scripts/vscode-env.mjs';
import { CALM_SETTINGS } from '../support/codeServer';

export interface PreparedSuite {
  /** The bundled suite index (`run()`), for extensionTestsPath. */
  readonly testIndex: string;
  /** Where the suite writes its mocha output; the runner prints it at the end. */
  readonly logFile: string;
  readonly userData: string;
  readonly workspace: string;
}

export async function prepareSuite(scratch: string): Promise<PreparedSuite> {
  // The extension under test is dist/, built from the sources now: a runner started on its own (not by `npm test`)
  // never tests an older build.
  const built = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`Building the extension failed:\n${built.stderr}`);
  const outDir = path.join(ROOT, 'out', 'test', 'vscode');
  await build({
    entryPoints: { index: path.join(ROOT, 'test/vscode/suite/index.ts') },
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  const userData = path.join(scratch, 'user-data');
  const workspace = path.join(scratch, 'workspace');
  const logFile = path.join(outDir, 'output.log');
  writeFileSync(logFile, '');
  writeFileSync(
    path.join(outDir, 'run.json'),
    JSON.stringify({ logFile, statsFile: process.env.CLOUDTOP_STATS_FILE, userDataDir: userData }),
  );
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  mkdirSync(workspace, { recursive: true });
  writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(CALM_SETTINGS));
  return { testIndex: path.join(outDir, 'index.js'), logFile, userData, workspace };
}
