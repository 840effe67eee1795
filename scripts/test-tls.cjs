// The loopback certificate the HTTPS simulators serve, and the trust for it. Azure's pipeline refuses a bearer token
// over plain http (@azure/core-rest-pipeline policies/bearerTokenAuthenticationPolicy.js), so the Azure simulator
// speaks HTTPS on 127.0.0.1 with a certificate made here (openssl, once, kept for 20 days under node_modules/.cache)
// and trusted the way any user would trust a private CA: NODE_EXTRA_CA_CERTS. Node reads that variable once, at start,
// so every process that talks to a simulator is started with it: the mocha configs set it before mocha spawns its
// worker, the VS Code runners and `npm start` pass it on, and `node scripts/test-tls.cjs <command…>` runs any command
// with it.
// CommonJS so that a mocha .cjs config can require it; nothing in src/ knows about it.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const DIR = path.join(ROOT, 'node_modules', '.cache', 'cloudtop-test-tls');
const CERT = path.join(DIR, 'cert.pem');
const KEY = path.join(DIR, 'key.pem');
/** What NODE_EXTRA_CA_CERTS names: the simulator's certificate, plus any bundle the user had already. */
const TRUST = path.join(DIR, 'trust.pem');
const MAX_AGE_MS = 20 * 24 * 3600e3;

function fresh(file) {
  try {
    return Date.now() - statSync(file).mtimeMs < MAX_AGE_MS;
  } catch {
    return false;
  }
}

/** The certificate and key (made when missing or old): `{ cert, key, certFile, keyFile }`. */
function ensureTestTls() {
  if (!fresh(CERT) || !existsSync(KEY)) {
    mkdirSync(DIR, { recursive: true });
    // Made in a directory of its own and renamed into place, so two test processes starting at once never read half a file.
    const tmp = path.join(DIR, `make-${process.pid}`);
    mkdirSync(tmp, { recursive: true });
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '30',
          '-subj',
          '/CN=Cloudtop simulator (127.0.0.1)',
          '-addext',
          'subjectAltName=IP:127.0.0.1,DNS:localhost',
          '-keyout',
          path.join(tmp, 'key.pem'),
          '-out',
          path.join(tmp, 'cert.pem'),
        ],
        { stdio: 'pipe' },
      );
      renameSync(path.join(tmp, 'key.pem'), KEY);
      renameSync(path.join(tmp, 'cert.pem'), CERT);
    } catch (error) {
      throw new Error(`cannot make the simulator's TLS certificate with openssl (${error.message.split('\n')[0]}); install openssl`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return { cert: readFileSync(CERT, 'utf8'), key: readFileSync(KEY, 'utf8'), certFile: CERT, keyFile: KEY };
}

/** The environment a process needs to trust the simulators: `{ NODE_EXTRA_CA_CERTS }`. */
function testTlsEnv(env = process.env) {
  const { cert } = ensureTestTls();
  const had = env.NODE_EXTRA_CA_CERTS;
  if (had === TRUST) return { NODE_EXTRA_CA_CERTS: TRUST };
  let bundle = cert;
  if (had && existsSync(had)) bundle = `${readFileSync(had, 'utf8').trim()}\n${cert}`;
  const tmp = `${TRUST}.${process.pid}`;
  writeFileSync(tmp, bundle);
  renameSync(tmp, TRUST);
  return { NODE_EXTRA_CA_CERTS: TRUST };
}

/** Sets NODE_EXTRA_CA_CERTS in this process's environment, for the children it starts. */
function trustTestTlsInChildren() {
  Object.assign(process.env, testTlsEnv());
}

module.exports = { ensureTestTls, testTlsEnv, trustTestTlsInChildren };

if (require.main === module) {
  const [command, ...args] = process.argv.slice(2);
  if (!command) {
    process.stderr.write('usage: node scripts/test-tls.cjs <command> [args…]\n');
    process.exit(2);
  }
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...testTlsEnv() } });
  process.exit(result.status ?? 1);
}
