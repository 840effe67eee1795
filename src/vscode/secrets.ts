// Credentials live only in VS Code's SecretStorage (the OS keychain), one JSON entry per cloud.
import type * as vscode from 'vscode';
import type { CredentialStore } from '../core/credentials/credentials';
import { isCloudId, type CloudId } from '../core/model/model';
import type { Credentials } from '../core/engine/provider';

const PREFIX = 'cloudtop.credentials.';
export const REDIS_PASSWORD_KEY = 'cloudtop.redis.password';

export class SecretCredentialStore implements CredentialStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(cloud: CloudId): Promise<Credentials | undefined> {
    const raw = await this.secrets.get(PREFIX + cloud);
    if (!raw) return undefined;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed && typeof parsed === 'object' && Object.values(parsed).every((v) => typeof v === 'string')) return parsed as Credentials;
    } catch {
      // A corrupt entry is the same as none; Set Credentials… overwrites it.
    }
    return undefined;
  }

  set(cloud: CloudId, credentials: Credentials): Promise<void> {
    return Promise.resolve(this.secrets.store(PREFIX + cloud, JSON.stringify(credentials)));
  }

  delete(cloud: CloudId): Promise<void> {
    return Promise.resolve(this.secrets.delete(PREFIX + cloud));
  }

  /** The cloud whose entry a SecretStorage change event is about, if any. */
  static cloudOf(key: string): CloudId | undefined {
    const cloud = key.startsWith(PREFIX) ? key.slice(PREFIX.length) : undefined;
    return isCloudId(cloud) ? cloud : undefined;
  }
}
