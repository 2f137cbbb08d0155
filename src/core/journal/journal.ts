/**
 * The trading journal on node:sqlite (no native module to rebuild per Electron ABI).
 * WAL mode, synchronous FULL; every tick's orders, fills, equity point and events are committed in ONE
 * transaction before anything is reported as done. Positions and the paper wallet are
 * derived from fills (replayed through the trading core's Account), never stored
 * separately, so they cannot disagree with them.
 */
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { BotDeskError } from '../api/errors.ts';
import { preparePrivateFile } from '../host/private-files.ts';
import type { EquityPoint, Fill, Order, Position, TradingMode } from '../api/schemas.ts';
import { JOURNAL_MIGRATIONS } from './migrations.ts';
import { Account } from '../trading/account.ts';
import type { RulesOf } from '../trading/market-rules.ts';

export interface JournalEvent {
  ts: number;
  kind: string;
  payload: unknown;
}

export interface TickBatch {
  orders?: readonly Order[];
  fills?: readonly Fill[];
  equity?: EquityPoint;
  events?: readonly JournalEvent[];
}

export function journalFile(dataDir: string, mode: TradingMode): string {
  return join(dataDir, `journal-${mode}.sqlite`);
}

function journalError(action: string, err: unknown): BotDeskError {
  return new BotDeskError(
    'JOURNAL_ERROR',
    `journal ${action} failed: ${err instanceof Error ? err.message : String(err)}`,
  );
}

type Row = Record<string, unknown>;

function toOrder(r: Row): Order {
  return {
    id: String(r.id),
    clientOrderId: String(r.client_order_id),
    mode: r.mode as TradingMode,
    symbol: String(r.symbol),
    side: r.side as Order['side'],
    type: r.type as Order['type'],
    amount: Number(r.amount),
    price: r.price === null ? null : Number(r.price),
    status: r.status as Order['status'],
    reason: String(r.reason),
    ts: Number(r.ts),
  };
}

function toFill(r: Row): Fill {
  return {
    id: String(r.id),
    orderId: String(r.order_id),
    symbol: String(r.symbol),
    side: r.side as Fill['side'],
    amount: Number(r.amount),
    price: Number(r.price),
    fee: Number(r.fee),
    feeCurrency: String(r.fee_currency),
    ts: Number(r.ts),
  };
}

export class Journal {
  readonly file: string;
  readonly #db: DatabaseSync;

  constructor(file: string) {
    this.file = file;
    try {
      preparePrivateFile(file);
      this.#db = new DatabaseSync(file);
      // busy_timeout: another process briefly holding the file (a backup, a sqlite3 shell) makes a
      // commit wait instead of failing, which would stop the bot (JOURNAL_ERROR is fatal).
      // synchronous FULL, not NORMAL: in WAL mode NORMAL can roll back the last commits on a power
      // loss or OS crash, and a fill reported to the user must never be lost. One fsync per tick.
      this.#db.exec(
        'PRAGMA busy_timeout = 2000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;',
      );
      this.#migrate();
    } catch (err) {
      throw journalError(`open of ${file}`, err);
    }
  }

  #migrate(): void {
    this.#db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)',
    );
    const row = this.#db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as
      Row | undefined;
    const applied = Number(row?.v ?? 0);
    for (const m of JOURNAL_MIGRATIONS) {
      if (m.version <= applied) continue;
      this.#transaction(() => {
        this.#db.exec(m.sql);
        this.#db
          .prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)')
          .run(m.version, Date.now());
      });
    }
  }

  /** SQLite's `synchronous` level on this connection (2 = FULL). */
  synchronousLevel(): number {
    return Number((this.#db.prepare('PRAGMA synchronous').get() as Row).synchronous);
  }

  /** Versions recorded in the migrations table, oldest first. */
  migrations(): number[] {
    return this.#db
      .prepare('SELECT version FROM schema_migrations ORDER BY version')
      .all()
      .map((r) => Number((r as Row).version));
  }

  #transaction(fn: () => void): void {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      fn();
      this.#db.exec('COMMIT');
    } catch (err) {
      this.#db.exec('ROLLBACK');
      throw err;
    }
  }

  /** One transaction: all of the batch is stored, or nothing is (JOURNAL_ERROR). */
  commitTick(batch: TickBatch): void {
    try {
      this.#transaction(() => {
        const upsertOrder = this.#db.prepare(
          `INSERT INTO orders (id, client_order_id, mode, symbol, side, type, amount, price, status, reason, ts)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
          );
        }
        const insertFill = this.#db.prepare(
          `INSERT INTO fills (id, order_id, symbol, side, amount, price, fee, fee_currency, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
          );
        }
        if (batch.equity) {
          this.#db
            .prepare('INSERT INTO equity (ts, equity, cash) VALUES (?, ?, ?)')
            .run(batch.equity.ts, batch.equity.equity, batch.equity.cash);
        }
        const insertEvent = this.#db.prepare(
          'INSERT INTO events (ts, kind, payload) VALUES (?, ?, ?)',
        );
        for (const e of batch.events ?? [])
          insertEvent.run(e.ts, e.kind, JSON.stringify(e.payload));
      });
    } catch (err) {
      throw journalError('commit', err);
    }
  }

  #read<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw journalError(`read of ${what}`, err);
    }
  }

  /** Most recent first. */
  orders(limit: number): Order[] {
    return this.#read('orders', () =>
      this.#db
        .prepare('SELECT * FROM orders ORDER BY seq DESC LIMIT ?')
        .all(limit)
        .map((r) => toOrder(r as Row)),
    );
  }

  openOrders(): Order[] {
    return this.#read('open orders', () =>
      this.#db
        .prepare(`SELECT * FROM orders WHERE status = 'open' ORDER BY seq`)
        .all()
        .map((r) => toOrder(r as Row)),
    );
  }

  /** Most recent first. */
  fills(limit: number): Fill[] {
    return this.#read('fills', () =>
      this.#db
        .prepare('SELECT * FROM fills ORDER BY seq DESC LIMIT ?')
        .all(limit)
        .map((r) => toFill(r as Row)),
    );
  }

  /** Which of these fill ids are stored (the live executor re-sends fills a crash kept out). */
  knownFillIds(ids: readonly string[]): Set<string> {
    return this.#read('fills', () => {
      const known = new Set<string>();
      const has = this.#db.prepare('SELECT 1 FROM fills WHERE id = ?');
      for (const id of ids) if (has.get(id) !== undefined) known.add(id);
      return known;
    });
  }

  /** The last `limit` points, oldest first. */
  equity(limit: number): EquityPoint[] {
    return this.#read('equity', () =>
      this.#db
        .prepare(
          'SELECT ts, equity, cash FROM (SELECT * FROM equity ORDER BY seq DESC LIMIT ?) ORDER BY seq',
        )
        .all(limit)
        .map((r) => ({
          ts: Number((r as Row).ts),
          equity: Number((r as Row).equity),
          cash: Number((r as Row).cash),
        })),
    );
  }

  /** The earliest equity point at or after `ts` (market time), e.g. the equity a day started with. */
  firstEquitySince(ts: number): EquityPoint | null {
    return this.#read('equity', () => {
      const r = this.#db
        .prepare('SELECT ts, equity, cash FROM equity WHERE ts >= ? ORDER BY ts, seq LIMIT 1')
        .get(ts) as Row | undefined;
      return r ? { ts: Number(r.ts), equity: Number(r.equity), cash: Number(r.cash) } : null;
    });
  }

  events(limit: number): JournalEvent[] {
    return this.#read('events', () =>
      this.#db
        .prepare('SELECT ts, kind, payload FROM events ORDER BY seq DESC LIMIT ?')
        .all(limit)
        .map((r) => ({
          ts: Number((r as Row).ts),
          kind: String((r as Row).kind),
          payload: JSON.parse(String((r as Row).payload)),
        })),
    );
  }

  /** The newest event of `kind` (e.g. the latest risk-state snapshot), or null. */
  latestEvent(kind: string): JournalEvent | null {
    return this.#read('events', () => {
      const r = this.#db
        .prepare('SELECT ts, kind, payload FROM events WHERE kind = ? ORDER BY seq DESC LIMIT 1')
        .get(kind) as Row | undefined;
      return r
        ? { ts: Number(r.ts), kind: String(r.kind), payload: JSON.parse(String(r.payload)) }
        : null;
    });
  }

  /**
   * Net flow of every fill quoted in `quote` (sells in, buys and fees out); all fills when
   * omitted. A wallet in one quote currency must not count another currency's flows.
   */
  cashFlow(quote?: string): number {
    return this.#read('cash flow', () => {
      const flow = `COALESCE(SUM(CASE side WHEN 'sell' THEN amount * price ELSE -amount * price END) - SUM(fee), 0) AS flow FROM fills`;
      const r = (
        quote === undefined
          ? this.#db.prepare(`SELECT ${flow}`).get()
          : this.#db
              .prepare(`SELECT ${flow} WHERE substr(symbol, instr(symbol, '/') + 1) = ?`)
              .get(quote)
      ) as Row;
      return Number(r.flow);
    });
  }

  /** Open positions replayed from every fill; `priceOf` supplies latest prices for unrealized PnL. */
  positions(priceOf: (symbol: string) => number | undefined = () => undefined): Position[] {
    const account = this.account({ quote: '', cash: 0 });
    return [...account.positions()].map((p) => Account.toPosition(p, priceOf(p.symbol)));
  }

  /**
   * The account every fill so far adds up to, for a run to continue: `cash` is the starting
   * balance. With a `quote`, only that quote's markets count (a wallet in one currency must
   * not take another currency's flows); with quote '' every fill does.
   */
  account(opts: { quote: string; cash: number; rules?: RulesOf }): Account {
    const account = new Account(opts);
    this.#read('fills', () => {
      const rows =
        opts.quote === ''
          ? this.#db.prepare('SELECT * FROM fills ORDER BY seq').all()
          : this.#db
              .prepare(
                `SELECT * FROM fills WHERE substr(symbol, instr(symbol, '/') + 1) = ? ORDER BY seq`,
              )
              .all(opts.quote);
      for (const r of rows) {
        const stored = toFill(r as Row);
        // A fee paid in another currency (BNB on a live exchange) is not quote cash.
        const fill =
          stored.feeCurrency === stored.symbol.split('/')[1] ? stored : { ...stored, fee: 0 };
        const held = fill.side === 'sell' ? account.position(fill.symbol) : undefined;
        // Journals written before amounts were whole steps may sell a float hair more than
        // they bought: that sell closed the position, and its cash flow stays as recorded.
        const closes =
          held !== undefined && account.sellSteps(fill.symbol, fill.amount) === undefined;
        account.apply(closes ? { ...fill, steps: held.steps } : fill);
      }
    });
    return account;
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
