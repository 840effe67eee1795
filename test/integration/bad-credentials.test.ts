// Bad credential inputs for the SDK clouds (OCI, Azure, Google Cloud), each refreshed next to a healthy cloud (the
// example cloud mounted as `vastai`): the bad one ends as that cloud's error with its category and one clear line,
// the healthy one is reported, and nothing reaches the process's last-resort handlers (issue 25: a wrong OCI pass
// phrase used to throw from sshpk's Decipher 'error' listener, uncaught; a credential file that never ends used to be
// read whole outside any deadline; a hung `az` left an orphan and read "Unexpected end of JSON input").
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CloudId, ErrorCategory, ProviderOutcome } from '../../src/core/model/model';
import { sleep } from '../../src/core/transport/retry';
import { azureCloud } from '../sim/azure';
import { writeFakeCli } from '../sim/fake-cli';
import { gcpCloud, gcpServiceAccountKey } from '../sim/gcp';
import { ociCloud, ociTestCredentials } from '../sim/oci';
import { startProviderHarness, type ProviderHarness } from '../support/providerHarness';

const PASS_PHRASE = 'right-pass-phrase-5b1f';

/** An RSA key encrypted with PASS_PHRASE (PKCS#8 or the OCI CLI's PKCS#1 with DEK-Info). */
function encryptedKey(type: 'pkcs8' | 'pkcs1'): string {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type, format: 'pem', cipher: 'aes-256-cbc', passphrase: PASS_PHRASE },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
}

/** A PEM whose body is not a key. */
const CORRUPT_PEM = `-----BEGIN PRIVATE KEY-----\n${'QUJD'.repeat(40)}\n-----END PRIVATE KEY-----\n`;

const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => uncaught.push(error);

interface Case {
  readonly name: string;
  readonly env: (dir: string, sim: ProviderHarness['sim']) => NodeJS.ProcessEnv;
  readonly category: ErrorCategory;
  readonly message: RegExp;
  /** Test time: a case that waits for a CLI's own timeout. */
  readonly slow?: boolean;
}

/** Refreshes the bad cloud next to a healthy one and checks the bad one's error. */
async function refreshBad(cloud: 'oci' | 'azure' | 'gcp', sim: Parameters<typeof startProviderHarness>[0]['real'], c: Case, dir: string) {
  const h = await startProviderHarness({
    real: sim,
    examples: ['vastai'],
    exampleCount: 3,
    unconfigured: [cloud],
    env: (s) => ({ HOME: path.join(dir, 'home'), ...c.env(dir, s) }),
  });
  try {
    const outcomes = (await h.refresh()).snapshot.outcomes as Partial<Record<CloudId, ProviderOutcome>>;
    assert.equal(outcomes.vastai?.state, 'ok', 'the healthy cloud is reported');
    assert.ok((outcomes.vastai?.resources.length ?? 0) > 0);
    const bad = outcomes[cloud]!;
    assert.equal(bad.state, 'error', `${c.name}: ${bad.state} ${bad.error?.message ?? ''}`);
    assert.equal(bad.error?.category, c.category, `${c.name}: ${bad.error?.message}`);
    const message = bad.error?.message ?? '';
    assert.match(message, c.message, `${c.name}: ${message}`);
    assert.ok(!message.includes('\n'), `one line: ${message}`);
    assert.ok(!/Unexpected end of JSON|did not answer within/.test(message), `says what failed: ${message}`);
    assert.ok(!message.includes(PASS_PHRASE) && !message.includes('wrong-pass'), 'no pass phrase in the message');
  } finally {
    await h.close();
  }
}

function cases(cloud: 'oci' | 'azure' | 'gcp', sim: () => Parameters<typeof startProviderHarness>[0]['real'], list: Case[]) {
  for (const c of list)
    it(c.name, async function () {
      this.timeout(c.slow ? 60_000 : 30_000);
      const dir = mkdtempSync(path.join(tmpdir(), 'cloudtop-badcred-'));
      mkdirSync(path.join(dir, 'home'));
      try {
        await refreshBad(cloud, sim(), c, dir);
        // A hung stand-in wrote its pid and its child's: after the timeout neither is left (SIGKILL follows in 1 s).
        for (let i = 0; i < 30 && leftProcesses(dir).length > 0; i++) await sleep(100);
        assert.deepEqual(leftProcesses(dir), [], 'no process of a stand-in is left: no orphan');
        await sleep(50); // a listener that throws does so on a later tick
        assert.deepEqual(
          uncaught.map((e) => (e instanceof Error ? e.message : String(e))),
          [],
          'nothing reached the last-resort handler',
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
}

const fifo = (file: string) => {
  execFileSync('mkfifo', [file]);
  return file;
};

describe('bad credentials next to a healthy cloud', function () {
  before(function () {
    if (process.platform === 'win32') this.skip(); // FIFOs, /dev/zero and sh stand-ins
    // Mocha's own handler would fail the test on an uncaught exception too; this one names it.
    process.prependListener('uncaughtException', onUncaught);
  });
  after(() => process.removeListener('uncaughtException', onUncaught));
  beforeEach(() => uncaught.splice(0));

  describe('Oracle Cloud', () => {
    const oci = ociTestCredentials();
    const base = {
      OCI_CLI_TENANCY: oci.tenancy,
      OCI_CLI_USER: oci.user,
      OCI_CLI_FINGERPRINT: oci.fingerprint,
      OCI_CLI_REGION: 'us-ashburn-1',
    };
    const config = (dir: string, keyFile: string, extra = '') => {
      const file = path.join(dir, 'oci-config');
      writeFileSync(
        file,
        `[DEFAULT]\nuser=${oci.user}\nfingerprint=${oci.fingerprint}\ntenancy=${oci.tenancy}\nregion=us-ashburn-1\nkey_file=${keyFile}\n${extra}`,
      );
      return file;
    };
    cases('oci', () => ({ cloud: 'oci', sim: ociCloud({ count: 3 }) }), [
      {
        name: 'a wrong pass phrase for a PKCS#8 key in OCI_CLI_KEY_CONTENT',
        env: () => ({ ...base, OCI_CLI_KEY_CONTENT: encryptedKey('pkcs8'), OCI_CLI_PASSPHRASE: 'wrong-pass' }),
        category: 'config',
        message:
          /^The OCI API private key cannot be decrypted with its pass phrase: check pass_phrase in your OCI config or OCI_CLI_PASSPHRASE\.$/,
      },
      {
        name: "a wrong pass_phrase for the OCI CLI's PKCS#1 key file",
        env: (dir) => {
          const key = path.join(dir, 'key.pem');
          writeFileSync(key, encryptedKey('pkcs1'));
          return { OCI_CLI_CONFIG_FILE: config(dir, key, 'pass_phrase=wrong-pass\n') };
        },
        category: 'config',
        message: /cannot be decrypted with its pass phrase/,
      },
      {
        name: 'an encrypted key without a pass phrase',
        env: () => ({ ...base, OCI_CLI_KEY_CONTENT: encryptedKey('pkcs8') }),
        category: 'config',
        message: /is encrypted and no pass phrase is set/,
      },
      {
        name: 'a corrupt key',
        env: () => ({ ...base, OCI_CLI_KEY_CONTENT: CORRUPT_PEM }),
        category: 'config',
        message: /not a valid PEM private key/,
      },
      {
        name: 'OCI_CLI_KEY_CONTENT that is not a PEM is not read as a path',
        env: () => ({ ...base, OCI_CLI_KEY_CONTENT: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC' }),
        category: 'config',
        message: /OCI_CLI_KEY_CONTENT or the stored key\) is not a PEM key/,
      },
      {
        name: 'OCI_CLI_CONFIG_FILE=/dev/zero',
        env: () => ({ OCI_CLI_CONFIG_FILE: '/dev/zero' }),
        category: 'config',
        message: /^The OCI config file \/dev\/zero is not a regular file/,
      },
      {
        name: 'an OCI config that is a FIFO',
        env: (dir) => ({ OCI_CLI_CONFIG_FILE: fifo(path.join(dir, 'config-fifo')) }),
        category: 'config',
        message: /config-fifo is not a regular file/,
      },
      {
        name: 'a key_file that is /dev/zero',
        env: (dir) => ({ OCI_CLI_CONFIG_FILE: config(dir, '/dev/zero') }),
        category: 'config',
        message: /^The OCI private key \/dev\/zero is not a regular file/,
      },
      {
        name: 'a present but unusable OCI config says why, not "not configured"',
        env: (dir) => ({
          OCI_CLI_CONFIG_FILE: config(dir, '/k.pem'),
          OCI_CLI_PROFILE: 'NOPE',
        }),
        category: 'config',
        message: /oci-config has no \[NOPE\] profile\. Fix it/,
      },
      {
        name: 'a garbage OCI config',
        env: (dir) => {
          writeFileSync(path.join(dir, 'garbage'), '\u0000\u0001 not = an [ini\n'.repeat(50));
          return { OCI_CLI_CONFIG_FILE: path.join(dir, 'garbage') };
        },
        category: 'config',
        message: /garbage has no \[DEFAULT\] profile/,
      },
    ]);
  });

  describe('Google Cloud', () => {
    const gcp = () => ({ cloud: 'gcp' as const, sim: gcpCloud({ pageSize: 3 }) });
    const keyFile = (dir: string, key: Record<string, string>) => {
      const file = path.join(dir, 'key.json');
      writeFileSync(file, JSON.stringify(key));
      return file;
    };
    /** A gcloud stand-in on PATH (the credentials reader finds it there) with gcloud's account configured. */
    const gcloud = (dir: string, body: string): NodeJS.ProcessEnv => {
      const bin = path.join(dir, 'bin');
      mkdirSync(bin, { recursive: true });
      const config = path.join(dir, 'gcloud-config');
      mkdirSync(path.join(config, 'configurations'), { recursive: true });
      writeFileSync(path.join(config, 'configurations', 'config_default'), '[core]\naccount = dev@example.com\n');
      writeFakeCli(bin, 'gcloud', 'test/integration/bad-credentials.test.ts', body);
      return { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, CLOUDSDK_CONFIG: config, GOOGLE_CLOUD_PROJECT: 'p' };
    };
    cases('gcp', gcp, [
      {
        name: 'GOOGLE_APPLICATION_CREDENTIALS=/dev/zero',
        env: () => ({ GOOGLE_APPLICATION_CREDENTIALS: '/dev/zero' }),
        category: 'config',
        message: /the credential file \/dev\/zero is not a regular file/,
      },
      {
        name: 'GOOGLE_APPLICATION_CREDENTIALS naming a FIFO',
        env: (dir) => ({ GOOGLE_APPLICATION_CREDENTIALS: fifo(path.join(dir, 'key-fifo')) }),
        category: 'config',
        message: /key-fifo is not a regular file/,
      },
      {
        name: 'GOOGLE_APPLICATION_CREDENTIALS naming a directory',
        env: (dir) => ({ GOOGLE_APPLICATION_CREDENTIALS: dir }),
        category: 'config',
        message: /is a directory/,
      },
      {
        name: 'a service account key whose private key is corrupt',
        env: (dir, sim) => ({
          GOOGLE_APPLICATION_CREDENTIALS: keyFile(dir, { ...gcpServiceAccountKey(sim.endpoint('gcp')), private_key: CORRUPT_PEM }),
        }),
        category: 'config',
        message: /^Google Cloud: the private key of the credential file .*key\.json cannot be read: it is not a valid PEM private key/,
      },
      {
        name: 'a garbage credential file',
        env: (dir) => {
          writeFileSync(path.join(dir, 'garbage.json'), '\u0000{{ not json');
          return { GOOGLE_APPLICATION_CREDENTIALS: path.join(dir, 'garbage.json') };
        },
        category: 'config',
        message: /garbage\.json/,
      },
      {
        name: 'a gcloud that prints garbage instead of a token',
        env: (dir) => gcloud(dir, 'printf "%s\\n" "<html>oops</html> garbage"\n'),
        category: 'auth',
        message: /printed no token/,
      },
      {
        name: 'a hung gcloud that started a child: its timeout names it and leaves no process',
        env: (dir) => gcloud(dir, `sleep 300 &\necho "$$ $!" > '${path.join(dir, 'pids')}'\nwait\n`),
        category: 'network',
        message: /^Google Cloud: `gcloud auth print-access-token` did not answer in 20 s\.$/,
        slow: true,
      },
    ]);
  });

  describe('Azure', () => {
    const azure = () => ({ cloud: 'azure' as const, sim: azureCloud({ pageSize: 4 }) });
    const principal = { AZURE_TENANT_ID: '00000000-0000-0000-0000-0000000000aa', AZURE_CLIENT_ID: '00000000-0000-0000-0000-0000000000bb' };
    /** An `az` stand-in on PATH, with the Azure CLI profile that makes its login a credential. */
    const az = (dir: string, body: string): NodeJS.ProcessEnv => {
      const bin = path.join(dir, 'bin');
      mkdirSync(bin, { recursive: true });
      const config = path.join(dir, 'azure-config');
      mkdirSync(config);
      writeFileSync(
        path.join(config, 'azureProfile.json'),
        JSON.stringify({
          subscriptions: [{ id: '00000000-0000-0000-0000-0000000000cc', isDefault: true, tenantId: principal.AZURE_TENANT_ID }],
        }),
      );
      writeFakeCli(bin, 'az', 'test/integration/bad-credentials.test.ts', body);
      // The runner starts `az` from this process's PATH, as the Azure CLI credential always did.
      process.env.PATH = `${bin}${path.delimiter}${savedPath ?? ''}`;
      return { AZURE_CONFIG_DIR: config };
    };
    const savedPath = process.env.PATH;
    afterEach(() => {
      process.env.PATH = savedPath;
    });
    cases('azure', azure, [
      {
        name: 'a missing client certificate',
        env: (dir) => ({ ...principal, AZURE_CLIENT_CERTIFICATE_PATH: path.join(dir, 'missing.pem') }),
        category: 'config',
        message: /The Azure client certificate .*missing\.pem does not exist/,
      },
      {
        name: 'a client certificate that is /dev/zero',
        env: () => ({ ...principal, AZURE_CLIENT_CERTIFICATE_PATH: '/dev/zero' }),
        category: 'config',
        message: /certificate \/dev\/zero is not a regular file/,
      },
      {
        name: 'a client certificate that is not a PEM with key and certificate',
        env: (dir) => {
          writeFileSync(path.join(dir, 'cert.pem'), CORRUPT_PEM);
          return { ...principal, AZURE_CLIENT_CERTIFICATE_PATH: path.join(dir, 'cert.pem') };
        },
        category: 'config',
        message: /is not a PEM file holding the private key and the certificate/,
      },
      {
        name: 'an Azure CLI profile that is a FIFO',
        env: (dir) => {
          const config = path.join(dir, 'azure-config');
          mkdirSync(config);
          fifo(path.join(config, 'azureProfile.json'));
          return { AZURE_CONFIG_DIR: config };
        },
        category: 'config',
        message: /The Azure CLI's profile .*azureProfile\.json is not a regular file/,
      },
      {
        name: 'an az that prints garbage instead of JSON',
        env: (dir) => az(dir, 'echo "garbage {"\n'),
        category: 'config',
        message: /printed no token/,
      },
      {
        name: 'a hung az that started a child (the real az launcher does not exec): its timeout names it and leaves no process',
        env: (dir) => az(dir, `sleep 300 &\necho "$$ $!" > '${path.join(dir, 'pids')}'\nwait\n`),
        category: 'network',
        message: /`az` did not answer in 12 s\.$/,
        slow: true,
      },
    ]);
  });
});

/** The processes a hung stand-in wrote to `<dir>/pids` (its own and its child's) that are still alive. */
function leftProcesses(dir: string): number[] {
  const file = path.join(dir, 'pids');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split(' ')
    .map(Number)
    .filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
}

describe('credential resolution runs under the refresh deadline', () => {
  it('a credential source that never answers costs that cloud a config error saying so, not the refresh', async function () {
    this.timeout(10_000);
    // Two example clouds: `runpod` reads its CLI file forever (a FIFO on a hung file system would), `vastai` is healthy.
    const h = await startProviderHarness({
      examples: ['vastai', 'runpod'],
      exampleCount: 3,
      unconfigured: ['runpod'],
      exampleEntry: (entry) =>
        entry.cloud === 'runpod' ? { ...entry, readDefaultCredentials: () => new Promise(() => undefined) } : entry,
      collector: { deadlineMs: 800 },
    });
    try {
      const started = Date.now();
      const { snapshot } = await h.refresh();
      assert.ok(Date.now() - started < 5000, 'the refresh ends at the deadline');
      assert.equal(snapshot.outcomes.vastai?.state, 'ok');
      const stuck = snapshot.outcomes.runpod;
      assert.equal(stuck?.state, 'error');
      assert.equal(stuck?.error?.category, 'config');
      assert.match(
        stuck?.error?.message ?? '',
        /^Reading RunPod's credentials took longer than 1 s: is a credential or config file a pipe/,
      );
    } finally {
      await h.close();
    }
  });
});
