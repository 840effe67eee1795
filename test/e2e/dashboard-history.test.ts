// UI end to end for the overview's history (issue 30): the packaged .vsix in code-server against the simulated clouds,
// driven in headless Chromium. The Vast.ai simulator's GPU utilization changes before each refresh; the overview must
// then list every billed GPU resource across clouds by price with a sparkline of those refreshes, draw a point per
// refresh in the 24 h spend chart, show a selected row's chart, and ask before a Stop (Cancel sends nothing).
// Expected values come from the same engine the extension uses, run here against the same simulator.
import assert from 'node:assert/strict';
import type { Browser, Frame, Page } from 'playwright-core';
import type { Engine } from '../../src/core/engine/engine';
import type { Snapshot } from '../../src/core/model/model';
import type { Sim } from '../sim/server';
import type { VastState } from '../sim/vastai';
import { launchChromium } from '../support/browser';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { dashboardFrame, eventually, readTable } from '../support/dashboardFrame';
import { engineOnWiring, startDemoSim, wireToSim, type SimWiring } from '../support/simWiring';
import { openActivity, runCommand, screenshot, waitForWorkbench } from '../support/workbench';

const COSTING = 'section.costing';
/** GPU utilization the simulated Vast.ai instances report before each refresh. */
const STEPS = [12, 47, 83, 30];

describe('Cloudtop dashboard history in code-server (UI end to end)', function () {
  this.bail(true); // one scenario in steps
  let sim: Sim;
  let wiring: SimWiring;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let frame: Frame;
  let engine: Engine | undefined;
  const cspErrors: string[] = [];
  /** The spend chart's points before the refreshes this test makes. */
  let pointsBefore = 0;

  const vast = () => sim.state<VastState>('vastai');
  const runningVast = () => vast().instances.filter((i) => i.actual_status === 'running' && i.gpu_util !== null);
  const expected = (): Promise<Snapshot> => engine!.collector.refresh({ force: true });
  const costing = () => readTable(frame, 'overview', COSTING);
  const filterCosting = (text: string) => frame.locator(`${COSTING} vscode-textfield input`).fill(text);
  const spendPoints = async () => Number((await frame.locator('section.spend-chart').getAttribute('data-points')) ?? '0');

  before(async function () {
    sim = await startDemoSim();
    wiring = wireToSim(sim);
    engine = engineOnWiring(wiring);
    server = await startCodeServer({
      settings: { ...wiring.settings, 'workbench.colorTheme': 'Default Dark Modern', 'cloudtop.refreshInterval': 3600 },
      env: wiring.env,
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspErrors.push(`${message.location().url}: ${message.text()}`);
    });
    await page.goto(server.url);
    await waitForWorkbench(page);
    await openActivity(page, 'Cloudtop');
    await page.locator('.sidebar .pane-header h3.title', { hasText: 'Vast.ai' }).waitFor({ timeout: 60_000 });
    await runCommand(page, 'Cloudtop: Open Dashboard');
    frame = await dashboardFrame(page);
    await eventually(costing, (t) => t.rows.length > 0, 90_000, 'the first Costing now rows');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page)
      await screenshot(page, `dashboard-history-failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await engine?.dispose();
    await browser?.close();
    await server?.stop();
    await sim?.close();
  });

  it('after refreshes of changing values, lists every billed GPU resource across clouds by price, with sparklines', async () => {
    pointsBefore = await spendPoints();
    const target = runningVast()[0];
    assert.ok(target, 'the demo runs a Vast.ai GPU instance');
    const rowId = `vastai:${target.id}`;
    // The list is virtual (only the rows in view exist): the filter brings the instance into view, as a user would.
    await filterCosting(target.label ?? String(target.id));
    const utilization = frame.locator(`${COSTING} tbody tr.row[data-id="${rowId}"] td`).nth(2);
    for (const value of STEPS) {
      for (const instance of runningVast()) instance.gpu_util = value;
      await runCommand(page, 'Cloudtop: Refresh');
      await eventually(
        async () => (await utilization.textContent()) ?? '',
        (text) => text.startsWith(`${value} %`),
        90_000,
        `GPU utilization ${value} % in the Costing now row`,
      );
    }
    // The changed instance's sparkline has a point per refresh (and the first one, before them).
    const spark = frame.locator(`${COSTING} tbody tr.row[data-id="${rowId}"] svg.spark`);
    const points = Number(await spark.getAttribute('data-points'));
    assert.ok(points >= STEPS.length, `${points} sparkline points`);
    // Its range covers the values set (the first point is the simulator's own value, before them).
    const [, low, high] = /: (\d+) % to (\d+) %, latest 30 %$/.exec((await spark.getAttribute('aria-label')) ?? '') ?? [];
    assert.ok(Number(low) <= 12 && Number(high) >= 83, `${low}–${high} %`);
    await filterCosting('');

    const want = await expected();
    // Every billed GPU resource, across clouds, most expensive first (ties keep the totals' order, as a stable sort does).
    const order = want.totals.gpuSpend
      .map((l, i) => ({ id: `${l.cloud}:${l.resourceId}`, price: l.pricePerHour, i }))
      .sort((a, b) => b.price - a.price || a.i - b.i);
    assert.ok(new Set(want.totals.gpuSpend.map((l) => l.cloud)).size >= 2, 'billed GPUs on several clouds');
    const top = await costing();
    assert.equal(top.count, `${order.length} billed GPU resources`);
    const price = top.columns.indexOf('Price');
    assert.equal(top.sorts[price], 'descending');
    assert.deepEqual(
      top.rows.map((r) => [r.id, r.cells[price]]),
      order.slice(0, top.rows.length).map((o) => [o.id, `$${o.price.toFixed(2)}/h`]),
    );
    // And the end of the list, scrolled to.
    await frame.locator(`${COSTING} .table-scroll`).evaluate((scroller) => (scroller.scrollTop = scroller.scrollHeight));
    const bottom = await eventually(costing, (t) => t.rows.at(-1)?.id === order.at(-1)!.id, 10_000, 'the cheapest row at the end');
    const offset = order.findIndex((o) => o.id === bottom.rows[0].id);
    assert.deepEqual(
      bottom.rows.map((r) => r.id),
      order.slice(offset).map((o) => o.id),
    );
    // Rows of several clouds carry sparklines.
    await frame.locator(`${COSTING} .table-scroll`).evaluate((scroller) => (scroller.scrollTop = 0));
    const sparkClouds = await frame
      .locator(`${COSTING} tbody tr.row:has(svg.spark polyline)`)
      .evaluateAll((rows) => [...new Set(rows.map((r) => (r.getAttribute('data-id') ?? '').split(':')[0]))]);
    assert.ok(sparkClouds.length >= 2, `sparklines on ${sparkClouds.join(', ')}`);
    await screenshot(page, 'dashboard-history-costing-now');
  });

  it('draws the 24 h GPU spend chart with a point per refresh, stacked by cloud, with a text summary', async () => {
    const after = await spendPoints();
    assert.equal(after - pointsBefore, STEPS.length, `points before ${pointsBefore}, after ${after}`);
    const chart = frame.locator('section.spend-chart');
    assert.match((await chart.locator('.chart-summary').textContent()) ?? '', /^GPU spend, last 24 h \(\d+ refreshes\): now \$[\d.]+\/h/);
    assert.equal(await chart.locator('canvas').count(), 1, 'drawn by uPlot');
    // One legend entry per cloud with billed GPUs, named as the clouds are.
    const want = await expected();
    const clouds = new Set(want.totals.gpuSpend.map((l) => l.cloud)).size;
    assert.equal(await chart.locator('.u-legend .u-series').count(), clouds + 1, 'time and one series per cloud');
    await chart.locator('.u-over').hover(); // uPlot's cursor layer, over the canvas
    assert.ok((await chart.locator('.u-legend').textContent())?.includes('$'), 'the numbers under the cursor');
    assert.deepEqual(cspErrors, []);
  });

  it('shows a selected row’s utilization chart', async () => {
    const target = runningVast()[0];
    const rowId = `vastai:${target.id}`;
    await filterCosting(target.label ?? String(target.id));
    await frame.locator(`${COSTING} tbody tr.row[data-id="${rowId}"] td`).first().click();
    const chart = frame.locator('section.resource-chart');
    await chart.waitFor({ state: 'visible', timeout: 15_000 });
    await eventually(
      async () => [await chart.getAttribute('data-resource'), Number(await chart.getAttribute('data-points'))] as const,
      ([resource, points]) => resource === rowId && points >= STEPS.length,
      15_000,
      'the selected resource chart',
    );
    assert.equal(await frame.locator(`${COSTING} tbody tr.row.selected`).getAttribute('data-id'), rowId);
    const [, low, high] =
      /GPU utilization (\d+)–(\d+) %, latest 30 %\.$/.exec((await chart.locator('.chart-summary').textContent()) ?? '') ?? [];
    assert.ok(Number(low) <= 12 && Number(high) >= 83, `${low}–${high} %`);
    assert.equal(await chart.locator('canvas').count(), 1);
    await chart.scrollIntoViewIfNeeded();
    await screenshot(page, 'dashboard-history-resource-chart');
  });

  it('asks before a row’s Stop (a modal), and Cancel sends nothing', async () => {
    const target = runningVast()[0];
    const writes = vast().writes.length;
    await frame.locator(`${COSTING} tbody tr.row[data-id="vastai:${target.id}"] button[data-action="stop"]`).click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    assert.match((await dialog.textContent()) ?? '', /Stop .* on Vast\.ai\?/);
    await screenshot(page, 'dashboard-history-stop-modal');
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal(vast().writes.length, writes, 'no write request reached Vast.ai');
  });

  it('reveals a row’s resource in its tree with Show', async () => {
    const target = runningVast()[0];
    await frame.locator(`${COSTING} tbody tr.row[data-id="vastai:${target.id}"] button[data-action="show"]`).click();
    await eventually(
      async () => (await page.locator('.sidebar .monaco-list-row.selected').allTextContents()).join('\n'),
      (text) => text.includes(target.label ?? String(target.id)),
      15_000,
      'the resource selected in the Vast.ai tree',
    );
  });

  it('costs nothing while hidden: no webview document, and the history it missed arrives when shown again', async () => {
    const before = await spendPoints();
    await runCommand(page, 'File: New Untitled Text File'); // the dashboard's tab goes to the background
    // Without retainContextWhenHidden VS Code drops a hidden webview's document: nothing is drawn or kept there.
    await eventually(
      async () => {
        let documents = 0;
        for (const f of page.frames())
          documents += await f
            .locator('#cloudtop-dashboard')
            .count()
            .catch(() => 0);
        return documents;
      },
      (n) => n === 0,
      15_000,
      'the hidden dashboard to have no document',
    );
    for (let i = 0; i < 2; i++) await runCommand(page, 'Cloudtop: Refresh');
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    await runCommand(page, 'Cloudtop: Open Dashboard');
    frame = await dashboardFrame(page);
    await eventually(spendPoints, (n) => n >= before + 2, 60_000, 'the points recorded while hidden');
  });
});
