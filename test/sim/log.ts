// Every request the sim received, for API-call assertions ("one refresh = 3 calls") and benchmarks.
// No credential ever enters the log: headers are not stored at all, and query parameters that carry
// keys are redacted, because logs end up in test output and CI artifacts.
import { matches, parseMatch, type FaultKind, type FaultMatch } from './faults';

export interface LogEntry {
  /** 1-based arrival order. */
  readonly seq: number;
  /** The cloud the request was for, or null when no cloud is mounted at its prefix. */
  readonly cloud: string | null;
  readonly method: string;
  /** Path below the cloud's mount. */
  readonly path: string;
  /** Query string with credential-bearing parameters redacted ('' when none). */
  readonly query: string;
  /** Matched route pattern, or null. */
  route: string | null;
  /** Response status; null while pending, and for reset and hang. */
  status: number | null;
  /** true/false when the cloud checked a credential, null when it did not (public route, no route). */
  authOk: boolean | null;
  fault?: FaultKind;
  /** Date.now() at arrival. */
  readonly at: number;
  durationMs?: number;
  /** Set when a handler threw. */
  error?: string;
}

const SECRET_PARAM = /^(api[_-]?key|key|token|access[_-]?token|secret|password|signature|sig|code)$/i;

export function redactQuery(query: URLSearchParams): string {
  const copy = new URLSearchParams();
  for (const [k, v] of query) copy.append(k, SECRET_PARAM.test(k) ? 'REDACTED' : v);
  return copy.toString();
}

export class RequestLog {
  private list: LogEntry[] = [];
  private nextSeq = 1;

  /** Called by the server on arrival; the returned entry is completed in place when the answer goes out. */
  record(cloud: string | null, method: string, path: string, query: URLSearchParams): LogEntry {
    const entry: LogEntry = {
      seq: this.nextSeq++,
      cloud,
      method,
      path,
      query: redactQuery(query),
      route: null,
      status: null,
      authOk: null,
      at: Date.now(),
    };
    this.list.push(entry);
    return entry;
  }

  entries(): readonly LogEntry[] {
    return [...this.list];
  }

  /**
   * Requests received, optionally for one cloud and one route. `route` is `'GET /resources'`,
   * `'/resources/:id'` (any method) or a concrete path, matched like fault rules.
   */
  count(cloudId?: string, route?: FaultMatch): number {
    const matcher = route === undefined ? undefined : parseMatch(route);
    return this.list.filter(
      (e) =>
        (cloudId === undefined || e.cloud === cloudId) && (!matcher || matches(matcher, e.method, e.path, new URLSearchParams(e.query))),
    ).length;
  }

  clear(): void {
    this.list = [];
  }
}
