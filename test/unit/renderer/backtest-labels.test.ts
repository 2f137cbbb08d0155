import { describe, expect, it } from 'vitest';
import {
  paramsText,
  strategyLabel,
} from '../../../src/renderer/src/components/backtest/metrics-format.ts';

describe('backtest labels', () => {
  it('name a backtest by its strategy and the parameters it ran with, so two of one strategy differ', () => {
    expect(strategyLabel({ id: 'sma-crossover', params: { fast: 5, slow: 30 } })).toBe(
      'sma-crossover (fast=5, slow=30)',
    );
    expect(strategyLabel({ id: 'sma-crossover', params: { fast: 10, slow: 40 } })).not.toBe(
      strategyLabel({ id: 'sma-crossover', params: { fast: 5, slow: 30 } }),
    );
    expect(strategyLabel({ id: 'rsi-reversion', params: {} })).toBe('rsi-reversion');
    expect(paramsText({ fast: 5 })).toBe('fast=5');
  });
});
