/**
 * One worker's share of a tick: the new candles of its pairs packed into one message, its
 * reply checked against the protocol and decoded into each pair's result. A worker that
 * misses the deadline degrades its pairs (they are rebuilt); one that answers outside the
 * protocol is replaced. Apart from the pool so evaluate() reads as validation and fan-out.
 */
import { setImmediate as turn } from 'node:timers/promises';
import { BotDeskError } from '../api/errors.ts';
import type { Candle } from '../api/schemas.ts';
import { decodeSignals } from './pool-codec.ts';
import {
  CANDLE_STRIDE,
  OUTPUT_HEADER,
  PROTOCOL_VERSION,
  packCandles,
  type FromWorker,
} from './protocol.ts';
import type { PairResult } from './types.ts';
import {
  WORKER_LOST,
  failureCode,
  type PairEntry,
  type PairFailure,
  type WorkerSlot,
} from './worker-slot.ts';
import type { Workers } from './workers.ts';

/** Signals decoded between two turns of the event loop. */
const DECODE_SLICE = 20_000;

export async function runBatch(
  workers: Workers,
  w: WorkerSlot,
  batch: number[],
  updates: ReadonlyArray<{ key: string; candles: Candle[] }>,
  entries: PairEntry[],
  results: PairResult[],
  deadlineMs: number,
): Promise<void> {
  const slots = new Int32Array(batch.length);
  const counts = new Int32Array(batch.length);
  let total = 0;
  for (let b = 0; b < batch.length; b++) {
    const i = batch[b]!;
    slots[b] = entries[i]!.slot;
    counts[b] = updates[i]!.candles.length;
    total += counts[b]!;
  }
  const candles = new Float64Array(total * CANDLE_STRIDE);
  let offset = 0;
  for (const i of batch) offset = packCandles(updates[i]!.candles, candles, offset);

  let reply: Extract<FromWorker, { type: 'ticked' }>;
  try {
    reply = await workers.request(
      w,
      { v: PROTOCOL_VERSION, type: 'tick', id: workers.nextId(), slots, counts, candles },
      deadlineMs,
      'ticked',
    );
  } catch (err) {
    if (workers.closed) throw err;
    const error: PairFailure = { code: failureCode(err), message: (err as Error).message };
    for (const i of batch) results[i] = { key: entries[i]!.key, ok: false, degraded: true, error };
    return;
  }
  const out = reply.out;
  let expected = 0;
  for (const i of batch)
    expected += updates[i]!.candles.length * (OUTPUT_HEADER + entries[i]!.indicators.length);
  if (out.length !== expected) {
    const problem = `compute worker ${w.index} answered a tick with ${out.length} values instead of ${expected} (outside the protocol); it was killed and is being replaced`;
    workers.log('error', problem);
    workers.retire(w, new BotDeskError('COMPUTE_ERROR', problem, WORKER_LOST));
    for (const i of batch)
      results[i] = {
        key: entries[i]!.key,
        ok: false,
        degraded: true,
        error: { code: 'COMPUTE_ERROR', message: problem },
      };
    return;
  }
  w.crashes = 0;
  const failed = new Map(reply.errors.map((e) => [e.index, e.message]));
  let o = 0;
  let sinceYield = 0;
  for (let b = 0; b < batch.length; b++) {
    // A big batch (catch-up, many pairs) decodes in slices so this thread stays responsive.
    if (sinceYield >= DECODE_SLICE) {
      sinceYield = 0;
      await turn();
    }
    sinceYield += updates[batch[b]!]!.candles.length;
    const i = batch[b]!;
    const pair = entries[i]!;
    const names = pair.indicators;
    const width = OUTPUT_HEADER + names.length;
    const list = updates[i]!.candles;
    const message = failed.get(b);
    if (message !== undefined) {
      results[i] = {
        key: pair.key,
        ok: false,
        degraded: false,
        error: {
          code: 'STRATEGY_ERROR',
          message: `${pair.key} (strategy '${pair.strategy.id}'): ${message}`,
        },
      };
      o += list.length * width;
      continue;
    }
    const signals = decodeSignals(out, o, pair.symbol, names, list);
    o += list.length * width;
    results[i] =
      signals !== null
        ? { key: pair.key, ok: true, signals }
        : {
            key: pair.key,
            ok: false,
            degraded: false,
            error: {
              code: 'COMPUTE_ERROR',
              message: `${pair.key}: the worker's answer was outside the protocol`,
            },
          };
  }
}
