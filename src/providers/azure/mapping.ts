// Azure answers → the model. The modular clients (arm-compute 24, arm-containerservice 25, arm-appservice 19) hand
// models with `properties.*` flattened onto them and dates as Date (observed running them against a loopback server);
// names exactly as sent (escaping is the views' job); ids are the ARM resource ids, which Azure compares without case.
import { priceFields, type PriceBook } from '../../core/model/price';
import type { VmQuery } from './prices';
import type { Resource, ResourceStatus } from '../../core/model/model';
import { finite, record, text } from '../../core/transport/wire';
import { gpuOfSize } from './sizes';

export const SERVICES = { gpu: 'GPU', vm: 'Virtual Machines', aks: 'Kubernetes (AKS)', functions: 'Functions' } as const;
export const AZURE_SERVICES: readonly string[] = [SERVICES.gpu, SERVICES.vm, SERVICES.aks, SERVICES.functions];

/** `PowerState/<code>` of a VM's instance view. */
const POWER_STATUS: Readonly<Record<string, ResourceStatus>> = {
  running: 'running',
  starting: 'starting',
  stopping: 'stopping',
  deallocating: 'stopping',
  stopped: 'stopped',
  deallocated: 'stopped',
};
/** AKS provisioningState while an operation runs (Succeeded defers to powerState.code). */
const CLUSTER_PROVISIONING: Readonly<Record<string, ResourceStatus>> = {
  creating: 'starting',
  starting: 'starting',
  upgrading: 'starting',
  updating: 'starting',
  scaling: 'starting',
  migrating: 'starting',
  stopping: 'stopping',
  deleting: 'stopping',
  failed: 'error',
  canceled: 'error',
};

const PORTAL = 'https://portal.azure.com';
/** The portal's page of a resource: `#@<tenant>/resource<id>/overview`, so it opens in the right directory. */
export const portalUrl = (id: string, tenantId: string | undefined) =>
  `${PORTAL}/#${tenantId ? `@${encodeURIComponent(tenantId)}/` : ''}resource${id}/overview`;

/** App Service answers the location's display name ("East US"); metrics and prices use the ARM name ("eastus"). */
export const armRegion = (location: string) => location.toLowerCase().replace(/[^a-z0-9]/g, '');

export interface MapContext {
  readonly account: string;
  readonly tenantId: string | undefined;
  /** USD per hour of a size in a region (Linux or Windows, spot or not), from the retail price list. */
  /** The retail prices of the sizes listed (or why they could not be read). */
  readonly prices: PriceBook<VmQuery>;
}

type Wire = Record<string, unknown>;

/** The resource group, the second segment pair of an ARM id. */
export const resourceGroupOf = (id: string) => /\/resourceGroups\/([^/]+)/i.exec(id)?.[1];

/** The VM's state, its words, and the `PowerState/<code>` code ('' without one). */
export function vmPowerState(vm: Wire): { status: ResourceStatus; raw: string; power: string } {
  const statuses = (record(vm.instanceView)?.statuses ?? []) as Wire[];
  const codes = Array.isArray(statuses) ? statuses.map((s) => ({ code: text(s?.code) ?? '', display: text(s?.displayStatus) })) : [];
  const provisioning = codes.find((s) => s.code.toLowerCase().startsWith('provisioningstate/'));
  const power = codes.find((s) => s.code.toLowerCase().startsWith('powerstate/'));
  const provisioningState = (text(vm.provisioningState) ?? provisioning?.code.split('/')[1] ?? '').toLowerCase();
  // A failed provisioning is the VM's state whatever its power says: it needs the user.
  if (provisioningState === 'failed' || provisioning?.code.toLowerCase().startsWith('provisioningstate/failed')) {
    return { status: 'error', raw: provisioning?.display ?? 'Provisioning failed', power: '' };
  }
  if (power) {
    const code = power.code.split('/')[1]?.toLowerCase() ?? '';
    return { status: POWER_STATUS[code] ?? 'unknown', raw: power.display ?? code, power: code };
  }
  if (provisioningState === 'creating' || provisioningState === 'updating')
    return { status: 'starting', raw: provisioningState, power: '' };
  if (provisioningState === 'deleting') return { status: 'stopping', raw: provisioningState, power: '' };
  return { status: 'unknown', raw: provisioningState || 'unknown', power: '' };
}

export function mapVm(vm: Wire, ctx: MapContext): Resource | undefined {
  const id = text(vm.id);
  if (!id) return undefined;
  const size = text(record(vm.hardwareProfile)?.vmSize) ?? '';
  const region = text(vm.location) ?? '';
  const gpu = gpuOfSize(size);
  const { status, raw, power } = vmPowerState(vm);
  const os = text(record(record(vm.storageProfile)?.osDisk)?.osType)?.toLowerCase() === 'windows' ? 'windows' : 'linux';
  const spot = text(vm.priority)?.toLowerCase() === 'spot' || text(vm.priority)?.toLowerCase() === 'low';
  // "Stopped" keeps the VM allocated and billed at its running price; only "deallocated" stops the compute meter.
  const allocated = power === 'running' || power === 'stopped';
  const price = gpu && allocated ? ctx.prices.price({ size, region, os, spot }) : undefined;
  const details: Record<string, string> = { size, 'resource group': resourceGroupOf(id) ?? '', os };
  if (spot) details.priority = 'Spot';
  const zones = Array.isArray(vm.zones) ? vm.zones.filter((z): z is string => typeof z === 'string') : [];
  if (zones.length) details.zone = zones.join(', ');
  const created = vm.timeCreated instanceof Date ? vm.timeCreated.toISOString() : text(vm.timeCreated);
  return {
    id,
    cloud: 'azure',
    account: ctx.account,
    kind: gpu ? 'gpu-instance' : 'instance',
    service: gpu ? SERVICES.gpu : SERVICES.vm,
    name: text(vm.name) ?? id,
    region,
    status,
    rawStatus: raw,
    ...(created ? { createdAt: created } : {}),
    ...(gpu ? { gpu } : {}),
    ...priceFields(price),
    ...(gpu && allocated && status === 'stopped' ? { chargedWhilePaused: true } : {}),
    note: gpu ? `${size}${spot ? ' · Spot' : ''}` : size,
    consoleUrl: portalUrl(id, ctx.tenantId),
    details,
    // Azure Monitor has no platform GPU metric for VMs: GPU figures need an agent that publishes custom metrics.
    ...(gpu ? { unreportedMetrics: ['gpu'] as const } : {}),
  };
}

function clusterStatus(cluster: Wire): { status: ResourceStatus; raw: string } {
  const provisioning = text(cluster.provisioningState) ?? '';
  const power = text(record(cluster.powerState)?.code) ?? '';
  const during = CLUSTER_PROVISIONING[provisioning.toLowerCase()];
  if (during) return { status: during, raw: provisioning };
  if (power.toLowerCase() === 'running') return { status: 'running', raw: power };
  if (power.toLowerCase() === 'stopped') return { status: 'stopped', raw: power };
  return { status: 'unknown', raw: power || provisioning || 'unknown' };
}

export function mapCluster(cluster: Wire, ctx: MapContext): Resource | undefined {
  const id = text(cluster.id);
  if (!id) return undefined;
  const { status, raw } = clusterStatus(cluster);
  const pools = (Array.isArray(cluster.agentPoolProfiles) ? cluster.agentPoolProfiles : []) as Wire[];
  const details: Record<string, string | number> = { 'resource group': resourceGroupOf(id) ?? '' };
  const version = text(cluster.currentKubernetesVersion) ?? text(cluster.kubernetesVersion);
  if (version) details.kubernetes = version;
  let gpuNodes = 0;
  for (const pool of pools) {
    const size = text(pool.vmSize) ?? '?';
    const count = finite(pool.count) ?? 0;
    const gpu = gpuOfSize(size);
    if (gpu) gpuNodes += count;
    details[`node pool ${text(pool.name) ?? '?'}`] = `${count} × ${size}${gpu ? ` (${gpu.count} × ${gpu.model})` : ''}`;
  }
  return {
    id,
    cloud: 'azure',
    account: ctx.account,
    kind: 'cluster',
    service: SERVICES.aks,
    name: text(cluster.name) ?? id,
    region: text(cluster.location) ?? '',
    status,
    rawStatus: raw,
    note: `${pools.length} node pool${pools.length === 1 ? '' : 's'}${gpuNodes ? ` · ${gpuNodes} GPU node${gpuNodes === 1 ? '' : 's'}` : ''}`,
    consoleUrl: portalUrl(id, ctx.tenantId),
    details,
  };
}

/** Function apps only: App Service's `kind` is a comma list, and web apps ("app", "app,linux") are not functions. */
export const isFunctionApp = (site: Wire) =>
  (text(site.kind) ?? '')
    .toLowerCase()
    .split(',')
    .map((k) => k.trim())
    .includes('functionapp');

export function mapFunctionApp(site: Wire, ctx: MapContext): Resource | undefined {
  const id = text(site.id);
  if (!id || !isFunctionApp(site)) return undefined;
  const state = text(site.state) ?? '';
  const status: ResourceStatus =
    state.toLowerCase() === 'running' && site.enabled !== false
      ? 'running'
      : state.toLowerCase() === 'stopped' || site.enabled === false
        ? 'stopped'
        : 'unknown';
  const details: Record<string, string> = { kind: text(site.kind) ?? '', 'resource group': resourceGroupOf(id) ?? '' };
  const host = text(site.defaultHostName);
  if (host) details.host = host;
  const sku = text(site.sku);
  if (sku) details.plan = sku;
  const location = text(site.location) ?? '';
  return {
    id,
    cloud: 'azure',
    account: ctx.account,
    kind: 'function',
    service: SERVICES.functions,
    name: text(site.name) ?? id,
    region: armRegion(location),
    status,
    rawStatus: state || 'unknown',
    note: text(site.kind) ?? 'functionapp',
    consoleUrl: portalUrl(id, ctx.tenantId),
    details,
  };
}
