/**
 * Cooldown after a losing trade: no new entry on that pair until the cooldown ends. The end
 * time is kept in the risk state (so it survives a restart) and measured in market time.
 */
import type { RiskConfig } from '../../api/schemas.ts';

const MINUTE_MS = 60_000;

export function cooldownMinutesFor(config: RiskConfig, symbol: string): number | undefined {
  return config.pairs?.[symbol]?.cooldownMinutes ?? config.cooldownMinutes;
}

/**
 * When the pair may enter again after a trade closed at `closedAt` with `pnl` (net of fees),
 * or undefined when the trade did not lose or no cooldown is configured.
 */
export function cooldownAfterTrade(
  closedAt: number,
  pnl: number,
  minutes: number | undefined,
): number | undefined {
  if (minutes === undefined || minutes <= 0 || !(pnl < 0)) return undefined;
  return closedAt + minutes * MINUTE_MS;
}

/** The refusal reason while `now` is before `until`, else null. */
export function cooldownBlocks(until: number | undefined, now: number): string | null {
  if (until === undefined || now >= until) return null;
  const left = Math.ceil((until - now) / MINUTE_MS);
  return `cooldown: a losing trade closed on this pair, entries resume in ${left} min (${new Date(until).toISOString()})`;
}
