/**
 * The risk rules in the backtester: the same RiskBook the bot trades with, stepped on every
 * candle a position is open (never skipped), stops filled inside the crossing candle, the
 * entry's own stop from update(), and the kill switch ending the trading at its candle.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RiskConfig } from '../../../src/core/api/schemas.ts';
import { simulate, type SimSeries } from '../../../src/core/backtest/engine.ts';
import { strategySignals } from '../../../src/core/backtest/signals.ts';
import { defineStrategy } from '../../../src/core/strategy/definition.ts';
import type { CandleColumns, StrategyDefinition } from '../../../src/core/strategy/types.ts';

const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 1);

/** [open, high, low, close] per candle, one minute apart. */
function columns(rows: Array<[number, number, number, number]>): CandleColumns {
  const n = rows.length;
  const c: CandleColumns = {
    ts: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  rows.forEach(([o, h, l, cl], i) => {
    c.ts[i] = T0 + i * MIN;
    c.open[i] = o;
    c.high[i] = h;
    c.low[i] = l;
    c.close[i] = cl;
    c.volume[i] = 1;
  });
  return c;
}

/** 'E' enter, 'X' exit, '.' hold. */
function signals(pattern: string) {
  const action = new Uint8Array(pattern.length);
  const strength = new Float64Array(pattern.length);
  [...pattern].forEach((ch, i) => {
    if (ch === 'E') action[i] = 1;
    if (ch === 'X') action[i] = 2;
    if (ch !== '.') strength[i] = 1;
  });
  return { action, strength };
}

const FILL = { feeRate: 0, slippageBps: 0 };
const flat = (n: number) =>
  Array.from({ length: n }, () => [100, 100, 100, 100] as [number, number, number, number]);

function run(
  rows: Array<[number, number, number, number]>,
  pattern: string,
  risk: object,
  extra = {},
) {
  const series: SimSeries[] = [{ symbol: 'AAA/USDT', columns: columns(rows) }];
  return simulate({
    series,
    signals: [{ ...signals(pattern), ...extra }],
    timeframeMs: MIN,
    startingBalance: 1000,
    risk: RiskConfig.parse({ stakeFraction: 0.5, maxOpenPositions: 1, maxDailyLoss: 1, ...risk }),
    fill: FILL,
  });
}

describe('risk rules in the backtester', () => {
  it('a stop-loss fills inside the candle that crosses it, though no signal comes for many candles', () => {
    const rows = [...flat(30), [100, 100, 90, 92] as [number, number, number, number], ...flat(10)];
    const r = run(rows, 'E' + '.'.repeat(40), { stopLoss: 0.05 });
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]).toMatchObject({ exitPrice: 95, exitTs: T0 + 30 * MIN });
    expect(r.trades[0]!.exitReason).toMatch(/^stop_loss at 95 /);
  });

  it('a take-profit and a trailing stop name their rules', () => {
    const up = [
      ...flat(2),
      [100, 111, 100, 110],
      [110, 130, 110, 128],
      [128, 128, 120, 121],
      ...flat(3),
    ] as Array<[number, number, number, number]>;
    expect(run(up, 'E.......', { takeProfit: 0.1 }).trades[0]!.exitReason).toMatch(
      /^take_profit at 110 /,
    );
    const t = run(up, 'E.......', { trailingStop: 0.05 }).trades[0]!;
    expect(t.exitReason).toMatch(/^trailing_stop at 123\.5 /);
    expect(t.exitTs).toBe(T0 + 4 * MIN);
  });

  it("an entry's own stop from update() is enforced as live", () => {
    const def = defineStrategy({
      id: 'stopper',
      name: 'stopper',
      description: '',
      params: z.object({}),
      indicators: [],
      warmup: () => 0,
      create: () => {
        let i = 0;
        return {
          update: (c) =>
            i++ === 0
              ? { action: 'enter_long', strength: 1, indicators: {}, stop: c.close * 0.98 }
              : { action: 'hold', strength: 0, indicators: {} },
        };
      },
    }) as StrategyDefinition;
    const rows = [...flat(3), [100, 100, 97, 99], ...flat(2)] as Array<
      [number, number, number, number]
    >;
    const sig = strategySignals(def, {}, columns(rows));
    expect(sig.stop?.[0]).toBe(98);
    const r = simulate({
      series: [{ symbol: 'AAA/USDT', columns: columns(rows) }],
      signals: [sig],
      timeframeMs: MIN,
      startingBalance: 1000,
      risk: RiskConfig.parse({ stakeFraction: 0.5, maxOpenPositions: 1, maxDailyLoss: 1 }),
      fill: FILL,
    });
    expect(r.trades[0]!.exitReason).toMatch(/^stop_loss at 98 /);
  });

  it('the kill switch closes at its candle and ends the trading, with a warning', () => {
    // all in at 100, then 4 % lower per candle: 12 % below the peak after three
    const rows = [
      ...flat(2),
      ...[96, 92, 88, 84, 80].map((p) => [p, p, p, p] as [number, number, number, number]),
      ...flat(5),
    ];
    const r = run(rows, 'E...........', { stakeFraction: 1, maxDrawdown: 0.1 });
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]!.exitReason).toMatch(/^kill_switch: drawdown/);
    expect(r.trades[0]!.exitTs).toBe(T0 + 4 * MIN);
    expect(r.warnings[0]).toMatch(/^kill_switch: .*; trading stopped there$/);
    // the entry signal on candle 8 is never taken
    const again = run(rows, 'E.......E...', { stakeFraction: 1, maxDrawdown: 0.1 });
    expect(again.trades).toHaveLength(1);
  });
});
