// One cloud's data for one refresh: its resources, their metrics in one batch round, and its GPU offers
// alongside. Metrics and offers are parts of a cloud's data: when only one of them fails (a token without the
// analytics permission, a price search that times out), the user's resources still show, that part keeps its
// last good values, and a warning says what happened. A rejected key or an abort fails the whole cloud.
import { toCloudtopError } from './errors';
import type { Logger } from './log';
import {
  CLOUD_NAMES,
  DEFAULT_WINDOW_MINUTES,
  defaultWindow,
  type CloudId,
  type GpuOffer,
  type OutcomeWarning,
  type Resource,
  type ResourceMetrics,
} from './model';
import type { Provider, ResourceFilter } from './provider';

/** What the collector caches per cloud and keeps as its last good data. */
export interface CloudData {
  readonly resources: readonly Resource[];
  readonly metrics: Readonly<Record<string, ResourceMetrics>>;
  readonly offers: readonly GpuOffer[];
  readonly fetchedAt: string;
  /** When the metrics were fetched: earlier than fetchedAt when they are carried over from a refresh before. */
  readonly metricsAt?: string;
  /** When the offers were searched: earlier than fetchedAt when reused or carried over. */
  readonly offersAt?: string;
  readonly warnings?: readonly OutcomeWarning[];
}

export interface FetchContext {
  readonly cloud: CloudId;
  readonly filter: ResourceFilter;
  readonly signal: AbortSignal;
  /** The cloud's last good data, for the parts that fail. */
  readonly last: CloudData | undefined;
  readonly now: () => number;
  readonly windowMinutes?: number;
  /** Offers younger than this are reused rather than searched again (the cloud's offer budget allows no more). */
  readonly offersMinIntervalMs?: number;
  readonly log: Logger;
}

const PART_LABELS: Record<OutcomeWarning['part'], string> = { metrics: 'metrics', offers: 'GPU offers' };

export async function fetchCloudData(provider: Provider, context: FetchContext): Promise<CloudData> {
  const { cloud, filter, signal, last, now } = context;
  const warnings: OutcomeWarning[] = [];
  const partial: PartFailure = (part, error, fallback) => {
    const reason = toCloudtopError(error, cloud);
    if (signal.aborted || reason.category === 'auth') throw reason;
    context.log.warn(`${CLOUD_NAMES[cloud]}: ${PART_LABELS[part]} not updated: ${reason.message}`);
    warnings.push({ part, category: reason.category, message: reason.message });
    return fallback;
  };

  // Offers do not depend on resources: fetch them alongside.
  const offersPromise = offersFor(provider, context, partial);
  offersPromise.catch(() => undefined); // settled below; never an unhandled rejection meanwhile

  const resources = await provider.listResources(filter, signal);
  const listed = now();
  let metrics: Record<string, ResourceMetrics> = {};
  let metricsAt = listed;
  if (resources.length > 0) {
    const windowMinutes = context.windowMinutes ?? DEFAULT_WINDOW_MINUTES;
    try {
      metrics = await provider.getMetrics({ resources, window: defaultWindow(listed, windowMinutes) }, signal);
    } catch (error) {
      // Last good metrics describe "the last N minutes" only while they are younger than that window; older
      // ones would show a load, or an idle GPU, that may be long gone: they are dropped, not carried.
      const lastAt = last?.metricsAt ? Date.parse(last.metricsAt) : Number.NaN;
      const recent = lastAt >= listed - windowMinutes * 60_000;
      metrics = partial('metrics', error, recent ? metricsOf(resources, last) : {});
      if (recent) metricsAt = lastAt;
    }
  }
  const { offers, at: offersAt } = await offersPromise;
  return {
    resources,
    metrics,
    offers,
    fetchedAt: new Date(now()).toISOString(),
    metricsAt: new Date(metricsAt).toISOString(),
    ...(offersAt !== undefined ? { offersAt: new Date(offersAt).toISOString() } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

type PartFailure = <T>(part: OutcomeWarning['part'], error: unknown, fallback: T) => T;

/** The GPU offers: searched; or reused while younger than the cloud's offer interval; or, when the search fails,
 * the last good ones. `at` is when the offers returned were searched (absent when none were wanted). */
async function offersFor(provider: Provider, context: FetchContext, partial: PartFailure): Promise<{ offers: readonly GpuOffer[]; at?: number }> {
  const { filter, signal, last, now } = context;
  if (!provider.capabilities.has('gpu') || !provider.listGpuOffers || filter.services) return { offers: [] };
  const started = now();
  const lastAt = last?.offersAt ? Date.parse(last.offersAt) : Number.NaN;
  if (last && started - lastAt < (context.offersMinIntervalMs ?? 0)) return { offers: last.offers, at: lastAt };
  try {
    return { offers: await provider.listGpuOffers(signal), at: started };
  } catch (error) {
    return { offers: partial('offers', error, last?.offers ?? []), ...(Number.isFinite(lastAt) ? { at: lastAt } : {}) };
  }
}

/** The last good metrics of the resources still listed. */
function metricsOf(resources: readonly Resource[], last: CloudData | undefined): Record<string, ResourceMetrics> {
  const out: Record<string, ResourceMetrics> = {};
  for (const resource of resources) {
    const metrics = last?.metrics[resource.id];
    if (metrics) out[resource.id] = metrics;
  }
  return out;
}
