import assert from 'node:assert/strict';
import net from 'node:net';
import { errors as undiciErrors } from 'undici';
import { CloudtopError, MALFORMED_RESPONSE, classify, cleanCloudMessage, isRetryable, toCloudtopError } from '../../src/core/errors/errors';
import type { ErrorCategory } from '../../src/core/model/model';
import { clearSecretsForTests, registerSecret } from '../../src/core/errors/redact';

const withCode = (code: unknown, fields: Record<string, unknown> = {}) => Object.assign(new Error('boom'), { code }, fields);

function expectCategory(cases: ReadonlyArray<readonly [string, unknown, ErrorCategory]>): void {
  for (const [label, error, category] of cases) {
    it(`${label} → ${category}`, () => assert.equal(classify(error), category));
  }
}

describe('classify', () => {
  describe('HTTP status in every field a client library uses', () => {
    expectCategory([
      ['.status 401', { status: 401 }, 'auth'],
      ['.statusCode 403', { statusCode: 403 }, 'permission'],
      ['.response.status 404 (axios, gaxios)', { response: { status: 404 } }, 'not-found'],
      ['.status 408', { status: 408 }, 'network'],
      ['.statusCode 500 (OCI)', { statusCode: 500 }, 'network'],
      ['.status 502', { status: 502 }, 'network'],
      ['.status 400', { status: 400 }, 'config'],
      ['.status 422', { status: 422 }, 'config'],
      ['.status 418', { status: 418 }, 'unknown'],
      ['.status "429" as a string', { status: '429' }, 'rate-limit'],
    ]);
  });

  describe('Node and undici network codes', () => {
    const codes = [
      'ECONNRESET',
      'ECONNREFUSED',
      'ETIMEDOUT',
      'ENOTFOUND',
      'EAI_AGAIN',
      'EPIPE',
      'UND_ERR_SOCKET',
      'UND_ERR_CONNECT_TIMEOUT',
      'UND_ERR_HEADERS_TIMEOUT',
      'UND_ERR_BODY_TIMEOUT',
    ];
    expectCategory(codes.map((code) => [code, withCode(code), 'network'] as const));

    it("undici's own SocketError and HeadersTimeoutError instances → network", () => {
      assert.equal(classify(new undiciErrors.SocketError('other side closed')), 'network');
      assert.equal(classify(new undiciErrors.HeadersTimeoutError()), 'network');
    });

    it('a real refused connection → network', async () => {
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as net.AddressInfo;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const error = await new Promise<unknown>((resolve) => {
        net.connect(port, '127.0.0.1').on('error', resolve);
      });
      assert.equal((error as { code?: string }).code, 'ECONNREFUSED');
      assert.equal(classify(error), 'network');
    });
  });

  describe('abort and timeout', () => {
    it('the reason AbortSignal.timeout() rejects with → network', async () => {
      const signal = AbortSignal.timeout(1);
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      assert.equal((signal.reason as Error).name, 'TimeoutError');
      assert.equal(classify(signal.reason), 'network');
    });

    it('an AbortController reason → network', () => {
      const controller = new AbortController();
      controller.abort();
      assert.equal(classify(controller.signal.reason), 'network');
    });
  });

  describe('cause chains', () => {
    expectCategory([
      ["fetch's TypeError with an ECONNRESET cause", new TypeError('fetch failed', { cause: withCode('ECONNRESET') }), 'network'],
      ['three levels deep', new Error('a', { cause: new Error('b', { cause: { statusCode: 401 } }) }), 'auth'],
      ['AggregateError of refused connects', new AggregateError([withCode('ECONNREFUSED')], 'x'), 'network'],
      ['an outer status wins over the cause', Object.assign(new Error('x', { cause: { status: 401 } }), { status: 404 }), 'not-found'],
    ]);

    it('a cyclic cause chain ends', () => {
      const a: Record<string, unknown> = { message: 'a' };
      a.cause = { message: 'b', cause: a };
      assert.equal(classify(a), 'unknown');
    });
  });

  describe('never from class names', () => {
    class AuthenticationError extends Error {
      override name = 'AuthenticationError';
    }
    class RateLimitError extends Error {}
    class PermissionDeniedError extends Error {}

    it('errors whose only hint is their class or constructor name → unknown', () => {
      assert.equal(classify(new AuthenticationError('no')), 'unknown');
      assert.equal(classify(new RateLimitError('slow down')), 'unknown');
      assert.equal(classify(new PermissionDeniedError('denied')), 'unknown');
    });

    it('the same classes with a status field are classified by the status', () => {
      assert.equal(classify(Object.assign(new RateLimitError('x'), { status: 401 })), 'auth');
    });
  });

  describe('other shapes', () => {
    expectCategory([
      ['a CloudtopError-like category field', { category: 'permission' }, 'permission'],
      ['a category that is not one of ours is ignored', { category: 'banana', status: 404 }, 'not-found'],
      ['malformed JSON code', withCode(MALFORMED_RESPONSE), 'network'],
      ['a bare SyntaxError (could be our own bug)', new SyntaxError('Unexpected token'), 'unknown'],
      ['a string', 'something broke', 'unknown'],
      ['null', null, 'unknown'],
      ['undefined', undefined, 'unknown'],
    ]);
  });
});

describe('isRetryable', () => {
  const table: Record<ErrorCategory, boolean> = {
    network: true,
    'rate-limit': true,
    auth: false,
    permission: false,
    'not-found': false,
    config: false,
    unknown: false,
  };
  for (const [category, retryable] of Object.entries(table)) {
    it(`${category} → ${retryable}`, () => assert.equal(isRetryable(category as ErrorCategory), retryable));
  }
});

describe('toCloudtopError', () => {
  afterEach(() => clearSecretsForTests());

  it('auth: says which key was rejected and how to fix it', () => {
    const error = toCloudtopError({ status: 401 }, 'vastai');
    assert.ok(error instanceof CloudtopError);
    assert.equal(error.category, 'auth');
    assert.equal(error.status, 401);
    assert.equal(error.cloud, 'vastai');
    assert.equal(
      error.message,
      'Vast.ai rejected the API key (401). Set a new key with Cloudtop: Set Credentials… (or `cloudtop login vastai`).',
    );
  });

  it('permission: names the operation and the scopes', () => {
    const error = toCloudtopError({ statusCode: 403, operation: 'GET /pods' }, 'runpod');
    assert.equal(error.message, "RunPod: the API key lacks permission (403) for GET /pods. Check the key's scopes.");
  });

  it('rate-limit: says when to try again', () => {
    const error = toCloudtopError({ status: 429, retryAfterMs: 30_000 }, 'neon');
    assert.equal(error.retryAfterMs, 30_000);
    assert.equal(error.message, 'Neon is rate limiting requests (429); try again in 30 s.');
  });

  it('network: names the code and the endpoint setting', () => {
    const error = toCloudtopError(withCode('ECONNRESET'), 'vastai');
    assert.equal(error.category, 'network');
    assert.equal(error.code, 'ECONNRESET');
    assert.equal(
      error.message,
      'Could not reach Vast.ai (ECONNRESET). Check your connection or the endpoint setting cloudtop.vastai.endpoint.',
    );
  });

  it('network 5xx: a server error, not an unreachable host', () => {
    assert.match(toCloudtopError({ status: 503 }, 'gcp').message, /^Google Cloud answered with a server error \(503\)/);
  });

  it('not-found and config', () => {
    assert.match(toCloudtopError({ status: 404 }, 'azure').message, /^Azure could not find the requested resource \(404\)/);
    assert.match(toCloudtopError({ status: 400 }, 'oci').message, /^Oracle Cloud rejected the request as invalid \(400\)/);
  });

  it('an untrusted TLS certificate is named as such, with the fix for a TLS-inspecting proxy', () => {
    const error = toCloudtopError(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'azure');
    assert.equal(error.category, 'config');
    assert.match(error.message, /^Could not verify Azure's TLS certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)\..*NODE_EXTRA_CA_CERTS/);
  });

  it('unknown: keeps the original message as a detail', () => {
    const error = toCloudtopError(new TypeError("Cannot read properties of undefined (reading 'x')"), 'cloudflare');
    assert.equal(error.category, 'unknown');
    assert.match(error.message, /^Cloudflare request failed\. See the Cloudtop log for details\. \(Cannot read properties/);
  });

  it("includes the cloud's message: redacted, one line, no control characters, about 200 chars", () => {
    registerSecret('sk-live-abcdef');
    const cloudMessage = `Invalid key sk-live-abcdef\u0007\nretry\u202e later ${'x'.repeat(400)}`;
    const error = toCloudtopError({ status: 401, cloudMessage }, 'vastai');
    assert.ok(error.cloudMessage);
    assert.ok(error.cloudMessage.startsWith('Invalid key [REDACTED] retry later x'));
    assert.ok(error.cloudMessage.length <= 200);
    assert.ok(!error.message.includes('sk-live-abcdef'));
    assert.ok(![...error.message].some((ch) => ch.charCodeAt(0) < 0x20 || ch === '\u202e'), 'control characters left');
    assert.match(error.message, /Vast\.ai said: "Invalid key \[REDACTED\] retry later x+…"$/);
  });

  it("uses an SDK's HTTP error message as the cloud's message (Azure, OCI)", () => {
    const error = toCloudtopError(
      withCode('SomethingNew', { statusCode: 403, message: 'The client does not have authorization' }),
      'azure',
    );
    assert.equal(error.category, 'permission');
    assert.equal(error.cloudMessage, 'The client does not have authorization');
  });

  it('reads Retry-After from SDK response headers, Headers-like or plain, seconds or date', () => {
    const headers = { get: (name: string) => (name === 'retry-after' ? '7' : undefined) };
    assert.equal(toCloudtopError({ statusCode: 429, response: { headers } }, 'azure').retryAfterMs, 7000);
    const now = Date.parse('2030-01-01T00:00:00Z');
    const dated = { status: 429, response: { headers: { 'retry-after': 'Tue, 01 Jan 2030 00:00:12 GMT' } } };
    assert.equal(toCloudtopError(dated, 'neon', { now }).retryAfterMs, 12_000);
  });

  it("reads Azure's millisecond Retry-After headers before Retry-After", () => {
    const headers = { 'retry-after': '9', 'x-ms-retry-after-ms': '1500' };
    assert.equal(toCloudtopError({ statusCode: 429, response: { headers } }, 'azure').retryAfterMs, 1500);
    assert.equal(toCloudtopError({ statusCode: 429, headers: { 'retry-after-ms': '250' } }, 'azure').retryAfterMs, 250);
  });

  it("lets a cloud's hook read the SDK's fields and have the last word on the category", () => {
    const hook = {
      read: (e: unknown) => ((e as { weird?: number }).weird ? { status: (e as { weird: number }).weird, code: 'Odd' } : undefined),
      classify: ({ status, code }: { status?: number; code?: string }) =>
        status === 404 && code === 'Odd' ? { category: 'permission' as const, hint: 'Ask an admin.' } : undefined,
    };
    const error = toCloudtopError({ weird: 404 }, 'oci', { hook, operation: 'ListInstances' });
    assert.equal(error.category, 'permission');
    assert.equal(error.status, 404);
    assert.equal(error.code, 'Odd');
    assert.match(error.message, /lacks permission \(404\) for ListInstances\. .*Ask an admin\./);
    assert.equal(toCloudtopError({ weird: 500 }, 'oci', { hook }).category, 'network', 'no verdict: the status decides');
    assert.equal(toCloudtopError({ status: 404 }, 'oci').category, 'not-found', 'no hook: generic');
  });

  it('passes a CloudtopError through unchanged', () => {
    const original = new CloudtopError({ category: 'config', message: 'x' });
    assert.equal(toCloudtopError(original, 'neon'), original);
  });

  it('does not attach the original error (SDK errors can hold request headers)', () => {
    const raw = Object.assign(new Error('x'), { status: 401, config: { headers: { Authorization: 'Bearer abc' } } });
    assert.equal(toCloudtopError(raw, 'neon').cause, undefined);
  });
});

describe('CloudtopError', () => {
  afterEach(() => clearSecretsForTests());

  it('redacts its message and therefore its stack', () => {
    registerSecret('hunter2-secret');
    const error = new CloudtopError({ category: 'auth', message: 'bad key hunter2-secret, Authorization: Bearer zzz' });
    assert.ok(!error.message.includes('hunter2-secret'));
    assert.ok(!error.message.includes('zzz'));
    assert.ok(!String(error.stack).includes('hunter2-secret'));
    assert.equal(error.category, 'auth');
  });
});

describe('cleanCloudMessage', () => {
  it('returns undefined for nothing to show', () => {
    assert.equal(cleanCloudMessage('  \n '), undefined);
    assert.equal(cleanCloudMessage(42), undefined);
  });
});
