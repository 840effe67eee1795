// `npm test`: lint and type-check, build, then every test layer in order — unit, integration, extension host,
// UI end to end — and one closing `N passed, N failed` line that sums them all. A layer that fails does not
// stop the others from running, so one run shows everything that is wrong.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureDebianPackages } from './debian-packages.mjs';
import { ROOT } from './vscode-env.mjs';

// The HTTPS simulators' test certificate is made with openssl (scripts/test-tls.cjs).
ensureDebianPackages(['openssl'], 'The simulated HTTPS clouds (a test certificate)');

const statsDir = mkdtempSync(path.join(tmpdir(), 'cloudtop-stats-'));
const statsFile = path.join(statsDir, 'stats.jsonl');
const only = process.argv.slice(2);

const steps = [
  { name: 'lint', command: ['npm', 'run', 'lint'] },
  { name: 'build', command: ['npm', 'run', 'build'] },
  { name: 'unit', command: ['npm', 'run', 'test:unit'], layer: true },
  { name: 'integration', command: ['npm', 'run', 'test:integration'], layer: true },
  { name: 'package', command: ['npm', 'run', 'package'] },
  { name: 'extension-host', command: ['npm', 'run', 'test:host'], layer: true },
  { name: 'e2e', command: ['npm', 'run', 'test:e2e'], layer: true },
].filter((step) => only.length === 0 || only.includes(step.name) || !step.layer);

const timings = [];
let broken = false;
for (const step of steps) {
  const started = Date.now();
  process.stdout.write(`\n=== ${step.name} ===\n`);
  const result = spawnSync(step.command[0], step.command.slice(1), {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, CLOUDTOP_STATS_FILE: statsFile, CLOUDTOP_LAYER: step.name },
  });
  const seconds = (Date.now() - started) / 1000;
  timings.push({ step: step.name, seconds, status: result.status });
  if (result.status !== 0) {
    broken = true;
    process.stdout.write(`=== ${step.name} failed (exit ${result.status ?? result.signal}) ===\n`);
    // Without a build there is nothing for later layers to test.
    if (!step.layer && step.name !== 'lint') break;
  }
}

let records = [];
try {
  records = readFileSync(statsFile, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
} catch {
  // no layer wrote stats
}
rmSync(statsDir, { recursive: true, force: true });

let passed = 0;
let failed = 0;
let skipped = 0;
for (const step of timings.filter((t) => steps.find((s) => s.name === t.step)?.layer)) {
  const layerRecords = records.filter((r) => r.layer === step.step);
  const p = layerRecords.reduce((n, r) => n + r.passes, 0);
  let f = layerRecords.reduce((n, r) => n + r.failures, 0);
  skipped += layerRecords.reduce((n, r) => n + r.pending, 0);
  // A layer that crashed before its reporter ran still counts as a failure.
  if (step.status !== 0 && f === 0) f = 1;
  passed += p;
  failed += f;
  step.tests = `${p} passed, ${f} failed`;
}
if (broken && failed === 0) failed = 1;

process.stdout.write('\nLayer timings:\n');
for (const t of timings)
  process.stdout.write(`  ${t.step.padEnd(16)} ${t.seconds.toFixed(1).padStart(6)} s  ${t.tests ?? (t.status === 0 ? 'ok' : 'FAILED')}\n`);
process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(failed > 0 || broken ? 1 : 0);
