import { describe, expect, it } from 'vitest';
import { BotConfig } from '../../../src/core/api/schemas.ts';
import { plainWords } from '../../../src/renderer/src/state/plain-words.ts';
import { readRiskForm, riskFormOf } from '../../../src/renderer/src/state/risk-form.ts';

describe('risk form', () => {
  it('shows fractions as percentages and reads them back', () => {
    const form = riskFormOf(BotConfig.parse({}));
    expect(form).toEqual({
      stakePct: '10',
      maxOpenPositions: '5',
      maxDailyLossPct: '5',
      startingBalance: '10000',
      feePct: '0.1',
      slippageBps: '5',
    });
    const read = readRiskForm({ ...form, stakePct: '25', maxDailyLossPct: '2,5' });
    expect(read.errors).toEqual({});
    expect(read.risk).toEqual({ stakeFraction: 0.25, maxOpenPositions: 5, maxDailyLoss: 0.025 });
    expect(read.fees).toEqual({ feeRate: 0.001, slippageBps: 5 });
  });

  it('refuses text in a number field instead of saving a default, in plain words', () => {
    const read = readRiskForm({
      stakePct: 'ten',
      maxOpenPositions: '2.5',
      maxDailyLossPct: '0',
      startingBalance: '',
      feePct: '0.1',
      slippageBps: '-1',
    });
    expect(read.errors).toEqual({
      'bot.risk.stakeFraction': 'enter a percentage, e.g. 10',
      'bot.risk.maxOpenPositions': 'must be a whole number from 1 to 1000',
      'bot.risk.maxDailyLoss': 'must be above 0 and at most 100%',
      'bot.startingBalance': 'enter an amount, e.g. 10000',
      'bot.fees.slippageBps': 'must be from 0 to 1000',
    });
  });

  it("rewrites zod's developer wording", () => {
    expect(plainWords('Too small: expected number to be >0')).toBe('must be greater than 0');
    expect(plainWords('Too big: expected number to be <=1')).toBe('must be at most 1');
    expect(plainWords('Invalid input: expected number, received string')).toBe('must be a number');
    expect(plainWords('fast must be shorter than slow')).toBe('fast must be shorter than slow');
  });
});
