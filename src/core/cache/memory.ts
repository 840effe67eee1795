// In-process cache: an LRU bounded by entry count, with each entry's expiry kept beside its value and checked
// against an injectable clock. lru-cache's own TTL reads performance.now() and caches the reading for
// `ttlResolution` ms of real time, which would make expiry depend on the wall clock in tests; an explicit
// `expiresAt` makes the rule one comparison that a test can drive.
import { LRUCache } from 'lru-cache';
import type { Cache } from './cache';
import { normalizeTtl } from './ttl';

export const DEFAULT_MAX_ENTRIES = 500;

interface Entry {
  readonly value: unknown;
  readonly expiresAt: number;
}

export interface MemoryCacheOptions {
  readonly maxEntries?: number;
  readonly now?: () => number;
}

/**
 * Values are kept by reference, not copied: the model is immutable, and copying every snapshot would cost
 * more than it protects.
 */
export class MemoryCache implements Cache {
  readonly kind = 'memory' as const;
  private readonly entries: LRUCache<string, Entry>;
  private readonly now: () => number;

  constructor(options: MemoryCacheOptions = {}) {
    const max = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxEntries must be a positive integer, got ${max}`);
    this.entries = new LRUCache<string, Entry>({ max });
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Synchronous read, for layers built on this one (the Redis backend's local view). */
  read<T>(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value as T;
  }

  write<T>(key: string, value: T, ttlMs: number): void {
    const ttl = normalizeTtl(ttlMs);
    if (ttl === undefined || value === undefined) {
      this.entries.delete(key);
      return;
    }
    this.entries.set(key, { value, expiresAt: this.now() + ttl });
  }

  remove(key: string): void {
    this.entries.delete(key);
  }

  removeAll(): void {
    this.entries.clear();
  }

  get<T>(key: string): Promise<T | undefined> {
    return Promise.resolve(this.read<T>(key));
  }

  set<T>(key: string, value: T, ttlMs: number): Promise<void> {
    this.write(key, value, ttlMs);
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.remove(key);
    return Promise.resolve();
  }

  clear(): Promise<void> {
    this.removeAll();
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.removeAll();
    return Promise.resolve();
  }
}
