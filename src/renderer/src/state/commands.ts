/** Button presses → contract calls; results and failures land in the stores as readable state. */
import type { BotDeskApi } from '../../../core/api/client.ts';
import type { SettingsPatch } from '../../../core/api/contract.ts';
import { BotDeskError } from '../../../core/api/errors.ts';
import type { BotStatus, Trade } from '../../../core/api/schemas.ts';
import type { AppStores } from './app-stores.ts';
import type { BotCommand } from './bot-store.ts';
import { createBacktestCommands } from './backtest-commands.ts';
import { describeError } from './describe-error.ts';
import { coreWords, say } from '../i18n/say.ts';
import { createLiveCommands } from './live-commands.ts';
import { loadRunRows, receiveStatus, refreshPositions, refreshRuns, selectSymbol } from './feed.ts';
import { loadRunChart } from './run-chart.ts';
import { shownRun } from './runs-store.ts';
import { fieldErrors } from './settings-store.ts';
import { tradesQuery, type TradeFilters } from './trades-store.ts';

/** Most trades one CSV export asks for (the contract's page limit). */
const EXPORT_LIMIT = 10_000;

export function createCommands(getApi: () => BotDeskApi | null, stores: AppStores) {
  const { bot, settings, positions, trades, runs } = stores;
  const run = async (command: BotCommand, call: (api: BotDeskApi) => Promise<BotStatus>) => {
    const api = getApi();
    if (!api) return;
    bot.getState().commandStarted(command);
    try {
      receiveStatus(api, stores, await call(api));
      bot.getState().commandFinished();
    } catch (err) {
      bot
        .getState()
        .commandFinished(
          say(`core.failed.${command}`, { message: coreWords(describeError(err), 'core.message') }),
        );
    }
  };
  const currentRun = () => shownRun(runs.getState().picked, bot.getState().status?.runId);

  const loadTrades = async () => {
    const api = getApi();
    if (!api) return;
    trades.getState().loadStarted();
    try {
      trades
        .getState()
        .loaded(await api.journal.trades(tradesQuery(trades.getState().filters, currentRun())));
    } catch (err) {
      trades.getState().loadFailed(describeError(err));
    }
  };

  const position = async (symbol: string, kind: 'close' | 'enter') => {
    const api = getApi();
    if (!api) return;
    positions.getState().requestSent(symbol, kind, stores.journal.getState().lastTick?.n ?? 0);
    try {
      const status =
        kind === 'close'
          ? await api.bot.closePosition({ symbol })
          : await api.bot.forceEntry({ symbol });
      receiveStatus(api, stores, status);
    } catch (err) {
      const message = coreWords(describeError(err), 'core.message');
      positions.getState().requestFailed(symbol, say(`core.failed.${kind}`, { symbol, message }));
    }
  };

  return {
    ...createBacktestCommands(getApi, stores),
    ...createLiveCommands(getApi, stores),
    start: () => run('start', (api) => api.bot.start({})),
    /** Start after the kill switch tripped: the user acknowledged its reason. */
    acknowledgeAndStart: () =>
      run('start', (api) => api.bot.start({ acknowledgeKillSwitch: true })),
    stop: () => run('stop', (api) => api.bot.stop({ reason: 'stopped from the dashboard' })),
    pause: () => run('pause', (api) => api.bot.pause()),
    resume: () => run('resume', (api) => api.bot.resume()),
    async resetPaperAccount(): Promise<void> {
      await run('reset', (api) => api.bot.resetPaperAccount({ confirm: true }));
      const api = getApi();
      if (api) await Promise.all([refreshPositions(api, stores), refreshRuns(api, stores)]);
    },
    async saveSettings(patch: SettingsPatch): Promise<boolean> {
      const api = getApi();
      if (!api) return false;
      settings.getState().saveStarted();
      try {
        settings.getState().saveSucceeded(await api.settings.set(patch));
        return true;
      } catch (err) {
        const details = err instanceof BotDeskError ? err.details : undefined;
        settings
          .getState()
          .saveFailed({ message: describeError(err), fields: fieldErrors(details) });
        return false;
      }
    },
    selectSymbol(symbol: string) {
      const api = getApi();
      if (!api) return;
      void selectSymbol(api, stores, symbol);
      const picked = runs.getState().picked;
      if (picked !== null) void loadRunChart(api, stores, picked, symbol);
    },
    closePosition: (symbol: string) => position(symbol, 'close'),
    forceEntry: (symbol: string) => position(symbol, 'enter'),
    /** Show another run (null: the current one) in the tables, charts and statistics. */
    async viewRun(runId: string | null): Promise<void> {
      runs.getState().pick(runId);
      const api = getApi();
      if (!api) return;
      const chart = loadRunChart(api, stores, runId, stores.market.getState().selected);
      await loadRunRows(api, stores);
      await chart;
      if (trades.getState().filters.run === 'current') await loadTrades();
    },
    loadTrades,
    filterTrades(patch: Partial<TradeFilters>) {
      trades.getState().setFilters(patch);
      return loadTrades();
    },
    tradesPage(page: number) {
      trades.setState((s) => ({ filters: { ...s.filters, page } }));
      return loadTrades();
    },
    /** Every trade the filters match (all pages), oldest first, for the CSV export. */
    async allTrades(): Promise<Trade[]> {
      const api = getApi();
      if (!api) return [];
      const q = tradesQuery({ ...trades.getState().filters, page: 0 }, currentRun(), EXPORT_LIMIT);
      const page = await api.journal.trades(q);
      return [...page.trades].reverse();
    },
  };
}
export type Commands = ReturnType<typeof createCommands>;
