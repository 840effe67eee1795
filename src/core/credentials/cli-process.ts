// The one way Cloudtop runs a cloud's CLI (`az account get-access-token`, `gcloud auth print-access-token`, …): each
// run is its own process group (spawn `detached`, https://nodejs.org/api/child_process.html#optionsdetached), so a
// timeout, an abort (the refresh's signal: a deadline, Engine.dispose() on deactivation) or this process's exit ends
// the whole group with process.kill(-pid) (POSIX kill(2): a negative pid signals the group). The real `az` is a shell
// launcher that runs Python without `exec` (https://github.com/Azure/azure-cli/blob/dev/src/azure-cli/az), so killing
// only the launcher would leave Python running. A timeout says which command did not answer in how long.
// State: the groups still running, so the exit hook can end them; a provider bundle's copy (esbuild.mjs) tracks only
// the runs it started, and registers its own exit hook, which is what each copy needs.
import { spawn } from 'node:child_process';
import { CloudtopError } from '../errors/errors';
import type { CloudId, ErrorCategory } from '../model/model';

export interface CliRunOptions {
  /** The cloud a failure is reported for. */
  readonly cloud: CloudId;
  /** How long the command may take before its process group is killed. */
  readonly timeoutMs: number;
  /** Aborting it (a refresh's deadline, the engine's dispose) kills the process group at once. */
  readonly signal?: AbortSignal;
  /** A second, long-lived signal that does the same (the provider's close); listened to directly, not combined. */
  readonly stop?: AbortSignal;
  /** The most either stream may print (bytes); more kills the group. */
  readonly maxOutputBytes?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** How messages name the command ("az", "gcloud auth print-access-token"); default: the file's name. */
  readonly label?: string;
  /** The category of a timeout (default `network`: the command may answer next time). */
  readonly timeoutCategory?: ErrorCategory;
}

export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  /** The exit code; null when a signal ended it. */
  readonly exitCode: number | null;
}

const DEFAULT_MAX_OUTPUT = 1024 * 1024;
/** SIGTERM first (az's Python tidies its token cache); the group is SIGKILLed this long after if still there. */
const KILL_GRACE_MS = 1000;

/** The process groups (their leaders' pids) of runs still going. */
const running = new Set<number>();
let exitHooked = false;

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', () => {
    for (const pid of running) signalGroup(pid, 'SIGKILL');
  });
}

/** Signals the group led by `pid` (the child itself on Windows, which has no process groups). */
function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}

/** The name a message gives the command: its file name without a directory or a Windows suffix. */
export function commandName(bin: string): string {
  return (
    bin
      .split(/[/\\]/)
      .pop()
      ?.replace(/\.(cmd|exe|bat)$/i, '') ?? bin
  );
}

/** A signal's reason when it is an Error (an abort reason may be anything), else `fallback`. */
const asError = (reason: unknown, fallback: Error): Error => (reason instanceof Error ? reason : fallback);

/** The number of seconds, as a message says it ("20 s", "0.5 s"). */
const seconds = (ms: number) => `${ms >= 1000 ? Math.round(ms / 1000) : ms / 1000} s`;

/**
 * Runs `bin args` in its own process group and answers what it printed and its exit code (a non-zero code is an
 * answer, not a failure: the caller reads the CLI's own words). Rejects with a CloudtopError naming the command when
 * it is not installed (`config`), does not answer in time (`network`, or `timeoutCategory`), prints more than its cap
 * (`config`), or is aborted (the signal's reason); in each case its whole process group is killed.
 */
export function runCli(bin: string, args: readonly string[], options: CliRunOptions): Promise<CliResult> {
  const name = options.label ?? commandName(bin);
  const fail = (category: ErrorCategory, message: string) => new CloudtopError({ category, cloud: options.cloud, message });
  const signals = [options.signal, options.stop].filter((s): s is AbortSignal => s !== undefined);
  const aborted = signals.find((s) => s.aborted);
  if (aborted) return Promise.reject(asError(aborted.reason, fail('network', `\`${name}\` was cancelled.`)));
  const windows = process.platform === 'win32';
  const max = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  return new Promise<CliResult>((resolve, reject) => {
    let child;
    try {
      child = spawn(bin, [...args], {
        // Its own group on POSIX; on Windows `detached` would open a console window, and a .cmd needs a shell.
        detached: !windows,
        shell: windows && /\.(cmd|bat)$/i.test(bin),
        windowsHide: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: options.env ?? process.env,
      });
    } catch {
      reject(fail('config', `\`${name}\` could not be started.`));
      return;
    }
    const pid = child.pid;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;

    const endGroup = () => {
      if (pid === undefined) return;
      if (signalGroup(pid, 'SIGTERM')) {
        // Not unref'd past the run: the SIGKILL must happen even when nothing else keeps the process alive.
        killTimer = setTimeout(() => {
          signalGroup(pid, 'SIGKILL');
          running.delete(pid);
        }, KILL_GRACE_MS);
      } else running.delete(pid);
    };
    const finish = (error: unknown, result?: CliResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const s of signals) s.removeEventListener('abort', onAbort);
      if (error) {
        endGroup();
        // A grandchild that keeps the pipes open must not keep this process waiting for them.
        child.stdout?.destroy();
        child.stderr?.destroy();
        reject(asError(error, fail('network', `\`${name}\` was cancelled.`)));
      } else {
        if (pid !== undefined) running.delete(pid);
        resolve(result!);
      }
    };
    const onAbort = () => finish(signals.find((s) => s.aborted)?.reason ?? fail('network', `\`${name}\` was cancelled.`));
    const timer = setTimeout(
      () => finish(fail(options.timeoutCategory ?? 'network', `\`${name}\` did not answer in ${seconds(options.timeoutMs)}.`)),
      options.timeoutMs,
    );
    for (const s of signals) s.addEventListener('abort', onAbort, { once: true });
    if (pid !== undefined) {
      running.add(pid);
      hookExit();
    }

    child.stdout?.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > max)
        finish(fail('config', `\`${name}\` printed more than ${Math.round(max / 1024)} KiB: is it the real ${commandName(bin)}?`));
      else out.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      errBytes += chunk.length;
      if (errBytes <= max) err.push(chunk); // stderr past the cap is dropped, not fatal: only its first lines are read
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish(
        error.code === 'ENOENT'
          ? fail('config', `\`${commandName(bin)}\` is not installed or not on PATH.`)
          : fail('config', `\`${name}\` could not be started (${error.code ?? 'error'}).`),
      );
    });
    child.on('close', (code) => {
      if (killTimer === undefined && pid !== undefined) {
        // The leader is gone; anything it left in its group is ended too (a launcher's child that outlived it).
        signalGroup(pid, 'SIGKILL');
      }
      finish(undefined, { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode: code });
    });
  });
}

/** The number of process groups still running (for tests). */
export function runningCliGroups(): number {
  return running.size;
}
