/** Journal schema migrations, applied in order inside one transaction each. */
export interface JournalMigration {
  version: number;
  sql: string;
}

export const JOURNAL_MIGRATIONS: readonly JournalMigration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE orders (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        client_order_id TEXT NOT NULL UNIQUE,
        mode TEXT NOT NULL,
        symbol TEXT NOT NULL,
        side TEXT NOT NULL,
        type TEXT NOT NULL,
        amount REAL NOT NULL,
        price REAL,
        status TEXT NOT NULL,
        reason TEXT NOT NULL,
        ts INTEGER NOT NULL
      );
      CREATE INDEX orders_status ON orders(status);
      CREATE TABLE fills (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        order_id TEXT NOT NULL REFERENCES orders(id),
        symbol TEXT NOT NULL,
        side TEXT NOT NULL,
        amount REAL NOT NULL,
        price REAL NOT NULL,
        fee REAL NOT NULL,
        fee_currency TEXT NOT NULL,
        ts INTEGER NOT NULL
      );
      CREATE TABLE equity (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        ts INTEGER NOT NULL,
        equity REAL NOT NULL,
        cash REAL NOT NULL
      );
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        ts INTEGER NOT NULL,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL
      );
    `,
  },
  {
    // The daily loss limit looks up the equity a day started with, also after a restart.
    version: 2,
    sql: `CREATE INDEX equity_ts ON equity(ts);`,
  },
  {
    // Runs kept apart: every start is a run; rows carry the run that wrote them (null: before runs
    // were recorded). A paper account reset starts the wallet afresh after the fill it names.
    version: 3,
    sql: `
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        mode TEXT NOT NULL,
        config TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        end_reason TEXT
      );
      ALTER TABLE orders ADD COLUMN run_id TEXT;
      ALTER TABLE fills ADD COLUMN run_id TEXT;
      ALTER TABLE equity ADD COLUMN run_id TEXT;
      CREATE INDEX orders_run ON orders(run_id);
      CREATE INDEX fills_run ON fills(run_id);
      CREATE INDEX equity_run ON equity(run_id);
      CREATE TABLE account_resets (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        ts INTEGER NOT NULL,
        after_fill_seq INTEGER NOT NULL,
        after_equity_seq INTEGER NOT NULL
      );
    `,
  },
  {
    // Only open orders are ever looked up by status: a partial index keeps the filled and
    // rejected ones (nearly every order) out of it, one index insert fewer per order a tick writes.
    version: 4,
    sql: `
      DROP INDEX orders_status;
      CREATE INDEX orders_open ON orders(status) WHERE status = 'open';
    `,
  },
];
