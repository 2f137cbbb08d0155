/**
 * The candles of a backtest, as columns per symbol: from a CSV/JSON file (the replay
 * format), from the candle store, or downloaded from an exchange through ccxt (paginated
 * in chunks, each chunk kept in the candle store as it arrives, so an interrupted
 * download resumes where it stopped). Up to `warmup` candles before `from` are kept as
 * warm-up history: the strategy sees them, trading starts at `from`.
 */
import { BotDeskError } from '../api/errors.ts';
import type { BacktestData, GapMode } from '../api/backtest.ts';
import { TIMEFRAME_MS, type Candle, type Timeframe } from '../api/schemas.ts';
import { ANY_SYMBOL, fillGaps, readCandleFile } from '../market/candle-file.ts';
import { CandleStore } from '../market/candle-store.ts';
import { CcxtSource, type CcxtSourceOptions } from '../market/ccxt-source.ts';
import type { CandleColumns } from '../strategy/types.ts';
import type { MarketRules } from '../trading/market-rules.ts';

export interface SeriesColumns {
  symbol: string;
  columns: CandleColumns;
  /** Index of the first candle at or after `from` (the ones before are warm-up only). */
  start: number;
}

export interface LoadedData {
  timeframe: Timeframe;
  timeframeMs: number;
  series: SeriesColumns[];
  /** Open time where trading starts (the first candle at or after `from`). */
  tradeFrom: number;
  warnings: string[];
  /** An exchange download's order rules per symbol (steps, minimums), fetched with its markets. */
  markets?: Record<string, MarketRules>;
}

export interface LoadOptions {
  data: BacktestData;
  from?: number | undefined;
  to?: number | undefined;
  /** For files: the symbols to take (a single-series file is named after the first; default BTC/USDT). */
  symbols?: readonly string[] | undefined;
  gaps: GapMode;
  /** Candles the strategy needs before it signals. */
  warmup: number;
  /**
   * Candles kept before `from` for the strategy to warm up on (at least `warmup`): a paper
   * bot warms up on `warmupCandles`, and averages with memory (EMA, MACD, RSI) only trade
   * alike when both start from the same history.
   */
  history?: number;
  dataDir: string;
  ccxt?: Omit<CcxtSourceOptions, 'exchange' | 'store' | 'ownsStore'>;
  onProgress?: (done: number, total: number, message: string) => void;
  signal?: AbortSignal;
}

/** Candles per download chunk (each chunk is stored before the next is fetched). */
const CHUNK_CANDLES = 5000;
/** The symbol a single-series file stands for when none is named. */
export const DEFAULT_FILE_SYMBOL = 'BTC/USDT';

/** Columns for `n` candles, zero-filled. */
export function emptyColumns(n: number): CandleColumns {
  return {
    ts: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
}

export function toColumns(candles: readonly Candle[]): CandleColumns {
  const n = candles.length;
  const c = emptyColumns(n);
  for (let i = 0; i < n; i++) {
    const k = candles[i]!;
    c.ts[i] = k.ts;
    c.open[i] = k.open;
    c.high[i] = k.high;
    c.low[i] = k.low;
    c.close[i] = k.close;
    c.volume[i] = k.volume;
  }
  return c;
}

const iso = (ts: number) => new Date(ts).toISOString();

function gapStats(candles: readonly Candle[], tfMs: number): { gaps: number; missing: number } {
  let gaps = 0;
  let missing = 0;
  for (let i = 1; i < candles.length; i++) {
    const m = (candles[i]!.ts - candles[i - 1]!.ts) / tfMs - 1;
    if (m > 0) {
      gaps++;
      missing += m;
    }
  }
  return { gaps, missing };
}

/** Flat zero-volume candles that stand for missing ones (as filled downloads store them). */
function flatFills(candles: readonly Candle[]): { gaps: number; missing: number } {
  let gaps = 0;
  let missing = 0;
  let inRun = false;
  for (let i = 1; i < candles.length; i++) {
    const c = candles[i]!;
    const prev = candles[i - 1]!;
    const flat =
      c.volume === 0 &&
      c.open === prev.close &&
      c.high === prev.close &&
      c.low === prev.close &&
      c.close === prev.close;
    if (flat) {
      missing++;
      if (!inRun) gaps++;
    }
    inRun = flat;
  }
  return { gaps, missing };
}

const historyOf = (opts: LoadOptions): number => Math.max(opts.warmup, opts.history ?? 0);

/** Cuts a series to [from - warmup candles, to) and tells where trading starts. */
function window(
  symbol: string,
  candles: readonly Candle[],
  from: number | undefined,
  to: number | undefined,
  warmup: number,
): { candles: Candle[]; start: number } {
  let end = candles.length;
  if (to !== undefined) {
    end = 0;
    while (end < candles.length && candles[end]!.ts < to) end++;
  }
  let start = 0;
  if (from !== undefined) while (start < end && candles[start]!.ts < from) start++;
  if (start >= end) {
    const span =
      candles.length > 0
        ? `${symbol} has candles from ${iso(candles[0]!.ts)} to ${iso(candles.at(-1)!.ts)}`
        : `${symbol} has no candles`;
    throw new BotDeskError(
      'INVALID_INPUT',
      `no data in the date range ${from !== undefined ? iso(from) : 'start'} – ${to !== undefined ? iso(to) : 'end'}: ${span}`,
    );
  }
  const first = Math.max(0, start - warmup);
  return { candles: candles.slice(first, end), start: start - first };
}

function seriesOf(
  symbol: string,
  candles: readonly Candle[],
  opts: LoadOptions,
): { symbol: string; candles: Candle[]; start: number } {
  const w = window(symbol, candles, opts.from, opts.to, historyOf(opts));
  return { symbol, ...w };
}

/** Candles per symbol as read, before the date range and warm-up cut. */
interface RawData {
  timeframe: Timeframe;
  raw: Array<{ symbol: string; candles: Candle[] }>;
  warnings: string[];
  markets?: Record<string, MarketRules>;
}

async function fromFile(path: string, opts: LoadOptions): Promise<RawData> {
  const file = await readCandleFile(path, { gaps: opts.gaps });
  const warnings: string[] = [];
  let raw: Array<{ symbol: string; candles: Candle[] }>;
  const single = file.series.get(ANY_SYMBOL);
  if (single !== undefined) {
    if ((opts.symbols?.length ?? 0) > 1)
      throw new BotDeskError(
        'INVALID_INPUT',
        `${file.name} holds one series; name it with one symbol, not ${opts.symbols!.length}`,
      );
    raw = [{ symbol: opts.symbols?.[0] ?? DEFAULT_FILE_SYMBOL, candles: single }];
  } else {
    const wanted = opts.symbols ?? [...file.series.keys()];
    raw = wanted.map((symbol) => {
      const candles = file.series.get(symbol);
      if (candles === undefined)
        throw new BotDeskError(
          'INVALID_INPUT',
          `${symbol} is not in ${file.name}; it holds ${[...file.series.keys()].join(', ')}`,
        );
      return { symbol, candles };
    });
  }
  if (file.gaps > 0) {
    warnings.push(
      opts.gaps === 'fill'
        ? `${file.name}: ${file.gaps} gap(s), ${file.missingCandles} missing candle(s) filled flat with zero volume`
        : `${file.name}: ${file.gaps} gap(s), ${file.missingCandles} missing candle(s) kept as gaps`,
    );
  }
  return { timeframe: file.timeframe, raw, warnings };
}

async function fromStoreOrExchange(
  data: Extract<BacktestData, { kind: 'store' | 'exchange' }>,
  opts: LoadOptions,
): Promise<RawData> {
  const tf = TIMEFRAME_MS[data.timeframe];
  const warnings: string[] = [];
  const store = CandleStore.inDataDir(opts.dataDir);
  if (store.notice) warnings.push(store.notice);
  const raw: Array<{ symbol: string; candles: Candle[] }> = [];
  try {
    if (data.kind === 'store') {
      for (const symbol of data.symbols) {
        const from = opts.from !== undefined ? opts.from - historyOf(opts) * tf : -8.64e15;
        const to = opts.to ?? 8.64e15;
        let candles = store.range(
          { exchange: data.exchange, symbol, timeframe: data.timeframe },
          from,
          to,
        );
        if (candles.length === 0) {
          const stored = store
            .list()
            .filter((s) => s.exchange === data.exchange && s.timeframe === data.timeframe);
          throw new BotDeskError(
            'INVALID_INPUT',
            `the candle store has no ${data.exchange} ${symbol} ${data.timeframe} candles in that range${
              stored.length > 0
                ? `; it holds ${stored.map((s) => `${s.symbol} (${iso(s.first)} – ${iso(s.last)})`).join(', ')}`
                : ''
            }`,
          );
        }
        const holes = gapStats(candles, tf);
        if (holes.gaps > 0) {
          warnings.push(
            `${symbol}: ${holes.gaps} gap(s), ${holes.missing} missing candle(s) ${opts.gaps === 'fill' ? 'filled flat with zero volume' : 'kept as gaps'}`,
          );
          if (opts.gaps === 'fill') candles = fillGaps(candles, tf);
        }
        raw.push({ symbol, candles });
      }
      return { timeframe: data.timeframe, raw, warnings };
    }
    if (opts.from === undefined)
      throw new BotDeskError(
        'INVALID_INPUT',
        'downloading from an exchange needs a start date (from)',
      );
    const source = new CcxtSource({ ...opts.ccxt, exchange: data.exchange, store });
    try {
      const start = Math.floor(opts.from / tf) * tf - historyOf(opts) * tf;
      const end = Math.min(opts.to ?? Date.now(), Date.now());
      const chunks = Math.max(1, Math.ceil((end - start) / (CHUNK_CANDLES * tf)));
      const total = chunks * data.symbols.length;
      let done = 0;
      for (const symbol of data.symbols) {
        const candles: Candle[] = [];
        for (let a = start; a < end; a += CHUNK_CANDLES * tf) {
          if (opts.signal?.aborted)
            throw new BotDeskError('CANCELLED', 'the download was cancelled');
          const b = Math.min(end, a + CHUNK_CANDLES * tf);
          const part = await source.range(symbol, data.timeframe, a, b, opts.signal);
          for (const c of part)
            if (candles.length === 0 || c.ts > candles.at(-1)!.ts) candles.push(c);
          opts.onProgress?.(++done, total, `${symbol} ${iso(a)}`);
        }
        // Downloads are stored gap-filled; count the flat zero-volume stand-ins.
        const holes = flatFills(candles);
        if (holes.gaps > 0)
          warnings.push(
            `${data.exchange} ${symbol}: ${holes.gaps} gap(s), ${holes.missing} missing candle(s) filled flat with zero volume${
              opts.gaps === 'keep' ? ' (downloaded history is always stored filled)' : ''
            }`,
          );
        raw.push({ symbol, candles });
      }
      // The markets were loaded for the download: the backtest trades with their rules.
      const markets = await source.marketRules(data.symbols);
      return { timeframe: data.timeframe, raw, warnings, markets };
    } finally {
      await source.close();
    }
  } finally {
    store.close();
  }
}

export async function loadBacktestData(opts: LoadOptions): Promise<LoadedData> {
  if (opts.from !== undefined && opts.to !== undefined && opts.to <= opts.from)
    throw new BotDeskError(
      'INVALID_INPUT',
      `the date range ends (${iso(opts.to)}) before it starts (${iso(opts.from)})`,
    );
  const loaded =
    opts.data.kind === 'file'
      ? await fromFile(opts.data.path, opts)
      : await fromStoreOrExchange(opts.data, opts);
  const quotes = new Set(loaded.raw.map((r) => r.symbol.split('/')[1]));
  if (quotes.size > 1)
    throw new BotDeskError(
      'INVALID_INPUT',
      `the pairs of one backtest share one wallet, so one quote currency; got ${[...quotes].join(', ')}`,
    );
  const series = loaded.raw.map((r) => seriesOf(r.symbol, r.candles, opts));
  let tradeFrom = Infinity;
  for (const s of series) {
    const traded = s.candles.length - s.start;
    if (s.candles.length < opts.warmup + 1) {
      throw new BotDeskError(
        'INVALID_INPUT',
        `${s.symbol}: ${s.candles.length} candle(s), fewer than the strategy's warm-up of ${opts.warmup} plus one to trade on`,
      );
    }
    if (traded > 0) tradeFrom = Math.min(tradeFrom, s.candles[s.start]!.ts);
  }
  return {
    timeframe: loaded.timeframe,
    timeframeMs: TIMEFRAME_MS[loaded.timeframe],
    series: series.map((s) => ({
      symbol: s.symbol,
      columns: toColumns(s.candles),
      start: s.start,
    })),
    tradeFrom,
    warnings: loaded.warnings,
    ...(loaded.markets ? { markets: loaded.markets } : {}),
  };
}
