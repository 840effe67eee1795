import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_CREDENTIAL_BYTES, readSmallFile } from '../../src/core/credentials/config-files';
import { CredentialResolver, type CredentialStore } from '../../src/core/credentials/credentials';
import { CloudtopError } from '../../src/core/errors/errors';
import type { CloudId } from '../../src/core/model/model';
import type { Credentials } from '../../src/core/engine/provider';
import { clearSecretsForTests, redact } from '../../src/core/errors/redact';
import type { Catalogue } from '../../src/core/engine/registry';

class MapStore implements CredentialStore {
  readonly map = new Map<CloudId, Credentials>();
  get(cloud: CloudId) {
    return Promise.resolve(this.map.get(cloud));
  }
  set(cloud: CloudId, c: Credentials) {
    this.map.set(cloud, c);
    return Promise.resolve();
  }
  delete(cloud: CloudId) {
    this.map.delete(cloud);
    return Promise.resolve();
  }
}

function catalogue(cliKey?: string): Catalogue {
  return {
    vastai: {
      cloud: 'vastai',
      displayName: 'Vast.ai',
      endpoint: 'https://example.invalid',
      credentialFields: [{ key: 'apiKey', label: 'API key', secret: true, env: ['VAST_API_KEY'] }],
      readDefaultCredentials: () => Promise.resolve(cliKey ? { apiKey: cliKey } : undefined),
      load: () => Promise.reject(new Error('not loaded in this test')),
    },
  };
}

describe('credential resolver', () => {
  afterEach(() => clearSecretsForTests());

  it('prefers environment, then stored, then the CLI file, and says which', async () => {
    const store = new MapStore();
    store.map.set('vastai', { apiKey: 'stored-key-1234' });
    const withEnv = new CredentialResolver({ catalogue: catalogue('cli-key-1234'), env: { VAST_API_KEY: 'env-key-1234' }, store });
    assert.deepEqual(await withEnv.resolve('vastai'), { credentials: { apiKey: 'env-key-1234' }, source: 'environment' });
    const stored = new CredentialResolver({ catalogue: catalogue('cli-key-1234'), env: {}, store });
    assert.deepEqual(await stored.resolve('vastai'), { credentials: { apiKey: 'stored-key-1234' }, source: 'stored' });
    store.map.clear();
    assert.deepEqual(await stored.resolve('vastai'), { credentials: { apiKey: 'cli-key-1234' }, source: 'cli-file' });
    const none = new CredentialResolver({ catalogue: catalogue(), env: {}, store });
    assert.equal(await none.resolve('vastai'), undefined);
  });

  it("tries a front end's own sign-in after the CLI file and before the prompt; a failing probe counts as none", async () => {
    let probes = 0;
    const signIn = (answer: Credentials | undefined | Error) => ({
      probe: () => (probes++, answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer)),
      tokens: () => Promise.resolve({ token: 't', expiresOnTimestamp: 0 }),
    });
    const withCli = new CredentialResolver({
      catalogue: catalogue('cli-key-1234'),
      env: {},
      signIns: { vastai: signIn({ apiKey: 'account-1234' }) },
    });
    assert.equal((await withCli.resolve('vastai'))?.source, 'cli-file');
    assert.equal(probes, 0, 'not asked while the CLI login answers');
    const signedIn = new CredentialResolver({ catalogue: catalogue(), env: {}, signIns: { vastai: signIn({ apiKey: 'account-1234' }) } });
    assert.deepEqual(await signedIn.resolve('vastai'), { credentials: { apiKey: 'account-1234' }, source: 'sign-in' });
    let asked = 0;
    const broken = new CredentialResolver({
      catalogue: catalogue(),
      env: {},
      signIns: { vastai: signIn(new Error('no session')) },
      prompt: () => (asked++, Promise.resolve({ apiKey: 'typed-key-1234' })),
    });
    assert.equal((await broken.resolve('vastai', { interactive: true }))?.source, 'prompt');
    assert.equal(asked, 1);
  });

  it('prompts only when interactive, and stores what the user typed', async () => {
    const store = new MapStore();
    let asked = 0;
    const resolver = new CredentialResolver({
      catalogue: catalogue(),
      env: {},
      store,
      prompt: () => (asked++, Promise.resolve({ apiKey: 'typed-key-1234' })),
    });
    assert.equal(await resolver.resolve('vastai'), undefined);
    assert.equal(asked, 0);
    assert.deepEqual(await resolver.resolve('vastai', { interactive: true }), {
      credentials: { apiKey: 'typed-key-1234' },
      source: 'prompt',
    });
    assert.deepEqual(store.map.get('vastai'), { apiKey: 'typed-key-1234' });
  });

  it('registers every secret it reads for redaction', async () => {
    const resolver = new CredentialResolver({ catalogue: catalogue(), env: { VAST_API_KEY: 'sk-live-abcdef' } });
    await resolver.resolve('vastai');
    assert.equal(redact('request failed with key sk-live-abcdef'), 'request failed with key [REDACTED]');
  });

  it('treats an unreadable store as empty rather than failing', async () => {
    const broken: CredentialStore = {
      get: () => Promise.reject(new Error('keychain locked')),
      set: () => Promise.resolve(),
      delete: () => Promise.resolve(),
    };
    const resolver = new CredentialResolver({ catalogue: catalogue('cli-key-1234'), env: {}, store: broken });
    assert.equal((await resolver.resolve('vastai'))?.source, 'cli-file');
  });

  it('says why a CLI file that is there is unusable, when no other source has credentials', async () => {
    const unusable: Catalogue = {
      vastai: {
        ...catalogue().vastai!,
        readDefaultCredentials: () =>
          Promise.reject(
            new CloudtopError({ category: 'config', cloud: 'vastai', message: 'The key file /x is a directory, not a file.' }),
          ),
      },
    };
    await assert.rejects(new CredentialResolver({ catalogue: unusable, env: {} }).resolve('vastai'), /\/x is a directory/);
    const withEnv = new CredentialResolver({ catalogue: unusable, env: { VAST_API_KEY: 'env-key-123456' } });
    assert.equal((await withEnv.resolve('vastai'))?.source, 'environment', 'another source wins over the problem');
  });
});

describe('readSmallFile (the one bounded reader of credential and config files)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cloudtop-small-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const refused = (file: string, why: RegExp) => (e: unknown) =>
    e instanceof CloudtopError && e.category === 'config' && e.cloud === 'gcp' && e.message.includes(file) && why.test(e.message);
  const opts = { cloud: 'gcp' as const, what: 'The credential file' };

  it('reads a small regular file and answers undefined for a missing one', async () => {
    await writeFile(join(dir, 'ok.json'), '{"type":"x"}');
    assert.equal(await readSmallFile(join(dir, 'ok.json'), opts), '{"type":"x"}');
    assert.equal(await readSmallFile(join(dir, 'missing.json'), opts), undefined);
    assert.equal(await readSmallFile(join(dir, 'ok.json', 'below'), opts), undefined, 'ENOTDIR is missing too');
  });

  it('refuses a directory, a device that never ends and a file over its cap, naming the file, without reading it', async () => {
    await assert.rejects(readSmallFile(dir, opts), refused(dir, /is a directory/));
    const before = process.memoryUsage().rss;
    await assert.rejects(
      readSmallFile('/dev/zero', { ...opts, maxBytes: MAX_CREDENTIAL_BYTES }),
      refused('/dev/zero', /not a regular file/),
    );
    assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024, 'nothing of /dev/zero was read');
    await writeFile(join(dir, 'big.json'), 'x'.repeat(2 * 1024 * 1024));
    await assert.rejects(
      readSmallFile(join(dir, 'big.json'), { ...opts, maxBytes: MAX_CREDENTIAL_BYTES }),
      refused('big.json', /larger than 1 MiB/),
    );
  });

  it('refuses a FIFO at once rather than waiting for a writer', async function () {
    if (process.platform === 'win32') this.skip();
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    await assert.rejects(readSmallFile(fifo, opts), refused(fifo, /not a regular file/));
    assert.ok(Date.now() - started < 2000, 'no wait for a writer');
  });
});
