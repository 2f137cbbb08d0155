/**
 * Domain schemas shared by every layer and transport. Values that cross a process
 * or network boundary are described here once; TypeScript types are inferred.
 */
import { z } from 'zod';
import { TIMEFRAMES } from './timeframes.ts';

export { TIMEFRAMES, TIMEFRAME_MS } from './timeframes.ts';
export const Timeframe = z.enum(TIMEFRAMES);
export type Timeframe = z.infer<typeof Timeframe>;

/** "BASE/QUOTE", as ccxt spells unified spot symbols. */
export const Symbol = z
  .string()
  .regex(/^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/, 'symbol must look like BASE/QUOTE, e.g. BTC/USDT');

/** One OHLCV candle; `ts` is the candle's open time in ms since the epoch (UTC). */
export const Candle = z.object({
  ts: z.number().int(),
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number().nonnegative(),
});
export type Candle = z.infer<typeof Candle>;

export const MarketSourceKind = z.enum(['sim', 'ccxt', 'replay']);
export type MarketSourceKind = z.infer<typeof MarketSourceKind>;

/**
 * One simulated symbol's profile (docs/market-data.md). Every field is optional: what is
 * left out comes from the built-in profile (BTC, ETH and other known coins) or, for any
 * other name, the small-coin defaults.
 */
export const SimSymbolProfile = z
  .object({
    /** Price at the start of the series (the UTC day the timeline began), in the quote currency. */
    price: z.number().positive().max(1e12).optional(),
    /** Price increment: every price is a whole number of ticks (at most 12 decimals). */
    tickSize: z
      .number()
      .positive()
      .refine((t) => Math.abs(t * 1e12 - Math.round(t * 1e12)) < 1e-6 * t * 1e12, {
        message: 'tick size must have at most 12 decimals',
      })
      .optional(),
    /** Yearly volatility, e.g. 0.55 for 55 % a year. */
    volatility: z.number().positive().max(10).optional(),
    /** Liquidity: average trades per minute. Fewer trades → more quiet minutes with flat candles. */
    tradesPerMinute: z.number().positive().max(100_000).optional(),
    /** Effective spread (bid-ask plus short-lived impact) in basis points: the bid-ask bounce. */
    spreadBps: z.number().min(0).max(1000).optional(),
  })
  .strict()
  .refine((p) => p.price === undefined || p.tickSize === undefined || p.tickSize <= p.price / 10, {
    message: 'tick size must be at most a tenth of the price',
  });
export type SimSymbolProfile = z.infer<typeof SimSymbolProfile>;

/**
 * Missing candles of a replay file or a backtest's data: 'keep' the candles as given (a pair
 * without a candle at a candle time simply has none: its orders wait for its next one), or
 * 'fill' each gap with flat zero-volume candles at the previous close. Either way the gaps
 * are counted in a warning.
 */
export const GapMode = z.enum(['keep', 'fill']);
export type GapMode = z.infer<typeof GapMode>;
export const DEFAULT_GAP_MODE: GapMode = 'keep';

export const MarketConfig = z.object({
  source: MarketSourceKind.default('sim'),
  /** ccxt exchange id, for source 'ccxt' */
  exchange: z.string().min(1).optional(),
  /** CSV or JSON file path, for source 'replay' */
  file: z.string().min(1).optional(),
  /** Simulated / replay clock speed: 1 = real time, 1000 = a 1m candle every 60 ms. */
  speed: z.number().positive().max(1_000_000).default(1),
  /** Seed of the simulated market (same seed → same candles). */
  seed: z.number().int().default(42),
  /** Simulated market: per-symbol profiles (price level, tick size, volatility, liquidity, spread). */
  profiles: z.record(Symbol, SimSymbolProfile).optional(),
  /** Replay: missing candles kept as gaps or filled flat (the same option as a backtest's); absent: DEFAULT_GAP_MODE. */
  gaps: GapMode.optional(),
});
export type MarketConfig = z.infer<typeof MarketConfig>;

export const StrategyRef = z.object({
  id: z.string().min(1),
  params: z.record(z.string(), z.unknown()).default({}),
});
export type StrategyRef = z.infer<typeof StrategyRef>;

export const StopBehavior = z.enum(['leave', 'cancel_orders', 'close_positions']);
export type StopBehavior = z.infer<typeof StopBehavior>;

export const TradingMode = z.enum(['paper', 'live']);
export type TradingMode = z.infer<typeof TradingMode>;

/** One step of a ROI table (Freqtrade's `minimal_roi`): from `afterMinutes` of holding on, exit at `minReturn`. */
export const RoiStep = z.object({
  afterMinutes: z.number().min(0),
  /** Gross return over the entry price; 0 = break-even, -1 = exit at any price. */
  minReturn: z.number().min(-1),
});
export type RoiStep = z.infer<typeof RoiStep>;

/** Protective exit rules; every field is a fraction of the entry price (0.02 = 2 %) unless named otherwise. */
const ExitRuleFields = {
  stopLoss: z.number().gt(0).lt(1).optional(),
  takeProfit: z.number().gt(0).max(100).optional(),
  /** Exit when the price falls this fraction below the highest price since entry. */
  trailingStop: z.number().gt(0).lt(1).optional(),
  /** The trailing stop only arms once the price rose this fraction above the entry (0 = at once). */
  trailingActivation: z.number().min(0).max(100).optional(),
  roi: z.array(RoiStep).max(50).optional(),
  maxHoldMinutes: z.number().gt(0).optional(),
  /** No new entry on a pair for this long after a losing trade closed on it. */
  cooldownMinutes: z.number().min(0).optional(),
  /** Largest position value on one symbol, as a fraction of equity. */
  maxExposurePerSymbol: z.number().gt(0).max(1).optional(),
};

/** Per-pair overrides of the bot's exit, cooldown and exposure rules. */
export const PairRiskOverride = z.object(ExitRuleFields).strict();
export type PairRiskOverride = z.infer<typeof PairRiskOverride>;

export const SizingMethod = z.enum(['equity_fraction', 'fixed_quote', 'risk_per_trade']);
export type SizingMethod = z.infer<typeof SizingMethod>;

export const RiskConfig = z.object({
  /** Fraction of equity committed per new position. */
  stakeFraction: z.number().gt(0).max(1).default(0.1),
  maxOpenPositions: z.number().int().min(1).max(1000).default(5),
  /** Stop accepting entries after losing this fraction of the day's starting equity. */
  maxDailyLoss: z.number().gt(0).max(1).default(0.05),
  ...ExitRuleFields,
  /** How an entry is sized (default `equity_fraction`: `stakeFraction` of equity). */
  sizing: SizingMethod.optional(),
  /** Quote amount per entry, for `fixed_quote`. */
  stakeAmount: z.number().gt(0).optional(),
  /** Fraction of equity lost if the stop is hit, for `risk_per_trade` (needs a stop). */
  riskPerTrade: z.number().gt(0).max(1).optional(),
  /** Value of all positions together, as a fraction of equity. */
  maxTotalExposure: z.number().gt(0).max(1).optional(),
  /** Drawdown from the equity peak that trips the kill switch: the bot stops until acknowledged. */
  maxDrawdown: z.number().gt(0).lt(1).optional(),
  pairs: z.record(Symbol, PairRiskOverride).optional(),
});
export type RiskConfig = z.infer<typeof RiskConfig>;

/** A tripped kill switch: kept (and journaled) until the user acknowledges it at a start. */
export const KillSwitchTrip = z.object({
  /** Market time it tripped at. */
  at: z.number(),
  equity: z.number(),
  peak: z.number(),
  drawdown: z.number(),
  threshold: z.number(),
  message: z.string(),
});
export type KillSwitchTrip = z.infer<typeof KillSwitchTrip>;

/** A decision of the risk rules, for the log and the UI (every one is also journaled). */
export const RiskEvent = z.object({
  ts: z.number(),
  kind: z.enum(['exit', 'rejected', 'kill_switch', 'acknowledged']),
  symbol: z.string().optional(),
  /** The rule: stop_loss, take_profit, trailing_stop, roi, max_hold, cooldown, max_exposure_total, kill_switch, ... */
  rule: z.string(),
  message: z.string(),
  /** The figures behind it (e.g. a refusal's `{ loss, limit }`), so a UI can say it in its own words. */
  values: z.record(z.string(), z.number()).optional(),
});
export type RiskEvent = z.infer<typeof RiskEvent>;

/** Paper and backtest fills: a market order pays `slippageBps` against it and `feeRate` of the notional. */
export const FeeConfig = z.object({
  /** Fee as a fraction of the notional, charged in the quote currency (0.001 = 0.1 %). */
  feeRate: z.number().min(0).max(0.1).default(0.001),
  /** Adverse move of a market order's price, in basis points (5 = 0.05 %). */
  slippageBps: z.number().min(0).max(1000).default(5),
});
export type FeeConfig = z.infer<typeof FeeConfig>;

export const BotConfig = z.object({
  mode: TradingMode.default('paper'),
  market: MarketConfig.default({ source: 'sim', speed: 1, seed: 42 }),
  symbols: z.array(Symbol).min(1).max(500).default(['BTC/USDT', 'ETH/USDT']),
  timeframe: Timeframe.default('1m'),
  strategy: StrategyRef.default({ id: 'sma-crossover', params: {} }),
  risk: RiskConfig.default({ stakeFraction: 0.1, maxOpenPositions: 5, maxDailyLoss: 0.05 }),
  stopBehavior: StopBehavior.default('leave'),
  /** Paper wallet's starting quote balance. */
  startingBalance: z.number().positive().default(10_000),
  /** Candles of history loaded before the first live tick. */
  warmupCandles: z.number().int().min(0).max(5000).default(200),
  /** Per-tick compute deadline; a pair exceeding it is isolated. */
  computeDeadlineMs: z.number().int().min(10).max(60_000).default(2000),
  /** Fee and slippage of paper fills (a live exchange charges its own). */
  fees: FeeConfig.default({ feeRate: 0.001, slippageBps: 5 }),
});
export type BotConfig = z.infer<typeof BotConfig>;
/**
 * What callers may send: every field optional and *not* defaulted, so a partial change
 * (`{ timeframe: '5m' }`) merges over the saved config instead of resetting the other
 * fields to defaults (zod's `.partial()` keeps defaults). BotConfig.parse fills the rest.
 */
export const BotConfigInput = z.object({
  mode: TradingMode.optional(),
  market: MarketConfig.optional(),
  symbols: BotConfig.shape.symbols.unwrap().optional(),
  timeframe: Timeframe.optional(),
  strategy: StrategyRef.optional(),
  risk: RiskConfig.optional(),
  stopBehavior: StopBehavior.optional(),
  startingBalance: BotConfig.shape.startingBalance.unwrap().optional(),
  warmupCandles: BotConfig.shape.warmupCandles.unwrap().optional(),
  computeDeadlineMs: BotConfig.shape.computeDeadlineMs.unwrap().optional(),
  fees: FeeConfig.optional(),
});
export type BotConfigInput = z.input<typeof BotConfig>;

export const BOT_STATES = ['idle', 'starting', 'running', 'stopping', 'stopped', 'error'] as const;
export const BotStateName = z.enum(BOT_STATES);
export type BotStateName = z.infer<typeof BotStateName>;

export const PairHealth = z.object({
  symbol: z.string(),
  state: z.enum(['ok', 'degraded', 'paused']),
  consecutiveFailures: z.number().int(),
  lastError: z.string().optional(),
});
export type PairHealth = z.infer<typeof PairHealth>;

export const StopReport = z.object({
  reason: z.string(),
  forced: z.boolean(),
  durationMs: z.number(),
  at: z.number(),
  stopBehavior: StopBehavior,
  /** What the stop behaviour did, e.g. "0 open order(s) canceled, 2 position(s) closed", or why it was skipped. */
  outcome: z.string().optional(),
});
export type StopReport = z.infer<typeof StopReport>;

/** The running bot's market feed, as its source reports it. */
export const FeedHealth = z.object({
  connected: z.boolean(),
  lastUpdateAt: z.number().nullable(),
  retries: z.number().int(),
  stale: z.boolean(),
  lastError: z.string().nullable(),
});
export type FeedHealth = z.infer<typeof FeedHealth>;

export const BotStatus = z.object({
  state: BotStateName,
  mode: TradingMode,
  /** What the UI must show without ambiguity: SIMULATED / REPLAY / EXCHANGE data. */
  dataLabel: z.enum(['SIMULATED', 'REPLAY', 'EXCHANGE']),
  entriesPaused: z.boolean(),
  config: BotConfig.nullable(),
  startedAt: z.number().nullable(),
  ticks: z.number().int(),
  missedTicks: z.number().int(),
  signals: z.number().int(),
  orders: z.number().int(),
  fills: z.number().int(),
  equity: z.number().nullable(),
  lastTickAt: z.number().nullable(),
  pairs: z.array(PairHealth),
  warnings: z.array(z.string()),
  lastStop: StopReport.nullable(),
  /** Feed health while running (absent or null when stopped, or before the source reported). */
  feed: FeedHealth.nullable().optional(),
  /** The tripped kill switch, until a start acknowledges it (absent or null when not tripped). */
  killSwitch: KillSwitchTrip.nullable().optional(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** Monotonic revision, so projections can drop stale snapshots. */
  rev: z.number().int(),
  /** The current (or last) run's id; runs are kept apart in the journal (`journal:runs`). */
  runId: z.string().nullable().optional(),
  /** Process instance: a new one (server restart) restarts `rev` at 0, so projections start afresh. */
  instance: z.string().optional(),
  /** New entries are refused by a risk rule (daily loss, max positions, kill switch): which and why. */
  riskBlock: z
    .object({
      rule: z.string(),
      reason: z.string(),
      since: z.number(),
      /** The figures of the refusal (daily-loss: `loss`, `limit`; max-positions: `max`). */
      values: z.record(z.string(), z.number()).optional(),
    })
    .nullable()
    .optional(),
});
export type BotStatus = z.infer<typeof BotStatus>;

export const OrderSide = z.enum(['buy', 'sell']);
export type OrderSide = z.infer<typeof OrderSide>;

export const Order = z.object({
  id: z.string(),
  clientOrderId: z.string(),
  mode: TradingMode,
  symbol: z.string(),
  side: OrderSide,
  type: z.enum(['market', 'limit']),
  amount: z.number(),
  price: z.number().nullable(),
  status: z.enum(['open', 'filled', 'canceled', 'rejected']),
  reason: z.string(),
  ts: z.number(),
});
export type Order = z.infer<typeof Order>;

export const Fill = z.object({
  id: z.string(),
  orderId: z.string(),
  symbol: z.string(),
  side: OrderSide,
  amount: z.number(),
  price: z.number(),
  fee: z.number(),
  feeCurrency: z.string(),
  ts: z.number(),
});
export type Fill = z.infer<typeof Fill>;

export const Position = z.object({
  symbol: z.string(),
  amount: z.number(),
  avgPrice: z.number(),
  lastPrice: z.number().nullable(),
  unrealizedPnl: z.number().nullable(),
  realizedPnl: z.number(),
  /** When the position was opened (its first entry fill), when known. */
  openedAt: z.number().nullable().optional(),
  /** Protective levels, when a rule sets them. */
  stopPrice: z.number().nullable().optional(),
  targetPrice: z.number().nullable().optional(),
});
export type Position = z.infer<typeof Position>;

export const EquityPoint = z.object({ ts: z.number(), equity: z.number(), cash: z.number() });
export type EquityPoint = z.infer<typeof EquityPoint>;

export const SignalAction = z.enum(['enter_long', 'exit', 'hold']);
export type SignalAction = z.infer<typeof SignalAction>;

export const Signal = z.object({
  symbol: z.string(),
  ts: z.number(),
  action: SignalAction,
  strength: z.number().min(0).max(1),
  /** Indicator values the chart draws (null while warming up). */
  indicators: z.record(z.string(), z.number().nullable()),
  /** An entry's own stop price (absolute), checked beside the configured stop-loss. */
  stop: z.number().positive().optional(),
  /** An entry's own target price (absolute), checked beside the configured take-profit. */
  target: z.number().positive().optional(),
});
export type Signal = z.infer<typeof Signal>;

export const LogLevel = z.enum(['debug', 'info', 'warn', 'error']);
export const LogLine = z.object({
  ts: z.number(),
  level: LogLevel,
  scope: z.string(),
  message: z.string(),
});
export type LogLine = z.infer<typeof LogLine>;

export const StrategyInfo = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  origin: z.enum(['builtin', 'user']),
  /** JSON Schema of the parameters (defaults and ranges) for forms and optimisers. */
  paramsSchema: z.record(z.string(), z.unknown()),
  warmup: z.number().int(),
  error: z.string().optional(),
});
export type StrategyInfo = z.infer<typeof StrategyInfo>;

export const SourceInfo = z.object({
  kind: MarketSourceKind,
  label: z.string(),
  needsKeys: z.boolean(),
  offline: z.boolean(),
});
export type SourceInfo = z.infer<typeof SourceInfo>;

export const UiLanguage = z.enum(['system', 'en', 'sv']);
export type UiLanguage = z.infer<typeof UiLanguage>;

/** Which events raise a desktop notification (the desktop app only). */
export const NotificationSettings = z.object({
  fills: z.boolean().default(true),
  killSwitch: z.boolean().default(true),
  riskBlocks: z.boolean().default(true),
  errors: z.boolean().default(true),
});
export type NotificationSettings = z.infer<typeof NotificationSettings>;
export const DEFAULT_NOTIFICATIONS: NotificationSettings = {
  fills: true,
  killSwitch: true,
  riskBlocks: true,
  errors: true,
};

export const Settings = z.object({
  schemaVersion: z.literal(1).default(1),
  bot: BotConfig.default(BotConfig.parse({})),
  /** Resume a bot that was running when the app quit or crashed. */
  resumeOnLaunch: z
    .object({
      paper: z.boolean().default(true),
      live: z.boolean().default(false),
    })
    .default({ paper: true, live: false }),
  ui: z
    .object({
      closeToTray: z.boolean().default(true),
      theme: z.enum(['dark', 'light', 'system']).default('dark'),
      /** The UI's language; 'system' follows the OS (or browser) language. */
      language: UiLanguage.default('system'),
      /** Desktop notifications, one switch per kind. */
      notifications: NotificationSettings.default(DEFAULT_NOTIFICATIONS),
    })
    .default({
      closeToTray: true,
      theme: 'dark',
      language: 'system',
      notifications: DEFAULT_NOTIFICATIONS,
    }),
});
export type Settings = z.infer<typeof Settings>;

/** One start of the bot: its id, config and time range (wall clock). */
export const RunInfo = z.object({
  id: z.string(),
  mode: TradingMode,
  config: BotConfig,
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  endReason: z.string().nullable(),
  orders: z.number().int(),
  fills: z.number().int(),
  /**
   * The market time its ticks covered (first and last equity point; null before its first
   * tick): with its config's market, the candles an earlier run traded on (`market:range`).
   */
  marketFrom: z.number().nullable().optional(),
  marketTo: z.number().nullable().optional(),
  /** Its first and last equity point (null before its first tick): the run's own PnL. */
  equityFrom: z.number().nullable().optional(),
  equityTo: z.number().nullable().optional(),
});
export type RunInfo = z.infer<typeof RunInfo>;

/** A closed round trip: flat → long → flat on one symbol, derived from fills. */
export const Trade = z.object({
  /** The id of the entry fill that opened it. */
  id: z.string(),
  /** The run whose fill closed it. */
  runId: z.string().nullable(),
  symbol: z.string(),
  amount: z.number(),
  entryPrice: z.number(),
  exitPrice: z.number(),
  openedAt: z.number(),
  closedAt: z.number(),
  durationMs: z.number(),
  fees: z.number(),
  /** Net of fees, in the quote currency. */
  pnl: z.number(),
  /** pnl / entry cost. */
  pnlPct: z.number(),
  entryReason: z.string(),
  exitReason: z.string(),
});
export type Trade = z.infer<typeof Trade>;
