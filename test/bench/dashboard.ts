// Dashboard at scale, measured in Chromium: the built webview bundle in a page with the panel's own HTML
// and CSP (test/support/dashboardPage.ts), fed a snapshot of 5,000 Vast.ai GPU instances.
//   dashboard.render5000Ms — the snapshot message arrives → its rows are in the DOM and the next frame ran
//   dashboard.sort5000Ms   — a click on a metric column's sort button → re-sorted rows, next frame ran
//   dashboard.spendChart24hx7Ms — the overview with a day of GPU spend at a point a minute on 7 clouds (uPlot)
//   dashboard.costing1000Ms     — the overview with 1,000 billed GPU resources, each with a 40-point sparkline
//                                 (a virtual table: the rows in view are drawn)
//   dashboard.sparklines1000ScrollMs — then scrolling that list from top to bottom a screen at a time, so each of
//                                 the 1,000 rows and its sparkline is drawn once
// Medians of several runs; each render run uses a fresh page, as a freshly shown panel would.
import type { Browser } from 'playwright-core';
import { CLOUD_IDS, type Snapshot } from '../../src/core/model/model';
import type { DashboardHistory } from '../../src/dashboard/protocol';
import { launchChromium } from '../support/browser';
import { openDashboardPage, syntheticSnapshot, timingNow } from '../support/dashboardPage';

type RecordMetric = (metric: string, value: number, unit: string) => void;

const RUNS = 5;
const ROWS = 5000;

export async function benchDashboard(record: RecordMetric, median: (values: number[]) => number): Promise<void> {
  const browser = await launchChromium();
  const renders: number[] = [];
  const sorts: number[] = [];
  try {
    const message = JSON.stringify({ type: 'snapshot', snapshot: syntheticSnapshot(ROWS), timing: timingNow() });
    for (let run = 0; run < RUNS; run++) {
      const dashboard = await openDashboardPage(browser, { state: { tab: 'cloud:vastai' } });
      try {
        const { page } = dashboard;
        await page.evaluate((json) => ((window as unknown as { __message: unknown }).__message = JSON.parse(json) as unknown), message);
        const render = await page.evaluate(async () => {
          const started = performance.now();
          window.dispatchEvent(new MessageEvent('message', { data: (window as unknown as { __message: unknown }).__message }));
          await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
          return { ms: performance.now() - started, rows: document.querySelectorAll('section.cloud tbody tr.row').length };
        });
        if (render.rows === 0) throw new Error('the dashboard rendered no rows');
        renders.push(render.ms);
        const sort = await page.evaluate(async () => {
          const button = [...document.querySelectorAll<HTMLButtonElement>('section.cloud button.sort')].find((b) => b.textContent?.startsWith('GPU utilization avg'));
          if (!button) throw new Error('no GPU utilization column');
          const started = performance.now();
          button.click();
          await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
          const first = document.querySelector('section.cloud tbody tr.row');
          return { ms: performance.now() - started, sorted: first?.closest('table')?.querySelector('th[aria-sort="descending"]') !== null };
        });
        if (!sort.sorted) throw new Error('the sort did not apply');
        sorts.push(sort.ms);
      } finally {
        await dashboard.close();
      }
    }
  } finally {
    await browser.close();
  }
  record('dashboard.render5000Ms', median(renders), 'ms');
  record('dashboard.sort5000Ms', median(sorts), 'ms');
  await benchOverviewCharts(record, median);
}

/** A day of GPU spend, a point a minute, on every cloud; and a 40-point sparkline per billed GPU resource. */
function syntheticHistory(snapshot: Snapshot, now: number): DashboardHistory {
  const t = Array.from({ length: 1440 }, (_, i) => now - (1439 - i) * 60_000);
  const clouds = Object.fromEntries(CLOUD_IDS.map((cloud, c) => [cloud, t.map((_, i) => Math.round((5 + c * 3 + 4 * Math.sin(i / 60 + c)) * 100) / 100)]));
  const sparks = snapshot.totals.gpuSpend.map((l, k) => ({
    cloud: l.cloud,
    id: l.resourceId,
    gpu: Array.from({ length: 40 }, (_, i) => Math.round(50 + 45 * Math.sin((i + k) / 5))),
  }));
  return { spend: { t, clouds }, sparks };
}

async function timeMessage(browser: Browser, message: string, after?: 'scroll'): Promise<{ ms: number; scrollMs: number; sparks: number }> {
  const dashboard = await openDashboardPage(browser, { state: { tab: 'overview' } });
  try {
    const { page } = dashboard;
    await page.evaluate((json) => ((window as unknown as { __message: unknown }).__message = JSON.parse(json) as unknown), message);
    const ms = await page.evaluate(async () => {
      const started = performance.now();
      window.dispatchEvent(new MessageEvent('message', { data: (window as unknown as { __message: unknown }).__message }));
      await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
      return performance.now() - started;
    });
    if ((await page.locator('section.spend-chart canvas').count()) !== 1) throw new Error('no spend chart drawn');
    if (after !== 'scroll') return { ms, scrollMs: 0, sparks: 0 };
    const scroll = await page.evaluate(async () => {
      const scroller = document.querySelector<HTMLElement>('section.costing .table-scroll')!;
      const seen = new Set<string>();
      const started = performance.now();
      for (let top = 0; ; top += scroller.clientHeight) {
        scroller.scrollTop = top;
        scroller.dispatchEvent(new Event('scroll'));
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(undefined))));
        scroller.querySelectorAll('tr.row').forEach((tr) => {
          if (tr.querySelector('svg.spark polyline')) seen.add(tr.getAttribute('data-id') ?? '');
        });
        if (top + scroller.clientHeight >= scroller.scrollHeight) break;
      }
      return { ms: performance.now() - started, sparks: seen.size };
    });
    return { ms, scrollMs: scroll.ms, sparks: scroll.sparks };
  } finally {
    await dashboard.close();
  }
}

async function benchOverviewCharts(record: RecordMetric, median: (values: number[]) => number): Promise<void> {
  const browser = await launchChromium();
  const charts: number[] = [];
  const costing: number[] = [];
  const scrolls: number[] = [];
  try {
    const now = Date.now();
    const small = syntheticSnapshot(7, now);
    const chartMessage = JSON.stringify({ type: 'snapshot', snapshot: small, timing: timingNow(), history: syntheticHistory(small, now) });
    // 1,167 instances, every seventh stopped: 1,000 billed.
    const big = syntheticSnapshot(1167, now);
    if (big.totals.gpuSpend.length !== 1000) throw new Error(`${big.totals.gpuSpend.length} billed, not 1,000`);
    const bigMessage = JSON.stringify({ type: 'snapshot', snapshot: big, timing: timingNow(), history: syntheticHistory(big, now), stoppable: ['vastai'] });
    for (let run = 0; run < RUNS; run++) {
      charts.push((await timeMessage(browser, chartMessage)).ms);
      const r = await timeMessage(browser, bigMessage, 'scroll');
      if (r.sparks !== 1000) throw new Error(`${r.sparks} sparklines drawn while scrolling, not 1,000`);
      costing.push(r.ms);
      scrolls.push(r.scrollMs);
    }
  } finally {
    await browser.close();
  }
  record('dashboard.spendChart24hx7Ms', median(charts), 'ms');
  record('dashboard.costing1000Ms', median(costing), 'ms');
  record('dashboard.sparklines1000ScrollMs', median(scrolls), 'ms');
}
