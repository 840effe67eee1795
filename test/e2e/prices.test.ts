// UI end to end, the GPU prices tab: the packaged .vsix in code-server against the simulated clouds (every key set),
// opened with "Cloudtop: Compare GPU Prices". The table reads at a glance: one line per cell, the cheapest cell of each
// row marked lightly (a ★ and a colour, no box), the GPUs the user runs marked "you run N" and listed first, a sticky
// header, sorting by "Cheapest" from the keyboard, and a legend naming the clouds that report no availability.
// Expected values come from the same engine and model over the same simulators.
import assert from 'node:assert/strict';
import type { Browser, Frame, Page } from 'playwright-core';
import { CLOUD_NAMES, type Snapshot } from '../../src/core/model/model';
import { cloudsWithoutAvailability, comparePrices, priceTable, youRun } from '../../webview/model/priceTable';
import { sortOrder } from '../../webview/model/table';
import type { Sim } from '../sim/server';
import { launchChromium } from '../support/browser';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { dashboardFrame, eventually, expectedRows, readTable } from '../support/dashboardFrame';
import { engineOnWiring, startDemoSim, wireToSim } from '../support/simWiring';
import { openActivity, runCommand, screenshot, waitForWorkbench } from '../support/workbench';

describe('Cloudtop GPU prices tab in code-server (UI end to end)', function () {
  this.bail(true);
  let sim: Sim;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let frame: Frame;
  let want: Snapshot;

  before(async () => {
    sim = await startDemoSim({ latencyMs: 0 });
    const wiring = wireToSim(sim);
    const engine = engineOnWiring(wiring);
    want = await engine.collector.refresh({ force: true }).finally(() => engine.dispose());
    server = await startCodeServer({ settings: { ...wiring.settings, 'cloudtop.refreshInterval': 3600 }, env: wiring.env });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(server.url);
    await waitForWorkbench(page);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page)
      await screenshot(page, `prices-failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await sim?.close();
  });

  it('opens on the prices tab and shows the comparison, one line per cell, the GPUs you run first', async () => {
    // The Cloudtop container first: its views activate the extension.
    await openActivity(page, 'Cloudtop');
    await page.locator('.sidebar .pane-header h3.title', { hasText: 'Vast.ai' }).waitFor({ timeout: 60_000 });
    await runCommand(page, 'Cloudtop: Compare GPU Prices');
    frame = await dashboardFrame(page);
    await frame.locator('vscode-tab-panel[data-tab="prices"]:not([hidden])').waitFor({ timeout: 30_000 });
    const comparison = comparePrices(want);
    const mine = youRun(want);
    assert.ok(mine.size > 0, 'the simulators run GPUs that some cloud offers');
    const shown = await eventually(
      () => readTable(frame, 'prices'),
      (t) => t.rows.length === comparison.rows.length && t.columns.length === comparison.clouds.length + 3,
      60_000,
      'price rows',
    );
    assert.deepEqual(shown.rows, expectedRows(priceTable(comparison, comparison.rows, mine)));
    // What you run comes first.
    const firstOthers = shown.rows.findIndex((r) => !mine.has(r.id));
    assert.ok(
      shown.rows.slice(firstOthers).every((r) => !mine.has(r.id)),
      'rows you run, then the rest',
    );
    // One line per cell: no cell is taller than its row's GPU name cell.
    const tall = await frame.locator('section.prices table.data tbody tr.row').evaluateAll((rows) =>
      rows.flatMap((tr) => {
        const height = (tr.children[0] as HTMLElement).getBoundingClientRect().height;
        return [...tr.children].filter((c) => c.getBoundingClientRect().height > height + 1).map((c) => c.textContent ?? '');
      }),
    );
    assert.ok(
      shown.rows.every((r) => r.cells.every((c) => !c.includes('\n'))),
      'no second line in any cell',
    );
    assert.deepEqual(tall, [], 'no cell wraps');
  });

  it('marks the cheapest cell of each row with a ★ and the theme colour, without a box', async () => {
    const comparison = comparePrices(want);
    const marks = await frame.locator('section.prices tbody tr.row').evaluateAll((rows) =>
      rows.map((tr) => {
        const best = [...tr.querySelectorAll('td.mark-best')];
        const style = best[0] ? getComputedStyle(best[0]) : undefined;
        return {
          id: tr.getAttribute('data-id') ?? '',
          best: best.map((td) => [...tr.children].indexOf(td)),
          star: best.map((td) => td.firstChild?.textContent ?? ''),
          said: best.map((td) => td.querySelector('.sr-only')?.textContent ?? ''),
          outline: style?.outlineStyle ?? 'none',
          color: style?.color ?? '',
          plain: tr.children[3] ? getComputedStyle(tr.children[3]).color : '',
        };
      }),
    );
    const columns = (await readTable(frame, 'prices')).columns;
    for (const mark of marks) {
      const row = comparison.rows.find((r) => r.gpuKey === mark.id)!;
      assert.deepEqual(
        mark.best,
        row.cheapest ? [columns.indexOf(CLOUD_NAMES[row.cheapest.cloud])] : [],
        `the cheapest cell of ${mark.id}`,
      );
      if (!row.cheapest) continue;
      assert.match(mark.star[0], /^★ \$/);
      assert.equal(mark.said[0], ' (cheapest)', 'a screen reader hears "cheapest"');
      assert.equal(mark.outline, 'none', 'no box around it');
    }
    const coloured = marks.find((m) => m.best.length > 0 && m.best[0] !== 3);
    if (coloured) assert.notEqual(coloured.color, coloured.plain, 'a colour sets it apart');
    await screenshot(page, 'prices-table');
  });

  it('marks the GPUs you run: "you run N" under the name, on the clouds you run them, and what it costs elsewhere', async () => {
    const mine = youRun(want);
    const comparison = comparePrices(want);
    for (const [key, you] of mine) {
      if (!comparison.rows.some((r) => r.gpuKey === key)) continue;
      const row = frame.locator(`section.prices tbody tr.row[data-id="${key}"]`);
      assert.equal(await row.locator('th .secondary').textContent(), `you run ${you.gpus}`, key);
      const title = (await row.locator('th').getAttribute('title')) ?? '';
      assert.match(title, new RegExp(`^You run ${you.gpus} of these`), key);
      const best = comparison.rows.find((r) => r.gpuKey === key)!.cheapest;
      if (best) assert.ok(title.includes(`on ${CLOUD_NAMES[best.cloud]}`), `${key}: what it costs elsewhere (${title})`);
    }
    assert.ok(mine.size > 0);
  });

  it('keeps the header in view, sorts by "Cheapest" from the keyboard, and names the clouds that report no availability', async () => {
    const scroller = frame.locator('section.prices .table-scroll');
    assert.equal(
      await frame
        .locator('section.prices thead th')
        .first()
        .evaluate((th) => getComputedStyle(th).position),
      'sticky',
    );
    await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
    const headerTop = await frame
      .locator('section.prices thead th')
      .first()
      .evaluate((th) => th.getBoundingClientRect().top);
    const scrollerTop = await scroller.evaluate((el) => el.getBoundingClientRect().top);
    assert.ok(Math.abs(headerTop - scrollerTop) <= 2, `the header stays at the top (${headerTop} vs ${scrollerTop})`);
    await scroller.evaluate((el) => (el.scrollTop = 0));

    const comparison = comparePrices(want);
    const table = priceTable(comparison, comparison.rows, youRun(want));
    const cheapest = frame.locator('section.prices button.sort[data-column="cheapest"]');
    await cheapest.focus();
    await page.keyboard.press('Enter'); // numbers start descending
    await page.keyboard.press('Space'); // then ascending
    const sorted = await eventually(
      () => readTable(frame, 'prices'),
      (t) => t.sorts[2] === 'ascending',
      10_000,
      'sorted by cheapest',
    );
    assert.deepEqual(
      sorted.rows.map((r) => r.id),
      sortOrder(table, { column: 'cheapest', descending: false }).map((i) => table.rows[i].id),
    );
    const silent = cloudsWithoutAvailability(comparison).map((c) => CLOUD_NAMES[c]);
    const note = await frame.locator('section.prices .availability-note').innerText();
    assert.ok(silent.length > 0 && silent.every((name) => note.includes(name)), note);
    assert.ok(
      (await readTable(frame, 'prices')).rows.every((r) => r.cells.every((c) => !/availability unknown/.test(c))),
      'no "availability unknown" in any cell',
    );
    await screenshot(page, 'prices-sorted-by-cheapest');
  });
});
