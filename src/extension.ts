// Composition root: build the parts, wire them, hand every disposable to VS Code. Nothing else lives here.
import * as vscode from 'vscode';
import { CLOUD_IDS } from './core/model';
import { CloudTreeProvider } from './vscode/cloudTree';
import { registerCommands } from './vscode/commands';
import { DashboardPanel } from './vscode/dashboardPanel';
import { createLogChannel } from './vscode/log';

export function activate(context: vscode.ExtensionContext): void {
  const { channel, logger } = createLogChannel();
  const trees = CLOUD_IDS.map((cloud) => new CloudTreeProvider(cloud));
  const dashboard = new DashboardPanel(context.extensionUri);

  context.subscriptions.push(
    channel,
    dashboard,
    ...trees,
    ...trees.map((tree) => vscode.window.createTreeView(`cloudtop.${tree.cloud}`, { treeDataProvider: tree, showCollapseAll: true })),
    ...registerCommands({
      refresh: () => {
        logger.info('Refresh requested');
        for (const tree of trees) tree.refresh();
      },
      openDashboard: () => dashboard.show(),
    }),
  );
  logger.info(`Cloudtop ${String(context.extension.packageJSON.version)} activated`);
}

export function deactivate(): void {}
