/**
 * `--stop-loss`, `--take-profit` and `--trailing-stop` as fractions (0.02 = 2 %), shared by
 * `botdesk run` and `botdesk backtest` so both read them the same way. They override the
 * saved risk config field by field; a bad value is a usage error and changes nothing.
 */
import type { RiskConfig } from '../core/api/schemas.ts';
import { stringOption, UsageError, type OptionSpec, type OptionValues } from './command.ts';

export const RISK_FLAG_OPTIONS: Record<string, OptionSpec> = {
  'stop-loss': {
    type: 'string',
    valueName: 'FRACTION',
    description: 'close a position this fraction below its entry, e.g. 0.02 = 2 %',
  },
  'take-profit': {
    type: 'string',
    valueName: 'FRACTION',
    description: 'close a position this fraction above its entry, e.g. 0.05 = 5 %',
  },
  'trailing-stop': {
    type: 'string',
    valueName: 'FRACTION',
    description: 'close a position this fraction below its highest price since entry',
  },
};

const FLAGS = [
  ['stop-loss', 'stopLoss', 1],
  ['take-profit', 'takeProfit', 100],
  ['trailing-stop', 'trailingStop', 1],
] as const;

export type RiskFlags = Partial<Pick<RiskConfig, 'stopLoss' | 'takeProfit' | 'trailingStop'>>;

export function parseRiskFlags(values: OptionValues): RiskFlags {
  const out: RiskFlags = {};
  for (const [flag, field, max] of FLAGS) {
    const raw = stringOption(values, flag);
    if (raw === undefined) continue;
    const text = raw.trim();
    const n = Number(text.endsWith('%') ? text.slice(0, -1) : text);
    const hint = text.endsWith('%') || n >= 1 ? ` (a fraction: 0.02 means 2 %)` : '';
    if (text === '' || text.endsWith('%') || !Number.isFinite(n) || !(n > 0) || !(n < max)) {
      throw new UsageError(
        `--${flag} must be a fraction greater than 0 and below ${max}${hint}; got '${raw}'`,
      );
    }
    out[field] = n;
  }
  return out;
}
