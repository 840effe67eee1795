// `npm run screenshots`: the README's pictures, taken from the `npm start` demo (the same simulated clouds with
// their ordinary names, the same code-server with the packaged .vsix) in headless Chromium, written to
// docs/images/. The UI tests keep their own screenshots, hostile names and all, under test-results/.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/support/browser';
import { startCodeServer } from '../test/support/codeServer';
import { dashboardFrame, selectTab } from '../test/support/dashboardFrame';
import type { VastState } from '../test/sim/vastai';
import { startDemoSim, wireToSim } from '../test/support/simWiring';
import { openActivity, pane, runCommand, showOnly, waitForWorkbench } from '../test/support/workbench';
import { ROOT } from './vscode-env.mjs';

const IMAGES = path.join(ROOT, 'docs', 'images');

async function save(page: Page, name: string): Promise<void> {
  const file = path.join(IMAGES, name);
  await page.screenshot({ path: file });
  process.stdout.write(`wrote ${path.relative(ROOT, file)}\n`);
}

async function main(): Promise<void> {
  execFileSync('npm', ['run', 'package'], { cwd: ROOT, stdio: 'inherit' });
  const sim = await startDemoSim();
  const wiring = wireToSim(sim);
  const server = await startCodeServer({ settings: wiring.settings, env: wiring.env });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(server.url);
    await waitForWorkbench(page);
    await openActivity(page, 'Cloudtop');
    await page.locator('.sidebar .pane-header h3.title', { hasText: 'RunPod' }).waitFor({ timeout: 30_000 });
    await showOnly(page, ['Vast.ai', 'RunPod']);
    for (const title of ['Vast.ai', 'RunPod']) await pane(page, title).locator('.monaco-list-row').nth(1).waitFor({ timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: '/h' }).first().waitFor({ timeout: 60_000 });
    // A side bar wide enough for the status, GPU load and price of each row, and one instance opened on its metrics.
    const sidebar = await page.locator('.part.sidebar').boundingBox();
    const sashes = await page.locator('.monaco-sash.vertical').all();
    let box: { x: number; y: number; width: number; height: number } | null = null;
    for (const sash of sashes) {
      const b = await sash.boundingBox();
      if (sidebar && b && b.height > 200 && Math.abs(b.x + b.width / 2 - (sidebar.x + sidebar.width)) < 6) box = b;
    }
    if (box) {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(720, box.y + box.height / 2, { steps: 10 });
      await page.mouse.up();
    }
    await pane(page, 'Vast.ai').locator('.monaco-list-row[aria-expanded="false"]', { hasText: 'running' }).first().click();
    await page.waitForTimeout(1000); // progress bars fade out
    await save(page, 'sidebar.png');

    await runCommand(page, 'Cloudtop: Open Dashboard');
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility'); // the whole window for the price table
    const frame = await dashboardFrame(page);
    // The overview after a few refreshes, with the Vast.ai instances' GPU load moving between them (the demo's values
    // are fixed otherwise), and the most expensive instance's chart open.
    const busy = sim.state<VastState>('vastai').instances.filter((i) => i.actual_status === 'running' && i.gpu_util !== null);
    for (let step = 0; step < 8; step++) {
      busy.forEach((instance, k) => (instance.gpu_util = Math.round(50 + 45 * Math.sin(step / 1.5 + k))));
      await runCommand(page, 'Cloudtop: Refresh');
      await page.waitForTimeout(2500);
    }
    // A Vast.ai instance's chart (its load moved above), then the whole list again with that row still selected.
    const filter = frame.locator('section.costing vscode-textfield input');
    await filter.fill('Vast.ai');
    await frame.locator('section.costing tbody tr.row').first().click();
    await filter.fill('');
    await frame.locator('section.resource-chart canvas').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    await save(page, 'dashboard-overview.png');
    await selectTab(frame, 'prices');
    await frame.locator('vscode-tab-panel[data-tab="prices"] tbody tr.row').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    await save(page, 'dashboard-prices.png');
  } finally {
    await browser.close();
    await server.stop();
    await sim.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
