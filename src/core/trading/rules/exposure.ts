/**
 * Exposure limits: the value held on one symbol and on all symbols together, each as a
 * fraction of equity. An entry is trimmed to the room left; with no room it is refused and
 * the reason names the limit.
 */
import type { RiskConfig } from '../../api/schemas.ts';

export interface ExposureInput {
  equity: number;
  /** Value of the position already held on the entry's symbol (0 when none). */
  symbolValue: number;
  /** Value of every open position together. */
  totalValue: number;
}

export type ExposureResult =
  | { ok: true; quote: number; trimmedBy: 'max_exposure_symbol' | 'max_exposure_total' | null }
  | { ok: false; rule: 'max_exposure_symbol' | 'max_exposure_total'; reason: string };

type ExposureLimits = Pick<RiskConfig, 'maxExposurePerSymbol' | 'maxTotalExposure'>;

function pct(f: number): string {
  return `${(f * 100).toFixed(2)}%`;
}

/** Trim a stake of `quote` to the exposure room left; `limits` are the pair's resolved limits. */
export function capByExposure(
  quote: number,
  limits: ExposureLimits,
  input: ExposureInput,
): ExposureResult {
  let out = quote;
  let trimmedBy: 'max_exposure_symbol' | 'max_exposure_total' | null = null;
  const check = (
    rule: 'max_exposure_symbol' | 'max_exposure_total',
    limit: number | undefined,
    held: number,
  ): ExposureResult | null => {
    if (limit === undefined) return null;
    const room = input.equity * limit - held;
    if (!(room > 0)) {
      const what = rule === 'max_exposure_symbol' ? 'on this symbol' : 'in total';
      return {
        ok: false,
        rule,
        reason: `${rule}: ${pct(input.equity > 0 ? held / input.equity : 1)} of equity is held ${what}, the limit is ${pct(limit)}`,
      };
    }
    if (room < out) {
      out = room;
      trimmedBy = rule;
    }
    return null;
  };
  return (
    check('max_exposure_symbol', limits.maxExposurePerSymbol, input.symbolValue) ??
    check('max_exposure_total', limits.maxTotalExposure, input.totalValue) ?? {
      ok: true,
      quote: out,
      trimmedBy,
    }
  );
}

/** The bot's exposure limits with the pair's override of the per-symbol limit. */
export function exposureLimitsFor(config: RiskConfig, symbol: string): ExposureLimits {
  return {
    maxExposurePerSymbol:
      config.pairs?.[symbol]?.maxExposurePerSymbol ?? config.maxExposurePerSymbol,
    maxTotalExposure: config.maxTotalExposure,
  };
}
