// Where Azure's requests go (@azure/monitor-query-metrics README: `https://<region>.metrics.monitor.azure.com`;
// learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices). SDK-free: the catalogue imports it.
// With an endpoint override (cloudtop.azure.endpoint, application scope, or CLOUDTOP_AZURE_ENDPOINT) every one of
// them goes to that one origin under the path the real service uses; nextLinks and NextPageLinks are followed exactly
// as the server sends them (the transport's origin guard still refuses any other origin).

/** Azure Resource Manager: subscriptions, VMs, AKS, App Service. */
export const DEFAULT_AZURE_ENDPOINT = 'https://management.azure.com';
/**
 * The token audience of every call, ARM and metrics alike, whatever the endpoint (observed running @azure/identity 4.13
 * and the ARM and metrics clients against a loopback server).
 */
export const ARM_SCOPE = 'https://management.azure.com/.default';
/** The public Retail Prices API (no authentication). */
export const AZURE_PRICES_ORIGIN = 'https://prices.azure.com';
export const AZURE_PRICES_PATH = '/api/retail/prices';
export const AZURE_PRICES_API_VERSION = '2023-01-01-preview';

/** Azure Monitor's data-plane metrics host for a region (metrics:getBatch). */
export function metricsEndpoint(region: string, override: string | undefined): string {
  return override ?? `https://${region}.metrics.monitor.azure.com`;
}
