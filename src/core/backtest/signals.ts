/**
 * A strategy's signals over a whole series: its columnar form when it has one, else its
 * update() fed candle by candle (the path user strategies take). update() outputs are
 * checked as the live engine checks them; a strategy that throws fails the backtest
 * with the candle it threw on.
 */
import { BotDeskError, toErrorInfo } from '../api/errors.ts';
import type { Candle } from '../api/schemas.ts';
import { prepareStrategy } from '../strategy/definition.ts';
import type { CandleColumns, StrategyDefinition } from '../strategy/types.ts';
import type { SymbolSignals } from './engine.ts';

const CODES: Readonly<Record<string, number>> = { hold: 0, enter_long: 1, exit: 2 };

export interface SignalOptions {
  /** Use update() even when the strategy has a columnar form (benchmarks, parity checks). */
  forceUpdate?: boolean;
}

/** An attached stop or target: a positive price, as the live engine's worker checks it. */
function level(def: StrategyDefinition, ts: number, name: string, v: unknown): number {
  if (typeof v === 'number' && v > 0 && Number.isFinite(v)) return v;
  throw new BotDeskError(
    'STRATEGY_ERROR',
    `strategy '${def.id}' returned ${name} ${String(v)} on the candle of ${new Date(ts).toISOString()} (expected a price > 0 or nothing)`,
  );
}

export function strategySignals(
  def: StrategyDefinition,
  rawParams: unknown,
  columns: CandleColumns,
  opts: SignalOptions = {},
): SymbolSignals {
  const { instance, params } = prepareStrategy(def, rawParams);
  if (def.columnar !== undefined && opts.forceUpdate !== true) {
    const { action, strength } = def.columnar(params, columns, { indicators: false });
    return { action, strength };
  }
  const n = columns.ts.length;
  const action = new Uint8Array(n);
  const strength = new Float64Array(n);
  // Allocated at the first entry that attaches a level (most strategies never do).
  let stop: Float64Array | undefined;
  let target: Float64Array | undefined;
  const levels = () => new Float64Array(n).fill(Number.NaN);
  const candle: Candle = { ts: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
  const { ts, open, high, low, close, volume } = columns;
  for (let i = 0; i < n; i++) {
    candle.ts = ts[i]!;
    candle.open = open[i]!;
    candle.high = high[i]!;
    candle.low = low[i]!;
    candle.close = close[i]!;
    candle.volume = volume[i]!;
    let code: number | undefined;
    let s: number;
    let stopAt: unknown;
    let targetAt: unknown;
    try {
      const o = instance.update(candle);
      code = CODES[o.action as string];
      s = o.strength;
      stopAt = o.stop;
      targetAt = o.target;
    } catch (err) {
      throw new BotDeskError(
        'STRATEGY_ERROR',
        `strategy '${def.id}' threw on the candle of ${new Date(ts[i]!).toISOString()}: ${toErrorInfo(err).message}`,
      );
    }
    if (code === undefined || !(s >= 0 && s <= 1))
      throw new BotDeskError(
        'STRATEGY_ERROR',
        `strategy '${def.id}' returned an invalid signal on the candle of ${new Date(ts[i]!).toISOString()} (action must be enter_long, exit or hold; strength 0..1)`,
      );
    if (code !== 0) {
      action[i] = code;
      strength[i] = s;
      if (stopAt !== undefined && stopAt !== null)
        (stop ??= levels())[i] = level(def, ts[i]!, 'stop', stopAt);
      if (targetAt !== undefined && targetAt !== null)
        (target ??= levels())[i] = level(def, ts[i]!, 'target', targetAt);
    }
  }
  return { action, strength, ...(stop ? { stop } : {}), ...(target ? { target } : {}) };
}
