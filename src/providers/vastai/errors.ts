// Vast.ai's error quirk the core cannot know: the offer search answers a bad key with 404
// `{"error": …, "msg": "Invalid user key"}` (search_offers.yaml), and an expired 2FA session key gets 404
// "Session expired. Please log in again." (vast-cli vastai/cli/main.py), which the status alone would call not-found.
// The core's HttpClient is built by the collector, so a per-cloud `describeError` cannot be plugged in from here;
// instead the provider re-labels those errors after the call. The collector's retry has already seen a 404
// (not-found, never retried), so an auth failure is still tried exactly once.
import { CloudtopError, describeFailure } from '../../core/errors';

const INVALID_KEY = /invalid user key|session expired/i;

/** A 404 that is really Vast.ai's "Invalid user key" (or an expired session). */
export function isInvalidKey404(error: unknown): boolean {
  return error instanceof CloudtopError && error.status === 404 && INVALID_KEY.test(error.cloudMessage ?? '');
}

/** Re-labels "Invalid user key" 404s as auth; every other error passes through unchanged. */
export function vastError(error: unknown): unknown {
  if (!isInvalidKey404(error)) return error;
  const e = error as CloudtopError;
  const facts = { category: 'auth' as const, cloud: e.cloud ?? ('vastai' as const), status: e.status, code: e.code, cloudMessage: e.cloudMessage, operation: e.operation };
  return new CloudtopError({ ...facts, message: describeFailure(facts) });
}

/** Runs one API call and re-labels its error. */
export async function vastCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw vastError(error);
  }
}
