/**
 * Reads OHLCV files for replay and import: CSV with the header
 * `timestamp,open,high,low,close,volume` (timestamp in ms or ISO 8601), or ccxt-style
 * JSON — `[[ts,o,h,l,c,v],…]`, or `{ "BTC/USDT": [[…],…], … }` for several symbols.
 * Every row is checked before anything is returned: one bad row rejects the whole file
 * with each problem and its line number, so nothing is ever half-imported.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { BotDeskError } from '../api/errors.ts';
import { Symbol, TIMEFRAMES, TIMEFRAME_MS } from '../api/schemas.ts';
import type { Candle, Timeframe } from '../api/schemas.ts';

export const CSV_HEADER = 'timestamp,open,high,low,close,volume';
/** The key of a file that holds one series without naming its symbol. */
export const ANY_SYMBOL = '*';
const MAX_LISTED = 20;

export interface CandleFile {
  name: string;
  timeframe: Timeframe;
  /** Gap-free series by symbol (ANY_SYMBOL for single-series files). */
  series: Map<string, Candle[]>;
  /** Missing candles replaced by flat zero-volume ones (0 when read with `gaps: 'keep'`). */
  gapsFilled: number;
  /** Holes in the series (runs of missing candles), filled or kept. */
  gaps: number;
  /** Missing candles in those holes. */
  missingCandles: number;
}

export interface CandleFileOptions {
  /** 'fill' (default): missing candles become flat zero-volume ones; 'keep': the candles as given. */
  gaps?: 'keep' | 'fill';
}

interface RowProblem {
  line: number;
  /** Where to look: `line 7`, or `line 1, row 57` when several rows share a line (one-line JSON). */
  at: string;
  message: string;
}

interface RawRow {
  line: number;
  at: string;
  values: unknown[];
}

export async function readCandleFile(
  path: string,
  opts: CandleFileOptions = {},
): Promise<CandleFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new BotDeskError(
      'INVALID_INPUT',
      `cannot read candle file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return parseCandleText(
    text,
    basename(path),
    extname(path).toLowerCase() === '.json' ? 'json' : 'csv',
    opts,
  );
}

export function parseCandleText(
  text: string,
  name: string,
  format: 'csv' | 'json',
  opts: CandleFileOptions = {},
): CandleFile {
  const rowsBySymbol = format === 'json' ? jsonRows(text, name) : csvRows(text, name);
  const problems: RowProblem[] = [];
  const parsed = new Map<string, Candle[]>();
  for (const [symbol, rows] of rowsBySymbol) {
    const candles: Candle[] = [];
    let previous: { ts: number; at: string } | undefined;
    for (const row of rows) {
      const candle = toCandle(row, problems);
      if (!candle) continue;
      if (previous && candle.ts <= previous.ts) {
        problems.push({
          line: row.line,
          at: row.at,
          message: `timestamp ${new Date(candle.ts).toISOString()} is not after the row on ${previous.at}`,
        });
      }
      previous = { ts: candle.ts, at: row.at };
      candles.push(candle);
    }
    parsed.set(symbol, candles);
  }
  if (problems.length > 0) fail(name, problems);
  const tfMs = inferTimeframe(name, parsed);
  const timeframe = TIMEFRAMES.find((t) => TIMEFRAME_MS[t] === tfMs)!;
  let gapsFilled = 0;
  let gaps = 0;
  let missingCandles = 0;
  const series = new Map<string, Candle[]>();
  for (const [symbol, candles] of parsed) {
    for (let i = 1; i < candles.length; i++) {
      const missing = (candles[i]!.ts - candles[i - 1]!.ts) / tfMs - 1;
      if (missing > 0) {
        gaps++;
        missingCandles += missing;
      }
    }
    if (opts.gaps === 'keep') {
      series.set(symbol, candles);
      continue;
    }
    const filled = fillGaps(candles, tfMs);
    gapsFilled += filled.length - candles.length;
    series.set(symbol, filled);
  }
  return { name, timeframe, series, gapsFilled, gaps, missingCandles };
}

function fail(name: string, problems: RowProblem[]): never {
  const listed = problems.slice(0, MAX_LISTED).map((p) => `  ${p.at}: ${p.message}`);
  if (problems.length > MAX_LISTED) listed.push(`  … and ${problems.length - MAX_LISTED} more`);
  throw new BotDeskError(
    'INVALID_INPUT',
    `${name}: ${problems.length} malformed row${problems.length === 1 ? '' : 's'}; nothing was imported\n${listed.join('\n')}`,
    { problems },
  );
}

function csvRows(text: string, name: string): Map<string, RawRow[]> {
  const lines = text.split(/\r?\n/);
  const headerAt = lines.findIndex((l) => l.trim() !== '');
  if (headerAt < 0) throw new BotDeskError('INVALID_INPUT', `${name}: the file is empty`);
  const header = lines[headerAt]!.replace(/^\uFEFF/, '')
    .split(',')
    .map(unquote)
    .join(',')
    .toLowerCase()
    .replace(/\s+/g, '');
  if (header !== CSV_HEADER) {
    // The line is not quoted: the file may be anything (a key, a password file).
    throw new BotDeskError(
      'INVALID_INPUT',
      `${name}: line ${headerAt + 1}: the header must be '${CSV_HEADER}' (this is not a candle CSV file, or its header is misspelt)`,
    );
  }
  const rows: RawRow[] = [];
  for (let i = headerAt + 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    rows.push({ line: i + 1, at: `line ${i + 1}`, values: line.split(',').map(unquote) });
  }
  return new Map([[ANY_SYMBOL, rows]]);
}

function jsonRows(text: string, name: string): Map<string, RawRow[]> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new BotDeskError('INVALID_INPUT', `${name}: not valid JSON${jsonErrorPlace(err)}`);
  }
  const isList = Array.isArray(data);
  if (!isList && (typeof data !== 'object' || data === null)) {
    throw new BotDeskError(
      'INVALID_INPUT',
      `${name}: expected [[timestamp, open, high, low, close, volume], …] or { "BTC/USDT": [[…], …] }`,
    );
  }
  const lines = rowLines(text, isList ? 1 : 2);
  const rowsOnLine = new Map<number, number>();
  for (const line of lines) rowsOnLine.set(line, (rowsOnLine.get(line) ?? 0) + 1);
  let next = 0;
  const take = (values: unknown, index: number, symbol?: string): RawRow => {
    const line = lines[next++] ?? 0;
    const row = `${symbol ? `${symbol} ` : ''}row ${index + 1}`;
    return {
      line,
      at: (rowsOnLine.get(line) ?? 0) > 1 ? `line ${line}, ${row}` : `line ${line}`,
      values: Array.isArray(values) ? values : [values],
    };
  };
  if (isList) return new Map([[ANY_SYMBOL, (data as unknown[]).map((v, i) => take(v, i))]]);
  const out = new Map<string, RawRow[]>();
  for (const [symbol, rows] of Object.entries(data as Record<string, unknown>)) {
    if (!Symbol.safeParse(symbol).success || !Array.isArray(rows)) {
      throw new BotDeskError(
        'INVALID_INPUT',
        `${name}: key ${Symbol.safeParse(symbol).success ? `'${symbol}'` : `number ${out.size + 1}`} must be a BASE/QUOTE symbol holding a list of candles`,
      );
    }
    out.set(
      symbol,
      rows.map((v, i) => take(v, i, symbol)),
    );
  }
  return out;
}

/** Line numbers of the values inside containers at `depth` (the rows), in document order. */
function rowLines(text: string, depth: number): number[] {
  const lines: number[] = [];
  let line = 1;
  let level = 0;
  let inString = false;
  let expecting = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t') continue;
    if (expecting && level === depth && ch !== ']') lines.push(line);
    expecting = false;
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') expecting = ++level === depth;
    else if (ch === ']' || ch === '}') level--;
    else if (ch === ',') expecting = level === depth;
  }
  return lines;
}

/** A CSV field without surrounding spaces and double quotes (spreadsheet exports quote fields). */
function unquote(field: string): string {
  const trimmed = field.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')
    ? trimmed.slice(1, -1).trim()
    : trimmed;
}

/**
 * A value for an error message. Numbers and short number- or date-like text are shown; any
 * other text is described, never quoted, so an error cannot carry a file's content.
 */
function quoted(value: unknown): string {
  if (typeof value === 'number') return `'${String(value)}'`;
  if (typeof value === 'string') {
    if (/^[0-9+\-.eE:TZ ]{0,32}$/.test(value)) return `'${value}'`;
    return `(text of ${value.length} character${value.length === 1 ? '' : 's'})`;
  }
  return `(${value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`})`;
}

/** Where JSON.parse failed, without the snippet of the text its message quotes. */
function jsonErrorPlace(err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  if (lineCol) return ` (line ${lineCol[1]}, column ${lineCol[2]})`;
  const position = /position (\d+)/.exec(message);
  if (position) return ` (at character ${Number(position[1]) + 1})`;
  return message.includes('Unexpected end') ? ' (it ends too early)' : '';
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

function toTimestamp(value: unknown): number | string {
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\d/.test(value)) {
    // '2025-03-01 00:05:00' is the same time as '2025-03-01T00:05:00'.
    const iso = value.replace(/^(\d{4}-\d\d-\d\d) (?=\d)/, '$1T');
    // ISO times without a zone are UTC (Date.parse would read them as local time).
    const zoned = /T.*([zZ]|[+-]\d\d:?\d\d)$/.test(iso) || !iso.includes('T') ? iso : `${iso}Z`;
    const ts = Date.parse(zoned);
    return Number.isNaN(ts) ? `timestamp ${quoted(value)} is not a valid ISO 8601 time` : ts;
  }
  const ts = toNumber(value);
  if (!Number.isInteger(ts) || ts < 0)
    return `timestamp ${quoted(value)} is neither whole milliseconds nor an ISO 8601 time`;
  if (ts < 100_000_000_000)
    return `timestamp ${ts} looks like seconds; use milliseconds since 1970`;
  return ts;
}

const FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

function toCandle(row: RawRow, problems: RowProblem[]): Candle | undefined {
  const report = (message: string) => {
    problems.push({ line: row.line, at: row.at, message });
    return undefined;
  };
  if (row.values.length !== 6)
    return report(
      `expected 6 values (timestamp, open, high, low, close, volume), got ${row.values.length}`,
    );
  const ts = toTimestamp(row.values[0]);
  if (typeof ts === 'string') return report(ts);
  const [open, high, low, close, volume] = FIELDS.map((_, i) => toNumber(row.values[i + 1]));
  const numbers = { open: open!, high: high!, low: low!, close: close!, volume: volume! };
  for (const field of FIELDS) {
    if (!Number.isFinite(numbers[field]))
      return report(`${field} ${quoted(row.values[FIELDS.indexOf(field) + 1])} is not a number`);
  }
  if (numbers.volume < 0) return report(`volume ${numbers.volume} is negative`);
  if (numbers.low <= 0) return report(`low ${numbers.low} must be above 0`);
  if (
    numbers.low > Math.min(numbers.open, numbers.close) ||
    numbers.high < Math.max(numbers.open, numbers.close)
  ) {
    return report(
      `low ≤ open, close ≤ high does not hold (o ${numbers.open} h ${numbers.high} l ${numbers.low} c ${numbers.close})`,
    );
  }
  return { ts, ...numbers };
}

function inferTimeframe(name: string, series: Map<string, Candle[]>): number {
  let step = Infinity;
  for (const candles of series.values()) {
    for (let i = 1; i < candles.length; i++)
      step = Math.min(step, candles[i]!.ts - candles[i - 1]!.ts);
  }
  if (!Number.isFinite(step))
    throw new BotDeskError(
      'INVALID_INPUT',
      `${name}: needs at least two candles of one symbol to tell the timeframe`,
    );
  if (!TIMEFRAMES.some((t) => TIMEFRAME_MS[t] === step)) {
    throw new BotDeskError(
      'INVALID_INPUT',
      `${name}: candles are ${step / 1000} s apart, which is not a timeframe BotDesk knows (${TIMEFRAMES.join(', ')})`,
    );
  }
  for (const candles of series.values()) {
    for (const c of candles) {
      if (c.ts % step !== 0) {
        throw new BotDeskError(
          'INVALID_INPUT',
          `${name}: candle ${new Date(c.ts).toISOString()} does not start on a ${step / 60_000} min boundary`,
        );
      }
    }
  }
  return step;
}

/**
 * Replaces missing candles with flat zero-volume ones at the previous close; with `until`,
 * also those after the last candle up to that open time (exclusive).
 */
export function fillGaps(candles: readonly Candle[], tfMs: number, until?: number): Candle[] {
  const out: Candle[] = [];
  const flatUntil = (end: number) => {
    const prev = out.at(-1);
    if (!prev) return;
    for (let ts = prev.ts + tfMs; ts < end; ts += tfMs) {
      out.push({
        ts,
        open: prev.close,
        high: prev.close,
        low: prev.close,
        close: prev.close,
        volume: 0,
      });
    }
  };
  for (const c of candles) {
    flatUntil(c.ts);
    out.push(c);
  }
  if (until !== undefined) flatUntil(until);
  return out;
}
