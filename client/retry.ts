/** When and how long the client waits before asking again. */

/** The answers worth repeating: throttled (429) and no capacity or a gateway timeout (503). */
export const retryableStatuses: ReadonlySet<number> = new Set([429, 503]);

export interface RetryPolicy {
  /** Retries after the first attempt. @default 3 */
  readonly retries: number;
  /** A Retry-After (or backoff) longer than this is not waited out: the error goes to the caller. @default 30_000 */
  readonly maxDelayMs: number;
  /** First backoff when the answer names no Retry-After; doubles each retry. @default 250 */
  readonly baseDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { retries: 3, maxDelayMs: 30_000, baseDelayMs: 250 };

/**
 * Retry-After in milliseconds: delay-seconds (`"2"`) or an HTTP date, from `now`; undefined when
 * absent or unreadable. A date in the past means at once.
 */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff with a little jitter, so that clients throttled together do not return together. */
export function backoffMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  return policy.baseDelayMs * 2 ** retry + Math.floor(random() * policy.baseDelayMs);
}
