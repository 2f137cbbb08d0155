import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../src/core/api/schemas.ts';
import { filterLogs, logsText } from '../../../src/renderer/src/state/log-filter.ts';

const line = (level: LogLine['level'], message: string, ts = 0): LogLine => ({
  ts,
  level,
  scope: 'worker',
  message,
});

describe('log filter', () => {
  const lines = [
    line('debug', 'tick 1'),
    line('info', 'BTC/USDT: enter_long not taken: already in a position'),
    line('warn', 'ETH/USDT: order rejected'),
    line('error', 'tick failed'),
  ];

  it('shows lines at or above a level, about a pair, containing a text', () => {
    expect(filterLogs(lines, { level: 'warn', symbol: '', text: '' }).map((l) => l.level)).toEqual([
      'warn',
      'error',
    ]);
    expect(filterLogs(lines, { level: 'debug', symbol: 'BTC/USDT', text: '' })).toHaveLength(1);
    expect(filterLogs(lines, { level: 'debug', symbol: '', text: 'TICK' })).toHaveLength(2);
  });

  it('copies lines as text with their date', () => {
    expect(logsText([line('warn', 'x', Date.UTC(2026, 0, 2, 3, 4, 5))])).toBe(
      '2026-01-02T03:04:05.000Z WARN [worker] x',
    );
  });
});
