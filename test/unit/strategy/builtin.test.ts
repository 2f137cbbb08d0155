import { BollingerBands, DonchianChannels, EMA, MACD, RSI, SMA } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import type { Candle, SignalAction } from '../../../src/core/api/schemas.ts';
import { prepareStrategy } from '../../../src/core/strategy/definition.ts';
import {
  BUILTIN_STRATEGIES,
  getBuiltinStrategy,
  listStrategies,
} from '../../../src/core/strategy/registry.ts';
import { fromCloses, randomWalk } from '../../fixtures/strategies/candles.ts';

interface Step {
  action: SignalAction;
  strength: number;
  indicators: Record<string, number | null>;
}

function run(id: string, params: Record<string, unknown>, candles: readonly Candle[]): Step[] {
  const { instance } = prepareStrategy(getBuiltinStrategy(id)!, params);
  // Copy: instances reuse their output object.
  return candles.map((c) => {
    const o = instance.update(c);
    return { action: o.action, strength: o.strength, indicators: { ...o.indicators } };
  });
}

const signalsOf = (steps: Step[]) =>
  steps.flatMap((s, i) => (s.action === 'hold' ? [] : [[i, s.action] as const]));

/** Library values, null until the library calls the indicator stable. */
function series<T>(candles: readonly Candle[], feed: (c: Candle) => T | null): Array<T | null> {
  return candles.map((c) => feed(c));
}

const walk = randomWalk(400, 7);
const closes = walk.map((c) => c.close);

describe('built-in strategies: signals at known points (hand-checked series)', () => {
  const cases: Array<{
    id: string;
    params: Record<string, unknown>;
    closes: number[];
    signals: Array<readonly [number, SignalAction]>;
  }> = [
    // SMA2/SMA4: at 5 SMA2 = 11 > SMA4 = 10.5 after being equal; at 8 SMA2 = 12 < SMA4 = 12.5.
    {
      id: 'sma-crossover',
      params: { fast: 2, slow: 4 },
      closes: [10, 10, 10, 10, 10, 12, 14, 14, 10, 6, 6],
      signals: [
        [5, 'enter_long'],
        [8, 'exit'],
      ],
    },
    // EMA2/EMA4: 11.33 > 10.8 at 5; 11.23 < 11.71 at 8.
    {
      id: 'ema-crossover',
      params: { fast: 2, slow: 4 },
      closes: [10, 10, 10, 10, 10, 12, 14, 14, 10, 6, 6],
      signals: [
        [5, 'enter_long'],
        [8, 'exit'],
      ],
    },
    // Wilder RSI(2): 50 at 5, 25 at 6 (below 30), ..., 53.1 at 9, 76.6 at 10 (above 70).
    {
      id: 'rsi-reversion',
      params: { period: 2 },
      closes: [10, 11, 12, 13, 14, 13, 12, 11, 10, 11, 12, 13, 14],
      signals: [
        [6, 'enter_long'],
        [10, 'exit'],
      ],
    },
    {
      id: 'macd-cross',
      params: { fast: 2, slow: 4, signal: 2 },
      closes: [10, 10, 10, 10, 10, 10, 12, 14, 16, 16, 12, 8, 6, 6, 6],
      signals: [
        [6, 'enter_long'],
        [9, 'exit'],
        [13, 'enter_long'],
      ],
    },
    // Bands(4, 1σ): the close 11 crosses the middle 10.5 at 5; 6 falls below the lower band 7.44 at 6; 10 crosses the middle 8.5 at 8.
    {
      id: 'bollinger-reversion',
      params: { period: 4, deviations: 1 },
      closes: [10, 11, 10, 11, 10, 11, 6, 7, 10, 12, 11],
      signals: [
        [5, 'exit'],
        [6, 'enter_long'],
        [8, 'exit'],
      ],
    },
    {
      id: 'bollinger-breakout',
      params: { period: 4, deviations: 1 },
      closes: [10, 11, 10, 11, 10, 11, 16, 15, 10, 9],
      signals: [
        [4, 'exit'],
        [6, 'enter_long'],
        [8, 'exit'],
      ],
    },
    // Highs/lows are the body ± 0.5: 12 breaks the previous 3-candle high 10.5 at 4, 13 breaks 12.5 at 5;
    // 11 breaks the previous 2-candle low 11.5 at 8, 9 breaks 10.5 at 9.
    {
      id: 'donchian-breakout',
      params: { entry: 3, exit: 2 },
      closes: [10, 10, 10, 10, 12, 13, 13, 12, 11, 9, 9],
      signals: [
        [4, 'enter_long'],
        [5, 'enter_long'],
        [8, 'exit'],
        [9, 'exit'],
      ],
    },
  ];
  for (const c of cases) {
    it(`${c.id} signals exactly at ${c.signals.map(([i, a]) => `${a}@${i}`).join(', ')}`, () => {
      expect(signalsOf(run(c.id, c.params, fromCloses(c.closes)))).toEqual(c.signals);
    });
  }

  it('rsi-reversion strength is how far RSI went past the level (25 is 5 points below 30 → 0.5)', () => {
    const steps = run('rsi-reversion', { period: 2 }, fromCloses([10, 11, 12, 13, 14, 13, 12]));
    expect(steps[6]!.indicators.rsi).toBeCloseTo(25, 12);
    expect(steps[6]!.strength).toBeCloseTo(0.5, 12);
  });
});

describe('built-in strategies: indicators equal trading-signals values', () => {
  it('sma-crossover reports SMA(10) and SMA(30) (a running sum: within 1e-9 relative)', () => {
    const fast = new SMA(10);
    const slow = new SMA(30);
    const steps = run('sma-crossover', {}, walk);
    const f = series(walk, (c) => fast.add(c.close));
    const s = series(walk, (c) => slow.add(c.close));
    const near = (got: number | null | undefined, want: number) =>
      expect(Math.abs(got! - want)).toBeLessThanOrEqual(1e-9 * Math.abs(want));
    steps.forEach((st, i) => {
      const ready = f[i] !== null && s[i] !== null;
      if (!ready) {
        expect(st.indicators.smaFast).toBeNull();
        expect(st.indicators.smaSlow).toBeNull();
        return;
      }
      near(st.indicators.smaFast, f[i]!);
      near(st.indicators.smaSlow, s[i]!);
    });
    expect(steps.filter((s) => s.indicators.smaSlow !== null)).toHaveLength(walk.length - 29);
  });

  it('ema-crossover reports EMA(12) and EMA(26) once both are stable', () => {
    const fast = new EMA(12);
    const slow = new EMA(26);
    const steps = run('ema-crossover', {}, walk);
    steps.forEach((st, i) => {
      const f = fast.add(closes[i]!);
      const s = slow.add(closes[i]!);
      const ready = fast.isStable && slow.isStable;
      expect(st.indicators.emaFast).toBe(ready ? f : null);
      expect(st.indicators.emaSlow).toBe(ready ? s : null);
    });
  });

  it('rsi-reversion reports RSI(14)', () => {
    const rsi = new RSI(14);
    run('rsi-reversion', {}, walk).forEach((st, i) =>
      expect(st.indicators.rsi).toBe(rsi.add(closes[i]!)),
    );
  });

  it('macd-cross reports MACD(12, 26, 9) line, signal and histogram once the signal line is stable', () => {
    const macd = new MACD(new EMA(12), new EMA(26), new EMA(9));
    const steps = run('macd-cross', {}, walk);
    let stable = 0;
    steps.forEach((st, i) => {
      const r = macd.add(closes[i]!);
      if (r !== null && macd.signal.isStable) {
        stable++;
        expect(st.indicators).toEqual({
          macd: r.macd,
          macdSignal: r.signal,
          macdHistogram: r.histogram,
        });
      } else expect(st.indicators).toEqual({ macd: null, macdSignal: null, macdHistogram: null });
    });
    expect(stable).toBeGreaterThan(300);
  });

  it('bollinger strategies report BollingerBands(20, 2)', () => {
    for (const id of ['bollinger-reversion', 'bollinger-breakout']) {
      const bb = new BollingerBands(20, 2);
      run(id, {}, walk).forEach((st, i) => {
        const r = bb.add(closes[i]!);
        expect(st.indicators).toEqual({
          bbUpper: r?.upper ?? null,
          bbMiddle: r?.middle ?? null,
          bbLower: r?.lower ?? null,
        });
      });
    }
  });

  it('donchian-breakout reports DonchianChannels(20) and the lower band of DonchianChannels(10)', () => {
    const entry = new DonchianChannels(20);
    const exit = new DonchianChannels(10);
    run('donchian-breakout', {}, walk).forEach((st, i) => {
      const e = entry.add({ high: walk[i]!.high, low: walk[i]!.low });
      const x = exit.add({ high: walk[i]!.high, low: walk[i]!.low });
      expect(st.indicators).toEqual({
        dcUpper: e?.upper ?? null,
        dcMiddle: e?.middle ?? null,
        dcLower: e?.lower ?? null,
        dcExitLower: x?.lower ?? null,
      });
    });
  });
});

describe('built-in strategies: contract', () => {
  for (const def of BUILTIN_STRATEGIES) {
    it(`${def.id}: deterministic, strength within 0..1 (0 on hold), indicators as declared, signals on a random walk`, () => {
      const a = run(def.id, {}, walk);
      const b = run(def.id, {}, walk);
      expect(a).toEqual(b);
      for (const s of a) {
        expect(Object.keys(s.indicators)).toEqual([...def.indicators]);
        expect(s.strength).toBeGreaterThanOrEqual(0);
        expect(s.strength).toBeLessThanOrEqual(1);
        if (s.action === 'hold') expect(s.strength).toBe(0);
      }
      expect(a.some((s) => s.action === 'enter_long')).toBe(true);
      expect(a.some((s) => s.action === 'exit')).toBe(true);
      // No signal before the declared warm-up.
      const warmup = def.warmup(def.params.parse({}));
      expect(a.slice(0, warmup - 1).every((s) => s.action === 'hold')).toBe(true);
    });
  }

  it('rejects bad parameters with INVALID_INPUT naming the field', () => {
    const sma = getBuiltinStrategy('sma-crossover')!;
    expect(() => prepareStrategy(sma, { fast: 30, slow: 10 })).toThrowError(
      /fast: fast must be shorter than slow/,
    );
    expect(() => prepareStrategy(sma, { fats: 5 })).toThrowError(BotDeskError);
    try {
      prepareStrategy(sma, { slow: 1 });
      expect.unreachable();
    } catch (err) {
      expect((err as BotDeskError).code).toBe('INVALID_INPUT');
      expect((err as BotDeskError).message).toMatch(
        /^invalid parameters for strategy 'sma-crossover': slow:/,
      );
    }
  });

  it('lists the built-ins, sma-crossover first, with JSON Schema defaults and ranges', async () => {
    const infos = await listStrategies();
    expect(infos.map((i) => i.id)).toEqual([
      'sma-crossover',
      'ema-crossover',
      'rsi-reversion',
      'macd-cross',
      'bollinger-reversion',
      'bollinger-breakout',
      'donchian-breakout',
    ]);
    const sma = infos[0]!;
    expect(sma.origin).toBe('builtin');
    expect(sma.warmup).toBe(31);
    expect(sma.paramsSchema).toMatchObject({
      type: 'object',
      properties: {
        fast: { type: 'integer', default: 10, minimum: 2, maximum: 500 },
        slow: { type: 'integer', default: 30, minimum: 3 },
      },
      additionalProperties: false,
    });
  });
});
