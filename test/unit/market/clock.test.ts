import { describe, expect, it } from 'vitest';
import { alignDown, createClock } from '../../../src/core/market/clock.ts';
import { SimMarketSource } from '../../../src/core/market/sim-source.ts';

const START = Date.UTC(2026, 0, 15, 12, 0, 30);

describe('market clock', () => {
  it('refuses a speed that is not a positive finite number', () => {
    for (const speed of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => createClock({ speed }), String(speed)).toThrow(RangeError);
  });

  it('starts at the given market time and maps market time to real time by its speed', () => {
    const clock = createClock({ start: START, speed: 1000 });
    expect(clock.now()).toBeGreaterThanOrEqual(START);
    const real = clock.realTimeOf(START + 60_000);
    expect(real - clock.realTimeOf(START)).toBeCloseTo(60, 6);
  });

  it('sleepUntil resolves only once market time is there, and false when aborted', async () => {
    const clock = createClock({ start: START, speed: 600 });
    const target = START + 3_000;
    expect(await clock.sleepUntil(target)).toBe(true);
    expect(clock.now()).toBeGreaterThanOrEqual(target);
    const aborted = new AbortController();
    aborted.abort();
    expect(await clock.sleepUntil(START + 86_400_000, aborted.signal)).toBe(false);
    const later = new AbortController();
    const sleeping = clock.sleepUntil(START + 86_400_000, later.signal);
    setTimeout(() => later.abort(), 5);
    expect(await sleeping).toBe(false);
  });

  it('the simulated market never delivers a candle before it closes on its clock', async () => {
    const clock = createClock({ start: START, speed: 30_000 });
    const source = new SimMarketSource({ seed: 1, clock });
    const controller = new AbortController();
    let seen = 0;
    for await (const e of source.subscribe(['BTC/USDT', 'ETH/USDT'], '1m', {
      signal: controller.signal,
    })) {
      expect(e.closed).toBe(true);
      expect(clock.now()).toBeGreaterThanOrEqual(e.candle.ts + 60_000);
      expect(e.candle.ts).toBeGreaterThanOrEqual(alignDown(START, 60_000));
      if (++seen === 10) break;
    }
    controller.abort();
  });
});
