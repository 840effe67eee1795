// The one owner of the refresh timer. It polls only while a Cloudtop view or the dashboard is visible and
// the window is focused; a manual refresh runs at once (after any refresh already running, never alongside
// it); a changed interval applies immediately. The clock is the rate limiters' (core/transport/clock.ts), injectable
// so tests need not wait.
import type * as vscode from 'vscode';
import { realClock, type Clock, type TimerHandle } from '../core/transport/clock';

export class RefreshManager implements vscode.Disposable {
  private readonly visible = new Set<string>();
  private focused = true;
  private timer: TimerHandle;
  private lastRun: number | undefined;
  private running: Promise<void> | undefined;
  private manualQueued: Promise<void> | undefined;
  private disposed = false;

  constructor(
    private readonly run: (manual: boolean) => Promise<unknown>,
    private readonly intervalSec: () => number,
    private readonly clock: Clock = realClock,
  ) {}

  /** Whether the automatic timer is armed. */
  get active(): boolean {
    return !this.disposed && this.focused && this.visible.size > 0 && this.intervalSec() > 0;
  }

  get timerArmed(): boolean {
    return this.timer !== undefined;
  }

  setVisible(surface: string, visible: boolean): void {
    if (visible) this.visible.add(surface);
    else this.visible.delete(surface);
    this.reschedule();
  }

  setFocused(focused: boolean): void {
    this.focused = focused;
    this.reschedule();
  }

  /** Settings changed: re-arm with the new interval. */
  reconfigure(): void {
    this.reschedule();
  }

  /** Cloudtop: Refresh. Coalesces repeated clicks; waits for a running refresh instead of overlapping it. */
  refreshNow(): Promise<void> {
    if (this.manualQueued) return this.manualQueued;
    const previous = this.running ?? Promise.resolve();
    this.manualQueued = previous.then(() => {
      this.manualQueued = undefined;
      return this.execute(true);
    });
    return this.manualQueued;
  }

  /** A manual run's failure reaches its caller (the command); the timer's own runs only keep going. */
  private execute(manual: boolean): Promise<void> {
    this.clear();
    const run = this.run(manual)
      .then(() => undefined)
      .finally(() => {
        this.lastRun = this.clock.now();
        if (this.running === settled) this.running = undefined;
        this.reschedule();
      });
    const settled = run.catch(() => undefined);
    this.running = settled;
    return manual ? run : settled;
  }

  private reschedule(): void {
    this.clear();
    if (!this.active || this.running) return;
    const intervalMs = this.intervalSec() * 1000;
    const due = this.lastRun === undefined ? 0 : Math.max(0, this.lastRun + intervalMs - this.clock.now());
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.active && !this.running) void this.execute(false);
    }, due);
  }

  private clear(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.clear();
  }
}
