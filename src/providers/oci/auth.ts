// Signing in to OCI from the credentials Cloudtop resolved (npm oci-common 2.139.1 lib/auth/*.js; oci-*/lib/client.js
// `set endpoint`): an API key (environment, stored, or the OCI CLI config that credentials.ts read with
// OCI_CLI_CONFIG_FILE / OCI_CLI_PROFILE winning) through SimpleAuthenticationDetailsProvider (values, no file parsing
// by the SDK, whose reader echoes a bad line — a pass phrase included — in its error), a session profile through
// session-auth.ts (the token re-read when the OCI CLI rewrites it); and the request signer over it.
// The key is read through core's bounded reader and decrypted here with node:crypto before the SDK sees it: sshpk
// (oci-common's key parser, sshpk 1.18.0 lib/formats/pem.js) decrypts an encrypted PEM with a Decipher stream whose
// 'error' listener throws, so a wrong pass phrase throws from a stream event after the parse has already failed —
// an uncaught exception no caller can catch (https://github.com/TritonDataCenter/node-sshpk/blob/master/lib/formats/pem.js).
// The SDK is handed an unencrypted PKCS#8 PEM and no pass phrase, so sshpk never decrypts anything.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as common from 'oci-common';
import { MAX_CREDENTIAL_BYTES, readSmallFile } from '../../core/credentials/config-files';
import { CloudtopError } from '../../core/errors/errors';
import type { Credentials } from '../../core/engine/provider';
import { SessionTokenAuth } from './session-auth';

export type AuthProvider = common.AuthenticationDetailsProvider;

const configError = (message: string) => new CloudtopError({ category: 'config', cloud: 'oci', message });

/** An OCI private key file (a PEM of a few KB); a session token is a JWT of a few KB too. */
const KEY_FILE_BYTES = 64 * 1024;

/** A stored key that is a path rather than a PEM: absolute, home- or dot-relative, or a .pem file name, on one line. */
const looksLikePath = (value: string): boolean =>
  !/[\r\n]/.test(value) && (/^(?:~|\.{1,2})?[/\\]/.test(value) || /^[A-Za-z]:[/\\]/.test(value) || /\.pem$/i.test(value));

/** The authentication the credentials describe. Reads the key file; never puts a key or pass phrase in a message. */
export async function authProviderOf(credentials: Credentials): Promise<AuthProvider> {
  const { tenancy, user, fingerprint, region, securityTokenFile } = credentials;
  if (securityTokenFile && !user) {
    // A session profile (the config file's security_token_file, or OCI_CLI_SECURITY_TOKEN_FILE): signed with the
    // session key and the token, which is read again whenever `oci session refresh` rewrites it (session-auth.ts).
    // `oci session authenticate` writes no user; a profile with a user is an API-key profile, as the OCI CLI reads it
    // by default (a token file in the environment does not change its authentication).
    // The SDK's own config reader is never used: it quotes a line it cannot parse (a pass phrase) in its error.
    const keyFile =
      credentials.keyFile ?? (credentials.privateKey && looksLikePath(credentials.privateKey) ? credentials.privateKey : undefined);
    const pem = keyFile ? await readKeyFile(keyFile, `file ${keyFile}`) : credentials.privateKey;
    if (!pem || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem))
      throw configError('An OCI session profile needs its session key: key_file in the profile (or OCI_CLI_KEY_FILE).');
    return SessionTokenAuth.open(expandHome(securityTokenFile), decryptedKey(onePemPerLine(pem), credentials.passPhrase), regionOf(region));
  }
  if (!tenancy || !user || !fingerprint)
    throw configError(
      'Oracle Cloud needs a tenancy OCID, a user OCID and the API key fingerprint: run "Cloudtop: Set Credentials…" (or `cloudtop login oci`), or `oci setup config`.',
    );
  // The stored key is the PEM, or a path to it (what fits in one input line); a key file comes from the config.
  const pem = credentials.privateKey?.trim();
  if (pem && !pem.startsWith('-----BEGIN') && !looksLikePath(pem))
    throw configError(
      'The OCI private key (OCI_CLI_KEY_CONTENT or the stored key) is not a PEM key: it must start with a "-----BEGIN … PRIVATE KEY-----" line. Set the PEM itself, or its file (OCI_CLI_KEY_FILE).',
    );
  const keyFile = pem && !pem.startsWith('-----BEGIN') ? pem : pem ? undefined : credentials.keyFile;
  // A path stored in the key's own (secret) field is not named: it would be redacted anyway.
  let key = keyFile
    ? await readKeyFile(keyFile, keyFile === credentials.keyFile ? `file ${keyFile}` : 'file whose path you stored as the key')
    : pem;
  key = key && onePemPerLine(key);
  if (!key || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key))
    throw configError('The OCI API private key is missing or not a PEM private key: set the key (PKCS#8 or PKCS#1 PEM) or its file.');
  return new common.SimpleAuthenticationDetailsProvider(
    tenancy,
    user,
    fingerprint,
    decryptedKey(key, credentials.passPhrase),
    null,
    regionOf(region),
  );
}

/** The SDK's Region for an id (an unknown id is accepted as OC1, as the SDK does). */
function regionOf(region: string | undefined): common.Region | undefined {
  return region ? common.Region.fromRegionId(region) : undefined;
}

/** `~/x` under the user's home, as the OCI CLI expands a token file named in the environment. */
function expandHome(path: string): string {
  return /^~[/\\]/.test(path) ? join(homedir(), path.slice(2)) : path;
}

/** The key file's text, through the bounded reader (a regular file of at most 64 KiB). */
async function readKeyFile(path: string, named: string): Promise<string> {
  let text: string | undefined;
  try {
    text = await readSmallFile(path, {
      maxBytes: Math.min(KEY_FILE_BYTES, MAX_CREDENTIAL_BYTES),
      cloud: 'oci',
      what: 'The OCI private key',
    });
  } catch (error) {
    // The reader names the path; a path stored as the (secret) key is not repeated.
    if (named.startsWith('file ')) throw error;
    throw configError(`Cannot read the OCI private key ${named}: ${(error as Error).message.replace(/^.*? (is|cannot)/, '$1')}`);
  }
  if (text === undefined)
    throw configError(`Cannot read the OCI private key ${named} (ENOENT). Check key_file in your OCI config, or store the key again.`);
  return text;
}

/**
 * The key as an unencrypted PKCS#8 PEM, opened by node:crypto with its pass phrase: a wrong or missing pass phrase and
 * a corrupt or non-RSA key are `config` errors naming neither key nor pass phrase.
 */
export function decryptedKey(pem: string, passPhrase: string | undefined): string {
  const encrypted = /ENCRYPTED/.test(pem);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem', ...(passPhrase ? { passphrase: passPhrase } : {}) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (encrypted && !passPhrase)
      throw configError(
        'The OCI API private key is encrypted and no pass phrase is set: set pass_phrase in your OCI config or OCI_CLI_PASSPHRASE.',
      );
    if (encrypted || code === 'ERR_OSSL_BAD_DECRYPT')
      throw configError(
        'The OCI API private key cannot be decrypted with its pass phrase: check pass_phrase in your OCI config or OCI_CLI_PASSPHRASE.',
      );
    throw configError(
      'The OCI API private key cannot be read: it is not a valid PEM private key (corrupt or truncated). Set the key again.',
    );
  }
  if (key.asymmetricKeyType !== 'rsa')
    throw configError(`The OCI API private key is ${key.asymmetricKeyType ?? 'not RSA'}: OCI API keys are RSA keys.`);
  return key.export({ type: 'pkcs8', format: 'pem' }) as string;
}

/**
 * A PEM pasted into one input line (Set Credentials…, `cloudtop login oci`) arrives with its line breaks turned into
 * spaces; sshpk needs them back.
 */
export function onePemPerLine(pem: string): string {
  const m = /^\s*(-----BEGIN [A-Z ]+-----)\s*([\s\S]*?)\s*(-----END [A-Z ]+-----)\s*$/.exec(pem);
  if (!m || m[2].includes('\n')) return pem;
  // An encrypted PKCS#1 key has "Proc-Type: …" and "DEK-Info: …" header lines before a blank line.
  const headers = [...m[2].matchAll(/(Proc-Type: \S+|DEK-Info: \S+)/g)].map((h) => h[1]);
  const body = m[2].replace(/(Proc-Type: \S+|DEK-Info: \S+)/g, '').replace(/\s+/g, '');
  const lines = body.match(/.{1,64}/g) ?? [];
  return [m[1], ...headers, ...(headers.length ? [''] : []), ...lines, m[3], ''].join('\n');
}

/** The request signer; a key that cannot be parsed (or a wrong pass phrase) is a config error that names neither. */
export function signerOf(auth: AuthProvider): common.DefaultRequestSigner {
  try {
    return new common.DefaultRequestSigner(auth);
  } catch {
    throw configError('The OCI API private key cannot be read: is it a PEM key, and is the pass phrase right?');
  }
}
