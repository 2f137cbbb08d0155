/**
 * "Logged once": a flood of refusals of one kind (over the connection cap, over a
 * connection's rate limit) writes one warning when it starts and one summary when
 * it ends, instead of a line per refused message that would flood the log itself.
 */
import type { TransportLog } from './ws-server-types.ts';

export interface RefusalLog {
  /** A refusal: logged only when it is the first of its episode. */
  refused(detail: string): void;
  /** The condition cleared: logs how many were refused in the episode (if any), and re-arms. */
  cleared(): void;
  /** Refusals in the current episode. */
  count(): number;
}

export function createRefusalLog(log: TransportLog, what: string): RefusalLog {
  let count = 0;
  return {
    refused(detail) {
      if (count++ === 0)
        log('warn', `ws: ${what}: ${detail} (further refusals are counted, not logged)`);
    },
    cleared() {
      if (count > 0) log('info', `ws: ${what}: ${count} refused in all`);
      count = 0;
    },
    count: () => count,
  };
}
