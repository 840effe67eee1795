// What each cloud's view shows right now, fed by the collector's events: loading, a pending retry, and the
// latest outcome (which carries the last good data when the newest attempt failed).
import * as vscode from 'vscode';
import type { CollectorEvent } from '../core/engine/collector';
import { CLOUD_IDS, type CloudId, type ErrorCategory, type ProviderOutcome } from '../core/model/model';
import type { ResourceAction } from '../core/engine/provider';

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

  /** Stops and starts the cloud accepted and Cloudtop follows until the target state, by `cloud/resourceId`. */
  private readonly pendingActions = new Map<string, ResourceAction>();

  /** The action on its way for this resource (the tree shows `stopping…`), if any. */
  pending(cloud: CloudId, resourceId: string): ResourceAction | undefined {
    return this.pendingActions.get(`${cloud}/${resourceId}`);
  }

  setPending(cloud: CloudId, resourceId: string, action: ResourceAction | undefined): void {
    const key = `${cloud}/${resourceId}`;
    if (action) this.pendingActions.set(key, action);
    else if (!this.pendingActions.delete(key)) return;
    this.changed.fire(cloud);
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
