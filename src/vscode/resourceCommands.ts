// Context-menu actions on a resource node: Copy ID, Copy as JSON, Open in Console, Copy SSH Command.
import * as vscode from 'vscode';
import type { Resource } from '../core/model/model';
import type { CloudNode } from './treeNodes';

function resourceOf(node: unknown): Resource | undefined {
  const candidate = node as CloudNode | undefined;
  return candidate?.kind === 'resource' ? candidate.resource : undefined;
}

export function resourceCommands(): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('cloudtop.copyId', async (node: unknown) => {
      const resource = resourceOf(node);
      if (resource) await vscode.env.clipboard.writeText(resource.id);
    }),
    vscode.commands.registerCommand('cloudtop.copyJson', async (node: unknown) => {
      const n = node as Extract<CloudNode, { kind: 'resource' }> | undefined;
      if (n?.kind === 'resource')
        await vscode.env.clipboard.writeText(JSON.stringify({ ...n.resource, metrics: n.metrics ?? {} }, null, 2));
    }),
    vscode.commands.registerCommand('cloudtop.openConsole', async (node: unknown) => {
      const url = resourceOf(node)?.consoleUrl;
      // Only web links: a cloud-provided URL must not open a local file or another scheme's handler.
      if (url && /^https:\/\//i.test(url)) await vscode.env.openExternal(vscode.Uri.parse(url));
    }),
    vscode.commands.registerCommand('cloudtop.copySsh', async (node: unknown) => {
      const ssh = resourceOf(node)?.ssh;
      if (!ssh) return;
      const host = ssh.host.replace(/[^A-Za-z0-9.:_-]/g, '');
      const user = (ssh.user ?? 'root').replace(/[^A-Za-z0-9._-]/g, '');
      await vscode.env.clipboard.writeText(`ssh -p ${Math.trunc(ssh.port)} ${user}@${host}`);
      void vscode.window.setStatusBarMessage('SSH command copied', 3000);
    }),
  ];
}
