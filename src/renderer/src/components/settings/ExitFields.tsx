import { useTranslation } from 'react-i18next';
import type { SizingMethod } from '../../../../core/api/schemas.ts';
import type { ExitForm } from '../../state/exit-form.ts';
import { say } from '../../i18n/say.ts';
import { Field, invalidProps, TextField } from './fields.tsx';

type TextKey = Exclude<keyof ExitForm, 'sizing'>;
/** A field: the form's key and the RiskConfig path its error is filed under. */
type Spec = [key: TextKey, path: string];

const EXITS: Spec[] = [
  ['stopLossPct', 'stopLoss'],
  ['takeProfitPct', 'takeProfit'],
  ['trailingStopPct', 'trailingStop'],
  ['trailingActivationPct', 'trailingActivation'],
  ['roi', 'roi'],
  ['maxHoldMinutes', 'maxHoldMinutes'],
];

const LIMITS: Spec[] = [
  ['maxExposurePerSymbolPct', 'maxExposurePerSymbol'],
  ['maxTotalExposurePct', 'maxTotalExposure'],
  ['cooldownMinutes', 'cooldownMinutes'],
  ['maxDrawdownPct', 'maxDrawdown'],
];

const SIZINGS: readonly SizingMethod[] = ['equity_fraction', 'fixed_quote', 'risk_per_trade'];

export function ExitFields(props: {
  form: ExitForm;
  onChange: (form: ExitForm) => void;
  errorOf: (key: string) => string | undefined;
}) {
  const { t } = useTranslation();
  const { form } = props;
  const field = ([key, path]: Spec) => (
    <TextField
      key={key}
      id={`exit-${key}`}
      label={say(`exits.field.${key}.label`)}
      value={form[key]}
      error={props.errorOf(`bot.risk.${path}`)}
      hint={say(`exits.field.${key}.hint`)}
      inputMode={key === 'roi' ? undefined : 'decimal'}
      onChange={(v) => props.onChange({ ...form, [key]: v })}
    />
  );
  const sizingError = props.errorOf('bot.risk.sizing');
  return (
    <>
      <fieldset className="section">
        <legend>{t('exits.protective')}</legend>
        <div className="grid2">{EXITS.map(field)}</div>
      </fieldset>
      <fieldset className="section">
        <legend>{t('exits.limits')}</legend>
        <div className="grid2">
          <Field id="exit-sizing" label={t('exits.sizing')} error={sizingError}>
            <select
              id="exit-sizing"
              value={form.sizing}
              onChange={(e) => props.onChange({ ...form, sizing: e.target.value as SizingMethod })}
              {...invalidProps('exit-sizing', sizingError)}
            >
              {SIZINGS.map((s) => (
                <option key={s} value={s}>
                  {t(`exits.sizings.${s}`)}
                </option>
              ))}
            </select>
          </Field>
          {form.sizing === 'fixed_quote' ? field(['stakeAmount', 'stakeAmount']) : null}
          {form.sizing === 'risk_per_trade' ? field(['riskPerTradePct', 'riskPerTrade']) : null}
          {LIMITS.map(field)}
        </div>
      </fieldset>
    </>
  );
}
