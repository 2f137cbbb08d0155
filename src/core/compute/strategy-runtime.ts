/**
 * What a compute worker does with the protocol's requests: keeps each pair's strategy
 * instance (sticky state) and runs ticks. Synchronous and free of process plumbing,
 * so the benchmark can run the very same code in-process for comparison.
 */
import { BotDeskError, toErrorInfo } from '../api/errors.ts';
import type { Candle, StrategyInfo } from '../api/schemas.ts';
import { describeStrategy, prepareStrategy } from '../strategy/definition.ts';
import { BUILTIN_STRATEGIES } from '../strategy/builtin/index.ts';
import type { StrategyDefinition, StrategyInstance, StrategyOutput } from '../strategy/types.ts';
import type { UserStrategyLoad } from '../strategy/user-strategies.ts';
import {
  CANDLE_STRIDE,
  OUTPUT_HEADER,
  readCandle,
  type FromWorker,
  type ToWorker,
} from './protocol.ts';

interface PairRuntime {
  instance: StrategyInstance;
  indicators: readonly string[];
}

type AddRequest = Extract<ToWorker, { type: 'add' }>;
type TickRequest = Extract<ToWorker, { type: 'tick' }>;

/** An attached stop or target: a positive price, or absent. */
function level(v: unknown, name: string): number {
  if (v === undefined || v === null) return Number.NaN;
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v))
    throw new Error(`update() returned ${name} ${String(v)} (expected a price > 0 or nothing)`);
  return v;
}

function actionCode(action: unknown): number {
  if (action === 'hold') return 0;
  if (action === 'enter_long') return 1;
  if (action === 'exit') return 2;
  return -1;
}

/**
 * Checks one update() output and writes it at `w` (OUTPUT_HEADER + one value per indicator);
 * throws when the output is outside the strategy contract.
 */
function writeOutput(
  o: StrategyOutput,
  names: readonly string[],
  out: Float64Array,
  w: number,
): void {
  const code = actionCode(o.action);
  if (code < 0)
    throw new Error(
      `update() returned an invalid action ${JSON.stringify(o.action)} (expected 'enter_long', 'exit' or 'hold')`,
    );
  if (!(o.strength >= 0 && o.strength <= 1))
    throw new Error(`update() returned strength ${String(o.strength)} (expected 0..1)`);
  out[w] = code;
  out[w + 1] = o.strength;
  out[w + 2] = level(o.stop, 'stop');
  out[w + 3] = level(o.target, 'target');
  const values = o.indicators;
  for (let k = 0; k < names.length; k++) {
    const v = values[names[k]!];
    out[w + OUTPUT_HEADER + k] = typeof v === 'number' ? v : Number.NaN;
  }
}

export class StrategyRuntime {
  #definitions = new Map<string, StrategyDefinition>(BUILTIN_STRATEGIES.map((d) => [d.id, d]));
  #user: UserStrategyLoad = { definitions: [], infos: [] };
  #pairs: Array<PairRuntime | undefined> = [];
  /** Reused for every candle of the hot path. */
  #candle: Candle = { ts: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };

  setUserStrategies(load: UserStrategyLoad): void {
    for (const def of this.#user.definitions) this.#definitions.delete(def.id);
    this.#user = load;
    for (const def of load.definitions) this.#definitions.set(def.id, def);
  }

  describe(): StrategyInfo[] {
    return [...BUILTIN_STRATEGIES.map((d) => describeStrategy(d, 'builtin')), ...this.#user.infos];
  }

  /** A loaded definition by id; NOT_FOUND (or STRATEGY_ERROR for a user file that failed to load). */
  definition(id: string): StrategyDefinition {
    const def = this.#definitions.get(id);
    if (def !== undefined) return def;
    const broken = this.#user.infos.find((i) => i.id === id && i.error !== undefined);
    if (broken !== undefined)
      throw new BotDeskError(
        'STRATEGY_ERROR',
        `user strategy '${id}' failed to load: ${broken.error}`,
      );
    throw new BotDeskError(
      'NOT_FOUND',
      `unknown strategy '${id}'; available: ${[...this.#definitions.keys()].join(', ')}`,
    );
  }

  add(msg: AddRequest): FromWorker {
    try {
      const def = this.definition(msg.strategy.id);
      const { instance, warmup } = prepareStrategy(def, msg.strategy.params);
      const names = def.indicators;
      const width = OUTPUT_HEADER + names.length;
      const h = msg.history;
      const count = h.length / CANDLE_STRIDE;
      const reported = Math.max(0, Math.min(count, Math.floor(msg.tailOutputs)));
      const out = new Float64Array(reported * width);
      // Candles from `firstReported` on have their outputs written to `out`, in order.
      const firstReported = count - reported;
      for (let i = 0, o = 0; i < count; i++, o += CANDLE_STRIDE) {
        const w = (i - firstReported) * width;
        try {
          const output = instance.update(readCandle(h, o, this.#candle));
          if (w >= 0) writeOutput(output, names, out, w);
        } catch (err) {
          if (!msg.tolerant) {
            throw new BotDeskError(
              'STRATEGY_ERROR',
              `strategy '${def.id}' threw while replaying history (candle ${new Date(h[o]!).toISOString()}): ${toErrorInfo(err).message}`,
            );
          }
          if (w >= 0) out.fill(Number.NaN, w, w + width);
        }
      }
      this.#pairs[msg.slot] = { instance, indicators: [...names] };
      return { type: 'added', id: msg.id, warmup, indicators: [...names], out };
    } catch (err) {
      const error =
        err instanceof BotDeskError
          ? err.toInfo()
          : { code: 'STRATEGY_ERROR' as const, message: toErrorInfo(err).message };
      return { type: 'failed', id: msg.id, error };
    }
  }

  remove(slot: number): void {
    this.#pairs[slot] = undefined;
  }

  /** Runs every candle of the batch; a pair whose strategy throws is reported, the others carry on. */
  tick(msg: TickRequest): Extract<FromWorker, { type: 'ticked' }> {
    const { slots, counts, candles } = msg;
    let size = 0;
    for (let p = 0; p < slots.length; p++) {
      const pair = this.#pairs[slots[p]!];
      size += counts[p]! * (OUTPUT_HEADER + (pair?.indicators.length ?? 0));
    }
    const out = new Float64Array(size);
    const errors: Array<{ index: number; message: string }> = [];
    let c = 0;
    let w = 0;
    for (let p = 0; p < slots.length; p++) {
      const n = counts[p]!;
      const pair = this.#pairs[slots[p]!];
      if (pair === undefined) {
        errors.push({ index: p, message: `no strategy state for slot ${slots[p]} in this worker` });
        c += n * CANDLE_STRIDE;
        continue;
      }
      const names = pair.indicators;
      const width = names.length;
      let failed = false;
      for (let j = 0; j < n; j++, c += CANDLE_STRIDE, w += OUTPUT_HEADER + width) {
        try {
          writeOutput(pair.instance.update(readCandle(candles, c, this.#candle)), names, out, w);
        } catch (err) {
          out.fill(Number.NaN, w, w + OUTPUT_HEADER + width);
          if (!failed) errors.push({ index: p, message: toErrorInfo(err).message });
          failed = true;
        }
      }
    }
    return { type: 'ticked', id: msg.id, out, errors };
  }
}
