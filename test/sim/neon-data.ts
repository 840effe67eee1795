// The simulated Neon account: organizations, projects (list items plus the billing-period counters
// `GET /projects/{id}` adds), branches and compute endpoints in API v2's shapes (npm @neondatabase/api-client 2.7.3,
// public-v2-for-users.gen.yaml). Deterministic from the seed; tests may replace any list with exact items built by
// buildProject / buildBranch / buildEndpoint, so expectations are known in advance.
import { applyHostileNames } from './hostile';
import { Rng, SIM_EPOCH } from './seed';

export interface SimOrg {
  id: string;
  name: string;
  handle: string;
  plan: string;
  managed_by: string;
  created_at: string;
  updated_at: string;
}

/** ProjectListItem. Optional fields are absent (never null), as Neon sends them. */
export interface SimProject {
  id: string;
  platform_id: string;
  region_id: string;
  name: string;
  provisioner: string;
  pg_version: number;
  proxy_host: string;
  branch_logical_size_limit: number;
  branch_logical_size_limit_bytes: number;
  store_passwords: boolean;
  active_time: number;
  cpu_used_sec: number;
  creation_source: string;
  created_at: string;
  updated_at: string;
  owner_id: string;
  synthetic_storage_size?: number;
  compute_last_active_at?: string;
  org_id?: string;
  org_name?: string;
}

/** What only `GET /projects/{id}` carries: current billing-period counters. */
export interface SimUsage {
  data_storage_bytes_hour: number;
  data_transfer_bytes: number;
  written_data_bytes: number;
  compute_time_seconds: number;
  active_time_seconds: number;
  consumption_period_start: string;
  consumption_period_end: string;
}

export interface SimBranch {
  id: string;
  project_id: string;
  parent_id?: string;
  name: string;
  current_state: string;
  pending_state?: string;
  state_changed_at: string;
  logical_size: number;
  creation_source: string;
  default: boolean;
  protected: boolean;
  created_at: string;
  updated_at: string;
  init_source: string;
  data_transfer_bytes: number;
  written_data_bytes: number;
  compute_time_seconds: number;
  active_time_seconds: number;
  cpu_used_sec: number;
  expires_at?: string;
}

export interface SimEndpoint {
  host: string;
  id: string;
  project_id: string;
  branch_id: string;
  name?: string;
  region_id: string;
  type: 'read_write' | 'read_only';
  current_state: 'init' | 'active' | 'idle';
  pending_state?: 'init' | 'active' | 'idle';
  autoscaling_limit_min_cu: number;
  autoscaling_limit_max_cu: number;
  settings: { pg_settings: Record<string, string> };
  pooler_enabled: boolean;
  pooler_mode: string;
  disabled: boolean;
  passwordless_access: boolean;
  creation_source: string;
  created_at: string;
  updated_at: string;
  proxy_host: string;
  suspend_timeout_seconds: number;
  provisioner: string;
  last_active?: string;
  started_at?: string;
  suspended_at?: string;
}

export const NEON_REGIONS = [
  'aws-us-east-2',
  'aws-us-east-1',
  'aws-us-west-2',
  'aws-eu-central-1',
  'aws-eu-west-2',
  'aws-ap-southeast-1',
  'azure-eastus2',
  'azure-gwc',
];
const WORDS = ['shiny', 'winter', 'aged', 'little', 'silent', 'spring', 'royal', 'quiet', 'cold', 'sweet', 'raspy', 'floral'];
const NOUNS = ['wind', 'boat', 'salad', 'smoke', 'meadow', 'paper', 'snow', 'poetry', 'breeze', 'hill', 'mountain', 'lake'];
const BRANCH_NAMES = ['dev', 'staging', 'preview/pr-42', 'feature/auth', 'ci-run-1187'];
const day = (n: number) => new Date(SIM_EPOCH - n * 86_400_000).toISOString().replace('.000Z', 'Z');
const hostOf = (region: string) => `${region.replace(/^aws-|^azure-/, '')}.${region.startsWith('azure') ? 'azure' : 'aws'}.neon.tech`;
/** Neon-style id: words plus digits that also carry the index, so generated ids never collide. */
const neonId = (rng: Rng, prefix: string, index: number) =>
  `${prefix}${rng.pick(WORDS)}-${rng.pick(NOUNS)}-${String(index).padStart(4, '0')}${rng.int(1000, 9999)}`;

export interface ProjectSpec {
  id: string;
  name?: string;
  region?: string;
  orgId?: string;
  orgName?: string;
  activeTime?: number;
  storage?: number;
  lastActive?: string;
  createdAt?: string;
}

export function buildProject(s: ProjectSpec): SimProject {
  const region = s.region ?? 'aws-us-east-2';
  return {
    id: s.id,
    platform_id: region.split('-')[0],
    region_id: region,
    name: s.name ?? s.id,
    provisioner: 'k8s-neonvm',
    pg_version: 17,
    proxy_host: hostOf(region),
    branch_logical_size_limit: 0,
    branch_logical_size_limit_bytes: 10_800,
    store_passwords: true,
    active_time: s.activeTime ?? 3600,
    cpu_used_sec: 0,
    creation_source: 'console',
    created_at: s.createdAt ?? day(30),
    updated_at: day(1),
    owner_id: '629982cc-de05-43db-ae16-28f2399c4910',
    ...(s.storage !== undefined ? { synthetic_storage_size: s.storage } : {}),
    ...(s.lastActive ? { compute_last_active_at: s.lastActive } : {}),
    ...(s.orgId ? { org_id: s.orgId, org_name: s.orgName ?? s.orgId } : {}),
  };
}

export function buildUsage(seed: Partial<SimUsage> = {}): SimUsage {
  return {
    data_storage_bytes_hour: 2_831_928,
    data_transfer_bytes: 1000,
    written_data_bytes: 100_800,
    compute_time_seconds: 100,
    active_time_seconds: 100,
    consumption_period_start: '2026-11-01T00:00:00Z',
    consumption_period_end: '2026-12-01T00:00:00Z',
    ...seed,
  };
}

export interface BranchSpec {
  id: string;
  name?: string;
  state?: string;
  pendingState?: string;
  parentId?: string;
  isDefault?: boolean;
  logicalSize?: number;
  computeTime?: number;
  activeTime?: number;
  written?: number;
  transfer?: number;
  createdAt?: string;
  updatedAt?: string;
}

export function buildBranch(projectId: string, s: BranchSpec): SimBranch {
  return {
    id: s.id,
    project_id: projectId,
    ...(s.parentId ? { parent_id: s.parentId } : {}),
    name: s.name ?? s.id,
    current_state: s.state ?? 'ready',
    ...(s.pendingState ? { pending_state: s.pendingState } : {}),
    state_changed_at: day(2),
    logical_size: s.logicalSize ?? 30_000_000,
    creation_source: 'console',
    default: s.isDefault ?? false,
    protected: false,
    created_at: s.createdAt ?? day(20),
    updated_at: s.updatedAt ?? day(2),
    init_source: 'parent-data',
    data_transfer_bytes: s.transfer ?? 1_000_000,
    written_data_bytes: s.written ?? 100_800,
    compute_time_seconds: s.computeTime ?? 100,
    active_time_seconds: s.activeTime ?? 100,
    cpu_used_sec: s.computeTime ?? 100,
  };
}

export interface EndpointSpec {
  id: string;
  branchId: string;
  name?: string;
  region?: string;
  type?: 'read_write' | 'read_only';
  state?: SimEndpoint['current_state'];
  pending?: SimEndpoint['pending_state'];
  minCu?: number;
  maxCu?: number;
  suspend?: number;
  disabled?: boolean;
  lastActive?: string;
}

export function buildEndpoint(projectId: string, s: EndpointSpec): SimEndpoint {
  const region = s.region ?? 'aws-us-east-2';
  const state = s.state ?? 'idle';
  return {
    host: `${s.id}.${hostOf(region)}`,
    id: s.id,
    project_id: projectId,
    branch_id: s.branchId,
    ...(s.name ? { name: s.name } : {}),
    region_id: region,
    type: s.type ?? 'read_write',
    current_state: state,
    ...(s.pending ? { pending_state: s.pending } : {}),
    autoscaling_limit_min_cu: s.minCu ?? 0.25,
    autoscaling_limit_max_cu: s.maxCu ?? 2,
    settings: { pg_settings: {} },
    pooler_enabled: false,
    pooler_mode: 'transaction',
    disabled: s.disabled ?? false,
    passwordless_access: true,
    creation_source: 'console',
    created_at: day(20),
    updated_at: day(1),
    proxy_host: hostOf(region),
    suspend_timeout_seconds: s.suspend ?? 0,
    provisioner: 'k8s-neonvm',
    ...(s.lastActive ? { last_active: s.lastActive } : {}),
    ...(state === 'active' ? { started_at: day(0) } : state === 'idle' ? { suspended_at: day(1) } : {}),
  };
}

export interface NeonAccount {
  orgs: SimOrg[];
  projects: SimProject[];
  /** Projects of other accounts shared with the user; their branches and endpoints are in the maps below too. */
  sharedProjects: SimProject[];
  /** Compute-unit seconds each project uses per day, for the consumption history. */
  dailyCuSeconds: Record<string, number>;
  usage: Record<string, SimUsage>;
  branches: Record<string, SimBranch[]>;
  endpoints: Record<string, SimEndpoint[]>;
}

export interface NeonAccountOptions {
  readonly projects: number;
  readonly orgs: number;
  readonly maxBranches: number;
  readonly shared: number;
  readonly hostile: boolean;
}

export function generateAccount(rng: Rng, o: NeonAccountOptions): NeonAccount {
  const orgs = Array.from({ length: o.orgs }, (_, i): SimOrg => {
    const id = neonId(rng, 'org-', i);
    return {
      id,
      name: `${rng.pick(WORDS)} team ${i + 1}`,
      handle: id,
      plan: rng.pick(['free', 'launch', 'scale']),
      managed_by: 'console',
      created_at: day(400),
      updated_at: day(10),
    };
  });
  const account: NeonAccount = { orgs, projects: [], sharedProjects: [], dailyCuSeconds: {}, usage: {}, branches: {}, endpoints: {} };
  for (let i = 0; i < o.projects; i++) {
    const org = orgs[i % Math.max(1, orgs.length)];
    const active = rng.int(0, 2_000_000);
    const project = buildProject({
      id: neonId(rng, '', i),
      name: rng.name(),
      region: rng.pick(NEON_REGIONS),
      ...(org ? { orgId: org.id, orgName: org.name } : {}),
      activeTime: active,
      createdAt: rng.timestamp(300),
      // Hostile accounts leave out the optional fields on every third project.
      ...(o.hostile && i % 3 === 0 ? {} : { storage: rng.int(20_000_000, 50_000_000_000), lastActive: rng.timestamp(3) }),
    });
    account.projects.push(project);
    account.dailyCuSeconds[project.id] = rng.int(0, 40_000);
    account.usage[project.id] = buildUsage({
      active_time_seconds: active,
      compute_time_seconds: Math.round(active * rng.float(0.25, 4)),
      written_data_bytes: rng.int(0, 9e9),
    });
    const branches = [buildBranch(project.id, { id: neonId(rng, 'br-', i * 10), name: 'main', isDefault: true })];
    const extra = rng.int(0, Math.max(0, o.maxBranches - 1));
    for (let b = 1; b <= extra; b++) {
      const state = rng.weighted([
        ['ready', 8],
        ['archived', 2],
        ['init', 1],
      ] as const);
      branches.push(
        buildBranch(project.id, {
          id: neonId(rng, 'br-', i * 10 + b),
          name: rng.pick(BRANCH_NAMES),
          state,
          parentId: branches[0].id,
          computeTime: rng.int(0, 90_000),
          written: rng.int(0, 5e8),
        }),
      );
    }
    account.branches[project.id] = branches;
    account.endpoints[project.id] = branches
      .filter((b, n) => n === 0 || (b.current_state === 'ready' && rng.chance(0.7)))
      .flatMap((b, n) => {
        const state = rng.weighted([
          ['active', 3],
          ['idle', 6],
          ['init', 1],
        ] as const);
        const min = rng.pick([0.25, 0.5, 1, 2]);
        const ep = buildEndpoint(project.id, {
          id: neonId(rng, 'ep-', i * 10 + n),
          branchId: b.id,
          region: project.region_id,
          state,
          minCu: min,
          maxCu: min * rng.pick([1, 2, 4]),
          suspend: rng.pick([0, 300, 3600, -1]),
          lastActive: rng.timestamp(2),
        });
        return n === 0 && rng.chance(0.2)
          ? [
              ep,
              buildEndpoint(project.id, {
                id: neonId(rng, 'ep-', i * 10 + 9),
                branchId: b.id,
                region: project.region_id,
                type: 'read_only',
              }),
            ]
          : [ep];
      });
  }
  // Shared by someone else: another account's organization, one branch and one compute each.
  for (let i = 0; i < o.shared; i++) {
    const project = buildProject({
      id: neonId(rng, 'shared-', i),
      name: `${rng.name()} (shared)`,
      region: rng.pick(NEON_REGIONS),
      orgId: `org-elsewhere-${i}`,
      orgName: 'Someone else',
      createdAt: rng.timestamp(200),
    });
    account.sharedProjects.push(project);
    const main = buildBranch(project.id, { id: neonId(rng, 'br-shared-', i), name: 'main', isDefault: true });
    account.branches[project.id] = [main];
    account.endpoints[project.id] = [
      buildEndpoint(project.id, { id: neonId(rng, 'ep-shared-', i), branchId: main.id, region: project.region_id, state: 'idle' }),
    ];
  }
  if (o.hostile) {
    applyHostileNames(account.projects);
    applyHostileNames(
      Object.values(account.branches)
        .flat()
        .filter((b) => b.name !== 'main'),
    );
  }
  return account;
}
