// The official OCI clients, built the one way Cloudtop allows (npm oci-common 2.139.1 lib/auth/*.js, lib/retrier.js,
// lib/circuit-breaker.js; oci-*/lib/client.js `set endpoint`):
//  - authentication from auth.ts (an API key or a session profile, from the credentials Cloudtop resolved);
//  - every request signed by oci-common's DefaultRequestSigner and sent through Cloudtop's transport
//    (http-client.ts); retries off (NoRetryConfigurationDetails: Container Engine and Identity default to 8 attempts)
//    and the circuit breaker off (it would refuse calls for 30 s after 10 failures);
//  - per region, the SDK's own endpoint for that region, or with an endpoint override that origin for every service
//    (the client's endpoint setter appends the API version path, /20160918 and so on).
import * as common from 'oci-common';
import { ComputeClient } from 'oci-core';
import { ContainerEngineClient } from 'oci-containerengine';
import { DatabaseClient } from 'oci-database';
import { IdentityClient } from 'oci-identity';
import { MonitoringClient } from 'oci-monitoring';
import type { Transport } from '../../core/transport/transport';
import { ociClientConfiguration } from './sdk-config';
import type { AuthProvider } from './auth';
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
