import { useMemo, useState, type FormEvent } from 'react';
import { TIMEFRAMES } from '../../../../core/api/timeframes.ts';
import type { Timeframe } from '../../../../core/api/schemas.ts';
import { useApp, useBacktest, useSettings } from '../../app-context.ts';
import {
  EMPTY_BACKTEST_FORM,
  readBacktestForm,
  type BacktestForm as Form,
} from '../../state/backtest-form.ts';
import { initialValues, paramFields } from '../../state/params-form.ts';
import { Field, TextField } from '../settings/fields.tsx';
import { StrategyFields } from '../settings/StrategyFields.tsx';
import { BacktestProgressBar } from './BacktestProgressBar.tsx';

export function BacktestForm() {
  const { commands } = useApp();
  const strategies = useSettings((s) => s.strategies);
  const running = useBacktest((s) => s.running !== null);
  const [form, setForm] = useState<Form>(EMPTY_BACKTEST_FORM);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });
  const strategy = strategies.find((s) => s.id === form.strategyId);
  const fields = useMemo(() => (strategy ? paramFields(strategy.paramsSchema) : []), [strategy]);
  const err = (k: string) => errors[k];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const read = readBacktestForm(form, fields);
    setErrors(read.errors);
    if (read.request) void commands.runBacktest(read.request);
  };

  return (
    <form className="settings-form backtest-form" onSubmit={submit} noValidate>
      <fieldset className="section">
        <legend>Data</legend>
        <Field id="bt-data" label="Candles from">
          <select
            id="bt-data"
            value={form.dataKind}
            onChange={(e) => set({ dataKind: e.target.value as Form['dataKind'] })}
          >
            <option value="file">A candle file (data folder’s imports/)</option>
            <option value="store">Candles already downloaded</option>
            <option value="exchange">Download from an exchange</option>
          </select>
        </Field>
        {form.dataKind === 'file' ? (
          <TextField
            id="bt-file"
            label="Candle file"
            value={form.file}
            error={err('file')}
            onChange={(file) => set({ file })}
            placeholder="btc-1h.csv"
          />
        ) : (
          <TextField
            id="bt-exchange"
            label="Exchange (ccxt id)"
            value={form.exchange}
            error={err('exchange')}
            onChange={(exchange) => set({ exchange })}
          />
        )}
        <div className="grid2">
          <TextField
            id="bt-symbols"
            label="Symbols"
            value={form.symbols}
            error={err('symbols')}
            onChange={(symbols) => set({ symbols })}
            placeholder={form.dataKind === 'file' ? 'all in the file' : 'BTC/USDT'}
          />
          <Field id="bt-timeframe" label="Timeframe">
            <select
              id="bt-timeframe"
              value={form.timeframe}
              onChange={(e) => set({ timeframe: e.target.value as Timeframe })}
            >
              {TIMEFRAMES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </Field>
          <TextField
            id="bt-from"
            label="From (UTC date)"
            value={form.from}
            error={err('from')}
            onChange={(from) => set({ from })}
            placeholder="start of the data"
          />
          <TextField
            id="bt-to"
            label="To (UTC date)"
            value={form.to}
            error={err('to')}
            onChange={(to) => set({ to })}
            placeholder="end of the data"
          />
        </div>
      </fieldset>
      <StrategyFields
        strategies={strategies}
        strategyId={form.strategyId}
        onStrategy={(id) => {
          const next = strategies.find((s) => s.id === id);
          set({
            strategyId: id,
            params: next ? initialValues(paramFields(next.paramsSchema), {}) : {},
          });
        }}
        fields={fields}
        params={form.params}
        onParams={(params) => set({ params })}
        errorOf={(k) => errors[k.replace('bot.strategy.', '')]}
      />
      <fieldset className="section">
        <legend>Grid and costs</legend>
        <TextField
          id="bt-grid"
          label="Parameter grid"
          value={form.grid}
          error={err('grid')}
          onChange={(grid) => set({ grid })}
          placeholder="fast=5..20:5,slow=20..60:10"
          hint="Each combination runs; the best by total return is shown. Empty: the parameters above."
        />
        <div className="grid2">
          <TextField
            id="bt-balance"
            label="Starting balance"
            value={form.startingBalance}
            error={err('startingBalance')}
            onChange={(startingBalance) => set({ startingBalance })}
          />
          <TextField
            id="bt-fee"
            label="Fee (%)"
            value={form.feePct}
            error={err('feePct')}
            onChange={(feePct) => set({ feePct })}
          />
          <TextField
            id="bt-slippage"
            label="Slippage (bp)"
            value={form.slippageBps}
            error={err('slippageBps')}
            onChange={(slippageBps) => set({ slippageBps })}
          />
        </div>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={running}>
          {running ? 'Running…' : 'Run backtest'}
        </button>
        {running ? (
          <button
            type="button"
            className="btn danger"
            onClick={() => void commands.cancelBacktest()}
          >
            Cancel
          </button>
        ) : null}
        <BacktestProgressBar />
      </div>
    </form>
  );
}
