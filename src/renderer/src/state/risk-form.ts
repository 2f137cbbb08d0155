/**
 * The settings form's risk and account part: stake, max open positions and the daily
 * loss limit as percentages people type, the paper wallet's starting balance; read
 * back into the config with readable errors (keys: the settings path).
 */
import type { BotConfig, FeeConfig, RiskConfig } from '../../../core/api/schemas.ts';

export interface RiskForm {
  stakePct: string;
  maxOpenPositions: string;
  maxDailyLossPct: string;
  startingBalance: string;
  feePct: string;
  slippageBps: string;
}

const pct = (fraction: number) => String(Number((fraction * 100).toPrecision(10)));

export function riskFormOf(bot: BotConfig): RiskForm {
  return {
    stakePct: pct(bot.risk.stakeFraction),
    maxOpenPositions: String(bot.risk.maxOpenPositions),
    maxDailyLossPct: pct(bot.risk.maxDailyLoss),
    startingBalance: String(bot.startingBalance),
    feePct: pct(bot.fees.feeRate),
    slippageBps: String(bot.fees.slippageBps),
  };
}

function number(text: string): number | null {
  const t = text.trim().replace(',', '.');
  if (t === '') return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

export function readRiskForm(form: RiskForm): {
  risk: RiskConfig;
  startingBalance: number;
  fees: FeeConfig;
  errors: Record<string, string>;
} {
  const errors: Record<string, string> = {};
  const stake = number(form.stakePct);
  if (stake === null) errors['bot.risk.stakeFraction'] = 'enter a percentage, e.g. 10';
  else if (stake <= 0 || stake > 100)
    errors['bot.risk.stakeFraction'] = 'must be above 0 and at most 100%';
  const max = number(form.maxOpenPositions);
  if (max === null) errors['bot.risk.maxOpenPositions'] = 'enter a whole number, e.g. 5';
  else if (!Number.isInteger(max) || max < 1 || max > 1000)
    errors['bot.risk.maxOpenPositions'] = 'must be a whole number from 1 to 1000';
  const loss = number(form.maxDailyLossPct);
  if (loss === null) errors['bot.risk.maxDailyLoss'] = 'enter a percentage, e.g. 5';
  else if (loss <= 0 || loss > 100)
    errors['bot.risk.maxDailyLoss'] = 'must be above 0 and at most 100%';
  const balance = number(form.startingBalance);
  if (balance === null) errors['bot.startingBalance'] = 'enter an amount, e.g. 10000';
  else if (balance <= 0) errors['bot.startingBalance'] = 'must be more than 0';
  const fee = number(form.feePct);
  if (fee === null) errors['bot.fees.feeRate'] = 'enter a percentage, e.g. 0.1';
  else if (fee < 0 || fee > 10) errors['bot.fees.feeRate'] = 'must be from 0 to 10%';
  const slip = number(form.slippageBps);
  if (slip === null) errors['bot.fees.slippageBps'] = 'enter basis points, e.g. 5';
  else if (slip < 0 || slip > 1000) errors['bot.fees.slippageBps'] = 'must be from 0 to 1000';
  return {
    risk: {
      stakeFraction: (stake ?? 0) / 100,
      maxOpenPositions: max ?? 0,
      maxDailyLoss: (loss ?? 0) / 100,
    },
    startingBalance: balance ?? 0,
    fees: { feeRate: (fee ?? 0) / 100, slippageBps: slip ?? 0 },
    errors,
  };
}
