/**
 * `botdesk backtest`: a strategy over history (a candle file, the candle store or an
 * exchange download), run in compute workers on the same trading core as paper trading.
 * A parameter grid spreads over the workers and is ranked; --json prints one document.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  GapMode,
  RankMetric,
  type BacktestData,
  type BacktestProgress,
  type BacktestRequestInput,
} from '../../core/api/backtest.ts';
import { TIMEFRAMES, Timeframe } from '../../core/api/schemas.ts';
import { BacktestService } from '../../core/backtest/service.ts';
import { stringOption, UsageError, type Command, type CommandContext } from '../command.ts';
import { parseFeeOption, parseSlippageOption } from '../fee-options.ts';
import { parseRiskFlags, RISK_FLAG_OPTIONS } from '../risk-flags.ts';
import { formatReport } from './backtest-report.ts';
import { parseStrategyArg } from './run.ts';

/** `2024-01-01`, `2024-01-01T12:00:00Z` (UTC when no zone is given) or milliseconds. */
export function parseDate(flag: string, text: string): number {
  const t = text.trim();
  if (/^\d{10,}$/.test(t)) return Number(t);
  const iso = /^\d{4}-\d\d-\d\d$/.test(t)
    ? `${t}T00:00:00Z`
    : /T.*([zZ]|[+-]\d\d:?\d\d)$/.test(t)
      ? t
      : `${t.replace(' ', 'T')}Z`;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms))
    throw new UsageError(
      `${flag} takes a date like 2024-01-31 or 2024-01-31T12:00:00Z (got '${text}')`,
    );
  return ms;
}

function positive(flag: string, text: string | undefined, max = Infinity): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max)
    throw new UsageError(
      `${flag} takes a number above 0${max < Infinity ? ` and at most ${max}` : ''} (got '${text}')`,
    );
  return n;
}

function symbolsOf(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (list.length === 0)
    throw new UsageError('--symbols takes a comma-separated list, e.g. BTC/USDT,ETH/USDT');
  return list;
}

function dataOf(ctx: CommandContext, symbols: string[] | undefined): BacktestData {
  const file = stringOption(ctx.values, 'data');
  const exchange = stringOption(ctx.values, 'exchange');
  const store = stringOption(ctx.values, 'store');
  const given = [file, exchange, store].filter((x) => x !== undefined).length;
  if (given !== 1)
    throw new UsageError('give exactly one of --data FILE, --exchange ID or --store ID');
  if (file !== undefined) return { kind: 'file', path: file };
  const tf = stringOption(ctx.values, 'timeframe');
  if (tf === undefined)
    throw new UsageError(
      `--timeframe is needed with --exchange and --store (${TIMEFRAMES.join(', ')})`,
    );
  const timeframe = Timeframe.safeParse(tf);
  if (!timeframe.success)
    throw new UsageError(`--timeframe must be one of ${TIMEFRAMES.join(', ')} (got '${tf}')`);
  if (symbols === undefined)
    throw new UsageError('--symbols is needed with --exchange and --store, e.g. BTC/USDT,ETH/USDT');
  return {
    kind: exchange !== undefined ? 'exchange' : 'store',
    exchange: (exchange ?? store)!,
    symbols,
    timeframe: timeframe.data,
  };
}

/** The request the flags describe (a usage error for any malformed flag). */
export function backtestRequest(ctx: CommandContext): BacktestRequestInput {
  const v = ctx.values;
  const symbols = symbolsOf(stringOption(v, 'symbols'));
  const data = dataOf(ctx, symbols);
  const strategyText = stringOption(v, 'strategy');
  if (strategyText === undefined)
    throw new UsageError('--strategy is needed, e.g. --strategy sma-crossover:fast=10,slow=30');
  const gaps = stringOption(v, 'gaps');
  if (gaps !== undefined && !GapMode.safeParse(gaps).success)
    throw new UsageError(`--gaps must be keep or fill (got '${gaps}')`);
  const rank = stringOption(v, 'rank');
  if (rank !== undefined && !RankMetric.safeParse(rank).success)
    throw new UsageError(`--rank must be one of ${RankMetric.options.join(', ')} (got '${rank}')`);
  const from = stringOption(v, 'from');
  const to = stringOption(v, 'to');
  const fee = stringOption(v, 'fee');
  const slippage = stringOption(v, 'slippage');
  const oos = stringOption(v, 'out-of-sample');
  const maxOpen = positive('--max-open', stringOption(v, 'max-open'), 1000);
  const stake = positive('--stake', stringOption(v, 'stake'), 1);
  if (maxOpen !== undefined && !Number.isInteger(maxOpen))
    throw new UsageError('--max-open takes a whole number');
  const oosFraction = oos === undefined ? undefined : Number(oos);
  if (oosFraction !== undefined && !(oosFraction > 0 && oosFraction <= 0.9))
    throw new UsageError(
      `--out-of-sample takes a fraction above 0 and at most 0.9, e.g. 0.3 (got '${oos}')`,
    );
  const warmupText = stringOption(v, 'warmup');
  const warmup = warmupText === undefined ? undefined : Number(warmupText);
  if (warmup !== undefined && !(Number.isInteger(warmup) && warmup >= 0 && warmup <= 5000))
    throw new UsageError(
      `--warmup takes a whole number of candles, 0 to 5000 (got '${warmupText}')`,
    );
  const grid = stringOption(v, 'grid');
  if (grid === undefined && oosFraction !== undefined)
    throw new UsageError(
      '--out-of-sample applies to a --grid (optimise on the first part, report the rest)',
    );
  if (grid === undefined && rank !== undefined)
    throw new UsageError('--rank applies to a --grid (it orders the combinations)');
  const protective = parseRiskFlags(v);
  const hasProtective = Object.keys(protective).length > 0;
  return {
    data,
    strategy: parseStrategyArg(strategyText),
    ...(data.kind === 'file' && symbols ? { symbols } : {}),
    ...(from !== undefined ? { from: parseDate('--from', from) } : {}),
    ...(to !== undefined ? { to: parseDate('--to', to) } : {}),
    ...(fee !== undefined ? { feeRate: parseFeeOption(fee) } : {}),
    ...(slippage !== undefined ? { slippageBps: parseSlippageOption(slippage) } : {}),
    ...(stringOption(v, 'balance') !== undefined
      ? { startingBalance: positive('--balance', stringOption(v, 'balance'))! }
      : {}),
    ...(maxOpen !== undefined || stake !== undefined || hasProtective
      ? {
          risk: {
            ...(maxOpen !== undefined ? { maxOpenPositions: maxOpen } : {}),
            ...(stake !== undefined ? { stakeFraction: stake } : {}),
            ...protective,
          },
        }
      : {}),
    ...(gaps !== undefined ? { gaps: gaps as GapMode } : {}),
    ...(warmup !== undefined ? { warmupCandles: warmup } : {}),
    ...(grid !== undefined ? { grid } : {}),
    ...(rank !== undefined ? { rankBy: rank as RankMetric } : {}),
    ...(oosFraction !== undefined ? { outOfSample: oosFraction } : {}),
    save: v['no-save'] !== true,
  };
}

function progressBar(ctx: CommandContext): { update(p: BacktestProgress): void; end(): void } {
  const tty = process.stderr.isTTY === true;
  let shown = false;
  return {
    update(p) {
      if (!tty || p.phase === 'done') return;
      const width = 30;
      const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
      const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
      ctx.io.stderr(
        `\r${p.phase.padEnd(8)} [${bar}] ${String(Math.round(frac * 100)).padStart(3)}% ${p.done}/${p.total}${p.message ? ` ${p.message}` : ''}\x1b[K`,
      );
      shown = true;
    },
    end() {
      if (shown) ctx.io.stderr('\r\x1b[K');
    },
  };
}

export const backtestCommand: Command = {
  name: 'backtest',
  summary: 'Backtest a strategy (or a parameter grid) on historical candles.',
  usage: '(--data FILE | --exchange ID | --store ID) --strategy NAME[:k=v,...] [options]',
  details: [
    'Runs on the same trading core as paper trading: a signal on a closed candle fills at the next',
    "candle's open, moved by slippage, with the fee; the pairs share one wallet and the same limits.",
    'Examples:',
    '  botdesk backtest --data btc-1m.csv --strategy sma-crossover:fast=10,slow=30 --fee 0.1% --slippage 5',
    '  botdesk backtest --exchange binance --symbols BTC/USDT,ETH/USDT --timeframe 1h --from 2024-01-01 --to 2024-07-01 \\',
    "    --strategy sma-crossover --grid 'fast=5..20:5,slow=20..60:10' --rank sharpe --out-of-sample 0.3",
    'Results are kept in <data-dir>/backtests.sqlite (see backtest:list in docs/API.md); --no-save skips that.',
  ].join('\n'),
  options: {
    data: {
      type: 'string',
      valueName: 'FILE',
      description: 'candle file, CSV or JSON (the replay format)',
    },
    exchange: {
      type: 'string',
      valueName: 'ID',
      description: 'download history from this ccxt exchange (kept in the candle store)',
    },
    store: {
      type: 'string',
      valueName: 'ID',
      description: 'use history already in the candle store for this exchange id',
    },
    symbols: {
      type: 'string',
      valueName: 'LIST',
      description:
        'symbols, comma-separated (a file: which of its series; one-series files default to BTC/USDT)',
    },
    timeframe: {
      type: 'string',
      valueName: 'TF',
      description: `candle timeframe with --exchange/--store: ${TIMEFRAMES.join(', ')}`,
    },
    from: {
      type: 'string',
      valueName: 'DATE',
      description:
        'first candle traded, e.g. 2024-01-01 (UTC); earlier candles warm the strategy up',
    },
    to: { type: 'string', valueName: 'DATE', description: 'end of the period (exclusive)' },
    strategy: {
      type: 'string',
      valueName: 'NAME[:k=v,...]',
      description: 'strategy and parameters',
    },
    fee: {
      type: 'string',
      valueName: 'RATE',
      description: 'fee per fill: 0.001 or 0.1% (default 0.1%); 0 is accepted',
    },
    slippage: {
      type: 'string',
      valueName: 'BPS',
      description: 'slippage in basis points or a percentage (default 5); 0 is accepted',
    },
    balance: {
      type: 'string',
      valueName: 'N',
      description: 'starting quote balance (default 10000)',
    },
    stake: {
      type: 'string',
      valueName: 'F',
      description: 'fraction of equity per position (default 0.1)',
    },
    'max-open': {
      type: 'string',
      valueName: 'N',
      description: 'max open positions across the pairs (default 5)',
    },
    ...RISK_FLAG_OPTIONS,
    gaps: {
      type: 'string',
      valueName: 'MODE',
      description:
        'missing candles: keep (default, the candles as given) or fill (flat zero-volume candles)',
    },
    grid: {
      type: 'string',
      valueName: 'SPEC',
      description:
        "parameter grid, e.g. 'fast=5..20:5,slow=20..60:10', 'period=7|14|21', or 'fast' (10 values over its range)",
    },
    rank: {
      type: 'string',
      valueName: 'METRIC',
      description: `rank grid results by: ${RankMetric.options.join(', ')} (default totalReturnPct)`,
    },
    'out-of-sample': {
      type: 'string',
      valueName: 'F',
      description:
        'with --grid: keep the last fraction of the period out of the search and report it apart, e.g. 0.3',
    },
    warmup: {
      type: 'string',
      valueName: 'N',
      description:
        'candles before --from the strategy warms up on, as a paper bot does (default 200, at least its own warm-up)',
    },
    'no-save': { type: 'boolean', description: 'do not keep the result in the backtest history' },
  },
  longRunning: true,
  run: async (ctx) => {
    const request = backtestRequest(ctx);
    const strategiesDir = join(ctx.dataDir, 'strategies');
    const bar = progressBar(ctx);
    const service = new BacktestService({
      dataDir: ctx.dataDir,
      strategiesDir: existsSync(strategiesDir) ? strategiesDir : null,
      onProgress: (p) => bar.update(p),
    });
    const onAbort = () => service.cancel();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await service.run(request);
      bar.end();
      ctx.output(formatReport(result, request.save !== false), result);
      return 0;
    } finally {
      bar.end();
      ctx.signal.removeEventListener('abort', onAbort);
      service.close();
    }
  },
};
