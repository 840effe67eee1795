// One generic tree per cloud. Until a cloud's provider lands the tree has no children, which makes
// VS Code show that view's welcome content (package.json `viewsWelcome`).
import * as vscode from 'vscode';
import type { CloudId } from '../core/model';

export interface CloudNode {
  readonly id: string;
  readonly label: string;
}

export class CloudTreeProvider implements vscode.TreeDataProvider<CloudNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CloudNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(readonly cloud: CloudId) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: CloudNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label);
    item.id = node.id;
    return item;
  }

  getChildren(): CloudNode[] {
    return [];
  }

  dispose(): void {
    this.changed.dispose();
  }
}
