/**
 * Protective exits of a long position: stop-loss, take-profit, trailing stop (with an
 * activation offset), a ROI table by holding time (Freqtrade's `minimal_roi`) and a maximum
 * holding time. Pure and synchronous; the live engine calls it on every candle of its feed
 * (on an exchange feed also on the forming candle, between closes) and the backtester on
 * every candle it replays, so both close positions identically.
 *
 * A candle is walked open → low → high → close (the adverse extreme first):
 * 1. at the open, a price already through a level fills at the open (a gap): stops first,
 *    then the maximum holding time, then targets;
 * 2. open → low: a stop (stop-loss, the entry's own stop, or the trailing stop from the
 *    highest price so far) fills at its level — so when a candle crosses both a stop and a
 *    target, the stop is assumed to have come first;
 * 3. low → high: a target (take-profit, the entry's own target, the ROI step of the
 *    holding time at the candle's open) fills at its level;
 * 4. high → close: the trailing stop, raised by this candle's high, fills at its level when
 *    the close is at or below it.
 * A live price update is the degenerate candle open = high = low = close = price.
 * The returned price is where the rule triggered; slippage and fees are the fill model's.
 */
import type { RiskConfig, RoiStep } from '../../api/schemas.ts';

/** Why a position was closed; order reasons start with it. */
export const EXIT_REASONS = [
  'stop_loss',
  'take_profit',
  'trailing_stop',
  'roi',
  'max_hold',
  'kill_switch',
  'strategy_exit',
  'stop_behavior',
] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

const MINUTE_MS = 60_000;

/** The exit rules of one pair, resolved once from the bot's config and the pair's override. */
export interface ExitRules {
  stopLoss: number | undefined;
  takeProfit: number | undefined;
  trailingStop: number | undefined;
  trailingActivation: number;
  /** Sorted by `afterMs`, descending: the first step whose time has come applies. */
  roi: readonly { afterMs: number; minReturn: number }[];
  maxHoldMs: number | undefined;
}

export const NO_EXIT_RULES: ExitRules = {
  stopLoss: undefined,
  takeProfit: undefined,
  trailingStop: undefined,
  trailingActivation: 0,
  roi: [],
  maxHoldMs: undefined,
};

function roiSteps(steps: readonly RoiStep[] | undefined): ExitRules['roi'] {
  return (steps ?? [])
    .map((s) => ({ afterMs: s.afterMinutes * MINUTE_MS, minReturn: s.minReturn }))
    .sort((a, b) => b.afterMs - a.afterMs);
}

/** The pair's override wins field by field over the bot's rules. */
export function exitRulesFor(config: RiskConfig, symbol: string): ExitRules {
  const r = { ...config, ...config.pairs?.[symbol] };
  return {
    stopLoss: r.stopLoss,
    takeProfit: r.takeProfit,
    trailingStop: r.trailingStop,
    trailingActivation: r.trailingActivation ?? 0,
    roi: roiSteps(r.roi),
    maxHoldMs: r.maxHoldMinutes === undefined ? undefined : r.maxHoldMinutes * MINUTE_MS,
  };
}

/** What the exit rules need of a position (the Account's position has these fields). */
export interface ExitPosition {
  avgPrice: number;
  /** When the position was opened (the entry fill's time). */
  entryTs: number;
}

/** What the exit rules remember about one open position between candles. */
export interface ExitState {
  /** Highest price since entry (the trailing stop's reference). */
  highWater: number;
  /** The entry signal's own stop and target prices, when it attached them. */
  stop?: number | undefined;
  target?: number | undefined;
}

export interface CandleLike {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

export interface ExitHit {
  reason: ExitReason;
  /** The price the exit fills at before slippage: the rule's level, or the open on a gap. */
  price: number;
  /** The rule's level that was crossed. */
  level: number;
}

/** The minimum return the ROI table asks for after `heldMs`, or undefined before its first step. */
export function roiTarget(roi: ExitRules['roi'], heldMs: number): number | undefined {
  for (const step of roi) if (heldMs >= step.afterMs) return step.minReturn;
  return undefined;
}

function trailingLevel(entry: number, highWater: number, rules: ExitRules): number {
  const t = rules.trailingStop;
  if (t === undefined || highWater < entry * (1 + rules.trailingActivation)) return -Infinity;
  return highWater * (1 - t);
}

/**
 * The exit this candle triggers for a long position, or null. Does not change `state`:
 * when it returns null the caller raises the high-water mark with `nextHighWater`.
 * Called for every open position on every candle: it allocates only the hit it returns.
 */
export function checkExit(
  position: ExitPosition,
  candle: CandleLike,
  rules: ExitRules,
  state: ExitState,
): ExitHit | null {
  const entry = position.avgPrice;
  const heldMs = Math.max(0, candle.ts - position.entryTs);
  const { open } = candle;
  const atOpen = Math.max(state.highWater, open);

  // The highest adverse level and its rule; ties go to the fixed stop.
  let stop = rules.stopLoss === undefined ? -Infinity : entry * (1 - rules.stopLoss);
  if (state.stop !== undefined && state.stop > stop) stop = state.stop;
  let stopRule: ExitReason = 'stop_loss';
  const trailing = trailingLevel(entry, atOpen, rules);
  if (trailing > stop) {
    stop = trailing;
    stopRule = 'trailing_stop';
  }
  if (open <= stop) return { reason: stopRule, price: open, level: stop };
  if (rules.maxHoldMs !== undefined && heldMs >= rules.maxHoldMs) {
    return { reason: 'max_hold', price: open, level: open };
  }

  // The lowest favourable level and its rule; ties go to the take-profit.
  let target = rules.takeProfit === undefined ? Infinity : entry * (1 + rules.takeProfit);
  if (state.target !== undefined && state.target < target) target = state.target;
  let targetRule: ExitReason = 'take_profit';
  const roi = roiTarget(rules.roi, heldMs);
  if (roi !== undefined && entry * (1 + roi) < target) {
    target = entry * (1 + roi);
    targetRule = 'roi';
  }
  if (open >= target) return { reason: targetRule, price: open, level: target };
  if (candle.low <= stop) return { reason: stopRule, price: stop, level: stop };
  if (candle.high >= target) return { reason: targetRule, price: target, level: target };
  const raised = trailingLevel(entry, Math.max(atOpen, candle.high), rules);
  if (candle.close <= raised) return { reason: 'trailing_stop', price: raised, level: raised };
  return null;
}

/** The high-water mark after a candle that did not close the position. */
export function nextHighWater(highWater: number, candle: CandleLike): number {
  return candle.high > highWater ? candle.high : highWater;
}

/** A new position's exit state: the high-water mark starts at the entry price. */
export function openExitState(entryPrice: number, stop?: number, target?: number): ExitState {
  return { highWater: entryPrice, stop, target };
}

/** The effective stop price of an entry at `price` (for sizing by risk), or undefined. */
export function entryStopPrice(
  price: number,
  rules: ExitRules,
  attachedStop: number | undefined,
): number | undefined {
  const fixed = rules.stopLoss === undefined ? undefined : price * (1 - rules.stopLoss);
  if (attachedStop === undefined) return fixed;
  return fixed === undefined ? attachedStop : Math.max(fixed, attachedStop);
}

/** A short text for logs and order reasons: "stop_loss at 95.00 (level 95.00)". */
export function describeExit(hit: ExitHit, entry: number): string {
  const change = ((hit.price - entry) / entry) * 100;
  const sign = change >= 0 ? '+' : '';
  const gap = hit.price !== hit.level ? `, gapped through ${fmt(hit.level)}` : '';
  return `${hit.reason} at ${fmt(hit.price)} (${sign}${change.toFixed(2)}% from entry ${fmt(entry)}${gap})`;
}

function fmt(n: number): string {
  return Number.isFinite(n) ? String(Number(n.toPrecision(10))) : String(n);
}
