/**
 * One simulated price series (symbol × timeframe). Returns follow GARCH(1,1) volatility
 * with Student-t shocks, a common market factor (so symbols are correlated) and market
 * regimes (ranges, up-trends, down-trends) that switch at random. The series is anchored
 * at an origin time and runs both ways from it — forward for live candles, backward for
 * history — so warm-up history and the live stream are one continuous series.
 *
 * That process is the latent mid price; the microstructure layer (sim-micro.ts) turns it
 * into trades on a tick grid and so into candles, with time of day (sim-season.ts) scaling
 * both volatility and trading. Without the layer (`microstructure: false`, the generator as
 * it was before the layer, kept for comparison) candles are the mid path itself.
 *
 * Candles are generated in chunks; a small checkpoint of the generator state is kept at
 * every chunk boundary, so old chunks can be dropped to bound memory and regenerated
 * exactly when asked for again.
 */
import type { Candle } from '../api/schemas.ts';
import { normal, studentT, uniform } from './random.ts';
import { TradeLayer } from './sim-micro.ts';
import type { MicroState } from './sim-micro.ts';
import type { SymbolProfile } from './sim-profile.ts';
import { seasonFactor } from './sim-season.ts';

const CHUNK = 1024;
const MAX_CHUNKS = 16;
const FIELDS = 6;

/** GARCH(1,1): σ²ₜ = ω + α·ε²ₜ₋₁ + β·σ²ₜ₋₁, persistence α + β = 0.98. */
const GARCH_ALPHA = 0.08;
const GARCH_BETA = 0.9;
/** Per-candle chance that the market regime changes (mean regime length 250 candles). */
const REGIME_SWITCH = 0.004;
/** Trend drift per candle, as a fraction of σ. */
const TREND_DRIFT = 0.06;
/** Pull toward the range's centre while ranging, and a weak pull toward the start price always. */
const RANGE_PULL = 0.01;
const HOME_PULL = 0.0002;

const RANGE = 0;
const UP = 1;
const DOWN = 2;

interface GeneratorState extends MicroState {
  logPrice: number;
  variance: number;
  regime: number;
  rangeCentre: number;
}

export interface SimSeriesOptions {
  /** Trades, ticks, spread and time of day over the mid price. Default true. */
  microstructure?: boolean;
}

export class SimSeries {
  readonly origin: number;
  readonly tfMs: number;
  readonly #profile: SymbolProfile;
  readonly #marketKey: number;
  readonly #home: number;
  readonly #omega: number;
  readonly #scale: number;
  readonly #volumeScale = 1e6;
  /** The microstructure layer, or null for candles straight from the mid path. */
  readonly #trades: TradeLayer | null;
  /** checkpoints[c] for c ≥ 0 at forwardCheckpoints[c]; for c < 0 at backwardCheckpoints[-c - 1]. */
  readonly #forwardCheckpoints: GeneratorState[];
  readonly #backwardCheckpoints: GeneratorState[];
  readonly #chunks = new Map<number, Float64Array>();

  constructor(
    profile: SymbolProfile,
    marketKey: number,
    origin: number,
    tfMs: number,
    opts: SimSeriesOptions = {},
  ) {
    this.#profile = profile;
    this.#trades = opts.microstructure === false ? null : new TradeLayer(profile, tfMs);
    this.#marketKey = marketKey;
    this.origin = origin;
    this.tfMs = tfMs;
    this.#home = Math.log(profile.startPrice);
    this.#omega = profile.sigma * profile.sigma * (1 - GARCH_ALPHA - GARCH_BETA);
    this.#scale = 10 ** profile.priceDecimals;
    const initial: GeneratorState = {
      logPrice: this.#home,
      variance: profile.sigma * profile.sigma,
      regime: RANGE,
      rangeCentre: this.#home,
      ...(this.#trades ? this.#trades.initial(this.#home) : { activity: 0, lastTicks: 0 }),
    };
    this.#forwardCheckpoints = [initial];
    this.#backwardCheckpoints = [{ ...initial }];
  }

  /** Index of the candle that opens at `ts` (any time inside it). */
  indexAt(ts: number): number {
    return Math.floor((ts - this.origin) / this.tfMs);
  }

  candle(index: number): Candle {
    const chunk = this.#chunk(Math.floor(index / CHUNK));
    const o = (index - Math.floor(index / CHUNK) * CHUNK) * FIELDS;
    return {
      ts: this.origin + index * this.tfMs,
      open: chunk[o + 1]!,
      high: chunk[o + 2]!,
      low: chunk[o + 3]!,
      close: chunk[o + 4]!,
      volume: chunk[o + 5]!,
    };
  }

  /** Candles with index in [from, to). */
  range(from: number, to: number): Candle[] {
    const out: Candle[] = [];
    for (let i = from; i < to; i++) out.push(this.candle(i));
    return out;
  }

  /**
   * The candle `index` as it looks a `fraction` (0…1) into its life: a Brownian-bridge point
   * between open and the final close, inside the final high/low, with volume so far.
   */
  forming(index: number, fraction: number): Candle {
    const final = this.candle(index);
    // A candle without trades stays flat at the last price the whole time.
    if (final.volume === 0 && this.#trades) return final;
    const f = Math.min(1, Math.max(0, fraction));
    const lo = Math.log(final.open);
    const lc = Math.log(final.close);
    const spread = (Math.log(final.high) - Math.log(final.low)) / 2.5;
    const step = Math.floor(f * 1000);
    const point = Math.exp(
      lo +
        f * (lc - lo) +
        spread * Math.sqrt(f * (1 - f)) * normal(this.#profile.key, index, 16 + 2 * step),
    );
    const close = this.#price(Math.min(final.high, Math.max(final.low, point)));
    const top = Math.max(final.open, close);
    const bottom = Math.min(final.open, close);
    return {
      ts: final.ts,
      open: final.open,
      high: Math.max(top, this.#price(top + f * (final.high - top))),
      low: Math.min(bottom, this.#price(bottom - f * (bottom - final.low))),
      close,
      volume: Math.round(final.volume * f * this.#volumeScale) / this.#volumeScale,
    };
  }

  /** `value` on the price grid: the tick grid with the layer, else fixed decimals. */
  #price(value: number): number {
    if (this.#trades) return this.#trades.price(this.#trades.toTicks(value));
    return Math.round(value * this.#scale) / this.#scale;
  }

  #chunk(c: number): Float64Array {
    const cached = this.#chunks.get(c);
    if (cached) {
      // Keep the map in least-recently-used order.
      this.#chunks.delete(c);
      this.#chunks.set(c, cached);
      return cached;
    }
    let data: Float64Array | undefined;
    if (c >= 0) {
      for (let k = this.#forwardCheckpoints.length - 1; k <= c; k++) data = this.#generate(k);
      if (!data) data = this.#generate(c);
    } else {
      for (let k = -this.#backwardCheckpoints.length; k >= c; k--) data = this.#generate(k);
      if (!data) data = this.#generate(c);
    }
    return data;
  }

  /** Generates chunk `c` from its checkpoint and records the next checkpoint. */
  #generate(c: number): Float64Array {
    const forward = c >= 0;
    const checkpoint = forward ? this.#forwardCheckpoints[c] : this.#backwardCheckpoints[-c - 1];
    if (!checkpoint) throw new Error(`simulated series: no checkpoint for chunk ${c}`);
    const state = { ...checkpoint };
    const data = new Float64Array(CHUNK * FIELDS);
    const first = c * CHUNK;
    for (let n = 0; n < CHUNK; n++) {
      const index = forward ? first + n : first + CHUNK - 1 - n;
      this.#step(state, index, forward, data, (index - first) * FIELDS);
    }
    if (forward && this.#forwardCheckpoints.length === c + 1) this.#forwardCheckpoints.push(state);
    if (!forward && this.#backwardCheckpoints.length === -c) this.#backwardCheckpoints.push(state);
    this.#chunks.set(c, data);
    if (this.#chunks.size > MAX_CHUNKS) {
      const oldest = this.#chunks.keys().next().value;
      if (oldest !== undefined) this.#chunks.delete(oldest);
    }
    return data;
  }

  /** One candle. Forward: state holds its open and moves to its close; backward the reverse. */
  #step(
    state: GeneratorState,
    index: number,
    forward: boolean,
    out: Float64Array,
    at: number,
  ): void {
    const p = this.#profile;
    const m = this.#marketKey;
    const ts = this.origin + index * this.tfMs;
    if (uniform(m, index, 4) < REGIME_SWITCH) {
      state.regime = (state.regime + (uniform(m, index, 5) < 0.5 ? 1 : 2)) % 3;
      if (state.regime === RANGE) state.rangeCentre = state.logPrice;
    }
    const shock =
      p.beta * studentT(m, index, 0) + Math.sqrt(1 - p.beta * p.beta) * studentT(p.key, index, 0);
    const variance = state.variance;
    const sd = Math.sqrt(variance);
    // GARCH runs on deseasonalised shocks; the time of day scales the move it makes.
    const season = this.#trades ? seasonFactor(ts, this.tfMs) : 1;
    const scale = this.#trades ? Math.sqrt(season) : 1;
    const eps = sd * shock;
    const trend = state.regime === UP ? TREND_DRIFT : state.regime === DOWN ? -TREND_DRIFT : 0;
    const pull =
      (state.regime === RANGE ? RANGE_PULL * (state.rangeCentre - state.logPrice) : 0) +
      (p.beta === 0 ? 0.05 : HOME_PULL) * (this.#home - state.logPrice);
    const move = pull + (forward ? 1 : -1) * (trend * p.sigma * p.beta + eps * scale);
    const from = state.logPrice;
    state.logPrice = from + move;
    state.variance = this.#omega + GARCH_ALPHA * eps * eps + GARCH_BETA * variance;

    const open = forward ? from : state.logPrice;
    const close = forward ? state.logPrice : from;
    out[at] = ts;
    if (this.#trades) {
      const rate = this.#trades.advance(state, index, season, variance, shock);
      this.#trades.candle(state, index, forward, open, close, sd * scale, rate, out, at);
      return;
    }
    const x = close - open;
    // Extremes of a Brownian bridge from 0 to x with volatility sd, sampled exactly.
    const up = (x + Math.sqrt(x * x - 2 * sd * sd * Math.log(uniform(p.key, index, 6)))) / 2;
    const down = (x - Math.sqrt(x * x - 2 * sd * sd * Math.log(uniform(p.key, index, 7)))) / 2;
    const activity = 0.4 + (0.6 * Math.abs(eps)) / p.sigma;
    const volume = p.volume * activity * Math.exp(0.35 * normal(p.key, index, 8) - 0.06);
    out[at + 1] = this.#price(Math.exp(open));
    out[at + 2] = this.#price(Math.exp(open + up));
    out[at + 3] = this.#price(Math.exp(open + down));
    out[at + 4] = this.#price(Math.exp(open + x));
    out[at + 5] = Math.round(volume * this.#volumeScale) / this.#volumeScale;
  }
}
