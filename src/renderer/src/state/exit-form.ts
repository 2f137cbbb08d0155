/**
 * The settings form's protective rules: stop-loss, take-profit, trailing stop, the ROI
 * table, max hold, sizing, exposure caps, cooldown and the kill switch's drawdown. Typed
 * as percentages and minutes; an empty field means the rule is off. Read back into the
 * RiskConfig fields with readable errors (keys: the settings path).
 */
import type { RiskConfig, RoiStep, SizingMethod } from '../../../core/api/schemas.ts';
import { say } from '../i18n/say.ts';

export interface ExitForm {
  stopLossPct: string;
  takeProfitPct: string;
  trailingStopPct: string;
  trailingActivationPct: string;
  /** "minutes:percent" steps, comma separated: "0:5, 30:2, 120:0". */
  roi: string;
  maxHoldMinutes: string;
  cooldownMinutes: string;
  sizing: SizingMethod;
  stakeAmount: string;
  riskPerTradePct: string;
  maxExposurePerSymbolPct: string;
  maxTotalExposurePct: string;
  maxDrawdownPct: string;
}

/** The RiskConfig fields this form owns (the rest: risk-form.ts, and per-pair overrides kept as saved). */
export type ExitRules = Pick<
  RiskConfig,
  | 'stopLoss'
  | 'takeProfit'
  | 'trailingStop'
  | 'trailingActivation'
  | 'roi'
  | 'maxHoldMinutes'
  | 'cooldownMinutes'
  | 'sizing'
  | 'stakeAmount'
  | 'riskPerTrade'
  | 'maxExposurePerSymbol'
  | 'maxTotalExposure'
  | 'maxDrawdown'
>;

const pct = (f: number | undefined) =>
  f === undefined ? '' : String(Number((f * 100).toPrecision(10)));
const plain = (v: number | undefined) => (v === undefined ? '' : String(v));

export function roiText(roi: readonly RoiStep[] | undefined): string {
  return (roi ?? []).map((s) => `${s.afterMinutes}:${pct(s.minReturn)}`).join(', ');
}

export function exitFormOf(risk: RiskConfig): ExitForm {
  return {
    stopLossPct: pct(risk.stopLoss),
    takeProfitPct: pct(risk.takeProfit),
    trailingStopPct: pct(risk.trailingStop),
    trailingActivationPct: pct(risk.trailingActivation),
    roi: roiText(risk.roi),
    maxHoldMinutes: plain(risk.maxHoldMinutes),
    cooldownMinutes: plain(risk.cooldownMinutes),
    sizing: risk.sizing ?? 'equity_fraction',
    stakeAmount: plain(risk.stakeAmount),
    riskPerTradePct: pct(risk.riskPerTrade),
    maxExposurePerSymbolPct: pct(risk.maxExposurePerSymbol),
    maxTotalExposurePct: pct(risk.maxTotalExposure),
    maxDrawdownPct: pct(risk.maxDrawdown),
  };
}

/** '' → undefined (off); text that is not a number → NaN (an error). */
export function optional(text: string): number | undefined {
  const t = text.trim().replace(',', '.');
  if (t === '') return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : Number.NaN;
}

export interface Rule {
  key: keyof ExitForm;
  path: keyof ExitRules;
  /** Percent fields become fractions. */
  percent: boolean;
  ok: (v: number) => boolean;
  /** The allowed range in words: a key under `form.range`. */
  range: string;
}

export const RULES: readonly Rule[] = [
  {
    key: 'stopLossPct',
    path: 'stopLoss',
    percent: true,
    ok: (v) => v > 0 && v < 100,
    range: 'above0Below100',
  },
  {
    key: 'takeProfitPct',
    path: 'takeProfit',
    percent: true,
    ok: (v) => v > 0 && v <= 10_000,
    range: 'above0UpTo10000',
  },
  {
    key: 'trailingStopPct',
    path: 'trailingStop',
    percent: true,
    ok: (v) => v > 0 && v < 100,
    range: 'above0Below100',
  },
  {
    key: 'trailingActivationPct',
    path: 'trailingActivation',
    percent: true,
    ok: (v) => v >= 0 && v <= 10_000,
    range: 'from0To10000',
  },
  {
    key: 'maxHoldMinutes',
    path: 'maxHoldMinutes',
    percent: false,
    ok: (v) => v > 0,
    range: 'minutesAbove0',
  },
  {
    key: 'cooldownMinutes',
    path: 'cooldownMinutes',
    percent: false,
    ok: (v) => v >= 0,
    range: 'minutes0OrMore',
  },
  {
    key: 'stakeAmount',
    path: 'stakeAmount',
    percent: false,
    ok: (v) => v > 0,
    range: 'above0',
  },
  {
    key: 'riskPerTradePct',
    path: 'riskPerTrade',
    percent: true,
    ok: (v) => v > 0 && v <= 100,
    range: 'above0UpTo100',
  },
  {
    key: 'maxExposurePerSymbolPct',
    path: 'maxExposurePerSymbol',
    percent: true,
    ok: (v) => v > 0 && v <= 100,
    range: 'above0UpTo100',
  },
  {
    key: 'maxTotalExposurePct',
    path: 'maxTotalExposure',
    percent: true,
    ok: (v) => v > 0 && v <= 100,
    range: 'above0UpTo100',
  },
  {
    key: 'maxDrawdownPct',
    path: 'maxDrawdown',
    percent: true,
    ok: (v) => v > 0 && v < 100,
    range: 'above0Below100',
  },
];

const MAX_ROI_STEPS = 50;

/** "0:5, 30:2" → steps sorted by time; or the reason it cannot be read. */
export function parseRoi(text: string): { steps: RoiStep[] | undefined; error?: string } {
  const parts = text
    .split(/[,;\n]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) return { steps: undefined };
  if (parts.length > MAX_ROI_STEPS)
    return { steps: undefined, error: say('form.roiMax', { max: MAX_ROI_STEPS }) };
  const steps: RoiStep[] = [];
  const seen = new Set<number>();
  for (const part of parts) {
    const m = /^(\d+(?:\.\d+)?)\s*:\s*(-?\d+(?:\.\d+)?)\s*%?$/.exec(part);
    if (!m) return { steps: undefined, error: say('form.roiStep', { part }) };
    const afterMinutes = Number(m[1]);
    const minPct = Number(m[2]);
    if (minPct < -100) return { steps: undefined, error: say('form.roiReturn', { part }) };
    if (seen.has(afterMinutes))
      return { steps: undefined, error: say('form.roiTwice', { minutes: afterMinutes }) };
    seen.add(afterMinutes);
    steps.push({ afterMinutes, minReturn: Number((minPct / 100).toPrecision(12)) });
  }
  return { steps: steps.sort((a, b) => a.afterMinutes - b.afterMinutes) };
}

/**
 * The typed fields of `rules` (empty: off) as RiskConfig values; errors go to `errors` under
 * `${prefix}.${path}`. Shared by the bot's rules and the per-pair overrides.
 */
export function readRuleFields(
  form: Readonly<Record<string, string>>,
  rules: readonly Rule[],
  prefix: string,
  errors: Record<string, string>,
): Record<string, number> {
  const values: Record<string, number> = {};
  for (const r of rules) {
    const v = optional(form[r.key] ?? '');
    if (v === undefined) continue;
    const path = `${prefix}.${r.path}`;
    if (Number.isNaN(v)) errors[path] = say('form.numberOrOff');
    else if (!r.ok(v)) errors[path] = say('form.mustBe', { range: say(`form.range.${r.range}`) });
    else values[r.path] = r.percent ? Number((v / 100).toPrecision(12)) : v;
  }
  return values;
}

export function readExitForm(form: ExitForm): { rules: ExitRules; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const rules: ExitRules = {};
  Object.assign(rules, readRuleFields({ ...form }, RULES, 'bot.risk', errors));
  const roi = parseRoi(form.roi);
  if (roi.error) errors['bot.risk.roi'] = roi.error;
  else if (roi.steps) rules.roi = roi.steps;

  rules.sizing = form.sizing;
  if (
    form.sizing === 'fixed_quote' &&
    rules.stakeAmount === undefined &&
    !errors['bot.risk.stakeAmount']
  )
    errors['bot.risk.stakeAmount'] = say('form.fixedNeedsAmount');
  if (form.sizing === 'risk_per_trade') {
    if (rules.riskPerTrade === undefined && !errors['bot.risk.riskPerTrade'])
      errors['bot.risk.riskPerTrade'] = say('form.riskNeedsShare');
    if (rules.stopLoss === undefined && !errors['bot.risk.stopLoss'])
      errors['bot.risk.stopLoss'] = say('form.riskNeedsStop');
  }
  if (rules.trailingActivation !== undefined && rules.trailingStop === undefined)
    errors['bot.risk.trailingActivation'] = say('form.trailingFirst');
  return { rules, errors };
}
