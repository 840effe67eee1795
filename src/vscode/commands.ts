import * as vscode from 'vscode';

export interface CommandHandlers {
  refresh(): Promise<void> | void;
  openDashboard(): void;
}

export function registerCommands(handlers: CommandHandlers): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('cloudtop.refresh', () => handlers.refresh()),
    vscode.commands.registerCommand('cloudtop.openDashboard', () => handlers.openDashboard()),
  ];
}
