// neonctl's stored login (credentials.json): where it lives, which token sets are usable, and that nothing throws.
import { CloudtopError } from '../../src/core/errors/errors';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { neonctlAccessToken, neonctlCredentialsPath, readNeonctlKey } from '../../src/providers/neon/credentials';

/** A `config` refusal naming the file and saying why. */
const refused = (file: string, why: RegExp) => (e: unknown) =>
  e instanceof CloudtopError && e.category === 'config' && e.message.includes(file) && why.test(e.message);

const NOW = Date.UTC(2026, 10, 1, 12, 0, 0);
const tokenSet = (fields: Record<string, unknown>) =>
  JSON.stringify({
    access_token: 'neon-oauth-token-1',
    refresh_token: 'r',
    token_type: 'bearer',
    expires_in: 3600,
    user_id: 'u',
    ...fields,
  });

describe('neonctl credentials', () => {
  it('finds credentials.json under XDG_CONFIG_HOME, else ~/.config, as neonctl does', () => {
    assert.equal(neonctlCredentialsPath({ HOME: '/home/a', XDG_CONFIG_HOME: '/xdg' }), join('/xdg', 'neonctl', 'credentials.json'));
    assert.equal(
      neonctlCredentialsPath({ HOME: '/home/a', XDG_CONFIG_HOME: '' }),
      join('/home/a', '.config', 'neonctl', 'credentials.json'),
    );
    assert.equal(neonctlCredentialsPath({ USERPROFILE: 'C:\\Users\\a' }), join('C:\\Users\\a', '.config', 'neonctl', 'credentials.json'));
    assert.equal(neonctlCredentialsPath({}), undefined);
  });

  it('uses an unexpired access token, with expires_at in milliseconds (neonctl today) or seconds (before openid-client 6)', () => {
    assert.equal(neonctlAccessToken(tokenSet({ expires_at: NOW + 3_600_000 }), NOW), 'neon-oauth-token-1');
    assert.equal(neonctlAccessToken(tokenSet({ expires_at: (NOW + 3_600_000) / 1000 }), NOW), 'neon-oauth-token-1');
    assert.equal(neonctlAccessToken(tokenSet({ expires_at: NOW - 1 }), NOW), undefined);
    assert.equal(neonctlAccessToken(tokenSet({ expires_at: (NOW - 1000) / 1000 }), NOW), undefined);
    assert.equal(neonctlAccessToken(tokenSet({ expires_at: NOW + 10_000 }), NOW), undefined, 'about to expire: would fail mid-refresh');
    assert.equal(neonctlAccessToken(tokenSet({}), NOW), 'neon-oauth-token-1', 'no recorded expiry: used');
    assert.equal(neonctlAccessToken(`\uFEFF${tokenSet({ access_token: '  spaced  ' })}`, NOW), 'spaced');
  });

  it('ignores token sets without an access token, and files that are not a token set', () => {
    for (const text of [
      tokenSet({ access_token: '' }),
      tokenSet({ access_token: 42 }),
      JSON.stringify({ refresh_token: 'r' }),
      '[]',
      'null',
      '{not json',
      '',
    ]) {
      assert.equal(neonctlAccessToken(text, NOW), undefined, text);
    }
  });

  describe('reading the file', () => {
    let home: string;
    beforeEach(async () => {
      home = await mkdtemp(join(tmpdir(), 'cloudtop-neonctl-'));
    });
    afterEach(async () => {
      await rm(home, { recursive: true, force: true });
    });

    const write = async (dir: string, text: string) => {
      await mkdir(join(dir, 'neonctl'), { recursive: true });
      await writeFile(join(dir, 'neonctl', 'credentials.json'), text);
    };

    it('reads ~/.config/neonctl/credentials.json, and XDG_CONFIG_HOME instead when set', async () => {
      await write(join(home, '.config'), tokenSet({ expires_at: Date.now() + 3_600_000 }));
      assert.deepEqual(await readNeonctlKey({ HOME: home }), { apiKey: 'neon-oauth-token-1' });
      const xdg = join(home, 'xdg');
      assert.equal(await readNeonctlKey({ HOME: home, XDG_CONFIG_HOME: xdg }), undefined, 'XDG set: ~/.config is not read');
      await write(xdg, tokenSet({ access_token: 'from-xdg', expires_at: Date.now() + 3_600_000 }));
      assert.deepEqual(await readNeonctlKey({ HOME: home, XDG_CONFIG_HOME: xdg }), { apiKey: 'from-xdg' });
    });

    it('returns nothing for an expired or missing file; refuses an oversized file or a directory naming it', async () => {
      assert.equal(await readNeonctlKey({ HOME: home }), undefined);
      assert.equal(await readNeonctlKey({}), undefined);
      await write(join(home, '.config'), tokenSet({ expires_at: Date.now() - 1000 }));
      assert.equal(await readNeonctlKey({ HOME: home }), undefined);
      await write(join(home, '.config'), tokenSet({ expires_at: Date.now() + 3_600_000, padding: 'x'.repeat(70_000) }));
      await assert.rejects(readNeonctlKey({ HOME: home }), refused('credentials.json', /larger than 64 KiB/));
      const dirInstead = join(home, 'd');
      await mkdir(join(dirInstead, 'neonctl', 'credentials.json'), { recursive: true });
      await assert.rejects(readNeonctlKey({ HOME: home, XDG_CONFIG_HOME: dirInstead }), refused(dirInstead, /is a directory/));
    });
  });
});
