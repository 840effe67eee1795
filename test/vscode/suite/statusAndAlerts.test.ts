// The GPU spend status-bar item and the idle-GPU notification, fed synthetic snapshots.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CloudtopApi } from '../../../src/extension';
import type { Snapshot } from '../../../src/core/model/model';
import { IdleAlerts } from '../../../src/vscode/idleAlerts';

function snapshot(lines: { id: string; name: string; price: number; idle: boolean }[], stoppedStorage = 0): Snapshot {
  return {
    timestamp: new Date().toISOString(),
    durationMs: 1,
    outcomes: {},
    totals: {
      gpuSpendPerHour: lines.reduce((s, l) => s + l.price, 0),
      runningGpuCount: lines.length,
      stoppedStoragePerHour: stoppedStorage,
      unpricedGpuCount: 0,
      unpricedGpu: [],
      gpuSpend: lines.map((l) => ({
        cloud: 'vastai',
        resourceId: l.id,
        name: l.name,
        pricePerHour: l.price,
        idle: l.idle,
        gpu: { model: 'RTX 4090', count: 1 },
      })),
    },
  };
}

class FakeMemento implements vscode.Memento {
  private readonly values = new Map<string, unknown>();
  keys() {
    return [...this.values.keys()];
  }
  get<T>(key: string, fallback?: T): T {
    return (this.values.has(key) ? this.values.get(key) : fallback) as T;
  }
  update(key: string, value: unknown) {
    this.values.set(key, value);
    return Promise.resolve();
  }
}

describe('status bar and idle alerts', () => {
  let api: CloudtopApi;
  const config = () => vscode.workspace.getConfiguration('cloudtop');

  before(async () => {
    api = await vscode.extensions.getExtension<CloudtopApi>('cloudtop.cloudtop')!.activate();
  });

  after(async () => {
    await config().update('gpuSpend.warnAbovePerHour', undefined, vscode.ConfigurationTarget.Global);
    await config().update('statusBar.enabled', undefined, vscode.ConfigurationTarget.Global);
  });

  it('shows the GPU spend with a warning background above the threshold, and a per-instance tooltip', async () => {
    await config().update('gpuSpend.warnAbovePerHour', 3, vscode.ConfigurationTarget.Global);
    const item = api.statusBar.item;
    api.statusBar.update(
      snapshot([
        { id: '1', name: 'trainer', price: 1.03, idle: false },
        { id: '2', name: 'forgotten', price: 2.39, idle: true },
      ]),
    );
    assert.equal(item.text, '$(pulse) $3.42/h');
    assert.equal(item.command, 'cloudtop.openDashboard');
    assert.ok(item.backgroundColor instanceof vscode.ThemeColor);
    assert.equal((item.backgroundColor as unknown as { id: string }).id, 'statusBarItem.warningBackground');
    const tooltip = (item.tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, /Vast\.ai/);
    assert.match(tooltip, /forgotten.*\$2\.39\/h(&nbsp;| )—(&nbsp;| )idle/);
    assert.equal(item.backgroundColor !== undefined, true);
    api.statusBar.update(snapshot([{ id: '1', name: 'trainer', price: 1.03, idle: false }]));
    assert.equal(item.backgroundColor, undefined, 'under the threshold: normal colours');
  });

  it('escapes Markdown in cloud-provided names in the tooltip', () => {
    api.statusBar.update(snapshot([{ id: '1', name: '[click](command:workbench.action.quit) **x**', price: 1, idle: false }]));
    const tooltip = (api.statusBar.item.tooltip as vscode.MarkdownString).value;
    assert.ok(!tooltip.includes('](command:'), tooltip);
    assert.equal((api.statusBar.item.tooltip as vscode.MarkdownString).isTrusted, undefined);
  });

  it('hides when nothing costs money or when turned off', async () => {
    // StatusBarItem has no public `visible`: record its public show()/hide() calls instead.
    const item = api.statusBar.item;
    const calls: string[] = [];
    const { show, hide } = item;
    item.show = () => (calls.push('show'), show.call(item));
    item.hide = () => (calls.push('hide'), hide.call(item));
    try {
      api.statusBar.update(snapshot([]));
      assert.equal(calls.at(-1), 'hide', 'nothing costs money: hidden');
      await config().update('statusBar.enabled', false, vscode.ConfigurationTarget.Global);
      api.statusBar.update(snapshot([{ id: '1', name: 'trainer', price: 1, idle: false }]));
      assert.equal(calls.at(-1), 'hide', 'turned off: hidden although a GPU runs');
      await config().update('statusBar.enabled', undefined, vscode.ConfigurationTarget.Global);
      api.statusBar.update(snapshot([{ id: '1', name: 'trainer', price: 1, idle: false }]));
      assert.equal(calls.at(-1), 'show', 'on, and a GPU costs money: shown');
    } finally {
      item.show = show;
      item.hide = hide;
    }
  });

  it('notifies once per instance idle longer than cloudtop.idleGpu.minutes, and remembers "Don\'t Warn Again"', async () => {
    const messages: string[] = [];
    const window = vscode.window as { showWarningMessage: (...args: unknown[]) => Thenable<unknown> };
    const original = window.showWarningMessage;
    let answer: string | undefined = "Don't Warn Again";
    window.showWarningMessage = (message: unknown) => {
      messages.push(String(message));
      return Promise.resolve(answer);
    };
    try {
      let now = 0;
      const memento = new FakeMemento();
      const alerts = new IdleAlerts(
        memento,
        () => 30,
        () => undefined,
        () => now,
      );
      const idle = snapshot([{ id: 'i-1', name: 'forgotten [x](y)', price: 2.39, idle: true }]);
      alerts.update(idle); // first seen idle: idle through the 5-minute window already
      assert.deepEqual(messages, []);
      now = 26 * 60_000;
      alerts.update(idle);
      assert.deepEqual(
        messages,
        ['forgotten xy on Vast.ai has been idle 31 min at $2.39/h'],
        'brackets removed so a name cannot form a link',
      );
      now = 60 * 60_000;
      alerts.update(idle);
      assert.equal(messages.length, 1, 'once per instance');
      await new Promise((resolve) => setTimeout(resolve, 10));
      assert.deepEqual(memento.get('cloudtop.idleAlerts.suppressed'), ['vastai/i-1']);
      // Busy again, then idle again: a suppressed instance stays quiet.
      alerts.update(snapshot([{ id: 'i-1', name: 'forgotten', price: 2.39, idle: false }]));
      now = 200 * 60_000;
      alerts.update(idle);
      alerts.update(idle);
      assert.equal(messages.length, 1);
      answer = undefined;
    } finally {
      window.showWarningMessage = original;
    }
  });
});
