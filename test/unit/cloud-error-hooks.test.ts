// The OCI, Azure and Google Cloud error tables that left core/errors/errors.ts: each cloud's hook reads its SDK's error
// fields and names the category, through the same toCloudtopError() the retry loop calls.
import assert from 'node:assert/strict';
import { toCloudtopError, type CloudErrorHook } from '../../src/core/errors/errors';
import type { CloudId, ErrorCategory } from '../../src/core/model/model';
import { azureErrors } from '../../src/providers/azure/errors';
import { gcpErrors } from '../../src/providers/gcp/errors';
import { ociErrors } from '../../src/providers/oci/errors';

const withCode = (code: unknown, fields: Record<string, unknown> = {}) => Object.assign(new Error('boom'), { code }, fields);

function expectCategory(cloud: CloudId, hook: CloudErrorHook, cases: ReadonlyArray<readonly [string, unknown, ErrorCategory]>): void {
  for (const [label, error, category] of cases) {
    it(`${label} → ${category}`, () => assert.equal(toCloudtopError(error, cloud, { hook }).category, category));
  }
}

describe('Azure error hook (RestError codes)', () => {
  expectCategory('azure', azureErrors, [
    ['403 AuthenticationFailed (storage: bad key)', withCode('AuthenticationFailed', { statusCode: 403 }), 'auth'],
    ['401 InvalidAuthenticationToken', withCode('InvalidAuthenticationToken', { statusCode: 401 }), 'auth'],
    ['403 AuthorizationFailed', withCode('AuthorizationFailed', { statusCode: 403 }), 'permission'],
    ['AuthorizationFailed without a status', withCode('AuthorizationFailed'), 'permission'],
    ['ResourceNotFound without a status', withCode('ResourceNotFound'), 'not-found'],
    ['TooManyRequests without a status', withCode('TooManyRequests'), 'rate-limit'],
    ['network RestError ECONNREFUSED, no status', withCode('ECONNREFUSED', { name: 'RestError' }), 'network'],
    ['REQUEST_SEND_ERROR', withCode('REQUEST_SEND_ERROR'), 'network'],
    ["core-rest-pipeline's PARSE_ERROR", withCode('PARSE_ERROR'), 'network'],
    ['unknown code falls back to the status', withCode('SomethingNew', { statusCode: 404 }), 'not-found'],
  ]);

  it('reads the ARM error envelope and classifies its code', () => {
    const body = { error: { code: 'AuthorizationFailed', message: 'The client does not have authorization' } };
    assert.deepEqual(azureErrors.describe!(403, body, ''), {
      code: 'AuthorizationFailed',
      message: 'The client does not have authorization',
    });
    const error = toCloudtopError(
      withCode('AuthorizationFailed', { statusCode: 403, message: 'The client does not have authorization' }),
      'azure',
      { hook: azureErrors },
    );
    assert.equal(error.cloudMessage, 'The client does not have authorization');
  });
});

describe('OCI error hook (serviceCode)', () => {
  expectCategory('oci', ociErrors, [
    ['NotAuthenticated', { statusCode: 401, serviceCode: 'NotAuthenticated' }, 'auth'],
    ['NotAuthorizedOrNotFound (404 when a policy is missing)', { statusCode: 404, serviceCode: 'NotAuthorizedOrNotFound' }, 'permission'],
    ['TooManyRequests without a status', { serviceCode: 'TooManyRequests' }, 'rate-limit'],
    ['plain-object transport failure', { code: undefined, message: 'fetch failed', requestEndpoint: 'GET http://x' }, 'network'],
    ['open circuit breaker', { code: 'EOPENBREAKER', message: 'Breaker is open' }, 'network'],
    ['serviceCode "None" falls back to the status', { statusCode: 500, serviceCode: 'None' }, 'network'],
  ]);

  it('says why a 404 NotAuthorizedOrNotFound is a permission problem', () => {
    const error = toCloudtopError(
      { statusCode: 404, serviceCode: 'NotAuthorizedOrNotFound', message: 'Authorization failed or requested resource not found.' },
      'oci',
      { hook: ociErrors },
    );
    assert.equal(error.code, 'NotAuthorizedOrNotFound');
    assert.match(error.message, /missing IAM policy/);
  });

  it('without the hook the same error is only a 404', () => {
    assert.equal(toCloudtopError({ statusCode: 404, serviceCode: 'NotAuthorizedOrNotFound' }, 'oci').category, 'not-found');
  });
});

describe('Google Cloud error hook (gax 5 and 6)', () => {
  expectCategory('gcp', gcpErrors, [
    ['16 UNAUTHENTICATED', withCode(16), 'auth'],
    ['7 PERMISSION_DENIED', withCode(7), 'permission'],
    ['8 RESOURCE_EXHAUSTED', withCode(8), 'rate-limit'],
    ['5 NOT_FOUND', withCode(5), 'not-found'],
    ['14 UNAVAILABLE', withCode(14), 'network'],
    ['4 DEADLINE_EXCEEDED', withCode(4), 'network'],
    ['3 INVALID_ARGUMENT', withCode(3), 'config'],
    ['8 with httpStatusCode 429 (gax 6)', withCode(8, { httpStatusCode: 429 }), 'rate-limit'],
    ['.httpStatusCode 503 (gax 6)', { httpStatusCode: 503 }, 'network'],
    ['numeric .code 429 (gax 5 GaxiosError)', withCode(429), 'rate-limit'],
    ['numeric .code 503 (gax 5 GaxiosError)', withCode(503), 'network'],
    ['status name RESOURCE_EXHAUSTED', { status: 'RESOURCE_EXHAUSTED' }, 'rate-limit'],
  ]);

  it("reads Google's RetryInfo delay from the decoded error and from the REST body", () => {
    const error = withCode(8, { statusDetails: [{ reason: 'RATE_LIMIT_EXCEEDED' }, { retryDelay: { seconds: '30', nanos: 0 } }] });
    const converted = toCloudtopError(error, 'gcp', { hook: gcpErrors });
    assert.equal(converted.category, 'rate-limit');
    assert.equal(converted.code, 'RESOURCE_EXHAUSTED');
    assert.equal(converted.retryAfterMs, 30_000);
    const body = {
      error: {
        code: 429,
        status: 'RESOURCE_EXHAUSTED',
        message: 'Quota exceeded',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '12s' }],
      },
    };
    assert.deepEqual(gcpErrors.classify!({ status: 429, code: 'RESOURCE_EXHAUSTED', body }), {
      category: 'rate-limit',
      retryAfterMs: 12_000,
    });
  });
});
