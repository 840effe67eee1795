// The official OCI clients, built the one way Cloudtop allows (npm oci-common 2.139.1 lib/auth/*.js, lib/retrier.js,
// lib/circuit-breaker.js; oci-*/lib/client.js `set endpoint`):
//  - authentication from auth.ts (an API key or a session profile, from the credentials Cloudtop resolved);
//  - every request signed by oci-common's DefaultRequestSigner and sent through Cloudtop's transport
//    (http-client.ts); retries off (NoRetryConfigurationDetails: Container Engine and Identity default to 8 attempts)
//    and the circuit breaker off (it would refuse calls for 30 s after 10 failures);
//  - per region, the SDK's own endpoint for that region, or with an endpoint override that origin for every service
//    (the client's endpoint setter appends the API version path, /20160918 and so on);
//  - the refresh's signal passed explicitly: each call gets views of the region's clients whose http client carries
//    that call's signal (the SDK's request objects take none).
import * as common from 'oci-common';
import { ComputeClient } from 'oci-core';
import { ContainerEngineClient } from 'oci-containerengine';
import { DatabaseClient } from 'oci-database';
import { IdentityClient } from 'oci-identity';
import { MonitoringClient } from 'oci-monitoring';
import type { Transport } from '../../core/transport/transport';
import { ociClientConfiguration } from './sdk-config';
import type { AuthProvider } from './auth';
import { signedTransportClient, type Signer } from './http-client';
import { SessionTokenAuth } from './session-auth';
import { CloudtopError, toCloudtopError } from '../../core/errors/errors';

export interface SdkClients {
  readonly compute: ComputeClient;
  readonly containerEngine: ContainerEngineClient;
  readonly database: DatabaseClient;
  readonly monitoring: MonitoringClient;
  readonly identity: IdentityClient;
}

export interface RegionClients {
  /** The origins these clients send to (the transport refuses any other). */
  readonly origins: readonly string[];
  /** The region's key as OCIDs spell it (`iad` for us-ashburn-1), when the SDK knows the region. */
  readonly regionKey: string | undefined;
  /**
   * Runs one SDK call on this region's transport with clients whose every request listens on `signal` (the SDK's
   * calls take none): a failed request rejects with the transport's CloudtopError. `write`: the call changes something
   * (a stop or a start), so its requests are tried again only after a 429 (core/transport CallOptions.write).
   */
  run<T>(
    operation: string,
    call: (clients: SdkClients) => Promise<T>,
    signal: AbortSignal,
    options?: { readonly write?: boolean },
  ): Promise<T>;
}

/**
 * Where every generated OCI client keeps its http client (`this._httpClient = params.httpClient || new FetchHttpClient(…)`
 * in each constructor, read by every operation: `retrier.makeServiceCall(this._httpClient, request, …)`, e.g.
 * oci-core lib/client.js). A call's clients are views of the region's (Object.create: endpoint, configuration and
 * state read through) with this one field their own.
 */
const HTTP_CLIENT = '_httpClient';

/** The region's own clients send nothing: a request outside run() would have no signal, so it is refused. */
const outsideRun: common.HttpClient = {
  send: () => Promise.reject(new Error('An OCI request outside RegionClients.run() (it would have no signal); none was sent.')),
};

/** A view of `client` whose requests go through `httpClient`. */
function viewWith<C extends object>(client: C, httpClient: common.HttpClient): C {
  return Object.create(client, { [HTTP_CLIENT]: { value: httpClient } }) as C;
}

/**
 * Every client for one region. `endpoint`: an override origin, or undefined for OCI's own endpoints. The transport is
 * made once the clients' origins are known (it refuses any other).
 */
export function regionClients(
  auth: AuthProvider,
  signer: Signer,
  region: string,
  endpoint: string | undefined,
  makeTransport: (origins: readonly string[]) => Transport,
): RegionClients {
  // AuthParams' typing allows no httpClient beside an authentication provider; the constructors take both
  // (oci-core lib/client.js: `params.httpClient || new FetchHttpClient(…)`).
  const params = { authenticationDetailsProvider: auth, httpClient: outsideRun } as unknown as common.AuthParams;
  const config: common.ClientConfiguration = ociClientConfiguration(common);
  const build = <C extends { endpoint: string; regionId: string }>(
    make: new (p: common.AuthParams, c: common.ClientConfiguration) => C,
  ): C => {
    const client = new make(params, config);
    // An SDK that keeps its http client elsewhere would send a call's requests without its signal: fail here instead.
    if ((client as unknown as Record<string, unknown>)[HTTP_CLIENT] !== outsideRun)
      throw new Error(`${make.name} keeps its http client elsewhere than ${HTTP_CLIENT}: update src/providers/oci/api.ts.`);
    if (endpoint) client.endpoint = endpoint.replace(/\/+$/, '');
    else client.regionId = region;
    return client;
  };
  const clients: SdkClients = {
    compute: build(ComputeClient),
    containerEngine: build(ContainerEngineClient),
    database: build(DatabaseClient),
    monitoring: build(MonitoringClient),
    identity: build(IdentityClient),
  };
  const origins = [...new Set(Object.values(clients).map((c: { endpoint: string }) => new URL(c.endpoint).origin))];
  const transport = makeTransport(origins);
  const regionKey = common.Region.fromRegionId(region)?.regionCode?.toLowerCase();
  /** The region's clients with every request of this call under `signal`. */
  const forCall = (signal: AbortSignal): SdkClients => {
    const httpClient = signedTransportClient(signer, transport, signal);
    return {
      compute: viewWith(clients.compute, httpClient),
      containerEngine: viewWith(clients.containerEngine, httpClient),
      database: viewWith(clients.database, httpClient),
      monitoring: viewWith(clients.monitoring, httpClient),
      identity: viewWith(clients.identity, httpClient),
    };
  };
  return {
    origins,
    regionKey,
    async run(operation, call, signal, options) {
      signal.throwIfAborted();
      const attempt = () => transport.run(operation, () => call(forCall(signal)), options?.write ? { write: true } : undefined);
      if (!(auth instanceof SessionTokenAuth)) return attempt();
      const token = await auth.getKeyId();
      try {
        return await attempt();
      } catch (error) {
        // A session token Oracle refused (401): the OCI CLI may have refreshed it in a way its stamp did not show.
        // Read the file once more and retry only if it holds another token (a write too: Oracle refused it unread).
        const reason = toCloudtopError(error, 'oci');
        if (signal.aborted || reason.status !== 401) throw error;
        await auth.fresh(true);
        if ((await auth.getKeyId()) === token)
          throw new CloudtopError({
            category: 'auth',
            cloud: 'oci',
            status: 401,
            ...(reason.code ? { code: reason.code } : {}),
            message:
              'Oracle Cloud refused the session token (401): it has expired or was revoked. Run `oci session refresh` (or `oci session authenticate`); Cloudtop reads the new token on its next refresh, without a restart.',
          });
        return attempt();
      }
    },
  };
}
