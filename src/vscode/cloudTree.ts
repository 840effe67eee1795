// One tree per cloud, all from this one implementation: it renders the cloud's view state, keeps the
// welcome-content context key in step (unconfigured, disabled, unsupported, empty), says where the
// credential came from, and shows progress in the view while the cloud loads.
import * as vscode from 'vscode';
import { CLOUD_NAMES, type CloudId, type CredentialSource } from '../core/model/model';
import type { CloudStates } from './cloudStates';
import { hiddenScopesHint, scopeSummary } from '../core/model/describe';
import { childNodes, rootNodes, treeItem, type CloudNode } from './treeNodes';

const SOURCE_LABELS: Record<CredentialSource, string> = {
  environment: 'key from environment',
  stored: 'key in secret storage',
  'cli-file': 'key from CLI login',
  'sign-in': 'signed in to VS Code',
  prompt: 'key in secret storage',
};

export type ViewState = 'unsupported' | 'unconfigured' | 'disabled' | 'loading' | 'empty' | 'ok' | 'error';

export class CloudTree implements vscode.TreeDataProvider<CloudNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CloudNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<CloudNode>;
  private readonly disposables: vscode.Disposable[] = [];
  private progress: (() => void) | undefined;
  private contextState: ViewState | undefined;

  constructor(
    readonly cloud: CloudId,
    private readonly states: CloudStates,
    private readonly supported: boolean,
    /** What its scopes are called when it has several (`subscriptions`), for the view's description. */
    private readonly scopesNoun = 'scopes',
    private readonly now: () => number = Date.now,
  ) {
    this.view = vscode.window.createTreeView(`cloudtop.${cloud}`, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.changed,
      states.onDidChange((changed) => {
        if (changed === cloud) this.update();
      }),
    );
    this.update();
  }

  get visible(): boolean {
    return this.view.visible;
  }

  /** The state the welcome content keys on; exposed for tests. */
  get state(): ViewState {
    const { outcome, loading } = this.states.get(this.cloud);
    if (!this.supported) return 'unsupported';
    if (!outcome) return loading ? 'loading' : 'ok';
    if (outcome.state === 'unconfigured' || outcome.state === 'disabled') return outcome.state;
    if (outcome.state === 'error') return 'error';
    return outcome.resources.length === 0 ? 'empty' : 'ok';
  }

  getTreeItem(node: CloudNode): vscode.TreeItem {
    const item = treeItem(node);
    // A stop or start the cloud accepted shows at once, until a refresh finds the resource there.
    const pending = node.kind === 'resource' ? this.states.pending(node.cloud, node.resource.id) : undefined;
    if (pending) {
      item.description = `${pending === 'stop' ? 'stopping' : 'starting'}…`;
      item.iconPath = new vscode.ThemeIcon('loading~spin');
      item.contextValue = `${String(item.contextValue).replace(/;can(Stop|Start)/g, '')};busy`;
    }
    return item;
  }

  /**
   * The node that lists `node` among its children (undefined at the top). Nodes are rebuilt from the view state on
   * every call, so the parent is found by id; VS Code needs it to reveal a node whose parents are collapsed.
   */
  getParent(node: CloudNode): CloudNode | undefined {
    const search = (parents: CloudNode[]): CloudNode | undefined => {
      for (const parent of parents) {
        const children = this.getChildren(parent);
        if (children.some((child) => child.id === node.id)) return parent;
        const deeper = search(children);
        if (deeper) return deeper;
      }
      return undefined;
    };
    return search(this.getChildren());
  }

  /** Selects and focuses a resource by its id (the idle alert's Show); just shows the view when it is gone. */
  async reveal(resourceId: string): Promise<void> {
    const find = (nodes: CloudNode[]): CloudNode | undefined => {
      for (const node of nodes) {
        if (node.kind === 'resource' && node.resource.id === resourceId) return node;
        const found = node.kind === 'resource' ? undefined : find(this.getChildren(node));
        if (found) return found;
      }
      return undefined;
    };
    const node = find(this.getChildren());
    if (node) await this.view.reveal(node, { select: true, focus: true, expand: false });
    else await vscode.commands.executeCommand(`cloudtop.${this.cloud}.focus`);
  }

  getChildren(node?: CloudNode): CloudNode[] {
    try {
      return node ? childNodes(node) : rootNodes(this.cloud, this.states.get(this.cloud), this.now());
    } catch (error) {
      // A tree must never throw: show the failure as a row instead.
      return [{ kind: 'error', id: `${this.cloud}/render-error`, cloud: this.cloud, category: 'unknown', message: String(error) }];
    }
  }

  private update(): void {
    const state = this.state;
    if (state !== this.contextState) {
      this.contextState = state;
      void vscode.commands.executeCommand('setContext', `cloudtop.state.${this.cloud}`, state);
    }
    const { outcome, loading } = this.states.get(this.cloud);
    const shown = outcome?.state === 'ok' || outcome?.state === 'error';
    const source = shown && outcome.credentialSource ? SOURCE_LABELS[outcome.credentialSource] : undefined;
    const scopes = shown ? scopeSummary(outcome, this.scopesNoun) : undefined;
    this.view.description = [source, scopes, this.states.sharedCache].filter(Boolean).join(' · ') || undefined;
    // A cloud that leaves scopes out by default (OCI's other subscribed regions) says so at the top of its view.
    this.view.message = shown ? hiddenScopesHint(this.cloud, outcome) : undefined;
    this.setProgress(loading);
    this.changed.fire(undefined);
  }

  private setProgress(loading: boolean): void {
    if (loading && !this.progress) {
      void vscode.window.withProgress(
        { location: { viewId: `cloudtop.${this.cloud}` }, title: `Loading ${CLOUD_NAMES[this.cloud]}` },
        () => new Promise<void>((resolve) => (this.progress = resolve)),
      );
    } else if (!loading && this.progress) {
      this.progress();
      this.progress = undefined;
    }
  }

  dispose(): void {
    this.progress?.();
    for (const d of this.disposables) d.dispose();
  }
}
