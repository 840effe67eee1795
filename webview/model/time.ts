// Ages and countdowns as the dashboard words them ("12 s", "4 min"), and the header line
// "updated 12 s ago · next in 48 s". Pure: the caller passes the clock.
import { formatAge } from '../../src/core/model/duration';
import type { DashboardTiming } from '../../src/dashboard/protocol';

/** Durations read the same as in the trees and the CLI: "12 s", "4 min", "2 h", "3 d". */
export const formatDuration = formatAge;

/** Age of an ISO timestamp at `now`, or undefined when the time is unknown. */
export function ageOf(iso: string | undefined, now: number): number | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : Math.max(0, now - t);
}

/**
 * The host's clock may differ from the webview's (a remote window): timing carries the host's `sentAt`, so
 * the offset measured at receipt turns webview time into host time.
 */
export function clockOffset(timing: DashboardTiming, receivedAt: number): number {
  return receivedAt - timing.sentAt;
}

/** "updated 12 s ago · next in 48 s"; `hostNow` is the current time on the host's clock. */
export function refreshLine(timing: DashboardTiming | undefined, hostNow: number): string {
  if (!timing) return 'waiting for the first refresh';
  if (timing.refreshing) return 'refreshing…';
  if (timing.lastRefreshAt === undefined) return timing.intervalSec > 0 ? 'not refreshed yet' : 'not refreshed yet · automatic refresh off';
  const updated = `updated ${formatDuration(hostNow - timing.lastRefreshAt)} ago`;
  if (timing.intervalSec <= 0) return `${updated} · automatic refresh off`;
  const due = timing.lastRefreshAt + timing.intervalSec * 1000 - hostNow;
  // The timer waits while the window is unfocused or nothing of Cloudtop is visible, so "due" can pass.
  return due > 0 ? `${updated} · next in ${formatDuration(due + 999)}` : `${updated} · next refresh due`;
}
