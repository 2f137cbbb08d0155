import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { say } from '../../i18n/say.ts';
import { emptyPairForm, PAIR_KEYS, type PairRow } from '../../state/pair-risk-form.ts';
import { TextField } from './fields.tsx';

/** The RiskConfig path each typed field's error is filed under. */
const PATH: Record<(typeof PAIR_KEYS)[number], string> = {
  stopLossPct: 'stopLoss',
  takeProfitPct: 'takeProfit',
  trailingStopPct: 'trailingStop',
  trailingActivationPct: 'trailingActivation',
  maxHoldMinutes: 'maxHoldMinutes',
  cooldownMinutes: 'cooldownMinutes',
  maxExposurePerSymbolPct: 'maxExposurePerSymbol',
};

const idOf = (symbol: string) => symbol.replace(/[^A-Za-z0-9]/g, '-');

/** Per-pair overrides of the exit rules, cooldown and exposure cap: add, edit, remove. */
export function PairRiskFields(props: {
  rows: PairRow[];
  onChange: (rows: PairRow[]) => void;
  /** The pairs the bot trades (as typed in the form). */
  symbols: string[];
  errorOf: (key: string) => string | undefined;
}) {
  const { t } = useTranslation();
  const { rows } = props;
  const free = props.symbols.filter((s) => !rows.some((r) => r.symbol === s));
  const [picked, setPicked] = useState('');
  const chosen = free.includes(picked) ? picked : (free[0] ?? '');
  const update = (symbol: string, patch: Partial<PairRow['form']>) =>
    props.onChange(
      rows.map((r) => (r.symbol === symbol ? { ...r, form: { ...r.form, ...patch } } : r)),
    );
  return (
    <fieldset className="section" data-testid="pair-overrides">
      <legend>{t('pairs.title')}</legend>
      <p className="hint">{t('pairs.hint')}</p>
      {rows.length === 0 ? <p className="muted">{t('pairs.none')}</p> : null}
      {rows.map((row) => {
        const id = idOf(row.symbol);
        const rowError = props.errorOf(`bot.risk.pairs.${row.symbol}`);
        return (
          <fieldset
            key={row.symbol}
            className="pair-override"
            data-testid={`pair-${id}`}
            aria-label={t('pairs.group', { symbol: row.symbol })}
          >
            <legend>{row.symbol}</legend>
            <div className="grid2">
              {PAIR_KEYS.map((key) => (
                <TextField
                  key={key}
                  id={`pair-${id}-${key}`}
                  label={say(`pairs.field.${key}`, { symbol: row.symbol })}
                  value={row.form[key]}
                  inputMode="decimal"
                  error={
                    props.errorOf(`bot.risk.pairs.${row.symbol}.${PATH[key]}`) ??
                    (key === 'stopLossPct' ? rowError : undefined)
                  }
                  onChange={(v) => update(row.symbol, { [key]: v })}
                />
              ))}
            </div>
            <button
              type="button"
              className="btn small"
              aria-label={t('pairs.removeLabel', { symbol: row.symbol })}
              onClick={() => props.onChange(rows.filter((r) => r.symbol !== row.symbol))}
            >
              {t('pairs.remove')}
            </button>
          </fieldset>
        );
      })}
      {free.length > 0 ? (
        <div className="force-entry">
          <label htmlFor="pair-add">{t('pairs.pick')}</label>
          <select id="pair-add" value={chosen} onChange={(e) => setPicked(e.target.value)}>
            {free.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
          <button
            type="button"
            className="btn"
            disabled={!chosen}
            onClick={() =>
              props.onChange([...rows, { symbol: chosen, form: emptyPairForm(), roi: '' }])
            }
          >
            {t('pairs.add')}
          </button>
        </div>
      ) : null}
    </fieldset>
  );
}
