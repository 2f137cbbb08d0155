/** Grid syntax: ranges, lists, schema ranges, and clear errors for anything else. */
import { describe, expect, it } from 'vitest';
import { combinations, parseGrid } from '../../../src/core/backtest/grid.ts';
import { describeStrategy } from '../../../src/core/strategy/definition.ts';
import { getBuiltinStrategy } from '../../../src/core/strategy/registry.ts';

const sma = describeStrategy(getBuiltinStrategy('sma-crossover')!, 'builtin').paramsSchema;
const bb = describeStrategy(getBuiltinStrategy('bollinger-reversion')!, 'builtin').paramsSchema;

describe('parseGrid', () => {
  it('ranges with a step, inclusive of the end', () => {
    const axes = parseGrid('fast=5..20:5,slow=20..60:10', sma);
    expect(axes.get('fast')).toEqual([5, 10, 15, 20]);
    expect(axes.get('slow')).toEqual([20, 30, 40, 50, 60]);
    expect(combinations(axes)).toHaveLength(20);
  });

  it('lists, integer ranges without a step, and decimal steps without float noise', () => {
    expect(parseGrid('fast=3|7|9', sma).get('fast')).toEqual([3, 7, 9]);
    expect(parseGrid('fast=2..5', sma).get('fast')).toEqual([2, 3, 4, 5]);
    expect(parseGrid('deviations=0.1..0.5:0.1', bb).get('deviations')).toEqual([
      0.1, 0.2, 0.3, 0.4, 0.5,
    ]);
  });

  it('a name alone spans the range of the strategy schema', () => {
    const fast = parseGrid('fast', sma).get('fast')!;
    expect(fast[0]).toBe(2);
    expect(fast.at(-1)).toBe(500);
    expect(fast).toHaveLength(10);
  });

  it('lists by parameter, as the contract takes them', () => {
    expect(combinations(parseGrid({ fast: [5, 6], slow: [30] }, sma), { other: 1 })).toEqual([
      { other: 1, fast: 5, slow: 30 },
      { other: 1, fast: 6, slow: 30 },
    ]);
  });

  it.each([
    ['fats=5..20', /unknown parameter 'fats' \(this strategy has: fast, slow\)/],
    ['fast=20..5', /runs backwards/],
    ['fast=5..20:0', /step must be above 0/],
    ['fast=5..x', /end 'x' is not a number/],
    ['fast=1..20', /1 is below the minimum 2/],
    ['fast=2.5|3', /takes whole numbers, got 2.5/],
    ['deviations=1..2', /needs a step/],
    ['fast=5,,slow=6', /empty part/],
    ['fast=5,fast=6', /given twice/],
    ['fast=2..500,slow=3..1000', /combinations; at most 10000/],
    ['fast=5..20:5;slow=1', /fast step '5;slow=1' is not a number/],
    ['5..20', /'5..20' must look like name=5..20:5/],
  ])('%s is refused with a clear error', (spec, message) => {
    expect(() => parseGrid(spec, spec.startsWith('dev') ? bb : sma)).toThrowError(message);
  });
});
