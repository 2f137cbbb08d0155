/**
 * Stylized facts of the simulated market's one-minute candles, measured on 100 000 candles
 * of each profile (BTC: deep book, fine tick; ETH: a little thinner; a small coin: a few
 * trades a minute, a coarse tick, a wide spread), each asserted as a range around what real
 * exchange data shows, with the reason beside it. Plus candle sanity and determinism.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Candle } from '../../../src/core/api/schemas.ts';
import { readCandleFile } from '../../../src/core/market/candle-file.ts';
import { createClock } from '../../../src/core/market/clock.ts';
import { writeSimFile } from '../../../src/core/market/sim-export.ts';
import { symbolProfile } from '../../../src/core/market/sim-profile.ts';
import { SimMarketSource } from '../../../src/core/market/sim-source.ts';
import { autocorrelation, logReturns, stylizedFacts } from '../../support/candle-stats.ts';
import type { StylizedFacts } from '../../support/candle-stats.ts';

const N = 100_000;
const TF = 60_000;
// A Wednesday noon: the history runs back over ten weeks of days, nights and weekends.
const START = Date.UTC(2026, 0, 14, 12, 0, 30);
const PROFILES = ['BTC/USDT', 'ETH/USDT', 'SMOL/USDT'] as const;
type Profile = (typeof PROFILES)[number];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/**
 * Series run forward from their origin (live candles) and backward from it (history before
 * the timeline began); both are measured. 'backward': the origin is START's day, so the
 * 100 000 candles before START are nearly all generated backward; 'forward': the origin is
 * 70 days earlier, so they are all generated forward.
 */
const DIRECTIONS = ['backward', 'forward'] as const;
type Direction = (typeof DIRECTIONS)[number];
const candles = new Map<string, Candle[]>();
const facts = new Map<string, StylizedFacts>();
for (const direction of DIRECTIONS) {
  const day = START - (START % 86_400_000);
  const source = new SimMarketSource({
    seed: 42,
    clock: createClock({ start: START, speed: 1 }),
    origin: direction === 'backward' ? day : day - 70 * 86_400_000,
  });
  for (const symbol of PROFILES) {
    const series = await source.history(symbol, '1m', N);
    candles.set(`${symbol} ${direction}`, series);
    facts.set(`${symbol} ${direction}`, stylizedFacts(series));
  }
}
// The measured figures, for the record (the ranges below are what is asserted).
process.stderr.write(`simulated 1m stylized facts: ${JSON.stringify(Object.fromEntries(facts))}\n`);

describe('simulated market: profiles make BTC, ETH and a small coin differ', () => {
  it('liquidity, tick and spread come from the profile', () => {
    const btc = symbolProfile(42, 'BTC/USDT', TF);
    const eth = symbolProfile(42, 'ETH/USDT', TF);
    const small = symbolProfile(42, 'SMOL/USDT', TF);
    expect(btc.tickSize).toBe(0.01);
    expect(eth.tickSize).toBe(0.01);
    // The small coin's tick is a few basis points of its price; BTC's a tiny fraction of one.
    expect(small.tickSize / small.startPrice).toBeGreaterThan(5e-5);
    expect(btc.tickSize / btc.startPrice).toBeLessThan(1e-6);
    expect(btc.tradesPerCandle).toBeGreaterThan(eth.tradesPerCandle);
    expect(eth.tradesPerCandle).toBeGreaterThan(10 * small.tradesPerCandle);
    expect(small.halfSpread).toBeGreaterThan(btc.halfSpread);
  });

  it('settings override a profile, and an impossible one is refused with the reason', async () => {
    const profile = symbolProfile(42, 'BTC/USDT', TF, { price: 100, tickSize: 0.5 });
    expect(profile.startPrice).toBe(100);
    expect(profile.tickSize).toBe(0.5);
    const source = new SimMarketSource({
      seed: 1,
      clock: createClock({ start: START }),
      profiles: { 'FOO/USDT': { price: 2, tickSize: 0.5, tradesPerMinute: 1 } },
    });
    await expect(source.validate(['FOO/USDT'], '1m')).rejects.toThrow(/too coarse for a price/);
    const ok = new SimMarketSource({
      seed: 1,
      clock: createClock({ start: START }),
      profiles: { 'FOO/USDT': { price: 2, tickSize: 0.05, tradesPerMinute: 1 } },
    });
    const series = await ok.history('FOO/USDT', '1m', 2000);
    // Every price is a whole number of 0.05 ticks.
    for (const c of series) {
      for (const p of [c.open, c.high, c.low, c.close])
        expect(Math.abs(p / 0.05 - Math.round(p / 0.05))).toBeLessThan(1e-9);
    }
  });
});

describe.each(
  PROFILES.flatMap((symbol) => DIRECTIONS.map((direction) => [symbol, direction] as const)),
)(
  'simulated 1m candles, %s generated %s: stylized facts on 100 000 candles',
  (symbol, direction) => {
    const f = (s: Profile) => facts.get(`${s} ${direction}`)!;

    it('fat tails: excess kurtosis of returns well above a normal distribution’s 0', () => {
      // Real 1m crypto returns show excess kurtosis from about 5 to well over 20; thin books
      // mix in many zero returns, which pulls it down, so the small coin's floor is lower.
      const k = f(symbol).excessKurtosis;
      expect(k).toBeGreaterThan(symbol === 'SMOL/USDT' ? 1.5 : 3);
      expect(k).toBeLessThan(60);
    });

    it('volatility clustering: |r| is autocorrelated from lag 1 to 60 and the correlation decays', () => {
      const abs = logReturns(candles.get(`${symbol} ${direction}`)!).map(Math.abs);
      const acf = Array.from({ length: 60 }, (_, i) => autocorrelation(abs, i + 1));
      // Real |r| autocorrelations at one minute are about 0.1–0.3 and stay positive for hours.
      for (const a of acf) expect(a).toBeGreaterThan(0.02);
      expect(Math.max(...acf)).toBeLessThan(0.4);
      // Decaying: the first ten lags hold clearly more than lags 51–60.
      const early = acf.slice(0, 10).reduce((a, b) => a + b, 0) / 10;
      const late = acf.slice(50).reduce((a, b) => a + b, 0) / 10;
      expect(early).toBeGreaterThan(1.3 * late);
    });

    it('bid-ask bounce: lag-1 return autocorrelation is negative', () => {
      // Liquid pairs show about −0.05 to −0.2 at one minute; thin books more negative still.
      const range = symbol === 'SMOL/USDT' ? [-0.35, -0.1] : [-0.2, -0.03];
      expect(f(symbol).returnAcf1).toBeGreaterThan(range[0]!);
      expect(f(symbol).returnAcf1).toBeLessThan(range[1]!);
    });

    it('opens come from the first trade of the minute, off the previous close', () => {
      // With hundreds of trades a minute the first trade almost never repeats the last price;
      // with a few trades on a coarse tick it often does, and quiet minutes open at it.
      const share = f(symbol).openOffCloseShare;
      if (symbol === 'SMOL/USDT') {
        expect(share).toBeGreaterThan(0.4);
        expect(share).toBeLessThan(0.9);
      } else expect(share).toBeGreaterThan(0.9);
    });

    it('volume is only loosely tied to the move: corr(volume, |r|) in a realistic band', () => {
      // Real one-minute data: about 0.2–0.4 (volume has its own persistence).
      expect(f(symbol).volumeAbsReturnCorr).toBeGreaterThan(0.15);
      expect(f(symbol).volumeAbsReturnCorr).toBeLessThan(0.45);
    });

    it('volume has its own persistence, not a copy of the move', () => {
      // Real one-minute volume is autocorrelated about 0.4–0.8 at lag 1 and stays positive for
      // hours; a volume made from |r| alone would inherit |r|'s much weaker 0.1–0.3.
      const { volumeAcf, absAcf } = f(symbol);
      expect(volumeAcf[1]).toBeGreaterThan(0.4);
      expect(volumeAcf[1]).toBeLessThan(0.85);
      expect(volumeAcf[10]).toBeGreaterThan(0.25);
      expect(volumeAcf[1]).toBeGreaterThan(2 * absAcf[1]);
    });

    it('candles are sane: high/low bound open and close, volume ≥ 0, aligned and gap-free', () => {
      const series = candles.get(`${symbol} ${direction}`)!;
      expect(series).toHaveLength(N);
      let bad = 0;
      for (let i = 0; i < series.length; i++) {
        const c = series[i]!;
        if (c.ts % TF !== 0) bad++;
        if (i > 0 && c.ts !== series[i - 1]!.ts + TF) bad++;
        if (c.high < Math.max(c.open, c.close) || c.low > Math.min(c.open, c.close)) bad++;
        if (!(c.low > 0) || !(c.volume >= 0)) bad++;
        // A candle without trades is flat at the last traded price.
        if (c.volume === 0 && (c.high !== c.low || (i > 0 && c.open !== series[i - 1]!.close)))
          bad++;
      }
      expect(bad).toBe(0);
    });
  },
);

describe.each(DIRECTIONS)('simulated 1m candles generated %s', (direction: Direction) => {
  it('zero returns and flat candles grow as liquidity falls: BTC almost never, ETH rarely, the small coin often', () => {
    const [btc, eth, small] = PROFILES.map((s) => facts.get(`${s} ${direction}`)!);
    // A deep book with a fine tick moves every minute; real BTC/USDT has ~0 zero returns.
    expect(btc!.zeroReturnShare).toBeLessThan(0.005);
    expect(btc!.flatCandleShare).toBeLessThan(0.001);
    expect(eth!.zeroReturnShare).toBeGreaterThanOrEqual(btc!.zeroReturnShare);
    expect(eth!.zeroReturnShare).toBeLessThan(0.02);
    // Small coins: a fifth or more of minutes without a price change, many without a trade.
    expect(small!.zeroReturnShare).toBeGreaterThan(0.1);
    expect(small!.zeroReturnShare).toBeLessThan(0.5);
    expect(small!.flatCandleShare).toBeGreaterThan(0.1);
    expect(small!.flatCandleShare).toBeGreaterThan(10 * eth!.flatCandleShare);
  });

  it('quiet hours trade less than busy ones (time of day)', () => {
    const series = candles.get(`ETH/USDT ${direction}`)!;
    const byHour = Array.from({ length: 24 }, () => ({ volume: 0, n: 0 }));
    for (const c of series) {
      const h = byHour[new Date(c.ts).getUTCHours()]!;
      h.volume += c.volume;
      h.n++;
    }
    const avg = (h: number) => byHour[h]!.volume / byHour[h]!.n;
    // Europe/US overlap versus the late Asian night.
    expect(avg(14) + avg(15)).toBeGreaterThan(1.5 * (avg(3) + avg(4)));
  });
});

describe('simulated market files: same seed, same bytes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'botdesk-simfile-'));
  dirs.push(dir);
  const write = (out: string, seed: number, symbols = ['BTC/USDT', 'SMOL/USDT']) =>
    writeSimFile({ symbols, timeframe: '1m', candles: 20_000, end: START, seed, out });

  it('writes the same file twice for a seed, another for another seed', async () => {
    await write(join(dir, 'a.json'), 7);
    await write(join(dir, 'b.json'), 7);
    await write(join(dir, 'c.json'), 8);
    const a = readFileSync(join(dir, 'a.json'));
    expect(a.equals(readFileSync(join(dir, 'b.json')))).toBe(true);
    expect(a.equals(readFileSync(join(dir, 'c.json')))).toBe(false);
  });

  it('the replay reader reads back exactly the candles the market serves', async () => {
    await write(join(dir, 'one.csv'), 7, ['SMOL/USDT']);
    const file = await readCandleFile(join(dir, 'one.csv'));
    expect(file.gapsFilled).toBe(0);
    const [read] = [...file.series.values()];
    const source = new SimMarketSource({
      seed: 7,
      clock: createClock({ start: START - (START % TF), speed: 1e-9 }),
      origin: START - (START % 86_400_000),
    });
    expect(read).toEqual(await source.history('SMOL/USDT', '1m', 20_000));
    const json = await readCandleFile(join(dir, 'a.json'));
    expect([...json.series.keys()]).toEqual(['BTC/USDT', 'SMOL/USDT']);
    expect(json.series.get('BTC/USDT')).toHaveLength(20_000);
  });

  it('refuses a CSV for several symbols and other file types, writing nothing', async () => {
    await expect(write(join(dir, 'x.csv'), 7)).rejects.toThrow(/CSV file holds one symbol/);
    await expect(write(join(dir, 'x.txt'), 7)).rejects.toThrow(/\.csv or \.json/);
    await expect(write(join(dir, 'missing', 'x.json'), 7)).rejects.toThrow(/cannot write/);
    expect(() => readFileSync(join(dir, 'x.csv'))).toThrow();
  });
});
