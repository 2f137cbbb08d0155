/** Valid contract values with overrides, for tests of projections of them (tray, renderer stores). */
import {
  BotConfig,
  type BotStatus,
  type Candle,
  type Fill,
  type Order,
  type Position,
} from '../../../src/core/api/schemas.ts';

export const MINUTE = 60_000;

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

/** The 1m candle number `i` (opening at i minutes past the epoch). */
export function candle(i: number, close = 100 + i): Candle {
  return { ts: i * MINUTE, open: close, high: close + 1, low: close - 1, close, volume: 1 };
}

export function fill(overrides: Partial<Fill> = {}): Fill {
  return {
    id: 'f1',
    orderId: 'o1',
    symbol: 'BTC/USDT',
    side: 'buy',
    amount: 0.1,
    price: 100,
    fee: 0.01,
    feeCurrency: 'USDT',
    ts: MINUTE,
    ...overrides,
  };
}

export function order(overrides: Partial<Order> = {}): Order {
  return {
    id: 'o1',
    clientOrderId: 'c-o1',
    mode: 'paper',
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    amount: 1,
    price: null,
    status: 'open',
    reason: 'enter_long',
    ts: MINUTE,
    ...overrides,
  };
}

/** An open position of 1 unit bought at 100, now at 101. */
export function position(symbol: string): Position {
  return { symbol, amount: 1, avgPrice: 100, lastPrice: 101, unrealizedPnl: 1, realizedPnl: 0 };
}
