/**
 * `--fee` and `--slippage`, shared by `botdesk run` and `botdesk backtest` so both read
 * fees the same way. A fee is a fraction of the notional (0.001) or a percentage
 * (`0.1%`); slippage is in basis points (5) or a percentage (`0.05%`). 0 is accepted.
 */
import { FeeConfig } from '../core/api/schemas.ts';
import { UsageError } from './command.ts';

function parseNumber(
  flag: string,
  text: string,
  example: string,
): { value: number; percent: boolean } {
  const t = text.trim();
  const percent = t.endsWith('%');
  const body = percent ? t.slice(0, -1).trim() : t;
  const value = body === '' ? Number.NaN : Number(body);
  if (!Number.isFinite(value) || value < 0)
    throw new UsageError(`${flag} takes a number ≥ 0, e.g. ${example} (got '${text}')`);
  return { value, percent };
}

/** `0.001` or `0.1%` → 0.001 (the fee rate). */
export function parseFeeOption(text: string): number {
  const { value, percent } = parseNumber('--fee', text, '0.001 or 0.1%');
  const rate = percent ? value / 100 : value;
  const max = FeeConfig.shape.feeRate.unwrap().maxValue ?? 0.1;
  if (rate > max)
    throw new UsageError(
      `--fee must be at most ${max} (${max * 100}%) of the notional (got '${text}')`,
    );
  return rate;
}

/** `5` (basis points) or `0.05%` → 5. */
export function parseSlippageOption(text: string): number {
  const { value, percent } = parseNumber('--slippage', text, '5 (bps) or 0.05%');
  const bps = percent ? value * 100 : value;
  const max = FeeConfig.shape.slippageBps.unwrap().maxValue ?? 1000;
  if (bps > max) throw new UsageError(`--slippage must be at most ${max} bps (got '${text}')`);
  return bps;
}
