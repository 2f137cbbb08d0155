import { describe, expect, it } from 'vitest';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import { AmountScale, amountScale } from '../../../src/core/trading/amount.ts';
import { prng } from '../../support/prng.ts';

describe('AmountScale', () => {
  const s = amountScale(1e-8);

  it('floors to whole steps and reads them back exactly', () => {
    expect(s.floor(0.123456789)).toBe(12345678n);
    expect(s.toNumber(12345678n)).toBe(0.12345678);
    expect(s.floor(0.3)).toBe(30000000n);
    expect(s.floor(1e-9)).toBe(0n);
    expect(s.floor(0)).toBe(0n);
    expect(s.toNumber(0n)).toBe(0);
  });

  it('flooring an amount already on the step keeps it (the dust bug: 629683.269315535 → one step less)', () => {
    const once = s.floorNumber(629683.269315535);
    expect(once).toBe(629683.26931553);
    expect(s.floorNumber(once)).toBe(once);
    expect(s.floor(once)).toBe(62968326931553n);
  });

  it('floor is idempotent for random amounts from 1e-8 to 1e9', () => {
    const r = prng(7);
    for (let k = 0; k < 5000; k++) {
      const amount = 10 ** (r() * 17 - 8) * (1 + r());
      const steps = s.floor(amount);
      const back = s.toNumber(steps);
      expect(back).toBeLessThanOrEqual(amount);
      // The number read back may be rounded (past 2^53 steps), but it maps to the same steps.
      expect(s.round(back)).toBe(steps);
    }
  });

  it('counts past 2^53 stay exact as BigInt', () => {
    expect(s.floor(1e9)).toBe(100_000_000_000_000_000n);
    expect(s.toNumber(100_000_000_000_000_000n)).toBe(1e9);
    expect(s.floor(Number('123456789.12345678'))).toBe(12345678912345678n);
  });

  it('handles steps that are not powers of ten and numbers in exponent form', () => {
    const half = new AmountScale(0.5);
    expect(half.floor(2.74)).toBe(5n);
    expect(half.toNumber(5n)).toBe(2.5);
    const thousandth = new AmountScale(0.001);
    expect(thousandth.floor(1.0009999)).toBe(1000n);
    expect(thousandth.toNumber(1001n)).toBe(1.001);
    const big = new AmountScale(100);
    expect(big.floor(1e21)).toBe(10n ** 19n);
    expect(big.toNumber(3n)).toBe(300);
    expect(s.floor(5e-7)).toBe(50n);
  });

  it('refuses bad steps and amounts with a clear error', () => {
    expect(() => new AmountScale(0)).toThrow(BotDeskError);
    expect(() => new AmountScale(Number.NaN)).toThrow(/amount step/);
    expect(() => s.floor(-1)).toThrow(/amount must be/);
    expect(() => s.floor(Number.POSITIVE_INFINITY)).toThrow(BotDeskError);
  });
});
