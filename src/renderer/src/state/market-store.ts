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

/** Indicator values at `ts` appended to their lines, skipping warm-up nulls. */
function withIndicators(
  lines: SymbolSeries['indicators'],
  ts: number,
  values: Record<string, number | null> | undefined,
): SymbolSeries['indicators'] {
  if (!values) return lines;
  const next = { ...lines };
  for (const [name, value] of Object.entries(values)) {
    if (value === null || !Number.isFinite(value)) continue;
    next[name] = tail(upsertByTs(next[name] ?? [], { ts, value }), MAX_POINTS);
  }
  return next;
}

export function createMarketStore() {
  return createStore<MarketState & MarketActions>()((set) => {
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
      applyCandle: (symbol, candle, values) =>
        update(symbol, (s) => {
          const indicators = withIndicators(s.indicators, candle.ts, values);
          if (s.liveFrom === null) {
            const past = s.candles.filter((c) => c.ts < candle.ts);
            return {
              ...s,
              indicators,
              liveFrom: candle.ts,
              candles: tail([...past, candle], MAX_CANDLES),
            };
          }
          return { ...s, indicators, candles: tail(upsertByTs(s.candles, candle), MAX_CANDLES) };
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
