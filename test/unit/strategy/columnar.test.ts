/**
 * The columnar form of every built-in equals update() candle for candle (action, strength,
 * indicator values) on long generated series with flat runs and gaps, and the indicator
 * values agree with trading-signals' to 1e-9 relative.
 */
import { BollingerBands, DonchianChannels, EMA, MACD, RSI, SMA } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { prepareStrategy } from '../../../src/core/strategy/definition.ts';
import { BUILTIN_STRATEGIES, getBuiltinStrategy } from '../../../src/core/strategy/registry.ts';
import { ACTION_BY_CODE, type StrategyDefinition } from '../../../src/core/strategy/types.ts';
import type { Candle } from '../../../src/core/api/schemas.ts';
import { generatedSeries, toColumns } from '../../fixtures/strategies/generated.ts';

const N = 30_000;
const series = generatedSeries(N, 11);
const cheap = generatedSeries(N, 12, 0.0004);
const columns = toColumns(series.candles);
const cheapColumns = toColumns(cheap.candles);

const PARAMS: Record<string, Array<Record<string, unknown>>> = {
  'sma-crossover': [{}, { fast: 2, slow: 3 }, { fast: 7, slow: 50 }],
  'ema-crossover': [{}, { fast: 2, slow: 3 }, { fast: 20, slow: 100 }],
  'rsi-reversion': [{}, { period: 2 }, { period: 30, oversold: 40, overbought: 55 }],
  'macd-cross': [{}, { fast: 2, slow: 3, signal: 2 }, { fast: 5, slow: 35, signal: 5 }],
  'bollinger-reversion': [{}, { period: 2, deviations: 0.5 }, { period: 50, deviations: 3 }],
  'bollinger-breakout': [{}, { period: 2, deviations: 0.5 }, { period: 50, deviations: 1 }],
  'donchian-breakout': [{}, { entry: 2, exit: 2 }, { entry: 55, exit: 20 }],
};

function compareForms(def: StrategyDefinition, raw: Record<string, unknown>, candles: Candle[]) {
  const { instance, params } = prepareStrategy(def, raw);
  const col = def.columnar!(params, candles === series.candles ? columns : cheapColumns);
  const names = def.indicators;
  let signals = 0;
  let mismatches = 0;
  let first = '';
  for (let i = 0; i < candles.length; i++) {
    const o = instance.update(candles[i]!);
    const action = ACTION_BY_CODE[col.action[i]!];
    let same = action === o.action && Object.is(col.strength[i], o.strength);
    for (let k = 0; k < names.length; k++) {
      const v = col.indicators[k]![i]!;
      const u = o.indicators[names[k]!];
      same &&= Number.isNaN(v) ? u === null : Object.is(u, v);
    }
    if (o.action !== 'hold') signals++;
    if (!same) {
      mismatches++;
      first ||= `candle ${i}: update ${JSON.stringify(o)} vs columnar ${action} ${col.strength[i]}`;
    }
  }
  return { signals, mismatches, first };
}

describe('columnar forms equal update()', () => {
  it('the series has flat runs and gaps', () => {
    expect(series.flatRuns).toBeGreaterThan(50);
    expect(series.gaps).toBeGreaterThan(30);
  });

  for (const def of BUILTIN_STRATEGIES) {
    for (const raw of PARAMS[def.id]!) {
      it(`${def.id} ${JSON.stringify(raw)}: same action, strength and indicators on every candle`, () => {
        expect(def.columnar).toBeTypeOf('function');
        for (const candles of [series.candles, cheap.candles]) {
          const r = compareForms(def, raw, candles);
          expect(r.first).toBe('');
          expect(r.mismatches).toBe(0);
          // Many signals, so the comparison covers entries and exits, not only holds.
          expect(r.signals).toBeGreaterThan(20);
        }
      });
    }
  }

  // A backtest asks for signals alone: crossovers then take a one-pass kernel of their own.
  for (const def of BUILTIN_STRATEGIES) {
    for (const raw of PARAMS[def.id]!) {
      it(`${def.id} ${JSON.stringify(raw)}: signals without indicators equal update()'s`, () => {
        const { instance, params } = prepareStrategy(def, raw);
        const col = def.columnar!(params, columns, { indicators: false });
        expect(col.indicators).toEqual([]);
        let signals = 0;
        let first = '';
        for (let i = 0; i < series.candles.length; i++) {
          const o = instance.update(series.candles[i]!);
          if (o.action !== 'hold') signals++;
          const same =
            ACTION_BY_CODE[col.action[i]!] === o.action && Object.is(col.strength[i], o.strength);
          if (!same && first === '')
            first = `candle ${i}: update ${o.action} ${o.strength} vs ${col.action[i]} ${col.strength[i]}`;
        }
        expect(first).toBe('');
        expect(signals).toBeGreaterThan(20);
      });
    }
  }

  it('crossover kernels leave columns with a NaN or huge close to the stepper (still equal to update())', () => {
    for (const id of ['sma-crossover', 'ema-crossover']) {
      for (const bad of [Number.NaN, 1e301]) {
        const candles = series.candles
          .slice(0, 3_000)
          .map((c, i) => (i === 1_500 ? { ...c, close: bad } : c));
        const def = getBuiltinStrategy(id)!;
        const { instance, params } = prepareStrategy(def, { fast: 3, slow: 8 });
        const col = def.columnar!(params, toColumns(candles), { indicators: false });
        const got = candles.map((c, i) => {
          const o = instance.update(c);
          return (
            ACTION_BY_CODE[col.action[i]!] === o.action && Object.is(col.strength[i], o.strength)
          );
        });
        expect(got.indexOf(false)).toBe(-1);
      }
    }
  });

  it('a fresh columnar call does not depend on an earlier one (no shared state)', () => {
    const def = getBuiltinStrategy('rsi-reversion')!;
    const p = def.params.parse({});
    const a = def.columnar!(p, columns);
    def.columnar!(p, cheapColumns);
    const b = def.columnar!(p, columns);
    expect(Buffer.from(b.action)).toEqual(Buffer.from(a.action));
    expect(b.indicators[0]).toEqual(a.indicators[0]);
  });
});

/** |a - b| ≤ 1e-9 · |b|, or both "not ready". */
function agree(got: number, want: number | null | undefined): boolean {
  if (want === null || want === undefined) return Number.isNaN(got);
  return Math.abs(got - want) <= 1e-9 * Math.abs(want) || got === want;
}

function checkIndicators(
  id: string,
  params: Record<string, unknown>,
  reference: (c: Candle) => Array<number | null | undefined>,
  candles: Candle[],
) {
  const def = getBuiltinStrategy(id)!;
  const p = def.params.parse(params);
  const col = def.columnar!(p, candles === series.candles ? columns : cheapColumns);
  let ready = 0;
  let bad = '';
  candles.forEach((c, i) => {
    const want = reference(c);
    want.forEach((w, k) => {
      const got = col.indicators[k]![i]!;
      if (!agree(got, w) && bad === '') bad = `${id} candle ${i} indicator ${k}: ${got} vs ${w}`;
      if (w !== null && w !== undefined) ready++;
    });
  });
  expect(bad).toBe('');
  expect(ready).toBeGreaterThan(candles.length * 0.9);
}

describe('indicator values agree with trading-signals to 1e-9 relative', () => {
  for (const [label, candles] of [
    ['prices near 100', series.candles],
    ['prices near 0.0004', cheap.candles],
  ] as const) {
    it(`SMA and EMA crossovers (${label})`, () => {
      const f = new SMA(7);
      const s = new SMA(50);
      checkIndicators(
        'sma-crossover',
        { fast: 7, slow: 50 },
        (c) => {
          const a = f.add(c.close);
          const b = s.add(c.close);
          return a === null || b === null ? [null, null] : [a, b];
        },
        candles,
      );
      const ef = new EMA(12);
      const es = new EMA(26);
      checkIndicators(
        'ema-crossover',
        {},
        (c) => {
          const a = ef.add(c.close);
          const b = es.add(c.close);
          return ef.isStable && es.isStable ? [a, b] : [null, null];
        },
        candles,
      );
    });

    it(`RSI and MACD (${label})`, () => {
      const rsi = new RSI(14);
      checkIndicators('rsi-reversion', {}, (c) => [rsi.add(c.close)], candles);
      const macd = new MACD(new EMA(12), new EMA(26), new EMA(9));
      checkIndicators(
        'macd-cross',
        {},
        (c) => {
          const r = macd.add(c.close);
          return r !== null && macd.signal.isStable
            ? [r.macd, r.signal, r.histogram]
            : [null, null, null];
        },
        candles,
      );
    });

    it(`Bollinger bands and Donchian channels (${label})`, () => {
      const bb = new BollingerBands(20, 2);
      checkIndicators(
        'bollinger-reversion',
        {},
        (c) => {
          const r = bb.add(c.close);
          return [r?.upper, r?.middle, r?.lower];
        },
        candles,
      );
      const entry = new DonchianChannels(20);
      const exit = new DonchianChannels(10);
      checkIndicators(
        'donchian-breakout',
        {},
        (c) => {
          const e = entry.add({ high: c.high, low: c.low });
          const x = exit.add({ high: c.high, low: c.low });
          return [e?.upper, e?.middle, e?.lower, x?.lower];
        },
        candles,
      );
    });
  }
});
