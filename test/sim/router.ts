// A tiny route table: method + path pattern → handler. Patterns:
//   `:name`   a whole segment                  /resources/:id
//   `{name}`  part of a segment                /instances/{id}:start  (Google/Azure custom verbs)
//   `*`       as the last segment, the rest    /files/*  → params['*']
// Paths are compared with repeated slashes collapsed and a trailing slash ignored, because real APIs
// are loose about both (Vast.ai's `/instances/`, Azure SDKs emitting `//`).
import type { SimHandler, SimState } from './types';

export type PathMatcher = (path: string) => Record<string, string> | null;

export interface RouteOptions {
  /** Served without the cloud's auth check (token endpoints, health). */
  readonly public?: boolean;
}

export interface Route<S extends SimState> {
  readonly method: string;
  readonly pattern: string;
  readonly handler: SimHandler<S>;
  readonly public: boolean;
  readonly match: PathMatcher;
}

export function normalizePath(path: string): string {
  const collapsed = path.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 && collapsed.endsWith('/') ? collapsed.slice(0, -1) : collapsed || '/';
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compilePattern(pattern: string): PathMatcher {
  const names: string[] = [];
  const segments = normalizePath(pattern).split('/').slice(1);
  const parts = segments.map((segment, i) => {
    if (segment === '*' && i === segments.length - 1) {
      names.push('*');
      return '(.*)';
    }
    if (segment.startsWith(':')) {
      names.push(segment.slice(1));
      return '([^/]+)';
    }
    // Split on {name} and escape the literal pieces around them.
    return segment
      .split(/(\{[A-Za-z_][A-Za-z0-9_]*\})/)
      .map((piece) => {
        if (/^\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(piece)) {
          names.push(piece.slice(1, -1));
          return '([^/]+?)';
        }
        return escapeRegExp(piece);
      })
      .join('');
  });
  const regex = new RegExp(`^/${parts.join('/')}$`);
  return (path) => {
    const m = regex.exec(normalizePath(path));
    if (!m) return null;
    const params: Record<string, string> = {};
    names.forEach((name, i) => {
      const raw = m[i + 1] ?? '';
      try {
        params[name] = decodeURIComponent(raw);
      } catch {
        params[name] = raw; // a malformed %-escape is the handler's business, not a crash
      }
    });
    return params;
  };
}

export interface RouteMatch<S extends SimState> {
  readonly route: Route<S>;
  readonly params: Record<string, string>;
}

export class Router<S extends SimState> {
  private readonly table: Route<S>[] = [];

  add(method: string, pattern: string, handler: SimHandler<S>, options: RouteOptions = {}): this {
    this.table.push({
      method: method.toUpperCase(),
      pattern,
      handler,
      public: options.public ?? false,
      match: compilePattern(pattern),
    });
    return this;
  }

  get(pattern: string, handler: SimHandler<S>, options?: RouteOptions): this {
    return this.add('GET', pattern, handler, options);
  }

  post(pattern: string, handler: SimHandler<S>, options?: RouteOptions): this {
    return this.add('POST', pattern, handler, options);
  }

  put(pattern: string, handler: SimHandler<S>, options?: RouteOptions): this {
    return this.add('PUT', pattern, handler, options);
  }

  patch(pattern: string, handler: SimHandler<S>, options?: RouteOptions): this {
    return this.add('PATCH', pattern, handler, options);
  }

  delete(pattern: string, handler: SimHandler<S>, options?: RouteOptions): this {
    return this.add('DELETE', pattern, handler, options);
  }

  /** First route in declaration order wins, so declare literal paths before parameterized ones. */
  match(method: string, path: string): RouteMatch<S> | undefined {
    const upper = method.toUpperCase();
    for (const route of this.table) {
      if (route.method !== upper && !(upper === 'HEAD' && route.method === 'GET')) continue;
      const params = route.match(path);
      if (params) return { route, params };
    }
    return undefined;
  }

  routes(): readonly Route<S>[] {
    return this.table;
  }
}
