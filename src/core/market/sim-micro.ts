/**
 * The microstructure layer of the simulated market: how a latent mid price (sim-series.ts)
 * becomes the candles an exchange would print.
 *
 * - Trades arrive at a rate that follows a persistent activity process of its own, the
 *   time of day, and the current volatility; a quiet candle may have no trade at all and
 *   is then flat at the last traded price with zero volume (on real exchanges, small coins
 *   have many such minutes).
 * - Every trade is a buy at the ask or a sell at the bid, half an effective spread from the
 *   mid, and on the symbol's tick grid: closes bounce between bid and ask, which makes
 *   one-candle returns negatively autocorrelated, and small moves round to no move.
 * - A candle opens at its first trade (not at the previous close), closes at its last; its
 *   high and low are the extreme trades, which see less of the path when trades are few.
 * - Volume is the sum of the trades' sizes: linked to activity, only loosely to the move.
 *
 * Candles are generated forward from the series origin, and backward for history before
 * it; the state carries the last traded price across the boundary either way.
 */
import { normal, normalPair, pair, uniform } from './random.ts';
import { TRADE_SIZE_SD } from './sim-profile.ts';
import type { SymbolProfile } from './sim-profile.ts';

/** Activity (log trade rate) is AR(1) with this standard deviation … */
const ACTIVITY_SD = 0.5;
/** … and forgets half of itself in about 30 minutes. */
const ACTIVITY_MEMORY_MS = 45 * 60_000;
/** Trade rate ∝ (conditional variance / average variance)^VOL_LINK: busy when volatile. */
const VOL_LINK = 1;
/**
 * Each candle's rate also varies on its own (bursts of orders, one large trader): trade
 * counts are over-dispersed, and volume is noisy from one minute to the next even in a
 * deep book, as on exchanges (1m volume autocorrelation well below 1).
 */
const BURST_SD = 0.5;
/**
 * Large moves come with more trading in the same candle (stops triggered, traders reacting):
 * log rate += SHOCK_LINK · (|shock| − its mean), shock being the candle's unit return shock.
 */
const SHOCK_LINK = 0.2;
const MEAN_ABS_SHOCK = 0.75;
/** Expected max of a continuous path minus that of n samples ≈ 0.5826·σ/√n (Broadie–Glasserman–Kou). */
const DISCRETE_MAX = 0.5826;
/** Poisson counts above this mean use the normal approximation. */
const POISSON_EXACT_BELOW = 40;
const SIZE_CV2 = Math.exp(TRADE_SIZE_SD * TRADE_SIZE_SD) - 1;
const VOLUME_SCALE = 1e6;

/** Draw slots at each candle index (a normal or a pair of normals takes two), clear of the latent process's (0–15) and forming candles' (16–2017). */
const SLOT_ACTIVITY = 3000;
const SLOT_COUNT = 3002;
const SLOT_CLOSE_SIDE = 3004;
const SLOT_OPEN_TIME = 3005;
const SLOT_OPEN_SIDE = 3006;
const SLOT_OPEN_MID = 3007;
const SLOT_PREV_SIDE = 3011;

export interface MicroState {
  /** Log of the trade-rate multiplier (mean-zero AR(1)). */
  activity: number;
  /** Last traded price in ticks, at the boundary the state stands on. */
  lastTicks: number;
}

export class TradeLayer {
  readonly #p: SymbolProfile;
  readonly #phi: number;
  readonly #innovation: number;
  readonly #variance: number;

  constructor(profile: SymbolProfile, tfMs: number) {
    this.#p = profile;
    this.#phi = Math.exp(-tfMs / ACTIVITY_MEMORY_MS);
    this.#innovation = ACTIVITY_SD * Math.sqrt(1 - this.#phi * this.#phi);
    this.#variance = profile.sigma * profile.sigma;
  }

  initial(logMid: number): MicroState {
    return { activity: 0, lastTicks: this.#trade(logMid, 0, SLOT_PREV_SIDE) };
  }

  toTicks(price: number): number {
    return Math.max(1, Math.round(price / this.#p.tickSize));
  }

  price(ticks: number): number {
    return (ticks * this.#p.tickUnits) / this.#p.tickScale;
  }

  /**
   * Mean trade count of candle `index`, whose return shock (unit variance) is `shock`: the
   * activity process moves one candle on.
   */
  advance(
    state: MicroState,
    index: number,
    season: number,
    variance: number,
    shock: number,
  ): number {
    normalPair(this.#p.key, index, SLOT_ACTIVITY);
    state.activity = this.#phi * state.activity + this.#innovation * pair[0]!;
    const burst = BURST_SD * pair[1]! + SHOCK_LINK * (Math.abs(shock) - MEAN_ABS_SHOCK);
    return (
      this.#p.tradesPerCandle *
      season *
      Math.exp(state.activity + burst - (ACTIVITY_SD * ACTIVITY_SD + BURST_SD * BURST_SD) / 2) *
      (variance / this.#variance) ** VOL_LINK
    );
  }

  /**
   * Writes candle `index` (ts already written at `at`): the latent mid went from `openLog` to
   * `closeLog` with volatility `sd` inside the candle. Forward, `state.lastTicks` is the last
   * trade before the candle and becomes its close; backward, it is the candle's close and
   * becomes the last trade before it.
   */
  candle(
    state: MicroState,
    index: number,
    forward: boolean,
    openLog: number,
    closeLog: number,
    sd: number,
    rate: number,
    out: Float64Array,
    at: number,
  ): void {
    const key = this.#p.key;
    const n = poisson(rate, key, index);
    if (n === 0) {
      const flat = this.price(state.lastTicks);
      out[at + 1] = flat;
      out[at + 2] = flat;
      out[at + 3] = flat;
      out[at + 4] = flat;
      out[at + 5] = 0;
      return;
    }
    const close = forward ? this.#trade(closeLog, index, SLOT_CLOSE_SIDE) : state.lastTicks;
    const x = closeLog - openLog;
    normalPair(key, index, SLOT_OPEN_MID);
    const midDraw = pair[0]!;
    const sizeDraw = pair[1]!;
    let open = close;
    if (n >= 2) {
      // The first of the other n - 1 trades, uniform in the candle: a point on the mid's bridge.
      const t = 1 - Math.exp(Math.log(uniform(key, index, SLOT_OPEN_TIME)) / (n - 1));
      const mid = openLog + t * x + sd * Math.sqrt(t * (1 - t)) * midDraw;
      open = this.#trade(mid, index, SLOT_OPEN_SIDE);
    }
    let high = open > close ? open : close;
    let low = open > close ? close : open;
    if (n >= 3) {
      // Extremes of the mid's bridge from 0 to x, sampled exactly, then seen through n trades.
      const seen = (DISCRETE_MAX * sd) / Math.sqrt(n);
      const s2 = 2 * sd * sd;
      const up = (x + Math.sqrt(x * x - s2 * Math.log(uniform(key, index, 6)))) / 2 - seen;
      const down = (x - Math.sqrt(x * x - s2 * Math.log(uniform(key, index, 7)))) / 2 + seen;
      const h = this.#p.halfSpread;
      const top = this.toTicks(Math.exp(openLog + Math.max(up, 0, x)) * (1 + h));
      const bottom = this.toTicks(Math.exp(openLog + Math.min(down, 0, x)) * (1 - h));
      if (top > high) high = top;
      if (bottom < low) low = bottom;
    }
    out[at + 1] = this.price(open);
    out[at + 2] = this.price(high);
    out[at + 3] = this.price(low);
    out[at + 4] = this.price(close);
    // A sum of n log-normal trade sizes, matched in mean and variance.
    const s2 = Math.log(1 + SIZE_CV2 / n);
    const volume = n * this.#p.tradeSize * Math.exp(Math.sqrt(s2) * sizeDraw - s2 / 2);
    // At least one volume step: a candle with a trade is never mistaken for one without.
    out[at + 5] = Math.max(1, Math.round(volume * VOLUME_SCALE)) / VOLUME_SCALE;
    state.lastTicks = forward ? close : this.#trade(openLog, index, SLOT_PREV_SIDE);
  }

  /** A trade at the ask or the bid around the mid exp(logMid), in ticks. */
  #trade(logMid: number, index: number, slot: number): number {
    const side = uniform(this.#p.key, index, slot) < 0.5 ? -1 : 1;
    return this.toTicks(Math.exp(logMid) * (1 + side * this.#p.halfSpread));
  }
}

/** A Poisson count with mean `mean` from the draws at (key, index, SLOT_COUNT…+1). */
function poisson(mean: number, key: number, index: number): number {
  if (mean >= POISSON_EXACT_BELOW) {
    const n = Math.round(mean + Math.sqrt(mean) * normal(key, index, SLOT_COUNT));
    return n > 0 ? n : 0;
  }
  const u = uniform(key, index, SLOT_COUNT);
  let p = Math.exp(-mean);
  let cdf = p;
  let n = 0;
  while (u > cdf && n < 1000) {
    n++;
    p *= mean / n;
    cdf += p;
  }
  return n;
}
