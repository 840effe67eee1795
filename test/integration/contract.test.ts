// Every cloud passes the provider contract suite (test/support/providerContract.ts) against its own simulator, with
// its own words in the messages and the faults only it has.
import { azureCloud, type AzureState } from '../sim/azure';
import { gcpCloud, RETRY_DELAY_SECONDS, type GcpState } from '../sim/gcp';
import { cloudflareCloud, type CloudflareState } from '../sim/cloudflare';
import { neonCloud, type NeonState } from '../sim/neon';
import { ociCloud } from '../sim/oci';
import { RUNPOD_DEFAULT_RETRY_AFTER_SEC, runpodCloud } from '../sim/runpod';
import { vastCloud } from '../sim/vastai';
import { addFault, providerContract, type ContractHarness } from '../support/providerContract';

const BACKOFF = [1000, 2000, 4000];

providerContract({
  cloud: 'vastai',
  sim: () => vastCloud({ count: 6, offers: 4 }),
  route: 'GET /api/v1/instances',
  notFound: 'ok',
  secondary: { oneListing: 'Vast.ai lists its instances in one listing (the v1 list, or the legacy v0 one)' },
  messages: {
    '401': /Vast\.ai rejected the API key \(401\).*Invalid user key/,
    '403': /\(403\)/,
    '429-persists': /API requests too frequent/,
  },
  extra: [
    {
      name: '429 as JSON without Retry-After that persists: rate-limit, its detail shown',
      arrange: addFault({ status: 429, body: { detail: 'API requests too frequent endpoint threshold=1.0' }, times: Infinity }),
      expect: { category: 'rate-limit', attempts: 4, sleeps: BACKOFF, message: /threshold=1\.0/ },
    },
    // Vast.ai answers a bad key on the offer search with 404 "Invalid user key": auth, so tried once.
    {
      name: 'the offer search’s 404 "Invalid user key": auth, tried once; the instances still show',
      arrange: addFault({ status: 404, body: { error: 'auth_error', msg: 'Invalid user key' }, times: Infinity }, 'POST /api/v0/bundles'),
      expect: {
        warning: 'offers',
        category: 'auth',
        message: /rejected the API key \(404\).*Invalid user key/,
        route: 'POST /api/v0/bundles',
        attempts: 2,
        sleeps: [],
      },
    },
  ],
});

providerContract({
  cloud: 'runpod',
  sim: () => runpodCloud({ count: 6, endpoints: 1, networkVolumes: 1 }),
  route: 'GET /pods',
  // The account: a key whose /network-volumes answers 404 showed no pods at all.
  secondary: {
    route: 'GET /network-volumes',
    status: 404,
    listing: 'Network volumes',
    category: 'not-found',
    message: /^Network volumes not listed: .*\(404\).* The 1 shown are from the last refresh\.$/,
    lists: (r) => r.service === 'Network Volumes',
  },
  ownRetryAfterMs: RUNPOD_DEFAULT_RETRY_AFTER_SEC * 1000,
  messages: {
    '401': /^RunPod rejected the API key \(401\)\. .*RunPod said: "invalid bearer/,
    '403': /403.*"access denied"/,
    '404': /404.*"resource not found"/,
  },
  extra: [
    {
      name: 'a REST v1 bare array (the endpoint setting names the wrong API): config, never retried',
      arrange: addFault({ status: 200, body: [] }),
      expect: { category: 'config', attempts: 1, sleeps: [], message: /REST v1.*cloudtop\.runpod\.endpoint/ },
    },
  ],
});

const CF = {
  kv: 'GET /accounts/:account_id/storage/kv/namespaces',
  scripts: 'GET /accounts/:account_id/workers/scripts',
  r2: 'GET /accounts/:account_id/r2/buckets',
  graphql: 'POST /graphql',
} as const;
const cfEnvelope = (code: number, message: string, chain?: unknown[]) => ({
  success: false,
  errors: [{ code, message, ...(chain ? { error_chain: chain } : {}) }],
  messages: [],
  result: null,
});
const gqlErrors = (message: string) => ({
  data: null,
  errors: [{ message, path: ['viewer', 'accounts', '0', 'workersInvocationsAdaptive'], extensions: { timestamp: '2026-11-01T12:00:00Z' } }],
});
/** GraphQL asked once: the Workers' metrics, without R2's bucket sizes beside them. */
const graphql = (fault: Parameters<typeof addFault>[0]) => (h: ContractHarness) => {
  h.sim.state<CloudflareState>('cloudflare').buckets = [];
  h.sim.faults.add('cloudflare', CF.graphql, fault);
};

providerContract({
  cloud: 'cloudflare',
  // Workers are the primary listing; KV is one of the others (R2, D1, KV, Workers AI).
  secondary: {
    route: CF.kv,
    status: 404,
    listing: 'KV namespaces',
    category: 'not-found',
    message: /^KV namespaces not listed: .*\(404\).* The \d+ shown are from the last refresh\.$/,
    lists: (r) => r.service === 'KV',
  },
  sim: () => cloudflareCloud({ count: 3 }),
  // The primary listing: a refresh lists the Workers scripts once (no paging); D1, KV and R2 failing are warnings.
  route: CF.scripts,
  ownRetryAfterMs: 300_000,
  messages: {
    '401': /^Cloudflare rejected the API token \(401\)\. .*Cloudflare said: "Authentication error"$/,
    '403': /lacks permission \(403\).*"Authentication error"/,
    '429-own': /rate limiting requests \(429\); try again in 5 min\. .*More than 1200 requests per 300 seconds/,
  },
  extra: [
    {
      name: '200 with success:false and code 10000: auth, never retried',
      arrange: addFault({ status: 200, body: cfEnvelope(10000, 'Authentication error') }),
      expect: { category: 'auth', attempts: 1, sleeps: [], message: /rejected the API token \(10000\).*"Authentication error"/ },
    },
    {
      name: '200 with success:false and an unknown code on KV: an unknown warning, its error chain shown, the rest listed',
      arrange: addFault({ status: 200, body: cfEnvelope(1234, 'Something odd', [{ code: 1, message: 'deeper' }]) }, CF.kv),
      expect: {
        warning: 'resources',
        category: 'unknown',
        route: CF.kv,
        attempts: 1,
        sleeps: [],
        message: /\(1234\).*"Something odd: deeper"/,
      },
    },
    {
      name: '200 with success:false and the rate-limit code 971: backs off, then ok',
      arrange: addFault({ status: 200, body: cfEnvelope(971, 'Please wait') }, CF.kv),
      expect: { ok: true, route: CF.kv, attempts: 2, sleeps: [1000] },
    },
    {
      name: '502 HTML page once: retried, then ok',
      arrange: addFault(
        { status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body>Bad gateway</body></html>' },
        CF.scripts,
      ),
      expect: { ok: true, route: CF.scripts, attempts: 2, sleeps: [1000] },
    },
    // Each jurisdiction the token may read once (refused ones are skipped for an hour), plus the retry.
    {
      name: 'malformed JSON on one R2 jurisdiction once: that call retried',
      arrange: addFault({ kind: 'malformed' }, CF.r2),
      expect: {
        ok: true,
        route: CF.r2,
        attempts: (h) => h.sim.state<CloudflareState>('cloudflare').r2Jurisdictions.length + 1,
        sleeps: [1000],
      },
    },
    {
      name: 'GraphQL 200 "not authorized for that account": the resources show, metrics under a permission warning',
      arrange: graphql({ status: 200, body: gqlErrors('not authorized for that account') }),
      expect: {
        warning: 'metrics',
        category: 'permission',
        route: CF.graphql,
        attempts: 1,
        sleeps: [],
        message: /lacks permission for POST \/graphql.*"not authorized for that account"/,
      },
    },
    {
      name: 'GraphQL 200 "rate limiter budget depleted": a rate-limit warning saying when',
      arrange: graphql({ status: 200, body: gqlErrors('rate limiter budget depleted, try again after 5 minutes') }),
      expect: { warning: 'metrics', category: 'rate-limit', route: CF.graphql, attempts: 1, sleeps: [], message: /try again in 5 min/ },
    },
    {
      name: 'GraphQL 200 "too many queries in progress": backs off, then ok',
      arrange: graphql({ status: 200, body: gqlErrors('too many queries in progress, please try again later') }),
      expect: { ok: true, listingChanged: true, route: CF.graphql, attempts: 2, sleeps: [1000] },
    },
    {
      name: 'GraphQL 200 "unknown field": a config warning, never retried',
      arrange: graphql({ status: 200, body: gqlErrors('unknown field "cpuTimeP42"') }),
      expect: {
        warning: 'metrics',
        category: 'config',
        route: CF.graphql,
        attempts: 1,
        sleeps: [],
        message: /rejected the request as invalid for POST \/graphql/,
      },
    },
    {
      name: 'GraphQL 401 "Unauthorized": auth',
      arrange: graphql({ status: 401 }),
      expect: { category: 'auth', route: CF.graphql, attempts: 1, sleeps: [], message: /"Unauthorized"/ },
    },
    {
      name: 'GraphQL 503 once: retried, then ok',
      arrange: graphql({ status: 503 }),
      expect: { ok: true, listingChanged: true, route: CF.graphql, attempts: 2, sleeps: [1000] },
    },
  ],
  scopes: {
    sim: () => cloudflareCloud({ count: 3, accounts: 2 }),
    failScope: (h, index) => {
      const account = h.sim.state<CloudflareState>('cloudflare').accounts[index].id;
      h.sim.faults.add('cloudflare', `GET /accounts/${account}/workers/scripts`, { status: 403, times: Infinity });
      return account;
    },
  },
});

providerContract({
  cloud: 'neon',
  secondary: {
    sim: () => neonCloud({ count: 3, shared: 2 }),
    route: 'GET /projects/shared',
    status: 500,
    listing: 'Projects shared with you',
    category: 'network',
    message: /^Projects shared with you not listed: .*server error \(500\).* The 2 shown are from the last refresh\.$/,
    lists: (r) => r.details?.shared === true,
  },
  sim: () => neonCloud({ count: 3, shared: 0 }),
  route: 'GET /projects',
  messages: {
    '401': /^Neon rejected the API key \(401\)\. .*Neon said: "authentication required"/,
    '403': /403.*"permission denied"/,
    '404': /404.*Neon said: "not found"/,
    '429-persists': /rate limiting requests \(429\).*"too many requests"/,
    '500': /server error \(500\).*"internal server error"/,
  },
  extra: [
    // Neon documents 423 Locked (busy with another operation) as safe to retry.
    { name: '423 Locked once: retried, then ok', arrange: addFault({ status: 423 }), expect: { ok: true, attempts: 2, sleeps: [1000] } },
    {
      name: '500 on one project’s endpoints once: that call retried, the list not',
      arrange: addFault({ status: 500 }, 'GET /projects/:id/endpoints'),
      expect: { ok: true, attempts: 1, sleeps: [1000] },
    },
  ],
  scopes: {
    sim: () => neonCloud({ count: 6, orgs: 2, shared: 0 }),
    failScope: (h, index) => {
      const org = h.sim.state<NeonState>('neon').orgs[index].id;
      // Neon scopes by query: the organization's own project list is refused.
      h.sim.faults.add('neon', { method: 'GET', path: '/projects', query: { org_id: org } }, { status: 403, times: Infinity });
      return org;
    },
  },
});

// Oracle Cloud through the real OCI SDK (every request signed and verified): the tenancy alone, so the instance list is
// one call per refresh. OCI's 404 is NotAuthorizedOrNotFound (a missing policy); its 429 carries a Retry-After the SDK's
// OciError does not expose: the transport reads it.
providerContract({
  cloud: 'oci',
  // Per compartment: the instances (primary), OKE clusters and Autonomous Databases; the OKE list fails in each.
  secondary: {
    sim: () => ociCloud({ count: 6, compartments: 1 }),
    route: 'GET /20180222/clusters',
    status: 500,
    listing: 'OKE clusters',
    category: 'network',
    message: /^Compartment \S+: OKE clusters not listed: .*\(500\).* The \d+ shown are from the last refresh\.$/,
    lists: (r) => r.service === 'Kubernetes (OKE)',
  },
  sim: () => ociCloud({ count: 6, compartments: 0 }),
  route: 'GET /20160918/instances',
  notFound: 'permission',
  messages: {
    '401': /^Oracle Cloud rejected the API signing key \(401\)\. .*Oracle Cloud said: "The required information to complete authentication/,
    '404': /lacks permission \(404\).*missing IAM policy/,
  },
});

// Azure through the real SDK clients over HTTPS: one subscription, one page. A 401 or 403 is ARM's answer to the token
// (issued for a secret since revoked, or for a principal without a role), never retried; a refused subscription
// answers AuthorizationFailed on every call.
providerContract({
  cloud: 'azure',
  secondary: {
    route: 'GET /subscriptions/:sub/providers/Microsoft.Web/sites',
    status: 500,
    listing: 'Function apps',
    category: 'network',
    message: /^Function apps not listed: .*\(500\).* The \d+ shown are from the last refresh\.$/,
    lists: (r) => r.service === 'Functions',
  },
  sim: () => azureCloud({ subscriptions: 1, count: 6, pageSize: 50 }),
  route: 'GET /subscriptions/:sub/providers/Microsoft.Compute/virtualMachines',
  // ARM's 429 carries a Retry-After (the sim's: 1 s).
  ownRetryAfterMs: 1000,
  messages: {
    '401': /^Azure rejected the credentials \(401\)\. Sign in again \(az login\).*Azure said: "The access token is invalid\."/,
    '403': /lack permission \(403\).*Reader.*does not have authorization/,
  },
  scopes: {
    sim: () => azureCloud({ subscriptions: 2, count: 3, pageSize: 50 }),
    failScope: (h, index) => {
      const state = h.sim.state<AzureState>('azure');
      const sub = state.subscriptions[index].subscriptionId;
      state.refusedSubscriptions.push(sub);
      return sub;
    },
  },
});

// Google Cloud through google-auth-library and Cloudtop's transport: the key's own project, instances in one
// aggregated page. A 401 is Google's answer to a token for a key since deleted (the token endpoint then refuses the
// key's grant); its 429 is RESOURCE_EXHAUSTED with RetryInfo and a Retry-After of 30 s.
providerContract({
  cloud: 'gcp',
  secondary: {
    route: 'GET /v1/projects/:project/locations/:location/clusters',
    status: 404,
    listing: 'GKE clusters',
    category: 'not-found',
    message: /^GKE clusters not listed: .*\(404\).* The \d+ shown are from the last refresh\.$/,
    lists: (r) => r.service === 'Kubernetes Engine',
  },
  sim: () => gcpCloud({ projects: 1, pageSize: 500 }),
  route: 'GET /compute/v1/projects/:project/aggregated/instances',
  ownRetryAfterMs: RETRY_DELAY_SECONDS * 1000,
  messages: {
    '401':
      /^Google Cloud: service account \S+ was refused at its token endpoint \(HTTP 400: invalid_grant: Invalid JWT Signature\.\)\. Create a new key/,
    '403': /lack permission \(403\).*IAM roles.*Google Cloud said: "The caller does not have permission"/,
  },
  scopes: {
    sim: () => gcpCloud({ projects: 3, pageSize: 500 }),
    // Every project the key can list (cloudtop.gcp.projects: ["all"]); by default it reads its own alone.
    config: (cloud) => (cloud === 'gcp' ? { scopes: ['all'] } : undefined),
    failScope: (h, index) => {
      const state = h.sim.state<GcpState>('gcp');
      const project = state.projects[index].projectId;
      state.refusedProjects.push(project);
      return project;
    },
  },
});
