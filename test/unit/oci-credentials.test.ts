// The OCI CLI's config file: which file and profile are used, the INI dialect, DEFAULT inheritance, `~/` expansion,
// and that an unusable profile is explained by file, profile and key, never by a value.
import { CloudtopError } from '../../src/core/errors/errors';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isComplete } from '../../src/core/credentials/credentials';
import {
  inspectOciCliConfig,
  ociCliConfigLocation,
  ociCredentialFields,
  parseOciConfig,
  readOciCliConfig,
} from '../../src/providers/oci/credentials';

/** A `config` refusal naming the file and saying why. */
const refused = (file: string, why: RegExp) => (e: unknown) =>
  e instanceof CloudtopError && e.category === 'config' && e.message.includes(file) && why.test(e.message);

const FINGERPRINT = '12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0';
const PASS_PHRASE = 'correct-horse-battery-staple';
const apiKeyProfile = (name: string, extra = '') => `[${name}]
user=ocid1.user.oc1..${name.toLowerCase()}
fingerprint=${FINGERPRINT}
tenancy=ocid1.tenancy.oc1..${name.toLowerCase()}
region=eu-frankfurt-1
key_file=~/.oci/${name.toLowerCase()}.pem
${extra}`;

describe('OCI CLI config', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'cloudtop-oci-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  const writeDefaultConfig = async (text: string) => {
    await mkdir(join(home, '.oci'), { recursive: true });
    await writeFile(join(home, '.oci', 'config'), text);
    return join(home, '.oci', 'config');
  };

  it('reads the DEFAULT profile of ~/.oci/config, expanding a ~/ key_file against HOME', async () => {
    const file = await writeDefaultConfig(apiKeyProfile('DEFAULT'));
    assert.deepEqual(await readOciCliConfig({ HOME: home }), {
      user: 'ocid1.user.oc1..default',
      fingerprint: FINGERPRINT,
      tenancy: 'ocid1.tenancy.oc1..default',
      region: 'eu-frankfurt-1',
      keyFile: join(home, '.oci', 'default.pem'),
      profile: 'DEFAULT',
      configFile: file,
    });
  });

  it('leaves an absolute or relative key_file as written', async () => {
    await writeDefaultConfig(apiKeyProfile('DEFAULT').replace(/key_file=.*/, 'key_file=/keys/oci.pem'));
    assert.equal((await readOciCliConfig({ HOME: home }))?.keyFile, '/keys/oci.pem');
    await writeDefaultConfig(apiKeyProfile('DEFAULT').replace(/key_file=.*/, 'key_file=keys/~/oci.pem'));
    assert.equal((await readOciCliConfig({ HOME: home }))?.keyFile, 'keys/~/oci.pem');
  });

  it('lets OCI_CLI_CONFIG_FILE win over an existing ~/.oci/config', async () => {
    await writeDefaultConfig(apiKeyProfile('DEFAULT'));
    const other = join(home, 'elsewhere', 'oci.ini');
    await mkdir(join(home, 'elsewhere'));
    await writeFile(other, apiKeyProfile('DEFAULT').replace('tenancy=ocid1.tenancy.oc1..default', 'tenancy=ocid1.tenancy.oc1..other'));
    const read = await readOciCliConfig({ HOME: home, OCI_CLI_CONFIG_FILE: other });
    assert.equal(read?.tenancy, 'ocid1.tenancy.oc1..other', 'the named file, not ~/.oci/config, is read');
    assert.equal(read?.configFile, other);
    assert.equal(
      await readOciCliConfig({ HOME: home, OCI_CLI_CONFIG_FILE: join(home, 'missing') }),
      undefined,
      'a named file that is missing: no fallback to ~/.oci/config',
    );
    assert.equal(
      ociCliConfigLocation({ HOME: home, OCI_CLI_CONFIG_FILE: '~/elsewhere/oci.ini' }).file,
      other,
      'a ~/ in the variable is expanded',
    );
  });

  it('lets OCI_CLI_PROFILE pick another profile', async () => {
    await writeDefaultConfig(`${apiKeyProfile('DEFAULT')}\n${apiKeyProfile('WORK')}`);
    const read = await readOciCliConfig({ HOME: home, OCI_CLI_PROFILE: 'WORK' });
    assert.equal(read?.tenancy, 'ocid1.tenancy.oc1..work', 'the WORK profile is used');
    assert.equal(read?.profile, 'WORK');
    assert.equal(read?.keyFile, join(home, '.oci', 'work.pem'));
  });

  it('gives every profile the keys of [DEFAULT] it does not set itself', async () => {
    await writeDefaultConfig(`${apiKeyProfile('DEFAULT', 'pass_phrase=' + PASS_PHRASE)}\n[ASHBURN]\nregion=us-ashburn-1\n`);
    const read = await readOciCliConfig({ HOME: home, OCI_CLI_PROFILE: 'ASHBURN' });
    assert.equal(read?.region, 'us-ashburn-1', 'own key wins over DEFAULT');
    assert.equal(read?.tenancy, 'ocid1.tenancy.oc1..default', 'missing key inherited from DEFAULT');
    assert.equal(read?.passPhrase, PASS_PHRASE, 'optional key inherited too');
    assert.equal(read?.profile, 'ASHBURN');
  });

  it('skips comments, blank lines and spacing; keys are case-insensitive, profile names are not', () => {
    const profiles = parseOciConfig(
      '\uFEFF# a comment\n\n  [ WORK ]  \r\n  USER  =  ocid1.user  \r\n# region = hash-comment\n; tenancy = semicolon-comment\nkey_file = a=b.pem\n[work]\nregion=x\n',
    );
    assert.deepEqual([...profiles.keys()], ['WORK', 'work']);
    assert.deepEqual([...(profiles.get('WORK')?.keys() ?? [])], ['user', 'key_file'], 'commented-out keys are not read');
    assert.equal(profiles.get('WORK')?.get('user'), 'ocid1.user', 'key lowercased, value trimmed');
    assert.equal(profiles.get('WORK')?.get('key_file'), 'a=b.pem', 'split at the first =');
    assert.equal(profiles.get('work')?.get('region'), 'x');
  });

  it('reads a session profile (security_token_file) without user or fingerprint', async () => {
    await writeDefaultConfig(
      '[DEFAULT]\ntenancy=ocid1.tenancy.oc1..t\nregion=eu-frankfurt-1\nkey_file=~/.oci/sessions/DEFAULT/oci_api_key.pem\nsecurity_token_file=~/.oci/sessions/DEFAULT/token\n',
    );
    const read = await readOciCliConfig({ HOME: home });
    assert.equal(read?.securityTokenFile, join(home, '.oci', 'sessions', 'DEFAULT', 'token'));
    assert.equal(read?.user, undefined, 'no user in a session profile');
  });

  it('lets OCI_CLI_SECURITY_TOKEN_FILE make a profile a session profile, over its own security_token_file', async () => {
    await writeDefaultConfig(
      '[DEFAULT]\ntenancy=ocid1.tenancy.oc1..t\nregion=eu-frankfurt-1\nkey_file=~/.oci/sessions/DEFAULT/oci_api_key.pem\nsecurity_token_file=~/.oci/old-token\n',
    );
    const read = await readOciCliConfig({ HOME: home, OCI_CLI_SECURITY_TOKEN_FILE: '/run/oci/token' });
    assert.equal(read?.securityTokenFile, '/run/oci/token', 'the environment wins, as in the OCI CLI');
    await writeDefaultConfig(
      '[DEFAULT]\ntenancy=ocid1.tenancy.oc1..t\nregion=eu-frankfurt-1\nkey_file=~/.oci/sessions/DEFAULT/oci_api_key.pem\n',
    );
    const session = await readOciCliConfig({ HOME: home, OCI_CLI_SECURITY_TOKEN_FILE: '/run/oci/token' });
    assert.equal(session?.securityTokenFile, '/run/oci/token', 'a profile without user or fingerprint is complete with the variable');
  });

  it('returns nothing when there is no file or no home; refuses a directory in its place, naming it', async () => {
    assert.equal(await readOciCliConfig({ HOME: home }), undefined);
    assert.equal(await inspectOciCliConfig({ HOME: home }), undefined, 'a missing file is not a problem to report');
    assert.equal(await readOciCliConfig({}), undefined);
    await mkdir(join(home, '.oci', 'config'), { recursive: true });
    await assert.rejects(readOciCliConfig({ HOME: home }), refused(join(home, '.oci', 'config'), /is a directory/));
  });

  it('explains a missing profile or key by file, profile and key, never by a value', async () => {
    const file = await writeDefaultConfig(
      apiKeyProfile('DEFAULT', `pass_phrase=${PASS_PHRASE}`)
        .replace(/^region=.*$/m, 'region=')
        .replace(/^user=.*$/m, ''),
    );
    // An incomplete profile gives no credentials, and says why (not just "not configured").
    await assert.rejects(readOciCliConfig({ HOME: home }), refused(file, /has no user, region\. Fix it/));
    const incomplete = (await inspectOciCliConfig({ HOME: home }))?.problem;
    assert.equal(incomplete, `The [DEFAULT] profile in ${file} has no user, region.`);
    const absent = (await inspectOciCliConfig({ HOME: home, OCI_CLI_PROFILE: 'NOPE' }))?.problem;
    assert.equal(absent, `${file} has no [NOPE] profile.`);
    for (const problem of [incomplete, absent]) {
      for (const secret of [FINGERPRINT, PASS_PHRASE, 'default.pem']) {
        assert.ok(!problem?.includes(secret), `the explanation shows no value: ${secret.slice(0, 4)}…`);
      }
    }
  });

  describe('the credential fields', () => {
    const field = (key: string) => ociCredentialFields.find((f) => f.key === key);

    it('hold the key PEM, its pass phrase and the fingerprint as secrets, and no OCID, region or path', () => {
      const secrets = ociCredentialFields
        .filter((f) => f.secret)
        .map((f) => f.key)
        .sort();
      assert.deepEqual(secrets, ['fingerprint', 'passPhrase', 'privateKey']);
    });

    it('declare every key the config reader returns, but the file and profile it came from', async () => {
      await writeDefaultConfig(apiKeyProfile('DEFAULT', 'pass_phrase=p\nsecurity_token_file=~/t'));
      const read = await readOciCliConfig({ HOME: home });
      const undeclared = Object.keys(read ?? {}).filter((key) => !field(key));
      assert.deepEqual(undeclared, ['profile', 'configFile']);
    });

    it('count an API-key profile and a session profile from the file as complete', async () => {
      await writeDefaultConfig(apiKeyProfile('DEFAULT'));
      const sessionOnly = join(home, 'session-config'); // no [DEFAULT] to inherit a user or fingerprint from
      await writeFile(sessionOnly, '[SESSION]\ntenancy=t\nregion=r\nkey_file=k\nsecurity_token_file=s\n');
      for (const env of [{ HOME: home }, { HOME: home, OCI_CLI_CONFIG_FILE: sessionOnly, OCI_CLI_PROFILE: 'SESSION' }]) {
        const read = await readOciCliConfig(env);
        assert.ok(read && isComplete(ociCredentialFields, read), `the ${env.OCI_CLI_PROFILE ?? 'DEFAULT'} profile is complete`);
      }
    });

    it('are read from the OCI CLI environment variables', () => {
      assert.deepEqual(field('privateKey')?.env, ['OCI_CLI_KEY_CONTENT']);
      assert.deepEqual(field('keyFile')?.env, ['OCI_CLI_KEY_FILE']);
      assert.deepEqual(field('passPhrase')?.env, ['OCI_CLI_PASSPHRASE']);
      assert.ok(
        ociCredentialFields.every((f) => f.env.length === 1 && f.env[0].startsWith('OCI_CLI_')),
        'every field has its OCI_CLI_ variable',
      );
    });
  });
});
