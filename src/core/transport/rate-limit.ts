/**
 * A token bucket per connection: `burst` messages at once, refilled at
 * `perSecond`. Pure (the clock is passed in), so it is tested without timers.
 */
export interface RateLimit {
  /** Sustained messages per second. */
  perSecond: number;
  /** Messages accepted at once after a quiet period. */
  burst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 200, burst: 400 };

export interface Bucket {
  /** True when a message may pass now (and takes a token). */
  take(nowMs: number): boolean;
}

export function createBucket(limit: RateLimit, startMs: number): Bucket {
  let tokens = limit.burst;
  let last = startMs;
  return {
    take(nowMs) {
      tokens = Math.min(limit.burst, tokens + ((nowMs - last) / 1000) * limit.perSecond);
      last = nowMs;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
