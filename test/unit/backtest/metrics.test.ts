/** Metrics on small hand-checked trades and equity curves. */
import { describe, expect, it } from 'vitest';
import type { BacktestTrade } from '../../../src/core/api/backtest.ts';
import {
  computeMetrics,
  EquityStats,
  maxDrawdown,
  riskRatios,
  tradeStats,
} from '../../../src/core/backtest/metrics.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const YEAR = 365 * DAY;

function trade(symbol: string, pnl: number, pnlPct: number, fees = 1): BacktestTrade {
  return {
    symbol,
    entryTs: 0,
    exitTs: MIN,
    entryPrice: 1,
    exitPrice: 1,
    amount: 1,
    fees,
    pnl,
    pnlPct,
    durationMs: MIN,
    exitReason: 'signal',
  };
}

describe('maxDrawdown', () => {
  it('deepest fall from the running peak, in % and quote, and the longest time under a peak', () => {
    // Peak 1100 at 1 min, trough 990 at 2 min (-110, -10 %), back above at 4 min.
    const dd = maxDrawdown({
      ts: [0, MIN, 2 * MIN, 3 * MIN, 4 * MIN],
      equity: [1000, 1100, 990, 1050, 1200],
    });
    expect(dd.quote).toBeCloseTo(110, 9);
    expect(dd.pct).toBeCloseTo(10, 9);
    expect(dd.durationMs).toBe(2 * MIN);
  });

  it('the largest % fall and the largest quote fall may come from different peaks', () => {
    // 100 → 50 is -50 % (-50); 1000 → 800 is -20 % (-200); still under 1000 at the end.
    const dd = maxDrawdown({
      ts: [0, 1, 2, 3, 4],
      equity: [100, 50, 1000, 800, 900],
    });
    expect(dd.pct).toBeCloseTo(50, 9);
    expect(dd.quote).toBeCloseTo(200, 9);
    expect(dd.durationMs).toBe(2);
  });

  it('a rising curve has no drawdown', () => {
    expect(maxDrawdown({ ts: [0, 1, 2], equity: [1, 2, 2] })).toEqual({
      pct: 0,
      quote: 0,
      durationMs: 0,
    });
  });
});

describe('riskRatios', () => {
  it('Sharpe and Sortino from per-candle returns, annualised by candles per year', () => {
    // Returns +10 %, -10 %, +10 %, -10 % on daily candles.
    const equity = [100, 110, 99, 108.9, 98.01];
    const r = riskRatios({ ts: [0, 1, 2, 3, 4].map((d) => d * DAY), equity }, DAY);
    // mean 0, so both ratios are 0.
    expect(r.sharpe).toBeCloseTo(0, 12);
    expect(r.sortino).toBeCloseTo(0, 12);
    // +2 %, +1 %, +3 %: mean 2 %, sample sd 1 %, no losing candle.
    const up = [100, 102, 103.02, 106.1106];
    const u = riskRatios({ ts: [0, 1, 2, 3].map((d) => d * DAY), equity: up }, DAY);
    expect(u.sharpe).toBeCloseTo((0.02 / 0.01) * Math.sqrt(365), 6);
    expect(u.sortino).toBeNull();
  });

  it('a flat curve has no Sharpe (no variance)', () => {
    expect(riskRatios({ ts: [0, 1, 2, 3], equity: [5, 5, 5, 5] }, 1).sharpe).toBeNull();
  });
});

describe('tradeStats', () => {
  it('win rate, profit factor, expectancy, average, best and worst trade', () => {
    const s = tradeStats([trade('A', 50, 5), trade('A', -20, -2), trade('B', 30, 3)]);
    expect(s.trades).toBe(3);
    expect(s.wins).toBe(2);
    expect(s.winRatePct).toBeCloseTo(200 / 3, 9);
    expect(s.profitFactor).toBeCloseTo(4, 12);
    expect(s.expectancy).toBeCloseTo(20, 12);
    expect(s.avgTradePct).toBeCloseTo(2, 12);
    expect(s.bestTradePct).toBe(5);
    expect(s.worstTradePct).toBe(-2);
    expect(s.pnl).toBe(60);
    expect(s.fees).toBe(3);
  });

  it('no trades: nulls, never NaN; no losing trade: profit factor null', () => {
    const none = tradeStats([]);
    expect(none.winRatePct).toBeNull();
    expect(none.expectancy).toBeNull();
    expect(tradeStats([trade('A', 5, 1)]).profitFactor).toBeNull();
  });
});

describe('computeMetrics', () => {
  it('overall and per pair, with buy-and-hold and exposure', () => {
    const ts = [0, 1, 2, 3].map((d) => d * DAY);
    const m = computeMetrics({
      initialBalance: 1000,
      trades: [trade('A/USDT', 50, 5), trade('B/USDT', -20, -2)],
      curve: { ts, equity: [1000, 1050, 1010, 1030] },
      timeframeMs: DAY,
      exposedSamples: 3,
      exposedByPair: new Map([
        ['A/USDT', 2],
        ['B/USDT', 1],
      ]),
      prices: [
        { symbol: 'A/USDT', firstOpen: 10, lastClose: 12 },
        { symbol: 'B/USDT', firstOpen: 100, lastClose: 90 },
      ],
    });
    expect(m.finalEquity).toBe(1030);
    expect(m.totalReturnPct).toBeCloseTo(3, 9);
    // Four daily candles span four days.
    expect(m.cagrPct).toBeCloseTo((1.03 ** (YEAR / (4 * DAY)) - 1) * 100, 6);
    expect(m.maxDrawdownQuote).toBeCloseTo(40, 9);
    expect(m.maxDrawdownPct).toBeCloseTo((40 / 1050) * 100, 9);
    expect(m.calmar).toBeCloseTo(m.cagrPct! / m.maxDrawdownPct, 9);
    expect(m.exposurePct).toBe(75);
    // (+20 % + -10 %) / 2
    expect(m.buyAndHoldPct).toBeCloseTo(5, 9);
    expect(m.perPair['A/USDT']).toMatchObject({
      trades: 1,
      pnl: 50,
      returnPct: 5,
      exposurePct: 50,
    });
    expect(m.perPair['A/USDT']!.buyAndHoldPct).toBeCloseTo(20, 9);
    expect(m.perPair['B/USDT']).toMatchObject({ trades: 1, pnl: -20, returnPct: -2 });
    expect(m.perPair['B/USDT']!.buyAndHoldPct).toBeCloseTo(-10, 9);
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });

  it('a run of a few minutes has no CAGR (it would overflow), not Infinity', () => {
    const m = computeMetrics({
      initialBalance: 100,
      trades: [],
      curve: { ts: [0, MIN], equity: [100, 150] },
      timeframeMs: MIN,
      exposedSamples: 0,
      prices: [],
    });
    expect(m.cagrPct).toBeNull();
    expect(m.calmar).toBeNull();
  });
});

describe('EquityStats', () => {
  it('a flat stretch added at once equals the same samples added one by one', () => {
    const one = new EquityStats();
    const flat = new EquityStats();
    const curve = [100, 120, 90, 90, 90, 90, 130, 130, 125];
    curve.forEach((e, i) => one.add(i * MIN, e));
    [100, 120].forEach((e, i) => flat.add(i * MIN, e));
    flat.addFlat(2 * MIN, 5 * MIN, 90, 4);
    flat.addFlat(6 * MIN, 7 * MIN, 130, 2);
    flat.add(8 * MIN, 125);
    expect(flat.drawdown()).toEqual(one.drawdown());
    expect(flat.ratios(MIN)).toEqual(one.ratios(MIN));
    expect([flat.samples, flat.last, flat.lastTs]).toEqual([9, 125, 8 * MIN]);
    // 120 → 90: -25 %, 30 quote, under water from 1 to 5 min.
    expect(one.drawdown()).toEqual({ pct: 25, quote: 30, durationMs: 4 * MIN });
  });

  it('a held position sampled at once equals the same samples added one by one', () => {
    const n = 500;
    const ts = new Float64Array(n);
    const close = new Float64Array(n);
    let p = 100;
    for (let i = 0; i < n; i++) {
      ts[i] = i * MIN;
      // Rises, falls, flat runs and repeats.
      p = i % 7 === 0 ? p : p * (1 + Math.sin(i / 9) * 0.01);
      close[i] = p;
    }
    for (const [from, to, pre] of [
      [0, n, false],
      [10, 400, true],
      [5, 6, true],
      [7, 7, true],
    ] as const) {
      const one = new EquityStats();
      const bulk = new EquityStats();
      if (pre) for (const s of [one, bulk]) s.add(-MIN, 5_000);
      for (let i = from; i < to; i++) one.add(ts[i]!, 1_000 + 37.5 * close[i]!);
      bulk.addHolding(ts, close, from, to, 1_000, 37.5);
      expect([bulk.drawdown(), bulk.ratios(MIN), bulk.samples, bulk.last, bulk.lastTs]).toEqual([
        one.drawdown(),
        one.ratios(MIN),
        one.samples,
        one.last,
        one.lastTs,
      ]);
    }
  });
});
