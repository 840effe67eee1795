// Vast.ai's wire format and the calls Cloudtop makes (vast-ai/docs
// api-reference/openapi/yaml show_instances.yaml, show_instance.yaml, search_offers.yaml; vast-ai/vast-cli
// vastai/api/instances.py and offers.py). Every call goes through the context's HttpClient, so the collector's
// limiter and retry apply; nothing here retries or sleeps.
import { CloudtopError } from '../../core/errors/errors';
import type { HttpClient } from '../../core/transport/http';
import { collectPages } from '../../core/transport/paginate';

/** One instance row, as `GET /api/v1/instances/` (and the legacy v0 list) return it. Only the fields Cloudtop reads. */
export interface VastInstance {
  id: number;
  /** null while the instance is being provisioned; see mapping.vastStatus for the documented words. */
  actual_status?: string | null;
  /** running | stopped | frozen. */
  intended_status?: string | null;
  cur_state?: string | null;
  label?: string | null;
  machine_id?: number | null;
  host_id?: number | null;
  num_gpus?: number | null;
  gpu_name?: string | null;
  /** Per-GPU memory in MB (MiB: 24576 for a 24 GB card; hosts report irregular sizes like 81559). */
  gpu_ram?: number | null;
  /** GPU utilization in percent, 0–100 (the CLI prints it as "%"); negative when unknown. */
  gpu_util?: number | null;
  /** °C. */
  gpu_temp?: number | null;
  cpu_cores_effective?: number | null;
  /** MB. */
  cpu_ram?: number | null;
  /** CPU utilization as a fraction of the instance's CPUs, 0–1 (show_instance.yaml; see mapping.cpuPercent). */
  cpu_util?: number | null;
  /** Same unit as mem_usage (GB in the examples, though show_instance.yaml says MB); only their ratio is used. */
  mem_limit?: number | null;
  mem_usage?: number | null;
  /** Allocated disk in GB. */
  disk_space?: number | null;
  /** Disk used in GB; negative when unknown. */
  disk_usage?: number | null;
  /** Disk used as a fraction 0–1 (the CLI multiplies by 100); negative when unknown. */
  disk_util?: number | null;
  /** Machine bandwidth in Mb/s (a speed-test figure, not current traffic). */
  inet_up?: number | null;
  inet_down?: number | null;
  /** USD per hour while running: GPU (dph_base) plus storage. */
  dph_total?: number | null;
  dph_base?: number | null;
  /** USD per GB per month of allocated disk. */
  storage_cost?: number | null;
  /** USD per hour for the allocated disk (= storage_cost × disk_space / 720 in every documented example). */
  storage_total_cost?: number | null;
  is_bid?: boolean | null;
  /** Unix seconds (float). */
  start_date?: number | null;
  image_uuid?: string | null;
  ssh_host?: string | null;
  ssh_port?: number | null;
  public_ipaddr?: string | null;
  geolocation?: string | null;
  verification?: string | null;
  reliability2?: number | null;
  status_msg?: string | null;
}

export interface VastInstancesPage {
  success?: boolean;
  instances_found?: number;
  total_instances?: number;
  next_token?: string | null;
  instances?: VastInstance[] | null;
}

/** One offer of `POST /api/v0/bundles/`. */
export interface VastOffer {
  id: number;
  gpu_name?: string | null;
  num_gpus?: number | null;
  /** Per-GPU memory in MB. */
  gpu_ram?: number | null;
  /** USD per hour for the whole offer at the searched type (on-demand or bid), storage included. */
  dph_total?: number | null;
  geolocation?: string | null;
  rentable?: boolean | null;
  rented?: boolean | null;
  verification?: string | null;
}

export type OfferType = 'on-demand' | 'bid';

export const INSTANCES_V1 = '/api/v1/instances/';
export const INSTANCES_V0 = '/api/v0/instances/';
export const BUNDLES = '/api/v0/bundles/';
export const CURRENT_USER = '/api/v0/users/current/';

/** The v1 list's maximum page size (larger values are capped at 25). */
export const PAGE_LIMIT = 25;
/** Offers per search; ordered by price, so the cheapest of every GPU model are among them. */
export const OFFER_LIMIT = 1000;
/** GB of disk the search prices in (`allocated_storage`); the CLI's default, so prices match `vastai search offers`. */
export const OFFER_STORAGE_GB = 5;

/**
 * Every instance through the paginated v1 list, the way the current CLI pages it: limit 25, ordered by id,
 * `after_token` from `next_token` until it is null. Non-string values are JSON-encoded; the token is sent as is
 * (the CLI's `_build_url` JSON-encodes only non-strings).
 */
export function listInstancesV1(
  http: HttpClient,
  signal: AbortSignal,
  onPage?: (rows: readonly VastInstance[]) => void,
): Promise<VastInstance[]> {
  return collectPages<VastInstance>(
    async (token) => {
      const page = await http.getJson<VastInstancesPage>(
        INSTANCES_V1,
        {
          limit: JSON.stringify(PAGE_LIMIT),
          order_by: JSON.stringify([{ col: 'id', dir: 'asc' }]),
          after_token: token === undefined ? undefined : String(token),
        },
        signal,
      );
      const items = page?.instances ?? [];
      onPage?.(items);
      return { items, next: page?.next_token };
    },
    { cloud: 'vastai', what: 'Vast.ai instances' },
  );
}

/** The legacy unpaginated list, `{ instances: [...] }`, for servers without the v1 route. */
export async function listInstancesV0(http: HttpClient, signal: AbortSignal): Promise<VastInstance[]> {
  const body = await http.getJson<{ instances?: VastInstance[] | null }>(INSTANCES_V0, { owner: 'me' }, signal);
  return body?.instances ?? [];
}

/** Rentable, verified offers of one type (on-demand, or `bid` = interruptible), cheapest first. */
export async function searchOffers(http: HttpClient, type: OfferType, signal: AbortSignal): Promise<VastOffer[]> {
  const { body } = await http.request<{ offers?: VastOffer[] | null }>(
    {
      method: 'POST',
      path: BUNDLES,
      operation: `POST ${BUNDLES} (${type})`,
      json: {
        // The CLI's default filters (vastai/api/offers.py search_offers).
        verified: { eq: true },
        external: { eq: false },
        rentable: { eq: true },
        rented: { eq: false },
        order: [['dph_total', 'asc']],
        type,
        limit: OFFER_LIMIT,
        allocated_storage: OFFER_STORAGE_GB,
      },
    },
    signal,
  );
  return Array.isArray(body?.offers) ? body.offers : [];
}

/**
 * Asks Vast.ai to stop or start an instance: `PUT /api/v0/instances/{id}/` with `{"state": "stopped" | "running"}`, as
 * vast-cli's `stop instance` and `start instance` do (vast-ai/vast-cli vastai/api/instances.py; vast-ai/docs
 * api-reference/openapi/yaml/manage_instance.yaml). It answers `{"success": true}` once accepted; the instance gets
 * there over the next minutes (intended_status first, actual_status after). A write: retried only after a 429.
 */
export async function setInstanceState(http: HttpClient, id: string, state: 'stopped' | 'running', signal: AbortSignal): Promise<void> {
  const path = `${INSTANCES_V0}${encodeURIComponent(id)}/`;
  const { body } = await http.request<{ success?: boolean; msg?: string; error?: string } | null>(
    { method: 'PUT', path, operation: `PUT ${INSTANCES_V0}{id}/ (${state})`, json: { state }, write: true },
    signal,
  );
  // vast-cli reads `success` and prints `msg` when it is false: a 200 that did nothing.
  if (body && body.success === false)
    throw new CloudtopError({
      category: 'unknown',
      cloud: 'vastai',
      operation: `PUT ${INSTANCES_V0}{id}/`,
      message: `Vast.ai did not ${state === 'stopped' ? 'stop' : 'start'} instance ${id}: ${body.msg ?? body.error ?? 'no reason given'}`,
    });
}
