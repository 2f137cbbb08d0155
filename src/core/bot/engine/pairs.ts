/**
 * Run statistics and per-pair health: a pair whose strategy keeps failing is paused after
 * `maxFailures` in a row; a pair the compute pool is rebuilding is degraded without
 * counting towards that (not the pair's fault).
 */
import { BotDeskError, type ErrorCode } from '../../api/errors.ts';
import type { PairHealth } from '../../api/schemas.ts';
import type { EventBus } from '../event-bus.ts';

/** Errors after which trading cannot safely continue: the bot stops with the message. */
const FATAL_CODES: ReadonlySet<ErrorCode> = new Set(['EXCHANGE_AUTH', 'JOURNAL_ERROR', 'INTERNAL']);

export function isFatal(err: unknown): boolean {
  return err instanceof BotDeskError && FATAL_CODES.has(err.code);
}

export function pairKey(symbol: string, timeframe: string): string {
  return `${symbol}@${timeframe}`;
}

export interface EngineStats {
  ticks: number;
  /** Candle times whose signals were not traded because a real-time feed delivered them late. */
  missedTicks: number;
  signals: number;
  orders: number;
  fills: number;
  equity: number | null;
  lastTickAt: number | null;
}

export const EMPTY_STATS: Readonly<EngineStats> = Object.freeze({
  ticks: 0,
  missedTicks: 0,
  signals: 0,
  orders: 0,
  fills: 0,
  equity: null,
  lastTickAt: null,
});

export interface Pair {
  key: string;
  symbol: string;
  health: PairHealth;
}

type Log = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

export class PairHealthBook {
  readonly #pairs = new Map<string, Pair>();
  readonly #maxFailures: number;
  readonly #bus: EventBus;
  readonly #log: Log;

  constructor(
    symbols: readonly string[],
    timeframe: string,
    maxFailures: number,
    bus: EventBus,
    log: Log,
  ) {
    this.#maxFailures = maxFailures;
    this.#bus = bus;
    this.#log = log;
    for (const symbol of symbols) {
      this.#pairs.set(symbol, {
        key: pairKey(symbol, timeframe),
        symbol,
        health: { symbol, state: 'ok', consecutiveFailures: 0 },
      });
    }
  }

  get(symbol: string): Pair | undefined {
    return this.#pairs.get(symbol);
  }

  all(): IterableIterator<Pair> {
    return this.#pairs.values();
  }

  snapshot(): PairHealth[] {
    return [...this.#pairs.values()].map((p) => ({ ...p.health }));
  }

  paused(symbol: string): boolean {
    return this.#pairs.get(symbol)?.health.state === 'paused';
  }

  allPaused(): boolean {
    for (const p of this.#pairs.values()) if (p.health.state !== 'paused') return false;
    return true;
  }

  ok(pair: Pair): void {
    pair.health = { symbol: pair.symbol, state: 'ok', consecutiveFailures: 0 };
  }

  failed(pair: Pair, code: ErrorCode, message: string): void {
    const h = pair.health;
    h.consecutiveFailures += 1;
    h.lastError = message;
    if (h.consecutiveFailures >= this.#maxFailures) {
      h.state = 'paused';
      const text = `${pair.symbol} paused after ${h.consecutiveFailures} consecutive failures; last: ${message}`;
      this.#log('error', text);
      this.#bus.emit('error', { code, message: text, symbol: pair.symbol });
    } else {
      h.state = 'degraded';
      this.#log('warn', `${pair.symbol}: ${message}`);
      this.#bus.emit('error', { code, message, symbol: pair.symbol });
    }
  }

  /**
   * The pool is rebuilding the pair's state after a neighbour took its worker down: not the
   * pair's fault, so it does not count towards pausing it (a rebuild may span many fast ticks).
   */
  recovering(pair: Pair, message: string): void {
    const h = pair.health;
    if (h.state !== 'degraded') this.#log('warn', `${pair.symbol}: ${message}`);
    h.state = 'degraded';
    h.lastError = message;
  }

  /** Why every pair is paused, for the error that stops the bot. */
  pausedSummary(): string {
    return [...this.#pairs.values()]
      .map((p) => `${p.symbol}: ${p.health.lastError ?? '?'}`)
      .join('; ');
  }
}
