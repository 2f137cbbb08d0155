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
];
