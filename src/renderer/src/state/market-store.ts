/**
 * Candles, fill markers and indicator values per symbol, for the chart. History
 * (market:history) fills the past; the bot's candles (market:candle: its warm-up
 * history when a run starts, then live ones) are the truth from the first one on:
 * history that claims to be newer than the bot's first candle came from another
 * clock and is dropped.
 *
 * At a fast clock (20 pairs at 6000× is ~2,000 candles a second) nothing is copied per
 * candle: each symbol keeps its candles and indicator points in ring buffers (ts-ring.ts)
 * changed in place, and a `version` per symbol tells readers what changed. The store's
 * state changes once per applied batch (`rev`); a component follows one symbol by
 * selecting its `version`, so candles of the other pairs do not re-render it.
 */
import { createStore } from 'zustand/vanilla';
import type { Candle, Fill } from '../../../core/api/schemas.ts';
import { TsRing } from './ts-ring.ts';

export const MAX_CANDLES = 2000;
export const MAX_POINTS = 2000;

export interface Point {
  ts: number;
  value: number;
}

/** One symbol's chart data; changed in place by the store (follow `version`). */
export class SymbolSeries {
  readonly bars: TsRing<Candle>;
  /** indicator name → points, oldest first (warm-up nulls are left out) */
  readonly lines = new Map<string, TsRing<Point>>();
  /** ts of the first candle from the bot (warm-up or live); candles at or after it are the bot's. */
  liveFrom: number | null = null;
  /** in time order; a new array when one arrives */
  fills: readonly Fill[] = [];
  /** changes with every change of the bars, lines or fills */
  version = 0;
  #indicators: { version: number; value: Record<string, readonly Point[]> } | null = null;

  constructor(capacity = MAX_CANDLES) {
    this.bars = new TsRing<Candle>(capacity);
  }

  /** The candles, oldest first (a copy made once per change; do not change it). */
  get candles(): readonly Candle[] {
    return this.bars.toArray();
  }

  /** indicator name → points, oldest first (copies made once per change). */
  get indicators(): Record<string, readonly Point[]> {
    if (this.#indicators?.version !== this.version) {
      const value: Record<string, readonly Point[]> = {};
      for (const [name, ring] of this.lines) value[name] = ring.toArray();
      this.#indicators = { version: this.version, value };
    }
    return this.#indicators.value;
  }

  /** A series holding these candles (oldest first) and fills, e.g. an earlier run's chart. */
  static of(candles: readonly Candle[], fills: readonly Fill[] = []): SymbolSeries {
    const s = new SymbolSeries(Math.max(MAX_CANDLES, candles.length));
    s.bars.replaceAll(candles);
    s.fills = fills;
    return s;
  }

  line(name: string): TsRing<Point> {
    let ring = this.lines.get(name);
    if (!ring) this.lines.set(name, (ring = new TsRing<Point>(MAX_POINTS)));
    return ring;
  }
}

export interface MarketState {
  selected: string | null;
  series: Record<string, SymbolSeries>;
  /** changes with every applied change of any symbol */
  rev: number;
}

export interface MarketActions {
  select(symbol: string): void;
  /** A new bot run: forget candles and markers of the previous one. */
  reset(): void;
  applyHistory(symbol: string, candles: Candle[]): void;
  /** A candle from the bot, with the strategy's indicator values at that candle when it has them. */
  applyCandle(symbol: string, candle: Candle, indicators?: Record<string, number | null>): void;
  applyFill(fill: Fill): void;
  /** Several candles at once (a frame's worth), one store update. */
  applyCandles(items: readonly CandleEvent[]): void;
}

export interface CandleEvent {
  symbol: string;
  candle: Candle;
  indicators?: Record<string, number | null>;
}

/** A candle from the bot: the first one marks where the bot's candles begin. */
function addCandle(s: SymbolSeries, { candle, indicators }: CandleEvent): void {
  if (s.liveFrom === null) {
    const from = candle.ts;
    s.liveFrom = from;
    if ((s.bars.last()?.ts ?? -Infinity) >= from)
      s.bars.replaceAll(s.bars.toArray().filter((c) => c.ts < from));
  }
  s.bars.upsert(candle);
  if (indicators) {
    for (const name in indicators) {
      const value = indicators[name];
      if (value === null || value === undefined || !Number.isFinite(value)) continue;
      s.line(name).upsert({ ts: candle.ts, value });
    }
  }
  s.version++;
}

export function createMarketStore() {
  return createStore<MarketState & MarketActions>()((set, get) => {
    /** The symbol's series, made (in a new record) the first time it is needed. */
    const seriesOf = (symbol: string): SymbolSeries => {
      const known = get().series[symbol];
      if (known) return known;
      const made = new SymbolSeries();
      set((state) => ({ series: { ...state.series, [symbol]: made } }));
      return made;
    };
    const changed = () => set((state) => ({ rev: state.rev + 1 }));
    return {
      selected: null,
      series: {},
      rev: 0,
      select: (symbol) => set({ selected: symbol }),
      reset: () => set((state) => ({ series: {}, rev: state.rev + 1 })),
      applyHistory: (symbol, history) => {
        const s = seriesOf(symbol);
        const liveFrom = s.liveFrom;
        const past = liveFrom === null ? history : history.filter((c) => c.ts < liveFrom);
        const live = liveFrom === null ? [] : s.bars.toArray().filter((c) => c.ts >= liveFrom);
        // sorted, one candle per ts (the later one of the same ts wins)
        const merged: Candle[] = [];
        for (const c of [...past].sort((a, b) => a.ts - b.ts)) {
          if (merged.length > 0 && merged[merged.length - 1]!.ts === c.ts)
            merged[merged.length - 1] = c;
          else merged.push(c);
        }
        s.bars.replaceAll([...merged, ...live]);
        s.version++;
        changed();
      },
      applyCandle: (symbol, candle, indicators) =>
        get().applyCandles([{ symbol, candle, ...(indicators ? { indicators } : {}) }]),
      applyCandles: (items) => {
        if (items.length === 0) return;
        for (const item of items) addCandle(seriesOf(item.symbol), item);
        changed();
      },
      applyFill: (fill) => {
        const s = seriesOf(fill.symbol);
        if (s.fills.some((f) => f.id === fill.id)) return;
        const fills = [...s.fills, fill].sort((a, b) => a.ts - b.ts);
        s.fills = fills.length > MAX_POINTS ? fills.slice(fills.length - MAX_POINTS) : fills;
        s.version++;
        changed();
      },
    };
  });
}

export type MarketStore = ReturnType<typeof createMarketStore>;
