/**
 * The single-pair loop (backtest/fast.ts) against the general loop over the trading core
 * (the reference): the same trades, equity curve, metrics and warnings, to the bit, on
 * long simulated-market output (200,000 one-minute candles of BTC and of a coin priced
 * near 0.0016, with gaps punched in and the market's own flat minutes), over strategies,
 * fees, sizing, cooldowns, exposure caps, daily-loss limits, market rules and trade
 * windows; and each configuration takes the loop it should.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RiskConfig } from '../../../src/core/api/schemas.ts';
import { toColumns } from '../../../src/core/backtest/data.ts';
import { simulate, type SimulationInput } from '../../../src/core/backtest/engine.ts';
import { singlePairBlocker } from '../../../src/core/backtest/fast.ts';
import { strategySignals } from '../../../src/core/backtest/signals.ts';
import { writeSimFile } from '../../../src/core/market/sim-export.ts';
import { getBuiltinStrategy } from '../../../src/core/strategy/registry.ts';
import type { CandleColumns } from '../../../src/core/strategy/types.ts';
import { rulesTable } from '../../../src/core/trading/market-rules.ts';

type Row = [number, number, number, number, number, number];
const MINUTE = 60_000;
const CANDLES = 200_000;

let dir: string;
const columns = new Map<string, CandleColumns>();

/** Deterministic gaps of `length` candles every `every` candles. */
function punchGaps(rows: Row[], every: number, length: number): Row[] {
  return rows.filter((_, i) => i < every || i % every >= length);
}

/** Every `every` candles, `length` candles turned flat at the previous close (a filled gap). */
function flatten(rows: Row[], every: number, length: number): Row[] {
  return rows.map((r, i) => {
    if (i < every || i % every >= length) return r;
    const c = rows[i - (i % every) - 1]![4];
    return [r[0], c, c, c, c, 0];
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'botdesk-fastpath-'));
  const out = path.join(dir, 'sim.json');
  await writeSimFile({
    symbols: ['BTC/USDT', 'SMALL/USDT'],
    timeframe: '1m',
    candles: CANDLES,
    end: Date.UTC(2026, 5, 1),
    seed: 11,
    out,
    profiles: {
      'SMALL/USDT': { price: 0.0015882, tickSize: 0.0000001, volatility: 1.5, tradesPerMinute: 3 },
    },
  });
  const parsed = JSON.parse(readFileSync(out, 'utf8')) as Record<string, Row[]>;
  for (const [symbol, every, length] of [
    ['BTC/USDT', 3_001, 4],
    ['SMALL/USDT', 2_003, 90],
  ] as const) {
    const rows = punchGaps(flatten(parsed[symbol]!, 5_003, 40), every, length);
    columns.set(
      symbol,
      toColumns(
        rows.map(([ts, open, high, low, close, volume]) => ({
          ts,
          open,
          high,
          low,
          close,
          volume,
        })),
      ),
    );
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASE_RISK: RiskConfig = { stakeFraction: 0.5, maxOpenPositions: 1, maxDailyLoss: 0.05 };

interface Case {
  name: string;
  symbol: string;
  strategy: string;
  params?: Record<string, unknown>;
  risk?: Partial<RiskConfig>;
  fill?: { feeRate: number; slippageBps: number };
  balance?: number;
  rules?: SimulationInput['rules'];
  /** Trade only inside this fraction of the candles (warm-up before it, a cut after it). */
  window?: [number, number];
  /** At least this many trades, so the comparison covers entries and exits. */
  minTrades: number;
}

const CASES: Case[] = [
  {
    name: 'SMA(10,30) on BTC, fees and slippage',
    symbol: 'BTC/USDT',
    strategy: 'sma-crossover',
    minTrades: 2_000,
  },
  {
    name: 'EMA crossover on BTC, no fee, no slippage, all-in stakes (refused for balance)',
    symbol: 'BTC/USDT',
    strategy: 'ema-crossover',
    fill: { feeRate: 0, slippageBps: 0 },
    risk: { stakeFraction: 1 },
    minTrades: 1_000,
  },
  {
    name: 'RSI on BTC (entries while in a position), cooldown, exposure cap, tight daily loss, a window',
    symbol: 'BTC/USDT',
    strategy: 'rsi-reversion',
    params: { period: 7 },
    risk: {
      stakeFraction: 0.8,
      maxDailyLoss: 0.004,
      cooldownMinutes: 30,
      maxExposurePerSymbol: 0.6,
    },
    window: [0.1, 0.85],
    minTrades: 300,
  },
  {
    name: 'a coin near 0.0016 in large amounts: 10M balance, whole-coin steps, price step, minimum cost',
    symbol: 'SMALL/USDT',
    strategy: 'sma-crossover',
    params: { fast: 5, slow: 20 },
    balance: 10_000_000,
    risk: { stakeFraction: 0.999 },
    rules: rulesTable({ 'SMALL/USDT': { amountStep: 1, priceStep: 0.0000001, minCost: 5 } }),
    minTrades: 500,
  },
  {
    name: 'the same coin at the default 1e-8 step (amounts past 2^53 steps), MACD, fixed stakes',
    symbol: 'SMALL/USDT',
    strategy: 'macd-cross',
    balance: 50_000_000,
    risk: { sizing: 'fixed_quote', stakeAmount: 20_000_000, maxTotalExposure: 0.9 },
    minTrades: 500,
  },
  {
    name: 'Bollinger reversion on BTC with risk per trade (no stop: refused) and Donchian on the coin',
    symbol: 'BTC/USDT',
    strategy: 'bollinger-reversion',
    risk: { stakeFraction: 0.3 },
    minTrades: 200,
  },
  {
    name: 'Donchian breakout on the coin, small balance (stakes under the minimum)',
    symbol: 'SMALL/USDT',
    strategy: 'donchian-breakout',
    balance: 3,
    risk: { stakeFraction: 0.2 },
    minTrades: 0,
  },
];

function inputOf(c: Case): SimulationInput {
  const col = columns.get(c.symbol)!;
  const def = getBuiltinStrategy(c.strategy)!;
  const signals = strategySignals(def, c.params ?? {}, col);
  const n = col.ts.length;
  const [from, to] = c.window ?? [0, 1];
  return {
    series: [{ symbol: c.symbol, columns: col }],
    signals: [signals],
    timeframeMs: MINUTE,
    startingBalance: c.balance ?? 10_000,
    risk: { ...BASE_RISK, ...c.risk },
    fill: c.fill ?? { feeRate: 0.001, slippageBps: 5 },
    ...(c.rules ? { rules: c.rules } : {}),
    ...(c.window
      ? { tradeFrom: col.ts[Math.floor(n * from)]!, tradeTo: col.ts[Math.floor(n * to)]! }
      : {}),
  };
}

/** A digest of everything a run reports, numbers by their exact bits. */
function digest(sim: object): string {
  const text = JSON.stringify(sim, (_k, v: unknown) =>
    typeof v === 'number' ? `${v}|${Object.is(v, -0) ? '-0' : ''}` : v,
  );
  return createHash('sha256').update(text).digest('hex');
}

describe('the single-pair loop equals the trading core loop', () => {
  it('the data has gaps and flat stretches', () => {
    for (const col of columns.values()) {
      let gaps = 0;
      let flat = 0;
      for (let i = 1; i < col.ts.length; i++) {
        if (col.ts[i]! - col.ts[i - 1]! > MINUTE) gaps++;
        if (col.close[i] === col.close[i - 1]) flat++;
      }
      expect(col.ts.length).toBeGreaterThan(190_000);
      expect(gaps).toBeGreaterThan(60);
      expect(flat).toBeGreaterThan(1_000);
    }
  });

  for (const c of CASES) {
    it(
      c.name,
      () => {
        const input = inputOf(c);
        expect(singlePairBlocker(input)).toBeNull();
        const fast = simulate(input);
        const exact = simulate({ ...input, path: 'exact' });
        expect(fast.path).toBe('single-pair');
        expect(exact.path).toBe('core');
        const { path: _f, ...a } = fast;
        const { path: _e, ...b } = exact;
        expect(fast.trades.length).toBeGreaterThanOrEqual(c.minTrades);
        expect(a).toStrictEqual(b);
        expect(digest(a)).toBe(digest(b));
      },
      60_000,
    );
  }
});

describe('which loop a run takes', () => {
  const one = () => inputOf(CASES[0]!);
  it('several pairs take the core (shared wallet, per-pair gaps)', () => {
    const a = inputOf(CASES[0]!);
    const b = inputOf(CASES[3]!);
    const input = {
      ...a,
      series: [...a.series, ...b.series],
      signals: [...a.signals, ...b.signals],
    };
    expect(singlePairBlocker(input)).toBe('more than one pair');
    expect(simulate(input).path).toBe('core');
  });
  it('protective exits, a kill switch or a custom exit rule take the core', () => {
    for (const risk of [
      { stopLoss: 0.02 },
      { takeProfit: 0.05 },
      { trailingStop: 0.03 },
      { roi: [{ afterMinutes: 60, minReturn: 0.01 }] },
      { maxHoldMinutes: 120 },
      { maxDrawdown: 0.2 },
      { pairs: { 'BTC/USDT': { stopLoss: 0.01 } } },
    ]) {
      const input = { ...one(), risk: { ...BASE_RISK, ...risk } };
      expect(singlePairBlocker(input)).toBe('risk rules that watch every candle');
      expect(simulate(input).path).toBe('core');
    }
    const custom = { ...one(), exits: () => null };
    expect(singlePairBlocker(custom)).toBe('a custom exit rule');
  });
  it('signals that carry a stop or a target take the core', () => {
    const input = one();
    const s = input.signals[0]!;
    const stop = new Float64Array(s.action.length).fill(Number.NaN);
    const withStop = { ...input, signals: [{ ...s, stop }] };
    expect(singlePairBlocker(withStop)).toBe('signals carry stops or targets');
    expect(simulate(withStop).path).toBe('core');
  });
});
