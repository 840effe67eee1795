// Which scope the code running now works for. The collector runs each (cloud, scope) refresh inside inScope(), so
// the limiter can key a cloud's budget by scope where the cloud meters per scope (Azure per subscription, Google
// per project) — for every request made on the scope's behalf, an SDK's own included, without a provider passing
// the scope down through each call.
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<string>();

export function inScope<T>(scopeId: string, work: () => Promise<T>): Promise<T> {
  return current.run(scopeId, work);
}

/** The scope id of the refresh this code runs in; undefined outside one (a health check, the scope list). */
export function currentScope(): string | undefined {
  return current.getStore();
}
