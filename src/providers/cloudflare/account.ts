// Which Cloudflare account Cloudtop shows: the `cloudtop.cloudflare.accountId` setting, else the credentials'
// `accountId` (CLOUDFLARE_ACCOUNT_ID or the stored one), else the first account the token can read (`GET /accounts`,
// one call, remembered for the provider's lifetime; a failed lookup is tried again on the next refresh).
import { CloudtopError } from '../../core/errors';
import type { ProviderContext } from '../../core/provider';
import type { CloudflareApi } from './client';
import { firstAccountsPage } from './lists';

export interface ResolvedAccount {
  readonly id: string;
  readonly source: 'setting' | 'credentials' | 'discovered';
  readonly name?: string;
}

/** Cloudflare account ids are 32 hex digits; anything path-like is refused before it reaches a URL. */
const ACCOUNT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function configuredAccount(ctx: Pick<ProviderContext, 'account' | 'credentials'>): ResolvedAccount | undefined {
  const setting = ctx.account.trim();
  const fromCredentials = ctx.credentials.accountId?.trim();
  const chosen = setting ? { id: setting, source: 'setting' as const } : fromCredentials ? { id: fromCredentials, source: 'credentials' as const } : undefined;
  if (chosen && !ACCOUNT_ID.test(chosen.id)) {
    const where = chosen.source === 'setting' ? 'The setting cloudtop.cloudflare.accountId' : 'The Cloudflare account ID (CLOUDFLARE_ACCOUNT_ID or the stored credentials)';
    throw new CloudtopError({ category: 'config', cloud: 'cloudflare', message: `${where} is not a Cloudflare account ID (32 hex digits).` });
  }
  return chosen;
}

export interface AccountResolver {
  resolve(signal: AbortSignal): Promise<ResolvedAccount>;
}

export function accountResolver(api: CloudflareApi, ctx: ProviderContext): AccountResolver {
  let pending: Promise<ResolvedAccount> | undefined;
  async function discover(signal: AbortSignal): Promise<ResolvedAccount> {
    const { items, info } = await firstAccountsPage(api, signal);
    const first = items[0];
    if (!first) {
      throw new CloudtopError({ category: 'permission', cloud: 'cloudflare', operation: 'GET /accounts', message: 'The Cloudflare API token can read no account. Give it Account: Read, or set cloudtop.cloudflare.accountId (or CLOUDFLARE_ACCOUNT_ID).' });
    }
    const total = typeof info?.total_count === 'number' ? info.total_count : items.length;
    const name = typeof first.name === 'string' && first.name !== '' ? first.name : undefined;
    ctx.log.info(`Cloudflare: no account configured; showing the first of ${total} account(s) the token can read: ${JSON.stringify(name ?? first.id)} (${first.id}). Set cloudtop.cloudflare.accountId to choose another.`);
    return { id: first.id, source: 'discovered', ...(name ? { name } : {}) };
  }
  return {
    resolve(signal) {
      const known = configuredAccount(ctx);
      if (known) return Promise.resolve(known);
      if (!pending) {
        pending = discover(signal);
        pending.catch(() => {
          pending = undefined;
        });
      }
      return pending;
    },
  };
}
