// What each cloud's view shows right now, fed by the collector's events: loading, a pending retry, and the
// latest outcome (which carries the last good data when the newest attempt failed).
import * as vscode from 'vscode';
import type { CollectorEvent } from '../core/engine/collector';
import { CLOUD_IDS, type CloudId, type ErrorCategory, type ProviderOutcome } from '../core/model/model';

export interface CloudViewState {
  readonly outcome?: ProviderOutcome;
  readonly loading: boolean;
  /** A retry the collector is waiting for: its reason and when it fires (ms since epoch). */
  readonly retry?: { readonly category: ErrorCategory; readonly at: number };
}

export class CloudStates implements vscode.Disposable {
  private readonly states = new Map<CloudId, CloudViewState>();
  private readonly changed = new vscode.EventEmitter<CloudId>();
  readonly onDidChange = this.changed.event;

  /** Set while Redis is unavailable: every view's description says so. */
  private sharedCacheNotice: string | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  get sharedCache(): string | undefined {
    return this.sharedCacheNotice;
  }

  /** "shared cache unavailable: using a local one" while Redis is down, undefined once it is back. */
  setSharedCache(notice: string | undefined): void {
    if (notice === this.sharedCacheNotice) return;
    this.sharedCacheNotice = notice;
    for (const cloud of CLOUD_IDS) this.changed.fire(cloud);
  }

  get(cloud: CloudId): CloudViewState {
    return this.states.get(cloud) ?? { loading: false };
  }

  /** Applies one collector event. */
  apply(event: CollectorEvent): void {
    switch (event.type) {
      case 'started':
        this.set(event.cloud, { ...this.get(event.cloud), loading: true, retry: undefined });
        break;
      case 'retrying':
        this.set(event.cloud, {
          ...this.get(event.cloud),
          loading: true,
          retry: { category: event.category, at: this.now() + event.delayMs },
        });
        break;
      case 'outcome':
        this.set(event.outcome.cloud, { outcome: event.outcome, loading: false });
        break;
    }
  }

  private set(cloud: CloudId, state: CloudViewState): void {
    this.states.set(cloud, state);
    this.changed.fire(cloud);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
