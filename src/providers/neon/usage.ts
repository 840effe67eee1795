// This month's compute usage per project, from Neon's consumption history (public-v2-for-users.gen.yaml 2.7.3,
// `GET /consumption_history/v2/projects`, operationId getConsumptionHistoryPerProjectV2). Neon has no live load
// metrics; this is the closest it reports: compute-unit seconds, summed here into CU-hours.
//   - query: `org_id` and `metrics` are required; `granularity` daily keeps the month within the 60-day daily window;
//     `from`/`to` are rounded to the granularity, so the window is whole UTC days: the 1st of this month to the start
//     of tomorrow (today's partial day included). Whether Neon accepts a `to` later than now is UNCONFIRMED.
//   - answer: `{projects: [{project_id, periods: [{consumption: [{timeframe_start, timeframe_end, metrics:
//     [{metric_name, value}]}]}]}], pagination: {cursor}}`, projects paged newest first by `cursor`, `limit` ≤ 100.
//   - 403 "Not available for this account" on plans without it (the spec: Launch, Scale, Agent, Business and
//     Enterprise have it, Free does not); 404 when the key is not a member of `org_id`; 406 for a bad range.
import { CloudtopError } from '../../core/errors/errors';
import type { HttpClient } from '../../core/transport/http';
import { collectPages, type PageResult } from '../../core/transport/paginate';
import { listOf, record } from '../../core/transport/wire';
import { nextToken, ORG_KEY_LIMITED } from './api';

export const CONSUMPTION_PATH = '/consumption_history/v2/projects';
export const CONSUMPTION_PAGE_LIMIT = 100;
export const CU_METRIC = 'compute_unit_seconds';
const DAY_MS = 86_400_000;

/** Per organization: CU-seconds this month by project id, or why there are none. */
export type OrgUsage =
  | { readonly kind: 'reported'; readonly cuSeconds: Readonly<Record<string, number>> }
  | { readonly kind: 'not-on-plan' }
  | { readonly kind: 'unavailable' };

/** The 1st of the month of `now` (UTC) and the start of the next UTC day. */
export function monthWindow(now: number): { from: string; to: string } {
  const d = new Date(now);
  const from = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const to = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) + DAY_MS;
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** CU-seconds of one project entry: every `compute_unit_seconds` value of every period and timeframe. */
export function cuSecondsOf(entry: unknown): number | undefined {
  let sum: number | undefined;
  for (const period of listOf(record(entry)?.periods, record)) {
    for (const frame of listOf(period.consumption, record)) {
      for (const m of listOf(frame.metrics, record)) {
        if (m.metric_name === CU_METRIC && typeof m.value === 'number' && Number.isFinite(m.value) && m.value >= 0)
          sum = (sum ?? 0) + m.value;
      }
    }
  }
  return sum;
}

/** This month's CU-seconds per project of one organization; a plan without consumption history answers not-on-plan. */
export async function orgUsage(http: HttpClient, orgId: string, now: number, signal: AbortSignal): Promise<OrgUsage> {
  const operation = `GET ${CONSUMPTION_PATH}`;
  const { from, to } = monthWindow(now);
  try {
    const entries = await collectPages<unknown>(
      async (cursor): Promise<PageResult<unknown>> => {
        const query = {
          org_id: orgId,
          metrics: CU_METRIC,
          granularity: 'daily',
          from,
          to,
          limit: CONSUMPTION_PAGE_LIMIT,
          cursor: cursor as string | undefined,
        };
        const { body } = await http.request<unknown>({ path: CONSUMPTION_PATH, query, operation }, signal);
        const projects = record(body)?.projects;
        if (!Array.isArray(projects))
          throw new CloudtopError({
            category: 'unknown',
            cloud: 'neon',
            operation,
            message: `Neon answered ${operation} without a "projects" list; Cloudtop cannot read this response.`,
          });
        return { items: projects, next: nextToken(projects.length, CONSUMPTION_PAGE_LIMIT, record(record(body)?.pagination)?.cursor) };
      },
      { cloud: 'neon', what: 'Neon consumption history' },
    );
    const cuSeconds: Record<string, number> = {};
    for (const entry of entries) {
      const id = record(entry)?.project_id;
      const seconds = cuSecondsOf(entry);
      if (typeof id === 'string' && seconds !== undefined) cuSeconds[id] = (cuSeconds[id] ?? 0) + seconds;
    }
    return { kind: 'reported', cuSeconds };
  } catch (error) {
    // An org key refused a user-scoped call is not a plan limit.
    if (error instanceof CloudtopError && error.status === 403)
      return error.cloudMessage?.includes(ORG_KEY_LIMITED) ? { kind: 'unavailable' } : { kind: 'not-on-plan' };
    throw error;
  }
}

/** CU-hours to the hundredth, as the views show them. */
export function cuHours(cuSeconds: number): number {
  return Math.round((cuSeconds / 3600) * 100) / 100;
}
