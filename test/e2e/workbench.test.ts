// UI end to end: the packaged .vsix in a real code-server, driven in headless Chromium like a person would.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { findFrame, openActivity, runCommand, screenshot, viewTitles, waitForWorkbench } from '../support/workbench';

const TITLES = ['Cloudflare', 'Oracle Cloud', 'Azure', 'Google Cloud', 'Neon', 'Vast.ai', 'RunPod'];

describe('Cloudtop in code-server (UI end to end)', function () {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async function () {
    server = await startCodeServer();
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
  });

  it('opens the Cloudtop container from the activity bar and shows all seven views', async () => {
    await openActivity(page, 'Cloudtop');
    await page.waitForFunction(
      (count) => document.querySelectorAll('.sidebar .pane-header h3.title').length >= count,
      TITLES.length,
      { timeout: 30_000 },
    );
    assert.deepEqual(await viewTitles(page), TITLES);
    // Once the extension has activated, every view has a tree provider and shows its welcome content
    // instead of VS Code's "no data provider" placeholder.
    await page.locator('.sidebar .welcome-view-content', { hasText: 'Oracle Cloud support is not built yet' }).waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => !document.querySelector('.sidebar')?.textContent?.includes('There is no data provider registered'), undefined, { timeout: 30_000 });
    // Clouds without a key offer to connect one.
    await page.locator('.sidebar .welcome-view-content', { hasText: 'Connect Vast.ai' }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'cloudtop-container');
  });

  it('runs "Cloudtop: Refresh" from the command palette', async () => {
    await runCommand(page, 'Cloudtop: Refresh');
    const errors = await page.locator('.notifications-toasts .codicon-error').count();
    assert.equal(errors, 0, 'no error notification after the refresh');
  });

  it('runs "Cloudtop: Open Dashboard" and shows the dashboard document in a webview', async () => {
    await runCommand(page, 'Cloudtop: Open Dashboard');
    const frame = await findFrame(page, '#cloudtop-dashboard h1');
    assert.equal(await frame.locator('#cloudtop-dashboard h1').textContent(), 'Cloudtop');
    await screenshot(page, 'dashboard');
  });
});
