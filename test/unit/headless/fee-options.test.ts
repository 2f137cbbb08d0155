import { describe, expect, it } from 'vitest';
import { parseFeeOption, parseSlippageOption } from '../../../src/headless/fee-options.ts';

describe('--fee and --slippage', () => {
  it('read a fraction or a percentage, and accept 0', () => {
    expect(parseFeeOption('0.001')).toBe(0.001);
    expect(parseFeeOption('0.1%')).toBeCloseTo(0.001, 15);
    expect(parseFeeOption('0')).toBe(0);
    expect(parseSlippageOption('5')).toBe(5);
    expect(parseSlippageOption('0.05%')).toBeCloseTo(5, 12);
    expect(parseSlippageOption('0')).toBe(0);
  });

  it.each([
    [parseFeeOption, '-0.1', /--fee takes a number ≥ 0/],
    [parseFeeOption, 'abc', /--fee takes a number/],
    [parseFeeOption, '%', /--fee takes a number/],
    [parseFeeOption, '0.5', /--fee must be at most 0\.1/],
    [parseSlippageOption, '', /--slippage takes a number/],
    [parseSlippageOption, '2000', /--slippage must be at most 1000 bps/],
  ] as const)('refuse bad values with a usage error: %#', (parse, text, why) => {
    expect(() => parse(text)).toThrow(why);
  });
});
