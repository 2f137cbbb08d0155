/** The backtest page's calls: run (with progress and cancel), the history, a past result, the chart's candles. */
import type { BacktestRequestInput, BacktestResult } from '../../../core/api/backtest.ts';
import type { BotDeskApi } from '../../../core/api/client.ts';
import type { AppStores } from './app-stores.ts';
import { describeError } from './describe-error.ts';

/** Where each backtest's candles came from (results do not say), kept for its chart. */
const SOURCES_KEY = 'botdesk.backtestSources';

function rememberSource(id: string, data: BacktestRequestInput['data']): void {
  try {
    const all = JSON.parse(localStorage.getItem(SOURCES_KEY) ?? '{}') as Record<string, unknown>;
    all[id] = data;
    localStorage.setItem(SOURCES_KEY, JSON.stringify(all));
  } catch {
    // no storage (tests, private mode): the chart of an old result is left out
  }
}

function sourceOf(id: string): BacktestRequestInput['data'] | undefined {
  try {
    const all = JSON.parse(localStorage.getItem(SOURCES_KEY) ?? '{}') as Record<string, unknown>;
    return all[id] as BacktestRequestInput['data'] | undefined;
  } catch {
    return undefined;
  }
}

export function createBacktestCommands(getApi: () => BotDeskApi | null, stores: AppStores) {
  const { backtest } = stores;

  const loadCandles = async (api: BotDeskApi, result: BacktestResult) => {
    const data = sourceOf(result.id);
    const symbol = result.symbols[0];
    if (!data || !symbol) return;
    const candles = await api.market.range({
      source: data.kind === 'file' ? 'replay' : 'ccxt',
      ...(data.kind === 'file' ? { file: data.path } : { exchange: data.exchange }),
      symbol,
      timeframe: result.timeframe,
      from: result.from,
      to: result.to + 1,
    });
    if (backtest.getState().result?.id === result.id) backtest.getState().applyCandles(candles);
  };

  const refreshHistory = async () => {
    const api = getApi();
    if (api) backtest.getState().applyHistory(await api.backtest.list({ limit: 50 }));
  };

  return {
    refreshHistory,
    async runBacktest(request: BacktestRequestInput): Promise<void> {
      const api = getApi();
      if (!api) return;
      const runId = `ui-${Date.now().toString(36)}`;
      backtest.getState().started(runId);
      try {
        const result = await api.backtest.run({ ...request, runId });
        rememberSource(result.id, request.data);
        backtest.getState().finished(result);
        void loadCandles(api, result).catch(() => {});
        await refreshHistory();
      } catch (err) {
        backtest.getState().finished(null, `The backtest did not finish: ${describeError(err)}`);
      }
    },
    async cancelBacktest(): Promise<void> {
      const runId = backtest.getState().running?.runId;
      const api = getApi();
      if (api && runId) await api.backtest.cancel({ runId });
    },
    async openBacktest(id: string): Promise<void> {
      const api = getApi();
      if (!api) return;
      try {
        const result = await api.backtest.get({ id });
        backtest.getState().show(result);
        void loadCandles(api, result).catch(() => {});
      } catch (err) {
        backtest.getState().finished(null, `Could not open the backtest: ${describeError(err)}`);
      }
    },
    async compareBacktest(id: string): Promise<void> {
      const api = getApi();
      if (!api) return;
      const known = backtest.getState().compare.find((r) => r.id === id);
      backtest.getState().toggleCompare(known ?? (await api.backtest.get({ id })));
    },
  };
}
