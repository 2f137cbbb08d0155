/** A valid BotStatus with overrides, for tests of projections of it (tray, renderer stores). */
import { BotConfig, type BotStatus } from '../../../src/core/api/schemas.ts';

export function botStatus(overrides: Partial<BotStatus> = {}): BotStatus {
  return {
    state: 'idle',
    mode: 'paper',
    dataLabel: 'SIMULATED',
    entriesPaused: false,
    config: BotConfig.parse({}),
    startedAt: null,
    ticks: 0,
    missedTicks: 0,
    signals: 0,
    orders: 0,
    fills: 0,
    equity: null,
    lastTickAt: null,
    pairs: [],
    warnings: [],
    lastStop: null,
    error: null,
    rev: 1,
    ...overrides,
  };
}
