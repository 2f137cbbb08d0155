/**
 * How much quote currency an entry commits: a fixed quote amount, a fraction of equity, or
 * the amount that loses `riskPerTrade` of equity if the entry's stop is hit. Spot only, so
 * the stake never exceeds the cash left after reserving the fee.
 */
import type { RiskConfig } from '../../api/schemas.ts';

export interface SizingInput {
  equity: number;
  cash: number;
  /** The price the entry is expected to fill at. */
  price: number;
  /** The entry's effective stop price (`entryStopPrice`), needed by `risk_per_trade`. */
  stopPrice: number | undefined;
  /** Fee rate reserved on top of the stake so a buy never overdraws the wallet. */
  feeRate: number;
}

export type SizingResult =
  { ok: true; quote: number; cappedByCash: boolean } | { ok: false; reason: string };

type SizingConfig = Pick<RiskConfig, 'sizing' | 'stakeFraction' | 'stakeAmount' | 'riskPerTrade'>;

/** The quote amount the sizing method asks for, before the cash cap. */
function wanted(cfg: SizingConfig, input: SizingInput): number | string {
  switch (cfg.sizing ?? 'equity_fraction') {
    case 'equity_fraction':
      return input.equity * cfg.stakeFraction;
    case 'fixed_quote':
      return cfg.stakeAmount ?? 'fixed_quote sizing needs stakeAmount';
    case 'risk_per_trade': {
      if (cfg.riskPerTrade === undefined) return 'risk_per_trade sizing needs riskPerTrade';
      const stop = input.stopPrice;
      if (stop === undefined)
        return 'risk_per_trade sizing needs a stop (stopLoss or the signal’s stop)';
      const distance = (input.price - stop) / input.price;
      if (!(distance > 0)) return `the stop ${stop} is not below the entry price ${input.price}`;
      return (input.equity * cfg.riskPerTrade) / distance;
    }
  }
}

export function entryStake(cfg: SizingConfig, input: SizingInput): SizingResult {
  if (!(input.price > 0)) return { ok: false, reason: 'no price yet' };
  const want = wanted(cfg, input);
  if (typeof want === 'string') return { ok: false, reason: want };
  const affordable = input.cash / (1 + input.feeRate);
  if (!(affordable > 0)) return { ok: false, reason: 'no cash left' };
  return want > affordable
    ? { ok: true, quote: affordable, cappedByCash: true }
    : { ok: true, quote: want, cappedByCash: false };
}
