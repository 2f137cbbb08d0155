import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/bot/event-bus.ts';
import { RiskBlockTracker } from '../../../src/core/bot/engine/requests.ts';
import type { PendingOrder, StepOutput } from '../../../src/core/trading/step.ts';

const out = (over: Partial<StepOutput>): StepOutput => ({
  settled: [],
  placed: [],
  rejections: [],
  ...over,
});
const buy: PendingOrder = {
  id: 'x',
  symbol: 'A/USDT',
  side: 'buy',
  amount: 1,
  reason: 'r',
  placedTs: 0,
};

describe('RiskBlockTracker', () => {
  it('an entry refused by a blocking rule blocks entries until one is accepted', () => {
    const bus = new EventBus();
    const errors: string[] = [];
    bus.on('error', (e) => errors.push(e.message));
    let now = 5;
    const t = new RiskBlockTracker(
      bus,
      () => {},
      () => now,
    );
    t.update(
      out({
        rejections: [{ symbol: 'A/USDT', action: 'enter_long', reason: 'already in a position' }],
      }),
    );
    expect(t.current).toBeNull();
    const daily = {
      symbol: 'A/USDT',
      action: 'enter_long' as const,
      reason: 'daily loss 6.00% reached the limit of 5.00%',
    };
    t.update(out({ rejections: [daily] }));
    expect(t.current).toEqual({ rule: 'daily-loss', reason: daily.reason, since: 5 });
    now = 9;
    t.update(out({ rejections: [daily] }));
    expect(t.current?.since).toBe(5);
    expect(errors).toEqual([`new entries blocked: ${daily.reason}`]);
    // Exits refused are not entry blocks.
    t.update(out({ rejections: [{ ...daily, action: 'exit' }] }));
    t.update(out({ placed: [buy] }));
    expect(t.current).toBeNull();
  });
});
