/**
 * The live order ledger (node:sqlite, WAL, synchronous FULL): every live order is written
 * here as `pending` BEFORE it is sent, then updated with the exchange's answer and id, and
 * every fill is kept by its exchange trade id. After a crash it says which orders may be
 * on the exchange without an answer, so they are looked up, never sent again; and which
 * fills the engine's journal may not have yet. Paper trading never touches it.
 */
import type { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { BotDeskError } from '../api/errors.ts';
import { openPrivateDatabase } from '../host/private-database.ts';
import type { Fill, Order, OrderSide } from '../api/schemas.ts';

export type LedgerState =
  'pending' | 'open' | 'partially_filled' | 'filled' | 'canceled' | 'rejected';

export interface LedgerOrder {
  /** The id sent to the exchange (see ccxt-client-id.ts). */
  clientId: string;
  /** The engine's order id (OrderIntent.clientOrderId). */
  intentId: string;
  exchange: string;
  symbol: string;
  side: OrderSide;
  type: 'market' | 'limit';
  amount: number;
  /** Limit price; null for market orders. */
  limitPrice: number | null;
  reason: string;
  state: LedgerState;
  exchangeOrderId: string | null;
  filled: number;
  avgPrice: number | null;
  createdTs: number;
  updatedTs: number;
  /** Why it was rejected or how it was settled. */
  note: string | null;
}

export type LedgerPatch = Partial<
  Pick<LedgerOrder, 'state' | 'exchangeOrderId' | 'filled' | 'avgPrice' | 'note'>
> & { updatedTs: number };

export const UNRESOLVED: readonly LedgerState[] = ['pending', 'open', 'partially_filled'];

export function ledgerFile(dataDir: string): string {
  return join(dataDir, 'live-orders.sqlite');
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS live_orders (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id TEXT NOT NULL UNIQUE,
    intent_id TEXT NOT NULL UNIQUE,
    exchange TEXT NOT NULL,
    symbol TEXT NOT NULL,
    side TEXT NOT NULL,
    type TEXT NOT NULL,
    amount REAL NOT NULL,
    limit_price REAL,
    reason TEXT NOT NULL,
    state TEXT NOT NULL,
    exchange_order_id TEXT,
    filled REAL NOT NULL DEFAULT 0,
    avg_price REAL,
    created_ts INTEGER NOT NULL,
    updated_ts INTEGER NOT NULL,
    note TEXT
  );
  CREATE INDEX IF NOT EXISTS live_orders_state ON live_orders(state);
  CREATE INDEX IF NOT EXISTS live_orders_exchange_id ON live_orders(exchange_order_id);
  CREATE TABLE IF NOT EXISTS live_fills (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    client_id TEXT NOT NULL REFERENCES live_orders(client_id),
    symbol TEXT NOT NULL,
    side TEXT NOT NULL,
    amount REAL NOT NULL,
    price REAL NOT NULL,
    fee REAL NOT NULL,
    fee_currency TEXT NOT NULL,
    ts INTEGER NOT NULL,
    journaled INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX IF NOT EXISTS live_fills_unjournaled ON live_fills(journaled) WHERE journaled = 0;
  CREATE TABLE IF NOT EXISTS live_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    ts INTEGER NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL
  );
`;

type Row = Record<string, unknown>;

function toOrder(r: Row): LedgerOrder {
  return {
    clientId: String(r.client_id),
    intentId: String(r.intent_id),
    exchange: String(r.exchange),
    symbol: String(r.symbol),
    side: r.side as OrderSide,
    type: r.type as LedgerOrder['type'],
    amount: Number(r.amount),
    limitPrice: r.limit_price === null ? null : Number(r.limit_price),
    reason: String(r.reason),
    state: r.state as LedgerState,
    exchangeOrderId: r.exchange_order_id === null ? null : String(r.exchange_order_id),
    filled: Number(r.filled),
    avgPrice: r.avg_price === null ? null : Number(r.avg_price),
    createdTs: Number(r.created_ts),
    updatedTs: Number(r.updated_ts),
    note: r.note === null ? null : String(r.note),
  };
}

function toFill(r: Row): Fill {
  return {
    id: String(r.id),
    orderId: String(r.client_id),
    symbol: String(r.symbol),
    side: r.side as OrderSide,
    amount: Number(r.amount),
    price: Number(r.price),
    fee: Number(r.fee),
    feeCurrency: String(r.fee_currency),
    ts: Number(r.ts),
  };
}

/** The engine's view of a ledger order: the client id is the order id, stable from `pending` on. */
export function toEngineOrder(o: LedgerOrder): Order {
  const status: Order['status'] =
    o.state === 'filled' || o.state === 'canceled' || o.state === 'rejected' ? o.state : 'open';
  const detail =
    o.state === 'rejected' || o.state === 'canceled'
      ? o.note
        ? `; ${o.state}: ${o.note}`
        : ''
      : o.state === 'pending'
        ? '; awaiting the exchange'
        : o.state === 'partially_filled'
          ? `; partially filled ${o.filled} of ${o.amount}`
          : '';
  return {
    id: o.clientId,
    clientOrderId: o.intentId,
    mode: 'live',
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    amount: o.amount,
    price: o.avgPrice ?? o.limitPrice,
    status,
    reason: `${o.reason}${detail}`,
    ts: o.createdTs,
  };
}

function ledgerError(action: string, err: unknown): BotDeskError {
  return new BotDeskError(
    'JOURNAL_ERROR',
    `live order ledger ${action} failed: ${err instanceof Error ? err.message : String(err)}`,
  );
}

export class OrderLedger {
  readonly file: string;
  readonly #db: DatabaseSync;

  constructor(file: string) {
    this.file = file;
    try {
      // NORMAL by default; a pending order is committed with FULL (see insertPending).
      this.#db = openPrivateDatabase(file, {
        synchronous: 'NORMAL',
        busyTimeoutMs: 2000,
        foreignKeys: true,
      });
      this.#db.exec(SCHEMA);
    } catch (err) {
      throw ledgerError(`open of ${file}`, err);
    }
  }

  #tx<T>(action: string, fn: () => T): T {
    try {
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        const out = fn();
        this.#db.exec('COMMIT');
        return out;
      } catch (err) {
        this.#db.exec('ROLLBACK');
        throw err;
      }
    } catch (err) {
      throw ledgerError(action, err);
    }
  }

  get(clientId: string): LedgerOrder | null {
    const r = this.#db.prepare('SELECT * FROM live_orders WHERE client_id = ?').get(clientId);
    return r ? toOrder(r as Row) : null;
  }

  /**
   * Written and synced (fsync) before the order is sent: after a crash the order is looked
   * up by its client id, never sent again. Later updates need no fsync of their own: losing
   * one to a power cut leaves the order pending, and the restart looks it up again.
   */
  insertPending(
    o: Omit<
      LedgerOrder,
      'state' | 'exchangeOrderId' | 'filled' | 'avgPrice' | 'updatedTs' | 'note'
    >,
  ): LedgerOrder {
    const order: LedgerOrder = {
      ...o,
      state: 'pending',
      exchangeOrderId: null,
      filled: 0,
      avgPrice: null,
      updatedTs: o.createdTs,
      note: null,
    };
    this.#db.exec('PRAGMA synchronous = FULL');
    try {
      this.#tx('write of a pending order', () =>
        this.#db
          .prepare(
            `INSERT INTO live_orders (client_id, intent_id, exchange, symbol, side, type, amount, limit_price, reason, state, created_ts, updated_ts)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
          )
          .run(
            o.clientId,
            o.intentId,
            o.exchange,
            o.symbol,
            o.side,
            o.type,
            o.amount,
            o.limitPrice,
            o.reason,
            o.createdTs,
            o.createdTs,
          ),
      );
    } finally {
      this.#db.exec('PRAGMA synchronous = NORMAL');
    }
    return order;
  }

  /** Updates an order and adds its new fills in one transaction; returns the fills not seen before. */
  record(
    clientId: string,
    patch: LedgerPatch,
    fills: readonly Fill[] = [],
  ): { order: LedgerOrder; added: Fill[] } {
    return this.#tx('update', () => {
      const current = this.get(clientId);
      if (!current) throw new Error(`no live order ${clientId}`);
      const next: LedgerOrder = { ...current };
      for (const [k, v] of Object.entries(patch))
        if (v !== undefined) (next as unknown as Row)[k] = v;
      this.#db
        .prepare(
          `UPDATE live_orders SET state = ?, exchange_order_id = ?, filled = ?, avg_price = ?, updated_ts = ?, note = ? WHERE client_id = ?`,
        )
        .run(
          next.state,
          next.exchangeOrderId,
          next.filled,
          next.avgPrice,
          next.updatedTs,
          next.note,
          clientId,
        );
      const insert = this.#db.prepare(
        `INSERT OR IGNORE INTO live_fills (id, client_id, symbol, side, amount, price, fee, fee_currency, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const added: Fill[] = [];
      for (const f of fills) {
        const r = insert.run(
          f.id,
          clientId,
          f.symbol,
          f.side,
          f.amount,
          f.price,
          f.fee,
          f.feeCurrency,
          f.ts,
        );
        if (Number(r.changes) > 0) added.push({ ...f, orderId: clientId });
      }
      return { order: next, added };
    });
  }

  byExchangeId(exchangeOrderId: string): LedgerOrder | null {
    const r = this.#db
      .prepare('SELECT * FROM live_orders WHERE exchange_order_id = ?')
      .get(exchangeOrderId);
    return r ? toOrder(r as Row) : null;
  }

  /** Orders that may still change on the exchange: pending (answer unknown), open, partially filled. */
  unresolved(): LedgerOrder[] {
    return this.#db
      .prepare(
        `SELECT * FROM live_orders WHERE state IN ('pending', 'open', 'partially_filled') ORDER BY seq`,
      )
      .all()
      .map((r) => toOrder(r as Row));
  }

  fillsOf(clientId: string): Fill[] {
    return this.#db
      .prepare('SELECT * FROM live_fills WHERE client_id = ? ORDER BY seq')
      .all(clientId)
      .map((r) => toFill(r as Row));
  }

  hasFill(id: string): boolean {
    return this.#db.prepare('SELECT 1 FROM live_fills WHERE id = ?').get(id) !== undefined;
  }

  /** Fills the engine's journal has not confirmed yet, oldest first. */
  unjournaledFills(): Fill[] {
    return this.#db
      .prepare('SELECT * FROM live_fills WHERE journaled = 0 ORDER BY seq')
      .all()
      .map((r) => toFill(r as Row));
  }

  markJournaled(ids: readonly string[]): void {
    if (ids.length === 0) return;
    this.#tx('mark journaled', () => {
      const mark = this.#db.prepare('UPDATE live_fills SET journaled = 1 WHERE id = ?');
      for (const id of ids) mark.run(id);
    });
  }

  /** Time of the newest fill of `symbol`, to ask the exchange only for trades after it. */
  lastFillTs(symbol: string): number | null {
    const r = this.#db
      .prepare('SELECT MAX(ts) AS ts FROM live_fills WHERE symbol = ?')
      .get(symbol) as Row;
    return r.ts === null ? null : Number(r.ts);
  }

  addEvent(ts: number, kind: string, payload: unknown): void {
    this.#tx('event', () =>
      this.#db
        .prepare('INSERT INTO live_events (ts, kind, payload) VALUES (?, ?, ?)')
        .run(ts, kind, JSON.stringify(payload)),
    );
  }

  /** Most recent first. */
  events(limit: number): { ts: number; kind: string; payload: unknown }[] {
    return this.#db
      .prepare('SELECT ts, kind, payload FROM live_events ORDER BY seq DESC LIMIT ?')
      .all(limit)
      .map((r) => ({
        ts: Number((r as Row).ts),
        kind: String((r as Row).kind),
        payload: JSON.parse(String((r as Row).payload)),
      }));
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
