// Which of the clouds found on this machine get their view without being asked (firstRun.ts). No `vscode` here:
// unit-tested. A key the user gave (the environment, Cloudtop's secret storage, a Microsoft sign-in) is their intent;
// a CLI login may be another tool's, so it is offered ("Show Google Cloud"), not shown — except on an upgrade from a
// version without the welcome, whose user already saw every cloud their CLI logins reach: hiding those would look like
// Cloudtop lost them.
import type { CloudId, CredentialSource } from '../core/model/model';

export interface FoundCloud {
  readonly cloud: CloudId;
  readonly source: CredentialSource;
}

/** A CLI login may belong to another tool's use: it is offered, not shown unasked. Everything else is the user's intent. */
export const shownBySource = (source: CredentialSource): boolean => source !== 'cli-file';

/**
 * The found clouds to show unasked. `remembered`: the clouds remembered as shown, undefined when the welcome never ran
 * here; `ranBefore`: Cloudtop's storage already held a cache at activation. Both together mean an upgrade.
 */
export function shownUnasked(found: readonly FoundCloud[], remembered: readonly string[] | undefined, ranBefore: boolean): CloudId[] {
  const upgraded = ranBefore && remembered === undefined;
  return found.filter((f) => upgraded || shownBySource(f.source)).map((f) => f.cloud);
}
