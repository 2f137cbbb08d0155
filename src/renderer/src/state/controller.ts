/**
 * The renderer's only link to main: feeds the stores from an initial snapshot
 * plus pushed events, and turns button presses into contract calls. Works the
 * same over Electron IPC (window.botdesk) and WebSocket (ws-client).
 */
import type { BotDeskApi } from '../../../core/api/client.ts';
import type { SettingsPatch } from '../../../core/api/contract.ts';
import { BotDeskError } from '../../../core/api/errors.ts';
import type { BotConfig, BotStatus } from '../../../core/api/schemas.ts';
import { createBotStore, type BotCommand } from './bot-store.ts';
import { createJournalStore, MAX_EQUITY, MAX_LOGS, MAX_ROWS } from './journal-store.ts';
import { createMarketStore } from './market-store.ts';
import { createSettingsStore, fieldErrors } from './settings-store.ts';

export const HISTORY_CANDLES = 300;

export function createAppStores() {
  return {
    bot: createBotStore(),
    market: createMarketStore(),
    journal: createJournalStore(),
    settings: createSettingsStore(),
  };
}
export type AppStores = ReturnType<typeof createAppStores>;

/** A thrown error as one readable sentence (BotDeskError messages are written for people). */
export function describeError(err: unknown): string {
  if (err instanceof BotDeskError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** The config the chart follows: the running bot's, else the saved one. */
function activeConfig(stores: AppStores): BotConfig | null {
  return stores.bot.getState().status?.config ?? stores.settings.getState().settings?.bot ?? null;
}

async function loadHistory(api: BotDeskApi, stores: AppStores, symbol: string): Promise<void> {
  const config = activeConfig(stores);
  if (!config) return;
  try {
    const candles = await api.market.history({
      source: config.market.source,
      exchange: config.market.exchange,
      symbol,
      timeframe: config.timeframe,
      limit: HISTORY_CANDLES,
    });
    stores.market.getState().applyHistory(symbol, candles);
  } catch (err) {
    stores.journal.getState().applyError({
      code: 'MARKET_ERROR',
      message: `chart history: ${describeError(err)}`,
      symbol,
    });
  }
}

export function selectSymbol(api: BotDeskApi, stores: AppStores, symbol: string): Promise<void> {
  stores.market.getState().select(symbol);
  return loadHistory(api, stores, symbol);
}

/** Which candles the chart shows: another source, exchange or timeframe is another chart. */
function chartSource(config: BotConfig | null | undefined): string {
  return config
    ? `${config.market.source}|${config.market.exchange ?? ''}|${config.timeframe}`
    : '';
}

/** Keep the chart on a symbol the bot trades; a new run, or other candles, start a new chart. */
function followStatus(
  api: BotDeskApi,
  stores: AppStores,
  prev: BotStatus | null,
  next: BotStatus,
): void {
  const market = stores.market.getState();
  // A run's warm-up candles (with indicator values) arrive while it is starting, before the
  // status that carries its startedAt: the chart starts afresh at 'starting', and only a run
  // whose start this feed did not see clears it when its startedAt shows up.
  const starting = next.state === 'starting' && prev?.state !== 'starting';
  const startedAt = next.startedAt !== null && next.startedAt !== prev?.startedAt;
  const newRun = starting || (startedAt && prev?.state !== 'starting');
  const otherCandles = prev !== null && chartSource(prev.config) !== chartSource(next.config);
  if (newRun || otherCandles) market.reset();
  const symbols = next.config?.symbols ?? stores.settings.getState().settings?.bot.symbols ?? [];
  const selected = market.selected;
  if (symbols.length > 0 && (selected === null || !symbols.includes(selected)))
    void selectSymbol(api, stores, symbols[0]!);
  else if ((newRun || startedAt || otherCandles) && selected !== null)
    void loadHistory(api, stores, selected);
}

/**
 * Subscribe first, then read the snapshot, so nothing pushed in between is lost
 * (the stores deduplicate what arrives twice). Returns the unsubscribe function.
 */
export async function attachFeed(api: BotDeskApi, stores: AppStores): Promise<() => void> {
  const { bot, market, journal, settings } = stores;
  const onStatus = (status: BotStatus) => {
    const prev = bot.getState().status;
    bot.getState().applyStatus(status);
    if (bot.getState().status === status) followStatus(api, stores, prev, status);
  };
  const offs = [
    api.on('bot:status', onStatus),
    api.on('bot:tick', (tick) => journal.getState().applyTick(tick)),
    api.on('market:candle', ({ symbol, candle, indicators }) =>
      market.getState().applyCandle(symbol, candle, indicators),
    ),
    api.on('order', (order) => journal.getState().applyOrder(order)),
    api.on('fill', (fill) => {
      journal.getState().applyFill(fill);
      market.getState().applyFill(fill);
    }),
    api.on('equity', (point) => journal.getState().applyEquity(point)),
    api.on('log', (line) => journal.getState().applyLog(line)),
    api.on('error', (error) => journal.getState().applyError(error)),
  ];
  const detach = () => offs.forEach((off) => off());
  try {
    const [saved, strategies, orders, fills, equity, logs, status] = await Promise.all([
      api.settings.get(),
      api.strategies.list(),
      api.journal.orders({ limit: MAX_ROWS }),
      api.journal.fills({ limit: MAX_ROWS }),
      api.journal.equity({ limit: MAX_EQUITY }),
      api.logs.tail({ limit: MAX_LOGS }),
      api.bot.status(),
    ]);
    settings.getState().applySettings(saved);
    settings.getState().applyStrategies(strategies);
    journal.getState().applySnapshot({ orders, fills, equity, logs });
    onStatus(status); // before the fills: a run seen for the first time resets the chart
    for (const fill of fills) market.getState().applyFill(fill);
  } catch (err) {
    detach();
    throw err;
  }
  return detach;
}

export function createCommands(getApi: () => BotDeskApi | null, stores: AppStores) {
  const { bot, settings } = stores;
  const run = async (command: BotCommand, call: (api: BotDeskApi) => Promise<BotStatus>) => {
    const api = getApi();
    if (!api) return;
    bot.getState().commandStarted(command);
    try {
      bot.getState().applyStatus(await call(api));
      bot.getState().commandFinished();
    } catch (err) {
      bot
        .getState()
        .commandFinished(
          `${command[0]!.toUpperCase()}${command.slice(1)} failed: ${describeError(err)}`,
        );
    }
  };
  return {
    start: () => run('start', (api) => api.bot.start({})),
    stop: () => run('stop', (api) => api.bot.stop({ reason: 'stopped from the dashboard' })),
    pause: () => run('pause', (api) => api.bot.pause()),
    resume: () => run('resume', (api) => api.bot.resume()),
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
      if (api) void selectSymbol(api, stores, symbol);
    },
  };
}
export type Commands = ReturnType<typeof createCommands>;
