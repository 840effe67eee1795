// The nodes of a cloud's tree, built from its view state: error and notice rows, service groups,
// resources and metric rows. Everything a cloud sent is shown as plain text (labels) or escaped Markdown
// (tooltips); nothing from a cloud can become a link, a codicon or a command.
import * as vscode from 'vscode';
import { canAct, inTargetState } from '../core/engine/actions';
import { catalogue } from '../providers/index';
import {
  carriedNote,
  describeResource,
  formatPricePerHour,
  formatStat,
  metricRows,
  priceUnknownText,
  warningTitle,
  plainText,
  type MetricRow,
} from '../core/model/describe';
import { formatAge } from '../core/model/duration';
import {
  CLOUD_NAMES,
  type CloudId,
  type ErrorCategory,
  type MetricFamily,
  type OutcomeWarning,
  type ProviderOutcome,
  type Resource,
  type ResourceGroup,
  type ResourceMetrics,
  type ResourceStatus,
} from '../core/model/model';
import type { ScopeKind, ScopeOutcome } from '../core/model/scope';
import type { CloudViewState } from './cloudStates';

export type CloudNode =
  | { readonly kind: 'error'; readonly id: string; readonly cloud: CloudId; readonly category: ErrorCategory; readonly message: string }
  | {
      readonly kind: 'warning';
      readonly id: string;
      readonly cloud: CloudId;
      readonly warning: OutcomeWarning;
      readonly shownFrom?: string;
    }
  | {
      readonly kind: 'notice';
      readonly id: string;
      readonly cloud: CloudId;
      readonly label: string;
      readonly icon: string;
      readonly tooltip?: string;
    }
  | {
      readonly kind: 'scope';
      readonly id: string;
      readonly cloud: CloudId;
      readonly scope: ScopeOutcome;
      readonly outcome: ProviderOutcome;
      readonly now: number;
    }
  | {
      readonly kind: 'group';
      readonly id: string;
      readonly cloud: CloudId;
      readonly group: ResourceGroup;
      readonly resources: readonly Resource[];
      readonly warnings: readonly OutcomeWarning[];
      readonly metrics: Readonly<Record<string, ResourceMetrics>>;
      readonly stale: boolean;
    }
  | {
      readonly kind: 'service';
      readonly id: string;
      readonly cloud: CloudId;
      readonly service: string;
      readonly resources: readonly Resource[];
      readonly metrics: Readonly<Record<string, ResourceMetrics>>;
      readonly stale: boolean;
    }
  | {
      readonly kind: 'resource';
      readonly id: string;
      readonly cloud: CloudId;
      readonly resource: Resource;
      readonly metrics?: ResourceMetrics;
      readonly stale: boolean;
    }
  | { readonly kind: 'metric'; readonly id: string; readonly cloud: CloudId; readonly row: MetricRow };

const SCOPE_ICONS: Record<ScopeKind, string> = {
  account: 'account',
  organization: 'organization',
  subscription: 'key',
  project: 'project',
  tenancy: 'organization',
  compartment: 'folder',
  region: 'globe',
};

const FAMILY_LABELS: Record<MetricFamily, string> = { compute: 'Compute', gpu: 'GPU', function: 'Function', database: 'Database' };

const CATEGORY_LABELS: Record<ErrorCategory, string> = {
  auth: 'Authentication failed',
  permission: 'Permission denied',
  'rate-limit': 'Rate limited',
  network: 'Cannot reach the cloud',
  'not-found': 'Not found',
  config: 'Configuration problem',
  unknown: 'Refresh failed',
};

const STATUS_ICONS: Record<ResourceStatus, [string, string | undefined]> = {
  running: ['pass-filled', 'testing.iconPassed'],
  starting: ['loading~spin', 'charts.blue'],
  stopping: ['loading~spin', 'charts.yellow'],
  stopped: ['circle-outline', 'disabledForeground'],
  error: ['error', 'testing.iconFailed'],
  unknown: ['question', undefined],
};

/** Top-level rows of a cloud's tree. An empty list lets the view's welcome content show. */
export function rootNodes(cloud: CloudId, state: CloudViewState, now: number): CloudNode[] {
  const outcome = state.outcome;
  const nodes: CloudNode[] = [];
  if (state.retry) {
    const seconds = Math.max(0, Math.ceil((state.retry.at - now) / 1000));
    const label =
      state.retry.category === 'rate-limit'
        ? `rate limited, retrying in ${seconds} s`
        : `${CATEGORY_LABELS[state.retry.category].toLowerCase()}, retrying in ${seconds} s`;
    nodes.push({ kind: 'notice', id: `${cloud}/retry`, cloud, label, icon: 'watch' });
  }
  if (!outcome || (outcome.state !== 'ok' && outcome.state !== 'error')) return nodes;
  const scoped = (outcome.scopes?.length ?? 0) > 1;
  nodes.push(
    ...statusRows(
      cloud,
      `${cloud}`,
      outcome,
      {
        error: outcome.error,
        warnings: (outcome.warnings ?? []).filter((w) => (!scoped || !w.scope) && !w.group),
        stale: outcome.stale,
        fetchedAt: outcome.fetchedAt,
      },
      now,
    ),
  );
  // A scope level only when there is more than one scope: accounts, organizations, subscriptions …
  if (scoped) {
    for (const scope of outcome.scopes!) nodes.push({ kind: 'scope', id: `${cloud}/scope/${scope.id}`, cloud, scope, outcome, now });
    return nodes;
  }
  nodes.push(...groupedNodes(cloud, cloud, outcome.resources, outcome.warnings ?? [], outcome.metrics, outcome.stale));
  return nodes;
}

/**
 * Services, or — when the cloud has a level between scope and service (OCI compartments) — a node per group, each with
 * its own warning (a compartment whose listing was refused) above its services. Groups keep the order they came in.
 */
function groupedNodes(
  cloud: CloudId,
  prefix: string,
  resources: readonly Resource[],
  warnings: readonly OutcomeWarning[],
  metrics: Readonly<Record<string, ResourceMetrics>>,
  stale: boolean,
): CloudNode[] {
  const groupWarnings = warnings.filter((w) => w.group);
  if (!resources.some((r) => r.group) && groupWarnings.length === 0) return serviceNodes(cloud, prefix, resources, metrics, stale);
  const groups = new Map<string, { group: ResourceGroup; resources: Resource[] }>();
  for (const resource of resources) {
    const group = resource.group ?? { id: '', label: 'other', kind: 'compartment' as const };
    const entry = groups.get(group.id) ?? { group, resources: [] };
    entry.resources.push(resource);
    groups.set(group.id, entry);
  }
  for (const w of groupWarnings) if (!groups.has(w.group!.id)) groups.set(w.group!.id, { group: w.group!, resources: [] });
  return [...groups.values()].map(({ group, resources: list }) => ({
    kind: 'group',
    id: `${prefix}/group/${group.id}`,
    cloud,
    group,
    resources: list,
    warnings: groupWarnings.filter((w) => w.group!.id === group.id),
    metrics,
    stale,
  }));
}

interface RowState {
  readonly error?: { readonly category: ErrorCategory; readonly message: string };
  readonly warnings: readonly OutcomeWarning[];
  readonly stale: boolean;
  readonly fetchedAt?: string;
}

/** The error row, warning rows and stale notice of a cloud (or of one of its scopes), above its data. */
function statusRows(cloud: CloudId, prefix: string, outcome: ProviderOutcome, state: RowState, now: number): CloudNode[] {
  const nodes: CloudNode[] = [];
  if (state.error)
    nodes.push({ kind: 'error', id: `${prefix}/error`, cloud, category: state.error.category, message: state.error.message });
  for (const warning of state.warnings) {
    // Carried-over metrics say how old they are: every number has an age.
    const shownFrom = carriedNote(warning, outcome, now);
    nodes.push({ kind: 'warning', id: `${prefix}/warning/${warning.part}`, cloud, warning, ...(shownFrom ? { shownFrom } : {}) });
  }
  if (state.stale && state.fetchedAt) {
    const age = formatAge(Math.max(0, now - Date.parse(state.fetchedAt)));
    nodes.push({
      kind: 'notice',
      id: `${prefix}/stale`,
      cloud,
      label: `data from ${age} ago`,
      icon: 'history',
      tooltip: 'The newest refresh failed; these are the last values Cloudtop received.',
    });
  }
  return nodes;
}

function serviceNodes(
  cloud: CloudId,
  prefix: string,
  resources: readonly Resource[],
  metrics: Readonly<Record<string, ResourceMetrics>>,
  stale: boolean,
): CloudNode[] {
  const services = new Map<string, Resource[]>();
  for (const resource of resources) {
    const list = services.get(resource.service) ?? [];
    list.push(resource);
    services.set(resource.service, list);
  }
  return [...services].map(([service, list]) => ({
    kind: 'service',
    id: `${prefix}/service/${service}`,
    cloud,
    service,
    resources: list,
    metrics,
    stale,
  }));
}

export function childNodes(node: CloudNode): CloudNode[] {
  switch (node.kind) {
    case 'scope': {
      const { scope, outcome } = node;
      const rows = statusRows(
        node.cloud,
        node.id,
        outcome,
        { error: scope.error, warnings: (scope.warnings ?? []).filter((w) => !w.group), stale: scope.stale, fetchedAt: scope.fetchedAt },
        node.now,
      );
      return [
        ...rows,
        ...groupedNodes(
          node.cloud,
          node.id,
          outcome.resources.filter((r) => r.scope === scope.id),
          scope.warnings ?? [],
          outcome.metrics,
          scope.stale || outcome.stale,
        ),
      ];
    }
    case 'group': {
      const warnings: CloudNode[] = node.warnings.map((warning) => ({
        kind: 'warning',
        id: `${node.id}/warning/${warning.part}`,
        cloud: node.cloud,
        warning,
      }));
      return [...warnings, ...serviceNodes(node.cloud, node.id, node.resources, node.metrics, node.stale)];
    }
    case 'service':
      return node.resources.map((resource) => ({
        kind: 'resource',
        id: resource.scope
          ? `${node.cloud}/${resource.account}/${resource.scope}/${resource.id}`
          : `${node.cloud}/${resource.account}/${resource.id}`,
        cloud: node.cloud,
        resource,
        metrics: node.metrics[resource.id],
        stale: node.stale,
      }));
    case 'resource': {
      const rows: CloudNode[] = metricRows(node.metrics).map((row) => ({
        kind: 'metric',
        id: `${node.id}/metric/${row.key}`,
        cloud: node.cloud,
        row,
      }));
      // Say what the cloud does not report, or sent nothing for (and why), rather than show nothing (or, worse, zeros).
      for (const [family, why] of Object.entries(node.metrics?.missing ?? {}) as [MetricFamily, string][]) {
        rows.push({
          kind: 'notice',
          id: `${node.id}/missing/${family}`,
          cloud: node.cloud,
          label: `${FAMILY_LABELS[family]} metrics: none received`,
          icon: 'info',
          tooltip: why,
        });
      }
      for (const family of node.resource.unreportedMetrics ?? []) {
        rows.push({
          kind: 'notice',
          id: `${node.id}/unreported/${family}`,
          cloud: node.cloud,
          label: `${FAMILY_LABELS[family]} metrics: not reported by ${CLOUD_NAMES[node.cloud]}`,
          icon: 'info',
        });
      }
      return rows;
    }
    default:
      return [];
  }
}

export function treeItem(node: CloudNode): vscode.TreeItem {
  switch (node.kind) {
    case 'error': {
      const item = new vscode.TreeItem(CATEGORY_LABELS[node.category]);
      item.id = node.id;
      item.description = plainText(node.message);
      item.tooltip = new vscode.MarkdownString().appendText(node.message);
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
      item.contextValue = `error;${node.category}`;
      return item;
    }
    case 'warning': {
      // Like an error row, but for one part of the data: the resources below are current.
      const item = new vscode.TreeItem(warningTitle(node.warning.part));
      item.id = node.id;
      item.description = (node.shownFrom ? `${node.shownFrom} · ` : '') + plainText(node.warning.message);
      item.tooltip = new vscode.MarkdownString().appendText(
        node.shownFrom ? `${node.warning.message}\n\nThe metric rows are ${node.shownFrom.replace('showing ', '')}.` : node.warning.message,
      );
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      item.contextValue = `warning;${node.warning.category}`;
      return item;
    }
    case 'notice': {
      const item = new vscode.TreeItem(node.label);
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon(node.icon, new vscode.ThemeColor('descriptionForeground'));
      if (node.tooltip) item.tooltip = node.tooltip;
      item.contextValue = 'notice';
      return item;
    }
    case 'scope': {
      const { scope } = node;
      const item = new vscode.TreeItem(plainText(scope.label, 120), vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      item.description = scope.error
        ? `${CATEGORY_LABELS[scope.error.category].toLowerCase()}${scope.stale ? ' · stale' : ''}`
        : `${scope.resourceCount}`;
      item.tooltip = new vscode.MarkdownString().appendText(
        `${scope.kind} ${scope.label}${scope.label !== scope.id ? ` (${scope.id})` : ''}${scope.error ? `\n\n${scope.error.message}` : ''}`,
      );
      item.iconPath = scope.error
        ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'))
        : new vscode.ThemeIcon(SCOPE_ICONS[scope.kind]);
      item.contextValue = `scope;${scope.kind}`;
      return item;
    }
    case 'group': {
      const item = new vscode.TreeItem(plainText(node.group.label, 120), vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      const problem = node.warnings[0];
      item.description = problem
        ? `${CATEGORY_LABELS[problem.category].toLowerCase()} · ${node.resources.length}`
        : `${node.resources.length}`;
      item.tooltip = new vscode.MarkdownString().appendText(
        `${node.group.kind} ${node.group.label}${node.group.id ? ` (${node.group.id})` : ''}${problem ? `\n\n${problem.message}` : ''}`,
      );
      item.iconPath = problem
        ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
        : new vscode.ThemeIcon('folder');
      item.contextValue = `group;${node.group.kind}`;
      return item;
    }
    case 'service': {
      const item = new vscode.TreeItem(node.service, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      item.description = `${node.resources.length}`;
      item.iconPath = new vscode.ThemeIcon(serviceIcon(node.service));
      item.contextValue = 'service';
      return item;
    }
    case 'resource':
      return resourceItem(node);
    case 'metric': {
      const item = new vscode.TreeItem(node.row.label);
      item.id = node.id;
      item.description = formatStat(node.row);
      item.tooltip = `${node.row.label} over the last minutes: avg ${node.row.format(node.row.stat.avg)}, max ${node.row.format(node.row.stat.max)}, min ${node.row.format(node.row.stat.min)}`;
      item.iconPath = new vscode.ThemeIcon(
        node.row.family === 'gpu'
          ? 'circuit-board'
          : node.row.family === 'database'
            ? 'database'
            : node.row.family === 'function'
              ? 'zap'
              : 'pulse',
      );
      item.contextValue = 'metric';
      return item;
    }
  }
}

function resourceItem(node: Extract<CloudNode, { kind: 'resource' }>): vscode.TreeItem {
  const { resource, metrics } = node;
  const rows = metricRows(metrics);
  const expandable = rows.length > 0 || (resource.unreportedMetrics?.length ?? 0) > 0 || Object.keys(metrics?.missing ?? {}).length > 0;
  const item = new vscode.TreeItem(
    plainText(resource.name || resource.id, 120),
    expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  item.id = node.id;
  item.description = plainText(describeResource(resource, metrics)) + (node.stale ? ' · stale' : '');
  // Paused yet billed at the running price: a warning, not the grey of a stopped resource.
  const [icon, color] = resource.chargedWhilePaused ? ['debug-pause', 'list.warningForeground'] : STATUS_ICONS[resource.status];
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  const tooltip = new vscode.MarkdownString();
  tooltip
    .appendMarkdown('**')
    .appendText(plainText(resource.name || resource.id, 500))
    .appendMarkdown('**\n\n');
  tooltip.appendText(
    `${CLOUD_NAMES[resource.cloud]} · ${resource.service} · ${resource.status}${resource.rawStatus && resource.rawStatus !== resource.status ? ` (${plainText(resource.rawStatus)})` : ''}`,
  );
  if (resource.region) tooltip.appendMarkdown('\n\n').appendText(`Region: ${plainText(resource.region)}`);
  if (resource.gpu)
    tooltip
      .appendMarkdown('\n\n')
      .appendText(
        `GPU: ${resource.gpu.count} × ${plainText(resource.gpu.model)}${resource.gpu.memoryGb ? ` (${resource.gpu.memoryGb} GB)` : ''}`,
      );
  if (resource.pricePerHour !== undefined)
    tooltip.appendMarkdown('\n\n').appendText(`Price: ${formatPricePerHour(resource.pricePerHour)} while running`);
  const unknown = priceUnknownText(resource);
  if (unknown) tooltip.appendMarkdown('\n\n').appendText(`Price: ${plainText(unknown, 300)}`);
  if (resource.storagePricePerHour)
    tooltip.appendMarkdown('\n\n').appendText(`Storage: ${formatPricePerHour(resource.storagePricePerHour)} while stopped`);
  if (resource.chargedWhilePaused) tooltip.appendMarkdown('\n\n').appendText('Paused, and still billed at its running price');
  if (resource.note) tooltip.appendMarkdown('\n\n').appendText(plainText(resource.note, 300));
  tooltip.appendMarkdown('\n\n').appendText(`ID: ${plainText(resource.id)}`);
  item.tooltip = tooltip;
  const tokens = ['resource', resource.status, resource.kind];
  if (resource.gpu) tokens.push('gpu');
  if (resource.consoleUrl) tokens.push('console');
  if (resource.ssh) tokens.push('ssh');
  // Stop and Start where the cloud can (its catalogue entry's actions) and the resource is not there already; the menus
  // also ask `config.cloudtop.actions.enabled`. Not on last good data: its state may be long gone.
  const entry = catalogue[resource.cloud];
  if (!node.stale && canAct(entry, resource) && entry?.actions) {
    if (entry.actions.supports(resource, 'stop') && !inTargetState(entry.actions, resource, 'stop')) tokens.push('canStop');
    if (entry.actions.supports(resource, 'start') && !inTargetState(entry.actions, resource, 'start')) tokens.push('canStart');
  }
  item.contextValue = tokens.join(';');
  return item;
}

function serviceIcon(service: string): string {
  const icons: Record<string, string> = {
    GPU: 'circuit-board',
    Pods: 'circuit-board',
    Instances: 'vm',
    Compute: 'server',
    Serverless: 'zap',
    Workers: 'zap',
    Functions: 'zap',
    R2: 'archive',
    D1: 'database',
    KV: 'key',
    AI: 'sparkle',
    Postgres: 'database',
    'Network Volumes': 'archive',
    'Kubernetes (OKE)': 'layers',
    'Autonomous Database': 'database',
    'Virtual Machines': 'vm',
    'Compute Engine': 'vm',
    'Kubernetes (AKS)': 'layers',
    'Kubernetes Engine': 'layers',
    'Cloud Functions': 'zap',
    'Cloud Run': 'zap',
  };
  return icons[service] ?? 'symbol-namespace';
}
