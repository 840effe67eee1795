// The default command: refresh the selected clouds and print the snapshot as a table, a wide table or JSON —
// once, or every interval with --refresh (in place on a terminal, appended in a pipe, NDJSON with --json).
import type { Engine } from '../core/engine/engine';
import { MetricHistory } from '../core/history/history';
import { sparkText } from '../core/history/sparkline';
import type { CloudId, Snapshot } from '../core/model/model';
import type { Catalogue } from '../core/engine/registry';
import { serializeJson, toJsonDocument } from './format/json';
import { renderReport } from './format/report';
import { SPARK_COLUMN, type GpuSpark } from './format/table';
import { createStyle, wantsColor, type Style } from './format/terminal';
import type { ShowOptions } from './args';
import { configureHint } from './help';
import type { Output } from './output';
import { Screen, watch } from './watch';

export interface ShowContext {
  readonly engine: Engine;
  readonly clouds: readonly CloudId[];
  readonly catalogue: Catalogue;
  readonly output: Output;
  readonly env: NodeJS.ProcessEnv;
}

export async function show(options: ShowOptions, context: ShowContext): Promise<void> {
  const { engine, clouds, catalogue, output } = context;
  const style = createStyle(wantsColor(output.stream, context.env, options.color));
  const json = options.output === 'json';
  let first = true;
  /** When the last frame's refresh ended: a later frame shows what other watchers fetched since (through Redis). */
  let lastFrameAt: number | undefined;
  const refresh = (force: boolean, signal?: AbortSignal) =>
    engine.collector
      .refresh({
        clouds,
        force,
        ...(force && lastFrameAt !== undefined ? { newerThan: lastFrameAt } : {}),
        // GPU prices keep their own age (15 minutes) through --refresh frames; only --no-cache searches them again.
        forceOffers: options.noCache,
        // Reference data (price lists, compartments, sizes) keeps its own TTL through frames; --no-cache reads it again once.
        renewReference: options.noCache && first,
        failFast: options.failFast,
        ...(options.gpu ? { filter: { gpuOnly: true } } : {}),
        ...(signal ? { signal } : {}),
      })
      .finally(() => {
        first = false;
        lastFrameAt = Date.now();
      });
  // --refresh keeps the same rolling history as the extension, in memory: `--wide` draws each GPU's utilization.
  const history = options.refreshMs !== undefined ? new MetricHistory() : undefined;
  const gpuSpark: GpuSpark | undefined = history
    ? (resource) => (resource.gpu ? sparkText(history.recent(resource.cloud, resource.id, 'gpu', SPARK_COLUMN), SPARK_COLUMN) : undefined)
    : undefined;
  const report = (snapshot: Snapshot) =>
    renderReport(snapshot, clouds, {
      wide: options.output === 'wide',
      ...(gpuSpark && options.output === 'wide' ? { gpuSpark } : {}),
      gpu: options.gpu,
      style,
      ...(output.size ? { width: output.size.columns } : {}),
      configureHint: (cloud) => configureHint(catalogue, cloud),
    });

  if (options.refreshMs === undefined) {
    const snapshot = await refresh(options.noCache);
    output.write(json ? serializeJson(toJsonDocument(snapshot, clouds), { pretty: true }) : `${report(snapshot).join('\n')}\n`);
    return;
  }

  const intervalMs = options.refreshMs;
  const screen = output.isTTY && !json ? new Screen(output) : undefined;
  const frame = (snapshot: Snapshot) => [title(snapshot, intervalMs, style), '', ...report(snapshot)];
  let draw: (snapshot: Snapshot) => void;
  const record = (snapshot: Snapshot) => {
    history?.record(snapshot);
    draw(snapshot);
  };
  if (json) draw = (snapshot) => output.write(serializeJson(toJsonDocument(snapshot, clouds), { pretty: false }));
  else if (screen) draw = (snapshot) => screen.frame(frame(snapshot));
  else draw = (snapshot) => output.write(`${frame(snapshot).join('\n')}\n\n`);
  await watch({ intervalMs, refresh, draw: record, noCache: options.noCache, output, ...(screen ? { screen } : {}) });
}

/** "cloudtop · every 30s · 14:03:12 · Ctrl-C to quit" */
export function title(snapshot: Snapshot, intervalMs: number, style: Style): string {
  const time = new Date(snapshot.timestamp).toTimeString().slice(0, 8);
  return `${style.bold('cloudtop')} ${style.dim(`· every ${formatInterval(intervalMs)} · ${time} · Ctrl-C to quit`)}`;
}

export function formatInterval(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}
