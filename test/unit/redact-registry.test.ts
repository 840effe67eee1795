// The registry over a day of refreshes (issue 25, "Flat over a day"): a credential is registered once, a per-request
// value (OCI's signature, src/providers/oci/http-client.ts) is redacted by its shape and never stored, and registering
// costs a Set insert, not a rebuild and sort of every needle.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CloudtopError } from '../../src/core/errors/errors';
import { MAX_SECRETS, clearSecretsForTests, redact, registerSecret, secretCountForTests } from '../../src/core/errors/redact';
import { registerHeaderSecrets } from '../../src/core/transport/transport-response';

/** What oci-common's DefaultRequestSigner puts in Authorization: a fresh signature on every request. */
function ociAuthorization(): { value: string; signature: string } {
  const signature = randomBytes(256).toString('base64');
  const keyId = 'ocid1.tenancy.oc1..aaaatenancy/ocid1.user.oc1..aaaauser/12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0';
  const value =
    `Signature version="1",keyId="${keyId}",algorithm="rsa-sha256",` +
    `headers="date (request-target) host x-content-sha256 content-type content-length",signature="${signature}"`;
  return { value, signature };
}

describe('redact: the registry stays flat over many requests', () => {
  afterEach(() => clearSecretsForTests());

  it('1,000 OCI requests, each with its own signature, leave the registry as it was', () => {
    registerHeaderSecrets({ 'x-api-key': 'a-credential-registered-once' });
    const size = secretCountForTests();
    for (let i = 0; i < 1000; i++) registerHeaderSecrets({ authorization: ociAuthorization().value, date: new Date().toUTCString() });
    assert.equal(secretCountForTests(), size);
  });

  it('a credential sent on every request is registered once', () => {
    for (let i = 0; i < 1000; i++) registerHeaderSecrets({ authorization: 'Bearer ya29.the-same-token-every-time' });
    assert.equal(secretCountForTests(), 2); // the header's value and its token
    assert.equal(redact('echoed: ya29.the-same-token-every-time'), 'echoed: [REDACTED]');
  });

  it("an OCI signature is still redacted from an error's message, by its shape", () => {
    const { value, signature } = ociAuthorization();
    registerHeaderSecrets({ authorization: value });
    const cases = [
      `request failed: Authorization: ${value}`,
      `the proxy echoed ${value} back`,
      `{"authorization":"${value.replace(/"/g, '\\"')}"}`,
      `bad signature="${signature}"`,
    ];
    for (const text of cases) {
      const error = new CloudtopError({ category: 'auth', message: text });
      assert.ok(!error.message.includes(signature), error.message);
      assert.ok(!redact(text).includes(signature), redact(text));
    }
    assert.equal(redact(`sent ${value} to oci`), 'sent Signature [REDACTED] to oci');
  });

  it('registering is cheap: 2,000 distinct secrets, then a redaction, in well under a second', () => {
    const secrets = Array.from({ length: 2000 }, (_, i) => `token-${i}-${randomBytes(24).toString('hex')}`);
    const started = performance.now();
    for (const secret of secrets) registerSecret(secret);
    const text = redact(`first ${secrets[0]} last ${secrets[1999]}`);
    const took = performance.now() - started;
    assert.ok(!text.includes(secrets[1999]), text);
    // Before, each registration rebuilt and sorted every needle (4 per secret): seconds for 2,000.
    assert.ok(took < 1000, `took ${Math.round(took)} ms`);
  });

  it(`is bounded: past ${MAX_SECRETS} secrets the oldest go first, the newest are redacted`, () => {
    for (let i = 0; i < MAX_SECRETS + 500; i++) registerSecret(`secret-number-${i}-padding`);
    assert.equal(secretCountForTests(), MAX_SECRETS);
    assert.equal(redact(`x secret-number-${MAX_SECRETS + 499}-padding y`), 'x [REDACTED] y');
  });

  it('a secret registered after a redaction is redacted by the next one (the matcher is rebuilt on use)', () => {
    registerSecret('first-secret-value');
    assert.equal(redact('first-secret-value'), '[REDACTED]');
    registerSecret('second-secret-value');
    assert.equal(redact('first-secret-value second-secret-value'), '[REDACTED] [REDACTED]');
    registerSecret('a.b*c+d?(e)[f]{g}|h^i$j\\k');
    assert.equal(redact('x a.b*c+d?(e)[f]{g}|h^i$j\\k y'), 'x [REDACTED] y');
  });
});
