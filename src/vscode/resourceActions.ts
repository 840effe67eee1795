// Stop and Start on a resource (context menu, inline on GPU instances): the engine's one decision (planAction), a modal
// confirmation naming the resource, its price, its idle time where known and what a stop keeps costing or loses; then
// the write (Monitor.act), `stopping…` in the tree at once, and refreshes of that cloud until the resource is there or
// the follow-up times out. A refusal shows the cloud's reason and what to do, never a stack. Every action and its
// result goes to the Cloudtop log. `cloudtop.actions.enabled` off: the menus hide them and the commands send nothing.
import * as vscode from 'vscode';
import { autoStopRefusal, planAction, refusalLine, stopTermsOf } from '../core/engine/actions';
import { ACTION_TARGET, type ResourceAction } from '../core/engine/provider';
import type { Catalogue } from '../core/engine/registry';
import { toCloudtopError } from '../core/errors/errors';
import { formatPricePerHour, plainText } from '../core/model/describe';
import type { Logger } from '../core/model/log';
import { CLOUD_NAMES, type Resource, type Snapshot } from '../core/model/model';
import type { CloudStates } from './cloudStates';
import type { CloudNode } from './treeNodes';

/** The modal question: true when the user pressed `button`. A seam the extension-host tests answer. */
export type Confirm = (message: string, detail: string, button: string) => Promise<boolean>;

export interface ResourceActionsDeps {
  readonly catalogue: Catalogue;
  readonly states: CloudStates;
  readonly log: Logger;
  readonly enabled: () => boolean;
  /** Sends the write (Monitor.act). */
  readonly act: (resource: Resource, action: ResourceAction) => Promise<void>;
  /** Refreshes one cloud for the follow-up (no reference data renewed). */
  readonly refresh: (cloud: Resource['cloud']) => Promise<Snapshot>;
  /** Minutes the GPU has been idle, where Cloudtop has seen it idle (IdleAlerts). */
  readonly idleMinutes: (cloud: Resource['cloud'], id: string) => number | undefined;
}

/** How long the follow-up refreshes go on, and how often. */
export const FOLLOW_TIMEOUT_MS = 10 * 60_000;
export const FOLLOW_INTERVAL_MS = 5_000;

export class ResourceActions implements vscode.Disposable {
  /** Replaced by tests; the real one is VS Code's modal warning. */
  confirm: Confirm = async (message, detail, button) =>
    (await vscode.window.showWarningMessage(message, { modal: true, detail }, button)) === button;
  /** The follow-ups in flight, so tests (and dispose) can wait for them. */
  readonly following = new Set<Promise<void>>();
  private readonly commands: vscode.Disposable[];
  private disposed = false;

  constructor(
    private readonly deps: ResourceActionsDeps,
    private readonly followIntervalMs = FOLLOW_INTERVAL_MS,
  ) {
    this.commands = [
      vscode.commands.registerCommand('cloudtop.stop', (node: unknown) => this.run(node, 'stop')),
      vscode.commands.registerCommand('cloudtop.start', (node: unknown) => this.run(node, 'start')),
    ];
  }

  /** The command: resolves once the cloud answered (the follow-up goes on in `following`). */
  async run(node: unknown, action: ResourceAction): Promise<void> {
    const n = node as CloudNode | undefined;
    if (n?.kind !== 'resource') return;
    const { resource } = n;
    const { log, catalogue } = this.deps;
    const what = `${CLOUD_NAMES[resource.cloud]} ${resource.name} (${resource.id})`;
    if (!this.deps.enabled()) {
      log.info(`${action} ${what}: not sent, cloudtop.actions.enabled is off`);
      void vscode.window.showInformationMessage('Cloudtop sends no stop or start: cloudtop.actions.enabled is off.');
      return;
    }
    const plan = planAction(catalogue[resource.cloud], resource, action);
    if (plan.decision !== 'send') {
      log.info(`${action} ${what}: not sent, ${plan.why}`);
      void vscode.window.showInformationMessage(plain(plan.why));
      return;
    }
    const { message, detail, button } = this.question(resource, action);
    if (!(await this.confirm(message, detail, button))) {
      log.info(`${action} ${what}: cancelled, nothing sent`);
      return;
    }
    await this.send(resource, action);
  }

  /** Why autostop must leave this resource alone, or undefined (core/engine/actions.ts `autoStopRefusal`). */
  autoStopRefusal(resource: Resource): string | undefined {
    return autoStopRefusal(this.deps.catalogue[resource.cloud], resource);
  }

  /**
   * Sends the write the user already agreed to (the confirmation, or autostop's setting and countdown), shows the
   * pending action at once and follows it; a refusal is shown with the cloud's reason.
   */
  async send(resource: Resource, action: ResourceAction): Promise<void> {
    const { log, states } = this.deps;
    const what = `${CLOUD_NAMES[resource.cloud]} ${resource.name} (${resource.id})`;
    if (!this.deps.enabled()) return;
    states.setPending(resource.cloud, resource.id, action);
    log.info(`${action} ${what}: sending`);
    try {
      await this.deps.act(resource, action);
    } catch (error) {
      states.setPending(resource.cloud, resource.id, undefined);
      const line = refusalLine(error, resource, action);
      log.warn(`${action} ${what}: refused: ${line}`);
      void vscode.window.showErrorMessage(plain(`${line}${hint(error, resource)}`));
      return;
    }
    log.info(`${action} ${what}: accepted by ${CLOUD_NAMES[resource.cloud]}; following until ${ACTION_TARGET[action]}`);
    const follow = this.follow(resource, action).finally(() => this.following.delete(follow));
    this.following.add(follow);
  }

  /** The confirmation: the resource, its price, its idle time where known, what a stop keeps costing or loses. */
  question(resource: Resource, action: ResourceAction): { message: string; detail: string; button: string } {
    const name = plain(resource.name);
    const cloud = CLOUD_NAMES[resource.cloud];
    const price =
      resource.pricePerHour !== undefined
        ? `${formatPricePerHour(resource.pricePerHour)} while running`
        : plain(resource.priceUnknown ?? 'price unknown');
    const idle = this.deps.idleMinutes(resource.cloud, resource.id);
    const lines = [`${cloud} · ${resource.service} · ${resource.status} · ${price}${idle !== undefined ? ` · GPU idle ${idle} min` : ''}`];
    if (action === 'stop') {
      const terms = stopTermsOf(this.deps.catalogue[resource.cloud], resource);
      if (terms?.stillBilled) lines.push('', `Warning: ${terms.stillBilled}`);
      if (terms?.keepsBilling.length) lines.push('', 'Still billed while stopped:', ...terms.keepsBilling.map((l) => `• ${l}`));
      if (terms?.loses.length) lines.push('', 'Lost by stopping:', ...terms.loses.map((l) => `• ${l}`));
    } else if (resource.pricePerHour !== undefined)
      lines.push('', `Billing at ${formatPricePerHour(resource.pricePerHour)} resumes once it runs.`);
    const verb = action === 'stop' ? 'Stop' : 'Start';
    return { message: `${verb} ${name} on ${cloud}?`, detail: lines.map(plain).join('\n'), button: verb };
  }

  /** Refreshes the cloud at once, then every interval, until the resource is in the target state or time is up. */
  private async follow(resource: Resource, action: ResourceAction): Promise<void> {
    const { states, log } = this.deps;
    const actions = this.deps.catalogue[resource.cloud]?.actions;
    const deadline = Date.now() + FOLLOW_TIMEOUT_MS;
    const what = `${CLOUD_NAMES[resource.cloud]} ${resource.name} (${resource.id})`;
    try {
      for (;;) {
        const snapshot = await this.deps.refresh(resource.cloud).catch(() => undefined);
        if (this.disposed) return;
        const now = snapshot?.outcomes[resource.cloud]?.resources.find((r) => r.id === resource.id);
        const there = now && actions && (actions.inTargetState ? actions.inTargetState(now, action) : now.status === ACTION_TARGET[action]);
        if (there) {
          log.info(`${action} ${what}: ${ACTION_TARGET[action]}`);
          return;
        }
        if (Date.now() + this.followIntervalMs > deadline) {
          log.warn(
            `${action} ${what}: not ${ACTION_TARGET[action]} after ${FOLLOW_TIMEOUT_MS / 60_000} min (${now?.status ?? 'not listed'})`,
          );
          void vscode.window.showWarningMessage(
            plain(
              `${CLOUD_NAMES[resource.cloud]} accepted ${action} ${resource.name}, but it is not ${ACTION_TARGET[action]} yet. Refresh later to see it.`,
            ),
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, this.followIntervalMs));
      }
    } finally {
      states.setPending(resource.cloud, resource.id, undefined);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const command of this.commands) command.dispose();
  }
}

/** What to do about a refusal, in words: a read-only key, a missing permission, a state the cloud will not leave. */
function hint(error: unknown, resource: Resource): string {
  const category = toCloudtopError(error, resource.cloud).category;
  if (category === 'permission' || category === 'auth')
    return ` Create a ${CLOUD_NAMES[resource.cloud]} API key with write access and set it with Cloudtop: Set Credentials….`;
  return '';
}

const plain = (text: string): string => plainText(text, 600);
