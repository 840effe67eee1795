// Entry point VS Code's extension host calls with `run()` (the test-electron convention).
// Suite files are required inside run(), after mocha has defined its globals; esbuild still bundles them.
// The runner (run-host-tests.ts) leaves run.json beside this bundle: where to write the suite's output and
// counts, since the extension host's console only reaches the runner as formatted browser messages.
import { appendFileSync, readFileSync } from 'node:fs';
import Mocha from 'mocha';
import path from 'node:path';
import { format } from 'node:util';

export interface RunFiles {
  readonly logFile: string;
  readonly statsFile?: string;
  /** The VS Code user-data folder: settings.json and the logs live there. */
  readonly userDataDir: string;
}

export function runFiles(): RunFiles {
  return JSON.parse(readFileSync(path.join(__dirname, 'run.json'), 'utf8')) as RunFiles;
}

export function run(): Promise<void> {
  const files = runFiles();
  if (files.statsFile) process.env.CLOUDTOP_STATS_FILE = files.statsFile;
  process.env.CLOUDTOP_LAYER = 'extension-host';
  const write = (...args: unknown[]) => appendFileSync(files.logFile, `${format(...args)}\n`);
  const MochaCtor = (Mocha as unknown as { default?: typeof Mocha }).default ?? Mocha;
  // The spec reporter prints through Base.consoleLog; send it to the log file.
  (MochaCtor.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void }).consoleLog = write;
  const mocha = new MochaCtor({
    ui: 'bdd',
    color: false,
    timeout: 20_000,
    // out/test/vscode/index.js → the repository's test/setup
    reporter: path.resolve(__dirname, '../../../test/setup/stats-reporter.cjs'),
  });
  mocha.suite.emit('pre-require', globalThis, 'cloudtop-host', mocha);
  /* eslint-disable @typescript-eslint/no-require-imports */
  require('./extension.test');
  require('./surface.test');
  require('./statusAndAlerts.test');
  require('./scopes.test');
  require('./compartments.test');
  require('./azure.test');
  require('./actions.test');
  require('./autostop.test');
  require('./connect.test');
  require('./historyStore.test');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve()));
  });
}
