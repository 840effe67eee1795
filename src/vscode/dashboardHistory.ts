// What the dashboard gets from the history (host side; pure, no `vscode` import): only what the overview draws, so a
// refresh posts a bounded message — the last 24 h of GPU spend per cloud (a point per refresh, thinned past
// MAX_SPEND_POINTS) and, per billed GPU resource of the snapshot, its GPU utilization squeezed to SPARK_WIDTH values.
// A selected row's full history goes on request (resourceHistoryMessage), never with every refresh.
import type { MetricHistory } from '../core/history/history';
import { squeeze } from '../core/history/sparkline';
import { thinOlder } from '../core/history/thin';
import type { CloudId, Snapshot } from '../core/model/model';
import type { DashboardHistory, ResourceHistoryMessage } from '../dashboard/protocol';

export const DAY_MS = 24 * 3_600_000;
/** Values per sparkline: about one per pixel pair of its 80 px. */
export const SPARK_WIDTH = 40;
/** A day at a 30 s refresh; more points than pixels would only cost the message and the chart. */
export const MAX_SPEND_POINTS = 2_880;

export function dashboardHistory(history: MetricHistory, snapshot: Snapshot): DashboardHistory {
  const now = Date.parse(snapshot.timestamp);
  const since = now - DAY_MS;
  const spend = history.spendHistory(since);
  let t = spend.t;
  let clouds = spend.clouds;
  if (t.length > MAX_SPEND_POINTS) {
    const keep = thinOlder(t.length, Math.max(0, MAX_SPEND_POINTS - (t.length - MAX_SPEND_POINTS)));
    t = keep.map((i) => spend.t[i]);
    clouds = Object.fromEntries(Object.entries(spend.clouds).map(([cloud, values]) => [cloud, keep.map((i) => values[i])]));
  }
  const sparks = snapshot.totals.gpuSpend.map((line) => {
    const values = history.resource(line.cloud, line.resourceId, since)?.values.gpu ?? [];
    return { cloud: line.cloud, id: line.resourceId, gpu: squeeze(values, SPARK_WIDTH) };
  });
  return { spend: { t, clouds }, sparks };
}

/** The selected resource's last 24 h, for its chart; empty series when Cloudtop has none yet. */
export function resourceHistoryMessage(history: MetricHistory, cloud: CloudId, id: string, now: number): ResourceHistoryMessage {
  const h = history.resource(cloud, id, now - DAY_MS);
  return {
    type: 'resourceHistory',
    cloud,
    id,
    t: h?.t ?? [],
    values: h?.values ?? { gpu: [], cpu: [], mem: [], gpuMem: [] },
  };
}
