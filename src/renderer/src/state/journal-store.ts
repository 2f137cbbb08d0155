/**
 * Orders, fills, equity, log lines, the last tick and user-facing error notices:
 * an initial snapshot from the journal merged with pushed events, deduplicated
 * by id (or timestamp) and capped so a long session stays light.
 */
import { createStore } from 'zustand/vanilla';
import type { TickSummary, EventPayload } from '../../../core/api/contract.ts';
import type { BotStatus, EquityPoint, Fill, LogLine, Order } from '../../../core/api/schemas.ts';
import { addNotice, pruneNotices, type Notice } from './notices.ts';

export const MAX_ROWS = 200;
export const MAX_EQUITY = 2000;
export const MAX_LOGS = 300;
export { MAX_NOTICES, type Notice } from './notices.ts';

export interface JournalState {
  /** newest first */
  orders: Order[];
  /** newest first */
  fills: Fill[];
  /** oldest first */
  equity: EquityPoint[];
  /** oldest first */
  logs: LogLine[];
  lastTick: TickSummary | null;
  /** newest first */
  notices: Notice[];
}

export interface JournalActions {
  applySnapshot(snapshot: {
    orders: Order[];
    fills: Fill[];
    equity: EquityPoint[];
    logs: LogLine[];
  }): void;
  applyOrder(order: Order): void;
  applyFill(fill: Fill): void;
  applyEquity(point: EquityPoint): void;
  applyLog(line: LogLine): void;
  applyTick(tick: TickSummary): void;
  applyError(error: EventPayload<'error'>, now?: number): void;
  dismissNotice(ts: number): void;
  /** A new status: notices whose cause is gone are dropped. */
  pruneNotices(prev: BotStatus | null, status: BotStatus, now?: number): void;
  /** Another run is shown: its rows replace the current ones. */
  replaceRows(rows: { orders: Order[]; fills: Fill[]; equity: EquityPoint[] }): void;
}

/** Newest-first list keyed by id: a known id is updated in place (orders change status). */
function upsertNewestFirst<T extends { id: string; ts: number }>(rows: T[], row: T): T[] {
  const i = rows.findIndex((r) => r.id === row.id);
  const next = i >= 0 ? rows.map((r, k) => (k === i ? row : r)) : [row, ...rows];
  if (i < 0 && rows[0] && row.ts < rows[0].ts) next.sort((a, b) => b.ts - a.ts);
  return next.slice(0, MAX_ROWS);
}

function mergeNewestFirst<T extends { id: string; ts: number }>(known: T[], snapshot: T[]): T[] {
  const byId = new Map(snapshot.map((r) => [r.id, r]));
  for (const r of known) byId.set(r.id, r); // pushed rows are at least as fresh as the snapshot
  return [...byId.values()].sort((a, b) => b.ts - a.ts).slice(0, MAX_ROWS);
}

function appendByTs<T extends { ts: number }>(rows: T[], row: T, max: number): T[] {
  const last = rows[rows.length - 1];
  const next =
    !last || row.ts >= last.ts ? [...rows, row] : [...rows, row].sort((a, b) => a.ts - b.ts);
  return next.length > max ? next.slice(next.length - max) : next;
}

export function createJournalStore() {
  return createStore<JournalState & JournalActions>()((set) => ({
    orders: [],
    fills: [],
    equity: [],
    logs: [],
    lastTick: null,
    notices: [],
    applySnapshot: (snap) =>
      set((s) => ({
        orders: mergeNewestFirst(s.orders, snap.orders),
        fills: mergeNewestFirst(s.fills, snap.fills),
        equity: [
          ...snap.equity.filter((p) => p.ts < (s.equity[0]?.ts ?? Infinity)),
          ...s.equity,
        ].slice(-MAX_EQUITY),
        logs: [...snap.logs.filter((l) => l.ts < (s.logs[0]?.ts ?? Infinity)), ...s.logs].slice(
          -MAX_LOGS,
        ),
      })),
    applyOrder: (order) => set((s) => ({ orders: upsertNewestFirst(s.orders, order) })),
    applyFill: (fill) => set((s) => ({ fills: upsertNewestFirst(s.fills, fill) })),
    applyEquity: (point) => set((s) => ({ equity: appendByTs(s.equity, point, MAX_EQUITY) })),
    applyLog: (line) => set((s) => ({ logs: appendByTs(s.logs, line, MAX_LOGS) })),
    applyTick: (tick) => set({ lastTick: tick }),
    applyError: (error, now = Date.now()) =>
      set((s) => ({ notices: addNotice(s.notices, error, now) })),
    dismissNotice: (ts) => set((s) => ({ notices: s.notices.filter((n) => n.ts !== ts) })),
    pruneNotices: (prev, status, now = Date.now()) =>
      set((s) => {
        const notices = pruneNotices(s.notices, prev, status, now);
        return notices === s.notices ? s : { notices };
      }),
    replaceRows: ({ orders, fills, equity }) =>
      set({
        orders: orders.slice(0, MAX_ROWS),
        fills: fills.slice(0, MAX_ROWS),
        equity: equity.slice(-MAX_EQUITY),
      }),
  }));
}

export type JournalStore = ReturnType<typeof createJournalStore>;
