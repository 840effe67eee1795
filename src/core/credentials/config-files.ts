// Reading the clouds' own CLI files (wrangler, runpodctl, neonctl, the Vast.ai CLI) for their saved keys: small
// files, read without ever throwing, and only the flat top-level values those tools write. Not a TOML parser.
import { readFile } from 'node:fs/promises';

/** A CLI's config or token file is a few KB; anything far larger is not the file we look for. */
export const MAX_CONFIG_BYTES = 64 * 1024;

/** The file's text, or undefined when it is missing, unreadable, a directory or larger than `maxBytes`. */
export async function readSmallFile(path: string, maxBytes = MAX_CONFIG_BYTES): Promise<string | undefined> {
  try {
    const buffer = await readFile(path);
    return buffer.length > maxBytes ? undefined : buffer.toString('utf8');
  } catch {
    return undefined;
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
