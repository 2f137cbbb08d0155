import type { SizingMethod } from '../../../../core/api/schemas.ts';
import type { ExitForm } from '../../state/exit-form.ts';
import { Field, invalidProps, TextField } from './fields.tsx';

type TextKey = Exclude<keyof ExitForm, 'sizing'>;
interface Spec {
  key: TextKey;
  path: string;
  label: string;
  hint: string;
}

const EXITS: Spec[] = [
  {
    key: 'stopLossPct',
    path: 'stopLoss',
    label: 'Stop-loss (%)',
    hint: 'Exit when the price falls this far below the entry. Empty: off.',
  },
  {
    key: 'takeProfitPct',
    path: 'takeProfit',
    label: 'Take-profit (%)',
    hint: 'Exit when the price rises this far above the entry. Empty: off.',
  },
  {
    key: 'trailingStopPct',
    path: 'trailingStop',
    label: 'Trailing stop (%)',
    hint: 'Exit when the price falls this far below its highest since entry. Empty: off.',
  },
  {
    key: 'trailingActivationPct',
    path: 'trailingActivation',
    label: 'Trailing stop activation (%)',
    hint: 'The trailing stop only arms once the price rose this far above the entry (0: at once).',
  },
  {
    key: 'roi',
    path: 'roi',
    label: 'ROI table (minutes:% return)',
    hint: 'E.g. "0:5, 30:2, 120:0": after 30 minutes of holding, exit at +2%. Empty: off.',
  },
  {
    key: 'maxHoldMinutes',
    path: 'maxHoldMinutes',
    label: 'Max holding time (minutes)',
    hint: 'Exit a position held this long. Empty: no limit.',
  },
];

const LIMITS: Spec[] = [
  {
    key: 'maxExposurePerSymbolPct',
    path: 'maxExposurePerSymbol',
    label: 'Max exposure per symbol (% of equity)',
    hint: 'Largest position value on one symbol. Empty: no cap.',
  },
  {
    key: 'maxTotalExposurePct',
    path: 'maxTotalExposure',
    label: 'Max total exposure (% of equity)',
    hint: 'Value of all positions together. Empty: no cap.',
  },
  {
    key: 'cooldownMinutes',
    path: 'cooldownMinutes',
    label: 'Cooldown after a loss (minutes)',
    hint: 'No new entry on a pair for this long after a losing trade on it.',
  },
  {
    key: 'maxDrawdownPct',
    path: 'maxDrawdown',
    label: 'Kill switch: max drawdown (%)',
    hint: 'Drawdown from the equity peak that stops the bot until you acknowledge it. Empty: off.',
  },
];

const SIZING: Array<{ value: SizingMethod; label: string }> = [
  { value: 'equity_fraction', label: 'Stake as % of equity' },
  { value: 'fixed_quote', label: 'Fixed amount per entry' },
  { value: 'risk_per_trade', label: 'Risk per trade (from the stop distance)' },
];

export function ExitFields(props: {
  form: ExitForm;
  onChange: (form: ExitForm) => void;
  errorOf: (key: string) => string | undefined;
}) {
  const { form } = props;
  const field = (f: Spec) => (
    <TextField
      key={f.key}
      id={`exit-${f.key}`}
      label={f.label}
      value={form[f.key]}
      error={props.errorOf(`bot.risk.${f.path}`)}
      hint={f.hint}
      inputMode={f.key === 'roi' ? undefined : 'decimal'}
      onChange={(v) => props.onChange({ ...form, [f.key]: v })}
    />
  );
  const sizingError = props.errorOf('bot.risk.sizing');
  return (
    <>
      <fieldset className="section">
        <legend>Protective exits</legend>
        <div className="grid2">{EXITS.map(field)}</div>
      </fieldset>
      <fieldset className="section">
        <legend>Sizing, exposure and the kill switch</legend>
        <div className="grid2">
          <Field id="exit-sizing" label="Position sizing" error={sizingError}>
            <select
              id="exit-sizing"
              value={form.sizing}
              onChange={(e) => props.onChange({ ...form, sizing: e.target.value as SizingMethod })}
              {...invalidProps('exit-sizing', sizingError)}
            >
              {SIZING.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </Field>
          {form.sizing === 'fixed_quote'
            ? field({
                key: 'stakeAmount',
                path: 'stakeAmount',
                label: 'Amount per entry (quote)',
                hint: 'Quote currency each new position uses.',
              })
            : null}
          {form.sizing === 'risk_per_trade'
            ? field({
                key: 'riskPerTradePct',
                path: 'riskPerTrade',
                label: 'Risk per trade (% of equity)',
                hint: 'Equity lost if the stop-loss is hit; needs a stop-loss.',
              })
            : null}
          {LIMITS.map(field)}
        </div>
      </fieldset>
    </>
  );
}
