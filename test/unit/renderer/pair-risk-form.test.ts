import { afterEach, describe, expect, it } from 'vitest';
import { RiskConfig } from '../../../src/core/api/schemas.ts';
import { i18n } from '../../../src/renderer/src/i18n/instance.ts';
import {
  emptyPairForm,
  pairRowsOf,
  positionLevels,
  readPairRows,
} from '../../../src/renderer/src/state/pair-risk-form.ts';
import { position } from './fixtures.ts';

afterEach(() => i18n.changeLanguage('en'));

const risk = RiskConfig.parse({
  stopLoss: 0.05,
  takeProfit: 0.1,
  pairs: {
    'ETH/USDT': {
      stopLoss: 0.02,
      maxExposurePerSymbol: 0.3,
      roi: [{ afterMinutes: 0, minReturn: 0.04 }],
    },
  },
});

describe('per-pair risk overrides form', () => {
  it('shows saved overrides as percentages and reads them back unchanged (the ROI table kept)', () => {
    const rows = pairRowsOf(risk);
    expect(rows).toEqual([
      {
        symbol: 'ETH/USDT',
        roi: '0:4',
        form: { ...emptyPairForm(), stopLossPct: '2', maxExposurePerSymbolPct: '30' },
      },
    ]);
    expect(readPairRows(rows)).toEqual({ pairs: risk.pairs, errors: {} });
    expect(readPairRows([])).toEqual({ pairs: undefined, errors: {} });
  });

  it('a bad value is an error on its field, in the language chosen; an empty override is refused', async () => {
    const bad = [
      { symbol: 'BTC/USDT', roi: '', form: { ...emptyPairForm(), stopLossPct: '150' } },
      { symbol: 'ETH/USDT', roi: '', form: { ...emptyPairForm(), takeProfitPct: 'many' } },
      { symbol: 'SOL/USDT', roi: '', form: emptyPairForm() },
    ];
    expect(readPairRows(bad).errors).toEqual({
      'bot.risk.pairs.BTC/USDT.stopLoss': 'must be above 0 and below 100%',
      'bot.risk.pairs.ETH/USDT.takeProfit': 'enter a number, or leave it empty for off',
      'bot.risk.pairs.SOL/USDT': 'set at least one rule, or remove the override',
    });
    await i18n.changeLanguage('sv');
    expect(readPairRows(bad).errors['bot.risk.pairs.BTC/USDT.stopLoss']).toBe(
      'måste vara över 0 och under 100 %',
    );
  });

  it("a position's stop and target come from its pair's override, else from the bot's rules", () => {
    expect(positionLevels(position('ETH/USDT'), risk)).toEqual({
      stop: 98,
      target: 110.00000000000001,
      overridden: true,
    });
    expect(positionLevels(position('BTC/USDT'), risk)).toMatchObject({
      stop: 95,
      overridden: false,
    });
    expect(positionLevels({ ...position('BTC/USDT'), stopPrice: 90 }, risk).stop).toBe(90);
    expect(positionLevels(position('BTC/USDT'), undefined)).toEqual({
      stop: null,
      target: null,
      overridden: false,
    });
  });
});
