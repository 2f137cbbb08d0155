/**
 * "Logged once": a flood of refusals of one kind (over the connection cap, over a
 * connection's rate limit) writes one warning when it starts and one summary when
 * it ends, instead of a line per refused message that would flood the log itself.
 * With `quietMs`, an episode ends only after that long without a refusal: a flood
 * just over a rate limit lets a frame through now and then, and that alone must
 * not end the episode and start a new one (a warning per refused frame again).
 */
import type { TransportLog } from './ws-server-types.ts';

export interface RefusalLog {
  /** A refusal: logged only when it is the first of its episode. */
  refused(detail: string): void;
  /**
   * The condition cleared: logs how many were refused in the episode (if any), and
   * re-arms — unless a refusal came less than `quietMs` ago (the episode goes on).
   */
  cleared(): void;
  /** Ends the episode now whatever the time (the connection closed): logs its count. */
  flush(): void;
  /** Refusals in the current episode. */
  count(): number;
}

export interface RefusalLogOptions {
  /** How long without a refusal ends an episode (default 0: the first success ends it). */
  quietMs?: number;
  now?: () => number;
}

export function createRefusalLog(
  log: TransportLog,
  what: string,
  opts: RefusalLogOptions = {},
): RefusalLog {
  const quietMs = opts.quietMs ?? 0;
  const now = opts.now ?? Date.now;
  let count = 0;
  let lastRefusedAt = 0;
  const flush = () => {
    if (count > 0) log('info', `ws: ${what}: ${count} refused in all`);
    count = 0;
  };
  return {
    refused(detail) {
      lastRefusedAt = now();
      if (count++ === 0)
        log('warn', `ws: ${what}: ${detail} (further refusals are counted, not logged)`);
    },
    cleared() {
      if (count > 0 && now() - lastRefusedAt < quietMs) return;
      flush();
    },
    flush,
    count: () => count,
  };
}
