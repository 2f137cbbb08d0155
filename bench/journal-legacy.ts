/**
 * The journal's tick commit as it was at the end of session 2, kept only to measure the new
 * one against it side by side in one run: statements prepared on every commit, SQLite's
 * automatic checkpoint (inside the commit that crosses 1000 WAL pages), and the full index
 * on orders.status. Same file format and the same synchronous FULL; migration 4 undone.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { TickBatch } from '../src/core/journal/journal.ts';
import { Journal } from '../src/core/journal/journal.ts';
import { openPrivateDatabase } from '../src/core/host/private-database.ts';

export class LegacyJournal {
  readonly #db: DatabaseSync;

  constructor(file: string) {
    new Journal(file, { checkpoint: 'auto' }).close(); // the schema
    this.#db = openPrivateDatabase(file, {
      synchronous: 'FULL',
      busyTimeoutMs: 2000,
      foreignKeys: true,
    });
    this.#db.exec(
      `DROP INDEX orders_open; CREATE INDEX orders_status ON orders(status); DELETE FROM schema_migrations WHERE version = 4;`,
    );
  }

  commitTick(batch: TickBatch): void {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const upsertOrder = this.#db.prepare(
        `INSERT INTO orders (id, client_order_id, mode, symbol, side, type, amount, price, status, reason, ts, run_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET status = excluded.status, price = excluded.price, reason = excluded.reason`,
      );
      for (const o of batch.orders ?? []) {
        upsertOrder.run(
          o.id,
          o.clientOrderId,
          o.mode,
          o.symbol,
          o.side,
          o.type,
          o.amount,
          o.price,
          o.status,
          o.reason,
          o.ts,
          null,
        );
      }
      const insertFill = this.#db.prepare(
        `INSERT INTO fills (id, order_id, symbol, side, amount, price, fee, fee_currency, ts, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const f of batch.fills ?? []) {
        insertFill.run(
          f.id,
          f.orderId,
          f.symbol,
          f.side,
          f.amount,
          f.price,
          f.fee,
          f.feeCurrency,
          f.ts,
          null,
        );
      }
      if (batch.equity) {
        this.#db
          .prepare('INSERT INTO equity (ts, equity, cash, run_id) VALUES (?, ?, ?, ?)')
          .run(batch.equity.ts, batch.equity.equity, batch.equity.cash, null);
      }
      const insertEvent = this.#db.prepare(
        'INSERT INTO events (ts, kind, payload) VALUES (?, ?, ?)',
      );
      for (const e of batch.events ?? []) insertEvent.run(e.ts, e.kind, JSON.stringify(e.payload));
      this.#db.exec('COMMIT');
    } catch (err) {
      this.#db.exec('ROLLBACK');
      throw err;
    }
  }

  close(): void {
    this.#db.close();
  }
}
