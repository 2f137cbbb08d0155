import { useTranslation } from 'react-i18next';
import type { RiskForm } from '../../state/risk-form.ts';
import { Field, invalidProps } from './fields.tsx';

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
        {FIELDS.map((f) => {
          const id = `risk-${f.key}`;
          const error = props.errorOf(f.path);
          return (
            <Field
              key={f.key}
              id={id}
              label={t(`settings.risk.${f.key}`)}
              error={error}
              hint={t(`settings.risk.${f.key}Hint`)}
            >
              <input
                id={id}
                type="text"
                inputMode="decimal"
                value={props.form[f.key]}
                onChange={(e) => props.onChange({ ...props.form, [f.key]: e.target.value })}
                {...invalidProps(id, error)}
              />
            </Field>
          );
        })}
      </div>
    </fieldset>
  );
}
