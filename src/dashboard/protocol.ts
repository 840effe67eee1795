// The typed message protocol between the dashboard panel (extension host) and its webview, shared by both
// bundles. No `vscode` import: the webview bundles this file too. Every message is validated on receipt
// on both sides — the webview may have been tampered with, and the host must not trust the shape of what a
// cloud put into a snapshot either — so each direction has a type guard, and anything else is ignored.
import {
  AVAILABILITIES,
  CLOUD_IDS,
  ERROR_CATEGORIES,
  isCloudId,
  OFFER_PRICINGS,
  OUTCOME_STATES,
  RESOURCE_STATUSES,
  WARNING_PARTS,
  type CloudId,
  type Snapshot,
} from '../core/model/model';
import { SCOPE_KINDS } from '../core/model/scope';

/** What the webview needs to say "updated 12 s ago · next in 48 s". */
export interface DashboardTiming {
  /** `cloudtop.refreshInterval` in seconds; 0 = the timer is off. */
  readonly intervalSec: number;
  /** Epoch ms when the last refresh finished (host clock). */
  readonly lastRefreshAt?: number;
  /** A manual refresh asked for from the dashboard is running. */
  readonly refreshing: boolean;
  /** Host clock when the message was sent: the webview may run on another machine with another clock. */
  readonly sentAt: number;
}

/**
 * What the overview draws its pictures from, built by the host from its history (src/vscode/dashboardHistory.ts) only while
 * the dashboard is visible: the GPU spend per cloud over the last 24 h (a point per refresh) and, per billed GPU
 * resource, its GPU utilization squeezed to a sparkline.
 */
export interface DashboardHistory {
  readonly spend: { readonly t: readonly number[]; readonly clouds: Readonly<Partial<Record<CloudId, readonly (number | null)[]>>> };
  readonly sparks: readonly { readonly cloud: CloudId; readonly id: string; readonly gpu: readonly (number | null)[] }[];
}

/** The values of a resource's history (src/core/history RESOURCE_FIELDS, which this module may not import). */
export const HISTORY_FIELDS = ['gpu', 'cpu', 'mem', 'gpuMem'] as const;

/** One resource's full history, sent when the user selects its row (the per-resource chart). */
export interface ResourceHistoryMessage {
  readonly type: 'resourceHistory';
  readonly cloud: CloudId;
  readonly id: string;
  readonly t: readonly number[];
  readonly values: Readonly<Record<(typeof HISTORY_FIELDS)[number], readonly (number | null)[]>>;
}

export type HostMessage =
  | {
      readonly type: 'snapshot';
      readonly snapshot: Snapshot;
      readonly timing: DashboardTiming;
      readonly history?: DashboardHistory;
      /** Clouds whose resources the dashboard may offer to stop now (`cloudtop.actions.enabled` and the cloud can). */
      readonly stoppable?: readonly CloudId[];
    }
  | { readonly type: 'timing'; readonly timing: DashboardTiming }
  | ResourceHistoryMessage
  /** Show the GPU prices tab (Cloudtop: Compare GPU Prices). */
  | { readonly type: 'showPrices' };

/** A resource the webview names: its cloud and id, checked like any input. */
export interface ResourceRef {
  readonly cloud: CloudId;
  readonly id: string;
}

export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'refresh' }
  /** The GPU prices tab is in view, so the public price catalogues are worth reading. */
  | { readonly type: 'pricesShown' }
  /** The selected row's history, for its chart. */
  | ({ readonly type: 'history' } & ResourceRef)
  /** Stop, after the host's own confirmation (the modal of Cloudtop's Stop command). */
  | ({ readonly type: 'stop' } & ResourceRef)
  /** Reveal the resource in its cloud's tree. */
  | ({ readonly type: 'show' } & ResourceRef);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
/** Absent, or present with the right type (undefined never survives JSON, so absent is the only "none"). */
const opt = (v: unknown, guard: (x: unknown) => boolean) => v === undefined || guard(v);
const isArrayOf = (v: unknown, guard: (x: unknown) => boolean) => Array.isArray(v) && v.every(guard);

// The model's own lists: a value the model gains is accepted here the same day.
const STATUSES = new Set<string>(RESOURCE_STATUSES);
const STATES = new Set<string>(OUTCOME_STATES);
const PARTS = new Set<string>(WARNING_PARTS);
const SCOPE_KIND_SET = new Set<string>(SCOPE_KINDS);
const PRICING = new Set<string>(OFFER_PRICINGS);
const AVAILABILITY = new Set<string>(AVAILABILITIES);
const CATEGORIES = new Set<string>(ERROR_CATEGORIES);
const isIsoDate = (v: unknown) => isStr(v) && !Number.isNaN(Date.parse(v));

export function isStat(v: unknown): boolean {
  return isObj(v) && isNum(v.avg) && isNum(v.max) && isNum(v.min);
}

/**
 * Families and fields are open (columns derive from the data), but every value must be a Stat; `missing` says, per
 * family, why the cloud sent none (text).
 */
export function isResourceMetrics(v: unknown): boolean {
  return (
    isObj(v) &&
    Object.entries(v).every(([name, family]) => isObj(family) && Object.values(family).every(name === 'missing' ? isStr : isStat))
  );
}

function isGpuSpec(v: unknown): boolean {
  return isObj(v) && isStr(v.model) && isNum(v.count) && opt(v.key, isStr) && opt(v.memoryGb, isNum);
}

export function isResource(v: unknown): boolean {
  return (
    isObj(v) &&
    isStr(v.id) &&
    isCloudId(v.cloud) &&
    isStr(v.account) &&
    opt(v.scope, isStr) &&
    isStr(v.kind) &&
    isStr(v.service) &&
    isStr(v.name) &&
    STATUSES.has(v.status as string) &&
    opt(v.region, isStr) &&
    opt(v.rawStatus, isStr) &&
    opt(v.createdAt, isStr) &&
    opt(v.pricePerHour, isNum) &&
    opt(v.priceUnknown, isStr) &&
    opt(v.storagePricePerHour, isNum) &&
    opt(v.gpu, isGpuSpec) &&
    opt(v.consoleUrl, isStr) &&
    opt(v.chargedWhilePaused, isBool) &&
    opt(v.note, isStr) &&
    opt(v.details, (d) => isObj(d) && Object.values(d).every((x) => isStr(x) || isNum(x) || isBool(x)))
  );
}

export function isGpuOffer(v: unknown): boolean {
  return (
    isObj(v) &&
    isCloudId(v.cloud) &&
    isStr(v.gpuKey) &&
    isStr(v.gpuName) &&
    isNum(v.gpuCount) &&
    isNum(v.pricePerGpuHour) &&
    PRICING.has(v.pricing as string) &&
    AVAILABILITY.has(v.availability as string) &&
    isIsoDate(v.fetchedAt) &&
    opt(v.tier, isStr) &&
    opt(v.region, isStr)
  );
}

function isOutcomeError(v: unknown): boolean {
  return isObj(v) && CATEGORIES.has(v.category as string) && isStr(v.message) && opt(v.retryAfterMs, isNum);
}

function isOutcomeWarning(v: unknown): boolean {
  return (
    isObj(v) &&
    PARTS.has(v.part as string) &&
    CATEGORIES.has(v.category as string) &&
    isStr(v.message) &&
    opt(v.scope, isStr) &&
    opt(v.listing, isStr)
  );
}

function isScopeOutcome(v: unknown): boolean {
  return (
    isObj(v) &&
    isStr(v.id) &&
    isStr(v.label) &&
    SCOPE_KIND_SET.has(v.kind as string) &&
    (v.state === 'ok' || v.state === 'error') &&
    opt(v.error, isOutcomeError) &&
    opt(v.fetchedAt, isIsoDate) &&
    isBool(v.fromCache) &&
    isBool(v.stale) &&
    opt(v.warnings, (w) => isArrayOf(w, isOutcomeWarning)) &&
    isNum(v.resourceCount) &&
    opt(v.unknown, isBool)
  );
}

export function isProviderOutcome(v: unknown, cloud: string): boolean {
  return (
    isObj(v) &&
    v.cloud === cloud &&
    STATES.has(v.state as string) &&
    isArrayOf(v.resources, isResource) &&
    isObj(v.metrics) &&
    Object.values(v.metrics).every(isResourceMetrics) &&
    isArrayOf(v.offers, isGpuOffer) &&
    opt(v.fetchedAt, isIsoDate) &&
    isBool(v.fromCache) &&
    isBool(v.stale) &&
    opt(v.error, isOutcomeError) &&
    opt(v.warnings, (w) => isArrayOf(w, isOutcomeWarning)) &&
    opt(v.metricsFetchedAt, isIsoDate) &&
    opt(v.scopes, (list) => isArrayOf(list, isScopeOutcome)) &&
    opt(v.scopesAvailable, isNum) &&
    opt(v.scopesHidden, (list) => isArrayOf(list, isStr)) &&
    isNum(v.durationMs)
  );
}

function isSpendLine(v: unknown): boolean {
  return (
    isObj(v) &&
    isCloudId(v.cloud) &&
    isStr(v.resourceId) &&
    isStr(v.name) &&
    isNum(v.pricePerHour) &&
    isBool(v.idle) &&
    opt(v.gpu, isGpuSpec)
  );
}

function isUnpricedLine(v: unknown): boolean {
  return isObj(v) && isCloudId(v.cloud) && isStr(v.resourceId) && isStr(v.name) && isStr(v.reason) && opt(v.gpu, isGpuSpec);
}

export function isSnapshot(v: unknown): v is Snapshot {
  if (!isObj(v) || !isIsoDate(v.timestamp) || !isNum(v.durationMs) || !isObj(v.outcomes) || !isObj(v.totals)) return false;
  const t = v.totals;
  if (
    !isNum(t.gpuSpendPerHour) ||
    !isNum(t.runningGpuCount) ||
    !isNum(t.stoppedStoragePerHour) ||
    !isArrayOf(t.gpuSpend, isSpendLine) ||
    !isNum(t.unpricedGpuCount) ||
    !isArrayOf(t.unpricedGpu, isUnpricedLine)
  )
    return false;
  return Object.entries(v.outcomes).every(([cloud, outcome]) => isCloudId(cloud) && isProviderOutcome(outcome, cloud));
}

export function isTiming(v: unknown): v is DashboardTiming {
  return isObj(v) && isNum(v.intervalSec) && v.intervalSec >= 0 && opt(v.lastRefreshAt, isNum) && isBool(v.refreshing) && isNum(v.sentAt);
}

const isValueList = (v: unknown, length: number) => Array.isArray(v) && v.length === length && v.every((x) => x === null || isNum(x));
const isTimes = (v: unknown): v is number[] => isArrayOf(v, isNum);

export function isDashboardHistory(v: unknown): v is DashboardHistory {
  if (!isObj(v) || !isObj(v.spend) || !isTimes(v.spend.t) || !isObj(v.spend.clouds)) return false;
  const length = v.spend.t.length;
  return (
    Object.entries(v.spend.clouds).every(([cloud, values]) => isCloudId(cloud) && isValueList(values, length)) &&
    isArrayOf(v.sparks, (s) => isObj(s) && isCloudId(s.cloud) && isStr(s.id) && Array.isArray(s.gpu) && isValueList(s.gpu, s.gpu.length))
  );
}

function isResourceHistory(v: Obj): boolean {
  if (!isCloudId(v.cloud) || !isStr(v.id) || !isTimes(v.t) || !isObj(v.values)) return false;
  const values = v.values;
  const length = v.t.length;
  return HISTORY_FIELDS.every((f) => isValueList(values[f], length));
}

const CLOUD_SET = new Set<string>(CLOUD_IDS);

/** Webview side: a message from the extension host it may act on. */
export function isHostMessage(v: unknown): v is HostMessage {
  if (!isObj(v)) return false;
  if (v.type === 'snapshot')
    return (
      isSnapshot(v.snapshot) &&
      isTiming(v.timing) &&
      opt(v.history, isDashboardHistory) &&
      opt(v.stoppable, (list) => isArrayOf(list, (c) => isStr(c) && CLOUD_SET.has(c)))
    );
  if (v.type === 'timing') return isTiming(v.timing);
  if (v.type === 'resourceHistory') return isResourceHistory(v);
  return v.type === 'showPrices';
}

/** A resource id as the webview may name one back: a string of sane length (the host looks it up, never trusts it). */
const isRef = (v: Obj) => isCloudId(v.cloud) && isStr(v.id) && v.id.length > 0 && v.id.length <= 1000;

/** Host side: the only messages the webview may send. Extra fields are ignored, unknown types rejected. */
export function isWebviewMessage(v: unknown): v is WebviewMessage {
  if (!isObj(v)) return false;
  if (v.type === 'ready' || v.type === 'refresh' || v.type === 'pricesShown') return true;
  return (v.type === 'history' || v.type === 'stop' || v.type === 'show') && isRef(v);
}
