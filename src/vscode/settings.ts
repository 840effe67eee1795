// Cloudtop's settings as the engine's configuration. Settings that decide where a credential goes (endpoints,
// the Redis URL, the cache backend) are application-scoped in package.json and are read here from user
// settings only, so a cloned repository's .vscode/settings.json can never redirect a key.
import * as vscode from 'vscode';
import type { CacheOptions } from '../core/cache/cache';
import type { CloudConfig } from '../core/engine/collector';
import type { CloudId } from '../core/model/model';
import type { RateLimitConfig } from '../core/transport/ratelimit';
import { CLOUD_SCOPES } from '../core/model/scope';

const SECTION = 'cloudtop';

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

/** User (global) value only, ignoring workspace and folder values even if VS Code would merge them. */
function userValue<T>(key: string): T | undefined {
  const inspected = section().inspect<T>(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

export function cloudConfig(cloud: CloudId, env: NodeJS.ProcessEnv = process.env): CloudConfig {
  const endpoint = env[`CLOUDTOP_${cloud.toUpperCase()}_ENDPOINT`]?.trim() || userValue<string>(`${cloud}.endpoint`)?.trim() || undefined;
  const rateLimit = userValue<Partial<RateLimitConfig>>(`rateLimit.${cloud}`);
  const account = section().get<string>(`${cloud}.accountId`)?.trim();
  const names = CLOUD_SCOPES[cloud];
  const scopes = names
    ? section()
        .get<string[]>(`${cloud}.${names.setting}`, [])
        .filter((id) => typeof id === 'string' && id.trim() !== '')
    : [];
  return {
    enabled: section().get<boolean>(`${cloud}.enabled`, true),
    ...(account ? { account } : {}),
    ...(scopes.length > 0 ? { scopes } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(rateLimit && Object.keys(rateLimit).length > 0 ? { rateLimit } : {}),
  };
}

export function cacheOptions(globalStorage: string, redisPassword: string | undefined): CacheOptions {
  const backend = userValue<CacheOptions['backend']>('cache.backend') ?? 'memory';
  let redisUrl = userValue<string>('redis.url');
  if (backend === 'redis' && redisUrl && redisPassword) {
    const url = new URL(redisUrl);
    url.password = redisPassword;
    redisUrl = url.toString();
  }
  return { backend, dir: globalStorage, ...(redisUrl ? { redisUrl } : {}) };
}

export const settings = {
  refreshIntervalSec: () => Math.max(0, section().get<number>('refreshInterval', 60)),
  ttlMs: () => Math.max(0, section().get<number>('cache.ttlSeconds', 60)) * 1000,
  /** Only a deadline the user set; otherwise the collector's default (and each cloud's floor) applies. */
  deadlineMs: () => {
    const seconds = userValue<number>('timeoutSeconds');
    return section().inspect<number>('timeoutSeconds')?.globalValue !== undefined && seconds !== undefined
      ? Math.max(5, seconds) * 1000
      : undefined;
  },
  idleGpuPercent: () => section().get<number>('idleGpu.utilizationPercent', 5),
  idleGpuMinutes: () => section().get<number>('idleGpu.minutes', 30),
  autoStopMinutes: () => Math.max(0, section().get<number>('idleGpu.autoStopMinutes', 0)),
  warnAbovePerHour: () => section().get<number>('gpuSpend.warnAbovePerHour', 10),
  statusBarEnabled: () => section().get<boolean>('statusBar.enabled', true),
  /** Application-scoped: a workspace cannot turn writes on for a user who turned them off. */
  actionsEnabled: () => section().inspect<boolean>('actions.enabled')?.globalValue ?? true,
};

export function affects(event: vscode.ConfigurationChangeEvent, key: string): boolean {
  return event.affectsConfiguration(`${SECTION}.${key}`);
}
