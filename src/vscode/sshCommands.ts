// Connect to an instance the cloud gives SSH details for (`Resource.ssh`: Vast.ai, RunPod): Copy SSH Command, Open SSH
// Terminal (ssh run directly as the terminal's process, its arguments one by one, so no shell ever reads a
// cloud-provided host or user) and Open in Remote-SSH (a new window on the host through Microsoft's Remote - SSH
// extension, offered for install when missing). All three take the checked target of sshTarget.ts, or say why not.
import * as vscode from 'vscode';
import { plainText } from '../core/model/describe';
import type { Logger } from '../core/model/log';
import { CLOUD_NAMES, type Resource } from '../core/model/model';
import { remoteSshAuthority, sshArgs, sshCommandLine, sshTarget, type SshTarget } from './sshTarget';
import type { CloudNode } from './treeNodes';

/** Microsoft's Remote - SSH (https://marketplace.visualstudio.com/items?itemName=ms-vscode-remote.remote-ssh). */
export const REMOTE_SSH_EXTENSION = 'ms-vscode-remote.remote-ssh';
/** Its open-source counterpart for VS Code builds without Microsoft's marketplace; it resolves the same authority. */
export const OPEN_REMOTE_SSH_EXTENSION = 'jeanp413.open-remote-ssh';
export const INSTALL_REMOTE_SSH = 'Install Remote - SSH';

function resourceOf(node: unknown): Resource | undefined {
  const candidate = node as CloudNode | undefined;
  return candidate?.kind === 'resource' ? candidate.resource : undefined;
}

/** The checked target of a node, or undefined after telling the user why there is none. */
function targetOf(resource: Resource, log: Logger, what: string): SshTarget | undefined {
  const target = sshTarget(resource.ssh);
  if ('refused' in target) {
    const line = `${what} ${CLOUD_NAMES[resource.cloud]} ${plainText(resource.name, 80)}: not done, ${target.refused}.`;
    log.warn(line);
    void vscode.window.showErrorMessage(line);
    return undefined;
  }
  return target;
}

export function sshCommands(log: Logger): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('cloudtop.copySsh', async (node: unknown) => {
      const resource = resourceOf(node);
      const target = resource && targetOf(resource, log, 'Copy SSH command for');
      if (!target) return;
      await vscode.env.clipboard.writeText(sshCommandLine(target));
      void vscode.window.setStatusBarMessage('SSH command copied', 3000);
    }),
    vscode.commands.registerCommand('cloudtop.openSshTerminal', (node: unknown) => {
      const resource = resourceOf(node);
      const target = resource && targetOf(resource, log, 'Open SSH terminal on');
      if (!resource || !target) return;
      log.info(`Open SSH terminal on ${CLOUD_NAMES[resource.cloud]} ${resource.name} (${resource.id}): ${sshCommandLine(target)}`);
      const terminal = vscode.window.createTerminal({
        name: `SSH: ${plainText(resource.name, 60)}`,
        shellPath: 'ssh',
        shellArgs: sshArgs(target),
        iconPath: new vscode.ThemeIcon('terminal'),
      });
      terminal.show();
    }),
    vscode.commands.registerCommand('cloudtop.openRemoteSsh', async (node: unknown) => {
      const resource = resourceOf(node);
      const target = resource && targetOf(resource, log, 'Open in Remote-SSH');
      if (!resource || !target) return;
      if (!vscode.extensions.getExtension(REMOTE_SSH_EXTENSION) && !vscode.extensions.getExtension(OPEN_REMOTE_SSH_EXTENSION)) {
        log.info(`Open in Remote-SSH ${resource.name} (${resource.id}): the Remote - SSH extension is not installed`);
        const choice = await vscode.window.showInformationMessage(
          'Opening an instance in a VS Code window needs the Remote - SSH extension.',
          INSTALL_REMOTE_SSH,
        );
        if (choice !== INSTALL_REMOTE_SSH) return;
        try {
          await vscode.commands.executeCommand('workbench.extensions.installExtension', REMOTE_SSH_EXTENSION);
          void vscode.window.showInformationMessage('Remote - SSH is installed: choose Open in Remote-SSH again.');
        } catch (error) {
          log.warn(`Installing ${REMOTE_SSH_EXTENSION} failed: ${String(error)}`);
          void vscode.window.showErrorMessage(plainText(`Remote - SSH could not be installed: ${String(error)}`, 300));
        }
        return;
      }
      log.info(`Open in Remote-SSH ${CLOUD_NAMES[resource.cloud]} ${resource.name} (${resource.id}): ${sshCommandLine(target)}`);
      // A new window on the host (vscode.newWindow's `remoteAuthority`: https://code.visualstudio.com/api/references/commands);
      // Remote-SSH resolves the authority and the user opens a folder there.
      await vscode.commands.executeCommand('vscode.newWindow', { remoteAuthority: remoteSshAuthority(target), reuseWindow: false });
    }),
  ];
}
