// The contract every cloud implements (one folder per cloud under src/providers/).
// Providers map wire format to the model; they never render, never import `vscode`, never retry on their
// own (the collector's retry is the only one) and take an AbortSignal on every call.
import type { CloudId, GpuOffer, MetricsWindow, Resource, ResourceGroup, ResourceMetrics, ResourceStatus } from '../model/model';
import type { HttpClient } from '../transport/http';
import type { Logger } from '../model/log';
import type { Scope } from '../model/scope';
import type { Credentials, TokenSource } from '../credentials/fields';
import type { Reference, ReferenceSpec } from './reference';
import { toCloudtopError } from '../errors/errors';

export type { Reference, ReferenceAnswer, ReferenceSpec } from './reference';
export type { AccessToken, Credentials, SignIn, TokenSource } from '../credentials/fields';

export const CAPABILITIES = ['compute', 'gpu', 'database', 'serverless', 'storage'] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface ResourceFilter {
  /** Only these service groups; all when absent. */
  readonly services?: readonly string[];
  /** Only GPU resources (`--gpu`). */
  readonly gpuOnly?: boolean;
}

/**
 * Which of a cloud's services a listing wants: every one when the filter names none, else those it names; with
 * `gpuOnly`, only `gpuService` (a cloud that passes none decides what `gpuOnly` leaves for itself).
 */
export function selectServices(filter: ResourceFilter, gpuService?: string): (service: string) => boolean {
  return (service) =>
    (!filter.services || filter.services.includes(service)) && (!filter.gpuOnly || gpuService === undefined || service === gpuService);
}

export interface MetricsRequest {
  readonly resources: readonly Resource[];
  readonly window: MetricsWindow;
  /** The scope the resources were listed in (absent: the cloud's sole scope). */
  readonly scope?: Scope;
}

/** What the collector hands a provider when it initializes it. */
export interface ProviderContext {
  readonly cloud: CloudId;
  /** Account, subscription, project or tenancy the limiter and cache are keyed on; '' when the cloud has one per key. */
  readonly account: string;
  /** Base URL (default, or the user's application-scoped override). */
  readonly endpoint: string;
  /**
   * The user's override (its origin or base URL, trailing slashes trimmed) when it differs from the catalogue's default
   * endpoint; undefined when the default applies. Set by live-providers.ts (`endpointOverrideOf`).
   */
  readonly endpointOverride?: string;
  readonly credentials: Credentials;
  /**
   * HTTP client whose requests go through the cloud's limiter and retry; `http.transport()` gives an SDK's HTTP hook
   * (or a request to another origin, a token endpoint) the same pipeline.
   */
  readonly http: HttpClient;
  /**
   * Declares a piece of reference data (a price list, compartments, VM sizes …) that the engine keeps for the provider:
   * cached in the engine's Cache under `name` (and the key the provider asks with), loaded once for concurrent asks,
   * renewed by a manual refresh, and kept after a failed load under a `reference` warning. Declare each once, in
   * initialize().
   */
  reference<T>(name: string, spec: ReferenceSpec<T>): Reference<T>;
  /** Non-secret per-cloud settings (e.g. the idle GPU threshold). */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly now: () => number;
  readonly log: Logger;
  /** Tokens from the front end's own sign-in for this cloud (credentialSource `sign-in`), when it has one. */
  readonly tokens?: TokenSource;
}

export interface Provider {
  readonly cloud: CloudId;
  readonly name: string;
  readonly capabilities: ReadonlySet<Capability>;
  /** Called once before any other call; may resolve the account (e.g. discover it from the API). */
  initialize(context: ProviderContext): Promise<void>;
  /**
   * Instead of initialize, for a cloud whose catalogue entry declares `publicOffers`: prepares the provider to list the
   * cloud's public GPU price catalogue without any credential (`context.credentials` is empty). Nothing but
   * listGpuOffers and close is called afterwards.
   */
  initializePublic?(context: ProviderContext): Promise<void>;
  /** One cheap authenticated call; throws a CloudtopError on failure. */
  healthCheck(signal: AbortSignal): Promise<void>;
  /** Service groups this cloud can show, in tree order. */
  listServices(): readonly string[];
  /**
   * The scopes the credential can read (accounts, organizations, subscriptions, projects, regions), when the cloud
   * has more than one; without it the cloud is one scope. The collector lists them once per refresh and fetches
   * each selected one on its own.
   */
  listScopes?(signal: AbortSignal): Promise<Scope[]>;
  /**
   * The resources of one scope (absent: the cloud's sole scope). A provider whose listing takes many pages may call
   * `listed` with everything mapped so far after each page: when the deadline ends the listing, that is shown rather
   * than nothing.
   */
  listResources(
    filter: ResourceFilter,
    signal: AbortSignal,
    scope?: Scope,
    listed?: (soFar: readonly Resource[]) => void,
  ): Promise<Resource[] | ResourceListing>;
  /**
   * Per-resource children: what costs a call (or a few) per listed resource, like Neon's branches and computes of
   * each project. With it, listResources returns the parents alone, quickly, and the collector asks for each
   * parent's children on its own — missing ones first, then the oldest — caching each parent's with their own
   * fetchedAt and TTL, as many as the rate budget allows before the scope's deadline; the rest keep their last
   * children and are renewed by the next refresh. Resolves undefined when the parent is gone since it was listed
   * (it is then not shown); a parent without children resolves `{ children: [] }`.
   */
  listChildren?(parent: Resource, filter: ResourceFilter, signal: AbortSignal, scope?: Scope): Promise<ResourceChildren | undefined>;
  /** What listChildren lists, for "<label> of 12 of 200 projects not fetched yet" (e.g. 'branches and computes'). */
  readonly childrenLabel?: string;
  /** Metrics keyed by resource id, fetched in batches: calls grow with pages, not with resources. */
  getMetrics(request: MetricsRequest, signal: AbortSignal): Promise<Record<string, ResourceMetrics>>;
  /** GPU prices anyone can rent now (capability `gpu`). */
  listGpuOffers?(signal: AbortSignal): Promise<GpuOffer[]>;
  /**
   * Sends the one write that asks the cloud to stop or start `resource` (a resource its catalogue entry's
   * `actions.supports` accepts), and resolves once the cloud has accepted it — not once the resource got there: the
   * front ends follow it with refreshes. Every request it makes is marked a write (`HttpRequest.write`, or
   * `transport.run(operation, call, { write: true })` around an SDK call), so the transport never tries it again
   * except after a 429. See core/engine/actions.ts.
   */
  act?(resource: Resource, action: ResourceAction, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** What Cloudtop can ask a cloud to do to a resource. No terminate, no delete. */
export const RESOURCE_ACTIONS = ['stop', 'start'] as const;
export type ResourceAction = (typeof RESOURCE_ACTIONS)[number];

/** The status an action leaves the resource in. */
export const ACTION_TARGET: Readonly<Record<ResourceAction, ResourceStatus>> = { stop: 'stopped', start: 'running' };

/**
 * What stopping a resource keeps costing and what it loses, per cloud, for the confirmation every front end shows
 * before a stop (and the CLI's --dry-run). Each line is complete as the user reads it.
 */
export interface StopTerms {
  /** What stays billed while it is stopped: "its 40 GB disk: $0.0083/h (Vast.ai bills storage while stopped)". */
  readonly keepsBilling: readonly string[];
  /** What stopping destroys: "the container disk (everything outside /workspace)". */
  readonly loses: readonly string[];
  /**
   * When stopping does not stop the resource's own bill (Oracle's GPU shapes other than A10), what to say instead:
   * the front ends show it as a warning, and the user decides.
   */
  readonly stillBilled?: string;
}

/**
 * A cloud's actions, declared in its catalogue entry (`CloudEntry.actions`), so a front end knows which resources
 * take Stop and Start — and what a stop costs — without loading the provider's bundle or its SDK. The provider's
 * `act` does the write. SDK-free, in the main bundle: src/providers/<cloud>/actions.ts.
 */
export interface CloudActions {
  /** What it stops and starts, in the user's words ("instances", "pods outside Instant Clusters", "computes"). */
  readonly subjects: string;
  /** Whether this resource can take the action at all (its kind and service; not whether it is already there). */
  supports(resource: Resource, action: ResourceAction): boolean;
  /** What stopping it keeps costing and loses. */
  stopTerms(resource: Resource): StopTerms;
  /**
   * Already in the action's target state, so nothing is sent. Default: its status is the target's
   * (ACTION_TARGET) — a cloud where a "stopped" resource may still be billed as running says otherwise here.
   */
  inTargetState?(resource: Resource, action: ResourceAction): boolean;
}

/**
 * What could not be listed while the rest of the scope was: a group (an OCI compartment), or one listing of several
 * (RunPod's network volumes, Azure's sites) with the service groups its resources fill. The collector shows each as a
 * `resources` warning naming it and keeps that group's or listing's last good resources.
 */
export type ListingProblem =
  | { readonly group: ResourceGroup; readonly error: unknown }
  | {
      readonly listing: string;
      /** The group it was listed in (OCI: a compartment's OKE clusters), when the cloud has groups. */
      readonly group?: ResourceGroup;
      readonly services: readonly string[];
      /** Which of those services' resources it lists, when not all (Neon's shared projects). */
      readonly keeps?: (resource: Resource) => boolean;
      readonly error: unknown;
    };

/** A listing in which some groups or listings could not be read: the others' resources, and each one's error. */
export interface ResourceListing {
  readonly resources: readonly Resource[];
  readonly problems: readonly ListingProblem[];
}

/** One of the listings a scope's resources take (listings()). */
export interface Listing<T> {
  /** The service groups its resources fill: when it fails, the scope's last good resources of these are kept. */
  readonly services: readonly string[];
  /** Which of those services' resources it lists, when not all (Neon's shared projects beside the user's own). */
  readonly keeps?: (resource: Resource) => boolean;
  /**
   * The listing the cloud is about (RunPod's pods, Azure's VMs, Cloudflare's Workers): when it fails the scope fails, as
   * when every listing fails, and the others are cancelled rather than spending the budget.
   */
  readonly primary?: boolean;
  /** Runs the listing; `signal` aborts with the caller's, or when another listing has failed the whole scope. */
  readonly list: (signal: AbortSignal) => Promise<T>;
}

/** What listings() got: each listing's answer by name (undefined when it was not run or failed), and its problems. */
export interface Listed<L extends Record<string, Listing<unknown> | undefined>> {
  readonly values: { readonly [K in keyof L]: NonNullable<L[K]> extends Listing<infer T> ? T | undefined : undefined };
  readonly problems: readonly ListingProblem[];
}

/**
 * A scope's listings, named as the user reads them ('Network volumes'), run concurrently; an undefined one (a service
 * the filter leaves out) is not run. One that fails becomes a problem (a `resources` warning keeping its last good
 * resources) while the others' resources stay current. The whole scope fails instead — with that error — on the
 * caller's abort, a rejected key (`auth`), a failing primary listing, or when every listing fails (the first one's error).
 */
export async function listings<L extends Record<string, Listing<unknown> | undefined>>(
  cloud: CloudId,
  signal: AbortSignal,
  named: L,
): Promise<Listed<L>> {
  const entries = Object.entries(named).filter((e): e is [string, Listing<unknown>] => e[1] !== undefined);
  // The listings' own signal: the caller's, or the error that fails the scope. A listener, removed at the end, rather
  // than AbortSignal.any on the caller's signal.
  const stop = new AbortController();
  const forward = () => stop.abort(signal.reason);
  if (signal.aborted) forward();
  else signal.addEventListener('abort', forward, { once: true });
  try {
    const settled = await Promise.allSettled(
      entries.map(async ([, listing]) => {
        try {
          return await listing.list(stop.signal);
        } catch (error) {
          const reason = toCloudtopError(error, cloud);
          if (!stop.signal.aborted && (listing.primary || reason.category === 'auth')) stop.abort(reason);
          throw reason;
        }
      }),
    );
    if (stop.signal.aborted) throw signal.aborted ? (firstFailure(settled) ?? signal.reason) : stop.signal.reason;
    const values: Record<string, unknown> = {};
    const problems: ListingProblem[] = [];
    settled.forEach((answer, i) => {
      const [name, listing] = entries[i];
      if (answer.status === 'fulfilled') values[name] = answer.value;
      else
        problems.push({
          listing: name,
          services: listing.services,
          ...(listing.keeps ? { keeps: listing.keeps } : {}),
          error: answer.reason,
        });
    });
    if (entries.length > 0 && problems.length === entries.length) throw problems[0].error;
    return { values: values as Listed<L>['values'], problems };
  } finally {
    signal.removeEventListener('abort', forward);
  }
}

const firstFailure = (settled: readonly PromiseSettledResult<unknown>[]): unknown =>
  settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')?.reason;

/** What one parent resource's own calls found (Neon: a project's branches and computes). */
export interface ResourceChildren {
  /** The parent as its children complete it (a project's status from its computes); absent: as listed. */
  readonly parent?: Resource;
  readonly children: readonly Resource[];
}

export type ProviderFactory = () => Provider;

/** The resources of a listing, whichever form the provider answered in. */
export function listedResources(answer: readonly Resource[] | ResourceListing): readonly Resource[] {
  return 'problems' in answer ? answer.resources : answer;
}
