/**
 * The exchange balance a live bot trades with, and the bot's budget in it: the quote the
 * exchange says is free, minus what the bot's own orders will spend that the last
 * fetchBalance may not show yet (an order sent, or answered, after that fetch began).
 * Entries are sized within this budget, so the bot never sizes an order with money the
 * account does not have, whatever `startingBalance` says.
 *
 * It also tells when the exchange's quote balance differs from what the bot expects: at
 * start against the bot's account, later against the bot's own fills since the last quiet
 * moment (no order open or in flight), so money moved by hand or by another program shows.
 */
import type { Fill } from '../api/schemas.ts';

export interface BalanceSnapshot {
  total: Record<string, number>;
  free: Record<string, number>;
}

/** Quote amounts closer than this (and 10 ppm of the balance) are the same. */
const TOLERANCE = 0.01;

interface Reservation {
  quote: number;
  /** Released by a fetch that started at this count or later; Infinity while in flight. */
  releasedBy: number;
}

function numbers(r: unknown): Record<string, number> {
  return Object.fromEntries(
    Object.entries((r ?? {}) as Record<string, unknown>).map(([k, v]) => [k, Number(v ?? 0)]),
  );
}

/** What a fill does to the quote balance (a fee paid in another currency does not touch it). */
export function quoteFlow(f: Fill, quote: string): number {
  const notional = f.amount * f.price;
  const fee = f.feeCurrency === quote ? f.fee : 0;
  return f.side === 'buy' ? -notional - fee : notional - fee;
}

export class LiveBalance {
  readonly quote: string;
  snapshot: BalanceSnapshot = { total: {}, free: {} };
  /** Whether a fetch has answered yet. */
  known = false;
  readonly #reservations = new Map<string, Reservation>();
  #started = 0;
  #held = -1;
  /** Drift tracking: the quote total at the last quiet check, and own fills since. */
  #baseline: number | null = null;
  #flow = 0;
  #flowCount = 0;

  constructor(quote: string) {
    this.quote = quote;
  }

  /** Runs one fetch; an answer older than the one held is ignored. Returns whether it was applied. */
  async refresh(fetch: () => Promise<object>): Promise<boolean> {
    const index = this.#started++;
    const b = (await fetch()) as { total?: unknown; free?: unknown };
    if (index < this.#held) return false;
    this.#held = index;
    this.snapshot = { total: numbers(b.total), free: numbers(b.free) };
    this.known = true;
    for (const [id, r] of this.#reservations)
      if (r.releasedBy <= index) this.#reservations.delete(id);
    return true;
  }

  /** Fetches started so far (a drift check compares against fills recorded after one began). */
  get started(): number {
    return this.#started;
  }

  /** Before a buy is sent: its cost is held back from the budget until a balance shows it. */
  reserve(clientId: string, quote: number): void {
    if (quote > 0) this.#reservations.set(clientId, { quote, releasedBy: Infinity });
  }

  /** The order has its answer (or failed): the next fetch that starts from now on shows it. */
  settle(clientId: string): void {
    const r = this.#reservations.get(clientId);
    if (r) r.releasedBy = this.#started;
  }

  /** Quote held back for the bot's own orders not yet in the exchange's balance. */
  get reserved(): number {
    let sum = 0;
    for (const r of this.#reservations.values()) sum += r.quote;
    return sum;
  }

  /** The budget for new orders: free quote on the exchange minus the bot's reservations. */
  available(): number | undefined {
    if (!this.known) return undefined;
    return Math.max(0, (this.snapshot.free[this.quote] ?? 0) - this.reserved);
  }

  /** A fill of the bot's own, counted in the quote it should move. */
  noteFill(f: Fill): void {
    this.#flow += quoteFlow(f, this.quote);
    this.#flowCount++;
  }

  get fillCount(): number {
    return this.#flowCount;
  }

  static differs(a: number, b: number): boolean {
    return Math.abs(a - b) > Math.max(TOLERANCE, Math.abs(b) * 1e-5);
  }

  /**
   * At a quiet moment (no order open or in flight, the balance fetched after the last fill):
   * the change of the quote total not explained by the bot's fills since the last check, or
   * null when there is none (the first check only sets the baseline).
   */
  drift(): { expected: number; actual: number } | null {
    const actual = this.snapshot.total[this.quote] ?? 0;
    const expected = this.#baseline === null ? null : this.#baseline + this.#flow;
    this.#baseline = actual;
    this.#flow = 0;
    if (expected === null || !LiveBalance.differs(actual, expected)) return null;
    return { expected, actual };
  }
}
