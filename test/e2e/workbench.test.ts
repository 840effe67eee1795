// UI end to end: the packaged .vsix in a real code-server, driven in headless Chromium like a person would.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import type { Sim } from '../sim/server';
import { startDemoSim, wireToSim } from '../support/simWiring';
import { findFrame, openActivity, runCommand, screenshot, viewTitles, waitForWorkbench } from '../support/workbench';

const TITLES = ['Cloudflare', 'Oracle Cloud', 'Azure', 'Google Cloud', 'Neon', 'Vast.ai', 'RunPod'];

describe('Cloudtop in code-server (UI end to end)', function () {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let sim: Sim;

  before(async function () {
    // Only Neon has a key: the other views show their welcome content. A long cache TTL means that any call Neon's
    // simulator sees after the first refresh comes from a manual refresh, never from the timer.
    sim = await startDemoSim({ latencyMs: 0 });
    const wiring = wireToSim(sim, { withoutKeys: ['cloudflare', 'vastai', 'runpod', 'gcp'] });
    // No gcloud configuration of the machine's own either: Google Cloud shows its welcome.
    server = await startCodeServer({
      settings: { ...wiring.settings, 'cloudtop.cache.ttlSeconds': 3600 },
      env: { ...wiring.env, CLOUDSDK_CONFIG: '/nonexistent-cloudtop-gcloud-config' },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.url);
    await waitForWorkbench(page);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await screenshot(page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await sim?.close();
  });

  it("opens the Cloudtop container: the connected cloud's view only, and every view on request", async () => {
    await openActivity(page, 'Cloudtop');
    // Neon has a key (its environment variable): its view is shown; the six clouds without one have none, and no
    // "Get Started" welcome is needed once a cloud is shown.
    await page.waitForFunction(
      () => {
        const text = document.querySelector<HTMLElement>('.sidebar')?.innerText ?? '';
        return /neon/i.test(text) && !text.includes('GPU spend per hour');
      },
      undefined,
      { timeout: 30_000 },
    );
    await page.waitForFunction(
      () => !document.querySelector('.sidebar')?.textContent?.includes('There is no data provider registered'),
      undefined,
      { timeout: 30_000 },
    );
    const alone = await page.locator('.sidebar').innerText();
    for (const title of TITLES.filter((t) => t !== 'Neon')) assert.ok(!alone.includes(title.toUpperCase()), `no ${title} view`);
    assert.ok(!alone.includes('GPU spend per hour'), 'no Get Started welcome');
    // "Show Every Cloud's View" brings back all seven, each with its tree or its welcome content.
    await runCommand(page, "Cloudtop: Show Every Cloud's View");
    await page.waitForFunction((count) => document.querySelectorAll('.sidebar .pane-header h3.title').length >= count, TITLES.length, {
      timeout: 30_000,
    });
    assert.deepEqual(await viewTitles(page), TITLES);
    await page.locator('.sidebar .welcome-view-content', { hasText: 'Connect Google Cloud' }).waitFor({ timeout: 30_000 });
    // Clouds without a key offer to connect one.
    await page.locator('.sidebar .welcome-view-content', { hasText: 'Connect Vast.ai' }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'cloudtop-container');
  });

  it('runs "Cloudtop: Refresh" from the command palette: the configured cloud is fetched again', async () => {
    // The views' first (automatic) refresh fetches Neon; let it finish.
    for (let waited = 0; waited < 30_000 && sim.log.count('neon') === 0; waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const before = sim.log.count('neon');
    assert.ok(before > 0, 'the first refresh fetched Neon');
    await runCommand(page, 'Cloudtop: Refresh');
    const deadline = Date.now() + 30_000;
    while (sim.log.count('neon') === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(sim.log.count('neon') > before, 'the palette command called Neon again, within the cache TTL');
    assert.equal(
      sim.log.count('vastai') + sim.log.count('runpod') + sim.log.count('cloudflare'),
      0,
      'clouds without a key are never called',
    );
  });

  it('runs "Cloudtop: Open Dashboard" and shows the dashboard document in a webview', async () => {
    await runCommand(page, 'Cloudtop: Open Dashboard');
    const frame = await findFrame(page, '#cloudtop-dashboard h1');
    assert.equal(await frame.locator('#cloudtop-dashboard h1').textContent(), 'Cloudtop');
    await screenshot(page, 'dashboard');
  });
});
