// The Vast.ai CLI's own key file, read as the CLI reads it (vast-ai/vast-cli vastai/_base.py `_resolve_api_key`,
// vastai/cli/util.py APIKEY_FILE): first `$XDG_CONFIG_HOME/vastai/vast_api_key` (default `~/.config/vastai/…`),
// then the legacy `~/.vast_api_key` of the old vast-python CLI. The file holds the bare key (`vastai set api-key`
// writes it without a newline; the CLI strips it on read). Tiny and SDK-free: the catalogue imports it eagerly.
import { isAbsolute, join } from 'node:path';
import { readSmallFile } from '../../core/credentials/config-files';
import type { Credentials } from '../../core/engine/provider';

/** Candidate key files, most preferred first. Only the passed env is consulted, so tests can point HOME anywhere. */
export function vastKeyFiles(env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME || env.USERPROFILE;
  // The `xdg` package the CLI uses ignores a relative XDG_CONFIG_HOME, as the XDG spec says to.
  const xdg = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : home ? join(home, '.config') : undefined;
  const files: string[] = [];
  if (xdg) files.push(join(xdg, 'vastai', 'vast_api_key'));
  if (home) files.push(join(home, '.vast_api_key'));
  return files;
}

async function readKey(file: string): Promise<string | undefined> {
  const key = (await readSmallFile(file, { cloud: 'vastai', what: "The Vast.ai CLI's key file" }))?.trim();
  return key ? key : undefined;
}

/** The key the Vast.ai CLI would use from its key files; undefined when there is none; an unusable file is a config error. */
export async function readVastCliKey(env: NodeJS.ProcessEnv): Promise<Credentials | undefined> {
  for (const file of vastKeyFiles(env)) {
    const apiKey = await readKey(file);
    if (apiKey !== undefined) return { apiKey };
  }
  return undefined;
}
