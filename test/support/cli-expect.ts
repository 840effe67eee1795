// What the built CLI must print, derived independently of src/cli/format: expected table rows from the engine's
// snapshot, the printed table parsed back into cells, the sim's own GPU spend, and the one-line error rule.
import { azureVmListedPrice, azureVmPrices, azureVmSize, type AzureState } from '../sim/azure';
import { gcpVmListedPrice, type GcpState } from '../sim/gcp';
import { OCI_REGION, oracleBillsNow, oracleHourlyPrice, type OciState } from '../sim/oci';
import assert from 'node:assert/strict';
import { CLOUD_NAMES, type ProviderOutcome, type Stat } from '../../src/core/model/model';
import type { RunpodState } from '../sim/runpod';
import type { Sim } from '../sim/server';
import type { VastState } from '../sim/vastai';
import { cells } from './cli';

/** The header and rows the table must show for one cloud, formatted here independently of src/cli/format: the
 * metric columns of the families the cloud reports (GPU instances keep theirs while stopped). */
export function expectedTable(outcome: ProviderOutcome): { header: string[]; rows: string[][] } {
  const pct = (s?: Stat) => (s ? `${Math.round(s.avg)}%` : '-');
  const count = (s?: Stat) => (s ? (Number.isInteger(s.avg) ? String(s.avg) : s.avg.toFixed(1)) : '-');
  const ms = (s?: Stat) =>
    s ? (s.avg >= 1000 ? `${(s.avg / 1000).toFixed(1)} s` : `${s.avg < 10 ? s.avg.toFixed(1) : Math.round(s.avg)} ms`) : '-';
  const reports = (family: 'compute' | 'gpu' | 'function' | 'database') =>
    outcome.resources.some((r) => outcome.metrics[r.id]?.[family] !== undefined);
  const compute = reports('compute') || reports('gpu') || outcome.resources.some((r) => r.gpu);
  const fn = reports('function');
  const db = reports('database');
  const perSecond = (s?: Stat) => (s ? `${s.avg < 10 ? s.avg.toFixed(1) : Math.round(s.avg)}/s` : '-');
  const header = [
    'Name',
    'Status',
    ...(compute ? ['CPU%', 'Memory%', 'GPU%'] : []),
    ...(fn ? ['Req/min', 'Err/min', 'Duration'] : []),
    ...(db ? ['Conns', 'Queries'] : []),
    '$/h',
  ];
  const rows = outcome.resources.map((r) => {
    const m = outcome.metrics[r.id];
    // A stopped resource still billed at its running price (an Azure VM stopped but allocated) shows that price
    // and the cloud's own word for its state.
    const usd =
      r.status === 'running' || r.chargedWhilePaused ? r.pricePerHour : r.status === 'stopped' ? r.storagePricePerHour : undefined;
    const cost = usd === undefined ? '-' : usd > 0 && usd < 0.005 ? '<$0.01' : `$${usd.toFixed(2)}`;
    const name = r.name.length > 40 ? `${r.name.slice(0, 39)}…` : r.name;
    return [
      name,
      (r.status === 'unknown' || r.chargedWhilePaused) && r.rawStatus ? r.rawStatus : r.status,
      ...(compute ? [pct(m?.compute?.cpuPercent), pct(m?.compute?.memoryPercent), pct(m?.gpu?.utilizationPercent)] : []),
      ...(fn ? [count(m?.function?.invocations), count(m?.function?.errors), ms(m?.function?.durationMs)] : []),
      ...(db ? [count(m?.database?.connections), perSecond(m?.database?.queriesPerSec)] : []),
      cost,
    ];
  });
  return { header, rows };
}

const GROUP = new RegExp(
  `^(${Object.values(CLOUD_NAMES)
    .map((n) => n.replace('.', '\\.'))
    .join('|')}) {2}(\\d+ (?:GPU )?resources?.*)$`,
);

/** Groups of a printed table: cloud name → caption and row cells. */
export function parseGroups(stdout: string): Map<string, { caption: string; header: string[]; rows: string[][] }> {
  const groups = new Map<string, { caption: string; header: string[]; rows: string[][] }>();
  const lines = stdout.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = GROUP.exec(lines[i]);
    if (!m) continue;
    const rows: string[][] = [];
    for (let j = i + 2; j < lines.length && lines[j].startsWith('  '); j++) rows.push(cells(lines[j]));
    groups.set(m[1], { caption: m[2], header: cells(lines[i + 1] ?? ''), rows });
  }
  return groups;
}

/** What the sim's running GPU machines cost per hour, from its own state. */
/** Vast.ai GPU instances billed their running price: running ones and frozen ones ("GPU charges apply"). */
export function simVastGpuSpend(sim: Sim): number {
  const vast = sim
    .state<VastState>('vastai')
    .instances.filter(
      (i) =>
        ((i.actual_status === 'running' && i.intended_status !== 'stopped' && i.intended_status !== 'frozen') ||
          i.actual_status === 'frozen') &&
        i.num_gpus > 0,
    );
  return vast.reduce((s, i) => s + i.dph_total, 0);
}

/** Every RUNNING RunPod GPU pod, Instant Cluster members included. */
export function simRunpodGpuSpend(sim: Sim): number {
  return sim
    .state<RunpodState>('runpod')
    .pods.filter((p) => p.status === 'RUNNING' && p.gpu)
    .reduce((s, p) => s + Number(p.cost), 0);
}

/**
 * What Oracle bills the sim's OCI GPU instances per hour in the profile's region (the one shown by default): running ones and stopped ones on
 * shapes Oracle bills while stopped, at the price Oracle's own data (the sim's estimator shapes and price list) gives
 * (preemptible at half); a shape Oracle's data prices not is left out (the views count it as unpriced).
 */
export function simOciGpuSpend(sim: Sim): number {
  if (!sim.cloudIds().includes('oci')) return 0;
  return sim
    .state<OciState>('oci')
    .instances.filter((i) => i.region === OCI_REGION.shortCode && (i.shapeConfig.gpus ?? 0) > 0 && oracleBillsNow(i))
    .reduce((sum, i) => sum + (oracleHourlyPrice(i) ?? 0), 0);
}

/**
 * What the sim's Azure GPU VMs and GPU scale-set instances cost now. Azure bills by power state: starting, running,
 * stopping and stopped (still allocated) are billed, deallocating and deallocated are not, whatever the provisioning
 * state (learn.microsoft.com/azure/virtual-machines/states-billing).
 */
export function simAzureGpuSpend(sim: Sim): number {
  if (!sim.cloudIds().includes('azure')) return 0;
  const billed = (power: string) => ['starting', 'running', 'stopping', 'stopped'].includes(power);
  const state = sim.state<AzureState>('azure');
  const vms = Object.values(state.vms)
    .flat()
    .filter((vm) => billed(vm.power) && (azureVmSize(vm.body.properties.hardwareProfile.vmSize)?.gpus ?? 0) > 0)
    .reduce((sum, vm) => sum + azureVmListedPrice(vm)!, 0);
  const scaleSetInstances = Object.values(state.scaleSets)
    .flat()
    .filter((set) => set.orchestrationMode === 'Uniform' && (azureVmSize(set.size ?? '')?.gpus ?? 0) > 0)
    .map((set) => {
      const price = azureVmPrices(set.size!, set.location)!;
      return set.instances.filter((vm) => billed(vm.power)).length * (set.priority === 'Spot' ? price.linuxSpot : price.linux);
    })
    .reduce((sum, cost) => sum + cost, 0);
  return vms + scaleSetInstances;
}

export function simGpuSpend(sim: Sim): number {
  return simVastGpuSpend(sim) + simRunpodGpuSpend(sim) + simOciGpuSpend(sim) + simAzureGpuSpend(sim) + simGcpGpuSpend(sim);
}

export const assertOneLineError = (result: { code: number | null; stdout: string; stderr: string }, code: number, pattern: RegExp) => {
  assert.equal(result.code, code, result.stderr);
  assert.equal(result.stdout, '', 'nothing on stdout');
  assert.match(result.stderr, /^cloudtop: [^\n]+\n$/, `exactly one line: ${JSON.stringify(result.stderr)}`);
  assert.match(result.stderr, pattern);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
};

/** What the sim's stopped RunPod GPU pods pay for their volume disks: $0.20/GB/month (RunPod's pricing page), 730 h. */
export function simStoppedPodStorage(sim: Sim): number {
  const stopped = sim.state<RunpodState>('runpod').pods.filter((p) => p.status === 'EXITED' && p.gpu && p.mounts.persistent);
  return stopped.reduce((s, p) => s + (p.mounts.persistent!.size * 0.2) / 730, 0);
}

/**
 * What the running GPU VMs of the sim's first project (the key's own, the one Cloudtop reads by default) cost, at the
 * sim's catalogue prices; a VM the catalogue has no price for (reservation-bound) counts nothing, as in the GPU spend.
 */
export function simGcpGpuSpend(sim: Sim): number {
  if (!sim.cloudIds().includes('gcp')) return 0;
  return sim
    .state<GcpState>('gcp')
    .projects[0].instances.filter((vm) => vm.status === 'RUNNING' && vm.acceleratorType)
    .reduce((sum, vm) => sum + (gcpVmListedPrice(vm) ?? 0), 0);
}
