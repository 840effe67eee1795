// The transport with a fake network (a plain fetch function) and the collector's retry as its ApiCall: what each
// request's attempts are, and the SDK adapters and retry switches on plain objects (no SDK installed).
import assert from 'node:assert/strict';
import { CloudtopError, RESPONSE_TOO_LARGE } from '../../src/core/errors/errors';
import type { ApiCall } from '../../src/core/transport/api-call';
import { withRetry } from '../../src/core/transport/retry';
import { createTransport, type FetchLike, type TransportPolicy } from '../../src/core/transport/transport';
import { azureClientOptions, pipelineHttpClient } from '../../src/providers/azure/sdk-http';
import { gaxCallOptions } from '../../src/providers/gcp/sdk-options';
import { ociClientConfiguration } from '../../src/providers/oci/sdk-config';

const ORIGIN = 'https://api.example.test';

function network(...answers: Array<() => Response>) {
  const seen: string[] = [];
  const fetch: FetchLike = (input) => {
    seen.push(input instanceof Request ? input.url : input.toString());
    const next = answers[Math.min(seen.length, answers.length) - 1];
    return Promise.resolve(next());
  };
  return { fetch, seen };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function transport(fetch: FetchLike, extra: Partial<TransportPolicy> = {}) {
  const waits: number[] = [];
  const call: ApiCall = (_op, fn, signal) =>
    withRetry(() => fn(signal ?? new AbortController().signal), {
      cloud: 'azure',
      hook: extra.hook,
      sleep: (ms) => (waits.push(ms), Promise.resolve()),
    });
  return { waits, t: createTransport({ cloud: 'azure', origins: [ORIGIN], call, fetch, ...extra }) };
}

describe('transport', () => {
  it('retries a request that failed, alone, honouring retry-after-ms, and hands the SDK the good answer', async () => {
    const net = network(json(429, { error: { code: 'TooManyRequests' } }, { 'retry-after-ms': '1500' }), json(200, { value: [1] }));
    const { t, waits } = transport(net.fetch);
    const response = await t.fetch(`${ORIGIN}/subscriptions?page=3`);
    assert.deepEqual(await response.json(), { value: [1] });
    assert.equal(net.seen.length, 2, 'the one request twice');
    assert.deepEqual(waits, [1500]);
  });

  it("lets the cloud's hook decide: a 400 it calls a throttle is retried, a 404 it calls permission is not", async () => {
    const hook = {
      classify: ({ status }: { status?: number }) =>
        status === 400 ? { category: 'rate-limit' as const } : status === 404 ? { category: 'permission' as const } : undefined,
    };
    const throttled = network(json(400, {}), json(200, {}));
    await transport(throttled.fetch, { hook }).t.fetch(`${ORIGIN}/a`);
    assert.equal(throttled.seen.length, 2);
    const denied = network(json(404, { message: 'NotAuthorizedOrNotFound' }));
    const { t } = transport(denied.fetch, { hook });
    await assert.rejects(
      t.run('ListInstances', () => t.fetch(`${ORIGIN}/b`)),
      (e: unknown) => e instanceof CloudtopError && e.category === 'permission' && e.operation === 'ListInstances',
    );
    assert.equal(denied.seen.length, 1, 'never retried');
  });

  it('refuses another origin before any request, caps the body, and retries a malformed JSON answer', async () => {
    const net = network(json(200, {}));
    const { t } = transport(net.fetch, { maxBytes: 10, expectJson: true });
    await assert.rejects(t.fetch('https://evil.example/x'), (e: unknown) => e instanceof CloudtopError && e.category === 'config');
    assert.equal(net.seen.length, 0);
    const big = network(json(200, { much: 'x'.repeat(100) }));
    await assert.rejects(
      transport(big.fetch, { maxBytes: 10 }).t.fetch(`${ORIGIN}/big`),
      (e: unknown) => e instanceof CloudtopError && e.code === RESPONSE_TOO_LARGE,
    );
    assert.equal(big.seen.length, 1, 'too large is not retried');
    const broken = network(() => new Response('{"value": [', { status: 200 }), json(200, { ok: true }));
    await transport(broken.fetch, { expectJson: true }).t.fetch(`${ORIGIN}/c`);
    assert.equal(broken.seen.length, 2, 'malformed JSON is retried');
  });

  it('refuses a redirect to another origin in so many words (config), never follows or retries it', async () => {
    const net = network(() => new Response(null, { status: 307, headers: { location: 'https://evil.example/steal?x=1' } }));
    const { t, waits } = transport(net.fetch);
    await assert.rejects(
      t.fetch(`${ORIGIN}/oauth2/token`, { method: 'POST', body: 'grant_type=client_credentials' }),
      (e: unknown) =>
        e instanceof CloudtopError &&
        e.category === 'config' &&
        e.code === 'REDIRECT_REFUSED' &&
        /redirect to https:\/\/evil\.example/.test(e.message),
    );
    assert.deepEqual(net.seen, [`${ORIGIN}/oauth2/token`], 'one request, none to the other origin');
    assert.deepEqual(waits, [], 'not retried');
  });

  it("run() gives back the transport's error in place of the SDK's wrapper around it", async () => {
    const { t } = transport(network(json(403, { error: { code: 'AuthorizationFailed', message: 'no' } })).fetch);
    const sdkCall = () => t.fetch(`${ORIGIN}/x`).catch(() => Promise.reject(new Error('Pagination failed with unexpected statusCode 403')));
    await assert.rejects(
      t.run('list VMs', sdkCall),
      (e: unknown) => e instanceof CloudtopError && e.status === 403 && e.operation === 'list VMs',
    );
  });
});

describe('SDK adapters and retry switches (plain objects)', () => {
  it("Azure: the transport as core-rest-pipeline's HttpClient, its retry off", async () => {
    const net = network(json(200, { value: [] }, { 'x-ms-request-id': 'r1' }));
    const { t } = transport(net.fetch);
    const request = { url: `${ORIGIN}/subscriptions`, method: 'GET', headers: { toJSON: () => ({ authorization: 'Bearer x' }) } };
    const response = await pipelineHttpClient(t).sendRequest(request);
    assert.equal(response.request, request);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-ms-request-id'), 'r1');
    assert.equal(response.bodyAsText, '{"value":[]}');
    const options = azureClientOptions(t, { retryOptions: { retryDelayInMs: 5 }, userAgentOptions: { userAgentPrefix: 'cloudtop' } });
    assert.deepEqual(options.retryOptions, { retryDelayInMs: 5, maxRetries: 0 });
    assert.equal(typeof options.httpClient.sendRequest, 'function');
    assert.deepEqual(options.userAgentOptions, { userAgentPrefix: 'cloudtop' });
  });

  it('OCI: no retry configuration and a disabled circuit breaker, from oci-common passed in', () => {
    class CircuitBreaker {
      constructor(readonly config: { disableClientCircuitBreaker: boolean }) {}
    }
    const noRetry = { terminationStrategy: 'max-attempts-1' };
    const config = ociClientConfiguration({ NoRetryConfigurationDetails: noRetry, CircuitBreaker });
    assert.equal(config.retryConfiguration, noRetry);
    assert.deepEqual(config.circuitBreaker.config, { disableClientCircuitBreaker: true });
  });

  it('Google: gax one attempt keeping the real code', () => {
    assert.deepEqual(gaxCallOptions({ timeout: 5000 }), { timeout: 5000, retry: { retryCodes: [] } });
  });
});
