/**
 * `botdesk run`: the bot engine in this process, headless, until --duration elapses,
 * SIGINT/SIGTERM arrives or the bot stops by itself. Simulated market by default.
 * With --json one summary document goes to stdout; logs always go to stderr.
 */
import { BotDeskError } from '../../core/api/errors.ts';
import {
  GapMode,
  MarketSourceKind,
  TIMEFRAMES,
  type BotConfigInput,
  type BotStatus,
  type StopBehavior,
  type StrategyRef,
} from '../../core/api/schemas.ts';
import {
  intOption,
  listOption,
  stringOption,
  UsageError,
  type Command,
  type CommandContext,
} from '../command.ts';
import { openHeadlessHost } from '../core-host-loader.ts';
import { parseFeeOption, parseSlippageOption } from '../fee-options.ts';
import { LIVE_FLAG_OPTIONS, parseLiveFlags, type LiveFlags } from '../live-flags.ts';
import { parseRiskFlags, RISK_FLAG_OPTIONS, type RiskFlags } from '../risk-flags.ts';

export interface RunOptions {
  dataDir: string;
  market: string;
  /** ccxt exchange id (with --market ccxt) or candle file (with --market replay). */
  exchange?: string;
  file?: string;
  /** Replay: missing candles kept as gaps or filled flat (default: settings, else keep). */
  gaps?: GapMode;
  /** Omitted fields come from the saved settings. */
  symbols?: string[];
  timeframe?: string;
  /** NAME[:k=v,...] */
  strategy?: string;
  speed: number;
  /** Paper fee rate and slippage (bps); each omitted one comes from the saved settings. */
  feeRate?: number;
  slippageBps?: number;
  /** Simulated market seed; default the saved settings' seed. */
  seed?: number;
  durationMs?: number;
  stopTimeoutMs: number;
  signal: AbortSignal;
  log: (message: string) => void;
  verbose?: boolean;
  /** --stop-loss / --take-profit / --trailing-stop, over the saved risk config. */
  risk?: RiskFlags;
  /** --acknowledge-kill-switch: start although the kill switch tripped (it is reset). */
  acknowledgeKillSwitch?: boolean;
  /** --live: arm live trading on `exchange` (as bot:armLive does) and start a live bot. */
  live?: LiveFlags;
}

export type RunSummary = Pick<
  BotStatus,
  | 'state'
  | 'mode'
  | 'dataLabel'
  | 'ticks'
  | 'missedTicks'
  | 'signals'
  | 'orders'
  | 'fills'
  | 'equity'
  | 'error'
  | 'warnings'
> & {
  stopReason: string | null;
  stopDurationMs: number | null;
  forced: boolean | null;
  stopBehavior: StopBehavior;
  /** What the stop behaviour did to open orders and positions. */
  stopOutcome: string | null;
  /** Live runs (--live): true on the exchange's testnet, false with real funds. */
  testnet?: boolean;
};

/** `sma-crossover:fast=5,slow=20` → { id, params } with numbers and booleans typed. */
export function parseStrategyArg(text: string): StrategyRef {
  const [id, rest] = text.split(/:(.*)/s, 2) as [string, string | undefined];
  if (!id)
    throw new UsageError(
      `--strategy needs a name, e.g. sma-crossover:fast=5,slow=20 (got '${text}')`,
    );
  const params: Record<string, unknown> = {};
  for (const pair of (rest ?? '').split(',').filter((p) => p.length > 0)) {
    const eq = pair.indexOf('=');
    if (eq <= 0)
      throw new UsageError(
        `--strategy parameters are k=v pairs separated by commas (got '${pair}')`,
      );
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    params[key] =
      raw === 'true'
        ? true
        : raw === 'false'
          ? false
          : raw.trim() !== '' && Number.isFinite(Number(raw))
            ? Number(raw)
            : raw;
  }
  return { id, params };
}

/** A simulated market seed: a whole number (negative allowed). */
export function parseSeed(text: string): number {
  const n = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(n))
    throw new UsageError(`--seed must be a whole number, e.g. 7 (got '${text}')`);
  return n;
}

/** `90s`, `5m`, `1h`, `1500ms` or plain milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m)
    throw new UsageError(`--duration takes a time like 1500ms, 90s, 5m or 1h (got '${text}')`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[
    (m[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h'
  ];
  const ms = Math.round(Number(m[1]) * unit);
  // Longer delays overflow Node's timers, which then fire at once.
  if (ms > MAX_DURATION_MS)
    throw new UsageError(
      `--duration must be at most ${Math.floor(MAX_DURATION_MS / 86_400_000)} days (got '${text}'); omit it to run until stopped`,
    );
  return ms;
}

/** The longest delay a Node timer can hold (2^31 - 1 ms, about 24.8 days). */
const MAX_DURATION_MS = 2_147_483_647;

/** Codes a start fails with when the arguments themselves are wrong (unknown strategy, bad parameter, unknown symbol). */
const BAD_ARGUMENT_CODES: ReadonlySet<string> = new Set(['INVALID_INPUT', 'NOT_FOUND']);

function asUsageError(err: unknown): unknown {
  return err instanceof BotDeskError && BAD_ARGUMENT_CODES.has(err.code)
    ? new UsageError(err.message)
    : err;
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** Run the bot until the duration, the signal or its own stop; returns the summary. */
export async function runBot(opts: RunOptions): Promise<RunSummary> {
  const source = MarketSourceKind.safeParse(opts.market);
  if (!source.success)
    throw new UsageError(
      `--market must be one of ${MarketSourceKind.options.join(', ')} (got '${opts.market}')`,
    );
  if (opts.exchange !== undefined && source.data !== 'ccxt')
    throw new UsageError(
      `--exchange applies only with --market ccxt (got --market ${source.data})`,
    );
  if (opts.file !== undefined && source.data !== 'replay')
    throw new UsageError(`--file applies only with --market replay (got --market ${source.data})`);
  if (opts.gaps !== undefined && source.data !== 'replay')
    throw new UsageError(`--gaps applies only with --market replay (got --market ${source.data})`);
  if (opts.live && (source.data !== 'ccxt' || !opts.exchange))
    throw new UsageError('--live needs --market ccxt and --exchange ID');
  const config: BotConfigInput = {
    mode: opts.live ? 'live' : 'paper',
    market: {
      source: source.data,
      speed: opts.speed,
      ...(opts.exchange ? { exchange: opts.exchange } : {}),
      ...(opts.file ? { file: opts.file } : {}),
      ...(opts.gaps ? { gaps: opts.gaps } : {}),
    },
    ...(opts.symbols ? { symbols: opts.symbols } : {}),
    ...(opts.timeframe ? { timeframe: opts.timeframe as BotConfigInput['timeframe'] } : {}),
    ...(opts.strategy ? { strategy: parseStrategyArg(opts.strategy) } : {}),
  };
  const core = await openHeadlessHost({
    dataDir: opts.dataDir,
    log: opts.log,
    verbose: opts.verbose ?? false,
    resume: false,
  });
  // A file named on this machine's command line is the user's choice (see replay-files.ts).
  if (config.market?.file !== undefined)
    config.market.file = core.replayFiles.allow(config.market.file);
  try {
    if (opts.risk !== undefined && Object.keys(opts.risk).length > 0) {
      // The flags override their fields only; the rest of the saved risk config stays.
      config.risk = { ...core.manager.resolveConfig({}).risk, ...opts.risk };
    }
    if (opts.feeRate !== undefined || opts.slippageBps !== undefined) {
      config.fees = {
        ...core.manager.resolveConfig({}).fees,
        ...(opts.feeRate !== undefined ? { feeRate: opts.feeRate } : {}),
        ...(opts.slippageBps !== undefined ? { slippageBps: opts.slippageBps } : {}),
      };
    }
    // The simulated market's seed and symbol profiles are the saved ones unless --seed is given.
    const saved = (await core.handlers['settings:get']({})).bot.market;
    config.market = {
      ...config.market!,
      seed: opts.seed ?? saved.seed,
      ...(saved.profiles ? { profiles: saved.profiles } : {}),
    };
    const ended = new AbortController();
    // Feed warnings (gaps filled, a replay that ended) live in the running feed's health;
    // the status after the stop no longer has the feed, so collect them while it runs.
    const seenWarnings = new Set<string>();
    const offStatus = core.bus.on('bot:status', (s) => {
      for (const w of s.warnings) seenWarnings.add(w);
      if (s.state === 'stopped' || s.state === 'error') ended.abort();
    });
    // SIGINT/SIGTERM during a warm-up (a slow exchange, a stuck strategy) cancels the start.
    const cancelStart = () =>
      void core.manager.stop({ reason: 'signal', timeoutMs: opts.stopTimeoutMs }).catch(() => {});
    opts.signal.addEventListener('abort', cancelStart, { once: true });
    // Bad values are usage errors (exit 2) and change nothing: check before starting anything.
    try {
      core.manager.resolveConfig(config);
      // Arming refuses a wrong confirmation (usage) or missing keys (refused) and changes nothing.
      if (opts.live)
        await core.handlers['bot:armLive']({
          exchange: opts.exchange!,
          confirm: opts.live.confirm,
          sandbox: opts.live.sandbox,
        });
      if (!opts.signal.aborted)
        await core.manager.start(config, { acknowledgeKillSwitch: opts.acknowledgeKillSwitch });
    } catch (err) {
      const cancelled = err instanceof BotDeskError && err.code === 'CANCELLED';
      if (!(cancelled && opts.signal.aborted)) {
        offStatus();
        throw asUsageError(err);
      }
    } finally {
      opts.signal.removeEventListener('abort', cancelStart);
    }
    const timer =
      opts.durationMs === undefined ? null : setTimeout(() => ended.abort(), opts.durationMs);
    await untilAborted(AbortSignal.any([opts.signal, ended.signal]));
    if (timer) clearTimeout(timer);
    for (const w of core.manager.status().warnings) seenWarnings.add(w);
    offStatus();
    const reason = opts.signal.aborted
      ? 'signal'
      : opts.durationMs !== undefined && core.manager.status().state === 'running'
        ? 'duration elapsed'
        : 'bot stopped';
    const s = await core.manager.stop({ reason, timeoutMs: opts.stopTimeoutMs });
    return {
      state: s.state,
      mode: s.mode,
      dataLabel: s.dataLabel,
      ticks: s.ticks,
      missedTicks: s.missedTicks,
      signals: s.signals,
      orders: s.orders,
      fills: s.fills,
      equity: s.equity,
      stopReason: s.lastStop?.reason ?? null,
      stopDurationMs: s.lastStop ? Math.round(s.lastStop.durationMs * 10) / 10 : null,
      forced: s.lastStop?.forced ?? null,
      stopBehavior: s.lastStop?.stopBehavior ?? s.config?.stopBehavior ?? 'leave',
      stopOutcome: s.lastStop?.outcome ?? null,
      error: s.error,
      warnings: latestWarnings([...seenWarnings, ...s.warnings]),
      ...(opts.live ? { testnet: opts.live.sandbox } : {}),
    };
  } finally {
    await core.close({ timeoutMs: opts.stopTimeoutMs });
  }
}

/**
 * Each warning once. A feed's warning grows while it runs (a replay's gaps, then "; replay …
 * finished"): an earlier form contained in a later one is dropped.
 */
function latestWarnings(seen: string[]): string[] {
  const unique = [...new Set(seen)];
  return unique.filter((w) => !unique.some((other) => other !== w && other.includes(w)));
}

function humanSummary(s: RunSummary): string {
  return [
    `state      ${s.state}${s.error ? ` (${s.error.code}: ${s.error.message})` : ''}`,
    `market     ${s.dataLabel} · ${s.mode}${s.testnet === undefined ? '' : s.testnet ? ' (testnet)' : ' (real funds)'}`,
    `ticks      ${s.ticks} (${s.missedTicks} missed)`,
    `signals    ${s.signals}`,
    `orders     ${s.orders}`,
    `fills      ${s.fills}`,
    `equity     ${s.equity === null ? '—' : s.equity.toFixed(2)}`,
    `stop       ${s.stopReason ?? '—'}${s.stopDurationMs === null ? '' : ` in ${s.stopDurationMs} ms${s.forced ? ' (forced)' : ''}`}, orders/positions: ${s.stopBehavior}${s.stopOutcome ? ` (${s.stopOutcome})` : ''}`,
    ...s.warnings.map((w) => `warning    ${w}`),
  ].join('\n');
}

export const runCommand: Command = {
  name: 'run',
  summary:
    'Run the bot (paper, simulated market by default; live with --live) in this process until stopped.',
  usage:
    '[--market sim|replay|ccxt] [--live --exchange ID --confirm ID [--testnet]] [--symbols A/B,C/D] [--timeframe TF] [--strategy NAME[:k=v,...]] [--speed N] [--fee RATE] [--slippage BPS] [--seed N] [--duration TIME] [--stop-loss F] [--take-profit F] [--trailing-stop F]',
  details: [
    'Stops on SIGINT/SIGTERM, when --duration elapses, or when the bot stops by itself (feed ended, error).',
    'The stop waits up to --stop-timeout ms for the current tick, then forces it (compute workers killed).',
    'With --json a summary { state, ticks, signals, orders, fills, equity, stopDurationMs, forced, ... }',
    'is printed on stdout. Example: botdesk run --symbols BTC/USDT,ETH/USDT --speed 600 --duration 10s --json',
    'Live: botdesk run --live --exchange binance --confirm binance --testnet --symbols BTC/USDT',
    'arms live trading (keys from BOTDESK_BINANCE_API_KEY/_SECRET or $BOTDESK_KEY_FILE, chmod 600)',
    "and trades on the exchange's testnet; without --testnet, with real funds.",
  ].join('\n'),
  longRunning: true,
  options: {
    market: {
      type: 'string',
      valueName: 'SOURCE',
      description: 'market data: sim (default), replay or ccxt',
    },
    exchange: {
      type: 'string',
      valueName: 'ID',
      description: 'ccxt exchange id, with --market ccxt',
    },
    file: {
      type: 'string',
      valueName: 'FILE',
      description: 'candle file (CSV/JSON), with --market replay',
    },
    symbols: {
      type: 'string',
      multiple: true,
      valueName: 'LIST',
      description: 'symbols, comma-separated (default: settings)',
    },
    timeframe: {
      type: 'string',
      valueName: 'TF',
      description: `candle timeframe: ${TIMEFRAMES.join(', ')} (default: settings)`,
    },
    strategy: {
      type: 'string',
      valueName: 'NAME[:k=v,...]',
      description: 'strategy and parameters (default: settings)',
    },
    speed: {
      type: 'string',
      valueName: 'N',
      description: 'simulated/replay clock speed, 1 = real time (default 1)',
    },
    fee: {
      type: 'string',
      valueName: 'RATE',
      description:
        'paper fee per fill, a fraction or a percentage: 0.001 or 0.1% (default: settings, 0.1%)',
    },
    slippage: {
      type: 'string',
      valueName: 'BPS',
      description:
        'paper slippage in basis points or a percentage: 5 or 0.05% (default: settings, 5)',
    },
    seed: {
      type: 'string',
      valueName: 'N',
      description: 'simulated market seed: same seed, same market (default: settings, 42)',
    },
    duration: {
      type: 'string',
      valueName: 'TIME',
      description: 'stop after this long, e.g. 30s or 5m (default: until a signal)',
    },
    gaps: {
      type: 'string',
      valueName: 'keep|fill',
      description:
        'replay: missing candles kept as gaps or filled with flat zero-volume candles (default keep)',
    },
    'stop-timeout': {
      type: 'string',
      valueName: 'MS',
      description: 'graceful stop budget before forcing (default 5000)',
    },
    ...RISK_FLAG_OPTIONS,
    ...LIVE_FLAG_OPTIONS,
    'acknowledge-kill-switch': {
      type: 'boolean',
      description: 'start although the max-drawdown kill switch tripped (it is reset)',
    },
    verbose: { type: 'boolean', description: 'also print debug log lines' },
  },
  async run(ctx: CommandContext) {
    const symbolArgs = listOption(ctx.values, 'symbols');
    const symbols = symbolArgs
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean);
    if (symbolArgs.length > 0 && symbols.length === 0)
      throw new UsageError(`--symbols needs at least one symbol, e.g. BTC/USDT,ETH/USDT`);
    for (const name of ['market', 'exchange', 'file', 'timeframe', 'strategy']) {
      if (stringOption(ctx.values, name)?.trim() === '')
        throw new UsageError(`--${name} needs a value`);
    }
    const speedText = stringOption(ctx.values, 'speed') ?? '1';
    const speed = Number(speedText);
    if (!(speed > 0) || !Number.isFinite(speed))
      throw new UsageError(`--speed must be a positive number (got '${speedText}')`);
    const seedText = stringOption(ctx.values, 'seed');
    const seed = seedText === undefined ? undefined : parseSeed(seedText);
    const duration = stringOption(ctx.values, 'duration');
    const risk = parseRiskFlags(ctx.values);
    const fee = stringOption(ctx.values, 'fee');
    const slippage = stringOption(ctx.values, 'slippage');
    const gapsText = stringOption(ctx.values, 'gaps');
    const gaps = gapsText === undefined ? undefined : GapMode.safeParse(gapsText.trim());
    if (gaps && !gaps.success)
      throw new UsageError(`--gaps takes keep or fill (got '${gapsText}')`);
    const optional = (name: string) => {
      const v = stringOption(ctx.values, name);
      return v === undefined ? {} : { [name]: v };
    };
    const live = parseLiveFlags(
      ctx.values,
      stringOption(ctx.values, 'market'),
      stringOption(ctx.values, 'exchange'),
    );
    const summary = await runBot({
      dataDir: ctx.dataDir,
      market: stringOption(ctx.values, 'market') ?? (live ? 'ccxt' : 'sim'),
      ...optional('exchange'),
      ...optional('file'),
      ...optional('timeframe'),
      ...optional('strategy'),
      ...(symbols.length > 0 ? { symbols } : {}),
      speed,
      ...(fee !== undefined ? { feeRate: parseFeeOption(fee) } : {}),
      ...(slippage !== undefined ? { slippageBps: parseSlippageOption(slippage) } : {}),
      ...(gaps?.success ? { gaps: gaps.data } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(duration !== undefined ? { durationMs: parseDuration(duration) } : {}),
      stopTimeoutMs: intOption(ctx.values, 'stop-timeout', {
        min: 0,
        max: 120_000,
        fallback: 5000,
      }),
      signal: ctx.signal,
      log: ctx.log,
      verbose: ctx.values.verbose === true,
      risk,
      acknowledgeKillSwitch: ctx.values['acknowledge-kill-switch'] === true,
      ...(live ? { live } : {}),
    });
    ctx.output(humanSummary(summary), summary);
    if (summary.state !== 'error') return 0;
    ctx.log(`botdesk: the bot stopped with an error: ${summary.error?.message ?? 'unknown'}`);
    return 1;
  },
};
