// One token per tenant (auth.ts sharedTokens): an account spanning tenants holds one for each, and one tenant's
// cancelled exchange (its refresh aborted) never fails another tenant's token.
import assert from 'node:assert/strict';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { sharedTokens } from '../../src/providers/azure/auth';

const SCOPE = 'https://management.azure.com/.default';

/** A credential whose exchanges wait until released (or aborted), recording the tenant of each. */
function slowCredential() {
  const asked: (string | undefined)[] = [];
  const waiting: (() => void)[] = [];
  const credential: TokenCredential = {
    getToken(_scopes, options?: GetTokenOptions) {
      asked.push(options?.tenantId);
      return new Promise<AccessToken>((resolve, reject) => {
        const signal = options?.abortSignal;
        signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true });
        waiting.push(() =>
          resolve({ token: `token-for-${options?.tenantId ?? 'home'}-0123456789`, expiresOnTimestamp: Date.now() + 3600e3 }),
        );
      });
    },
  };
  return { credential, asked, release: () => waiting.splice(0).forEach((go) => go()) };
}

describe('Azure tokens per tenant (auth.ts sharedTokens)', () => {
  it("asks each tenant's token apart, and reuses it per tenant", async () => {
    const slow = slowCredential();
    const tokens = sharedTokens(slow.credential, 'the test', Date.now);
    const a = tokens.getToken(SCOPE, { tenantId: 'tenant-a' });
    const b = tokens.getToken(SCOPE, { tenantId: 'tenant-b' });
    const home = tokens.getToken(SCOPE);
    slow.release();
    assert.deepEqual(
      (await Promise.all([a, b, home])).map((t) => t?.token),
      ['token-for-tenant-a-0123456789', 'token-for-tenant-b-0123456789', 'token-for-home-0123456789'],
    );
    assert.equal((await tokens.getToken(SCOPE, { tenantId: 'tenant-a' }))?.token, 'token-for-tenant-a-0123456789');
    assert.deepEqual(slow.asked, ['tenant-a', 'tenant-b', undefined], 'one exchange per tenant');
  });

  it("one tenant's aborted exchange does not fail another tenant's", async () => {
    const slow = slowCredential();
    const tokens = sharedTokens(slow.credential, 'the test', Date.now);
    const stop = new AbortController();
    const a = tokens.getToken(SCOPE, { tenantId: 'tenant-a', abortSignal: stop.signal });
    const b = tokens.getToken(SCOPE, { tenantId: 'tenant-b' });
    stop.abort(new Error('tenant-a refresh cancelled'));
    await assert.rejects(a, /tenant-a refresh cancelled/, "the caller's own reason");
    slow.release();
    assert.equal((await b)?.token, 'token-for-tenant-b-0123456789');
  });
});

describe('Azure token exchanges shared by concurrent refreshes (auth.ts sharedTokens on core/engine/shared-run.ts)', () => {
  it("one caller's abort leaves the shared exchange running for the other caller of the same tenant", async () => {
    const slow = slowCredential();
    const tokens = sharedTokens(slow.credential, 'the test', Date.now);
    const first = new AbortController();
    const second = new AbortController();
    const a = tokens.getToken(SCOPE, { abortSignal: first.signal });
    const b = tokens.getToken(SCOPE, { abortSignal: second.signal });
    first.abort(new Error('the first refresh hit its deadline'));
    await assert.rejects(a, /deadline/);
    slow.release();
    assert.match((await b)!.token, /^token-for-home/);
    assert.equal(slow.asked.length, 1, 'one exchange for both');
  });
});
