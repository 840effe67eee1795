// Below the tables: what the running GPUs cost per hour, every cloud that failed (category and the message
// that says what to do), every part of a cloud that was not updated, and the clouds that are not set up, with
// how to set them up. Failures are part of the output, not a crash: the other clouds' rows above are still true.
import { carriedNote, failedScopes, formatPricePerHour, hiddenScopesHint, scopeName, warningPhrase } from '../../core/model/describe';
import { unpricedSuffix } from '../../core/model/spend';
import { CLOUD_NAMES, type CloudId, type Snapshot } from '../../core/model/model';
import { formatCost } from './table';
import { terminalText, type Style } from './terminal';

export interface FooterOptions {
  readonly style: Style;
  /** How to configure a cloud, e.g. "set VAST_API_KEY or run `cloudtop login vastai`". */
  readonly configureHint: (cloud: CloudId) => string;
}

export function spendLine(snapshot: Snapshot, style: Style): string {
  const { gpuSpendPerHour, runningGpuCount, stoppedStoragePerHour, gpuSpend, unpricedGpuCount } = snapshot.totals;
  const idle = gpuSpend.filter((line) => line.idle).length;
  // "$84.42/h + 2 GPU instances unpriced": never a lower spend than the bill without saying so.
  let text = `${formatPricePerHour(gpuSpendPerHour)}${unpricedSuffix(unpricedGpuCount)} for ${runningGpuCount} running GPU${runningGpuCount === 1 ? '' : 's'}`;
  if (idle > 0) text += ` (${idle} idle)`;
  if (stoppedStoragePerHour > 0) text += ` · stopped storage ${formatCost(stoppedStoragePerHour)}/h`;
  return `${style.bold('GPU spend')}  ${idle > 0 || unpricedGpuCount > 0 ? style.yellow(text) : text}`;
}

export function renderFooter(snapshot: Snapshot, clouds: readonly CloudId[], options: FooterOptions): string[] {
  const { style } = options;
  const lines = [spendLine(snapshot, style)];
  for (const cloud of clouds) {
    const outcome = snapshot.outcomes[cloud];
    if (outcome?.state === 'ok') {
      const hidden = hiddenScopesHint(cloud, outcome);
      if (hidden) lines.push(`${style.dim(CLOUD_NAMES[cloud])}  ${hidden}`);
      for (const scope of failedScopes(outcome)) {
        const kept = scope.stale ? ' (showing its last good data)' : '';
        lines.push(
          `${style.red(`${CLOUD_NAMES[cloud]} ${terminalText(scopeName(scope))} failed`)}  ${scope.error!.category}: ${terminalText(scope.error!.message)}${kept}`,
        );
      }
      for (const warning of outcome.warnings ?? []) {
        const note = carriedNote(warning, outcome, Date.parse(snapshot.timestamp));
        lines.push(
          `${style.yellow(`${CLOUD_NAMES[cloud]} ${warningPhrase(warning.part)}`)}  ${warning.category}: ${terminalText(warning.message)}${note ? ` (${note})` : ''}`,
        );
      }
    }
    if (outcome?.state !== 'error' || !outcome.error) continue;
    const kept = outcome.stale ? ' (showing the last good data)' : '';
    lines.push(`${style.red(`${CLOUD_NAMES[cloud]} failed`)}  ${outcome.error.category}: ${terminalText(outcome.error.message)}${kept}`);
  }
  const unconfigured = clouds.filter((cloud) => snapshot.outcomes[cloud]?.state === 'unconfigured');
  for (const cloud of unconfigured) {
    lines.push(`${style.dim(`${CLOUD_NAMES[cloud]} not configured`)}  ${options.configureHint(cloud)}`);
  }
  return lines;
}
