/**
 * Candles for the tick loop, one candle time at a time.
 *
 * Simulated and replayed markets are paced by the engine: the feed is read only when the
 * loop asks for the next candle time, so it never runs ahead of the tick being processed.
 * However slow a tick (a loaded machine, a slow strategy), the next one gets exactly the
 * next candle time: a run's trades are the same at any speed.
 *
 * A real-time exchange feed cannot wait for the bot: it is read in the background, and
 * when the bot fell behind, the candle times that piled up come out together (`times`
 * holds several). Each is still stepped in order, so fills stay at their own candle, but
 * only the newest one's signals are traded; the others are counted as merged and reported.
 * A real-time feed also passes on the forming candles (`onForming`): live price updates
 * between candle closes, on which the engine checks protective exits only.
 */
import type { Candle, Timeframe } from '../../api/schemas.ts';
import { TIMEFRAME_MS } from '../../api/schemas.ts';
import { sleepReal } from '../../market/clock.ts';
import type { CandleEvent, MarketDataSource, SourceHealth } from '../../market/types.ts';
import { raceAbort } from '../abortable.ts';

export interface CandleBatch {
  /** Candle open times, ascending; more than one only when a real-time feed fell behind. */
  times: number[];
  /** Each symbol's candles of the batch, ascending. */
  candles: Map<string, Candle[]>;
}

export interface CandleFeedOptions {
  market: MarketDataSource;
  symbols: readonly string[];
  timeframe: Timeframe;
  /** Last candle time already known per symbol (warm-up); later candles only. */
  lastTs: ReadonlyMap<string, number>;
  /** Market ms per real ms, to size the wait for a real-time batch's stragglers. */
  speed: number;
  /** Symbols whose candles a real-time batch waits for (paused pairs are not waited for). */
  awaited: (symbol: string) => boolean;
  onHealth: (h: SourceHealth) => void;
  /** Real-time feeds only: each forming (not yet closed) candle of a later candle time. */
  onForming?: (symbol: string, candle: Candle) => void;
  signal: AbortSignal;
}

export interface CandleFeed {
  /** The next candle time(s); null once the feed ended or the signal aborted. */
  next(): Promise<CandleBatch | null>;
  /** Whether the feed ended by itself (not by the abort). */
  readonly ended: boolean;
  /** Ends the subscription and waits for the source to wind down. */
  close(): Promise<void>;
}

export function createCandleFeed(opts: CandleFeedOptions): CandleFeed {
  return opts.market.kind === 'ccxt' ? new RealTimeFeed(opts) : new PacedFeed(opts);
}

function subscribe(opts: CandleFeedOptions, partial = false): AsyncIterator<CandleEvent> {
  const tfMs = TIMEFRAME_MS[opts.timeframe];
  const known = [...opts.lastTs.values()];
  const lastKnown = known.length === opts.symbols.length ? Math.min(...known) : Number.NaN;
  const events = opts.market.subscribe(opts.symbols, opts.timeframe, {
    signal: opts.signal,
    ...(partial ? { partial } : {}),
    ...(Number.isFinite(lastKnown) ? { since: lastKnown + tfMs } : {}),
    onHealth: opts.onHealth,
  });
  return events[Symbol.asyncIterator]();
}

/** Tracks the newest candle per symbol: the source promises order, this keeps overlaps out. */
class Seen {
  readonly #last = new Map<string, number>();

  constructor(symbols: readonly string[], lastTs: ReadonlyMap<string, number>) {
    for (const s of symbols) this.#last.set(s, lastTs.get(s) ?? Number.NEGATIVE_INFINITY);
  }

  /** True when the event is a new closed candle of a subscribed symbol (and records it). */
  take(ev: CandleEvent): boolean {
    const last = this.#last.get(ev.symbol);
    if (!ev.closed || last === undefined || ev.candle.ts <= last) return false;
    this.#last.set(ev.symbol, ev.candle.ts);
    return true;
  }

  /** True when the event is a forming candle after the newest closed one of a subscribed symbol. */
  forming(ev: CandleEvent): boolean {
    const last = this.#last.get(ev.symbol);
    return !ev.closed && last !== undefined && ev.candle.ts > last;
  }
}

/** Simulated and replay feeds: pulled one candle time at a time, never read ahead. */
class PacedFeed implements CandleFeed {
  ended = false;
  readonly #opts: CandleFeedOptions;
  readonly #seen: Seen;
  #it: AsyncIterator<CandleEvent> | null = null;
  /** The first event of the next candle time, read while finding the end of the current one. */
  #held: CandleEvent | null = null;

  constructor(opts: CandleFeedOptions) {
    this.#opts = opts;
    this.#seen = new Seen(opts.symbols, opts.lastTs);
  }

  async close(): Promise<void> {
    const it = this.#it;
    this.#it = null;
    await it?.return?.();
  }

  async next(): Promise<CandleBatch | null> {
    const { signal, symbols } = this.#opts;
    this.#it ??= subscribe(this.#opts);
    let ts = Number.NaN;
    const candles = new Map<string, Candle[]>();
    const batch = (): CandleBatch => ({ times: [ts], candles });
    for (;;) {
      let ev = this.#held;
      this.#held = null;
      if (ev === null) {
        if (signal.aborted) return null;
        let r: IteratorResult<CandleEvent>;
        try {
          r = await raceAbort(this.#it.next(), signal);
        } catch (err) {
          if (signal.aborted) return null;
          throw err;
        }
        if (signal.aborted) return null;
        if (r.done) {
          this.ended = true;
          return candles.size > 0 ? batch() : null;
        }
        ev = r.value;
        if (!this.#seen.take(ev)) continue;
      }
      if (Number.isNaN(ts)) ts = ev.candle.ts;
      if (ev.candle.ts > ts) {
        // A symbol without a candle at `ts` (a gap kept as a gap): the next time has begun.
        this.#held = ev;
        return batch();
      }
      if (ev.candle.ts === ts) candles.set(ev.symbol, [ev.candle]);
      // Every symbol delivered: done, without waiting for the next candle time.
      if (candles.size === symbols.length) return batch();
    }
  }
}

/** An exchange feed: read in the background; late candle times come out together. */
class RealTimeFeed implements CandleFeed {
  ended = false;
  readonly #opts: CandleFeedOptions;
  readonly #pending = new Map<string, Candle[]>();
  #wake: (() => void) | null = null;
  #reader: Promise<void> | null = null;

  constructor(opts: CandleFeedOptions) {
    this.#opts = opts;
    for (const s of opts.symbols) this.#pending.set(s, []);
  }

  async #read(): Promise<void> {
    const seen = new Seen(this.#opts.symbols, this.#opts.lastTs);
    const { signal, onForming } = this.#opts;
    const partial = onForming !== undefined;
    try {
      for await (const ev of { [Symbol.asyncIterator]: () => subscribe(this.#opts, partial) }) {
        if (signal.aborted) return;
        if (!seen.take(ev)) {
          if (partial && seen.forming(ev)) onForming(ev.symbol, ev.candle);
          continue;
        }
        this.#pending.get(ev.symbol)!.push(ev.candle);
        this.#wake?.();
      }
      this.ended = !signal.aborted;
    } finally {
      this.#wake?.();
    }
  }

  async close(): Promise<void> {
    await this.#reader?.catch(() => {});
  }

  #hasPending(): boolean {
    for (const list of this.#pending.values()) if (list.length > 0) return true;
    return false;
  }

  /** Every awaited symbol has reached the newest candle time any symbol has. */
  #complete(): boolean {
    let newest = Number.NEGATIVE_INFINITY;
    for (const list of this.#pending.values()) newest = Math.max(newest, list.at(-1)?.ts ?? newest);
    for (const [symbol, list] of this.#pending) {
      if (this.#opts.awaited(symbol) && (list.at(-1)?.ts ?? Number.NEGATIVE_INFINITY) < newest)
        return false;
    }
    return true;
  }

  async next(): Promise<CandleBatch | null> {
    const { signal } = this.#opts;
    if (this.#reader === null) {
      // A reader failure surfaces through next(): the loop stops with it.
      this.#reader = this.#read();
    }
    let failure: unknown = null;
    const reader = this.#reader.catch((err: unknown) => {
      failure = err;
    });
    while (!this.#hasPending()) {
      if (failure !== null) throw failure;
      if (signal.aborted || this.ended) return null;
      await Promise.race([
        reader,
        new Promise<void>((resolve) => {
          const done = () => {
            signal.removeEventListener('abort', done);
            this.#wake = null;
            resolve();
          };
          this.#wake = done;
          signal.addEventListener('abort', done, { once: true });
        }),
      ]);
      if (failure !== null) throw failure;
    }
    // The other symbols of the same candle time arrive moments apart: give them a little time.
    const tfMs = TIMEFRAME_MS[this.#opts.timeframe];
    const gatherMs = Math.min(250, tfMs / this.#opts.speed / 4);
    const deadline = performance.now() + gatherMs;
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (!this.#complete() && performance.now() < deadline) {
      if (!(await sleepReal(Math.min(5, gatherMs), signal))) return null;
    }
    if (signal.aborted) return null;
    const times = new Set<number>();
    const candles = new Map<string, Candle[]>();
    for (const [symbol, list] of this.#pending) {
      if (list.length === 0) continue;
      candles.set(symbol, list.splice(0));
      for (const c of candles.get(symbol)!) times.add(c.ts);
    }
    return { times: [...times].sort((a, b) => a - b), candles };
  }
}
