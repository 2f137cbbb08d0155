/**
 * The core host: builds the event bus, the process's BotManager and an implementation
 * of EVERY channel of the contract. The Electron main process and the headless CLI
 * each build one and hand `handlers` to createDispatcher and `bus` to their transports.
 */
import { join } from 'node:path';
import type { ApiHandlers } from '../api/contract.ts';
import { BotDeskError } from '../api/errors.ts';
import type { LogLine } from '../api/schemas.ts';
import { EventBus } from '../bot/event-bus.ts';
import { BotManager, registerBotManager, type BotManagerDeps } from '../bot/manager.ts';
import type { WorkerHost } from '../compute/host.ts';
import { createComputePool } from '../compute/pool.ts';
import {
  createMarketSource,
  listMarketSources,
  MarketDataService,
  type MarketSourceOptions,
} from '../market/index.ts';
import { checkBotConfigInput } from '../settings/bot-checks.ts';
import { createReplayFileGate, type ReplayFileGate } from '../market/replay-files.ts';
import { headlessSecrets } from '../secrets/env-store.ts';
import { createLiveParts, type LiveTuning } from '../secrets/live-handlers.ts';
import type { SecretStore } from '../secrets/types.ts';
import { applySettingsPatch } from '../settings/schema.ts';
import type { SettingsStore } from '../settings/store.ts';
import { listStrategies } from '../strategy/registry.ts';
import { pageTrades } from '../journal/round-trips.ts';
import { loadRiskEvents } from '../trading/rules/risk-journal.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { LogBuffer } from './log-buffer.ts';
import { RecentCandles } from './recent-candles.ts';
import { BacktestService } from '../backtest/service.ts';

export interface CoreHostOptions {
  dataDir: string;
  settings: SettingsStore;
  /** How compute workers are started (Electron utilityProcess); default child_process.fork. */
  workerHost?: WorkerHost;
  /** Mirrors every log line, e.g. to stderr. */
  logger?: (line: LogLine) => void;
  /** Resume a bot that was running at the last quit (per Settings.resumeOnLaunch). Default true. */
  resume?: boolean;
  /** Engine parts to replace (tests, benchmarks). */
  engine?: Partial<
    Pick<BotManagerDeps, 'createMarket' | 'createPool' | 'now' | 'forceGraceMs' | 'maxPairFailures'>
  >;
  logCapacity?: number;
  /** Market source settings (e.g. ccxt endpoints for tests against local servers). */
  marketOptions?: Omit<MarketSourceOptions, 'dataDir'>;
  /** Where exchange API keys come from (desktop: the encrypted store). Default: environment, then BOTDESK_KEY_FILE. */
  secrets?: SecretStore;
  /** Live trading endpoints and timings (tests against a loopback exchange). */
  live?: LiveTuning;
}

export interface CoreHost {
  handlers: ApiHandlers;
  bus: EventBus;
  manager: BotManager;
  /**
   * Replay files: those in `<dataDir>/imports`, and those the local user chose, registered
   * with `replayFiles.allow(path)` (the desktop file dialog, `botdesk run --file`).
   */
  replayFiles: ReplayFileGate;
  /** Stop the bot (keeping its desired state for the next launch) and release everything. */
  close(opts?: { timeoutMs?: number }): Promise<void>;
}

/** Builds the core over a data folder no other live process has open (see data-dir-lock.ts). */
export async function createCoreHost(opts: CoreHostOptions): Promise<CoreHost> {
  const unlock = lockDataDir(opts.dataDir);
  try {
    return await openCoreHost(opts, unlock);
  } catch (err) {
    unlock();
    throw err;
  }
}

async function openCoreHost(opts: CoreHostOptions, unlock: () => void): Promise<CoreHost> {
  const { dataDir, settings } = opts;
  const strategiesDir = join(dataDir, 'strategies');
  const bus = new EventBus();
  const logs = new LogBuffer(opts.logCapacity);
  const unfollow = logs.follow(bus);
  const recentCandles = new RecentCandles();
  const unfollowCandles = recentCandles.follow(bus);
  // Every log line on the bus (engine, compute, transports), not only the manager's.
  const unlog = opts.logger ? bus.on('log', opts.logger) : () => {};
  // Shared sources for market:history while no bot runs on the asked source.
  const replayFiles = createReplayFileGate(dataDir);
  const marketOptions: MarketSourceOptions = { ...opts.marketOptions, dataDir, replayFiles };
  const markets = new MarketDataService(marketOptions);
  const workerHostOption = opts.workerHost ? { host: opts.workerHost } : {};
  const live = createLiveParts({
    dataDir,
    secrets: opts.secrets ?? headlessSecrets(),
    journaledFills: (ids) => manager.journal('live').knownFillIds(ids),
    log: (line) => bus.emit('log', line),
    ...(opts.live ? { tuning: opts.live } : {}),
  });
  const manager: BotManager = new BotManager({
    bus,
    settings,
    dataDir,
    // A live bot armed for the testnet reads the testnet's candles, not the exchange's.
    createMarket: (config, bot) =>
      createMarketSource(
        config,
        bot && live.marketSandbox(bot) ? { ...marketOptions, sandbox: true } : marketOptions,
      ),
    // Idle workers exit within a few ms when asked; a short grace keeps a forced stop (a stuck worker) quick.
    createPool: () =>
      createComputePool({
        ...workerHostOption,
        strategiesDir,
        closeGraceMs: 100,
        // Worker restarts, quarantines and strategy reloads belong in the user's log.
        onLog: (level, message) =>
          bus.emit('log', { ts: Date.now(), level, scope: 'compute', message }),
      }),
    createExecutor: live.createExecutor,
    liveGate: live.liveGate,
    ...opts.engine,
  });
  registerBotManager(manager);

  const backtests = new BacktestService({
    dataDir,
    strategiesDir,
    ...(opts.workerHost ? { workerHost: opts.workerHost } : {}),
    ...(opts.marketOptions?.ccxt ? { ccxt: opts.marketOptions.ccxt } : {}),
    checkFile: (file) => replayFiles.check(file),
    onProgress: (p) => bus.emit('backtest:progress', p),
  });

  const journal = () => manager.journal(manager.status().mode);
  const handlers: ApiHandlers = {
    'bot:start': async ({ config, acknowledgeKillSwitch }) =>
      manager.start(config ?? {}, { acknowledgeKillSwitch }),
    'bot:stop': async (input) => manager.stop(input),
    'bot:status': async () => manager.status(),
    'bot:pause': async () => manager.pauseEntries(),
    'bot:resume': async () => manager.resumeEntries(),
    'bot:updateConfig': async ({ config }) => {
      await checkBotConfigInput(config);
      return manager.updateConfig(config);
    },
    'market:sources': async () => listMarketSources(),
    'market:history': async ({ source, exchange, symbol, timeframe, limit, file, seed }) => {
      // While the bot runs on this source, answer from its own feed: the chart shows what it trades.
      const running = manager.runningMarket();
      if (
        running &&
        running.config.source === source &&
        (exchange ?? running.config.exchange) === running.config.exchange
      ) {
        return running.source.history(symbol, timeframe, limit);
      }
      return markets.history(
        { source, exchange, file, symbol, timeframe, limit },
        seed === undefined ? {} : { seed },
      );
    },
    'strategies:list': async () => listStrategies(strategiesDir, workerHostOption),
    'journal:orders': async ({ limit, runId }) => journal().orders(limit, runId),
    'journal:fills': async ({ limit, runId }) => journal().fills(limit, runId),
    'journal:positions': async () => journal().positions((symbol) => manager.priceOf(symbol)),
    'journal:equity': async ({ limit, runId }) => journal().equity(limit, runId),
    'settings:get': async () => settings.get(),
    'settings:set': async (patch) => {
      // Validate the whole patch first: invalid input changes nothing.
      applySettingsPatch(settings.get(), patch);
      if (patch.bot) await checkBotConfigInput(patch.bot);
      const { bot, ...rest } = patch;
      // Bot changes go through the manager so a running bot picks up risk changes.
      if (bot) await manager.updateConfig(bot);
      return Object.keys(rest).length > 0 ? settings.set(rest) : settings.get();
    },
    'logs:tail': async ({ limit }) => logs.tail(limit),
    'bot:closePosition': async ({ symbol }) => manager.closePosition(symbol),
    'bot:forceEntry': async ({ symbol }) => manager.forceEntry(symbol),
    'bot:resetPaperAccount': async () => manager.resetPaperAccount(),
    'journal:runs': async ({ limit }) => journal().runs(limit),
    'journal:trades': async (query) => pageTrades(journal().trades(), query),
    'journal:riskEvents': async ({ limit }) => loadRiskEvents(journal(), limit),
    'market:recent': async ({ symbol, limit }) => recentCandles.recent(symbol, limit),
    'market:range': async ({ source, exchange, file, seed, symbol, timeframe, from, to }) => {
      const src = markets.source({
        source,
        speed: 1,
        seed: seed ?? 42,
        ...(exchange ? { exchange } : {}),
        ...(file ? { file } : {}),
      });
      if (!src.range) {
        throw new BotDeskError('NOT_IMPLEMENTED', `the ${source} source cannot read a time range`);
      }
      return (await src.range(symbol, timeframe, from, to)).slice(-20_000);
    },
    ...live.handlers,
    'backtest:run': async (request) => backtests.run(request),
    'backtest:cancel': async ({ runId }) => ({ cancelled: backtests.cancel(runId) }),
    'backtest:list': async ({ limit }) => backtests.list(limit),
    'backtest:get': async ({ id }) => backtests.get(id),
  };

  // Resuming warms the bot up (market history, compute workers): the host is usable meanwhile.
  const resuming =
    (opts.resume ?? true)
      ? manager.resumeOnLaunch().then(
          () => undefined,
          (err: unknown) =>
            bus.emit('log', {
              ts: Date.now(),
              level: 'error',
              scope: 'bot',
              message: `resume failed: ${String(err)}`,
            }),
        )
      : Promise.resolve();

  return {
    handlers,
    bus,
    manager,
    replayFiles,
    async close(closeOpts = {}) {
      try {
        await manager.shutdown({ reason: 'host closing', timeoutMs: closeOpts.timeoutMs ?? 5000 });
        await resuming;
      } finally {
        backtests.close();
        await markets.close();
        unfollow();
        unfollowCandles();
        unlog();
        unlock();
        registerBotManager(null);
      }
    },
  };
}
