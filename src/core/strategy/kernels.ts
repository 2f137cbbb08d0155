/**
 * Indicator kernels shared by a built-in strategy's update() and its columnar form, so
 * both compute every value with the same floating-point operations in the same order and
 * therefore give identical signals. Each kernel takes one input per call, allocates
 * nothing after construction and reports "not ready yet" as NaN.
 *
 * EMA, RSI, MACD, Bollinger and Donchian repeat trading-signals' arithmetic step for
 * step (its values exactly). The SMA keeps a running sum instead of re-adding the
 * window, which is what makes a million candles take milliseconds; the sum is rebuilt
 * from the window each time the window turns over, so rounding never accumulates past
 * one window (tests hold it to trading-signals' values within 1e-9 relative).
 */

/** Simple moving average over `period` inputs. */
export class RollingMean {
  readonly period: number;
  readonly #window: Float64Array;
  #next = 0;
  #count = 0;
  #sum = 0;

  constructor(period: number) {
    this.period = period;
    this.#window = new Float64Array(period);
  }

  /** The mean of the last `period` inputs, NaN until there are that many. */
  next(x: number): number {
    const w = this.#window;
    const i = this.#next;
    this.#sum += x - w[i]!;
    w[i] = x;
    const n = i + 1;
    if (n === this.period) {
      this.#next = 0;
      // The window turned over: w[0..] is oldest first again, re-add it to drop drift.
      let s = 0;
      for (let k = 0; k < n; k++) s += w[k]!;
      this.#sum = s;
    } else this.#next = n;
    if (this.#count < this.period) {
      this.#count++;
      if (this.#count < this.period) return Number.NaN;
    }
    return this.#sum / this.period;
  }
}

/** Exponential moving average as trading-signals computes it (seeded with the first input). */
export class Ema {
  readonly period: number;
  readonly #k: number;
  #value = Number.NaN;
  #count = 0;

  constructor(period: number) {
    this.period = period;
    this.#k = 2 / (period + 1);
  }

  /** The EMA after `x`, NaN until `period` inputs (trading-signals' isStable). */
  next(x: number): number {
    const k = this.#k;
    const previous = this.#count === 0 ? x : this.#value;
    this.#value = x * k + previous * (1 - k);
    if (this.#count < this.period) this.#count++;
    return this.#count < this.period ? Number.NaN : this.#value;
  }
}

/** Wilder's smoothing (trading-signals' WSMA): the mean of the first `period` inputs, then smoothed. */
class Wilder {
  readonly #period: number;
  readonly #factor: number;
  #seedSum = 0;
  #count = 0;
  #value = Number.NaN;

  constructor(period: number) {
    this.#period = period;
    this.#factor = 1 / period;
  }

  next(x: number): number {
    if (this.#count < this.#period) {
      this.#seedSum += x;
      this.#count++;
      if (this.#count === this.#period) this.#value = this.#seedSum / this.#period;
      return this.#value;
    }
    const previous = this.#value;
    this.#value = (x - previous) * this.#factor + previous;
    return this.#value;
  }
}

/** Relative strength index with Wilder's smoothing (trading-signals' RSI). */
export class Rsi {
  readonly #gain: Wilder;
  readonly #loss: Wilder;
  #previous = Number.NaN;
  #seen = 0;

  constructor(period: number) {
    this.#gain = new Wilder(period);
    this.#loss = new Wilder(period);
  }

  /** RSI after `price`, NaN until `period` price changes were seen. */
  next(price: number): number {
    const previous = this.#previous;
    this.#previous = price;
    if (this.#seen === 0) {
      this.#seen = 1;
      return Number.NaN;
    }
    let gain: number;
    let loss: number;
    if (price > previous) {
      loss = this.#loss.next(0);
      gain = this.#gain.next(price - previous);
    } else {
      loss = this.#loss.next(previous - price);
      gain = this.#gain.next(0);
    }
    if (Number.isNaN(gain)) return Number.NaN;
    if (loss === 0) return 100;
    return 100 - 100 / (gain / loss + 1);
  }
}

/** MACD line, signal line and histogram (trading-signals' MACD with three EMAs). */
export class Macd {
  macd = Number.NaN;
  signal = Number.NaN;
  histogram = Number.NaN;
  readonly #fastK: number;
  readonly #slowK: number;
  readonly #signalK: number;
  readonly #slow: number;
  readonly #signalPeriod: number;
  #fast = 0;
  #slowValue = 0;
  #signalValue = 0;
  #prices = 0;
  #macds = 0;

  constructor(fast: number, slow: number, signal: number) {
    this.#fastK = 2 / (fast + 1);
    this.#slowK = 2 / (slow + 1);
    this.#signalK = 2 / (signal + 1);
    this.#slow = slow;
    this.#signalPeriod = signal;
  }

  /** Feeds `price`; true once the signal line is stable (the three fields are then set). */
  next(price: number): boolean {
    const first = this.#prices === 0;
    const fk = this.#fastK;
    const sk = this.#slowK;
    this.#fast = price * fk + (first ? price : this.#fast) * (1 - fk);
    this.#slowValue = price * sk + (first ? price : this.#slowValue) * (1 - sk);
    if (this.#prices < this.#slow) this.#prices++;
    if (this.#prices < this.#slow) return false;
    const macd = this.#fast - this.#slowValue;
    const gk = this.#signalK;
    this.#signalValue = macd * gk + (this.#macds === 0 ? macd : this.#signalValue) * (1 - gk);
    if (this.#macds < this.#signalPeriod) this.#macds++;
    if (this.#macds < this.#signalPeriod) return false;
    this.macd = macd;
    this.signal = this.#signalValue;
    this.histogram = macd - this.#signalValue;
    return true;
  }
}

/** Bollinger bands: mean and population deviation of the window, two passes (trading-signals' arithmetic). */
export class Bands {
  upper = Number.NaN;
  middle = Number.NaN;
  lower = Number.NaN;
  readonly #window: Float64Array;
  readonly #deviations: number;
  #next = 0;
  #count = 0;

  constructor(period: number, deviations: number) {
    this.#window = new Float64Array(period);
    this.#deviations = deviations;
  }

  /** Feeds `x`; true once the window is full (the three fields are then set). */
  next(x: number): boolean {
    const w = this.#window;
    const n = w.length;
    w[this.#next] = x;
    this.#next = this.#next + 1 === n ? 0 : this.#next + 1;
    if (this.#count < n) this.#count++;
    if (this.#count < n) return false;
    // Oldest first, as the library's array is.
    const start = this.#next;
    let sum = 0;
    for (let k = 0, i = start; k < n; k++, i = i + 1 === n ? 0 : i + 1) sum += w[i]!;
    const middle = sum / n;
    let squares = 0;
    for (let k = 0, i = start; k < n; k++, i = i + 1 === n ? 0 : i + 1) {
      const d = w[i]! - middle;
      squares += d * d;
    }
    const deviation = Math.sqrt(squares / n);
    this.middle = middle;
    this.upper = middle + deviation * this.#deviations;
    this.lower = middle - deviation * this.#deviations;
    return true;
  }
}

/** Highest high and lowest low of the last `period` candles (Donchian channel). */
export class Extremes {
  upper = Number.NaN;
  lower = Number.NaN;
  readonly #highs: Float64Array;
  readonly #lows: Float64Array;
  #next = 0;
  #count = 0;

  constructor(period: number) {
    this.#highs = new Float64Array(period);
    this.#lows = new Float64Array(period);
  }

  /** Feeds one candle's range; true once the window is full (upper and lower are then set). */
  next(high: number, low: number): boolean {
    const n = this.#highs.length;
    this.#highs[this.#next] = high;
    this.#lows[this.#next] = low;
    this.#next = this.#next + 1 === n ? 0 : this.#next + 1;
    if (this.#count < n) this.#count++;
    if (this.#count < n) return false;
    let upper = -Infinity;
    let lower = Infinity;
    for (let k = 0; k < n; k++) {
      const h = this.#highs[k]!;
      const l = this.#lows[k]!;
      if (h > upper) upper = h;
      if (l < lower) lower = l;
    }
    this.upper = upper;
    this.lower = lower;
    return true;
  }
}
