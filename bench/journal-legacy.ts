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
import { TICK_SQL, equityValues, fillValues, orderValues } from '../src/core/journal/tick-rows.ts';

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
    const db = this.#db;
    db.exec('BEGIN IMMEDIATE');
    try {
      const order = db.prepare(TICK_SQL.order);
      for (const o of batch.orders ?? []) order.run(...orderValues(o, null));
      const fill = db.prepare(TICK_SQL.fill);
      for (const f of batch.fills ?? []) fill.run(...fillValues(f, null));
      if (batch.equity) db.prepare(TICK_SQL.equity).run(...equityValues(batch.equity, null));
      const event = db.prepare(TICK_SQL.event);
      for (const e of batch.events ?? []) event.run(e.ts, e.kind, JSON.stringify(e.payload));
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  }

  close(): void {
    this.#db.close();
  }
}
