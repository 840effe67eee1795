// GraphQL Analytics (`POST /graphql`): the two queries a refresh makes, whatever the account holds.
//  - Workers: ONE query for all scripts, grouped by scriptName and datetimeMinute, so the calls do not grow with
//    the number of Workers. A node returns at most 10,000 rows; only when scripts × minutes exceeds that are the
//    scripts split into batches filtered by `scriptName_in` (one more call per 2,000 scripts at a 5-minute window).
//  - R2 storage: ONE query, `r2StorageAdaptiveGroups` grouped by bucketName, max over the last 24 h (the window
//    wrangler uses for `r2 bucket info`), giving object count and stored bytes per bucket.
// Variables are typed `string` like the official Workers tutorial; names and ids only ever travel as variables,
// never spliced into the query text.
import { chunk } from '../../core/transport/paginate';
import type { FunctionMetrics, MetricsWindow } from '../../core/model/model';
import type { Logger } from '../../core/model/log';
import { anyText, finite } from '../../core/transport/wire';
import type { CloudflareApi } from './api';
import type { BucketStorage } from './mapping';
import { alignWindow, workerMetrics, type WorkerMinute } from './metrics';

export const MAX_ROWS = 10_000;
export const GRAPHQL_OPERATION = 'POST /graphql';
const DAY_MS = 24 * 60 * 60_000;

export function workersQuery(batched: boolean): string {
  return `query CloudtopWorkers($accountTag: string, $start: string, $end: string${batched ? ', $scripts: [string]' : ''}) {
  viewer {
    accounts(filter: {accountTag: $accountTag}) {
      workersInvocationsAdaptive(limit: ${MAX_ROWS}, filter: {datetime_geq: $start, datetime_lt: $end${batched ? ', scriptName_in: $scripts' : ''}}) {
        sum { requests errors subrequests }
        quantiles { cpuTimeP50 cpuTimeP99 }
        dimensions { scriptName datetimeMinute }
      }
    }
  }
}`;
}

export const R2_STORAGE_QUERY = `query CloudtopR2Storage($accountTag: string, $start: string, $end: string) {
  viewer {
    accounts(filter: {accountTag: $accountTag}) {
      r2StorageAdaptiveGroups(limit: ${MAX_ROWS}, filter: {datetime_geq: $start, datetime_leq: $end}) {
        max { objectCount payloadSize metadataSize }
        dimensions { bucketName }
      }
    }
  }
}`;

interface AccountNode<K extends string> {
  viewer?: { accounts?: Array<Partial<Record<K, unknown>>> | null } | null;
}

type Row = Record<string, Record<string, unknown> | undefined>;

function rowsOf<K extends string>(data: AccountNode<K>, field: K): Row[] {
  const rows = data.viewer?.accounts?.[0]?.[field];
  return Array.isArray(rows) ? rows.filter((r): r is Row => r !== null && typeof r === 'object') : [];
}

export function toWorkerMinute(row: Row): WorkerMinute | undefined {
  const script = anyText(row.dimensions?.scriptName);
  const minute = anyText(row.dimensions?.datetimeMinute);
  if (script === undefined || minute === undefined) return undefined;
  return {
    script,
    minute,
    requests: finite(row.sum?.requests),
    errors: finite(row.sum?.errors),
    subrequests: finite(row.sum?.subrequests),
    cpuTimeP50Us: finite(row.quantiles?.cpuTimeP50),
    cpuTimeP99Us: finite(row.quantiles?.cpuTimeP99),
  };
}

/** FunctionMetrics per script name for the window; one call for up to MAX_ROWS / minutes scripts. */
export async function workerAnalytics(
  api: CloudflareApi,
  log: Logger,
  account: string,
  scripts: readonly string[],
  window: MetricsWindow,
  signal: AbortSignal,
): Promise<Map<string, FunctionMetrics>> {
  const aligned = alignWindow(window);
  const perQuery = Math.max(1, Math.floor(MAX_ROWS / aligned.minutes));
  const batches = scripts.length <= perQuery ? [undefined] : chunk(scripts, perQuery);
  const answers = await Promise.all(
    batches.map(async (batch) => {
      const data = await api.graphql<AccountNode<'workersInvocationsAdaptive'>>(
        GRAPHQL_OPERATION,
        {
          query: workersQuery(batch !== undefined),
          variables: { accountTag: account, start: aligned.start, end: aligned.end, ...(batch ? { scripts: batch } : {}) },
        },
        signal,
      );
      const rows = rowsOf(data, 'workersInvocationsAdaptive');
      if (rows.length >= MAX_ROWS)
        log.warn(`Cloudflare: the Workers analytics answer reached its ${MAX_ROWS}-row limit; some Workers may show too few invocations.`);
      return rows;
    }),
  );
  const rows = answers
    .flat()
    .map(toWorkerMinute)
    .filter((r): r is WorkerMinute => r !== undefined);
  return workerMetrics(scripts, rows, aligned);
}

/** Object count and stored bytes per R2 analytics bucket name (see mapping.storageKey), max of the last 24 h. */
export async function r2Storage(
  api: CloudflareApi,
  account: string,
  now: number,
  signal: AbortSignal,
): Promise<Map<string, BucketStorage>> {
  const data = await api.graphql<AccountNode<'r2StorageAdaptiveGroups'>>(
    GRAPHQL_OPERATION,
    {
      query: R2_STORAGE_QUERY,
      variables: { accountTag: account, start: new Date(now - DAY_MS).toISOString(), end: new Date(now).toISOString() },
    },
    signal,
  );
  const out = new Map<string, BucketStorage>();
  for (const row of rowsOf(data, 'r2StorageAdaptiveGroups')) {
    const name = anyText(row.dimensions?.bucketName);
    if (name === undefined) continue;
    const objectCount = finite(row.max?.objectCount);
    const payloadBytes = finite(row.max?.payloadSize);
    const metadataBytes = finite(row.max?.metadataSize);
    out.set(name, {
      ...(objectCount !== undefined ? { objectCount } : {}),
      ...(payloadBytes !== undefined ? { payloadBytes } : {}),
      ...(metadataBytes !== undefined ? { metadataBytes } : {}),
    });
  }
  return out;
}
