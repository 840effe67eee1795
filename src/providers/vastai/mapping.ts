// Vast.ai instance rows → the model. Pure functions: everything a row says is mapped here, including its metrics,
// because Vast.ai reports them in the list itself (no per-instance or time-series call exists for them).
import { normalizeGpu } from '../../core/model/gpu';
import type { ComputeMetrics, GpuMetrics, Resource, ResourceMetrics, ResourceStatus, Stat } from '../../core/model/model';
import { anyText, finite } from '../../core/transport/wire';
import type { VastInstance } from './api';

export const VAST_SERVICE = 'Instances';
/** The console's instance list; Vast.ai documents no per-instance page. */
export const VAST_CONSOLE_URL = 'https://cloud.vast.ai/instances/';
/** Vast.ai bills storage by a 30-day month: every documented example has storage_total_cost = storage_cost × GB / 720. */
export const HOURS_PER_BILLING_MONTH = 30 * 24;
/** `gpu_ram` and friends are MB of 1024 × 1024 bytes (24576 for a 24 GB card), so GB = MB / 1024. */
const MB_PER_GB = 1024;

/** Vast.ai sends -1 (or another negative) for a reading it does not have: absent, never 0. */
const reading = (v: unknown): number | undefined => {
  const n = finite(v);
  return n !== undefined && n >= 0 ? n : undefined;
};
/** Vast.ai's strings as sent, whitespace included: only the empty string reads as absent. */
const text = (v: unknown): string | undefined => anyText(v) || undefined;

/**
 * Normalized status from Vast.ai's pair: `actual_status` (what the container does) and `intended_status` (what the
 * user asked for: running, stopped or frozen). The documented actual words (vast-ai/docs cli/reference/
 * show-instances-v1.mdx, August 2026): null (provisioning), loading, running, stopped (disk charges only), frozen
 * (paused with memory preserved; GPU charges apply), exited (the process died), rebooting (transient), unknown (no
 * heartbeat) and offline (host disconnected); `created` and `scheduling` still appear in older answers. A word
 * outside these maps to unknown, and the views show it as the cloud sent it (rawStatus).
 */
export function vastStatus(actual: string | null | undefined, intended: string | null | undefined): ResourceStatus {
  const wantsStop = intended === 'stopped';
  const wantsPause = intended === 'frozen';
  switch (actual ?? null) {
    case 'running':
      return wantsStop || wantsPause ? 'stopping' : 'running';
    case null:
    case 'loading':
    case 'created':
    case 'scheduling':
      return wantsStop ? 'stopped' : 'starting';
    case 'rebooting':
      return 'starting';
    case 'stopped':
      return wantsStop || intended === null || intended === undefined ? 'stopped' : 'starting';
    case 'frozen':
      // Paused: not running, yet billed like it (isChargedWhilePaused); resuming once the user asks to run it.
      return intended === 'running' ? 'starting' : 'stopped';
    case 'exited':
      return wantsStop ? 'stopped' : 'error';
    case 'offline':
      return wantsStop ? 'stopped' : 'error';
    default:
      return 'unknown';
  }
}

/** A frozen instance keeps its GPU and memory, and "GPU charges apply": it is billed its running price (dph_total). */
export function isChargedWhilePaused(actual: string | null | undefined): boolean {
  return actual === 'frozen';
}

/**
 * USD per hour the instance costs while stopped: its disk. `storage_cost` is USD per GB per month and
 * `disk_space` is GB, and Vast.ai's month is 720 hours, so $/h = storage_cost × disk_space / 720
 * (0.15 $/GB/month × 10.08 GB / 720 = 0.0021 $/h, the documented `storage_total_cost`). Where either field is
 * missing, `storage_total_cost` — already that hourly figure — is used.
 */
export function storagePerHour(i: VastInstance): number | undefined {
  const perGbMonth = reading(i.storage_cost);
  const gb = reading(i.disk_space);
  if (perGbMonth !== undefined && gb !== undefined) return (perGbMonth * gb) / HOURS_PER_BILLING_MONTH;
  return reading(i.storage_total_cost);
}

export function toResource(i: VastInstance, account: string): Resource {
  const id = String(i.id);
  const gpuName = text(i.gpu_name);
  const count = finite(i.num_gpus) ?? 0;
  const memMb = reading(i.gpu_ram);
  const gpu = gpuName && count > 0 ? normalizeGpu(gpuName, memMb !== undefined ? memMb / MB_PER_GB : undefined) : undefined;
  const price = reading(i.dph_total);
  const storage = storagePerHour(i);
  const started = finite(i.start_date);
  const sshHost = text(i.ssh_host);
  const sshPort = finite(i.ssh_port);
  return {
    id,
    cloud: 'vastai',
    account,
    kind: gpu ? 'gpu-instance' : 'instance',
    service: VAST_SERVICE,
    // Labels are the user's own text and stay exactly as sent; escaping is the views' job.
    name: typeof i.label === 'string' && i.label !== '' ? i.label : `Instance ${id}`,
    ...(text(i.geolocation) ? { region: i.geolocation! } : {}),
    status: vastStatus(i.actual_status, i.intended_status),
    ...(text(i.actual_status) ? { rawStatus: i.actual_status! } : {}),
    ...(isChargedWhilePaused(i.actual_status) ? { chargedWhilePaused: true } : {}),
    ...(started !== undefined && started > 0 ? { createdAt: new Date(Math.round(started * 1000)).toISOString() } : {}),
    ...(price !== undefined ? { pricePerHour: price } : {}),
    ...(storage !== undefined ? { storagePricePerHour: storage } : {}),
    ...(gpu && gpuName
      ? { gpu: { key: gpu.key, model: gpuName, count, ...(gpu.memoryGb !== undefined ? { memoryGb: gpu.memoryGb } : {}) } }
      : {}),
    consoleUrl: VAST_CONSOLE_URL,
    ...(sshHost && sshPort !== undefined ? { ssh: { host: sshHost, port: sshPort, user: 'root' } } : {}),
    details: details(i),
  };
}

function details(i: VastInstance): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  const put = (key: string, value: string | number | boolean | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  put('intendedStatus', text(i.intended_status));
  put('statusMessage', text(i.status_msg));
  put('image', text(i.image_uuid));
  put('machineId', finite(i.machine_id));
  put('hostId', finite(i.host_id));
  put('interruptible', typeof i.is_bid === 'boolean' ? i.is_bid : undefined);
  put('verification', text(i.verification));
  put('reliability', finite(i.reliability2));
  put('publicIp', text(i.public_ipaddr));
  put('vCpus', finite(i.cpu_cores_effective));
  put('diskGb', reading(i.disk_space));
  put('diskUsedGb', reading(i.disk_usage));
  // The machine's measured bandwidth (Mb/s), not the instance's traffic: kept as a fact, never as a metric.
  put('netUpMbps', reading(i.inet_up));
  put('netDownMbps', reading(i.inet_down));
  return out;
}

/**
 * Vast.ai reports one instantaneous reading per field, not a series over the window, so the window's
 * avg, max and min are all that reading: the honest summary of the one sample there is.
 */
const instant = (value: number): Stat => ({ avg: value, max: value, min: value });

/** Both fields in the same unit (the docs disagree on MB vs GB; the ratio does not care). */
function ratioPercent(used: unknown, limit: unknown): number | undefined {
  const u = reading(used);
  const l = reading(limit);
  return u !== undefined && l !== undefined && l > 0 ? (u / l) * 100 : undefined;
}

/**
 * Metrics of a running instance from its list row. Readings on other instances are leftovers from their last
 * heartbeat, not the present, so those get none. Absent readings stay absent.
 */
export function toMetrics(i: VastInstance): ResourceMetrics | undefined {
  if (vastStatus(i.actual_status, i.intended_status) !== 'running') return undefined;
  const gpu: { -readonly [K in keyof GpuMetrics]: GpuMetrics[K] } = {};
  const compute: { -readonly [K in keyof ComputeMetrics]: ComputeMetrics[K] } = {};
  // gpu_util is a percentage: the CLI prints it unscaled under "Util. %" (vast.py instance_fields) and as "(87%)"
  // (vastai/cli/commands/instances.py _fmt_gpu), although show_instance.yaml calls it "a fraction".
  const gpuUtil = reading(i.gpu_util);
  if (gpuUtil !== undefined) gpu.utilizationPercent = instant(Math.min(100, gpuUtil));
  const temp = reading(i.gpu_temp);
  if (temp !== undefined) gpu.temperatureC = instant(temp);
  const cpu = cpuPercent(i.cpu_util);
  if (cpu !== undefined) compute.cpuPercent = instant(cpu);
  const mem = ratioPercent(i.mem_usage, i.mem_limit);
  if (mem !== undefined) compute.memoryPercent = instant(mem);
  const disk = diskPercent(i);
  if (disk !== undefined) compute.diskUsedPercent = instant(disk);
  const out: { compute?: ComputeMetrics; gpu?: GpuMetrics } = {};
  if (Object.keys(compute).length > 0) out.compute = compute;
  if (Object.keys(gpu).length > 0) out.gpu = gpu;
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * cpu_util is a fraction of the instance's CPUs: show_instance.yaml says "CPU utilization as a fraction", and unlike
 * gpu_util no CLI output contradicts it (vast-cli prints cpu_util nowhere: not in vast.py instance_fields, not in
 * vastai/cli/commands/instances.py; vastai/data/instance.py only types it `Optional[float]`). So 0.45 → 45 %. A
 * container bursting past its share can read above 1; percentages stay within 0–100.
 */
export function cpuPercent(value: unknown): number | undefined {
  const fraction = reading(value);
  return fraction === undefined ? undefined : Math.min(100, fraction * 100);
}

/** disk_util is a fraction (the CLI shows disk_util × 100 %); else used GB over allocated GB. */
function diskPercent(i: VastInstance): number | undefined {
  const util = reading(i.disk_util);
  if (util !== undefined) return util * 100;
  return ratioPercent(i.disk_usage, i.disk_space);
}
