/**
 * The settings form's risk and account part: stake, max open positions and the daily
 * loss limit as percentages people type, the paper wallet's starting balance; read
 * back into the config with readable errors (keys: the settings path).
 */
import type { BotConfig, FeeConfig, RiskConfig } from '../../../core/api/schemas.ts';
import { say } from '../i18n/say.ts';

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
  if (stake === null)
    errors['bot.risk.stakeFraction'] = say('form.percentExample', { example: 10 });
  else if (stake <= 0 || stake > 100)
    errors['bot.risk.stakeFraction'] = say('form.mustBe', {
      range: say('form.range.above0UpTo100'),
    });
  const max = number(form.maxOpenPositions);
  if (max === null) errors['bot.risk.maxOpenPositions'] = say('form.wholeExample', { example: 5 });
  else if (!Number.isInteger(max) || max < 1 || max > 1000)
    errors['bot.risk.maxOpenPositions'] = say('form.wholeFromTo', { min: 1, max: 1000 });
  const loss = number(form.maxDailyLossPct);
  if (loss === null) errors['bot.risk.maxDailyLoss'] = say('form.percentExample', { example: 5 });
  else if (loss <= 0 || loss > 100)
    errors['bot.risk.maxDailyLoss'] = say('form.mustBe', {
      range: say('form.range.above0UpTo100'),
    });
  const balance = number(form.startingBalance);
  if (balance === null)
    errors['bot.startingBalance'] = say('form.amountExample', { example: 10000 });
  else if (balance <= 0) errors['bot.startingBalance'] = say('form.moreThan0');
  const fee = number(form.feePct);
  if (fee === null) errors['bot.fees.feeRate'] = say('form.percentExample', { example: 0.1 });
  else if (fee < 0 || fee > 10)
    errors['bot.fees.feeRate'] = say('form.fromTo', { min: 0, max: '10%' });
  const slip = number(form.slippageBps);
  if (slip === null) errors['bot.fees.slippageBps'] = say('form.bpsExample', { example: 5 });
  else if (slip < 0 || slip > 1000)
    errors['bot.fees.slippageBps'] = say('form.fromTo', { min: 0, max: 1000 });
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
