/** Reconnect delays: exponential with full jitter (a random delay between 0 and the cap of the attempt). */
export interface BackoffOptions {
  /** The cap of the first retry, in milliseconds (500). */
  baseMs?: number;
  /** The largest cap, in milliseconds (20,000). */
  maxMs?: number;
}

export const DEFAULT_BACKOFF = { baseMs: 500, maxMs: 20_000 } as const;

/**
 * The delay before retry number `attempt` (0 for the first): uniform in [0, min(max, base * 2^attempt)],
 * so that many clients dropped at once do not come back at once.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const base = options.baseMs ?? DEFAULT_BACKOFF.baseMs;
  const max = options.maxMs ?? DEFAULT_BACKOFF.maxMs;
  const cap = Math.min(max, base * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * cap);
}
