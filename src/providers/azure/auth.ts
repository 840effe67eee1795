// The TokenCredential every Azure client shares, from the credentials Cloudtop resolved:
//  - a service principal (environment or stored): @azure/identity's ClientSecretCredential, or
//    ClientCertificateCredential with a PEM file; authority host from AZURE_AUTHORITY_HOST when set;
//  - the Azure CLI's login: AzureCliCredential, which runs `az account get-access-token --output json --resource …`;
//  - a token source the front end hands over (VS Code's built-in Microsoft account), when there is one.
// Wrapped once (sharedTokens): every client has a bearer policy of its own, and AzureCliCredential keeps no cache, so
// without it each client would start `az` (a second or more) for the same token. A token is reused until five minutes
// before it expires, and one refresh serves every caller waiting for it. Failures become CloudtopErrors that say
// what to do, never naming a secret (the resolver registered them for redaction).
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { AzureCliCredential, ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import { CloudtopError } from '../../core/errors/errors';
import type { Credentials, TokenSource } from '../../core/engine/provider';
import { AZURE_CLI_LOGIN, VSCODE_LOGIN } from './credentials';

/** Refresh this long before a token expires, so no request carries one that dies on the way. */
const REFRESH_MARGIN_MS = 5 * 60_000;

const authError = (message: string, cause?: unknown) => new CloudtopError({ category: 'auth', cloud: 'azure', message, cause });

/** @azure/identity's failures, in words a user can act on. */
/** The OAuth 2.0 error codes (RFC 6749 §5.2) and Entra ID's AADSTS numbers: the identity platform said no. */
const OAUTH_REFUSAL =
  /^(?:invalid_client|unauthorized_client|invalid_grant|invalid_request|invalid_scope|unsupported_grant_type|access_denied)\b|AADSTS\d+/;

export function signInError(error: unknown, how: string): CloudtopError {
  if (error instanceof CloudtopError) return error;
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
      `Azure refused the ${how} sign-in (${reason}). Check the tenant, client ID and secret or certificate, or sign in again.`,
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

/** One token per scope list, shared by every client and renewed before it expires. */
export function sharedTokens(inner: TokenCredential, how: string, now: () => number): TokenCredential {
  const tokens = new Map<string, { token?: AccessToken; pending?: Promise<AccessToken> }>();
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const key = [scopes].flat().join(' ');
      const entry = tokens.get(key) ?? {};
      tokens.set(key, entry);
      const fresh = entry.token && entry.token.expiresOnTimestamp - REFRESH_MARGIN_MS > now();
      if (fresh) return entry.token!;
      entry.pending ??= (async () => {
        try {
          const token = await inner.getToken(scopes, { abortSignal: options?.abortSignal });
          if (!token) throw authError(`Azure sign-in through ${how} returned no token. Sign in again.`);
          entry.token = token;
          return token;
        } catch (error) {
          throw signInError(error, how);
        } finally {
          entry.pending = undefined;
        }
      })();
      return entry.pending;
    },
  };
}

export interface ResolvedCredential {
  readonly credential: TokenCredential;
  /** How the user signed in, for messages ("the Azure CLI login"). */
  readonly how: string;
  readonly tenantId: string | undefined;
}

/** The credential for what the resolver found. `tokens`: a front end's own source, used for a `login: vscode`. */
export function credentialOf(credentials: Credentials, now: () => number, tokens?: TokenSource): ResolvedCredential {
  const tenantId = credentials.tenantId || undefined;
  if (credentials.login === AZURE_CLI_LOGIN) {
    // The CLI's own default tenant and subscription: no --tenant unless the user named one in the environment.
    const how = 'the Azure CLI login (az login)';
    return { credential: sharedTokens(new AzureCliCredential({ processTimeoutInMs: 20_000 }), how, now), how, tenantId };
  }
  if (credentials.login === VSCODE_LOGIN) {
    if (!tokens)
      throw authError('The VS Code Microsoft account is only available inside VS Code: run `az login` or set a service principal.');
    const how = 'your Microsoft account in VS Code';
    const source: TokenCredential = {
      getToken: async (scopes, options) => tokens([scopes].flat(), options?.abortSignal as AbortSignal | undefined),
    };
    return { credential: sharedTokens(source, how, now), how, tenantId };
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
  const options = { ...(authorityHost ? { authorityHost } : {}), disableInstanceDiscovery: true };
  const how = 'the service principal';
  if (credentials.clientSecret)
    return {
      credential: sharedTokens(new ClientSecretCredential(tenantId, clientId, credentials.clientSecret, options), how, now),
      how,
      tenantId,
    };
  if (credentials.clientCertificatePath) {
    return {
      credential: sharedTokens(
        new ClientCertificateCredential(tenantId, clientId, { certificatePath: credentials.clientCertificatePath }, options),
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
