// A session profile's token file (src/providers/oci/session-auth.ts): read again whenever it changes, so the token
// `oci session refresh` writes is used by the next request; a forced read sees a rewrite its stamp does not show.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionTokenAuth } from '../../src/providers/oci/session-auth';

describe('OCI session token auth', () => {
  let dir: string;
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'cloudtop-oci-token-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('signs with ST$<token> and reads a rewritten token file on the next signature', async () => {
    const file = join(dir, 'token');
    await writeFile(file, 'token-one\n');
    const auth = await SessionTokenAuth.open(file, privateKey, undefined);
    assert.equal(await auth.getKeyId(), 'ST$token-one');
    await writeFile(file, 'token-two-longer\n');
    assert.equal(await auth.getKeyId(), 'ST$token-two-longer', 'no restart needed');
  });

  it('a rewrite of the same size and time is seen only by a forced read (what a 401 triggers)', async () => {
    const file = join(dir, 'token');
    await writeFile(file, 'token-AAA');
    await utimes(file, 1_700_000_000, 1_700_000_000);
    const auth = await SessionTokenAuth.open(file, privateKey, undefined);
    await writeFile(file, 'token-BBB');
    await utimes(file, 1_700_000_000, 1_700_000_000);
    assert.equal(await auth.getKeyId(), 'ST$token-AAA', 'the stamp did not change');
    await auth.fresh(true);
    assert.equal(await auth.getKeyId(), 'ST$token-BBB');
  });

  it('a missing or empty token file is a config error naming the file, never the token', async () => {
    const file = join(dir, 'token');
    await assert.rejects(SessionTokenAuth.open(file, privateKey, undefined), (e: Error) =>
      /token file .*token cannot be read/.test(e.message),
    );
    await writeFile(file, '  \n');
    await assert.rejects(SessionTokenAuth.open(file, privateKey, undefined), /is empty: run `oci session authenticate` again/);
  });
});
