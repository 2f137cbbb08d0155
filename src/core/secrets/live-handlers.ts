/**
 * The contract's key and live-arming channels, the live gate the manager asks before a
 * live start, and the live executor factory, built over one SecretStore. Everything that
 * leaves here is masked or redacted: handlers answer with SecretStatus, never a key.
 */
import type { Exchange } from 'ccxt';
import type { ApiHandlers } from '../api/contract.ts';
import { BotDeskError } from '../api/errors.ts';
import type { BotConfig, LogLine } from '../api/schemas.ts';
import type { ExecutorSeed } from '../bot/manager.ts';
import { armingFile, LiveArmingStore } from '../execution/ccxt-arming.ts';
import type { Backoff } from '../execution/ccxt-calls.ts';
import { checkConnection } from '../execution/ccxt-connect.ts';
import { ledgerFile } from '../execution/ccxt-ledger.ts';
import { LiveExecutor } from '../execution/ccxt-live.ts';
import type { Executor } from '../execution/types.ts';
import { createRedactor } from './mask.ts';
import type { SecretStore } from './types.ts';

/** Endpoint overrides and timings for live trading (tests: the loopback exchange). */
export interface LiveTuning {
  configure?: (exchange: Exchange) => void;
  timeoutMs?: number;
  pollMs?: number;
  lostOrderGraceMs?: number;
  backoff?: Partial<Backoff>;
  /** Fills by websocket where the exchange has them (default true). */
  stream?: boolean;
  safetyPollMs?: number;
}

export type LiveChannels =
  | 'secrets:status'
  | 'secrets:set'
  | 'secrets:delete'
  | 'secrets:test'
  | 'bot:liveStatus'
  | 'bot:armLive'
  | 'bot:disarmLive';

export interface LiveParts {
  handlers: Pick<ApiHandlers, LiveChannels>;
  liveGate: (config: BotConfig) => void;
  createExecutor: (seed: ExecutorSeed) => Executor | undefined;
  /** True when this run's exchange market data must come from the testnet (live, armed with sandbox). */
  marketSandbox: (config: BotConfig) => boolean;
  redact: (text: string) => string;
}

export interface LivePartsOptions {
  dataDir: string;
  secrets: SecretStore;
  /** Fill ids the live journal already holds. */
  journaledFills: (ids: readonly string[]) => ReadonlySet<string>;
  log: (line: LogLine) => void;
  tuning?: LiveTuning;
}

export function createLiveParts(opts: LivePartsOptions): LiveParts {
  const { secrets, tuning = {} } = opts;
  const redact = createRedactor(() => secrets.values());
  const arming = new LiveArmingStore({ file: armingFile(opts.dataDir), secrets });
  const log = (level: LogLine['level'], message: string) =>
    opts.log({ ts: Date.now(), level, scope: 'live', message: redact(message) });
  // Errors from a store (a damaged file) are passed on redacted, like everything else.
  const guarded = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof BotDeskError) throw new BotDeskError(err.code, redact(err.message));
      throw new BotDeskError('INTERNAL', redact(err instanceof Error ? err.message : String(err)));
    }
  };

  const handlers: LiveParts['handlers'] = {
    'secrets:status': async ({ exchange }) => guarded(() => secrets.status(exchange)),
    'secrets:set': async ({ exchange, ...keys }) =>
      guarded(() => {
        secrets.set(exchange, keys);
        log(
          'info',
          `API keys for ${exchange} stored (${secrets.status(exchange).apiKey ?? 'masked'})`,
        );
        return secrets.status(exchange);
      }),
    'secrets:delete': async ({ exchange }) =>
      guarded(() => {
        secrets.delete(exchange);
        log('info', `API keys for ${exchange} removed`);
        return secrets.status(exchange);
      }),
    'secrets:test': async ({ exchange, sandbox }) => {
      const keys = guarded(() => secrets.get(exchange));
      if (!keys) {
        const why = secrets.status(exchange).reason;
        throw new BotDeskError('FORBIDDEN', `no API keys for ${exchange}${why ? `: ${why}` : ''}`);
      }
      const check = await checkConnection({
        exchange,
        keys,
        sandbox,
        redact,
        ...(tuning.configure ? { configure: tuning.configure } : {}),
        ...(tuning.timeoutMs ? { timeoutMs: tuning.timeoutMs } : {}),
      });
      for (const w of check.warnings) log('warn', `${exchange}: ${w}`);
      return check;
    },
    'bot:liveStatus': async () => arming.get(),
    'bot:armLive': async (input) => {
      const state = await arming.arm(input);
      log(
        'warn',
        `live trading ARMED on ${state.exchange}${state.sandbox ? ' (testnet)' : ' with real funds'}`,
      );
      return state;
    },
    'bot:disarmLive': async () => {
      const state = arming.disarm();
      log('info', 'live trading disarmed');
      return state;
    },
  };

  return {
    handlers,
    redact,
    liveGate: (config) => void arming.check(config),
    marketSandbox: (config) => {
      if (config.mode !== 'live' || !arming.check(config).sandbox) return false;
      log('info', `live market data from ${config.market.exchange}'s testnet (ccxt sandbox mode)`);
      return true;
    },
    createExecutor: (seed) => {
      if (seed.config.mode !== 'live') return undefined;
      const state = arming.check(seed.config);
      const exchange = seed.config.market.exchange!;
      return new LiveExecutor({
        exchange,
        sandbox: state.sandbox,
        keys: () => secrets.get(exchange),
        ledgerFile: ledgerFile(opts.dataDir),
        quote: seed.wallet.quote,
        symbols: seed.config.symbols,
        priceOf: seed.priceOf,
        expectedCash: seed.wallet.cash,
        journaledFills: opts.journaledFills,
        redact,
        log,
        ...tuning,
      });
    },
  };
}
