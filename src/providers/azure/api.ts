// The official Azure clients, built the one way Cloudtop allows (@azure/core-rest-pipeline
// policies/bearerTokenAuthenticationPolicy.js; Azure/azure-sdk-for-js#25206; core-rest-pipeline `defaultRetryPolicy`,
// `retryOptions`):
//  - every request sent by Cloudtop's transport as the pipeline's `httpClient` (it runs after every policy, so the
//    bearer policy still sees https), with the collector's limiter, retry, Retry-After, deadline and origin guard;
//    the pipeline's own retries off (`maxRetries: 0`);
//  - the token audience always ARM's (`https://management.azure.com/.default`), also with an endpoint override:
//    the HLC subscriptions client would otherwise ask for `<endpoint>/.default`;
//  - with an override, every client's endpoint is that origin (Resource Manager and the regional metrics hosts).
// Clients per subscription (ARM) and per region (Azure Monitor's data plane, one host per region).
import { ComputeManagementClient } from '@azure/arm-compute';
import { createWebSiteManagement } from '@azure/arm-appservice/api';
import { list as listSites } from '@azure/arm-appservice/api/webApps';
import { createContainerService } from '@azure/arm-containerservice/api';
import { list as listManagedClusters } from '@azure/arm-containerservice/api/managedClusters';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { TokenCredential } from '@azure/identity';
import { MetricsClient, type MetricsQueryResult } from '@azure/monitor-query-metrics';
import type { Transport } from '../../core/transport/transport';
import { azureClientOptions } from './sdk-http';
import { ARM_SCOPE, DEFAULT_AZURE_ENDPOINT, metricsEndpoint } from './hosts';

type Wire = Record<string, unknown>;
const scopes = [ARM_SCOPE];

/** Every item of a pager, all its pages followed as the server links them. */
async function all<T>(pager: AsyncIterable<T>): Promise<Wire[]> {
  const out: Wire[] = [];
  for await (const item of pager) out.push(item as unknown as Wire);
  return out;
}

export interface ArmClients {
  /** Every VM of the subscription with its power state (statusOnly=true): one listing, no call per VM. */
  virtualMachines(signal: AbortSignal): Promise<Wire[]>;
  /**
   * The Resource SKUs of one location (`$filter=location eq '<location>'`, the only filter the API takes): canonical
   * size names, the `GPUs` and `MemoryGB` capabilities. It replaces `virtualMachineSizes.list`, deprecated ("Use
   * Resources Skus", learn.microsoft.com/rest/api/compute/virtual-machine-sizes/list).
   */
  resourceSkus(location: string, signal: AbortSignal): Promise<Wire[]>;
  /**
   * Every scale set of the subscription. `virtualMachines.listAll` omits the instances of Uniform scale sets (AKS node
   * pools, Batch pools; learn.microsoft.com/azure/virtual-machine-scale-sets/orchestration-modes-api-comparison).
   */
  scaleSets(signal: AbortSignal): Promise<Wire[]>;
  /** The instances of one scale set with their instance views (`$expand=instanceView`): one listing, no call per instance. */
  scaleSetVms(resourceGroup: string, scaleSet: string, signal: AbortSignal): Promise<Wire[]>;
  managedClusters(signal: AbortSignal): Promise<Wire[]>;
  /** Every App Service site (function apps and web apps alike; the caller keeps the function apps). */
  sites(signal: AbortSignal): Promise<Wire[]>;
  /**
   * `POST …/virtualMachines/{vm}/deallocate` or `…/start` (learn.microsoft.com/rest/api/compute/virtual-machines/
   * deallocate, /start): resolves once Azure accepted it (202 with its Azure-AsyncOperation), not once it is done.
   * arm-compute 24.1.0 sends `api-version=2026-03-01` and no body (dist/commonjs/api/virtualMachines/operations.js
   * `_deallocateSend`, `_startSend`); no `hibernate` or `forceDeallocate` is passed.
   */
  vmAction(resourceGroup: string, vm: string, action: VmAction, signal: AbortSignal): Promise<void>;
  /** The same for a scale set's instance: `POST …/virtualMachineScaleSets/{set}/virtualMachines/{instanceId}/deallocate` or `/start`. */
  scaleSetVmAction(resourceGroup: string, scaleSet: string, instanceId: string, action: VmAction, signal: AbortSignal): Promise<void>;
}

/** The two writes Cloudtop sends to a VM: deallocate (its stop — never a power-off only) and start. */
export type VmAction = 'deallocate' | 'start';

/**
 * A long-running operation the SDK's way, up to where Azure accepted it: `begin…` sends the initial request and
 * resolves with the poller (@azure/arm-compute classic `beginDeallocate`: `await poller.submitted()`); nothing polls
 * it. The operation's end is followed by the front ends' refreshes, through the VM's power state.
 */
async function accepted(begin: Promise<unknown>): Promise<void> {
  await begin;
}

/** The ARM clients of one subscription, on one transport (the subscription's budget: the collector keys it by scope). */
export function armClients(
  credential: TokenCredential,
  subscriptionId: string,
  override: string | undefined,
  transport: Transport,
): ArmClients {
  const options = azureClientOptions(transport, { credentials: { scopes }, ...(override ? { endpoint: override } : {}) });
  const compute = new ComputeManagementClient(credential, subscriptionId, options);
  const aks = createContainerService(credential, subscriptionId, options);
  const web = createWebSiteManagement(credential, subscriptionId, options);
  const base = `GET /subscriptions/{id}/providers`;
  return {
    virtualMachines: (signal) =>
      transport.run(`${base}/Microsoft.Compute/virtualMachines`, () =>
        all(compute.virtualMachines.listAll({ statusOnly: 'true', abortSignal: signal })),
      ),
    resourceSkus: (location, signal) =>
      transport.run(`${base}/Microsoft.Compute/skus`, () =>
        all(compute.resourceSkus.list({ filter: `location eq '${location.replace(/'/g, "''")}'`, abortSignal: signal })),
      ),
    scaleSets: (signal) =>
      transport.run(`${base}/Microsoft.Compute/virtualMachineScaleSets`, () =>
        all(compute.virtualMachineScaleSets.listAll({ abortSignal: signal })),
      ),
    scaleSetVms: (resourceGroup, scaleSet, signal) =>
      transport.run(
        `GET /subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.Compute/virtualMachineScaleSets/{name}/virtualMachines`,
        () => all(compute.virtualMachineScaleSetVMs.list(resourceGroup, scaleSet, { expand: 'instanceView', abortSignal: signal })),
      ),
    managedClusters: (signal) =>
      transport.run(`${base}/Microsoft.ContainerService/managedClusters`, () => all(listManagedClusters(aks, { abortSignal: signal }))),
    sites: (signal) => transport.run(`${base}/Microsoft.Web/sites`, () => all(listSites(web, { abortSignal: signal }))),
    // Writes: each request of the SDK call is marked a write, so the transport sends it again only after a 429.
    vmAction: (resourceGroup, vm, action, signal) =>
      transport.run(
        `POST /subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.Compute/virtualMachines/{name}/${action}`,
        () =>
          accepted(
            action === 'deallocate'
              ? compute.virtualMachines.beginDeallocate(resourceGroup, vm, { abortSignal: signal })
              : compute.virtualMachines.beginStart(resourceGroup, vm, { abortSignal: signal }),
          ),
        { write: true },
      ),
    scaleSetVmAction: (resourceGroup, scaleSet, instanceId, action, signal) =>
      transport.run(
        `POST /subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.Compute/virtualMachineScaleSets/{name}/virtualMachines/{instanceId}/${action}`,
        () =>
          accepted(
            action === 'deallocate'
              ? compute.virtualMachineScaleSetVMs.beginDeallocate(resourceGroup, scaleSet, instanceId, { abortSignal: signal })
              : compute.virtualMachineScaleSetVMs.beginStart(resourceGroup, scaleSet, instanceId, { abortSignal: signal }),
          ),
        { write: true },
      ),
  };
}

/** The Resource Manager client of subscriptions and tenants, on the transport. */
function subscriptionClient(credential: TokenCredential, override: string | undefined, transport: Transport): SubscriptionClient {
  return new SubscriptionClient(
    credential,
    azureClientOptions(transport, { credentialScopes: scopes, endpoint: override ?? DEFAULT_AZURE_ENDPOINT }),
  );
}

/** `GET /subscriptions`: every subscription the identity can read (nextLink paging). */
export function listSubscriptions(
  credential: TokenCredential,
  override: string | undefined,
  transport: Transport,
  signal: AbortSignal,
): Promise<Wire[]> {
  const client = subscriptionClient(credential, override, transport);
  return transport.run('GET /subscriptions', () => all(client.subscriptions.list({ abortSignal: signal })));
}

/**
 * `GET /tenants`: every tenant (directory) the signed-in account can use, its home tenant and those it is a guest in
 * (learn.microsoft.com/rest/api/resources/tenants/list). The Azure CLI lists them the same way and then asks a token
 * per tenant (Azure/azure-cli azure-cli-core azure/cli/core/_profile.py).
 */
export function listTenants(
  credential: TokenCredential,
  override: string | undefined,
  transport: Transport,
  signal: AbortSignal,
): Promise<Wire[]> {
  const client = subscriptionClient(credential, override, transport);
  return transport.run('GET /tenants', () => all(client.tenants.list({ abortSignal: signal })));
}

export interface MetricsBatch {
  readonly resourceIds: readonly string[];
  readonly namespace: string;
  readonly metricNames: readonly string[];
  readonly start: Date;
  readonly end: Date;
  readonly interval: string;
  readonly aggregations: readonly string[];
}

/** One metrics:getBatch call: at most 50 ids of one subscription and one region (the caller batches). */
export type QueryBatch = (batch: MetricsBatch, signal: AbortSignal) => Promise<MetricsQueryResult[]>;

export function metricsClient(credential: TokenCredential, region: string, override: string | undefined, transport: Transport): QueryBatch {
  const client = new MetricsClient(
    metricsEndpoint(region, override),
    credential,
    azureClientOptions(transport, { credentials: { scopes } }),
  );
  return (batch, signal) =>
    transport.run('POST /subscriptions/{id}/metrics:getBatch', () =>
      client.queryResources([...batch.resourceIds], [...batch.metricNames], batch.namespace, {
        startTime: batch.start,
        endTime: batch.end,
        interval: batch.interval,
        aggregation: batch.aggregations.join(','),
        // The batch client takes no abort signal per call; the transport's requests still listen on the refresh's.
        ...({ abortSignal: signal } as object),
      }),
    );
}
