// The catalogue of clouds the front ends hand to the registry. Each entry is static metadata plus a lazy
// `load`: the provider module — and with it the cloud's SDK — is imported only when that cloud is enabled
// and configured. In the bundles each `import('./<cloud>/provider')` is a require of the cloud's own bundle,
// dist/providers/<cloud>.js (esbuild.mjs), so nobody parses an SDK they do not use; keep the import in that
// form. Credential-file readers are tiny and SDK-free, so they are imported eagerly.
import type { Catalogue } from '../core/engine/registry';
import { azureCredentialFields, readAzureCliLogin } from './azure/credentials';
import { DEFAULT_AZURE_ENDPOINT } from './azure/hosts';
import { azureErrors } from './azure/errors';
import { azureActions } from './azure/actions';
import { readWranglerToken } from './cloudflare/credentials';
import { gcloudAccount, gcpCredentialFields, readGcloudCredentials } from './gcp/credentials';
import { DEFAULT_GCP_ENDPOINT } from './gcp/hosts';
import { gcpErrors } from './gcp/errors';
import { readNeonctlKey } from './neon/credentials';
import { ociCredentialFields, readOciCliConfig } from './oci/credentials';
import { DEFAULT_OCI_ENDPOINT } from './oci/hosts';
import { ociErrors } from './oci/errors';
import { readRunpodCliKey } from './runpod/credentials';
import { runpodActions } from './runpod/actions';
import { vastActions } from './vastai/actions';
import { neonActions } from './neon/actions';
import { gcpActions } from './gcp/actions';
import { ociActions } from './oci/actions';
import { readVastCliKey } from './vastai/credentials';
import { vastErrors } from './vastai/errors';

// Budgets are the windows each cloud documents (each entry names its source): a request waits until every window
// has room, and no span of a window's length ever holds more than its limit (rate-budget.ts).
const SECOND = 1000;
const MINUTE = 60_000;
/** Neon meters 40 a second per route, within the account's 700 a minute. */
const NEON_ROUTE = { windows: [{ limit: 40, perMs: SECOND }], withinCloudBudget: true };
const neonRoute = (operation: string, name: string) => ({ name, operation, rateLimit: NEON_ROUTE });

export const catalogue: Catalogue = {
  cloudflare: {
    cloud: 'cloudflare',
    displayName: 'Cloudflare',
    endpoint: 'https://api.cloudflare.com/client/v4',
    credentialFields: [
      {
        key: 'apiToken',
        label: 'API token',
        secret: true,
        env: ['CLOUDFLARE_API_TOKEN'],
        placeholder: 'Cloudflare API token (Account: Read, Workers, R2, D1, KV, Analytics)',
      },
      {
        key: 'accountId',
        label: 'Account ID (empty: the first account the token can read)',
        secret: false,
        optional: true,
        env: ['CLOUDFLARE_ACCOUNT_ID'],
      },
    ],
    // 1,200 requests per 5 minutes per user or token, and 200 a second per IP
    // (https://developers.cloudflare.com/fundamentals/api/reference/limits/).
    rateLimit: {
      windows: [
        { limit: 1200, perMs: 5 * MINUTE },
        { limit: 200, perMs: SECOND },
      ],
    },
    readDefaultCredentials: readWranglerToken,
    load: () => import('./cloudflare/provider').then((m) => m.createCloudflareProvider),
  },
  neon: {
    cloud: 'neon',
    displayName: 'Neon',
    endpoint: 'https://console.neon.tech/api/v2',
    credentialFields: [{ key: 'apiKey', label: 'API key', secret: true, env: ['NEON_API_KEY'], placeholder: 'Neon API key' }],
    // 700 requests per minute per account, bursts up to 40 a second per route: each route Cloudtop calls has its 40/s
    // within the account's 700/min (the most specific operation first: they match by prefix). Source:
    // neondatabase/website content/docs/reference/api-reference.md ("API rate limiting").
    rateLimit: { windows: [{ limit: 700, perMs: MINUTE }] },
    endpointLimits: [
      neonRoute('GET /projects/{id}/branches', 'branches'),
      neonRoute('GET /projects/{id}/endpoints', 'endpoints'),
      neonRoute('GET /projects/shared', 'shared'),
      neonRoute('GET /projects', 'projects'),
      neonRoute('GET /users/me/organizations', 'organizations'),
      neonRoute('GET /consumption_history', 'consumption'),
    ],
    readDefaultCredentials: readNeonctlKey,
    actions: neonActions,
    load: () => import('./neon/provider').then((m) => m.createNeonProvider),
  },
  oci: {
    cloud: 'oci',
    displayName: 'Oracle Cloud',
    // OCI has a host per service and region (the SDK derives it); this stands for "no override" (oci/hosts.ts).
    endpoint: DEFAULT_OCI_ENDPOINT,
    credentialFields: ociCredentialFields,
    // OCI publishes no numbers, only that it answers 429 TooManyRequests per tenancy and API; Cloudtop's default budget
    // (4 requests a second, bursts of 10) keeps a refresh of a large tenancy — three lists per compartment and region —
    // well inside what the console itself makes.
    errors: ociErrors,
    readDefaultCredentials: readOciCliConfig,
    actions: ociActions,
    // Oracle's price list (apexapps.oracle.com cetools) and Cost Estimator data need no key.
    publicOffers: true,
    load: () => import('./oci/provider').then((m) => m.createOciProvider),
  },
  azure: {
    cloud: 'azure',
    displayName: 'Azure',
    endpoint: DEFAULT_AZURE_ENDPOINT,
    credentialFields: azureCredentialFields,
    // Resource Manager throttles reads per subscription (and region) with a token bucket of 250 refilled at 25 a second
    // (learn.microsoft.com "Understand how Azure Resource Manager throttles requests"): 250 in any 10 seconds, metered
    // per subscription. A 429's Retry-After is honoured by the retry; when an answer's x-ms-ratelimit-remaining-* header says less than a
    // second's refill is left, that subscription's next requests wait (azure/pacing.ts).
    rateLimit: { windows: [{ limit: 250, perMs: 10 * SECOND }] },
    rateLimitPerScope: true,
    errors: azureErrors,
    readDefaultCredentials: readAzureCliLogin,
    actions: azureActions,
    // The Retail Prices API (prices.azure.com) is unauthenticated: learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices.
    // Vast.ai's offer search and RunPod's GPU catalogue are not public: both document that every request needs an API
    // key (docs.vast.ai/api "All endpoints require Authorization: Bearer"; docs.runpod.io/api-reference-v2 "All requests
    // require a Runpod API key"), so they join the comparison once connected.
    publicOffers: true,
    load: () => import('./azure/provider').then((m) => m.createAzureProvider),
  },
  gcp: {
    cloud: 'gcp',
    displayName: 'Google Cloud',
    // One host per service (gcp/hosts.ts); this stands for "no override".
    endpoint: DEFAULT_GCP_ENDPOINT,
    credentialFields: gcpCredentialFields,
    // Google meters quota per project and API, per minute: Compute Engine's reads 1,500 a minute per project
    // (https://cloud.google.com/compute/api-quota, ReadRequestsPerMinutePerProject and ListRequestsPerMinutePerProject),
    // Cloud Monitoring's time-series reads 6,000 a minute (https://cloud.google.com/monitoring/quotas), and a 429
    // RESOURCE_EXHAUSTED carries a RetryInfo delay, which the retry honours. The budget is the tightest of those
    // windows, so a refresh (a few dozen requests) never waits for Cloudtop itself; a pace of its own per second
    // made most of an uncached refresh a wait on Cloudtop's limiter rather than on Google.
    rateLimit: { windows: [{ limit: 1_500, perMs: MINUTE }] },
    rateLimitPerScope: true,
    errors: gcpErrors,
    actions: gcpActions,
    readDefaultCredentials: readGcloudCredentials,
    describeLogin: async (env) => {
      const account = await gcloudAccount(env).catch(() => undefined);
      return account ? `gcloud is signed in as ${account}` : undefined;
    },
    load: () => import('./gcp/provider').then((m) => m.createGcpProvider),
  },
  vastai: {
    cloud: 'vastai',
    displayName: 'Vast.ai',
    endpoint: 'https://console.vast.ai',
    credentialFields: [{ key: 'apiKey', label: 'API key', secret: true, env: ['VAST_API_KEY'], placeholder: 'Vast.ai API key' }],
    // Vast.ai enforces a minimum interval per endpoint (threshold 1.0 s on the instance list), and 10 offer searches
    // a minute, each endpoint apart; give a large account (25 instances a page) time to list. Source: vast-ai/docs
    // api-reference/rate-limits-and-errors.mdx and the `x-rate-limit` of api-reference/openapi/yaml/show_instances.yaml,
    // search_offers.yaml.
    rateLimit: { windows: [{ limit: 1, perMs: SECOND }] },
    endpointLimits: [{ name: 'bundles', operation: 'POST /api/v0/bundles', rateLimit: { windows: [{ limit: 10, perMs: MINUTE }] } }],
    // A refresh makes two searches; the offers part's own age (15 minutes) means no refresh ever waits for that budget.
    minDeadlineMs: 90_000,
    errors: vastErrors,
    readDefaultCredentials: readVastCliKey,
    actions: vastActions,
    load: () => import('./vastai/provider').then((m) => m.createVastProvider),
  },
  runpod: {
    cloud: 'runpod',
    displayName: 'RunPod',
    endpoint: 'https://api.runpod.io/v2',
    credentialFields: [{ key: 'apiKey', label: 'API key', secret: true, env: ['RUNPOD_API_KEY'], placeholder: 'RunPod API key' }],
    // REST v2 meters minute, hour and day windows (the spec's example quotas: 60, 3,000, 50,000; the real ones are
    // unpublished; runpod/docs api-reference-v2/openapi.json); a refresh takes four calls.
    rateLimit: {
      windows: [
        { limit: 60, perMs: MINUTE },
        { limit: 3000, perMs: 60 * MINUTE },
        { limit: 50_000, perMs: 24 * 60 * MINUTE },
      ],
    },
    readDefaultCredentials: readRunpodCliKey,
    actions: runpodActions,
    load: () => import('./runpod/provider').then((m) => m.createRunpodProvider),
  },
};
