// Autostop, opt-in (`cloudtop.idleGpu.autoStopMinutes`, 0 = off): a GPU instance the idle rule has flagged for that
// long gets a notification with a countdown — "Stopping train-01 in 5 min: idle 62 min, $23.50/h" with Stop now /
// Keep running / Not today — and is stopped when the countdown ends unless the user answered. Never an instance whose
// utilization is unknown or whose cloud is failing (the snapshot's `idle` is false for both: core/model/spend.ts),
// never one the user excluded ("Never Autostop", remembered), never one whose stop would not stop its bill (Oracle's
// GPU shapes but A10: `refuses`), and only while this window runs. When each instance was
// first seen idle is kept in the extension's state, so a window reload does not restart the idle time.
//
// No `vscode` at run time (the notification and the stop are handed in), so the fake clock drives it in unit tests.
import type * as vscode from 'vscode';
import { formatPricePerHour, plainText } from '../core/model/describe';
import type { Logger } from '../core/model/log';
import { CLOUD_NAMES, DEFAULT_WINDOW_MINUTES, type CloudId, type GpuSpendLine, type Snapshot } from '../core/model/model';
import type { Clock, TimerHandle } from '../core/transport/clock';

export const IDLE_SINCE_KEY = 'cloudtop.autoStop.idleSince';
export const EXCLUDED_KEY = 'cloudtop.autoStop.excluded';
export const NOT_TODAY_KEY = 'cloudtop.autoStop.notToday';
/** How long the notification counts down before the stop. */
export const COUNTDOWN_MS = 5 * 60_000;

export const STOP_NOW = 'Stop now';
export const KEEP_RUNNING = 'Keep running';
export const NOT_TODAY = 'Not today';

export interface AutoStopDeps {
  readonly memento: vscode.Memento;
  readonly clock: Clock;
  /** The setting; 0 or less is off. */
  readonly minutes: () => number;
  /** Actions off (`cloudtop.actions.enabled`): no autostop either. */
  readonly enabled: () => boolean;
  /** Shows the countdown notification; resolves with the button pressed, or undefined when dismissed. */
  readonly ask: (message: string, ...buttons: string[]) => Thenable<string | undefined>;
  /**
   * Why this instance must not be autostopped (the cloud cannot stop it, or stopping it does not stop its bill), or
   * undefined. Asked before a countdown starts.
   */
  readonly refuses?: (cloud: CloudId, resourceId: string) => string | undefined;
  /** Stops the instance (no second question: the setting is the user's consent). */
  readonly stop: (cloud: CloudId, resourceId: string) => Promise<void>;
  readonly log: Logger;
  readonly countdownMs?: number;
}

interface Countdown {
  readonly timer: TimerHandle;
  readonly line: GpuSpendLine;
}

export class AutoStop {
  private readonly countdowns = new Map<string, Countdown>();
  /** The newest snapshot's idle lines, by key: the countdown's end checks the instance is still idle. */
  private idleNow = new Map<string, GpuSpendLine>();

  private clock: Clock;
  /** Instances already logged as left alone, so the log says it once, not every refresh. */
  private readonly refusedLogged = new Set<string>();

  constructor(private readonly deps: AutoStopDeps) {
    this.clock = deps.clock;
  }

  /**
   * Replaces the clock (the extension-host tests drive autostop with a fake one, as the unit tests do). Countdowns of
   * the old clock are dropped first: their timers belong to it.
   */
  useClock(clock: Clock): void {
    for (const key of [...this.countdowns.keys()]) this.cancel(key, 'clock replaced');
    this.clock = clock;
  }

  /** Instances counting down now, by `cloud/id` (for tests and the log). */
  get counting(): readonly string[] {
    return [...this.countdowns.keys()];
  }

  /** Whether the user excluded this instance from autostop. */
  isExcluded(cloud: CloudId, resourceId: string): boolean {
    return this.deps.memento.get<string[]>(EXCLUDED_KEY, []).includes(`${cloud}/${resourceId}`);
  }

  /** "Never Autostop" and back: answers whether it is excluded now. */
  async toggleExcluded(cloud: CloudId, resourceId: string): Promise<boolean> {
    const key = `${cloud}/${resourceId}`;
    const excluded = new Set(this.deps.memento.get<string[]>(EXCLUDED_KEY, []));
    const now = !excluded.has(key);
    if (now) {
      excluded.add(key);
      this.cancel(key);
    } else excluded.delete(key);
    await this.deps.memento.update(EXCLUDED_KEY, [...excluded]);
    this.deps.log.info(`Autostop ${now ? 'off' : 'on again'} for ${key}`);
    return now;
  }

  /** A new snapshot: idle clocks move on (kept in the extension's state), due instances start their countdown. */
  async update(snapshot: Snapshot): Promise<void> {
    const now = this.clock.now();
    const since = { ...this.deps.memento.get<Record<string, number>>(IDLE_SINCE_KEY, {}) };
    const idle = new Map<string, GpuSpendLine>();
    for (const line of snapshot.totals.gpuSpend) {
      // `idle` is false without GPU metrics and on a failing cloud's last good data: no clock starts for those.
      if (line.idle) idle.set(`${line.cloud}/${line.resourceId}`, line);
    }
    // A cloud this snapshot did not refresh keeps its clocks; one it did forgets the instances busy (or gone) now.
    const refreshed = new Set(Object.keys(snapshot.outcomes));
    for (const key of Object.keys(since)) if (refreshed.has(key.split('/')[0]) && !idle.has(key)) delete since[key];
    // Idle means idle through the whole metrics window, so it has been idle at least that long already.
    for (const key of idle.keys()) since[key] ??= now - DEFAULT_WINDOW_MINUTES * 60_000;
    await this.deps.memento.update(IDLE_SINCE_KEY, since);
    this.idleNow = idle;
    for (const key of [...this.countdowns.keys()]) if (!idle.has(key)) this.cancel(key, 'busy again');

    const minutes = this.deps.minutes();
    if (!(minutes > 0) || !this.deps.enabled()) {
      for (const key of [...this.countdowns.keys()]) this.cancel(key, 'autostop turned off');
      return;
    }
    const excluded = new Set(this.deps.memento.get<string[]>(EXCLUDED_KEY, []));
    const notToday = this.deps.memento.get<Record<string, string>>(NOT_TODAY_KEY, {});
    for (const [key, line] of idle) {
      const idleMinutes = Math.round((now - since[key]) / 60_000);
      if (idleMinutes < minutes || excluded.has(key) || notToday[key] === day(now) || this.countdowns.has(key)) continue;
      const refused = this.deps.refuses?.(line.cloud, line.resourceId);
      if (refused) {
        if (!this.refusedLogged.has(key)) this.deps.log.info(`Autostop leaves ${key} alone: ${refused}`);
        this.refusedLogged.add(key);
        continue;
      }
      this.countDown(key, line, idleMinutes);
    }
  }

  private countDown(key: string, line: GpuSpendLine, idleMinutes: number): void {
    const countdownMs = this.deps.countdownMs ?? COUNTDOWN_MS;
    const name = plainText(line.name, 80).replace(/[[\]()]/g, '');
    const message = `Stopping ${name} on ${CLOUD_NAMES[line.cloud]} in ${Math.round(countdownMs / 60_000)} min: idle ${idleMinutes} min, ${formatPricePerHour(line.pricePerHour)}`;
    const timer = this.clock.setTimeout(() => void this.finish(key, 'the countdown ended'), countdownMs);
    this.countdowns.set(key, { timer, line });
    this.deps.log.info(`Autostop: ${message}`);
    void Promise.resolve(this.deps.ask(message, STOP_NOW, KEEP_RUNNING, NOT_TODAY)).then(
      (choice) => this.answered(key, choice),
      () => undefined,
    );
  }

  private async answered(key: string, choice: string | undefined): Promise<void> {
    if (!this.countdowns.has(key)) return; // already stopped, or busy again
    if (choice === STOP_NOW) return this.finish(key, 'Stop now');
    if (choice === KEEP_RUNNING) {
      this.cancel(key, 'Keep running');
      // Its idle time starts again: it is stopped only after another full stretch of idling.
      const since = { ...this.deps.memento.get<Record<string, number>>(IDLE_SINCE_KEY, {}), [key]: this.clock.now() };
      await this.deps.memento.update(IDLE_SINCE_KEY, since);
    } else if (choice === NOT_TODAY) {
      this.cancel(key, 'Not today');
      const notToday = { ...this.deps.memento.get<Record<string, string>>(NOT_TODAY_KEY, {}), [key]: day(this.clock.now()) };
      await this.deps.memento.update(NOT_TODAY_KEY, notToday);
    }
    // Dismissed (undefined): the countdown goes on.
  }

  private async finish(key: string, why: string): Promise<void> {
    const countdown = this.countdowns.get(key);
    if (!countdown) return;
    this.countdowns.delete(key);
    this.clock.clearTimeout(countdown.timer);
    // The newest data must still call it idle (not busy, not from a failing cloud), and the user must not have opted out.
    const [cloud, ...rest] = key.split('/');
    if (!this.idleNow.has(key) || this.isExcluded(cloud as CloudId, rest.join('/')) || !this.deps.enabled()) {
      this.deps.log.info(`Autostop of ${key} dropped: no longer idle, excluded or turned off`);
      return;
    }
    this.deps.log.info(`Autostop: stopping ${key} (${why})`);
    await this.deps.stop(cloud as CloudId, rest.join('/')).catch((error: unknown) => {
      this.deps.log.warn(`Autostop of ${key} failed: ${String(error)}`);
    });
  }

  private cancel(key: string, why?: string): void {
    const countdown = this.countdowns.get(key);
    if (!countdown) return;
    this.clock.clearTimeout(countdown.timer);
    this.countdowns.delete(key);
    if (why) this.deps.log.info(`Autostop of ${key} cancelled: ${why}`);
  }

  dispose(): void {
    for (const key of [...this.countdowns.keys()]) this.cancel(key);
  }
}

/** The local calendar day, for "Not today". */
const day = (ms: number): string => new Date(ms).toDateString();
