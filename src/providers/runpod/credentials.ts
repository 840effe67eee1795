// The API key runpodctl saved, so a user who set up runpodctl needs no second step. runpodctl (viper) keeps it in
// `~/.runpod/config.toml` and, before December 2023, kept it in `~/.runpod.yaml`, which it migrates on its next run
// (runpod/runpodctl cmd/root.go initConfig, cmd/doctor/doctor.go). viper lowercases keys and go-toml v2 writes literal
// strings, so the file reads `apikey = 'rpa_…'`; hand-edited files may say `apiKey = "…"`. Both are read.
// A missing or unparseable file means "no key here"; one that is there but unreadable, not a small regular file, is
// a `config` error naming it (core/credentials/config-files.ts readSmallFile).
import { join } from 'node:path';
import { readSmallFile, tomlString, tomlTopLevel } from '../../core/credentials/config-files';
import type { Credentials } from '../../core/engine/provider';

const KEY_NAME = 'apikey';

export async function readRunpodCliKey(env: NodeJS.ProcessEnv): Promise<Credentials | undefined> {
  // Go's os.UserHomeDir: $HOME, %USERPROFILE% on Windows. The passed env decides, so tests and other users' homes stay apart.
  const home = env.HOME?.trim() || env.USERPROFILE?.trim();
  if (!home) return undefined;
  const toml = await readSmallFile(join(home, '.runpod', 'config.toml'), { cloud: 'runpod', what: "runpodctl's config file" });
  const fromToml = toml === undefined ? undefined : tomlTopLevelString(toml, KEY_NAME);
  if (fromToml) return { apiKey: fromToml };
  const yaml = await readSmallFile(join(home, '.runpod.yaml'), { cloud: 'runpod', what: "runpodctl's config file" });
  const fromYaml = yaml === undefined ? undefined : yamlTopLevelString(yaml, KEY_NAME);
  return fromYaml ? { apiKey: fromYaml } : undefined;
}

/** The top-level string `key` of runpodctl's TOML, whatever the case of its name. */
export function tomlTopLevelString(text: string, key: string): string | undefined {
  return nonEmpty(tomlTopLevel(text, key, { ignoreCase: true }));
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
