// One non-modal notification per GPU instance that stays idle (still billing) longer than
// cloudtop.idleGpu.minutes. "Don't Warn Again" is remembered per instance in globalState.
import * as vscode from 'vscode';
import { formatPricePerHour, plainText } from '../core/model/describe';
import { CLOUD_NAMES, DEFAULT_WINDOW_MINUTES, type Snapshot } from '../core/model/model';

const SUPPRESSED_KEY = 'cloudtop.idleAlerts.suppressed';

export class IdleAlerts {
  /** When each instance was first seen idle, by `cloud/id`. */
  private readonly idleSince = new Map<string, number>();
  private readonly notified = new Set<string>();

  constructor(
    private readonly memento: vscode.Memento,
    private readonly minutes: () => number,
    private readonly show: (cloud: string, resourceId: string) => void,
    private readonly now: () => number = Date.now,
    /** "Stop" beside "Show" (the confirmed stop of ResourceActions); absent or answering false: no Stop button. */
    private readonly stop?: { readonly enabled: () => boolean; readonly run: (cloud: string, resourceId: string) => void },
  ) {}

  /** Whole minutes this GPU instance has been idle, as far as this window has seen; undefined when it is not idle. */
  idleMinutes(cloud: string, resourceId: string): number | undefined {
    const since = this.idleSince.get(`${cloud}/${resourceId}`);
    return since === undefined ? undefined : Math.round((this.now() - since) / 60_000);
  }

  update(snapshot: Snapshot): void {
    const suppressed = new Set(this.memento.get<string[]>(SUPPRESSED_KEY, []));
    const current = new Set<string>();
    for (const line of snapshot.totals.gpuSpend) {
      const key = `${line.cloud}/${line.resourceId}`;
      if (!line.idle) continue;
      current.add(key);
      // Idle means idle through the whole metrics window, so it has been idle at least that long already.
      const since = this.idleSince.get(key) ?? this.now() - DEFAULT_WINDOW_MINUTES * 60_000;
      this.idleSince.set(key, since);
      const idleMinutes = (this.now() - since) / 60_000;
      if (idleMinutes < this.minutes() || this.notified.has(key) || suppressed.has(key)) continue;
      this.notified.add(key);
      // Cloud-provided names are plain text here: brackets would otherwise form Markdown links.
      const name = plainText(line.name, 80).replace(/[[\]()]/g, '');
      const message = `${name} on ${CLOUD_NAMES[line.cloud]} has been idle ${Math.round(idleMinutes)} min at ${formatPricePerHour(line.pricePerHour)}`;
      const buttons = this.stop?.enabled() ? ['Show', 'Stop', "Don't Warn Again"] : ['Show', "Don't Warn Again"];
      void vscode.window.showWarningMessage(message, ...buttons).then(async (choice) => {
        if (choice === 'Show') this.show(line.cloud, line.resourceId);
        if (choice === 'Stop') this.stop?.run(line.cloud, line.resourceId);
        if (choice === "Don't Warn Again")
          await this.memento.update(SUPPRESSED_KEY, [...new Set([...this.memento.get<string[]>(SUPPRESSED_KEY, []), key])]);
      });
    }
    // An instance that is busy again starts its idle clock afresh (and may warn again later).
    for (const key of [...this.idleSince.keys()]) {
      if (!current.has(key)) {
        this.idleSince.delete(key);
        this.notified.delete(key);
      }
    }
  }
}
