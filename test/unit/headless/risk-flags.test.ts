import { describe, expect, it } from 'vitest';
import { parseRiskFlags } from '../../../src/headless/risk-flags.ts';

describe('--stop-loss / --take-profit / --trailing-stop', () => {
  it.each([
    [{}, {}],
    [{ 'stop-loss': '0.02' }, { stopLoss: 0.02 }],
    [
      { 'stop-loss': '0.02', 'take-profit': '1.5', 'trailing-stop': ' 0.1 ' },
      { stopLoss: 0.02, takeProfit: 1.5, trailingStop: 0.1 },
    ],
  ])('%j → %j', (values, want) => {
    expect(parseRiskFlags(values)).toEqual(want);
  });

  it.each([
    [
      { 'stop-loss': '2' },
      /--stop-loss must be a fraction .* \(a fraction: 0\.02 means 2 %\); got '2'/,
    ],
    [{ 'stop-loss': '2%' }, /--stop-loss .*0\.02 means 2 %/],
    [{ 'trailing-stop': '0' }, /--trailing-stop must be a fraction greater than 0/],
    [{ 'take-profit': '-0.1' }, /--take-profit/],
    [{ 'take-profit': 'abc' }, /--take-profit/],
    [{ 'stop-loss': '' }, /--stop-loss/],
  ])('%j is a usage error', (values, message) => {
    expect(() => parseRiskFlags(values)).toThrow(message);
  });
});
