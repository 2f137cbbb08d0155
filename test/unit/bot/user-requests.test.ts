import { describe, expect, it } from 'vitest';
import { RiskConfig } from '../../../src/core/api/schemas.ts';
import { EventBus } from '../../../src/core/bot/event-bus.ts';
import { RiskBlockTracker, UserRequests } from '../../../src/core/bot/engine/user-requests.ts';
import { Account } from '../../../src/core/trading/account.ts';
import { ENTER_LONG, EXIT, TradingCore, type StepOutput } from '../../../src/core/trading/step.ts';

const MIN = 60_000;

function core(maxOpen = 5) {
  return new TradingCore({
    symbols: ['BTC/USDT', 'ETH/USDT'],
    account: new Account({ quote: 'USDT', cash: 1000 }),
    config: {
      risk: RiskConfig.parse({ stakeFraction: 0.2, maxOpenPositions: maxOpen, maxDailyLoss: 0.5 }),
      fill: { feeRate: 0.001, slippageBps: 0 },
    },
    timeframeMs: MIN,
    idPrefix: 't',
  });
}

function bars(c: TradingCore, price: number, symbols = ['BTC/USDT', 'ETH/USDT']) {
  for (const s of symbols) {
    const i = c.index(s)!;
    c.bars.present[i] = 1;
    c.bars.open[i] = c.bars.high[i] = c.bars.low[i] = c.bars.close[i] = price;
  }
}

describe('user requests on a running bot', () => {
  it('a forced entry and a close go through decide and say who asked', () => {
    const c = core();
    const requests = new UserRequests();
    requests.request({ symbol: 'BTC/USDT', action: 'enter' });
    bars(c, 100);
    requests.inject(c);
    let out = c.step(0);
    requests.label(out);
    expect(out.placed.map((o) => `${o.side} ${o.symbol} ${o.reason}`)).toEqual([
      'buy BTC/USDT entry forced by the user',
    ]);
    bars(c, 101);
    out = c.step(MIN); // fills at the next open
    expect(out.settled[0]!.fill?.price).toBe(101);
    expect(c.account.position('BTC/USDT')).toBeDefined();

    requests.request({ symbol: 'BTC/USDT', action: 'close' });
    // no ETH candle only: the BTC request waits for a BTC candle
    bars(c, 102, ['ETH/USDT']);
    requests.inject(c);
    expect(c.step(2 * MIN).placed).toEqual([]);
    bars(c, 103);
    requests.inject(c);
    out = c.step(3 * MIN);
    requests.label(out);
    expect(out.placed.map((o) => `${o.side} ${o.symbol} ${o.reason}`)).toEqual([
      'sell BTC/USDT closed by the user',
    ]);
  });

  it('entries refused by a blocking rule are a state with its reason until an entry goes through', () => {
    const c = core(1);
    const bus = new EventBus();
    const errors: string[] = [];
    bus.on('error', (e) => errors.push(e.message));
    let now = 5;
    // lifted after one step with room (the flapping of a fast clock is the next test's)
    const tracker = new RiskBlockTracker(
      bus,
      () => {},
      () => now,
      1,
    );
    bars(c, 100);
    c.signals.action[0] = ENTER_LONG;
    c.signals.action[1] = ENTER_LONG;
    tracker.observe(c.step(0));
    expect(tracker.block).toEqual({
      rule: 'max-positions',
      reason: 'max open positions (1) reached',
      since: 5,
      values: { max: 1 },
    });
    now = 9;
    bars(c, 100);
    c.signals.action[1] = ENTER_LONG;
    tracker.observe(c.step(MIN));
    expect(tracker.block?.since).toBe(5); // the same block goes on
    expect(errors).toEqual([]); // a full book is a normal state, not an error
    // the position stays open: still blocked; once it closed, the block is gone
    bars(c, 100);
    tracker.observe(c.step(2 * MIN), c);
    expect(tracker.block?.rule).toBe('max-positions');
    c.signals.action[0] = EXIT;
    bars(c, 100);
    c.step(3 * MIN);
    bars(c, 100);
    tracker.observe(c.step(4 * MIN), c);
    expect(c.account.openCount).toBe(0);
    expect(tracker.block).toBeNull();

    tracker.block = { rule: 'daily-loss', reason: 'daily loss', since: 1 };
    const other = core(5);
    bars(other, 100);
    other.signals.action[0] = ENTER_LONG;
    tracker.observe(other.step(0));
    expect(tracker.block).toBeNull();
  });

  it('a block is told by the structured rule of the refusal, never by the words of its reason', () => {
    const tracker = new RiskBlockTracker(
      new EventBus(),
      () => {},
      () => 7,
    );
    const out = (rejections: StepOutput['rejections']): StepOutput => ({
      settled: [],
      placed: [],
      rejections,
      killSwitch: null,
    });
    // a reason that reads like a blocking rule, from a one-off rule: no block
    tracker.observe(
      out([
        {
          symbol: 'BTC/USDT',
          action: 'enter_long',
          reason: 'daily loss and drawdown would pass the kill switch (max open positions)',
          rule: 'sizing',
        },
      ]),
    );
    expect(tracker.block).toBeNull();
    // the rule says it, whatever the wording: blocked, with the figures for the UI's words
    tracker.observe(
      out([
        {
          symbol: 'BTC/USDT',
          action: 'enter_long',
          reason: 'dagsförlusten nådd',
          rule: 'daily_loss',
          values: { loss: 0.051, limit: 0.05 },
        },
      ]),
    );
    expect(tracker.block).toEqual({
      rule: 'daily-loss',
      reason: 'dagsförlusten nådd',
      since: 7,
      values: { loss: 0.051, limit: 0.05 },
    });
  });

  it('a block flapping every step at a fast clock is one episode: logged once, refusals counted', () => {
    const bus = new EventBus();
    const errors: string[] = [];
    bus.on('error', (e) => errors.push(e.message));
    const logs: string[] = [];
    const tracker = new RiskBlockTracker(
      bus,
      (level, m) => logs.push(`${level} ${m}`),
      () => 1,
    );
    const refusal = {
      symbol: 'XRP/USDT',
      action: 'enter_long' as const,
      reason: 'max open positions (3) reached',
      rule: 'max_open_positions',
      values: { max: 3 },
    };
    const entry = { side: 'buy', symbol: 'SOL/USDT' } as StepOutput['placed'][number];
    const step = (placed: boolean, refused: boolean): StepOutput => ({
      settled: [],
      placed: placed ? [entry] : [],
      rejections: refused ? [refusal] : [],
      killSwitch: null,
    });
    // 4 pairs, 3 slots: an entry goes through, the next is refused, step after step
    for (let i = 0; i <= 50; i++) {
      tracker.observe(step(i % 2 === 1, i % 2 === 0));
      expect(tracker.block?.rule).toBe('max-positions');
    }
    expect(logs).toEqual([
      'warn new entries blocked by max-positions: max open positions (3) reached',
    ]);
    expect(errors).toEqual([]);
    // room and no refusal for fewer steps than the hysteresis: still the same episode
    for (let i = 0; i < 9; i++) tracker.observe(step(true, false));
    expect(tracker.block?.since).toBe(1);
    tracker.observe(step(false, true));
    for (let i = 0; i < 10; i++) tracker.observe(step(true, false));
    expect(tracker.block).toBeNull();
    expect(logs).toHaveLength(2);
    expect(logs[1]).toBe(
      'info new entries unblocked (was: max open positions (3) reached; 27 entries refused meanwhile)',
    );

    // daily loss: an error event and a warning, once per episode
    const daily = { ...refusal, reason: 'daily loss', rule: 'daily_loss', values: undefined };
    for (let i = 0; i < 5; i++)
      tracker.observe({ settled: [], placed: [], rejections: [daily], killSwitch: null });
    expect(errors).toEqual(['new entries blocked: daily loss']);
    expect(logs.slice(2)).toEqual(['warn new entries blocked by daily-loss: daily loss']);
  });
});
