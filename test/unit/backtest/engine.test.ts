/**
 * The backtester loop over the trading core: a small series where every trade, fee and
 * the final equity are worked out by hand; several pairs sharing one wallet and hitting
 * the max-open-positions limit; skipping idle candle times never changes a result; the
 * update() path trades exactly like the columnar one.
 */
import { describe, expect, it } from 'vitest';
import { END_OF_DATA, simulate, type SimSeries } from '../../../src/core/backtest/engine.ts';
import { runJob, type BacktestJob } from '../../../src/core/backtest/job.ts';
import { strategySignals } from '../../../src/core/backtest/signals.ts';
import { getBuiltinStrategy } from '../../../src/core/strategy/registry.ts';
import type { CandleColumns } from '../../../src/core/strategy/types.ts';
import { generatedSeries, toColumns } from '../../fixtures/strategies/generated.ts';

const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 1);

function columns(rows: Array<[open: number, close: number]>, t0 = T0): CandleColumns {
  return toColumns(
    rows.map(([open, close], i) => ({
      ts: t0 + i * MIN,
      open,
      high: Math.max(open, close),
      low: Math.min(open, close),
      close,
      volume: 1,
    })),
  );
}

/** 'E' enter, 'X' exit, '.' hold, one character per candle. */
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

const RISK = { stakeFraction: 0.5, maxOpenPositions: 1, maxDailyLoss: 1 };
const FILL = { feeRate: 0.01, slippageBps: 100 };

describe('a hand-checked series', () => {
  // Candle: 0       1        2        3        4        5       6
  // open:   100     100      110      120      120      100     90
  // close:  100     110      120      120      100      90      80
  // signal: enter   .        exit     .        enter    .       .
  const series: SimSeries[] = [
    {
      symbol: 'AAA/USDT',
      columns: columns([
        [100, 100],
        [100, 110],
        [110, 120],
        [120, 120],
        [120, 100],
        [100, 90],
        [90, 80],
      ]),
    },
  ];
  const sim = simulate({
    series,
    signals: [signals('E.X.E..')],
    timeframeMs: MIN,
    startingBalance: 1000,
    risk: RISK,
    fill: FILL,
  });

  it('enters at the next open plus slippage, sized from equity at the signal close, with the fee', () => {
    // Stake 1000 × 0.5 = 500 at the signal close 100 → 5 units; filled at 100 × 1.01 = 101:
    // cost 505, fee 5.05. Exit decided at candle 2's close, filled at candle 3's open
    // 120 × 0.99 = 118.8: proceeds 594, fee 5.94. PnL 594 − 505 − 10.99 = 78.01.
    const t = sim.trades[0]!;
    expect(t.symbol).toBe('AAA/USDT');
    expect(t.entryTs).toBe(T0 + 1 * MIN);
    expect(t.exitTs).toBe(T0 + 3 * MIN);
    expect(t.amount).toBeCloseTo(5, 10);
    expect(t.entryPrice).toBeCloseTo(101, 10);
    expect(t.exitPrice).toBeCloseTo(118.8, 10);
    expect(t.fees).toBeCloseTo(10.99, 10);
    expect(t.pnl).toBeCloseTo(78.01, 9);
    expect(t.pnlPct).toBeCloseTo((78.01 / 505) * 100, 9);
    expect(t.durationMs).toBe(2 * MIN);
    expect(t.exitReason).toBe('strategy exit');
  });

  it('the second trade is sized from the grown equity and is sold at the last close when the data ends', () => {
    // Cash after trade 1: 1000 − 510.05 + 588.06 = 1078.01. Stake 539.005 at close 100 →
    // 5.39005 units at 101: cost 544.39505, fee 5.4439505. At the end: sold at 80 × 0.99 =
    // 79.2: proceeds 426.89196, fee 4.2689196.
    const t = sim.trades[1]!;
    expect(sim.trades).toHaveLength(2);
    expect(t.amount).toBeCloseTo(5.39005, 10);
    expect(t.entryTs).toBe(T0 + 5 * MIN);
    expect(t.exitTs).toBe(T0 + 6 * MIN);
    expect(t.exitPrice).toBeCloseTo(79.2, 10);
    expect(t.fees).toBeCloseTo(5.4439505 + 4.2689196, 9);
    expect(t.pnl).toBeCloseTo(426.89196 - 544.39505 - 5.4439505 - 4.2689196, 9);
    expect(t.exitReason).toBe(END_OF_DATA);
  });

  it('final equity, fees and the equity curve', () => {
    const final = 1078.01 - 544.39505 - 5.4439505 + 426.89196 - 4.2689196;
    expect(sim.metrics.finalEquity).toBeCloseTo(final, 9);
    expect(sim.metrics.fees).toBeCloseTo(5.05 + 5.94 + 5.4439505 + 4.2689196, 9);
    expect(sim.metrics.totalReturnPct).toBeCloseTo((final / 1000 - 1) * 100, 9);
    expect(sim.metrics.trades).toBe(2);
    expect(sim.metrics.wins).toBe(1);
    const eq = sim.equity.map((p) => Number(p.equity.toFixed(6)));
    // Candle 0: nothing held; 1: 489.95 + 5 × 110; 2: + 5 × 120; 3: sold, 1078.01; 4: flat;
    // 5: 528.1709995 + 5.39005 × 90; 6: sold at the end.
    expect(eq).toEqual(
      [1000, 489.95 + 550, 489.95 + 600, 1078.01, 1078.01, 528.1709995 + 5.39005 * 90, final].map(
        (x) => Number(x.toFixed(6)),
      ),
    );
    expect(sim.times).toBe(7);
    expect(sim.metrics.exposurePct).toBeCloseTo((4 / 7) * 100, 9);
    // Buy and hold: open 100 → close 80.
    expect(sim.metrics.buyAndHoldPct).toBeCloseTo(-20, 9);
  });

  it('fee and slippage 0: the trade is the raw price move', () => {
    const free = simulate({
      series,
      signals: [signals('E.X....')],
      timeframeMs: MIN,
      startingBalance: 1000,
      risk: RISK,
      fill: { feeRate: 0, slippageBps: 0 },
    });
    expect(free.trades).toHaveLength(1);
    expect(free.trades[0]!.entryPrice).toBe(100);
    expect(free.trades[0]!.exitPrice).toBe(120);
    expect(free.trades[0]!.fees).toBe(0);
    expect(free.metrics.finalEquity).toBeCloseTo(1100, 10);
  });
});

describe('several pairs share one wallet and the max open positions', () => {
  const rows = (base: number): Array<[number, number]> =>
    Array.from({ length: 8 }, (_, i) => [base + i, base + i + 1]);
  const series: SimSeries[] = ['AAA/USDT', 'BBB/USDT', 'CCC/USDT'].map((symbol, k) => ({
    symbol,
    columns: columns(rows(10 * (k + 1))),
  }));
  // All three signal an entry on candle 0; AAA exits on candle 2, CCC enters again on candle 3.
  const sim = simulate({
    series,
    signals: [signals('E.X.....'), signals('E.......'), signals('E..E....')],
    timeframeMs: MIN,
    startingBalance: 3000,
    risk: { stakeFraction: 0.3, maxOpenPositions: 2, maxDailyLoss: 1 },
    fill: { feeRate: 0.001, slippageBps: 0 },
  });

  it('takes the first two entries, refuses the third, and takes it later when a slot frees up', () => {
    const bySymbol = (s: string) => sim.trades.filter((t) => t.symbol === s);
    expect(bySymbol('AAA/USDT')).toHaveLength(1);
    expect(bySymbol('AAA/USDT')[0]!.exitTs).toBe(T0 + 3 * MIN);
    // BBB is held to the end; CCC entered at candle 4's open after AAA's exit freed the slot.
    expect(bySymbol('BBB/USDT')[0]!.exitReason).toBe(END_OF_DATA);
    const ccc = bySymbol('CCC/USDT');
    expect(ccc).toHaveLength(1);
    expect(ccc[0]!.entryTs).toBe(T0 + 4 * MIN);
    expect(sim.warnings.join('\n')).toMatch(
      /1 entry signal\(s\) not taken: max open positions \(2\) reached$/m,
    );
  });

  it('one wallet: the second entry is sized from equity after the first is decided', () => {
    const aaa = sim.trades.find((t) => t.symbol === 'AAA/USDT')!;
    const bbb = sim.trades.find((t) => t.symbol === 'BBB/USDT')!;
    // 0.3 × 3000 = 900 each, at closes 11 and 21.
    expect(aaa.amount).toBeCloseTo(900 / 11, 6);
    expect(bbb.amount).toBeCloseTo(900 / 21, 6);
    expect(Object.keys(sim.metrics.perPair)).toEqual(['AAA/USDT', 'BBB/USDT', 'CCC/USDT']);
    expect(sim.metrics.perPair['CCC/USDT']!.trades).toBe(1);
  });
});

describe('skipping idle candle times', () => {
  it('gives the same trades and equity as stepping every candle (pairs with gaps and flat runs)', () => {
    const def = getBuiltinStrategy('sma-crossover')!;
    const series = [11, 12, 13].map((seed, k) => {
      const { candles } = generatedSeries(20_000, seed, 10 ** k);
      // Drop a different stretch from each pair, so candle times do not line up.
      const kept = candles.filter((_, i) => i % (500 + k * 97) > 7 + k);
      return { symbol: `P${k}/USDT`, columns: toColumns(kept) };
    });
    const sig = series.map((s) => strategySignals(def, { fast: 5, slow: 20 }, s.columns));
    const base = {
      series,
      signals: sig,
      timeframeMs: MIN,
      startingBalance: 10_000,
      risk: { stakeFraction: 0.3, maxOpenPositions: 2, maxDailyLoss: 0.02 },
      fill: { feeRate: 0.001, slippageBps: 5 },
      equityPoints: 100_000,
    };
    const fast = simulate(base);
    // A protective-exit rule that never fires makes the loop step every candle time.
    const slow = simulate({ ...base, exits: () => null });
    expect(fast.trades.length).toBeGreaterThan(100);
    expect(fast.trades).toEqual(slow.trades);
    expect(fast.equity).toEqual(slow.equity);
    expect(fast.metrics).toEqual(slow.metrics);
    // The daily loss limit did refuse entries, so day boundaries mattered.
    expect(fast.warnings.join('\n')).toMatch(/daily loss/);
  });
});

describe('update() and the columnar form trade alike', () => {
  it('same trades for every built-in on a generated series', () => {
    const { candles } = generatedSeries(15_000, 21);
    const job: BacktestJob = {
      strategyId: '',
      runs: [{}],
      series: [{ symbol: 'BTC/USDT', columns: toColumns(candles) }],
      timeframeMs: MIN,
      startingBalance: 10_000,
      risk: { stakeFraction: 0.2, maxOpenPositions: 1, maxDailyLoss: 0.05 },
      fill: { feeRate: 0.001, slippageBps: 5 },
      tradeFrom: candles[0]!.ts,
      splitTs: null,
      detail: true,
    };
    for (const id of [
      'sma-crossover',
      'ema-crossover',
      'rsi-reversion',
      'macd-cross',
      'bollinger-reversion',
      'bollinger-breakout',
      'donchian-breakout',
    ]) {
      const lookup = () => getBuiltinStrategy(id)!;
      const [col] = runJob({ ...job, strategyId: id }, lookup);
      const [upd] = runJob({ ...job, strategyId: id, forceUpdate: true }, lookup);
      expect(col!.detail!.trades.length, id).toBeGreaterThan(5);
      expect(upd!.detail!.trades, id).toEqual(col!.detail!.trades);
      expect(upd!.metrics, id).toEqual(col!.metrics);
    }
  });
});
