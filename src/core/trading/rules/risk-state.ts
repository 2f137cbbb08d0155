/**
 * The risk rules' memory: high-water marks and attached stop/target per open position, the
 * equity peak, cooldowns per pair and the kill switch. Plain JSON-able data, so the engine
 * journals a snapshot when it changes and restores the very same state after a restart; the
 * backtester keeps one in memory. The transitions below mutate the state in place (the hot
 * path allocates nothing) and report whether anything persisted changed.
 */
import { z } from 'zod';
import { BotDeskError } from '../../api/errors.ts';
import { KillSwitchTrip, type RiskConfig } from '../../api/schemas.ts';
import { cooldownAfterTrade, cooldownMinutesFor } from './cooldown.ts';
import { drawdownOf, killSwitchTrip, reachesDrawdown } from './drawdown.ts';
import { nextHighWater, openExitState, type CandleLike } from './exits.ts';

const PositionRisk = z.object({
  highWater: z.number(),
  /** The entry fill's time: tells this position from an earlier one on the same pair (absent until it fills). */
  entryTs: z.number().optional(),
  stop: z.number().optional(),
  target: z.number().optional(),
});

export const RiskStateSchema = z.object({
  version: z.literal(1),
  equityPeak: z.number().nullable(),
  /** The paper starting balance the peak was measured with (a changed balance is not a loss). */
  startingBalance: z.number().optional(),
  positions: z.record(z.string(), PositionRisk),
  cooldowns: z.record(z.string(), z.number()),
  killSwitch: KillSwitchTrip.nullable(),
});
export type RiskState = z.infer<typeof RiskStateSchema>;

export function emptyRiskState(): RiskState {
  return { version: 1, equityPeak: null, positions: {}, cooldowns: {}, killSwitch: null };
}

/** A journaled snapshot back into state; a damaged one is an error, never a silent reset (it may hold a tripped kill switch). */
export function parseRiskState(value: unknown): RiskState {
  const r = RiskStateSchema.safeParse(value);
  if (!r.success) {
    throw new BotDeskError(
      'JOURNAL_ERROR',
      `the journaled risk state is damaged: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return r.data;
}

/** A position was opened: its high-water mark starts at the entry price. */
export function onEntry(
  state: RiskState,
  symbol: string,
  entryPrice: number,
  entryTs: number,
  stop?: number,
  target?: number,
): void {
  const s = openExitState(entryPrice, stop, target);
  state.positions[symbol] = {
    highWater: s.highWater,
    entryTs,
    ...(stop !== undefined ? { stop } : {}),
    ...(target !== undefined ? { target } : {}),
  };
}

/** A candle passed without closing the position: raise its high-water mark. Returns true when it rose. */
export function onCandle(state: RiskState, symbol: string, candle: CandleLike): boolean {
  const p = state.positions[symbol];
  if (p === undefined) return false;
  const hw = nextHighWater(p.highWater, candle);
  if (hw === p.highWater) return false;
  p.highWater = hw;
  return true;
}

/** A position was closed (by any rule or signal): forget it, start the pair's cooldown after a loss. */
export function onExit(
  state: RiskState,
  config: RiskConfig,
  symbol: string,
  closedAt: number,
  pnl: number,
): void {
  // Guarded: a delete is a slow runtime call even when there is nothing to delete.
  if (Object.hasOwn(state.positions, symbol)) delete state.positions[symbol];
  const until = cooldownAfterTrade(closedAt, pnl, cooldownMinutesFor(config, symbol));
  if (until !== undefined) state.cooldowns[symbol] = until;
}

/** Drop cooldowns that ended (keeps the snapshot small). Returns true when one was dropped. */
export function expireCooldowns(state: RiskState, now: number): boolean {
  let changed = false;
  for (const symbol in state.cooldowns) {
    if (now >= state.cooldowns[symbol]!) {
      delete state.cooldowns[symbol];
      changed = true;
    }
  }
  return changed;
}

/**
 * Track the equity peak; trips the kill switch when the drawdown reaches `maxDrawdown`.
 * Returns the trip when it happened on this call (null otherwise, also when already tripped).
 */
export function onEquity(
  state: RiskState,
  config: RiskConfig,
  at: number,
  equity: number,
): KillSwitchTrip | null {
  // Called every candle time: allocates only when the switch trips.
  const peak = state.equityPeak === null || equity > state.equityPeak ? equity : state.equityPeak;
  state.equityPeak = peak;
  const max = config.maxDrawdown;
  if (max === undefined || state.killSwitch !== null) return null;
  const drawdown = drawdownOf(peak, equity);
  if (!reachesDrawdown(drawdown, max)) return null;
  state.killSwitch = killSwitchTrip(at, equity, { peak, drawdown, tripped: true }, max);
  return state.killSwitch;
}

/**
 * The user acknowledged a tripped kill switch: trading may start again, and the drawdown is
 * measured from the equity at the restart (the old peak would trip the switch at once).
 */
export function acknowledgeKillSwitch(state: RiskState): KillSwitchTrip | null {
  const trip = state.killSwitch;
  state.killSwitch = null;
  if (trip !== null) state.equityPeak = null;
  return trip;
}
