// The built dashboard webview alone in Chromium, with the panel's own HTML and CSP and a stub VS Code API:
// 5,000 rows (virtualized), sorting and filtering them, the message protocol from the webview's side, and
// proof that vscode-elements works under the strict CSP. The workbench route is dashboard.test.ts.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { eventually, readTable, selectTab } from '../support/dashboardFrame';
import { openDashboardPage, syntheticSnapshot, timingNow, type DashboardPage } from '../support/dashboardPage';

const VAST_TAB = 'cloud:vastai';
const PAYLOAD = '<img src=x onerror=window.__pwned=1>';

describe('dashboard webview alone in Chromium (5,000 rows, protocol, CSP)', function () {
  let browser: Browser | undefined;
  let dashboard: DashboardPage;
  const errors: string[] = [];
  const snapshot = syntheticSnapshot(5000);
  const vastTable = () => readTable(dashboard.page, VAST_TAB);

  before(async () => {
    browser = await launchChromium();
    dashboard = await openDashboardPage(browser, { state: { tab: VAST_TAB } });
    dashboard.page.on('pageerror', (error) => errors.push(error.message));
  });

  after(async () => {
    await dashboard?.close();
    await browser?.close();
  });

  it('asks the host for data once loaded, and ignores malformed or foreign messages', async () => {
    assert.deepEqual(await dashboard.sent(), [{ type: 'ready' }]);
    const broken = JSON.parse(JSON.stringify(snapshot)) as { outcomes: { vastai: { resources: { status: string }[] } } };
    broken.outcomes.vastai.resources[3].status = '<b>exploded</b>';
    for (const message of [
      { type: 'snapshot', snapshot: broken, timing: timingNow() },
      { type: 'snapshot', snapshot },
      { type: 'html', html: PAYLOAD },
      null,
      { type: 'timing', timing: { intervalSec: 'soon' } },
    ]) {
      await dashboard.post(message);
    }
    assert.equal(await dashboard.page.locator('#no-data').isVisible(), true, 'still waiting for valid data');
    assert.equal(await dashboard.page.locator('tr.row').count(), 0);
    assert.equal(await dashboard.page.locator('#refresh-line').textContent(), 'waiting for the first refresh');
    assert.deepEqual(errors, []);
  });

  it('renders 5,000 rows as a slice of the DOM and scrolls through all of them', async () => {
    await dashboard.post({ type: 'snapshot', snapshot, timing: timingNow(60, Date.now() - 12_000) });
    const shown = await vastTable();
    assert.equal(shown.count, '5000 resources');
    assert.ok(shown.rows.length > 10 && shown.rows.length < 120, `${shown.rows.length} rows in the DOM`);
    assert.equal(await dashboard.page.locator(`vscode-tab-panel[data-tab="${VAST_TAB}"] table`).getAttribute('aria-rowcount'), '5001');
    assert.deepEqual(
      shown.rows.slice(0, 3).map((r) => r.cells[0]),
      ['train-00000', 'train-00001', 'train-00002'],
    );
    assert.match((await dashboard.page.locator('#refresh-line').textContent()) ?? '', /^updated 1[2-4] s ago · next in 4[6-8] s$/);
    await dashboard.page.getByRole('region', { name: 'Vast.ai resources and metrics' }).evaluate((e) => e.scrollTo(0, e.scrollHeight));
    const last = await eventually(
      vastTable,
      (t) => t.rows.some((r) => r.cells[0] === 'train-04999'),
      5_000,
      'the last row after scrolling',
    );
    assert.ok(last.rows.length < 120);
    assert.equal(await dashboard.page.locator(`tr.row[data-id="${100000 + 4999}"]`).getAttribute('aria-rowindex'), '5001');
  });

  it('sorts 5,000 rows by a metric column and by name, and filters them', async () => {
    const resources = snapshot.outcomes.vastai!.resources;
    const metrics = snapshot.outcomes.vastai!.metrics;
    await dashboard.page.getByRole('region', { name: 'Vast.ai resources and metrics' }).evaluate((e) => e.scrollTo(0, 0));
    await dashboard.page.locator('section.cloud button.sort', { hasText: /^GPU utilization avg/ }).click();
    const top = Math.max(...resources.map((r) => metrics[r.id]?.gpu?.utilizationPercent?.avg ?? -1));
    const expectedFirst = resources.find((r) => metrics[r.id]?.gpu?.utilizationPercent?.avg === top)!;
    let shown = await vastTable();
    assert.equal(shown.rows[0].id, expectedFirst.id);
    assert.equal(shown.sorts[shown.columns.indexOf('GPU utilization avg')], 'descending');
    await dashboard.page.locator('section.cloud button.sort', { hasText: /^Name/ }).click();
    await dashboard.page.locator('section.cloud button.sort', { hasText: /^Name/ }).click();
    shown = await vastTable();
    assert.equal(shown.rows[0].cells[0], 'train-04999');
    await dashboard.page.locator(`vscode-tab-panel[data-tab="${VAST_TAB}"] vscode-textfield input`).fill('train-0499');
    shown = await eventually(vastTable, (t) => t.rows.length === 10, 5_000, 'ten matching rows');
    assert.deepEqual(
      shown.rows.map((r) => r.cells[0]),
      Array.from({ length: 10 }, (_, i) => `train-0499${9 - i}`),
    );
    assert.equal(shown.count, '10 of 5000 resources');
    const state = (await dashboard.state()) as { tab: string; sorts: Record<string, unknown>; filters: Record<string, string> };
    assert.deepEqual(
      [state.tab, state.sorts[VAST_TAB], state.filters[VAST_TAB]],
      [VAST_TAB, { column: 'name', descending: true }, 'train-0499'],
    );
  });

  it('selects tabs with the keyboard (Space and Enter) and posts refresh from the button', async () => {
    await dashboard.page.locator(`vscode-tab-header[data-tab="${VAST_TAB}"]`).focus();
    await dashboard.page.keyboard.press('ArrowRight');
    await dashboard.page.keyboard.press('ArrowRight');
    await dashboard.page.keyboard.press('Space');
    await dashboard.page.locator('vscode-tab-panel[data-tab="prices"]:not([hidden])').waitFor({ timeout: 5_000 });
    await dashboard.page.keyboard.press('ArrowLeft');
    await dashboard.page.keyboard.press('Enter');
    await dashboard.page.locator('vscode-tab-panel[data-tab="cloud:runpod"]:not([hidden])').waitFor({ timeout: 5_000 });
    await dashboard.page.locator('vscode-button#refresh').click();
    assert.deepEqual((await dashboard.sent()).at(-1), { type: 'refresh' });
    assert.equal(await dashboard.page.locator('#refresh-line').textContent(), 'refreshing…');
  });

  it('breaks no rule of the panel CSP (vscode-elements styles need no unsafe-inline)', async () => {
    const { page } = dashboard;
    await selectTab(page, 'overview');
    await selectTab(page, 'prices');
    await page.locator('vscode-single-select.price-memory').click(); // its dropdown styles itself through the CSSOM
    await page.locator('vscode-single-select.price-memory [role=option]', { hasText: 'Any memory' }).first().waitFor({ timeout: 5_000 });
    await page.keyboard.press('Escape');
    await selectTab(page, VAST_TAB);
    assert.deepEqual(await dashboard.violations(), []);
    assert.deepEqual(errors, []);
    // The check can fail: an inline <style> (what 'unsafe-inline' would allow) is reported.
    await page.evaluate(() => document.head.append(Object.assign(document.createElement('style'), { textContent: 'body { color: red }' })));
    await eventually(
      () => dashboard.violations(),
      (v) => v.length === 1 && v[0].startsWith('style-src'),
      5_000,
      'the control violation',
    );
  });
});
