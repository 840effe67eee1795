// A cloud is many scopes: Cloudflare accounts, Neon organizations, Azure subscriptions, Google projects, OCI regions.
// The collector's unit of work is (cloud, scope): each scope has its own deadline, cache entries, last good data and
// outcome, so one failing subscription never hides the others. A cloud without scopes has exactly one, SOLE_SCOPE.
import type { CloudId, ErrorCategory, OutcomeError, OutcomeWarning } from './model';

export const SCOPE_KINDS = ['account', 'organization', 'subscription', 'project', 'tenancy', 'compartment', 'region'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

export interface Scope {
  /** The cloud's own id: account id, `org-…`, subscription GUID, project id, region name. */
  readonly id: string;
  /** What the user calls it (shown as-is; it comes from the cloud). */
  readonly label: string;
  readonly kind: ScopeKind;
  /**
   * Whether the scope is shown when the user chose none: true unless the cloud says otherwise (OCI shows the
   * profile's region by default, and every subscribed region only when asked for `all`).
   */
  readonly selectedByDefault?: boolean;
}

export interface ScopeNames {
  /** The setting `cloudtop.<cloud>.<setting>` and the config-file key `clouds.<cloud>.<setting>` that choose them. */
  readonly setting: string;
  /** One of them, in messages: `subscription`. */
  readonly noun: string;
  readonly kind: ScopeKind;
  /**
   * Some of its scopes are left out by default (OCI shows the profile's region: reading every subscribed region at once
   * does not fit its rate budget and deadline): the views say how many are not shown and how to show them.
   */
  readonly narrowByDefault?: boolean;
}

/** What each cloud's scopes are called; a cloud not listed has one scope per credential. */
export const CLOUD_SCOPES: Readonly<Partial<Record<CloudId, ScopeNames>>> = {
  cloudflare: { setting: 'accounts', noun: 'account', kind: 'account' },
  neon: { setting: 'organizations', noun: 'organization', kind: 'organization' },
  azure: { setting: 'subscriptions', noun: 'subscription', kind: 'subscription' },
  gcp: { setting: 'projects', noun: 'project', kind: 'project' },
  oci: { setting: 'regions', noun: 'region', kind: 'region', narrowByDefault: true },
};

/** The id of the one scope of a cloud that lists none. */
export const SOLE_SCOPE_ID = '';

export function soleScope(label: string): Scope {
  return { id: SOLE_SCOPE_ID, label, kind: 'account' };
}

/** How one scope's refresh ended, beside the cloud's merged outcome. */
export interface ScopeOutcome {
  readonly id: string;
  readonly label: string;
  readonly kind: ScopeKind;
  readonly state: 'ok' | 'error';
  readonly error?: OutcomeError;
  /** ISO 8601 time its data was fetched from the cloud. */
  readonly fetchedAt?: string;
  readonly fromCache: boolean;
  /** The newest attempt failed; what it shows is its last good data. */
  readonly stale: boolean;
  readonly warnings?: readonly OutcomeWarning[];
  /** Its resource count (what it shows, last good data included). */
  readonly resourceCount: number;
  /** Chosen in the settings, but not a scope this credential can read (its error says so). */
  readonly unknown?: boolean;
}

/** The user's choice of scopes: the ids, `all`, or nothing (the cloud's defaults). */
export type ScopeChoice = readonly string[] | undefined;

export interface ScopeSelection {
  readonly selected: readonly Scope[];
  /** Ids the user asked for that the credential cannot read (shown as a not-found error each). */
  readonly missing: readonly string[];
  /** Every scope the credential can read. */
  readonly available: number;
}

export function selectScopes(all: readonly Scope[], choice: ScopeChoice): ScopeSelection {
  const wanted = (choice ?? []).map((id) => id.trim()).filter(Boolean);
  if (wanted.some((id) => id.toLowerCase() === 'all')) return { selected: all, missing: [], available: all.length };
  if (wanted.length === 0) return { selected: all.filter((s) => s.selectedByDefault !== false), missing: [], available: all.length };
  const byId = new Map(all.map((s) => [s.id, s]));
  return {
    selected: [...new Set(wanted)].map((id) => byId.get(id)).filter((s): s is Scope => s !== undefined),
    missing: [...new Set(wanted)].filter((id) => !byId.has(id)),
    available: all.length,
  };
}

export function missingScopeError(id: string, noun: string): { category: ErrorCategory; message: string } {
  return {
    category: 'not-found',
    message: `The ${noun} "${id}" is not one this credential can read. Check the id in Cloudtop's settings.`,
  };
}
