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
  readonly log: Logger;
}

const PART_LABELS: Record<OutcomeWarning['part'], string> = { metrics: 'metrics', offers: 'GPU offers' };

export async function fetchCloudData(provider: Provider, context: FetchContext): Promise<CloudData> {
  const { cloud, filter, signal, last, now } = context;
  const warnings: OutcomeWarning[] = [];
  const partial = <T>(part: OutcomeWarning['part'], error: unknown, fallback: T): T => {
    const reason = toCloudtopError(error, cloud);
    if (signal.aborted || reason.category === 'auth') throw reason;
    context.log.warn(`${CLOUD_NAMES[cloud]}: ${PART_LABELS[part]} not updated: ${reason.message}`);
    warnings.push({ part, category: reason.category, message: reason.message });
    return fallback;
  };

  // Offers do not depend on resources: fetch them alongside.
  const offersPromise = (provider.capabilities.has('gpu') && provider.listGpuOffers && !filter.services ? provider.listGpuOffers(signal) : Promise.resolve([]))
    .catch((error: unknown) => partial('offers', error, last?.offers ?? []));
  offersPromise.catch(() => undefined); // settled below; never an unhandled rejection meanwhile

  const resources = await provider.listResources(filter, signal);
  const started = now();
  let metrics: Record<string, ResourceMetrics> = {};
  let metricsAt = started;
  if (resources.length > 0) {
    const windowMinutes = context.windowMinutes ?? DEFAULT_WINDOW_MINUTES;
    try {
      metrics = await provider.getMetrics({ resources, window: defaultWindow(started, windowMinutes) }, signal);
    } catch (error) {
      // Last good metrics describe "the last N minutes" only while they are younger than that window; older
      // ones would show a load, or an idle GPU, that may be long gone: they are dropped, not carried.
      const lastAt = last?.metricsAt ? Date.parse(last.metricsAt) : Number.NaN;
      const recent = lastAt >= started - windowMinutes * 60_000;
      metrics = partial('metrics', error, recent ? metricsOf(resources, last) : {});
      if (recent) metricsAt = lastAt;
    }
  }
  const offers = await offersPromise;
  return {
    resources,
    metrics,
    offers,
    fetchedAt: new Date(now()).toISOString(),
    metricsAt: new Date(metricsAt).toISOString(),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
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
