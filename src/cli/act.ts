// `cloudtop stop|start <resource>...` and `cloudtop stop --idle`: find the resources in a fresh listing, decide per
// resource with the engine's one rule (core/engine/actions.ts planAction: send, skip when already there, refuse what
// the cloud cannot do), ask — or refuse without --yes when stdin is no terminal —, send each write once through the
// engine (Collector.act), and with --wait follow each until its target state. Nothing is written with --dry-run, and
// nothing before every named resource was found unambiguously.
import { createInterface } from 'node:readline/promises';
import { actionError, inTargetState, planAction, refusalLine, stopTermsOf, type ActionResult } from '../core/engine/actions';
import type { Engine } from '../core/engine/engine';
import { ACTION_TARGET, type ResourceAction } from '../core/engine/provider';
import type { Catalogue } from '../core/engine/registry';
import { formatPricePerHour } from '../core/model/describe';
import { CloudtopError } from '../core/errors/errors';
import { CLOUD_NAMES, type CloudId, type ErrorCategory, type ProviderOutcome, type Resource, type Snapshot } from '../core/model/model';
import type { ActOptions } from './args';
import { UsageError } from './errors';
import { serializeJson } from './format/json';
import { terminalText, truncate } from './format/terminal';
import { printLine, type Output } from './output';

/** How often --wait lists the clouds again: a few lists per minute stay far inside every cloud's read budget. */
export const WAIT_POLL_MS = 3000;

export interface ActContext {
  readonly engine: Engine;
  readonly clouds: readonly CloudId[];
  readonly catalogue: Catalogue;
  readonly output: Output;
  readonly stdin: NodeJS.ReadStream;
  readonly stderr: NodeJS.WritableStream;
}

/** One entry of `--json`'s `actions`. */
export interface ActionEntry {
  readonly cloud: CloudId;
  readonly id: string;
  readonly name: string;
  readonly action: ResourceAction;
  readonly result: ActionResult;
  readonly error?: { readonly category: ErrorCategory; readonly message: string };
}

export interface ActionsDocument {
  readonly schemaVersion: 1;
  readonly actions: readonly ActionEntry[];
}

/** Runs the command; resolves the exit code (0: every action accepted, skipped or planned; 1: one failed). */
export async function act(options: ActOptions, context: ActContext): Promise<number> {
  const { engine, clouds, catalogue, output } = context;
  const verb = options.action;
  const listed = await engine.collector.refresh({ clouds, force: true });
  const targets = options.idle ? idleGpus(listed) : options.resources.map((wanted) => find(listed, clouds, wanted, verb, catalogue));
  const entries = new Map<string, ActionEntry>();
  const keyOf = (r: Resource) => `${r.cloud}/${r.id}`;
  const entry = (resource: Resource, result: ActionResult, error?: ActionEntry['error']): ActionEntry => ({
    cloud: resource.cloud,
    id: resource.id,
    name: resource.name,
    action: verb,
    result,
    ...(error ? { error } : {}),
  });
  const toSend: Resource[] = [];
  for (const resource of unique(targets)) {
    const plan = planAction(catalogue[resource.cloud], resource, verb);
    if (plan.decision === 'unsupported') throw new UsageError(terminalText(plan.why));
    if (plan.decision === 'skip') {
      entries.set(keyOf(resource), entry(resource, 'skipped'));
      if (!options.json) output.write(`${describe(resource)}: skipped, ${terminalText(plan.why)}\n`);
    } else toSend.push(resource);
  }

  if (toSend.length > 0 && (options.dryRun || !options.yes)) {
    const plan = toSend.flatMap((resource) => planLines(resource, verb, catalogue, listed));
    if (options.dryRun) {
      for (const resource of toSend) entries.set(keyOf(resource), entry(resource, 'planned'));
      if (!options.json) output.write(`${['Would send (--dry-run, nothing sent):', ...plan].join('\n')}\n`);
    } else if (!context.stdin.isTTY) {
      throw new UsageError(
        `refusing to ${verb} ${toSend.length === 1 ? terminalText(toSend[0].name) : `${toSend.length} resources`} without --yes: stdin is not a terminal, so nobody can confirm (nothing was sent)`,
      );
    } else if (!(await confirm(context, [`cloudtop ${verb}:`, ...plan], `${capital(verb)} ${count(toSend.length)}? [y/N] `))) {
      printLine(context.stderr, 'cancelled: nothing was sent');
      return 0;
    }
  }

  if (!options.dryRun) {
    const accepted: Resource[] = [];
    for (const resource of toSend) {
      try {
        await engine.collector.act(resource, verb);
        entries.set(keyOf(resource), entry(resource, 'accepted'));
        accepted.push(resource);
        if (!options.json) output.write(`${describe(resource)}: ${verb} accepted\n`);
      } catch (error) {
        entries.set(keyOf(resource), entry(resource, 'failed', actionError(error, resource, verb)));
        printLine(context.stderr, terminalText(refusalLine(error, resource, verb)));
      }
    }
    if (!options.wait && accepted.length > 0) {
      // One listing more, so the cache the next `cloudtop` reads says `stopping`, not the `running` listed before.
      await engine.collector.refresh({ clouds: [...new Set(accepted.map((r) => r.cloud))], force: true });
    }
    if (options.wait && accepted.length > 0) {
      for (const late of await waitForTargets(engine, accepted, verb, options.waitMs, catalogue)) {
        const message = `${CLOUD_NAMES[late.cloud]} accepted ${verb} ${late.name} (${late.id}), but it did not reach ${ACTION_TARGET[verb]} within ${Math.round(options.waitMs / 1000)} s (it is ${late.status})`;
        entries.set(keyOf(late), entry(late, 'failed', { category: 'network', message }));
        printLine(context.stderr, terminalText(message));
      }
      if (!options.json)
        for (const resource of accepted)
          if (entries.get(keyOf(resource))?.result === 'accepted') output.write(`${describe(resource)}: ${ACTION_TARGET[verb]}\n`);
    }
  }

  const document: ActionsDocument = { schemaVersion: 1, actions: [...entries.values()] };
  if (options.json) output.write(serializeJson(document, { pretty: true }));
  else if (entries.size === 0) output.write(`No GPU instance is idle now: nothing to ${verb}.\n`);
  return document.actions.some((a) => a.result === 'failed') ? 1 : 0;
}

/** The resource a name or id names among the listed clouds: its id exactly, else its exact name, else a usage error. */
function find(snapshot: Snapshot, clouds: readonly CloudId[], wanted: string, verb: ResourceAction, catalogue: Catalogue): Resource {
  // Only what was listed now: a failing cloud's last good data may say "stopped" of a resource running since.
  const current = (cloud: CloudId) => {
    const outcome = snapshot.outcomes[cloud];
    return outcome?.state === 'ok' && !outcome.stale ? outcome.resources.filter((r) => !r.scope || !staleScope(outcome, r.scope)) : [];
  };
  const all = clouds.flatMap(current);
  const byId = all.filter((r) => r.id === wanted);
  const named = byId.length > 0 ? byId : all.filter((r) => r.name === wanted);
  // A name shared with resources the action does not apply to (a Neon compute is named after its branch) names the
  // one it applies to; several that all take it are ambiguous.
  const actionable = named.filter((r) => catalogue[r.cloud]?.actions?.supports(r, verb));
  const matches = named.length > 1 && actionable.length > 0 ? actionable : named;
  if (matches.length === 1) return matches[0];
  const shown = terminalText(truncate(wanted, 80));
  if (matches.length === 0) {
    // Not found where a cloud could not be listed now: that cloud's failure is the answer (exit 1), not a typo.
    const failed = clouds.map((cloud) => snapshot.outcomes[cloud]).find((o) => o?.state === 'error' && o.error);
    if (failed?.error)
      throw new CloudtopError({
        category: failed.error.category,
        cloud: failed.cloud,
        message: `${failed.error.message} Nothing was sent: Cloudtop acts only on what it could list now.`,
      });
    throw new UsageError(`no resource "${shown}" to ${verb}: give its id as cloudtop --json shows it, or its exact name`);
  }
  const list = matches.map((r) => `${CLOUD_NAMES[r.cloud]} ${terminalText(r.id)} (${r.service})`).join('; ');
  throw new UsageError(`"${shown}" names ${matches.length} resources: ${list}. Give the id instead, or narrow with --provider`);
}

/** A scope of the outcome whose listing failed now (its resources are last good data). */
function staleScope(outcome: ProviderOutcome, scope: string): boolean {
  return outcome.scopes?.some((s) => s.id === scope && (s.stale || s.state === 'error')) ?? false;
}

/** The running GPU instances the idle rule flags in this listing (never from last good data: spend.ts says so). */
function idleGpus(snapshot: Snapshot): Resource[] {
  const idle = new Set(snapshot.totals.gpuSpend.filter((line) => line.idle).map((line) => `${line.cloud}/${line.resourceId}`));
  return Object.values(snapshot.outcomes).flatMap((o) => o?.resources.filter((r) => idle.has(`${r.cloud}/${r.id}`)) ?? []);
}

/** What one write would do, as --dry-run and the question show it: price, idle time where known, what a stop leaves. */
function planLines(resource: Resource, verb: ResourceAction, catalogue: Catalogue, snapshot: Snapshot): string[] {
  const price =
    resource.pricePerHour !== undefined ? formatPricePerHour(resource.pricePerHour) : (resource.priceUnknown ?? 'price unknown');
  const idle = snapshot.totals.gpuSpend.some((l) => l.cloud === resource.cloud && l.resourceId === resource.id && l.idle);
  const lines = [`  ${verb} ${describe(resource)}: ${resource.status}, ${price}${idle ? ', GPU idle now' : ''}`];
  const terms = verb === 'stop' ? stopTermsOf(catalogue[resource.cloud], resource) : undefined;
  if (terms?.stillBilled) lines.push(`    warning: ${terms.stillBilled}`);
  for (const line of terms?.keepsBilling ?? []) lines.push(`    still billed: ${line}`);
  for (const line of terms?.loses ?? []) lines.push(`    lost: ${line}`);
  return lines.map((line) => terminalText(line));
}

async function confirm(context: ActContext, lines: readonly string[], question: string): Promise<boolean> {
  context.stderr.write(`${lines.join('\n')}\n`);
  const rl = createInterface({ input: context.stdin, output: context.stderr, terminal: true });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** Lists the resources' clouds until each is in its target state or the time is up; answers the late ones as last seen. */
async function waitForTargets(
  engine: Engine,
  accepted: readonly Resource[],
  verb: ResourceAction,
  limitMs: number,
  catalogue: Catalogue,
): Promise<Resource[]> {
  const deadline = Date.now() + limitMs;
  const clouds = [...new Set(accepted.map((r) => r.cloud))];
  let late = [...accepted];
  for (;;) {
    const snapshot = await engine.collector.refresh({ clouds, force: true });
    late = late.map((r) => snapshot.outcomes[r.cloud]?.resources.find((x) => x.id === r.id) ?? r);
    late = late.filter((r) => {
      const actions = catalogue[r.cloud]?.actions;
      return !actions || !inTargetState(actions, r, verb);
    });
    if (late.length === 0 || Date.now() + WAIT_POLL_MS > deadline) return late;
    await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
  }
}

const describe = (r: Resource): string => terminalText(`${CLOUD_NAMES[r.cloud]} ${truncate(r.name, 60)} (${r.id})`);
const unique = (list: readonly Resource[]): Resource[] => [...new Map(list.map((r) => [`${r.cloud}/${r.id}`, r])).values()];
const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const count = (n: number): string => (n === 1 ? 'this resource' : `these ${n} resources`);
