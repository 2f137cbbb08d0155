/**
 * Downloaded candle history, kept per (exchange, symbol, timeframe) in
 * `<dataDir>/candles.sqlite` (node:sqlite, WAL), so later runs and backtests only fetch
 * what is new. Candles of one series are keyed by open time; writes are upserts in one
 * transaction, so a batch is stored whole or not at all.
 */
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { StatementSync } from 'node:sqlite';
import { BotDeskError } from '../api/errors.ts';
import { ensurePrivateDir, preparePrivateFile } from '../host/private-files.ts';
import type { Candle } from '../api/schemas.ts';

export const CANDLE_DB_FILE = 'candles.sqlite';

export interface SeriesKey {
  exchange: string;
  symbol: string;
  timeframe: string;
}

export interface SeriesInfo extends SeriesKey {
  count: number;
  first: number;
  last: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS series (
  id INTEGER PRIMARY KEY,
  exchange TEXT NOT NULL,
  symbol TEXT NOT NULL,
  timeframe TEXT NOT NULL,
  UNIQUE (exchange, symbol, timeframe)
);
CREATE TABLE IF NOT EXISTS candles (
  series INTEGER NOT NULL REFERENCES series(id),
  ts INTEGER NOT NULL,
  open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL, volume REAL NOT NULL,
  PRIMARY KEY (series, ts)
) WITHOUT ROWID;
`;

export class CandleStore {
  readonly path: string;
  /** Set when a damaged store was moved aside and replaced by an empty one. */
  notice: string | null = null;
  readonly #db: DatabaseSync;
  readonly #seriesIds = new Map<string, number>();
  readonly #findSeries: StatementSync;
  readonly #addSeries: StatementSync;
  readonly #upsert: StatementSync;
  readonly #range: StatementSync;
  readonly #times: StatementSync;
  readonly #info: StatementSync;

  /** Opens (creating if needed) `<dataDir>/candles.sqlite`; pass ':memory:' as path for a throwaway store. */
  constructor(path: string) {
    this.path = path;
    try {
      preparePrivateFile(path);
      this.#db = new DatabaseSync(path);
    } catch (err) {
      throw new BotDeskError(
        'MARKET_ERROR',
        `cannot open the candle store ${path}: ${(err as Error).message}`,
      );
    }
    try {
      this.#db.exec(
        'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;',
      );
      this.#db.exec(SCHEMA);
    } catch (err) {
      this.#db.close();
      throw new BotDeskError(
        'MARKET_ERROR',
        `cannot open the candle store ${path}: ${(err as Error).message}`,
      );
    }
    this.#findSeries = this.#db.prepare(
      'SELECT id FROM series WHERE exchange = ? AND symbol = ? AND timeframe = ?',
    );
    this.#addSeries = this.#db.prepare(
      'INSERT INTO series (exchange, symbol, timeframe) VALUES (?, ?, ?)',
    );
    this.#upsert = this.#db.prepare(
      'INSERT OR REPLACE INTO candles (series, ts, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.#range = this.#db.prepare(
      'SELECT ts, open, high, low, close, volume FROM candles WHERE series = ? AND ts >= ? AND ts < ? ORDER BY ts',
    );
    this.#times = this.#db.prepare(
      'SELECT ts FROM candles WHERE series = ? AND ts >= ? AND ts < ? ORDER BY ts',
    );
    this.#times.setReturnArrays(true);
    // Rows as arrays, turned into candles here: several times faster than named-column objects.
    this.#range.setReturnArrays(true);
    this.#info = this.#db.prepare(
      `SELECT s.exchange, s.symbol, s.timeframe, count(c.ts) AS count, min(c.ts) AS first, max(c.ts) AS last
       FROM series s JOIN candles c ON c.series = s.id GROUP BY s.id ORDER BY s.exchange, s.symbol, s.timeframe`,
    );
  }

  /**
   * The store of a data folder. It only caches what can be downloaded again, so a damaged
   * file is moved aside (kept for inspection) and replaced by an empty store, with a notice.
   */
  static inDataDir(dataDir: string): CandleStore {
    ensurePrivateDir(dataDir);
    const path = join(dataDir, CANDLE_DB_FILE);
    try {
      return new CandleStore(path);
    } catch (err) {
      const reason = (err as Error).message;
      if (!/not a database|malformed|corrupt/i.test(reason) || !existsSync(path)) throw err;
      const aside = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      for (const suffix of ['', '-wal', '-shm'])
        if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
      const store = new CandleStore(path);
      store.notice = `the candle store ${path} was damaged (${reason.replace(/^cannot open the candle store \S+: /, '')}); it was moved to ${aside} and history will be downloaded again`;
      return store;
    }
  }

  /** Stores `candles` (replacing any with the same open time) in one transaction. */
  insert(key: SeriesKey, candles: readonly Candle[]): void {
    if (candles.length === 0) return;
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const id = this.#seriesId(key, true)!;
      for (const c of candles) this.#upsert.run(id, c.ts, c.open, c.high, c.low, c.close, c.volume);
      this.#db.exec('COMMIT');
    } catch (err) {
      this.#db.exec('ROLLBACK');
      throw new BotDeskError(
        'MARKET_ERROR',
        `could not store candles of ${describe(key)}: ${(err as Error).message}`,
      );
    }
  }

  /** Stored candles with open time in [from, to), oldest first. */
  range(key: SeriesKey, from: number, to: number): Candle[] {
    const id = this.#seriesId(key, false);
    if (id === undefined) return [];
    const out: Candle[] = [];
    for (const row of this.#range.iterate(id, from, to) as Iterable<number[]>) {
      out.push({
        ts: row[0]!,
        open: row[1]!,
        high: row[2]!,
        low: row[3]!,
        close: row[4]!,
        volume: row[5]!,
      });
    }
    return out;
  }

  /** The [start, end) spans of open times in [from, to) (step `tfMs`) that are not stored yet. */
  missing(key: SeriesKey, from: number, to: number, tfMs: number): Array<[number, number]> {
    const id = this.#seriesId(key, false);
    if (id === undefined) return from < to ? [[from, to]] : [];
    const spans: Array<[number, number]> = [];
    let expected = from;
    for (const row of this.#times.iterate(id, from, to) as Iterable<[number]>) {
      const ts = row[0];
      if (ts > expected) spans.push([expected, ts]);
      expected = Math.max(expected, ts + tfMs);
    }
    if (expected < to) spans.push([expected, to]);
    return spans;
  }

  /** Every stored series with its size and span. */
  list(): SeriesInfo[] {
    return this.#info.all() as unknown as SeriesInfo[];
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  #seriesId(key: SeriesKey, create: boolean): number | undefined {
    const name = describe(key);
    const cached = this.#seriesIds.get(name);
    if (cached !== undefined) return cached;
    const row = this.#findSeries.get(key.exchange, key.symbol, key.timeframe) as
      { id: number } | undefined;
    let id = row?.id;
    if (id === undefined && create)
      id = Number(this.#addSeries.run(key.exchange, key.symbol, key.timeframe).lastInsertRowid);
    if (id !== undefined) this.#seriesIds.set(name, id);
    return id;
  }
}

function describe(key: SeriesKey): string {
  return `${key.exchange} ${key.symbol} ${key.timeframe}`;
}
