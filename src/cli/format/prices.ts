// The GPU price comparison (`--gpu`): one row per normalized GPU key, one entry per cloud with its cheapest
// on-demand and spot price per GPU-hour and availability; cheapest GPU first, cheapest cloud first within it.
// An offer nobody can rent now (availability "none") is only shown when the cloud has nothing better, so the
// cheapest price on screen is one the user could actually get.
import { formatPricePerHour } from '../../core/model/describe';
import { CLOUD_NAMES, SPOT_UNPUBLISHED, type Availability, type CloudId, type GpuOffer, type Snapshot } from '../../core/model/model';
import { columnWidths, renderHeader, renderRow, type GridColumn } from './grid';
import { ABSENT, shownOutcomes } from './table';
import { terminalText, type Style } from './terminal';

export interface PriceEntry {
  readonly cloud: CloudId;
  readonly onDemand?: GpuOffer;
  readonly spot?: GpuOffer;
  readonly availability: Availability;
  /** Cheapest of the two, for ordering. */
  readonly cheapest: number;
}

export interface PriceRow {
  readonly gpuKey: string;
  readonly cheapest: number;
  readonly entries: readonly PriceEntry[];
}

function cheapestOf(offers: readonly GpuOffer[]): GpuOffer | undefined {
  const rentable = offers.filter((o) => o.availability !== 'none');
  const pool = rentable.length > 0 ? rentable : offers;
  return pool.reduce<GpuOffer | undefined>((best, o) => (!best || o.pricePerGpuHour < best.pricePerGpuHour ? o : best), undefined);
}

/** Offers grouped into price rows, cheapest first. */
export function priceRows(offers: readonly GpuOffer[]): PriceRow[] {
  const byKey = new Map<string, Map<CloudId, GpuOffer[]>>();
  for (const offer of offers) {
    if (!Number.isFinite(offer.pricePerGpuHour)) continue;
    const byCloud = byKey.get(offer.gpuKey) ?? new Map<CloudId, GpuOffer[]>();
    byCloud.set(offer.cloud, [...(byCloud.get(offer.cloud) ?? []), offer]);
    byKey.set(offer.gpuKey, byCloud);
  }
  const rows: PriceRow[] = [];
  for (const [gpuKey, byCloud] of byKey) {
    const entries: PriceEntry[] = [];
    for (const [cloud, list] of byCloud) {
      const onDemand = cheapestOf(list.filter((o) => o.pricing === 'on-demand'));
      const spot = cheapestOf(list.filter((o) => o.pricing === 'spot'));
      const prices = [onDemand, spot].filter((o): o is GpuOffer => o !== undefined).map((o) => o.pricePerGpuHour);
      entries.push({ cloud, onDemand, spot, availability: (onDemand ?? spot)!.availability, cheapest: Math.min(...prices) });
    }
    entries.sort((a, b) => a.cheapest - b.cheapest || a.cloud.localeCompare(b.cloud));
    rows.push({ gpuKey, cheapest: entries[0].cheapest, entries });
  }
  return rows.sort((a, b) => a.cheapest - b.cheapest || (a.gpuKey < b.gpuKey ? -1 : a.gpuKey > b.gpuKey ? 1 : 0));
}

interface Line {
  readonly gpuKey: string;
  readonly entry: PriceEntry;
}

const price = (offer: GpuOffer | undefined) => (offer ? formatPricePerHour(offer.pricePerGpuHour) : ABSENT);

export function priceColumns(style: Style): GridColumn<Line>[] {
  return [
    { header: 'GPU', max: 24, min: 10, value: (l) => terminalText(l.gpuKey) },
    { header: 'Cloud', max: 14, value: (l) => CLOUD_NAMES[l.entry.cloud] },
    { header: 'On-demand', max: 12, align: 'right', value: (l) => price(l.entry.onDemand) },
    // A cloud whose API has no spot price says "n/a" (explained below the table), not "-" (none on offer).
    {
      header: 'Spot',
      max: 12,
      align: 'right',
      value: (l) => (!l.entry.spot && SPOT_UNPUBLISHED[l.entry.cloud] ? 'n/a' : price(l.entry.spot)),
    },
    {
      header: 'Available',
      max: 9,
      value: (l) => l.entry.availability,
      paint: (l) => (l.entry.availability === 'none' ? style.dim : undefined),
    },
  ];
}

export function renderPrices(snapshot: Snapshot, clouds: readonly CloudId[], style: Style, width?: number): string[] {
  const rows = priceRows(shownOutcomes(snapshot, clouds).flatMap((o) => o.offers));
  if (rows.length === 0) return [`${style.bold('GPU prices')}  ${style.dim('no offers reported')}`];
  // The GPU key is printed on its row's first line only, so a GPU's clouds read as one block.
  const lines: Line[] = rows.flatMap((row) => row.entries.map((entry, i) => ({ gpuKey: i === 0 ? row.gpuKey : '', entry })));
  const columns = priceColumns(style);
  const widths = columnWidths(columns, lines, width === undefined ? undefined : width - 2);
  const shownClouds = new Set(lines.map((l) => l.entry.cloud));
  const spotNotes = (Object.entries(SPOT_UNPUBLISHED) as [CloudId, string][])
    .filter(([cloud]) => shownClouds.has(cloud))
    .map(([cloud, why]) => `  ${style.dim(`n/a: ${CLOUD_NAMES[cloud]} spot: ${why}`)}`);
  return [
    `${style.bold('GPU prices')}  ${style.dim('USD per GPU-hour, cheapest first')}`,
    `  ${renderHeader(columns, widths, style.bold)}`,
    ...lines.map((line) => `  ${renderRow(columns, widths, line)}`),
    ...(spotNotes.length > 0 ? ['', ...spotNotes] : []),
  ];
}
