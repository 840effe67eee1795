// Azure answers → the model. The modular clients (arm-compute 24, arm-containerservice 25, arm-appservice 19) hand
// models with `properties.*` flattened onto them and dates as Date (observed running them against a loopback server);
// names exactly as sent (escaping is the views' job); ids are the ARM resource ids, which Azure compares without case.
import { priceFields, type PriceBook } from '../../core/model/price';
import type { VmQuery } from './prices';
import type { Resource, ResourceStatus } from '../../core/model/model';
import { finite, record, text } from '../../core/transport/wire';
import { gpuOfSize, type SkuFacts } from './sizes';

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
  /** The retail prices of the sizes listed (or why they could not be read). */
  readonly prices: PriceBook<VmQuery>;
  /** What the location's Resource SKUs say of a size (any casing), when they could be read. */
  readonly sku: (location: string, size: string) => SkuFacts | undefined;
}

type Wire = Record<string, unknown>;

/** The resource group, the second segment pair of an ARM id. */
export const resourceGroupOf = (id: string) => /\/resourceGroups\/([^/]+)/i.exec(id)?.[1];

/**
 * Power states Azure bills a VM's compute in (learn.microsoft.com/azure/virtual-machines/states-billing): Starting,
 * Running, Stopping and Stopped (still allocated) are billed; Deallocating and Deallocated are not.
 */
const BILLED_POWER = new Set(['starting', 'running', 'stopping', 'stopped']);

/** The VM's state, its words, the `PowerState/<code>` code ('' without one), and a failed provisioning's message. */
export function vmPowerState(vm: Wire): { status: ResourceStatus; raw: string; power: string; failure?: string } {
  const statuses = (record(vm.instanceView)?.statuses ?? []) as Wire[];
  const codes = Array.isArray(statuses)
    ? statuses.map((s) => ({ code: text(s?.code) ?? '', display: text(s?.displayStatus), message: text(s?.message) }))
    : [];
  const provisioning = codes.find((s) => s.code.toLowerCase().startsWith('provisioningstate/'));
  const powerStatus = codes.find((s) => s.code.toLowerCase().startsWith('powerstate/'));
  const power = powerStatus?.code.split('/')[1]?.toLowerCase() ?? '';
  const provisioningState = (text(vm.provisioningState) ?? provisioning?.code.split('/')[1] ?? '').toLowerCase();
  // A failed provisioning (a GPU driver extension that failed, say) is the VM's state whatever its power says: it
  // needs the user. Its power state still says whether it runs, and is billed.
  if (provisioningState === 'failed' || provisioning?.code.toLowerCase().startsWith('provisioningstate/failed')) {
    const failure = provisioning?.message ?? provisioning?.display ?? 'Provisioning failed';
    const said = provisioning?.display ?? 'Provisioning failed';
    // Short enough for a table's status column ("failed · VM running"); the failure itself is in details.error.
    return { status: 'error', raw: powerStatus?.display ? `failed · ${powerStatus.display}` : said, power, failure };
  }
  if (powerStatus) return { status: POWER_STATUS[power] ?? 'unknown', raw: powerStatus.display ?? power, power };
  if (provisioningState === 'creating' || provisioningState === 'updating')
    return { status: 'starting', raw: provisioningState, power: '' };
  if (provisioningState === 'deleting') return { status: 'stopping', raw: provisioningState, power: '' };
  return { status: 'unknown', raw: provisioningState || 'unknown', power: '' };
}

/** What a VM (or a scale set's instance) is priced and shown by. */
interface Machine {
  readonly id: string;
  readonly name: string;
  /** The size as the VM carries it (any casing). */
  readonly size: string;
  readonly region: string;
  readonly os: 'linux' | 'windows';
  /** `licenseType` (Azure Hybrid Benefit: Windows_Server, Windows_Client; RHEL_BYOS …). */
  readonly licenseType?: string;
  readonly spot: boolean;
  readonly zones: readonly string[];
  readonly createdAt?: string;
  /** Where the storage profile is when the VM's own answer has none (a scale set's model). */
  readonly storageProfile?: unknown;
  /** Shown after the size in the note ("AKS aks-ml-prod · pool gpu"). */
  readonly under?: string;
  readonly details?: Readonly<Record<string, string>>;
}

/** The detail holding the `PowerState/<code>` code (running, stopped, deallocated …); actions.ts reads it by this name. */
export const POWER_DETAIL = 'power state';
/** The detail holding the size of the temporary disk ("0 GB": none); actions.ts reads it by this name. */
export const TEMP_DISK_DETAIL = 'temporary disk';

/** "256 GB Premium_LRS" of a managed disk (`diskSizeGB`, `managedDisk.storageAccountType`), as far as they are known. */
function diskText(disk: unknown): string | undefined {
  const d = record(disk);
  const gb = finite(d?.diskSizeGB);
  const type = text(record(d?.managedDisk)?.storageAccountType);
  const said = [gb !== undefined ? `${gb} GB` : undefined, type].filter(Boolean).join(' ');
  return d ? said || 'managed disk' : undefined;
}

/** The OS disk and the data disks of a VM's storage profile, in words (what stays billed while it is deallocated). */
function disksOf(storageProfile: unknown): { os?: string; data?: string } {
  const profile = record(storageProfile);
  const data = Array.isArray(profile?.dataDisks) ? profile.dataDisks : [];
  const total = data.reduce<number>((sum, d) => sum + (finite(record(d)?.diskSizeGB) ?? 0), 0);
  return {
    os: diskText(profile?.osDisk),
    data: data.length > 0 ? `${data.length}${total > 0 ? `, ${total} GB in all` : ''}` : undefined,
  };
}

/** The Windows licence Azure Hybrid Benefit brings: such a VM pays the Linux (base compute) price. */
const HYBRID_BENEFIT = new Set(['windows_server', 'windows_client']);

const zonesOf = (v: unknown) => (Array.isArray(v) ? v.filter((z): z is string => typeof z === 'string') : []);
const dateText = (v: unknown) => (v instanceof Date ? v.toISOString() : text(v));

function mapMachine(vm: Wire, m: Machine, ctx: MapContext): Resource {
  const sku = ctx.sku(m.region, m.size);
  // The canonical name (the Retail Prices filter is case-sensitive); the size as typed when the SKUs are not known.
  const size = sku?.name ?? m.size;
  const gpu = gpuOfSize(size, sku);
  const { status, raw, power, failure } = vmPowerState(vm);
  const billed = BILLED_POWER.has(power);
  const hybrid = m.os === 'windows' && HYBRID_BENEFIT.has((m.licenseType ?? '').toLowerCase());
  const price = gpu && billed ? ctx.prices.price({ size, region: m.region, os: hybrid ? 'linux' : m.os, spot: m.spot }) : undefined;
  const details: Record<string, string> = { size, 'resource group': resourceGroupOf(m.id) ?? '', os: m.os, ...m.details };
  // The power state itself: "stopped" (still allocated, billed) and "deallocated" are one status in the model, and
  // only the second is what a stop leaves (actions.ts inTargetState).
  if (power) details[POWER_DETAIL] = power;
  const disks = disksOf(vm.storageProfile ?? m.storageProfile);
  if (disks.os) details['OS disk'] = disks.os;
  if (disks.data) details['data disks'] = disks.data;
  if (sku?.tempDiskGb !== undefined) details[TEMP_DISK_DETAIL] = `${sku.tempDiskGb} GB`;
  if (m.spot) details.priority = 'Spot';
  if (hybrid) details.licence = `Azure Hybrid Benefit (${m.licenseType})`;
  if (m.zones.length) details.zone = m.zones.join(', ');
  if (failure) details.error = failure;
  return {
    id: m.id,
    cloud: 'azure',
    account: ctx.account,
    kind: gpu ? 'gpu-instance' : 'instance',
    service: gpu ? SERVICES.gpu : SERVICES.vm,
    name: m.name,
    region: m.region,
    status,
    rawStatus: raw,
    ...(m.createdAt ? { createdAt: m.createdAt } : {}),
    ...(gpu ? { gpu } : {}),
    ...priceFields(price),
    // Billed while not running: starting, stopping, stopped (still allocated), or running with a failed provisioning.
    ...(billed && status !== 'running' ? { chargedWhilePaused: true } : {}),
    note: [gpu ? `${size}${m.spot ? ' · Spot' : ''}` : size, m.under].filter(Boolean).join(' · '),
    consoleUrl: portalUrl(m.id, ctx.tenantId),
    details,
    // Azure Monitor has no platform GPU metric for VMs: GPU figures need an agent that publishes custom metrics.
    ...(gpu ? { unreportedMetrics: ['gpu'] as const } : {}),
  };
}

const osOf = (storageProfile: unknown) =>
  text(record(record(storageProfile)?.osDisk)?.osType)?.toLowerCase() === 'windows' ? 'windows' : 'linux';
const isSpot = (priority: unknown) => ['spot', 'low'].includes(text(priority)?.toLowerCase() ?? '');

export function mapVm(vm: Wire, ctx: MapContext): Resource | undefined {
  const id = text(vm.id);
  if (!id) return undefined;
  return mapMachine(
    vm,
    {
      id,
      name: text(vm.name) ?? id,
      size: text(record(vm.hardwareProfile)?.vmSize) ?? '',
      region: text(vm.location) ?? '',
      os: osOf(vm.storageProfile),
      licenseType: text(vm.licenseType),
      spot: isSpot(vm.priority),
      zones: zonesOf(vm.zones),
      createdAt: dateText(vm.timeCreated),
      // A node of an AKS pool made of plain VMs (not a Uniform scale set) is listed here: AKS's `aks-managed-*` tags say so.
      ...(isAksManaged(vm) ? { details: { [MANAGED_BY_DETAIL]: 'AKS' } } : {}),
    },
    ctx,
  );
}

/** The detail naming the service that runs a VM or a scale set's instances ("AKS"); actions.ts reads it by this name. */
export const MANAGED_BY_DETAIL = 'managed by';

/**
 * An AKS node pool's scale set (or VM): AKS tags it `aks-managed-*` (`aks-managed-poolName` and others;
 * kubernetes/autoscaler cluster-autoscaler/cloudprovider/azure reads the pool name tag).
 */
const isAksManaged = (resource: Wire) => Object.keys(record(resource.tags) ?? {}).some((k) => k.toLowerCase().startsWith('aks-managed-'));

/** A Uniform scale set's instance, under its scale set (or the AKS cluster's node pool it is). */
export function mapScaleSetVm(
  vm: Wire,
  scaleSet: Wire,
  pool: { cluster: string; pool: string } | undefined,
  ctx: MapContext,
): Resource | undefined {
  const id = text(vm.id);
  if (!id) return undefined;
  const profile = record(scaleSet.virtualMachineProfile);
  const setName = text(scaleSet.name) ?? '';
  const details: Record<string, string> = { 'scale set': setName };
  if (pool) Object.assign(details, { 'AKS cluster': pool.cluster, 'node pool': pool.pool });
  // AKS runs its node pools' scale sets (and tags them so), whether or not the cluster itself could be listed.
  if (pool || isAksManaged(scaleSet)) details[MANAGED_BY_DETAIL] = 'AKS';
  return mapMachine(
    vm,
    {
      id,
      // AKS names its nodes by computer name (aks-gpu-12345678-vmss000000); the resource name is `<set>_<instance>`.
      name: text(record(vm.osProfile)?.computerName) ?? text(vm.name) ?? id,
      size: text(record(vm.sku)?.name) ?? text(record(vm.hardwareProfile)?.vmSize) ?? text(record(scaleSet.sku)?.name) ?? '',
      region: text(vm.location) ?? text(scaleSet.location) ?? '',
      os: osOf(vm.storageProfile ?? profile?.storageProfile),
      licenseType: text(vm.licenseType) ?? text(profile?.licenseType),
      spot: isSpot(profile?.priority),
      storageProfile: profile?.storageProfile,
      zones: zonesOf(vm.zones),
      createdAt: dateText(vm.timeCreated),
      under: pool ? `AKS ${pool.cluster} · pool ${pool.pool}` : `scale set ${setName}`,
      details,
    },
    ctx,
  );
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
    const gpu = gpuOfSize(size, ctx.sku(text(cluster.location) ?? '', size));
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
