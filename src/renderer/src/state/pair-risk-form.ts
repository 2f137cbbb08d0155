/**
 * The settings form's per-pair overrides (`bot.risk.pairs`): for a pair, exit rules,
 * cooldown and the exposure cap that replace the bot's own for it. Typed like the bot's
 * rules (percentages, minutes; empty: the bot's rule applies) and read back with the same
 * checks; errors are filed under `bot.risk.pairs.<SYMBOL>.<field>`.
 */
import type { PairRiskOverride, Position, RiskConfig } from '../../../core/api/schemas.ts';
import { say } from '../i18n/say.ts';
import { readRuleFields, roiText, parseRoi, RULES, type ExitForm } from './exit-form.ts';

export const PAIR_KEYS = [
  'stopLossPct',
  'takeProfitPct',
  'trailingStopPct',
  'trailingActivationPct',
  'maxHoldMinutes',
  'cooldownMinutes',
  'maxExposurePerSymbolPct',
] as const satisfies readonly (keyof ExitForm)[];
export type PairKey = (typeof PAIR_KEYS)[number];
export type PairForm = Record<PairKey, string>;

export interface PairRow {
  symbol: string;
  form: PairForm;
  /** The override's ROI table, kept as saved (typed on the bot's own rules only). */
  roi: string;
}

const PAIR_RULES = RULES.filter((r) => (PAIR_KEYS as readonly string[]).includes(r.key));

const pct = (f: number | undefined) =>
  f === undefined ? '' : String(Number((f * 100).toPrecision(10)));
const plain = (v: number | undefined) => (v === undefined ? '' : String(v));

export function emptyPairForm(): PairForm {
  return Object.fromEntries(PAIR_KEYS.map((k) => [k, ''])) as PairForm;
}

export function pairRowsOf(risk: RiskConfig): PairRow[] {
  return Object.entries(risk.pairs ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([symbol, o]) => ({
      symbol,
      roi: roiText(o.roi),
      form: {
        stopLossPct: pct(o.stopLoss),
        takeProfitPct: pct(o.takeProfit),
        trailingStopPct: pct(o.trailingStop),
        trailingActivationPct: pct(o.trailingActivation),
        maxHoldMinutes: plain(o.maxHoldMinutes),
        cooldownMinutes: plain(o.cooldownMinutes),
        maxExposurePerSymbolPct: pct(o.maxExposurePerSymbol),
      },
    }));
}

/** Rows → `bot.risk.pairs` (undefined when there are none), or errors per field. */
export function readPairRows(rows: readonly PairRow[]): {
  pairs: Record<string, PairRiskOverride> | undefined;
  errors: Record<string, string>;
} {
  const errors: Record<string, string> = {};
  const pairs: Record<string, PairRiskOverride> = {};
  for (const row of rows) {
    const prefix = `bot.risk.pairs.${row.symbol}`;
    const override: PairRiskOverride = readRuleFields({ ...row.form }, PAIR_RULES, prefix, errors);
    const roi = parseRoi(row.roi);
    if (roi.steps) override.roi = roi.steps;
    if (override.trailingActivation !== undefined && override.trailingStop === undefined)
      errors[`${prefix}.trailingActivation`] = say('form.trailingFirst');
    const typed = PAIR_KEYS.some((k) => row.form[k].trim() !== '');
    if (!typed && override.roi === undefined) errors[prefix] = say('pairs.needsOne');
    pairs[row.symbol] = override;
  }
  return { pairs: rows.length > 0 ? pairs : undefined, errors };
}

/** The stop-loss and take-profit that apply to `symbol`: its override's, else the bot's. */
export function pairExitRules(risk: RiskConfig | undefined, symbol: string) {
  const o = risk?.pairs?.[symbol];
  return {
    stopLoss: o?.stopLoss ?? risk?.stopLoss,
    takeProfit: o?.takeProfit ?? risk?.takeProfit,
    overridden: o?.stopLoss !== undefined || o?.takeProfit !== undefined,
  };
}

/**
 * A position's stop and target levels: the core's when it reports them, else from the
 * rules that apply to its pair (fixed stop-loss and take-profit from the entry price).
 */
export function positionLevels(
  p: Position,
  risk: RiskConfig | undefined,
): { stop: number | null; target: number | null; overridden: boolean } {
  const rules = pairExitRules(risk, p.symbol);
  const stop =
    p.stopPrice ?? (rules.stopLoss === undefined ? null : p.avgPrice * (1 - rules.stopLoss));
  const target =
    p.targetPrice ?? (rules.takeProfit === undefined ? null : p.avgPrice * (1 + rules.takeProfit));
  return { stop, target, overridden: rules.overridden };
}
