// The normalized model every provider maps its wire format into and every view reads.
// Units are fixed here so no view has to guess: percentages 0–100, bytes, bytes per second,
// milliseconds, °C, W, USD. A value the cloud does not report is absent — never 0.

import type { ScopeOutcome } from './scope';

/** The seven clouds. These ids are used everywhere: view ids, settings, env vars, JSON output. */
export const CLOUD_IDS = ['cloudflare', 'oci', 'azure', 'gcp', 'neon', 'vastai', 'runpod'] as const;
export type CloudId = (typeof CLOUD_IDS)[number];

export const CLOUD_NAMES: Readonly<Record<CloudId, string>> = {
  cloudflare: 'Cloudflare',
  oci: 'Oracle Cloud',
  azure: 'Azure',
  gcp: 'Google Cloud',
  neon: 'Neon',
  vastai: 'Vast.ai',
  runpod: 'RunPod',
};

export function isCloudId(value: unknown): value is CloudId {
  return typeof value === 'string' && (CLOUD_IDS as readonly string[]).includes(value);
}

export const RESOURCE_STATUSES = ['running', 'starting', 'stopping', 'stopped', 'error', 'unknown'] as const;
export type ResourceStatus = (typeof RESOURCE_STATUSES)[number];

export type ResourceKind =
  | 'instance'
  | 'gpu-instance'
  | 'cluster'
  | 'function'
  | 'worker'
  | 'bucket'
  | 'database'
  | 'branch'
  | 'kv-namespace'
  | 'ai-model'
  | 'endpoint'
  | 'volume';

export interface GpuSpec {
  /** Normalized key: model, variant and memory, e.g. `H100-SXM-80GB` (see core/model/gpu.ts). */
  readonly key?: string;
  /** The name as the cloud reports it, e.g. "NVIDIA H100 80GB HBM3". */
  readonly model: string;
  readonly count: number;
  /** Memory per GPU in GB. */
  readonly memoryGb?: number;
}

export interface Resource {
  /** Stable and unique within its cloud and account. */
  readonly id: string;
  readonly cloud: CloudId;
  readonly account: string;
  /** The scope it was listed in (collector-stamped); absent for a cloud of one scope. */
  readonly scope?: string;
  readonly kind: ResourceKind;
  /** A level of the tree between the scope and the services (the OCI compartment it lives in). */
  readonly group?: ResourceGroup;
  /** Service group shown in the tree: Workers, R2, GPU, Pods, Postgres … */
  readonly service: string;
  readonly name: string;
  readonly region?: string;
  readonly status: ResourceStatus;
  /** The provider's own status word, kept beside the normalized one. */
  readonly rawStatus?: string;
  /** ISO 8601. */
  readonly createdAt?: string;
  /** USD per hour the resource costs while it runs, when the provider knows it. */
  readonly pricePerHour?: number;
  /**
   * Why the resource has no `pricePerHour` although the cloud bills it (its price list could not be read, or names no
   * price for its shape): every view says "price unknown: <why>", and the GPU spend counts it as unpriced, never as $0.
   */
  readonly priceUnknown?: string;
  /** USD per hour the resource costs while stopped (storage), when the provider knows it. */
  readonly storagePricePerHour?: number;
  readonly gpu?: GpuSpec;
  readonly consoleUrl?: string;
  /** Where an SSH client can reach the resource, when the provider says. */
  readonly ssh?: { readonly host: string; readonly port: number; readonly user?: string };
  /**
   * Not running, yet billed at its running price (`pricePerHour`): a Vast.ai instance frozen with its memory kept
   * ("GPU charges apply"). Its status is `stopped` and its raw word is what the views show; GPU spend counts it and
   * stopped storage does not.
   */
  readonly chargedWhilePaused?: boolean;
  /** One short fact every view shows beside the status: "cluster train-01", "shared · 12.5 CU-h this month". */
  readonly note?: string;
  /** Provider extras, shown as-is (strings and numbers only, so every view can render them safely). */
  readonly details?: Readonly<Record<string, string | number | boolean>>;
  /**
   * Metric families the cloud's API does not report for this resource (Neon has no metrics API), so a view
   * can say "not reported by <cloud>" instead of showing nothing. Absent: the metrics that arrived are all there is.
   */
  readonly unreportedMetrics?: readonly MetricFamily[];
}

/** Where a resource lives inside its scope, when the cloud has such a level (OCI compartments). */
export interface ResourceGroup {
  /** The cloud's own id (a compartment OCID). */
  readonly id: string;
  /** What the user calls it (shown as-is; it comes from the cloud). */
  readonly label: string;
  readonly kind: 'compartment';
}

/** A value aggregated over the metrics window. */
export interface Stat {
  readonly avg: number;
  readonly max: number;
  readonly min: number;
}

export interface ComputeMetrics {
  readonly cpuPercent?: Stat;
  readonly memoryPercent?: Stat;
  readonly diskReadBytesPerSec?: Stat;
  readonly diskWriteBytesPerSec?: Stat;
  /** Share of the resource's disk in use (Vast.ai reports this, not disk I/O). */
  readonly diskUsedPercent?: Stat;
  readonly networkInBytesPerSec?: Stat;
  readonly networkOutBytesPerSec?: Stat;
}

export interface GpuMetrics {
  readonly utilizationPercent?: Stat;
  readonly memoryPercent?: Stat;
  readonly temperatureC?: Stat;
  readonly powerW?: Stat;
}

export interface FunctionMetrics {
  /** Invocations per granularity step (per minute by default). */
  readonly invocations?: Stat;
  readonly durationMs?: Stat;
  /** 99th percentile of the duration per granularity step (Cloudflare Workers: CPU time p99), ms. */
  readonly durationP99Ms?: Stat;
  /** Failed invocations per granularity step. */
  readonly errors?: Stat;
  /** Outgoing requests the function made per granularity step (Cloudflare Workers subrequests). */
  readonly subrequests?: Stat;
}

export interface DatabaseMetrics {
  readonly connections?: Stat;
  readonly queriesPerSec?: Stat;
  readonly replicationLagSec?: Stat;
}

export const METRIC_FAMILIES = ['compute', 'gpu', 'function', 'database'] as const;
export type MetricFamily = (typeof METRIC_FAMILIES)[number];

/** Metrics of one resource; a family or value the cloud does not report is absent. */
export interface ResourceMetrics {
  readonly compute?: ComputeMetrics;
  readonly gpu?: GpuMetrics;
  readonly function?: FunctionMetrics;
  readonly database?: DatabaseMetrics;
  /**
   * Families the cloud was asked for and sent nothing for, with why and what to do (OCI: the Oracle Cloud Agent's
   * plugin that publishes them is not enabled). The values stay absent, never 0.
   */
  readonly missing?: Readonly<Partial<Record<MetricFamily, string>>>;
}

export interface MetricsWindow {
  /** ISO 8601 start and end of the window. */
  readonly start: string;
  readonly end: string;
  readonly granularitySec: number;
}

export const DEFAULT_WINDOW_MINUTES = 5;
export const DEFAULT_GRANULARITY_SEC = 60;

export function defaultWindow(now: number, minutes = DEFAULT_WINDOW_MINUTES): MetricsWindow {
  return {
    start: new Date(now - minutes * 60_000).toISOString(),
    end: new Date(now).toISOString(),
    granularitySec: DEFAULT_GRANULARITY_SEC,
  };
}

export const OFFER_PRICINGS = ['on-demand', 'spot'] as const;
export type OfferPricing = (typeof OFFER_PRICINGS)[number];
export const AVAILABILITIES = ['high', 'medium', 'low', 'none', 'unknown'] as const;
export type Availability = (typeof AVAILABILITIES)[number];

/** A price point anyone can rent now. */
export interface GpuOffer {
  readonly cloud: CloudId;
  /** Normalized GPU key, e.g. `H100-SXM-80GB`. */
  readonly gpuKey: string;
  readonly gpuName: string;
  readonly gpuCount: number;
  /** USD per GPU-hour. */
  readonly pricePerGpuHour: number;
  readonly pricing: OfferPricing;
  /** The cloud's market tier, when it sells one GPU at several prices (RunPod "Secure Cloud" / "Community Cloud"). */
  readonly tier?: string;
  readonly region?: string;
  readonly availability: Availability;
  /** ISO 8601. */
  readonly fetchedAt: string;
}

/**
 * Clouds whose API publishes no spot or interruptible price at all, with what the price views say instead of an
 * empty cell (which would suggest the cloud sells none). RunPod REST v2 has no spot or bid price anywhere
 * (runpod/docs api-reference-v2/openapi.json: GpuType.price is secure, community and serverless only).
 */
export const SPOT_UNPUBLISHED: Readonly<Partial<Record<CloudId, string>>> = {
  runpod: "not offered through RunPod's API",
};

export const ERROR_CATEGORIES = ['auth', 'permission', 'rate-limit', 'network', 'not-found', 'config', 'unknown'] as const;
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

export interface OutcomeError {
  readonly category: ErrorCategory;
  /** Redacted, user-facing, says what to do next. */
  readonly message: string;
  /** Milliseconds until a retry may succeed, for rate limits. */
  readonly retryAfterMs?: number;
}

/** The parts of a refresh that fail alone, leaving the cloud's resources shown (OutcomeWarning). */
export const WARNING_PARTS = ['resources', 'metrics', 'offers', 'children', 'reference', 'prices'] as const;
export type WarningPart = (typeof WARNING_PARTS)[number];
export const OUTCOME_STATES = ['ok', 'error', 'unconfigured', 'disabled'] as const;
export type OutcomeState = (typeof OUTCOME_STATES)[number];

/**
 * A part of a cloud's data that could not be refreshed while the rest was (a token without the analytics
 * permission, a failed price search). The cloud stays `ok`; that part keeps its last good values (metrics only
 * while they are younger than their window).
 */
export interface OutcomeWarning {
  /**
   * `children`: per-resource listings the deadline cut short (Provider.listChildren); the rest is shown. `reference`:
   * reference data (a price list, compartments, VM sizes) could not be read; its last good copy is used where there is
   * one. `prices`: billed GPU resources without a price, so the GPU spend is incomplete.
   */
  readonly part: WarningPart;
  /** The scope whose part was not updated, when the cloud has several. */
  readonly scope?: string;
  /** The group (OCI compartment) whose resources could not be listed; the others are current. */
  readonly group?: ResourceGroup;
  /** The listing of several (RunPod's network volumes, Azure's sites) that failed; the others are current. */
  readonly listing?: string;
  readonly category: ErrorCategory;
  /** Redacted, user-facing, says what to do next. */
  readonly message: string;
}

/** Where the credential a cloud used came from. */
export const CREDENTIAL_SOURCES = ['environment', 'stored', 'cli-file', 'sign-in', 'prompt'] as const;
export type CredentialSource = (typeof CREDENTIAL_SOURCES)[number];

export interface ProviderOutcome {
  readonly cloud: CloudId;
  readonly state: OutcomeState;
  readonly resources: readonly Resource[];
  readonly metrics: Readonly<Record<string, ResourceMetrics>>;
  readonly offers: readonly GpuOffer[];
  /** ISO 8601 time the data was fetched from the cloud (not from the cache). */
  readonly fetchedAt?: string;
  readonly fromCache: boolean;
  /** The newest attempt failed; resources/metrics/offers are the last good data. */
  readonly stale: boolean;
  readonly error?: OutcomeError;
  /** Parts that were not refreshed although the cloud answered; absent when everything was. */
  readonly warnings?: readonly OutcomeWarning[];
  /** ISO 8601 time the metrics shown were fetched, when they are older than fetchedAt (carried over because the
   * newest metrics call failed). */
  readonly metricsFetchedAt?: string;
  readonly credentialSource?: CredentialSource;
  readonly durationMs: number;
  /**
   * Each scope shown (accounts, organizations, subscriptions …) with its own state; a failing one leaves the others
   * current and the cloud `ok`. Absent while the scopes are unknown (the cloud is unconfigured or failed first).
   */
  readonly scopes?: readonly ScopeOutcome[];
  /** How many scopes the credential can read, of which `scopes` are shown (`3 of 5 subscriptions`). */
  readonly scopesAvailable?: number;
  /** The ids of the scopes the credential can read that are not shown (a cloud that shows some by default), first 20. */
  readonly scopesHidden?: readonly string[];
}

export interface GpuSpendLine {
  readonly cloud: CloudId;
  readonly resourceId: string;
  readonly name: string;
  readonly pricePerHour: number;
  readonly gpu?: GpuSpec;
  /** GPU utilization stayed under the idle threshold through the whole window. */
  readonly idle: boolean;
}

/** A billed GPU resource Cloudtop could not price: the GPU spend is that much higher than it says. */
export interface UnpricedGpuLine {
  readonly cloud: CloudId;
  readonly resourceId: string;
  readonly name: string;
  readonly gpu?: GpuSpec;
  /** Why there is no price. */
  readonly reason: string;
}

export interface SnapshotTotals {
  /** USD per hour of running GPU instances across clouds, and of paused ones billed at their running price. */
  readonly gpuSpendPerHour: number;
  readonly runningGpuCount: number;
  /** USD per hour stopped GPU instances still pay for storage, listed apart. */
  readonly stoppedStoragePerHour: number;
  readonly gpuSpend: readonly GpuSpendLine[];
  /** Billed GPU resources without a price: not in `gpuSpendPerHour`, which is therefore a lower bound when > 0. */
  readonly unpricedGpuCount: number;
  readonly unpricedGpu: readonly UnpricedGpuLine[];
}

/** Something about this Cloudtop run rather than one cloud: `shared-cache` while Redis is unavailable. */
export interface SnapshotNotice {
  readonly kind: 'shared-cache';
  readonly message: string;
}

export interface Snapshot {
  /** ISO 8601. */
  readonly timestamp: string;
  readonly durationMs: number;
  readonly outcomes: Readonly<Partial<Record<CloudId, ProviderOutcome>>>;
  readonly totals: SnapshotTotals;
  /** What holds for the whole run when the snapshot was taken (absent when nothing). */
  readonly notices?: readonly SnapshotNotice[];
}
