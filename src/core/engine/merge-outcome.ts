// A cloud's outcome from its scopes' results and its offers: the resources and metrics of every scope shown (a failed
// one with its last good data), each scope's own state beside them, and the cloud `ok` while any scope is. A cloud of
// one scope reads exactly as before scopes existed: its scope's error is the cloud's.
import type { CloudtopError } from '../errors/errors';
import type { CredentialSource, GpuOffer, OutcomeError, OutcomeWarning, ProviderOutcome, Resource, ResourceMetrics } from '../model/model';
import type { OffersData } from './parts';
import { SOLE_SCOPE_ID, type ScopeOutcome } from '../model/scope';
import type { ScopeResult } from './scope-refresh';
import { isUnpricedGpu, unpricedReason } from '../model/spend';
import { plainText } from '../model/describe';

export interface OffersResult {
  readonly data: OffersData | undefined;
  readonly fromCache: boolean;
  readonly warning?: OutcomeWarning;
}

export interface MergeInput {
  readonly results: readonly ScopeResult[];
  /** Configured scopes the credential cannot read, each shown with its error. */
  readonly missing: readonly ScopeOutcome[];
  readonly available: number;
  /** Ids of the readable scopes not selected. */
  readonly hidden?: readonly string[];
  readonly offers: OffersResult;
  readonly credentialSource: CredentialSource;
}

export type MergedOutcome = Omit<ProviderOutcome, 'cloud' | 'durationMs'>;

export function outcomeError(error: CloudtopError): OutcomeError {
  return {
    category: error.category,
    message: error.message,
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
  };
}

/**
 * The outcome with the warnings that keep its money honest: each piece of reference data whose newest load failed,
 * and, when billed GPU resources are left without a price for another reason, one warning that counts them — a GPU
 * spend never reads lower than the bill without the user being told why.
 */
export function withMoneyWarnings(outcome: MergedOutcome, reference: readonly OutcomeWarning[]): MergedOutcome {
  const unpriced = outcome.resources.filter(isUnpricedGpu);
  const counted: OutcomeWarning[] = [];
  if (unpriced.length > 0 && reference.length === 0) {
    const n = unpriced.length;
    counted.push({
      part: 'prices',
      category: 'unknown',
      message: `${n} billed GPU ${n === 1 ? 'resource has' : 'resources have'} no price, so the GPU spend leaves ${n === 1 ? 'it' : 'them'} out: ${plainText(unpriced[0].name, 60)}: ${unpricedReason(unpriced[0])}.`,
    });
  }
  const warnings = [...(outcome.warnings ?? []), ...reference, ...counted];
  return warnings.length > 0 ? { ...outcome, warnings } : outcome;
}

export function mergeScopes(input: MergeInput): MergedOutcome {
  const { results, offers } = input;
  const resources: Resource[] = [];
  const metrics: Record<string, ResourceMetrics> = {};
  const warnings: OutcomeWarning[] = [];
  const scopes: ScopeOutcome[] = [];
  const seen = new Set<string>();
  for (const { scope, data, fromCache, error } of results) {
    if (data) {
      for (const resource of data.resources) {
        // Ids are unique within a scope; one that another scope already used (a Worker of the same name in two
        // Cloudflare accounts) is qualified by its scope, and so are its metrics.
        const id = seen.has(resource.id) ? `${scope.id}/${resource.id}` : resource.id;
        seen.add(id);
        resources.push(id === resource.id ? resource : { ...resource, id });
        const m = data.metrics[resource.id];
        if (m) metrics[id] = m;
      }
      if (!error) warnings.push(...(data.warnings ?? []));
    }
    scopes.push({
      id: scope.id,
      label: scope.label,
      kind: scope.kind,
      state: error ? 'error' : 'ok',
      ...(error ? { error: outcomeError(error) } : {}),
      ...(data ? { fetchedAt: data.fetchedAt } : {}),
      fromCache,
      stale: error !== undefined && data !== undefined,
      ...(!error && data?.warnings ? { warnings: data.warnings } : {}),
      resourceCount: data?.resources.length ?? 0,
    });
  }
  scopes.push(...input.missing);
  if (offers.warning) warnings.push(offers.warning);

  const ok = results.filter((r) => !r.error);
  const failed = scopes.filter((s) => s.state === 'error');
  // Only when nothing could be shown fresh does the cloud fail; its error is the first scope's.
  const cloudError = ok.length === 0 ? failed[0]?.error : undefined;
  const fetched = ok.map((r) => r.data?.fetchedAt).filter((t): t is string => t !== undefined);
  const shown = results.map((r) => r.data).filter((d) => d !== undefined);
  const carried = shown
    .filter((d) => d.warnings?.some((w) => w.part === 'metrics') && Object.keys(d.metrics).length > 0 && d.metricsAt)
    .map((d) => d.metricsAt!)
    .sort()[0];
  const sole = results.length === 1 && results[0].scope.id === SOLE_SCOPE_ID && input.missing.length === 0;
  return {
    state: cloudError ? 'error' : 'ok',
    resources,
    metrics,
    offers: offers.data?.offers ?? ([] as GpuOffer[]),
    ...(fetched.length > 0 ? { fetchedAt: fetched.sort()[0] } : shown[0] ? { fetchedAt: shown[0].fetchedAt } : {}),
    fromCache: results.length > 0 && results.every((r) => r.fromCache),
    stale: cloudError !== undefined && shown.length > 0,
    ...(cloudError ? { error: cloudError } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(carried ? { metricsFetchedAt: carried } : {}),
    credentialSource: input.credentialSource,
    ...(sole ? {} : { scopes, scopesAvailable: input.available }),
    ...(!sole && input.hidden?.length ? { scopesHidden: input.hidden.slice(0, 20) } : {}),
  };
}
