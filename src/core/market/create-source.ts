/** Builds market data sources from a MarketConfig. */
import { BotDeskError } from '../api/errors.ts';
import type { MarketConfig, SourceInfo } from '../api/schemas.ts';
import { CandleStore } from './candle-store.ts';
import { CcxtSource, loadCcxt } from './ccxt-source.ts';
import type { CcxtSourceOptions } from './ccxt-source.ts';
import { createClock } from './clock.ts';
import type { Clock } from './clock.ts';
import type { ReplayFileGate } from './replay-files.ts';
import { ReplaySource } from './replay-source.ts';
import { SIM_LABEL, SimMarketSource } from './sim-source.ts';
import { timelineClock } from './sim-timeline.ts';
import type { MarketDataSource } from './types.ts';

export interface MarketSourceOptions {
  /**
   * Data folder: ccxt history is kept in `<dataDir>/candles.sqlite`, and the simulated
   * market's timeline in `<dataDir>/sim-clock.json` (unless `clock` is given).
   */
  dataDir?: string;
  /** Wall clock override (tests); the source's market time starts from it. */
  now?: () => number;
  /** Full control of market time (tests, benchmarks). Overrides `now` and the config's speed. */
  clock?: Clock;
  /** Extra ccxt source settings (endpoints via `configure`, retry policy, timeouts). */
  ccxt?: Omit<CcxtSourceOptions, 'exchange' | 'clock' | 'store' | 'ownsStore'>;
  /** ccxt market data from the exchange's testnet (a live bot armed for the testnet). */
  sandbox?: boolean;
  /** Which replay files may be read (the core host always passes one; see replay-files.ts). */
  replayFiles?: ReplayFileGate;
}

const SOURCES: SourceInfo[] = [
  { kind: 'sim', label: SIM_LABEL, needsKeys: false, offline: true },
  { kind: 'ccxt', label: 'Exchange (ccxt)', needsKeys: false, offline: false },
  { kind: 'replay', label: 'File replay', needsKeys: false, offline: true },
];

export function listMarketSources(): SourceInfo[] {
  return SOURCES.map((s) => ({ ...s }));
}

export function createMarketSource(
  config: MarketConfig,
  opts: MarketSourceOptions = {},
): MarketDataSource {
  const clock = (speed: number) =>
    opts.clock ?? createClock({ speed, ...(opts.now ? { wallNow: opts.now } : {}) });
  switch (config.source) {
    case 'sim': {
      const profiles = config.profiles ? { profiles: config.profiles } : {};
      if (opts.clock || !opts.dataDir)
        return new SimMarketSource({ seed: config.seed, clock: clock(config.speed), ...profiles });
      // A data folder's simulated market continues its own timeline across restarts.
      const timeline = timelineClock(opts.dataDir, {
        speed: config.speed,
        ...(opts.now ? { wallNow: opts.now } : {}),
      });
      return new SimMarketSource({ seed: config.seed, ...timeline, ...profiles });
    }
    case 'ccxt': {
      if (!config.exchange)
        throw new BotDeskError(
          'INVALID_INPUT',
          "the ccxt source needs an exchange id, e.g. 'binance'",
        );
      const store = opts.dataDir ? CandleStore.inDataDir(opts.dataDir) : undefined;
      return new CcxtSource({
        ...opts.ccxt,
        exchange: config.exchange,
        ...(opts.sandbox ? { sandbox: true } : {}),
        clock: clock(1),
        store,
        ownsStore: true,
      });
    }
    case 'replay':
      if (!config.file)
        throw new BotDeskError('INVALID_INPUT', 'the replay source needs a CSV or JSON file');
      return new ReplaySource({
        file: opts.replayFiles ? opts.replayFiles.check(config.file) : config.file,
        speed: config.speed,
        ...(config.gaps ? { gaps: config.gaps } : {}),
      });
    default:
      throw new BotDeskError(
        'INVALID_INPUT',
        `unknown market source '${String((config as { source: unknown }).source)}'`,
      );
  }
}

/** Exchange ids ccxt supports (loads ccxt). */
export async function listExchanges(): Promise<string[]> {
  return [...(await loadCcxt()).default.exchanges];
}
