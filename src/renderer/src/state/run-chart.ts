/**
 * The candle chart of an earlier run: its candles over the market time its ticks covered
 * (from its config's market: the simulated market's seed, the replay file, the exchange's
 * candle store) with its own fills as entry and exit markers. The live chart stays in the
 * market store meanwhile; the chart shows this one while a run is picked.
 */
import { createStore } from 'zustand/vanilla';
import type { BotDeskApi } from '../../../core/api/client.ts';
import { TIMEFRAME_MS, type RunInfo } from '../../../core/api/schemas.ts';
import type { AppStores } from './app-stores.ts';
import { describeError } from './describe-error.ts';
import { SymbolSeries } from './market-store.ts';

/** Candles shown before the run's first tick, for context. */
export const RUN_CHART_LEAD = 60;
/** Most fills of one pair read for the markers. */
const MARKER_FILLS = 10_000;

export interface RunChartState {
  runId: string | null;
  symbol: string | null;
  status: 'idle' | 'loading' | 'ready' | 'empty' | 'error';
  series: SymbolSeries | null;
  error: string | null;
}

export function createRunChartStore() {
  return createStore<RunChartState>()(() => ({
    runId: null,
    symbol: null,
    status: 'idle',
    series: null,
    error: null,
  }));
}
export type RunChartStore = ReturnType<typeof createRunChartStore>;

/** The pair an earlier run's chart shows: the one selected when that run traded it, else its first. */
export function runChartSymbol(run: RunInfo, selected: string | null): string | null {
  return selected && run.config.symbols.includes(selected)
    ? selected
    : (run.config.symbols[0] ?? null);
}

/** The candle times [from, to) of a run's chart, or null when it recorded no tick. */
export function runChartRange(run: RunInfo): { from: number; to: number } | null {
  if (run.marketFrom === null || run.marketFrom === undefined) return null;
  const tf = TIMEFRAME_MS[run.config.timeframe];
  const last = run.marketTo ?? run.marketFrom;
  return { from: Math.max(0, run.marketFrom - RUN_CHART_LEAD * tf), to: last + tf };
}

/** Load (or clear, for null) the chart of run `runId` for `symbol`. */
export async function loadRunChart(
  api: BotDeskApi,
  stores: AppStores,
  runId: string | null,
  selected: string | null,
): Promise<void> {
  const chart = stores.runChart;
  const run = runId ? stores.runs.getState().runs.find((r) => r.id === runId) : undefined;
  if (!runId || !run) {
    chart.setState({ runId: null, symbol: null, status: 'idle', series: null, error: null });
    return;
  }
  const symbol = runChartSymbol(run, selected);
  const range = runChartRange(run);
  if (!symbol || !range) {
    chart.setState({ runId, symbol, status: 'empty', series: null, error: null });
    return;
  }
  chart.setState({ runId, symbol, status: 'loading', series: null, error: null });
  const m = run.config.market;
  try {
    const [candles, fills] = await Promise.all([
      api.market.range({
        source: m.source,
        ...(m.exchange ? { exchange: m.exchange } : {}),
        ...(m.file ? { file: m.file } : {}),
        seed: m.seed,
        symbol,
        timeframe: run.config.timeframe,
        from: range.from,
        to: range.to,
      }),
      api.journal.fills({ runId, limit: MARKER_FILLS }),
    ]);
    // a later pick (another run or pair) wins
    if (chart.getState().runId !== runId || chart.getState().symbol !== symbol) return;
    chart.setState({
      status: candles.length > 0 ? 'ready' : 'empty',
      series: SymbolSeries.of(
        candles,
        fills.filter((f) => f.symbol === symbol).sort((a, b) => a.ts - b.ts),
      ),
    });
  } catch (err) {
    if (chart.getState().runId !== runId) return;
    chart.setState({ status: 'error', series: null, error: describeError(err) });
  }
}
