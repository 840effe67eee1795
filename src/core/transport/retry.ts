// The one retry policy (architecture: providers and SDKs never retry on their own). p-retry runs the loop;
// every wait goes through an injectable sleep so the policy is exact and tests take milliseconds: p-retry's
// own timer is set to zero and our wait happens inside `shouldRetry`, which p-retry only calls when another
// attempt will really follow.
import pRetry, { AbortError } from 'p-retry';
import type { CloudId, ErrorCategory } from '../model/model';
import { CloudtopError, isRetryable, toCloudtopError, type CloudErrorHook } from '../errors/errors';

export interface RetryInfo {
  /** The attempt that just failed, from 1. */
  readonly attempt: number;
  readonly category: ErrorCategory;
  /** How long Cloudtop waits before the next attempt. */
  readonly delayMs: number;
  readonly error: CloudtopError;
}

export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  readonly retries?: number;
  /** First backoff; it doubles per retry (1 s, 2 s, 4 s). Default 1000. */
  readonly baseDelayMs?: number;
  /** A rate limit asking for a longer wait fails at once instead (it carries retryAfterMs). Default 60 s. */
  readonly maxRetryAfterMs?: number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now?: () => number;
  readonly signal?: AbortSignal;
  readonly onRetry?: (info: RetryInfo) => void;
  readonly cloud?: CloudId;
  /** The cloud's error knowledge: its category for an error decides whether another attempt follows. */
  readonly hook?: CloudErrorHook;
  /** Which categories are tried again; default `isRetryable` (network, rate-limit). A write passes `writeRetryable`. */
  readonly retryable?: (category: ErrorCategory) => boolean;
}

/** A write is tried again only after a rate limit: the cloud said it did nothing. After a reset or a 5xx it may have. */
export const writeRetryable = (category: ErrorCategory): boolean => category === 'rate-limit';

export const DEFAULT_RETRIES = 3;
export const DEFAULT_BASE_DELAY_MS = 1000;
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/** Resolves after `ms`; rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `fn` until it succeeds, retrying network errors (5xx included) and rate limits. Failures are thrown as
 * CloudtopErrors. An abort through `signal` stops at once and rethrows the signal's reason unchanged, so the
 * caller that aborted (a deadline, a cancelled refresh) gets back exactly what it aborted with.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const retries = options.retries ?? DEFAULT_RETRIES;
  const baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const maxWaitMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const wait = options.sleep ?? sleep;
  const now = options.now ?? Date.now;
  const { signal, cloud, hook } = options;

  // What to throw instead of p-retry's own error once we decide to stop.
  let stop: { readonly error: unknown } | undefined;
  // The wait decided for the failure p-retry is currently looking at.
  let next: { readonly delayMs: number; readonly error: CloudtopError } | undefined;

  const attempt = async (attemptNumber: number): Promise<T> => {
    try {
      return await fn(attemptNumber);
    } catch (raw) {
      if (signal?.aborted) {
        stop = { error: signal.reason };
        throw new AbortError('aborted');
      }
      const error = toCloudtopError(raw, cloud, { now: now(), hook });
      if (!(options.retryable ?? isRetryable)(error.category)) {
        stop = { error };
        throw new AbortError(error);
      }
      const backoff = Math.min(baseDelayMs * 2 ** (attemptNumber - 1), maxWaitMs);
      const asked = error.category === 'rate-limit' ? error.retryAfterMs : undefined;
      if (asked !== undefined && asked > maxWaitMs) {
        // Waiting minutes inside one refresh would hold every view; report when to come back instead.
        stop = { error };
        throw new AbortError(error);
      }
      next = { delayMs: asked ?? backoff, error };
      // p-retry never retries a TypeError; a CloudtopError is a plain Error, so the policy above decides.
      throw error;
    }
  };

  try {
    return await pRetry(attempt, {
      retries,
      minTimeout: 0,
      maxTimeout: 0,
      randomize: false,
      signal,
      shouldRetry: async ({ attemptNumber }) => {
        const { delayMs, error } = next!;
        options.onRetry?.({ attempt: attemptNumber, category: error.category, delayMs, error });
        await wait(delayMs, signal);
        return true;
      },
    });
  } catch (caught) {
    if (stop) throw stop.error;
    if (signal?.aborted) throw signal.reason;
    throw toCloudtopError(caught, cloud, { now: now(), hook });
  }
}
