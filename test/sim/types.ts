// The contract between the simulator core (server, router, faults, log) and each simulated cloud module.
// A cloud module is data plus handlers: it owns its wire format (paths, envelopes, error bodies); the core
// owns everything that is the same for every cloud (sockets, latency, faults, logging, auth bookkeeping).
import type { IncomingHttpHeaders } from 'node:http';
import type { Router } from './router';

/** Every cloud's mutable state carries the keys it accepts, so a test can rotate them. */
export interface SimState {
  /** Credentials that authenticate and are allowed everything. */
  keys: string[];
  /** Credentials that authenticate but lack permission: the cloud answers 403. */
  forbiddenKeys?: string[];
}

export interface SimRequest<S extends SimState = SimState> {
  /** Id of the cloud that serves this request (its mount prefix). */
  readonly cloud: string;
  readonly method: string;
  /** Path below the cloud's mount, e.g. `/resources` for `/example/resources`. */
  readonly path: string;
  /** The matched route pattern, or null when no route matched. */
  readonly route: string | null;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The request target exactly as sent (`/oci/20160918/instances?…`, mount prefix included): what signatures cover. */
  readonly target?: string;
  /** Lower-case header names, as Node gives them. */
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON when the body is JSON, else the raw text ('' when there is none). */
  readonly body: unknown;
  readonly rawBody: string;
  /** The cloud's live state; handlers read and may change it. */
  readonly state: S;
  /** Absolute URL of the cloud's mount, for links a response must carry (nextLink, pagination URLs). */
  readonly baseUrl: string;
  /** Set by an `empty-page` fault: a list handler should answer with an empty page. */
  readonly emptyPage: boolean;
  /** The credential that authenticated this request, for handlers that scope data per identity. */
  readonly credential?: string;
}

export interface SimResponse {
  /** Default 200. */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string | number | readonly string[]>>;
  /** Serialized as JSON (content-type application/json unless headers say otherwise). */
  readonly json?: unknown;
  /** Sent as is (content-type text/plain unless headers say otherwise). Ignored when json is set. */
  readonly text?: string;
}

export type SimHandler<S extends SimState> = (req: SimRequest<S>) => SimResponse | Promise<SimResponse>;

export type AuthResult = { readonly ok: true; readonly credential?: string } | { readonly ok: false; readonly response: SimResponse };

/** Decides whether a request is authenticated, and if not, the cloud's own 401/403 response. */
export type SimAuth<S extends SimState> = (req: SimRequest<S>) => AuthResult;

/** What a cloud module writes. `defineCloud` turns it into the type-erased SimCloud the server mounts. */
export interface SimCloudSpec<S extends SimState> {
  /** Mount prefix (`/<id>`), also the key for faults, log, state and latency. */
  readonly id: string;
  /** A key the cloud accepts out of the box; main.ts prints it so a spawned demo can use it. */
  readonly testKey: string;
  /**
   * Environment variables a client needs beside the key, set after it (OCI: tenancy, user, fingerprint, region and
   * the private key PEM of the sim's generated API key, as the OCI CLI's variables). A function gets the cloud's base
   * URL, for variables that name the sim (Azure's AZURE_AUTHORITY_HOST).
   */
  readonly testEnv?: Readonly<Record<string, string>> | ((baseUrl: string) => Readonly<Record<string, string>>);
  /** Removes what testEnv left on disk (Google Cloud's key file); the sim's close() calls it with the base URL. */
  readonly cleanup?: (baseUrl: string) => void;
  /** Overrides the seed derived from startSim's seed and the cloud id. */
  readonly seed?: number;
  /** Per-cloud latency, overriding startSim's latencyMs. */
  readonly latencyMs?: number;
  /**
   * Serve this cloud at the root of its own port instead of under `/<id>`: some SDKs build URLs as
   * `protocol://host:port/path` and cannot take a path prefix (google-gax's REST fallback).
   */
  readonly ownPort?: boolean;
  /**
   * Serve this cloud over HTTPS at the root of its own port, with the test certificate (scripts/test-tls.cjs), for
   * SDKs that refuse credentials over http (Azure's bearer policy). Clients trust it through NODE_EXTRA_CA_CERTS.
   */
  readonly tls?: boolean;
  /** Builds the initial state; called at start and on reset, so it must depend on the seed only. */
  createState(seed: number): S;
  readonly routes: Router<S>;
  /** Applied to every route not marked public. Absent: the cloud needs no credential. */
  readonly auth?: SimAuth<S>;
  /**
   * The cloud's own error body for a status (unknown route 404, injected status faults without a body,
   * handler crashes). Absent: a generic `{ error, message }` body.
   */
  error?(status: number, req: SimRequest<S>, message: string): SimResponse;
  /** Last look at every response the cloud sends (e.g. rate-limit headers on every answer). */
  decorate?(res: SimResponse, req: SimRequest<S>): SimResponse;
}

/** A mounted cloud with its state type erased, so clouds of different states fit one list. */
export type SimCloud = SimCloudSpec<SimState> & { readonly __simCloud: true };

export function defineCloud<S extends SimState>(spec: SimCloudSpec<S>): SimCloud {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(spec.id)) throw new Error(`invalid sim cloud id: ${JSON.stringify(spec.id)}`);
  // The one deliberate cast: the server only ever hands a cloud's handlers that cloud's own state.
  return { ...spec, __simCloud: true } as unknown as SimCloud;
}

/** Knobs every cloud module's factory accepts (modules may add their own). */
export interface SimCloudOptions {
  /** Mount id; lets one module stand in for several clouds. */
  readonly id?: string;
  readonly seed?: number;
  /** How many resources to generate. */
  readonly count?: number;
  /** Resource names from HOSTILE_NAMES and nulls in nullable fields. */
  readonly hostile?: boolean;
  readonly latencyMs?: number;
  readonly ownPort?: boolean;
  /** The accepted key; default a fixed, obviously fake one. */
  readonly key?: string;
}

export function json(body: unknown, status = 200, headers?: SimResponse['headers']): SimResponse {
  return { status, json: body, ...(headers ? { headers } : {}) };
}

export function text(body: string, status = 200, headers?: SimResponse['headers']): SimResponse {
  return { status, text: body, ...(headers ? { headers } : {}) };
}

const STATUS_WORDS: Readonly<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  423: 'locked',
  429: 'rate_limited',
  500: 'internal_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

/** `{ error, message }`: the shape for clouds that declare none of their own, and for unmounted prefixes. */
export function genericError(status: number, message: string): SimResponse {
  return json({ error: STATUS_WORDS[status] ?? `http_${status}`, message }, status);
}

/** The per-cloud knobs every module passes through to its spec the same way. */
export function simKnobs(options: SimCloudOptions): Pick<SimCloudSpec<SimState>, 'seed' | 'latencyMs' | 'ownPort'> {
  return {
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
    ...(options.ownPort ? { ownPort: true } : {}),
  };
}
