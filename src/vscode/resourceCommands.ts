// Context-menu actions on a resource node: Copy ID, Copy as JSON, Open in Console (the SSH ones: sshCommands.ts).
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
  ];
}
