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

/** [what happens, the rules, the candle, the exit wanted (null: none), the exit state before it]. */
type Row = [string, Partial<RiskConfigT>, Bar, Exit, Partial<ExitState>?];
type Exit = null | [string, number];
/** ROI steps as [after minutes, minimum return]. */
const roi = (...steps: Array<[number, number]>) =>
  steps.map(([afterMinutes, minReturn]) => ({ afterMinutes, minReturn }));

// One case a line, so the cases read as a table (prettier would spread each over six lines).
// prettier-ignore
const rows: Row[] = [
  ['no rules: nothing closes', {}, [1, 100, 150, 10, 100], null],
  // stop-loss
  ['stop-loss not reached', { stopLoss: 0.05 }, [1, 100, 101, 95.01, 99], null],
  ['stop-loss touched fills at the level', { stopLoss: 0.05 }, [1, 100, 101, 95, 99], ['stop_loss', 95]],
  ['stop-loss crossed fills at the level', { stopLoss: 0.05 }, [1, 100, 101, 90, 99], ['stop_loss', 95]],
  ['stop-loss gapped through fills at the open', { stopLoss: 0.05 }, [1, 93, 96, 90, 94], ['stop_loss', 93]],
  // take-profit
  ['take-profit not reached', { takeProfit: 0.1 }, [1, 100, 109.99, 99, 105], null],
  ['take-profit crossed fills at the level', { takeProfit: 0.1 }, [1, 100, 112, 99, 105], ['take_profit', 110]],
  ['take-profit gapped through fills at the (better) open', { takeProfit: 0.1 }, [1, 112, 115, 111, 113], ['take_profit', 112]],
  // both in one candle: the stop is assumed first
  ['stop and target in one candle: stop first', { stopLoss: 0.05, takeProfit: 0.1 }, [1, 100, 120, 90, 115], ['stop_loss', 95]],
  ['target without the stop in the candle', { stopLoss: 0.05, takeProfit: 0.1 }, [1, 100, 120, 96, 115], ['take_profit', 110]],
  // stops and targets the entry signal attached
  ["signal's stop tighter than the stop-loss wins", { stopLoss: 0.05 }, [1, 100, 101, 96.5, 99], ['stop_loss', 97], { stop: 97 }],
  ["stop-loss tighter than the signal's stop wins", { stopLoss: 0.02 }, [1, 100, 101, 97, 99], ['stop_loss', 98], { stop: 90 }],
  ["signal's stop alone", {}, [1, 100, 101, 96, 99], ['stop_loss', 97], { stop: 97 }],
  ["signal's target nearer than the take-profit wins", { takeProfit: 0.1 }, [1, 100, 106, 99, 104], ['take_profit', 105], { target: 105 }],
  ["signal's target alone", {}, [1, 100, 104.9, 99, 104], null, { target: 105 }],
  // trailing stop
  ['trailing stop from the earlier high', { trailingStop: 0.05 }, [9, 118, 119, 113, 115], ['trailing_stop', 114], { highWater: 120 }],
  ['trailing stop gapped through', { trailingStop: 0.05 }, [9, 112, 113, 110, 111], ['trailing_stop', 112], { highWater: 120 }],
  ['trailing stop not reached', { trailingStop: 0.05 }, [9, 118, 119, 114.01, 115], null, { highWater: 120 }],
  ['trailing stop raised by the open', { trailingStop: 0.05 }, [9, 130, 131, 123, 125], ['trailing_stop', 123.5], { highWater: 110 }],
  ['trailing stop raised inside the candle, hit on the way to the close', { trailingStop: 0.05 }, [1, 100, 120, 99, 113], ['trailing_stop', 114]],
  ['trailing stop raised inside the candle, close above it', { trailingStop: 0.05 }, [1, 100, 120, 99, 115], null],
  ['trailing stop not armed below its activation', { trailingStop: 0.05, trailingActivation: 0.1 }, [9, 104, 105, 99, 100], null, { highWater: 109 }],
  ['trailing stop armed above its activation', { trailingStop: 0.05, trailingActivation: 0.1 }, [9, 106, 107, 104, 105], ['trailing_stop', 105.45], { highWater: 111 }],
  ['trailing stop armed inside the candle', { trailingStop: 0.05, trailingActivation: 0.1 }, [1, 100, 120, 99, 113], ['trailing_stop', 114]],
  ['fixed stop above the trailing level names stop_loss', { stopLoss: 0.02, trailingStop: 0.1 }, [9, 100, 101, 97, 99], ['stop_loss', 98], { highWater: 105 }],
  ['trailing level above the fixed stop names trailing_stop', { stopLoss: 0.05, trailingStop: 0.05 }, [9, 106, 107, 90, 99], ['trailing_stop', 104.5], { highWater: 110 }],
  ['trailing stop before a target in one candle', { trailingStop: 0.05, takeProfit: 0.3 }, [9, 118, 135, 110, 130], ['trailing_stop', 114], { highWater: 120 }],
  // ROI table by holding time
  ['ROI: first step not reached', { roi: roi([0, 0.1], [30, 0.02]) }, [10, 100, 105, 99, 104], null],
  ['ROI: later step reached', { roi: roi([0, 0.1], [30, 0.02]) }, [30, 100, 103, 99, 101], ['roi', 102]],
  ['ROI: break-even step gapped through', { roi: roi([0, 0.1], [60, 0]) }, [61, 101, 102, 100.5, 101], ['roi', 101]],
  ['ROI: -1 exits at the open whatever the price', { roi: roi([120, -1]) }, [120, 80, 81, 79, 80], ['roi', 80]],
  ['ROI: before its first step nothing', { roi: roi([120, -1]) }, [119, 80, 81, 79, 80], null],
  ['ROI below the take-profit wins', { takeProfit: 0.05, roi: roi([0, 0.02]) }, [1, 100, 106, 99, 101], ['roi', 102]],
  ['take-profit equal to the ROI names take_profit', { takeProfit: 0.02, roi: roi([0, 0.02]) }, [1, 100, 106, 99, 101], ['take_profit', 102]],
  ['stop before ROI in one candle', { stopLoss: 0.05, roi: roi([0, 0.01]) }, [1, 100, 103, 94, 101], ['stop_loss', 95]],
  // maximum holding time
  ['max hold not yet', { maxHoldMinutes: 60 }, [59, 100, 101, 99, 100], null],
  ['max hold reached exits at the open', { maxHoldMinutes: 60 }, [60, 99, 101, 98, 100], ['max_hold', 99]],
  ['a gapped stop names the stop over max hold', { maxHoldMinutes: 60, stopLoss: 0.05 }, [60, 94, 96, 93, 95], ['stop_loss', 94]],
  ['max hold before a target crossed later in the candle', { maxHoldMinutes: 60, takeProfit: 0.1 }, [60, 105, 111, 104, 110], ['max_hold', 105]],
  // live price updates: the candle open = high = low = close = price
  ['live price at the stop', { stopLoss: 0.05 }, [1, 95, 95, 95, 95], ['stop_loss', 95]],
  ['live price between stop and target', { stopLoss: 0.05, takeProfit: 0.1 }, [1, 105, 105, 105, 105], null],
  ['live price at the trailing level', { trailingStop: 0.05 }, [9, 114, 114, 114, 114], ['trailing_stop', 114], { highWater: 120 }],
];

describe('checkExit, rule by rule and combined', () => {
  it.each(rows)('%s', (_name, cfg, bar, want, state) => {
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
