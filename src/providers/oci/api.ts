// The official OCI clients, built the one way Cloudtop allows (sdk-apis.md §1.2, §1.3, §1.8):
//  - authentication from the credentials Cloudtop resolved (environment, stored, or the OCI CLI config that
//    credentials.ts read with OCI_CLI_CONFIG_FILE / OCI_CLI_PROFILE winning): an API key through
//    SimpleAuthenticationDetailsProvider (values, no file parsing by the SDK, whose reader echoes a bad line — a pass
//    phrase included — in its error), a session profile through SessionAuthDetailProvider with the file and profile
//    passed explicitly;
//  - every request signed by oci-common's DefaultRequestSigner and sent through Cloudtop's transport
//    (http-client.ts); retries off (NoRetryConfigurationDetails: Container Engine and Identity default to 8 attempts)
//    and the circuit breaker off (it would refuse calls for 30 s after 10 failures);
//  - per region, the SDK's own endpoint for that region, or with an endpoint override that origin for every service
//    (the client's endpoint setter appends the API version path, /20160918 and so on).
import { readFile } from 'node:fs/promises';
import * as common from 'oci-common';
import { ComputeClient } from 'oci-core';
import { ContainerEngineClient } from 'oci-containerengine';
import { DatabaseClient } from 'oci-database';
import { IdentityClient } from 'oci-identity';
import { MonitoringClient } from 'oci-monitoring';
import { CloudtopError } from '../../core/errors/errors';
import type { Credentials } from '../../core/engine/provider';
import type { Transport } from '../../core/transport/transport';
import { ociClientConfiguration } from '../../core/transport/transport-sdk';
import { signedTransportClient, withSignal, type Signer } from './http-client';

export interface RegionClients {
  readonly compute: ComputeClient;
  readonly containerEngine: ContainerEngineClient;
  readonly database: DatabaseClient;
  readonly monitoring: MonitoringClient;
  readonly identity: IdentityClient;
  /** The origins these clients send to (the transport refuses any other). */
  readonly origins: readonly string[];
  /** The region's key as OCIDs spell it (`iad` for us-ashburn-1), when the SDK knows the region. */
  readonly regionKey: string | undefined;
  /** Runs one SDK call on this region's transport: a failed request rejects with the transport's CloudtopError. */
  run<T>(operation: string, call: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

type AuthProvider = common.AuthenticationDetailsProvider;

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

/**
 * Every client for one region. `endpoint`: an override origin, or undefined for OCI's own endpoints. The transport is
 * made once the clients' origins are known (it refuses any other), so the http client reaches it through `sent`.
 */
export function regionClients(
  auth: AuthProvider,
  signer: Signer,
  region: string,
  endpoint: string | undefined,
  makeTransport: (origins: readonly string[]) => Transport,
): RegionClients {
  const late: { transport?: Transport } = {};
  const sent: Transport = {
    fetch: (input, init) => late.transport!.fetch(input, init),
    run: (operation, call) => late.transport!.run(operation, call),
  };
  // AuthParams' typing allows no httpClient beside an authentication provider; the constructors take both
  // (oci-core lib/client.js: `params.httpClient || new FetchHttpClient(…)`).
  const params = { authenticationDetailsProvider: auth, httpClient: signedTransportClient(signer, sent) } as unknown as common.AuthParams;
  const config: common.ClientConfiguration = ociClientConfiguration(common);
  const build = <C extends { endpoint: string; regionId: string }>(
    make: new (p: common.AuthParams, c: common.ClientConfiguration) => C,
  ): C => {
    const client = new make(params, config);
    if (endpoint) client.endpoint = endpoint.replace(/\/+$/, '');
    else client.regionId = region;
    return client;
  };
  const clients = {
    compute: build(ComputeClient),
    containerEngine: build(ContainerEngineClient),
    database: build(DatabaseClient),
    monitoring: build(MonitoringClient),
    identity: build(IdentityClient),
  };
  const origins = [...new Set(Object.values(clients).map((c) => new URL(c.endpoint).origin))];
  late.transport = makeTransport(origins);
  const regionKey = common.Region.fromRegionId(region)?.regionCode?.toLowerCase();
  return { ...clients, origins, regionKey, run: (operation, call, signal) => withSignal(signal, () => sent.run(operation, call)) };
}
