// Cloudflare wire items → Resources. Pure functions. Names pass through untouched (escaping is the views' job);
// ids are prefixed per kind so they stay unique across services within the account; console links are
// dash.cloudflare.com pages with every path segment encoded.
import type { Resource } from '../../core/model/model';
import { text } from '../../core/transport/wire';
import type { WireBucket, WireDatabase, WireModel, WireNamespace, WireScript } from './lists';

export const SERVICES = { workers: 'Workers', r2: 'R2', d1: 'D1', kv: 'KV', ai: 'AI' } as const;
export const CLOUDFLARE_SERVICES: readonly string[] = [SERVICES.workers, SERVICES.r2, SERVICES.d1, SERVICES.kv, SERVICES.ai];
export const AI_CATALOGUE_ID = 'ai:catalogue';

type Details = Record<string, string | number | boolean>;

const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
const iso = (v: unknown): string | undefined => (typeof v === 'string' && Number.isFinite(Date.parse(v)) ? v : undefined);

function details(entries: ReadonlyArray<readonly [string, string | number | boolean | undefined]>): Details | undefined {
  const out: Details = {};
  for (const [key, value] of entries) if (value !== undefined) out[key] = value;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `https://dash.cloudflare.com/<account>/<segments…>`, each segment percent-encoded. */
export function dashUrl(account: string, ...segments: string[]): string {
  return ['https://dash.cloudflare.com', account, ...segments].map((s, i) => (i === 0 ? s : encodeURIComponent(s))).join('/');
}

function base(
  account: string,
  id: string,
  kind: Resource['kind'],
  service: string,
  name: string,
  createdAt: unknown,
  consoleUrl: string,
  extra: Details | undefined,
): Resource {
  const created = iso(createdAt);
  return {
    id,
    cloud: 'cloudflare',
    account,
    kind,
    service,
    name,
    // A deployed script, a bucket, a database or a namespace is serving: Cloudflare reports no other state for them.
    status: 'running',
    ...(created ? { createdAt: created } : {}),
    consoleUrl,
    ...(extra ? { details: extra } : {}),
  };
}

export function workerResource(w: WireScript, account: string): Resource {
  const routes = Array.isArray(w.routes) ? w.routes.filter((r) => text(r?.pattern)).length : undefined;
  return base(
    account,
    `worker:${w.id}`,
    'worker',
    SERVICES.workers,
    w.id,
    w.created_on,
    dashUrl(account, 'workers', 'services', 'view', w.id, 'production'),
    details([
      ['modifiedOn', iso(w.modified_on)],
      ['handlers', Array.isArray(w.handlers) && w.handlers.length > 0 ? w.handlers.join(', ') : undefined],
      ['usageModel', text(w.usage_model)],
      ['compatibilityDate', text(w.compatibility_date)],
      ['routes', routes],
      ['tags', Array.isArray(w.tags) && w.tags.length > 0 ? w.tags.join(', ') : undefined],
      ['hasAssets', typeof w.has_assets === 'boolean' ? w.has_assets : undefined],
      ['placement', text(w.placement_mode)],
      ['logpush', typeof w.logpush === 'boolean' ? w.logpush : undefined],
      ['lastDeployedFrom', text(w.last_deployed_from)],
    ]),
  );
}

/** Stored size of one bucket as R2's storage analytics report it. */
export interface BucketStorage {
  readonly objectCount?: number;
  readonly payloadBytes?: number;
  readonly metadataBytes?: number;
}

/** R2 analytics name buckets outside the default jurisdiction `<jurisdiction>_<name>` (wrangler r2/helpers/bucket.ts). */
export function storageKey(b: Pick<WireBucket, 'name' | 'jurisdiction'>): string {
  const j = text(b.jurisdiction);
  return j && j !== 'default' ? `${j}_${b.name}` : b.name;
}

export function bucketResource(b: WireBucket, account: string, storage: BucketStorage | undefined): Resource {
  const jurisdiction = text(b.jurisdiction) ?? 'default';
  const stored = storage?.payloadBytes !== undefined ? storage.payloadBytes + (storage.metadataBytes ?? 0) : undefined;
  const location = text(b.location);
  const resource = base(
    account,
    `r2:${storageKey(b)}`,
    'bucket',
    SERVICES.r2,
    b.name,
    b.creation_date,
    dashUrl(account, 'r2', jurisdiction, 'buckets', b.name),
    details([
      ['jurisdiction', jurisdiction],
      ['storageClass', text(b.storage_class)],
      ['objects', count(storage?.objectCount)],
      ['storedBytes', count(stored)],
      // R2 storage analytics: the largest value of the last 24 h (see analytics.ts).
      ['storageWindow', storage ? 'max of the last 24 h' : undefined],
    ]),
  );
  return location ? { ...resource, region: location } : resource;
}

export function databaseResource(d: WireDatabase, account: string): Resource {
  return base(
    account,
    `d1:${d.uuid}`,
    'database',
    SERVICES.d1,
    text(d.name) ?? d.uuid,
    d.created_at,
    dashUrl(account, 'workers', 'd1', 'databases', d.uuid),
    details([
      ['uuid', d.uuid],
      ['version', text(d.version)],
      ['jurisdiction', text(d.jurisdiction)],
      // Read from the list (it carries them, though its schema does not say so); absent when it does not.
      ['fileSizeBytes', count(d.file_size)],
      ['tables', count(d.num_tables)],
    ]),
  );
}

export function namespaceResource(n: WireNamespace, account: string): Resource {
  return base(
    account,
    `kv:${n.id}`,
    'kv-namespace',
    SERVICES.kv,
    text(n.title) ?? n.id,
    undefined,
    dashUrl(account, 'workers', 'kv', 'namespaces', n.id),
    details([
      ['namespaceId', n.id],
      ['urlEncodedKeys', typeof n.supports_url_encoding === 'boolean' ? n.supports_url_encoding : undefined],
    ]),
  );
}

/**
 * Workers AI as ONE catalogue node: models anyone on the account can call and pay per use, not resources the
 * user owns or pays for while idle. Built from the first page of the catalogue; `total` is the catalogue's size
 * when the API reports it.
 */
export function aiCatalogueResource(models: readonly WireModel[], total: number | undefined, pageFull: boolean, account: string): Resource {
  const byTask = new Map<string, number>();
  for (const m of models) {
    const task = text(m.task?.name) ?? 'Other';
    byTask.set(task, (byTask.get(task) ?? 0) + 1);
  }
  const tasks = [...byTask]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([task, n]) => `${task} ${n}`)
    .join(' · ');
  const size = total ?? models.length;
  const sizeText = total === undefined && pageFull ? `${size}+` : String(size);
  return {
    id: AI_CATALOGUE_ID,
    cloud: 'cloudflare',
    account,
    kind: 'ai-model',
    service: SERVICES.ai,
    name: `Workers AI model catalogue (${sizeText} models)`,
    status: 'unknown',
    rawStatus: 'catalogue',
    consoleUrl: dashUrl(account, 'ai', 'workers-ai'),
    details: {
      catalogue: true,
      note: 'Models available to call, billed per use; not resources you own.',
      models: sizeText,
      listed: models.length,
      ...(tasks ? { tasks } : {}),
    },
  };
}
