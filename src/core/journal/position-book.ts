/**
 * Positions derived from fills (average-cost method, realized PnL net of fees). The
 * journal replays its fills through one of these; the running bot keeps one up to
 * date fill by fill, so both compute positions the same way.
 */
import type { Fill, Position } from '../api/schemas.ts';

/** Amounts below this are float dust, not a position. */
const DUST = 1e-12;

interface Book {
  amount: number;
  avgPrice: number;
  realizedPnl: number;
}

export class PositionBook {
  readonly #book = new Map<string, Book>();

  apply(f: Fill): void {
    const p = this.#book.get(f.symbol) ?? { amount: 0, avgPrice: 0, realizedPnl: 0 };
    if (f.side === 'buy') {
      const amount = p.amount + f.amount;
      p.avgPrice = amount > DUST ? (p.avgPrice * p.amount + f.price * f.amount) / amount : 0;
      p.amount = amount;
    } else {
      p.realizedPnl += (f.price - p.avgPrice) * f.amount;
      p.amount -= f.amount;
      if (p.amount <= DUST) {
        p.amount = 0;
        p.avgPrice = 0;
      }
    }
    p.realizedPnl -= f.fee;
    this.#book.set(f.symbol, p);
  }

  /** Open positions; `priceOf` gives the latest price for unrealized PnL (null when unknown). */
  open(priceOf: (symbol: string) => number | undefined = () => undefined): Map<string, Position> {
    const out = new Map<string, Position>();
    for (const [symbol, p] of this.#book) {
      if (p.amount <= DUST) continue;
      const last = priceOf(symbol);
      out.set(symbol, {
        symbol,
        amount: p.amount,
        avgPrice: p.avgPrice,
        lastPrice: last ?? null,
        unrealizedPnl: last === undefined ? null : (last - p.avgPrice) * p.amount,
        realizedPnl: p.realizedPnl,
      });
    }
    return out;
  }
}
