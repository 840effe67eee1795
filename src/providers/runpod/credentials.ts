// The API key runpodctl saved, so a user who set up runpodctl needs no second step. runpodctl (viper) keeps it in
// `~/.runpod/config.toml` and, before December 2023, kept it in `~/.runpod.yaml`, which it migrates on its next run
// (runpod/runpodctl cmd/root.go initConfig, cmd/doctor/doctor.go). viper lowercases keys and go-toml v2 writes literal
// strings, so the file reads `apikey = 'rpa_…'`; hand-edited files may say `apiKey = "…"`. Both are read.
// Never throws: a missing, unreadable or unparseable file means "no key here".
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Credentials } from '../../core/provider';

/** A config file larger than this is not runpodctl's; it is not read. */
const MAX_CONFIG_BYTES = 64 * 1024;
const KEY_NAME = 'apikey';

export async function readRunpodCliKey(env: NodeJS.ProcessEnv): Promise<Credentials | undefined> {
  // Go's os.UserHomeDir: $HOME, %USERPROFILE% on Windows. The passed env decides, so tests and other users' homes stay apart.
  const home = env.HOME?.trim() || env.USERPROFILE?.trim();
  if (!home) return undefined;
  const toml = await readSmallFile(join(home, '.runpod', 'config.toml'));
  const fromToml = toml === undefined ? undefined : tomlTopLevelString(toml, KEY_NAME);
  if (fromToml) return { apiKey: fromToml };
  const yaml = await readSmallFile(join(home, '.runpod.yaml'));
  const fromYaml = yaml === undefined ? undefined : yamlTopLevelString(yaml, KEY_NAME);
  return fromYaml ? { apiKey: fromYaml } : undefined;
}

async function readSmallFile(path: string): Promise<string | undefined> {
  try {
    const buffer = await readFile(path);
    return buffer.length > MAX_CONFIG_BYTES ? undefined : buffer.toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * A top-level string value from TOML: `key = 'literal'` or `key = "basic"` (with escapes), before the first
 * `[table]`. Not a TOML parser: enough for the flat file viper writes.
 */
export function tomlTopLevelString(text: string, key: string): string | undefined {
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) return undefined; // keys below a table header are not top level
    const m = /^("?)([A-Za-z0-9_-]+)\1\s*=\s*(.*)$/.exec(line);
    if (!m || m[2].toLowerCase() !== key) continue;
    return nonEmpty(tomlString(m[3]));
  }
  return undefined;
}

function tomlString(value: string): string | undefined {
  const literal = /^'([^']*)'\s*(?:#.*)?$/.exec(value);
  if (literal) return literal[1];
  const basic = /^"((?:[^"\\]|\\.)*)"\s*(?:#.*)?$/.exec(value);
  if (!basic) return undefined;
  try {
    // TOML basic-string escapes are JSON's plus \UXXXXXXXX, which an API key never contains.
    return JSON.parse(`"${basic[1]}"`) as string;
  } catch {
    return undefined;
  }
}

/** A top-level scalar from YAML: `key: value`, `key: 'value'` or `key: "value"` at column 0. */
export function yamlTopLevelString(text: string, key: string): string | undefined {
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const m = /^([A-Za-z0-9_-]+)\s*:\s*(.*)$/.exec(line);
    if (!m || m[1].toLowerCase() !== key) continue;
    const value = m[2].trim();
    const single = /^'((?:[^']|'')*)'\s*(?:#.*)?$/.exec(value);
    if (single) return nonEmpty(single[1].replace(/''/g, "'"));
    if (value.startsWith('"')) return nonEmpty(tomlString(value));
    const plain = value.replace(/(?:^|\s+)#.*$/, '');
    return plain === '~' || plain === 'null' ? undefined : nonEmpty(plain);
  }
  return undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
