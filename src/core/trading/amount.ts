/**
 * One amount arithmetic for the wallet and the positions: a base amount is held as an
 * integer count of the market's amount step (a BigInt, since 1e9 units at a 1e-8 step is
 * 1e17 steps, past 2^53). Numbers are converted through their exact decimal form, never by
 * dividing floats: `amount / step` in floats can land one ulp under an integer and floor
 * an already-stepped amount one more step — the dust that used to lock a pair for good.
 */
import { BotDeskError } from '../api/errors.ts';

/** A finite non-negative decimal as `digits × 10^-scale`. */
interface Decimal {
  digits: bigint;
  scale: number;
}

const TEN = 10n;

function pow10(n: number): bigint {
  return TEN ** BigInt(n);
}

/** The exact decimal of a double's shortest round-trip form (what `String(x)` prints). */
function decimalOf(x: number): Decimal {
  if (!Number.isFinite(x) || x < 0) {
    throw new BotDeskError('INVALID_INPUT', `amount must be a finite number ≥ 0, got ${x}`);
  }
  const text = String(x);
  const e = text.indexOf('e');
  const mantissa = e < 0 ? text : text.slice(0, e);
  const exponent = e < 0 ? 0 : Number(text.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const whole = dot < 0 ? mantissa : mantissa.slice(0, dot);
  const frac = dot < 0 ? '' : mantissa.slice(dot + 1);
  let scale = frac.length - exponent;
  let digits = BigInt(whole + frac);
  if (scale < 0) {
    digits *= pow10(-scale);
    scale = 0;
  }
  return { digits, scale };
}

/**
 * Converts between numbers and step counts for one amount step. Build one per market and
 * reuse it: the step's decimal form is parsed once.
 */
export class AmountScale {
  readonly step: number;
  /** step = stepDigits × 10^-stepScale */
  readonly #stepDigits: bigint;
  readonly #stepScale: number;

  constructor(step: number) {
    if (!(step > 0) || !Number.isFinite(step)) {
      throw new BotDeskError('INVALID_INPUT', `amount step must be a number > 0, got ${step}`);
    }
    this.step = step;
    const d = decimalOf(step);
    this.#stepDigits = d.digits;
    this.#stepScale = d.scale;
  }

  /** amount / step as an exact fraction num/den. */
  #ratio(amount: number): { num: bigint; den: bigint } {
    const a = decimalOf(amount);
    // (A·10^-a) / (S·10^-s) = A·10^s / (S·10^a)
    return {
      num: a.digits * pow10(this.#stepScale),
      den: this.#stepDigits * pow10(a.scale),
    };
  }

  /** Whole steps in `amount`, rounded down (what an exchange accepts for an order). */
  floor(amount: number): bigint {
    const { num, den } = this.#ratio(amount);
    return num / den;
  }

  /** The nearest whole number of steps (reading back an amount that was made from steps). */
  round(amount: number): bigint {
    const { num, den } = this.#ratio(amount);
    return (2n * num + den) / (2n * den);
  }

  /** The amount of `steps` as the double nearest its exact decimal value. */
  toNumber(steps: bigint): number {
    if (steps === 0n) return 0;
    const negative = steps < 0n;
    const digits = (negative ? -steps : steps) * this.#stepDigits;
    const text = digits.toString();
    const scale = this.#stepScale;
    const padded = text.length <= scale ? '0'.repeat(scale - text.length + 1) + text : text;
    const cut = padded.length - scale;
    const value = Number(scale === 0 ? padded : `${padded.slice(0, cut)}.${padded.slice(cut)}`);
    return negative ? -value : value;
  }

  /** `amount` rounded down to the step, as a number. */
  floorNumber(amount: number): number {
    return this.toNumber(this.floor(amount));
  }
}

const scales = new Map<number, AmountScale>();

/** A shared AmountScale per step value (steps are few: one per market precision). */
export function amountScale(step: number): AmountScale {
  let s = scales.get(step);
  if (!s) {
    s = new AmountScale(step);
    scales.set(step, s);
  }
  return s;
}
