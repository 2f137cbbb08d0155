/** Every store of the renderer: projections of main's state plus UI-only state around them. */
import { createBacktestStore } from './backtest-store.ts';
import { createBotStore } from './bot-store.ts';
import { createJournalStore } from './journal-store.ts';
import { createLiveStore } from './live-store.ts';
import { createMarketStore } from './market-store.ts';
import { createPositionsStore } from './positions-store.ts';
import { createRiskStore } from './risk-store.ts';
import { createRunChartStore } from './run-chart.ts';
import { createRunsStore } from './runs-store.ts';
import { createSettingsStore } from './settings-store.ts';
import { createTradesStore } from './trades-store.ts';

export function createAppStores() {
  return {
    bot: createBotStore(),
    market: createMarketStore(),
    journal: createJournalStore(),
    settings: createSettingsStore(),
    runs: createRunsStore(),
    positions: createPositionsStore(),
    trades: createTradesStore(),
    backtest: createBacktestStore(),
    live: createLiveStore(),
    risk: createRiskStore(),
    runChart: createRunChartStore(),
  };
}
export type AppStores = ReturnType<typeof createAppStores>;
