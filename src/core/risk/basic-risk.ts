/**
 * First risk rules: stake sizing from `stakeFraction`, `maxOpenPositions`, a daily
 * loss limit that blocks entries for the rest of the UTC day, and the entries-paused
 * gate. Exits are never blocked: getting out must always work.
 */
import type { RiskConfig, Signal } from '../api/schemas.ts';
import type { RiskContext, RiskDecision, RiskManager, SizedIntent } from './types.ts';

const DAY_MS = 86_400_000;

export interface BasicRiskOptions {
  /** Fee rate reserved on top of the stake so a buy never overdraws the wallet. */
  feeReserve?: number;
  /** Smallest notional worth an order, in the quote currency. */
  minNotional?: number;
  /**
   * The equity recorded at or after `dayStart` (the journal's), so a restart during the day
   * does not reset the daily loss limit; without it the first equity seen that day is used.
   */
  dayStartEquity?: (dayStart: number) => number | undefined;
}

export class BasicRiskManager implements RiskManager {
  #config: RiskConfig;
  readonly #feeReserve: number;
  readonly #minNotional: number;
  readonly #recordedDayStart: BasicRiskOptions['dayStartEquity'];
  #day = -1;
  #dayStartEquity = 0;

  constructor(config: RiskConfig, opts: BasicRiskOptions = {}) {
    this.#config = config;
    this.#feeReserve = opts.feeReserve ?? 0.002;
    this.#minNotional = opts.minNotional ?? 1;
    this.#recordedDayStart = opts.dayStartEquity;
  }

  configure(config: RiskConfig): void {
    this.#config = config;
  }

  review(ctx: RiskContext): SizedIntent[] {
    this.#trackDay(ctx);
    return [];
  }

  #trackDay(ctx: RiskContext): void {
    const day = Math.floor(ctx.now / DAY_MS);
    if (day !== this.#day) {
      this.#day = day;
      this.#dayStartEquity = this.#recordedDayStart?.(day * DAY_MS) ?? ctx.equity;
    }
  }

  decide(signal: Signal, ctx: RiskContext): RiskDecision {
    this.#trackDay(ctx);
    const { symbol } = signal;
    const reject = (reason: string): RiskDecision => ({ ok: false, symbol, reason });
    const held = ctx.positions.get(symbol);
    if (signal.action === 'exit') {
      if (!held) return reject('exit signal without an open position');
      return {
        ok: true,
        intent: { symbol, side: 'sell', amount: held.amount, reason: 'strategy exit' },
      };
    }
    if (signal.action !== 'enter_long') return reject(`no order for a '${signal.action}' signal`);
    if (ctx.entriesPaused) return reject('entries are paused');
    if (held) return reject('already in a position');
    if (ctx.positions.size >= this.#config.maxOpenPositions) {
      return reject(`max open positions (${this.#config.maxOpenPositions}) reached`);
    }
    const loss =
      this.#dayStartEquity > 0 ? (this.#dayStartEquity - ctx.equity) / this.#dayStartEquity : 0;
    if (loss >= this.#config.maxDailyLoss) {
      return reject(
        `daily loss ${(loss * 100).toFixed(2)}% reached the limit of ${(this.#config.maxDailyLoss * 100).toFixed(2)}%`,
      );
    }
    const price = ctx.priceOf(symbol);
    if (price === undefined || !(price > 0)) return reject('no price yet');
    const stake = Math.min(
      ctx.equity * this.#config.stakeFraction,
      ctx.cash / (1 + this.#feeReserve),
    );
    if (stake < this.#minNotional)
      return reject(`stake ${stake.toFixed(2)} is below the minimum order of ${this.#minNotional}`);
    return {
      ok: true,
      intent: {
        symbol,
        side: 'buy',
        amount: stake / price,
        reason: `strategy entry (strength ${signal.strength.toFixed(2)})`,
      },
    };
  }
}
