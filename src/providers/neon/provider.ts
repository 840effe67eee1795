// The Neon provider: projects, their compute endpoints and branches, over Neon API v2 with a Bearer key (an API
// key, or the OAuth token neonctl stored). Neon has no account-wide list of computes or branches, so they cost two
// calls per project (branches, endpoints): they are each project's children (listChildren), which the collector
// fetches apart and renews within Neon's budget, so the projects themselves (one call per 100) show at once.
// A full round is 1 + 2 × projects calls for most accounts (plus one organization lookup every 15 minutes).
// Project usage comes from the list itself (active time, storage) and branch usage from the branch list, so no
// `GET /projects/{id}` per project is made; this month's CU-hours come from the consumption history, one call per
// organization and 100 projects, reused for 15 minutes (usage.ts). Projects shared with the user are listed beside
// their own (`GET /projects/shared`, as neonctl does), marked shared. Metrics: none exist in the API; getMetrics
// makes no call.
import { MINUTE } from '../../core/model/duration';
import { CloudtopError } from '../../core/errors/errors';
import type { HttpClient } from '../../core/transport/http';
import type { Resource } from '../../core/model/model';
import {
  listings,
  selectServices,
  type Capability,
  type ListingProblem,
  type Reference,
  type Provider,
  type ProviderContext,
  type ProviderFactory,
  type ResourceFilter,
} from '../../core/engine/provider';
import type { Scope } from '../../core/model/scope';
import { mapConcurrent } from '../../core/transport/wire';
import { neonApi, ORG_KEY_LIMITED, type NeonApi, type WireBranch, type WireEndpoint, type WireOrganization, type WireProject } from './api';
import {
  BRANCHES_SERVICE,
  completeProject,
  COMPUTES_SERVICE,
  mapBranch,
  mapEndpoint,
  mapProject,
  NEON_SERVICES,
  PROJECTS_SERVICE,
  type ProjectExtras,
} from './mapping';
import { cuHours, orgUsage, type OrgUsage } from './usage';

/**
 * Projects (or organizations) fetched at once. The limiter paces the calls anyway (Neon: ~11/s); this keeps the
 * requests in flight, each of which listens on the refresh's AbortSignal, under Node's 10-listener warning.
 */
export const PROJECT_CONCURRENCY = 3;

interface ProjectParts {
  readonly project: WireProject;
  readonly extras: ProjectExtras;
  readonly branches?: WireBranch[];
  readonly endpoints: WireEndpoint[];
}

const isCategory = (error: unknown, ...categories: string[]): error is CloudtopError =>
  error instanceof CloudtopError && categories.includes(error.category);
/** A 403 that only says an organization API key may not make this (user-scoped) call. */
const isOrgKeyLimited = (error: unknown): boolean =>
  error instanceof CloudtopError && error.status === 403 && (error.cloudMessage ?? '').includes(ORG_KEY_LIMITED);

export const createNeonProvider: ProviderFactory = () => {
  let ctx: ProviderContext;
  let api: NeonApi;
  /** The Bearer-authenticated client the API calls use, for the consumption history. */
  let http: HttpClient;
  // Reference data the engine keeps (declared in initialize()): memberships change rarely, and Neon's consumption
  // counters "have some lag" anyway, so every refresh need not pay for them.
  let organizations: Reference<WireOrganization[]>;
  let consumption: Reference<OrgUsage>;

  /**
   * The key's organizations, each a scope. Since Neon moved personal accounts into organizations, `GET /projects`
   * with a personal key (or neonctl's login) and no `org_id` answers 400 "org_id is required", so the key's
   * organizations are looked up; an org API key gets its own one back. The older account setting, when set, is the
   * one organization. An empty list lets the key decide (one scope, no `org_id`).
   */
  async function organizationList(signal: AbortSignal): Promise<readonly WireOrganization[]> {
    if (ctx.account) return [{ id: ctx.account }];
    return organizations.get(signal);
  }

  async function readOrganizations(signal: AbortSignal): Promise<WireOrganization[]> {
    try {
      const seen = new Set<string>();
      return (await api.listOrganizations(signal)).filter((o) => !seen.has(o.id) && seen.add(o.id));
    } catch (error) {
      // Only "no such route" (404), "not for this key" (400) or an organization key's 403 "not allowed for
      // organization API keys" (which neonctl handles the same way) leaves the choice to the key, as before
      // organizations existed; a rejected key, another missing permission, an outage or an abort fails the refresh.
      if (signal.aborted || !(isCategory(error, 'not-found', 'config') || isOrgKeyLimited(error))) throw error;
      ctx.log.info(`Neon: organizations unavailable (${(error as CloudtopError).message}); listing the projects the key itself implies.`);
      return [];
    }
  }

  /** `org_id` for each listing of a scope: its organization, or (no scope given) every one the key reads. */
  async function organizationIds(signal: AbortSignal, scope?: Scope): Promise<readonly (string | undefined)[]> {
    if (scope) return [scope.id || undefined];
    const list = await organizationList(signal);
    return list.length > 0 ? list.map((o) => o.id) : [undefined];
  }

  /** Shared projects belong to no organization of the user's: they are listed with the first scope. */
  async function isFirstScope(scope: Scope | undefined, signal: AbortSignal): Promise<boolean> {
    if (!scope) return true;
    const list = await organizationList(signal);
    return (list[0]?.id ?? '') === scope.id;
  }

  /**
   * The user's own projects, each with the organization it was listed in, then the ones shared with them. The own
   * projects are the primary listing (their failure fails the scope); the shared ones are an extra listing: one that
   * fails is a warning, and the user's own projects still show.
   */
  async function listProjects(
    signal: AbortSignal,
    scope?: Scope,
  ): Promise<{ projects: { project: WireProject; org?: string; shared: boolean }[]; problems: readonly ListingProblem[] }> {
    const orgs = await organizationIds(signal, scope);
    // neonctl leaves shared projects out when an organization is chosen; so does the account setting.
    const withShared = !ctx.account && (await isFirstScope(scope, signal));
    const got = await listings('neon', signal, {
      Projects: {
        services: [PROJECTS_SERVICE],
        primary: true,
        list: (s) =>
          mapConcurrent(orgs, PROJECT_CONCURRENCY, async (org) =>
            (await api.listProjects(org, s)).map((project) => ({ project, org: project.org_id ?? org })),
          ),
      },
      'Projects shared with you': withShared
        ? { services: [PROJECTS_SERVICE], keeps: (r: Resource) => r.details?.shared === true, list: sharedProjects }
        : undefined,
    });
    const seen = new Set<string>();
    const own = (got.values.Projects ?? [])
      .flat()
      .filter((p) => !seen.has(p.project.id) && seen.add(p.project.id))
      .map((p) => ({ ...p, shared: false }));
    const shared = (got.values['Projects shared with you'] ?? []).filter((p) => !seen.has(p.id) && seen.add(p.id));
    return { projects: [...own, ...shared.map((project) => ({ project, shared: true }))], problems: got.problems };
  }

  /** An organization key may not list shared projects: it simply has none. */
  async function sharedProjects(signal: AbortSignal): Promise<WireProject[]> {
    try {
      return await api.listSharedProjects(signal);
    } catch (error) {
      if (signal.aborted || !isOrgKeyLimited(error)) throw error;
      ctx.log.debug('Neon: an organization API key lists no shared projects.');
      return [];
    }
  }

  /** This month's usage per organization (reference data). Never fails the refresh: a failure is its warning. */
  async function usageOf(orgIds: readonly string[], signal: AbortSignal): Promise<Map<string, OrgUsage>> {
    const out = new Map<string, OrgUsage>();
    await mapConcurrent(orgIds, PROJECT_CONCURRENCY, async (org) => {
      out.set(org, (await consumption.tryGet(signal, org)).value ?? { kind: 'unavailable' });
    });
    return out;
  }

  function extrasOf(shared: boolean, org: string | undefined, project: WireProject, usages: ReadonlyMap<string, OrgUsage>): ProjectExtras {
    const u = org === undefined ? undefined : usages.get(org);
    const seconds = u?.kind === 'reported' ? u.cuSeconds[project.id] : undefined;
    // A project the answer leaves out used nothing this month; one Neon does not report on keeps no figure.
    const used =
      u?.kind === 'reported' ? { cuHours: cuHours(seconds ?? 0) } : u?.kind === 'not-on-plan' ? ('not on this plan' as const) : undefined;
    return { ...(shared ? { shared } : {}), ...(used ? { usage: used } : {}) };
  }

  /** A project deleted between the list and its own calls answers 404: it is skipped, not a failed refresh. */
  async function partsOf(
    project: WireProject,
    extras: ProjectExtras,
    needBranches: boolean,
    needEndpoints: boolean,
    signal: AbortSignal,
  ): Promise<ProjectParts | undefined> {
    try {
      const [branches, endpoints] = await Promise.all([
        needBranches ? api.listBranches(project.id, signal) : Promise.resolve(undefined),
        needEndpoints ? api.listEndpoints(project.id, signal) : Promise.resolve([]),
      ]);
      return { project, extras, branches, endpoints };
    } catch (error) {
      if (!isCategory(error, 'not-found') || signal.aborted) throw error;
      ctx.log.debug(`Neon: project ${project.id} disappeared during the refresh; skipped.`);
      return undefined;
    }
  }

  function toResources(parts: readonly ProjectParts[], filter: ResourceFilter): Resource[] {
    const projects: Resource[] = [];
    const computes: Resource[] = [];
    const branches: Resource[] = [];
    const wants = selectServices(filter);
    const seen = new Set<string>();
    const fresh = (id: string) => !seen.has(id) && Boolean(seen.add(id));
    for (const { project, extras, branches: wireBranches, endpoints } of parts) {
      const names = new Map<string, string>();
      for (const b of wireBranches ?? []) if (!names.has(b.id) && typeof b.name === 'string' && b.name !== '') names.set(b.id, b.name);
      const projectComputes = endpoints.filter((e) => fresh(e.id)).map((e) => mapEndpoint(e, project, names, ctx.account));
      if (wants(PROJECTS_SERVICE) && fresh(project.id))
        projects.push(mapProject(project, ctx.account, projectComputes, wireBranches?.length, extras));
      if (wants(COMPUTES_SERVICE)) computes.push(...projectComputes);
      if (wants(BRANCHES_SERVICE)) {
        for (const b of wireBranches ?? []) if (fresh(b.id)) branches.push(mapBranch(b, project, ctx.account));
      }
    }
    return [...projects, ...computes, ...branches];
  }

  const provider: Provider = {
    cloud: 'neon',
    name: 'Neon',
    capabilities: new Set<Capability>(['database']),

    initialize(context) {
      ctx = context;
      http = context.http.withHeaders({ authorization: `Bearer ${context.credentials.apiKey}` });
      api = neonApi(http, context.log);
      organizations = ctx.reference('organizations', { label: 'Neon organizations', ttlMs: 15 * MINUTE, load: readOrganizations });
      consumption = ctx.reference('consumption', {
        label: "Neon's compute usage this month",
        ttlMs: 15 * MINUTE,
        per: 'scope',
        withoutIt: 'projects show no CU-hours',
        load: (signal, org) => orgUsage(http, org, ctx.now(), signal),
      });
      return Promise.resolve();
    },

    async healthCheck(signal) {
      const [org] = await organizationIds(signal);
      await api.checkAccess(org, signal);
    },

    listServices: () => NEON_SERVICES,

    async listScopes(signal) {
      return (await organizationList(signal)).map((o) => ({
        id: o.id,
        label: typeof o.name === 'string' && o.name !== '' ? o.name : o.id,
        kind: 'organization',
      }));
    },

    async listResources(filter, signal, scope) {
      // Neon has no GPUs; and each service decides which per-project calls are needed.
      const wants = selectServices(filter);
      const needEndpoints = wants(PROJECTS_SERVICE) || wants(COMPUTES_SERVICE); // project status, computes
      const needBranches = wants(BRANCHES_SERVICE) || wants(COMPUTES_SERVICE); // branches, compute names
      if (filter.gpuOnly || (!needEndpoints && !needBranches)) return [];
      const { projects, problems } = await listProjects(signal, scope);
      // Usage is shown on projects only; organizations of shared projects are not the user's to ask about.
      const orgs = wants(PROJECTS_SERVICE) ? [...new Set(projects.flatMap((p) => (!p.shared && p.org ? [p.org] : [])))] : [];
      const usages = await usageOf(orgs, signal);
      if (wants(PROJECTS_SERVICE)) {
        // The projects alone, at once: their branches and computes are each project's children (listChildren).
        const seen = new Set<string>();
        const listed = projects.filter((p) => !seen.has(p.project.id) && seen.add(p.project.id));
        ctx.log.debug(`Neon: ${listed.length} projects`);
        return {
          resources: listed.map((p) =>
            mapProject(p.project, ctx.account, undefined, undefined, extrasOf(p.shared, p.org, p.project, usages)),
          ),
          problems,
        };
      }
      // Without projects to show there are no parents: a view of branches or computes alone lists them here.
      const parts = await mapConcurrent(projects, PROJECT_CONCURRENCY, (p) =>
        partsOf(p.project, extrasOf(p.shared, p.org, p.project, usages), needBranches, needEndpoints, signal),
      );
      const found = parts.filter((p): p is ProjectParts => p !== undefined);
      const resources = toResources(found, filter);
      ctx.log.debug(`Neon: ${found.length} projects, ${resources.length} resources`);
      return { resources, problems };
    },

    childrenLabel: 'branches and computes',

    async listChildren(parent, filter, signal) {
      if (parent.service !== PROJECTS_SERVICE) return { children: [] };
      // Endpoints give the project its status; the branch list names computes' branches and counts the project's.
      const wants = selectServices(filter);
      const needBranches = wants(BRANCHES_SERVICE) || wants(COMPUTES_SERVICE);
      const project: WireProject = { id: parent.id, name: parent.name, ...(parent.region ? { region_id: parent.region } : {}) };
      const parts = await partsOf(project, {}, needBranches, true, signal);
      if (!parts) return undefined; // deleted since it was listed
      const children = toResources([parts], { ...filter, services: [COMPUTES_SERVICE, BRANCHES_SERVICE].filter((s) => wants(s)) });
      const computes = wants(COMPUTES_SERVICE)
        ? children.filter((r) => r.service === COMPUTES_SERVICE)
        : toResources([parts], { services: [COMPUTES_SERVICE] });
      return { parent: completeProject(parent, computes, parts.branches?.length), children };
    },

    // Neon's API reports no connections, queries or compute load: nothing to fetch, nothing invented.
    getMetrics: () => Promise.resolve({}),

    act(resource, action, signal) {
      const projectId = resource.details?.projectId;
      if (typeof projectId !== 'string')
        throw new CloudtopError({ category: 'config', cloud: 'neon', message: `${resource.name} is not a Neon compute.` });
      return api.endpointAction(projectId, resource.id, action === 'stop' ? 'suspend' : 'start', signal);
    },

    close() {
      return Promise.resolve();
    },
  };
  return provider;
};
