// Reading the clouds' own CLI files (wrangler, runpodctl, neonctl, the Vast.ai CLI) for their saved keys, and every
// other credential or config file Cloudtop reads (a service account key, the OCI config and its key_file, an Azure
// certificate, the Azure CLI's profile): small files, read through the one bounded reader below, and only the flat
// top-level values those tools write. Not a TOML parser.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { CloudtopError } from '../errors/errors';
import type { CloudId } from '../model/model';

/** A CLI's config or token file is a few KB; anything far larger is not the file we look for. */
export const MAX_CONFIG_BYTES = 64 * 1024;
/** The most any credential file may hold (a certificate chain, a profile with many subscriptions). */
export const MAX_CREDENTIAL_BYTES = 1024 * 1024;

export interface ReadSmallFileOptions {
  /** Refuse a file larger than this (bytes). */
  readonly maxBytes?: number;
  /** The cloud a refusal is reported for. */
  readonly cloud?: CloudId;
  /** How the file is named in a refusal ("the OCI config file"); its path follows. */
  readonly what?: string;
}

/**
 * The file's text; undefined when there is no such file (ENOENT, ENOTDIR). A file that is there but not a regular
 * file (a directory, a FIFO, a device such as /dev/zero), larger than its cap, or unreadable is a `config`
 * CloudtopError naming the file. Never reads more than the cap, never blocks on a FIFO: it is opened with O_NONBLOCK
 * (POSIX open(2): a read-only open of a FIFO returns at once) and checked with fstat on the open handle before any
 * read, so what is checked is what is read.
 */
export async function readSmallFile(path: string, options: ReadSmallFileOptions | number = {}): Promise<string | undefined> {
  const { maxBytes = MAX_CONFIG_BYTES, cloud, what = 'The file' } = typeof options === 'number' ? { maxBytes: options } : options;
  const cap = maxBytes;
  const refuse = (why: string) => new CloudtopError({ category: 'config', cloud, message: `${what} ${path} ${why}.` });
  let handle;
  try {
    // O_NONBLOCK is POSIX only (undefined on Windows, where FIFOs are not files of the file system).
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw refuse(`cannot be read (${code ?? 'unreadable'})`);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw refuse('is a directory, not a file');
    if (!stat.isFile()) throw refuse('is not a regular file (a pipe, socket or device); give a file');
    if (stat.size > cap)
      throw refuse(
        `is larger than ${cap >= 1024 * 1024 ? `${cap / 1024 / 1024} MiB` : `${Math.round(cap / 1024)} KiB`}: it is not a credential file`,
      );
    // Read at most cap + 1 bytes whatever the size said (a file may grow between fstat and read).
    const buffer = Buffer.alloc(cap + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > cap) throw refuse(`is larger than ${Math.round(cap / 1024)} KiB: it is not a credential file`);
    return buffer.subarray(0, length).toString('utf8');
  } catch (error) {
    if (error instanceof CloudtopError) throw error;
    throw refuse(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** A TOML string value: `'literal'` or `"basic"` (with escapes), optionally followed by a comment. */
export function tomlString(value: string): string | undefined {
  const literal = /^'([^']*)'\s*(?:#.*)?$/.exec(value);
  if (literal) return literal[1];
  const basic = /^"((?:[^"\\]|\\.)*)"\s*(?:#.*)?$/.exec(value);
  if (!basic) return undefined;
  try {
    // TOML basic-string escapes are JSON's plus \UXXXXXXXX, which a key or a token never contains.
    return JSON.parse(`"${basic[1]}"`) as string;
  } catch {
    return undefined;
  }
}

/**
 * A top-level string (or bare datetime) value from TOML: `key = "basic"`, `key = 'literal'` or
 * `key = 2026-01-01T00:00:00Z`, before the first `[table]`. Keys match exactly unless `ignoreCase` (viper
 * lowercases the keys it writes, hand-edited files may not).
 */
export function tomlTopLevel(text: string, key: string, { ignoreCase = false }: { ignoreCase?: boolean } = {}): string | undefined {
  const wanted = ignoreCase ? key.toLowerCase() : key;
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) return undefined; // keys below a table header are not top level
    const m = /^("?)([A-Za-z0-9_-]+)\1\s*=\s*(.*)$/.exec(line);
    if (!m || (ignoreCase ? m[2].toLowerCase() : m[2]) !== wanted) continue;
    const bare = /^(\d{4}-\d{2}-\d{2}[T ][0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)\s*(?:#.*)?$/.exec(m[3]);
    return bare ? bare[1] : tomlString(m[3]);
  }
  return undefined;
}
