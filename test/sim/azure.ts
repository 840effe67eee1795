// The simulated Azure (Resource Manager, Monitor metrics data plane, Retail Prices, Entra ID sign-in) for the REAL
// azure-sdk-for-js clients pointed at `sim.endpoint('azure')`: served over HTTPS at the root of its own port (`tls`),
// because the SDK's bearer policy refuses http (@azure/core-rest-pipeline policies/bearerTokenAuthenticationPolicy.js;
// Azure/azure-sdk-for-js#25206). Routes (api-version accepted whatever its value):
//   GET  /subscriptions                                                              arm-resources-subscriptions
//   GET  /tenants                                                                    arm-resources-subscriptions tenants.list
//   GET  /subscriptions/:sub/providers/Microsoft.Compute/virtualMachines[?statusOnly=true]   arm-compute listAll
//   GET  /subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Compute/virtualMachines/:name/instanceView
//   GET  /subscriptions/:sub/providers/Microsoft.Compute/locations/:location/vmSizes       (deprecated; kept for old clients)
//   GET  /subscriptions/:sub/providers/Microsoft.Compute/skus[?$filter=location eq 'x']   arm-compute resourceSkus.list
//   GET  /subscriptions/:sub/providers/Microsoft.Compute/virtualMachineScaleSets           azure-scalesets.ts
//   GET  /subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Compute/virtualMachineScaleSets/:name/virtualMachines
//   GET  /subscriptions/:sub/providers/Microsoft.ContainerService/managedClusters      arm-containerservice
//   GET  /subscriptions/:sub/providers/Microsoft.Web/sites                             arm-appservice webApps.list
//   POST /subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Compute/virtualMachines/:name/{deallocate|start|powerOff}
//   POST …/virtualMachineScaleSets/:name/virtualMachines/:instanceId/{deallocate|start|powerOff}, and
//   GET  /subscriptions/:sub/providers/Microsoft.Compute/locations/:location/operations/:operation   (azure-writes.ts)
//   POST /subscriptions/:sub/metrics:getBatch                                          monitor-query-metrics (azure-metrics.ts)
//   GET  /api/retail/prices                                                            Retail Prices, public (azure-prices.ts)
//   GET  /:tenant/v2.0/.well-known/openid-configuration, POST /:tenant/oauth2/v2.0/token   Entra ID, public (azure-login.ts)
// Lists are `{value, nextLink}` with an absolute https nextLink on the request's own origin; errors
// `{"error":{code,message}}`; ARM answers carry x-ms-request-id and a per-subscription reads counter.
import { AZURE_METRICS, batchEntry, intervalMinutes, type Aggregation, AGGREGATIONS, type MetricResource } from './azure-metrics';
import { azureVmSize, generateAzureAccount, simUuid, skuRows, vmSizeRows, vmStatuses, type AzureAccount, type AzureVm } from './azure-data';
import { generateScaleSets, scaleSetBody, scaleSetVmBody, type AzureScaleSet } from './azure-scalesets';
import { entraError, openidConfiguration, tokenEndpoint, type AzureLoginState } from './azure-login';
import { retailPrices } from './azure-prices';
import { createWriteState, pollOperations, writeHandlers, type AzureWriteState, type WriteContext } from './azure-writes';
import { presentedBearer } from './auth';
import { Router } from './router';
import { defineCloud, json, simKnobs, type SimCloud, type SimCloudOptions, type SimRequest, type SimResponse } from './types';

export {
  AZURE_VM_SIZES,
  AZURE_REGIONS,
  azureVmSize,
  REGION_DISPLAY,
  type AzureVm,
  type AzureVmSize,
  type AzurePowerState,
  type AzureSubscription,
} from './azure-data';
export { AZURE_METRICS, azureMetricMinute, azureMetricInterval, type MetricPoint } from './azure-metrics';
export { azureVmPrices, azureVmListedPrice, allPriceItems, parsePriceFilter, type AzureVmPrices } from './azure-prices';
export { installFakeAz, type FakeAzOptions } from './azure-login';
export { type AzureScaleSet, type AzureScaleSetVm } from './azure-scalesets';
export { type AzureWrite, type AzureOperation } from './azure-writes';

export const AZURE_TENANT_ID = '72f988bf-0000-4000-8000-00000000c10d';
export const AZURE_CLIENT_ID = '0b5c1e9a-0000-4000-8000-00000000c11e';
export const AZURE_CLIENT_SECRET = 'sim-azure-client-secret';
/** The token the `az` stand-in hands out by default; every fresh state accepts it. */
export const AZURE_CLI_TOKEN = 'sim-azure-cli-token';
export const ARM_SCOPE = 'https://management.azure.com/.default';
/** A second tenant the signed-in user is a guest in (`tenants: 2`), and the token the `az` stand-in gives for it. */
export const AZURE_GUEST_TENANT_ID = '8c2f4a1e-0000-4000-8000-00000000f4b1';
export const AZURE_GUEST_TOKEN = 'sim-azure-cli-token-guest-tenant';
/** A third tenant whose policy wants multi-factor authentication (`tenants: 3`): `az` gives no token for it. */
export const AZURE_MFA_TENANT_ID = '3d9b7e55-0000-4000-8000-00000000afa3';

/** A tenant as `GET /tenants` answers it. */
export interface AzureTenant {
  readonly tenantId: string;
  readonly displayName: string;
  readonly defaultDomain: string;
  readonly tenantCategory: 'Home' | 'ProjectedBy' | 'ManagedBy';
}

export interface MetricBatchRecord {
  readonly subscriptionId: string;
  readonly ids: number;
  readonly namespace: string;
  readonly metricnames: string[];
  readonly status: number;
}

export interface AzureState extends AzureLoginState, AzureAccount, AzureWriteState {
  /** Subscriptions whose every call answers 403 AuthorizationFailed (they still appear in the list). */
  refusedSubscriptions: string[];
  /** Resource ids whose metrics have no values (only timeStamps) though the resource runs. */
  silentResources: string[];
  /** The tenants the signed-in user can use (`GET /tenants`); subscriptions name theirs. */
  tenants: AzureTenant[];
  /** Tokens of tenants other than the home one (`tenantId`), by token. */
  tenantTokens: Record<string, string>;
  /** Virtual machine scale sets by subscription id (azure-scalesets.ts). */
  scaleSets: Record<string, AzureScaleSet[]>;
  /** Items per ARM list page. */
  pageSize: number;
  /** Items per Retail Prices page. */
  pricePageSize: number;
  metricBatches: MetricBatchRecord[];
  /** Requests answered (numbers x-ms-request-id). */
  requests: number;
  /** x-ms-ratelimit-remaining-subscription-reads per subscription id (starts at 11999). */
  readsRemaining: Record<string, number>;
}

export interface AzureCloudOptions extends SimCloudOptions {
  /** Subscriptions (default 2). */
  readonly subscriptions?: number;
  /** ARM list page size (default 10). */
  readonly pageSize?: number;
  /** Retail Prices page size (default 100). */
  readonly pricePageSize?: number;
  /** VMs added to the first subscription in one region (e.g. 55 in eastus). */
  readonly extraVms?: { readonly region: string; readonly count: number };
  /** Tenants (default 1): 2 adds a guest tenant with a subscription of its own, 3 also one that wants MFA. */
  readonly tenants?: 1 | 2 | 3;
}

const CODES: Readonly<Record<number, [string, string]>> = {
  400: ['BadRequest', 'The request is invalid.'],
  401: ['InvalidAuthenticationToken', 'The access token is invalid.'],
  403: ['AuthorizationFailed', 'The client does not have authorization to perform this action.'],
  404: ['ResourceNotFound', 'The resource was not found.'],
  405: ['MethodNotAllowed', 'The requested method is not allowed.'],
  409: ['Conflict', 'The request conflicts with the current state.'],
  429: [
    'TooManyRequests',
    'The request is being throttled as the limit has been reached for operation type - Read_ObservationWindow_00:05:00. For more information, see - https://aka.ms/srpthrottlinglimits',
  ],
  500: ['InternalServerError', 'Encountered internal server error. Diagnostic information: timestamp 20261101T120000Z.'],
  503: ['ServiceUnavailable', 'The service is currently unavailable. Please try again later.'],
};

export function azureError(status: number, code?: string, message?: string, headers?: SimResponse['headers']): SimResponse {
  const [c, m] = CODES[status] ?? [`Http${status}`, `HTTP ${status}`];
  return json({ error: { code: code ?? c, message: message ?? m } }, status, headers);
}

function unauthorized(req: SimRequest<AzureState>, message: string, code = 'InvalidAuthenticationToken'): SimResponse {
  return azureError(401, code, message, {
    'WWW-Authenticate': `Bearer authorization_uri="https://login.microsoftonline.com/${req.state.tenantId}", error="invalid_token", error_description="The access token is invalid."`,
  });
}

function forbidden(req: SimRequest<AzureState>, scope: string): SimResponse {
  const action = actionOf(req.path);
  return azureError(
    403,
    'AuthorizationFailed',
    `The client '${req.state.clientId}' with object id '${simUuid(req.state.seed, 'sp', req.state.clientId)}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

function actionOf(path: string): string {
  if (/metrics:getBatch$/i.test(path)) return 'Microsoft.Insights/metrics/read';
  const m = /\/providers\/(Microsoft\.[A-Za-z]+\/[A-Za-z]+)/i.exec(path);
  return m ? `${m[1]}/read` : 'Microsoft.Resources/subscriptions/read';
}

const isLogin = (route: string | null): boolean => route !== null && route.startsWith('/:tenant');
const isPrices = (route: string | null): boolean => route === '/api/retail/prices';

function auth(req: SimRequest<AzureState>) {
  const token = presentedBearer(req);
  if (!token)
    return {
      ok: false as const,
      response: unauthorized(req, "Authentication failed. The 'Authorization' header is missing.", 'AuthenticationFailed'),
    };
  if (req.state.cliTokens.includes(token) || req.state.tenantTokens[token] !== undefined) return { ok: true as const, credential: token };
  const secret = req.state.issuedTokens[token];
  if (secret !== undefined && req.state.keys.includes(secret)) return { ok: true as const, credential: token };
  if (secret !== undefined && (req.state.forbiddenKeys ?? []).includes(secret)) {
    const sub = /^\/subscriptions\/([^/]+)/i.exec(req.path)?.[1];
    return { ok: false as const, response: forbidden(req, sub ? `/subscriptions/${sub}` : '/') };
  }
  return { ok: false as const, response: unauthorized(req, 'The access token is invalid.') };
}

/** The tenant a request's token was issued for: the home tenant's (service principal, `az` default), or another's. */
const tokenTenant = (req: SimRequest<AzureState>): string => req.state.tenantTokens[req.credential ?? ''] ?? req.state.tenantId;

/** The subscription a request names: known, of the token's tenant, and not refused, else the ARM answer. */
function subscriptionOf(req: SimRequest<AzureState>): string | SimResponse {
  const sub = req.params.sub ?? '';
  const known = req.state.subscriptions.find((s) => s.subscriptionId.toLowerCase() === sub.toLowerCase());
  if (!known) return azureError(404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`);
  // ARM's answer to a token of another tenant (the wording ARM sends; Azure/azure-cli#17189 quotes it).
  const issuer = tokenTenant(req);
  if (known.tenantId !== issuer)
    return unauthorized(
      req,
      `The access token is from the wrong issuer 'https://sts.windows.net/${issuer}/'. It must match the tenant 'https://sts.windows.net/${known.tenantId}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${known.tenantId}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`,
      'InvalidAuthenticationTokenTenant',
    );
  if (req.state.refusedSubscriptions.some((s) => s.toLowerCase() === sub.toLowerCase())) return forbidden(req, `/subscriptions/${sub}`);
  return known.subscriptionId;
}

const isResponse = (v: unknown): v is SimResponse => typeof v === 'object' && v !== null && 'status' in v && !('subscriptionId' in v);

/** One `{value, nextLink}` page; the skiptoken is an opaque base64 offset. */
function page(req: SimRequest<AzureState>, all: readonly unknown[]): SimResponse {
  if (req.emptyPage) return json({ value: [] });
  const token = req.query.get('$skiptoken');
  let start = 0;
  if (token !== null) {
    const m = /^o:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!m) return azureError(400, 'InvalidParameter', `The value '${token}' of parameter '$skiptoken' is invalid.`);
    start = Number(m[1]);
  }
  const size = Math.max(1, req.state.pageSize);
  const value = all.slice(start, start + size);
  const body: { value: unknown[]; nextLink?: string } = { value };
  if (start + value.length < all.length) {
    const q = new URLSearchParams(req.query);
    q.set('$skiptoken', Buffer.from(`o:${start + value.length}`).toString('base64url'));
    body.nextLink = `${req.baseUrl}${req.path}?${q.toString()}`;
  }
  return json(body);
}

/** A token lists its own tenant's subscriptions alone. */
function listSubscriptions(req: SimRequest<AzureState>): SimResponse {
  const tenant = tokenTenant(req);
  return page(
    req,
    req.state.subscriptions.filter((s) => s.tenantId === tenant),
  );
}

/**
 * `GET /tenants` (learn.microsoft.com/rest/api/resources/tenants/list; Azure/azure-rest-api-specs
 * specification/resources/resource-manager/Microsoft.Resources/subscriptions/stable/2022-12-01/examples/GetTenants.json):
 * every tenant the user can use, whatever tenant the token is of. A service principal sees its own.
 */
function listTenants(req: SimRequest<AzureState>): SimResponse {
  const principal = req.credential !== undefined && req.state.issuedTokens[req.credential] !== undefined;
  const tenants = principal ? req.state.tenants.filter((t) => t.tenantId === req.state.tenantId) : req.state.tenants;
  return page(
    req,
    tenants.map((t) => ({
      id: `/tenants/${t.tenantId}`,
      tenantId: t.tenantId,
      countryCode: 'US',
      displayName: t.displayName,
      domains: [t.defaultDomain],
      tenantCategory: t.tenantCategory,
      defaultDomain: t.defaultDomain,
      tenantType: 'AAD',
    })),
  );
}

function withSub(list: (req: SimRequest<AzureState>, sub: string) => SimResponse) {
  return (req: SimRequest<AzureState>): SimResponse => {
    const sub = subscriptionOf(req);
    return isResponse(sub) ? sub : list(req, sub);
  };
}

const vmBody = (vm: AzureVm, statusOnly: boolean): object =>
  statusOnly ? { ...vm.body, properties: { ...vm.body.properties, instanceView: { statuses: vmStatuses(vm) } } } : vm.body;

/** What the write handlers need of the rest of the sim. */
const writes: WriteContext<AzureState> = {
  error: (status, code, message, headers) => azureError(status, code, message, headers),
  subscription: (req) => subscriptionOf(req),
  principal: (req) => ({ clientId: req.state.clientId, objectId: simUuid(req.state.seed, 'sp', req.state.clientId) }),
  secretOf: (req) => req.state.issuedTokens[req.credential ?? ''],
  vms: (state, sub) => state.vms[sub] ?? [],
  scaleSets: (state, sub) => state.scaleSets[sub] ?? [],
};
const { vmWrite, scaleSetVmWrite, operationStatus } = writeHandlers(writes);
/** A listing's first page is one poll of the operations it shows. */
const firstPage = (req: SimRequest<AzureState>) => req.query.get('$skiptoken') === null;

const listVms = withSub((req, sub) => {
  if (firstPage(req))
    pollOperations(
      writes,
      req.state,
      sub,
      (op) => op.target.includes('/virtualmachines/') && !op.target.includes('/virtualmachinescalesets/'),
    );
  const statusOnly = (req.query.get('statusOnly') ?? '').toLowerCase() === 'true';
  return page(
    req,
    (req.state.vms[sub] ?? []).map((vm) => vmBody(vm, statusOnly)),
  );
});

const vmInstanceView = withSub((req, sub) => {
  const vm = (req.state.vms[sub] ?? []).find(
    (v) => v.resourceGroup.toLowerCase() === req.params.rg.toLowerCase() && v.name.toLowerCase() === req.params.name.toLowerCase(),
  );
  if (!vm)
    return azureError(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.Compute/virtualMachines/${req.params.name}' under resource group '${req.params.rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  pollOperations(writes, req.state, sub, (op) => op.target === vm.id.toLowerCase());
  return json({
    computerName: vm.name.slice(0, 15),
    osName: 'ubuntu',
    osVersion: '22.04',
    vmAgent: { vmAgentVersion: '2.11.1.12', statuses: [] },
    hyperVGeneration: 'V2',
    statuses: vmStatuses(vm),
  });
});

const vmSizes = withSub((req) => {
  if (!['eastus', 'westeurope', 'southcentralus', 'westus2'].includes(req.params.location.toLowerCase())) {
    return azureError(404, 'NoRegisteredProviderFound', `No registered resource provider found for location '${req.params.location}'.`);
  }
  return json({ value: vmSizeRows() });
});

/** Resource SKUs: `$filter=location eq '<location>'` is the only filter the API takes (learn.microsoft.com/rest/api/compute/resource-skus/list). */
const listSkus = withSub((req) => {
  const filter = req.query.get('$filter');
  if (filter === null) return json({ value: ['eastus', 'westeurope', 'southcentralus', 'westus2'].flatMap((l) => skuRows(l)) });
  const m = /^\s*location\s+eq\s+'([^']*)'\s*$/i.exec(filter);
  if (!m) return azureError(400, 'InvalidParameter', `The filter '${filter}' is not supported. Only location filter is supported.`);
  return json({ value: skuRows(m[1].toLowerCase()) });
});

const listScaleSets = withSub((req, sub) =>
  page(
    req,
    (req.state.scaleSets[sub] ?? []).map((s) => scaleSetBody(req.state.seed, s)),
  ),
);

const listScaleSetVms = withSub((req, sub) => {
  const set = (req.state.scaleSets[sub] ?? []).find(
    (s) => s.resourceGroup.toLowerCase() === req.params.rg.toLowerCase() && s.name.toLowerCase() === req.params.name.toLowerCase(),
  );
  if (!set)
    return azureError(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.Compute/virtualMachineScaleSets/${req.params.name}' under resource group '${req.params.rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  if (firstPage(req)) pollOperations(writes, req.state, sub, (op) => op.target.startsWith(`${set.id.toLowerCase()}/virtualmachines/`));
  const expand = (req.query.get('$expand') ?? '').toLowerCase() === 'instanceview';
  return page(req, set.orchestrationMode === 'Uniform' ? set.instances.map((vm) => scaleSetVmBody(req.state.seed, set, vm, expand)) : []);
});

const listClusters = withSub((req, sub) => page(req, req.state.clusters[sub] ?? []));
const listSites = withSub((req, sub) => page(req, req.state.sites[sub] ?? []));

/** Every resource the metrics API can answer for, by lower-cased id. */
function metricResources(state: AzureState, sub: string, namespace: string): Map<string, MetricResource> {
  const silent = new Set(state.silentResources.map((s) => s.toLowerCase()));
  const out = new Map<string, MetricResource>();
  const add = (id: string, region: string, off: boolean, memoryMb?: number, absent?: string[]) =>
    out.set(id.toLowerCase(), {
      id,
      region,
      silent: off || silent.has(id.toLowerCase()),
      ...(memoryMb ? { memoryMb } : {}),
      ...(absent ? { absent } : {}),
    });
  const ns = namespace.toLowerCase();
  if (ns === 'microsoft.compute/virtualmachines')
    for (const vm of state.vms[sub] ?? [])
      add(
        vm.id,
        vm.location,
        vm.power !== 'running' || Boolean(vm.failed),
        azureVmSize(vm.body.properties.hardwareProfile.vmSize)?.memoryMb,
      );
  if (ns === 'microsoft.compute/virtualmachinescalesets/virtualmachines')
    for (const set of state.scaleSets[sub] ?? [])
      for (const vm of set.instances)
        add(`${set.id}/virtualMachines/${vm.instanceId}`, set.location, vm.power !== 'running', azureVmSize(set.size ?? '')?.memoryMb);
  if (ns === 'microsoft.web/sites') {
    for (const s of state.sites[sub] ?? []) {
      const p = s.properties as { state: string; sku?: string };
      // Flex Consumption apps publish no FunctionExecutionCount; other plans none of Flex's two execution counts.
      const absent =
        p.sku === 'FlexConsumption' ? ['FunctionExecutionCount'] : ['OnDemandFunctionExecutionCount', 'AlwaysReadyFunctionExecutionCount'];
      add(String(s.id), String(s.location).toLowerCase().replace(/\s+/g, ''), p.state !== 'Running', undefined, absent);
    }
  }
  if (ns === 'microsoft.containerservice/managedclusters') {
    for (const c of state.clusters[sub] ?? [])
      add(String(c.id), String(c.location), (c.properties as { powerState: { code: string } }).powerState.code !== 'Running');
  }
  return out;
}

const metricsBatch = withSub((req, sub) => {
  const namespace = req.query.get('metricnamespace') ?? '';
  const names = (req.query.get('metricnames') ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as { resourceids?: unknown };
  const ids = Array.isArray(body.resourceids) ? body.resourceids.filter((i): i is string => typeof i === 'string') : [];
  const record = (status: number) =>
    req.state.metricBatches.push({ subscriptionId: sub, ids: ids.length, namespace, metricnames: names, status });
  const bad = (message: string): SimResponse => {
    record(400);
    return azureError(400, 'BadRequest', message);
  };
  const defs = Object.entries(AZURE_METRICS).find(([ns]) => ns.toLowerCase() === namespace.toLowerCase());
  if (!defs) return bad(`Metric namespace '${namespace}' is not valid. Supported namespaces: ${Object.keys(AZURE_METRICS).join(', ')}.`);
  const [provider, type] = defs[0].split('/');
  if (names.length === 0) return bad('metricnames is required.');
  const metrics = [];
  for (const n of names) {
    const def = defs[1].find((d) => d.name.toLowerCase() === n.toLowerCase());
    if (!def)
      return bad(
        `Failed to find metric configuration for provider: ${provider}, resource Type: ${type}, metric: ${n}, Valid metrics: ${defs[1].map((d) => d.name).join(',')}`,
      );
    metrics.push(def);
  }
  const start = req.query.get('starttime');
  const end = req.query.get('endtime');
  if (!start || !end) return bad('Both starttime and endtime must be specified.');
  const startMs = Date.parse(start);
  const endMs = Date.parse(end);
  if (Number.isNaN(startMs) || Number.isNaN(endMs) || startMs >= endMs)
    return bad(`Invalid time range: starttime '${start}' must be an ISO 8601 time before endtime '${end}'.`);
  const interval = req.query.get('interval') ?? 'PT1M';
  const minutes = intervalMinutes(interval);
  if (minutes === undefined)
    return bad(`Invalid interval '${interval}'. Supported intervals: PT1M, PT5M, PT15M, PT30M, PT1H, PT6H, PT12H, P1D.`);
  if ((endMs - startMs) / (minutes * 60_000) > 10_000) return bad('The requested time range and interval produce too many data points.');
  let aggregations: Aggregation[] | undefined;
  const aggRaw = req.query.get('aggregation');
  if (aggRaw) {
    aggregations = [];
    for (const a of aggRaw.split(',').map((s) => s.trim().toLowerCase())) {
      if (!(AGGREGATIONS as readonly string[]).includes(a))
        return bad(`Invalid aggregation '${a}'. Valid values: Average, Count, Minimum, Maximum, Total.`);
      aggregations.push(a as Aggregation);
    }
  }
  if (ids.length === 0) return bad('resourceids must contain at least one resource id.');
  if (ids.length > 50) return bad(`The number of resource ids (${ids.length}) exceeds the maximum of 50 per request.`);
  const prefix = `/subscriptions/${sub.toLowerCase()}/`;
  const foreign = ids.find((i) => !i.toLowerCase().startsWith(prefix));
  if (foreign) return bad(`Resource IDs must all be in the same subscription as the request ('${sub}'): ${foreign}`);
  const known = metricResources(req.state, sub, defs[0]);
  const regions = [...new Set(ids.map((i) => known.get(i.toLowerCase())?.region).filter((r): r is string => r !== undefined))];
  if (regions.length > 1) return bad(`Resource IDs must all be in the same region. Found: ${regions.join(', ')}.`);
  record(200);
  const q = { seed: req.state.seed, namespace: defs[0], metrics, aggregations, startMs, endMs, interval, minutes };
  return json({ values: ids.map((i) => batchEntry(q, i, known.get(i.toLowerCase()), regions[0] ?? '')) });
});

function prices(req: SimRequest<AzureState>): SimResponse {
  const answer = retailPrices(req.query, req.baseUrl, Math.max(1, req.state.pricePageSize));
  return json(answer.body, answer.status);
}

export function createAzureState(seed: number, options: AzureCloudOptions = {}): AzureState {
  const keys = [options.key ?? AZURE_CLIENT_SECRET];
  const account = generateAzureAccount(seed, AZURE_TENANT_ID, options);
  const scaleSets = Object.fromEntries(
    account.subscriptions.map((s, i) => [
      s.subscriptionId,
      generateScaleSets(seed, s.subscriptionId, account.clusters[s.subscriptionId] ?? [], i === 0),
    ]),
  );
  const tenants: AzureTenant[] = [
    { tenantId: AZURE_TENANT_ID, displayName: 'Cloudtop Sim', defaultDomain: 'cloudtopsim.onmicrosoft.com', tenantCategory: 'Home' },
  ];
  const tenantTokens: Record<string, string> = {};
  if ((options.tenants ?? 1) >= 2) {
    // A client's tenant the user is a guest in (a consultant's case), with one subscription of its own.
    tenants.push({
      tenantId: AZURE_GUEST_TENANT_ID,
      displayName: 'Fabrikam',
      defaultDomain: 'fabrikam.onmicrosoft.com',
      tenantCategory: 'Home',
    });
    tenantTokens[AZURE_GUEST_TOKEN] = AZURE_GUEST_TENANT_ID;
    const guest = generateAzureAccount(seed + 1, AZURE_GUEST_TENANT_ID, { subscriptions: 1, count: 2 });
    for (const sub of guest.subscriptions) {
      sub.displayName = 'Fabrikam GPU Lab';
      account.subscriptions.push(sub);
      account.vms[sub.subscriptionId] = guest.vms[sub.subscriptionId];
      account.clusters[sub.subscriptionId] = [];
      account.sites[sub.subscriptionId] = [];
      scaleSets[sub.subscriptionId] = [];
    }
  }
  if ((options.tenants ?? 1) >= 3)
    tenants.push({
      tenantId: AZURE_MFA_TENANT_ID,
      displayName: 'Northwind Traders',
      defaultDomain: 'northwind.onmicrosoft.com',
      tenantCategory: 'Home',
    });
  return {
    keys,
    forbiddenKeys: [],
    tenantId: AZURE_TENANT_ID,
    clientId: AZURE_CLIENT_ID,
    issuedTokens: {},
    cliTokens: [AZURE_CLI_TOKEN],
    tokenScopes: [],
    seed,
    ...account,
    tenants,
    tenantTokens,
    scaleSets,
    refusedSubscriptions: [],
    silentResources: [],
    pageSize: options.pageSize ?? 10,
    pricePageSize: options.pricePageSize ?? 100,
    metricBatches: [],
    requests: 0,
    readsRemaining: {},
    ...createWriteState(),
  };
}

export function azureCloud(options: AzureCloudOptions = {}): SimCloud {
  return defineCloud<AzureState>({
    id: options.id ?? 'azure',
    testKey: options.key ?? AZURE_CLIENT_SECRET,
    testEnv: (baseUrl) => ({ AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_AUTHORITY_HOST: baseUrl }),
    tls: true,
    ...simKnobs(options),
    createState: (seed) => createAzureState(seed, options),
    routes: new Router<AzureState>()
      .get('/subscriptions', listSubscriptions)
      .get('/tenants', listTenants)
      .get('/subscriptions/:sub/providers/Microsoft.Compute/virtualMachines', listVms)
      .get('/subscriptions/:sub/providers/Microsoft.Compute/locations/:location/vmSizes', vmSizes)
      .get('/subscriptions/:sub/providers/Microsoft.Compute/skus', listSkus)
      .get('/subscriptions/:sub/providers/Microsoft.Compute/virtualMachineScaleSets', listScaleSets)
      .get(
        '/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Compute/virtualMachineScaleSets/:name/virtualMachines',
        listScaleSetVms,
      )
      .get('/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Compute/virtualMachines/:name/instanceView', vmInstanceView)
      .get('/subscriptions/:sub/providers/Microsoft.ContainerService/managedClusters', listClusters)
      .get('/subscriptions/:sub/providers/Microsoft.Web/sites', listSites)
      .post('/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Compute/virtualMachines/:name/:action', vmWrite)
      .post(
        '/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Compute/virtualMachineScaleSets/:name/virtualMachines/:instanceId/:action',
        scaleSetVmWrite,
      )
      .get('/subscriptions/:sub/providers/Microsoft.Compute/locations/:location/operations/:operation', operationStatus)
      .post('/subscriptions/:sub/metrics:getBatch', metricsBatch)
      .get('/api/retail/prices', prices, { public: true })
      .get('/:tenant/v2.0/.well-known/openid-configuration', openidConfiguration, { public: true })
      .post('/:tenant/oauth2/v2.0/token', tokenEndpoint, { public: true }),
    auth,
    error: (status, req, message) => {
      if (isLogin(req.route))
        return entraError(
          req,
          status,
          status >= 500 ? 'temporarily_unavailable' : 'invalid_request',
          status >= 500 ? 50001 : 900144,
          message,
        );
      if (status === 401) return unauthorized(req, message);
      if (status === 429) return azureError(429, undefined, undefined, { 'Retry-After': '1' });
      if (status === 404 && req.route === null) return azureError(404, 'ResourceNotFound', `${message}. No route for the resource path.`);
      return azureError(status, undefined, CODES[status] ? undefined : message);
    },
    // ARM's headers on every answer but the price list (another host) and Entra ID (which sends its own).
    decorate: (res, req) => {
      if (isLogin(req.route) || isPrices(req.route)) return res;
      const n = ++req.state.requests;
      const sub = /^\/subscriptions\/([^/]+)/i.exec(req.path)?.[1]?.toLowerCase();
      const key = sub ?? 'tenant';
      // A write is counted in its own header (ARM meters writes apart from reads).
      const write = req.method === 'POST' && req.route !== null && req.route.includes('/providers/Microsoft.Compute/');
      const counter = write ? `${key}|writes` : key;
      const left = (req.state.readsRemaining[counter] ?? (write ? 1200 : 12000)) - 1;
      req.state.readsRemaining[counter] = left;
      return {
        ...res,
        headers: {
          ...res.headers,
          'x-ms-request-id': simUuid(req.state.seed, 'request', n),
          'x-ms-correlation-request-id': simUuid(req.state.seed, 'correlation', n),
          // Tenant-level reads (GET /subscriptions) are counted in their own header, as ARM does.
          [sub ? `x-ms-ratelimit-remaining-subscription-${write ? 'writes' : 'reads'}` : 'x-ms-ratelimit-remaining-tenant-reads']:
            String(left),
        },
      };
    },
  });
}
