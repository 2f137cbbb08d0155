/**
 * The backtest form read into a `backtest:run` request, with readable errors: the data
 * (a candle file in the data folder's imports/, or an exchange's candles), the period,
 * the strategy's parameters or a grid over them, and the account's costs.
 */
import type { BacktestRequestInput } from '../../../core/api/backtest.ts';
import type { Timeframe } from '../../../core/api/schemas.ts';
import { readParams, parseSymbols, type FormValues, type ParamField } from './params-form.ts';
import { say } from '../i18n/say.ts';

export interface BacktestForm {
  dataKind: 'file' | 'store' | 'exchange';
  file: string;
  exchange: string;
  symbols: string;
  timeframe: Timeframe;
  /** YYYY-MM-DD (UTC), empty: from the start / to the end of the data. */
  from: string;
  to: string;
  strategyId: string;
  params: FormValues;
  /** `fast=5..20:5,slow=20..60:10`; empty: the parameters above. */
  grid: string;
  startingBalance: string;
  feePct: string;
  slippageBps: string;
}

export const EMPTY_BACKTEST_FORM: BacktestForm = {
  dataKind: 'file',
  file: '',
  exchange: 'binance',
  symbols: '',
  timeframe: '1h',
  from: '',
  to: '',
  strategyId: 'sma-crossover',
  params: {},
  grid: '',
  startingBalance: '10000',
  feePct: '0.1',
  slippageBps: '5',
};

const day = (text: string): number | null | undefined => {
  if (text.trim() === '') return undefined;
  const ms = Date.parse(`${text.trim()}T00:00:00Z`);
  return Number.isFinite(ms) ? ms : null;
};

const num = (text: string): number | null => {
  const v = Number(text.trim().replace(',', '.'));
  return text.trim() !== '' && Number.isFinite(v) ? v : null;
};

export function readBacktestForm(
  form: BacktestForm,
  fields: ParamField[],
): { request: BacktestRequestInput | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const symbols = parseSymbols(form.symbols);
  let data: BacktestRequestInput['data'] | null = null;
  if (form.dataKind === 'file') {
    if (!form.file.trim()) errors.file = say('form.backtest.file');
    else data = { kind: 'file', path: form.file.trim() };
  } else {
    if (!form.exchange.trim()) errors.exchange = say('form.exchangeId');
    if (symbols.length === 0) errors.symbols = say('form.backtest.symbolsNeeded');
    if (!errors.exchange && !errors.symbols)
      data = {
        kind: form.dataKind,
        exchange: form.exchange.trim(),
        symbols,
        timeframe: form.timeframe,
      };
  }
  const from = day(form.from);
  const to = day(form.to);
  if (from === null) errors.from = say('form.backtest.date');
  if (to === null) errors.to = say('form.backtest.date');
  if (from && to && to <= from) errors.to = say('form.backtest.afterStart');
  const read = readParams(fields, form.params);
  for (const [k, m] of Object.entries(read.errors)) errors[`params.${k}`] = m;
  const balance = num(form.startingBalance);
  if (balance === null || balance <= 0) errors.startingBalance = say('form.backtest.amountAbove0');
  const fee = num(form.feePct);
  if (fee === null || fee < 0 || fee > 10) errors.feePct = say('form.backtest.feeRange');
  const slip = num(form.slippageBps);
  if (slip === null || slip < 0 || slip > 1000) errors.slippageBps = say('form.backtest.bpsRange');
  if (Object.keys(errors).length > 0 || !data) return { request: null, errors };
  return {
    request: {
      data,
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(form.dataKind === 'file' && symbols.length > 0 ? { symbols } : {}),
      strategy: { id: form.strategyId, params: read.params },
      ...(form.grid.trim() ? { grid: form.grid.trim() } : {}),
      startingBalance: balance!,
      feeRate: fee! / 100,
      slippageBps: slip!,
    },
    errors,
  };
}
