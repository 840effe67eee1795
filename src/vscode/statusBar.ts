// One status-bar item: the GPU spend of running GPU instances across clouds, with a per-cloud and
// per-instance tooltip (idle GPUs flagged). Hidden when nothing costs money or when turned off.
import * as vscode from 'vscode';
import { formatPricePerHour, plainText } from '../core/model/describe';
import { CLOUD_NAMES, type CloudId, type GpuSpec, type Snapshot } from '../core/model/model';
import { unpricedSuffix } from '../core/model/spend';

export class GpuSpendStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;

  constructor(private readonly options: { enabled: () => boolean; warnAbovePerHour: () => number }) {
    this.item = vscode.window.createStatusBarItem('cloudtop.gpuSpend', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Cloudtop GPU Spend';
    this.item.command = 'cloudtop.openDashboard';
  }

  update(snapshot: Snapshot | undefined): void {
    const totals = snapshot?.totals;
    if (
      !totals ||
      !this.options.enabled() ||
      (totals.gpuSpendPerHour <= 0 && totals.stoppedStoragePerHour <= 0 && totals.unpricedGpuCount === 0)
    ) {
      this.item.hide();
      return;
    }
    // A spend that leaves billed GPUs out says so: never a lower figure than the bill without a word.
    const unpriced = totals.unpricedGpuCount > 0 ? ` + ${totals.unpricedGpuCount} unpriced` : '';
    this.item.text = `$(pulse) ${formatPricePerHour(totals.gpuSpendPerHour)}${unpriced}`;
    const warnAbove = this.options.warnAbovePerHour();
    const warn = warnAbove > 0 && totals.gpuSpendPerHour > warnAbove;
    this.item.backgroundColor = warn ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = {
      label: `GPU spend ${formatPricePerHour(totals.gpuSpendPerHour)}${unpricedSuffix(totals.unpricedGpuCount)}${warn ? ', above your warning threshold' : ''}`,
    };
    this.item.tooltip = tooltip(snapshot);
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

function tooltip(snapshot: Snapshot): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.supportThemeIcons = true;
  const { totals } = snapshot;
  md.appendMarkdown(`**GPU spend: ${formatPricePerHour(totals.gpuSpendPerHour)}`);
  md.appendText(unpricedSuffix(totals.unpricedGpuCount));
  md.appendMarkdown(`** across ${totals.runningGpuCount} running GPUs\n\n`);
  const clouds = [...new Set<CloudId>([...totals.gpuSpend.map((l) => l.cloud), ...totals.unpricedGpu.map((l) => l.cloud)])];
  const gpuOf = (gpu: GpuSpec | undefined) => (gpu ? ` (${gpu.count}× ${plainText(gpu.model, 40)})` : '');
  for (const cloud of clouds) {
    const lines = totals.gpuSpend.filter((l) => l.cloud === cloud);
    const unpriced = totals.unpricedGpu.filter((l) => l.cloud === cloud);
    const sum = lines.reduce((s, l) => s + l.pricePerHour, 0);
    md.appendMarkdown(`**${CLOUD_NAMES[cloud]}** — ${formatPricePerHour(sum)}`);
    md.appendText(unpricedSuffix(unpriced.length));
    md.appendMarkdown('\n\n');
    for (const line of lines) {
      md.appendMarkdown(line.idle ? '- $(warning) ' : '- ');
      md.appendText(`${plainText(line.name, 80)}${gpuOf(line.gpu)}: ${formatPricePerHour(line.pricePerHour)}${line.idle ? ' — idle' : ''}`);
      md.appendMarkdown('\n');
    }
    for (const line of unpriced) {
      md.appendMarkdown('- $(question) ');
      md.appendText(`${plainText(line.name, 80)}${gpuOf(line.gpu)}: price unknown: ${plainText(line.reason, 160)}`);
      md.appendMarkdown('\n');
    }
    md.appendMarkdown('\n');
  }
  if (snapshot.totals.stoppedStoragePerHour > 0) {
    md.appendMarkdown(`Stopped GPU instances still pay ${formatPricePerHour(snapshot.totals.stoppedStoragePerHour)} for storage.\n\n`);
  }
  md.appendMarkdown('Click to open the Cloudtop dashboard.');
  return md;
}
