// The running engine inside VS Code: builds it from settings and secrets, turns refreshes into view state,
// the status bar, idle alerts and the dashboard, and rebuilds what a settings or secret change affects.
import * as vscode from 'vscode';
import { createEngine, type Engine } from '../core/engine/engine';
import type { Logger } from '../core/model/log';
import { CLOUD_IDS, type CloudId, type Resource, type Snapshot } from '../core/model/model';
import type { Catalogue } from '../core/engine/registry';
import type { ResourceAction, SignIn } from '../core/engine/provider';
import { CloudStates } from './cloudStates';
import { SecretCredentialStore, REDIS_PASSWORD_KEY } from './secrets';
import { affects, cacheOptions, cloudConfig, settings } from './settings';
import { SHARED_CACHE_UNAVAILABLE } from '../core/transport/redis-status';

export class Monitor implements vscode.Disposable {
  readonly states = new CloudStates();
  readonly store: SecretCredentialStore;
  private engine: Engine | undefined;
  private readonly snapshotChanged = new vscode.EventEmitter<Snapshot>();
  readonly onDidSnapshot = this.snapshotChanged.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly catalogue: Catalogue,
    private readonly log: Logger,
    /** Sign-ins VS Code owns (the Microsoft account for Azure), tried after each cloud's CLI login. */
    private readonly signIns: Readonly<Partial<Record<CloudId, SignIn>>> = {},
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.store = new SecretCredentialStore(context.secrets);
    this.disposables.push(this.states, this.snapshotChanged);
  }

  get snapshot(): Snapshot | undefined {
    return this.engine?.collector.snapshot;
  }

  /** Set once the dashboard's GPU prices tab was shown: from then on, clouds not connected list their public offers. */
  private publicOffers = false;

  /**
   * The GPU prices tab is in view: the clouds with a public price catalogue (catalogue entry `publicOffers`) list it
   * even before they are connected. Their provider modules load now, not at activation. Never rejects.
   */
  showPublicPrices(): Promise<void> {
    const first = !this.publicOffers;
    this.publicOffers = true;
    const clouds = CLOUD_IDS.filter((cloud) => this.catalogue[cloud]?.publicOffers);
    if (!first || clouds.length === 0) return Promise.resolve();
    // After the refresh under way: one running now would be joined (the collector shares a cloud's refresh in flight)
    // and it did not ask for public offers.
    return (this.running ?? Promise.resolve()).then(() => this.background(false, clouds));
  }

  /** The latest refresh, settled either way. */
  private running: Promise<void> | undefined;

  /**
   * One refresh of every cloud (or of `clouds`); `manual` bypasses the resource and metric caches, `retry` the GPU
   * offers' too (a Retry asks for everything of that cloud again). A cloud's failure is its outcome; anything else (a
   * broken cache configuration, a bug) is logged and rejects, so the command that asked says so.
   */
  async refresh(manual: boolean, clouds?: readonly CloudId[], retry = false, renewReference = manual || retry): Promise<Snapshot> {
    const run = this.refreshOnce(manual, clouds, retry, renewReference);
    this.running = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async refreshOnce(
    manual: boolean,
    clouds: readonly CloudId[] | undefined,
    retry: boolean,
    renewReference: boolean,
  ): Promise<Snapshot> {
    try {
      const engine = await this.ensureEngine();
      const snapshot = await engine.collector.refresh({
        force: manual || retry,
        forceOffers: retry,
        // Cloudtop: Refresh and Retry read price lists, compartments and sizes again too; following an action does not.
        renewReference,
        publicOffers: this.publicOffers,
        ...(clouds ? { clouds } : {}),
      });
      this.snapshotChanged.fire(snapshot);
      return snapshot;
    } catch (error) {
      this.log.error(`Refresh failed: ${String(error)}`);
      throw error;
    }
  }

  /** Asks the resource's cloud to stop or start it (core/engine/actions.ts); rejects with the cloud's refusal. */
  async act(resource: Resource, action: ResourceAction): Promise<void> {
    const engine = await this.ensureEngine();
    await engine.collector.act(resource, action);
  }

  /** A refresh nobody waits for (a settings or secret change): its failure is already logged. */
  private background(manual: boolean, clouds?: readonly CloudId[]): Promise<void> {
    return this.refresh(manual, clouds).then(
      () => undefined,
      () => undefined,
    );
  }

  private readonly reloading = new Map<CloudId, Promise<void>>();

  /**
   * A cloud's credentials changed (here or in another window): forget its data and load it again. The
   * command that stored a key and the SecretStorage event it causes share one reload.
   */
  credentialsChanged(cloud: CloudId): Promise<void> {
    let pending = this.reloading.get(cloud);
    if (!pending) {
      pending = (async () => {
        const engine = await this.ensureEngine();
        await engine.collector.invalidate(cloud);
        await this.background(true, [cloud]);
      })()
        .catch((error: unknown) => this.log.error(`Reloading ${cloud} failed: ${String(error)}`))
        .finally(() => this.reloading.delete(cloud));
      this.reloading.set(cloud, pending);
    }
    return pending;
  }

  /** Applies a settings change: rebuilds what it affects and refreshes those clouds. Never rejects. */
  async configurationChanged(event: vscode.ConfigurationChangeEvent): Promise<void> {
    if (affects(event, 'cache') || affects(event, 'redis')) {
      await this.resetEngine();
      await this.background(true);
      return;
    }
    const changed = CLOUD_IDS.filter(
      (cloud) => affects(event, `${cloud}.endpoint`) || affects(event, `${cloud}.enabled`) || affects(event, `rateLimit.${cloud}`),
    );
    if (changed.length > 0) {
      // Rate limits are fixed per limiter, endpoints per provider: rebuild the engine for either.
      if (changed.some((cloud) => affects(event, `rateLimit.${cloud}`))) await this.resetEngine();
      else
        for (const cloud of changed)
          await this.engine?.collector
            .invalidate(cloud)
            .catch((error: unknown) => this.log.warn(`Forgetting ${cloud} failed: ${String(error)}`));
      await this.background(true, changed);
    }
  }

  private async ensureEngine(): Promise<Engine> {
    if (this.engine) return this.engine;
    const redisPassword = await this.context.secrets.get(REDIS_PASSWORD_KEY);
    const engine = createEngine({
      catalogue: this.catalogue,
      env: this.env,
      store: this.store,
      signIns: this.signIns,
      log: this.log,
      cache: cacheOptions(this.context.globalStorageUri.fsPath, redisPassword),
      config: (cloud) => cloudConfig(cloud, this.env),
      collector: {
        ttlMs: settings.ttlMs(),
        idleGpuPercent: settings.idleGpuPercent(),
        ...(settings.deadlineMs() !== undefined ? { deadlineMs: settings.deadlineMs() } : {}),
      },
    });
    engine.collector.onEvent((event) => this.states.apply(event));
    // Redis lost or back: one log line each way and every view's description (RedisStatus says it once per change).
    engine.onSharedCacheChange((change) => {
      if (change.available) this.log.info(change.message);
      else this.log.warn(change.message);
      this.states.setSharedCache(change.available ? undefined : SHARED_CACHE_UNAVAILABLE);
    });
    this.engine = engine;
    return engine;
  }

  private async resetEngine(): Promise<void> {
    const old = this.engine;
    this.engine = undefined;
    this.states.setSharedCache(undefined); // the next engine says so again if its Redis is unavailable too
    await old?.dispose().catch((error: unknown) => this.log.warn(`Closing the previous engine failed: ${String(error)}`));
  }

  /** Closes the engine: provider HTTP pools, Redis connections, rate-limiter timers. */
  async close(): Promise<void> {
    await this.resetEngine();
  }

  dispose(): void {
    void this.resetEngine();
    for (const d of this.disposables) d.dispose();
  }
}
