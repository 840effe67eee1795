// Composition root: build the parts, wire them, hand every disposable to VS Code. Nothing else lives here.
import { readdirSync } from 'node:fs';
import * as vscode from 'vscode';
import { CLOUD_IDS, CLOUD_NAMES, isCloudId, type CloudId } from './core/model/model';
import { CLOUD_SCOPES } from './core/model/scope';
import { catalogue } from './providers/index';
import { CloudTree } from './vscode/cloudTree';
import { setCredentials, signOut } from './vscode/credentialCommands';
import { DashboardPanel } from './vscode/dashboardPanel';
import { findClouds, FirstRun } from './vscode/firstRun';
import { HistoryStore } from './vscode/historyStore';
import { IdleAlerts } from './vscode/idleAlerts';
import { createLogChannel } from './vscode/log';
import { MICROSOFT_AUTH, microsoftAccountSignIn, microsoftSessionsChanged, signInWithMicrosoft } from './vscode/microsoftAccount';
import { Monitor } from './vscode/monitor';
import { RefreshManager } from './vscode/refreshManager';
import { resourceCommands } from './vscode/resourceCommands';
import { sshCommands } from './vscode/sshCommands';
import { ResourceActions } from './vscode/resourceActions';
import { AutoStop } from './vscode/autoStop';
import { realClock } from './core/transport/clock';
import { REDIS_PASSWORD_KEY, SecretCredentialStore } from './vscode/secrets';
import { settings } from './vscode/settings';
import type { CloudNode } from './vscode/treeNodes';
import { GpuSpendStatusBar } from './vscode/statusBar';

export interface CloudtopApi {
  readonly monitor: Monitor;
  readonly trees: readonly CloudTree[];
  readonly refreshManager: RefreshManager;
  readonly statusBar: GpuSpendStatusBar;
  /** Stop and Start (tests answer its confirmation and wait for its follow-ups). */
  readonly actions: ResourceActions;
  /** Autostop (tests drive its clock: `useClock`). */
  readonly autoStop: AutoStop;
  /** The first-run welcome and which clouds' views are shown. */
  readonly firstRun: FirstRun;
  /** Where this extension's logs go (tests check that no secret reaches them). */
  readonly logUri: vscode.Uri;
}

export function activate(context: vscode.ExtensionContext): CloudtopApi {
  const { channel, logger } = createLogChannel();
  // Read before anything writes there: a cache in the extension's storage means Cloudtop ran here before (firstRun.ts).
  const ranBefore = hasFiles(context.globalStorageUri.fsPath);
  const monitor = new Monitor(context, catalogue, logger, { azure: microsoftAccountSignIn() });
  const trees = CLOUD_IDS.map(
    (cloud) => new CloudTree(cloud, monitor.states, catalogue[cloud] !== undefined, CLOUD_SCOPES[cloud]?.setting),
  );
  // The rolling history the dashboard draws (restored from the last window, saved in the extension's storage).
  const history = new HistoryStore(context.globalStorageUri, logger);
  const statusBar = new GpuSpendStatusBar({ enabled: settings.statusBarEnabled, warnAbovePerHour: settings.warnAbovePerHour });
  const refreshManager = new RefreshManager((manual) => monitor.refresh(manual), settings.refreshIntervalSec);
  // One welcome until a cloud is the user's; each cloud's view once it is (firstRun.ts).
  const firstRun = new FirstRun(context.globalState, logger);
  void firstRun.detect(() => findClouds(catalogue, process.env, monitor.store), ranBefore);
  /** Shows a cloud's view (remembered) and focuses it. */
  const showCloud = async (cloud: CloudId) => {
    await firstRun.show(cloud);
    await vscode.commands.executeCommand(`cloudtop.${cloud}.focus`);
  };
  const revealResource = (cloud: string, resourceId: string) =>
    void (isCloudId(cloud) ? firstRun.show(cloud) : Promise.resolve())
      .then(() => trees.find((tree) => tree.cloud === cloud)?.reveal(resourceId))
      .catch((error: unknown) => logger.warn(`Could not reveal ${resourceId}: ${String(error)}`));
  // The idle alert's Stop asks the same confirmation as the tree's (ResourceActions, created just below).
  const stopFromAlert = (cloud: string, resourceId: string) => {
    const resource = monitor.snapshot?.outcomes[cloud as CloudId]?.resources.find((r) => r.id === resourceId);
    if (resource) void actions.run({ kind: 'resource', id: resourceId, cloud: resource.cloud, resource, stale: false }, 'stop');
  };
  const idleAlerts = new IdleAlerts(context.globalState, settings.idleGpuMinutes, revealResource, Date.now, {
    enabled: settings.actionsEnabled,
    run: stopFromAlert,
  });
  const actions = new ResourceActions({
    catalogue,
    states: monitor.states,
    log: logger,
    enabled: settings.actionsEnabled,
    act: (resource, action) => monitor.act(resource, action),
    refresh: (cloud) => monitor.refresh(true, [cloud], false, false),
    idleMinutes: (cloud, id) => idleAlerts.idleMinutes(cloud, id),
  });
  const dashboard = new DashboardPanel(context.extensionUri, {
    refreshIntervalSec: settings.refreshIntervalSec,
    onPricesShown: () => void monitor.showPublicPrices(),
    history: () => history.history,
    stoppable: () => (settings.actionsEnabled() ? CLOUD_IDS.filter((cloud) => catalogue[cloud]?.actions !== undefined) : []),
    // The row's Stop is the tree's: the same plan, modal confirmation and follow-up (ResourceActions.run).
    onStop: ({ cloud, id }) => stopFromAlert(cloud, id),
    onShow: ({ cloud, id }) => revealResource(cloud, id),
  });
  const autoStop = new AutoStop({
    memento: context.globalState,
    clock: realClock,
    minutes: settings.autoStopMinutes,
    enabled: settings.actionsEnabled,
    ask: (message, ...buttons) => vscode.window.showWarningMessage(message, ...buttons),
    refuses: (cloud, resourceId) => {
      const resource = monitor.snapshot?.outcomes[cloud]?.resources.find((r) => r.id === resourceId);
      return resource ? actions.autoStopRefusal(resource) : 'it is no longer listed';
    },
    stop: async (cloud, resourceId) => {
      const resource = monitor.snapshot?.outcomes[cloud]?.resources.find((r) => r.id === resourceId);
      if (resource) await actions.send(resource, 'stop');
    },
    log: logger,
  });

  const credentialsChanged = async (target: string | undefined) => {
    if (target === 'redis') await monitor.configurationChanged({ affectsConfiguration: (s) => s === 'cloudtop.redis' });
    else if (isCloudId(target)) {
      await firstRun.show(target);
      await monitor.credentialsChanged(target);
    }
  };

  context.subscriptions.push(
    channel,
    monitor,
    dashboard,
    history,
    statusBar,
    refreshManager,
    ...trees,
    ...trees.map((tree) => tree.view.onDidChangeVisibility((e) => refreshManager.setVisible(tree.cloud, e.visible))),
    dashboard.onDidChangeVisibility((visible) => refreshManager.setVisible('dashboard', visible)),
    vscode.window.onDidChangeWindowState((state) => refreshManager.setFocused(state.focused)),
    firstRun,
    monitor.onDidSnapshot((snapshot) => {
      void firstRun.snapshot(snapshot);
      statusBar.update(snapshot);
      idleAlerts.update(snapshot);
      void autoStop.update(snapshot).catch((error: unknown) => logger.warn(`Autostop failed: ${String(error)}`));
      // The dashboard gets the snapshot once the history has it (at once, but for the first one after a start,
      // which waits for the saved history to be read).
      void history.record(snapshot).finally(() => dashboard.update(snapshot));
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('cloudtop')) return;
      refreshManager.reconfigure();
      statusBar.update(monitor.snapshot);
      void monitor.configurationChanged(event);
    }),
    // Signing in or out of Microsoft in VS Code (here, in the Accounts menu, or in another extension) changes Azure's.
    vscode.authentication.onDidChangeSessions((event) => {
      if (event.provider.id !== MICROSOFT_AUTH) return;
      microsoftSessionsChanged();
      void monitor.credentialsChanged('azure');
    }),
    context.secrets.onDidChange((event) => {
      const cloud = SecretCredentialStore.cloudOf(event.key);
      if (cloud) void monitor.credentialsChanged(cloud);
    }),
    vscode.commands.registerCommand('cloudtop.refresh', () => refreshManager.refreshNow()),
    vscode.commands.registerCommand('cloudtop.openDashboard', () => dashboard.show()),
    vscode.commands.registerCommand('cloudtop.comparePrices', () => dashboard.show('prices')),
    // "Connect another cloud…": its own view, whose welcome says how (a key, a sign-in, the CLI's login).
    vscode.commands.registerCommand('cloudtop.showCloud', async (cloud?: unknown) => {
      const picked = isCloudId(cloud)
        ? cloud
        : (
            await vscode.window.showQuickPick(
              CLOUD_IDS.filter((c) => catalogue[c] && !firstRun.shown.has(c)).map((c) => ({ label: CLOUD_NAMES[c], id: c })),
              { placeHolder: 'Connect which cloud?', ignoreFocusOut: true },
            )
          )?.id;
      if (picked) await showCloud(picked);
    }),
    vscode.commands.registerCommand('cloudtop.showAllClouds', () =>
      vscode.workspace.getConfiguration('cloudtop').update('showAllClouds', true, vscode.ConfigurationTarget.Global),
    ),
    vscode.commands.registerCommand('cloudtop.showLogs', () => channel.show(true)),
    // An error or warning row retries its own cloud only, bypassing that cloud's cache: the others keep their budgets.
    vscode.commands.registerCommand('cloudtop.retry', (node?: CloudNode) =>
      node?.cloud ? monitor.refresh(true, [node.cloud], true) : refreshManager.refreshNow(),
    ),
    vscode.commands.registerCommand('cloudtop.setCredentials', async (cloud?: unknown) =>
      credentialsChanged(await setCredentials(catalogue, monitor.store, context.secrets, REDIS_PASSWORD_KEY, cloud)),
    ),
    vscode.commands.registerCommand('cloudtop.azure.signIn', async () => {
      microsoftSessionsChanged();
      if (await signInWithMicrosoft()) await credentialsChanged('azure');
    }),
    vscode.commands.registerCommand('cloudtop.signOut', async (cloud?: unknown) =>
      credentialsChanged(await signOut(catalogue, monitor.store, context.secrets, REDIS_PASSWORD_KEY, cloud)),
    ),
    ...resourceCommands(),
    ...sshCommands(logger),
    actions,
    autoStop,
    vscode.commands.registerCommand('cloudtop.toggleAutostop', async (node?: CloudNode) => {
      if (node?.kind !== 'resource') return;
      const excluded = await autoStop.toggleExcluded(node.resource.cloud, node.resource.id);
      void vscode.window.showInformationMessage(
        excluded ? 'Cloudtop will never autostop this instance.' : 'Cloudtop may autostop this instance again when it idles.',
      );
    }),
  );
  refreshManager.setFocused(vscode.window.state.focused);
  for (const tree of trees) refreshManager.setVisible(tree.cloud, tree.visible);
  logger.info(`Cloudtop ${String((context.extension.packageJSON as { version?: string }).version)} activated`);
  closing = async () => {
    refreshManager.dispose();
    await Promise.all([monitor.close(), history.close()]);
  };
  return { monitor, trees, refreshManager, statusBar, actions, autoStop, firstRun, logUri: context.logUri };
}

let closing: (() => Promise<void>) | undefined;

/** VS Code awaits this before it disposes the subscriptions: the timer stops, then HTTP pools and Redis close. */
export function deactivate(): Promise<void> | undefined {
  const close = closing;
  closing = undefined;
  return close?.();
}

function hasFiles(dir: string): boolean {
  try {
    return readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}
