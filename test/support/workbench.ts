// What a person does in the VS Code workbench, as Playwright steps.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { ROOT } from '../../scripts/vscode-env.mjs';

export const RESULTS_DIR = path.join(ROOT, 'test-results');

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

export async function waitForWorkbench(page: Page): Promise<void> {
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await page.waitForSelector('.activitybar', { timeout: 30_000 });
}

export async function openActivity(page: Page, title: string): Promise<void> {
  const entry = page.locator(`.activitybar [aria-label^="${title}"]`).first();
  await entry.waitFor({ timeout: 30_000 });
  const expanded = await entry.getAttribute('aria-expanded');
  if (expanded !== 'true') await entry.click();
}

/** Collapses every view in the side bar but the given ones, so their rows are on screen. */
export async function showOnly(page: Page, titles: string[]): Promise<void> {
  const headers = page.locator('.sidebar .pane-header');
  for (let i = 0; i < (await headers.count()); i++) {
    const header = headers.nth(i);
    const title = (await header.locator('h3.title').textContent())?.trim() ?? '';
    const expanded = (await header.getAttribute('aria-expanded')) === 'true';
    if (titles.includes(title) !== expanded) await header.click();
  }
}

/** One view pane of the side bar, by its title. */
export const pane = (page: Page, title: string) => page.locator('.sidebar .pane', { has: page.locator('h3.title', { hasText: title }) });

/** Titles of the view panes in the side bar, read with textContent (headers are CSS-capitalized). */
export async function viewTitles(page: Page): Promise<string[]> {
  return page.locator('.sidebar .pane-header h3.title').evaluateAll((nodes) => nodes.map((n) => (n.textContent ?? '').trim()));
}

export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 15_000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: 15_000 });
  // Click the matching row: Enter would run whichever row is first, which is another command while the
  // extension's commands are still being registered.
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
}

/** Polls every frame for a selector: a webview's document appears a few seconds after its panel. */
export async function findFrame(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        if ((await frame.$(selector)) !== null) return frame;
      } catch {
        // frame navigated or detached while we looked
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no frame contains ${selector} within ${timeoutMs} ms`);
}
