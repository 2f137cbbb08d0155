/**
 * One amount arithmetic for the wallet and the positions: a base amount is held as an
 * integer count of the market's amount step (a BigInt, since 1e9 units at a 1e-8 step is
 * 1e17 steps, past 2^53). Numbers are converted through their exact decimal form, never by
 * dividing floats: `amount / step` in floats can land one ulp under an integer and floor
 * an already-stepped amount one more step — the dust that used to lock a pair for good.
 *
 * Fast path (every trade of a backtest goes through here): while the step counts involved
 * stay under FAST_DIGITS, the same exact results come from plain doubles, without strings
 * or BigInts. A float quotient gives a candidate count within one of the answer, and each
 * candidate is settled by one exact comparison: a double `a` is ≥ the decimal `M / 10^s`
 * (M a whole number under 10^15, so at most 15 significant digits) exactly when
 * `a >= M / 10^s` in doubles. Both operands of that division are exact, so the quotient is
 * the double nearest the decimal; rounding is monotone, so `a` above or below it settles
 * it, and when they are equal the decimal is the shortest form of `a` (decimals of up to 15
 * digits map to distinct doubles), i.e. exactly what `String(a)` prints. Counts beyond
 * that (e.g. more than 10^7 units at a 1e-8 step) take the BigInt path.
 */
import { BotDeskError } from '../api/errors.ts';

/** A finite non-negative decimal as `digits × 10^-scale`. */
interface Decimal {
  digits: bigint;
  scale: number;
}

const TEN = 10n;

/** Whole numbers below this have at most 15 significant digits (exact in a double's round trip). */
const FAST_DIGITS = 1e15;
/** Powers of ten up to 10^22 are exact doubles. */
const MAX_EXACT_POW10 = 22;

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
  /** Fast path (see the top of the file): stepDigits and 10^stepScale as exact doubles. */
  readonly #fast: boolean;
  readonly #s: number;
  readonly #p: number;
  /** 10 × #p, for the half steps of `round`. */
  readonly #p10: number;
  /** Float quotients below these take the fast path of floor / round. */
  readonly #floorLimit: number;
  readonly #roundLimit: number;
  /** Step counts up to this convert to numbers on the fast path (count × stepDigits < 2^53). */
  readonly #countLimit: bigint;
  /** −#countLimit, kept so the check allocates no BigInt. */
  readonly #negCountLimit: bigint;

  constructor(step: number) {
    if (!(step > 0) || !Number.isFinite(step)) {
      throw new BotDeskError('INVALID_INPUT', `amount step must be a number > 0, got ${step}`);
    }
    this.step = step;
    const d = decimalOf(step);
    this.#stepDigits = d.digits;
    this.#stepScale = d.scale;
    this.#fast = d.scale + 1 <= MAX_EXACT_POW10 && d.digits < BigInt(FAST_DIGITS);
    this.#s = Number(d.digits);
    this.#p = 10 ** d.scale;
    this.#p10 = 10 ** (d.scale + 1);
    // Leave room for the candidate above the float quotient (and its half-step form).
    this.#floorLimit = this.#fast ? FAST_DIGITS / this.#s - 2 : 0;
    this.#roundLimit = this.#fast ? FAST_DIGITS / (10 * this.#s) - 2 : 0;
    this.#countLimit = this.#fast ? BigInt(Math.floor(Number.MAX_SAFE_INTEGER / this.#s)) : 0n;
    this.#negCountLimit = -this.#countLimit;
  }

  /** floor(amount / step) on the fast path, or -1 where it does not apply. */
  #floorFast(a: number): number {
    if (!(a >= 0)) return -1;
    const q = a / this.step;
    if (!(q < this.#floorLimit)) return -1;
    const k = Math.floor(q);
    // The exact quotient is within 0.5 of q (three roundings of ≤ 2^-53 on q < 10^15).
    const s = this.#s;
    const p = this.#p;
    if (a >= ((k + 1) * s) / p) return k + 1;
    if (k === 0 || a >= (k * s) / p) return k;
    return k - 1;
  }

  /** round(amount / step), half steps up, on the fast path, or -1 where it does not apply. */
  #roundFast(a: number): number {
    if (!(a >= 0)) return -1;
    const q = a / this.step;
    if (!(q < this.#roundLimit)) return -1;
    const k = Math.floor(q + 0.5);
    // k rounds to `a` when a ≥ (k − ½)·step = (2k − 1)·5·stepDigits / 10^(stepScale + 1).
    const s5 = 5 * this.#s;
    const p10 = this.#p10;
    if (a >= ((2 * k + 1) * s5) / p10) return k + 1;
    if (k === 0 || a >= ((2 * k - 1) * s5) / p10) return k;
    return k - 1;
  }

  /** The double nearest count × step, for a count on the fast path. */
  #countToNumber(count: number): number {
    return (count * this.#s) / this.#p;
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
    if (this.#fast) {
      const k = this.#floorFast(amount);
      if (k >= 0) return BigInt(k);
    }
    const { num, den } = this.#ratio(amount);
    return num / den;
  }

  /** The nearest whole number of steps (reading back an amount that was made from steps). */
  round(amount: number): bigint {
    if (this.#fast) {
      const k = this.#roundFast(amount);
      if (k >= 0) return BigInt(k);
    }
    const { num, den } = this.#ratio(amount);
    return (2n * num + den) / (2n * den);
  }

  /** The amount of `steps` as the double nearest its exact decimal value. */
  toNumber(steps: bigint): number {
    if (steps === 0n) return 0;
    if (this.#fast && steps < this.#countLimit && steps > this.#negCountLimit) {
      const k = Number(steps);
      return k < 0 ? -this.#countToNumber(-k) : this.#countToNumber(k);
    }
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
    if (this.#fast) {
      const k = this.#floorFast(amount);
      if (k >= 0) return this.#countToNumber(k);
    }
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
