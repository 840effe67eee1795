// The fault plan: what should go wrong, on which route, how many times. Rules are consulted in the order
// they were added; the first matching rule with uses left fires. So several rules on one route form a
// queue (each consumed in turn), and a rule with `times: Infinity` is sticky until cleared.
import { compilePattern, type PathMatcher } from './router';

/** A status answer. Without `body` the cloud's own error shape for that status is used. */
export interface StatusFault {
  readonly kind?: 'status';
  readonly status: number;
  /** e.g. `{ 'Retry-After': '2' }` */
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as text/plain (unless headers set a content-type); anything else as JSON. */
  readonly body?: unknown;
  readonly times?: number;
}

export type Fault =
  | StatusFault
  /** Destroy the socket with a TCP RST and no response: the client sees ECONNRESET. */
  | { readonly kind: 'reset'; readonly times?: number }
  /** Never answer; the socket is released when the sim closes. */
  | { readonly kind: 'hang'; readonly times?: number }
  /** 200 with a body that is not valid JSON. */
  | { readonly kind: 'malformed'; readonly times?: number }
  /** The route's real answer, but Content-Length promises more than is sent before the socket ends. */
  | { readonly kind: 'truncated'; readonly times?: number }
  /** The route handler gets `req.emptyPage = true` and answers with an empty page. */
  | { readonly kind: 'empty-page'; readonly times?: number }
  /** A redirect (default 302) to `to`, an absolute URL: a client that follows it sends the request there. */
  | { readonly kind: 'redirect'; readonly to: string; readonly status?: 301 | 302 | 303 | 307 | 308; readonly times?: number }
  /** Answer normally after an extra delay. */
  | { readonly kind: 'delay'; readonly ms: number; readonly times?: number };

export type FaultKind = NonNullable<Fault['kind']>;

export const faultKind = (fault: Fault): FaultKind => fault.kind ?? 'status';

/**
 * Which requests a rule applies to: `'*'` (every request of the cloud), `'GET /resources/:id'`,
 * `'/resources'` (any method), or `{ method, path }`. Paths use the router's pattern syntax and are
 * matched against the request path, so a route pattern matches all its requests and a concrete path
 * only itself. The object form may also name query parameters the request must carry (`{ org_id: 'org-1' }`), for
 * APIs that scope by query rather than by path.
 */
export type FaultMatch = string | { readonly method?: string; readonly path?: string; readonly query?: Readonly<Record<string, string>> };

export interface FaultRule {
  /** A cloud id, or '*' for every cloud. */
  readonly cloud: string;
  readonly match: FaultMatch;
  readonly fault: Fault;
  /** Uses left (Infinity for sticky rules). */
  remaining: number;
  /** How many requests this rule has hit. */
  hits: number;
}

export interface RequestMatcher {
  readonly method?: string;
  readonly path?: PathMatcher;
  readonly query?: Readonly<Record<string, string>>;
}

/** Parses `'GET /x'`, `'/x'`, `'*'` or `{ method, path }`; shared with the request log's count(). */
export function parseMatch(match: FaultMatch): RequestMatcher {
  if (typeof match !== 'string') {
    return {
      ...(match.method && match.method !== '*' ? { method: match.method.toUpperCase() } : {}),
      ...(match.path && match.path !== '*' ? { path: compilePattern(match.path) } : {}),
      ...(match.query ? { query: match.query } : {}),
    };
  }
  const trimmed = match.trim();
  if (trimmed === '*' || trimmed === '') return {};
  const m = /^([A-Za-z]+|\*)\s+(\S+)$/.exec(trimmed);
  if (m) return parseMatch({ method: m[1], path: m[2] });
  return { path: compilePattern(trimmed) };
}

export function matches(matcher: RequestMatcher, method: string, path: string, query?: URLSearchParams): boolean {
  if (matcher.method && matcher.method !== method.toUpperCase()) return false;
  if (matcher.query && !Object.entries(matcher.query).every(([k, v]) => query?.get(k) === v)) return false;
  return !matcher.path || matcher.path(path) !== null;
}

interface LiveRule extends FaultRule {
  readonly matcher: RequestMatcher;
}

export class FaultPlan {
  private rules: LiveRule[] = [];

  /** Adds a rule and returns it, so a test can read `hits` or `remaining` afterwards. */
  add(cloudId: string, match: FaultMatch, fault: Fault): FaultRule {
    const times = fault.times ?? 1;
    if (!(times > 0)) throw new Error(`fault times must be > 0, got ${times}`);
    if (fault.kind === 'delay' && !(fault.ms >= 0)) throw new Error(`delay fault needs ms >= 0`);
    const rule: LiveRule = { cloud: cloudId, match, fault, remaining: times, hits: 0, matcher: parseMatch(match) };
    this.rules.push(rule);
    return rule;
  }

  /** Removes every rule, or only one cloud's. */
  clear(cloudId?: string): void {
    this.rules = cloudId === undefined ? [] : this.rules.filter((r) => r.cloud !== cloudId);
  }

  /** Rules that still have uses left. */
  pending(): readonly FaultRule[] {
    return this.rules.filter((r) => r.remaining > 0);
  }

  /** Consumes one use of the first matching rule (called once per request by the server). */
  take(cloudId: string, method: string, path: string, query?: URLSearchParams): Fault | undefined {
    const rule = this.rules.find(
      (r) => r.remaining > 0 && (r.cloud === '*' || r.cloud === cloudId) && matches(r.matcher, method, path, query),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    rule.hits += 1;
    return rule.fault;
  }
}
