// Running the BUILT `dist/cli.js` as users do: a separate Node process (the machine's Node 20), with an
// environment made from scratch — HOME and the XDG dirs in a temp dir, endpoints and keys of the simulated
// clouds — so the developer's real files and keys are never read or written. Also a pseudo-terminal via
// util-linux `script`, for what only a TTY shows (colour, the alternate screen, Ctrl-C from the keyboard).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEngine } from '../../src/core/engine/engine';
import type { CloudId, Snapshot } from '../../src/core/model/model';
import { catalogue } from '../../src/providers/index';
import type { Sim } from '../sim/server';
import { wireToSim } from './simWiring';

export const ROOT = path.resolve(__dirname, '..', '..');
/** Where buildCli() puts its copy of dist/cli.js. */
const BUILT = mkdtempSync(path.join(tmpdir(), 'cloudtop-cli-bin-'));
export const CLI = path.join(BUILT, 'cli.js');
/** Every cloud this build has a provider for: what `--all` shows. */
export const CATALOGUE_CLOUDS = Object.keys(catalogue) as CloudId[];

/** The catalogue's clouds the sim serves; the others have no key in a test and show as not configured. */
export function simulatedClouds(sim: Sim): CloudId[] {
  return CATALOGUE_CLOUDS.filter((cloud) => sim.cloudIds().includes(cloud));
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Builds dist/ as `npm run build` does and runs a copy of the result: another build of dist/ during the run
 * (a watch, another test layer) empties the folder first, which must not pull the binary from under a test.
 * The copy also proves the bin needs nothing but itself and the provider bundles beside it (providers/), as
 * when npm links it onto the PATH.
 */
export function buildCli(): void {
  const result = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`build failed: ${result.stderr}`);
  // Another test file's removeBuiltCli() may have removed the folder: every suite builds its own copy.
  mkdirSync(BUILT, { recursive: true });
  copyFileSync(path.join(ROOT, 'dist', 'cli.js'), CLI);
  cpSync(path.join(ROOT, 'dist', 'providers'), path.join(BUILT, 'providers'), {
    recursive: true,
    filter: (file) => !file.endsWith('.map'),
  });
}

export function removeBuiltCli(): void {
  rmSync(BUILT, { recursive: true, force: true });
}

/** A fresh HOME with config and cache dirs, nothing inherited. */
export function tempHome(): { home: string; config: string; cache: string } {
  const home = mkdtempSync(path.join(tmpdir(), 'cloudtop-cli-'));
  const dirs = { home, config: path.join(home, 'xdg-config'), cache: path.join(home, 'xdg-cache') };
  mkdirSync(dirs.config);
  mkdirSync(dirs.cache);
  return dirs;
}

/** Environment for one run: only PATH from this process, the temp dirs, and the sim's endpoints and keys. */
export function cliEnv(
  sim: Sim,
  home: ReturnType<typeof tempHome>,
  options: { withoutKeys?: CloudId[]; extra?: Record<string, string> } = {},
): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home.home,
    XDG_CONFIG_HOME: home.config,
    XDG_CACHE_HOME: home.cache,
    LANG: 'C.UTF-8',
  };
  for (const cloud of simulatedClouds(sim)) env[`CLOUDTOP_${cloud.toUpperCase()}_ENDPOINT`] = sim.endpoint(cloud);
  Object.assign(env, wireToSim(sim, { withoutKeys: options.withoutKeys ?? [] }).env, options.extra);
  return env;
}

export interface RunningCli {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  readonly exited: Promise<CliResult>;
}

export function startCli(args: readonly string[], env: Record<string, string>, input?: string): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  // Decoded as a stream: a character split across two chunks (the '×' of a long --json) stays one character.
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  if (input !== undefined) child.stdin.end(input);
  const exited = new Promise<CliResult>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Runs to the end; a process that does not exit by itself within the time (an open handle) fails the test. */
export async function runCli(
  args: readonly string[],
  env: Record<string, string>,
  options: { input?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  const running = startCli(args, env, options.input ?? '');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      running.child.kill('SIGKILL');
      reject(new Error(`cloudtop ${args.join(' ')} did not exit within ${options.timeoutMs ?? 20_000} ms\n${running.stderr()}`));
    }, options.timeoutMs ?? 20_000);
  });
  try {
    return await Promise.race([running.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const hasScript = (): boolean => spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/** Runs the CLI on a pseudo-terminal; `keys` are typed into it (e.g. Ctrl-C) by the caller through `type`. */
export function startInTty(args: readonly string[], env: Record<string, string>): RunningCli & { type(text: string): void } {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  // `exec`: the shell script starts is replaced by node, so Ctrl-C reaches cloudtop alone, as in a real terminal.
  const command = `exec ${[process.execPath, CLI, ...args].map(quote).join(' ')}`;
  // -q quiet, -f flush at once, -e the child's exit code, -c the command; the transcript goes nowhere.
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  // Decoded as a stream: a character split across two chunks (the '×' of a long --json) stays one character.
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<CliResult>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, stdout: () => stdout, stderr: () => stderr, exited, type: (text) => child.stdin.write(text) };
}

/** Polls until the predicate holds, or fails after `timeoutMs`. */
export async function waitFor(what: string, predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The snapshot the shared engine makes of the same sim in-process: the oracle for what the CLI must print. */
export async function referenceSnapshot(sim: Sim, options: { gpuOnly?: boolean; clouds?: CloudId[] } = {}): Promise<Snapshot> {
  const engine = createEngine({
    catalogue,
    env: wireToSim(sim).env,
    config: (cloud) => ({ enabled: true, endpoint: sim.endpoint(cloud) }),
    cache: { backend: 'memory' },
  });
  try {
    return await engine.collector.refresh({
      clouds: options.clouds ?? simulatedClouds(sim),
      force: true,
      ...(options.gpuOnly ? { filter: { gpuOnly: true } } : {}),
    });
  } finally {
    await engine.dispose();
  }
}

/** A table line as cells: columns are separated by at least two spaces. */
export const cells = (line: string): string[] => line.trim().split(/\s{2,}/);

/** Anything a terminal acts on rather than prints (newline aside). */
// eslint-disable-next-line no-control-regex
export const TERMINAL_ACTIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
