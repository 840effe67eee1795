// startSim: one loopback HTTP server that mounts every simulated cloud under `/<cloudId>` (plus an own
// port for clouds whose SDK cannot take a path prefix). It owns the sockets and timers, so close() can
// always finish promptly — also with hung requests and pending latency — and a test never leaks a server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { ensureTestTls } from '../../scripts/test-tls.cjs';
import type { AddressInfo, Socket } from 'node:net';
import { dispatch, type DispatchContext, type MountedCloud } from './dispatch';
import { FaultPlan } from './faults';
import { RequestLog } from './log';
import { hashSeed } from './seed';
import type { SimCloud, SimState } from './types';
import { writeResponse } from './wire';

export interface SimOptions {
  readonly clouds: readonly SimCloud[];
  /** Seed of the whole world; each cloud derives its own from it and its id. Default 1. */
  readonly seed?: number;
  /** Default latency for every answer, ms. Default 0. */
  readonly latencyMs?: number;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Only loopback: the sim accepts any test key and must never be reachable from elsewhere. */
  readonly host?: '127.0.0.1';
}

export interface Sim {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly log: RequestLog;
  readonly faults: FaultPlan;
  /** The base URL to configure as the cloud's endpoint override, e.g. `${url}/vastai`. */
  endpoint(cloudId: string): string;
  /** The cloud's live state: change it and the next request sees it. reset() replaces the object. */
  state<S extends SimState = SimState>(cloudId: string): S;
  /** Latency for every cloud (dropping per-cloud overrides), or for one. */
  setLatency(ms: number, cloudId?: string): void;
  /** Fresh state from the seeds, no faults, empty log, initial latencies. */
  reset(): void;
  /** The accepted key of each cloud, as declared by its module. */
  keys(): Record<string, string>;
  /** Each cloud's testEnv (clouds without one are absent). */
  envs(): Record<string, Readonly<Record<string, string>>>;
  cloudIds(): string[];
  /** Requests received and not answered whose connection is still open (a hung one the client never gave up on). */
  openRequests(): number;
  close(): Promise<void>;
}

/** Timers for latency and delays; clearAll() settles every pending wait with false so requests abandon. */
class Timers {
  private readonly pending = new Map<NodeJS.Timeout, (go: boolean) => void>();
  private closed = false;

  wait(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (!(ms > 0)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve(true);
      }, ms);
      this.pending.set(timer, resolve);
    });
  }

  clearAll(): void {
    this.closed = true;
    for (const [timer, resolve] of this.pending) {
      clearTimeout(timer);
      resolve(false);
    }
    this.pending.clear();
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startSim(options: SimOptions): Promise<Sim> {
  const host = options.host ?? '127.0.0.1';
  const simSeed = options.seed ?? 1;
  const log = new RequestLog();
  const faults = new FaultPlan();
  const timers = new Timers();
  const sockets = new Set<Socket>();
  const open = new Set<ServerResponse>();
  const servers: Server[] = [];
  const mounted = new Map<string, MountedCloud>();
  let defaultLatency = options.latencyMs ?? 0;
  let closing: Promise<void> | undefined;
  const latencyOverrides = new Map<string, number>();

  const initialLatencies = (): void => {
    defaultLatency = options.latencyMs ?? 0;
    latencyOverrides.clear();
    for (const c of options.clouds) if (c.latencyMs !== undefined) latencyOverrides.set(c.id, c.latencyMs);
  };
  initialLatencies();

  for (const cloud of options.clouds) {
    if (mounted.has(cloud.id)) throw new Error(`two sim clouds share the id ${cloud.id}`);
    const seed = cloud.seed ?? hashSeed(simSeed, cloud.id);
    mounted.set(cloud.id, { cloud, seed, state: cloud.createState(seed), baseUrl: '' });
  }

  const ctx: DispatchContext = {
    log,
    faults,
    wait: (ms) => timers.wait(ms),
    latencyFor: (id) => latencyOverrides.get(id) ?? defaultLatency,
  };

  // `only` set: an own-port server where the whole path belongs to that cloud.
  // A `tls` cloud is served over HTTPS with the test certificate (scripts/test-tls.cjs; clients trust it through
  // NODE_EXTRA_CA_CERTS).
  const makeServer = (only?: MountedCloud): Server => {
    const handle = (req: IncomingMessage, res: ServerResponse): void => {
      // 'close' fires once the answer is sent or the connection is gone, whichever comes first.
      open.add(res);
      res.on('close', () => open.delete(res));
      // Concatenated, not resolved: a target starting `//` (Azure's metrics-by-resource paths) is a path, not a host.
      const url = new URL(`http://sim.invalid${req.url?.startsWith('/') ? req.url : '/'}`);
      let target = only;
      // Routes see one slash between segments, as the real front doors do.
      let path = url.pathname.replace(/\/{2,}/g, '/');
      if (!only) {
        const m = /^\/([^/]+)(\/.*)?$/.exec(path);
        target = m ? mounted.get(m[1]) : undefined;
        path = target ? (m?.[2] ?? '/') : path;
      }
      dispatch(ctx, target, path, url.searchParams, req, res).catch((err: unknown) => {
        // dispatch handles its own failures; this is the last guard so no rejection goes unhandled.
        writeResponse(res, { status: 500, text: `sim error: ${err instanceof Error ? err.message : String(err)}` });
      });
    };
    const server: Server = only?.cloud.tls ? createTlsServer(ensureTestTls(), handle) : createServer(handle);
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    servers.push(server);
    return server;
  };

  let port: number;
  try {
    port = await listen(makeServer(), options.port ?? 0, host);
    const url = `http://${host}:${port}`;
    for (const m of mounted.values()) {
      m.baseUrl = `${url}/${m.cloud.id}`;
      if (m.cloud.ownPort || m.cloud.tls) m.baseUrl = `${m.cloud.tls ? 'https' : 'http'}://${host}:${await listen(makeServer(m), 0, host)}`;
    }
  } catch (err) {
    await closeAll();
    throw err;
  }
  const url = `http://${host}:${port}`;

  function mountedOf(cloudId: string): MountedCloud {
    const m = mounted.get(cloudId);
    if (!m) throw new Error(`no sim cloud ${cloudId}; mounted: ${[...mounted.keys()].join(', ')}`);
    return m;
  }

  function closeAll(): Promise<void> {
    closing ??= (async () => {
      timers.clearAll();
      const closed = servers.map((s) => new Promise<void>((resolve) => (s.listening ? s.close(() => resolve()) : resolve())));
      // Destroy every socket, idle keep-alive and hung ones alike, so close() never waits on a client.
      for (const socket of sockets) socket.destroy();
      await Promise.all(closed);
      for (const m of mounted.values()) m.cloud.cleanup?.(m.baseUrl);
    })();
    return closing;
  }

  return {
    url,
    port,
    log,
    faults,
    endpoint: (cloudId) => mountedOf(cloudId).baseUrl,
    state: <S extends SimState>(cloudId: string) => mountedOf(cloudId).state as S,
    setLatency(ms, cloudId) {
      if (!(ms >= 0)) throw new Error(`latency must be >= 0, got ${ms}`);
      if (cloudId === undefined) {
        defaultLatency = ms;
        latencyOverrides.clear();
      } else latencyOverrides.set(mountedOf(cloudId).cloud.id, ms);
    },
    reset() {
      for (const m of mounted.values()) m.state = m.cloud.createState(m.seed);
      faults.clear();
      log.clear();
      initialLatencies();
    },
    keys: () => Object.fromEntries([...mounted.values()].map((m) => [m.cloud.id, m.cloud.testKey])),
    envs: () =>
      Object.fromEntries(
        [...mounted.values()]
          .filter((m) => m.cloud.testEnv)
          .map((m) => {
            const env = m.cloud.testEnv!;
            return [m.cloud.id, typeof env === 'function' ? env(m.baseUrl) : env];
          }),
      ),
    cloudIds: () => [...mounted.keys()],
    openRequests: () => [...open].filter((res) => !res.writableEnded).length,
    close: closeAll,
  };
}
