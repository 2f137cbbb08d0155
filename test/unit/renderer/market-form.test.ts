import { describe, expect, it } from 'vitest';
import { MarketConfig } from '../../../src/core/api/schemas.ts';
import {
  hasClock,
  marketFormOf,
  readMarketForm,
} from '../../../src/renderer/src/state/market-form.ts';

const saved = MarketConfig.parse({ source: 'sim', speed: 60, seed: 7 });

describe('settings form: market', () => {
  it('round-trips the saved market, keeping the seed the form does not show', () => {
    const { market, errors } = readMarketForm(marketFormOf(saved), saved);
    expect(errors).toEqual({});
    expect(market).toEqual(saved);
    expect(MarketConfig.parse(market)).toEqual(saved);
  });

  it('switches to an exchange by id, trimmed; the speed field is ignored there', () => {
    const form = {
      ...marketFormOf(saved),
      source: 'ccxt' as const,
      exchange: ' binance ',
      speed: '',
    };
    const { market, errors } = readMarketForm(form, saved);
    expect(errors).toEqual({});
    expect(market).toEqual({ source: 'ccxt', exchange: 'binance', speed: 60, seed: 7 });
    expect(hasClock('ccxt')).toBe(false);
  });

  it('says which field is missing: the exchange id, the replay file, a numeric speed', () => {
    const form = marketFormOf(saved);
    expect(readMarketForm({ ...form, source: 'ccxt' }, saved).errors).toEqual({
      exchange: "enter a ccxt exchange id, e.g. 'binance'",
    });
    expect(readMarketForm({ ...form, source: 'replay', file: '  ' }, saved).errors).toEqual({
      file: 'enter the path of a CSV or JSON candle file',
    });
    expect(readMarketForm({ ...form, speed: 'fast' }, saved).errors).toEqual({
      speed: 'must be a number',
    });
  });

  it('drops the exchange id when going back to the simulated market', () => {
    const onExchange = MarketConfig.parse({ source: 'ccxt', exchange: 'kraken' });
    const form = { ...marketFormOf(onExchange), source: 'sim' as const, exchange: '' };
    expect(readMarketForm(form, onExchange).market).not.toHaveProperty('exchange');
  });
});
