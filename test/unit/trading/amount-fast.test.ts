import { describe, expect, it } from 'vitest';
import { AmountScale } from '../../../src/core/trading/amount.ts';
import { prng } from '../../support/prng.ts';

/**
 * The plain-number fast path of AmountScale against a reference written independently
 * here: the exact decimal `String(x)` prints, in BigInt arithmetic. Amounts cluster where
 * floats go wrong: on, one ulp either side of, and half-way between whole steps.
 */
function decimal(x: number): { digits: bigint; scale: number } {
  const text = String(x);
  const [mantissa, exp] = text.split('e') as [string, string | undefined];
  const [whole, frac = ''] = mantissa.split('.') as [string, string | undefined];
  let scale = frac.length - Number(exp ?? 0);
  let digits = BigInt(`${whole}${frac}`);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits, scale };
}

/** amount / step as num / den, exactly. */
function ratio(amount: number, step: number): [bigint, bigint] {
  const a = decimal(amount);
  const s = decimal(step);
  return [a.digits * 10n ** BigInt(s.scale), s.digits * 10n ** BigInt(a.scale)];
}

const refFloor = (amount: number, step: number) => {
  const [n, d] = ratio(amount, step);
  return n / d;
};
const refRound = (amount: number, step: number) => {
  const [n, d] = ratio(amount, step);
  return (2n * n + d) / (2n * d);
};
const refToNumber = (steps: bigint, step: number) => {
  const s = decimal(step);
  return Number(`${steps * s.digits}e-${s.scale}`);
};

const bits = new Float64Array(1);
const word = new BigInt64Array(bits.buffer);
/** The double `ulps` representable values away from a positive `x`. */
function nudge(x: number, ulps: number): number {
  bits[0] = x;
  word[0]! += BigInt(ulps);
  return bits[0]!;
}

const STEPS = [1e-8, 1e-3, 0.5, 0.1, 0.25, 0.3, 3e-7, 2.5e-9, 1, 7, 100, 1e-5, 1e-12, 1e-20, 5e-22];

describe('AmountScale fast path', () => {
  it('floor, round, floorNumber and toNumber equal the exact decimal reference', () => {
    const r = prng(11);
    let checked = 0;
    const wrong: string[] = [];
    const same = (what: string, got: unknown, want: unknown) => {
      if (got !== want && wrong.length < 10) wrong.push(`${what}: got ${got}, want ${want}`);
    };
    for (const step of STEPS) {
      const s = new AmountScale(step);
      for (let i = 0; i < 2000; i++) {
        // Step counts from 1 to ~10^17 (past the fast path and 2^53), log-uniform.
        const k = BigInt(Math.floor(10 ** (r() * 17)));
        const onStep = refToNumber(k, step);
        const halfStep = (refToNumber(2n * k + 1n, step) as number) / 2;
        const floatProduct = Number(k) * step;
        const amounts = [onStep, halfStep, floatProduct, r() * onStep * 2];
        for (const base of amounts) {
          if (!(base > 0) || !Number.isFinite(base)) continue;
          for (const a of [nudge(base, -1), base, nudge(base, 1)]) {
            const floor = refFloor(a, step);
            same(`floor(${a}) at ${step}`, s.floor(a), floor);
            same(`round(${a}) at ${step}`, s.round(a), refRound(a, step));
            same(`floorNumber(${a}) at ${step}`, s.floorNumber(a), refToNumber(floor, step));
            checked++;
          }
        }
        same(`toNumber(${k}) at ${step}`, s.toNumber(k), refToNumber(k, step));
        same(`toNumber(-${k}) at ${step}`, s.toNumber(-k), -refToNumber(k, step));
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(300_000);
  });

  it('small amounts, zero and amounts under one step', () => {
    for (const step of STEPS) {
      const s = new AmountScale(step);
      for (const a of [0, Number.MIN_VALUE, step / 3, step / 2, nudge(step / 2, -1), step]) {
        expect(s.floor(a)).toBe(refFloor(a, step));
        expect(s.round(a)).toBe(refRound(a, step));
      }
    }
  });

  it('still refuses negative, NaN and infinite amounts', () => {
    const s = new AmountScale(1e-8);
    expect(() => s.floor(-1e-8)).toThrow(/amount must be/);
    expect(() => s.round(Number.NaN)).toThrow(/amount must be/);
    expect(() => s.floorNumber(Number.POSITIVE_INFINITY)).toThrow(/amount must be/);
  });
});
