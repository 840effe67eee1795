// Cloudflare's failure shapes → CloudtopError: REST envelopes (200 with success:false included), GraphQL `errors`,
// and the SDK's error classes, read from their fields (status, errors[0], retry-after), never from their messages.
import assert from 'node:assert/strict';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'cloudflare/core/error';
import { CloudtopError } from '../../src/core/errors/errors';
import { toCloudflareError } from '../../src/providers/cloudflare/api';
import { categoryFromCodes, envelopeFailure, firstError, graphqlCategory, graphqlFailure } from '../../src/providers/cloudflare/errors';

const NOW = Date.UTC(2026, 10, 1, 12);
const body = (code: number, message: string, chain?: string) => ({
  success: false,
  errors: [{ code, message, ...(chain ? { error_chain: [{ code: 6111, message: chain }] } : {}) }],
  messages: [],
  result: null,
});

describe('Cloudflare errors', () => {
  it('reads the first error with its chained cause', () => {
    assert.deepEqual(firstError(body(6003, 'Invalid request headers', 'Invalid format for Authorization header').errors), {
      code: '6003',
      message: 'Invalid request headers: Invalid format for Authorization header',
    });
    assert.deepEqual(firstError([]), {});
    assert.deepEqual(firstError('nope'), {});
    assert.deepEqual(firstError([{ code: 'x1', message: 42 }]), { code: 'x1' });
  });

  it('classifies a 200 with success:false by its codes, unknown codes as unknown (never retried)', () => {
    assert.equal(categoryFromCodes([{ code: 10000 }]), 'auth');
    assert.equal(categoryFromCodes([{ code: 1 }, { code: 9109 }]), 'auth');
    assert.equal(categoryFromCodes([{ code: 7003 }]), 'not-found');
    assert.equal(categoryFromCodes([{ code: 971 }]), 'rate-limit');
    assert.equal(categoryFromCodes([{ code: 1234 }]), 'unknown');
    assert.equal(categoryFromCodes(null), 'unknown');
    const e = envelopeFailure(body(10000, 'Authentication error').errors, 'GET /accounts');
    assert.equal(e.category, 'auth');
    assert.equal(e.code, '10000');
    assert.equal(e.status, undefined);
    assert.match(e.message, /^Cloudflare rejected the API token \(10000\)\. .*Cloudflare said: "Authentication error"$/);
  });

  it('maps GraphQL messages per the documented status table', () => {
    assert.deepEqual(graphqlCategory('Unauthorized'), { category: 'auth' });
    assert.deepEqual(graphqlCategory('not authorized for that account'), { category: 'permission' });
    assert.deepEqual(graphqlCategory('does not have access to the path'), { category: 'permission' });
    assert.deepEqual(graphqlCategory('rate limiter budget depleted, try again after 5 minutes'), {
      category: 'rate-limit',
      retryAfterMs: 300_000,
    });
    assert.deepEqual(graphqlCategory('too many queries in progress, please try again later'), { category: 'rate-limit' });
    assert.deepEqual(graphqlCategory('cannot request data older than 2678400s'), { category: 'config' });
    assert.deepEqual(graphqlCategory('unknown field "cpuTime"'), { category: 'config' });
    assert.deepEqual(graphqlCategory('error parsing args for "limit"'), { category: 'config' });
    assert.deepEqual(graphqlCategory('Internal server error'), { category: 'network' });
    assert.deepEqual(graphqlCategory('something new'), { category: 'unknown' });
    const e = graphqlFailure([{ message: 'rate limiter budget depleted, try again after 5 minutes', path: null }], 'POST /graphql');
    assert.equal(e.category, 'rate-limit');
    assert.equal(e.retryAfterMs, 300_000);
    assert.match(e.message, /^Cloudflare is rate limiting requests; try again in 5 min\. Cloudflare said: "rate limiter budget/);
  });

  it('turns SDK status errors into CloudtopErrors from the envelope, not from the SDK’s "403 {json}" message', () => {
    const headers = new Headers({ 'retry-after': '7', 'content-type': 'application/json' });
    const forbidden = toCloudflareError(
      APIError.generate(403, body(10000, 'Authentication error'), undefined, headers),
      'GET /accounts/{account_id}/d1/database',
      NOW,
    );
    assert.equal(forbidden.category, 'permission');
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.code, '10000');
    assert.equal(forbidden.cloudMessage, 'Authentication error');
    assert.match(
      forbidden.message,
      /^Cloudflare: the API token lacks permission \(403\) for GET \/accounts\/\{account_id\}\/d1\/database\. .*Cloudflare said: "Authentication error"$/,
    );
    assert.ok(!forbidden.message.includes('"success"'), 'not the SDK’s JSON dump');
    const limited = toCloudflareError(
      APIError.generate(429, body(971, 'More than 1200 requests per 300 seconds reached.'), undefined, headers),
      'GET /accounts',
      NOW,
    );
    assert.equal(limited.category, 'rate-limit');
    assert.equal(limited.retryAfterMs, 7000);
    const html = toCloudflareError(
      APIError.generate(502, undefined, '<html><body><h1>502 Bad Gateway</h1></body></html>', new Headers({ 'content-type': 'text/html' })),
      'GET /accounts',
      NOW,
    );
    assert.equal(html.category, 'network');
    assert.equal(html.cloudMessage, '502 Bad Gateway');
  });

  it('turns SDK connection errors into network errors, and passes our own errors through', () => {
    const refused = toCloudflareError(
      new APIConnectionError({
        cause: Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }),
      }),
      'GET /accounts',
      NOW,
    );
    assert.equal(refused.category, 'network');
    assert.equal(refused.code, 'ECONNREFUSED');
    const timeout = toCloudflareError(new APIConnectionTimeoutError(), 'GET /accounts', NOW);
    assert.equal(timeout.category, 'network');
    assert.match(timeout.message, /timed out/);
    const vague = toCloudflareError(new APIConnectionError({ message: 'Connection error.' }), 'GET /accounts', NOW);
    assert.equal(vague.category, 'network');
    const ours = new CloudtopError({ category: 'config', message: 'Refused to send credentials elsewhere' });
    assert.equal(toCloudflareError(new APIConnectionError({ cause: ours }), 'GET /accounts', NOW), ours);
    assert.equal(toCloudflareError(ours, 'GET /accounts', NOW), ours);
  });
});
