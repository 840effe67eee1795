// The dashboard webview panel: one instance, revealed when already open, restored after a window reload by
// a WebviewPanelSerializer. It forwards every snapshot with the refresh timing and what the overview draws from the
// history, and accepts six messages from the webview: `ready` (send the latest snapshot), `refresh` (run Cloudtop:
// Refresh), `pricesShown` (the GPU prices tab is in view: the public price catalogues are read from then on),
// `history` (a selected row's history), `stop` and `show` (a row's actions: the host's own confirmed Stop command, and
// a reveal in the tree). No retainContextWhenHidden: a hidden dashboard costs nothing — no message is
// built or posted while it is hidden, history included; the webview keeps its sort, filters, tab and selected row
// with getState/setState and asks for the snapshot again when it comes back.
import * as vscode from 'vscode';
import type { MetricHistory } from '../core/history/history';
import type { CloudId, Snapshot } from '../core/model/model';
import { dashboardHtml, newNonce } from './dashboardHtml';
import { dashboardHistory, resourceHistoryMessage } from './dashboardHistory';
import { isWebviewMessage, type DashboardTiming, type HostMessage, type ResourceRef } from '../dashboard/protocol';

export const DASHBOARD_VIEW_TYPE = 'cloudtop.dashboard';

export interface DashboardOptions {
  /** `cloudtop.refreshInterval` in seconds, read when needed so a settings change shows at once. */
  readonly refreshIntervalSec: () => number;
  /** The GPU prices tab came into view (the public price catalogues are read from then on). */
  readonly onPricesShown?: () => void;
  readonly now?: () => number;
  /** The rolling history the overview's sparklines and charts are drawn from. */
  readonly history?: () => MetricHistory | undefined;
  /** Clouds whose resources a row may offer to stop now (`cloudtop.actions.enabled` and the cloud has the action). */
  readonly stoppable?: () => readonly CloudId[];
  /** A row's Stop: runs the confirmed stop command (its modal decides; nothing is sent on Cancel). */
  readonly onStop?: (resource: ResourceRef) => void;
  /** A row's Show: reveals the resource in its cloud's tree. */
  readonly onShow?: (resource: ResourceRef) => void;
}

export class DashboardPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly visibility = new vscode.EventEmitter<boolean>();
  /** Fires when the panel becomes visible or hidden (the refresh timer runs only while something is seen). */
  readonly onDidChangeVisibility = this.visibility.event;
  private snapshot: Snapshot | undefined;
  private lastRefreshAt: number | undefined;
  private refreshing = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly now: () => number;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly options: DashboardOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.disposables.push(
      this.visibility,
      // After a window reload VS Code recreates the panel (with the webview's saved state) and hands it here.
      vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
        deserializeWebviewPanel: (panel: vscode.WebviewPanel) => {
          if (this.panel)
            panel.dispose(); // never two dashboards
          else this.adopt(panel);
          return Promise.resolve();
        },
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('cloudtop.refreshInterval')) this.post({ type: 'timing', timing: this.timing() });
      }),
    );
  }

  update(snapshot: Snapshot): void {
    this.snapshot = snapshot;
    this.lastRefreshAt = this.now();
    this.postSnapshot();
  }

  /** A tab to show once the webview is ready (a panel just created cannot hear it yet). */
  private showPricesWhenReady = false;

  /** `prices`: open on the GPU prices tab (Cloudtop: Compare GPU Prices). */
  show(tab?: 'prices'): void {
    if (tab === 'prices') {
      this.showPricesWhenReady = true;
      if (this.panel) this.post({ type: 'showPrices' });
    }
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      DASHBOARD_VIEW_TYPE,
      'Cloudtop Dashboard',
      vscode.ViewColumn.Active,
      this.webviewOptions(),
    );
    this.adopt(panel);
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, localResourceRoots: [this.root()], enableFindWidget: true };
  }

  private root(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
  }

  /** Wires a panel we created or one VS Code restored. */
  private adopt(panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    webview.options = this.webviewOptions();
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'cloudtop.svg');
    webview.html = dashboardHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.root(), 'dashboard.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.root(), 'dashboard.css')).toString(),
      nonce: newNonce(),
    });
    const subscriptions: vscode.Disposable[] = [
      panel.onDidChangeViewState((e) => this.visibility.fire(e.webviewPanel.visible)),
      webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
    ];
    panel.onDidDispose(() => {
      for (const s of subscriptions) s.dispose();
      this.panel = undefined;
      this.visibility.fire(false);
    });
    this.panel = panel;
    this.visibility.fire(panel.visible);
  }

  private receive(message: unknown): void {
    if (!isWebviewMessage(message)) return; // anything else is ignored, whatever it claims to be
    switch (message.type) {
      case 'ready':
        if (this.snapshot) this.postSnapshot();
        else this.post({ type: 'timing', timing: this.timing() });
        if (this.showPricesWhenReady) this.post({ type: 'showPrices' });
        return;
      case 'pricesShown':
        this.showPricesWhenReady = false;
        this.options.onPricesShown?.();
        return;
      case 'refresh':
        void this.refresh();
        return;
      case 'history': {
        const history = this.options.history?.();
        if (history) this.post(resourceHistoryMessage(history, message.cloud, message.id, this.now()));
        return;
      }
      case 'stop':
        this.options.onStop?.({ cloud: message.cloud, id: message.id });
        return;
      case 'show':
        this.options.onShow?.({ cloud: message.cloud, id: message.id });
        return;
    }
  }

  private async refresh(): Promise<void> {
    this.refreshing = true;
    this.post({ type: 'timing', timing: this.timing() });
    try {
      await vscode.commands.executeCommand('cloudtop.refresh');
    } catch {
      // The command reports its own failures (log and tree); the dashboard only stops showing "refreshing".
    } finally {
      this.refreshing = false;
      this.post({ type: 'timing', timing: this.timing() });
    }
  }

  private timing(): DashboardTiming {
    return {
      intervalSec: Math.max(0, this.options.refreshIntervalSec()),
      ...(this.lastRefreshAt !== undefined ? { lastRefreshAt: this.lastRefreshAt } : {}),
      refreshing: this.refreshing,
      sentAt: this.now(),
    };
  }

  private postSnapshot(): void {
    // Built only for a visible panel: a hidden dashboard costs no history work.
    if (!this.snapshot || !this.panel?.visible) return;
    const history = this.options.history?.();
    this.post({
      type: 'snapshot',
      snapshot: this.snapshot,
      timing: this.timing(),
      ...(history ? { history: dashboardHistory(history, this.snapshot) } : {}),
      stoppable: this.options.stoppable?.() ?? [],
    });
  }

  private post(message: HostMessage): void {
    // A hidden webview has no document to receive it; it asks again with `ready` when shown.
    if (this.panel?.visible) void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
