/**
 * The settings form's protective rules: stop-loss, take-profit, trailing stop, the ROI
 * table, max hold, sizing, exposure caps, cooldown and the kill switch's drawdown. Typed
 * as percentages and minutes; an empty field means the rule is off. Read back into the
 * RiskConfig fields with readable errors (keys: the settings path).
 */
import type { RiskConfig, RoiStep, SizingMethod } from '../../../core/api/schemas.ts';

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
function optional(text: string): number | undefined {
  const t = text.trim().replace(',', '.');
  if (t === '') return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : Number.NaN;
}

interface Rule {
  key: keyof ExitForm;
  path: keyof ExitRules;
  /** Percent fields become fractions. */
  percent: boolean;
  ok: (v: number) => boolean;
  range: string;
}

const RULES: Rule[] = [
  {
    key: 'stopLossPct',
    path: 'stopLoss',
    percent: true,
    ok: (v) => v > 0 && v < 100,
    range: 'above 0 and below 100%',
  },
  {
    key: 'takeProfitPct',
    path: 'takeProfit',
    percent: true,
    ok: (v) => v > 0 && v <= 10_000,
    range: 'above 0 and at most 10000%',
  },
  {
    key: 'trailingStopPct',
    path: 'trailingStop',
    percent: true,
    ok: (v) => v > 0 && v < 100,
    range: 'above 0 and below 100%',
  },
  {
    key: 'trailingActivationPct',
    path: 'trailingActivation',
    percent: true,
    ok: (v) => v >= 0 && v <= 10_000,
    range: 'from 0 to 10000%',
  },
  {
    key: 'maxHoldMinutes',
    path: 'maxHoldMinutes',
    percent: false,
    ok: (v) => v > 0,
    range: 'more than 0 minutes',
  },
  {
    key: 'cooldownMinutes',
    path: 'cooldownMinutes',
    percent: false,
    ok: (v) => v >= 0,
    range: '0 minutes or more',
  },
  {
    key: 'stakeAmount',
    path: 'stakeAmount',
    percent: false,
    ok: (v) => v > 0,
    range: 'more than 0',
  },
  {
    key: 'riskPerTradePct',
    path: 'riskPerTrade',
    percent: true,
    ok: (v) => v > 0 && v <= 100,
    range: 'above 0 and at most 100%',
  },
  {
    key: 'maxExposurePerSymbolPct',
    path: 'maxExposurePerSymbol',
    percent: true,
    ok: (v) => v > 0 && v <= 100,
    range: 'above 0 and at most 100%',
  },
  {
    key: 'maxTotalExposurePct',
    path: 'maxTotalExposure',
    percent: true,
    ok: (v) => v > 0 && v <= 100,
    range: 'above 0 and at most 100%',
  },
  {
    key: 'maxDrawdownPct',
    path: 'maxDrawdown',
    percent: true,
    ok: (v) => v > 0 && v < 100,
    range: 'above 0 and below 100%',
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
    return { steps: undefined, error: `at most ${MAX_ROI_STEPS} steps` };
  const steps: RoiStep[] = [];
  const seen = new Set<number>();
  for (const part of parts) {
    const m = /^(\d+(?:\.\d+)?)\s*:\s*(-?\d+(?:\.\d+)?)\s*%?$/.exec(part);
    if (!m) return { steps: undefined, error: `"${part}" is not minutes:percent, e.g. 30:2` };
    const afterMinutes = Number(m[1]);
    const minPct = Number(m[2]);
    if (minPct < -100)
      return { steps: undefined, error: `"${part}": the return must be -100% or more` };
    if (seen.has(afterMinutes))
      return { steps: undefined, error: `${afterMinutes} minutes is listed twice` };
    seen.add(afterMinutes);
    steps.push({ afterMinutes, minReturn: Number((minPct / 100).toPrecision(12)) });
  }
  return { steps: steps.sort((a, b) => a.afterMinutes - b.afterMinutes) };
}

export function readExitForm(form: ExitForm): { rules: ExitRules; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const rules: ExitRules = {};
  const values: Record<string, number> = {};
  for (const r of RULES) {
    const v = optional(form[r.key]);
    if (v === undefined) continue;
    const path = `bot.risk.${r.path}`;
    if (Number.isNaN(v)) errors[path] = 'enter a number, or leave it empty for off';
    else if (!r.ok(v)) errors[path] = `must be ${r.range}`;
    else values[r.path] = r.percent ? Number((v / 100).toPrecision(12)) : v;
  }
  Object.assign(rules, values);
  const roi = parseRoi(form.roi);
  if (roi.error) errors['bot.risk.roi'] = roi.error;
  else if (roi.steps) rules.roi = roi.steps;

  rules.sizing = form.sizing;
  if (
    form.sizing === 'fixed_quote' &&
    rules.stakeAmount === undefined &&
    !errors['bot.risk.stakeAmount']
  )
    errors['bot.risk.stakeAmount'] = 'fixed amount sizing needs an amount per entry';
  if (form.sizing === 'risk_per_trade') {
    if (rules.riskPerTrade === undefined && !errors['bot.risk.riskPerTrade'])
      errors['bot.risk.riskPerTrade'] = 'risk per trade sizing needs the share of equity to risk';
    if (rules.stopLoss === undefined && !errors['bot.risk.stopLoss'])
      errors['bot.risk.stopLoss'] = 'risk per trade sizing needs a stop-loss';
  }
  if (rules.trailingActivation !== undefined && rules.trailingStop === undefined)
    errors['bot.risk.trailingActivation'] = 'set a trailing stop first, or clear this field';
  return { rules, errors };
}
