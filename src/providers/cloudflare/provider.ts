// The Cloudflare provider: Workers, R2 buckets, D1 databases, KV namespaces and the Workers AI catalogue over the
// official SDK (REST v4), plus Workers metrics and R2 storage from GraphQL Analytics. A refresh costs a fixed number of
// calls whatever the account holds: one per list page (scripts 1, R2/D1/KV one per 100), Workers AI 1, GraphQL 2
// (R2 storage while listing, Workers metrics for all scripts at once) per account, and `GET /accounts` (one call per 20
// accounts) when no account is configured. Each account is a scope (account.ts). Calls go out concurrently; the
// collector's limiter (4/s, burst 10) paces them.
import { HOUR } from '../../core/model/duration';
import { CloudtopError } from '../../core/errors/errors';
import type { Resource, ResourceMetrics } from '../../core/model/model';
import {
  listings,
  selectServices,
  type Capability,
  type Reference,
  type Provider,
  type ProviderContext,
  type ProviderFactory,
} from '../../core/engine/provider';
import type { Scope } from '../../core/model/scope';
import { accountScopes, configuredAccount } from './account';
import { r2Storage, workerAnalytics } from './analytics';
import { cloudflareApi, type CloudflareApi } from './api';
import {
  firstModelsPage,
  listBuckets,
  listDatabases,
  listNamespaces,
  listScripts,
  R2_JURISDICTIONS,
  type Page,
  type R2Jurisdiction,
  type WireBucket,
  type WireModel,
} from './lists';
import {
  aiCatalogueResource,
  bucketResource,
  CLOUDFLARE_SERVICES,
  databaseResource,
  namespaceResource,
  SERVICES,
  storageKey,
  workerResource,
  type BucketStorage,
} from './mapping';

export const createCloudflareProvider: ProviderFactory = () => {
  let ctx: ProviderContext;
  let api: CloudflareApi;

  /** The account of a call: its scope's, else (a caller outside the collector) the first the token reads. */
  const accountOf = async (scope: Scope | undefined, signal: AbortSignal) => scope?.id || (await accountScopes(api, ctx, signal))[0].id;
  /**
   * The R2 jurisdictions besides the default one that each account may read (reference data, per account): most
   * accounts cannot read the FedRAMP ones, and every refresh should not pay refused calls; a newly granted one shows
   * within the hour, or at once with Cloudtop: Refresh.
   */
  let jurisdictions: Reference<R2Jurisdiction[]>;
  /** The buckets the jurisdictions' load just listed, by account, for the listing that asked (so it lists them once). */
  const justListed = new Map<string, Map<R2Jurisdiction, WireBucket[]>>();

  /** Bucket sizes come from GraphQL Analytics: a token without Analytics: Read (or an analytics hiccup) still
   * lists the buckets, without sizes; the same permission's absence shows as "Metrics not updated". */
  async function bucketsWithStorage(
    id: string,
    signal: AbortSignal,
  ): Promise<{ buckets: WireBucket[]; storage: Map<string, BucketStorage> }> {
    const [defaults, readable] = await Promise.all([listBuckets(api, id, signal), jurisdictions.tryGet(signal, id)]);
    const listed = justListed.get(id);
    justListed.delete(id);
    const others = await Promise.all(
      (readable.value ?? []).map((jurisdiction) => {
        const known = listed?.get(jurisdiction);
        return known ? Promise.resolve(known) : otherJurisdiction(id, jurisdiction, signal);
      }),
    );
    const lists = [defaults, ...others];
    const buckets = lists.flat();
    if (buckets.length === 0) return { buckets, storage: new Map() };
    try {
      return { buckets, storage: await r2Storage(api, id, ctx.now(), signal) };
    } catch (error) {
      if (signal.aborted || !(error instanceof CloudtopError) || error.category === 'auth') throw error;
      ctx.log.warn(`Cloudflare: R2 bucket sizes not updated: ${error.message}`);
      return { buckets, storage: new Map() };
    }
  }

  /** Each jurisdiction is listed apart. An account refused in one simply has no buckets there, which must not
   * hide the others. */
  async function otherJurisdiction(id: string, jurisdiction: R2Jurisdiction, signal: AbortSignal): Promise<WireBucket[]> {
    try {
      return await listBuckets(api, id, signal, jurisdiction);
    } catch (error) {
      if (signal.aborted || !(error instanceof CloudtopError) || !['permission', 'not-found', 'config'].includes(error.category))
        throw error;
      ctx.log.debug(`Cloudflare: no R2 buckets in the ${jurisdiction} jurisdiction: ${error.message}`);
      return [];
    }
  }

  /**
   * Which other jurisdictions the account may read: each is listed, a refusal meaning no. What was listed goes to the
   * listing that asked, so a jurisdiction costs one listing whether or not its readability was known.
   */
  async function readableJurisdictions(signal: AbortSignal, id: string): Promise<R2Jurisdiction[]> {
    const listed = new Map<R2Jurisdiction, WireBucket[]>();
    await Promise.all(
      R2_JURISDICTIONS.filter((j) => j !== 'default').map(async (j) => {
        try {
          listed.set(j, await listBuckets(api, id, signal, j));
        } catch (error) {
          if (signal.aborted || !(error instanceof CloudtopError) || !['permission', 'not-found', 'config'].includes(error.category))
            throw error;
          ctx.log.debug(`Cloudflare: no R2 buckets in the ${j} jurisdiction: ${error.message}`);
        }
      }),
    );
    justListed.set(id, listed);
    return [...listed.keys()];
  }

  /** The catalogue is a side show: a token without Workers AI access still shows everything else. */
  async function aiCatalogue(id: string, signal: AbortSignal): Promise<Page<WireModel> | undefined> {
    try {
      return await firstModelsPage(api, id, signal);
    } catch (error) {
      if (!(error instanceof CloudtopError) || !['permission', 'not-found', 'config'].includes(error.category)) throw error;
      ctx.log.info(`Cloudflare: Workers AI catalogue skipped: ${error.message}`);
      return undefined;
    }
  }

  const provider: Provider = {
    cloud: 'cloudflare',
    name: 'Cloudflare',
    capabilities: new Set<Capability>(['serverless', 'storage', 'database']),

    initialize(context) {
      ctx = context;
      const token = context.credentials.apiToken;
      if (!token)
        return Promise.reject(
          new CloudtopError({
            category: 'auth',
            cloud: 'cloudflare',
            message: 'No Cloudflare API token. Set one with Cloudtop: Set Credentials… or CLOUDFLARE_API_TOKEN.',
          }),
        );
      jurisdictions = ctx.reference('r2-jurisdictions', {
        label: 'Cloudflare R2 jurisdictions',
        ttlMs: HOUR,
        per: 'scope',
        withoutIt: 'only the default jurisdiction’s buckets are listed',
        load: readableJurisdictions,
      });
      try {
        api = cloudflareApi(context, token);
      } catch {
        return Promise.reject(
          new CloudtopError({
            category: 'config',
            cloud: 'cloudflare',
            code: 'ERR_INVALID_URL',
            message: `The endpoint setting cloudtop.cloudflare.endpoint is not a valid URL: "${context.endpoint}".`,
          }),
        );
      }
      return Promise.resolve();
    },

    async healthCheck(signal) {
      // A configured account is checked directly; otherwise listing the accounts is the check.
      const configured = configuredAccount(ctx);
      if (configured)
        await api.rest('GET /accounts/{account_id}', (c, s) => c.accounts.get({ account_id: configured }, { signal: s }), signal);
      else await accountScopes(api, ctx, signal);
    },

    listServices: () => CLOUDFLARE_SERVICES,

    listScopes: (signal) => accountScopes(api, ctx, signal),

    async listResources(filter, signal, scope) {
      if (filter.gpuOnly) return []; // nothing on Cloudflare rents a GPU by the hour
      const id = await accountOf(scope, signal);
      const wants = selectServices(filter);
      // Workers are what an account is first about: their failure fails the account (and cancels the other lists rather
      // than spending the budget). R2, D1, KV and the Workers AI catalogue are listings of their own: one that fails
      // is a warning, and the rest still show.
      const got = await listings('cloudflare', signal, {
        Workers: wants(SERVICES.workers)
          ? { services: [SERVICES.workers], primary: true, list: (s) => listScripts(api, id, s) }
          : undefined,
        'R2 buckets': wants(SERVICES.r2) ? { services: [SERVICES.r2], list: (s) => bucketsWithStorage(id, s) } : undefined,
        'D1 databases': wants(SERVICES.d1) ? { services: [SERVICES.d1], list: (s) => listDatabases(api, id, s) } : undefined,
        'KV namespaces': wants(SERVICES.kv) ? { services: [SERVICES.kv], list: (s) => listNamespaces(api, id, s) } : undefined,
        'Workers AI catalogue': wants(SERVICES.ai) ? { services: [SERVICES.ai], list: (s) => aiCatalogue(id, s) } : undefined,
      });
      const scripts = got.values.Workers ?? [];
      const r2 = got.values['R2 buckets'] ?? { buckets: [], storage: new Map<string, BucketStorage>() };
      const databases = got.values['D1 databases'] ?? [];
      const namespaces = got.values['KV namespaces'] ?? [];
      const models = got.values['Workers AI catalogue'];
      const resources: Resource[] = [];
      const seen = new Set<string>();
      const add = (r: Resource) => {
        if (seen.has(r.id)) return;
        seen.add(r.id);
        resources.push(r);
      };
      for (const w of scripts) add(workerResource(w, id));
      for (const b of r2.buckets) add(bucketResource(b, id, r2.storage.get(storageKey(b))));
      for (const d of databases) add(databaseResource(d, id));
      for (const n of namespaces) add(namespaceResource(n, id));
      if (models) {
        const total = typeof models.info?.total_count === 'number' ? models.info.total_count : undefined;
        const perPage = typeof models.info?.per_page === 'number' ? models.info.per_page : undefined;
        add(aiCatalogueResource(models.items, total, perPage !== undefined && models.items.length >= perPage, id));
      }
      ctx.log.debug(
        `Cloudflare: ${scripts.length} Workers, ${r2.buckets.length} R2 buckets, ${databases.length} D1 databases, ${namespaces.length} KV namespaces`,
      );
      return { resources, problems: got.problems };
    },

    async getMetrics({ resources, window, scope }, signal) {
      const workers = resources.filter((r) => r.cloud === 'cloudflare' && r.kind === 'worker');
      if (workers.length === 0) return {};
      const id = await accountOf(scope, signal);
      const byScript = await workerAnalytics(api, ctx.log, id, [...new Set(workers.map((w) => w.name))], window, signal);
      const out: Record<string, ResourceMetrics> = {};
      for (const w of workers) {
        const m = byScript.get(w.name);
        if (m) out[w.id] = { function: m };
      }
      return out;
    },

    close() {
      return Promise.resolve();
    },
  };
  return provider;
};
