// Which Cloudflare accounts Cloudtop shows. Each account is a scope with its own state, so one the token cannot read
// leaves the others current. An account named in the credentials (`CLOUDFLARE_ACCOUNT_ID` or the stored one) or by
// the older `cloudtop.cloudflare.accountId` setting is the one scope, used without a lookup (a token without
// Account: Read can still show it); otherwise every account the token can read (`GET /accounts`, paged), and the
// `cloudtop.cloudflare.accounts` setting narrows them.
import { CloudtopError } from '../../core/errors/errors';
import type { ProviderContext } from '../../core/engine/provider';
import type { Scope } from '../../core/model/scope';
import type { CloudflareApi } from './api';
import { listAccounts } from './lists';

/** Cloudflare account ids are 32 hex digits; anything path-like is refused before it reaches a URL. */
const ACCOUNT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function configuredAccount(ctx: Pick<ProviderContext, 'account' | 'credentials'>): string | undefined {
  const setting = ctx.account.trim();
  const fromCredentials = ctx.credentials.accountId?.trim();
  const chosen = setting || fromCredentials;
  if (chosen && !ACCOUNT_ID.test(chosen)) {
    const where = setting
      ? 'The setting cloudtop.cloudflare.accountId'
      : 'The Cloudflare account ID (CLOUDFLARE_ACCOUNT_ID or the stored credentials)';
    throw new CloudtopError({
      category: 'config',
      cloud: 'cloudflare',
      message: `${where} is not a Cloudflare account ID (32 hex digits).`,
    });
  }
  return chosen || undefined;
}

export async function accountScopes(api: CloudflareApi, ctx: ProviderContext, signal: AbortSignal): Promise<Scope[]> {
  const configured = configuredAccount(ctx);
  if (configured) return [{ id: configured, label: configured, kind: 'account' }];
  const accounts = await listAccounts(api, signal);
  if (accounts.length === 0) {
    throw new CloudtopError({
      category: 'permission',
      cloud: 'cloudflare',
      operation: 'GET /accounts',
      message: 'The Cloudflare API token can read no account. Give it Account: Read, or set CLOUDFLARE_ACCOUNT_ID.',
    });
  }
  return accounts.map((a) => ({ id: a.id, label: typeof a.name === 'string' && a.name !== '' ? a.name : a.id, kind: 'account' }));
}
