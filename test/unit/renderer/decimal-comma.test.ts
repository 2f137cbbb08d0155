/** Swedish users write decimals with a comma: the settings forms read "0,5" as 0.5. */
import { describe, expect, it } from 'vitest';
import { MarketConfig } from '../../../src/core/api/schemas.ts';
import { marketFormOf, readMarketForm } from '../../../src/renderer/src/state/market-form.ts';
import { paramFields, readParams } from '../../../src/renderer/src/state/params-form.ts';

describe('decimal comma', () => {
  it('in the simulation speed', () => {
    const saved = MarketConfig.parse({ source: 'sim', speed: 60, seed: 7 });
    const { market, errors } = readMarketForm({ ...marketFormOf(saved), speed: ' 0,5 ' }, saved);
    expect(errors).toEqual({});
    expect(market.speed).toBe(0.5);
    expect(readMarketForm({ ...marketFormOf(saved), speed: '1,2,3' }, saved).errors.speed).toBe(
      'must be a number',
    );
  });

  it('in a strategy parameter', () => {
    const fields = paramFields({
      type: 'object',
      properties: { deviations: { type: 'number', minimum: 0, exclusiveMinimum: 0, default: 2 } },
    });
    expect(readParams(fields, { deviations: '1,5' })).toEqual({
      params: { deviations: 1.5 },
      errors: {},
    });
  });
});
