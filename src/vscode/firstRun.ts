// The side bar a new user meets: one "Get Started" welcome instead of seven, and a cloud's view only once that cloud is
// the user's. Context keys drive package.json's `when` clauses (VS Code's own way: views, viewsWelcome):
//   cloudtop.shown.<cloud>   the cloud's view is shown: the user connected it through Cloudtop (a key in secret storage,
//                            a Microsoft sign-in), set its key in the environment, chose "Show <cloud>", or saw it before
//                            (an upgrade from a version without this welcome keeps the CLI-login clouds it showed)
//   cloudtop.offer.<cloud>   a login of the cloud's own CLI was found (gcloud, az, ~/.oci/config …): offered first
//   cloudtop.anyShown        the welcome steps aside once any cloud's view is shown
//   cloudtop.anyOffer        the welcome says "found on this machine" above its offers
// The welcome is package.json's viewsWelcome while nothing is found, and rows naming whose login was found otherwise.
// `cloudtop.showAllClouds` (a setting) shows every view as before. Detection reads what the credential resolver reads
// (src/core/credentials) and keeps only the source and non-secret words ("gcloud is signed in as dev@example.com"):
// no secret reaches a view, a context key or the log.
import * as vscode from 'vscode';
import { CredentialResolver, type CredentialStore } from '../core/credentials/credentials';
import type { Catalogue } from '../core/engine/registry';
import type { Logger } from '../core/model/log';
import { shownBySource, shownUnasked } from './firstRunRule';
import { CLOUD_IDS, CLOUD_NAMES, type CloudId, type CredentialSource, type Snapshot } from '../core/model/model';

/** Clouds the user chose to see (or saw connected), remembered across windows and restarts. */
const SHOWN_KEY = 'cloudtop.shownClouds';
export const WELCOME_VIEW = 'cloudtop.welcome';

export interface Found {
  readonly cloud: CloudId;
  readonly source: CredentialSource;
  /** Non-secret words: "gcloud is signed in as dev@example.com", "VAST_API_KEY is set". */
  readonly words: string;
}

/**
 * Which clouds can be read on this machine, and from where: each cloud's credentials as the engine would resolve them
 * (environment, secret storage, the cloud's CLI login), reduced to the source and words a welcome may show.
 */
export async function findClouds(catalogue: Catalogue, env: NodeJS.ProcessEnv, store?: CredentialStore): Promise<Found[]> {
  const resolver = new CredentialResolver({ catalogue, env, ...(store ? { store } : {}) });
  const found = await Promise.all(
    CLOUD_IDS.map(async (cloud): Promise<Found | undefined> => {
      const entry = catalogue[cloud];
      if (!entry) return undefined;
      const resolved = await resolver.resolve(cloud).catch(() => undefined);
      if (!resolved) return undefined;
      const variable = entry.credentialFields.find((f) => f.secret)?.env.find((name) => env[name]?.trim());
      const words =
        resolved.source === 'environment'
          ? `${variable ?? 'its environment variables'} ${variable ? 'is' : 'are'} set`
          : resolved.source === 'cli-file'
            ? ((await entry.describeLogin?.(env).catch(() => undefined)) ?? `${CLOUD_NAMES[cloud]}'s CLI login was found`)
            : `connected in Cloudtop`;
      return { cloud, source: resolved.source, words };
    }),
  );
  return found.filter((f): f is Found => f !== undefined);
}

export class FirstRun implements vscode.Disposable {
  private readonly welcome: vscode.TreeView<vscode.TreeItem>;
  private readonly rowsChanged = new vscode.EventEmitter<undefined>();
  private readonly rows: vscode.TreeDataProvider<vscode.TreeItem> = {
    onDidChangeTreeData: this.rowsChanged.event,
    getTreeItem: (item) => item,
    getChildren: (item) => (item ? [] : this.welcomeRows()),
  };
  private readonly disposables: vscode.Disposable[] = [];
  private offers: readonly Found[] = [];
  private readonly keys = new Map<string, boolean>();

  constructor(
    private readonly memento: vscode.Memento,
    private readonly log: Logger,
  ) {
    // Nothing found: an empty tree, so VS Code shows the view's welcome content (package.json viewsWelcome). A CLI login
    // found: rows, the found clouds first, saying whose login it is (welcome text cannot carry words known at run time).
    this.welcome = vscode.window.createTreeView(WELCOME_VIEW, { treeDataProvider: this.rows });
    this.disposables.push(this.welcome, this.rowsChanged);
    void this.apply();
  }

  /** The clouds the user sees in the side bar. */
  get shown(): ReadonlySet<CloudId> {
    return new Set(this.memento.get<string[]>(SHOWN_KEY, []).filter((c): c is CloudId => (CLOUD_IDS as readonly string[]).includes(c)));
  }

  /**
   * Detects what this machine has and sets the context keys; a failure leaves the welcome as it is. `ranBefore`:
   * Cloudtop ran here before the welcome existed (its storage holds a cache, nothing is remembered as shown yet) — an
   * upgrade, whose user already saw every cloud their CLI logins reach: those stay shown rather than become offers.
   */
  async detect(find: () => Promise<Found[]>, ranBefore = false): Promise<void> {
    try {
      const found = await find();
      const intended = shownUnasked(found, this.memento.get<string[]>(SHOWN_KEY), ranBefore);
      if (intended.length > 0) await this.remember(intended);
      // Written once even when empty, so a later start with a cache is not taken for an upgrade.
      else if (this.memento.get<string[]>(SHOWN_KEY) === undefined) await this.memento.update(SHOWN_KEY, []);
      this.offers = found.filter((f) => !shownBySource(f.source));
      await this.apply();
    } catch (error) {
      this.log.warn(`Finding connected clouds failed: ${String(error)}`);
    }
  }

  /** "Show Google Cloud": its view appears (and stays), the welcome steps aside. */
  async show(cloud: CloudId): Promise<void> {
    await this.remember([cloud]);
    await this.apply();
  }

  /** Clouds that answered with a credential the user gave Cloudtop (here or in another window) are shown. */
  async snapshot(snapshot: Snapshot): Promise<void> {
    const connected = CLOUD_IDS.filter((cloud) => {
      const outcome = snapshot.outcomes[cloud];
      return outcome?.credentialSource !== undefined && shownBySource(outcome.credentialSource) && !this.shown.has(cloud);
    });
    if (connected.length === 0) return;
    await this.remember(connected);
    await this.apply();
  }

  private async remember(clouds: readonly CloudId[]): Promise<void> {
    const shown = this.shown;
    if (clouds.every((c) => shown.has(c))) return;
    await this.memento.update(SHOWN_KEY, [...new Set([...shown, ...clouds])]);
  }

  private apply(): Promise<unknown> {
    const shown = this.shown;
    const offered = new Set(this.offers.map((f) => f.cloud).filter((c) => !shown.has(c)));
    const set = [
      ...CLOUD_IDS.flatMap((cloud) => [
        this.setKey(`cloudtop.shown.${cloud}`, shown.has(cloud)),
        this.setKey(`cloudtop.offer.${cloud}`, offered.has(cloud)),
      ]),
      this.setKey('cloudtop.anyShown', shown.size > 0),
      this.setKey('cloudtop.anyOffer', offered.size > 0),
    ];
    this.rowsChanged.fire(undefined);
    return Promise.all(set);
  }

  private setKey(key: string, value: boolean): Thenable<unknown> {
    if (this.keys.get(key) === value) return Promise.resolve();
    this.keys.set(key, value);
    return vscode.commands.executeCommand('setContext', key, value);
  }

  /**
   * The welcome as rows when a CLI login was found: "Google Cloud — gcloud is signed in as dev@example.com" (words only,
   * never a secret) for each, then the price comparison, another cloud, every view.
   */
  welcomeRows(): vscode.TreeItem[] {
    const shown = this.shown;
    const offers = this.offers.filter((f) => !shown.has(f.cloud));
    if (offers.length === 0) return [];
    const row = (label: string, description: string, icon: string, command: vscode.Command): vscode.TreeItem =>
      Object.assign(new vscode.TreeItem(label), { description, iconPath: new vscode.ThemeIcon(icon), command, tooltip: command.title });
    return [
      ...offers.map((f) =>
        row(`Show ${CLOUD_NAMES[f.cloud]}`, f.words, 'cloud', {
          title: `Show ${CLOUD_NAMES[f.cloud]}: ${f.words}`,
          command: 'cloudtop.showCloud',
          arguments: [f.cloud],
        }),
      ),
      row('Compare GPU Prices', "Oracle's and Azure's public price lists, no key needed", 'graph', {
        title: 'Compare GPU prices across clouds',
        command: 'cloudtop.comparePrices',
      }),
      row('Connect Another Cloud…', 'its view says how', 'add', { title: 'Connect another cloud', command: 'cloudtop.showCloud' }),
      row("Show Every Cloud's View", 'connected or not', 'list-flat', {
        title: "Show every cloud's view",
        command: 'cloudtop.showAllClouds',
      }),
    ];
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
