/**
 * The risk rules combined, as the trading core's step applies them to one candle time:
 * `protectiveExit` per open position (before signals), `reviewEntry` per entry signal
 * (kill switch → cooldown → sizing → exposure → exchange limits). Both are pure functions
 * of their inputs and the risk state; the live engine and the backtester call the same ones.
 */
import type { RiskConfig } from '../../api/schemas.ts';
import { cooldownBlocks } from './cooldown.ts';
import {
  checkExit,
  entryStopPrice,
  exitRulesFor,
  type CandleLike,
  type ExitHit,
  type ExitPosition,
  type ExitRules,
} from './exits.ts';
import { capByExposure, exposureLimitsFor } from './exposure.ts';
import { applyLimits, type MarketLimits } from './limits.ts';
import type { RiskState } from './risk-state.ts';
import { entryStake, type SizingInput } from './sizing.ts';

const resolved = new WeakMap<RiskConfig, Map<string, ExitRules>>();

/** `exitRulesFor`, resolved once per config object and symbol (the hot path allocates nothing). */
export function cachedExitRules(config: RiskConfig, symbol: string): ExitRules {
  let bySymbol = resolved.get(config);
  if (bySymbol === undefined) {
    bySymbol = new Map();
    resolved.set(config, bySymbol);
  }
  let rules = bySymbol.get(symbol);
  if (rules === undefined) {
    rules = exitRulesFor(config, symbol);
    bySymbol.set(symbol, rules);
  }
  return rules;
}

/**
 * Whether the rules must see every candle while a position is open (exits, or the equity
 * peak of the kill switch): a backtest may then not skip candle times that hold positions.
 */
export function rulesWatchEveryCandle(config: RiskConfig): boolean {
  const watches = (r: {
    stopLoss?: number | undefined;
    takeProfit?: number | undefined;
    trailingStop?: number | undefined;
    roi?: readonly unknown[] | undefined;
    maxHoldMinutes?: number | undefined;
  }) =>
    r.stopLoss !== undefined ||
    r.takeProfit !== undefined ||
    r.trailingStop !== undefined ||
    (r.roi?.length ?? 0) > 0 ||
    r.maxHoldMinutes !== undefined;
  if (config.maxDrawdown !== undefined || watches(config)) return true;
  return Object.values(config.pairs ?? {}).some(watches);
}

/** The protective exit this candle triggers for the open position on `symbol`, or null. */
export function protectiveExit(
  symbol: string,
  position: ExitPosition,
  candle: CandleLike,
  config: RiskConfig,
  state: RiskState,
): ExitHit | null {
  const s = state.positions[symbol] ?? { highWater: position.avgPrice };
  return checkExit(position, candle, cachedExitRules(config, symbol), s);
}

export interface EntryContext {
  /** Market time of the decision. */
  now: number;
  equity: number;
  cash: number;
  /** The price the entry is expected to fill at (the latest close). */
  price: number;
  /** Value held on the entry's symbol, and on all symbols together. */
  symbolValue: number;
  totalValue: number;
  feeRate: number;
  /** The symbol's exchange limits, when known. */
  limits?: MarketLimits | undefined;
}

export interface EntrySignal {
  symbol: string;
  stop?: number | undefined;
  target?: number | undefined;
}

export type EntryRule =
  | 'kill_switch'
  | 'cooldown'
  | 'sizing'
  | 'max_exposure_symbol'
  | 'max_exposure_total'
  | 'min_amount'
  | 'min_cost'
  | 'invalid_stop';

export type EntryDecision =
  | {
      ok: true;
      /** Base amount, on the exchange's amount step when the limits are known. */
      amount: number;
      quote: number;
      /** The stop the position will have (config or signal), for the record. */
      stopPrice: number | undefined;
      /** How the stake was trimmed (cash, exposure), for the journal. */
      notes: readonly string[];
    }
  | { ok: false; rule: EntryRule; reason: string };

/** The notes of an entry nothing trimmed (most of them): shared, not a new array each. */
const NO_NOTES: readonly string[] = Object.freeze([]);

/** Reused by every review: `entryStake` reads it and keeps nothing. */
const sizingInput: SizingInput = { equity: 0, cash: 0, price: 0, stopPrice: undefined, feeRate: 0 };

/** Size an entry and check every entry rule; a refusal names the rule. */
export function reviewEntry(
  signal: EntrySignal,
  ctx: EntryContext,
  config: RiskConfig,
  state: RiskState,
): EntryDecision {
  if (state.killSwitch !== null) {
    return { ok: false, rule: 'kill_switch', reason: state.killSwitch.message };
  }
  const cooling = cooldownBlocks(state.cooldowns[signal.symbol], ctx.now);
  if (cooling !== null) return { ok: false, rule: 'cooldown', reason: cooling };
  if (signal.stop !== undefined && !(signal.stop < ctx.price)) {
    return {
      ok: false,
      rule: 'invalid_stop',
      reason: `the signal's stop ${signal.stop} is not below the price ${ctx.price}`,
    };
  }
  const rules = cachedExitRules(config, signal.symbol);
  const stopPrice = entryStopPrice(ctx.price, rules, signal.stop);
  const input = sizingInput;
  input.equity = ctx.equity;
  input.cash = ctx.cash;
  input.price = ctx.price;
  input.stopPrice = stopPrice;
  input.feeRate = ctx.feeRate;
  const stake = entryStake(config, input);
  if (!stake.ok) return { ok: false, rule: 'sizing', reason: stake.reason };
  let notes: string[] | undefined;
  if (stake.cappedByCash) notes = ['stake capped by the cash left'];
  let quote = stake.quote;
  // Without exposure limits nothing is trimmed or refused (capByExposure's answer).
  if (
    config.maxTotalExposure !== undefined ||
    (config.pairs?.[signal.symbol]?.maxExposurePerSymbol ?? config.maxExposurePerSymbol) !==
      undefined
  ) {
    const exposure = capByExposure(quote, exposureLimitsFor(config, signal.symbol), {
      equity: ctx.equity,
      symbolValue: ctx.symbolValue,
      totalValue: ctx.totalValue,
    });
    if (!exposure.ok) return { ok: false, rule: exposure.rule, reason: exposure.reason };
    if (exposure.trimmedBy !== null) (notes ??= []).push(`stake trimmed by ${exposure.trimmedBy}`);
    quote = exposure.quote;
  }
  let amount = quote / ctx.price;
  if (ctx.limits !== undefined) {
    const fit = applyLimits(amount, ctx.price, ctx.limits);
    if (!fit.ok) return { ok: false, rule: fit.rule, reason: fit.reason };
    amount = fit.amount;
  }
  return { ok: true, amount, quote: amount * ctx.price, stopPrice, notes: notes ?? NO_NOTES };
}
