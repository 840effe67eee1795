// Vast.ai's error quirk the core cannot know: the offer search answers a bad key with 404
// `{"error": …, "msg": "Invalid user key"}` (search_offers.yaml), and an expired 2FA session key gets 404
// "Session expired. Please log in again." (vast-cli vastai/cli/main.py), which the status alone would call not-found.
// `vastErrors` is the catalogue entry's error hook: the collector's HTTP client applies it where the error is made,
// inside the retry loop, so such a 404 is an auth failure tried exactly once.
import { CloudtopError, type CloudErrorHook } from '../../core/errors/errors';

const INVALID_KEY = /invalid user key|session expired/i;

export const vastErrors: CloudErrorHook = {
  classify: ({ status, message }) => (status === 404 && INVALID_KEY.test(message ?? '') ? { category: 'auth' } : undefined),
};

/** A 404 that is really Vast.ai's "Invalid user key" (or an expired session), whatever category it was given. */
export function isInvalidKey404(error: unknown): boolean {
  return error instanceof CloudtopError && vastErrors.classify!({ status: error.status, message: error.cloudMessage })?.category === 'auth';
}
