/**
 * Trading core benchmark (one JSON document on stdout, logs on stderr):
 * - TradingCore.step per second: empty candle times, candle times with a position held,
 *   and a round trip every 500 candles (fills, BigInt amounts and all);
 * - Account round trips (buy then sell all, exact steps) per second at 1e9 units;
 * - a paper bot over a 2 000-candle replay file at the fastest speed through `botdesk run`
 *   (real compute workers, one candle time per tick): candles per second and ticks.
 * Run alone: node bench/trading.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Account } from '../src/core/trading/account.ts';
import { compileRules } from '../src/core/trading/market-rules.ts';
import { fillMarketOrder } from '../src/core/trading/fill-model.ts';
import { ENTER_LONG, EXIT, TradingCore } from '../src/core/trading/step.ts';
import { paperRunOverFile, simCandles, writeReplayFile } from '../test/support/replay-file.ts';

const risk = { stakeFraction: 0.1, maxOpenPositions: 5, maxDailyLoss: 0.5 };
const fill = { feeRate: 0.001, slippageBps: 5 };

function core(): TradingCore {
  return new TradingCore({
    symbols: ['A/USDT'],
    account: new Account({ quote: 'USDT', cash: 10_000 }),
    config: { risk, fill },
    timeframeMs: 60_000,
  });
}

/** Steps per second over `n` candle times; `feed` writes candle i into the columns. */
function steps(n: number, feed: (c: TradingCore, i: number) => void): number {
  const c = core();
  for (let i = 0; i < 50_000; i++) {
    feed(c, i);
    c.step(i * 60_000);
  }
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    feed(c, i);
    c.step(i * 60_000);
  }
  return Math.round((n / (performance.now() - t0)) * 1000);
}

const bar = (c: TradingCore, i: number) => {
  const p = 100 + (i % 100) * 0.01;
  c.bars.present[0] = 1;
  c.bars.open[0] = p;
  c.bars.high[0] = p;
  c.bars.low[0] = p;
  c.bars.close[0] = p;
};

const N = 2_000_000;
const emptySteps = steps(N, () => {});
const barSteps = steps(N, bar);
let held = false;
const heldSteps = steps(N, (c, i) => {
  bar(c, i);
  if (!held) {
    c.signals.action[0] = ENTER_LONG;
    held = true;
  }
});
const roundTripSteps = steps(N, (c, i) => {
  bar(c, i);
  if (i % 500 === 0) c.signals.action[0] = ENTER_LONG;
  else if (i % 500 === 250) c.signals.action[0] = EXIT;
});

const rules = compileRules();
const ROUND_TRIPS = 50_000;
/** Just under 1e9 units: 1e17 steps of 1e-8, past 2^53. */
const UNITS = Number('999999999.12345678');
const t0 = performance.now();
for (let k = 0; k < ROUND_TRIPS; k++) {
  const a = new Account({ quote: 'USDT', cash: 20 });
  const buy = fillMarketOrder(
    { symbol: 'X/USDT', side: 'buy', amount: UNITS },
    1e-8,
    a,
    rules,
    fill,
    0,
  );
  if (!buy.ok) throw new Error(buy.reason);
  a.apply(buy.fill);
  const sell = fillMarketOrder(
    { symbol: 'X/USDT', side: 'sell', amount: a.position('X/USDT')!.amount },
    1e-8,
    a,
    rules,
    fill,
    1,
  );
  if (!sell.ok || a.apply(sell.fill) === null) throw new Error('not flat');
}
const roundTripsPerSec = Math.round((ROUND_TRIPS / (performance.now() - t0)) * 1000);

const dir = mkdtempSync(join(tmpdir(), 'botdesk-bench-trading-'));
let paper: Record<string, number>;
try {
  const CANDLES = 2000;
  const symbols = ['BTC/USDT', 'ETH/USDT'];
  const file = join(dir, 'sim.json');
  writeReplayFile(file, await simCandles({ symbols, candles: CANDLES }));
  const dataDir = mkdtempSync(join(dir, 'data-'));
  process.stderr.write('trading: paper bot over the replay file…\n');
  const t = performance.now();
  const run = await paperRunOverFile({
    dataDir,
    file,
    symbols,
    strategy: 'sma-crossover:fast=5,slow=20',
    speed: 1_000_000,
  });
  const ms = performance.now() - t;
  paper = {
    candles: CANDLES * symbols.length,
    ticks: run.summary.ticks,
    fills: run.fills.length,
    wallMs: Math.round(ms),
    candlesPerSec: Math.round(((CANDLES * symbols.length) / ms) * 1000),
  };
} finally {
  rmSync(dir, { recursive: true, force: true });
}

process.stdout.write(
  `${JSON.stringify(
    {
      stepsPerSec: {
        empty: emptySteps,
        withBar: barSteps,
        positionHeld: heldSteps,
        roundTripEvery500: roundTripSteps,
      },
      accountRoundTripsPerSec1e9Units: roundTripsPerSec,
      paperReplayMaxSpeed: paper,
    },
    null,
    2,
  )}\n`,
);
