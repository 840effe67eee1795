// UI end to end, first run: Cloudtop freshly installed in code-server with nothing connected. The side bar holds one
// "Get Started" welcome and no view per unconnected cloud; the GPU prices tab lists public prices (Oracle's price list,
// Azure's Retail Prices API, from their simulators) before any key. With a gcloud login on the machine (the simulator's
// gcloud stand-in), Google Cloud is offered first, with the account it is signed in as.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createEngine } from '../../src/core/engine/engine';
import { CLOUD_IDS, CLOUD_NAMES } from '../../src/core/model/model';
import { catalogue } from '../../src/providers/index';
import { comparePrices, priceTable } from '../../webview/model/priceTable';
import type { GcpState } from '../sim/gcp';
import { installFakeGcloud } from '../sim/gcp-login';
import type { Sim } from '../sim/server';
import { launchChromium } from '../support/browser';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { dashboardFrame, eventually, expectedRows, readTable } from '../support/dashboardFrame';
import { startDemoSim, wireToSim } from '../support/simWiring';
import { openActivity, runCommand, screenshot, waitForWorkbench } from '../support/workbench';

/** Every cloud's credential variables emptied, and a home with no CLI configuration: nothing to find. */
function noCredentials(home: string): Record<string, string> {
  const env: Record<string, string> = {
    HOME: home,
    CLOUDSDK_CONFIG: path.join(home, 'no-gcloud'),
    AZURE_CONFIG_DIR: path.join(home, 'no-azure'),
    OCI_CLI_CONFIG_FILE: path.join(home, 'no-oci', 'config'),
    GOOGLE_APPLICATION_CREDENTIALS: '',
  };
  for (const entry of Object.values(catalogue)) for (const field of entry.credentialFields) for (const name of field.env) env[name] = '';
  return env;
}

const welcome = (page: Page) => page.locator('.sidebar .welcome-view-content');
const welcomeButtons = (page: Page) => welcome(page).locator('.monaco-button').allTextContents();
/** The side bar's view titles: pane headers, or the container's title when one view fills it ("CLOUDTOP: GET STARTED"). */
const sidebarText = (page: Page) => page.locator('.sidebar').innerText();

describe('Cloudtop first run in code-server (UI end to end)', function () {
  let sim: Sim;
  let browser: Browser | undefined;
  let home: string;

  before(async () => {
    sim = await startDemoSim({ latencyMs: 0 });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await sim?.close();
  });

  describe('with no credential and no CLI login', function () {
    this.bail(true);
    let server: CodeServer | undefined;
    let page: Page;

    before(async () => {
      home = mkdtempSync(path.join(tmpdir(), 'cloudtop-first-run-'));
      const wiring = wireToSim(sim, { withoutKeys: [...CLOUD_IDS] });
      server = await startCodeServer({ settings: wiring.settings, env: { ...wiring.env, ...noCredentials(home) } });
      page = await browser!.newPage({ viewport: { width: 1500, height: 950 } });
      await page.goto(server.url);
      await waitForWorkbench(page);
      sim.log.clear();
    });

    afterEach(async function () {
      if (this.currentTest?.state === 'failed' && page)
        await screenshot(page, `first-run-failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
    });

    after(async () => {
      await page?.close();
      await server?.stop();
      rmSync(home, { recursive: true, force: true });
    });

    it('shows one welcome and no view per unconnected cloud', async () => {
      await openActivity(page, 'Cloudtop');
      await welcome(page).filter({ hasText: 'GPU spend per hour' }).waitFor({ timeout: 60_000 });
      // The extension is active once its welcome's buttons are there.
      const buttons = await eventually(
        () => welcomeButtons(page),
        (b) => b.includes('Compare GPU Prices'),
        30_000,
        'welcome buttons',
      );
      assert.deepEqual(buttons, ['Compare GPU Prices', 'Connect a Cloud…'], 'nothing found to offer first');
      assert.equal(await page.locator('.sidebar .welcome-view-content').count(), 1, 'one welcome, not seven');
      const text = await sidebarText(page);
      for (const cloud of CLOUD_IDS) assert.ok(!text.includes(CLOUD_NAMES[cloud].toUpperCase()), `no ${CLOUD_NAMES[cloud]} view`);
      assert.equal(await page.locator('.sidebar .pane-header h3.title', { hasText: 'Neon' }).count(), 0);
      await screenshot(page, 'first-run-welcome');
    });

    it('compares GPU prices from the public catalogues of Oracle Cloud and Azure before any key', async () => {
      await welcome(page).locator('.monaco-button', { hasText: 'Compare GPU Prices' }).click();
      const frame = await dashboardFrame(page);
      await frame.locator('vscode-tab-panel[data-tab="prices"]:not([hidden])').waitFor({ timeout: 30_000 });
      // The same engine over the same simulators, with no credential, asked for public offers.
      const engine = createEngine({
        catalogue,
        env: { ...wiring().env, ...noCredentials(home) },
        cache: { backend: 'memory' },
        config: (cloud) => ({ enabled: true, ...(sim.cloudIds().includes(cloud) ? { endpoint: sim.endpoint(cloud) } : {}) }),
      });
      const want = await engine.collector.refresh({ publicOffers: true }).finally(() => engine.dispose());
      const comparison = comparePrices(want);
      assert.deepEqual(comparison.clouds, ['oci', 'azure'], 'the expectation covers two clouds');
      const shown = await eventually(
        () => readTable(frame, 'prices'),
        (t) => t.rows.length === comparison.rows.length && t.columns.includes('Azure') && t.columns.includes('Oracle Cloud'),
        90_000,
        'public price rows of two clouds',
      );
      assert.deepEqual(shown.columns, ['GPU', 'Memory', 'Cheapest', 'Oracle Cloud', 'Azure']);
      assert.deepEqual(shown.rows, expectedRows(priceTable(comparison, comparison.rows)));
      const h100 = shown.rows.filter((r) => r.id.startsWith('H100'));
      assert.ok(h100.length > 0, 'what an H100 costs is on the first screen');
      assert.match(
        await frame.locator('section.prices p.sources').innerText(),
        /^Oracle Cloud and Azure: public price lists, read without a key/,
      );
      assert.match(await frame.locator('section.prices .availability-note').innerText(), /Oracle Cloud and Azure report none/);
      // Nothing but the public price lists was asked: no listing, no sign-in, no other cloud.
      const others = sim.log
        .entries()
        .filter((e) => !(e.cloud === 'oci' && /^\/(pls\/apex\/cetools|a\/ocom\/docs\/cloudestimator2)/.test(e.path)))
        .filter((e) => !(e.cloud === 'azure' && e.path.startsWith('/api/retail/prices')));
      assert.deepEqual(
        others.map((e) => `${e.cloud ?? '?'} ${e.method} ${e.path}`),
        [],
      );
      await screenshot(page, 'first-run-prices');
    });

    it('"Connect a Cloud…" shows the chosen cloud\'s view, whose welcome says how, and the welcome steps aside', async () => {
      await runCommand(page, 'View: Close All Editors');
      await openActivity(page, 'Cloudtop');
      await welcome(page).locator('.monaco-button', { hasText: 'Connect a Cloud…' }).click();
      const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Vast.ai' }).first();
      await row.waitFor({ timeout: 15_000 });
      await row.click();
      await welcome(page).filter({ hasText: 'Connect Vast.ai' }).waitFor({ timeout: 30_000 });
      await eventually(
        () => sidebarText(page),
        (t) => !t.includes('GPU spend per hour') && !t.includes('GOOGLE CLOUD'),
        15_000,
        'the Get Started welcome gone, no other cloud shown',
      );
      await screenshot(page, 'first-run-connect-vastai');
    });

    /** The wiring the server got (kept in one place for the expectation's engine). */
    function wiring() {
      return wireToSim(sim, { withoutKeys: [...CLOUD_IDS] });
    }
  });

  describe('with a gcloud login on the machine', function () {
    this.bail(true);
    let server: CodeServer | undefined;
    let page: Page;

    before(async () => {
      home = mkdtempSync(path.join(tmpdir(), 'cloudtop-first-run-gcloud-'));
      const bin = path.join(home, 'bin');
      mkdirSync(bin);
      const fake = installFakeGcloud(bin, { project: sim.state<GcpState>('gcp').projects[0].projectId });
      const wiring = wireToSim(sim, { withoutKeys: [...CLOUD_IDS] });
      server = await startCodeServer({
        settings: wiring.settings,
        env: {
          ...wiring.env,
          ...noCredentials(home),
          CLOUDSDK_CONFIG: fake.config,
          PATH: `${bin}:${process.env.PATH ?? ''}`,
        },
      });
      page = await browser!.newPage({ viewport: { width: 1500, height: 950 } });
      await page.goto(server.url);
      await waitForWorkbench(page);
    });

    afterEach(async function () {
      if (this.currentTest?.state === 'failed' && page)
        await screenshot(page, `first-run-gcloud-failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
    });

    after(async () => {
      await page?.close();
      await server?.stop();
      rmSync(home, { recursive: true, force: true });
    });

    it('offers Google Cloud first, saying whose gcloud login it found', async () => {
      await openActivity(page, 'Cloudtop');
      const rows = page.locator('.sidebar .monaco-list-row');
      const texts = await eventually(
        () =>
          rows.evaluateAll((nodes) =>
            nodes.map(
              (n) => `${n.querySelector('.label-name')?.textContent ?? ''} | ${n.querySelector('.label-description')?.textContent ?? ''}`,
            ),
          ),
        (t) => t.length > 0 && t[0].includes('Show Google Cloud'),
        60_000,
        'the offer',
      );
      assert.deepEqual(
        texts,
        [
          'Show Google Cloud | gcloud is signed in as dev@example.com',
          "Compare GPU Prices | Oracle's and Azure's public price lists, no key needed",
          'Connect Another Cloud… | its view says how',
          "Show Every Cloud's View | connected or not",
        ],
        'Google Cloud first, with whose login it is',
      );
      assert.equal(await page.locator('.sidebar .pane-header h3.title', { hasText: 'Google Cloud' }).count(), 0, 'no view yet');
      await screenshot(page, 'first-run-gcloud-offer');
    });

    it('"Show Google Cloud" shows its view, and the welcome steps aside', async () => {
      // The keyboard works as a mouse would: the first row is focused and Enter runs it.
      await page.locator('.sidebar .monaco-list-row', { hasText: 'Show Google Cloud' }).click();
      await eventually(
        () => sidebarText(page),
        (t) => /Google Cloud/i.test(t) && !t.includes('Show Google Cloud'),
        30_000,
        'the Google Cloud view instead of the welcome',
      );
      // Its rows are the cloud's (this machine's own gcloud may answer for the stand-in: code-server takes PATH from the
      // login shell), so only the view itself is checked here; test/integration/gcp.test.ts covers gcloud's tokens.
      await page.locator('.sidebar .monaco-list-row').first().waitFor({ timeout: 60_000 });
      await screenshot(page, 'first-run-gcloud-shown');
    });
  });
});
