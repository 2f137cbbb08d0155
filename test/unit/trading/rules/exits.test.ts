import { describe, expect, it } from 'vitest';
import { RiskConfig, type RiskConfig as RiskConfigT } from '../../../../src/core/api/schemas.ts';
import {
  checkExit,
  describeExit,
  entryStopPrice,
  exitRulesFor,
  nextHighWater,
  roiTarget,
  type ExitState,
} from '../../../../src/core/trading/rules/exits.ts';

const MIN = 60_000;
const SYM = 'BTC/USDT';
const position = { avgPrice: 100, entryTs: 0 };

/** A candle at `min` minutes after the entry: [min, open, high, low, close]. */
type Bar = [number, number, number, number, number];
const candle = ([min, open, high, low, close]: Bar) => ({ ts: min * MIN, open, high, low, close });

interface Case {
  name: string;
  cfg: Partial<RiskConfigT>;
  state?: Partial<ExitState>;
  bar: Bar;
  want: null | [string, number];
}

const cases: Case[] = [
  { name: 'no rules: nothing closes', cfg: {}, bar: [1, 100, 150, 10, 100], want: null },
  // stop-loss
  {
    name: 'stop-loss not reached',
    cfg: { stopLoss: 0.05 },
    bar: [1, 100, 101, 95.01, 99],
    want: null,
  },
  {
    name: 'stop-loss touched fills at the level',
    cfg: { stopLoss: 0.05 },
    bar: [1, 100, 101, 95, 99],
    want: ['stop_loss', 95],
  },
  {
    name: 'stop-loss crossed fills at the level',
    cfg: { stopLoss: 0.05 },
    bar: [1, 100, 101, 90, 99],
    want: ['stop_loss', 95],
  },
  {
    name: 'stop-loss gapped through fills at the open',
    cfg: { stopLoss: 0.05 },
    bar: [1, 93, 96, 90, 94],
    want: ['stop_loss', 93],
  },
  // take-profit
  {
    name: 'take-profit not reached',
    cfg: { takeProfit: 0.1 },
    bar: [1, 100, 109.99, 99, 105],
    want: null,
  },
  {
    name: 'take-profit crossed fills at the level',
    cfg: { takeProfit: 0.1 },
    bar: [1, 100, 112, 99, 105],
    want: ['take_profit', 110],
  },
  {
    name: 'take-profit gapped through fills at the (better) open',
    cfg: { takeProfit: 0.1 },
    bar: [1, 112, 115, 111, 113],
    want: ['take_profit', 112],
  },
  // both in one candle: the stop is assumed first
  {
    name: 'stop and target in one candle: stop first',
    cfg: { stopLoss: 0.05, takeProfit: 0.1 },
    bar: [1, 100, 120, 90, 115],
    want: ['stop_loss', 95],
  },
  {
    name: 'target without the stop in the candle',
    cfg: { stopLoss: 0.05, takeProfit: 0.1 },
    bar: [1, 100, 120, 96, 115],
    want: ['take_profit', 110],
  },
  // stops and targets the entry signal attached
  {
    name: "signal's stop tighter than the stop-loss wins",
    cfg: { stopLoss: 0.05 },
    state: { stop: 97 },
    bar: [1, 100, 101, 96.5, 99],
    want: ['stop_loss', 97],
  },
  {
    name: "stop-loss tighter than the signal's stop wins",
    cfg: { stopLoss: 0.02 },
    state: { stop: 90 },
    bar: [1, 100, 101, 97, 99],
    want: ['stop_loss', 98],
  },
  {
    name: "signal's stop alone",
    cfg: {},
    state: { stop: 97 },
    bar: [1, 100, 101, 96, 99],
    want: ['stop_loss', 97],
  },
  {
    name: "signal's target nearer than the take-profit wins",
    cfg: { takeProfit: 0.1 },
    state: { target: 105 },
    bar: [1, 100, 106, 99, 104],
    want: ['take_profit', 105],
  },
  {
    name: "signal's target alone",
    cfg: {},
    state: { target: 105 },
    bar: [1, 100, 104.9, 99, 104],
    want: null,
  },
  // trailing stop
  {
    name: 'trailing stop from the earlier high',
    cfg: { trailingStop: 0.05 },
    state: { highWater: 120 },
    bar: [9, 118, 119, 113, 115],
    want: ['trailing_stop', 114],
  },
  {
    name: 'trailing stop gapped through',
    cfg: { trailingStop: 0.05 },
    state: { highWater: 120 },
    bar: [9, 112, 113, 110, 111],
    want: ['trailing_stop', 112],
  },
  {
    name: 'trailing stop not reached',
    cfg: { trailingStop: 0.05 },
    state: { highWater: 120 },
    bar: [9, 118, 119, 114.01, 115],
    want: null,
  },
  {
    name: 'trailing stop raised by the open',
    cfg: { trailingStop: 0.05 },
    state: { highWater: 110 },
    bar: [9, 130, 131, 123, 125],
    want: ['trailing_stop', 123.5],
  },
  {
    name: 'trailing stop raised inside the candle, hit on the way to the close',
    cfg: { trailingStop: 0.05 },
    bar: [1, 100, 120, 99, 113],
    want: ['trailing_stop', 114],
  },
  {
    name: 'trailing stop raised inside the candle, close above it',
    cfg: { trailingStop: 0.05 },
    bar: [1, 100, 120, 99, 115],
    want: null,
  },
  {
    name: 'trailing stop not armed below its activation',
    cfg: { trailingStop: 0.05, trailingActivation: 0.1 },
    state: { highWater: 109 },
    bar: [9, 104, 105, 99, 100],
    want: null,
  },
  {
    name: 'trailing stop armed above its activation',
    cfg: { trailingStop: 0.05, trailingActivation: 0.1 },
    state: { highWater: 111 },
    bar: [9, 106, 107, 104, 105],
    want: ['trailing_stop', 105.45],
  },
  {
    name: 'trailing stop armed inside the candle',
    cfg: { trailingStop: 0.05, trailingActivation: 0.1 },
    bar: [1, 100, 120, 99, 113],
    want: ['trailing_stop', 114],
  },
  {
    name: 'fixed stop above the trailing level names stop_loss',
    cfg: { stopLoss: 0.02, trailingStop: 0.1 },
    state: { highWater: 105 },
    bar: [9, 100, 101, 97, 99],
    want: ['stop_loss', 98],
  },
  {
    name: 'trailing level above the fixed stop names trailing_stop',
    cfg: { stopLoss: 0.05, trailingStop: 0.05 },
    state: { highWater: 110 },
    bar: [9, 106, 107, 90, 99],
    want: ['trailing_stop', 104.5],
  },
  {
    name: 'trailing stop before a target in one candle',
    cfg: { trailingStop: 0.05, takeProfit: 0.3 },
    state: { highWater: 120 },
    bar: [9, 118, 135, 110, 130],
    want: ['trailing_stop', 114],
  },
  // ROI table by holding time
  {
    name: 'ROI: first step not reached',
    cfg: {
      roi: [
        { afterMinutes: 0, minReturn: 0.1 },
        { afterMinutes: 30, minReturn: 0.02 },
      ],
    },
    bar: [10, 100, 105, 99, 104],
    want: null,
  },
  {
    name: 'ROI: later step reached',
    cfg: {
      roi: [
        { afterMinutes: 0, minReturn: 0.1 },
        { afterMinutes: 30, minReturn: 0.02 },
      ],
    },
    bar: [30, 100, 103, 99, 101],
    want: ['roi', 102],
  },
  {
    name: 'ROI: break-even step gapped through',
    cfg: {
      roi: [
        { afterMinutes: 0, minReturn: 0.1 },
        { afterMinutes: 60, minReturn: 0 },
      ],
    },
    bar: [61, 101, 102, 100.5, 101],
    want: ['roi', 101],
  },
  {
    name: 'ROI: -1 exits at the open whatever the price',
    cfg: { roi: [{ afterMinutes: 120, minReturn: -1 }] },
    bar: [120, 80, 81, 79, 80],
    want: ['roi', 80],
  },
  {
    name: 'ROI: before its first step nothing',
    cfg: { roi: [{ afterMinutes: 120, minReturn: -1 }] },
    bar: [119, 80, 81, 79, 80],
    want: null,
  },
  {
    name: 'ROI below the take-profit wins',
    cfg: { takeProfit: 0.05, roi: [{ afterMinutes: 0, minReturn: 0.02 }] },
    bar: [1, 100, 106, 99, 101],
    want: ['roi', 102],
  },
  {
    name: 'take-profit equal to the ROI names take_profit',
    cfg: { takeProfit: 0.02, roi: [{ afterMinutes: 0, minReturn: 0.02 }] },
    bar: [1, 100, 106, 99, 101],
    want: ['take_profit', 102],
  },
  {
    name: 'stop before ROI in one candle',
    cfg: { stopLoss: 0.05, roi: [{ afterMinutes: 0, minReturn: 0.01 }] },
    bar: [1, 100, 103, 94, 101],
    want: ['stop_loss', 95],
  },
  // maximum holding time
  {
    name: 'max hold not yet',
    cfg: { maxHoldMinutes: 60 },
    bar: [59, 100, 101, 99, 100],
    want: null,
  },
  {
    name: 'max hold reached exits at the open',
    cfg: { maxHoldMinutes: 60 },
    bar: [60, 99, 101, 98, 100],
    want: ['max_hold', 99],
  },
  {
    name: 'a gapped stop names the stop over max hold',
    cfg: { maxHoldMinutes: 60, stopLoss: 0.05 },
    bar: [60, 94, 96, 93, 95],
    want: ['stop_loss', 94],
  },
  {
    name: 'max hold before a target crossed later in the candle',
    cfg: { maxHoldMinutes: 60, takeProfit: 0.1 },
    bar: [60, 105, 111, 104, 110],
    want: ['max_hold', 105],
  },
  // live price updates: the candle open = high = low = close = price
  {
    name: 'live price at the stop',
    cfg: { stopLoss: 0.05 },
    bar: [1, 95, 95, 95, 95],
    want: ['stop_loss', 95],
  },
  {
    name: 'live price between stop and target',
    cfg: { stopLoss: 0.05, takeProfit: 0.1 },
    bar: [1, 105, 105, 105, 105],
    want: null,
  },
  {
    name: 'live price at the trailing level',
    cfg: { trailingStop: 0.05 },
    state: { highWater: 120 },
    bar: [9, 114, 114, 114, 114],
    want: ['trailing_stop', 114],
  },
];

describe('checkExit, rule by rule and combined', () => {
  it.each(cases)('$name', ({ cfg, state, bar, want }) => {
    const rules = exitRulesFor(RiskConfig.parse(cfg), SYM);
    const s: ExitState = Object.freeze({ highWater: position.avgPrice, ...state });
    const hit = checkExit(position, candle(bar), rules, s);
    if (want === null) {
      expect(hit).toBeNull();
    } else {
      expect(hit?.reason).toBe(want[0]);
      expect(hit?.price).toBeCloseTo(want[1], 9);
    }
  });
});

describe('exit rules', () => {
  it('a pair override wins field by field over the bot config', () => {
    const cfg = RiskConfig.parse({
      stopLoss: 0.05,
      takeProfit: 0.1,
      pairs: { 'ETH/USDT': { stopLoss: 0.02 } },
    });
    expect(exitRulesFor(cfg, 'ETH/USDT')).toMatchObject({ stopLoss: 0.02, takeProfit: 0.1 });
    expect(exitRulesFor(cfg, 'BTC/USDT')).toMatchObject({ stopLoss: 0.05, takeProfit: 0.1 });
    const bar: Bar = [1, 100, 101, 97, 99];
    expect(
      checkExit(position, candle(bar), exitRulesFor(cfg, 'ETH/USDT'), { highWater: 100 })?.price,
    ).toBe(98);
    expect(
      checkExit(position, candle(bar), exitRulesFor(cfg, 'BTC/USDT'), { highWater: 100 }),
    ).toBeNull();
  });

  it('the ROI table applies its latest step whose time has come, in any given order', () => {
    const rules = exitRulesFor(
      RiskConfig.parse({
        roi: [
          { afterMinutes: 40, minReturn: 0 },
          { afterMinutes: 0, minReturn: 0.04 },
          { afterMinutes: 20, minReturn: 0.02 },
        ],
      }),
      SYM,
    );
    expect([0, 19, 20, 39, 40, 1000].map((m) => roiTarget(rules.roi, m * MIN))).toEqual([
      0.04, 0.04, 0.02, 0.02, 0, 0,
    ]);
  });

  it('a walk over candles raises the high-water mark and closes once on the trailing stop', () => {
    const rules = exitRulesFor(
      RiskConfig.parse({ trailingStop: 0.1, trailingActivation: 0.05 }),
      SYM,
    );
    const bars: Bar[] = [
      [1, 100, 104, 98, 103],
      [2, 103, 112, 102, 110],
      [3, 110, 125, 109, 124],
      [4, 124, 124, 113, 114],
      [5, 114, 115, 112, 113],
    ];
    let state: ExitState = { highWater: 100 };
    const closes: string[] = [];
    for (const b of bars) {
      const hit = checkExit(position, candle(b), rules, state);
      if (hit) {
        closes.push(`${b[0]}:${hit.reason}@${hit.price.toFixed(2)}`);
        break;
      }
      state = { ...state, highWater: nextHighWater(state.highWater, candle(b)) };
    }
    expect(closes).toEqual(['5:trailing_stop@112.50']);
  });

  it('entryStopPrice is the tighter of the stop-loss and the signal stop', () => {
    const rules = exitRulesFor(RiskConfig.parse({ stopLoss: 0.05 }), SYM);
    expect(entryStopPrice(200, rules, undefined)).toBe(190);
    expect(entryStopPrice(200, rules, 195)).toBe(195);
    expect(entryStopPrice(200, rules, 150)).toBe(190);
    expect(entryStopPrice(200, exitRulesFor(RiskConfig.parse({}), SYM), undefined)).toBeUndefined();
  });

  it('describeExit names the rule, the price and a gap', () => {
    expect(describeExit({ reason: 'stop_loss', price: 93, level: 95 }, 100)).toBe(
      'stop_loss at 93 (-7.00% from entry 100, gapped through 95)',
    );
    expect(describeExit({ reason: 'take_profit', price: 110, level: 110 }, 100)).toBe(
      'take_profit at 110 (+10.00% from entry 100)',
    );
  });

  it('the config schema refuses nonsense fractions with a clear message', () => {
    expect(() => RiskConfig.parse({ stopLoss: 1.5 })).toThrow(/stopLoss/);
    expect(() => RiskConfig.parse({ trailingStop: 0 })).toThrow(/trailingStop/);
    expect(() => RiskConfig.parse({ pairs: { btc: { stopLoss: 0.1 } } })).toThrow(/BASE\/QUOTE/);
    expect(() => RiskConfig.parse({ pairs: { 'BTC/USDT': { maxDrawdown: 0.1 } } })).toThrow();
  });
});
