// The TokenCredential every Azure client shares, from the credentials Cloudtop resolved:
//  - a service principal (environment or stored): @azure/identity's ClientSecretCredential, or
//    ClientCertificateCredential with a PEM file; authority host from AZURE_AUTHORITY_HOST when set;
//  - the Azure CLI's login: `az account get-access-token --output json --resource …` through core's CLI runner (its own
//    process group, killed whole on timeout, close and exit). @azure/identity's AzureCliCredential is not used: it runs
//    `az` with child_process.exec through a shell and ignores the exec error, so a timeout killed only the shell (the
//    real `az` launcher does not exec Python: an orphan per hung call) and read as "Unexpected end of JSON input"
//    (@azure/identity 4.13.1 dist/commonjs/credentials/azureCliCredential.js).
//  - a token source the front end hands over (VS Code's built-in Microsoft account), when there is one.
// Wrapped once (sharedTokens): every client has a bearer policy of its own, and the CLI keeps no cache for us, so
// without it each client would start `az` (a second or more) for the same token. A token is reused until five minutes
// before it expires, and one refresh serves every caller waiting for it. Failures become CloudtopErrors that say
// what to do, never naming a secret (the resolver registered them for redaction; every token is registered too).
// The service principal's token requests (MSAL's, through @azure/identity's IdentityClient, which takes the client
// options' `httpClient` and `retryOptions`) go through Cloudtop's transport: the limiter, the one retry policy (429 and
// 5xx, Retry-After; the SDK's own retries off), the timeout, redirects refused, and an origin guard that lets them go
// only to the authority host. MSAL passes no caller's signal to its requests (it makes its own per request), so the
// exchange's signal is handed to the http client explicitly (`exchange`), one exchange at a time.
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import { runCli } from '../../core/credentials/cli-process';
import { MAX_CREDENTIAL_BYTES, readSmallFile } from '../../core/credentials/config-files';
import { CloudtopError } from '../../core/errors/errors';
import { registerSecret } from '../../core/errors/redact';
import type { Credentials, TokenSource } from '../../core/engine/provider';
import { SharedRuns } from '../../core/engine/shared-run';
import type { Transport } from '../../core/transport/transport';
import { AZURE_CLI_LOGIN, VSCODE_LOGIN } from './credentials';
import { azureClientOptions, type PipelineHttpClientLike } from './sdk-http';

/** Refresh this long before a token expires, so no request carries one that dies on the way. */
const REFRESH_MARGIN_MS = 5 * 60_000;

const authError = (message: string, cause?: unknown) => new CloudtopError({ category: 'auth', cloud: 'azure', message, cause });

/** Microsoft Entra ID's public cloud, @azure/identity's default authority host. */
export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
/** What the transport calls the service principal's sign-in requests (limiter, messages). */
export const TOKEN_OPERATION = 'POST /{tenant}/oauth2/v2.0/token';
/** Fields of a token endpoint's answer that are credentials. */
const TOKEN_FIELDS = ['access_token', 'refresh_token', 'id_token'];

/** @azure/identity's failures, in words a user can act on. */
/** The OAuth 2.0 error codes (RFC 6749 §5.2) and Entra ID's AADSTS numbers: the identity platform said no. */
const OAUTH_REFUSAL =
  /^(?:invalid_client|unauthorized_client|invalid_grant|invalid_request|invalid_scope|unsupported_grant_type|access_denied)\b|AADSTS\d+/;

export function signInError(error: unknown, how: string): CloudtopError {
  if (error instanceof CloudtopError) return error.operation === TOKEN_OPERATION ? transportFailure(error, how) : error;
  const e = (error ?? {}) as {
    name?: string;
    message?: string;
    statusCode?: number;
    errorResponse?: { error?: string; errorDescription?: string };
  };
  const first = (s: string | undefined) =>
    (s ?? '')
      .split(/\r?\n/)[0]
      .replace(/\s*Trace ID:.*$/i, '')
      .trim();
  if (e.name === 'AbortError')
    return new CloudtopError({ category: 'network', cloud: 'azure', message: 'Azure sign-in was cancelled.', cause: error });
  if (e.name === 'CredentialUnavailableError') {
    return authError(
      `Azure sign-in through ${how} is not available: ${first(e.message) || 'no login found'}. Run \`az login\`, or set a service principal with "Cloudtop: Set Credentials…" (or \`cloudtop login azure\`).`,
      error,
    );
  }
  // MSAL's ServerError reaches us as AuthenticationRequiredError whose message starts with the OAuth error code; a
  // network failure takes the same path with another code, so the code decides.
  const refused =
    e.name === 'AuthenticationError' ||
    e.errorResponse ||
    (e.name === 'AuthenticationRequiredError' && OAUTH_REFUSAL.test(e.message ?? ''));
  if (refused) {
    const described = /AADSTS\d+:[^.]*\./.exec(`${e.errorResponse?.errorDescription ?? ''} ${e.message ?? ''}`)?.[0];
    const reason = described || first(e.errorResponse?.errorDescription) || first(e.errorResponse?.error) || first(e.message);
    return authError(
      `Azure refused the sign-in through ${how} (${reason}). Check the tenant, client ID and secret or certificate, or sign in again.`,
      error,
    );
  }
  return new CloudtopError({
    category: 'network',
    cloud: 'azure',
    message: `Azure sign-in through ${how} failed: ${first(e.message) || 'no answer'}.`,
    cause: error,
  });
}

/**
 * The transport's error for a sign-in request, in the words of a sign-in: the identity platform's refusal (a 4xx
 * other than 429, `invalid_client: AADSTS7000215: …`) is an auth error naming the fix; a redirect or a refused origin
 * (config), a 429, a 5xx or a network failure keep their category.
 */
function transportFailure(error: CloudtopError, how: string): CloudtopError {
  const { status } = error;
  if (status === undefined || status === 429 || status >= 500) return error;
  const described = /AADSTS\d+:[^.]*\./.exec(error.cloudMessage ?? '')?.[0];
  const reason = described ?? ([error.code, error.cloudMessage].filter(Boolean).join(': ') || `HTTP ${status}`);
  return authError(
    `Azure refused the sign-in through ${how} (${reason}). Check the tenant, client ID and secret or certificate, or sign in again.`,
    error,
  );
}

/**
 * One token per tenant and scope list, shared by every client and renewed before it expires. Callers that ask while an
 * exchange is in flight share it (core/engine/shared-run.ts): it runs under a signal of its own, aborted only when every
 * caller has given up, so one refresh's deadline never fails another refresh's sign-in.
 */
export function sharedTokens(inner: TokenCredential, how: string, now: () => number): TokenCredential {
  const tokens = new Map<string, AccessToken>();
  const exchanges = new SharedRuns<AccessToken>();
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      // One token per tenant too: an account spanning several tenants holds one for each (a tenant's failure or abort
      // is that tenant's alone).
      const tenantId = options?.tenantId;
      const key = `${tenantId ?? ''}|${[scopes].flat().join(' ')}`;
      const held = tokens.get(key);
      if (held && held.expiresOnTimestamp - REFRESH_MARGIN_MS > now()) return held;
      const exchange = async (signal: AbortSignal) => {
        try {
          const token = await inner.getToken(scopes, { abortSignal: signal, ...(tenantId ? { tenantId } : {}) });
          if (!token) throw authError(`Azure sign-in through ${how} returned no token. Sign in again.`);
          registerSecret(token.token);
          tokens.set(key, token);
          return token;
        } catch (error) {
          throw signInError(error, how);
        }
      };
      return exchanges.join(key, exchange, options?.abortSignal as AbortSignal | undefined);
    },
  };
}

/**
 * The http client of the service principal's token requests: the transport (pipelineHttpClient), each request also
 * under the signal of the exchange it belongs to, and every token an answer carries registered for redaction before
 * MSAL or anything else can log it.
 */
function tokenHttpClient(transport: Transport, exchange: () => AbortSignal | undefined): PipelineHttpClientLike {
  const { httpClient } = azureClientOptions(transport);
  return {
    async sendRequest(request) {
      const signal = exchange();
      if (signal) {
        const own = request.abortSignal instanceof AbortSignal ? request.abortSignal : undefined;
        request.abortSignal = own ? AbortSignal.any([own, signal]) : signal;
      }
      const response = await httpClient.sendRequest(request);
      let answer: Record<string, unknown> | undefined;
      try {
        answer = JSON.parse(response.bodyAsText ?? '') as Record<string, unknown>;
      } catch {
        answer = undefined;
      }
      for (const field of TOKEN_FIELDS) {
        const value = answer?.[field];
        if (typeof value === 'string') registerSecret(value);
      }
      return response;
    },
  };
}

/** The token client options of a service principal's credential: requests on the transport, the SDK's retries off. */
type OnTransport = { httpClient: PipelineHttpClientLike; retryOptions: { maxRetries: 0 } };

/**
 * A certificate credential made once its PEM is read through core's bounded reader (a regular file of at most 1 MiB):
 * handed a path, @azure/identity would read it whole itself, and a missing file would read as a network failure. A
 * file that is missing, not a file, or holds no private key and certificate is a `config` error naming it; it is read
 * again on the next sign-in after a failure.
 */
function withCertificate(path: string, make: (certificate: string) => TokenCredential): TokenCredential {
  let made: Promise<TokenCredential> | undefined;
  const load = async () => {
    const pem = await readSmallFile(path, { maxBytes: MAX_CREDENTIAL_BYTES, cloud: 'azure', what: 'The Azure client certificate' });
    const problem =
      pem === undefined
        ? 'does not exist'
        : !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem) || !/-----BEGIN CERTIFICATE-----/.test(pem)
          ? 'is not a PEM file holding the private key and the certificate'
          : undefined;
    if (problem || pem === undefined)
      throw new CloudtopError({
        category: 'config',
        cloud: 'azure',
        message: `The Azure client certificate ${path} ${problem}: check AZURE_CLIENT_CERTIFICATE_PATH, or store the service principal again.`,
      });
    return make(pem);
  };
  return {
    async getToken(scopes, options) {
      made ??= load().catch((error: unknown) => {
        made = undefined;
        throw error;
      });
      return (await made).getToken(scopes, options);
    },
  };
}

/**
 * A service principal's credential whose token requests go through `transport` (made for the authority's origin),
 * each under its exchange's signal: one exchange at a time, so the http client knows whose signal a request carries.
 */
function servicePrincipal(make: (options: OnTransport) => TokenCredential, transport: Transport): TokenCredential {
  let current: AbortSignal | undefined;
  const { retryOptions } = azureClientOptions(transport);
  const inner = make({ httpClient: tokenHttpClient(transport, () => current), retryOptions });
  let queue: Promise<unknown> = Promise.resolve();
  return {
    getToken(scopes, options) {
      const signal = options?.abortSignal as AbortSignal | undefined;
      const exchange = queue.then(async () => {
        signal?.throwIfAborted();
        current = signal;
        try {
          return await transport.run(TOKEN_OPERATION, () => inner.getToken(scopes, options));
        } finally {
          current = undefined;
        }
      });
      queue = exchange.catch(() => undefined);
      return exchange;
    },
  };
}

/** A transport (the collector's limiter and retry) whose requests may go only to these origins. */
export type TokenTransport = (origins: readonly string[]) => Transport;

export interface ResolvedCredential {
  /** The sign-in's own tenant's (the CLI's default, the service principal's). */
  readonly credential: TokenCredential;
  /** How the user signed in, for messages ("the Azure CLI login"). */
  readonly how: string;
  readonly tenantId: string | undefined;
  /**
   * A user's sign-in (the Azure CLI, VS Code's Microsoft account) may span several tenants (guest access, consultants):
   * each is listed and read with a token of its own. A service principal reads its own tenant.
   */
  readonly multiTenant?: boolean;
  /** The credential for a tenant: the sign-in's own for its tenant (or none named), else tokens asked for that tenant. */
  readonly forTenant?: (tenantId: string | undefined) => TokenCredential;
  /** Ends the `az` runs still going (the provider is closing). */
  readonly close?: () => void;
}

/** Adds `forTenant`: one credential per tenant, each asking the shared tokens for its tenant. */
function withTenants(resolved: Omit<ResolvedCredential, 'forTenant'>): ResolvedCredential {
  const perTenant = new Map<string, TokenCredential>();
  return {
    ...resolved,
    forTenant(tenantId) {
      if (!tenantId || tenantId.toLowerCase() === (resolved.tenantId ?? '').toLowerCase()) return resolved.credential;
      let c = perTenant.get(tenantId.toLowerCase());
      if (!c)
        perTenant.set(
          tenantId.toLowerCase(),
          (c = { getToken: (scopes, options) => resolved.credential.getToken(scopes, { ...options, tenantId }) }),
        );
      return c;
    },
  };
}

/**
 * How long `az account get-access-token` may take (it refreshes its token over the network first; a second or two as a
 * rule): under half the refresh's 30 s deadline, which is what the first token's caller — the subscription list, a
 * reference load (core/engine/reference.ts) — gets, so a hung `az` is named as such rather than as that list's timeout.
 */
export const AZ_TIMEOUT_MS = 12_000;

const closing = () =>
  new CloudtopError({ category: 'network', cloud: 'azure', message: 'Azure sign-in was cancelled: Cloudtop is closing.' });

/**
 * The Azure CLI's token for a scope: `az account get-access-token --output json --resource <resource>` (the scope
 * without `/.default`), the way @azure/identity's AzureCliCredential asks, through core's runner. Its answer is JSON
 * with `accessToken` and `expires_on` (seconds; az 2.54+) or `expiresOn` (a local time). Failures say what to do.
 */
export function azureCliCredential(stop: AbortSignal, timeoutMs = AZ_TIMEOUT_MS): TokenCredential {
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const scope = Array.isArray(scopes) ? scopes[0] : scopes;
      const resource = scope.replace(/\/\.default$/, '');
      const tenant = options?.tenantId;
      const args = ['account', 'get-access-token', '--output', 'json', '--resource', resource, ...(tenant ? ['--tenant', tenant] : [])];
      // @azure/core-auth's AbortSignalLike has the DOM AbortSignal's aborted, reason and listeners, which is all the runner uses.
      const signal = options?.abortSignal as AbortSignal | undefined;
      const result = await runCli(process.platform === 'win32' ? 'az.cmd' : 'az', args, {
        cloud: 'azure',
        timeoutMs,
        signal,
        stop,
        label: 'az',
      });
      if (result.exitCode !== 0) {
        const lines = result.stderr.split(/\r?\n/).map((l) => l.trim());
        const said = (lines.find((l) => l.startsWith('ERROR:')) ?? lines.find((l) => l) ?? '').slice(0, 300);
        // A tenant whose policy wants a fresh sign-in (MFA, sign-in frequency, conditional access): the CLI names the
        // `az login --tenant` to run (Azure/azure-cli azure-cli-core azure/cli/core/auth/util.py aad_error_handler).
        if (tenant && /authenticate interactively|AADSTS(?:50076|50079|50158|53003|70043|50173)\b/.test(result.stderr)) {
          const code = /AADSTS\d+/.exec(result.stderr)?.[0];
          throw authError(
            `The directory (tenant) ${tenant} needs a fresh sign-in${code ? ` (${code}: multi-factor authentication or a conditional access policy)` : ''}: run \`az login --tenant ${tenant}\`.`,
          );
        }
        if (/az login/.test(result.stderr) && !/az login --scope/.test(result.stderr))
          throw authError('The Azure CLI is not signed in: run `az login`, or set a service principal with "Cloudtop: Set Credentials…".');
        throw authError(
          `\`az account get-access-token\` failed${said ? ` (${said})` : ''}. Run \`az login\` again, or set a service principal.`,
        );
      }
      let answer: { accessToken?: unknown; expires_on?: unknown; expiresOn?: unknown } | undefined;
      try {
        answer = JSON.parse(result.stdout) as typeof answer;
      } catch {
        answer = undefined;
      }
      const token = typeof answer?.accessToken === 'string' && answer.accessToken.trim() ? answer.accessToken.trim() : undefined;
      const onText = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
      const seconds = Number.parseInt(onText(answer?.expires_on), 10);
      const expiresOnTimestamp = Number.isFinite(seconds) ? seconds * 1000 : new Date(onText(answer?.expiresOn)).getTime();
      if (!token || !Number.isFinite(expiresOnTimestamp))
        throw new CloudtopError({
          category: 'config',
          cloud: 'azure',
          message: '`az account get-access-token` printed no token (not the JSON the Azure CLI prints): is `az` on PATH the Azure CLI?',
        });
      registerSecret(token);
      return { token, expiresOnTimestamp, tokenType: 'Bearer' };
    },
  };
}

/**
 * The credential for what the resolver found. `tokens`: a front end's own source, used for a `login: vscode`;
 * `tokenTransport`: the transport of a service principal's token requests.
 */
export function credentialOf(
  credentials: Credentials,
  now: () => number,
  tokenTransport: TokenTransport,
  tokens?: TokenSource,
): ResolvedCredential {
  const tenantId = credentials.tenantId || undefined;
  if (credentials.login === AZURE_CLI_LOGIN) {
    const stop = new AbortController();
    // The CLI's own default tenant and subscription: no --tenant unless the user named one in the environment.
    const how = 'the Azure CLI login (az login)';
    return withTenants({
      credential: sharedTokens(azureCliCredential(stop.signal), how, now),
      how,
      tenantId,
      multiTenant: true,
      close: () => stop.abort(closing()),
    });
  }
  if (credentials.login === VSCODE_LOGIN) {
    if (!tokens)
      throw authError('The VS Code Microsoft account is only available inside VS Code: run `az login` or set a service principal.');
    const how = 'your Microsoft account in VS Code';
    // VS Code's Microsoft account takes the tenant as a scope (`VSCODE_TENANT:<id>`, microsoft/vscode
    // extensions/microsoft-authentication README).
    const source: TokenCredential = {
      getToken: async (scopes, options) => {
        const tenant = options?.tenantId;
        try {
          return await tokens(
            [...[scopes].flat(), ...(tenant ? [`VSCODE_TENANT:${tenant}`] : [])],
            options?.abortSignal as AbortSignal | undefined,
          );
        } catch (error) {
          // Another tenant than the account's own: VS Code holds no silent session for it (never signed in there, or it
          // wants a fresh sign-in). Say so for that tenant, not as if the whole account were signed out.
          if (!tenant || (error instanceof CloudtopError && error.category !== 'auth')) throw error;
          throw authError(
            `VS Code holds no Microsoft sign-in for the directory (tenant) ${tenant}, or it wants a fresh one (multi-factor authentication, conditional access): run \`az login --tenant ${tenant}\` to read it through the Azure CLI.`,
            error,
          );
        }
      },
    };
    return withTenants({ credential: sharedTokens(source, how, now), how, tenantId, multiTenant: true });
  }
  const clientId = credentials.clientId;
  if (!tenantId || !clientId)
    throw new CloudtopError({
      category: 'config',
      cloud: 'azure',
      message:
        'An Azure service principal needs a tenant ID and a client ID: run "Cloudtop: Set Credentials…" (or `cloudtop login azure`), or `az login`.',
    });
  const authorityHost = credentials.authorityHost?.trim() || undefined;
  if (authorityHost && !/^https:\/\//i.test(authorityHost)) {
    throw new CloudtopError({
      category: 'config',
      cloud: 'azure',
      message: 'The Azure authority host must be an https URL (AZURE_AUTHORITY_HOST).',
    });
  }
  // The authority is Microsoft's or one the user chose (environment or stored, never a workspace): discovery would
  // only validate it against login.microsoftonline.com, one more request, and one a sovereign or private cloud fails.
  // Named always, so @azure/identity reads no AZURE_AUTHORITY_HOST of its own and the origin guard allows that host alone.
  const authority = authorityHost ?? DEFAULT_AUTHORITY_HOST;
  const transport = tokenTransport([new URL(authority).origin]);
  const options = { authorityHost: authority, disableInstanceDiscovery: true };
  const how = 'the service principal';
  const secret = credentials.clientSecret;
  if (secret)
    return {
      credential: sharedTokens(
        servicePrincipal(
          (onTransport) => new ClientSecretCredential(tenantId, clientId, secret, { ...options, ...onTransport }),
          transport,
        ),
        how,
        now,
      ),
      how,
      tenantId,
    };
  const certificatePath = credentials.clientCertificatePath;
  if (certificatePath) {
    return {
      credential: sharedTokens(
        servicePrincipal(
          (onTransport) =>
            withCertificate(
              certificatePath,
              (certificate) => new ClientCertificateCredential(tenantId, clientId, { certificate }, { ...options, ...onTransport }),
            ),
          transport,
        ),
        how,
        now,
      ),
      how,
      tenantId,
    };
  }
  throw new CloudtopError({
    category: 'config',
    cloud: 'azure',
    message:
      'The Azure service principal has neither a client secret nor a certificate file: set AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH, or store one with "Cloudtop: Set Credentials…".',
  });
}
