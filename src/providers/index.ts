// The catalogue of clouds the front ends hand to the registry. Each entry is static metadata plus a lazy
// `load`: the provider module — and with it the cloud's SDK — is imported only when that cloud is enabled
// and configured. In the bundles each `import('./<cloud>/provider')` is a require of the cloud's own bundle,
// dist/providers/<cloud>.js (esbuild.mjs), so nobody parses an SDK they do not use; keep the import in that
// form. Credential-file readers are tiny and SDK-free, so they are imported eagerly.
import type { Catalogue } from '../core/registry';
import { readWranglerToken } from './cloudflare/credentials';
import { readNeonctlKey } from './neon/credentials';
import { readRunpodCliKey } from './runpod/credentials';
import { readVastCliKey } from './vastai/credentials';
import { vastErrors } from './vastai/errors';

// Vast.ai's offer search allows 10 calls a minute: at most 2 at once (one refresh: on-demand and bid) and 8 a
// minute after, so no 60 s window holds more than 10 however often the user refreshes.
const VAST_OFFER_SEARCHES = { perSecond: 8 / 60, burst: 2 };

export const catalogue: Catalogue = {
  cloudflare: {
    cloud: 'cloudflare',
    displayName: 'Cloudflare',
    endpoint: 'https://api.cloudflare.com/client/v4',
    credentialFields: [
      { key: 'apiToken', label: 'API token', secret: true, env: ['CLOUDFLARE_API_TOKEN'], placeholder: 'Cloudflare API token (Account: Read, Workers, R2, D1, KV, Analytics)' },
      { key: 'accountId', label: 'Account ID (empty: the first account the token can read)', secret: false, optional: true, env: ['CLOUDFLARE_ACCOUNT_ID'] },
    ],
    // 1,200 requests per 5 minutes per account: 4/s sustained, with a small burst.
    rateLimit: { perSecond: 4, burst: 10 },
    readDefaultCredentials: readWranglerToken,
    load: () => import('./cloudflare/provider').then((m) => m.createCloudflareProvider),
  },
  neon: {
    cloud: 'neon',
    displayName: 'Neon',
    endpoint: 'https://console.neon.tech/api/v2',
    credentialFields: [{ key: 'apiKey', label: 'API key', secret: true, env: ['NEON_API_KEY'], placeholder: 'Neon API key' }],
    // 700 requests per minute per account (~11/s), bursts up to 40/s per route.
    rateLimit: { perSecond: 10, burst: 20 },
    readDefaultCredentials: readNeonctlKey,
    load: () => import('./neon/provider').then((m) => m.createNeonProvider),
  },
  vastai: {
    cloud: 'vastai',
    displayName: 'Vast.ai',
    endpoint: 'https://console.vast.ai',
    credentialFields: [{ key: 'apiKey', label: 'API key', secret: true, env: ['VAST_API_KEY'], placeholder: 'Vast.ai API key' }],
    // Vast.ai enforces a minimum interval per endpoint (1 s on the instance list): stay just under it, and
    // give a large account (25 instances a page) time to list.
    rateLimit: { perSecond: 0.8, burst: 1 },
    endpointLimits: [{ name: 'bundles', operation: 'POST /api/v0/bundles', rateLimit: VAST_OFFER_SEARCHES }],
    // A refresh's two searches are the whole burst, refilled every 15 s; the offers part's own age (15 minutes, far
    // longer) means no refresh ever waits for that budget.
    minDeadlineMs: 90_000,
    errors: vastErrors,
    readDefaultCredentials: readVastCliKey,
    load: () => import('./vastai/provider').then((m) => m.createVastProvider),
  },
  runpod: {
    cloud: 'runpod',
    displayName: 'RunPod',
    endpoint: 'https://api.runpod.io/v2',
    credentialFields: [{ key: 'apiKey', label: 'API key', secret: true, env: ['RUNPOD_API_KEY'], placeholder: 'RunPod API key' }],
    // REST v2 quotas are per minute (the spec's example: 60); a refresh takes four calls.
    rateLimit: { perSecond: 1, burst: 5 },
    readDefaultCredentials: readRunpodCliKey,
    load: () => import('./runpod/provider').then((m) => m.createRunpodProvider),
  },
};
