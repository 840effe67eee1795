// Google Cloud's credential fields and its default credentials, SDK-free (the catalogue imports it eagerly).
// Order, as for every cloud: environment (GOOGLE_APPLICATION_CREDENTIALS names a credential file of any type
// google-auth-library reads: service account, authorized user, external account, external-account authorized user),
// then stored (Set Credentials… / `cloudtop login gcp`: a service-account key), then gcloud's own: the ADC file
// `gcloud auth application-default login` writes, else gcloud's login itself (`gcloud auth print-access-token`, when
// gcloud is on PATH). Never the metadata server: on a developer machine its probe only waits.
// The project: GOOGLE_CLOUD_PROJECT / CLOUDSDK_CORE_PROJECT, else the credential's own, else `gcloud config`.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { MAX_CREDENTIAL_BYTES, readSmallFile } from '../../core/credentials/config-files';
import type { CredentialField, Credentials } from '../../core/credentials/fields';

/** Marks credentials that stand for gcloud's own login (the `login` key): tokens from `gcloud auth print-access-token`. */
export const GCLOUD_LOGIN = 'gcloud';
/** The credentials' entry naming the gcloud executable found on PATH (not a field: nobody types it). */
export const GCLOUD_PATH = 'gcloudPath';
/** The credential types google-auth-library reads from a file (`type` in the JSON). */
export const CREDENTIAL_TYPES = [
  'service_account',
  'authorized_user',
  'external_account',
  'external_account_authorized_user',
  'impersonated_service_account',
] as const;

/** Why a pasted key cannot be a service-account key, or undefined when it may be one. */
export function serviceAccountKeyProblem(value: string): string | undefined {
  let key: unknown;
  try {
    key = JSON.parse(value);
  } catch {
    return 'is not JSON: paste the whole key file ({"type": "service_account", …})';
  }
  const k = key as Record<string, unknown> | null;
  if (!k || typeof k !== 'object' || k.type !== 'service_account')
    return 'is not a service-account key (its "type" is not "service_account")';
  if (typeof k.client_email !== 'string' || typeof k.private_key !== 'string') return 'lacks client_email or private_key';
  return undefined;
}

export const gcpCredentialFields: readonly CredentialField[] = [
  {
    key: 'serviceAccountKey',
    label: 'Service-account key (the JSON key file, pasted whole)',
    secret: true,
    env: [],
    oneOf: 'credential',
    placeholder: '{"type": "service_account", "project_id": …}',
    validate: serviceAccountKeyProblem,
  },
  {
    key: 'credentialsFile',
    label: 'Credential file',
    secret: false,
    env: ['GOOGLE_APPLICATION_CREDENTIALS'],
    oneOf: 'credential',
    envOnly: true,
  },
  {
    key: 'projectId',
    label: "Project ID (empty: the key's own project)",
    secret: false,
    optional: true,
    env: ['GOOGLE_CLOUD_PROJECT', 'CLOUDSDK_CORE_PROJECT'],
  },
];

/** gcloud's configuration folder (`CLOUDSDK_CONFIG`, else ~/.config/gcloud; %APPDATA%\gcloud on Windows). */
export function gcloudConfigDir(env: NodeJS.ProcessEnv): string | undefined {
  const named = env.CLOUDSDK_CONFIG?.trim();
  if (named) return named;
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'gcloud');
  const home = env.HOME || env.USERPROFILE;
  return home ? join(home, '.config', 'gcloud') : undefined;
}

/** The file `gcloud auth application-default login` writes. */
export function adcFile(env: NodeJS.ProcessEnv): string | undefined {
  const dir = gcloudConfigDir(env);
  return dir ? join(dir, 'application_default_credentials.json') : undefined;
}

/** gcloud on PATH (gcloud.cmd on Windows), or undefined. */
export async function gcloudOnPath(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const names = process.platform === 'win32' ? ['gcloud.cmd', 'gcloud.exe'] : ['gcloud'];
  for (const dir of (env.PATH ?? '').split(delimiter).filter((d) => d !== '')) {
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/**
 * The account gcloud is signed in as: CLOUDSDK_CORE_ACCOUNT, else `account` in the [core] section of its active
 * configuration (CLOUDSDK_ACTIVE_CONFIG_NAME, else the name in `active_config`, else `default`). Read from its files
 * because running gcloud costs a second: an installed gcloud nobody signed in to is no credential.
 */
export async function gcloudAccount(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const named = env.CLOUDSDK_CORE_ACCOUNT?.trim();
  if (named) return named;
  const dir = gcloudConfigDir(env);
  if (!dir) return undefined;
  const active =
    env.CLOUDSDK_ACTIVE_CONFIG_NAME?.trim() ||
    (await readSmallFile(join(dir, 'active_config'), { cloud: 'gcp', what: "gcloud's active configuration" }))?.trim() ||
    'default';
  if (!/^[\w.-]+$/.test(active)) return undefined;
  const config = await readSmallFile(join(dir, 'configurations', `config_${active}`), { cloud: 'gcp', what: "gcloud's configuration" });
  let section = '';
  for (const line of (config ?? '').split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) section = header[1].trim();
    const entry = /^\s*account\s*[=:]\s*(.+?)\s*$/.exec(line);
    if (entry && section === 'core') return entry[1];
  }
  return undefined;
}

/**
 * gcloud's credentials: its ADC file when it holds a credential, else its login when gcloud is on PATH and signed in
 * (a stale login shows on the first token request, with gcloud's own words).
 */
export async function readGcloudCredentials(env: NodeJS.ProcessEnv): Promise<Credentials | undefined> {
  const project = env.GOOGLE_CLOUD_PROJECT?.trim() || env.CLOUDSDK_CORE_PROJECT?.trim();
  const bin = await gcloudOnPath(env);
  // The gcloud found on this environment's PATH is the one asked later (for tokens, for its project).
  const withProject = (c: Record<string, string>): Credentials => ({
    ...c,
    ...(bin ? { [GCLOUD_PATH]: bin } : {}),
    ...(project ? { projectId: project } : {}),
  });
  const file = adcFile(env);
  const text = file
    ? await readSmallFile(file, { maxBytes: MAX_CREDENTIAL_BYTES, cloud: 'gcp', what: 'The Google credential file' })
    : undefined;
  if (file && text !== undefined) {
    try {
      const type = (JSON.parse(text) as { type?: unknown }).type;
      if (typeof type === 'string' && (CREDENTIAL_TYPES as readonly string[]).includes(type)) return withProject({ credentialsFile: file });
    } catch {
      // A broken ADC file is no credential; gcloud's login may still be.
    }
  }
  return bin && (await gcloudAccount(env)) ? withProject({ login: GCLOUD_LOGIN }) : undefined;
}
