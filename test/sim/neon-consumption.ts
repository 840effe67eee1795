// The simulated `GET /consumption_history/v2/projects` (npm @neondatabase/api-client 2.7.3,
// public-v2-for-users.gen.yaml, getConsumptionHistoryPerProjectV2):
//   query      org_id and metrics required (400 without), granularity hourly|daily|monthly, from/to date-times
//              rounded down to the granularity; the range may reach 168 h / 60 days / 1 year back, else 406;
//              limit 1–100 (default 10), cursor; project_ids optional (comma list)
//   answer     { projects: [{ project_id, periods: [{ period_id, period_plan, period_start, consumption:
//              [{ timeframe_start, timeframe_end, metrics: [{ metric_name, value }] }] }] }], pagination: { cursor } }
//              projects newest first; every project of the org, with a frame per day of the range
//   403        on a plan without it: the spec names Launch, Scale, Agent, Business and Enterprise (so Free gets it),
//              with the spec's own wording as the message; an org key asking for another org also gets 403
//   404        org_id the key is not a member of
// Each project's compute-unit seconds per day are `state.dailyCuSeconds[project id]` (0 when unset).
import type { NeonState } from './neon';
import type { SimProject } from './neon-data';
import type { SimRequest, SimResponse } from './types';

export const NEON_CONSUMPTION_PLANS = ['launch', 'scale', 'agent', 'business', 'enterprise'];
export const NEON_NOT_ON_PLAN =
  'Not available for this account. Project consumption history requires a Launch, Scale, Agent, Business, or Enterprise plan.';
const STEP_MS: Readonly<Record<string, number>> = { hourly: 3_600_000, daily: 86_400_000 };
const REACH_MS: Readonly<Record<string, number>> = { hourly: 168 * 3_600_000, daily: 60 * 86_400_000, monthly: 366 * 86_400_000 };

type ErrorOf = (req: SimRequest<NeonState>, status: number, message?: string) => SimResponse;

function floorTo(ms: number, granularity: string): number {
  if (granularity === 'monthly') {
    const d = new Date(ms);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
  return Math.floor(ms / STEP_MS[granularity]) * STEP_MS[granularity];
}

function nextStep(ms: number, granularity: string): number {
  if (granularity !== 'monthly') return ms + STEP_MS[granularity];
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

export function consumptionHistory(req: SimRequest<NeonState>, error: ErrorOf, now: () => number = Date.now): SimResponse {
  const q = req.query;
  const org = q.get('org_id');
  const metrics = q.get('metrics');
  const granularity = q.get('granularity') ?? '';
  const from = Date.parse(q.get('from') ?? '');
  const to = Date.parse(q.get('to') ?? '');
  if (!org) return error(req, 400, 'org_id is required');
  if (!metrics) return error(req, 400, 'metrics is required');
  if (!REACH_MS[granularity]) return error(req, 400, `invalid granularity: ${granularity}`);
  if (!Number.isFinite(from) || !Number.isFinite(to)) return error(req, 400, 'from and to must be date-times');
  const keyOrg = req.credential ? req.state.orgKeys[req.credential] : undefined;
  const member = req.state.orgs.find((o) => o.id === org);
  if (!member) return error(req, 404, `organization ${org} not found`);
  if (keyOrg !== undefined && keyOrg !== org) return error(req, 403, 'the API key is not allowed to access this organization');
  if (!NEON_CONSUMPTION_PLANS.includes(member.plan)) return error(req, 403, NEON_NOT_ON_PLAN);
  const start = floorTo(from, granularity);
  const end = floorTo(to, granularity);
  if (end < start || start < now() - REACH_MS[granularity])
    return error(req, 406, `the from and to range is not valid for the ${granularity} granularity`);
  const limit = q.get('limit') === null ? 10 : Number(q.get('limit'));
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return error(req, 400, 'limit must be between 1 and 100');
  const offset = q.get('cursor') === null ? 0 : Number(Buffer.from(q.get('cursor')!, 'base64url').toString('utf8').replace(/^c:/, ''));
  if (!Number.isInteger(offset) || offset < 0) return error(req, 400, 'invalid cursor');
  const wanted = q.get('project_ids')?.split(',').filter(Boolean);
  const all = req.state.projects
    .filter((p) => p.org_id === org && (!wanted || wanted.includes(p.id)))
    .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0)); // newest first
  const page = req.emptyPage ? [] : all.slice(offset, offset + limit);
  const names = metrics.split(',');
  const entry = (p: SimProject) => {
    const consumption: unknown[] = [];
    for (let t = start; t < end; t = nextStep(t, granularity)) {
      const steps = (nextStep(t, granularity) - t) / 86_400_000;
      const cu = Math.round((req.state.dailyCuSeconds[p.id] ?? 0) * steps);
      consumption.push({
        timeframe_start: iso(t),
        timeframe_end: iso(nextStep(t, granularity)),
        metrics: names.map((metric_name) => ({ metric_name, value: metric_name === 'compute_unit_seconds' ? cu : 0 })),
      });
    }
    return {
      project_id: p.id,
      periods: [
        {
          period_id: '79ec829f-1828-4006-ac82-9f1828a0067d',
          period_plan: member.plan,
          period_start: iso(floorTo(start, 'monthly')),
          consumption,
        },
      ],
    };
  };
  const cursor = Buffer.from(`c:${offset + page.length}`).toString('base64url');
  return { json: { projects: page.map(entry), pagination: { cursor } } };
}
