/**
 * One tick: the candles of one candle time (several when a real-time feed fell behind) go
 * to the compute pool, then every candle time is stepped through the trading core in
 * order — pending orders fill at the open, protective exits, signals decided into new
 * orders — and the tick's orders, fills, equity and events are committed in one journal
 * transaction before they are emitted.
 */
import { toErrorInfo } from '../../api/errors.ts';
import {
  TIMEFRAME_MS,
  type Candle,
  type Fill,
  type RiskEvent,
  type Signal,
} from '../../api/schemas.ts';
import type { TickSummary } from '../../api/contract.ts';
import type { ExecutionResult, ExecutorUpdate } from '../../execution/types.ts';
import type { PairResult } from '../../compute/types.ts';
import { ENTER_LONG, EXIT, type PendingOrder } from '../../trading/step.ts';
import { raceAbort } from '../abortable.ts';
import type { CandleBatch } from './feed.ts';
import { isFatal, type Pair } from './pairs.ts';
import type { EngineParts } from './parts.ts';
import { emptyRecords, recordStep, type TickRecords } from './recorder.ts';
import { recordRisk, recordRiskState } from './risk-events.ts';

export async function runTick(
  p: EngineParts,
  batch: CandleBatch,
  signal: AbortSignal,
): Promise<void> {
  const started = performance.now();
  const { d, core, stats, pairs } = p;
  // Fills and order changes an executor saw outside the tick (live partial fills) come first.
  const late = p.external ? p.executor.takeUpdates?.() : undefined;
  if (late) recordExecutorUpdate(p, late);
  const cfg = d.config();
  core.configure({ risk: cfg.risk, fill: cfg.fees });
  core.entriesPaused = d.entriesPaused();
  // A live exchange's free balance bounds the entries, whatever the bot's account holds.
  core.cashLimit = p.external ? p.executor.availableCash?.() : undefined;

  const updates: { key: string; candles: Candle[] }[] = [];
  const byKey = new Map<string, Pair>();
  let candleCount = 0;
  for (const [symbol, candles] of batch.candles) {
    candleCount += candles.length;
    const pair = pairs.get(symbol);
    if (!pair || pair.health.state === 'paused') {
      p.emitCandles(symbol, candles, []);
      continue;
    }
    updates.push({ key: pair.key, candles });
    byKey.set(pair.key, pair);
  }
  let results: PairResult[] = [];
  let failure: unknown = null;
  if (updates.length > 0) {
    try {
      results = await raceAbort(
        d.pool.evaluate(updates, { signal, deadlineMs: cfg.computeDeadlineMs }),
        signal,
      );
    } catch (err) {
      if (signal.aborted || isFatal(err)) throw err;
      // The candles still trade, without signals: orders waiting for this open fill at it,
      // not at a later candle's. The tick then counts as failed.
      failure = err;
      for (const u of updates) {
        const pair = byKey.get(u.key)!;
        p.emitCandles(pair.symbol, u.candles, []);
      }
    }
  }
  const failedPairs: string[] = [];
  const signals: Signal[] = [];
  for (const r of results) {
    const pair = byKey.get(r.key);
    if (!pair) continue;
    p.emitCandles(pair.symbol, batch.candles.get(pair.symbol) ?? [], r.ok ? r.signals : []);
    if (!r.ok) {
      failedPairs.push(pair.symbol);
      if (r.degraded) pairs.recovering(pair, r.error.message);
      else pairs.failed(pair, r.error.code, r.error.message);
      continue;
    }
    pairs.ok(pair);
    for (const s of r.signals)
      if (s.action !== 'hold') signals.push({ ...s, indicators: { ...s.indicators } });
  }

  const records = emptyRecords();
  const newest = batch.times.at(-1)!;
  const tfMs = TIMEFRAME_MS[cfg.timeframe];
  const logInfo = (m: string) => d.log('info', m);
  const told: RiskEvent[] = [];
  for (const ts of batch.times) {
    loadBars(p, batch, ts);
    // Candle times a late real-time feed delivered together: only the newest one is traded.
    if (ts === newest) {
      loadSignals(p, signals, ts);
      p.requests?.inject(core);
    }
    const out = core.step(ts);
    if (ts === newest) p.requests?.label(out);
    p.riskBlock?.observe(out, core);
    recordStep(out, ts + tfMs, core.account.quote, !p.external, records, logInfo);
    recordRisk(out, ts + tfMs, records, told, d.log);
  }
  stats.missedTicks += batch.times.length - 1;
  p.setMarketTime(newest + tfMs);
  if (p.external) await placeExternally(p, core.takePlaced(), records, signal);

  const point = { ts: p.marketTime(), equity: core.equity(), cash: core.account.cash };
  for (const s of signals) records.events.push({ ts: point.ts, kind: 'signal', payload: s });
  recordRiskState(p.risk, point.ts, records);
  p.recorder.commit(records, point);
  for (const e of told) d.bus.emit('risk', e);

  for (const o of records.orders)
    if (o.status === 'rejected') d.log('warn', `${o.symbol}: order rejected: ${o.reason}`);
  for (const s of signals) d.bus.emit('strategy:signal', s);

  Object.assign(stats, {
    ticks: stats.ticks + 1,
    signals: stats.signals + signals.length,
    equity: point.equity,
    lastTickAt: d.now(),
  });
  const summary: TickSummary = {
    n: stats.ticks,
    ts: point.ts,
    durationMs: performance.now() - started,
    candles: candleCount,
    signals: signals.length,
    orders: records.orders.length,
    fills: records.fills.length,
    failedPairs,
  };
  d.bus.emit('equity', point);
  d.bus.emit('bot:tick', summary);
  d.onChange();
  if (failure !== null) throw failure;
}

function loadBars(p: EngineParts, batch: CandleBatch, ts: number): void {
  const { bars } = p.core;
  for (const [symbol, candles] of batch.candles) {
    const c = candles.length === 1 ? candles[0]! : candles.find((x) => x.ts === ts);
    const i = p.core.index(symbol);
    if (c === undefined || c.ts !== ts || i === undefined) continue;
    bars.present[i] = 1;
    bars.open[i] = c.open;
    bars.high[i] = c.high;
    bars.low[i] = c.low;
    bars.close[i] = c.close;
  }
}

function loadSignals(p: EngineParts, signals: readonly Signal[], ts: number): void {
  const cols = p.core.signals;
  for (const s of signals) {
    const i = p.core.index(s.symbol);
    if (i === undefined || s.ts !== ts) continue;
    cols.action[i] = s.action === 'enter_long' ? ENTER_LONG : EXIT;
    cols.strength[i] = s.strength;
    cols.stop[i] = s.stop ?? Number.NaN;
    cols.target[i] = s.target ?? Number.NaN;
  }
}

/** A fill from an external executor applied to the account: a fee paid in another currency (BNB) is not quote cash. */
/** An exchange's fill on the account (a fee in another currency is not quote cash); a closed trade feeds the risk rules (cooldowns). */
function applyExternal(p: EngineParts, f: Fill): void {
  p.risk.onFill(
    p.core.account.apply(f.feeCurrency === p.core.account.quote ? f : { ...f, fee: 0 }),
  );
}

/**
 * What an external executor saw outside place() (late and partial fills, a reconcile's
 * findings): applied to the account, journaled in one transaction, then shown.
 */
export function recordExecutorUpdate(p: EngineParts, update: ExecutorUpdate): void {
  const ts = p.marketTime();
  const records = emptyRecords();
  records.orders.push(...update.orders);
  records.fills.push(...update.fills);
  records.events.push(
    ...update.events,
    ...update.notices.map((n) => ({ ts, kind: 'executor-notice', payload: n })),
  );
  if (records.orders.length + records.fills.length + records.events.length === 0) return;
  for (const f of update.fills) applyExternal(p, f);
  p.recorder.commit(records);
  for (const n of update.notices) p.d.log('warn', n);
}

/**
 * Orders for the executor are placed one by one, and the fills of an external executor
 * applied to the account (the paper exchange applies its own, on the same account). An
 * abort stops placing further orders, but what was placed is still journaled: the account
 * and the journal must agree.
 */
export async function placeExternally(
  p: EngineParts,
  orders: readonly PendingOrder[],
  records: TickRecords,
  signal: AbortSignal,
): Promise<ExecutionResult[]> {
  const placed: ExecutionResult[] = [];
  for (const o of orders) {
    if (signal.aborted) break;
    try {
      const r = await p.executor.place(
        { symbol: o.symbol, side: o.side, amount: o.amount, reason: o.reason, clientOrderId: o.id },
        signal,
      );
      placed.push(r);
      records.placed += 1;
      records.orders.push(r.order);
      for (const f of r.fills) {
        records.fills.push(f);
        if (p.external) applyExternal(p, f);
      }
    } catch (err) {
      if (signal.aborted) break;
      if (isFatal(err)) {
        p.recorder.commit(records);
        records.orders.length = records.fills.length = records.events.length = records.placed = 0;
        throw err;
      }
      const pair = p.pairs.get(o.symbol);
      const info = toErrorInfo(err);
      if (pair) p.pairs.failed(pair, info.code, `order failed: ${info.message}`);
    }
  }
  return placed;
}
