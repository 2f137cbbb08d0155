/**
 * The running bot's last candles per symbol with the indicator values it sent with them,
 * so a page opened (or reloaded) mid-run draws the indicator lines across the whole chart,
 * not only from the moment it connected. A new run starts an empty buffer.
 */
import type { EventPayload } from '../api/contract.ts';
import type { EventBus } from '../bot/event-bus.ts';

export type RecentCandle = Pick<EventPayload<'market:candle'>, 'candle' | 'indicators'>;

export class RecentCandles {
  readonly #capacity: number;
  readonly #bySymbol = new Map<string, RecentCandle[]>();

  constructor(capacity = 300) {
    this.#capacity = capacity;
  }

  add(e: EventPayload<'market:candle'>): void {
    let list = this.#bySymbol.get(e.symbol);
    if (!list) this.#bySymbol.set(e.symbol, (list = []));
    const last = list.at(-1);
    const item = { candle: e.candle, ...(e.indicators ? { indicators: e.indicators } : {}) };
    if (last && last.candle.ts === e.candle.ts) list[list.length - 1] = item;
    else if (!last || e.candle.ts > last.candle.ts) list.push(item);
    if (list.length > this.#capacity) list.splice(0, list.length - this.#capacity);
  }

  clear(): void {
    this.#bySymbol.clear();
  }

  /** The last `limit` candles of `symbol`, oldest first. */
  recent(symbol: string, limit: number): RecentCandle[] {
    return (this.#bySymbol.get(symbol) ?? []).slice(-limit);
  }

  /** Follow the bus: candles are kept, a starting run clears what the last one left. */
  follow(bus: EventBus): () => void {
    const offs = [
      bus.on('market:candle', (e) => this.add(e)),
      bus.on('bot:status', (s) => {
        if (s.state === 'starting') this.clear();
      }),
    ];
    return () => offs.forEach((off) => off());
  }
}
