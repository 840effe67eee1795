// Google Cloud sign-in: Application Default Credentials through google-auth-library (every credential-file type it
// reads), or gcloud's own login. What the rest of the provider sees is `headers()`: Authorization, and the quota
// project (x-goog-user-project) when the credential names one.
// Token requests go where the credential says — a service account's `token_uri`, an authorized user's `token_uri`, an
// external account's `token_url` — never to the endpoint override. google-auth-library 10 honours token_url but posts a
// service account's JWT to the hard-coded https://oauth2.googleapis.com/token (gtoken) and an authorized user's refresh
// to `endpoints.oauth2TokenUrl`; so its transporter sends that one URL to the file's token_uri instead, and the
// authorized user gets the file's token_uri as its endpoint. Token requests use gaxios with its retry off, on Cloudtop's
// transport (its `fetchImplementation`): the limiter, the one retry policy (429 and 5xx, Retry-After), the timeout,
// and an origin guard that lets them go only to the origins the credential itself names (a redirect elsewhere is
// refused). A refresh's concurrent requests share one exchange (`shared`), under the signals of the refreshes waiting
// for it, passed explicitly; every token an answer carries is registered for redaction before anything can log it.
import { createPrivateKey } from 'node:crypto';
import { GoogleAuth, type AuthClient } from 'google-auth-library';
import { runCli } from '../../core/credentials/cli-process';
import { MAX_CREDENTIAL_BYTES, readSmallFile } from '../../core/credentials/config-files';
import type { Credentials } from '../../core/credentials/fields';
import { CloudtopError } from '../../core/errors/errors';
import { shared } from '../../core/engine/shared-run';
import { redact, registerSecret } from '../../core/errors/redact';
import type { Transport } from '../../core/transport/transport';
import { CLOUD_PLATFORM_SCOPE } from './hosts';
import { GCLOUD_LOGIN, GCLOUD_PATH } from './credentials';

/** Where google-auth-library's JWT client (gtoken) always posts, whatever the key file says. */
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const TOKEN_TIMEOUT_MS = 15_000;
/** Fields of a token endpoint's answer that are credentials. */
const TOKEN_FIELDS = ['access_token', 'refresh_token', 'id_token'];
/** gcloud hands out its cached token until shortly before it expires (an hour); asking again after 4 minutes is cheap. */
const GCLOUD_TOKEN_REUSE_MS = 4 * 60_000;
const GCLOUD_TIMEOUT_MS = 20_000;
const SECRET_KEYS = ['private_key', 'refresh_token', 'client_secret', 'access_token'];

/** A transport (the collector's limiter and retry) whose requests may go only to these origins. */
export type TokenTransport = (origins: readonly string[]) => Transport;

export interface GcpAuth {
  /** Headers for one API request (a token is fetched or refreshed as needed, its requests under `signal`). */
  headers(signal?: AbortSignal): Promise<Record<string, string>>;
  /** The project the credential itself names (a key's project_id, a quota project), when it names one. */
  readonly credentialProject?: string;
  /** The project gcloud's configuration names (`gcloud config get-value project`), when gcloud is there. */
  gcloudProject(): Promise<string | undefined>;
  /** The token was refused (401): the next request asks for a new one. */
  invalidate(): void;
  /** How the user signed in, for messages: "service account x@y", "gcloud login". */
  readonly description: string;
  /** Ends the gcloud runs still going (their process groups): the provider is closing. */
  close(): void;
}

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

function authError(message: string, category: 'auth' | 'network' | 'config' = 'auth'): CloudtopError {
  return new CloudtopError({ category, cloud: 'gcp', message: redact(message) });
}

/**
 * Runs gcloud through core's CLI runner (its own process group, killed as a group on timeout, on `stop` — the
 * provider's close — and on exit), answering its stdout. `bin`: the gcloud found on PATH when the credentials were read.
 */
async function gcloud(bin: string | undefined, args: readonly string[], stop?: AbortSignal): Promise<string> {
  const windows = process.platform === 'win32';
  const command = windows ? 'gcloud.cmd' : (bin ?? 'gcloud');
  let result;
  try {
    result = await runCli(command, args, {
      cloud: 'gcp',
      timeoutMs: GCLOUD_TIMEOUT_MS,
      stop,
      label: `gcloud ${args.slice(0, 2).join(' ')}`,
    });
  } catch (error) {
    if (error instanceof CloudtopError && /not installed/.test(error.message))
      throw authError(
        'Google Cloud: gcloud is not on PATH any more. Install the Google Cloud CLI and run `gcloud auth login`, or set GOOGLE_APPLICATION_CREDENTIALS to a credential file.',
        'config',
      );
    if (error instanceof CloudtopError)
      throw authError(`Google Cloud: ${error.message}`, error.category === 'config' ? 'config' : 'network');
    throw error;
  }
  if (result.exitCode === 0) return result.stdout;
  const said =
    result.stderr
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.startsWith('ERROR:')) ??
    result.stderr.trim().split('\n')[0] ??
    '';
  throw authError(
    `Google Cloud: \`gcloud ${args.slice(0, 2).join(' ')}\` failed${said ? ` (${said.slice(0, 300)})` : ''}. Run \`gcloud auth login\`, or set GOOGLE_APPLICATION_CREDENTIALS to a credential file.`,
  );
}

const closed = () => authError('Google Cloud: cancelled, Cloudtop is closing.', 'network');

function memoizedGcloudProject(bin: string | undefined, stop: AbortSignal): () => Promise<string | undefined> {
  let project: Promise<string | undefined> | undefined;
  return () =>
    (project ??= gcloud(bin, ['config', 'get-value', 'project', '--quiet'], stop).then(
      (out) => str(out.split('\n')[0]),
      () => undefined,
    ));
}

/** gcloud's login: `gcloud auth print-access-token`, reused for a few minutes, asked again after a 401. */
function gcloudAuth(bin: string | undefined, now: () => number): GcpAuth {
  const stop = new AbortController();
  let token: { value: string; at: number } | undefined;
  let pending: Promise<string> | undefined;
  const fresh = async (): Promise<string> => {
    if (token && now() - token.at < GCLOUD_TOKEN_REUSE_MS) return token.value;
    pending ??= gcloud(bin, ['auth', 'print-access-token', '--quiet'], stop.signal)
      .then((out) => {
        const value = str(out.split('\n')[0]);
        if (!value || /\s/.test(value))
          throw authError('Google Cloud: `gcloud auth print-access-token` printed no token. Run `gcloud auth login`.');
        registerSecret(value);
        token = { value, at: now() };
        return value;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
  return {
    headers: async () => ({ authorization: `Bearer ${await fresh()}` }),
    gcloudProject: memoizedGcloudProject(bin, stop.signal),
    invalidate: () => {
      token = undefined;
    },
    description: 'gcloud login',
    close: () => stop.abort(closed()),
  };
}

/** The origins a credential file names for its token requests (and only those): token_uri, token_url, … */
function tokenOrigins(json: Json): string[] {
  const source = json.credential_source && typeof json.credential_source === 'object' ? (json.credential_source as Json) : {};
  const named = [json.token_uri, json.token_url, json.token_info_url, json.service_account_impersonation_url, source.url];
  const origins = new Set<string>();
  for (const value of named) {
    const url = str(value);
    if (!url) continue;
    try {
      origins.add(new URL(url).origin);
    } catch {
      throw authError(`Google Cloud: the credential names a token endpoint that is not a URL ("${url.slice(0, 200)}").`, 'config');
    }
  }
  // A key without token_uri uses Google's, as google-auth-library does.
  if (!str(json.token_uri) && !str(json.token_url)) origins.add(new URL(GOOGLE_TOKEN_URL).origin);
  return [...origins];
}

/**
 * The transporter of a credential's token requests: gaxios without retries of its own, each request sent by Cloudtop's
 * transport under the signal of the exchange it belongs to (`exchange()`: at most one at a time, see `shared`), gtoken's
 * fixed URL sent to the file's token_uri, and the tokens in every answer registered for redaction.
 */
function tokenTransporter(tokenUri: string | undefined, transport: Transport, exchange: () => AbortSignal | undefined) {
  return {
    retry: false,
    timeout: TOKEN_TIMEOUT_MS,
    fetchImplementation: async (input: string | URL | Request, init: RequestInit = {}) => {
      const url = input instanceof Request ? input.url : String(input);
      const signals = [init.signal, exchange()].filter((s): s is AbortSignal => s !== undefined && s !== null);
      const response = await transport.fetch(tokenUri && url === GOOGLE_TOKEN_URL ? tokenUri : url, {
        ...init,
        signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
      });
      const answer = (await response
        .clone()
        .json()
        .catch(() => undefined)) as Json | undefined;
      for (const field of TOKEN_FIELDS) {
        const value = str(answer?.[field]);
        if (value) registerSecret(value);
      }
      return response;
    },
  };
}

/** A token request's failure in Google's own words (`invalid_grant: Token has been expired or revoked.`), redacted. */
function tokenFailure(error: unknown, what: string): CloudtopError {
  if (error instanceof CloudtopError && error.cloud === 'gcp' && error.operation === TOKEN_OPERATION) return transportFailure(error, what);
  if (error instanceof CloudtopError) return error;
  const e = error as { response?: { status?: number; data?: unknown }; code?: unknown; message?: unknown; cause?: { code?: unknown } };
  const data = e.response?.data as Json | undefined;
  const nested = data && typeof data.error === 'object' ? (data.error as Json) : undefined;
  const said = [str(nested?.status) ?? str(data?.error), str(nested?.message) ?? str(data?.error_description)].filter(Boolean).join(': ');
  const status = e.response?.status;
  if (status === undefined) {
    const code = str(e.cause?.code) ?? str(e.code);
    return authError(
      `Google Cloud: the token endpoint of ${what} could not be reached${code ? ` (${code})` : ''}. Check the network, or the token_uri in the credential file.`,
      'network',
    );
  }
  if (status >= 500 || status === 429)
    return authError(
      `Google Cloud: the token endpoint of ${what} answered HTTP ${status}${said ? ` (${said})` : ''}; trying again at the next refresh.`,
      'network',
    );
  return authError(
    `Google Cloud: ${what} was refused at its token endpoint (HTTP ${status}${said ? `: ${said}` : ''}). Create a new key, or sign in again with \`gcloud auth application-default login\`.`,
  );
}

const TOKEN_OPERATION = 'POST token';

/** The transport's error for a token request, in the words of a sign-in: a refusal is auth, the rest keeps its category. */
function transportFailure(error: CloudtopError, what: string): CloudtopError {
  const { status, category } = error;
  // A redirect or a URL outside the credential's origins: what the credential names is wrong.
  if (category === 'config' && status === undefined) return error;
  const said = error.cloudMessage ? `: ${[error.code, error.cloudMessage].filter(Boolean).join(': ')}` : '';
  const refused = status !== undefined && status >= 400 && status < 500 && status !== 429;
  const message = refused
    ? `Google Cloud: ${what} was refused at its token endpoint (HTTP ${status}${said}). Create a new key, or sign in again with \`gcloud auth application-default login\`.`
    : status !== undefined
      ? `Google Cloud: the token endpoint of ${what} answered HTTP ${status}${said}; trying again at the next refresh.`
      : `Google Cloud: the token endpoint of ${what} could not be reached${error.code ? ` (${error.code})` : ''}. Check the network, or the token_uri in the credential file.`;
  return new CloudtopError({
    category: refused ? 'auth' : category,
    cloud: 'gcp',
    status,
    code: error.code,
    retryAfterMs: error.retryAfterMs,
    operation: TOKEN_OPERATION,
    message,
  });
}

function describe(json: Json): string {
  const type = str(json.type);
  if (type === 'service_account') return `service account ${str(json.client_email) ?? '?'}`;
  if (type === 'authorized_user') return 'authorized user (gcloud application-default login)';
  if (type === 'external_account') return 'external account (workload identity federation)';
  if (type === 'external_account_authorized_user') return 'external account authorized user (workforce identity)';
  return `${type ?? 'unknown'} credential`;
}

/** A service account's `private_key` that node:crypto reads; else a `config` error naming the file, not the key. */
function checkPrivateKey(pem: unknown, where: string): void {
  try {
    if (typeof pem !== 'string' || !pem.includes('PRIVATE KEY')) throw new Error('no PEM');
    createPrivateKey(pem);
  } catch {
    throw authError(
      `Google Cloud: the private key of ${where} cannot be read: it is not a valid PEM private key (corrupt or truncated). Download a new key.`,
      'config',
    );
  }
}

/** A credential file or key: google-auth-library's client for its type, token requests to its own endpoint. */
function adcAuth(json: Json, where: string, bin: string | undefined, tokenTransport: TokenTransport): GcpAuth {
  const stop = new AbortController();
  for (const key of SECRET_KEYS) {
    const value = str(json[key]);
    if (value) registerSecret(value);
  }
  const tokenUri = str(json.token_uri);
  const what = describe(json);
  // google-auth-library signs a service account's token request with this key only when it first asks for a token, and
  // a key node:crypto cannot read then fails like an unreachable endpoint (ERR_OSSL_UNSUPPORTED): check it up front.
  if (json.type === 'service_account') checkPrivateKey(json.private_key, where);
  const transport = tokenTransport(tokenOrigins(json));
  let exchangeSignal: AbortSignal | undefined;
  const options = {
    transporterOptions: tokenTransporter(tokenUri, transport, () => exchangeSignal),
    ...(json.type === 'authorized_user' && tokenUri ? { endpoints: { oauth2TokenUrl: tokenUri } } : {}),
  };
  let client: AuthClient;
  try {
    const auth = new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] });
    client = auth.fromJSON(json, options);
    // External accounts take their scopes from the GoogleAuth that made them; keep them explicit.
    (client as { scopes?: string[] }).scopes ??= [CLOUD_PLATFORM_SCOPE];
  } catch (error) {
    throw authError(
      `Google Cloud: ${where} is not a credential google-auth-library can use (${error instanceof Error ? error.message : String(error)}).`,
      'config',
    );
  }
  // One exchange at a time for every request of every refresh: google-auth-library keeps the token until it nears
  // expiry, but asked concurrently some clients (an external account authorized user) exchange once per caller.
  const requestHeaders = shared(async (signal) => {
    exchangeSignal = signal;
    try {
      return await transport.run(TOKEN_OPERATION, () => client.getRequestHeaders());
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw tokenFailure(error, what);
    } finally {
      exchangeSignal = undefined;
    }
  });
  return {
    async headers(signal) {
      const headers = await requestHeaders(signal);
      const out: Record<string, string> = {};
      headers.forEach((value, name) => {
        out[name.toLowerCase()] = value;
      });
      const bearer = /^Bearer\s+(.+)$/i.exec(out.authorization ?? '')?.[1];
      if (bearer) registerSecret(bearer);
      return out;
    },
    credentialProject: str(json.project_id) ?? str(json.quota_project_id),
    gcloudProject: memoizedGcloudProject(bin, stop.signal),
    invalidate() {
      // An expiry in the past makes the client fetch a new token on its next request.
      if (client.credentials) client.credentials = { ...client.credentials, expiry_date: 1 };
    },
    description: what,
    close: () => stop.abort(closed()),
  };
}

function parseCredential(text: string, where: string): Json {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw authError(
      `Google Cloud: ${where} is not JSON. Point GOOGLE_APPLICATION_CREDENTIALS at a key or credential file, or run \`gcloud auth application-default login\`.`,
      'config',
    );
  }
  if (!json || typeof json !== 'object' || typeof (json as Json).type !== 'string') {
    throw authError(
      `Google Cloud: ${where} has no credential "type". Download a new key, or run \`gcloud auth application-default login\`.`,
      'config',
    );
  }
  return json as Json;
}

/** The sign-in the resolved credentials stand for. */
export async function gcpAuthOf(credentials: Credentials, now: () => number, tokenTransport: TokenTransport): Promise<GcpAuth> {
  const bin = str(credentials[GCLOUD_PATH]);
  const key = str(credentials.serviceAccountKey);
  if (key) return adcAuth(parseCredential(key, 'the stored service-account key'), 'the stored service-account key', bin, tokenTransport);
  const file = str(credentials.credentialsFile);
  if (file) {
    const text = await readSmallFile(file, { maxBytes: MAX_CREDENTIAL_BYTES, cloud: 'gcp', what: 'Google Cloud: the credential file' });
    if (text === undefined)
      throw authError(
        `Google Cloud: the credential file ${file} cannot be read. Check GOOGLE_APPLICATION_CREDENTIALS, or run \`gcloud auth application-default login\`.`,
        'config',
      );
    return adcAuth(parseCredential(text, `the credential file ${file}`), `the credential file ${file}`, bin, tokenTransport);
  }
  if (credentials.login === GCLOUD_LOGIN) return gcloudAuth(bin, now);
  throw authError(
    'Google Cloud: no credentials. Set GOOGLE_APPLICATION_CREDENTIALS, run `gcloud auth application-default login`, or use Set Credentials….',
    'config',
  );
}
