// The cross-cloud GPU price comparison: one row per normalized GPU key, one column per cloud with offers,
// each cell the cheapest on-demand price per GPU-hour on one line, spot and availability (where the cloud reports
// one) as a smaller second figure. The cheapest cell of
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

/** Availability in a word or two, where the cloud reports it; `unknown` (the cloud says nothing) shows nothing. */
const AVAILABILITY_WORDS: Readonly<Record<Exclude<GpuOffer['availability'], 'unknown'>, string>> = {
  high: 'in stock',
  medium: 'some stock',
  low: 'low stock',
  none: 'sold out',
};

function availabilityOf(offer: GpuOffer | undefined): string | undefined {
  return offer && offer.availability !== 'unknown' ? AVAILABILITY_WORDS[offer.availability] : undefined;
}

/** The GPUs the user is billed for now, per GPU key: how many GPUs, on which clouds, and the price per GPU-hour paid. */
export interface YouRun {
  readonly gpus: number;
  readonly byCloud: Readonly<Partial<Record<CloudId, number>>>;
  /** Average price per GPU-hour over the priced ones; undefined when none has a known price. */
  readonly paysPerGpuHour?: number;
}

/**
 * The billed GPU resources of the snapshot's totals (the engine's own rule: running, or billed while stopped), priced
 * or not, counted per GPU key. A GPU without a normalized key cannot be compared, so it is not counted here.
 */
export function youRun(snapshot: Snapshot): ReadonlyMap<string, YouRun> {
  const out = new Map<string, { gpus: number; byCloud: Partial<Record<CloudId, number>>; paid: number; pricedGpus: number }>();
  const add = (cloud: CloudId, gpu: { key?: string; count: number } | undefined, pricePerHour: number | undefined) => {
    if (!gpu?.key || !(gpu.count > 0)) return;
    const held = out.get(gpu.key) ?? { gpus: 0, byCloud: {}, paid: 0, pricedGpus: 0 };
    out.set(gpu.key, held);
    held.gpus += gpu.count;
    held.byCloud[cloud] = (held.byCloud[cloud] ?? 0) + gpu.count;
    if (pricePerHour !== undefined) {
      held.paid += pricePerHour;
      held.pricedGpus += gpu.count;
    }
  };
  for (const line of snapshot.totals.gpuSpend) add(line.cloud, line.gpu, line.pricePerHour);
  for (const line of snapshot.totals.unpricedGpu) add(line.cloud, line.gpu, undefined);
  return new Map(
    [...out].map(([key, r]) => [
      key,
      { gpus: r.gpus, byCloud: r.byCloud, ...(r.pricedGpus > 0 ? { paysPerGpuHour: r.paid / r.pricedGpus } : {}) },
    ]),
  );
}

/** The clouds in the table whose offers never say whether the GPU is available (the legend names them). */
export function cloudsWithoutAvailability(comparison: PriceComparison): CloudId[] {
  return comparison.clouds.filter((cloud) =>
    comparison.rows.every((row) => {
      const cell = row.cells[cloud];
      return !availabilityOf(cell?.onDemand) && !availabilityOf(cell?.spot);
    }),
  );
}

/**
 * A price cell on one line: the on-demand price per GPU-hour, then, smaller, the spot price and the availability
 * where the cloud reports one. The cheapest cell of a row starts with ★ (and says "cheapest" to a screen reader and in
 * its tooltip): a light mark, not a box, so the eye runs along the row.
 */
export function priceCell(row: PriceRow, cloud: CloudId, you?: YouRun): Cell {
  const cell = row.cells[cloud];
  const here = you?.byCloud[cloud];
  const ran = here ? [`you run ${here}`] : [];
  if (!cell || (!cell.onDemand && !cell.spot))
    return {
      text: '—',
      mark: 'muted',
      title: `${CLOUD_NAMES[cloud]} has no offer for ${row.gpuKey}`,
      ...(ran.length ? { secondary: ran.join(' · ') } : {}),
    };
  const main = cell.onDemand ?? cell.spot!;
  const best = row.cheapest?.cloud === cloud ? row.cheapest : undefined;
  const price = formatPricePerHour(main.pricePerGpuHour);
  const secondary = [
    ...(cell.onDemand ? [] : ['spot only']),
    ...(cell.onDemand && cell.spot ? [`spot ${formatPricePerHour(cell.spot.pricePerGpuHour)}`] : []),
    // Where the cloud's API has no spot price at all, "spot n/a" (the column's tooltip says why, once).
    ...(!cell.spot && SPOT_UNPUBLISHED[cloud] ? ['spot n/a'] : []),
    ...(availabilityOf(main) ? [availabilityOf(main)!] : []),
    ...ran,
  ];
  const tier = main.tier ? ` (${plainText(main.tier, 40)})` : '';
  const title = [
    `${CLOUD_NAMES[cloud]}: ${price} ${main.pricing}${tier} for ${row.gpuKey}`,
    ...(cell.onDemand && cell.spot
      ? [`spot ${formatPricePerHour(cell.spot.pricePerGpuHour)}${cell.spot.tier ? ` (${plainText(cell.spot.tier, 40)})` : ''}`]
      : []),
    ...(best ? [`the cheapest ${best.pricing} price of this GPU`] : []),
  ].join('; ');
  return {
    text: best ? `★ ${price}` : price,
    ...(secondary.length ? { secondary: secondary.join(' · ') } : {}),
    title,
    ...(best ? { mark: 'best' as const, srText: ' (cheapest)' } : {}),
  };
}

/** "you pay $4.10 per GPU-hour; $1.90 on Vast.ai" for the GPU cell's tooltip of a GPU the user runs. */
function youRunTitle(row: PriceRow, you: YouRun): string {
  const where = (Object.entries(you.byCloud) as [CloudId, number][]).map(([c, n]) => `${n} on ${CLOUD_NAMES[c]}`).join(', ');
  const pays = you.paysPerGpuHour !== undefined ? `, paying ${formatPricePerHour(you.paysPerGpuHour)} per GPU on average` : '';
  const elsewhere = row.cheapest
    ? `; the cheapest ${row.cheapest.pricing} price now is ${formatPricePerHour(row.cheapest.price)} on ${CLOUD_NAMES[row.cheapest.cloud]}`
    : '';
  return `You run ${you.gpus} of these (${where})${pays}${elsewhere}`;
}

/**
 * The comparison as a sortable table: GPU, memory, cheapest, then a column per cloud (sorted by its best price). A GPU
 * the user runs says "you run N" under its name, and the cloud cells where it runs say so too; those rows come first
 * until the user sorts, so the table answers "could I pay less for what I run?" at the top.
 */
export function priceTable(
  comparison: PriceComparison,
  rows: readonly PriceRow[],
  mine: ReadonlyMap<string, YouRun> = new Map(),
): TableData {
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
      description: `${CLOUD_NAMES[c]}: price per GPU-hour${SPOT_UNPUBLISHED[c] ? ` (spot: ${SPOT_UNPUBLISHED[c]})` : ''}`,
    })),
  ];
  const ordered = [...rows].sort((a, b) => Number(mine.has(b.gpuKey)) - Number(mine.has(a.gpuKey)));
  return {
    columns,
    rows: ordered.map((row) => {
      const you = mine.get(row.gpuKey);
      const cheaper = you?.paysPerGpuHour !== undefined && row.cheapest !== undefined && row.cheapest.price < you.paysPerGpuHour - 0.005;
      const cells: Cell[] = [
        {
          text: plainText(row.gpuKey, 80),
          ...(you ? { secondary: `you run ${you.gpus}`, title: youRunTitle(row, you), mark: 'mine' as const } : {}),
        },
        row.memoryGb !== undefined ? { text: `${row.memoryGb} GB` } : { text: '—', mark: 'muted' },
        row.cheapest
          ? {
              text: formatPricePerHour(row.cheapest.price),
              secondary: `${CLOUD_NAMES[row.cheapest.cloud]}${row.cheapest.pricing === 'spot' ? ' (spot)' : ''}`,
              ...(cheaper ? { title: `You pay ${formatPricePerHour(you.paysPerGpuHour)} per GPU: cheaper elsewhere` } : {}),
            }
          : { text: '—', mark: 'muted' },
        ...comparison.clouds.map((c) => priceCell(row, c, you)),
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
