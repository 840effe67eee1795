// `cloudtop` command line: flags → the shared engine → a formatter. The engine is the extension's; this file only
// dispatches commands and turns every failure into an exit code with one line on stderr (src/cli/errors.ts).
import { version } from '../package.json';
import { parseCommand } from './cli/args';
import { configPath } from './cli/config';
import { buildEngine } from './cli/engine';
import { Cancelled, ConfigError, EXIT_CANCELLED, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './cli/errors';
import { helpText } from './cli/help';
import { login, logout } from './cli/login';
import { isDebug, Output, printLine, stderrLogger } from './cli/output';
import { show } from './cli/show';
import { act } from './cli/act';
import { CloudtopError } from './core/errors/errors';
import { CLOUD_NAMES, type CloudId } from './core/model/model';
import { catalogue } from './providers/index';

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const output = new Output(process.stdout);
  const command = parseCommand(argv, Object.keys(catalogue) as CloudId[]);
  const path = configPath(env);
  const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env };
  switch (command.kind) {
    case 'help':
      output.write(helpText(catalogue));
      return EXIT_OK;
    case 'version':
      output.write(`${version}\n`);
      return EXIT_OK;
    case 'login':
      await login(command.cloud, catalogue, path, io);
      return EXIT_OK;
    case 'logout':
      await logout(command.cloud, catalogue, path, io);
      return EXIT_OK;
    case 'show': {
      const log = stderrLogger(process.stderr, isDebug(env));
      const { engine, clouds, warnings } = await buildEngine(command.options, { catalogue, env, configPath: path, log });
      for (const warning of warnings) printLine(process.stderr, `warning: ${warning}`);
      // Redis lost (or never reached) and back: one line each way, whatever CLOUDTOP_DEBUG says.
      engine.onSharedCacheChange((change) => printLine(process.stderr, `${change.available ? 'note' : 'warning'}: ${change.message}`));
      try {
        await show(command.options, { engine, clouds, catalogue, output, env });
      } finally {
        // Closing the engine closes its connection pools, limiters and cache, so the process ends by itself.
        await engine.dispose().catch((error: unknown) => log.error(`closing the engine failed: ${String(error)}`));
      }
      return EXIT_OK;
    }
    case 'act': {
      const log = stderrLogger(process.stderr, isDebug(env));
      const { options } = command;
      const showLike = {
        ...(options.clouds ? { clouds: options.clouds } : {}),
        gpu: false,
        output: 'json' as const,
        noCache: true,
        failFast: false,
        cache: options.cache,
        ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
        color: false,
      };
      const { engine, clouds, warnings } = await buildEngine(showLike, { catalogue, env, configPath: path, log });
      for (const warning of warnings) printLine(process.stderr, `warning: ${warning}`);
      try {
        return await act(options, { engine, clouds, catalogue, output, stdin: process.stdin, stderr: process.stderr });
      } finally {
        await engine.dispose().catch((error: unknown) => log.error(`closing the engine failed: ${String(error)}`));
      }
    }
  }
}

/** The exit code for a failure, after one line on stderr (and the stack only with CLOUDTOP_DEBUG=1). */
export function reportFailure(error: unknown, env: NodeJS.ProcessEnv = process.env): number {
  if (error instanceof UsageError) {
    printLine(process.stderr, `${error.message} (see cloudtop --help)`);
    return EXIT_USAGE;
  }
  if (error instanceof Cancelled) {
    printLine(process.stderr, error.message);
    return EXIT_CANCELLED;
  }
  if (error instanceof ConfigError) {
    printLine(process.stderr, error.message);
    return EXIT_USAGE;
  }
  if (error instanceof CloudtopError && error.cloud) {
    // --fail-fast: the first cloud that failed ends the run.
    printLine(process.stderr, `${CLOUD_NAMES[error.cloud]} failed (${error.category}): ${error.message}`);
    return EXIT_FAILURE;
  }
  const message = error instanceof Error ? error.message : String(error);
  printLine(process.stderr, `unexpected error: ${message.split('\n')[0]}${isDebug(env) ? '' : ' (CLOUDTOP_DEBUG=1 shows details)'}`);
  if (isDebug(env) && error instanceof Error && error.stack) printLine(process.stderr, error.stack);
  return EXIT_FAILURE;
}

// Backstops: nothing should reach them, but if something does the user still gets one line, not a stack.
process.on('unhandledRejection', (reason) => {
  process.exitCode = reportFailure(reason);
});
process.on('uncaughtException', (error) => {
  process.exitCode = reportFailure(error);
  process.exit();
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = reportFailure(error);
  },
);
