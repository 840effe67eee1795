// Seeded data for the simulated Azure (azure.ts): subscriptions, virtual machines, AKS clusters and App Service sites
// in the REST shapes of the ARM APIs (properties NOT flattened: the modular SDKs flatten them, as running arm-compute
// 24.1.0 against a loopback server shows).
// Sizes are real: vCPUs, memory, temp disk and data disks from the learn.microsoft.com size pages.
import { hostileName, LONG_NAME } from './hostile';
import { hashSeed, Rng, SIM_EPOCH } from './seed';

export const AZURE_REGIONS = ['eastus', 'westeurope', 'southcentralus', 'westus2'] as const;

/** The Web API answers with display names ("East US"); the price list with its own ("US East"). */
export const REGION_DISPLAY: Readonly<Record<string, string>> = {
  eastus: 'East US',
  westeurope: 'West Europe',
  southcentralus: 'South Central US',
  westus2: 'West US 2',
};
export const PRICE_LOCATION: Readonly<Record<string, string>> = {
  eastus: 'US East',
  westeurope: 'EU West',
  southcentralus: 'US South Central',
  westus2: 'US West 2',
};

export interface AzureVmSize {
  readonly name: string;
  readonly vCpus: number;
  readonly memoryMb: number;
  readonly resourceDiskMb: number;
  readonly maxDataDisks: number;
  readonly gpus: number;
  /** e.g. "A100 80GB PCIe"; '' for sizes without a GPU. */
  readonly gpu: string;
  /** The price list's productName without " Windows". */
  readonly series: string;
  /** Linux pay-as-you-go USD/hour in eastus (roughly the public list price). */
  readonly linuxEastUs: number;
}

export const AZURE_VM_SIZES: readonly AzureVmSize[] = [
  {
    name: 'Standard_NC24ads_A100_v4',
    vCpus: 24,
    memoryMb: 225280,
    resourceDiskMb: 65536,
    maxDataDisks: 8,
    gpus: 1,
    gpu: 'A100 80GB PCIe',
    series: 'NCads A100 v4',
    linuxEastUs: 3.673,
  },
  {
    name: 'Standard_NC40ads_H100_v5',
    vCpus: 40,
    memoryMb: 327680,
    resourceDiskMb: 131072,
    maxDataDisks: 12,
    gpus: 1,
    gpu: 'H100 NVL 94GB',
    series: 'NCads H100 v5',
    linuxEastUs: 6.98,
  },
  {
    name: 'Standard_ND96asr_v4',
    vCpus: 96,
    memoryMb: 921600,
    resourceDiskMb: 6144000,
    maxDataDisks: 16,
    gpus: 8,
    gpu: 'A100 40GB SXM',
    series: 'NDasr A100 v4',
    linuxEastUs: 27.197,
  },
  {
    name: 'Standard_ND96amsr_A100_v4',
    vCpus: 96,
    memoryMb: 1945600,
    resourceDiskMb: 6553600,
    maxDataDisks: 16,
    gpus: 8,
    gpu: 'A100 80GB SXM',
    series: 'NDamsr A100 v4',
    linuxEastUs: 32.77,
  },
  {
    name: 'Standard_ND96isr_H100_v5',
    vCpus: 96,
    memoryMb: 1945600,
    resourceDiskMb: 1024000,
    maxDataDisks: 32,
    gpus: 8,
    gpu: 'H100 80GB SXM',
    series: 'NDisr H100 v5',
    linuxEastUs: 98.32,
  },
  {
    name: 'Standard_NV36ads_A10_v5',
    vCpus: 36,
    memoryMb: 450560,
    resourceDiskMb: 737280,
    maxDataDisks: 24,
    gpus: 1,
    gpu: 'A10 24GB',
    series: 'NVadsA10 v5',
    linuxEastUs: 3.2,
  },
  {
    name: 'Standard_NC4as_T4_v3',
    vCpus: 4,
    memoryMb: 28672,
    resourceDiskMb: 184320,
    maxDataDisks: 8,
    gpus: 1,
    gpu: 'T4 16GB',
    series: 'NCasT4 v3',
    linuxEastUs: 0.526,
  },
  {
    name: 'Standard_NC6s_v3',
    vCpus: 6,
    memoryMb: 114688,
    resourceDiskMb: 753664,
    maxDataDisks: 12,
    gpus: 1,
    gpu: 'V100 16GB',
    series: 'NCSv3',
    linuxEastUs: 3.06,
  },
  {
    name: 'Standard_NC48ads_A100_v4',
    vCpus: 48,
    memoryMb: 450560,
    resourceDiskMb: 131072,
    maxDataDisks: 16,
    gpus: 2,
    gpu: 'A100 80GB PCIe',
    series: 'NCads A100 v4',
    linuxEastUs: 7.346,
  },
  {
    name: 'Standard_NC64as_T4_v3',
    vCpus: 64,
    memoryMb: 450560,
    resourceDiskMb: 2949120,
    maxDataDisks: 32,
    gpus: 4,
    gpu: 'T4 16GB',
    series: 'NCasT4 v3',
    linuxEastUs: 4.352,
  },
  // NCCads H100 v5 (learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/nccadsh100v5-series): confidential
  // H100 NVL; the price is the sim's approximation.
  {
    name: 'Standard_NCC40ads_H100_v5',
    vCpus: 40,
    memoryMb: 327680,
    resourceDiskMb: 819200,
    maxDataDisks: 12,
    gpus: 1,
    gpu: 'H100 NVL 94GB',
    series: 'NCCadsH100v5',
    linuxEastUs: 6.98,
  },
  // ND GB200 v6 (learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/nd-gb200-v6-series): 128 vCPUs,
  // 900 GiB, 4 GB200 GPUs; the price is the sim's approximation.
  {
    name: 'Standard_ND128isr_NDR_GB200_v6',
    vCpus: 128,
    memoryMb: 921600,
    resourceDiskMb: 16252928,
    maxDataDisks: 16,
    gpus: 4,
    gpu: 'GB200 186GB',
    series: 'NDGB200v6',
    linuxEastUs: 108.0,
  },
  {
    name: 'Standard_D2s_v5',
    vCpus: 2,
    memoryMb: 8192,
    resourceDiskMb: 0,
    maxDataDisks: 4,
    gpus: 0,
    gpu: '',
    series: 'Dsv5',
    linuxEastUs: 0.096,
  },
  {
    name: 'Standard_D4s_v5',
    vCpus: 4,
    memoryMb: 16384,
    resourceDiskMb: 0,
    maxDataDisks: 8,
    gpus: 0,
    gpu: '',
    series: 'Dsv5',
    linuxEastUs: 0.192,
  },
  {
    name: 'Standard_E4s_v5',
    vCpus: 4,
    memoryMb: 32768,
    resourceDiskMb: 0,
    maxDataDisks: 8,
    gpus: 0,
    gpu: '',
    series: 'Esv5',
    linuxEastUs: 0.252,
  },
  {
    name: 'Standard_B2s',
    vCpus: 2,
    memoryMb: 4096,
    resourceDiskMb: 8192,
    maxDataDisks: 4,
    gpus: 0,
    gpu: '',
    series: 'BS',
    linuxEastUs: 0.0416,
  },
];

export function azureVmSize(name: string): AzureVmSize | undefined {
  return AZURE_VM_SIZES.find((s) => s.name.toLowerCase() === name.toLowerCase());
}

/** `GET …/locations/:location/vmSizes` rows. */
export function vmSizeRows(): object[] {
  return AZURE_VM_SIZES.map((s) => ({
    name: s.name,
    numberOfCores: s.vCpus,
    osDiskSizeInMB: 1047552,
    resourceDiskSizeInMB: s.resourceDiskMb,
    memoryInMB: s.memoryMb,
    maxDataDiskCount: s.maxDataDisks,
  }));
}

/**
 * `GET /subscriptions/:sub/providers/Microsoft.Compute/skus[?$filter=location eq '<location>']` rows, in the shape of
 * Azure/azure-rest-api-specs specification/compute/resource-manager/Microsoft.Compute/Skus/stable/2021-07-01/examples/
 * skus/ListAvailableResourceSkusForARegion.json: capabilities as `{name, value}` strings, a `GPUs` capability on GPU
 * sizes (the capability dstackai/gpuhunt src/gpuhunt/providers/azure.py reads), and rows of other resource types
 * (disks) beside the VM sizes.
 */
export function skuRows(location: string): object[] {
  const caps = (pairs: Record<string, string | number>) => Object.entries(pairs).map(([name, value]) => ({ name, value: String(value) }));
  const vmRows = AZURE_VM_SIZES.map((s) => ({
    resourceType: 'virtualMachines',
    name: s.name,
    tier: 'Standard',
    size: s.name.replace(/^Standard_/, ''),
    family: `standard${s.series.replace(/\s+/g, '')}Family`,
    locations: [location],
    locationInfo: [{ location, zones: ['1', '2', '3'], zoneDetails: [] }],
    capabilities: caps({
      MaxResourceVolumeMB: s.resourceDiskMb,
      OSVhdSizeMB: 1047552,
      vCPUs: s.vCpus,
      HyperVGenerations: s.gpus > 0 ? 'V2' : 'V1,V2',
      MemoryGB: s.memoryMb / 1024,
      MaxDataDiskCount: s.maxDataDisks,
      LowPriorityCapable: 'True',
      PremiumIO: 'True',
      vCPUsAvailable: s.vCpus,
      ...(s.gpus > 0 ? { GPUs: s.gpus } : {}),
      vCPUsPerCore: s.gpus > 0 ? 1 : 2,
      EphemeralOSDiskSupported: 'True',
      AcceleratedNetworkingEnabled: 'True',
      RdmaEnabled: s.name.startsWith('Standard_ND') ? 'True' : 'False',
      MaxNetworkInterfaces: 8,
    }),
    restrictions: [],
  }));
  const disk = {
    resourceType: 'disks',
    name: 'Premium_LRS',
    tier: 'Premium',
    size: 'P1',
    family: 'PremiumSSD',
    locations: [location],
    locationInfo: [{ location, zones: ['1', '2', '3'], zoneDetails: [] }],
    capabilities: caps({ MaxSizeGiB: 4, MinSizeGiB: 0, MaxIOps: 120, MinIOps: 120, MaxBandwidthMBps: 25, MinBandwidthMBps: 25 }),
    restrictions: [],
  };
  return [disk, ...vmRows];
}

/** A uuid-looking string derived from its parts only. */
export function simUuid(...parts: readonly (string | number)[]): string {
  let hex = '';
  for (let i = 0; hex.length < 32; i++)
    hex += hashSeed(...parts, i)
      .toString(16)
      .padStart(8, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[parseInt(hex[16], 16) % 4]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export type AzurePowerState = 'running' | 'deallocated' | 'stopped' | 'starting' | 'deallocating' | 'stopping';

/** A VM in the sim: the REST body plus what the sim needs to answer instanceView and metrics. */
export interface AzureVm {
  id: string;
  name: string;
  readonly resourceGroup: string;
  location: string;
  power: AzurePowerState;
  /** Set: provisioning failed with this code (ProvisioningState/failed/<code>). */
  failed?: string;
  body: AzureVmBody;
}

export interface AzureVmBody {
  id: string;
  name: string;
  type: 'Microsoft.Compute/virtualMachines';
  location: string;
  tags: Record<string, string>;
  zones?: string[];
  properties: Record<string, unknown> & { hardwareProfile: { vmSize: string }; provisioningState: string; timeCreated: string };
}

export interface AzureSubscription {
  id: string;
  authorizationSource: 'RoleBased';
  managedByTenants: never[];
  subscriptionId: string;
  tenantId: string;
  displayName: string;
  state: 'Enabled';
  subscriptionPolicies: { locationPlacementId: string; quotaId: string; spendingLimit: string };
}

export interface AzureAccount {
  subscriptions: AzureSubscription[];
  /** By subscription id. */
  vms: Record<string, AzureVm[]>;
  clusters: Record<string, Record<string, unknown>[]>;
  sites: Record<string, Record<string, unknown>[]>;
}

export interface AzureDataOptions {
  readonly count?: number;
  readonly hostile?: boolean;
  readonly subscriptions?: number;
  /** VMs added to the first subscription, e.g. `{ region: 'eastus', count: 55 }`. */
  readonly extraVms?: { readonly region: string; readonly count: number };
}

type VmTemplate = readonly [
  size: string,
  region: string,
  power: AzurePowerState,
  extra?: { spot?: boolean; failed?: string; windows?: boolean; updating?: boolean; licenseType?: string },
];

/** First subscription: GPU and not, every power state, a Spot GPU VM, a failed provisioning. */
const FIRST: readonly VmTemplate[] = [
  ['Standard_NC24ads_A100_v4', 'eastus', 'running'],
  ['Standard_NC24ads_A100_v4', 'eastus', 'running', { spot: true }],
  ['Standard_ND96amsr_A100_v4', 'westeurope', 'running'],
  ['Standard_NC4as_T4_v3', 'eastus', 'deallocated'],
  ['Standard_NV36ads_A10_v5', 'westeurope', 'stopped'],
  ['Standard_D2s_v5', 'eastus', 'running'],
  ['Standard_D4s_v5', 'eastus', 'starting', { updating: true }],
  ['Standard_E4s_v5', 'westeurope', 'deallocating', { windows: true, updating: true }],
  ['Standard_B2s', 'eastus', 'stopping', { updating: true }],
  ['Standard_NC6s_v3', 'eastus', 'deallocated', { failed: 'AllocationFailed' }],
  ['Standard_ND96isr_H100_v5', 'westeurope', 'running'],
  ['Standard_D2s_v5', 'westeurope', 'running'],
  // Sizes in the casing their creators typed: `vmSize` keeps it (Azure/azure-cli#9238), the price list does not.
  ['standard_nc48ads_a100_v4', 'eastus', 'running'],
  ['Standard_NC64as_T4_V3', 'westeurope', 'running'],
  // The GPU driver extension failed, yet the VM runs and is billed (learn.microsoft.com/azure/virtual-machines/states-billing).
  ['Standard_NC24ads_A100_v4', 'eastus', 'running', { failed: 'VMExtensionProvisioningError' }],
  // Starting and Stopping are billed power states; Deallocating is not (the same page).
  ['Standard_NC40ads_H100_v5', 'eastus', 'starting', { updating: true }],
  ['Standard_NC4as_T4_v3', 'westeurope', 'stopping', { updating: true }],
  ['Standard_NCC40ads_H100_v5', 'westeurope', 'running'],
  ['Standard_ND128isr_NDR_GB200_v6', 'eastus', 'running'],
  // Windows under Azure Hybrid Benefit (learn.microsoft.com/azure/virtual-machines/windows/hybrid-use-benefit-licensing).
  ['Standard_NV36ads_A10_v5', 'eastus', 'running', { windows: true, licenseType: 'Windows_Server' }],
];
/** Second subscription: GPU only. */
const SECOND: readonly VmTemplate[] = [
  ['Standard_NC40ads_H100_v5', 'eastus', 'running'],
  ['Standard_ND96asr_v4', 'southcentralus', 'running'],
  ['Standard_NC24ads_A100_v4', 'southcentralus', 'running', { spot: true }],
  ['Standard_NC4as_T4_v3', 'eastus', 'deallocated'],
  ['Standard_NV36ads_A10_v5', 'southcentralus', 'running'],
  ['Standard_NC6s_v3', 'eastus', 'stopped'],
];

const RESOURCE_GROUPS = ['ml-training', 'inference', 'platform', 'data'];

function makeVm(rng: Rng, sub: string, index: number, t: VmTemplate, hostile: boolean, used: Set<string>): AzureVm {
  const [size, location, power, extra = {}] = t;
  let name = `${rng.name()}-${index}`;
  while (used.has(name)) name = `${name}x`;
  used.add(name);
  const rg = `rg-${RESOURCE_GROUPS[index % RESOURCE_GROUPS.length]}-${location}`;
  // Compute answers with the resource group upper-cased in ids, whatever case it was created with.
  const id = `/subscriptions/${sub}/resourceGroups/${rg.toUpperCase()}/providers/Microsoft.Compute/virtualMachines/${name}`;
  const gpu = (azureVmSize(size)?.gpus ?? 0) > 0;
  const tags: Record<string, string> = { env: rng.pick(['prod', 'dev', 'research']), team: gpu ? 'ml' : 'platform' };
  if (hostile) tags.owner = hostileName(index);
  const failed = extra.failed;
  const provisioningState = failed ? 'Failed' : extra.updating ? 'Updating' : 'Succeeded';
  const body: AzureVmBody = {
    id,
    name,
    type: 'Microsoft.Compute/virtualMachines',
    location,
    tags,
    ...(index % 3 === 0 ? { zones: [String(1 + (index % 3))] } : {}),
    properties: {
      vmId: simUuid(sub, name, 'vmId'),
      hardwareProfile: { vmSize: size },
      storageProfile: {
        imageReference: extra.windows
          ? { publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2022-datacenter-azure-edition', version: 'latest' }
          : {
              publisher: gpu ? 'microsoft-dsvm' : 'Canonical',
              offer: gpu ? 'ubuntu-hpc' : 'ubuntu-24_04-lts',
              sku: gpu ? '2204' : 'server',
              version: 'latest',
            },
        osDisk: {
          osType: extra.windows ? 'Windows' : 'Linux',
          name: `${name}_OsDisk_1_${simUuid(sub, name, 'disk').replace(/-/g, '')}`,
          createOption: 'FromImage',
          caching: 'ReadWrite',
          managedDisk: { storageAccountType: 'Premium_LRS' },
          deleteOption: 'Delete',
          diskSizeGB: gpu ? 256 : 30,
        },
        dataDisks: [],
      },
      osProfile: {
        computerName: name.slice(0, 15),
        adminUsername: 'azureuser',
        ...(extra.windows
          ? { windowsConfiguration: { provisionVMAgent: true } }
          : { linuxConfiguration: { disablePasswordAuthentication: true, provisionVMAgent: true } }),
        secrets: [],
      },
      networkProfile: {
        networkInterfaces: [
          { id: `/subscriptions/${sub}/resourceGroups/${rg.toUpperCase()}/providers/Microsoft.Network/networkInterfaces/${name}-nic` },
        ],
      },
      ...(extra.spot ? { priority: 'Spot', evictionPolicy: 'Deallocate', billingProfile: { maxPrice: -1 } } : { priority: 'Regular' }),
      ...(extra.licenseType ? { licenseType: extra.licenseType } : {}),
      provisioningState,
      timeCreated: rng.timestamp(200).replace('Z', '.0000000+00:00'),
    },
  };
  return { id, name, resourceGroup: rg.toUpperCase(), location, power, ...(failed ? { failed } : {}), body };
}

function makeCluster(
  sub: string,
  seed: number,
  name: string,
  location: string,
  running: boolean,
  provisioningState: string,
  gpuSize: string | undefined,
  tags: Record<string, string>,
): Record<string, unknown> {
  const rg = `rg-aks-${location}`;
  const version = running ? '1.31.2' : '1.30.6';
  const power = { code: running ? 'Running' : 'Stopped' };
  const pool = (pname: string, count: number, vmSize: string, mode: 'System' | 'User') => ({
    name: pname,
    count,
    vmSize,
    osDiskSizeGB: 128,
    osDiskType: 'Managed',
    kubeletDiskType: 'OS',
    maxPods: 110,
    type: 'VirtualMachineScaleSets',
    enableAutoScaling: mode === 'User',
    ...(mode === 'User' ? { minCount: 0, maxCount: 4 } : {}),
    provisioningState,
    powerState: power,
    orchestratorVersion: version,
    currentOrchestratorVersion: version,
    mode,
    osType: 'Linux',
    osSKU: 'Ubuntu',
    nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202410.27.0',
  });
  const pools = [pool('system', 3, 'Standard_D4s_v5', 'System'), ...(gpuSize ? [pool('gpu', 2, gpuSize, 'User')] : [])];
  const dnsPrefix = `${name}-dns`;
  return {
    id: `/subscriptions/${sub}/resourcegroups/${rg}/providers/Microsoft.ContainerService/managedClusters/${name}`,
    location,
    name,
    tags,
    type: 'Microsoft.ContainerService/ManagedClusters',
    sku: { name: 'Base', tier: 'Free' },
    identity: { type: 'SystemAssigned', principalId: simUuid(seed, name, 'principal'), tenantId: simUuid(seed, 'tenant') },
    properties: {
      provisioningState,
      powerState: power,
      kubernetesVersion: version,
      currentKubernetesVersion: version,
      dnsPrefix,
      fqdn: `${dnsPrefix}-${simUuid(seed, name).slice(0, 8)}.hcp.${location}.azmk8s.io`,
      azurePortalFQDN: `${dnsPrefix}-${simUuid(seed, name).slice(0, 8)}.portal.hcp.${location}.azmk8s.io`,
      agentPoolProfiles: pools,
      nodeResourceGroup: `MC_${rg}_${name}_${location}`,
      enableRBAC: true,
      supportPlan: 'KubernetesOfficial',
      networkProfile: {
        networkPlugin: 'azure',
        networkPluginMode: 'overlay',
        loadBalancerSku: 'standard',
        podCidr: '10.244.0.0/16',
        serviceCidr: '10.0.0.0/16',
        dnsServiceIP: '10.0.0.10',
        outboundType: 'loadBalancer',
      },
      maxAgentPools: 100,
    },
  };
}

type SiteTemplate = readonly [base: string, kind: string, region: string, state: 'Running' | 'Stopped', sku: string];
const SITES_FIRST: readonly SiteTemplate[] = [
  ['func-ingest', 'functionapp,linux', 'eastus', 'Running', 'Dynamic'],
  ['func-embed', 'functionapp', 'eastus', 'Running', 'ElasticPremium'],
  ['func-nightly', 'functionapp,linux', 'westeurope', 'Stopped', 'Dynamic'],
  // Flex Consumption (learn.microsoft.com/azure/azure-functions/flex-consumption-plan) beside a Consumption app in eastus.
  ['func-flex-embed', 'functionapp,linux', 'eastus', 'Running', 'FlexConsumption'],
  ['web-dashboard', 'app,linux', 'eastus', 'Running', 'PremiumV3'],
  ['web-api', 'app,linux,container', 'westeurope', 'Running', 'Standard'],
];
const SITES_SECOND: readonly SiteTemplate[] = [
  ['func-research', 'functionapp,linux', 'southcentralus', 'Running', 'FlexConsumption'],
  ['web-notebook', 'app', 'eastus', 'Running', 'Basic'],
];

function makeSite(sub: string, seed: number, t: SiteTemplate, rng: Rng, tags: Record<string, string>): Record<string, unknown> {
  const [base, kind, region, state, sku] = t;
  const name = `${base}-${simUuid(seed, sub, base).slice(0, 6)}`; // site names are global: a suffix as people add
  const rg = `rg-${base.startsWith('func') ? 'functions' : 'web'}-${region}`;
  const host = `${name}.azurewebsites.net`;
  const linux = kind.includes('linux');
  const plan = sku === 'Dynamic' ? `${region.toUpperCase()}LinuxDynamicPlan` : `asp-${base}`;
  return {
    id: `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Web/sites/${name}`,
    name,
    type: 'Microsoft.Web/sites',
    kind,
    location: REGION_DISPLAY[region],
    tags,
    properties: {
      name,
      state,
      hostNames: [host],
      webSpace: `${rg}-${region.toUpperCase()}webspace${linux ? '-Linux' : ''}`,
      selfLink: `https://waws-prod-blu-${100 + rng.int(1, 400)}.api.azurewebsites.windows.net:454/subscriptions/${sub}/webspaces/${rg}/sites/${name}`,
      repositorySiteName: name,
      usageState: 'Normal',
      enabled: true,
      adminEnabled: true,
      enabledHostNames: [host, `${name}.scm.azurewebsites.net`],
      availabilityState: 'Normal',
      hostNameSslStates: [
        { name: host, sslState: 'Disabled', hostType: 'Standard' },
        { name: `${name}.scm.azurewebsites.net`, sslState: 'Disabled', hostType: 'Repository' },
      ],
      serverFarmId: `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Web/serverfarms/${plan}`,
      reserved: linux,
      isXenon: false,
      hyperV: false,
      lastModifiedTimeUtc: new Date(SIM_EPOCH - rng.int(1, 90 * 24) * 3600e3).toISOString().replace('Z', '0000'),
      storageRecoveryDefaultState: 'Running',
      contentAvailabilityState: 'Normal',
      runtimeAvailabilityState: 'Normal',
      siteConfig: {
        numberOfWorkers: 1,
        linuxFxVersion: linux
          ? kind.includes('container')
            ? 'DOCKER|ghcr.io/cloudtop/api:latest'
            : kind.startsWith('functionapp')
              ? 'Python|3.11'
              : 'NODE|20-lts'
          : '',
        acrUseManagedIdentityCreds: false,
        alwaysOn: false,
        http20Enabled: false,
        functionAppScaleLimit: sku === 'Dynamic' ? 200 : 0,
        minimumElasticInstanceCount: 0,
      },
      scmSiteAlsoStopped: false,
      clientAffinityEnabled: false,
      clientCertEnabled: false,
      hostNamesDisabled: false,
      outboundIpAddresses: '20.119.0.1,20.119.0.2',
      possibleOutboundIpAddresses: '20.119.0.1,20.119.0.2,20.119.0.3',
      containerSize: kind.startsWith('functionapp') ? 1536 : 0,
      dailyMemoryTimeQuota: 0,
      resourceGroup: rg,
      defaultHostName: host,
      httpsOnly: true,
      redundancyMode: 'None',
      publicNetworkAccess: 'Enabled',
      keyVaultReferenceIdentity: 'SystemAssigned',
      sku,
    },
  };
}

export function generateAzureAccount(seed: number, tenantId: string, o: AzureDataOptions): AzureAccount {
  const rng = new Rng(hashSeed(seed, 'azure-data'));
  const n = Math.max(1, o.subscriptions ?? 2);
  const subscriptions: AzureSubscription[] = [];
  const account: AzureAccount = { subscriptions, vms: {}, clusters: {}, sites: {} };
  const names = ['Cloudtop Sim Production', 'Cloudtop Sim Research'];
  const used = new Set<string>();
  for (let i = 0; i < n; i++) {
    const subscriptionId = simUuid(seed, 'subscription', i);
    subscriptions.push({
      id: `/subscriptions/${subscriptionId}`,
      authorizationSource: 'RoleBased',
      managedByTenants: [],
      subscriptionId,
      tenantId,
      displayName: o.hostile ? hostileName(i) : (names[i] ?? `Cloudtop Sim Subscription ${i + 1}`),
      state: 'Enabled',
      subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
    });
    const templates = i === 0 ? FIRST : SECOND;
    const count = o.count ?? templates.length;
    const vms = Array.from({ length: count }, (_, k) =>
      makeVm(rng, subscriptionId, k, templates[k % templates.length], Boolean(o.hostile), used),
    );
    if (i === 0 && o.extraVms) {
      for (let k = 0; k < o.extraVms.count; k++) {
        const size = AZURE_VM_SIZES[k % AZURE_VM_SIZES.length].name;
        vms.push(
          makeVm(
            rng,
            subscriptionId,
            count + k,
            [size, o.extraVms.region, k % 7 === 6 ? 'deallocated' : 'running'],
            Boolean(o.hostile),
            used,
          ),
        );
      }
    }
    if (o.hostile && i === 0 && vms.length > 0) {
      // Still a valid Azure name (64 characters, the Linux VM maximum) but long.
      const long = `${LONG_NAME.slice(0, 40)}-${vms[0].name}`.slice(0, 64);
      vms[0].name = long;
      vms[0].body.name = long;
      vms[0].body.id = vms[0].body.id.replace(/[^/]+$/, long);
      vms[0].id = vms[0].body.id;
    }
    account.vms[subscriptionId] = vms;
    const tag = (k: number): Record<string, string> =>
      o.hostile ? { env: 'prod', owner: hostileName(k + i * 5) } : { env: i === 0 ? 'prod' : 'research' };
    account.clusters[subscriptionId] =
      i === 0
        ? [
            makeCluster(subscriptionId, seed, 'aks-ml-prod', 'eastus', true, 'Succeeded', 'Standard_NC24ads_A100_v4', tag(0)),
            makeCluster(subscriptionId, seed, 'aks-dev', 'westeurope', false, 'Succeeded', undefined, tag(1)),
          ]
        : [makeCluster(subscriptionId, seed, `aks-research-${i}`, 'southcentralus', true, 'Updating', 'Standard_NC40ads_H100_v5', tag(0))];
    account.sites[subscriptionId] = (i === 0 ? SITES_FIRST : SITES_SECOND).map((t, k) =>
      makeSite(subscriptionId, seed, t, rng, tag(k + 2)),
    );
  }
  return account;
}

const POWER_DISPLAY: Readonly<Record<AzurePowerState, string>> = {
  running: 'VM running',
  deallocated: 'VM deallocated',
  stopped: 'VM stopped',
  starting: 'VM starting',
  deallocating: 'VM deallocating',
  stopping: 'VM stopping',
};

/** The statuses of a VM's instance view: provisioning state, then power state. */
/**
 * A failed provisioning's message by its code: the allocation failure's words from
 * learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/allocation-failure, the extension failure's from
 * learn.microsoft.com/azure/virtual-machines/extensions/hpccompute-gpu-linux (troubleshooting).
 */
const FAILURES: Readonly<Record<string, string>> = {
  AllocationFailed:
    'Allocation failed. We do not have sufficient capacity for the requested VM size in this region. Read more about improving likelihood of allocation success at http://aka.ms/allocation-guidance',
  VMExtensionProvisioningError:
    "VM has reported a failure when processing extension 'NvidiaGpuDriverLinux' (publisher 'Microsoft.HpcCompute' and type 'NvidiaGpuDriverLinux'). Error message: 'Enable failed: exit status 1'. More information on troubleshooting is available at https://aka.ms/vmextensionlinuxtroubleshoot.",
};

export function vmStatuses(vm: AzureVm): object[] {
  const time = String(vm.body.properties.timeCreated);
  const state = vm.body.properties.provisioningState;
  const provisioning = vm.failed
    ? {
        code: `ProvisioningState/failed/${vm.failed}`,
        level: 'Error',
        displayStatus: 'Provisioning failed',
        message: FAILURES[vm.failed] ?? `Provisioning failed with ${vm.failed}.`,
        time,
      }
    : {
        code: `ProvisioningState/${state.toLowerCase()}`,
        level: 'Info',
        displayStatus: state === 'Succeeded' ? 'Provisioning succeeded' : state,
        ...(state === 'Succeeded' ? { time } : {}),
      };
  return [provisioning, { code: `PowerState/${vm.power}`, level: 'Info', displayStatus: POWER_DISPLAY[vm.power] }];
}
