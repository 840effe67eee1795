// The built dashboard webview (dist/webview/dashboard.js) in a plain Chromium page, outside VS Code: a tiny
// loopback server serves the same HTML and CSP the panel serves, and a stub acquireVsCodeApi records what
// the webview posts. Used by the 5,000-row tests and the bench; the full workbench route is test/e2e.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT } from '../../scripts/vscode-env.mjs';
import type { CloudId, GpuOffer, ProviderOutcome, Resource, ResourceMetrics, Snapshot } from '../../src/core/model/model';
import { computeTotals } from '../../src/core/model/spend';
import { dashboardHtml, newNonce } from '../../src/vscode/dashboardHtml';
import type { DashboardTiming, HostMessage } from '../../src/dashboard/protocol';

export interface DashboardPage {
  readonly page: Page;
  /** Delivers a host message the way VS Code does: a `message` event on the webview's window. */
  post(message: HostMessage | Record<string, unknown> | null): Promise<void>;
  /** What the webview posted to the host so far. */
  sent(): Promise<unknown[]>;
  /** What the webview saved with setState last. */
  state(): Promise<unknown>;
  /** CSP violations the page reported. */
  violations(): Promise<string[]>;
  close(): Promise<void>;
}

declare global {
  interface Window {
    __sent: unknown[];
    __state: unknown;
    __csp: string[];
  }
}

export async function openDashboardPage(
  browser: Browser,
  options: { state?: unknown; viewport?: { width: number; height: number } } = {},
): Promise<DashboardPage> {
  const dir = path.join(ROOT, 'dist', 'webview');
  let origin = '';
  const server: Server = createServer((req, res) => {
    const file = req.url === '/dashboard.js' ? 'dashboard.js' : req.url === '/dashboard.css' ? 'dashboard.css' : undefined;
    if (file) {
      res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/css' });
      res.end(readFileSync(path.join(dir, file)));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      dashboardHtml({ cspSource: origin, scriptUri: `${origin}/dashboard.js`, styleUri: `${origin}/dashboard.css`, nonce: newNonce() }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
  const page = await context.newPage();
  // A string, not a function: tsx compiles test code with esbuild's keepNames, whose `__name` helper
  // does not exist in the page.
  await page.addInitScript(`
    window.__sent = [];
    window.__state = ${JSON.stringify(options.state ?? null)} ?? undefined;
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
    window.acquireVsCodeApi = () => ({
      postMessage(m) { window.__sent.push(m); },
      getState() { return window.__state; },
      setState(s) { window.__state = s; },
    });
  `);
  await page.goto(origin);
  await page.waitForSelector('#cloudtop-dashboard vscode-tabs', { state: 'attached' });
  return {
    page,
    async post(message) {
      // As JSON text: Playwright's own argument serialization takes seconds for a 5,000-resource snapshot.
      await page.evaluate(
        (json) => window.dispatchEvent(new MessageEvent('message', { data: JSON.parse(json) as unknown })),
        JSON.stringify(message),
      );
    },
    sent: () => page.evaluate(() => window.__sent),
    state: () => page.evaluate(() => window.__state),
    violations: () => page.evaluate(() => window.__csp),
    async close() {
      await context.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const stat = (avg: number, max: number) => ({ avg, max, min: Math.min(avg, max) });

/** A snapshot with `count` GPU instances on Vast.ai (each with GPU and compute metrics) and offers on two clouds. */
export function syntheticSnapshot(count: number, now = Date.now()): Snapshot {
  const fetchedAt = new Date(now - 5_000).toISOString();
  const keys = ['RTX-4090-24GB', 'A100-SXM-80GB', 'H100-SXM-80GB', 'L40S-48GB'];
  const resources: Resource[] = [];
  const metrics: Record<string, ResourceMetrics> = {};
  for (let i = 0; i < count; i++) {
    const key = keys[i % keys.length];
    const id = String(100000 + i);
    resources.push({
      id,
      cloud: 'vastai',
      account: '',
      kind: 'gpu-instance',
      service: 'Instances',
      name: `train-${String(i).padStart(5, '0')}`,
      region: ['Texas, US', 'Quebec, CA', 'Norway, NO'][i % 3],
      status: i % 7 === 0 ? 'stopped' : 'running',
      pricePerHour: Math.round((0.3 + ((i * 37) % 400) / 100) * 1000) / 1000,
      gpu: { key, model: key, count: 1 + (i % 4) },
    });
    if (i % 7 !== 0)
      metrics[id] = {
        gpu: {
          utilizationPercent: stat((i * 13) % 100, Math.min(100, ((i * 13) % 100) + 7)),
          temperatureC: stat(40 + (i % 40), 45 + (i % 40)),
          powerW: stat(100 + (i % 300), 120 + (i % 300)),
        },
        compute: { cpuPercent: stat((i * 7) % 100, Math.min(100, ((i * 7) % 100) + 3)), memoryPercent: stat((i * 3) % 100, (i * 3) % 100) },
      };
  }
  const offer = (cloud: CloudId, gpuKey: string, price: number, pricing: GpuOffer['pricing']): GpuOffer => ({
    cloud,
    gpuKey,
    gpuName: gpuKey,
    gpuCount: 1,
    pricePerGpuHour: price,
    pricing,
    availability: 'high',
    fetchedAt,
  });
  const outcome = (cloud: CloudId, res: Resource[], m: Record<string, ResourceMetrics>, offers: GpuOffer[]): ProviderOutcome => ({
    cloud,
    state: 'ok',
    resources: res,
    metrics: m,
    offers,
    fetchedAt,
    fromCache: false,
    stale: false,
    durationMs: 120,
  });
  const outcomes = {
    vastai: outcome(
      'vastai',
      resources,
      metrics,
      keys.map((k, i) => offer('vastai', k, 0.4 + i, 'on-demand')),
    ),
    runpod: outcome(
      'runpod',
      [],
      {},
      keys.map((k, i) => offer('runpod', k, 0.5 + i * 0.9, 'on-demand')),
    ),
  };
  return { timestamp: new Date(now).toISOString(), durationMs: 150, outcomes, totals: computeTotals(outcomes) };
}

export function timingNow(intervalSec = 60, lastRefreshAt = Date.now()): DashboardTiming {
  return { intervalSec, lastRefreshAt, refreshing: false, sentAt: Date.now() };
}
