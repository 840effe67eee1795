// Cache on disk: one JSON file per key, named by a hash of the key, in a directory only the user can read.
//
// One file per key (rather than one file for all) is what makes concurrent writers safe without locks: every
// write goes to a temporary file of its own in the same directory and is renamed over the target, and a
// rename within one file system is atomic. Two windows, or a window and a CLI run, writing the same key at
// once therefore leave one complete file — the last rename wins — and a reader sees either the old or the new
// file, never a mix. A single shared file would need a lock or a read-modify-write that loses entries.
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, chmod, mkdir, open, opendir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { silentLogger, type Logger } from '../model/log';
import { redactError } from '../errors/redact';
import type { Cache } from './cache';
import { MemoryCache } from './memory';
import { normalizeTtl } from './ttl';

/** Written into every file; a file with another format or version (an older or newer Cloudtop) is a miss. */
export const FILE_FORMAT = 'cloudtop-cache';
export const FILE_FORMAT_VERSION = 1;

interface Envelope {
  readonly format: typeof FILE_FORMAT;
  readonly version: number;
  /** The full key, so a (theoretical) hash collision reads as a miss instead of another key's value. */
  readonly key: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  readonly value: unknown;
}

const ENTRY_FILE = /^[0-9a-f]{32}\.json$/;
const TEMP_FILE = /^\.[0-9a-f]{32}\.json\.\d+\.[0-9a-f]+\.tmp$/;
/** A temporary file older than this belongs to a writer that died; clear() and the start-up prune remove it. */
const ABANDONED_TEMP_MS = 60_000;
/** The start-up prune looks at this many directory entries at most (one at a time, in the background). */
export const PRUNE_MAX_ENTRIES = 1_000;
/** How much of an entry file the prune reads to find its expiry (written before the value, see Envelope). */
const PRUNE_HEAD_BYTES = 4_096;
/** A cache directory deeper than this is refused rather than walked (the walk is bounded, see makeCacheDir). */
const MAX_DIR_DEPTH = 64;

/** `$XDG_CACHE_HOME/cloudtop`, else `~/.cache/cloudtop`: where the CLI keeps its cache. */
export function defaultCliCacheDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec says a relative path is invalid and must be ignored.
  return xdg && isAbsolute(xdg) ? join(xdg, 'cloudtop') : join(home, '.cache', 'cloudtop');
}

export interface FileCacheOptions {
  readonly dir: string;
  readonly now?: () => number;
  readonly log?: Logger;
  /** Prune abandoned temporary files and expired entries in the background once the directory is made (default true). */
  readonly prune?: boolean;
}

export class FileCache implements Cache {
  readonly kind = 'file' as const;
  readonly dir: string;
  private readonly now: () => number;
  private readonly log: Logger;
  private dirReady: Promise<boolean> | undefined;
  private warned = false;
  /** Set when the directory cannot be used: the rest of this cache's life is in memory. */
  private fallback: MemoryCache | undefined;
  private pruning: Promise<void> | undefined;
  private closed = false;

  constructor(options: FileCacheOptions) {
    this.dir = resolve(options.dir);
    this.now = options.now ?? Date.now;
    this.log = options.log ?? silentLogger;
    // The directory is made (or found unusable) at once, and the prune follows it in the background: nothing here
    // delays the first get(), which waits only for the directory.
    void this.ensureDir().then((usable) => {
      if (usable && options.prune !== false && !this.closed) this.pruning = this.prune().catch(() => undefined);
    });
  }

  /** The start-up prune, for tests: resolves once it has finished (or at once when none runs). */
  async pruned(): Promise<void> {
    await this.dirReady;
    await this.pruning;
  }

  /** The file that holds `key`: a hash, so no key (with `/`, `..` or `:`) can name a path of its own. */
  pathOf(key: string): string {
    return join(this.dir, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`);
  }

  async get<T>(key: string): Promise<T | undefined> {
    if (!(await this.ensureDir())) return this.fallback!.get<T>(key);
    const path = this.pathOf(key);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.problem('read', error);
      return undefined;
    }
    const envelope = parse(text);
    if (!envelope || envelope.key !== key) return undefined;
    if (envelope.expiresAt <= this.now()) {
      // Expired files of our own format are removed so keys nobody asks for again do not pile up. A writer
      // that renamed a fresh file in between loses it to this unlink, which costs one miss, nothing more.
      await unlink(path).catch(() => undefined);
      return undefined;
    }
    return envelope.value as T;
  }

  async set<T>(key: string, value: T, ttlMs: number): Promise<void> {
    if (!(await this.ensureDir())) return this.fallback!.set(key, value, ttlMs);
    const ttl = normalizeTtl(ttlMs);
    if (ttl === undefined || value === undefined) return this.delete(key);
    let text: string;
    try {
      const envelope: Envelope = { format: FILE_FORMAT, version: FILE_FORMAT_VERSION, key, expiresAt: this.now() + ttl, value };
      text = JSON.stringify(envelope);
    } catch (error) {
      this.log.debug(`File cache: value for ${key} is not serializable: ${redactError(error)}`);
      return;
    }
    const path = this.pathOf(key);
    const name = path.slice(this.dir.length + 1);
    const temp = join(this.dir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      // `wx`: the name is fresh, so this never truncates somebody else's file. The mode is set at creation,
      // so the value is never readable by others, not even between write and chmod.
      await writeFile(temp, text, { mode: 0o600, flag: 'wx' });
      await renameWithRetry(temp, path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      this.problem('write', error);
    }
  }

  async delete(key: string): Promise<void> {
    if (!(await this.ensureDir())) return this.fallback!.delete(key);
    try {
      await unlink(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.problem('delete', error);
    }
  }

  /** Removes Cloudtop's entry files (and abandoned temporary files); other files in the directory stay. */
  async clear(): Promise<void> {
    if (!(await this.ensureDir())) return this.fallback!.clear();
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.problem('clear', error);
      return;
    }
    const cutoff = Date.now() - ABANDONED_TEMP_MS;
    await Promise.all(
      names.map(async (name) => {
        const path = join(this.dir, name);
        if (ENTRY_FILE.test(name)) return unlink(path).catch(() => undefined);
        // A young temporary file is a write in progress (maybe in another process): leave it to finish.
        if (!TEMP_FILE.test(name)) return undefined;
        const info = await stat(path).catch(() => undefined);
        if (info && info.mtimeMs < cutoff) await unlink(path).catch(() => undefined);
        return undefined;
      }),
    );
  }

  /** Stops the start-up prune (it stops before its next file) and waits for it. */
  async close(): Promise<void> {
    this.closed = true;
    await this.pruning;
    await this.fallback?.close();
  }

  /**
   * True when the directory exists (made by makeCacheDir if need be). When it cannot be made or is not a directory,
   * the cache carries on in memory for the rest of its life, after one warning: a cache is an accelerator, and a
   * directory that failed once (procfs, a file in the way, no permission) is not worth a failing syscall per call.
   */
  private ensureDir(): Promise<boolean> {
    this.dirReady ??= makeCacheDir(this.dir).then(
      () => true,
      (error: unknown) => {
        this.fallback = new MemoryCache({ now: this.now });
        this.warned = true;
        this.log.warn(
          `File cache in ${this.dir} cannot be used (${redactError(error).split('\n')[0]}); using an in-memory cache for this session.`,
        );
        return false;
      },
    );
    return this.dirReady;
  }

  /**
   * Removes what nobody else will: temporary files of our own naming older than a minute (a writer killed between
   * write and rename) and entry files whose expiry has passed (keys nobody asks for again). Bounded: at most
   * PRUNE_MAX_ENTRIES directory entries, one file at a time, reading only the head of an entry file.
   */
  private async prune(): Promise<void> {
    const directory = await opendir(this.dir, { bufferSize: 64 });
    let seen = 0;
    try {
      for await (const entry of directory) {
        if (this.closed || ++seen > PRUNE_MAX_ENTRIES) break;
        if (!entry.isFile()) continue;
        const path = join(this.dir, entry.name);
        if (TEMP_FILE.test(entry.name)) {
          const info = await stat(path).catch(() => undefined);
          if (info && info.mtimeMs < Date.now() - ABANDONED_TEMP_MS) await unlink(path).catch(() => undefined);
        } else if (ENTRY_FILE.test(entry.name)) {
          const head = await readHead(path);
          if (head && head.expiresAt <= this.now()) {
            // The file may have been replaced by a fresh write since it was read: remove only the one we read.
            const info = await stat(path).catch(() => undefined);
            if (info && info.ino === head.ino) await unlink(path).catch(() => undefined);
          }
        }
      }
    } finally {
      await directory.close().catch(() => undefined);
    }
  }

  /** A disk problem is worth one warning per cache; repeats go to the debug level. */
  private problem(operation: string, error: unknown): void {
    const text = `File cache in ${this.dir}: could not ${operation} (${redactError(error).split('\n')[0]}); continuing without it.`;
    if (this.warned) {
      this.log.debug(text);
    } else {
      this.warned = true;
      this.log.warn(text);
    }
  }
}

/**
 * Makes `dir` one component at a time, each with a plain (non-recursive) mkdir, and sets 0700 only on the directories
 * it made. Node 20's `mkdir(…, { recursive: true })` loops forever where a parent exists but a child cannot be made
 * (procfs: with XDG_CACHE_HOME=/proc/self it spins at 100 % CPU; the recursive form is described at
 * https://nodejs.org/docs/latest-v20.x/api/fs.html#fspromisesmkdirpath-options); this walk makes at most one attempt
 * per component. An existing directory — or a symlink to one — is used as
 * it is: its mode is the owner's choice (a symlinked cache dir must not have its target changed).
 */
export async function makeCacheDir(dir: string): Promise<readonly string[]> {
  const missing: string[] = [];
  let path = resolve(dir);
  // Upwards until an existing ancestor: stat follows symlinks, so a symlink to a directory counts as one.
  for (;;) {
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (info) {
      if (!info.isDirectory()) throw Object.assign(new Error(`${path} is not a directory`), { code: 'ENOTDIR' });
      break;
    }
    missing.unshift(path);
    if (missing.length > MAX_DIR_DEPTH) throw new Error(`${dir} is more than ${MAX_DIR_DEPTH} directories deep`);
    const parent = dirname(path);
    if (parent === path) break; // the root itself is missing: the mkdir below reports it
    path = parent;
  }
  const created: string[] = [];
  for (const component of missing) {
    try {
      await mkdir(component, { mode: 0o700 });
      created.push(component);
    } catch (error) {
      // Made by someone else in between (another window, another run): fine if it is a directory.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !(await stat(component)).isDirectory()) throw error;
    }
  }
  // mkdir's mode passes through the umask: make the directories we made owner-only exactly.
  for (const component of created) await chmod(component, 0o700);
  // The directory must be one we can write and search, or every write would fail later.
  await access(dir, constants.W_OK | constants.X_OK);
  return created;
}

/** An entry file's expiry from its first bytes, with its inode (so a later unlink removes only this file). */
async function readHead(path: string): Promise<{ expiresAt: number; ino: number } | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
    const info = await handle.stat();
    const buffer = Buffer.alloc(PRUNE_HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.toString('utf8', 0, bytesRead);
    // JSON.stringify writes the envelope's fields in order, and a `"` inside the key is escaped, so this pattern
    // can only match the envelope's own fields.
    if (!text.startsWith(`{"format":"${FILE_FORMAT}","version":${FILE_FORMAT_VERSION},"key":`)) return undefined;
    const match = /,"expiresAt":(\d+),"value":/.exec(text);
    return match ? { expiresAt: Number(match[1]), ino: info.ino } : undefined;
  } catch {
    return undefined;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function parse(text: string): Envelope | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined; // truncated or corrupt: a miss, and the next set() replaces the file
  }
  const e = data as Partial<Envelope> | null;
  if (!e || typeof e !== 'object' || e.format !== FILE_FORMAT || e.version !== FILE_FORMAT_VERSION) return undefined;
  if (typeof e.key !== 'string' || typeof e.expiresAt !== 'number' || !('value' in e)) return undefined;
  return e as Envelope;
}

/**
 * Windows refuses to replace a file another process has open at that instant (EPERM/EBUSY/EACCES); that
 * passes within milliseconds, so a few short retries. On POSIX the first attempt succeeds.
 */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 4 || !(code === 'EPERM' || code === 'EBUSY' || code === 'EACCES')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt));
    }
  }
}
