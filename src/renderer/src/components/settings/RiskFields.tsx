import { useTranslation } from 'react-i18next';
import type { RiskForm } from '../../state/risk-form.ts';
import { TextField } from './fields.tsx';

/** Each field and the settings path main names in its errors; label and hint are `settings.risk.<key>[Hint]`. */
const FIELDS: Array<{ key: keyof RiskForm; path: string }> = [
  { key: 'stakePct', path: 'bot.risk.stakeFraction' },
  { key: 'maxOpenPositions', path: 'bot.risk.maxOpenPositions' },
  { key: 'maxDailyLossPct', path: 'bot.risk.maxDailyLoss' },
  { key: 'startingBalance', path: 'bot.startingBalance' },
  { key: 'feePct', path: 'bot.fees.feeRate' },
  { key: 'slippageBps', path: 'bot.fees.slippageBps' },
];

export function RiskFields(props: {
  form: RiskForm;
  onChange: (form: RiskForm) => void;
  errorOf: (key: string) => string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="section">
      <legend>{t('settings.riskSection')}</legend>
      <div className="grid2">
        {FIELDS.map((f) => (
          <TextField
            key={f.key}
            id={`risk-${f.key}`}
            label={t(`settings.risk.${f.key}`)}
            value={props.form[f.key]}
            error={props.errorOf(f.path)}
            hint={t(`settings.risk.${f.key}Hint`)}
            inputMode="decimal"
            onChange={(v) => props.onChange({ ...props.form, [f.key]: v })}
          />
        ))}
      </div>
    </fieldset>
  );
}
