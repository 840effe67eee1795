// RunPod REST v2 (https://api.runpod.io/v2; runpod/docs api-reference-v2/openapi.json 2.0.0): the wire types
// Cloudtop reads and the calls that fetch them. Not REST v1 (retires 2026-11-15) nor GraphQL (retires early 2027).
// Lists come wrapped (`{"pods":[...]}`) and unpaginated; errors are problem+json, which core/transport/http.ts already reads.
// Every authenticated answer carries the IETF draft `RateLimit` header; its remaining budget goes to the debug log.
import { CloudtopError } from '../../core/errors/errors';
import type { HttpClient } from '../../core/transport/http';
import type { Logger } from '../../core/model/log';
import { requiredList } from '../../core/transport/wire';

export type WireCloud = 'SECURE' | 'COMMUNITY';

export interface WireSshEndpoint {
  host?: string;
  port?: number;
  username?: string;
  command?: string;
}

export interface WireRuntimePort {
  private?: number;
  public?: number | null;
  type?: string;
  ip?: string | null;
}

/** Live utilization; present only while the pod is RUNNING. Percentages are integers 0–100. */
export interface WirePodRuntime {
  uptime?: number;
  gpus?: { util?: number; memoryUtil?: number }[];
  cpu?: { util?: number };
  memory?: { util?: number };
  ports?: WireRuntimePort[];
}

export interface WirePod {
  id: string;
  name?: string | null;
  image?: string;
  /** PROVISIONING | STARTING | RUNNING | EXITED | ERROR | TERMINATED; a string, as a newer API may add words. */
  status?: string;
  /** GPU pods only; `id` is the GPU type id, e.g. "NVIDIA GeForce RTX 4090". */
  gpu?: { id?: string; count?: number } | null;
  /** CPU pods only. `memory` is GB. */
  cpu?: { id?: string; vcpuCount?: number; memory?: number } | null;
  /** SECURE or COMMUNITY. */
  cloud?: string;
  dataCenterId?: string | null;
  cudaVersion?: string | null;
  ssh?: { proxy?: WireSshEndpoint | null; direct?: WireSshEndpoint | null } | null;
  /** USD per hour, 0 when EXITED or TERMINATED. A number in v2's schema; v1's example was a string, so both are read. */
  cost?: number | string | null;
  locked?: boolean;
  /** Storage: host-local `persistent` (GB, billed while stopped too) or at most one `network` volume, never both. */
  mounts?: { persistent?: { size?: number; path?: string } | null; network?: { volumeId?: string; path?: string }[] | null } | null;
  /** Instant Cluster membership; omitted from a standalone pod. Member pods are listed only with includeClusterPods. */
  cluster?: { id?: string; rank?: number | null; role?: string; ip?: string } | null;
  runtime?: WirePodRuntime | null;
  createdAt?: string;
  startedAt?: string | null;
}

export interface WireEndpoint {
  id: string;
  name?: string | null;
  type?: string;
  gpu?: { pools?: string[]; count?: number } | null;
  cpu?: { id?: string; vcpuCount?: number }[];
  /** min/max/idleTimeout only: running and idle counts need `GET /serverless/{id}/workers`, one call per endpoint. */
  workers?: { min?: number; max?: number; idleTimeout?: number };
  scaling?: { type?: string; queueDelay?: number; requestCount?: number };
  dataCenterIds?: string[];
  timeout?: number;
  flashboot?: string;
  createdAt?: string;
}

/** `GET /v2/network-volumes` item. `size` is allocated GB; `type` STANDARD | HIGH_PERFORMANCE. */
export interface WireNetworkVolume {
  id: string;
  name?: string | null;
  size?: number;
  dataCenter?: string | null;
  type?: string;
}

/** `GET /v2/clusters` item: only what names a member pod's cluster. */
export interface WireCluster {
  id: string;
  name?: string | null;
  type?: string;
}

export interface WireGpuType {
  id: string;
  name?: string;
  pool?: string | null;
  manufacturer?: string;
  /** VRAM in GB. */
  memory?: number;
  secure?: boolean;
  community?: boolean;
  /** List price in USD per hour for one GPU. No spot or interruptible price in v2. */
  price?: { secure?: number; community?: number; serverless?: number };
  maxCount?: { secure?: number; community?: number };
  /** HIGH | MEDIUM | LOW | NONE. Only with `include=AVAILABILITY&product=…`, for the `cloud` asked for (SECURE when omitted). */
  availability?: string;
}

export interface RunpodApi {
  /** Every pod, Instant Cluster members included (they are left out unless asked for). */
  listPods(signal: AbortSignal): Promise<WirePod[]>;
  listNetworkVolumes(signal: AbortSignal): Promise<WireNetworkVolume[]>;
  listClusters(signal: AbortSignal): Promise<WireCluster[]>;
  listEndpoints(signal: AbortSignal): Promise<WireEndpoint[]>;
  /** GPU types with list prices and the pod availability of one cloud tier. */
  listGpuTypes(cloud: WireCloud, signal: AbortSignal): Promise<WireGpuType[]>;
  listDataCenters(signal: AbortSignal): Promise<unknown[]>;
  /**
   * `POST /v2/pods/{id}/action` with `{"action": "stop" | "start"}` (openapi.json operation podAction: 200 with the
   * updated pod; 409 when the pod's status does not allow it). Not REST v1's `POST /v1/pods/{podId}/stop` and `/start`
   * on rest.runpod.io, retired on 2026-11-15 (api-reference-v2/migrate-from-v1.mdx). A write: retried only after a 429.
   */
  podAction(id: string, action: 'stop' | 'start', signal: AbortSignal): Promise<void>;
}

export function runpodApi(http: HttpClient, log: Logger): RunpodApi {
  async function list<T>(path: string, key: string, query: Record<string, string> | undefined, signal: AbortSignal): Promise<T[]> {
    const operation = `GET ${path}`;
    const { body, headers } = await http.request<unknown>({ path, query, operation }, signal);
    const budget = describeRateLimit(headers.ratelimit);
    if (budget) log.debug(`RunPod rate limit after ${operation}: ${budget}`);
    return unwrapList<T>(body, key, operation);
  }
  return {
    // Cluster member pods are "excluded by default; set includeClusterPods=true to include them" (openapi.json
    // listPods): without the flag an Instant Cluster's pods, usually the largest, would miss spend and idle checks.
    listPods: (signal) => list<WirePod>('/pods', 'pods', { includeClusterPods: 'true' }, signal),
    listNetworkVolumes: (signal) => list<WireNetworkVolume>('/network-volumes', 'networkVolumes', undefined, signal),
    listClusters: (signal) => list<WireCluster>('/clusters', 'clusters', undefined, signal),
    listEndpoints: (signal) => list<WireEndpoint>('/serverless', 'endpoints', undefined, signal),
    // Availability needs a product context (400 without it) and is per cloud tier.
    listGpuTypes: (cloud, signal) => list<WireGpuType>('/catalog/gpus', 'gpus', { include: 'AVAILABILITY', product: 'POD', cloud }, signal),
    listDataCenters: (signal) => list<unknown>('/catalog/datacenters', 'dataCenters', undefined, signal),
    podAction: async (id, action, signal) => {
      await http.request(
        {
          method: 'POST',
          path: `/pods/${encodeURIComponent(id)}/action`,
          operation: `POST /pods/{id}/action (${action})`,
          json: { action },
          write: true,
        },
        signal,
      );
    },
  };
}

/** `{"pods":[...]}` → the array. A bare array is REST v1's shape: the endpoint setting points at the wrong API. */
export function unwrapList<T>(body: unknown, key: string, operation: string): T[] {
  if (Array.isArray(body)) {
    throw new CloudtopError({
      category: 'config',
      cloud: 'runpod',
      operation,
      message: `RunPod answered ${operation} with a bare list, the retired REST v1 shape. Set cloudtop.runpod.endpoint to a REST v2 URL such as https://api.runpod.io/v2.`,
    });
  }
  return requiredList(body, key, 'runpod', operation).filter((item): item is T => item !== null && typeof item === 'object');
}

export interface RateLimitWindow {
  readonly window: string;
  readonly remaining: number;
  readonly resetSec?: number;
}

/** Parses `"minute";r=0;t=12, "hour";r=2800;t=1812` (IETF RateLimit header draft, structured-field list). */
export function parseRateLimit(header: string | undefined): RateLimitWindow[] {
  if (!header) return [];
  const out: RateLimitWindow[] = [];
  for (const member of header.split(',')) {
    const [name, ...params] = member.split(';').map((part) => part.trim());
    const values = new Map(params.map((p) => p.split('=').map((s) => s.trim()) as [string, string]));
    const remaining = Number(values.get('r'));
    if (!name || !Number.isFinite(remaining)) continue;
    const reset = Number(values.get('t'));
    out.push({ window: name.replace(/^"|"$/g, ''), remaining, ...(Number.isFinite(reset) ? { resetSec: reset } : {}) });
  }
  return out;
}

function describeRateLimit(header: string | undefined): string | undefined {
  const windows = parseRateLimit(header);
  if (windows.length === 0) return undefined;
  return windows.map((w) => `${w.window} ${w.remaining} left${w.resetSec !== undefined ? ` (resets in ${w.resetSec} s)` : ''}`).join(', ');
}
