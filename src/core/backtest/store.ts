/**
 * Past backtest results, kept in `<dataDir>/backtests.sqlite` (node:sqlite, WAL) so the UI
 * can list and compare them. A result is stored whole (one JSON document) in one
 * statement, so it is either there or not; the summary columns serve the list.
 */
import { join } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import {
  BacktestResult,
  type BacktestResult as Result,
  type BacktestSummary,
} from '../api/backtest.ts';
import { BotDeskError } from '../api/errors.ts';
import { openPrivateDatabase } from '../host/private-database.ts';
import { ensurePrivateDir } from '../host/private-files.ts';

export const BACKTEST_DB_FILE = 'backtests.sqlite';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS backtests (
  id TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  summary TEXT NOT NULL,
  result TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS backtests_created ON backtests (created_at DESC);
`;

export function summaryOf(r: Result): BacktestSummary {
  return {
    id: r.id,
    createdAt: r.createdAt,
    strategy: r.strategy,
    symbols: r.symbols,
    timeframe: r.timeframe,
    from: r.from,
    to: r.to,
    candles: r.candles,
    totalReturnPct: r.metrics.totalReturnPct,
    maxDrawdownPct: r.metrics.maxDrawdownPct,
    trades: r.metrics.trades,
    sharpe: r.metrics.sharpe,
    grid: r.grid !== undefined,
  };
}

export class BacktestStore {
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #list: StatementSync;
  readonly #get: StatementSync;
  readonly #remove: StatementSync;

  constructor(path: string) {
    this.path = path;
    try {
      this.#db = openPrivateDatabase(path, { synchronous: 'NORMAL', busyTimeoutMs: 5000 });
      this.#db.exec(SCHEMA);
    } catch (err) {
      throw new BotDeskError(
        'JOURNAL_ERROR',
        `cannot open the backtest history ${path}: ${(err as Error).message}`,
      );
    }
    this.#insert = this.#db.prepare(
      'INSERT INTO backtests (id, created_at, summary, result) VALUES (?, ?, ?, ?)',
    );
    this.#list = this.#db.prepare(
      'SELECT summary FROM backtests ORDER BY created_at DESC, id LIMIT ?',
    );
    this.#get = this.#db.prepare('SELECT result FROM backtests WHERE id = ?');
    this.#remove = this.#db.prepare('DELETE FROM backtests WHERE id = ?');
  }

  static inDataDir(dataDir: string): BacktestStore {
    ensurePrivateDir(dataDir);
    return new BacktestStore(join(dataDir, BACKTEST_DB_FILE));
  }

  save(result: Result): void {
    try {
      this.#insert.run(
        result.id,
        result.createdAt,
        JSON.stringify(summaryOf(result)),
        JSON.stringify(result),
      );
    } catch (err) {
      throw new BotDeskError(
        'JOURNAL_ERROR',
        `could not store backtest ${result.id}: ${(err as Error).message}`,
      );
    }
  }

  /** Most recent first. */
  list(limit = 100): BacktestSummary[] {
    return (this.#list.all(limit) as Array<{ summary: string }>).map(
      (r) => JSON.parse(r.summary) as BacktestSummary,
    );
  }

  get(id: string): Result {
    const row = this.#get.get(id) as { result: string } | undefined;
    if (row === undefined) throw new BotDeskError('NOT_FOUND', `no backtest with id '${id}'`);
    return BacktestResult.parse(JSON.parse(row.result));
  }

  remove(id: string): boolean {
    return Number(this.#remove.run(id).changes) > 0;
  }

  count(): number {
    return (this.#db.prepare('SELECT count(*) AS n FROM backtests').get() as { n: number }).n;
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
