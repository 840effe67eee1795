// Sign-in for the simulated Azure: the Entra ID (v2.0) endpoints MSAL-node asks for a client-credentials token, and
// an `az` stand-in for @azure/identity's AzureCliCredential.
//   GET  /:tenant/v2.0/.well-known/openid-configuration   what MSAL fetches first (authority metadata)
//   POST /:tenant/oauth2/v2.0/token                       grant_type=client_credentials, client_id, client_secret, scope
// Those two are all MSAL-node 5.6 asks for with `disableInstanceDiscovery: true`. Without it MSAL first calls instance
// discovery at the hardcoded https://login.microsoftonline.com/common/discovery/instance (msal-common
// AAD_INSTANCE_DISCOVERY_ENDPT), whatever the authority host: a sim cannot answer that, so clients must disable it.
// Entra ID errors are `{error, error_description, error_codes, timestamp, trace_id, correlation_id}`, not ARM's.
import { shQuote, writeFakeCli, type FakeCli } from './fake-cli';
import { hashSeed } from './seed';
import { json, type SimRequest, type SimResponse, type SimState } from './types';
import { simUuid } from './azure-data';

export interface AzureLoginState extends SimState {
  tenantId: string;
  clientId: string;
  /** Tokens the token endpoint issued, and the client secret each was issued for. */
  issuedTokens: Record<string, string>;
  /** Tokens from the `az` stand-in: always valid. */
  cliTokens: string[];
  /** The `scope` of every token request, in order. */
  tokenScopes: string[];
  seed: number;
}

export function entraError(
  req: SimRequest<AzureLoginState>,
  status: number,
  error: string,
  code: number,
  description: string,
): SimResponse {
  const n = req.state.tokenScopes.length;
  return json(
    {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${simUuid(req.state.seed, 'trace', n)} Correlation ID: ${simUuid(req.state.seed, 'corr', n)} Timestamp: 2026-11-01 12:00:00Z`,
      error_codes: [code],
      timestamp: '2026-11-01 12:00:00Z',
      trace_id: simUuid(req.state.seed, 'trace', n),
      correlation_id: simUuid(req.state.seed, 'corr', n),
      error_uri: `${req.baseUrl}/error?code=${code}`,
    },
    status,
  );
}

const unknownTenant = (req: SimRequest<AzureLoginState>): SimResponse =>
  entraError(
    req,
    400,
    'invalid_tenant',
    90002,
    `Tenant '${req.params.tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  );

export function openidConfiguration(req: SimRequest<AzureLoginState>): SimResponse {
  if (req.params.tenant !== req.state.tenantId) return unknownTenant(req);
  const base = `${req.baseUrl}/${req.state.tenantId}`;
  return json({
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${req.baseUrl}/${req.state.tenantId}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: 'NA',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  });
}

export function tokenEndpoint(req: SimRequest<AzureLoginState>): SimResponse {
  if (req.params.tenant !== req.state.tenantId) return unknownTenant(req);
  const form = new URLSearchParams(req.rawBody);
  const scope = form.get('scope') ?? '';
  req.state.tokenScopes.push(scope);
  if (form.get('grant_type') !== 'client_credentials') {
    return entraError(
      req,
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${form.get('grant_type') ?? ''}'.`,
    );
  }
  const clientId = form.get('client_id');
  if (clientId !== req.state.clientId) {
    return entraError(
      req,
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId ?? ''}' was not found in the directory '${req.state.tenantId}'.`,
    );
  }
  const secret = form.get('client_secret') ?? '';
  if (!req.state.keys.includes(secret) && !(req.state.forbiddenKeys ?? []).includes(secret)) {
    return entraError(
      req,
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${req.state.clientId}'.`,
    );
  }
  if (!scope.endsWith('/.default')) {
    return entraError(
      req,
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const n = Object.keys(req.state.issuedTokens).length;
  const token = `sim-azure-at.${hashSeed(req.state.seed, 'token', n).toString(36)}${hashSeed(req.state.seed, 'token2', n).toString(36)}.${n}`;
  req.state.issuedTokens[token] = secret;
  return json({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
}

export interface FakeAzOptions {
  readonly token: string;
  readonly tenantId: string;
  readonly subscriptionId?: string;
  /** false: every command fails as a signed-out CLI does. Default true. */
  readonly loggedIn?: boolean;
  /** Other tenants the account can use, and the token `--tenant <id>` gets for each. */
  readonly tenants?: Readonly<Record<string, string>>;
  /** Tenants whose policy wants multi-factor authentication: `--tenant <id>` fails as the CLI does. */
  readonly mfaTenants?: readonly string[];
}

/**
 * Writes an executable `az` (POSIX sh) into `dir` that answers `az account get-access-token` as Azure CLI 2.54+ does
 * (accessToken, expiresOn local time, expires_on epoch seconds, subscription, tenant, tokenType) and appends every
 * call's arguments (tab-separated, one line per call) to `dir/az-calls.log`.
 */
export function installFakeAz(dir: string, options: FakeAzOptions): FakeCli {
  const sub = options.subscriptionId ?? '00000000-0000-0000-0000-000000000000';
  const otherTenants = Object.entries(options.tenants ?? {})
    .map(([t, token]) => `      ${shQuote(t)}) TENANT=${shQuote(t)}; TOKEN=${shQuote(token)} ;;\n`)
    .join('');
  // Azure/azure-cli azure-cli-core azure/cli/core/auth/util.py aad_error_handler: the AADSTS description, then the
  // command to run; the AADSTS50076 wording from learn.microsoft.com/entra/identity-platform/reference-error-codes.
  const mfa = (options.mfaTenants ?? [])
    .map(
      (t) =>
        `      ${shQuote(t)})
        echo "ERROR: AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '797f4846-ba00-4fd7-ba43-dac1f8f63013'. Trace ID: 0f1e2d3c-0000-4000-8000-000000000001 Correlation ID: 0f1e2d3c-0000-4000-8000-000000000002 Timestamp: 2026-11-01 12:00:00Z" >&2
        echo "Run the command below to authenticate interactively; additional arguments may be added as needed:" >&2
        echo "az logout" >&2
        echo "az login --tenant \\"$a\\" --scope \\"https://management.core.windows.net//.default\\"" >&2
        exit 1 ;;\n`,
    )
    .join('');
  const script = `if [ ${options.loggedIn === false ? 1 : 0} = 1 ]; then
  echo "ERROR: Please run 'az login' to setup account." >&2
  exit 1
fi
TENANT=${shQuote(options.tenantId)}
TOKEN=${shQuote(options.token)}
prev=""
for a in "$@"; do
  if [ "$prev" = "--tenant" ]; then
    case "$a" in
      "$TENANT") ;;
${otherTenants}${mfa}      *)
        echo "ERROR: AADSTS90002: Tenant '$a' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud." >&2
        exit 1 ;;
    esac
  fi
  prev="$a"
done
if [ "$1 $2" = "account get-access-token" ]; then
  now=$(date +%s)
  exp=$((now + 3599))
  local_time=$(date -d "@$exp" '+%Y-%m-%d %H:%M:%S.000000' 2>/dev/null || date -r "$exp" '+%Y-%m-%d %H:%M:%S.000000')
  printf '{\\n  "accessToken": "%s",\\n  "expiresOn": "%s",\\n  "expires_on": %s,\\n  "subscription": "%s",\\n  "tenant": "%s",\\n  "tokenType": "Bearer"\\n}\\n' "$TOKEN" "$local_time" "$exp" ${shQuote(sub)} "$TENANT"
  exit 0
fi
if [ "$1 $2" = "account show" ]; then
  printf '{"environmentName":"AzureCloud","id":"%s","isDefault":true,"name":"Cloudtop Sim Production","state":"Enabled","tenantId":"%s","user":{"name":"sim@cloudtop.invalid","type":"user"}}\\n' ${shQuote(sub)} "$TENANT"
  exit 0
fi
echo "ERROR: '$1' is misspelled or not recognized by the system." >&2
exit 2
`;
  return { ...writeFakeCli(dir, 'az', 'test/sim/azure-login.ts', script) };
}
