// Cache on disk: one JSON file per key, named by a hash of the key, in a directory only the user can read.
//
// One file per key (rather than one file for all) is what makes concurrent writers safe without locks: every
// write goes to a temporary file of its own in the same directory and is renamed over the target, and a
// rename within one file system is atomic. Two windows, or a window and a CLI run, writing the same key at
// once therefore leave one complete file — the last rename wins — and a reader sees either the old or the new
// file, never a mix. A single shared file would need a lock or a read-modify-write that loses entries.
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { silentLogger, type Logger } from '../model/log';
import { redactError } from '../errors/redact';
import type { Cache } from './cache';
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
/** A temporary file older than this belongs to a writer that died; clear() removes it. */
const ABANDONED_TEMP_MS = 60_000;

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
}

export class FileCache implements Cache {
  readonly kind = 'file' as const;
  readonly dir: string;
  private readonly now: () => number;
  private readonly log: Logger;
  private dirReady: Promise<void> | undefined;
  private warned = false;

  constructor(options: FileCacheOptions) {
    this.dir = options.dir;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? silentLogger;
  }

  /** The file that holds `key`: a hash, so no key (with `/`, `..` or `:`) can name a path of its own. */
  pathOf(key: string): string {
    return join(this.dir, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`);
  }

  async get<T>(key: string): Promise<T | undefined> {
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
      await this.ensureDir();
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
    try {
      await unlink(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.problem('delete', error);
    }
  }

  /** Removes Cloudtop's entry files (and abandoned temporary files); other files in the directory stay. */
  async clear(): Promise<void> {
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

  close(): Promise<void> {
    return Promise.resolve();
  }

  private ensureDir(): Promise<void> {
    this.dirReady ??= (async () => {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      // mkdir's mode only applies to a directory it creates (and passes through the umask): tighten an
      // existing one too, it holds what the clouds answered about the user's resources.
      await chmod(this.dir, 0o700).catch(() => undefined);
    })().catch((error: unknown) => {
      this.dirReady = undefined; // try again next time, e.g. after the user fixed the permissions
      throw error;
    });
    return this.dirReady;
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
