/**
 * A live price update: a real-time feed's forming (not yet closed) candle of a symbol the
 * bot holds. Only the position's protective exits (stop-loss, take-profit, trailing stop,
 * ROI, maximum holding time) are checked against the candle's path so far; no strategy
 * signal, no pending order fill. An exit goes the tick's way — filled by the paper model at
 * the rule's level, or handed to the executor — and is journaled in one transaction with
 * the risk state. The engine runs it under the same queue as the ticks, so commits never
 * interleave. Simulated and replayed feeds never send these: they are paced per candle.
 */
import type { Candle, RiskEvent } from '../../api/schemas.ts';
import type { EngineParts } from './parts.ts';
import { emptyRecords, recordStep } from './recorder.ts';
import { recordRisk, recordRiskState } from './risk-events.ts';
import { placeExternally } from './tick.ts';

/** Returns true when a protective exit was decided. */
export async function runPriceUpdate(
  p: EngineParts,
  symbol: string,
  candle: Candle,
  signal: AbortSignal,
): Promise<boolean> {
  const { core, d } = p;
  const i = core.index(symbol);
  if (i === undefined || core.account.position(symbol) === undefined) return false;
  const cfg = d.config();
  core.configure({ risk: cfg.risk, fill: cfg.fees });
  const { bars } = core;
  bars.present[i] = 1;
  bars.open[i] = candle.open;
  bars.high[i] = candle.high;
  bars.low[i] = candle.low;
  bars.close[i] = candle.close;
  // Stamped like the last tick's records (the forming candle's open): the journal never steps back.
  const ts = Math.max(p.marketTime(), candle.ts);
  const out = core.checkExits(candle.ts);
  if (out.settled.length === 0 && out.placed.length === 0) return false;
  const records = emptyRecords();
  const told: RiskEvent[] = [];
  recordStep(out, ts, core.account.quote, !p.external, records, (m) => d.log('info', m));
  recordRisk(out, ts, records, told, d.log);
  if (p.external) await placeExternally(p, core.takePlaced(), records, signal);
  recordRiskState(p.risk, ts, records);
  // No equity point: the next tick records one, at the next candle time.
  p.recorder.commit(records);
  for (const e of told) d.bus.emit('risk', e);
  p.stats.equity = core.equity();
  d.onChange();
  return true;
}
