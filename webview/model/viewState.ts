// What the dashboard remembers across hide/show and window reloads (vscode.getState/setState, restored by
// the panel serializer): the active tab, each table's sort and filter, and the price filters. What comes
// back from getState is treated like any input: read field by field, anything odd falls back to defaults.
import type { SortState } from './table';

export interface DashboardViewState {
  /** `overview`, `prices` or `cloud:<id>`. */
  readonly tab: string;
  /** Per table id (the tab id of the table). */
  readonly sorts: Readonly<Record<string, SortState>>;
  readonly filters: Readonly<Record<string, string>>;
  readonly priceModel: string;
  /** 0 = any memory. */
  readonly priceMinMemoryGb: number;
}

export const DEFAULT_VIEW_STATE: DashboardViewState = { tab: 'overview', sorts: {}, filters: {}, priceModel: '', priceMinMemoryGb: 0 };

const MAX_TEXT = 200;
const MAX_ENTRIES = 50;
const ID = /^[a-z0-9:_.-]{1,80}$/i;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.length <= MAX_TEXT ? v : undefined);

function entries<T>(v: unknown, read: (x: unknown) => T | undefined): Record<string, T> {
  const out: Record<string, T> = {};
  if (!isObj(v)) return out;
  for (const [key, value] of Object.entries(v).slice(0, MAX_ENTRIES)) {
    const parsed = read(value);
    if (ID.test(key) && parsed !== undefined) out[key] = parsed;
  }
  return out;
}

function readSort(v: unknown): SortState | undefined {
  if (!isObj(v) || typeof v.column !== 'string' || typeof v.descending !== 'boolean' || v.column.length > MAX_TEXT) return undefined;
  return { column: v.column, descending: v.descending };
}

export function readViewState(v: unknown): DashboardViewState {
  if (!isObj(v)) return DEFAULT_VIEW_STATE;
  const tab = text(v.tab);
  const memory = v.priceMinMemoryGb;
  return {
    tab: tab !== undefined && ID.test(tab) ? tab : DEFAULT_VIEW_STATE.tab,
    sorts: entries(v.sorts, readSort),
    filters: entries(v.filters, text),
    priceModel: text(v.priceModel) ?? '',
    priceMinMemoryGb: typeof memory === 'number' && Number.isFinite(memory) && memory >= 0 && memory <= 10_000 ? memory : 0,
  };
}

export function withSort(state: DashboardViewState, table: string, sort: SortState): DashboardViewState {
  return { ...state, sorts: { ...state.sorts, [table]: sort } };
}

export function withFilter(state: DashboardViewState, table: string, filter: string): DashboardViewState {
  return { ...state, filters: { ...state.filters, [table]: filter.slice(0, MAX_TEXT) } };
}
