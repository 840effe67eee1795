// `--refresh`: draw at once, then again every interval until Ctrl-C (SIGINT) or SIGTERM, which end the run
// cleanly with exit 0. One cycle at a time: the next refresh starts only after the previous one was drawn, and
// the wait shortens by the time the refresh took, so a slow cloud stretches a cycle instead of stacking them.
import type { Snapshot } from '../core/model/model';
import type { Output } from './output';

export interface WatchOptions {
  readonly intervalMs: number;
  /** `force`: bypass the cache. */
  readonly refresh: (force: boolean, signal: AbortSignal) => Promise<Snapshot>;
  readonly draw: (snapshot: Snapshot) => void;
  /** --no-cache: the first cycle bypasses the cache too. */
  readonly noCache: boolean;
  readonly output: Output;
  /** Redraw in place (a TTY showing a table); absent when frames scroll (a pipe, or NDJSON). */
  readonly screen?: Screen;
  readonly process?: NodeJS.EventEmitter;
}

export async function watch(options: WatchOptions): Promise<void> {
  const proc = options.process ?? process;
  const stop = new AbortController();
  const onStop = () => stop.abort();
  let last: Snapshot | undefined;
  const onResize = () => {
    if (last) options.draw(last);
  };
  proc.on('SIGINT', onStop);
  proc.on('SIGTERM', onStop);
  proc.on('SIGWINCH', onResize);
  const closed = options.output.onClose(onStop);
  options.screen?.enter();
  try {
    for (let cycle = 0; !stop.signal.aborted; cycle++) {
      const started = Date.now();
      // The first cycle may come from the cache (an instant first frame, as a one-shot run would show). Later
      // cycles fetch: the interval is the user's own choice of freshness, and a cache TTL longer than it would
      // redraw the same numbers while saying "refreshed". Only what another watcher fetched since this one's last
      // frame, through a shared (Redis) cache, is taken instead (show.ts: RefreshOptions.newerThan).
      const snapshot = await options.refresh(options.noCache || cycle > 0, stop.signal);
      // Interrupted mid-refresh: the outcomes are "cancelled" errors, not worth a frame.
      if (stop.signal.aborted) break;
      last = snapshot;
      options.draw(snapshot);
      await sleep(Math.max(0, options.intervalMs - (Date.now() - started)), stop.signal);
    }
  } finally {
    options.screen?.leave();
    closed.dispose();
    proc.off('SIGINT', onStop);
    proc.off('SIGTERM', onStop);
    proc.off('SIGWINCH', onResize);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

const ESC = '\u001b[';

/**
 * The alternate screen, as `top` uses it: the user's scrollback is untouched and comes back on exit. Each
 * frame homes the cursor and overwrites line by line (clearing each line's rest and everything below), so
 * nothing flickers and a shorter frame leaves no leftovers. A frame taller than the terminal is cut with a
 * note, since lines that scroll off would break drawing in place.
 */
export class Screen {
  private active = false;
  private readonly restoreOnExit = () => this.leave();

  constructor(private readonly output: Output) {}

  enter(): void {
    if (this.active) return;
    this.active = true;
    // If the process dies some other way, the terminal still gets its cursor and main screen back.
    process.once('exit', this.restoreOnExit);
    // Alternate screen, cursor hidden, and no auto-wrap: a line wider than the terminal is clipped rather
    // than wrapped onto the next row, which would shift every row below it.
    this.output.write(`${ESC}?1049h${ESC}?25l${ESC}?7l`);
  }

  frame(lines: readonly string[]): void {
    const rows = this.output.size?.rows ?? lines.length;
    const shown =
      lines.length > rows
        ? [...lines.slice(0, Math.max(0, rows - 1)), `… ${lines.length - rows + 1} more lines (a taller terminal or --provider shows them)`]
        : lines;
    this.output.write(`${ESC}H${shown.map((line) => `${line}${ESC}K`).join('\n')}${ESC}J`);
  }

  leave(): void {
    if (!this.active) return;
    this.active = false;
    process.off('exit', this.restoreOnExit);
    this.output.write(`${ESC}?7h${ESC}?25h${ESC}?1049l`);
  }
}
