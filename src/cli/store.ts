// The CLI's CredentialStore: the "credentials" section of the config file. The engine's resolver asks it after
// the environment and before the clouds' own CLI files, exactly where the extension asks SecretStorage.
import type { CredentialStore } from '../core/credentials/credentials';
import type { CloudId } from '../core/model/model';
import type { Credentials } from '../core/engine/provider';
import type { Catalogue } from '../core/engine/registry';
import { readConfig, writeConfig, type CliConfig } from './config';

export class ConfigCredentialStore implements CredentialStore {
  constructor(
    private readonly path: string,
    private readonly catalogue: Catalogue,
    /** The config this run already read and validated, so a refresh does not re-read the file. */
    private config?: CliConfig,
  ) {}

  async get(cloud: CloudId): Promise<Credentials | undefined> {
    this.config ??= (await readConfig(this.path, this.catalogue)).config;
    return this.config.credentials[cloud];
  }

  set(cloud: CloudId, credentials: Credentials): Promise<void> {
    return this.update((current) => ({ ...current, [cloud]: { ...credentials } }));
  }

  delete(cloud: CloudId): Promise<void> {
    return this.update((current) => Object.fromEntries(Object.entries(current).filter(([c]) => c !== cloud)));
  }

  /** Read-modify-write of the file as it is now (another run may have changed it), leaving the other sections alone. */
  private async update(change: (current: CliConfig['credentials']) => CliConfig['credentials']): Promise<void> {
    const { config } = await readConfig(this.path, this.catalogue);
    const next: CliConfig = { ...config, credentials: change(config.credentials) };
    await writeConfig(this.path, next);
    this.config = next;
  }
}
