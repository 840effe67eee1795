// `--json`: the snapshot in the seed's shape (timestamp, duration, providers.<cloud>.{resources, metrics,
// cached}, errors) plus schemaVersion and totals. This is a stable interface for scripts: fields are only ever
// added; a rename or removal bumps schemaVersion. Credentials are not in a snapshot, so none can appear here.
import type { ScopeOutcome } from '../../core/model/scope';
import type {
  CloudId,
  CredentialSource,
  ErrorCategory,
  GpuOffer,
  OutcomeState,
  OutcomeWarning,
  Resource,
  ResourceMetrics,
  Snapshot,
  SnapshotNotice,
  SnapshotTotals,
} from '../../core/model/model';
import { UNSAFE_BEYOND_C0 } from '../../core/model/unsafe-text';

export const JSON_SCHEMA_VERSION = 1;

export interface JsonProvider {
  readonly state: OutcomeState;
  readonly resources: readonly Resource[];
  readonly metrics: Readonly<Record<string, ResourceMetrics>>;
  readonly offers: readonly GpuOffer[];
  /** Served from the cache rather than fetched by this run. */
  readonly cached: boolean;
  /** The newest attempt failed; the data is the last good one. */
  readonly stale: boolean;
  /** ISO 8601 time the data was fetched from the cloud. */
  readonly fetchedAt?: string;
  /** Parts not refreshed although the cloud answered (they keep their last good values); absent when none. */
  readonly warnings?: readonly OutcomeWarning[];
  /** When the metrics shown were fetched, if older than fetchedAt (carried over after a failed metrics call). */
  readonly metricsFetchedAt?: string;
  readonly credentialSource?: CredentialSource;
  readonly durationMs: number;
  /** Each scope shown (account, organization, subscription …) with its state, error and fetchedAt; absent for a cloud of one scope. */
  readonly scopes?: readonly ScopeOutcome[];
  /** How many scopes the credential can read (scopes lists those shown). */
  readonly scopesAvailable?: number;
  readonly scopesHidden?: readonly string[];
}

export interface JsonError {
  readonly category: ErrorCategory;
  readonly message: string;
  readonly retryAfterMs?: number;
}

export interface JsonDocument {
  readonly schemaVersion: typeof JSON_SCHEMA_VERSION;
  readonly timestamp: string;
  /** Milliseconds the refresh took. */
  readonly duration: number;
  readonly providers: Partial<Record<CloudId, JsonProvider>>;
  readonly errors: Partial<Record<CloudId, JsonError>>;
  readonly totals: SnapshotTotals;
  /**
   * What holds for the whole run: `{ kind: 'shared-cache', message }` while Redis is unavailable (the cache and rate
   * budgets are this process's own). Absent when there is nothing to say; added in schemaVersion 1.
   */
  readonly notices?: readonly SnapshotNotice[];
}

export function toJsonDocument(snapshot: Snapshot, clouds: readonly CloudId[]): JsonDocument {
  const providers: Partial<Record<CloudId, JsonProvider>> = {};
  const errors: Partial<Record<CloudId, JsonError>> = {};
  for (const cloud of clouds) {
    const o = snapshot.outcomes[cloud];
    if (!o) continue;
    providers[cloud] = {
      state: o.state,
      resources: o.resources,
      metrics: o.metrics,
      offers: o.offers,
      cached: o.fromCache,
      stale: o.stale,
      ...(o.fetchedAt ? { fetchedAt: o.fetchedAt } : {}),
      ...(o.warnings?.length ? { warnings: o.warnings } : {}),
      ...(o.metricsFetchedAt ? { metricsFetchedAt: o.metricsFetchedAt } : {}),
      ...(o.credentialSource ? { credentialSource: o.credentialSource } : {}),
      durationMs: o.durationMs,
      ...(o.scopes ? { scopes: o.scopes, scopesAvailable: o.scopesAvailable ?? o.scopes.length } : {}),
      ...(o.scopesHidden ? { scopesHidden: o.scopesHidden } : {}),
    };
    if (o.state === 'error' && o.error) {
      errors[cloud] = {
        category: o.error.category,
        message: o.error.message,
        ...(o.error.retryAfterMs !== undefined ? { retryAfterMs: o.error.retryAfterMs } : {}),
      };
    }
  }
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    timestamp: snapshot.timestamp,
    duration: snapshot.durationMs,
    providers,
    errors,
    totals: snapshot.totals,
    ...(snapshot.notices?.length ? { notices: snapshot.notices } : {}),
  };
}

// JSON.stringify escapes C0 controls but passes DEL, C1 controls, bidi overrides and line separators through
// raw (core/model/unsafe-text.ts). They can only occur inside strings, so escaping them as \uXXXX keeps the document identical for a
// parser while a terminal that shows it (`cloudtop --json` without a pipe) never acts on them.

/** One document (this one, or stop/start's): indented for reading, or a single line for NDJSON (`--refresh` with `--json`). */
export function serializeJson(document: JsonDocument | object, { pretty }: { pretty: boolean }): string {
  const text = JSON.stringify(document, null, pretty ? 2 : undefined);
  return `${text.replace(UNSAFE_BEYOND_C0, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
