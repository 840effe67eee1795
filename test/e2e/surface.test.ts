// What a person sees in the sidebar and status bar, against simulated clouds: the packaged .vsix in
// code-server, driven in headless Chromium.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunpodState } from '../sim/runpod';
import type { Sim } from '../sim/server';
import type { VastState } from '../sim/vastai';
import { vastInstance } from '../sim/vastai-data';
import { launchChromium } from '../support/browser';
import { simAzureGpuSpend, simGcpGpuSpend, simOciGpuSpend, simRunpodGpuSpend, simVastGpuSpend } from '../support/cli-expect';
import type { GcpState } from '../sim/gcp';
import { azureVmSize, type AzureState } from '../sim/azure';
import type { OciState } from '../sim/oci';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { startDemoSim, wireToSim } from '../support/simWiring';
import { openActivity, pane, runCommand, screenshot, showOnly, waitForWorkbench } from '../support/workbench';

/** The ground truth the status bar must show: GPU instances billed their running price, straight from the simulator. */
function expectedSpend(sim: Sim, withRunpod: boolean): number {
  return (
    simVastGpuSpend(sim) + simOciGpuSpend(sim) + simAzureGpuSpend(sim) + simGcpGpuSpend(sim) + (withRunpod ? simRunpodGpuSpend(sim) : 0)
  );
}

async function statusBarSpend(page: Page): Promise<string> {
  const item = page.locator('.statusbar-item', { hasText: '/h' }).first();
  await item.waitFor({ timeout: 30_000 });
  return (await item.textContent())?.trim() ?? '';
}

describe('Cloudtop sidebar and status bar against simulated clouds (UI end to end)', function () {
  let sim: Sim;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let home: string;

  before(async function () {
    sim = await startDemoSim({ latencyMs: 0 });
    // A frozen instance (paused, GPU charges apply) is billed its running price: the status bar must count it.
    sim.state<VastState>('vastai').instances.push(
      vastInstance({
        id: 41_000_001,
        label: 'paused-training',
        actual_status: 'frozen',
        intended_status: 'frozen',
        num_gpus: 2,
        dph_base: 3.1,
      }),
    );
    // RunPod starts with a rejected key from runpodctl's own config file, so it answers 401.
    home = mkdtempSync(path.join(tmpdir(), 'cloudtop-home-'));
    mkdirSync(path.join(home, '.runpod'));
    writeFileSync(path.join(home, '.runpod', 'config.toml'), "apikey = 'rpa_WRONG_KEY_FROM_CLI_FILE'\n");
    const wiring = wireToSim(sim, { withoutKeys: ['runpod'] });
    server = await startCodeServer({
      // Every cloud's view, connected or not (the first-run side bar is test/e2e/first-run.test.ts).
      settings: { ...wiring.settings, 'cloudtop.rateLimit.vastai': { perSecond: 20, burst: 20 }, 'cloudtop.showAllClouds': true },
      env: { ...wiring.env, HOME: home },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(server.url);
    await waitForWorkbench(page);
    await openActivity(page, 'Cloudtop');
    await page.locator('.sidebar .pane-header h3.title', { hasText: 'RunPod' }).waitFor({ timeout: 30_000 });
    await showOnly(page, ['Vast.ai', 'RunPod']);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page)
      await screenshot(page, `failed-surface-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await sim?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('lists the simulated Vast.ai instances with status and metrics; RunPod shows its 401', async () => {
    const vast = sim.state<VastState>('vastai');
    // The tree lists instances in the API's order (by id); the first ones are on screen.
    const first = [...vast.instances].sort((a, b) => a.id - b.id).find((i) => i.actual_status === 'running' && i.label)!;
    const row = pane(page, 'Vast.ai').locator('.monaco-list-row', { hasText: first.label! }).first();
    await row.waitFor({ timeout: 60_000 });
    assert.match((await row.textContent()) ?? '', /running · GPU \d+% · \$\d+\.\d\d\/h/);
    const error = pane(page, 'RunPod').locator('.monaco-list-row', { hasText: 'Authentication failed' });
    await error.waitFor({ timeout: 30_000 });
    assert.match((await error.textContent()) ?? '', /401/);
    await screenshot(page, 'sidebar-vast-and-runpod-401');
  });

  it('shows exactly the sum of the simulated running GPU prices in the status bar, a frozen Vast.ai instance included', async () => {
    const expected = `$${expectedSpend(sim, false).toFixed(2)}/h`;
    await page.waitForFunction(
      (text) => [...document.querySelectorAll('.statusbar-item')].some((e) => e.textContent?.includes(text)),
      expected,
      { timeout: 30_000 },
    );
    assert.ok((await statusBarSpend(page)).includes(expected));
  });

  it('shows the Oracle Cloud view: compartments, GPU instances with their price, and their spend in the status bar', async () => {
    const oci = sim.state<OciState>('oci');
    assert.ok(simOciGpuSpend(sim) > 0, 'the simulated tenancy runs priced GPU instances');
    await showOnly(page, ['Oracle Cloud']);
    try {
      const view = pane(page, 'Oracle Cloud');
      await view
        .locator('.monaco-list-row', { hasText: `${oci.tenancyName} (root)` })
        .first()
        .waitFor({ timeout: 60_000 });
      const gpu = oci.instances.find(
        (i) =>
          i.compartmentId === oci.tenancyId &&
          i.region === 'iad' &&
          i.lifecycleState === 'RUNNING' &&
          (i.shapeConfig.gpus ?? 0) > 0 &&
          i.displayName,
      )!;
      const row = view.locator('.monaco-list-row', { hasText: gpu.displayName! }).first();
      await row.waitFor({ timeout: 30_000 });
      assert.match((await row.textContent()) ?? '', /running · .*\$\d+\.\d\d\/h/, 'a running GPU instance with its price');
      await screenshot(page, 'sidebar-oracle-cloud');
      // The status bar's total (the test before) counts these: the sim's OCI GPU prices are part of expectedSpend.
      const expected = `$${expectedSpend(sim, false).toFixed(2)}/h`;
      assert.ok((await statusBarSpend(page)).includes(expected), `the status bar shows ${expected}, Oracle Cloud's GPUs included`);
    } finally {
      await showOnly(page, ['Vast.ai', 'RunPod']);
    }
  });

  it('shows the Azure view: subscriptions, GPU VMs with their size price, and their spend in the status bar', async () => {
    const azure = sim.state<AzureState>('azure');
    assert.ok(simAzureGpuSpend(sim) > 0, 'the simulated subscriptions run priced GPU VMs');
    await showOnly(page, ['Azure']);
    try {
      const view = pane(page, 'Azure');
      const [first] = azure.subscriptions;
      await view.locator('.monaco-list-row', { hasText: first.displayName }).first().waitFor({ timeout: 60_000 });
      const gpu = azure.vms[first.subscriptionId].find(
        (vm) =>
          vm.power === 'running' &&
          !vm.failed &&
          vm.body.properties.priority !== 'Spot' &&
          (azureVmSize(vm.body.properties.hardwareProfile.vmSize)?.gpus ?? 0) > 0,
      )!;
      const row = view.locator('.monaco-list-row', { hasText: gpu.name }).first();
      await row.waitFor({ timeout: 30_000 });
      assert.match((await row.textContent()) ?? '', /running · .*\$\d+\.\d\d\/h/, 'a running GPU VM with its price');
      await screenshot(page, 'sidebar-azure');
      // The status bar's total counts these: the sim's Azure retail prices are part of expectedSpend.
      const expected = `$${expectedSpend(sim, false).toFixed(2)}/h`;
      assert.ok((await statusBarSpend(page)).includes(expected), `the status bar shows ${expected}, Azure's GPU VMs included`);
    } finally {
      await showOnly(page, ['Vast.ai', 'RunPod']);
    }
  });

  it("shows the Google Cloud view: GPU VMs of the key's project with their catalogue price, and their spend in the status bar", async () => {
    const [project] = sim.state<GcpState>('gcp').projects;
    assert.ok(simGcpGpuSpend(sim) > 0, 'the simulated project runs priced GPU VMs');
    await showOnly(page, ['Google Cloud']);
    try {
      const view = pane(page, 'Google Cloud');
      // One project (the key's own): the tree shows no project level, the services come first.
      await view.locator('.monaco-list-row', { hasText: 'GPU' }).first().waitFor({ timeout: 60_000 });
      const gpu = project.instances.find((vm) => vm.status === 'RUNNING' && vm.acceleratorType && vm.provisioningModel === 'STANDARD')!;
      const row = view.locator('.monaco-list-row', { hasText: gpu.name }).first();
      await row.waitFor({ timeout: 30_000 });
      assert.match((await row.textContent()) ?? '', /running · .*\$\d+\.\d\d\/h/, 'a running GPU VM with its price');
      await screenshot(page, 'sidebar-google-cloud');
      // The status bar's total counts these: the sim's Billing Catalog prices are part of expectedSpend.
      const expected = `$${expectedSpend(sim, false).toFixed(2)}/h`;
      assert.ok((await statusBarSpend(page)).includes(expected), `the status bar shows ${expected}, Google Cloud's GPU VMs included`);
    } finally {
      await showOnly(page, ['Vast.ai', 'RunPod']);
    }
  });

  it('"Cloudtop: Refresh" from the palette picks up a change made in the simulator', async () => {
    const vast = sim.state<VastState>('vastai');
    const target = [...vast.instances].sort((a, b) => a.id - b.id).find((i) => i.actual_status === 'running' && i.num_gpus > 0)!;
    target.dph_total += 10;
    target.label = 'renamed-by-the-test';
    await runCommand(page, 'Cloudtop: Refresh');
    await pane(page, 'Vast.ai').locator('.monaco-list-row', { hasText: 'renamed-by-the-test' }).waitFor({ timeout: 30_000 });
    const expected = `$${expectedSpend(sim, false).toFixed(2)}/h`;
    await page.waitForFunction(
      (text) => [...document.querySelectorAll('.statusbar-item')].some((e) => e.textContent?.includes(text)),
      expected,
      { timeout: 30_000 },
    );
  });

  it('"Set Credentials…" through the quick input stores a key that makes the 401 cloud load', async () => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.fill('>Cloudtop: Set Credentials');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Cloudtop: Set Credentials…' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'RunPod' }).first().waitFor();
    await input.fill('RunPod');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget input[type="password"]').waitFor({ timeout: 15_000 });
    await page.keyboard.type(sim.keys().runpod);
    await page.keyboard.press('Enter');
    const pods = sim.state<RunpodState>('runpod').pods;
    const named = pods.find((p) => p.status === 'RUNNING')!;
    await pane(page, 'RunPod').locator('.monaco-list-row', { hasText: named.name }).first().waitFor({ timeout: 30_000 });
    assert.equal(await pane(page, 'RunPod').locator('.monaco-list-row', { hasText: 'Authentication failed' }).count(), 0);
    const expected = `$${expectedSpend(sim, true).toFixed(2)}/h`;
    await page.waitForFunction(
      (text) => [...document.querySelectorAll('.statusbar-item')].some((e) => e.textContent?.includes(text)),
      expected,
      { timeout: 30_000 },
    );
    await screenshot(page, 'sidebar-after-set-credentials');
  });
});
