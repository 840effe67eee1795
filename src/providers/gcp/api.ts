// Google's documented REST APIs through Cloudtop's transport (limiter, retry with Retry-After and RetryInfo, deadline,
// origin guard, size cap): Compute Engine, GKE, Cloud Functions v2, Resource Manager v3 and the Billing Catalog.
// Why not their Node clients: see the README's architecture decisions (bundle size, and one retry layer).
// Every list follows `nextPageToken`; a page may be short, or hold nothing but warnings, and still go on.
import { toCloudtopError } from '../../core/errors/errors';
import { collectPages } from '../../core/transport/paginate';
import type { Transport } from '../../core/transport/transport';
import { text } from '../../core/transport/wire';
import type { GcpAuth } from './auth';
import { originOf, type GcpService } from './hosts';

export type Wire = Record<string, unknown>;
type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export interface GcpRest {
  get(service: GcpService, operation: string, path: string, query: Query, signal: AbortSignal): Promise<Wire>;
  /**
   * A write (a stop or a start): one POST with no body, marked a write so the transport sends it again only after a
   * 429. A token the service refuses (401) is forgotten, not retried: the next action asks for a fresh one.
   */
  post(service: GcpService, operation: string, path: string, query: Query, signal: AbortSignal): Promise<Wire>;
  /** Every item of a paged list: `itemsOf` picks a page's items; pages are followed while `nextPageToken` is set. */
  list<T>(
    service: GcpService,
    operation: string,
    path: string,
    query: Query,
    itemsOf: (page: Wire) => T[],
    signal: AbortSignal,
  ): Promise<T[]>;
}

export function gcpRest(transport: Transport, auth: GcpAuth, override: string | undefined): GcpRest {
  const urlOf = (service: GcpService, path: string, query: Query): URL => {
    const url = new URL(path, originOf(service, override));
    for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
    return url;
  };
  const bodyOf = async (response: Response): Promise<Wire> => {
    const body = (await response.json().catch(() => ({}))) as unknown;
    return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Wire) : {};
  };
  const get = async (service: GcpService, operation: string, path: string, query: Query, signal: AbortSignal): Promise<Wire> => {
    const url = urlOf(service, path, query);
    // A token request the token endpoint refuses fails here, once; only the service's refusal of a token is retried.
    const headers = async () => ({ ...(await auth.headers(signal)), accept: 'application/json' });
    const send = (sent: Record<string, string>): Promise<Wire> =>
      transport.run(operation, async () => bodyOf(await transport.fetch(url, { headers: sent, signal })));
    const refused = (error: unknown) => toCloudtopError(error, 'gcp').category === 'auth';
    const first = await headers();
    try {
      return await send(first);
    } catch (error) {
      if (!refused(error)) throw error;
      // A token the service no longer takes (revoked, rotated, gcloud signed in anew): ask for a new one, once, so
      // what the user reads is why no token can be had, or the service's refusal of a fresh one.
      auth.invalidate();
    }
    const fresh = await headers();
    try {
      return await send(fresh);
    } catch (error) {
      if (refused(error)) auth.invalidate();
      throw error;
    }
  };
  const post = async (service: GcpService, operation: string, path: string, query: Query, signal: AbortSignal): Promise<Wire> => {
    const url = urlOf(service, path, query);
    const headers = { ...(await auth.headers(signal)), accept: 'application/json' };
    try {
      return await transport.run(operation, async () => bodyOf(await transport.fetch(url, { method: 'POST', headers, signal })), {
        write: true,
      });
    } catch (error) {
      if (toCloudtopError(error, 'gcp').category === 'auth') auth.invalidate();
      throw error;
    }
  };
  return {
    get,
    post,
    list: (service, operation, path, query, itemsOf, signal) =>
      collectPages(
        async (token) => {
          const page = await get(
            service,
            operation,
            path,
            { ...query, pageToken: token === undefined ? undefined : String(token) },
            signal,
          );
          return { items: itemsOf(page), next: text(page.nextPageToken) };
        },
        { cloud: 'gcp', what: `Google Cloud ${operation}`, stopOnEmpty: false },
      ),
  };
}

/** The listing, or nothing when the project never enabled that API (SERVICE_DISABLED): it does not use the service. */
export async function unlessDisabled<T>(listing: Promise<T[]>): Promise<T[]> {
  try {
    return await listing;
  } catch (error) {
    if (toCloudtopError(error, 'gcp').code === 'SERVICE_DISABLED') return [];
    throw error;
  }
}
