import type { RiskForm } from '../../state/risk-form.ts';
import { TextField } from './fields.tsx';

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
        {FIELDS.map((f) => (
          <TextField
            key={f.key}
            id={`risk-${f.key}`}
            label={f.label}
            value={props.form[f.key]}
            error={props.errorOf(f.path)}
            hint={f.hint}
            inputMode="decimal"
            onChange={(v) => props.onChange({ ...props.form, [f.key]: v })}
          />
        ))}
      </div>
    </fieldset>
  );
}
