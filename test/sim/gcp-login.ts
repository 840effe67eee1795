// Sign-in for the simulated Google Cloud: the token endpoints google-auth-library talks to, the credential files that
// name them, a self-signed-JWT check, and a `gcloud` stand-in.
//   POST /token          oauth2.googleapis.com/token: jwt-bearer (service account) and refresh_token (authorized_user)
//   POST /v1/token       sts.googleapis.com/v1/token: RFC 8693 token exchange (external_account, workload identity)
//   POST /v1/oauthtoken  sts.googleapis.com/v1/oauthtoken: refresh for external_account_authorized_user (workforce)
//   POST /v1/introspect  sts.googleapis.com/v1/introspect: token_info_url of workforce credentials
// Bodies are form-encoded; answers and errors are RFC 6749 JSON ({error, error_description}), not the API envelope.
// Nothing secret enters the state: tokenRequests record the grant and who asked (client_email, client_id, audience).
// Why self-signed JWTs matter: the generated clients set `useJWTAccessWithScope` (metric_service_client.js), so a
// service-account key used through GoogleAuth never visits a token endpoint; the API sees `Bearer <RS256 JWT>` signed
// with the key itself (claims iss = sub = client_email, scope), and Google accepts it. So does the sim.
import { generateKeyPairSync, verify } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { shQuote, writeFakeCli, type FakeCli } from './fake-cli';
import { gcpProjectIdentity } from './gcp-data';
import { hashSeed } from './seed';
import { json, type SimRequest, type SimResponse, type SimState } from './types';

/** The token the `gcloud` stand-in prints by default; every fresh state accepts it. */
export const GCLOUD_TOKEN = 'ya29.sim-gcloud-user-token';
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
/** The audience a service account's jwt-bearer assertion names (gtoken hardcodes it). */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

// The authorized_user (gcloud ADC) OAuth client and its refresh token.
export const GCP_CLIENT_ID = '000000000000-simcloudtopadc0000000000000000.apps.googleusercontent.com';
export const GCP_CLIENT_SECRET = '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et';
export const GCP_REFRESH_TOKEN = '1//0sim-cloudtop-adc-refresh-token';
// Workload identity federation (external_account): what the credential_source file holds.
export const GCP_SUBJECT_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.sim-cloudtop-oidc-subject-token.c2lt';
// Workforce identity federation (external_account_authorized_user).
export const GCP_WORKFORCE_CLIENT_ID = 'sim-workforce-client';
export const GCP_WORKFORCE_CLIENT_SECRET = 'sim-workforce-client-secret';
export const GCP_WORKFORCE_REFRESH_TOKEN = 'sim-workforce-refresh-token';
export const GCP_WORKFORCE_AUDIENCE = '//iam.googleapis.com/locations/global/workforcePools/sim-pool/providers/sim-provider';

export const gcpWorkloadAudience = (): string =>
  `//iam.googleapis.com/projects/${gcpProjectIdentity(0).number}/locations/global/workloadIdentityPools/sim-pool/providers/sim-provider`;

export interface GcpServiceAccount {
  readonly clientEmail: string;
  readonly clientId: string;
  /** 40 hex digits: the key's id (the JWT header's kid). */
  readonly privateKeyId: string;
  /** PKCS#8 PEM, as in a downloaded key file (a test key generated per process, never a real one). */
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

let cached: GcpServiceAccount | undefined;

/** The sim's service account: one RSA 2048 key pair per process (generation costs ~100 ms). */
export function gcpServiceAccount(): GcpServiceAccount {
  if (cached) return cached;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const project = gcpProjectIdentity(0).projectId;
  let keyId = '';
  for (let i = 0; keyId.length < 40; i++) keyId += hashSeed('gcp-key-id', i).toString(16).padStart(8, '0');
  cached = {
    clientEmail: `cloudtop-reader@${project}.iam.gserviceaccount.com`,
    clientId: `1${String(hashSeed('gcp-sa-client')).padStart(10, '0')}${String(hashSeed('gcp-sa-client', 2)).padStart(10, '0')}`,
    privateKeyId: keyId.slice(0, 40),
    privateKeyPem: privateKey,
    publicKeyPem: publicKey,
  };
  return cached;
}

export interface TokenRequestRecord {
  readonly path: string;
  readonly grantType: string;
  /** client_email, client_id or audience: who asked, never a secret. */
  readonly subject: string;
}

export interface GcpLoginState extends SimState {
  seed: number;
  /** Access tokens the token endpoints issued (all valid until listed in revokedTokens). */
  issuedTokens: string[];
  tokenRequests: TokenRequestRecord[];
  /** Service accounts the token endpoint and the APIs know: client_email → key id and public key PEM. */
  serviceAccounts: Record<string, { privateKeyId: string; publicKeyPem: string }>;
  /** client_emails or private_key_ids whose grants fail ("account not found"), and whose self-signed JWTs are refused. */
  disabledServiceAccounts: string[];
  /** authorized_user / workforce refresh tokens that fail with "expired or revoked". */
  revokedRefreshTokens: string[];
  /** API calls authenticated by a self-signed service-account JWT (no token endpoint involved). */
  selfSignedJwtCalls: number;
  /**
   * The key every credential file stands for (the sim's test key): issued tokens work while it is in `keys`, answer
   * 403 while it is in `forbiddenKeys` (roles taken away), and 401 once it is in neither (deleted, rotated); the
   * token endpoint then refuses the key's signed grants as Google refuses a deleted key's.
   */
  principal: string;
}

/** Whether the sim's principal still exists (allowed, or only without permission). */
export const principalExists = (state: GcpLoginState): boolean =>
  state.keys.includes(state.principal) || (state.forbiddenKeys ?? []).includes(state.principal);

export function createLoginState(seed: number, principal: string): Omit<GcpLoginState, 'keys' | 'forbiddenKeys'> {
  const sa = gcpServiceAccount();
  return {
    seed,
    issuedTokens: [],
    tokenRequests: [],
    serviceAccounts: { [sa.clientEmail]: { privateKeyId: sa.privateKeyId, publicKeyPem: sa.publicKeyPem } },
    disabledServiceAccounts: [],
    revokedRefreshTokens: [],
    selfSignedJwtCalls: 0,
    principal,
  };
}

// ---- credential files -------------------------------------------------------------------------------------------

/** A service-account key file naming the sim's token endpoint. */
export function gcpServiceAccountKey(baseUrl: string): Record<string, string> {
  const sa = gcpServiceAccount();
  const project = gcpProjectIdentity(0).projectId;
  return {
    type: 'service_account',
    project_id: project,
    private_key_id: sa.privateKeyId,
    private_key: sa.privateKeyPem,
    client_email: sa.clientEmail,
    client_id: sa.clientId,
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: `${baseUrl}/token`,
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(sa.clientEmail)}`,
    universe_domain: 'googleapis.com',
  };
}

/** gcloud's ADC file (`gcloud auth application-default login`), plus the token_uri real ones lack. */
export function gcpAuthorizedUser(baseUrl: string): Record<string, string> {
  return {
    type: 'authorized_user',
    client_id: GCP_CLIENT_ID,
    client_secret: GCP_CLIENT_SECRET,
    refresh_token: GCP_REFRESH_TOKEN,
    quota_project_id: gcpProjectIdentity(0).projectId,
    account: '',
    universe_domain: 'googleapis.com',
    token_uri: `${baseUrl}/token`,
  };
}

/** Workload identity federation with a file-sourced OIDC token (write GCP_SUBJECT_TOKEN into `subjectTokenFile`). */
export function gcpExternalAccount(baseUrl: string, subjectTokenFile: string): Record<string, unknown> {
  return {
    type: 'external_account',
    audience: gcpWorkloadAudience(),
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    token_url: `${baseUrl}/v1/token`,
    credential_source: { file: subjectTokenFile },
    universe_domain: 'googleapis.com',
  };
}

/** Workforce identity federation (`gcloud auth application-default login --login-config`). */
export function gcpExternalAccountAuthorizedUser(baseUrl: string): Record<string, string> {
  return {
    type: 'external_account_authorized_user',
    audience: GCP_WORKFORCE_AUDIENCE,
    refresh_token: GCP_WORKFORCE_REFRESH_TOKEN,
    token_url: `${baseUrl}/v1/oauthtoken`,
    token_info_url: `${baseUrl}/v1/introspect`,
    client_id: GCP_WORKFORCE_CLIENT_ID,
    client_secret: GCP_WORKFORCE_CLIENT_SECRET,
    universe_domain: 'googleapis.com',
  };
}

function keyDirOf(baseUrl: string): string {
  return path.join(tmpdir(), `cloudtop-sim-gcp-${new URL(baseUrl).port || '80'}`);
}

/** Key directories written by this process and not yet removed; removed at exit should a sim never be closed. */
const keyDirs = new Set<string>();
let exitHook = false;

/**
 * Writes gcpServiceAccountKey(baseUrl) to <tmp>/cloudtop-sim-gcp-<port>/service-account.json (0600 in a 0700 dir);
 * removeServiceAccountKeyFile (the sim's close()) removes the directory again.
 */
export function writeServiceAccountKeyFile(baseUrl: string): string {
  const dir = keyDirOf(baseUrl);
  keyDirs.add(dir);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const left of keyDirs) rmSync(left, { recursive: true, force: true });
    });
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = path.join(dir, 'service-account.json');
  writeFileSync(file, `${JSON.stringify(gcpServiceAccountKey(baseUrl), null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/** Removes the key directory writeServiceAccountKeyFile made for this base URL (nothing when none). */
export function removeServiceAccountKeyFile(baseUrl: string): void {
  const dir = keyDirOf(baseUrl);
  if (!keyDirs.delete(dir)) return;
  rmSync(dir, { recursive: true, force: true });
}

// ---- JWTs ---------------------------------------------------------------------------------------------------------

interface JwtParts {
  readonly header: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
  readonly signed: string;
  readonly signature: Buffer;
}

function parseJwt(token: string): JwtParts | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as unknown;
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    if (typeof header !== 'object' || header === null || typeof claims !== 'object' || claims === null) return undefined;
    return {
      header: header as Record<string, unknown>,
      claims: claims as Record<string, unknown>,
      signed: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2], 'base64url'),
    };
  } catch {
    return undefined;
  }
}

type JwtCheck =
  | { readonly ok: true; readonly email: string; readonly claims: Record<string, unknown> }
  | { readonly ok: false; readonly why: 'signature' | 'disabled' | 'lifetime' };

/** Signature, issuer, key id and lifetime of a service account's RS256 JWT (the clock is not consulted). */
function checkServiceAccountJwt(state: GcpLoginState, token: string): JwtCheck {
  const jwt = parseJwt(token);
  if (!jwt || jwt.header.alg !== 'RS256') return { ok: false, why: 'signature' };
  const email = typeof jwt.claims.iss === 'string' ? jwt.claims.iss : '';
  const account = state.serviceAccounts[email];
  if (!account || (jwt.header.kid !== undefined && jwt.header.kid !== account.privateKeyId)) return { ok: false, why: 'signature' };
  let valid = false;
  try {
    valid = verify('RSA-SHA256', Buffer.from(jwt.signed), account.publicKeyPem, jwt.signature);
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, why: 'signature' };
  if (state.disabledServiceAccounts.includes(email) || state.disabledServiceAccounts.includes(account.privateKeyId))
    return { ok: false, why: 'disabled' };
  const iat = Number(jwt.claims.iat);
  const exp = Number(jwt.claims.exp);
  if (!Number.isFinite(iat) || !Number.isFinite(exp) || exp <= iat || exp - iat > 3600) return { ok: false, why: 'lifetime' };
  return { ok: true, email, claims: jwt.claims };
}

const scopesOf = (claims: Record<string, unknown>): string[] => (typeof claims.scope === 'string' ? claims.scope.split(/\s+/) : []);

/** A self-signed JWT presented as the bearer token: valid when signed by a known, enabled key for cloud-platform or a googleapis audience. */
export function selfSignedJwtValid(state: GcpLoginState, token: string): boolean {
  if (!token.startsWith('eyJ')) return false;
  const check = checkServiceAccountJwt(state, token);
  if (!check.ok) return false;
  const aud = typeof check.claims.aud === 'string' ? check.claims.aud : '';
  return scopesOf(check.claims).includes(CLOUD_PLATFORM_SCOPE) || /^https:\/\/[a-z0-9.-]+\.googleapis\.com\/$/.test(aud);
}

// ---- token endpoints ---------------------------------------------------------------------------------------------

const oauthError = (status: number, error: string, description: string): SimResponse =>
  json({ error, error_description: description }, status);

/** Form fields of a token request (JSON bodies are accepted too, as Google does). */
function formOf(req: SimRequest<GcpLoginState>): URLSearchParams {
  if (typeof req.body === 'object' && req.body !== null) {
    return new URLSearchParams(Object.entries(req.body as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  }
  return new URLSearchParams(req.rawBody);
}

function issue(state: GcpLoginState): string {
  const token = `ya29.sim-${state.issuedTokens.length + 1}-${hashSeed(state.seed, 'gcp-token', state.issuedTokens.length).toString(36)}`;
  state.issuedTokens.push(token);
  return token;
}

/** HTTP Basic client credentials, if sent. */
function basicClient(req: SimRequest<GcpLoginState>): { id: string; secret: string } | undefined {
  const header = req.headers.authorization;
  const m = typeof header === 'string' ? /^basic\s+(.+)$/i.exec(header.trim()) : null;
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/** POST /token: the OAuth 2 token endpoint. */
export function oauthToken(req: SimRequest<GcpLoginState>): SimResponse {
  const form = formOf(req);
  const grantType = form.get('grant_type') ?? '';
  const record = (subject: string) => req.state.tokenRequests.push({ path: req.path, grantType, subject });
  if (grantType === JWT_BEARER) {
    const assertion = form.get('assertion') ?? '';
    const claims = parseJwt(assertion)?.claims;
    record(typeof claims?.iss === 'string' ? claims.iss : '');
    const check = checkServiceAccountJwt(req.state, assertion);
    if (!principalExists(req.state)) return oauthError(400, 'invalid_grant', 'Invalid JWT Signature.');
    if (!check.ok) {
      if (check.why === 'disabled') return oauthError(400, 'invalid_grant', 'Invalid grant: account not found');
      if (check.why === 'lifetime')
        return oauthError(
          400,
          'invalid_grant',
          'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
        );
      return oauthError(400, 'invalid_grant', 'Invalid JWT Signature.');
    }
    const aud = check.claims.aud;
    if (aud !== GOOGLE_TOKEN_URL && aud !== `${req.baseUrl}/token`)
      return oauthError(400, 'invalid_grant', `Invalid JWT: Failed audience check. The right audience is ${GOOGLE_TOKEN_URL}`);
    if (!scopesOf(check.claims).includes(CLOUD_PLATFORM_SCOPE))
      return oauthError(400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
    return json({ access_token: issue(req.state), expires_in: 3599, token_type: 'Bearer' });
  }
  if (grantType === 'refresh_token') {
    const clientId = form.get('client_id') ?? basicClient(req)?.id ?? '';
    const clientSecret = form.get('client_secret') ?? basicClient(req)?.secret ?? '';
    record(clientId);
    if (clientId !== GCP_CLIENT_ID || clientSecret !== GCP_CLIENT_SECRET)
      return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
    const refresh = form.get('refresh_token') ?? '';
    if (req.state.revokedRefreshTokens.includes(refresh)) return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
    if (refresh !== GCP_REFRESH_TOKEN) return oauthError(400, 'invalid_grant', 'Bad Request');
    return json({
      access_token: issue(req.state),
      expires_in: 3599,
      token_type: 'Bearer',
      scope: `${CLOUD_PLATFORM_SCOPE} openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/sqlservice.login`,
    });
  }
  record('');
  if (grantType === '') return oauthError(400, 'invalid_request', 'Missing required parameter: grant_type');
  return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
}

/** POST /v1/token: Security Token Service token exchange. */
export function stsToken(req: SimRequest<GcpLoginState>): SimResponse {
  const form = formOf(req);
  const grantType = form.get('grant_type') ?? '';
  const audience = form.get('audience') ?? '';
  req.state.tokenRequests.push({ path: req.path, grantType, subject: audience });
  if (grantType !== TOKEN_EXCHANGE) return oauthError(400, 'unsupported_grant_type', `Unsupported grant type: "${grantType}".`);
  if (form.get('requested_token_type') !== ACCESS_TOKEN_TYPE)
    return oauthError(400, 'invalid_request', `The requested token type is not supported: "${form.get('requested_token_type') ?? ''}".`);
  if (audience !== gcpWorkloadAudience()) {
    return oauthError(
      400,
      'invalid_target',
      'The target service indicated by the "audience" parameters is invalid. This might either be because the pool or provider is disabled or deleted or because it doesn\'t exist.',
    );
  }
  if (!(form.get('scope') ?? '').split(/\s+/).includes(CLOUD_PLATFORM_SCOPE))
    return oauthError(400, 'invalid_scope', 'The scope is not valid.');
  if (form.get('subject_token_type') !== 'urn:ietf:params:oauth:token-type:jwt' || form.get('subject_token') !== GCP_SUBJECT_TOKEN) {
    return oauthError(400, 'invalid_grant', 'The incoming JWT is not valid: the signature of the subject token could not be verified.');
  }
  return json({ access_token: issue(req.state), issued_token_type: ACCESS_TOKEN_TYPE, token_type: 'Bearer', expires_in: 3600 });
}

function workforceClient(req: SimRequest<GcpLoginState>): SimResponse | undefined {
  const client = basicClient(req);
  if (client?.id !== GCP_WORKFORCE_CLIENT_ID || client.secret !== GCP_WORKFORCE_CLIENT_SECRET)
    return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
  return undefined;
}

/** POST /v1/oauthtoken: refresh of a workforce (external_account_authorized_user) credential; client in HTTP Basic. */
export function stsOauthToken(req: SimRequest<GcpLoginState>): SimResponse {
  const form = formOf(req);
  req.state.tokenRequests.push({ path: req.path, grantType: form.get('grant_type') ?? '', subject: basicClient(req)?.id ?? '' });
  const bad = workforceClient(req);
  if (bad) return bad;
  if (form.get('grant_type') !== 'refresh_token')
    return oauthError(400, 'unsupported_grant_type', `Unsupported grant type: "${form.get('grant_type') ?? ''}".`);
  const refresh = form.get('refresh_token') ?? '';
  if (req.state.revokedRefreshTokens.includes(refresh)) return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
  if (refresh !== GCP_WORKFORCE_REFRESH_TOKEN) return oauthError(400, 'invalid_grant', 'The refresh token is invalid.');
  return json({ access_token: issue(req.state), expires_in: 3600, refresh_token: GCP_WORKFORCE_REFRESH_TOKEN, token_type: 'Bearer' });
}

/** POST /v1/introspect: RFC 7662 introspection of a token the sim issued. */
export function stsIntrospect(req: SimRequest<GcpLoginState>): SimResponse {
  const bad = workforceClient(req);
  if (bad) return bad;
  const token = formOf(req).get('token') ?? '';
  if (!req.state.issuedTokens.includes(token)) return json({ active: false });
  return json({
    active: true,
    client_id: GCP_WORKFORCE_CLIENT_ID,
    username: 'principal://iam.googleapis.com/locations/global/workforcePools/sim-pool/subject/sim-user',
    token_type: 'Bearer',
    scope: CLOUD_PLATFORM_SCOPE,
  });
}

// ---- gcloud stand-in ---------------------------------------------------------------------------------------------

export interface FakeGcloudOptions {
  /** What `gcloud auth print-access-token` prints (default GCLOUD_TOKEN). */
  readonly token?: string;
  /** What `gcloud config get-value project` prints; absent: unset. */
  readonly project?: string;
  /** false: print-access-token fails as a signed-out gcloud does. Default true. */
  readonly loggedIn?: boolean;
  /** The account its configuration names (configurations/config_default under `config`); null: none. Default dev@example.com. */
  readonly account?: string | null;
}

/**
 * Writes an executable `gcloud` (POSIX sh) into `dir` answering `auth print-access-token` and `config get-value
 * project` as gcloud 4xx does, tolerating --format/--quiet/--verbosity anywhere, and appending every call's arguments
 * (tab-separated, one line per call) to `dir/gcloud-calls.log`; and gcloud's configuration folder `dir/config` (point
 * CLOUDSDK_CONFIG at it) whose default configuration names the signed-in account, as `gcloud auth login` leaves it.
 */
export function installFakeGcloud(dir: string, options: FakeGcloudOptions = {}): FakeCli & { readonly config: string } {
  const config = path.join(dir, 'config');
  mkdirSync(path.join(config, 'configurations'), { recursive: true });
  const account = options.account === undefined ? 'dev@example.com' : options.account;
  writeFileSync(path.join(config, 'configurations', 'config_default'), `[core]\n${account === null ? '' : `account = ${account}\n`}`);
  const script = `cmd=""
bad=""
skip=0
for a in "$@"; do
  if [ "$skip" = 1 ]; then skip=0; continue; fi
  case "$a" in
    --format=*|--verbosity=*|--quiet|-q) ;;
    --format|--verbosity) skip=1 ;;
    -*) bad="$bad $a" ;;
    *) cmd="$cmd $a" ;;
  esac
done
case "$cmd" in
  " auth print-access-token")
    if [ -n "$bad" ]; then echo "ERROR: (gcloud.auth.print-access-token) unrecognized arguments:$bad" >&2; exit 2; fi
    if [ ${options.loggedIn === false ? 1 : 0} = 1 ]; then
      printf 'ERROR: (gcloud.auth.print-access-token) You do not currently have an active account selected.\\nPlease run:\\n\\n  $ gcloud auth login\\n\\nto obtain new credentials.\\n' >&2
      exit 1
    fi
    printf '%s\\n' ${shQuote(options.token ?? GCLOUD_TOKEN)}
    exit 0 ;;
  " config get-value project")
    if [ -n "$bad" ]; then echo "ERROR: (gcloud.config.get-value) unrecognized arguments:$bad" >&2; exit 2; fi
    ${options.project === undefined ? `echo '(unset)' >&2` : `printf '%s\\n' ${shQuote(options.project)}`}
    exit 0 ;;
esac
echo "ERROR: (gcloud) Invalid choice:$cmd$bad" >&2
exit 2
`;
  return { ...writeFakeCli(dir, 'gcloud', 'test/sim/gcp-login.ts', script), config };
}
