import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation();
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
        <legend>{t('backtest.data')}</legend>
        <Field id="bt-data" label={t('backtest.candlesFrom')}>
          <select
            id="bt-data"
            value={form.dataKind}
            onChange={(e) => set({ dataKind: e.target.value as Form['dataKind'] })}
          >
            <option value="file">{t('backtest.dataKinds.file')}</option>
            <option value="store">{t('backtest.dataKinds.store')}</option>
            <option value="exchange">{t('backtest.dataKinds.exchange')}</option>
          </select>
        </Field>
        {form.dataKind === 'file' ? (
          <TextField
            id="bt-file"
            label={t('backtest.file')}
            value={form.file}
            error={err('file')}
            onChange={(file) => set({ file })}
            placeholder="btc-1h.csv"
          />
        ) : (
          <TextField
            id="bt-exchange"
            label={t('backtest.exchange')}
            value={form.exchange}
            error={err('exchange')}
            onChange={(exchange) => set({ exchange })}
          />
        )}
        <div className="grid2">
          <TextField
            id="bt-symbols"
            label={t('backtest.symbols')}
            value={form.symbols}
            error={err('symbols')}
            onChange={(symbols) => set({ symbols })}
            placeholder={form.dataKind === 'file' ? t('backtest.allInFile') : 'BTC/USDT'}
          />
          <Field id="bt-timeframe" label={t('backtest.timeframe')}>
            <select
              id="bt-timeframe"
              value={form.timeframe}
              onChange={(e) => set({ timeframe: e.target.value as Timeframe })}
            >
              {TIMEFRAMES.map((tf) => (
                <option key={tf}>{tf}</option>
              ))}
            </select>
          </Field>
          <TextField
            id="bt-from"
            label={t('backtest.from')}
            value={form.from}
            error={err('from')}
            onChange={(from) => set({ from })}
            placeholder={t('backtest.fromPlaceholder')}
          />
          <TextField
            id="bt-to"
            label={t('backtest.to')}
            value={form.to}
            error={err('to')}
            onChange={(to) => set({ to })}
            placeholder={t('backtest.toPlaceholder')}
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
        <legend>{t('backtest.gridAndCosts')}</legend>
        <TextField
          id="bt-grid"
          label={t('backtest.grid')}
          value={form.grid}
          error={err('grid')}
          onChange={(grid) => set({ grid })}
          placeholder="fast=5..20:5,slow=20..60:10"
          hint={t('backtest.gridHint')}
        />
        <div className="grid2">
          <TextField
            id="bt-balance"
            label={t('backtest.startingBalance')}
            value={form.startingBalance}
            error={err('startingBalance')}
            onChange={(startingBalance) => set({ startingBalance })}
          />
          <TextField
            id="bt-fee"
            label={t('backtest.fee')}
            value={form.feePct}
            error={err('feePct')}
            onChange={(feePct) => set({ feePct })}
          />
          <TextField
            id="bt-slippage"
            label={t('backtest.slippage')}
            value={form.slippageBps}
            error={err('slippageBps')}
            onChange={(slippageBps) => set({ slippageBps })}
          />
        </div>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={running}>
          {running ? t('backtest.running') : t('backtest.run')}
        </button>
        {running ? (
          <button
            type="button"
            className="btn danger"
            onClick={() => void commands.cancelBacktest()}
          >
            {t('backtest.cancel')}
          </button>
        ) : null}
        <BacktestProgressBar />
      </div>
    </form>
  );
}
