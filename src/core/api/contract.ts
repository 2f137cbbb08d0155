/**
 * The one typed contract: every request channel with its payload schema, result
 * schema and a one-line summary (docs/API.md is generated from this file), and
 * every pushed event with its payload schema. Transports are generated from it.
 */
import { z } from 'zod';
import type { ChannelName, DesktopChannelName, DesktopEventName, EventName } from './channels.ts';
import {
  BotConfigInput,
  BotStatus,
  Candle,
  EquityPoint,
  Fill,
  LogLine,
  MarketSourceKind,
  Order,
  Position,
  RiskEvent,
  RunInfo,
  Settings,
  Signal,
  SourceInfo,
  StrategyInfo,
  Symbol,
  Timeframe,
  Trade,
  UiLanguage,
} from './schemas.ts';
import { ERROR_CODES } from './errors.ts';
import { isInsecureRemoteUrl } from './loopback.ts';
import { TOKEN_PATTERN } from './ws-protocol.ts';
import { BacktestProgress, BacktestRequest, BacktestResult, BacktestSummary } from './backtest.ts';

export interface ChannelDef {
  summary: string;
  input: z.ZodType;
  output: z.ZodType;
}

const Empty = z.object({}).strict().default({});
const Limit = z
  .object({ limit: z.number().int().min(1).max(10_000).default(500) })
  .strict()
  .default({ limit: 500 });

/** A limit, and optionally one run's rows only (`journal:runs` lists them). */
const RunLimit = z
  .object({
    limit: z.number().int().min(1).max(10_000).default(500),
    runId: z.string().min(1).max(100).optional(),
  })
  .strict()
  .default({ limit: 500 });

export const TradePage = z.object({
  /** Trades matching the filters (all pages). */
  total: z.number().int(),
  /** Summed PnL and winning trades of all matching trades. */
  pnl: z.number(),
  wins: z.number().int(),
  /** This page, newest first. */
  trades: z.array(Trade),
});
export type TradePage = z.infer<typeof TradePage>;

export const SettingsPatch = z
  .object({
    bot: BotConfigInput.strict().optional(),
    resumeOnLaunch: z
      .object({ paper: z.boolean(), live: z.boolean() })
      .partial()
      .strict()
      .optional(),
    ui: z
      .object({
        closeToTray: z.boolean(),
        theme: z.enum(['dark', 'light', 'system']),
        language: UiLanguage,
        notifications: z
          .object({
            fills: z.boolean(),
            killSwitch: z.boolean(),
            riskBlocks: z.boolean(),
            errors: z.boolean(),
          })
          .partial()
          .strict(),
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

/** An exchange id as ccxt spells it (lower-case). */
const ExchangeId = z
  .string()
  .regex(/^[a-z][a-z0-9]{1,39}$/, 'exchange must be a ccxt exchange id, e.g. binance');

/** Where an exchange's keys are and what they look like, masked: never the key itself. */
export const SecretStatus = z.object({
  exchange: z.string(),
  source: z.enum(['safeStorage', 'env', 'file', 'none']),
  apiKey: z.string().nullable(),
  hasSecret: z.boolean(),
  writable: z.boolean(),
  reason: z.string().optional(),
});

export const ConnectionCheck = z.object({
  exchange: z.string(),
  sandbox: z.boolean(),
  ok: z.boolean(),
  assets: z.number().int(),
  canWithdraw: z.boolean().nullable(),
  warnings: z.array(z.string()),
});

export const LiveArmingStatus = z.object({
  armed: z.boolean(),
  exchange: z.string().nullable(),
  sandbox: z.boolean(),
  armedAt: z.number().nullable(),
});

export const contract = {
  'bot:start': {
    summary:
      'Start the bot with the saved config merged with `config`. Idempotent: while starting or running it returns the current status. After the kill switch tripped, a start is refused (RISK_REJECTED, with the reason) unless `acknowledgeKillSwitch` is true.',
    input: z
      .object({
        config: BotConfigInput.strict().optional(),
        acknowledgeKillSwitch: z.boolean().optional(),
      })
      .strict()
      .default({}),
    output: BotStatus,
  },
  'bot:stop': {
    summary:
      'Stop the bot: abort, wait up to `timeoutMs` for a graceful stop, then force. Resolves at once when already stopped.',
    input: z
      .object({
        reason: z.string().max(200).default('user request'),
        timeoutMs: z.number().int().min(0).max(120_000).default(5000),
      })
      .strict()
      .default({ reason: 'user request', timeoutMs: 5000 }),
    output: BotStatus,
  },
  'bot:status': {
    summary: 'A snapshot of the bot status; never waits behind a tick.',
    input: Empty,
    output: BotStatus,
  },
  'bot:pause': {
    summary: 'Pause new entries; exits, stops and take-profits keep working.',
    input: Empty,
    output: BotStatus,
  },
  'bot:resume': {
    summary: 'Resume new entries after a pause.',
    input: Empty,
    output: BotStatus,
  },
  'bot:updateConfig': {
    summary:
      'Change the saved bot config. Risk and stop-behaviour changes apply to a running bot at its next tick; market, symbols, timeframe and strategy apply at the next start.',
    input: z.object({ config: BotConfigInput.strict() }).strict(),
    output: BotStatus,
  },
  'market:sources': {
    summary: 'The market data sources this build offers.',
    input: Empty,
    output: z.array(SourceInfo),
  },
  'market:history': {
    summary: 'The last `limit` closed candles of a symbol from a source.',
    input: z
      .object({
        source: MarketSourceKind.default('sim'),
        exchange: z.string().optional(),
        symbol: Symbol,
        timeframe: Timeframe.default('1m'),
        limit: z.number().int().min(1).max(5000).default(200),
        /** The candle file, for source 'replay'. */
        file: z.string().min(1).optional(),
        /** The simulated market's seed (default 42). */
        seed: z.number().int().optional(),
      })
      .strict(),
    output: z.array(Candle),
  },
  'strategies:list': {
    summary:
      'Built-in and user strategies with their parameter schemas (user files with errors are listed with `error`).',
    input: Empty,
    output: z.array(StrategyInfo),
  },
  'journal:orders': {
    summary: 'Most recent orders first (of one run when `runId` is given).',
    input: RunLimit,
    output: z.array(Order),
  },
  'journal:fills': {
    summary: 'Most recent fills first (of one run when `runId` is given).',
    input: RunLimit,
    output: z.array(Fill),
  },
  'journal:positions': {
    summary: 'Open positions, derived from fills.',
    input: Empty,
    output: z.array(Position),
  },
  'journal:equity': {
    summary: 'Equity curve, oldest first (of one run when `runId` is given).',
    input: RunLimit,
    output: z.array(EquityPoint),
  },
  'settings:get': { summary: 'All settings.', input: Empty, output: Settings },
  'settings:set': {
    summary:
      'Validate and persist a partial settings change; returns the new settings. Invalid input changes nothing.',
    input: SettingsPatch,
    output: Settings,
  },
  'logs:tail': {
    summary: 'The most recent log lines, oldest first.',
    input: Limit,
    output: z.array(LogLine),
  },
  'bot:closePosition': {
    summary:
      "Close a position of the running bot with a market sell at its next tick (reason 'closed by the user').",
    input: z.object({ symbol: Symbol }).strict(),
    output: BotStatus,
  },
  'bot:forceEntry': {
    summary:
      'Open a position on a symbol of the running bot at its next tick, sized by the stake and checked by the risk rules like a strategy entry.',
    input: z.object({ symbol: Symbol }).strict(),
    output: BotStatus,
  },
  'bot:resetPaperAccount': {
    summary:
      'Start the paper wallet afresh (starting balance, no positions, daily loss baseline cleared); the journal keeps the history. Only while the bot is not running; `confirm` must be true.',
    input: z.object({ confirm: z.literal(true) }).strict(),
    output: BotStatus,
  },
  'journal:runs': {
    summary: 'Runs (every start of the bot: id, config, time range, counts), newest first.',
    input: z
      .object({ limit: z.number().int().min(1).max(1000).default(100) })
      .strict()
      .default({ limit: 100 }),
    output: z.array(RunInfo),
  },
  'journal:trades': {
    summary:
      'Closed round trips derived from fills (entry, exit, PnL net of fees, duration, exit reason), newest first, filtered and paged.',
    input: z
      .object({
        runId: z.string().min(1).max(100).optional(),
        symbol: Symbol.optional(),
        outcome: z.enum(['win', 'loss']).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(10_000).default(50),
      })
      .strict()
      .default({ offset: 0, limit: 50 }),
    output: TradePage,
  },
  'market:recent': {
    summary:
      "The running bot's last candles of a symbol with the indicator values it computed (its current run only; empty when none), oldest first: a page opened mid-run draws indicator lines across the chart.",
    input: z
      .object({ symbol: Symbol, limit: z.number().int().min(1).max(1000).default(300) })
      .strict(),
    output: z.array(
      z.object({
        candle: Candle,
        indicators: z.record(z.string(), z.number().nullable()).optional(),
      }),
    ),
  },
  'market:range': {
    summary:
      "Closed candles of a symbol with open time in [from, to) from a source (a replay or backtest file, the candle store behind an exchange, the simulated market), oldest first, at most the last 20,000: the backtest page's chart.",
    input: z
      .object({
        source: MarketSourceKind,
        exchange: z.string().optional(),
        file: z.string().min(1).optional(),
        seed: z.number().int().optional(),
        symbol: Symbol,
        timeframe: Timeframe,
        from: z.number().int().min(0),
        to: z.number().int().min(0),
      })
      .strict(),
    output: z.array(Candle),
  },
  'secrets:status': {
    summary:
      "Where an exchange's API keys come from (encrypted store, environment, key file) and the key masked; never the key.",
    input: z.object({ exchange: ExchangeId }).strict(),
    output: SecretStatus,
  },
  'secrets:set': {
    summary:
      "Store an exchange's API keys encrypted (desktop: OS encryption through safeStorage). Refused, with the reason, where keys cannot be stored safely or are read from the environment. Answers the masked status.",
    input: z
      .object({
        exchange: ExchangeId,
        apiKey: z.string().min(1).max(1024),
        secret: z.string().min(1).max(4096),
        password: z.string().min(1).max(1024).optional(),
      })
      .strict(),
    output: SecretStatus,
  },
  'secrets:delete': {
    summary: "Remove an exchange's stored API keys.",
    input: z.object({ exchange: ExchangeId }).strict(),
    output: SecretStatus,
  },
  'secrets:test': {
    summary:
      'Check connection: fetchBalance with the stored keys (on the testnet with `sandbox`); warns when the exchange says the key can withdraw.',
    input: z.object({ exchange: ExchangeId, sandbox: z.boolean().default(false) }).strict(),
    output: ConnectionCheck,
  },
  'bot:liveStatus': {
    summary: 'Whether live trading is armed, for which exchange, and whether on its testnet.',
    input: Empty,
    output: LiveArmingStatus,
  },
  'bot:armLive': {
    summary:
      "Arm live trading on `exchange`: `confirm` must be the exchange's name, keys must exist; `sandbox` sends orders to the exchange's testnet (ccxt sandbox mode). A live bot also needs mode 'live' and ccxt market data from the same exchange.",
    input: z
      .object({ exchange: ExchangeId, confirm: z.string().max(100), sandbox: z.boolean() })
      .strict(),
    output: LiveArmingStatus,
  },
  'bot:disarmLive': {
    summary: 'Disarm live trading: the next live start is refused (a running bot is not stopped).',
    input: Empty,
    output: LiveArmingStatus,
  },
  'backtest:run': {
    summary:
      'Run a backtest (or a parameter grid) in compute workers and return its result once done; progress arrives as `backtest:progress` events carrying `runId` (pass your own to cancel it). Kept in the backtest history unless `save` is false. Invalid input runs and stores nothing.',
    input: BacktestRequest.extend({ runId: z.string().min(1).max(100).optional() }),
    output: BacktestResult,
  },
  'backtest:cancel': {
    summary:
      'Cancel a running backtest by `runId` (every running one without it); its workers are stopped and nothing is stored.',
    input: z.object({ runId: z.string().optional() }).strict().default({}),
    output: z.object({ cancelled: z.number().int() }),
  },
  'backtest:list': {
    summary: 'Past backtests, most recent first (summaries).',
    input: Limit,
    output: z.array(BacktestSummary),
  },
  'backtest:get': {
    summary: 'One past backtest in full: trades, equity, metrics, grid.',
    input: z.object({ id: z.string().min(1) }).strict(),
    output: BacktestResult,
  },
  'journal:riskEvents': {
    summary:
      'The latest risk decisions from the journal, newest first: protective exits, entries a rule refused, the kill switch tripping and acknowledged (the `risk` events told before).',
    input: z
      .object({ limit: z.number().int().min(1).max(1000).default(200) })
      .strict()
      .default({ limit: 200 }),
    output: z.array(RiskEvent),
  },
} as const satisfies Record<ChannelName, ChannelDef>;

export type Contract = typeof contract;
export type ChannelInput<C extends ChannelName> = z.input<Contract[C]['input']>;
export type ChannelParsedInput<C extends ChannelName> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<Contract[C]['output']>;

export const TickSummary = z.object({
  n: z.number().int(),
  ts: z.number(),
  durationMs: z.number(),
  candles: z.number().int(),
  signals: z.number().int(),
  orders: z.number().int(),
  fills: z.number().int(),
  failedPairs: z.array(z.string()),
});
export type TickSummary = z.infer<typeof TickSummary>;

export const eventContract = {
  'bot:status': {
    summary: 'Status snapshot (coalesced to at most 10 Hz per transport).',
    payload: BotStatus,
  },
  'bot:tick': { summary: 'One completed tick.', payload: TickSummary },
  'market:candle': {
    summary:
      "A closed candle delivered to the bot, sent after the strategy saw it, with the indicator values the chart draws (absent when the pair failed). A starting run first sends the last (up to 300) candles of each pair's warm-up history, once every pair is warm; their values may be null while the strategy itself warms up.",
    payload: z.object({
      symbol: z.string(),
      timeframe: Timeframe,
      candle: Candle,
      indicators: z.record(z.string(), z.number().nullable()).optional(),
    }),
  },
  'strategy:signal': { summary: 'A non-hold signal from a strategy.', payload: Signal },
  order: { summary: 'An order placed or updated.', payload: Order },
  fill: { summary: 'A fill, after it is committed to the journal.', payload: Fill },
  equity: { summary: 'Equity after a tick.', payload: EquityPoint },
  log: { summary: 'A log line.', payload: LogLine },
  risk: {
    summary:
      'A risk decision: a protective exit (stop_loss, take_profit, trailing_stop, roi, max_hold), an entry refused by a rule, the kill switch tripping or being acknowledged.',
    payload: RiskEvent,
  },
  error: {
    summary: 'An error the user should see (pair failure, feed trouble, forced stop).',
    payload: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      symbol: z.string().optional(),
    }),
  },
  'backtest:progress': {
    summary:
      'Progress of a running backtest: loading (download chunks), running (parameter sets done of total), done.',
    payload: BacktestProgress,
  },
} as const satisfies Record<EventName, { summary: string; payload: z.ZodType }>;

export type EventPayload<E extends EventName> = z.output<(typeof eventContract)[E]['payload']>;

/** Handlers a host provides: one per channel, receiving the validated payload. */
export type ApiHandlers = {
  [C in ChannelName]: (input: ChannelParsedInput<C>) => Promise<ChannelOutput<C>>;
};

/**
 * The desktop app's bot list (desktop-only: IPC, never WebSocket; see DESKTOP_CHANNELS).
 * `local` is this machine's bot; remote bots are reached at a `ws(s)://…/ws` address
 * with a token that stays in the main process (encrypted with the OS keychain) and
 * never appears in a result.
 */
export const BotTargetState = z.enum([
  'local',
  'connecting',
  'connected',
  'disconnected',
  'refused',
  /** The connection failed in a way a retry cannot fix (e.g. an expired certificate): no more retries. */
  'error',
]);
export type BotTargetState = z.infer<typeof BotTargetState>;

export const BotTarget = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['local', 'remote']),
  /** ws(s)://host:port/ws; null for the local bot. */
  url: z.string().nullable(),
  /** SHA-256 fingerprint of the pinned TLS certificate (null before first use, or without TLS). */
  fingerprint: z.string().nullable(),
  /** True when this is the bot the window, the tray and every call control. */
  selected: z.boolean(),
  state: BotTargetState,
  /** Why it is disconnected or refused (e.g. a certificate mismatch, a rotated token). */
  message: z.string().nullable(),
  /**
   * Plain ws:// to another machine (acknowledged when it was added): the token and all
   * traffic travel unencrypted. False for wss://, loopback and this computer.
   */
  insecure: z.boolean(),
});
export type BotTarget = z.infer<typeof BotTarget>;

/** Why remote:add refuses a ws:// address of another machine without `insecure: true`. */
export const INSECURE_WS_MESSAGE =
  'insecure: over ws:// to another machine the token and all traffic travel unencrypted; use wss:// (serve with --tls-cert/--tls-key), or acknowledge it with insecure: true';

export const desktopContract = {
  'remote:list': {
    summary: 'The bots this app can control: this machine first, then the saved remote ones.',
    input: Empty,
    output: z.array(BotTarget),
  },
  'remote:add': {
    summary:
      'Save a remote bot (address and token; the token is encrypted with the OS keychain and never returned). A `wss://` bot pins its certificate on first use unless `fingerprint` is given. A `ws://` address of another machine needs `insecure: true` (the token and all traffic travel unencrypted); loopback does not.',
    input: z
      .object({
        name: z.string().trim().min(1).max(60),
        url: z
          .string()
          .max(2000)
          .refine((u) => URL.canParse(u) && /^wss?:$/.test(new URL(u).protocol), {
            message: 'the address must be a ws:// or wss:// URL, e.g. wss://host:8745/ws',
          }),
        token: z
          .string()
          .regex(TOKEN_PATTERN, 'the token must be 16 to 256 characters of A-Z a-z 0-9 - _ . ~'),
        fingerprint: z.string().max(200).optional(),
        /** Required (true) for a ws:// address of another machine: the token and all traffic travel unencrypted. */
        insecure: z.boolean().optional(),
      })
      .strict()
      .refine((input) => input.insecure === true || !isInsecureRemoteUrl(input.url), {
        path: ['insecure'],
        message: INSECURE_WS_MESSAGE,
      }),
    output: BotTarget,
  },
  'remote:remove': {
    summary:
      'Forget a remote bot and its token (and its pinned certificate). Removing the selected bot selects this machine.',
    input: z.object({ id: z.string().min(1).max(100) }).strict(),
    output: z.array(BotTarget),
  },
  'remote:select': {
    summary:
      'Control this bot from now on (window, tray and every call). Connects first: a refused token, a changed certificate or an unreachable bot is an error and the selection stays.',
    input: z.object({ id: z.string().min(1).max(100) }).strict(),
    output: BotTarget,
  },
} as const satisfies Record<DesktopChannelName, ChannelDef>;

export const desktopEventContract = {
  'remote:state': {
    summary: 'The selected bot changed, or its connection did (connected, reconnecting, refused).',
    payload: BotTarget,
  },
} as const satisfies Record<DesktopEventName, { summary: string; payload: z.ZodType }>;

export type DesktopChannelInput<C extends DesktopChannelName> = z.input<
  (typeof desktopContract)[C]['input']
>;
export type DesktopChannelOutput<C extends DesktopChannelName> = z.output<
  (typeof desktopContract)[C]['output']
>;
