// The CLI config file: path rules, strict validation (without ever quoting the file), owner-only atomic writes,
// and the CredentialStore over it.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configPath, readConfig, validateConfig, writeConfig } from '../../src/cli/config';
import { ConfigError } from '../../src/cli/errors';
import { ConfigCredentialStore } from '../../src/cli/store';
import type { Catalogue } from '../../src/core/engine/registry';
import { catalogue } from '../../src/providers/index';

const cat: Catalogue = catalogue;
const SECRET = 'sk-very-secret-value-1234';

describe('cli config file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cloudtop-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lives under an absolute XDG_CONFIG_HOME, else ~/.config', () => {
    assert.equal(configPath({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/u'), '/x/cfg/cloudtop/config.json');
    assert.equal(configPath({ XDG_CONFIG_HOME: 'relative' }, '/home/u'), '/home/u/.config/cloudtop/config.json');
    assert.equal(configPath({}, '/home/u'), '/home/u/.config/cloudtop/config.json');
  });

  it('accepts the documented sections', () => {
    const config = validateConfig(
      {
        credentials: { vastai: { apiKey: 'k' } },
        endpoints: { runpod: ' https://proxy.example/v2 ' },
        clouds: { runpod: { enabled: false }, vastai: { rateLimit: { perSecond: 10, burst: 20 } } },
      },
      cat,
    );
    assert.deepEqual(config, {
      credentials: { vastai: { apiKey: 'k' } },
      endpoints: { runpod: 'https://proxy.example/v2' },
      clouds: { runpod: { enabled: false }, vastai: { rateLimit: { perSecond: 10, burst: 20 } } },
    });
  });

  const invalid: [unknown, RegExp][] = [
    [[], /must hold a JSON object/],
    [{ credential: {} }, /"credential" is not a known section/],
    [{ credentials: { aws: { apiKey: 'k' } } }, /credentials\.aws is not a cloud id/],
    [{ credentials: { vastai: 'k' } }, /credentials\.vastai must be an object/],
    [{ credentials: { vastai: { apikey: 'k' } } }, /credentials\.vastai\.apikey is not a field of vastai \(fields: apiKey\)/],
    [{ credentials: { vastai: { apiKey: 5 } } }, /credentials\.vastai\.apiKey must be a string/],
    [{ endpoints: { vastai: 'ftp://x' } }, /endpoints\.vastai must be an http/],
    [{ endpoints: { vastai: 'not a url' } }, /endpoints\.vastai is not a valid URL/],
    [{ clouds: { vastai: { enabled: 'no' } } }, /clouds\.vastai\.enabled must be true or false/],
    [{ clouds: { vastai: { hidden: true } } }, /clouds\.vastai\.hidden is not a known setting/],
    [{ clouds: { vastai: { rateLimit: 10 } } }, /clouds\.vastai\.rateLimit must be an object/],
    [{ clouds: { vastai: { rateLimit: { perSecond: 0 } } } }, /clouds\.vastai\.rateLimit perSecond must be > 0/],
  ];
  for (const [raw, pattern] of invalid) {
    it(`rejects ${JSON.stringify(raw)}`, () => {
      assert.throws(
        () => validateConfig(raw, cat, 'F'),
        (e: unknown) => e instanceof ConfigError && pattern.test(e.message) && e.message.startsWith('F: '),
      );
    });
  }

  it('reads a missing file as empty, and never quotes invalid JSON (it may be a key)', async () => {
    const path = join(dir, 'config.json');
    assert.deepEqual((await readConfig(path, cat)).config, { credentials: {}, endpoints: {}, clouds: {} });
    // An unquoted value: V8's own message for this quotes the text around it ("…apiKey": sk-very-se…").
    writeFileSync(path, `{"credentials": {"vastai": {"apiKey": ${SECRET}}}}`, { mode: 0o600 });
    await assert.rejects(
      readConfig(path, cat),
      (e: unknown) =>
        e instanceof ConfigError && /is not valid JSON/.test(e.message) && !e.message.includes(SECRET) && !e.message.includes('sk-'),
    );
  });

  it('reports a directory or an unreadable file as a ConfigError', async () => {
    await assert.rejects(readConfig(dir, cat), (e: unknown) => e instanceof ConfigError && /it is a directory/.test(e.message));
  });

  it('warns when the file is readable by group or others', async () => {
    const path = join(dir, 'config.json');
    writeFileSync(path, '{}', { mode: 0o600 });
    assert.deepEqual((await readConfig(path, cat)).warnings, []);
    chmodSync(path, 0o644);
    const [warning] = (await readConfig(path, cat)).warnings;
    assert.match(warning, /readable by other users \(mode 644\); run: chmod 600 /);
  });

  it('writes atomically with mode 0600 in a 0700 directory, leaving no temporary file', async () => {
    const path = join(dir, 'nested', 'cloudtop', 'config.json');
    mkdirSync(join(dir, 'nested', 'cloudtop'), { recursive: true, mode: 0o755 });
    await writeConfig(path, { credentials: { vastai: { apiKey: SECRET } }, endpoints: {}, clouds: {} });
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'nested', 'cloudtop')).mode & 0o777, 0o700, 'an existing wider directory is tightened');
    assert.deepEqual(readdirSync(join(dir, 'nested', 'cloudtop')), ['config.json']);
    assert.deepEqual((JSON.parse(readFileSync(path, 'utf8')) as { credentials: unknown }).credentials, { vastai: { apiKey: SECRET } });
  });

  it('is a CredentialStore that keeps the other sections and clouds on set and delete', async () => {
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify({ credentials: { runpod: { apiKey: 'rp' } }, endpoints: { vastai: 'http://127.0.0.1:1' } }), {
      mode: 0o600,
    });
    const store = new ConfigCredentialStore(path, cat);
    assert.deepEqual(await store.get('runpod'), { apiKey: 'rp' });
    await store.set('vastai', { apiKey: SECRET });
    assert.deepEqual(await store.get('vastai'), { apiKey: SECRET });
    await store.delete('runpod');
    assert.equal(await new ConfigCredentialStore(path, cat).get('runpod'), undefined, 'read back from the file');
    const onDisk: unknown = JSON.parse(readFileSync(path, 'utf8'));
    assert.deepEqual(onDisk, { credentials: { vastai: { apiKey: SECRET } }, endpoints: { vastai: 'http://127.0.0.1:1' }, clouds: {} });
    assert.equal(statSync(path).mode & 0o777, 0o600, 'rewritten owner-only');
  });

  it('refuses to overwrite a file it cannot parse', async () => {
    const path = join(dir, 'config.json');
    writeFileSync(path, '{ broken', { mode: 0o600 });
    await assert.rejects(new ConfigCredentialStore(path, cat).set('vastai', { apiKey: 'k' }), ConfigError);
    assert.equal(readFileSync(path, 'utf8'), '{ broken');
  });
});
