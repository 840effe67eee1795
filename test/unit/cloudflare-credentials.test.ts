// wrangler's login file: where wrangler keeps it on each platform, how its TOML is read, and when its token counts.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tomlTopLevel } from '../../src/core/credentials/config-files';
import { readWranglerTokenAt, tokenFromWranglerToml, wranglerAuthFile } from '../../src/providers/cloudflare/credentials';
import { CloudtopError } from '../../src/core/errors/errors';

/** A `config` refusal naming the file and saying why. */
const refused = (file: string, why: RegExp) => (e: unknown) =>
  e instanceof CloudtopError && e.category === 'config' && e.message.includes(file) && why.test(e.message);

const NOW = Date.UTC(2026, 10, 26, 6, 0, 0);
const inAnHour = new Date(NOW + 3_600_000).toISOString();

describe('wrangler login (Cloudflare credentials)', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'cloudtop-wrangler-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  const write = async (dir: string, text: string) => {
    await mkdir(join(dir, 'config'), { recursive: true });
    await writeFile(join(dir, 'config', 'default.toml'), text);
  };
  const login = (token: string, expires = inAnHour) =>
    `oauth_token = "${token}"\nexpiration_time = "${expires}"\nrefresh_token = "refresh"\nscopes = [ "account:read", "workers:write" ]\n`;

  it('resolves the file as wrangler does: ~/.wrangler when it exists, else the XDG config directory per platform', async () => {
    assert.equal(await wranglerAuthFile({ HOME: home }, 'linux'), join(home, '.config', '.wrangler', 'config', 'default.toml'));
    assert.equal(
      await wranglerAuthFile({ HOME: home, XDG_CONFIG_HOME: '/xdg' }, 'linux'),
      join('/xdg', '.wrangler', 'config', 'default.toml'),
    );
    assert.equal(
      await wranglerAuthFile({ HOME: home }, 'darwin'),
      join(home, 'Library', 'Preferences', '.wrangler', 'config', 'default.toml'),
    );
    assert.equal(
      await wranglerAuthFile({ USERPROFILE: home, APPDATA: join(home, 'AppData', 'Roaming') }, 'win32'),
      join(home, 'AppData', 'Roaming', 'xdg.config', '.wrangler', 'config', 'default.toml'),
    );
    await mkdir(join(home, '.wrangler'));
    assert.equal(
      await wranglerAuthFile({ HOME: home, XDG_CONFIG_HOME: '/xdg' }, 'linux'),
      join(home, '.wrangler', 'config', 'default.toml'),
      'the legacy directory wins, even over XDG_CONFIG_HOME',
    );
    assert.equal(await wranglerAuthFile({}, 'linux'), undefined);
  });

  it('reads a valid login from the XDG path, and passes CLOUDFLARE_ACCOUNT_ID along', async () => {
    await write(join(home, '.config', '.wrangler'), login('oauth-abc'));
    assert.deepEqual(await readWranglerTokenAt({ HOME: home }, NOW, 'linux'), { apiToken: 'oauth-abc' });
    assert.deepEqual(await readWranglerTokenAt({ HOME: home, CLOUDFLARE_ACCOUNT_ID: ' 0123 ' }, NOW, 'linux'), {
      apiToken: 'oauth-abc',
      accountId: '0123',
    });
  });

  it('reads the legacy ~/.wrangler file when that directory exists, and ignores the XDG one then', async () => {
    await write(join(home, '.config', '.wrangler'), login('from-xdg'));
    await write(join(home, '.wrangler'), login('from-legacy'));
    assert.deepEqual(await readWranglerTokenAt({ HOME: home }, NOW, 'linux'), { apiToken: 'from-legacy' });
  });

  it('ignores an expired, almost expired, undated or garbled-date login, as wrangler treats them as expired', () => {
    assert.equal(tokenFromWranglerToml(login('t', new Date(NOW - 1).toISOString()), NOW), undefined);
    assert.equal(tokenFromWranglerToml(login('t', new Date(NOW + 30_000).toISOString()), NOW), undefined, 'within the minute margin');
    assert.equal(tokenFromWranglerToml(login('t', new Date(NOW + 120_000).toISOString()), NOW), 't');
    assert.equal(tokenFromWranglerToml('oauth_token = "t"\n', NOW), undefined, 'no expiration_time');
    assert.equal(tokenFromWranglerToml(login('t', 'soon'), NOW), undefined);
  });

  it('never uses the deprecated wrangler-v1 api_token, nor keys below a table header', () => {
    assert.equal(tokenFromWranglerToml(`api_token = "legacy"\n`, NOW), undefined);
    assert.equal(tokenFromWranglerToml(`[other]\noauth_token = "t"\nexpiration_time = "${inAnHour}"\n`, NOW), undefined);
  });

  it('reads TOML basic and literal strings with escapes and comments, and a bare datetime', () => {
    assert.equal(tomlTopLevel('oauth_token = "a\\"b\\u00e9" # comment\n', 'oauth_token'), 'a"bé');
    assert.equal(tomlTopLevel("oauth_token = 'lit\\eral'\n", 'oauth_token'), 'lit\\eral');
    assert.equal(tomlTopLevel('\uFEFFexpiration_time = 2026-11-26T07:00:00.000Z\r\n', 'expiration_time'), '2026-11-26T07:00:00.000Z');
    assert.equal(tomlTopLevel('oauth_token = [1]\n', 'oauth_token'), undefined);
    assert.equal(tomlTopLevel('OAUTH_TOKEN = "x"\n', 'oauth_token'), undefined, 'keys are case-sensitive');
  });

  it('treats a missing file as no login; refuses an oversized file or a directory with a config error naming it', async () => {
    assert.equal(await readWranglerTokenAt({ HOME: home }, NOW, 'linux'), undefined);
    await write(join(home, '.config', '.wrangler'), login('t') + '#'.repeat(70_000));
    await assert.rejects(readWranglerTokenAt({ HOME: home }, NOW, 'linux'), refused('default.toml', /larger than 64 KiB/));
    await rm(join(home, '.config', '.wrangler', 'config', 'default.toml'));
    await mkdir(join(home, '.config', '.wrangler', 'config', 'default.toml'));
    await assert.rejects(readWranglerTokenAt({ HOME: home }, NOW, 'linux'), refused('default.toml', /is a directory/));
  });
});
