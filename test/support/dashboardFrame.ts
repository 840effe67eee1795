// Reading the dashboard webview the way a person sees it: tabs, table headers and cells (their visible
// text, extra lines included, screen-reader-only text left out). Shared by the workbench e2e test and the
// standalone-page tests. Callbacks given to evaluate define no named functions: tsx's keepNames helper
// (`__name`) does not exist in the page.
import type { Frame, Page } from 'playwright-core';
import type { TableData } from '../../webview/model/table';
import { findFrame } from './workbench';

export interface ShownTable {
  readonly columns: string[];
  /** aria-sort per column. */
  readonly sorts: string[];
  readonly rows: { readonly id: string; readonly cells: string[] }[];
  /** The count line ("12 resources", "3 of 12 resources"). */
  readonly count: string;
}

export const DASHBOARD_READY = '#cloudtop-dashboard vscode-tabs vscode-tab-header';

export function dashboardFrame(page: Page, timeoutMs = 60_000): Promise<Frame> {
  return findFrame(page, DASHBOARD_READY, timeoutMs);
}

/**
 * The table inside a tab panel (`overview`, `prices` or `cloud:<id>`): its first, or the one inside `within` (a
 * selector in the panel: the overview holds `section.costing` first, then `section.clouds`).
 */
export async function readTable(frame: Frame | Page, tab: string, within = ''): Promise<ShownTable> {
  return frame
    .locator(`vscode-tab-panel[data-tab="${tab}"] ${within} .table-block`.replace(/\s+/g, ' '))
    .first()
    .evaluate((block) => {
      return {
        columns: [...block.querySelectorAll('thead th')].map((th) => th.querySelector('button')?.firstChild?.textContent ?? ''),
        sorts: [...block.querySelectorAll('thead th')].map((th) => th.getAttribute('aria-sort') ?? ''),
        rows: [...block.querySelectorAll('tbody tr.row')].map((tr) => ({
          id: tr.getAttribute('data-id') ?? '',
          cells: [...tr.children].map((cell) =>
            [
              cell.firstChild?.nodeType === 3 ? (cell.firstChild.textContent ?? '') : '',
              ...[...cell.querySelectorAll('.line')].map((l) => l.textContent ?? ''),
            ].join('\n'),
          ),
        })),
        count: block.querySelector('.count')?.textContent ?? '',
      };
    });
}

/** What a table built from TableData must show: the same text per cell, extra lines joined by newlines. */
export function expectedRows(data: TableData): { id: string; cells: string[] }[] {
  return data.rows.map((r) => ({ id: r.id, cells: r.cells().map((c) => [c.text, ...(c.lines ?? [])].join('\n')) }));
}

export async function selectTab(frame: Frame | Page, tab: string): Promise<void> {
  await frame.locator(`vscode-tab-header[data-tab="${tab}"]`).click();
  await frame.locator(`vscode-tab-panel[data-tab="${tab}"]:not([hidden])`).waitFor({ timeout: 10_000 });
}

/** Polls until `read` satisfies `ok` (the webview renders asynchronously after a message). */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `timed out waiting for ${what}; last value: ${JSON.stringify(last)?.slice(0, 2000)} ${lastError instanceof Error ? lastError.message : ''}`,
  );
}

/** Every frame's `window.__pwned` (a payload's sentinel) and whether it has any <img>/<script> built from data. */
export async function pwnedInAnyFrame(page: Page): Promise<unknown[]> {
  const found: unknown[] = [];
  for (const frame of page.frames()) {
    try {
      const value = await frame.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
      if (value !== undefined) found.push({ url: frame.url(), value });
    } catch {
      // a frame that navigated away while we looked
    }
  }
  return found;
}
