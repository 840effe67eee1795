// A provider bundle (dist/providers/<cloud>.js) carries its own copy of src/core/errors/errors.ts and redact.ts. Here a
// second copy is made the same way — esbuild bundles errors.ts into a file of its own — and the two must agree
// on what a CloudtopError is, while only this copy's registry of secrets (the main bundle's) redacts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { CloudtopError, toCloudtopError } from '../../src/core/errors/errors';
import { clearSecretsForTests, registerSecret } from '../../src/core/errors/redact';

type ErrorsModule = typeof import('../../src/core/errors/errors');

const SECRET = 'cf-token-4f9a2b7c1d';

describe('CloudtopError across bundles', () => {
  let dir: string;
  let other: ErrorsModule;

  before(function () {
    this.timeout(20_000);
    dir = mkdtempSync(path.join(tmpdir(), 'cloudtop-errors-copy-'));
    const file = path.join(dir, 'errors-copy.js');
    const [output] = buildSync({
      entryPoints: [path.resolve(__dirname, '../../src/core/errors/errors.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
    }).outputFiles;
    writeFileSync(file, output.text);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    other = require(file) as ErrorsModule;
    assert.notEqual(other.CloudtopError, CloudtopError, 'a second copy of the class');
  });
  after(() => {
    clearSecretsForTests();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an error made by either copy is instanceof the other copy', () => {
    assert.ok(new other.CloudtopError({ category: 'auth', message: 'x' }) instanceof CloudtopError);
    assert.ok(new CloudtopError({ category: 'auth', message: 'x' }) instanceof other.CloudtopError);
  });

  it('something that only looks like one is not a CloudtopError', () => {
    const lookalike = Object.assign(new Error('x'), { name: 'CloudtopError', category: 'auth' });
    assert.ok(!(lookalike instanceof CloudtopError));
    assert.ok(!({ category: 'auth', message: 'x' } instanceof CloudtopError));
  });

  it('a subclass keeps the ordinary prototype check', () => {
    class Narrower extends CloudtopError {}
    assert.ok(new Narrower({ category: 'auth', message: 'x' }) instanceof Narrower);
    assert.ok(new Narrower({ category: 'auth', message: 'x' }) instanceof CloudtopError);
    assert.ok(!(new CloudtopError({ category: 'auth', message: 'x' }) instanceof Narrower));
  });

  it("toCloudtopError makes the other copy's error one of ours: every fact kept, its text redacted with our secrets", () => {
    registerSecret(SECRET);
    const theirs = new other.CloudtopError({
      category: 'rate-limit',
      cloud: 'cloudflare',
      status: 429,
      code: '971',
      retryAfterMs: 3000,
      operation: 'GET /accounts',
      cloudMessage: other.cleanCloudMessage(`token ${SECRET} is over its budget`),
      message: `Cloudflare throttled token ${SECRET}`,
    });
    assert.ok(theirs.message.includes(SECRET), 'the other copy knows no secret, as a provider bundle does not');

    const ours = toCloudtopError(theirs, 'cloudflare');
    assert.equal(Object.getPrototypeOf(ours), CloudtopError.prototype);
    const { category, cloud, status, code, retryAfterMs, operation } = ours;
    assert.deepEqual(
      { category, cloud, status, code, retryAfterMs, operation },
      { category: 'rate-limit', cloud: 'cloudflare', status: 429, code: '971', retryAfterMs: 3000, operation: 'GET /accounts' },
    );
    assert.equal(ours.message, 'Cloudflare throttled token [REDACTED]');
    assert.equal(ours.cloudMessage, 'token [REDACTED] is over its budget');
    assert.ok(!ours.stack?.includes(SECRET), 'nor in the stack');

    const own = new CloudtopError({ category: 'auth', message: 'x' });
    assert.equal(toCloudtopError(own), own, 'one of ours passes through as it is');
  });
});
