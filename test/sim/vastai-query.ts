// Vast.ai's query language as the simulated server applies it: filter objects (`{"gpu_name": {"eq": "RTX 4090"}}`),
// order directives, and the v1 list's keyset tokens (base64 JSON `{"values": {"id": 123}}`, as in the docs' example).

export type Row = Record<string, unknown>;

export class QueryError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_token',
    message: string,
  ) {
    super(message);
  }
}

const OPS = new Set(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'notin']);

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1; // nulls last
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return JSON.stringify(a) < JSON.stringify(b) ? -1 : 1;
}

function test(value: unknown, op: string, operand: unknown): boolean {
  switch (op) {
    case 'eq':
      return value === operand;
    case 'neq':
      return value !== operand;
    case 'gt':
      return compare(value, operand) > 0 && value !== null;
    case 'gte':
      return compare(value, operand) >= 0 && value !== null;
    case 'lt':
      return compare(value, operand) < 0 && value !== null;
    case 'lte':
      return compare(value, operand) <= 0 && value !== null;
    case 'in':
      return Array.isArray(operand) && operand.includes(value);
    default:
      return Array.isArray(operand) && !operand.includes(value); // notin
  }
}

/**
 * Applies `{field: {op: value}}` filters. `allowed` says whether a field may be filtered on; others give the
 * documented 400 ("<field> is not a valid search key").
 */
export function applyFilters<T extends Row>(rows: readonly T[], filters: unknown, allowed: (field: string) => boolean): T[] {
  if (filters === null || typeof filters !== 'object' || Array.isArray(filters)) {
    throw new QueryError('invalid_request', 'Error in query parameters: select_filters must be a JSON object');
  }
  const checks: [string, string, unknown][] = [];
  for (const [field, condition] of Object.entries(filters as Row)) {
    if (!allowed(field)) throw new QueryError('invalid_request', `Error in query parameters: ${field} is not a valid search key`);
    if (condition === null || typeof condition !== 'object')
      throw new QueryError('invalid_request', `Error in query parameters: ${field} needs an operator object`);
    for (const [op, operand] of Object.entries(condition as Row)) {
      if (!OPS.has(op)) throw new QueryError('invalid_request', `Error in query parameters: unknown operator ${op}`);
      checks.push([field, op, operand]);
    }
  }
  return rows.filter((row) => checks.every(([field, op, operand]) => test(row[field], op, operand)));
}

export interface OrderBy {
  readonly col: string;
  readonly desc: boolean;
}

/** `[{"col":"id","dir":"asc"}]` → directives with `id` appended as the tiebreaker, as the server does. */
export function parseOrderBy(raw: unknown, columns: ReadonlySet<string>): OrderBy[] {
  if (!Array.isArray(raw)) throw new QueryError('invalid_request', 'Error in query parameters: order_by must be a JSON array');
  const out: OrderBy[] = [];
  for (const d of raw) {
    const col = (d as Row | null)?.col;
    if (typeof col !== 'string' || !columns.has(col)) {
      throw new QueryError('invalid_request', `Error in query parameters: ${String(col)} is not a valid order column`);
    }
    out.push({ col, desc: (d as Row).dir === 'desc' }); // anything but desc is asc
  }
  if (!out.some((o) => o.col === 'id')) out.push({ col: 'id', desc: false });
  return out;
}

export function sortRows<T extends Row>(rows: T[], order: readonly OrderBy[]): T[] {
  return rows.sort((a, b) => {
    for (const { col, desc } of order) {
      const c = compare(a[col], b[col]);
      if (c !== 0) return desc ? -c : c;
    }
    return 0;
  });
}

export function encodeToken(row: Row, order: readonly OrderBy[]): string {
  const values = Object.fromEntries(order.map(({ col }) => [col, row[col] ?? null]));
  return Buffer.from(JSON.stringify({ values })).toString('base64');
}

/** The values of the last row seen; anything that is not a token this server made is the documented 400. */
export function decodeToken(token: string, order: readonly OrderBy[]): Row {
  let values: unknown;
  try {
    if (!/^[A-Za-z0-9+/]+=*$/.test(token)) throw new Error('not base64');
    values = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as Row).values;
  } catch {
    throw new QueryError('invalid_token', 'Invalid after_token');
  }
  if (values === null || typeof values !== 'object' || order.some(({ col }) => !(col in (values as Row)))) {
    throw new QueryError('invalid_token', 'Invalid after_token');
  }
  return values as Row;
}

/** Rows strictly after the token's position in this order. */
export function after<T extends Row>(rows: readonly T[], last: Row, order: readonly OrderBy[]): T[] {
  return rows.filter((row) => {
    for (const { col, desc } of order) {
      const c = compare(row[col], last[col]);
      if (c !== 0) return desc ? c < 0 : c > 0;
    }
    return false;
  });
}

/** Parses a JSON-encoded query value; `fallback` when absent. */
export function jsonParam(query: URLSearchParams, name: string, fallback: unknown): unknown {
  const raw = query.get(name);
  if (raw === null) return fallback;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new QueryError('invalid_request', `Error in query parameters: ${name} is not valid JSON`);
  }
}
