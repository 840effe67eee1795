// Acting on a resource: stop and start. The contract is split in two so a front end can decide before any bundle
// loads: the catalogue entry's `actions` (CloudActions, SDK-free) says which resources take an action, what a stop
// keeps costing and loses, and when a resource is already there; the provider's `act` sends the one write. This module
// is the one reading of both, for the CLI and VS Code alike:
//
//   planAction  → 'send' | 'skip' (already in the target state: no write at all) | 'unsupported' (with why)
//   Collector.act → the provider's `act` under the cloud's deadline and the resource's scope (its budget), through the
//                 same limiter as every read; a write is never retried except after a 429 (CallOptions.write), so a
//                 refused key or permission fails once, with the cloud's own reason.
//
// What follows an accepted action (polling until the target state) is the front end's: refreshes, as ever.
import { CloudtopError, toCloudtopError } from '../errors/errors';
import { CLOUD_NAMES, type ErrorCategory, type Resource } from '../model/model';
import { ACTION_TARGET, type CloudActions, type ResourceAction, type StopTerms } from './provider';
import type { CloudEntry } from './registry';

export type ActionDecision =
  | { readonly decision: 'send' }
  | { readonly decision: 'skip'; readonly why: string }
  | { readonly decision: 'unsupported'; readonly why: string };

/** How an action ended, as the CLI's JSON and the log say it. */
export type ActionResult = 'accepted' | 'skipped' | 'failed' | 'planned';

export interface ActionOutcome {
  readonly resource: Resource;
  readonly action: ResourceAction;
  readonly result: ActionResult;
  readonly error?: { readonly category: ErrorCategory; readonly message: string };
}

/** Already there: its status is the action's target, unless the cloud says otherwise (Azure's allocated "stopped" VM). */
export function inTargetState(actions: CloudActions, resource: Resource, action: ResourceAction): boolean {
  return actions.inTargetState ? actions.inTargetState(resource, action) : resource.status === ACTION_TARGET[action];
}

/** Whether to send the write, skip it, or refuse: the one rule both front ends follow before asking anything. */
export function planAction(entry: CloudEntry | undefined, resource: Resource, action: ResourceAction): ActionDecision {
  const cloud = CLOUD_NAMES[resource.cloud];
  const actions = entry?.actions;
  if (!actions || !actions.supports(resource, action))
    return {
      decision: 'unsupported',
      why: actions
        ? `Cloudtop cannot ${action} ${resource.name}: it can ${action} ${cloud}'s ${actions.subjects} only.`
        : `Cloudtop cannot ${action} ${resource.name}: it stops and starts nothing on ${cloud}.`,
    };
  if (inTargetState(actions, resource, action))
    return {
      decision: 'skip',
      why: `${resource.name} is already ${ACTION_TARGET[action]}${resource.rawStatus ? ` (${resource.rawStatus})` : ''}.`,
    };
  return { decision: 'send' };
}

/** Whether the cloud's actions list anything for this resource (the menus show Stop/Start only where true). */
export function canAct(entry: CloudEntry | undefined, resource: Resource): boolean {
  return !!entry?.actions && (entry.actions.supports(resource, 'stop') || entry.actions.supports(resource, 'start'));
}

/** What stopping it keeps costing and loses; undefined when the cloud cannot stop it. */
export function stopTermsOf(entry: CloudEntry | undefined, resource: Resource): StopTerms | undefined {
  return entry?.actions?.supports(resource, 'stop') ? entry.actions.stopTerms(resource) : undefined;
}

/**
 * Why autostop must leave this resource alone, or undefined: the plan says it cannot or need not be stopped, or
 * stopping it does not stop its bill (Oracle's GPU shapes but A10) — stopping those would lose what runs and save
 * nothing, so only the user decides, from the confirmation that says so.
 */
export function autoStopRefusal(entry: CloudEntry | undefined, resource: Resource): string | undefined {
  const plan = planAction(entry, resource, 'stop');
  if (plan.decision !== 'send') return plan.why;
  const stillBilled = stopTermsOf(entry, resource)?.stillBilled;
  return stillBilled ? `stopping it would save nothing: ${stillBilled}` : undefined;
}

/**
 * One line naming the cloud, the resource and what is missing, for a refused write: a read-only key, a missing
 * permission, a pod that cannot stop. The cloud's own message (already redacted and made by its error hook) follows.
 */
export function refusalLine(error: unknown, resource: Resource, action: ResourceAction): string {
  const e = toCloudtopError(error, resource.cloud);
  const cloud = CLOUD_NAMES[resource.cloud];
  const what = `${cloud} refused to ${action} ${resource.name} (${resource.id})`;
  switch (e.category) {
    case 'auth':
      return `${what}: the key was rejected. ${e.message}`;
    case 'permission':
      return `${what}: the key lacks permission to ${action} it — use a key with write access. ${e.message}`;
    default:
      return `${what}: ${e.message}`;
  }
}

/** The error of a refused action, categorized, for the outcome (JSON `error`). */
export function actionError(error: unknown, resource: Resource, action: ResourceAction): { category: ErrorCategory; message: string } {
  const e = error instanceof CloudtopError ? error : toCloudtopError(error, resource.cloud);
  return { category: e.category, message: refusalLine(e, resource, action) };
}
