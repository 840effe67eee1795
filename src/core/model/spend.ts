// What the user's GPUs cost right now: the sum over GPU instances billed at their running price (running ones, and
// paused ones the cloud still bills so: a frozen Vast.ai instance), idle ones flagged, and the storage that stopped
// GPU instances keep paying for, listed apart.
import {
  CLOUD_NAMES,
  type CloudId,
  type GpuSpendLine,
  type ProviderOutcome,
  type Resource,
  type ResourceMetrics,
  type SnapshotTotals,
  type UnpricedGpuLine,
} from './model';

export const DEFAULT_IDLE_GPU_PERCENT = 5;

/**
 * Idle means the GPU utilization stayed under the threshold through the whole window (its maximum is
 * under it). Without GPU metrics a resource is never called idle: absent data is not evidence.
 */
export function isIdleGpu(metrics: ResourceMetrics | undefined, thresholdPercent = DEFAULT_IDLE_GPU_PERCENT): boolean {
  const utilization = metrics?.gpu?.utilizationPercent;
  return utilization !== undefined && utilization.max < thresholdPercent;
}

/** Whether the resource is billed its running price now: it runs, or the cloud bills it so while paused. */
export function billedAtRunningPrice(resource: Resource): boolean {
  return resource.status === 'running' || resource.chargedWhilePaused === true;
}

export function computeTotals(
  outcomes: Readonly<Partial<Record<CloudId, ProviderOutcome>>>,
  idleThresholdPercent = DEFAULT_IDLE_GPU_PERCENT,
): SnapshotTotals {
  const lines: GpuSpendLine[] = [];
  const unpriced: UnpricedGpuLine[] = [];
  let gpuSpendPerHour = 0;
  let runningGpuCount = 0;
  let stoppedStoragePerHour = 0;
  for (const outcome of Object.values(outcomes)) {
    if (!outcome) continue;
    for (const resource of outcome.resources) {
      if (!resource.gpu) continue;
      if (billedAtRunningPrice(resource) && resource.pricePerHour !== undefined) {
        gpuSpendPerHour += resource.pricePerHour;
        runningGpuCount += resource.gpu.count;
        lines.push({
          cloud: resource.cloud,
          resourceId: resource.id,
          name: resource.name,
          pricePerHour: resource.pricePerHour,
          gpu: resource.gpu,
          // Last good data of a failing cloud cannot say the GPU is idle now.
          idle: !outcome.stale && isIdleGpu(outcome.metrics[resource.id], idleThresholdPercent),
        });
      } else if (billedAtRunningPrice(resource)) {
        runningGpuCount += resource.gpu.count;
        unpriced.push({
          cloud: resource.cloud,
          resourceId: resource.id,
          name: resource.name,
          gpu: resource.gpu,
          reason: unpricedReason(resource),
        });
      } else if (resource.status === 'stopped' && !resource.chargedWhilePaused && resource.storagePricePerHour !== undefined) {
        stoppedStoragePerHour += resource.storagePricePerHour;
      }
    }
  }
  return {
    gpuSpendPerHour: roundCents(gpuSpendPerHour),
    runningGpuCount,
    stoppedStoragePerHour: roundCents(stoppedStoragePerHour),
    gpuSpend: lines,
    unpricedGpuCount: unpriced.length,
    unpricedGpu: unpriced,
  };
}

/** Why a billed resource has no price: the provider's reason, else the cloud's silence. */
export function unpricedReason(resource: Resource): string {
  return resource.priceUnknown ?? `${CLOUD_NAMES[resource.cloud]} reported no price for it`;
}

/** A GPU resource the cloud bills at its running price now, without a price Cloudtop could determine. */
export function isUnpricedGpu(resource: Resource): boolean {
  return resource.gpu !== undefined && billedAtRunningPrice(resource) && resource.pricePerHour === undefined;
}

/** "$84.42/h + 2 GPU instances unpriced": the spend, never lower than the bill without saying so. */
export function unpricedSuffix(count: number): string {
  return count > 0 ? ` + ${count} GPU ${count === 1 ? 'instance' : 'instances'} unpriced` : '';
}

/** Sums of floating-point prices drift (0.1 + 0.2); money is shown to the tenth of a cent at most. */
function roundCents(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
