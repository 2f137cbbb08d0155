import { afterEach, describe, expect, it } from 'vitest';
import {
  formatAmount,
  formatAxis,
  formatCount,
  formatDateTime,
  formatDuration,
  formatFee,
  formatFixed,
  formatLocale,
  formatMoney,
  formatPrice,
  formatVolume,
  formatSigned,
  formatSignedPercent,
  formatTime,
  setFormatLocale,
} from '../../../src/renderer/src/format.ts';

describe('dashboard formatting', () => {
  it('formats money with two decimals and a sign where asked', () => {
    expect(formatMoney(10234.5)).toBe('10,234.50');
    expect(formatMoney(null)).toBe('—');
    expect(formatSigned(-1.655)).toBe('-1.66');
    expect(formatSigned(2)).toBe('+2.00');
    expect(formatSigned(0)).toBe('0.00');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatSignedPercent(-2.5)).toBe('-2.50%');
    expect(formatSignedPercent(0)).toBe('0.00%');
  });

  it('keeps about six significant digits of a price and an amount', () => {
    expect(formatPrice(60114.8234)).toBe('60114.82');
    expect(formatPrice(2.71828)).toBe('2.7183');
    expect(formatPrice(0.000123456)).toBe('0.000123');
    expect(formatPrice(null)).toBe('—');
    expect(formatAmount(0.36833212345)).toBe('0.368332');
  });

  it('shows fees with two decimals from 1 up and three significant digits below', () => {
    expect(formatFee(0.999997)).toBe('1.00');
    expect(formatFee(0.9999999)).toBe('1.00');
    expect(formatFee(0.998)).toBe('0.998');
    expect(formatFee(1.00035)).toBe('1.00');
    expect(formatFee(12.3456)).toBe('12.35');
    expect(formatFee(0.000123456)).toBe('0.000123');
    expect(formatFee(0)).toBe('0');
  });

  it('shows UTC times and human durations', () => {
    expect(formatTime(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('03:04:05');
    expect(formatDateTime(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('2026-01-02 03:04:05 UTC');
    expect(formatDuration(26)).toBe('26 ms');
    expect(formatDuration(4200)).toBe('4.2 s');
    expect(formatDuration(3 * 3_600_000 + 60_000)).toBe('3h 1m');
    expect(formatDuration(2940 * 3_600_000)).toBe('122d 12h');
    expect(formatDuration(125_000)).toBe('2m 5s');
    expect(formatDuration(3_780_000)).toBe('1h 3m');
  });
});

describe('formatting in the user locale', () => {
  afterEach(() => setFormatLocale('en-US'));

  it('writes Swedish numbers with a decimal comma and space grouping', () => {
    setFormatLocale('sv-SE');
    // Intl writes the group separator as a narrow no-break space and minus as U+2212 in Swedish
    expect(formatMoney(10234.5).replace(/\s/g, ' ')).toBe('10 234,50');
    expect(formatSigned(-1.655)).toBe('\u22121,66');
    expect(formatSigned(2)).toBe('+2,00');
    expect(formatPrice(60114.8234)).toBe('60114,82');
    expect(formatAmount(0.36833212345)).toBe('0,368332');
    expect(formatFee(0.000123456)).toBe('0,000123');
    expect(formatFixed(1.5, 2)).toBe('1,50');
    expect(formatSignedPercent(2.345).replace(/\s/g, ' ')).toBe('+2,35 %');
  });

  it('writes Swedish dates, times and durations', () => {
    setFormatLocale('sv-SE');
    expect(formatDateTime(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('2026-01-02 03:04:05 UTC');
    expect(formatTime(Date.UTC(2026, 0, 2, 13, 4, 5))).toBe('13:04:05');
    expect(formatDuration(4200)).toBe('4,2 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(3_780_000)).toBe('1 h 3 min');
    expect(formatDuration(50 * 3_600_000)).toBe('2 d 2 h');
  });

  it('British English groups like American English but keeps ISO dates', () => {
    setFormatLocale('en-GB');
    expect(formatMoney(10234.5)).toBe('10,234.50');
    expect(formatDateTime(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('2026-01-02 03:04:05 UTC');
    expect(formatLocale()).toBe('en-GB');
  });
});

describe('chart axis labels', () => {
  afterEach(() => setFormatLocale('en-US'));

  it('pads prices from 1000 up to two decimals and leaves smaller values unpadded', () => {
    expect(formatAxis(60500)).toBe('60500.00');
    expect(formatAxis(400)).toBe('400');
    expect(formatAxis(97.45)).toBe('97.45');
    expect(formatAxis(2.718281)).toBe('2.7183');
    expect(formatAxis(0.000123456)).toBe('0.000123');
    setFormatLocale('sv-SE');
    expect(formatAxis(60500)).toBe('60500,00');
    expect(formatAxis(97.45)).toBe('97,45');
  });

  it('shows candle volumes with four significant digits, not two padded decimals', () => {
    expect(formatVolume(12345.67)).toBe('12350');
    expect(formatVolume(0.345678)).toBe('0.3457');
    expect(formatVolume(2)).toBe('2');
    setFormatLocale('sv-SE');
    expect(formatVolume(0.345678)).toBe('0,3457');
  });
});
