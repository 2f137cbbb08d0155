import { describe, expect, it } from 'vitest';
import {
  EMPTY_BACKTEST_FORM,
  readBacktestForm,
} from '../../../src/renderer/src/state/backtest-form.ts';
import { paramFields } from '../../../src/renderer/src/state/params-form.ts';

const fields = paramFields({
  properties: { fast: { type: 'integer', minimum: 2 }, slow: { type: 'integer', minimum: 3 } },
});

describe('backtest form', () => {
  it('reads a file backtest with a period, parameters, a grid and costs', () => {
    const { request, errors } = readBacktestForm(
      {
        ...EMPTY_BACKTEST_FORM,
        file: 'candles.csv',
        from: '2024-01-01',
        to: '2024-02-01',
        params: { fast: '5', slow: '20' },
        grid: 'fast=5..10:5',
        feePct: '0.2',
      },
      fields,
    );
    expect(errors).toEqual({});
    expect(request).toEqual({
      data: { kind: 'file', path: 'candles.csv' },
      from: Date.UTC(2024, 0, 1),
      to: Date.UTC(2024, 1, 1),
      strategy: { id: 'sma-crossover', params: { fast: 5, slow: 20 } },
      grid: 'fast=5..10:5',
      startingBalance: 10_000,
      feeRate: 0.002,
      slippageBps: 5,
    });
  });

  it('says what is missing or wrong, field by field, and builds no request', () => {
    const { request, errors } = readBacktestForm(
      {
        ...EMPTY_BACKTEST_FORM,
        dataKind: 'store',
        exchange: '',
        from: '2024-13-01',
        params: { fast: 'x' },
        startingBalance: '0',
      },
      fields,
    );
    expect(request).toBeNull();
    expect(errors).toEqual({
      exchange: "enter a ccxt exchange id, e.g. 'binance'",
      symbols: 'enter at least one symbol, e.g. BTC/USDT',
      from: 'a date as YYYY-MM-DD',
      'params.fast': 'must be a number',
      startingBalance: 'an amount above 0',
    });
  });
});
