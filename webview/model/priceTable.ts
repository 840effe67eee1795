// The cross-cloud GPU price comparison: one row per normalized GPU key, one column per cloud with offers,
// each cell the cheapest on-demand and spot price per GPU-hour with its availability. The cheapest cell of
// a row is the lowest on-demand price (spot is interruptible, so it only decides when no cloud sells that
// GPU on demand). Plus, for every running GPU instance, the cheapest equivalent (same key × same count).
import { formatPricePerHour, plainText } from '../../src/core/model/describe';
import { CLOUD_IDS, CLOUD_NAMES, SPOT_UNPUBLISHED, type CloudId, type GpuOffer, type Snapshot } from '../../src/core/model/model';
import { textKey, type Cell, type Column, type SortKey, type TableData } from './table';

export interface PriceCell {
  readonly onDemand?: GpuOffer;
  readonly spot?: GpuOffer;
}

export interface PriceRow {
  readonly gpuKey: string;
  readonly memoryGb?: number;
  readonly cells: Readonly<Partial<Record<CloudId, PriceCell>>>;
  /** The cloud whose cell stands out, and the price that decided it. */
  readonly cheapest?: { readonly cloud: CloudId; readonly price: number; readonly pricing: GpuOffer['pricing'] };
}

export interface PriceComparison {
  /** Clouds that offered at least one GPU, in the usual cloud order. */
  readonly clouds: readonly CloudId[];
  readonly rows: readonly PriceRow[];
}

/** Memory per GPU from the key's suffix (`H100-SXM-80GB` → 80). */
export function memoryOfKey(gpuKey: string): number | undefined {
  const m = /-(\d+(?:\.\d+)?)GB$/i.exec(gpuKey);
  return m ? Number(m[1]) : undefined;
}

function allOffers(snapshot: Snapshot): GpuOffer[] {
  return CLOUD_IDS.flatMap((cloud) => snapshot.outcomes[cloud]?.offers ?? []);
}

function cheapestOf(cell: PriceCell | undefined, pricing: GpuOffer['pricing']): number | undefined {
  return (pricing === 'on-demand' ? cell?.onDemand : cell?.spot)?.pricePerGpuHour;
}

export function comparePrices(snapshot: Snapshot): PriceComparison {
  const byKey = new Map<string, Partial<Record<CloudId, { onDemand?: GpuOffer; spot?: GpuOffer }>>>();
  const clouds = new Set<CloudId>();
  for (const offer of allOffers(snapshot)) {
    clouds.add(offer.cloud);
    const cells = byKey.get(offer.gpuKey) ?? {};
    byKey.set(offer.gpuKey, cells);
    const cell = (cells[offer.cloud] ??= {});
    const slot = offer.pricing === 'on-demand' ? 'onDemand' : 'spot';
    const held = cell[slot];
    if (!held || offer.pricePerGpuHour < held.pricePerGpuHour) cell[slot] = offer;
  }
  const rows = [...byKey.entries()].map(([gpuKey, cells]): PriceRow => {
    const memoryGb = memoryOfKey(gpuKey);
    let cheapest: PriceRow['cheapest'];
    for (const pricing of ['on-demand', 'spot'] as const) {
      for (const cloud of CLOUD_IDS) {
        const price = cheapestOf(cells[cloud], pricing);
        if (price !== undefined && (cheapest === undefined || price < cheapest.price)) cheapest = { cloud, price, pricing };
      }
      if (cheapest) break;
    }
    return { gpuKey, ...(memoryGb !== undefined ? { memoryGb } : {}), cells, ...(cheapest ? { cheapest } : {}) };
  });
  rows.sort((a, b) => a.gpuKey.localeCompare(b.gpuKey));
  return { clouds: CLOUD_IDS.filter((c) => clouds.has(c)), rows };
}

export interface PriceFilter {
  /** Text the key must contain (case-insensitive), e.g. "h100" or "4090". */
  readonly model: string;
  /** Minimum memory per GPU in GB; 0 = any. */
  readonly minMemoryGb: number;
}

export function filterPrices(rows: readonly PriceRow[], filter: PriceFilter): PriceRow[] {
  const terms = filter.model.toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((r) => {
    const key = r.gpuKey.toLowerCase();
    if (!terms.every((t) => key.includes(t))) return false;
    return filter.minMemoryGb <= 0 || (r.memoryGb !== undefined && r.memoryGb >= filter.minMemoryGb);
  });
}

const AVAILABILITY_WORDS: Readonly<Record<GpuOffer['availability'], string>> = {
  high: 'high availability',
  medium: 'medium availability',
  low: 'low availability',
  none: 'none available',
  unknown: 'availability unknown',
};

function offerLine(offer: GpuOffer): string {
  const tier = offer.tier ? ` (${plainText(offer.tier, 40)})` : '';
  return `${formatPricePerHour(offer.pricePerGpuHour)} ${offer.pricing}${tier}`;
}

/** A price cell as text: on-demand line, spot line, availability; the cheapest cell says so in words. */
export function priceCell(row: PriceRow, cloud: CloudId): Cell {
  const cell = row.cells[cloud];
  if (!cell || (!cell.onDemand && !cell.spot))
    return { text: '—', mark: 'muted', title: `${CLOUD_NAMES[cloud]} has no offer for ${row.gpuKey}` };
  const lines = [cell.onDemand, cell.spot].filter((o): o is GpuOffer => o !== undefined).map(offerLine);
  // No spot line would read as "no spot on offer"; where the cloud's API has no spot price at all, a short "n/a"
  // (its column header's tooltip says why, once, as the CLI's footnote does).
  if (!cell.spot && SPOT_UNPUBLISHED[cloud]) lines.push('spot: n/a');
  const main = cell.onDemand ?? cell.spot;
  if (main) lines.push(AVAILABILITY_WORDS[main.availability]);
  const best = row.cheapest?.cloud === cloud ? row.cheapest : undefined;
  const [first, ...rest] = best ? [`★ cheapest: ${lines[0]}`, ...lines.slice(1)] : lines;
  return {
    text: first,
    lines: rest,
    ...(best ? { mark: 'best' as const, title: `Cheapest ${best.pricing} price for ${row.gpuKey}` } : {}),
  };
}

/** The comparison as a sortable table: GPU, memory, cheapest, then a column per cloud (sorted by its best price). */
export function priceTable(comparison: PriceComparison, rows: readonly PriceRow[]): TableData {
  const columns: Column[] = [
    { id: 'gpu', label: 'GPU', numeric: false },
    { id: 'memory', label: 'Memory', numeric: true, description: 'GPU memory in GB' },
    {
      id: 'cheapest',
      label: 'Cheapest',
      numeric: true,
      description: 'Cheapest on-demand price per GPU-hour (spot when nobody sells it on demand)',
    },
    ...comparison.clouds.map((c) => ({
      id: `cloud:${c}`,
      label: CLOUD_NAMES[c],
      numeric: true,
      description: `${CLOUD_NAMES[c]}: cheapest price per GPU-hour${SPOT_UNPUBLISHED[c] ? ` (spot: ${SPOT_UNPUBLISHED[c]})` : ''}`,
    })),
  ];
  return {
    columns,
    rows: rows.map((row) => {
      const cells: Cell[] = [
        { text: plainText(row.gpuKey, 80) },
        row.memoryGb !== undefined ? { text: `${row.memoryGb} GB` } : { text: '—', mark: 'muted' },
        row.cheapest
          ? { text: `${formatPricePerHour(row.cheapest.price)} on ${CLOUD_NAMES[row.cheapest.cloud]}`, lines: [row.cheapest.pricing] }
          : { text: '—', mark: 'muted' },
        ...comparison.clouds.map((c) => priceCell(row, c)),
      ];
      const keys: SortKey[] = [
        textKey(row.gpuKey),
        row.memoryGb,
        row.cheapest?.price,
        ...comparison.clouds.map((c) => cheapestOf(row.cells[c], 'on-demand') ?? cheapestOf(row.cells[c], 'spot')),
      ];
      return { id: row.gpuKey, cells: () => cells, keys, haystack: row.gpuKey.toLowerCase() };
    }),
  };
}

export interface Equivalent {
  readonly cloud: CloudId;
  readonly resourceId: string;
  readonly name: string;
  readonly pricePerHour: number;
  readonly gpuKey?: string;
  readonly gpuCount: number;
  /** The cheapest on-demand offer for the same key × count (spot when there is no on-demand one). */
  readonly cheapest?: {
    readonly cloud: CloudId;
    readonly pricePerHour: number;
    readonly pricing: GpuOffer['pricing'];
    readonly tier?: string;
  };
}

/** Every running GPU instance with a price, next to the cheapest equivalent any cloud offers now. */
export function equivalents(snapshot: Snapshot): Equivalent[] {
  const offers = allOffers(snapshot);
  const out: Equivalent[] = [];
  for (const cloud of CLOUD_IDS) {
    for (const r of snapshot.outcomes[cloud]?.resources ?? []) {
      if (r.status !== 'running' || !r.gpu || r.pricePerHour === undefined) continue;
      const key = r.gpu.key;
      const count = r.gpu.count;
      let best: GpuOffer | undefined;
      for (const pricing of ['on-demand', 'spot'] as const) {
        for (const o of offers) {
          if (o.gpuKey === key && o.pricing === pricing && (!best || o.pricePerGpuHour < best.pricePerGpuHour)) best = o;
        }
        if (best) break;
      }
      out.push({
        cloud,
        resourceId: r.id,
        name: r.name,
        pricePerHour: r.pricePerHour,
        gpuCount: count,
        ...(key ? { gpuKey: key } : {}),
        ...(best
          ? {
              cheapest: {
                cloud: best.cloud,
                pricePerHour: best.pricePerGpuHour * count,
                pricing: best.pricing,
                ...(best.tier ? { tier: best.tier } : {}),
              },
            }
          : {}),
      });
    }
  }
  return out;
}

/** "you pay $4.78/h; the cheapest equivalent now is $3.98/h on RunPod" */
export function equivalentSentence(e: Equivalent): string {
  const pay = `you pay ${formatPricePerHour(e.pricePerHour)}`;
  if (!e.gpuKey) return `${pay}; this GPU has no normalized name, so no offer compares`;
  if (!e.cheapest) return `${pay}; no cloud offers ${e.gpuCount}× ${plainText(e.gpuKey, 60)} right now`;
  const where = `${CLOUD_NAMES[e.cheapest.cloud]}${e.cheapest.tier ? ` ${plainText(e.cheapest.tier, 40)}` : ''}${e.cheapest.pricing === 'spot' ? ' (spot)' : ''}`;
  return `${pay}; the cheapest equivalent now is ${formatPricePerHour(e.cheapest.pricePerHour)} on ${where}`;
}
