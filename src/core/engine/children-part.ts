// Per-resource children as a part of their own (Provider.listChildren): each parent's children cached with their own
// fetchedAt, renewed when older than their TTL — missing ones first, then the oldest — a few parents at a time, as
// the rate limiter paces them, until the scope's deadline. What arrived before the deadline is kept and shown; the
// parents still without children are named in a `children` warning, and the next refresh continues with them.
import { toCloudtopError, type CloudtopError } from '../errors/errors';
import type { Logger } from '../model/log';
import type { CloudId, OutcomeWarning, Resource } from '../model/model';
import type { Provider, ResourceFilter } from './provider';
import type { Scope } from '../model/scope';

/** One parent's children, as cached. */
export interface ChildrenEntry {
  readonly parent?: Resource;
  /** The parent was deleted since it was listed: it is not shown. */
  readonly gone?: boolean;
  readonly children: readonly Resource[];
  readonly fetchedAt: string;
}

export type ChildrenByParent = Readonly<Record<string, ChildrenEntry>>;

/**
 * Parents whose children are fetched at once. The limiter paces the calls anyway; this keeps enough in flight to use
 * a budget like Neon's 40 a second per route at ordinary latencies.
 */
export const CHILDREN_CONCURRENCY = 8;

export interface ChildrenFetch {
  readonly cloud: CloudId;
  readonly scope: Scope;
  readonly provider: Provider;
  readonly filter: ResourceFilter;
  readonly parents: readonly Resource[];
  readonly known: ChildrenByParent;
  readonly ttlMs: number;
  /** Renew every parent's children (a manual refresh); the old ones show until each is renewed. */
  readonly force: boolean;
  /** With `force`: children fetched after this time (epoch ms) are kept (RefreshOptions.newerThan). */
  readonly newerThan?: number;
  readonly signal: AbortSignal;
  readonly now: () => number;
  readonly log: Logger;
}

export interface ChildrenResult {
  readonly byParent: ChildrenByParent;
  /** Parents still without children, or some left to renew, when the refresh stopped early. */
  readonly warning?: OutcomeWarning;
  /** Whether any parent was fetched (the part changed and is written back). */
  readonly fetched: boolean;
}

/**
 * Whether a refresh has children to fetch: a parent without them, or with ones older than the TTL — or, forced, every
 * parent whose children were not fetched after `newerThan` (another watcher's, through the shared cache).
 */
export function childrenDue(
  parents: readonly Resource[],
  known: ChildrenByParent,
  ttlMs: number,
  now: number,
  force: boolean,
  newerThan?: number,
): Resource[] {
  const age = (id: string) => (known[id] ? now - Date.parse(known[id].fetchedAt) : Infinity);
  const newEnough = (id: string) => newerThan !== undefined && known[id] !== undefined && Date.parse(known[id].fetchedAt) > newerThan;
  return parents.filter((p) => (force ? !newEnough(p.id) : age(p.id) >= ttlMs)).sort((a, b) => age(b.id) - age(a.id));
}

export async function fetchChildren(request: ChildrenFetch): Promise<ChildrenResult> {
  const { provider, signal, now } = request;
  const byParent: Record<string, ChildrenEntry> = {};
  // Only the parents still listed keep their children.
  for (const p of request.parents) if (request.known[p.id]) byParent[p.id] = request.known[p.id];
  const due = childrenDue(request.parents, request.known, request.ttlMs, now(), request.force, request.newerThan);
  let next = 0;
  let stopped: CloudtopError | undefined;
  const done = new Set<string>();
  const worker = async () => {
    while (next < due.length && !stopped && !signal.aborted) {
      const parent = due[next++];
      try {
        const found = await provider.listChildren!(parent, request.filter, signal, request.scope.id ? request.scope : undefined);
        const fetchedAt = new Date(now()).toISOString();
        byParent[parent.id] = found
          ? {
              ...(found.parent ? { parent: stamp(found.parent, request.scope) } : {}),
              children: found.children.map((c) => stamp(c, request.scope)),
              fetchedAt,
            }
          : { gone: true, children: [], fetchedAt };
        done.add(parent.id);
      } catch (error) {
        const reason = toCloudtopError(signal.aborted ? (signal.reason ?? error) : error, request.cloud);
        // A rejected key fails the scope; anything else (the deadline, the budget, an outage) stops the children here.
        if (reason.category === 'auth' && !signal.aborted) throw reason;
        stopped ??= reason;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CHILDREN_CONCURRENCY, due.length) }, worker));
  const fetched = done.size > 0;
  const left = due.filter((p) => !done.has(p.id));
  if (left.length === 0) return { byParent, fetched };
  const missing = request.parents.filter((p) => !byParent[p.id]).length;
  const label = provider.childrenLabel ?? 'per-resource listings';
  const what =
    missing > 0
      ? `${label} of ${missing} of ${request.parents.length} resources not fetched yet`
      : `${label} of ${left.length} of ${request.parents.length} resources not renewed`;
  const cause = stopped ?? toCloudtopError(signal.reason, request.cloud);
  const message = `${capitalized(what)} (${cause.message.replace(/\.$/, '')}); the next refresh continues with them.`;
  request.log.warn(`${provider.name}${request.scope.id ? ` (${request.scope.label})` : ''}: ${message}`);
  return {
    byParent,
    fetched,
    warning: { part: 'children', category: cause.category, message, ...(request.scope.id ? { scope: request.scope.id } : {}) },
  };
}

/** The parents (completed by their children where known) followed by every known child. */
export function withChildren(parents: readonly Resource[], byParent: ChildrenByParent): Resource[] {
  const shown = parents.filter((p) => !byParent[p.id]?.gone).map((p) => byParent[p.id]?.parent ?? p);
  const seen = new Set(shown.map((r) => r.id));
  const children = parents.flatMap((p) => byParent[p.id]?.children ?? []).filter((c) => !seen.has(c.id) && Boolean(seen.add(c.id)));
  // Grouped by service (computes of every project, then branches), as a listing of the whole scope would be.
  const services = [...new Set(children.map((c) => c.service))];
  return [...shown, ...services.flatMap((service) => children.filter((c) => c.service === service))];
}

/** Children carry their scope's id, as listed resources do (parts.ts). */
const stamp = (resource: Resource, scope: Scope): Resource =>
  scope.id && resource.scope !== scope.id ? { ...resource, scope: scope.id } : resource;

const capitalized = (text: string) => `${text[0].toUpperCase()}${text.slice(1)}`;
