// The history's file in the extension's global storage, through VS Code's own file system API: what a window reload
// goes through (deactivate saves, the next activation reads), with no secret a cloud put into a snapshot in the file.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { silentLogger } from '../../../src/core/model/log';
import type { ProviderOutcome, Snapshot } from '../../../src/core/model/model';
import { computeTotals } from '../../../src/core/model/spend';
import { HistoryStore } from '../../../src/vscode/historyStore';

const CANARY = 'ct-canary-host-5d1e9a7c3b';
const stat = (v: number) => ({ avg: v, max: v, min: v });

/** One running Vast.ai GPU instance at `at`, its GPU utilization `gpu`; a canary in every string the cloud sent. */
function snapshotAt(at: number, gpu: number): Snapshot {
  const fetchedAt = new Date(at).toISOString();
  const vastai: ProviderOutcome = {
    cloud: 'vastai',
    state: 'ok',
    resources: [
      {
        id: '4242',
        cloud: 'vastai',
        account: `me@example.com ${CANARY}`,
        kind: 'gpu-instance',
        service: 'Instances',
        name: `train ${CANARY}`,
        status: 'running',
        pricePerHour: 2.5,
        gpu: { model: 'H100', key: 'H100-SXM-80GB', count: 1 },
        details: { label: CANARY },
      },
    ],
    metrics: { '4242': { gpu: { utilizationPercent: stat(gpu), memoryPercent: stat(40) } } },
    offers: [],
    fetchedAt,
    fromCache: false,
    stale: false,
    durationMs: 5,
  };
  return { timestamp: fetchedAt, durationMs: 5, outcomes: { vastai }, totals: computeTotals({ vastai }) };
}

describe('history in the extension storage (a window reload)', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'cloudtop-history-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('is saved on deactivate and read back by the next activation, with no secret in the file', async () => {
    const uri = vscode.Uri.file(path.join(folder, 'globalStorage'));
    const first = new HistoryStore(uri, silentLogger, 3_600_000);
    const t0 = Date.now() - 10 * 60_000;
    for (const [i, gpu] of [5, 40, 90].entries()) await first.record(snapshotAt(t0 + i * 60_000, gpu));
    await first.close();
    const text = readFileSync(path.join(folder, 'globalStorage', 'history.json'), 'utf8');
    assert.ok(!text.includes(CANARY), 'no string the cloud sent is kept');

    const second = new HistoryStore(uri, silentLogger, 3_600_000);
    await second.close(); // waits for the saved history to be read
    assert.deepEqual(second.history.resource('vastai', '4242')?.values.gpu, [5, 40, 90]);
    await second.record(snapshotAt(t0 + 3 * 60_000, 60));
    assert.deepEqual(second.history.resource('vastai', '4242')?.values.gpu, [5, 40, 90, 60], 'new points follow the restored ones');
    second.dispose();
  });

  it('a damaged file starts a new history rather than failing activation', async () => {
    const uri = vscode.Uri.file(path.join(folder, 'globalStorage'));
    await vscode.workspace.fs.createDirectory(uri);
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(uri, 'history.json'), new TextEncoder().encode('{"version": 1, "resou'));
    const store = new HistoryStore(uri, silentLogger, 3_600_000);
    await store.record(snapshotAt(Date.now(), 12));
    assert.deepEqual(store.history.resource('vastai', '4242')?.values.gpu, [12]);
    await store.close();
  });
});
