import type { RiskForm } from '../../state/risk-form.ts';
import { Field, invalidProps } from './fields.tsx';

const FIELDS: Array<{ key: keyof RiskForm; path: string; label: string; hint: string }> = [
  {
    key: 'stakePct',
    path: 'bot.risk.stakeFraction',
    label: 'Stake per position (% of equity)',
    hint: 'How much of the equity one new position uses.',
  },
  {
    key: 'maxOpenPositions',
    path: 'bot.risk.maxOpenPositions',
    label: 'Max open positions',
    hint: 'New entries wait while this many positions are open.',
  },
  {
    key: 'maxDailyLossPct',
    path: 'bot.risk.maxDailyLoss',
    label: 'Max daily loss (%)',
    hint: "Entries stop for the rest of the day (UTC) after losing this much of the day's starting equity.",
  },
  {
    key: 'startingBalance',
    path: 'bot.startingBalance',
    label: 'Paper starting balance',
    hint: 'Quote currency the paper wallet starts with (and after a reset).',
  },
  {
    key: 'feePct',
    path: 'bot.fees.feeRate',
    label: 'Fee (% of each fill)',
    hint: 'Paper and backtest fills pay this share of their value.',
  },
  {
    key: 'slippageBps',
    path: 'bot.fees.slippageBps',
    label: 'Slippage (basis points)',
    hint: 'Market orders fill this much worse than the open (1 bp = 0.01%).',
  },
];

export function RiskFields(props: {
  form: RiskForm;
  onChange: (form: RiskForm) => void;
  errorOf: (key: string) => string | undefined;
}) {
  return (
    <fieldset className="section">
      <legend>Risk, account and costs</legend>
      <div className="grid2">
        {FIELDS.map((f) => {
          const id = `risk-${f.key}`;
          const error = props.errorOf(f.path);
          return (
            <Field key={f.key} id={id} label={f.label} error={error} hint={f.hint}>
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
