// The human-readable output of one snapshot: resource groups, the GPU price table with `--gpu`, and the
// footer. Returns lines; the caller decides whether they scroll (a pipe) or redraw in place (watch on a TTY).
import type { CloudId, Snapshot } from '../../core/model/model';
import { renderFooter, type FooterOptions } from './footer';
import { renderPrices } from './prices';
import { renderResources } from './table';

export interface ReportOptions extends FooterOptions {
  readonly wide: boolean;
  readonly gpu: boolean;
  /** Terminal width when known (a TTY). */
  readonly width?: number;
}

export function renderReport(snapshot: Snapshot, clouds: readonly CloudId[], options: ReportOptions): string[] {
  const sections = [renderResources(snapshot, clouds, options)];
  if (options.gpu) sections.push(renderPrices(snapshot, clouds, options.style, options.width));
  sections.push(renderFooter(snapshot, clouds, options));
  return sections.filter((lines) => lines.length > 0).flatMap((lines, i) => (i === 0 ? lines : ['', ...lines]));
}
