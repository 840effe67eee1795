// Dashboard at scale, measured in Chromium: the built webview bundle in a page with the panel's own HTML
// and CSP (test/support/dashboardPage.ts), fed a snapshot of 5,000 Vast.ai GPU instances.
//   dashboard.render5000Ms — the snapshot message arrives → its rows are in the DOM and the next frame ran
//   dashboard.sort5000Ms   — a click on a metric column's sort button → re-sorted rows, next frame ran
// Medians of several runs; each render run uses a fresh page, as a freshly shown panel would.
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
}
