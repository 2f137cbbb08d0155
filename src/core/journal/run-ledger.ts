/**
 * The journal's runs and paper account resets (migration 3): every start of the bot is a
 * run with its config and time range, so tables and statistics can show one run; a reset
 * marks the fill and equity row after which the paper wallet starts afresh.
 */
import type { DatabaseSync } from 'node:sqlite';
import { BotConfig, type RunInfo, type Trade, type TradingMode } from '../api/schemas.ts';
import { roundTrips, type JournalFill } from './round-trips.ts';
import { toFill } from './rows.ts';

type Row = Record<string, unknown>;

export interface ResetMark {
  afterFillSeq: number;
  afterEquitySeq: number;
}

export class RunLedger {
  readonly #db: DatabaseSync;
  #lastReset: ResetMark | null = null;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  begin(run: { id: string; mode: TradingMode; config: BotConfig; startedAt: number }): void {
    this.#db
      .prepare('INSERT INTO runs (id, mode, config, started_at) VALUES (?, ?, ?, ?)')
      .run(run.id, run.mode, JSON.stringify(run.config), run.startedAt);
  }

  end(id: string, endedAt: number, reason: string): void {
    this.#db
      .prepare('UPDATE runs SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL')
      .run(endedAt, reason, id);
  }

  list(limit: number): RunInfo[] {
    const rows = this.#db
      .prepare(
        `SELECT r.*,
           (SELECT COUNT(*) FROM orders o WHERE o.run_id = r.id) AS orders,
           (SELECT COUNT(*) FROM fills f WHERE f.run_id = r.id) AS fills,
           (SELECT MIN(ts) FROM equity e WHERE e.run_id = r.id) AS market_from,
           (SELECT MAX(ts) FROM equity e WHERE e.run_id = r.id) AS market_to,
           (SELECT equity FROM equity e WHERE e.run_id = r.id ORDER BY seq LIMIT 1) AS equity_from,
           (SELECT equity FROM equity e WHERE e.run_id = r.id ORDER BY seq DESC LIMIT 1) AS equity_to
         FROM runs r ORDER BY r.started_at DESC, r.rowid DESC LIMIT ?`,
      )
      .all(limit) as Row[];
    return rows.map((r) => {
      const config = BotConfig.safeParse(JSON.parse(String(r.config)));
      return {
        id: String(r.id),
        mode: r.mode as TradingMode,
        config: config.success ? config.data : BotConfig.parse({}),
        startedAt: Number(r.started_at),
        endedAt: r.ended_at === null ? null : Number(r.ended_at),
        endReason: r.end_reason === null ? null : String(r.end_reason),
        orders: Number(r.orders),
        fills: Number(r.fills),
        marketFrom: r.market_from === null ? null : Number(r.market_from),
        marketTo: r.market_to === null ? null : Number(r.market_to),
        equityFrom: r.equity_from === null ? null : Number(r.equity_from),
        equityTo: r.equity_to === null ? null : Number(r.equity_to),
      };
    });
  }

  /** Fills after `afterSeq`, oldest first, with their run and their order's reason. */
  fillsSince(afterSeq: number): JournalFill[] {
    const rows = this.#db
      .prepare(
        `SELECT f.*, o.reason AS order_reason FROM fills f LEFT JOIN orders o ON o.id = f.order_id
         WHERE f.seq > ? ORDER BY f.seq`,
      )
      .all(afterSeq) as Row[];
    return rows.map((r) => ({
      ...toFill(r),
      runId: r.run_id === null ? null : String(r.run_id),
      reason: r.order_reason === null ? '' : String(r.order_reason),
      seq: Number(r.seq),
    }));
  }

  trades(): Trade[] {
    const fills = this.fillsSince(0);
    const resets = this.#db.prepare('SELECT after_fill_seq FROM account_resets').all() as Row[];
    const seqs = new Set(resets.map((r) => Number(r.after_fill_seq)));
    const resetAfter = new Set(
      fills.filter((f) => f.seq !== undefined && seqs.has(f.seq)).map((f) => f.id),
    );
    return roundTrips(fills, resetAfter).closed;
  }

  lastReset(): ResetMark {
    if (this.#lastReset) return this.#lastReset;
    const r = this.#db
      .prepare(
        'SELECT after_fill_seq, after_equity_seq FROM account_resets ORDER BY seq DESC LIMIT 1',
      )
      .get() as Row | undefined;
    this.#lastReset = {
      afterFillSeq: Number(r?.after_fill_seq ?? 0),
      afterEquitySeq: Number(r?.after_equity_seq ?? 0),
    };
    return this.#lastReset;
  }

  reset(ts: number): void {
    const max = (table: string) =>
      Number((this.#db.prepare(`SELECT COALESCE(MAX(seq), 0) AS m FROM ${table}`).get() as Row).m);
    const mark = { afterFillSeq: max('fills'), afterEquitySeq: max('equity') };
    this.#db
      .prepare('INSERT INTO account_resets (ts, after_fill_seq, after_equity_seq) VALUES (?, ?, ?)')
      .run(ts, mark.afterFillSeq, mark.afterEquitySeq);
    this.#lastReset = mark;
  }
}
