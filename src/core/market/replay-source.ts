/**
 * File replay: plays a CSV/JSON candle file as if it were live, `speed` times faster
 * than real time. The first `history()` call takes the first candles of the file as
 * warm-up; the replay then continues right after them and ends with the file. Missing
 * candles are kept as gaps (a symbol without a candle at a candle time sends none) or
 * filled flat (`gaps`, the same option as a backtest's); either way their number is a
 * warning in the source's health.
 */
import { basename } from 'node:path';
import { BotDeskError } from '../api/errors.ts';
import { DEFAULT_GAP_MODE, type Candle, type GapMode, type Timeframe } from '../api/schemas.ts';
import { ANY_SYMBOL, readCandleFile } from './candle-file.ts';
import type { CandleFile } from './candle-file.ts';
import { createClock } from './clock.ts';
import { offlineHealth } from './health.ts';
import { checkLimit, checkSymbols, closestName, timeframeMs } from './symbols.ts';
import type { CandleEvent, MarketDataSource, SourceHealth, SubscribeOptions } from './types.ts';

export interface ReplaySourceOptions {
  file: string;
  speed: number;
  /** Missing candles kept as gaps or filled flat; DEFAULT_GAP_MODE when absent. */
  gaps?: GapMode;
}

export class ReplaySource implements MarketDataSource {
  readonly kind = 'replay' as const;
  readonly label: string;
  readonly #file: string;
  readonly #speed: number;
  readonly #gaps: GapMode;
  #data: Promise<CandleFile> | undefined;
  /** Open time of the next candle the replay delivers; set by the first history() or subscribe(). */
  #cursor: number | undefined;
  readonly #latest = new Map<string, number>();
  #lastUpdateAt: number | null = null;
  /** Missing candles the file had, replayed flat (known once the file is read). */
  #gapWarning: string | null = null;
  #finished: string | null = null;
  #gapsFilled = 0;

  constructor(opts: ReplaySourceOptions) {
    this.#file = opts.file;
    this.#speed = opts.speed;
    this.#gaps = opts.gaps ?? DEFAULT_GAP_MODE;
    this.label = `Replay: ${basename(opts.file)}`;
  }

  async validate(symbols: readonly string[], timeframe: Timeframe): Promise<void> {
    checkSymbols(symbols);
    timeframeMs(timeframe);
    const data = await this.#load();
    if (data.timeframe !== timeframe) {
      throw new BotDeskError(
        'INVALID_INPUT',
        `${data.name} holds ${data.timeframe} candles; choose timeframe ${data.timeframe}`,
      );
    }
    if (data.series.has(ANY_SYMBOL)) {
      if (symbols.length > 1) {
        throw new BotDeskError(
          'INVALID_INPUT',
          `${data.name} holds one series; replay it for one symbol, not ${symbols.length}`,
        );
      }
      return;
    }
    for (const symbol of symbols) {
      if (!data.series.has(symbol)) {
        const hint = closestName(symbol, data.series.keys());
        throw new BotDeskError(
          'INVALID_INPUT',
          `${symbol} is not in ${data.name}${hint ? `; did you mean ${hint}?` : `; it holds ${[...data.series.keys()].join(', ')}`}`,
        );
      }
    }
  }

  async history(symbol: string, timeframe: Timeframe, limit: number): Promise<Candle[]> {
    checkLimit(limit);
    await this.validate([symbol], timeframe);
    const candles = this.#seriesOf(await this.#load(), symbol);
    const tf = timeframeMs(timeframe);
    this.#cursor ??= Math.min(candles[0]!.ts + limit * tf, candles.at(-1)!.ts + tf);
    const end = this.#cursor;
    return candles.filter((c) => c.ts < end).slice(-limit);
  }

  /** Candles of the whole file with open time in [from, to), regardless of the replay position. */
  async range(symbol: string, timeframe: Timeframe, from: number, to: number): Promise<Candle[]> {
    await this.validate([symbol], timeframe);
    return this.#seriesOf(await this.#load(), symbol).filter((c) => c.ts >= from && c.ts < to);
  }

  async *subscribe(
    symbols: readonly string[],
    timeframe: Timeframe,
    opts: SubscribeOptions,
  ): AsyncGenerator<CandleEvent> {
    await this.validate(symbols, timeframe);
    const data = await this.#load();
    const tf = timeframeMs(timeframe);
    // Each symbol's next candle: with gaps kept, a series has no candle at every candle time.
    const all = symbols.map((symbol) => ({
      symbol,
      candles: this.#seriesOf(data, symbol),
      next: 0,
    }));
    const first = Math.min(...all.map((s) => s.candles[0]!.ts));
    const last = Math.max(...all.map((s) => s.candles.at(-1)!.ts));
    const start = opts.since ?? this.#cursor ?? first;
    const clock = createClock({ speed: this.#speed, start });
    // The subscriber learns at once that the file had holes, not only when the replay ends.
    if (this.#gapWarning) opts.onHealth?.(this.health());
    for (let ts = start; ts <= last; ts += tf) {
      if (!(await clock.sleepUntil(ts + tf, opts.signal))) return;
      this.#cursor = ts + tf;
      this.#lastUpdateAt = ts + tf;
      for (const s of all) {
        const { symbol, candles } = s;
        while (s.next < candles.length && candles[s.next]!.ts < ts) s.next++;
        const candle = candles[s.next];
        if (candle?.ts !== ts) continue;
        this.#latest.set(symbol, candle.close);
        yield { symbol, timeframe, candle, closed: true };
      }
    }
    this.#finished = `replay of ${data.name} finished at ${new Date(last + tf).toISOString()}`;
    opts.onHealth?.(this.health());
  }

  latestPrice(symbol: string): number | undefined {
    return this.#latest.get(symbol);
  }

  health(): SourceHealth {
    const warning = [this.#gapWarning, this.#finished].filter((w) => w !== null).join('; ');
    return offlineHealth(this.#lastUpdateAt, warning || null, this.#gapsFilled);
  }

  async close(): Promise<void> {}

  #load(): Promise<CandleFile> {
    if (!this.#data) {
      this.#data = readCandleFile(this.#file, { gaps: this.#gaps }).then((data) => {
        this.#gapsFilled = data.gapsFilled;
        if (data.missingCandles > 0)
          this.#gapWarning =
            this.#gaps === 'fill'
              ? `${data.name} had ${data.missingCandles} missing candles, replayed as flat zero-volume ones`
              : `${data.name} had ${data.missingCandles} missing candles in ${data.gaps} gap(s), replayed as gaps (no candle at those times)`;
        return data;
      });
      // A failed load is retried next time (the user may fix the file).
      this.#data.catch(() => (this.#data = undefined));
    }
    return this.#data;
  }

  #seriesOf(data: CandleFile, symbol: string): Candle[] {
    return (data.series.get(symbol) ?? data.series.get(ANY_SYMBOL))!;
  }
}
