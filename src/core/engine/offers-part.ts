// A cloud's GPU offers as a part of their own: a public price catalogue that changes daily, so it is cached for its
// own TTL (15 minutes unless the cloud's entry says otherwise) and not searched by every refresh, a manual one
// included. A failed search keeps the last good offers, each with the fetchedAt of its search, under a warning.
import { anySignal, raceAbort } from './abort';
import type { Cache } from '../cache/cache';
import { CloudtopError } from '../errors/errors';
import type { Logger } from '../model/log';
import { CLOUD_NAMES, type CloudId } from '../model/model';
import type { OffersResult } from './merge-outcome';
import { fetchOffers, partWarning, type OffersData } from './parts';
import type { Provider, ResourceFilter } from './provider';

export interface OffersRequest {
  readonly cloud: CloudId;
  readonly provider: Provider;
  readonly key: string;
  readonly ttlMs: number;
  /** Search again whatever the cache holds (`cloudtop --no-cache`). */
  readonly force: boolean;
  readonly filter: ResourceFilter;
  readonly deadlineMs: number;
  readonly signal: AbortSignal;
}

export class OffersPart {
  private readonly lastGood = new Map<CloudId, OffersData>();

  constructor(
    private readonly cache: Cache,
    private readonly now: () => number,
    private readonly log: Logger,
  ) {}

  async get(request: OffersRequest): Promise<OffersResult> {
    const { cloud, provider, key } = request;
    if (!provider.capabilities.has('gpu') || !provider.listGpuOffers || request.filter.services)
      return { data: undefined, fromCache: false };
    const cached = request.force ? undefined : await this.cache.get<OffersData>(key).catch(() => undefined);
    if (cached) {
      this.lastGood.set(cloud, cached);
      return { data: cached, fromCache: true };
    }
    const deadline = new AbortController();
    const timer = setTimeout(
      () =>
        deadline.abort(
          new CloudtopError({
            category: 'network',
            cloud,
            message: `${CLOUD_NAMES[cloud]}'s GPU price search did not answer within ${Math.round(request.deadlineMs / 1000)} s.`,
          }),
        ),
      request.deadlineMs,
    );
    const linked = anySignal([request.signal, deadline.signal]);
    const signal = linked.signal;
    try {
      const fresh = await raceAbort(fetchOffers(provider, request.filter, signal, this.now), signal);
      if (!fresh) return { data: undefined, fromCache: false };
      this.lastGood.set(cloud, fresh);
      await this.cache
        .set(key, fresh, request.ttlMs)
        .catch((error: unknown) => this.log.warn(`cache write failed for ${cloud} offers: ${String(error)}`));
      return { data: fresh, fromCache: false };
    } catch (caught) {
      // A deadline on the search alone is a warning like any other failure of this part; the caller's own abort is not.
      const last = this.lastGood.get(cloud);
      if (request.signal.aborted) return { data: last, fromCache: false };
      const reason: unknown = deadline.signal.aborted ? deadline.signal.reason : caught;
      return { data: last, fromCache: false, warning: partWarning(cloud, 'offers', reason, this.log) };
    } finally {
      clearTimeout(timer);
      linked.release();
    }
  }

  /** The last good offers, for a cloud that failed before it could search. */
  last(cloud: CloudId): OffersResult {
    return { data: this.lastGood.get(cloud), fromCache: false };
  }

  forget(cloud: CloudId): void {
    this.lastGood.delete(cloud);
  }
}
