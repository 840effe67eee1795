// The OCI CLI's own config file, read as the OCI CLI reads it, so a user who ran `oci setup config` (or
// `oci session authenticate`) needs no second step. The file is `OCI_CLI_CONFIG_FILE`, else `~/.oci/config`; the
// profile is `OCI_CLI_PROFILE`, else DEFAULT. Both env vars win even when `~/.oci/config` exists: the SDK's own
// default lookup (oci-common config-file-reader.js parseDefault) does not, so the provider must hand the SDK what
// this reader found rather than let the SDK look again.
// The INI dialect is the CLI's (Python configparser): `[PROFILE]` headers (case-sensitive), `key = value` lines whose
// keys are case-insensitive, whole-line `#` and `;` comments, and every profile inheriting the keys of [DEFAULT].
// The SDK's reader agrees on the inheritance; it knows only `#` comments and keeps key case.
// SDK-free and small: the catalogue imports it eagerly. It never reads the private key (the provider does, when the
// cloud is used): a missing file means "no credentials here"; an unusable one is a `config` error saying why, naming
// the file, the profile and the key, never a value.
import { join } from 'node:path';
import { MAX_CREDENTIAL_BYTES, readSmallFile } from '../../core/credentials/config-files';
import { CloudtopError } from '../../core/errors/errors';
import type { CredentialField } from '../../core/credentials/fields';
import type { Credentials } from '../../core/engine/provider';

export const DEFAULT_PROFILE = 'DEFAULT';

/**
 * OCI's credential fields, for its catalogue entry (not wired yet), keyed as readOciCliConfig returns them and read
 * from the OCI CLI's own environment variables (docs.oracle.com …/SDKDocs/clienvironmentvariables.htm). The key
 * PEM, its pass phrase and the fingerprint are secrets, so the resolver registers them for redaction. Only tenancy
 * and region are required of every source: a session profile has no user or fingerprint, and the key is either a PEM
 * or a file; the provider checks that one of them is there.
 */
export const ociCredentialFields: readonly CredentialField[] = [
  { key: 'tenancy', label: 'Tenancy OCID', secret: false, env: ['OCI_CLI_TENANCY'], placeholder: 'ocid1.tenancy.oc1..…' },
  {
    key: 'user',
    label: 'User OCID (empty for a session profile)',
    secret: false,
    optional: true,
    env: ['OCI_CLI_USER'],
    placeholder: 'ocid1.user.oc1..…',
  },
  { key: 'fingerprint', label: 'API key fingerprint', secret: true, optional: true, env: ['OCI_CLI_FINGERPRINT'] },
  { key: 'region', label: 'Region', secret: false, env: ['OCI_CLI_REGION'], placeholder: 'e.g. eu-frankfurt-1' },
  { key: 'privateKey', label: 'Private key PEM (empty: use the key file)', secret: true, optional: true, env: ['OCI_CLI_KEY_CONTENT'] },
  {
    key: 'keyFile',
    label: 'Private key file (empty: use the PEM)',
    secret: false,
    optional: true,
    env: ['OCI_CLI_KEY_FILE'],
    placeholder: '~/.oci/oci_api_key.pem',
  },
  { key: 'passPhrase', label: 'Private key pass phrase (empty: not encrypted)', secret: true, optional: true, env: ['OCI_CLI_PASSPHRASE'] },
  {
    key: 'securityTokenFile',
    label: 'Session token file (session profiles only)',
    secret: false,
    optional: true,
    env: ['OCI_CLI_SECURITY_TOKEN_FILE'],
  },
];

type Profiles = Map<string, Map<string, string>>;

/** What the config file says for the chosen profile: credentials, or why there are none. */
export type OciCliConfigReading =
  { readonly credentials: Credentials; readonly problem?: undefined } | { readonly credentials?: undefined; readonly problem: string };

/** The config file and profile the OCI CLI would use under `env`; no file when there is no home to look in. */
export function ociCliConfigLocation(env: NodeJS.ProcessEnv): { file: string | undefined; profile: string } {
  const home = homeOf(env);
  const named = env.OCI_CLI_CONFIG_FILE?.trim();
  const file = named ? expandHome(named, home) : home ? join(home, '.oci', 'config') : undefined;
  return { file, profile: env.OCI_CLI_PROFILE?.trim() || DEFAULT_PROFILE };
}

/** The profiles of an OCI config file, keys lowercased. Lines that are neither header nor `key = value` are skipped. */
export function parseOciConfig(text: string): Profiles {
  const profiles: Profiles = new Map();
  let current: Map<string, string> | undefined;
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.*)\]$/.exec(line);
    if (header) {
      const name = header[1].trim();
      current = name ? (profiles.get(name) ?? new Map<string, string>()) : undefined;
      if (current) profiles.set(name, current);
      continue;
    }
    const split = line.indexOf('=');
    if (split <= 0 || !current) continue; // keys before any header belong to no profile, as in both readers
    current.set(line.slice(0, split).trim().toLowerCase(), line.slice(split + 1).trim());
  }
  return profiles;
}

/** The profile's own keys over those of [DEFAULT]; undefined when the file has no such profile. */
export function resolveProfile(profiles: Profiles, profile: string): Map<string, string> | undefined {
  const own = profiles.get(profile);
  if (!own) return undefined;
  const inherited = profile === DEFAULT_PROFILE ? undefined : profiles.get(DEFAULT_PROFILE);
  return new Map([...(inherited ?? []), ...own]);
}

/**
 * The credentials in `profile` of the config file at `file`. API-key profiles need user, fingerprint, tenancy,
 * region and key_file; session profiles (`security_token_file`, written by `oci session authenticate`) sign with the
 * token instead of user and fingerprint, so need only tenancy, region and key_file.
 */
export function ociCredentialsFromText(
  text: string,
  file: string,
  profile: string,
  home: string | undefined,
  tokenFileFromEnv?: string,
): OciCliConfigReading {
  const values = resolveProfile(parseOciConfig(text), profile);
  if (!values) return { problem: `${file} has no [${profile}] profile.` };
  const get = (key: string) => values.get(key) || undefined;
  // OCI_CLI_SECURITY_TOKEN_FILE wins over the profile's security_token_file, as in the OCI CLI (environment over file).
  const securityTokenFile = tokenFileFromEnv || get('security_token_file');
  const required = securityTokenFile ? ['tenancy', 'region', 'key_file'] : ['user', 'fingerprint', 'tenancy', 'region', 'key_file'];
  const missing = required.filter((key) => get(key) === undefined);
  if (missing.length > 0) return { problem: `The [${profile}] profile in ${file} has no ${missing.join(', ')}.` };
  const credentials: Record<string, string> = {
    tenancy: get('tenancy')!,
    region: get('region')!,
    keyFile: expandHome(get('key_file')!, home),
    profile,
    configFile: file,
  };
  for (const [field, key] of [
    ['user', 'user'],
    ['fingerprint', 'fingerprint'],
    ['passPhrase', 'pass_phrase'],
  ] as const) {
    const value = get(key);
    if (value !== undefined) credentials[field] = value;
  }
  if (securityTokenFile) credentials.securityTokenFile = expandHome(securityTokenFile, home);
  return { credentials };
}

/**
 * The OCI CLI config's credentials or why they are unusable; undefined when there is no config file. Rejects (a
 * `config` CloudtopError naming the file) only when the file is not a small regular file.
 */
export async function inspectOciCliConfig(env: NodeJS.ProcessEnv): Promise<OciCliConfigReading | undefined> {
  const { file, profile } = ociCliConfigLocation(env);
  if (!file) return undefined;
  const text = await readSmallFile(file, { maxBytes: MAX_CREDENTIAL_BYTES, cloud: 'oci', what: 'The OCI config file' });
  return text === undefined
    ? undefined
    : ociCredentialsFromText(text, file, profile, homeOf(env), env.OCI_CLI_SECURITY_TOKEN_FILE?.trim() || undefined);
}

/**
 * The credentials the OCI CLI would use from its config file; undefined when there is no config file. A file that is
 * there but unusable (not a regular file, too large, no such profile, a key missing) rejects with a `config` error
 * saying why, which the resolver reports when no other source has credentials.
 */
export async function readOciCliConfig(env: NodeJS.ProcessEnv): Promise<Credentials | undefined> {
  const reading = await inspectOciCliConfig(env);
  if (reading?.problem)
    throw new CloudtopError({
      category: 'config',
      cloud: 'oci',
      message: `${reading.problem} Fix it (\`oci setup config\`), or set the OCI_CLI_* variables.`,
    });
  return reading?.credentials;
}

function homeOf(env: NodeJS.ProcessEnv): string | undefined {
  // Python's expanduser: $HOME, %USERPROFILE% on Windows. The passed env decides, so tests stay out of the real home.
  return env.HOME?.trim() || env.USERPROFILE?.trim() || undefined;
}

/** `~/x` (or `~\x`) under `home`, as both the CLI and the SDK expand key_file; other paths as written. */
function expandHome(path: string, home: string | undefined): string {
  return home && /^~[/\\]/.test(path) ? join(home, path.slice(2)) : path;
}
