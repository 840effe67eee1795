// One status-bar item: the GPU spend of running GPU instances across clouds, with a per-cloud and
// per-instance tooltip (idle GPUs flagged). Hidden when nothing costs money or when turned off.
import * as vscode from 'vscode';
import { formatPricePerHour, plainText } from '../core/model/describe';
import { CLOUD_NAMES, type CloudId, type Snapshot } from '../core/model/model';

export class GpuSpendStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;

  constructor(private readonly options: { enabled: () => boolean; warnAbovePerHour: () => number }) {
    this.item = vscode.window.createStatusBarItem('cloudtop.gpuSpend', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Cloudtop GPU Spend';
    this.item.command = 'cloudtop.openDashboard';
  }

  update(snapshot: Snapshot | undefined): void {
    const totals = snapshot?.totals;
    if (!totals || !this.options.enabled() || (totals.gpuSpendPerHour <= 0 && totals.stoppedStoragePerHour <= 0)) {
      this.item.hide();
      return;
    }
    this.item.text = `$(pulse) ${formatPricePerHour(totals.gpuSpendPerHour)}`;
    const warnAbove = this.options.warnAbovePerHour();
    const warn = warnAbove > 0 && totals.gpuSpendPerHour > warnAbove;
    this.item.backgroundColor = warn ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = {
      label: `GPU spend ${formatPricePerHour(totals.gpuSpendPerHour)}${warn ? ', above your warning threshold' : ''}`,
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
  md.appendMarkdown(
    `**GPU spend: ${formatPricePerHour(snapshot.totals.gpuSpendPerHour)}** across ${snapshot.totals.runningGpuCount} running GPUs\n\n`,
  );
  const byCloud = new Map<CloudId, (typeof snapshot.totals.gpuSpend)[number][]>();
  for (const line of snapshot.totals.gpuSpend) byCloud.set(line.cloud, [...(byCloud.get(line.cloud) ?? []), line]);
  for (const [cloud, lines] of byCloud) {
    const sum = lines.reduce((s, l) => s + l.pricePerHour, 0);
    md.appendMarkdown(`**${CLOUD_NAMES[cloud]}** — ${formatPricePerHour(sum)}\n\n`);
    for (const line of lines) {
      md.appendMarkdown(line.idle ? '- $(warning) ' : '- ');
      md.appendText(
        `${plainText(line.name, 80)}${line.gpu ? ` (${line.gpu.count}× ${plainText(line.gpu.model, 40)})` : ''}: ${formatPricePerHour(line.pricePerHour)}${line.idle ? ' — idle' : ''}`,
      );
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
