import assert from 'node:assert/strict';
import { CloudtopError } from '../../src/core/errors/errors';
import type { Logger } from '../../src/core/model/log';
import { clearSecretsForTests, redact, redactError, registerSecret } from '../../src/core/errors/redact';

describe('redact', () => {
  afterEach(() => clearSecretsForTests());

  describe('registered secrets', () => {
    const SECRET = 'vast-key-9f8e7d6c';

    it('are removed from a message', () => {
      registerSecret(SECRET);
      assert.equal(redact(`request with ${SECRET} failed`), 'request with [REDACTED] failed');
    });

    it('are removed from a log line written through a redacting logger', () => {
      registerSecret(SECRET);
      const lines: string[] = [];
      const log: Pick<Logger, 'warn'> = { warn: (message) => lines.push(redact(message)) };
      log.warn(`retrying with key ${SECRET}`);
      assert.deepEqual(lines, ['retrying with key [REDACTED]']);
    });

    it('are removed from errors: message, stack and the redactError log text', () => {
      registerSecret(SECRET);
      const error = new CloudtopError({ category: 'auth', message: `key ${SECRET} rejected` });
      assert.ok(!error.message.includes(SECRET));
      assert.ok(!String(error.stack).includes(SECRET));
      const plain = new Error(`boom ${SECRET}`, { cause: new Error(`inner ${SECRET}`) });
      const logged = redactError(plain);
      assert.ok(!logged.includes(SECRET));
      assert.match(logged, /boom \[REDACTED\]/);
      assert.match(logged, /caused by: Error: inner \[REDACTED\]/);
    });

    it('are removed in URL-encoded and JSON-escaped form', () => {
      const secret = 'p@ss/w+rd=1"x';
      registerSecret(secret);
      const encoded = encodeURIComponent(secret);
      assert.notEqual(encoded, secret);
      assert.equal(redact(`GET /x?k=1&q=${encoded}`), 'GET /x?k=1&q=[REDACTED]');
      assert.equal(redact(JSON.stringify({ echoed: secret })), '{"echoed":"[REDACTED]"}');
    });

    it('are removed in form encoding, where a space becomes +', () => {
      registerSecret('my secret phrase');
      assert.equal(redact(`body: q=${new URLSearchParams({ v: 'my secret phrase' }).toString().slice(2)}`), 'body: q=[REDACTED]');
    });

    it('shorter than 4 characters are ignored, so ordinary text survives', () => {
      registerSecret('abc');
      assert.equal(redact('abc def'), 'abc def');
    });

    it('are forgotten by clearSecretsForTests', () => {
      registerSecret(SECRET);
      clearSecretsForTests();
      assert.equal(redact(SECRET), SECRET);
    });
  });

  describe('patterns, for secrets never registered', () => {
    const cases: ReadonlyArray<readonly [string, string, string]> = [
      ['Authorization: Bearer header', 'Authorization: Bearer eyJhbGciOi.abc-def', 'Authorization: [REDACTED]'],
      ['bearer in a sentence', 'sent bearer abc123XYZ to the API', 'sent bearer [REDACTED] to the API'],
      ['Basic credentials', 'auth was Basic dXNlcjpwYXNz then', 'auth was Basic [REDACTED] then'],
      ['api_key query param', 'GET https://x/api?api_key=abc123&limit=5', 'GET https://x/api?api_key=[REDACTED]&limit=5'],
      ['apikey, token, key params', '/x?apikey=a1&token=b2&key=c3#f', '/x?apikey=[REDACTED]&token=[REDACTED]&key=[REDACTED]#f'],
      ['X-Auth-Key header', 'X-Auth-Key: 0123456789abcdef', 'X-Auth-Key: [REDACTED]'],
      ['redis URL password', 'connect redis://user:pa55w0rd@cache:6379/0 failed', 'connect redis://user:[REDACTED]@cache:6379/0 failed'],
      ['password-only URL', 'rediss://:pa55@cache', 'rediss://:[REDACTED]@cache'],
      [
        'JSON credential fields',
        '{"apiKey":"k1","password":"p\\"w","name":"gpu-1"}',
        '{"apiKey":"[REDACTED]","password":"[REDACTED]","name":"gpu-1"}',
      ],
      ['OCI signature header', 'authorization: Signature version="1",keyId="ocid1.user",signature="QUJD"', 'authorization: [REDACTED]'],
    ];
    for (const [label, input, output] of cases) {
      it(label, () => assert.equal(redact(input), output));
    }

    it('PEM private key blocks, complete, JSON-escaped and cut off', () => {
      const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----';
      assert.equal(redact(`key: ${pem} end`), 'key: [REDACTED] end');
      const json = JSON.stringify({ private_key: '-----BEGIN PRIVATE KEY-----\nMIIabc\n-----END PRIVATE KEY-----\n', client_email: 'a@b' });
      assert.equal(redact(json), '{"private_key":"[REDACTED]","client_email":"a@b"}');
      assert.equal(redact('-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIO'), '[REDACTED]');
    });

    it('leaves ordinary text and URLs alone', () => {
      for (const text of ['Basic plan', 'https://console.vast.ai/api/v0/instances/?owner=me', 'RTX 4090 at $0.40/h']) {
        assert.equal(redact(text), text);
      }
    });

    it('is idempotent', () => {
      const once = redact('Authorization: Bearer x1 and ?token=t2 and redis://u:p@h');
      assert.equal(redact(once), once);
    });
  });

  describe('redactError', () => {
    it('logs only safe fields of a plain object, never its headers', () => {
      const text = redactError({ code: 'ECONNRESET', message: 'fetch failed', headers: { 'x-api-key': 'abcdefgh' } });
      assert.equal(text, '{code=ECONNRESET, message=fetch failed}');
    });

    it('adds the code of an Error', () => {
      assert.match(redactError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })), /\[code ECONNRESET\]/);
    });

    it('describes strings and nothing', () => {
      assert.equal(redactError('token=abc'), 'token=[REDACTED]');
      assert.equal(redactError(undefined), 'undefined');
    });
  });
});

describe('redact: prose around bearer', () => {
  it('keeps error prose such as "missing bearer token" readable, while still hiding real tokens', () => {
    assert.equal(redact('missing bearer token'), 'missing bearer token');
    assert.equal(redact('invalid bearer token'), 'invalid bearer token');
    assert.equal(redact('sent bearer rpa_ABCDEF123456'), 'sent bearer [REDACTED]');
  });
});
