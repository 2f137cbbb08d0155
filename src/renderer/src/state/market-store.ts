/**
 * Candles, fill markers and indicator values per symbol, for the chart. History
 * (market:history) fills the past; the bot's candles (market:candle: its warm-up
 * history when a run starts, then live ones) are the truth from the first one on:
 * history that claims to be newer than the bot's first candle came from another
 * clock and is dropped.
 */
import { createStore } from 'zustand/vanilla';
import type { Candle, Fill } from '../../../core/api/schemas.ts';

export const MAX_CANDLES = 2000;
export const MAX_POINTS = 2000;

export interface SymbolSeries {
  candles: Candle[];
  /** ts of the first candle from the bot (warm-up or live); candles at or after it are the bot's. */
  liveFrom: number | null;
  fills: Fill[];
  /** indicator name → points, oldest first (null values are warm-up gaps) */
  indicators: Record<string, Array<{ ts: number; value: number }>>;
}

export interface MarketState {
  selected: string | null;
  series: Record<string, SymbolSeries>;
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

const empty = (): SymbolSeries => ({ candles: [], liveFrom: null, fills: [], indicators: {} });

const tail = <T>(items: T[], max: number): T[] =>
  items.length > max ? items.slice(items.length - max) : items;

/** Insert or replace by `ts`, keeping the list sorted (appending is the common case). */
function upsertByTs<T extends { ts: number }>(items: T[], item: T): T[] {
  const last = items[items.length - 1];
  if (!last || item.ts > last.ts) return [...items, item];
  if (item.ts === last.ts) return [...items.slice(0, -1), item];
  const i = items.findIndex((c) => c.ts >= item.ts);
  const next = [...items];
  if (next[i]!.ts === item.ts) next[i] = item;
  else next.splice(i, 0, item);
  return next;
}

/** In place: insert or replace by ts, keeping order (appending is the common case). */
function upsertInPlace<T extends { ts: number }>(items: T[], item: T): void {
  const last = items[items.length - 1];
  if (!last || item.ts > last.ts) items.push(item);
  else if (item.ts === last.ts) items[items.length - 1] = item;
  else {
    const i = items.findIndex((c) => c.ts >= item.ts);
    if (items[i]!.ts === item.ts) items[i] = item;
    else items.splice(i, 0, item);
  }
}

/** A frame's candles of one symbol applied to a copy of its series (one copy, not one per candle). */
function withCandles(s: SymbolSeries, events: readonly CandleEvent[]): SymbolSeries {
  let liveFrom = s.liveFrom;
  let candles = s.candles;
  if (liveFrom === null) {
    liveFrom = events[0]!.candle.ts;
    candles = candles.filter((c) => c.ts < liveFrom!);
  } else candles = [...candles];
  const indicators: SymbolSeries['indicators'] = { ...s.indicators };
  const copied = new Set<string>();
  for (const { candle, indicators: values } of events) {
    upsertInPlace(candles, candle);
    for (const [name, value] of Object.entries(values ?? {})) {
      if (value === null || !Number.isFinite(value)) continue;
      if (!copied.has(name)) {
        copied.add(name);
        indicators[name] = [...(indicators[name] ?? [])];
      }
      upsertInPlace(indicators[name]!, { ts: candle.ts, value });
    }
  }
  for (const name of copied) indicators[name] = tail(indicators[name]!, MAX_POINTS);
  return { ...s, liveFrom, indicators, candles: tail(candles, MAX_CANDLES) };
}

export function createMarketStore() {
  return createStore<MarketState & MarketActions>()((set, get) => {
    const update = (symbol: string, fn: (s: SymbolSeries) => SymbolSeries) =>
      set((state) => ({
        series: { ...state.series, [symbol]: fn(state.series[symbol] ?? empty()) },
      }));
    return {
      selected: null,
      series: {},
      select: (symbol) => set({ selected: symbol }),
      reset: () => set({ series: {} }),
      applyHistory: (symbol, history) =>
        update(symbol, (s) => {
          const past = s.liveFrom === null ? history : history.filter((c) => c.ts < s.liveFrom!);
          const live = s.liveFrom === null ? [] : s.candles.filter((c) => c.ts >= s.liveFrom!);
          const merged = [...past]
            .sort((a, b) => a.ts - b.ts)
            .reduce<Candle[]>((acc, c) => upsertByTs(acc, c), []);
          return { ...s, candles: tail([...merged, ...live], MAX_CANDLES) };
        }),
      applyCandle: (symbol, candle, indicators) =>
        get().applyCandles([{ symbol, candle, ...(indicators ? { indicators } : {}) }]),
      applyCandles: (items) =>
        set((state) => {
          const bySymbol = new Map<string, CandleEvent[]>();
          for (const item of items) {
            const list = bySymbol.get(item.symbol);
            if (list) list.push(item);
            else bySymbol.set(item.symbol, [item]);
          }
          const series = { ...state.series };
          for (const [symbol, events] of bySymbol)
            series[symbol] = withCandles(series[symbol] ?? empty(), events);
          return { series };
        }),
      applyFill: (fill) =>
        update(fill.symbol, (s) =>
          s.fills.some((f) => f.id === fill.id)
            ? s
            : {
                ...s,
                fills: tail(
                  [...s.fills, fill].sort((a, b) => a.ts - b.ts),
                  MAX_POINTS,
                ),
              },
        ),
    };
  });
}

export type MarketStore = ReturnType<typeof createMarketStore>;
