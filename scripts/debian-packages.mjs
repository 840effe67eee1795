// Debian packages the test layers, the benchmarks and `npm start` need (Chromium and code-server's build headers, openssl,
// redis-server): as root they are installed with apt-get when missing; otherwise the error names the exact command.
// A machine whose package lists are empty gets one `apt-get update` first, and an install that fails on stale lists
// is tried once more after an update.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

function log(message) {
  process.stderr.write(`[debian-packages] ${message}\n`);
}

/** The packages of `names` that dpkg does not list as installed. */
export function missingDebianPackages(names) {
  return names.filter((name) => {
    try {
      const out = execFileSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      return !out.includes('install ok installed');
    } catch {
      return true;
    }
  });
}

/** The command a person runs to install `names` by hand. */
export function installCommand(names) {
  return `sudo sh -c 'apt-get update && apt-get install -y ${names.join(' ')}'`;
}

function packageListsEmpty() {
  try {
    return !readdirSync('/var/lib/apt/lists').some((name) => name.includes('_Packages'));
  } catch {
    return true;
  }
}

function apt(args) {
  execFileSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/**
 * Installs the missing ones of `names` (as root) or throws an Error that says what is missing, what for, and the
 * command that installs it. Cheap when everything is present.
 */
export function ensureDebianPackages(names, purpose) {
  const missing = missingDebianPackages(names);
  if (missing.length === 0) return;
  const hasDpkg = (() => {
    try {
      execFileSync('dpkg-query', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  if (!hasDpkg)
    throw new Error(`${purpose}: ${missing.join(', ')} missing; this is not a Debian system, so install them with its package manager.`);
  if (process.getuid?.() !== 0)
    throw new Error(`${purpose}: the Debian packages ${missing.join(', ')} are missing. Install them with:\n  ${installCommand(missing)}`);
  log(`installing ${missing.join(', ')} (${purpose})`);
  const install = ['install', '-y', '-q', '--no-install-recommends', ...missing];
  if (packageListsEmpty()) apt(['update', '-q']);
  try {
    apt(install);
  } catch {
    // Lists older than the archive name files that are gone: refresh them once and try again.
    apt(['update', '-q']);
    apt(install);
  }
}
