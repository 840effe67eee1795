// Seeded data for the simulated Cloudflare API: accounts, Workers scripts, R2 buckets, D1 databases, KV namespaces, the
// Workers AI catalogue, per-minute Workers traffic and R2 storage. Wire shapes as npm `cloudflare` 7.3.0
// src/resources/** types them (plus `file_size`/`num_tables` on D1 list items, which the real list carries: `wrangler
// d1 list` prints them). Everything depends on the seed only; per-minute traffic is a pure function of (seed, script,
// minute index).
import { hostileName, HOSTILE_NAMES } from './hostile';
import { Rng, unitHash } from './seed';

export interface SimAccount {
  id: string;
  name: string;
  type: 'standard' | 'enterprise';
  created_on: string;
}
export interface SimScript {
  id: string;
  created_on: string;
  modified_on: string;
  etag: string;
  handlers: string[];
  has_assets: boolean;
  has_modules: boolean;
  compatibility_date: string;
  compatibility_flags: string[];
  usage_model: 'standard' | 'bundled' | 'unbound';
  tags: string[] | null;
  routes: Array<{ id: string; pattern: string }> | null;
  placement_mode?: string;
  logpush: boolean;
}
export type SimJurisdiction = 'default' | 'eu' | 'us' | 'fedramp' | 'fedramp-high';
/** `jurisdiction` is where the sim keeps the bucket; the list answer leaves it out (see cloudflare.ts). */
export interface SimBucket {
  name: string;
  creation_date: string;
  location?: string;
  jurisdiction: SimJurisdiction;
  storage_class: 'Standard' | 'InfrequentAccess';
}
export interface SimDatabase {
  uuid: string;
  name: string;
  version: 'production' | 'beta';
  created_at: string;
  jurisdiction: 'eu' | null;
  file_size: number | null;
  num_tables: number | null;
}
export interface SimNamespace {
  id: string;
  title: string;
  supports_url_encoding: boolean;
}
export interface SimModel {
  id: string;
  name: string;
  description: string;
  source: number;
  task: { id: string; name: string; description: string };
  tags: string[];
  properties: Array<{ property_id: string; value: string }>;
}
/** One minute of one script, as `workersInvocationsAdaptive` sums it. CPU times in microseconds. */
export interface SimMinute {
  requests: number;
  errors: number;
  subrequests: number;
  cpuTimeP50: number;
  cpuTimeP99: number;
}
export interface SimStorage {
  objectCount: number;
  payloadSize: number;
  metadataSize: number;
}

export interface CloudflareData {
  accounts: SimAccount[];
  scripts: SimScript[];
  buckets: SimBucket[];
  databases: SimDatabase[];
  namespaces: SimNamespace[];
  models: SimModel[];
  /** Base requests per minute by script name; 0 = idle (no analytics rows at all). */
  traffic: Map<string, number>;
  /** By R2 analytics bucket name (`<jurisdiction>_<name>` outside the default jurisdiction). */
  storage: Map<string, SimStorage>;
}

export interface CloudflareDataOptions {
  readonly workers: number;
  readonly buckets: number;
  readonly euBuckets: number;
  /** `us` buckets; the first takes the name of the first default bucket (names are unique per jurisdiction only). */
  readonly usBuckets: number;
  readonly databases: number;
  readonly namespaces: number;
  readonly hostile: boolean;
  /** Accounts the token reads; the first holds the data. */
  readonly accounts: number;
}

const TASKS = [
  ['c329a1f9-323d-4e91-b2aa-582dd4188d34', 'Text Generation'],
  ['0137cdcf-162a-4108-94f2-1ca59e8c65ee', 'Text Embeddings'],
  ['3d6e1f35-341b-4915-a6c8-9a7142a9033a', 'Text-to-Image'],
  ['dfce1c48-2a81-462e-a7fd-de97ce985207', 'Automatic Speech Recognition'],
  ['f2f2e1ae-85bb-4e5f-9d8c-1f6f0bc6a5b1', 'Translation'],
] as const;
const MODELS: ReadonlyArray<readonly [string, number]> = [
  ['@cf/meta/llama-3.1-8b-instruct', 0],
  ['@cf/meta/llama-3.3-70b-instruct-fp8-fast', 0],
  ['@cf/mistral/mistral-7b-instruct-v0.1', 0],
  ['@cf/qwen/qwq-32b', 0],
  ['@cf/google/gemma-3-12b-it', 0],
  ['@cf/openai/gpt-oss-120b', 0],
  ['@cf/baai/bge-base-en-v1.5', 1],
  ['@cf/baai/bge-m3', 1],
  ['@cf/black-forest-labs/flux-1-schnell', 2],
  ['@cf/stabilityai/stable-diffusion-xl-base-1.0', 2],
  ['@cf/openai/whisper-large-v3-turbo', 3],
  ['@cf/openai/whisper', 3],
  ['@cf/meta/m2m100-1.2b', 4],
  ['@cf/meta/llama-guard-3-8b', 0],
];
const LOCATIONS = ['ENAM', 'WNAM', 'WEUR', 'EEUR', 'APAC', 'OC'];
const HANDLERS = [['fetch'], ['fetch', 'scheduled'], ['fetch', 'queue'], ['scheduled'], ['fetch', 'email']];

/** A lower-case hex id of `length` digits. */
const hex = (rng: Rng, length: number) => rng.id('', length);

function uniqueNames(n: number, hostile: boolean, make: (i: number) => string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const name = hostile && i < HOSTILE_NAMES.length ? hostileName(i) : make(i);
    if (seen.has(name)) continue;
    seen.add(name);
    out.push(name);
  }
  return out;
}

export function createCloudflareData(seed: number, o: CloudflareDataOptions): CloudflareData {
  const rng = new Rng(seed);
  const accounts: SimAccount[] = Array.from({ length: Math.max(1, o.accounts) }, (_, i) => ({
    id: hex(rng, 32),
    name: i === 0 ? 'Simulated Account' : `Account ${i + 1} (empty)`,
    type: 'standard',
    created_on: rng.timestamp(900),
  }));
  const scriptNames = uniqueNames(o.workers, o.hostile, (i) => `${rng.name()}-${i}`);
  const traffic = new Map<string, number>();
  const scripts = scriptNames.map((id, i): SimScript => {
    const created = rng.timestamp(365);
    // Every fourth script is idle: it has no analytics rows in any window.
    traffic.set(id, i % 4 === 3 ? 0 : rng.int(1, 600));
    return {
      id,
      created_on: created,
      modified_on: rng.timestamp(30),
      etag: hex(rng, 64),
      handlers: rng.pick(HANDLERS),
      has_assets: rng.chance(0.3),
      has_modules: true,
      compatibility_date: '2026-09-01',
      compatibility_flags: rng.chance(0.5) ? ['nodejs_compat'] : [],
      usage_model: 'standard',
      tags: rng.chance(0.3) ? ['team:edge'] : null,
      routes: rng.chance(0.4) ? [{ id: hex(rng, 32), pattern: `example.com/${i}/*` }] : null,
      ...(rng.chance(0.2) ? { placement_mode: 'smart' } : {}),
      logpush: rng.chance(0.2),
    };
  });
  const storage = new Map<string, SimStorage>();
  const unique = uniqueNames(o.buckets + o.euBuckets + o.usBuckets, o.hostile, (i) => `bucket-${String(i).padStart(4, '0')}`);
  const bucketNames =
    o.buckets > 0 && o.usBuckets > 0
      ? [...unique.slice(0, -o.usBuckets), unique[0], ...unique.slice(-o.usBuckets + 1 || unique.length)]
      : unique;
  const buckets = bucketNames.map((name, i): SimBucket => {
    const jurisdiction: SimJurisdiction = i >= o.buckets + o.euBuckets ? 'us' : i >= o.buckets ? 'eu' : 'default';
    const bucket: SimBucket = {
      name,
      creation_date: rng.timestamp(400).replace('Z', '.000Z'),
      jurisdiction,
      storage_class: rng.chance(0.8) ? 'Standard' : 'InfrequentAccess',
    };
    if (rng.chance(0.8)) bucket.location = rng.pick(LOCATIONS);
    // Two out of three buckets have storage rows in the last day; the rest are new or empty.
    if (i % 3 !== 2)
      storage.set(jurisdiction === 'default' ? name : `${jurisdiction}_${name}`, {
        objectCount: rng.int(0, 2_000_000),
        payloadSize: rng.int(0, 5e11),
        metadataSize: rng.int(0, 5e7),
      });
    return bucket;
  });
  const dbNames = uniqueNames(o.databases, o.hostile, (i) => `${rng.name()}-db-${i}`);
  const databases = dbNames.map((name, i): SimDatabase => ({
    uuid: `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-a${hex(rng, 3)}-${hex(rng, 12)}`,
    name,
    version: 'production',
    created_at: rng.timestamp(300).replace('Z', '.000Z'),
    jurisdiction: rng.chance(0.1) ? 'eu' : null,
    // A database created moments ago reports no size yet (seen as empty columns in `wrangler d1 list`).
    file_size: i % 5 === 4 ? null : rng.int(12_288, 2_000_000_000),
    num_tables: i % 5 === 4 ? null : rng.int(0, 40),
  }));
  const titles = uniqueNames(o.namespaces, o.hostile, (i) => `${rng.name()}-kv-${i}`);
  const namespaces = titles.map((title): SimNamespace => ({ id: hex(rng, 32), title, supports_url_encoding: rng.chance(0.9) }));
  const models = MODELS.map(([name, task], i): SimModel => ({
    id: `${hex(rng, 8)}-${hex(rng, 4)}-${hex(rng, 4)}-${hex(rng, 4)}-${hex(rng, 12)}`,
    name,
    description: `Simulated model ${i}`,
    source: 1,
    task: { id: TASKS[task][0], name: TASKS[task][1], description: `${TASKS[task][1]} models` },
    tags: [],
    properties: [],
  }));
  return { accounts, scripts, buckets, databases, namespaces, models, traffic, storage };
}

/**
 * The analytics of one script in the `index`-th minute of the asked range; undefined when it served no request.
 * Traffic is stationary: it depends on the minute's position in the range, not on the clock, so two refreshes made
 * minutes apart see the same numbers (the CLI and UI tests compare a reference snapshot with a later run).
 */
export function simMinute(seed: number, script: string, index: number, base: number): SimMinute | undefined {
  const minute = String(index);
  if (!(base > 0)) return undefined;
  const requests = Math.round(base * (0.5 + unitHash(seed, script, minute)));
  if (requests === 0) return undefined;
  const cpuTimeP50 = Math.round((300 + 4_700 * unitHash(seed, script, minute, 'cpu')) * 10) / 10;
  return {
    requests,
    errors: Math.floor(requests * 0.05 * unitHash(seed, script, minute, 'err')),
    subrequests: Math.round(requests * 3 * unitHash(seed, script, minute, 'sub')),
    cpuTimeP50,
    cpuTimeP99: Math.round(cpuTimeP50 * (1.5 + 3 * unitHash(seed, script, minute, 'p99')) * 10) / 10,
  };
}
