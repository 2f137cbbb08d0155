/**
 * Risk rules: the cost of `checkExit` per position and candle, of one trading-core step with
 * and without the RiskBook (flat and holding a position), and of restoring the risk state
 * from a journal whose newest snapshot is far back. Prints one JSON document.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RiskConfig } from '../src/core/api/schemas.ts';
import { Journal } from '../src/core/journal/journal.ts';
import { Account } from '../src/core/trading/account.ts';
import { checkExit, exitRulesFor } from '../src/core/trading/rules/exits.ts';
import { RiskBook } from '../src/core/trading/rules/risk-book.ts';
import { loadRiskState, RISK_STATE_EVENT } from '../src/core/trading/rules/risk-journal.ts';
import { emptyRiskState } from '../src/core/trading/rules/risk-state.ts';
import { ENTER_LONG, TradingCore } from '../src/core/trading/step.ts';

const MIN = 60_000;

function nsPer(n: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(n, 100_000); i++) fn(i);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  return Math.round(((performance.now() - t0) * 1e6) / n);
}

function checkExitNs(): number {
  const rules = exitRulesFor(
    RiskConfig.parse({
      stopLoss: 0.5,
      takeProfit: 5,
      trailingStop: 0.6,
      roi: [{ afterMinutes: 0, minReturn: 9 }],
      maxHoldMinutes: 1e9,
    }),
    'A/USDT',
  );
  const position = { avgPrice: 100, entryTs: 0 };
  const state = { highWater: 100 };
  const candle = { ts: 0, open: 100, high: 101, low: 99, close: 100 };
  let hits = 0;
  const ns = nsPer(5_000_000, (i) => {
    candle.ts = i * MIN;
    candle.close = 100 + (i % 7) * 0.1;
    if (checkExit(position, candle, rules, state) !== null) hits++;
  });
  if (hits !== 0) throw new Error('the bench candles must not trigger an exit');
  return ns;
}

function stepNs(withRisk: boolean, holding: boolean, risk: object): number {
  const config = RiskConfig.parse({
    stakeFraction: 0.5,
    maxOpenPositions: 1,
    maxDailyLoss: 1,
    ...risk,
  });
  const core = new TradingCore({
    symbols: ['A/USDT'],
    account: new Account({ quote: 'USDT', cash: 1000 }),
    config: { risk: config, fill: { feeRate: 0.001, slippageBps: 5 } },
    timeframeMs: MIN,
    ...(withRisk ? { risk: new RiskBook(config) } : {}),
  });
  const b = core.bars;
  return nsPer(2_000_000, (i) => {
    const p = 100 + Math.sin(i / 50);
    b.present[0] = 1;
    b.open[0] = p;
    b.high[0] = p * 1.001;
    b.low[0] = p * 0.999;
    b.close[0] = p;
    if (holding && i === 0) {
      core.signals.action[0] = ENTER_LONG;
      core.signals.strength[0] = 1;
    }
    core.step(i * MIN);
  });
}

function restoreMs(): { p50: number; max: number } {
  const dir = mkdtempSync(join(tmpdir(), 'botdesk-risk-bench-'));
  const j = new Journal(join(dir, 'journal.sqlite'));
  try {
    j.commitTick({ events: [{ ts: 0, kind: RISK_STATE_EVENT, payload: emptyRiskState() }] });
    for (let b = 0; b < 100; b++) {
      j.commitTick({
        events: Array.from({ length: 1000 }, (_, i) => ({
          ts: b * 1000 + i,
          kind: 'signal',
          payload: { symbol: 'A/USDT', action: 'enter_long' },
        })),
      });
    }
    const t: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      loadRiskState(j);
      t.push(performance.now() - t0);
    }
    t.sort((a, b) => a - b);
    return { p50: +t[7]!.toFixed(2), max: +t[14]!.toFixed(2) };
  } finally {
    j.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rules = { stopLoss: 0.5, trailingStop: 0.6, maxDrawdown: 0.9 };
process.stdout.write(
  `${JSON.stringify(
    {
      checkExitNsPerCall: checkExitNs(),
      stepNs: {
        flatWithoutRisk: stepNs(false, false, {}),
        flatWithRiskBook: stepNs(true, false, rules),
        holdingWithoutRisk: stepNs(false, true, {}),
        holdingWithRiskBook: stepNs(true, true, rules),
      },
      restoreRiskStateBehind100kEventsMs: restoreMs(),
    },
    null,
    2,
  )}\n`,
);
