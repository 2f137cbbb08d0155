import { useTranslation } from 'react-i18next';
import type { StrategyInfo } from '../../../../core/api/schemas.ts';
import type { FormValues, ParamField } from '../../state/params-form.ts';
import { strategyWords } from '../../i18n/say.ts';
import { Field, FieldError, ParamInput } from './fields.tsx';

/** The strategy picker and its parameter form, generated from the strategy's schema. */
export function StrategyFields(props: {
  strategies: StrategyInfo[];
  strategyId: string;
  onStrategy: (id: string) => void;
  fields: ParamField[];
  params: FormValues;
  onParams: (values: FormValues) => void;
  errorOf: (key: string) => string | undefined;
}) {
  const { strategies, strategyId, fields, params, errorOf } = props;
  const strategy = strategies.find((s) => s.id === strategyId);
  const { t } = useTranslation();
  return (
    <fieldset className="section">
      <legend>{t('settings.strategySection')}</legend>
      <Field
        id="strategy"
        label={t('settings.strategy')}
        error={errorOf('bot.strategy.id')}
        hint={strategy ? strategyWords(strategy, 'description', strategy.description) : undefined}
      >
        <select id="strategy" value={strategyId} onChange={(e) => props.onStrategy(e.target.value)}>
          {strategy ? null : (
            <option value={strategyId}>{t('settings.notFound', { id: strategyId })}</option>
          )}
          {strategies.map((s) => (
            <option key={s.id} value={s.id} disabled={Boolean(s.error)}>
              {strategyWords(s, 'name', s.name)}
              {s.origin === 'user' ? t('settings.user') : ''}
              {s.error ? t('settings.hasErrors') : ''}
            </option>
          ))}
        </select>
      </Field>
      {fields.length > 0 ? (
        <div className="params">
          {fields.map((f) => {
            const error = errorOf(`bot.strategy.params.${f.name}`);
            const about =
              f.description && strategy
                ? strategyWords(strategy, `params.${f.name}`, f.description)
                : f.description;
            return (
              <div key={f.name} className="param">
                <label htmlFor={`param-${f.name}`} title={about ?? undefined}>
                  {f.name}
                </label>
                <ParamInput
                  field={f}
                  value={params[f.name] ?? ''}
                  error={error}
                  onChange={(v) => props.onParams({ ...params, [f.name]: v })}
                />
                {about ? <div className="hint">{about}</div> : null}
                <FieldError id={`param-${f.name}`} text={error} />
              </div>
            );
          })}
        </div>
      ) : null}
    </fieldset>
  );
}
