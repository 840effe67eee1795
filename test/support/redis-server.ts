// A real redis-server for one test run: free loopback port, no persistence, stopped by PID afterwards (and on
// process exit, through processes.ts). A missing redis-server is installed from Debian's package when running as
// root (as the VS Code layers install Chromium); otherwise it is a failure that names the install command, never a
// silent skip.
import { access, constants } from 'node:fs/promises';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { ensureDebianPackages } from '../../scripts/debian-packages.mjs';
import { captureOutput, freePort, startDetached, stopProcess } from './processes';

export interface RedisServer {
  /** `redis://[:password@]127.0.0.1:port` */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  /** Require this password (`--requirepass`); the URL carries it. */
  readonly password?: string;
  /** Reuse a port, e.g. to restart a stopped server where clients expect it. */
  readonly port?: number;
  /** The redis-server binary; default $REDIS_SERVER, else `redis-server` on PATH. */
  readonly binary?: string;
}

async function findBinary(name: string): Promise<string | undefined> {
  const candidates = name.includes('/')
    ? [name]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** True once the server answers PING (after AUTH when it has a password). */
function answersPing(port: number, password?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => finish(false));
    socket.once('connect', () => socket.write(`${password ? `AUTH ${password}\r\n` : ''}PING\r\n`));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      if (received.includes('+PONG')) finish(true);
      else if (received.includes('-')) finish(false);
    });
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
  });
}

/**
 * The redis-server binary: `name` when it is a path, else the first on PATH. Only the default name may be
 * installed (as root, from Debian's package); a binary named by the caller or $REDIS_SERVER is taken as given.
 */
export async function findRedisServer(
  name = process.env.REDIS_SERVER ?? 'redis-server',
  install = name === 'redis-server',
): Promise<string> {
  let binary = await findBinary(name);
  let installError = '';
  if (!binary && install) {
    try {
      ensureDebianPackages(['redis-server'], 'The Redis tests and benchmarks');
      binary = (await findBinary(name)) ?? (await findBinary('/usr/bin/redis-server'));
    } catch (error) {
      installError = ` ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  if (!binary) {
    throw new Error(
      `redis-server not found (looked for "${name}"). The Redis tests need a real server.${installError || ' Install it with `sudo apt-get install redis-server` (Debian/Ubuntu), or set REDIS_SERVER to its path.'}`,
    );
  }
  return binary;
}

export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const name = options.binary ?? process.env.REDIS_SERVER ?? 'redis-server';
  const binary = await findRedisServer(name);
  const port = options.port ?? (await freePort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  if (options.password) args.push('--requirepass', options.password);
  const child = startDetached(binary, args);
  const output = captureOutput(child);
  const deadline = Date.now() + 10_000;
  try {
    while (!(await answersPing(port, options.password))) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}:\n${output()}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not answer PING on port ${port} within 10 s:\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return {
    url: `redis://${auth}127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    stop: () => stopProcess(child),
  };
}
