// Connect, in the real extension host against the simulated Vast.ai and RunPod: Open SSH Terminal starts ssh itself
// as the terminal's process with `-p <port> <user>@<host>` (no shell reads the cloud's values); a host or user the
// cloud sends that ssh would read as an option is refused, for every SSH command; Open in Remote-SSH without the
// Remote - SSH extension (code-server has none) offers to install it. Notifications are observed by wrapping the
// `vscode.window` functions, as the other suites do; nothing of Cloudtop's own is replaced.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { plainText } from '../../../src/core/model/describe';
import type { CloudtopApi } from '../../../src/extension';
import type { CloudTree } from '../../../src/vscode/cloudTree';
import type { CloudNode } from '../../../src/vscode/treeNodes';
import { createRegisteredClouds } from '../../sim/clouds';
import type { RunpodState } from '../../sim/runpod';
import { startSim, type Sim } from '../../sim/server';
import type { VastState } from '../../sim/vastai';

const config = () => vscode.workspace.getConfiguration('cloudtop');
type ResourceNode = Extract<CloudNode, { kind: 'resource' }>;
type Notify = (...args: unknown[]) => Thenable<unknown>;
const win = vscode.window as unknown as Record<'showInformationMessage' | 'showErrorMessage', Notify>;
/** What a successful `-oProxyCommand=` injection would create. */
const PWNED = '/tmp/cloudtop-connect-pwned';

describe('Connect: Open SSH Terminal and Open in Remote-SSH', function () {
  this.timeout(60_000);
  let sim: Sim;
  let api: CloudtopApi;
  /** The terminals there before the test: `vscode.window.terminals` gains a created one at once. */
  let existing: Set<vscode.Terminal>;
  const opened = () => vscode.window.terminals.filter((t) => !existing.has(t));
  let shown: { kind: string; args: unknown[] }[];
  const originals = { showInformationMessage: win.showInformationMessage, showErrorMessage: win.showErrorMessage };

  const tree = (cloud: string): CloudTree => api.trees.find((t) => t.cloud === cloud)!;
  const resources = (cloud: string): ResourceNode[] => {
    const t = tree(cloud);
    return t
      .getChildren()
      .filter((n) => n.kind === 'service')
      .flatMap((n) => t.getChildren(n))
      .filter((n): n is ResourceNode => n.kind === 'resource');
  };
  const node = (cloud: string, id: string): ResourceNode => {
    const found = resources(cloud).find((n) => n.resource.id === id);
    assert.ok(found, `${cloud} ${id} is in the tree`);
    return found;
  };
  const refresh = () => vscode.commands.executeCommand('cloudtop.refresh');
  /** A running Vast.ai instance of the simulator, as the cloud lists it. */
  const runningVast = () => {
    const instance = sim.state<VastState>('vastai').instances.find((i) => i.actual_status === 'running' && i.num_gpus > 0);
    assert.ok(instance, 'the sim has a running GPU instance');
    return instance;
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  before(async () => {
    sim = await startSim({ clouds: createRegisteredClouds() });
    api = await vscode.extensions.getExtension<CloudtopApi>('cloudtop.cloudtop')!.activate();
    await config().update('vastai.endpoint', sim.endpoint('vastai'), vscode.ConfigurationTarget.Global);
    await config().update('runpod.endpoint', sim.endpoint('runpod'), vscode.ConfigurationTarget.Global);
    await config().update('rateLimit.vastai', { perSecond: 50, burst: 50 }, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    delete process.env.VAST_API_KEY;
    delete process.env.RUNPOD_API_KEY;
    await sim?.close();
  });

  beforeEach(() => {
    sim.reset();
    process.env.VAST_API_KEY = sim.keys().vastai;
    process.env.RUNPOD_API_KEY = sim.keys().runpod;
    existing = new Set(vscode.window.terminals);
    shown = [];
    for (const kind of ['showInformationMessage', 'showErrorMessage'] as const)
      win[kind] = (...args: unknown[]) => {
        shown.push({ kind, args });
        return Promise.resolve(undefined); // dismissed: nothing installed, nothing opened
      };
  });

  afterEach(() => {
    Object.assign(win, originals);
    for (const terminal of opened()) terminal.dispose();
  });

  it('Open SSH Terminal runs exactly ssh -p <port> root@<host> as the process, named after the instance', async () => {
    const instance = runningVast();
    // The sim's row, pointed at loopback so the ssh the terminal starts reaches nothing outside this machine.
    instance.ssh_host = '127.0.0.1';
    instance.ssh_port = 9;
    await refresh();
    const target = node('vastai', String(instance.id));
    const tokens = tree('vastai').getTreeItem(target).contextValue!.split(';');
    assert.ok(tokens.includes('ssh') && tokens[1] === 'running', tokens.join(';'));

    await vscode.commands.executeCommand('cloudtop.openSshTerminal', target);
    await settle();
    assert.equal(opened().length, 1, 'one terminal');
    const options = opened()[0].creationOptions as vscode.TerminalOptions;
    assert.equal(options.shellPath, 'ssh');
    assert.deepEqual(options.shellArgs, ['-p', '9', 'root@127.0.0.1']);
    assert.equal(opened()[0].name, `SSH: ${plainText(target.resource.name, 60)}`);
    assert.deepEqual(shown, []);
  });

  it('a host the cloud sends starting with -o is refused by every SSH command: no terminal, no window, nothing copied', async () => {
    const instance = runningVast();
    instance.ssh_host = `-oProxyCommand=touch ${PWNED}`;
    await refresh();
    const target = node('vastai', String(instance.id));
    assert.equal(target.resource.ssh?.host, instance.ssh_host, 'the cloud’s value reached the resource as sent');
    await vscode.env.clipboard.writeText('before');

    await vscode.commands.executeCommand('cloudtop.openSshTerminal', target);
    await vscode.commands.executeCommand('cloudtop.openRemoteSsh', target);
    await vscode.commands.executeCommand('cloudtop.copySsh', target);
    await settle();
    assert.deepEqual(opened(), [], 'no terminal');
    assert.equal(await vscode.env.clipboard.readText(), 'before', 'nothing copied');
    assert.deepEqual(
      shown.map((s) => s.kind),
      ['showErrorMessage', 'showErrorMessage', 'showErrorMessage'],
      'each says why, and Remote-SSH is not even offered',
    );
    for (const s of shown)
      assert.match(String(s.args[0]), /: not done, the cloud gave an SSH host that is not a plain host name or address\.$/);
    assert.equal(existsSync(PWNED), false);
  });

  it('a RunPod user name starting with - is refused too', async () => {
    const pods = sim.state<RunpodState>('runpod').pods;
    const pod = pods.find((p) => p.ssh.direct !== null);
    assert.ok(pod?.ssh.direct, 'the sim has a running pod with direct SSH');
    pod.ssh.direct.username = `-oProxyCommand=touch ${PWNED}`;
    pod.ssh.direct.host = '127.0.0.1'; // loopback: an ssh started by mistake reaches nothing outside
    await refresh();
    const target = node('runpod', pod.id);
    assert.equal(target.resource.ssh?.user, pod.ssh.direct.username);

    await vscode.commands.executeCommand('cloudtop.openSshTerminal', target);
    await settle();
    assert.deepEqual(opened(), []);
    assert.equal(shown.length, 1);
    assert.match(String(shown[0].args[0]), /not a plain user name/);
    assert.equal(existsSync(PWNED), false);
  });

  it('Open in Remote-SSH without the Remote - SSH extension offers to install it, and opens nothing', async () => {
    assert.equal(vscode.extensions.getExtension('ms-vscode-remote.remote-ssh'), undefined, 'code-server has no Remote - SSH');
    await refresh();
    const target = node('vastai', String(runningVast().id));
    await vscode.commands.executeCommand('cloudtop.openRemoteSsh', target);
    assert.equal(shown.length, 1);
    assert.equal(shown[0].kind, 'showInformationMessage');
    assert.deepEqual(shown[0].args, ['Opening an instance in a VS Code window needs the Remote - SSH extension.', 'Install Remote - SSH']);
  });

  it('the menus offer both on running resources with SSH details, outside the command palette', () => {
    const menus = (
      vscode.extensions.getExtension('cloudtop.cloudtop')!.packageJSON as {
        contributes: { menus: Record<string, { command: string; when: string }[]> };
      }
    ).contributes.menus;
    for (const command of ['cloudtop.openSshTerminal', 'cloudtop.openRemoteSsh']) {
      const palette = menus.commandPalette.find((i) => i.command === command);
      assert.equal(palette?.when, 'false', `${command} is not in the palette`);
      const item = menus['view/item/context'].find((i) => i.command === command);
      assert.ok(item && /viewItem =~ \/\\bssh\\b\//.test(item.when) && item.when.includes('/^resource;running;/'), item?.when);
    }
  });
});
