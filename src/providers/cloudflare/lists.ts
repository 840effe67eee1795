// The REST v4 lists a refresh reads, each through the shared pagination loop (core/transport/paginate.ts), with the wire
// types Cloudtop reads (npm `cloudflare` 7.3.0 src/resources/** and src/core/pagination.ts;
// cloudflare/workers-sdk packages/wrangler/src/r2/helpers/bucket.ts).
// Three paging shapes:
//  - page numbers (accounts, D1, KV, Workers AI): the SDK ignores `total_pages` and stops on an empty page; we stop
//    as soon as `result_info` says this was the last page (a short page against the per_page the server echoes, or
//    page × per_page ≥ total_count, or page ≥ total_pages), and otherwise read on to the empty page;
//  - a cursor (R2): `result: {buckets}` with `result_info.cursor`, which the SDK's buckets.list drops;
//  - none (Workers scripts).
import type { APIPromise } from 'cloudflare/core/api-promise';
import { collectPages } from '../../core/transport/paginate';
import { finite } from '../../core/transport/wire';
import type { CloudflareApi, CloudflareClient, Envelope } from './api';
import { unreadable } from './errors';

export interface WireScript {
  id: string;
  created_on?: string | null;
  modified_on?: string | null;
  handlers?: string[] | null;
  has_assets?: boolean | null;
  has_modules?: boolean | null;
  compatibility_date?: string | null;
  usage_model?: string | null;
  tags?: string[] | null;
  routes?: { pattern?: string }[] | null;
  placement_mode?: string | null;
  logpush?: boolean | null;
  last_deployed_from?: string | null;
}

export interface WireBucket {
  name: string;
  creation_date?: string | null;
  location?: string | null;
  jurisdiction?: string | null;
  storage_class?: string | null;
}

/** A D1 list item. `file_size` and `num_tables` are not in the list schema, but the real list carries them. */
export interface WireDatabase {
  uuid: string;
  name?: string | null;
  version?: string | null;
  created_at?: string | null;
  jurisdiction?: string | null;
  file_size?: number | null;
  num_tables?: number | null;
}

export interface WireNamespace {
  id: string;
  title?: string | null;
  supports_url_encoding?: boolean | null;
}

/** Workers AI model (the SDK types it `unknown`). */
export interface WireModel {
  id?: string;
  name?: string;
  task?: { name?: string } | null;
}

export interface WireAccount {
  id: string;
  name?: string | null;
}

/** Page sizes: wrangler's own for KV (100) and Workers AI (50); D1 and R2 well under their maxima. */
export const PER_PAGE = { accounts: 20, d1: 100, kv: 100, ai: 50, r2: 100 } as const;

type PageRequest = (client: CloudflareClient, page: number, signal: AbortSignal) => APIPromise<unknown>;

/** `result_info` counts: a positive number, else unknown. */
const positive = (v: unknown): number | undefined => {
  const n = finite(v);
  return n !== undefined && n > 0 ? n : undefined;
};

/** Whether `result_info` shows that page `page` (holding `count` items) was the last one. */
export function isLastPage(info: Envelope<unknown>['result_info'], page: number, count: number): boolean {
  if (count === 0) return true;
  const perPage = positive(info?.per_page);
  const total = positive(info?.total_count);
  const totalPages = positive(info?.total_pages);
  if (perPage !== undefined && count < perPage) return true;
  if (perPage !== undefined && total !== undefined && page * perPage >= total) return true;
  return totalPages !== undefined && page >= totalPages;
}

/** `result` as a list of objects that carry the key field; anything but an array is unreadable. */
function listOf<T>(result: unknown, key: string, operation: string): T[] {
  if (result === null || result === undefined) return [];
  if (!Array.isArray(result)) throw unreadable(operation, 'a list');
  return result.filter(
    (item): item is T => item !== null && typeof item === 'object' && typeof (item as Record<string, unknown>)[key] === 'string',
  );
}

export interface Page<T> {
  readonly items: T[];
  readonly info: Envelope<unknown>['result_info'];
}

/** One page of a page-numbered list. */
export async function fetchPage<T>(
  api: CloudflareApi,
  operation: string,
  key: string,
  page: number,
  request: PageRequest,
  signal: AbortSignal,
): Promise<Page<T>> {
  const envelope = await api.rest<unknown>(operation, (client, s) => request(client, page, s), signal);
  return { items: listOf<T>(envelope.result, key, operation), info: envelope.result_info };
}

async function pageList<T>(
  api: CloudflareApi,
  operation: string,
  what: string,
  key: string,
  request: PageRequest,
  signal: AbortSignal,
): Promise<T[]> {
  return collectPages<T>(
    async (token) => {
      const page = typeof token === 'number' ? token : 1;
      const { items, info } = await fetchPage<T>(api, operation, key, page, request, signal);
      return { items, next: isLastPage(info, page, items.length) ? null : page + 1 };
    },
    { cloud: 'cloudflare', what, stopOnEmpty: true },
  );
}

export function listScripts(api: CloudflareApi, account: string, signal: AbortSignal): Promise<WireScript[]> {
  const operation = 'GET /accounts/{account_id}/workers/scripts';
  return collectPages<WireScript>(
    async () => {
      const envelope = await api.rest<unknown>(operation, (c, s) => c.workers.scripts.list({ account_id: account }, { signal: s }), signal);
      return { items: listOf<WireScript>(envelope.result, 'id', operation), next: null };
    },
    { cloud: 'cloudflare', what: 'Cloudflare Workers scripts' },
  );
}

export function listDatabases(api: CloudflareApi, account: string, signal: AbortSignal): Promise<WireDatabase[]> {
  return pageList<WireDatabase>(
    api,
    'GET /accounts/{account_id}/d1/database',
    'Cloudflare D1 databases',
    'uuid',
    (c, page, s) => c.d1.database.list({ account_id: account, page, per_page: PER_PAGE.d1 }, { signal: s }),
    signal,
  );
}

export function listNamespaces(api: CloudflareApi, account: string, signal: AbortSignal): Promise<WireNamespace[]> {
  return pageList<WireNamespace>(
    api,
    'GET /accounts/{account_id}/storage/kv/namespaces',
    'Cloudflare KV namespaces',
    'id',
    (c, page, s) => c.kv.namespaces.list({ account_id: account, page, per_page: PER_PAGE.kv }, { signal: s }),
    signal,
  );
}

/** Only the first page of the Workers AI catalogue: it is a catalogue, not the user's resources. */
export function firstModelsPage(api: CloudflareApi, account: string, signal: AbortSignal): Promise<Page<WireModel>> {
  return fetchPage<WireModel>(
    api,
    'GET /accounts/{account_id}/ai/models/search',
    'name',
    1,
    (c, page, s) => c.ai.models.list({ account_id: account, page, per_page: PER_PAGE.ai }, { signal: s }),
    signal,
  );
}

export function listAccounts(api: CloudflareApi, signal: AbortSignal): Promise<WireAccount[]> {
  return pageList<WireAccount>(
    api,
    'GET /accounts',
    'Cloudflare accounts',
    'id',
    (c, page, s) => c.accounts.list({ page, per_page: PER_PAGE.accounts }, { signal: s }),
    signal,
  );
}

/**
 * Where R2 keeps buckets apart: a bucket list shows one jurisdiction (the `cf-r2-jurisdiction` header). The SDK
 * (cloudflare 7.3.0, r2 Bucket.jurisdiction) names five; `us` opened to every account on 2026-08-17 (Cloudflare
 * changelog), the FedRAMP ones need a FedRAMP account.
 */
export const R2_JURISDICTIONS = ['default', 'eu', 'us', 'fedramp', 'fedramp-high'] as const;
export type R2Jurisdiction = (typeof R2_JURISDICTIONS)[number];

/**
 * R2 buckets of one jurisdiction, by cursor, each stamped with the jurisdiction asked for: the list items may omit
 * `jurisdiction` (wrangler never reads it from them), and the bucket's id, analytics name and console link depend on it.
 */
export function listBuckets(
  api: CloudflareApi,
  account: string,
  signal: AbortSignal,
  jurisdiction: R2Jurisdiction = 'default',
): Promise<WireBucket[]> {
  const operation = 'GET /accounts/{account_id}/r2/buckets';
  return collectPages<WireBucket>(
    async (cursor) => {
      const envelope = await api.rest<{ buckets?: unknown }>(
        operation,
        (c, s) =>
          c.r2.buckets.list(
            {
              account_id: account,
              per_page: PER_PAGE.r2,
              ...(typeof cursor === 'string' ? { cursor } : {}),
              ...(jurisdiction !== 'default' ? { 'cf-r2-jurisdiction': jurisdiction } : {}),
            },
            { signal: s },
          ),
        signal,
      );
      const result = envelope.result;
      if (result !== null && result !== undefined && (typeof result !== 'object' || Array.isArray(result)))
        throw unreadable(operation, 'a bucket list');
      const next = envelope.result_info?.cursor;
      const items = listOf<WireBucket>(result?.buckets, 'name', operation).map((b) => ({ ...b, jurisdiction }));
      return { items, next: typeof next === 'string' ? next : null };
    },
    { cloud: 'cloudflare', what: `Cloudflare R2 buckets (${jurisdiction})` },
  );
}
