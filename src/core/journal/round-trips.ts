/**
 * Closed trades (round trips) derived from fills: a trade opens when a symbol goes from
 * flat to long and closes when it is flat again; partial entries and exits are averaged.
 * Pure, so the journal, the UI tests and a backtest can derive trades the same way.
 */
import type { Fill, Trade } from '../api/schemas.ts';

/** A fill as the journal stores it: with the run that made it and its order's reason. */
export interface JournalFill extends Fill {
  runId: string | null;
  reason: string;
  /** The journal's row order. */
  seq?: number;
}

/** Amounts below this are float dust, not a position. */
const DUST = 1e-9;

interface Open {
  id: string;
  symbol: string;
  openedAt: number;
  bought: number;
  cost: number;
  held: number;
  sold: number;
  proceeds: number;
  fees: number;
  entryReason: string;
}

export interface RoundTrips {
  /** Oldest first. */
  closed: Trade[];
  /** Trades still open, by symbol (their first entry fill and time). */
  open: Map<string, { id: string; openedAt: number; entryReason: string }>;
}

/**
 * `fills` oldest first. `resetAfter` lists fill ids after which the paper account was
 * reset: positions open at a reset are abandoned, not closed trades.
 */
export function roundTrips(
  fills: readonly JournalFill[],
  resetAfter: ReadonlySet<string> = new Set(),
): RoundTrips {
  const books = new Map<string, Open>();
  const closed: Trade[] = [];
  for (const f of fills) {
    let t = books.get(f.symbol);
    if (f.side === 'buy') {
      if (!t) {
        t = {
          id: f.id,
          symbol: f.symbol,
          openedAt: f.ts,
          bought: 0,
          cost: 0,
          held: 0,
          sold: 0,
          proceeds: 0,
          fees: 0,
          entryReason: f.reason,
        };
        books.set(f.symbol, t);
      }
      t.bought += f.amount;
      t.cost += f.amount * f.price;
      t.held += f.amount;
      t.fees += f.fee;
    } else if (t) {
      t.sold += f.amount;
      t.proceeds += f.amount * f.price;
      t.held -= f.amount;
      t.fees += f.fee;
      if (t.held <= DUST * Math.max(1, t.bought)) {
        books.delete(f.symbol);
        const entryPrice = t.cost / t.bought;
        const exitPrice = t.proceeds / t.sold;
        const pnl = t.proceeds - t.cost * (t.sold / t.bought) - t.fees;
        closed.push({
          id: t.id,
          runId: f.runId,
          symbol: t.symbol,
          amount: t.bought,
          entryPrice,
          exitPrice,
          openedAt: t.openedAt,
          closedAt: f.ts,
          durationMs: f.ts - t.openedAt,
          fees: t.fees,
          pnl,
          pnlPct: t.cost > 0 ? pnl / t.cost : 0,
          entryReason: t.entryReason,
          exitReason: f.reason,
        });
      }
    }
    if (resetAfter.has(f.id)) books.clear();
  }
  const open = new Map(
    [...books.values()].map((t) => [
      t.symbol,
      { id: t.id, openedAt: t.openedAt, entryReason: t.entryReason },
    ]),
  );
  return { closed, open };
}

export interface TradeQuery {
  runId?: string;
  symbol?: string;
  outcome?: 'win' | 'loss';
  offset: number;
  limit: number;
}

/** Newest first, filtered, one page, with the filtered total and its summed PnL. */
export function pageTrades(
  trades: readonly Trade[],
  q: TradeQuery,
): { total: number; pnl: number; wins: number; trades: Trade[] } {
  const matching = trades.filter(
    (t) =>
      (q.runId === undefined || t.runId === q.runId) &&
      (q.symbol === undefined || t.symbol === q.symbol) &&
      (q.outcome === undefined || (q.outcome === 'win' ? t.pnl > 0 : t.pnl <= 0)),
  );
  const newest = [...matching].reverse();
  return {
    total: matching.length,
    pnl: matching.reduce((sum, t) => sum + t.pnl, 0),
    wins: matching.filter((t) => t.pnl > 0).length,
    trades: newest.slice(q.offset, q.offset + q.limit),
  };
}
