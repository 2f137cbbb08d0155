/**
 * Writes simulated candles to a replay file (the formats candle-file.ts reads): CSV for one
 * symbol, ccxt-style JSON `{ "BTC/USDT": [[ts, o, h, l, c, v], …], … }` for any number.
 * The file is written beside its destination and renamed into place, so a failure never
 * leaves half a file; the same seed, profiles and period give the same bytes.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { extname } from 'node:path';
import { BotDeskError } from '../api/errors.ts';
import type { Candle, SimSymbolProfile, Timeframe } from '../api/schemas.ts';
import { alignDown } from './clock.ts';
import type { Clock } from './clock.ts';
import { CSV_HEADER } from './candle-file.ts';
import { SimMarketSource } from './sim-source.ts';
import { checkSymbols, MAX_RANGE, timeframeMs } from './symbols.ts';

const DAY_MS = 86_400_000;
/** Candles generated and written per piece, to bound memory for a million-candle file. */
const PIECE = 50_000;
/** The earliest time the replay reader takes as milliseconds (1973-03-03). */
const MIN_TIME = 100_000_000_000;

export interface SimExportOptions {
  symbols: readonly string[];
  timeframe: Timeframe;
  /** Candles per symbol. */
  candles: number;
  /** The candles end here (exclusive; aligned down to the timeframe). */
  end: number;
  seed: number;
  profiles?: Readonly<Record<string, SimSymbolProfile>>;
  /** Destination: `.csv` (one symbol) or `.json`. */
  out: string;
}

export interface SimExportSummary {
  file: string;
  format: 'csv' | 'json';
  symbols: string[];
  timeframe: Timeframe;
  candles: number;
  /** Open time of the first and last candle. */
  from: number;
  to: number;
  seed: number;
}

export function exportFormat(out: string, symbols: number): 'csv' | 'json' {
  const ext = extname(out).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext !== '.csv')
    throw new BotDeskError('INVALID_INPUT', `the file must end in .csv or .json (got '${out}')`);
  if (symbols !== 1)
    throw new BotDeskError(
      'INVALID_INPUT',
      `a CSV file holds one symbol; write ${symbols} symbols to a .json file instead`,
    );
  return 'csv';
}

/** A clock stopped at `time`: the source serves history up to it and never waits. */
function frozenClock(time: number): Clock {
  return {
    speed: 1,
    now: () => time,
    realTimeOf: () => 0,
    sleepUntil: async () => false,
  };
}

function row(c: Candle): string {
  return `${c.ts},${c.open},${c.high},${c.low},${c.close},${c.volume}`;
}

export async function writeSimFile(opts: SimExportOptions): Promise<SimExportSummary> {
  checkSymbols(opts.symbols);
  const tf = timeframeMs(opts.timeframe);
  if (!Number.isInteger(opts.candles) || opts.candles < 2 || opts.candles > MAX_RANGE)
    throw new BotDeskError(
      'INVALID_INPUT',
      `candles must be a whole number from 2 to ${MAX_RANGE} (got ${opts.candles})`,
    );
  const format = exportFormat(opts.out, opts.symbols.length);
  const end = alignDown(opts.end, tf);
  const from = end - opts.candles * tf;
  // Replay files count time in milliseconds since 1970; earlier ones would read as seconds.
  if (from < MIN_TIME)
    throw new BotDeskError(
      'INVALID_INPUT',
      `the candles would start ${new Date(from).toISOString()}, before ${new Date(MIN_TIME).toISOString()}; use a later end`,
    );
  // The series start on the UTC day the period ends in, as a live market started then would.
  const source = new SimMarketSource({
    seed: opts.seed,
    clock: frozenClock(end),
    origin: alignDown(end, DAY_MS),
    ...(opts.profiles ? { profiles: opts.profiles } : {}),
  });
  await source.validate(opts.symbols, opts.timeframe);
  const temp = `${opts.out}.${process.pid}.tmp`;
  const stream = createWriteStream(temp, { mode: 0o644 });
  const failed = once(stream, 'error').then(([err]) => {
    throw err as Error;
  });
  // Raced below; an error while nothing races it must not count as unhandled.
  failed.catch(() => {});
  const write = async (text: string) => {
    if (!stream.write(text)) await Promise.race([once(stream, 'drain'), failed]);
  };
  try {
    await write(format === 'csv' ? `${CSV_HEADER}\n` : '{');
    for (const [n, symbol] of opts.symbols.entries()) {
      if (format === 'json') await write(`${n > 0 ? ',' : ''}\n${JSON.stringify(symbol)}: [`);
      for (let start = from; start < end; start += PIECE * tf) {
        const piece = await source.range(
          symbol,
          opts.timeframe,
          start,
          Math.min(end, start + PIECE * tf),
        );
        const lines = piece.map((c, i) =>
          format === 'csv' ? row(c) : `${start === from && i === 0 ? '' : ','}\n[${row(c)}]`,
        );
        await write(format === 'csv' ? `${lines.join('\n')}\n` : lines.join(''));
      }
      if (format === 'json') await write('\n]');
    }
    if (format === 'json') await write('\n}\n');
    stream.end();
    await Promise.race([once(stream, 'finish'), failed]);
    await rename(temp, opts.out);
  } catch (err) {
    stream.destroy();
    await rm(temp, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if (err instanceof BotDeskError || !code) throw err;
    throw new BotDeskError('INVALID_INPUT', `cannot write ${opts.out}: ${code}`);
  } finally {
    await source.close();
  }
  return {
    file: opts.out,
    format,
    symbols: [...opts.symbols],
    timeframe: opts.timeframe,
    candles: opts.candles,
    from,
    to: end - tf,
    seed: opts.seed,
  };
}
