// Signing in to OCI from the credentials Cloudtop resolved (npm oci-common 2.139.1 lib/auth/*.js; oci-*/lib/client.js
// `set endpoint`): an API key (environment, stored, or the OCI CLI config that credentials.ts read with
// OCI_CLI_CONFIG_FILE / OCI_CLI_PROFILE winning) through SimpleAuthenticationDetailsProvider (values, no file parsing
// by the SDK, whose reader echoes a bad line — a pass phrase included — in its error), a session profile through
// SessionAuthDetailProvider with the file and profile passed explicitly; and the request signer over it.
import { readFile } from 'node:fs/promises';
import * as common from 'oci-common';
import { CloudtopError } from '../../core/errors/errors';
import type { Credentials } from '../../core/engine/provider';

export type AuthProvider = common.AuthenticationDetailsProvider;

const configError = (message: string) => new CloudtopError({ category: 'config', cloud: 'oci', message });

/** The authentication the credentials describe. Reads the key file; never puts a key or pass phrase in a message. */
export async function authProviderOf(credentials: Credentials): Promise<AuthProvider> {
  const { tenancy, user, fingerprint, region, securityTokenFile, configFile, profile } = credentials;
  if (securityTokenFile && configFile) return new common.SessionAuthDetailProvider(configFile, profile || 'DEFAULT');
  if (!tenancy || !user || !fingerprint)
    throw configError(
      'Oracle Cloud needs a tenancy OCID, a user OCID and the API key fingerprint: run "Cloudtop: Set Credentials…" (or `cloudtop login oci`), or `oci setup config`.',
    );
  // The stored key is the PEM, or a path to it (what fits in one input line); a key file comes from the config.
  const pem = credentials.privateKey?.trim();
  const keyFile = pem && !pem.startsWith('-----BEGIN') ? pem : pem ? undefined : credentials.keyFile;
  let key = keyFile ? undefined : pem;
  if (keyFile) {
    try {
      key = await readFile(keyFile, 'utf8');
    } catch (error) {
      // A path stored in the key's own (secret) field is not named: it would be redacted anyway.
      const named = keyFile === credentials.keyFile ? `file ${keyFile}` : 'file whose path you stored as the key';
      throw configError(
        `Cannot read the OCI private key ${named} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}). Check key_file in your OCI config, or store the key again.`,
      );
    }
  }
  key = key && onePemPerLine(key);
  if (!key || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key))
    throw configError('The OCI API private key is missing or not a PEM private key: set the key (PKCS#8 or PKCS#1 PEM) or its file.');
  return new common.SimpleAuthenticationDetailsProvider(
    tenancy,
    user,
    fingerprint,
    key,
    credentials.passPhrase || null,
    region ? common.Region.fromRegionId(region) : undefined,
  );
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
