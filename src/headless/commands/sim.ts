/**
 * `botdesk sim`: writes simulated candles to a replay file (CSV for one symbol, JSON for
 * several) that `run --market replay` and backtests read, and that can be shared: the same
 * seed, profiles and --end give the same bytes. The seed and symbol profiles default to the
 * saved settings of the data folder (read only; the folder may be in use by a running app).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BotDeskError } from '../../core/api/errors.ts';
import { TIMEFRAMES, type BotConfig, type Timeframe } from '../../core/api/schemas.ts';
import { migrateSettings } from '../../core/settings/schema.ts';
import {
  intOption,
  listOption,
  stringOption,
  UsageError,
  type Command,
  type CommandContext,
} from '../command.ts';
import { parseSeed } from './run.ts';

const DAY_MS = 86_400_000;

/** The saved bot settings, or the defaults when there are none or they cannot be read. */
function savedBot(dataDir: string, log: (message: string) => void): BotConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      log(`botdesk: settings unreadable (${(err as Error).message}); using the defaults`);
  }
  try {
    return migrateSettings(raw).settings.bot;
  } catch (err) {
    log(`botdesk: ${(err as Error).message}; using the default symbols, seed and profiles`);
    return migrateSettings(undefined).settings.bot;
  }
}

/** ISO 8601 (UTC unless zoned) or milliseconds since 1970. */
function parseTime(text: string): number {
  const trimmed = text.trim();
  const ms = /^\d+$/.test(trimmed)
    ? Number(trimmed)
    : Date.parse(
        /T.*([zZ]|[+-]\d\d:?\d\d)$/.test(trimmed) || !trimmed.includes('T')
          ? trimmed
          : `${trimmed}Z`,
      );
  if (!Number.isSafeInteger(ms))
    throw new UsageError(`--end takes an ISO 8601 time or milliseconds since 1970 (got '${text}')`);
  return ms;
}

export const simCommand: Command = {
  name: 'sim',
  summary: 'Write simulated candles to a replay file (CSV or JSON) to backtest on or share.',
  usage: '--out FILE [--symbols A/B,C/D] [--candles N] [--timeframe TF] [--seed N] [--end TIME]',
  details: [
    'A .csv file holds one symbol; a .json file any number ({ "BTC/USDT": [[ts,o,h,l,c,v], ...] }).',
    'The candles end at --end (default: the start of today, UTC); the same seed, symbol profiles',
    'and --end give the same file. Seed and profiles default to the saved settings.',
    'Example: botdesk sim --symbols BTC/USDT,ETH/USDT --candles 100000 --seed 7 --out sim.json',
  ].join('\n'),
  options: {
    out: { type: 'string', valueName: 'FILE', description: 'file to write: .csv or .json' },
    symbols: {
      type: 'string',
      multiple: true,
      valueName: 'LIST',
      description: 'symbols, comma-separated (default: settings)',
    },
    candles: {
      type: 'string',
      valueName: 'N',
      description: 'candles per symbol, 2 to 1000000 (default 10000)',
    },
    timeframe: {
      type: 'string',
      valueName: 'TF',
      description: `candle timeframe: ${TIMEFRAMES.join(', ')} (default 1m)`,
    },
    seed: { type: 'string', valueName: 'N', description: 'market seed (default: settings, 42)' },
    end: {
      type: 'string',
      valueName: 'TIME',
      description: 'the candles end here: ISO 8601 or ms (default: today 00:00 UTC)',
    },
  },
  async run(ctx: CommandContext) {
    const out = stringOption(ctx.values, 'out')?.trim();
    if (!out) throw new UsageError('--out FILE is required, e.g. --out sim.csv');
    const symbols = listOption(ctx.values, 'symbols')
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean);
    const timeframe = stringOption(ctx.values, 'timeframe') ?? '1m';
    if (!(TIMEFRAMES as readonly string[]).includes(timeframe))
      throw new UsageError(
        `--timeframe must be one of ${TIMEFRAMES.join(', ')} (got '${timeframe}')`,
      );
    const candles = intOption(ctx.values, 'candles', { min: 2, max: 1_000_000, fallback: 10_000 });
    const seedText = stringOption(ctx.values, 'seed');
    const endText = stringOption(ctx.values, 'end');
    const end =
      endText === undefined ? Math.floor(Date.now() / DAY_MS) * DAY_MS : parseTime(endText);
    const saved = savedBot(ctx.dataDir, ctx.log);
    const market = saved.market;
    const { writeSimFile } = await import('../../core/market/sim-export.ts');
    try {
      const summary = await writeSimFile({
        symbols: symbols.length > 0 ? symbols : saved.symbols,
        timeframe: timeframe as Timeframe,
        candles,
        end,
        seed: seedText === undefined ? market.seed : parseSeed(seedText),
        ...(market.profiles ? { profiles: market.profiles } : {}),
        out,
      });
      ctx.output(
        `wrote ${summary.candles} ${summary.timeframe} candles of ${summary.symbols.join(', ')} (seed ${summary.seed}, ${new Date(summary.from).toISOString()} to ${new Date(summary.to).toISOString()}) to ${summary.file}`,
        summary,
      );
      return 0;
    } catch (err) {
      if (err instanceof BotDeskError && err.code === 'INVALID_INPUT')
        throw new UsageError(err.message);
      throw err;
    }
  },
};
