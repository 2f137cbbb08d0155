/** Health of a source that needs no connection (simulated market, file replay). */
import type { SourceHealth } from './types.ts';

export function offlineHealth(
  lastUpdateAt: number | null,
  warning: string | null = null,
  gapsFilled = 0,
): SourceHealth {
  return {
    connected: true,
    lastUpdateAt,
    retries: 0,
    stale: false,
    lastError: null,
    warning,
    gapsFilled,
  };
}
