// UI end to end for the dashboard: the packaged .vsix in code-server against the simulated clouds (hostile
// names on), driven in headless Chromium. Expected values come from the simulator's state and from the
// same engine and formatting the extension uses, run here against the same simulator. The webview alone at
// 5,000 rows is dashboard-webview.test.ts.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import type { Browser, Frame, Page } from 'playwright-core';
import { formatPricePerHour, plainText } from '../../src/core/model/describe';
import type { Engine } from '../../src/core/engine/engine';
import type { Snapshot } from '../../src/core/model/model';
import { metricTable } from '../../webview/model/metricTable';
import { overviewTable } from '../../webview/model/overview';
import { comparePrices, equivalents, equivalentSentence, filterPrices, priceTable, youRun } from '../../webview/model/priceTable';
import type { RunpodState } from '../sim/runpod';
import type { Sim } from '../sim/server';
import type { VastState } from '../sim/vastai';
import { vastInstance } from '../sim/vastai-data';
import { launchChromium } from '../support/browser';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { dashboardFrame, eventually, expectedRows, pwnedInAnyFrame, readTable, selectTab } from '../support/dashboardFrame';
import { engineOnWiring, startDemoSim, wireToSim, type SimWiring } from '../support/simWiring';
import { openActivity, runCommand, screenshot, waitForWorkbench } from '../support/workbench';

const SENTINELS = ['<img src=x onerror=window.__pwned=1>', '</script><script>window.__pwned=2</script>', '"><svg onload=window.__pwned=3>'];
const VAST_TAB = 'cloud:vastai';
/** The overview's per-cloud table, below "Costing now" (whose own test is dashboard-history.test.ts). */
const OVERVIEW_CLOUDS = 'section.clouds';

/** Preferences: Color Theme, then the theme by its label (the picker is a second quick input). */
async function pickColorTheme(page: Page, label: string): Promise<void> {
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.fill('>Preferences: Color Theme');
  await rows
    .filter({ has: page.locator('[data-quick-input-id="workbench.action.selectTheme"]') })
    .first()
    .click();
  await rows.filter({ hasText: 'Dark Modern' }).first().waitFor({ timeout: 15_000 });
  await input.fill(label);
  await page.locator(`.quick-input-widget .monaco-list-row[aria-label^="${label}"]`).first().click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
}

describe('Cloudtop dashboard in code-server (UI end to end)', function () {
  this.bail(true); // one scenario in steps: later steps need the earlier ones
  let sim: Sim;
  let wiring: SimWiring;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let frame: Frame;
  let engine: Engine | undefined;
  const dialogs: string[] = [];
  /** Console errors about the Content Security Policy, from any frame (the webview's included). */
  const cspErrors: string[] = [];

  /** What the extension should show now: the same engine over the same simulator. */
  async function expected(): Promise<Snapshot> {
    return engine!.collector.refresh({ force: true });
  }

  const vast = () => sim.state<VastState>('vastai');

  before(async function () {
    sim = await startDemoSim({ hostile: true });
    // Payloads with a sentinel, on running GPU instances so they reach every table.
    SENTINELS.forEach((label, i) => vast().instances.push(vastInstance({ id: 42_000_001 + i, label, dph_base: 0.5 + i })));
    wiring = wireToSim(sim);
    engine = engineOnWiring(wiring);
    server = await startCodeServer({
      settings: { ...wiring.settings, 'workbench.colorTheme': 'Default Dark Modern', 'cloudtop.refreshInterval': 3600 },
      env: wiring.env,
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspErrors.push(`${message.location().url}: ${message.text()}`);
    });
    await page.goto(server.url);
    await waitForWorkbench(page);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page)
      await screenshot(page, `dashboard-failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await engine?.dispose();
    await browser?.close();
    await server?.stop();
    await sim?.close();
  });

  it('opens from the command palette and from the status-bar item, as one panel', async () => {
    // The Cloudtop container first: its views activate the extension and load the trees.
    await openActivity(page, 'Cloudtop');
    await page.locator('.sidebar .pane-header h3.title', { hasText: 'Vast.ai' }).waitFor({ timeout: 60_000 });
    await runCommand(page, 'Cloudtop: Open Dashboard');
    frame = await dashboardFrame(page);
    await eventually(
      () => frame.locator('#refresh-line').textContent(),
      (t) => /^updated \d+ s ago · next in \d+ min$/.test(t ?? ''),
      60_000,
      'the refresh line',
    );
    // The status-bar item appears once GPU spend is known; its click reveals the same panel.
    const item = page
      .locator('.statusbar-item', { hasText: '$' })
      .filter({ has: page.locator('.codicon-pulse') })
      .first();
    await item.waitFor({ timeout: 30_000 });
    await runCommand(page, 'View: Close All Editors');
    await item.click();
    frame = await dashboardFrame(page);
    assert.equal(await page.locator('.tabs-container .tab', { hasText: 'Cloudtop Dashboard' }).count(), 1, 'one dashboard tab');
  });

  it('shows one overview row per cloud with state, counts, spend, data age and problem', async () => {
    const want = await expected();
    const shown = await eventually(
      () => readTable(frame, 'overview', OVERVIEW_CLOUDS),
      (t) => t.rows.length === Object.keys(want.outcomes).length,
      30_000,
      'overview rows',
    );
    const rows = expectedRows(overviewTable(want, Date.now()));
    // Data age moves with the clock; every other cell must be exact.
    const ageColumn = shown.columns.indexOf('Data age');
    const strip = (r: { id: string; cells: string[] }) => ({ id: r.id, cells: r.cells.filter((_, i) => i !== ageColumn) });
    assert.deepEqual(shown.rows.map(strip), rows.map(strip));
    for (const r of shown.rows) assert.match(r.cells[ageColumn], /^(\d+ s|\d+ min|—)$/);
    const totals = (await frame.locator('.totals').textContent()) ?? '';
    assert.ok(
      totals.startsWith(`GPU spend ${formatPricePerHour(want.totals.gpuSpendPerHour)} across ${want.totals.runningGpuCount} running GPU`),
      totals,
    );
  });

  it('shows every Vast.ai resource with its exact metrics; hostile names are text', async () => {
    await selectTab(frame, VAST_TAB);
    const want = (await expected()).outcomes.vastai!;
    const shown = await eventually(
      () => readTable(frame, VAST_TAB),
      (t) => t.rows.length === want.resources.length,
      30_000,
      'Vast.ai rows',
    );
    assert.deepEqual(shown.rows, expectedRows(metricTable(want, Date.now())));
    // Independently of Cloudtop's code: names and prices straight from the simulator's rows.
    for (const i of vast().instances.filter((x) => x.actual_status === 'running' && x.label)) {
      const row: { cells: string[] } | undefined = shown.rows.find((r) => r.id === String(i.id));
      assert.ok(row, `instance ${i.id} shown`);
      assert.equal(row.cells[0], plainText(i.label!, 200));
      assert.ok(row.cells.includes(formatPricePerHour(i.dph_total)), `price of ${i.id}`);
    }
    for (const label of SENTINELS)
      assert.ok(
        shown.rows.some((r) => r.cells[0] === label),
        `${label} shown as text`,
      );
    // Light DOM only (Playwright's locators would also pierce vscode-elements' own shadow-root icons). The overview's
    // sparklines are the one SVG the dashboard draws itself (svg.spark, polylines only).
    assert.equal(
      await frame.evaluate(
        () => document.querySelectorAll('#cloudtop-dashboard img, #cloudtop-dashboard svg:not(.spark), #cloudtop-dashboard script').length,
      ),
      0,
    );
    assert.equal(
      await frame.evaluate(() => document.querySelectorAll('#cloudtop-dashboard svg.spark :not(title, polyline, circle)').length),
      0,
    );
  });

  it('sorts by mouse and by keyboard, with visible focus', async () => {
    const { columns } = await readTable(frame, VAST_TAB);
    const price = columns.indexOf('Price');
    const prices = async () =>
      (await readTable(frame, VAST_TAB)).rows
        .map((r) => r.cells[price])
        .filter((c) => c !== '—')
        .map((c) => Number(c.slice(1, -2)));
    const priceButton = frame.locator(`vscode-tab-panel[data-tab="${VAST_TAB}"] button.sort`, { hasText: /^Price/ });
    await priceButton.click();
    assert.equal((await readTable(frame, VAST_TAB)).sorts[price], 'descending');
    const desc = await prices();
    assert.deepEqual(
      desc,
      [...desc].sort((a, b) => b - a),
    );
    await priceButton.click();
    assert.equal((await readTable(frame, VAST_TAB)).sorts[price], 'ascending');
    const asc = await prices();
    assert.deepEqual(
      asc,
      [...asc].sort((a, b) => a - b),
    );

    // Keyboard alone: from the filter field, Tab reaches the table region, then the first header button.
    await frame.locator(`vscode-tab-panel[data-tab="${VAST_TAB}"] vscode-textfield input`).focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.match(await frame.evaluate(() => document.activeElement?.textContent ?? ''), /^Name/);
    assert.notEqual(
      await frame.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle),
      'none',
      'keyboard focus is visible',
    );
    const byName = (ascending: boolean) => (a: string, b: string) => (a === b ? 0 : a < b === ascending ? -1 : 1);
    await page.keyboard.press('Enter');
    let shown = await readTable(frame, VAST_TAB);
    assert.equal(shown.sorts[0], 'ascending');
    let names = shown.rows.map((r) => r.cells[0].toLowerCase());
    assert.deepEqual(names, [...names].sort(byName(true)));
    await page.keyboard.press('Space');
    shown = await readTable(frame, VAST_TAB);
    assert.equal(shown.sorts[0], 'descending');
    names = shown.rows.map((r) => r.cells[0].toLowerCase());
    assert.deepEqual(names, [...names].sort(byName(false)));
  });

  it('filters by text typed into the filter field', async () => {
    const want = (await expected()).outcomes.vastai!;
    const field = frame.locator(`vscode-tab-panel[data-tab="${VAST_TAB}"] vscode-textfield input`);
    await field.click();
    await page.keyboard.type('onerror');
    const matching = want.resources.filter((r) =>
      [r.name, r.id, r.region, r.service, r.gpu?.model].join(' ').toLowerCase().includes('onerror'),
    );
    const shown = await eventually(
      () => readTable(frame, VAST_TAB),
      (t) => t.rows.length === matching.length,
      10_000,
      'filtered rows',
    );
    assert.deepEqual(shown.rows.map((r) => r.id).sort(), matching.map((r) => r.id).sort());
    assert.equal(shown.count, `${matching.length} of ${want.resources.length} resources`);
    await field.fill('');
    await eventually(
      () => readTable(frame, VAST_TAB),
      (t) => t.rows.length === want.resources.length,
      10_000,
      'unfiltered rows',
    );
  });

  it('compares GPU prices across clouds, marks the cheapest, filters by model and memory', async () => {
    await selectTab(frame, 'prices');
    const want = await expected();
    const comparison = comparePrices(want);
    const shown = await eventually(
      () => readTable(frame, 'prices'),
      (t) => t.rows.length === comparison.rows.length,
      30_000,
      'price rows',
    );
    // The GPUs the user runs come first (youRun), then the rest by name; one line per cell.
    assert.deepEqual(shown.rows, expectedRows(priceTable(comparison, comparison.rows, youRun(want))));
    for (const row of shown.rows) {
      assert.ok(row.cells.filter((c) => c.startsWith('★ ')).length <= 1, `one cheapest cell for ${row.id}`);
      assert.ok(
        row.cells.every((c) => !c.includes('\n')),
        `one line per cell for ${row.id}`,
      );
    }
    // Independently: the RunPod Secure Cloud list price of one GPU reaches its cell.
    const rp = sim.state<RunpodState>('runpod').gpus.find((g) => g.id === 'NVIDIA H100 80GB HBM3')!;
    const h100 = shown.rows.find((r) => r.id === 'H100-SXM-80GB')!;
    assert.match(
      h100.cells[shown.columns.indexOf('RunPod')],
      new RegExp(`^(★ )?\\${formatPricePerHour(Math.min(rp.price.secure, rp.price.community || Infinity))}$`),
    );
    const sentences = await frame.locator('ul.equivalents li .sentence').allTextContents();
    assert.deepEqual(sentences, equivalents(want).map(equivalentSentence));

    await frame.locator('vscode-textfield.price-model input').fill('h100');
    const filtered = await eventually(
      () => readTable(frame, 'prices'),
      (t) => t.rows.every((r) => r.id.includes('H100')) && t.rows.length > 0,
      10_000,
      'H100 rows',
    );
    assert.deepEqual(
      filtered.rows.map((r) => r.id),
      priceTable(comparison, filterPrices(comparison.rows, { model: 'h100', minMemoryGb: 0 }), youRun(want)).rows.map((r) => r.id),
    );
    await frame.locator('vscode-textfield.price-model input').fill('');
    await frame.locator('vscode-single-select.price-memory').click();
    await frame.locator('vscode-single-select.price-memory [role=option]', { hasText: '≥ 80 GB' }).first().click();
    const big = await eventually(
      () => readTable(frame, 'prices'),
      (t) => t.rows.length > 0 && t.rows.every((r) => Number(/(\d+)GB$/.exec(r.id)?.[1]) >= 80),
      10_000,
      '≥ 80 GB rows',
    );
    assert.deepEqual(
      big.rows.map((r) => r.id),
      priceTable(comparison, filterPrices(comparison.rows, { model: '', minMemoryGb: 80 }), youRun(want)).rows.map((r) => r.id),
    );
  });

  it('shows new values after the simulator changes and a refresh (button, then palette)', async () => {
    await selectTab(frame, VAST_TAB);
    const target = vast().instances.find((i) => i.id === 42_000_001)!;
    target.dph_total = 7.77;
    target.gpu_util = 42;
    await frame.locator('vscode-button#refresh').click();
    const row = () => readTable(frame, VAST_TAB).then((t) => t.rows.find((r) => r.id === String(target.id))?.cells ?? []);
    await eventually(row, (cells) => cells.includes('$7.77/h') && cells.includes('42%'), 60_000, 'the new price after the Refresh button');
    target.dph_total = 8.88;
    await runCommand(page, 'Cloudtop: Refresh');
    await eventually(row, (cells) => cells.includes('$8.88/h'), 60_000, 'the new price after Cloudtop: Refresh');
    assert.deepEqual(dialogs, []);
  });

  it("marks a failing cloud's last good values as stale, with their age", async () => {
    sim.faults.add('vastai', '*', { status: 500, times: Infinity });
    try {
      await runCommand(page, 'Cloudtop: Refresh');
      const caption = () =>
        frame
          .locator(`vscode-tab-panel[data-tab="${VAST_TAB}"] .caption`)
          .textContent()
          .then((t) => t ?? '');
      assert.match(await eventually(caption, (t) => t.includes('STALE'), 90_000, 'the stale caption'), /data \d+ (s|min) old/);
      const shown = await readTable(frame, VAST_TAB);
      assert.ok(shown.rows.length > 0 && shown.rows.every((r) => r.cells[1].endsWith('(stale)')), 'every status says stale');
      assert.match(
        (await frame.locator(`vscode-tab-panel[data-tab="${VAST_TAB}"] .error-banner`).textContent()) ?? '',
        /^Last refresh failed/,
      );
      assert.ok((await frame.locator(`vscode-tab-panel[data-tab="${VAST_TAB}"] td.mark-stale`).count()) > 0, 'metric cells marked stale');
    } finally {
      sim.faults.clear('vastai');
    }
    await runCommand(page, 'Cloudtop: Refresh');
    await eventually(
      () => readTable(frame, VAST_TAB),
      (t) => t.rows.every((r) => !r.cells[1].endsWith('(stale)')),
      90_000,
      'fresh values again',
    );
  });

  it('says which part of a cloud was not updated, while its instances stay current', async () => {
    // Metrics are fetched again by every refresh (GPU prices keep their own 15-minute age): a Cloudflare token
    // without Analytics: Read, as GraphQL answers it.
    const tab = 'cloud:cloudflare';
    await selectTab(frame, tab);
    const banner = frame.locator(`vscode-tab-panel[data-tab="${tab}"] .warning-banner`);
    const text = () => banner.isVisible().then(async (visible) => (visible ? ((await banner.textContent()) ?? '') : ''));
    const denied = {
      data: null,
      errors: [
        {
          message: 'not authorized for that account',
          path: ['viewer', 'accounts', '0'],
          extensions: { timestamp: new Date().toISOString() },
        },
      ],
    };
    sim.faults.add('cloudflare', 'POST /graphql', { status: 200, body: denied, times: Infinity });
    try {
      await runCommand(page, 'Cloudtop: Refresh');
      assert.match(
        await eventually(text, (t) => t !== '', 90_000, 'the warning banner'),
        /^Metrics not updated \(permission\): .*not authorized for that account/,
      );
      const shown = await readTable(frame, tab);
      assert.ok(shown.rows.length > 0 && shown.rows.every((r) => !r.cells[1].endsWith('(stale)')), 'the resources are current');
      assert.equal(await frame.locator(`vscode-tab-panel[data-tab="${tab}"] .error-banner`).isVisible(), false);
    } finally {
      sim.faults.clear('cloudflare');
    }
    await runCommand(page, 'Cloudtop: Refresh');
    await eventually(text, (t) => t === '', 90_000, 'the banner gone after a full refresh');
    await selectTab(frame, VAST_TAB);
  });

  it('counts the GPU instances it cannot price, with why, and says when a price list is stale', async () => {
    // Oracle's list answers, but prices none of the parts the tenancy's GPU shapes bill under.
    const route = 'GET /pls/apex/cetools/api/v1/products';
    sim.faults.add('oci', route, { status: 200, body: { lastUpdated: '2026-12-07T00:00:00Z', items: [] }, times: Infinity });
    const statusBar = page.locator('.statusbar-item', { hasText: '/h' }).first();
    // A hidden tab is not redrawn: the overview is shown first.
    await selectTab(frame, 'overview');
    try {
      const want = await engine!.collector.refresh({ force: true, renewReference: true });
      const n = want.totals.unpricedGpuCount;
      assert.ok(n > 0, 'the simulated tenancy runs GPU instances');
      await runCommand(page, 'Cloudtop: Refresh');
      const suffix = ` + ${n} GPU instance${n === 1 ? '' : 's'} unpriced`;
      const totals = await eventually(
        async () => (await frame.locator('.totals').textContent()) ?? '',
        (t) => t.includes(suffix),
        90_000,
        'the unpriced count in the totals',
      );
      assert.ok(totals.startsWith(`GPU spend ${formatPricePerHour(want.totals.gpuSpendPerHour)}${suffix}`), totals);
      const overview = await readTable(frame, 'overview', OVERVIEW_CLOUDS);
      const oci = overview.rows.find((r) => r.id === 'oci')!;
      assert.match(oci.cells[overview.columns.indexOf('GPU spend')], new RegExp(`\\+ ${n} GPU instances? unpriced`));
      assert.match(oci.cells[overview.columns.indexOf('Problem')], /GPU instance prices unknown .*price list has no price for part/);
      assert.match((await statusBar.textContent()) ?? '', new RegExp(`\\+ ${n} unpriced`));
      assert.match((await statusBar.getAttribute('aria-label')) ?? '', new RegExp(`GPU instances? unpriced`));
      await statusBar.hover();
      const hover = page.locator('.monaco-hover', { hasText: 'price unknown' }).first();
      await hover.waitFor({ timeout: 15_000 });
      // MarkdownString.appendText writes spaces as no-break spaces.
      assert.match(
        ((await hover.textContent()) ?? '').replace(/\u00a0/g, ' '),
        /Oracle Cloud — \$[\d.]+\/h \+ \d+ GPU instances? unpriced[\s\S]*price unknown: \S/,
      );
      await screenshot(page, 'dashboard-unpriced');
      // Then the list fails: the last good copy (the one above) stays in use, and the warning says how old it is.
      sim.faults.clear('oci');
      sim.faults.add('oci', route, { status: 500, times: Infinity });
      await runCommand(page, 'Cloudtop: Refresh');
      const problem = await eventually(
        async () => (await readTable(frame, 'overview', OVERVIEW_CLOUDS)).rows.find((r) => r.id === 'oci')?.cells.join(' ') ?? '',
        (t) => /reference data not updated/i.test(t),
        90_000,
        'the reference warning',
      );
      assert.match(problem, /Oracle's price list could not be read: .*Using the copy read \d+ (s|min) ago/);
    } finally {
      sim.faults.clear('oci');
    }
    await runCommand(page, 'Cloudtop: Refresh');
    await eventually(
      async () => (await frame.locator('.totals').textContent()) ?? '',
      (t) => !t.includes('unpriced'),
      90_000,
      'every GPU priced again',
    );
    await selectTab(frame, VAST_TAB);
  });

  it('keeps tab, sort and filter across hide/show and a window reload', async () => {
    const field = frame.locator(`vscode-tab-panel[data-tab="${VAST_TAB}"] vscode-textfield input`);
    await field.fill('train');
    await frame.locator(`vscode-tab-panel[data-tab="${VAST_TAB}"] button.sort`, { hasText: /^Price/ }).click();
    const before = await readTable(frame, VAST_TAB);
    const check = async (when: string) => {
      frame = await dashboardFrame(page);
      const after = await eventually(
        () => readTable(frame, VAST_TAB),
        (t) => t.rows.length > 0,
        30_000,
        `rows ${when}`,
      );
      assert.equal(await frame.locator(`vscode-tab-panel[data-tab="${VAST_TAB}"]:not([hidden])`).count(), 1, `Vast.ai tab active ${when}`);
      assert.equal(
        await frame.locator(`vscode-tab-panel[data-tab="${VAST_TAB}"] vscode-textfield input`).inputValue(),
        'train',
        `filter ${when}`,
      );
      assert.deepEqual(after.sorts, before.sorts, `sort ${when}`);
      assert.deepEqual(
        after.rows.map((r) => r.id),
        before.rows.map((r) => r.id),
        `row order ${when}`,
      );
    };
    // Another editor in front hides the dashboard: its webview is destroyed (no retainContextWhenHidden).
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('README.md');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'README.md' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab.active', { hasText: 'README.md' }).waitFor({ timeout: 15_000 });
    assert.equal(
      await dashboardFrame(page, 2000).then(
        () => true,
        () => false,
      ),
      false,
      'the hidden dashboard has no document',
    );
    await page.waitForTimeout(1000);
    await runCommand(page, 'Cloudtop: Open Dashboard');
    await check('after hide/show');
    await runCommand(page, 'Developer: Reload Window');
    await waitForWorkbench(page);
    await page.locator('.tabs-container .tab', { hasText: 'Cloudtop Dashboard' }).click({ timeout: 60_000 });
    await check('after a window reload');
  });

  it('serves a CSP without unsafe-inline, unsafe-eval or remote origins', async () => {
    const csp = (await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values]),
    );
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.equal(directives.get('script-src')?.length, 1);
    assert.match(directives.get('script-src')![0], /^'nonce-[A-Za-z0-9+/=]{16,}'$/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|unsafe-hashes|data:|blob:/);
    // webview.cspSource, exactly: VS Code's webview resource origin ('self' and *.vscode-cdn.net, which its
    // service worker answers from the extension's files, never the network). No other origin.
    const source = directives.get('style-src');
    assert.ok(source && source.length > 0 && source.every((s) => s === "'self'" || /^https:\/\/\*\.vscode-cdn\.net$/.test(s)), csp);
    for (const d of ['img-src', 'font-src']) assert.deepEqual(directives.get(d), source);
  });

  it('follows the dark, light and high-contrast themes, and saves a screenshot of each', async () => {
    await frame.locator(`vscode-tab-panel[data-tab="${VAST_TAB}"] vscode-textfield input`).fill('');
    const themes = [
      ['dark', 'Dark Modern', 'vs-dark'],
      ['light', 'Light Modern', 'vs'],
      ['high-contrast', 'Dark High Contrast', 'hc-black'],
    ] as const;
    // The dashboard paints with the theme's own colours: its background is the editor background VS Code hands
    // the webview for the current theme, so each theme gives another colour.
    const backgrounds: string[] = [];
    const themed = () =>
      frame.evaluate(() => ({
        body: getComputedStyle(document.body).backgroundColor,
        editor: (() => {
          const probe = document.createElement('div');
          probe.style.backgroundColor = 'var(--vscode-editor-background)';
          document.body.append(probe);
          const color = getComputedStyle(probe).backgroundColor;
          probe.remove();
          return color;
        })(),
      }));
    for (const [name, label, themeClass] of themes) {
      await pickColorTheme(page, label);
      await eventually(
        () =>
          page
            .locator('.monaco-workbench')
            .first()
            .getAttribute('class')
            .then((c) => (c ?? '').split(/\s+/)),
        (c) => c.includes(themeClass),
        30_000,
        `${name} theme`,
      );
      const colours = await eventually(
        themed,
        (c) => c.editor !== 'rgba(0, 0, 0, 0)' && c.body === c.editor && !backgrounds.includes(c.body),
        30_000,
        `the dashboard restyled for ${name}`,
      );
      backgrounds.push(colours.body);
      await selectTab(frame, VAST_TAB);
      await screenshot(page, `dashboard-vastai-${name}`);
      await selectTab(frame, 'prices');
      const file = await screenshot(page, `dashboard-prices-${name}`);
      assert.ok(statSync(file).size > 10_000, `${file} holds a picture`);
    }
    assert.equal(new Set(backgrounds).size, 3, `three themes, three backgrounds: ${backgrounds.join(', ')}`);
  });

  it('ran no script from any cloud-provided name', async () => {
    assert.deepEqual(dialogs, [], 'no alert/confirm/prompt dialog');
    assert.deepEqual(await pwnedInAnyFrame(page), [], 'no sentinel set in any frame');
    assert.deepEqual(
      cspErrors.filter((e) => /webview|vscode-cdn|dashboard/i.test(e)),
      [],
      'the dashboard broke no CSP rule',
    );
  });
});
