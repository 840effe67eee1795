// The scopes of each cloud: listed by the provider (or the one sole scope of a cloud that lists none), cached like
// resources, and remembered so a cloud that fails as a whole can still show every scope's last good data.
import type { Cache } from '../cache/cache';
import type { Logger } from '../model/log';
import type { CloudId } from '../model/model';
import type { Provider } from './provider';
import { soleScope, type Scope } from '../model/scope';

export class CloudScopes {
  private readonly lastKnown = new Map<CloudId, readonly Scope[]>();

  constructor(
    private readonly cache: Cache,
    private readonly log: Logger,
  ) {}

  /** The cached scope list, while fresh. */
  async cached(key: string): Promise<readonly Scope[] | undefined> {
    return this.cache.get<readonly Scope[]>(key).catch(() => undefined);
  }

  /** What the provider lists; a cloud without scopes is one. An empty list is one scope too: the views then say "no resources". */
  async list(provider: Provider, label: string, signal: AbortSignal): Promise<readonly Scope[]> {
    if (!provider.listScopes) return [soleScope(label)];
    const scopes = await provider.listScopes(signal);
    return scopes.length > 0 ? scopes : [soleScope(label)];
  }

  async store(key: string, cloud: CloudId, scopes: readonly Scope[], ttlMs: number): Promise<void> {
    this.lastKnown.set(cloud, scopes);
    await this.cache
      .set(key, scopes, ttlMs)
      .catch((error: unknown) => this.log.warn(`cache write failed for ${cloud} scopes: ${String(error)}`));
  }

  /** The scopes last listed, for showing their last good data when listing fails. */
  known(cloud: CloudId): readonly Scope[] {
    return this.lastKnown.get(cloud) ?? [];
  }

  /** Forgets the cloud's scopes; returns the ids it knew, so their cached parts can be deleted. */
  forget(cloud: CloudId): string[] {
    const ids = this.known(cloud).map((scope) => scope.id);
    this.lastKnown.delete(cloud);
    return ids;
  }
}
